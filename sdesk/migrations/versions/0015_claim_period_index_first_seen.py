"""claim period index also covers first_seen (the declaration lag reads the index only)

The lag profile (platform.completeness) sums claims by care month and the month sdesk first
saw them; without first_seen in the index SQLite looked every claim of 18 months up in the
table (1.5 s per law at the large preset, 0.6 s with it).

Idempotent: the index is rebuilt only when first_seen is not in it yet.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

COLUMNS = ["period_start", "allocation_id", "amount_cents", "rejected", "first_seen"]


def _columns() -> list[str]:
    rows = op.get_bind().exec_driver_sql("PRAGMA index_info('ix_claim_period')").fetchall()
    return [str(r[2]) for r in sorted(rows)]


def upgrade() -> None:
    if _columns() == COLUMNS:
        return
    op.drop_index("ix_claim_period", table_name="claim", if_exists=True)
    op.create_index("ix_claim_period", "claim", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_claim_period", table_name="claim", if_exists=True)
    op.create_index("ix_claim_period", "claim", COLUMNS[:4])
