"""Migration 0015 (#17): the claim period index also covers first_seen, so the declaration
lag reads the index only; rebuilt once, left alone when it is already there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.platform.db import current_revision, head_revision, migrate, open_database

OLD = ["period_start", "allocation_id", "amount_cents", "rejected"]


def _index(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("PRAGMA index_info('ix_claim_period')").fetchall()
    return [str(r[2]) for r in sorted(rows)]


def _lag_plan(engine: Engine) -> str:
    from sdesk.services.platform import completeness

    captured: list[str] = []
    original = completeness.fetch_rows

    def capture(eng: Engine, sql: str, params: tuple[object, ...] = ()) -> list[object]:
        captured.append(sql)
        with eng.connect() as conn:
            plan = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        captured.append(" | ".join(str(r[3]) for r in plan))
        return list(original(eng, sql, params))

    completeness.fetch_rows = capture  # type: ignore[assignment]
    try:
        # Mid-month: the claims themselves (a month end reads the claim_arrival summary).
        completeness.lag_profile(engine, date(2025, 6, 15), "wmo")
    finally:
        completeness.fetch_rows = original
    return captured[1]


def test_0015_covers_first_seen_once(tmp_path: Path) -> None:
    engine = open_database(tmp_path / "old.sqlite")
    assert _index(engine) == [*OLD, "first_seen"]
    assert "COVERING INDEX ix_claim_period" in _lag_plan(engine)
    with engine.begin() as conn:  # as an 0014 database has it
        conn.exec_driver_sql("DROP INDEX ix_claim_period")
        conn.exec_driver_sql(f"CREATE INDEX ix_claim_period ON claim ({', '.join(OLD)})")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0014'")
    assert "COVERING" not in _lag_plan(engine)  # the plan test can fail
    migrate(engine)
    assert current_revision(engine) == head_revision()
    assert _index(engine) == [*OLD, "first_seen"]
    assert "COVERING INDEX ix_claim_period" in _lag_plan(engine)
    # Done before (an earlier run rebuilt the index, the version stayed 0014): left alone.
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0014'")
    migrate(engine)
    assert _index(engine) == [*OLD, "first_seen"]
    engine.dispose()
