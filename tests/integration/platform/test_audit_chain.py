"""A tamper-evident audit log (#14 item 3): the chain is a keyed MAC and its end is anchored
outside the database, so a log cut off, emptied or edited and re-chained fails `verify` with
the first bad row. On the previous code (plain SHA-256, no anchor) every attack here passed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.platform import audit, audit_anchor
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.db import open_database

KIM = Actor("Kim", "klantmanager")


def _five_events(engine: Engine) -> None:
    for i in range(1, 6):
        audit.log(engine, KIM, audit.VIEW, f"huishouden H{i}", i)


def _raw(db_path: Path, *statements: str) -> None:
    """What someone with a SQLite tool and the file (not the key) can do."""
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def _verify(db_path: Path) -> audit.Verification:
    engine = open_database(db_path)
    try:
        return audit.verify(engine)
    finally:
        engine.dispose()


def _ids(db_path: Path) -> list[int]:
    conn = sqlite3.connect(db_path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM audit_event ORDER BY id")]
    finally:
        conn.close()


def test_an_intact_log_verifies_against_its_anchor(engine: Engine, db_path: Path) -> None:
    _five_events(engine)
    result = audit.verify(engine)
    assert result.ok and result.events == 5
    assert "gelijk aan het anker" in result.message
    anchor = audit_anchor.read_anchor(db_path)
    assert anchor is not None and anchor.last_id == _ids(db_path)[-1]
    assert oct(audit_anchor.key_path().stat().st_mode & 0o777) == "0o600"


def test_a_log_cut_off_at_the_end_fails_with_the_first_missing_row(engine: Engine,
                                                                    db_path: Path) -> None:
    _five_events(engine)
    engine.dispose()
    ids = _ids(db_path)
    _raw(db_path, f"DELETE FROM audit_event WHERE id > {ids[2]}")
    result = _verify(db_path)
    assert not result.ok
    assert result.first_bad_id == ids[3]
    assert f"eindigt bij regel {ids[2]}" in result.message
    assert f"liep hij tot regel {ids[4]}" in result.message


def test_an_emptied_log_fails(engine: Engine, db_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    _five_events(engine)
    engine.dispose()
    _raw(db_path, "DELETE FROM audit_event")
    engine = open_database(db_path)
    result = audit.verify(engine)
    engine.dispose()
    assert not result.ok and result.first_bad_id == 1
    assert "ingekort of geleegd" in result.message
    assert main(["audit", "--db", str(db_path), "verify"]) == 1
    assert "ingekort of geleegd" in capsys.readouterr().err


def _rechain_with_sha256(db_path: Path, edit_id: int) -> None:
    """Edit one row and recompute its hash and every one after it the way the old chain did."""
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    conn.execute("UPDATE audit_event SET object = 'niets bekeken' WHERE id = ?", (edit_id,))
    previous = conn.execute("SELECT hash FROM audit_event WHERE id < ? ORDER BY id DESC LIMIT 1",
                            (edit_id,)).fetchone()
    previous = previous[0] if previous else "0" * 64
    for row in conn.execute("SELECT id, at_utc, user, role, action, object, row_count, "
                            "purpose FROM audit_event WHERE id >= ? ORDER BY id",
                            (edit_id,)).fetchall():
        rid, at_utc, *fields = row
        payload = json.dumps([previous, str(at_utc).replace(" ", "T"), *fields],
                             ensure_ascii=False, separators=(",", ":"))
        digest = hashlib.sha256(payload.encode()).hexdigest()
        conn.execute("UPDATE audit_event SET previous_hash = ?, hash = ? WHERE id = ?",
                     (previous, digest, rid))
        previous = digest
    conn.commit()
    conn.close()


def test_an_edited_and_rechained_log_fails_at_the_edited_row(engine: Engine,
                                                             db_path: Path) -> None:
    _five_events(engine)
    engine.dispose()
    edited = _ids(db_path)[1]
    _rechain_with_sha256(db_path, edited)
    result = _verify(db_path)
    assert not result.ok and result.first_bad_id == edited
    assert f"Auditregel {edited} is gewijzigd" in result.message


def test_rechaining_and_removing_the_key_marker_still_fails(engine: Engine,
                                                            db_path: Path) -> None:
    """The first keyed row is also named by the anchor, so deleting it from meta helps nothing."""
    _five_events(engine)
    engine.dispose()
    first = _ids(db_path)[0]
    _rechain_with_sha256(db_path, first)
    _raw(db_path, "DELETE FROM meta WHERE key = 'audit_keyed_from'")
    result = _verify(db_path)
    assert not result.ok and result.first_bad_id == first


def test_without_the_key_keyed_rows_cannot_be_vouched_for(engine: Engine, db_path: Path) -> None:
    _five_events(engine)
    engine.dispose()
    audit_anchor.key_path().unlink()
    result = _verify(db_path)
    assert not result.ok and "sleutel ontbreekt" in result.message


def test_rows_from_before_the_key_still_verify_and_edits_to_them_fail(engine: Engine,
                                                                      db_path: Path) -> None:
    """A database an older sdesk wrote: plain SHA-256 rows, then keyed ones."""
    engine.dispose()
    conn = sqlite3.connect(db_path)
    previous = "0" * 64
    for i in range(1, 3):
        fields = [f"2025-01-0{i}T10:00:00.000000", "Oud", "controller", "view", f"oud {i}",
                  None, None]
        digest = hashlib.sha256(json.dumps([previous, *fields], ensure_ascii=False,
                                           separators=(",", ":")).encode()).hexdigest()
        conn.execute("INSERT INTO audit_event (at_utc, user, role, action, object, row_count, "
                     "purpose, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (fields[0].replace("T", " "), *fields[1:], previous, digest))
        previous = digest
    conn.commit()
    conn.close()
    engine = open_database(db_path)
    _five_events(engine)
    assert audit.verify(engine).ok
    engine.dispose()
    _raw(db_path, "UPDATE audit_event SET object = 'anders' WHERE object = 'oud 1'")
    result = _verify(db_path)
    assert not result.ok and "is gewijzigd" in result.message


def test_an_event_rolled_back_does_not_move_the_anchor(engine: Engine, db_path: Path) -> None:
    _five_events(engine)
    anchor = audit_anchor.read_anchor(db_path)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.record(conn, KIM, audit.CHANGE, "besluit dat niet doorging")
        raise RuntimeError("afgebroken")
    assert audit_anchor.read_anchor(db_path) == anchor
    assert audit.verify(engine).ok
