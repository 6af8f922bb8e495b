"""review.annual_cost_before_cents: the run-rate when the decision was taken

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Idempotent: a run cut short by an older sdesk (DDL outside the transaction) may have
    # added the column already. SQLite has no ADD COLUMN IF NOT EXISTS.
    if "annual_cost_before_cents" in {c["name"] for c in sa.inspect(op.get_bind())
                                      .get_columns("review")}:
        return
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("annual_cost_before_cents", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("annual_cost_before_cents")
