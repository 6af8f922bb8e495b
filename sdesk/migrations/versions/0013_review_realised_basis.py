"""review.realised_daily_cost_cents and review.planned_end_date: the realised basis (#16)

Revision ID: 0013
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = (("realised_daily_cost_cents", sa.Float()), ("planned_end_date", sa.Date()))


def upgrade() -> None:
    # Idempotent: a run cut short may have added a column already (SQLite has no
    # ADD COLUMN IF NOT EXISTS).
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("review")}
    missing = [(name, kind) for name, kind in COLUMNS if name not in present]
    if not missing:
        return
    with op.batch_alter_table("review", schema=None) as batch_op:
        for name, kind in missing:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    present = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("review")}
    with op.batch_alter_table("review", schema=None) as batch_op:
        for name, _kind in reversed(COLUMNS):
            if name in present:
                batch_op.drop_column(name)
