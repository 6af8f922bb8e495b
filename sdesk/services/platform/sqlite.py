"""What only the SQLite engine needs: the connection pragmas, the engine for a file (plain or
SQLCipher), raw DBAPI connections for backups, and recognising a busy database."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.engine.interfaces import DBAPIConnection

from sdesk.services.platform import audit_anchor, cache


def busy_timeout_ms() -> int:
    """How long to wait for another process's lock (SDESK_BUSY_TIMEOUT_MS)."""
    try:
        return max(0, int(os.environ.get("SDESK_BUSY_TIMEOUT_MS", "10000")))
    except ValueError:
        return 10000


BUSY_MESSAGE = ("De database wordt op dit moment gebruikt door een ander sdesk-venster of "
                "-proces dat gegevens opslaat. Er is niets gewijzigd; probeer het over een "
                "ogenblik opnieuw.")


def is_busy(exc: BaseException) -> bool:
    """Whether an error means another process holds the database lock."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


STORAGE_MESSAGE = ("Er kon niet naar de schijf worden geschreven (de schijf is vol, het bestand "
                   "mag niet groter worden of de schijf gaf een schrijffout); er is niets "
                   "gewijzigd. Maak ruimte vrij op de schijf en probeer het opnieuw.")


def is_storage_full(exc: BaseException) -> bool:
    """Whether an error means the disk (or the file size limit) is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return "database or disk is full" in text or "disk i/o error" in text


DAMAGED_MESSAGE = ("De database is beschadigd: SQLite kan een deel van het bestand niet lezen. "
                   "Controleer hem met 'sdesk check' en zet zo nodig de nieuwste back-up terug "
                   "met 'sdesk restore'.")


def is_damaged(exc: BaseException) -> bool:
    """Whether an error means the file is damaged (a page that cannot be read)."""
    text = str(getattr(exc, "orig", exc)).lower()
    return "malformed" in text or "file is not a database" in text


def explain(exc: BaseException) -> str | None:
    """The Dutch message for a database error the user can act on; None for the rest."""
    if is_busy(exc):
        return BUSY_MESSAGE
    if is_storage_full(exc):
        return STORAGE_MESSAGE
    if is_damaged(exc):
        return DAMAGED_MESSAGE
    return None


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    # The driver's own transaction handling begins a transaction only before INSERT, UPDATE
    # and DELETE, so CREATE/DROP (a migration step, the bulk load's index drop) committed on
    # the spot and a failure half-way left the file half-changed. sdesk says BEGIN itself
    # (see _on_begin): every statement, DDL included, is part of the transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Another sdesk process writing: wait this long for its lock before giving up.
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
    cursor.close()


# `engine.execution_options(sdesk_begin="IMMEDIATE")`: take the write lock at BEGIN, for a
# transaction that reads before it writes and must not see a stale snapshot (the audit log).
BEGIN_OPTION = "sdesk_begin"


def _on_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(BEGIN_OPTION, "")
    conn.exec_driver_sql(f"BEGIN {mode}" if mode in ("IMMEDIATE", "EXCLUSIVE") else "BEGIN")


def make_engine(path: Path | str, passphrase: str | None = None) -> Engine:
    """An engine on the file (SQLCipher with a passphrase) with sdesk's pragmas and cache hook."""
    if passphrase:
        url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(Path(path)))
        engine = create_engine(url, future=True)
    else:
        engine = create_engine(f"sqlite:///{Path(path)}", future=True)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    cache.install(engine)
    audit_anchor.install(engine)
    return engine


def is_plain_sqlite(path: Path) -> bool:
    """Whether the file is plain SQLite (or empty), not encrypted."""
    with path.open("rb") as fh:
        header = fh.read(16)
    return not header or header.startswith(b"SQLite format 3")


def raw_connect(path: Path, passphrase: str | None = None) -> Any:
    """A DBAPI connection (for backups): sqlite3, or sqlcipher3 with the key set."""
    if not passphrase:
        return sqlite3.connect(path)
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA key = " + quote_literal(passphrase))
    return conn


def driver_connection(conn: Connection) -> DBAPIConnection:
    """The DBAPI connection (sqlite3 or sqlcipher3) behind an open SQLAlchemy connection."""
    raw = conn.connection.dbapi_connection
    if raw is None:  # only once the connection has been invalidated
        raise RuntimeError("De databaseverbinding is al gesloten.")
    return raw


def quote_literal(text: str) -> str:
    """A SQL string literal: 'it''s' (for PRAGMA key and ATTACH, which take no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def passphrase_from_env() -> str | None:
    """The passphrase in SDESK_PASSPHRASE, None when unset or empty."""
    return os.environ.get("SDESK_PASSPHRASE") or None


def in_use_elsewhere(path: Path, key: str | None = None) -> bool:
    """True when another connection (another sdesk window or process) has the file open.

    sdesk keeps its files in WAL mode, and SQLite leaves WAL mode only for a connection that
    has the file to itself; trying it (and going back) tells, without waiting. A file that
    cannot be read here (wrong passphrase, not a database) is left to the caller's own check.
    """
    conn = raw_connect(path, key)
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        if str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            return False
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        return False
    except Exception as exc:  # sqlite3/sqlcipher3 errors
        return is_busy(exc)
    finally:
        conn.close()
