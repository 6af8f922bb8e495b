"""budget_line.subtotal: a line that may overlap others and is left out of the total (#15)

Idempotent: a run that stopped after adding the column finds it and leaves it.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _has_subtotal() -> bool:
    columns = sa.inspect(op.get_bind()).get_columns("budget_line")
    return "subtotal" in {c["name"] for c in columns}


def upgrade() -> None:
    if not _has_subtotal():
        op.add_column("budget_line", sa.Column("subtotal", sa.Boolean(), nullable=False,
                                               server_default=sa.false()))


def downgrade() -> None:
    if _has_subtotal():
        with op.batch_alter_table("budget_line", schema=None) as batch_op:
            batch_op.drop_column("subtotal")
