"""Consistent copies of the database (SQLite's online backup API) and the way back.

Automatic copies go to a `backups` folder next to the database, before every import that
would change a database holding data (and before every migration, see db.py); the newest
`KEEP` automatic copies are kept.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import SdeskError

KEEP = 5
IN_USE_MESSAGE = ("De database {path} is geopend in een ander sdesk-venster of -proces. Sluit "
                  "dat eerst en probeer het opnieuw; er is niets {what}.")


class BackupError(SdeskError):
    pass


def backup_dir(db_path: Path) -> Path:
    """The folder that holds a database's backups."""
    return db_path.parent / "backups"


def make_backup(db_path: Path, target: Path | None = None, label: str = "handmatig",
                passphrase: str | None = None) -> Path:
    """Copy the database consistently, also while another connection is writing.
    An encrypted database gives an encrypted copy with the same passphrase.

    The copy is written under a temporary name, checked (it opens, quick_check, sdesk's
    schema) and only then renamed, so a full disk or a killed process never leaves a file
    that looks like a backup. The file is readable by the user only."""
    from sdesk.services.platform.sqlite import (
        is_plain_sqlite,
        is_storage_full,
        passphrase_from_env,
        raw_connect,
    )

    db_path = Path(db_path)
    if not db_path.exists():
        raise BackupError(f"Database {db_path} bestaat niet.")
    if target is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = backup_dir(db_path) / f"{db_path.stem}-{label}-{stamp}{db_path.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise BackupError(f"{target} bestaat al; kies een andere naam.")
    key = None if is_plain_sqlite(db_path) else (passphrase or passphrase_from_env())
    partial = target.with_name(f".{target.name}.deel")
    partial.unlink(missing_ok=True)
    try:
        partial.touch(mode=0o600)
        source = raw_connect(db_path, key)
        try:
            destination = raw_connect(partial, key)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        check_backup(partial, key)
        partial.replace(target)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError) or is_storage_full(exc):
            reason = exc.strerror if isinstance(exc, OSError) else None
            raise BackupError(f"De back-up {target} kon niet worden geschreven "
                              f"({reason or getattr(exc, 'orig', exc)}); er is geen back-up "
                              "gemaakt. Maak ruimte vrij op de schijf en probeer het "
                              "opnieuw.") from exc
        raise
    return target


def backup_by(engine: Engine, actor: Actor, db_path: Path, target: Path | None = None) -> Path:
    """A backup a user asked for, recorded in the audit log of the database it copies."""
    from sdesk.services.platform import audit

    path = make_backup(db_path, target)
    audit.log(engine, actor, "backup", str(path))
    return path


def auto_backup(db_path: Path, label: str) -> Path:
    """Make a backup and keep only the newest automatic ones."""
    path = make_backup(db_path, label=label)
    automatic = sorted(p for p in backup_dir(db_path).glob(f"{db_path.stem}-*{db_path.suffix}")
                       if "handmatig" not in p.name)
    for old in automatic[:-KEEP]:
        old.unlink(missing_ok=True)
    return path


def backup_before_import(engine: Engine) -> None:
    """A consistent copy before an import, when there is something to lose (DESIGN section 8)."""
    database = engine.url.database
    if not database:
        return
    with engine.connect() as conn:
        has_data = conn.exec_driver_sql("SELECT 1 FROM household LIMIT 1").first()
    if has_data:
        auto_backup(Path(database), "voor-import")


def newest_backup(db_path: Path) -> Path | None:
    """The most recent backup of a database (migration copies included) that can be one:
    empty files, files that are not SQLite and plain SQLite files without sdesk's schema
    are passed over."""
    folder = backup_dir(Path(db_path))
    candidates = list(folder.glob(f"{Path(db_path).stem}-*")) if folder.exists() else []
    candidates += list(Path(db_path).parent.glob(f"{Path(db_path).stem}.voor-migratie-*"))
    for path in sorted(candidates, key=lambda p: p.stat().st_mtime, reverse=True):
        if _looks_restorable(path):
            return path
    return None


def leftovers(db_path: Path) -> list[Path]:
    """Files a killed backup, restore, encrypt or decrypt left behind: never complete, and a
    decrypt's may hold the data unencrypted."""
    db_path = Path(db_path)
    found = [db_path.with_name(f".{db_path.name}.{what}") for what in ("omzetten", "herstel")]
    found += [db_path.with_name(f"{db_path.name}.{what}") for what in ("omzetten", "herstel")]
    folder = backup_dir(db_path)
    if folder.exists():
        found += folder.glob(f".{db_path.stem}-*.deel")
    found += db_path.parent.glob(f".{db_path.stem}.voor-migratie-*.deel")
    return [p for p in found if p.exists()]


def _looks_restorable(path: Path) -> bool:
    from sdesk.services.platform.sqlite import is_plain_sqlite

    try:
        if path.name.startswith(".") or path.stat().st_size == 0:
            return False
        if not is_plain_sqlite(path):
            return True  # encrypted: checked with the passphrase when it is restored
        check_backup(path, None)
    except (OSError, BackupError):
        return False
    return True


def check_backup(path: Path, key: str | None = None) -> None:
    """Refuse (BackupError, in Dutch) a file that is no usable sdesk database: empty, not
    SQLite, unreadable, damaged, or without sdesk's schema. `key`: the passphrase of an
    encrypted file (default SDESK_PASSPHRASE)."""
    from sdesk.services.platform.sqlite import is_plain_sqlite, passphrase_from_env, raw_connect

    if path.stat().st_size == 0:
        raise BackupError(f"Back-up {path} is leeg (0 bytes), bijvoorbeeld doordat de schijf "
                          "vol was; kies een andere back-up.")
    if not is_plain_sqlite(path):
        key = key or passphrase_from_env()
        if not key:
            raise BackupError(f"{path} is geen SQLite-bestand, of versleuteld (geef dan het "
                              "wachtwoord via SDESK_PASSPHRASE).")
    else:
        key = None
    conn = raw_connect(path, key)
    try:
        result = conn.execute("PRAGMA quick_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                             "'table'").fetchall()}
    except Exception as exc:  # sqlite3/sqlcipher3 DatabaseError
        raise BackupError(f"Back-up {path} is onleesbaar: {exc}") from exc
    finally:
        conn.close()
    if result != "ok":
        raise BackupError(f"Back-up {path} is beschadigd ({result}).")
    if not {"alembic_version", "household", "audit_event"} <= tables:
        raise BackupError(f"{path} is geen sdesk-database (de tabellen van sdesk ontbreken); "
                          "kies een back-up die sdesk heeft gemaakt.")
