"""Backups that can be trusted: a backup appears only once it is complete and checked, and an
empty, foreign or damaged file is never offered or restored."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.platform.backup import (
    BackupError,
    backup_dir,
    make_backup,
    newest_backup,
)
from sdesk.services.platform.recovery import restore


def _households(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM household").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def filled(engine: Engine, db_path: Path) -> Path:
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H1'), ('H2')")
    engine.dispose()
    return db_path


def test_an_empty_file_is_not_offered_and_not_restored(filled: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    good = make_backup(filled)
    empty = backup_dir(filled) / f"{filled.stem}-voor-import-29991231-000000-000000.sqlite"
    empty.touch()  # what a full disk leaves behind, newer than the good backup
    os.utime(empty, (good.stat().st_mtime + 60, good.stat().st_mtime + 60))
    assert newest_backup(filled) == good
    with pytest.raises(BackupError, match="is leeg"):
        restore(filled, empty)
    assert _households(filled) == 2
    assert main(["restore", "--db", str(filled), str(empty)]) != 0
    assert "is leeg (0 bytes)" in capsys.readouterr().err
    assert _households(filled) == 2


def test_a_foreign_sqlite_file_is_refused(filled: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "ander.sqlite"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE recepten (naam TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError, match="geen sdesk-database"):
        restore(filled, foreign)
    assert _households(filled) == 2


def test_a_backup_that_fails_leaves_nothing(filled: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk halfway: no file that looks like a backup, and a Dutch message."""
    from sdesk.services.platform import sqlite as sqlite_module

    real = sqlite_module.raw_connect
    calls: list[Path] = []

    class FullDisk:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, target: object) -> None:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            self.conn.close()

    def connect(path: Path, key: str | None = None) -> object:
        calls.append(Path(path))
        conn = real(path, key)
        return FullDisk(conn) if len(calls) == 1 else conn

    monkeypatch.setattr(sqlite_module, "raw_connect", connect)
    target = tmp_path / "kopie.sqlite"
    with pytest.raises(BackupError, match="geen back-up gemaakt"):
        make_backup(filled, target)
    assert calls  # the copy was attempted
    assert list(tmp_path.glob("*kopie*")) == []


def test_a_backup_is_readable_by_the_user_only(filled: Path) -> None:
    path = make_backup(filled)
    assert _households(path) == 2
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


HOLD_OPEN = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1])
conn.execute("SELECT COUNT(*) FROM household").fetchall()
print("open", flush=True)
sys.stdin.readline()
"""


def test_restore_and_encrypt_wait_for_the_other_process(filled: Path,
                                                        capsys: pytest.CaptureFixture[str]
                                                        ) -> None:
    """Another sdesk has the file open: restore and encrypt are refused (its later writes
    would be lost), nothing changes; once it has closed, they go ahead."""
    import subprocess
    import sys

    from sdesk.services.platform.encryption import EncryptionError, encrypt
    from sdesk.services.platform.sqlite import is_plain_sqlite

    copy = make_backup(filled)
    conn = sqlite3.connect(filled)
    conn.execute("INSERT INTO household (external_id) VALUES ('H3')")
    conn.commit()
    conn.close()
    other = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(filled)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        with pytest.raises(BackupError, match="geopend in een ander sdesk-venster"):
            restore(filled, copy)
        with pytest.raises(EncryptionError, match="er is niets versleuteld"):
            encrypt(filled, "een lang wachtwoord")
        assert main(["restore", "--db", str(filled), str(copy)]) != 0
        assert "Sluit dat eerst" in capsys.readouterr().err
        assert _households(filled) == 3 and is_plain_sqlite(filled)
    finally:
        other.communicate("\n", timeout=30)
    restore(filled, copy)
    assert _households(filled) == 2
