"""Putting a backup back without losing the audit trail: the events written after the backup are
carried into the restored database, and the restore itself is an audit event.

A restore is refused while another sdesk has the database open (its later writes would be lost)
and when a plain backup would replace an encrypted database (the data would lie unencrypted on
disk again without anyone deciding so).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sdesk.services.platform import audit
from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.services.platform.backup import (
    IN_USE_MESSAGE,
    BackupError,
    backup_dir,
    check_backup,
    make_backup,
)
from sdesk.services.platform.sqlite import (
    in_use_elsewhere,
    is_plain_sqlite,
    make_engine,
    passphrase_from_env,
)


@dataclass(frozen=True)
class Restored:
    aside: Path | None  # the database as it was, kept in the backups folder
    carried: int  # audit events from after the backup, carried into the restored database
    note: str  # what could not be carried, if anything


def _events_now(db_path: Path, key: str | None) -> tuple[list[audit.StoredEvent], str]:
    """The current database's audit events, or none and why (a damaged or locked-away file)."""
    engine = make_engine(db_path, key)
    try:
        with engine.connect() as conn:
            return audit.stored_events(conn), ""
    except Exception as exc:  # noqa: BLE001 (sqlite3/sqlcipher3 errors of a damaged file)
        return [], (f"de auditregels van na de back-up konden niet worden overgenomen: de "
                    f"huidige database was onleesbaar ({getattr(exc, 'orig', exc)}); ze staan "
                    "nog in de bewaarde kopie")
    finally:
        engine.dispose()


def _keep_aside(db_path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = backup_dir(db_path) / f"{db_path.stem}-voor-herstel-{stamp}{db_path.suffix}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    try:
        make_backup(db_path, aside)
    except Exception:  # noqa: BLE001 (a damaged file: keep its bytes as they are)
        shutil.copy2(db_path, aside)
        aside.chmod(0o600)
    return aside


def restore(db_path: Path, backup: Path, actor: Actor = SYSTEM) -> Restored:
    """Put a backup back; the current file (if any) is kept aside first, the audit events
    written after the backup are carried over, and the restore is logged."""
    from sdesk.services.platform.db import open_database

    db_path, backup = Path(db_path), Path(backup)
    if not backup.exists():
        raise BackupError(f"Back-up {backup} bestaat niet.")
    check_backup(backup)
    backup_key = None if is_plain_sqlite(backup) else passphrase_from_env()
    current_key = None
    if db_path.exists():
        current_key = None if is_plain_sqlite(db_path) else passphrase_from_env()
        if current_key is not None and backup_key is None:
            raise BackupError(
                f"De database {db_path} is versleuteld, de back-up {backup} niet. Terugzetten "
                "zou de gegevens weer onversleuteld op de schijf zetten; er is niets "
                "teruggezet. Kies een versleutelde back-up, of ontsleutel eerst bewust "
                "(sdesk decrypt).")
        if in_use_elsewhere(db_path, current_key):
            raise BackupError(IN_USE_MESSAGE.format(path=db_path, what="teruggezet"))
    events, note = _events_now(db_path, current_key) if db_path.exists() else ([], "")
    aside = _keep_aside(db_path) if db_path.exists() else None
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    partial = db_path.with_name(f".{db_path.name}.herstel")
    shutil.copy2(backup, partial)
    partial.chmod(0o600)
    partial.replace(db_path)

    engine = open_database(db_path, passphrase=backup_key)
    try:
        with engine.execution_options(sdesk_begin="IMMEDIATE").begin() as conn:
            present = {e.hash for e in audit.stored_events(conn)}
            later = [e for e in events if e.hash not in present]
            for e in later:
                audit.append(conn, e.at_utc, e.user, e.role, e.action, e.object, e.row_count,
                             e.purpose)
            what = f"back-up {backup.name} teruggezet; {len(later)} latere auditregels overgenomen"
            audit.record(conn, actor, audit.RESTORE, (what + (f"; {note}" if note else ""))[:200])
    finally:
        engine.dispose()
    return Restored(aside, len(later), note)
