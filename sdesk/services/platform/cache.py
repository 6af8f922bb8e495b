"""A counter that changes with every write to allocations or claims.

In-memory caches (the KPI data) compare it to the version they loaded; a plain SELECT of one
row is far cheaper than reloading a few hundred thousand rows.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

KEY = "data_version"


def bump(conn: Connection) -> None:
    """Call inside the transaction that changes the data."""
    conn.exec_driver_sql(
        "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE SET "
        "value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)", (KEY,))


def current(engine: Engine) -> int:
    with engine.connect() as conn:
        value = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (KEY,)).scalar()
    return int(value) if value else 0
