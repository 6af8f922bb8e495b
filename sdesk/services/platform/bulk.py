"""Bulk writes: executemany on the raw DBAPI cursor of a SQLAlchemy connection (so the same
transaction). SQLAlchemy's per-row parameter handling doubles the time of a million-line
executemany; going around it must not go around the cache key, so this bumps it too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection

from sdesk.services.platform.cache import note_write


def executemany(conn: Connection, sql: str, rows: Iterable[Sequence[Any]]) -> None:
    """Run `sql` for every row inside the connection's transaction."""
    note_write(conn, sql)
    cursor = conn.connection.cursor()
    try:
        cursor.executemany(sql, rows if isinstance(rows, list) else list(rows))
    finally:
        cursor.close()
