"""Encryption at rest with SQLCipher: convert a database file to and from an encrypted one.

What it protects against: someone who gets the file (a lost laptop, a copied file, a backup
on a share) cannot read it without the passphrase. What it does not: anyone who knows the
passphrase, or malware running while sdesk has the database open; the pseudonym key and the
audit key in the user's config directory are separate files and are not encrypted by this.

Every conversion writes a copy under a temporary name, checks it and only then renames it over
the original, so a killed process leaves the original whole. `encrypt` also encrypts every
backup of the database it finds and removes what killed processes left behind, because an
encrypted database next to plain copies of the same data protects nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from sdesk.services.platform import audit
from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.services.platform.backup import (
    IN_USE_MESSAGE,
    BackupError,
    backup_dir,
    check_backup,
    leftovers,
)
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.sqlite import (
    in_use_elsewhere,
    is_plain_sqlite,
    make_engine,
    quote_literal,
)

MIN_LENGTH = 8


class EncryptionError(SdeskError):
    pass


@dataclass
class Encrypted:
    """What `encrypt` did besides the database itself (to tell the user)."""

    backups: list[Path] = field(default_factory=list)  # plain backups now encrypted
    removed: list[Path] = field(default_factory=list)  # leftovers and unusable plain copies


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_LENGTH:
        raise EncryptionError(f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens.")


def _refuse_when_in_use(path: Path, key: str | None, what: str) -> None:
    if in_use_elsewhere(path, key):
        raise EncryptionError(IN_USE_MESSAGE.format(path=path, what=what))


def _convert(path: Path, source_key: str | None, target_key: str | None) -> None:
    """Rewrite `path` with another key (None: plain): a temporary copy, checked, renamed."""
    partial = path.with_name(f".{path.name}.omzetten")
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)  # a decrypted copy is readable by the user only, from the start
    import sqlcipher3  # sqlcipher_export exists only in SQLCipher, also for a plain source

    try:
        conn = sqlcipher3.connect(str(path))
        try:
            if source_key:
                conn.execute("PRAGMA key = " + quote_literal(source_key))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute(f"ATTACH DATABASE {quote_literal(str(partial))} AS target KEY "
                         f"{quote_literal(target_key or '')}")
            conn.execute("SELECT sqlcipher_export('target')")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"PRAGMA target.user_version = {int(version)}")
            conn.execute("DETACH DATABASE target")
        finally:
            conn.close()
        check_backup(partial, target_key)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    partial.replace(path)


def _log(path: Path, key: str | None, actor: Actor, action: str, what: str) -> None:
    engine = make_engine(path, key)
    try:
        audit.log(engine, actor, action, what[:200])
    finally:
        engine.dispose()


def _copies(path: Path) -> list[Path]:
    """Every backup of this database sdesk makes: the backups folder and migration copies."""
    folder = backup_dir(path)
    found = list(folder.glob(f"{path.stem}-*")) if folder.exists() else []
    found += path.parent.glob(f"{path.stem}.voor-migratie-*")
    return sorted(p for p in found if p.is_file() and not p.name.startswith("."))


def _encrypt_copies(path: Path, passphrase: str, done: Encrypted) -> None:
    for copy in _copies(path):
        if copy.stat().st_size and not is_plain_sqlite(copy):
            continue  # encrypted already
        try:
            check_backup(copy, None)
        except (BackupError, OSError):
            copy.unlink(missing_ok=True)  # empty or unusable: nothing to keep, nothing to leak
            done.removed.append(copy)
            continue
        _convert(copy, None, passphrase)
        done.backups.append(copy)


def remove_leftovers(path: Path) -> list[Path]:
    """Delete what a killed backup, restore or conversion left next to the database."""
    removed = []
    for leftover in leftovers(path):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    return removed


def encrypt(path: Path, passphrase: str, actor: Actor = SYSTEM) -> Encrypted:
    """Encrypt a plain database in place, and with it every backup it has; leftovers of
    killed processes are removed. Returns what was done to the copies."""
    path = Path(path)
    if not path.exists():
        raise EncryptionError(f"Database {path} bestaat niet.")
    if not is_plain_sqlite(path):
        raise EncryptionError(f"{path} is al versleuteld (of geen SQLite-bestand).")
    _check_passphrase(passphrase)
    _refuse_when_in_use(path, None, "versleuteld")
    done = Encrypted(removed=remove_leftovers(path))
    try:
        _convert(path, None, passphrase)
    except (BackupError, OSError) as exc:
        raise EncryptionError(f"Versleutelen van {path} is mislukt ({exc}); de database is "
                              "onveranderd. Maak ruimte vrij op de schijf en probeer het "
                              "opnieuw.") from exc
    _encrypt_copies(path, passphrase, done)
    _log(path, passphrase, actor, audit.ENCRYPT,
         f"database versleuteld; {len(done.backups)} back-ups versleuteld, "
         f"{len(done.removed)} onbruikbare kopieën verwijderd")
    return done


def decrypt(path: Path, passphrase: str, actor: Actor = SYSTEM) -> None:
    """Decrypt an encrypted database in place; EncryptionError on a wrong passphrase. Its
    backups stay encrypted (restoring one asks for the passphrase)."""
    path = Path(path)
    if not path.exists():
        raise EncryptionError(f"Database {path} bestaat niet.")
    if is_plain_sqlite(path):
        raise EncryptionError(f"{path} is niet versleuteld.")
    _refuse_when_in_use(path, passphrase, "ontsleuteld")
    remove_leftovers(path)
    try:
        _convert(path, passphrase, None)
    except BackupError as exc:
        raise EncryptionError(f"Ontsleutelen van {path} is mislukt ({exc}); de database is "
                              "onveranderd en nog versleuteld.") from exc
    except Exception as exc:  # sqlcipher3.DatabaseError: file is not a database
        raise EncryptionError(f"Onjuist wachtwoord voor {path}.") from exc
    _log(path, None, actor, audit.DECRYPT, "database ontsleuteld; back-ups blijven versleuteld")
