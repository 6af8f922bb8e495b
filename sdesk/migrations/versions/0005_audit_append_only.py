"""audit log is append-only: triggers refuse UPDATE and DELETE

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The hash chain detects tampering; these triggers make sure sdesk itself never does it.
    op.execute("CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
               "BEGIN SELECT RAISE(ABORT, 'auditlog kan niet worden gewijzigd'); END")
    op.execute("CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
               "BEGIN SELECT RAISE(ABORT, 'auditlog kan niet worden gewijzigd'); END")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
