"""Encryption at rest with SQLCipher: convert a database file to and from an encrypted one.

What it protects against: someone who gets the file (a lost laptop, a copied file, a backup
on a share) cannot read it without the passphrase. What it does not: anyone who knows the
passphrase, or malware running while sdesk has the database open; the pseudonym key in the
user's config directory is a separate file and is not encrypted by this.
"""

from __future__ import annotations

from pathlib import Path

from sdesk.services.platform.backup import IN_USE_MESSAGE, make_backup
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.sqlite import in_use_elsewhere, is_plain_sqlite, quote_literal

MIN_LENGTH = 8


class EncryptionError(SdeskError):
    pass


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise EncryptionError(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")


def _refuse_when_in_use(path: Path, key: str | None, what: str) -> None:
    if in_use_elsewhere(path, key):
        raise EncryptionError(IN_USE_MESSAGE.format(path=path, what=what))


def _convert(path: Path, source_key: str | None, target_key: str | None) -> None:
    tmp = path.with_name(path.name + ".omzetten")
    tmp.unlink(missing_ok=True)
    import sqlcipher3  # sqlcipher_export exists only in SQLCipher, also for a plain source

    conn = sqlcipher3.connect(str(path))
    if source_key:
        conn.execute("PRAGMA key = " + quote_literal(source_key))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"ATTACH DATABASE {quote_literal(str(tmp))} AS target KEY "
                     f"{quote_literal(target_key or '')}")
        conn.execute("SELECT sqlcipher_export('target')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA target.user_version = {int(version)}")
        conn.execute("DETACH DATABASE target")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    tmp.replace(path)


def encrypt(path: Path, passphrase: str) -> Path:
    """Encrypt a plain database in place; returns the plain backup made first (keep it safe,
    or delete it: it is as readable as the original was)."""
    path = Path(path)
    if not path.exists():
        raise EncryptionError(f"Database {path} bestaat niet.")
    if not is_plain_sqlite(path):
        raise EncryptionError(f"{path} is al versleuteld (of geen SQLite-bestand).")
    _check_passphrase(passphrase)
    _refuse_when_in_use(path, None, "versleuteld")
    aside = make_backup(path, label="voor-versleutelen")
    _convert(path, None, passphrase)
    return aside


def decrypt(path: Path, passphrase: str) -> None:
    """Decrypt an encrypted database in place; EncryptionError on a wrong passphrase."""
    path = Path(path)
    if not path.exists():
        raise EncryptionError(f"Database {path} bestaat niet.")
    if is_plain_sqlite(path):
        raise EncryptionError(f"{path} is niet versleuteld.")
    _refuse_when_in_use(path, passphrase, "ontsleuteld")
    try:
        _convert(path, passphrase, None)
    except Exception as exc:  # sqlcipher3.DatabaseError: file is not a database
        raise EncryptionError(f"Onjuist wachtwoord voor {path}.") from exc
