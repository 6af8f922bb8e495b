"""realisation_month.delivery_form and the claim_arrival summary (#17)

Budget lines select on the delivery form, and the declaration lag sums claims by care month
and the month they were first seen: both now come from summaries instead of millions of
claim lines. Summaries are derived: the build mark is dropped so the next reader rebuilds
them with the new column.

Idempotent: the column and the table are added only when missing.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    columns = {c["name"] for c in inspector.get_columns("realisation_month")}
    if "delivery_form" not in columns:
        with op.batch_alter_table("realisation_month", schema=None) as batch_op:
            batch_op.add_column(sa.Column("delivery_form", sa.String(length=3), nullable=True))
    if "claim_arrival" not in inspector.get_table_names():
        op.create_table(
            "claim_arrival",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("law", sa.String(length=12), nullable=False),
            sa.Column("month", sa.Integer(), nullable=False),
            sa.Column("seen", sa.Integer(), nullable=False),
            sa.Column("amount_cents", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_arrival")),
        )
        op.create_index("ix_claim_arrival_law_month", "claim_arrival", ["law", "month"])
    op.get_bind().exec_driver_sql(
        "DELETE FROM meta WHERE key = 'realisation_month_version'")


def downgrade() -> None:
    op.drop_index("ix_claim_arrival_law_month", table_name="claim_arrival", if_exists=True)
    op.drop_table("claim_arrival", if_exists=True)
    with op.batch_alter_table("realisation_month", schema=None) as batch_op:
        batch_op.drop_column("delivery_form")
