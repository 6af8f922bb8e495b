"""What the audit log keeps outside the database file: the key of its chain and, per database,
an anchor with the newest row (id and hash).

The key makes the chain a keyed MAC: someone who can edit the database file but has not got the
key cannot re-chain edited rows so that they verify. The anchor catches what no chain can: rows
cut off at the end or a log emptied altogether. Both live in the user's configuration folder,
next to the pseudonym key; they protect against someone who has the database file (a copy, a
backup, a share) but not that folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sdesk.config import config_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine

PENDING = "sdesk_audit_anchor"  # key in the connection's info: the anchor to write on checkin


def key_path() -> Path:
    """The file with the audit key (created on first use, readable by the user only)."""
    return config_dir() / "audit.key"


def audit_key(create: bool = True) -> bytes | None:
    """The installation's audit key; None when it is missing and `create` is False."""
    path = key_path()
    if not path.exists():
        if not create:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it just now
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
    return path.read_bytes()


def anchor_folder() -> Path:
    """The folder with one anchor file per database."""
    return config_dir() / "audit-anker"


def anchor_path(database: Path | str) -> Path:
    """The anchor file of the database at this path (by its full path: one file per database)."""
    resolved = str(Path(database).resolve())
    return anchor_folder() / f"{hashlib.sha256(resolved.encode()).hexdigest()[:24]}.json"


@dataclass(frozen=True)
class Anchor:
    database: str
    last_id: int
    last_hash: str
    keyed_from: int | None


def read_anchor(database: Path | str) -> Anchor | None:
    """The anchor of a database; None when there is none (new, moved or never logged)."""
    try:
        data = json.loads(anchor_path(database).read_text(encoding="utf-8"))
        return Anchor(str(data["database"]), int(data["last_id"]), str(data["last_hash"]),
                      None if data.get("keyed_from") is None else int(data["keyed_from"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_anchor(database: Path | str, last_id: int, last_hash: str,
                 keyed_from: int | None) -> None:
    """Replace the anchor atomically (a half-written anchor would be no anchor)."""
    path = anchor_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.deel")
    partial.write_text(json.dumps({"database": str(Path(database).resolve()),
                                   "last_id": last_id, "last_hash": last_hash,
                                   "keyed_from": keyed_from}), encoding="utf-8")
    partial.chmod(0o600)
    partial.replace(path)


def _on_checkin(dbapi_connection: Any, record: Any) -> None:
    """Write the anchor once the event is committed: on checkin the transaction is over, and a
    row that is really there (not rolled back) moves the anchor."""
    pending = record.info.pop(PENDING, None)
    if pending is None or dbapi_connection is None:
        return
    database, last_id, last_hash, keyed_from = pending
    try:
        row = dbapi_connection.execute("SELECT hash FROM audit_event WHERE id = ?",
                                       (last_id,)).fetchone()
        if row is not None and row[0] == last_hash:
            write_anchor(database, last_id, last_hash, keyed_from)
    except Exception:  # noqa: BLE001 (a missed anchor update only weakens, never breaks)
        return


def install(engine: Engine) -> None:
    """Let the engine's connections write the anchor after each committed audit event."""
    from sqlalchemy import event

    event.listen(engine, "checkin", _on_checkin)
