"""Append-only audit log, chained by a keyed MAC (DESIGN section 8, BIO 12.4).

Every row stores the HMAC-SHA256, under the installation's audit key, of the previous row's hash
plus its own fields, so a changed, inserted or deleted row breaks the chain from that point on,
and without the key nobody can re-chain it. The newest row's id and hash are also kept outside
the database (audit_anchor), so a log cut off at the end or emptied fails as well; `verify`
finds the first bad row. Triggers (migration 0005) refuse UPDATE and DELETE from within sdesk.
Rows written before the key existed (plain SHA-256) verify as such, up to the row the meta
table and the anchor name as the first keyed one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sdesk.services.platform import audit_anchor
from sdesk.services.platform.actor import Actor

if TYPE_CHECKING:  # the audit screen's labels load before the database layer
    from sqlalchemy import Connection, Engine

GENESIS = "0" * 64

# Actions, so the audit screen can filter on them.
VIEW = "view"
CHANGE = "change"
IMPORT = "import"
EXPORT = "export"
BACKUP = "backup"
RESTORE = "restore"
ENCRYPT = "encrypt"
DECRYPT = "decrypt"
ACTION_LABELS = {VIEW: "Inzage", CHANGE: "Wijziging", IMPORT: "Import", EXPORT: "Export",
                 "verify": "Controle auditlog", BACKUP: "Back-up", RESTORE: "Herstel",
                 ENCRYPT: "Versleutelen", DECRYPT: "Ontsleutelen"}


def _payload(previous: str, at_utc: str, user: str | None, role: str | None, action: str,
             obj: str | None, row_count: int | None, purpose: str | None) -> bytes:
    return json.dumps([previous, at_utc, user, role, action, obj, row_count, purpose],
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _digest(key: bytes | None, *fields: Any) -> str:
    """The row's hash: HMAC under the key, or plain SHA-256 for rows from before the key."""
    payload = _payload(*fields)
    if key is None:
        return hashlib.sha256(payload).hexdigest()
    return hmac.new(key, payload, hashlib.sha256).hexdigest()


KEYED_FROM = "audit_keyed_from"  # meta key: the id of the first row chained with the key


def _database(conn: Connection) -> str | None:
    name = conn.engine.url.database
    return name if name and name != ":memory:" else None


def append(conn: Connection, at_utc: str, user: str | None, role: str | None, action: str,
           obj: str | None = None, row_count: int | None = None,
           purpose: str | None = None) -> int:
    """Chain one row onto the log inside the caller's transaction; returns its id.

    `at_utc` is ISO 8601 without zone (T between date and time); a restore uses this to carry
    rows written after the backup with their own moment."""
    key = audit_anchor.audit_key()
    last = conn.exec_driver_sql(
        "SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1").scalar()
    previous = last or GENESIS
    digest = _digest(key, previous, at_utc, user, role, action, obj, row_count, purpose)
    new_id = conn.exec_driver_sql(
        "INSERT INTO audit_event (at_utc, user, role, action, object, row_count, purpose, "
        "previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at_utc.replace("T", " "), user, role, action, obj, row_count, purpose, previous,
         digest)).lastrowid
    conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO NOTHING", (KEYED_FROM, str(new_id)))
    keyed_from = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?",
                                      (KEYED_FROM,)).scalar()
    database = _database(conn)
    if database is not None and new_id is not None:
        conn.info[audit_anchor.PENDING] = (database, int(new_id), digest,
                                           int(keyed_from) if keyed_from else None)
    return int(new_id or 0)


def record(conn: Connection, actor: Actor, action: str, obj: str | None = None,
           row_count: int | None = None, purpose: str | None = None) -> None:
    """Append one event inside the caller's transaction (so it commits with the change)."""
    at_utc = datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")
    append(conn, at_utc, actor.name, actor.role, action, obj, row_count, purpose)


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


@dataclass(frozen=True)
class StoredEvent:
    """One row as stored, for verifying and for carrying rows over in a restore."""

    id: int
    at_utc: str
    user: str | None
    role: str | None
    action: str
    object: str | None
    row_count: int | None
    purpose: str | None
    previous_hash: str | None
    hash: str | None


def stored_events(conn: Connection) -> list[StoredEvent]:
    """Every row of the log in id order, as stored (at_utc in ISO form with a T)."""
    rows = conn.exec_driver_sql(
        "SELECT id, at_utc, user, role, action, object, row_count, purpose, "
        "previous_hash, hash FROM audit_event ORDER BY id").all()
    return [StoredEvent(int(r[0]), str(r[1]).replace(" ", "T"), *r[2:]) for r in rows]


def _chain_break(events: list[StoredEvent], key: bytes | None,
                 keyed_from: int | None) -> Verification | None:
    previous = GENESIS
    for count, e in enumerate(events, start=1):
        if e.previous_hash != previous:
            return Verification(False, count, e.id, f"Auditregel {e.id}: de keten is verbroken "
                                "(een eerdere regel is verwijderd of vervangen).")
        keyed = keyed_from is not None and e.id >= keyed_from
        if keyed and key is None:
            return Verification(False, count, e.id, f"Auditregel {e.id} is met de auditsleutel "
                                f"beveiligd, maar die sleutel ontbreekt ({audit_anchor.key_path()})"
                                ". Controleer op de computer waar de log is bijgehouden.")
        fields = (e.previous_hash, e.at_utc, e.user, e.role, e.action, e.object, e.row_count,
                  e.purpose)
        if _digest(key if keyed else None, *fields) != e.hash:
            return Verification(False, count, e.id, f"Auditregel {e.id} is gewijzigd: de "
                                "inhoud past niet meer bij de vastgelegde hash.")
        previous = e.hash or ""
    return None


def verify(engine: Engine) -> Verification:
    """Walk the chain, then hold its end against the anchor outside the database; report the
    first row that does not add up (for a log cut off: the first row that is missing)."""
    with engine.connect() as conn:
        events = stored_events(conn)
        stored_from = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?",
                                           (KEYED_FROM,)).scalar()
        database = _database(conn)
    anchor = audit_anchor.read_anchor(database) if database else None
    # The anchor's word counts over the meta table's: that lives in the file under suspicion.
    keyed_from = (anchor.keyed_from if anchor and anchor.keyed_from is not None
                  else int(stored_from) if stored_from else None)
    broken = _chain_break(events, audit_anchor.audit_key(create=False), keyed_from)
    if broken is not None:
        return broken
    count = len(events)
    last_id = events[-1].id if events else 0
    if anchor is not None:
        at_anchor = next((e for e in events if e.id == anchor.last_id), None)
        if at_anchor is None:
            return Verification(False, count, last_id + 1, (
                f"De auditlog is ingekort of geleegd: hij eindigt bij regel {last_id}, maar "
                f"volgens het anker buiten de database liep hij tot regel {anchor.last_id}. "
                f"Regel {last_id + 1} en verder ontbreken."))
        if at_anchor.hash != anchor.last_hash:
            return Verification(False, count, anchor.last_id, (
                f"Auditregel {anchor.last_id} verschilt van het anker buiten de database: de "
                "log is herschreven."))
        return Verification(True, count, None, f"Auditlog in orde: {count} regels, keten "
                            "ongeschonden en gelijk aan het anker buiten de database.")
    note = (" Er is geen anker voor dit bestand gevonden (nieuwe of verplaatste database): "
            "of er aan het eind regels zijn weggehaald, is niet na te gaan." if events else "")
    return Verification(True, count, None, f"Auditlog in orde: {count} regels, keten "
                        f"ongeschonden.{note}")


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


def list_events(engine: Engine, actor: Actor | None = None, action: str | None = None,
                user: str | None = None, text: str | None = None,
                limit: int | None = 5000) -> list[AuditRow]:
    """The newest events first, filtered; `limit=None` gives every event.

    Reading the log needs READ_AUDIT (platform.permissions: not the controller, not an
    unknown user): `actor` is who reads; None is sdesk itself (internal checks, never a
    person at a screen or the command line).
    """
    from sdesk.services.platform.permissions import READ_AUDIT, require

    if actor is not None:
        require(actor, READ_AUDIT)
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
