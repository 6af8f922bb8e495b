"""Migration 0013 (#16): review.realised_daily_cost_cents and review.planned_end_date, added
once and nullable, and a run that finds them (or one of them) already there leaves them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.platform.db import current_revision, migrate, open_database

NEW = ("realised_daily_cost_cents", "planned_end_date")


def _columns(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(review)")]


def test_0013_adds_the_realised_basis_once(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "old.sqlite")
    head = current_revision(engine)
    with engine.begin() as conn:
        for column in NEW:
            conn.exec_driver_sql(f"ALTER TABLE review DROP COLUMN {column}")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0011'")
    assert not set(NEW) & set(_columns(engine))
    migrate(engine)
    assert current_revision(engine) == head
    assert [_columns(engine).count(c) for c in NEW] == [1, 1]
    # Half-done before: one column exists, the version says 0011.
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE review DROP COLUMN planned_end_date")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0011'")
    migrate(engine)
    assert current_revision(engine) == head
    assert [_columns(engine).count(c) for c in NEW] == [1, 1]
    with engine.connect() as conn:
        nullable = {r[1]: r[3] for r in conn.exec_driver_sql("PRAGMA table_info(review)")}
    assert nullable["realised_daily_cost_cents"] == 0 and nullable["planned_end_date"] == 0
    engine.dispose()
