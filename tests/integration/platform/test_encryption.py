"""Encryption at rest: unreadable without the passphrase, readable with it, clear messages."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.backup import make_backup
from sdesk.services.platform.db import PassphraseNeeded, open_database
from sdesk.services.platform.encryption import EncryptionError, decrypt, encrypt
from tests.integration.exchange_data import write_folder

SECRET = "correct paard batterij"


@pytest.fixture
def filled(engine: Engine, db_path: Path, tmp_path: Path) -> Path:
    assert import_sources(engine, [write_folder(tmp_path / "base")]).ok
    engine.dispose()
    return db_path


def _households(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql(
            "SELECT external_id FROM household ORDER BY 1")]


def test_encrypted_file_needs_the_passphrase(filled: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    encrypt(filled, SECRET)
    assert b"Jansen" not in filled.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(filled).execute("SELECT * FROM household").fetchall()
    monkeypatch.delenv("SDESK_PASSPHRASE", raising=False)
    with pytest.raises(PassphraseNeeded, match="versleuteld"):
        open_database(filled)
    with pytest.raises(PassphraseNeeded, match="Onjuist wachtwoord"):
        open_database(filled, passphrase="verkeerd wachtwoord")
    engine = open_database(filled, passphrase=SECRET)
    assert _households(engine) == ["H1", "H2"]
    engine.dispose()
    # A backup of an encrypted database is encrypted too.
    copy = make_backup(filled, passphrase=SECRET)
    assert b"SQLite format 3" not in copy.read_bytes()[:16]


def test_cli_round_trip_with_environment_passphrase(filled: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SDESK_PASSPHRASE", SECRET)
    assert main(["encrypt", "--db", str(filled)]) == 0
    assert main(["household", "--db", str(filled), "H1", "--at", "2024-06-30", "--json",
                 "--user", "M1"]) == 0
    assert '"household_id": "H1"' in capsys.readouterr().out
    monkeypatch.setenv("SDESK_PASSPHRASE", "iets anders dan dat")
    assert main(["household", "--db", str(filled), "H1", "--json"]) == 2
    err = capsys.readouterr().err
    assert "Onjuist wachtwoord" in err and "Traceback" not in err
    monkeypatch.setenv("SDESK_PASSPHRASE", SECRET)
    assert main(["decrypt", "--db", str(filled)]) == 0
    assert filled.read_bytes().startswith(b"SQLite format 3")
    engine = open_database(filled)
    assert _households(engine) == ["H1", "H2"]
    engine.dispose()


def test_refusals(filled: Path) -> None:
    with pytest.raises(EncryptionError, match="minstens 8"):
        encrypt(filled, "kort")
    with pytest.raises(EncryptionError, match="niet versleuteld"):
        decrypt(filled, SECRET)
    encrypt(filled, SECRET)
    with pytest.raises(EncryptionError, match="al versleuteld"):
        encrypt(filled, SECRET)
    with pytest.raises(EncryptionError, match="Onjuist wachtwoord"):
        decrypt(filled, "verkeerd wachtwoord")
