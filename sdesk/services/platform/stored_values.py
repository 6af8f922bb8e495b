"""Computed values kept in the database between sessions: the storage under stored_frames
(table stored_frame), and small JSON answers that need neither numpy nor pandas to read back.

A stored answer (the KPI figures of a period, say) is written once per data version and read
by every later process for the same data, so a fresh `sdesk kpi` or the dashboard's first
figures cost a read instead of a computation. Everything here is a cache: a missing, damaged
or unreadable entry just means "compute"; a busy, read-only or full database just means "not
kept".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from sdesk.services.platform import cache
from sdesk.services.platform.sqlite import busy_timeout_ms

T = TypeVar("T")

_SAVE_WAIT_MS = 200
# Tells a JSON answer apart from a stored frame (numpy's .npz, a zip file, starts with "PK").
_JSON_MARK = b"sdesk-json\n"


def put(engine: Engine, kind: str, key: str, payload: bytes, keep: int) -> bool:
    """Store `payload` under (kind, key), keeping only the `keep` newest entries of the kind.
    False when it was not stored (the database busy, read-only or full)."""
    with engine.connect() as conn:
        # Another process importing holds the write lock for a while: a cache does not wait
        # the usual busy timeout for it.
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {_SAVE_WAIT_MS}")
        conn.commit()
        try:
            with conn.begin():
                conn.exec_driver_sql(
                    "INSERT OR REPLACE INTO stored_frame (kind, key, created_at, payload) "
                    "VALUES (?, ?, ?, ?)",
                    (kind, key, datetime.now().isoformat(sep=" "), payload))
                conn.exec_driver_sql(
                    "DELETE FROM stored_frame WHERE kind = ? AND key NOT IN (SELECT key FROM "
                    "stored_frame WHERE kind = ? ORDER BY created_at DESC, rowid DESC "
                    "LIMIT ?)", (kind, kind, keep))
        except SQLAlchemyError:  # busy, read-only, full disk: a cache is not worth an error
            return False
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
            conn.commit()
    return True


def get(engine: Engine, kind: str, key: str) -> bytes | None:
    """The payload stored under (kind, key), or None."""
    with engine.connect() as conn:
        payload = conn.exec_driver_sql(
            "SELECT payload FROM stored_frame WHERE kind = ? AND key = ?", (kind, key)).scalar()
    return None if payload is None else bytes(payload)


def save_json(engine: Engine, kind: str, key: str, value: Any, keep: int) -> bool:
    """Store a JSON-able value under (kind, key); see put()."""
    return put(engine, kind, key, _JSON_MARK + json.dumps(value).encode("utf-8"), keep)


def load_json(engine: Engine, kind: str, key: str) -> Any:
    """The value save_json() stored under (kind, key), or None (absent or unreadable)."""
    payload = get(engine, kind, key)
    if payload is None or not payload.startswith(_JSON_MARK):
        return None
    try:
        return json.loads(payload[len(_JSON_MARK):].decode("utf-8"))
    except ValueError:  # damaged: compute again
        return None


def kept(engine: Engine, kind: str, question: Any, compute: Callable[[], T],
         to_json: Callable[[T], Any], from_json: Callable[[Any], T], keep: int) -> T:
    """The answer to `question` (a repr-able value) about the data as they are now: kept in
    memory and in the database file against the one cache key (platform.cache), so the same
    question about the same data is computed once, by whichever process asks first (or by
    the import that prepares it). A stored answer `from_json` cannot read is computed again."""
    version = cache.key(engine)
    stored_key = repr((version, question))

    def build() -> T:
        found = load_json(engine, kind, stored_key)
        if found is not None:
            try:
                return from_json(found)
            except (KeyError, TypeError, ValueError):  # an older or damaged entry
                pass
        value = compute()
        save_json(engine, kind, stored_key, to_json(value), keep)
        return value
    return cache.remember(f"{kind}:{stored_key}", engine, version, build)
