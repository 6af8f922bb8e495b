"""claim period index covers allocation and amount (window sums read the index only)

Revision ID: 0006
Revises: 0005
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_claim_period", table_name="claim", if_exists=True)
    op.create_index("ix_claim_period", "claim",
                    ["period_start", "allocation_id", "amount_cents", "rejected"],
                    if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_claim_period", table_name="claim")
    op.create_index("ix_claim_period", "claim", ["period_start"])
