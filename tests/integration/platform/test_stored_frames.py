"""stored_frames against a real database file: save/load, the newest entries kept, and a
database locked by another writer is not waited for."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform import stored_frames

FRAME = pd.DataFrame({"id": [1, 2], "name": pd.Series(["Vos, Anna", None], dtype=object)})


def test_save_load_and_keep_the_newest(engine: Engine) -> None:
    for key in ("a", "b", "c"):
        assert stored_frames.save(engine, "test", key, FRAME.assign(key=key), extra=[key],
                                  keep=2)
    assert stored_frames.load(engine, "test", "a") is None  # the oldest went
    frame, extra = stored_frames.load(engine, "test", "c") or (None, None)
    assert extra == ["c"] and frame is not None
    assert frame["name"].tolist() == ["Vos, Anna", None] and frame["key"].tolist() == ["c"] * 2
    stored_frames.drop(engine, "test")
    assert stored_frames.load(engine, "test", "b") is None


def test_a_locked_database_is_not_waited_for(engine: Engine, db_path: Path) -> None:
    other = sqlite3.connect(db_path)
    other.execute("BEGIN IMMEDIATE")  # another process writing
    try:
        start = time.perf_counter()
        assert stored_frames.save(engine, "test", "k", FRAME) is False
        assert time.perf_counter() - start < 2
    finally:
        other.rollback()
        other.close()
    assert stored_frames.save(engine, "test", "k", FRAME) is True
    with engine.connect() as conn:  # the usual busy timeout is back on the connection
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_names_in_sql_follow_the_directory_rule() -> None:
    """The worklist builds names in SQL (frames._NAME_SQL); they must read as everywhere else
    (directory.display_name), with NULL where that gives an empty text."""
    from sdesk.services.household.directory import display_name
    from sdesk.services.platform.readers import _NAME_SQL

    conn = sqlite3.connect(":memory:")
    cases = [("Vos", "Anna"), ("Vos", None), (None, "Anna"), ("", "Anna"), ("Vos", ""),
             (None, None), ("", "")]
    for last, first in cases:
        got = conn.execute(f"SELECT {_NAME_SQL} FROM (SELECT ? AS last_name, "
                           "? AS first_name) p", (last, first)).fetchone()[0]
        assert got == (display_name(last, first) or None), (last, first)
    conn.close()
