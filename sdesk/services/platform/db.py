"""The one way to open the database: SQLite, foreign keys on, WAL, migrated by Alembic."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from sdesk.services.platform.errors import DatabaseError

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def busy_timeout_ms() -> int:
    try:
        return max(0, int(os.environ.get("SDESK_BUSY_TIMEOUT_MS", "10000")))
    except ValueError:
        return 10000


BUSY_MESSAGE = ("De database wordt op dit moment gebruikt door een ander sdesk-venster of "
                "-proces dat gegevens opslaat. Er is niets gewijzigd; probeer het over een "
                "ogenblik opnieuw.")


def is_busy(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Another sdesk process writing: wait this long for its lock before giving up.
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.close()


def make_engine(path: Path | str, passphrase: str | None = None) -> Engine:
    if passphrase:
        url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(Path(path)))
        engine = create_engine(url, future=True)
    else:
        engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    event.listen(engine, "connect", _on_connect)
    return engine


def is_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        header = fh.read(16)
    return not header or header.startswith(b"SQLite format 3")


def raw_connect(path: Path, passphrase: str | None = None) -> Any:
    """A DBAPI connection (for backups): sqlite3, or sqlcipher3 with the key set."""
    if not passphrase:
        return sqlite3.connect(path)
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA key = " + _quote(passphrase))
    return conn


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def passphrase_from_env() -> str | None:
    return os.environ.get("SDESK_PASSPHRASE") or None


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_file(path: Path, label: str, passphrase: str | None = None) -> Path:
    """Consistent copy next to the database (SQLite online backup API)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}{path.suffix}")
    src = raw_connect(path, passphrase)
    try:
        dst = raw_connect(target, passphrase)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def migrate(engine: Engine, path: Path | None = None, passphrase: str | None = None) -> None:
    """Bring the schema to head; copy the file first when an existing schema will change."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is not None and path is not None and path.exists():
        backup_file(path, f"voor-migratie-{current}", passphrase)
    cfg = _alembic_config()
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
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
    except Exception as exc:  # sqlite3.DatabaseError: "file is not a database", "malformed"
        raise _damaged(path, str(getattr(exc, "orig", exc))) from exc
    if result != "ok":
        raise _damaged(path, f"quick_check: {result}")


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
        quick_check(engine, path)
        migrate(engine, path, key)
        ensure_reference_data(engine)
    except DatabaseError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.DatabaseError and friends: report, don't crash
        engine.dispose()
        if is_busy(exc):
            raise DatabaseError(BUSY_MESSAGE) from exc
        raise DatabaseError(f"Database {path} kan niet worden geopend: "
                            f"{getattr(exc, 'orig', exc)}") from exc
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
