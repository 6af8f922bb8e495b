"""Restore, encrypt and decrypt that lose nothing and leak nothing (#14 items 2, 3 and 8): a
restore carries the audit events written after the backup and is logged; encrypt takes every
backup along and leaves no plain copy; a plain backup never replaces an encrypted database; a
kill at the worst moment leaves the database whole and no unencrypted leftover."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange import import_sources
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.backup import BackupError, backup_dir, make_backup, newest_backup
from sdesk.services.platform.db import open_database
from sdesk.services.platform.encryption import decrypt, encrypt
from sdesk.services.platform.recovery import restore
from tests.integration.exchange_data import write_folder

ROOT = Path(__file__).resolve().parents[3]
SECRET = "correct paard batterij"
KIM = Actor("Kim", "klantmanager")
PIET = b"Jansen"  # a surname in the data set: must never be readable in a file after encrypt


@pytest.fixture
def filled(engine: Engine, db_path: Path, tmp_path: Path) -> Path:
    assert import_sources(engine, [write_folder(tmp_path / "basis")]).ok
    engine.dispose()
    return db_path


def _events(db_path: Path, passphrase: str | None = None) -> list[tuple[int, str, str | None]]:
    engine = open_database(db_path, passphrase=passphrase)
    try:
        with engine.connect() as conn:
            return [(e.id, e.action, e.object) for e in audit.stored_events(conn)]
    finally:
        engine.dispose()


def _verified(db_path: Path, passphrase: str | None = None) -> audit.Verification:
    engine = open_database(db_path, passphrase=passphrase)
    try:
        return audit.verify(engine)
    finally:
        engine.dispose()


def _files_holding(folder: Path, needle: bytes) -> list[Path]:
    """Files sdesk wrote next to the database (not the CSV files the test imported)."""
    return [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".csv"
            and needle in p.read_bytes()]


def test_restore_carries_the_later_audit_events_and_is_logged(filled: Path,
                                                              tmp_path: Path) -> None:
    copy = make_backup(filled, tmp_path / "kopie.sqlite")
    engine = open_database(filled)
    audit.log(engine, KIM, audit.VIEW, "huishouden H1", 2)
    audit.log(engine, KIM, audit.EXPORT, "werklijst -> x.xlsx", 5, "overleg")
    engine.dispose()
    before = _events(filled)

    done = restore(filled, copy, KIM)

    after = _events(filled)
    assert done.carried == 2 and done.note == ""
    assert after[:-1] == before  # the same rows, with the same ids
    assert after[-1][1:] == ("restore", "back-up kopie.sqlite teruggezet; 2 latere "
                                        "auditregels overgenomen")
    assert _verified(filled).ok


def test_restore_over_a_damaged_database_says_what_it_could_not_carry(filled: Path,
                                                                      tmp_path: Path) -> None:
    copy = make_backup(filled, tmp_path / "kopie.sqlite")
    for suffix in ("-wal", "-shm"):
        Path(f"{filled}{suffix}").unlink(missing_ok=True)
    filled.write_bytes(b"\x00" * 4096)  # not a database any more

    done = restore(filled, copy, KIM)

    assert done.carried == 0 and "onleesbaar" in done.note
    assert done.aside is not None and done.aside.read_bytes() == b"\x00" * 4096
    last = _events(filled)[-1]
    assert last[1] == "restore" and "onleesbaar" in (last[2] or "")
    assert _verified(filled).ok


def test_a_plain_backup_never_replaces_an_encrypted_database(filled: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]
                                                             ) -> None:
    plain = make_backup(filled, tmp_path / "oud-onversleuteld.sqlite")
    encrypt(filled, SECRET)
    monkeypatch.setenv("SDESK_PASSPHRASE", SECRET)
    before = filled.read_bytes()
    with pytest.raises(BackupError, match="is versleuteld, de back-up .* niet"):
        restore(filled, plain)
    assert main(["restore", "--db", str(filled), str(plain)]) != 0
    assert "onversleuteld op de schijf" in capsys.readouterr().err
    assert filled.read_bytes() == before


def test_encrypt_takes_every_backup_along_and_says_so(filled: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    manual = make_backup(filled)  # backups/test-handmatig-....sqlite
    empty = backup_dir(filled) / f"{filled.stem}-voor-import-leeg{filled.suffix}"
    empty.write_bytes(b"")
    leftover = filled.with_name(f".{filled.name}.omzetten")  # a killed decrypt's plain copy
    leftover.write_bytes(filled.read_bytes())
    assert len(_files_holding(filled.parent, PIET)) >= 3

    monkeypatch.setenv("SDESK_PASSPHRASE", SECRET)
    assert main(["encrypt", "--db", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "ook 1 back-up(s)" in out
    assert f"versleuteld: {manual}" in out and f"verwijderd:  {empty}" in out

    assert _files_holding(filled.parent, PIET) == []
    assert not empty.exists() and not leftover.exists()
    assert newest_backup(filled) == manual  # still offered, and restorable with the passphrase
    restore(filled, manual)
    events = _events(filled, SECRET)
    assert [e[1] for e in events[-2:]] == ["encrypt", "restore"]
    assert "database versleuteld; 1 back-ups versleuteld" in (events[-2][2] or "")


def test_decrypt_is_logged_and_keeps_backups_encrypted(filled: Path) -> None:
    encrypt(filled, SECRET)
    copy = make_backup(filled, passphrase=SECRET)
    decrypt(filled, SECRET, KIM)
    assert filled.read_bytes().startswith(b"SQLite format 3")
    assert not copy.read_bytes().startswith(b"SQLite format 3")
    events = _events(filled)
    assert events[-1][1:] == ("decrypt", "database ontsleuteld; back-ups blijven versleuteld")
    assert [e[1] for e in events].count("encrypt") == 1
    assert _verified(filled).ok


# -- killed at the worst moment -------------------------------------------------------------

def _killed(code: str, *args: str, passphrase: str | None = None) -> None:
    """Run `code` in a fresh process that SIGKILLs itself where the code says; assert it died."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if passphrase:
        env["SDESK_PASSPHRASE"] = passphrase
    child = subprocess.run([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr


_KILL_AT_CHECK = """
    import os, signal, sys
    from pathlib import Path
    from sdesk.services.platform import backup, encryption

    def check_then_die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)  # the copy is complete, not yet renamed

    encryption.check_backup = check_then_die
    backup.check_backup = check_then_die
    what, db = sys.argv[1], Path(sys.argv[2])
    if what == "decrypt":
        encryption.decrypt(db, os.environ["SDESK_PASSPHRASE"])
    elif what == "encrypt":
        encryption.encrypt(db, "correct paard batterij")
    else:
        backup.make_backup(db)
"""


def test_a_decrypt_killed_before_the_rename_leaves_no_plain_copy(filled: Path) -> None:
    encrypt(filled, SECRET)
    before = _events(filled, SECRET)
    _killed(_KILL_AT_CHECK, "decrypt", str(filled), passphrase=SECRET)
    leftover = filled.with_name(f".{filled.name}.omzetten")
    assert PIET in leftover.read_bytes()  # the worst case: a whole plain copy on disk
    assert oct(leftover.stat().st_mode & 0o777) == "0o600"  # ... readable by the user only
    assert not filled.read_bytes().startswith(b"SQLite format 3")

    assert _events(filled, SECRET) == before  # the next start clears it away
    assert not leftover.exists()
    assert _files_holding(filled.parent, PIET) == []


def test_an_encrypt_killed_before_the_rename_leaves_the_plain_database_whole(filled: Path
                                                                             ) -> None:
    before = _events(filled)
    _killed(_KILL_AT_CHECK, "encrypt", str(filled))
    assert filled.read_bytes().startswith(b"SQLite format 3")
    assert _events(filled) == before
    encrypt(filled, SECRET)  # and encrypting again works, the leftover removed
    assert _files_holding(filled.parent, PIET) == []


def test_a_backup_killed_before_the_check_is_never_offered(filled: Path) -> None:
    _killed(_KILL_AT_CHECK, "backup", str(filled))
    partial = list(backup_dir(filled).glob(".*.deel"))
    assert len(partial) == 1
    assert newest_backup(filled) is None
    engine = open_database(filled)
    engine.dispose()
    assert not partial[0].exists()


_KILL_IN_RESTORE = """
    import os, signal, sys
    from pathlib import Path
    from sdesk.services.platform import recovery

    real_copy = recovery.shutil.copy2

    def copy_then_die(source, target, *args, **kwargs):
        real_copy(source, target, *args, **kwargs)
        if str(target).endswith(".herstel"):
            os.kill(os.getpid(), signal.SIGKILL)  # the backup copied, not yet in place

    recovery.shutil.copy2 = copy_then_die
    recovery.restore(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_a_restore_killed_half_way_leaves_the_database_as_it_was(filled: Path,
                                                                 tmp_path: Path) -> None:
    copy = make_backup(filled, tmp_path / "kopie.sqlite")
    engine = open_database(filled)
    audit.log(engine, KIM, audit.VIEW, "na de back-up")
    engine.dispose()
    before = _events(filled)
    _killed(_KILL_IN_RESTORE, str(filled), str(copy))
    assert _events(filled) == before
    assert not filled.with_name(f".{filled.name}.herstel").exists()  # cleared on open
    assert _verified(filled).ok


def _limited_file_size(limit: int) -> None:  # runs in the child, before exec
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_a_backup_leaves_nothing_and_says_why(filled: Path) -> None:
    size = filled.stat().st_size
    child = subprocess.run(
        [sys.executable, "-m", "sdesk", "backup", "--db", str(filled)], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=120, preexec_fn=lambda: _limited_file_size(size // 2))
    assert child.returncode != 0
    assert "kon niet worden geschreven" in child.stderr and "Traceback" not in child.stderr
    assert list(backup_dir(filled).glob("*")) == []


def test_a_full_disk_during_an_import_changes_nothing(filled: Path, tmp_path: Path) -> None:
    header = ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
              "bedrag"]
    rows = [header] + [[f"V{i}", "2001", "wmo", "2024-03-01", "2024-03-31", "1,00"]
                       for i in range(30_000)]
    folder = write_folder(tmp_path / "veel", {"declaraties": rows})
    before = sqlite3.connect(filled).execute("SELECT count(*) FROM claim").fetchone()[0]
    limit = filled.stat().st_size * 3  # room for the backup before the import, not the claims
    child = subprocess.run(
        [sys.executable, "-m", "sdesk", "import", "--db", str(filled), str(folder)], cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=300, preexec_fn=lambda: _limited_file_size(limit))
    assert child.returncode != 0, child.stdout
    assert "Traceback" not in child.stderr and "schijf" in child.stderr, child.stderr
    conn = sqlite3.connect(filled)
    try:
        assert conn.execute("SELECT count(*) FROM claim").fetchone()[0] == before
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
