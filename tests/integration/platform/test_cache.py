"""The one cache key: every write to the source data moves it in its own transaction, once;
nothing else does; `forget` drops everything kept."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine

from sdesk.services.platform import cache, stored_frames
from sdesk.services.platform.bulk import executemany


def _version(engine: Engine) -> int:
    return cache.current(engine)


def test_a_write_moves_the_key_once_per_transaction(engine: Engine) -> None:
    before = _version(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1')")
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H2')")
        conn.exec_driver_sql("UPDATE household SET wijk = 'Noord' WHERE external_id = 'H1'")
    assert _version(engine) == before + 1
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM household WHERE external_id = 'H2'")
    assert _version(engine) == before + 2


def test_a_rolled_back_write_leaves_the_key(engine: Engine) -> None:
    before = _version(engine)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1')")
        raise RuntimeError("the import failed")
    assert _version(engine) == before
    # The next transaction on the same pooled connection still bumps.
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1')")
    assert _version(engine) == before + 1


def test_a_write_without_commit_does_not_stop_the_next_bump(engine: Engine) -> None:
    before = _version(engine)
    with engine.connect() as conn:  # closed without commit: the pool rolls it back
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1')")
    assert _version(engine) == before
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1')")
    assert _version(engine) == before + 1


def test_bulk_writes_move_the_key_too(engine: Engine) -> None:
    before = _version(engine)
    with engine.begin() as conn:
        executemany(conn, "INSERT INTO household (external_id) VALUES (?)",
                    [("H1",), ("H2",), ("H3",)])
    assert _version(engine) == before + 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM household").scalar() == 3


def test_writes_outside_the_source_data_leave_the_key(engine: Engine) -> None:
    """Budget lines, the audit log and the cache's own tables are read fresh."""
    before = _version(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO budget_line (year, name, amount_cents) "
                             "VALUES (2025, 'Jeugd', 100)")
    stored_frames.save(engine, "test", "k", pd.DataFrame({"a": [1]}))
    assert _version(engine) == before


def test_key_carries_the_highest_ids(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1')")
    version, allocations, claims = cache.key(engine)
    assert (version, allocations, claims) == (_version(engine), 0, 0)


@pytest.mark.parametrize("statement, table", [
    ("INSERT INTO claim (a) VALUES (1)", "claim"),
    ("  insert or replace into Allocation (a) VALUES (1)", "allocation"),
    ("UPDATE person SET x = 1", "person"),
    ('DELETE FROM "employee" WHERE 1', "employee"),
    ("SELECT * FROM claim", None),
    ("CREATE TEMP TABLE sdesk_aside_0 AS SELECT 1", None),
])
def test_written_table(statement: str, table: str | None) -> None:
    assert cache.written_table(statement) == table


def test_remember_builds_once_and_forget_drops_everything(engine: Engine) -> None:
    builds: list[int] = []

    def build() -> str:
        builds.append(1)
        return "working set"

    version = cache.key(engine)
    assert cache.remember("test", engine, version, build) == "working set"
    assert cache.remember("test", engine, version, build) == "working set"
    assert len(builds) == 1
    stored_frames.save(engine, "test", "k", pd.DataFrame({"a": [1]}))
    from sdesk.services.platform.summaries import SUMMARY_KEY, ensure_realisation_month

    ensure_realisation_month(engine)
    cache.forget(engine)
    assert cache.remember("test", engine, version, build) == "working set"
    assert len(builds) == 2
    assert stored_frames.load(engine, "test", "k") is None
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?",
                                    (SUMMARY_KEY,)).first() is None


def test_an_import_makes_the_kpi_working_set_reload(engine: Engine) -> None:
    from sdesk.services.kpi.working_set import kpi_data

    first = kpi_data(engine)
    assert kpi_data(engine) is first
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO price_index (year, law, percentage) "
                             "VALUES (2025, 'jeugd', 3)")
    again = kpi_data(engine)
    assert again is not first and again.price_index == [("jeugd", 2025, 3)]
