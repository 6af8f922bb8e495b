"""employee.account: the operating-system account that identifies the employee

Idempotent: a run that stopped after adding the column (SQLite DDL outside the transaction,
a killed process) finds it and leaves it, so opening the file again completes the upgrade.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _has_account() -> bool:
    return "account" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("employee")}


def upgrade() -> None:
    if not _has_account():
        op.add_column("employee", sa.Column("account", sa.String(length=64), nullable=True))


def downgrade() -> None:
    if _has_account():
        with op.batch_alter_table("employee", schema=None) as batch_op:
            batch_op.drop_column("account")
