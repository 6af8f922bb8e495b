"""claim.first_seen: when sdesk first saw a claim line, for the declaration lag

Idempotent: a run that stopped after adding the column finds it and leaves it.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _has_first_seen() -> bool:
    return "first_seen" in {c["name"] for c in sa.inspect(op.get_bind()).get_columns("claim")}


def upgrade() -> None:
    if not _has_first_seen():
        op.add_column("claim", sa.Column("first_seen", sa.Date(), nullable=True))


def downgrade() -> None:
    if _has_first_seen():
        with op.batch_alter_table("claim", schema=None) as batch_op:
            batch_op.drop_column("first_seen")
