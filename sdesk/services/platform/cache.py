"""The one cache key, and the one place that keeps computed data in memory.

Everything sdesk computes from the source data and keeps -- the KPI working set, the
afschaling worklist's inputs and pseudonyms (in memory and in `stored_frame`), the summary
table `realisation_month` -- is kept against `key(engine)`:

    (data version, highest allocation id, highest claim id)

The data version is a counter in `meta`. A hook on every engine (`install`) bumps it inside
the transaction of any INSERT, UPDATE or DELETE on a source table (SOURCE_TABLES), once per
transaction, so a writer cannot forget it and a rolled-back write leaves it as it was. The
highest ids cost nothing to read and tell apart a database file put back from a backup that
carries the same counter. Writes to other tables (reviews, cases, budget lines, the audit log
and the cache tables themselves) do not move the key: what reads them reads them fresh.

`forget(engine)` drops everything kept for a database, in memory and stored.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Engine, event

SOURCE_TABLES = frozenset({"household", "person", "team", "employee", "allocation", "claim",
                           "tariff", "inhabitants", "price_index", "codelist_entry"})
VERSION_KEY = "data_version"
# Summary tables record the version they were built for under these meta keys.
SUMMARY_KEYS = ("realisation_month_version",)

_BUMP_SQL = ("INSERT INTO meta (key, value) VALUES ('data_version', '1') ON CONFLICT (key) "
             "DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)")
_WRITE = re.compile(r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?"
                    r"|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)
_BUMPED = "sdesk_data_version_bumped"

T = TypeVar("T")


def bump(conn: Connection) -> None:
    """Move the data version on, inside the caller's transaction (the hook does this for
    every write to a source table; call it only for a change the hook cannot see)."""
    conn.exec_driver_sql(_BUMP_SQL)


def current(engine: Engine) -> int:
    """The data version now (0 for a database that was never written)."""
    with engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?",
                                     (VERSION_KEY,)).scalar()
    return int(value) if value else 0


def key(engine: Engine) -> tuple[int, int, int]:
    """The one cache key: (data version, highest allocation id, highest claim id)."""
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT (SELECT value FROM meta WHERE key = 'data_version'), "
            "(SELECT COALESCE(MAX(id), 0) FROM allocation), "
            "(SELECT COALESCE(MAX(id), 0) FROM claim)").one()
    return (int(row[0] or 0), int(row[1]), int(row[2]))


def written_table(statement: str) -> str | None:
    """The table an INSERT, UPDATE or DELETE statement writes to, lower case; else None."""
    match = _WRITE.match(statement)
    return match.group(1).lower() if match else None


def note_write(conn: Connection, statement: str) -> None:
    """Bump the data version once per transaction when `statement` writes a source table."""
    if conn.info.get(_BUMPED) or written_table(statement) not in SOURCE_TABLES:
        return
    # The same DBAPI connection, so the same transaction; not through SQLAlchemy, so the
    # hook does not see its own statement.
    cursor = conn.connection.cursor()
    try:
        cursor.execute(_BUMP_SQL)
    except Exception as exc:
        if "no such table: meta" not in str(exc):  # a file before migration 0003: no cache
            raise
    finally:
        cursor.close()
    conn.info[_BUMPED] = True


def install(engine: Engine) -> None:
    """Bump the data version in the same transaction as the first write to a source table
    (writes through SQLAlchemy; bulk writes go through `platform.bulk.executemany`)."""

    def after(conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        note_write(conn, statement)

    def clear(conn: Connection) -> None:
        conn.info.pop(_BUMPED, None)

    def clear_record(_dbapi_connection: Any, record: Any) -> None:
        record.info.pop(_BUMPED, None)

    event.listen(engine, "after_cursor_execute", after)
    for name in ("begin", "commit", "rollback"):
        event.listen(engine, name, clear)
    event.listen(engine.pool, "checkin", clear_record)  # a pool reset rolls back unseen


# -- kept in memory ------------------------------------------------------------------------

_kept: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
_building: dict[tuple[Any, ...], threading.Lock] = {}


def remember(kind: str, engine: Engine, version: tuple[Any, ...], build: Callable[[], T],
             keep: int = 1) -> T:
    """The value of `build()` for (kind, database, version), built once and kept; of each
    kind and database only the `keep` newest versions stay. Two threads asking for the same
    entry at once (the screen while an import prepares it) build it once."""
    entry = (kind, str(engine.url), *version)
    with _lock:
        found = _kept.get(entry)
        building = _building.setdefault(entry, threading.Lock()) if found is None else None
    if building is None:
        return cast(T, found)  # what build() made for this entry
    with building:
        with _lock:
            found = _kept.get(entry)
        if found is None:
            found = build()
            with _lock:
                same = [k for k in _kept if k[:2] == entry[:2]]
                for old in same[:max(len(same) - keep + 1, 0)]:
                    del _kept[old]
                _kept[entry] = found
    with _lock:
        _building.pop(entry, None)
    return cast(T, found)  # what build() made for this entry


def forget(engine: Engine, stored: bool = True) -> None:
    """Drop everything kept for this database in memory and, unless `stored` is False, the
    stored frames and the summary tables' build marks (they are rebuilt on next use)."""
    url = str(engine.url)
    with _lock:
        for entry in [k for k in _kept if k[1] == url]:
            del _kept[entry]
    if stored:
        with engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM stored_frame")
            for summary in SUMMARY_KEYS:
                conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (summary,))
