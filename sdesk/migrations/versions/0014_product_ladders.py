"""product_ladder and product_ladder_rung: the ladders a functioneel beheerder keeps (#16)

Idempotent: a run cut short (or an older sdesk that committed each DDL step on its own) may
have created one table already; each table is created only when it is missing.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def upgrade() -> None:
    present = _tables()
    if "product_ladder" not in present:
        op.create_table(
            "product_ladder",
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("law", sa.String(length=12), nullable=False),
            sa.Column("category", sa.String(length=40), nullable=False),
            sa.Column("status", sa.String(length=8), nullable=False),
            sa.Column("changed_by", sa.Integer(), nullable=True),
            sa.Column("changed_at", sa.DateTime(), nullable=False),
            sa.CheckConstraint("status IN ('eigen', 'uit')",
                               name=op.f("ck_product_ladder_status_known")),
            sa.ForeignKeyConstraint(["changed_by"], ["employee.id"],
                                    name=op.f("fk_product_ladder_changed_by_employee")),
            sa.PrimaryKeyConstraint("id", name=op.f("pk_product_ladder")),
            sa.UniqueConstraint("law", "category", name=op.f("uq_product_ladder_law")),
        )
    if "product_ladder_rung" not in present:
        op.create_table(
            "product_ladder_rung",
            sa.Column("ladder_id", sa.Integer(), nullable=False),
            sa.Column("position", sa.Integer(), nullable=False),
            sa.Column("product_code", sa.String(length=40), nullable=False),
            sa.ForeignKeyConstraint(
                ["ladder_id"], ["product_ladder.id"], ondelete="CASCADE",
                name=op.f("fk_product_ladder_rung_ladder_id_product_ladder")),
            sa.PrimaryKeyConstraint("ladder_id", "position",
                                    name=op.f("pk_product_ladder_rung")),
            sa.UniqueConstraint("ladder_id", "product_code",
                                name=op.f("uq_product_ladder_rung_ladder_id")),
        )


def downgrade() -> None:
    present = _tables()
    for table in ("product_ladder_rung", "product_ladder"):
        if table in present:
            op.drop_table(table)
