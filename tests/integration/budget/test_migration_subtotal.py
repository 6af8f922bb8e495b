"""Migration 0011 (#15): budget_line.subtotal, added once, false for existing lines, and a run
that finds the column already there leaves it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.platform.db import current_revision, head_revision, migrate, open_database


def _columns(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(budget_line)")]


def test_0011_adds_subtotal_once(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "old.sqlite")
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE budget_line DROP COLUMN subtotal")
        conn.exec_driver_sql("INSERT INTO budget_line (year, name, amount_cents) "
                             "VALUES (2025, 'Jeugd', 100)")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0010'")
    assert "subtotal" not in _columns(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert _columns(engine).count("subtotal") == 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT subtotal FROM budget_line").scalar_one() == 0
    # Half-done before: the column exists but the version says 0010.
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0010'")
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert _columns(engine).count("subtotal") == 1
    engine.dispose()
