"""Append-only audit log, chained by hash (DESIGN section 8, BIO 12.4).

Every row stores the SHA-256 of the previous row's hash plus its own fields, so a changed,
inserted or deleted row breaks the chain from that point on; `verify` finds the first break.
Triggers (migration 0005) refuse UPDATE and DELETE from within sdesk.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from sdesk.services.platform.actor import Actor

GENESIS = "0" * 64

# Actions, so the audit screen can filter on them.
VIEW = "view"
CHANGE = "change"
IMPORT = "import"
EXPORT = "export"
ACTION_LABELS = {VIEW: "Inzage", CHANGE: "Wijziging", IMPORT: "Import", EXPORT: "Export",
                 "verify": "Controle auditlog", "backup": "Back-up", "restore": "Herstel"}


def _digest(previous: str, at_utc: str, user: str | None, role: str | None, action: str,
            obj: str | None, row_count: int | None, purpose: str | None) -> str:
    payload = json.dumps([previous, at_utc, user, role, action, obj, row_count, purpose],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(conn: Connection, actor: Actor, action: str, obj: str | None = None,
           row_count: int | None = None, purpose: str | None = None) -> None:
    """Append one event inside the caller's transaction (so it commits with the change)."""
    last = conn.exec_driver_sql(
        "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").scalar()
    previous = last or GENESIS
    at_utc = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    digest = _digest(previous, at_utc, actor.name, actor.role, action, obj, row_count, purpose)
    conn.exec_driver_sql(
        "INSERT INTO audit_event (at_utc, user, role, action, object, row_count, purpose, "
        "previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at_utc.replace("T", " "), actor.name, actor.role, action, obj, row_count, purpose,
         previous, digest))


def log(engine: Engine, actor: Actor, action: str, obj: str | None = None,
        row_count: int | None = None, purpose: str | None = None) -> None:
    """Append one event in a transaction of its own (reads: views and exports).

    The write lock is taken at BEGIN: reading the newest hash and appending must be one
    step, or two processes could both chain onto the same row."""
    with engine.execution_options(sdesk_begin="IMMEDIATE").begin() as conn:
        record(conn, actor, action, obj, row_count, purpose)


@dataclass(frozen=True)
class Verification:
    ok: bool
    events: int
    first_bad_id: int | None = None
    message: str = ""


def verify(engine: Engine) -> Verification:
    """Walk the chain; report the first row whose hash or link does not add up."""
    previous = GENESIS
    count = 0
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT id, at_utc, user, role, action, object, row_count, purpose, "
            "previous_hash, hash FROM audit_event ORDER BY id").all()
    for row in rows:
        rid, at_utc, user, role, action, obj, row_count, purpose, prev, digest = row
        count += 1
        stamp = str(at_utc).replace(" ", "T")
        if prev != previous:
            return Verification(False, count, rid, f"Auditregel {rid}: de keten is verbroken "
                                "(een eerdere regel is verwijderd of vervangen).")
        if _digest(prev, stamp, user, role, action, obj, row_count, purpose) != digest:
            return Verification(False, count, rid, f"Auditregel {rid} is gewijzigd: de "
                                "inhoud past niet meer bij de vastgelegde hash.")
        previous = digest
    return Verification(True, count, None, f"Auditlog in orde: {count} regels, keten "
                        "ongeschonden.")


def check_chain(engine: Engine, actor: Actor) -> Verification:
    """`verify`, and record who checked and what they found."""
    result = verify(engine)
    log(engine, actor, "verify", result.message[:200])
    return result


@dataclass(frozen=True)
class AuditRow:
    id: int
    at_utc: str
    user: str | None
    role: str | None
    action: str
    object: str | None
    row_count: int | None
    purpose: str | None


def list_events(engine: Engine, action: str | None = None, user: str | None = None,
                text: str | None = None, limit: int | None = 5000) -> list[AuditRow]:
    """The newest events first, filtered; `limit=None` gives every event."""
    sql = ("SELECT id, at_utc, user, role, action, object, row_count, purpose "
           "FROM audit_event WHERE 1 = 1")
    params: list[Any] = []
    if action:
        sql += " AND action = ?"
        params.append(action)
    if user:
        sql += " AND user = ?"
        params.append(user)
    if text:
        sql += " AND (object LIKE ? OR purpose LIKE ?)"
        params += [f"%{text}%", f"%{text}%"]
    sql += " ORDER BY id DESC LIMIT ?"
    params.append(-1 if limit is None else limit)  # SQLite: a negative LIMIT means none
    with engine.connect() as conn:
        return [AuditRow(r[0], str(r[1]), *r[2:]) for r in
                conn.exec_driver_sql(sql, tuple(params)).all()]
