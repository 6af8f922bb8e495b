"""The one way to open the database: SQLite, foreign keys on, WAL, migrated by Alembic.

Opening costs the same for 50 MB and 5 GB: it reads the schema and its version, not every
page. The full check (`quick_check`) runs where it belongs: after an unclean shutdown (a
write-ahead log left behind with nobody at work), on every backup copy, and on `sdesk check`
(`check_database`). Alembic is imported only when the schema is not at SCHEMA_HEAD.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from sdesk.services.platform.errors import DatabaseError
from sdesk.services.platform.sqlite import (
    BUSY_MESSAGE,
    in_use_elsewhere,
    is_busy,
    is_damaged,
    is_plain_sqlite,
    make_engine,
    passphrase_from_env,
)

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
# The newest migration sdesk ships (a test keeps it equal to Alembic's head): a database at
# this revision opens without Alembic.
SCHEMA_HEAD = "0016"


def _alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    """The newest migration revision sdesk ships (read from the migration scripts)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration revision the database is at (None when unmigrated)."""
    with engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if has_table is None:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def migrate(engine: Engine, path: Path | None = None, passphrase: str | None = None) -> None:
    """Bring the schema to head; copy the file first when an existing schema will change."""
    current = current_revision(engine)
    if current == SCHEMA_HEAD:
        return
    from alembic import command

    if current is not None and path is not None and path.exists():
        from sdesk.services.platform.backup import make_backup

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")  # a retried open: a new name
        make_backup(path, path.with_name(f"{path.stem}.voor-migratie-{current}-{stamp}"
                                         f"{path.suffix}"), passphrase=passphrase)
    cfg = _alembic_config()
    # One transaction for every step (the engine says BEGIN itself, so DDL is part of it): a
    # migration cut short leaves the file as it was; the steps are idempotent as well, for
    # files an older sdesk left half-changed.
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _damaged(path: Path | None, detail: str) -> DatabaseError:
    from sdesk.services.platform.backup import newest_backup

    newest = newest_backup(path) if path is not None else None
    way_back = (f" De nieuwste back-up is {newest}; zet die terug met: sdesk restore "
                f"--db {path} {newest}" if newest else " Er is geen back-up gevonden.")
    return DatabaseError(f"De database {path or ''} is beschadigd ({detail}).{way_back}")


def quick_check(engine: Engine, path: Path | None = None) -> None:
    """Raise DatabaseError when SQLite's quick_check finds the file damaged."""
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except Exception as exc:  # sqlite3.DatabaseError: "file is not a database", "malformed"
        raise _damaged(path, str(getattr(exc, "orig", exc))) from exc
    if result != "ok":
        raise _damaged(path, f"quick_check: {result}")


def damage_report(path: Path, exc: BaseException) -> DatabaseError:
    """The Dutch refusal for a damaged page met while working, with the way back."""
    return _damaged(path, str(getattr(exc, "orig", exc)))


def check_database(engine: Engine, path: Path | None = None) -> None:
    """The full check of `sdesk check`: every page (quick_check); DatabaseError (Dutch, with
    the way back to the newest backup) when the file is damaged."""
    quick_check(engine, path)


def _unclean_shutdown(path: Path, key: str | None) -> bool:
    """True when the last process that had the file open did not close it: SQLite removes
    the write-ahead log when the last connection closes, so one left with nobody else at work
    was left by a process that was killed or lost its power."""
    return path.with_name(path.name + "-wal").exists() and not in_use_elsewhere(path, key)


def _read_schema(engine: Engine, path: Path) -> None:
    """Read the schema (page 1 and the schema pages): a file that is no database or whose
    schema is damaged is refused as damaged, at a cost that does not grow with the data."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except Exception as exc:  # sqlite3.DatabaseError: "file is not a database", "malformed"
        if is_busy(exc):
            raise
        raise _damaged(path, str(getattr(exc, "orig", exc))) from exc


def _remove_leftovers(path: Path, key: str | None) -> None:
    """Temporary files of a killed backup, restore or (de)conversion are never complete, and
    a decrypt's holds the data unencrypted: remove them, unless another sdesk is at work."""
    from sdesk.services.platform.backup import leftovers

    stale = leftovers(path) if path.exists() else []
    if stale and not in_use_elsewhere(path, key):
        for leftover in stale:
            with contextlib.suppress(OSError):
                leftover.unlink()


class PassphraseNeeded(DatabaseError):  # noqa: N818 (a question, not a failure)
    """The file is not plain SQLite: encrypted (ask the passphrase) or not a database."""


def open_database(path: Path | str, *, create: bool = True,
                  passphrase: str | None = None) -> Engine:
    """Open (and if needed create and migrate) the database at path, with reference data.

    An encrypted database (SQLCipher) needs its passphrase: the argument, or SDESK_PASSPHRASE.
    """
    from sdesk.services.platform.reference_data import ensure_reference_data

    path = Path(path)
    if not path.exists() and not create:
        raise DatabaseError(f"Database {path} bestaat niet.")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = None
    if path.exists() and not is_plain_sqlite(path):
        key = passphrase or passphrase_from_env()
        if not key:
            raise PassphraseNeeded(
                f"{path} is geen leesbare sdesk-database: geen SQLite-bestand, of versleuteld "
                "(geef dan het wachtwoord, in de opdrachtregel via SDESK_PASSPHRASE).")
    _remove_leftovers(path, key)
    unclean = path.exists() and _unclean_shutdown(path, key)
    engine = make_engine(path, key)
    if key:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
        except Exception as exc:
            engine.dispose()
            raise PassphraseNeeded(f"Onjuist wachtwoord voor {path}, of het bestand is geen "
                                   "sdesk-database.") from exc
    try:
        if unclean:
            quick_check(engine, path)
        else:
            _read_schema(engine, path)
        migrate(engine, path, key)
        ensure_reference_data(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.DatabaseError and friends: report, don't crash
        engine.dispose()
        if is_busy(exc):
            raise DatabaseError(BUSY_MESSAGE) from exc
        if is_damaged(exc):
            raise damage_report(path, exc) from exc
        raise DatabaseError(f"Database {path} kan niet worden geopend: "
                            f"{getattr(exc, 'orig', exc)}") from exc
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker for the engine whose objects stay readable after commit."""
    from sqlalchemy.orm import sessionmaker

    return sessionmaker(engine, expire_on_commit=False)
