"""The command line: thin, Dutch messages, exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sdesk import __version__
from sdesk.cli import main
from tests.integration.exchange_data import write_folder


def test_version() -> None:
    out = subprocess.run([sys.executable, "-m", "sdesk", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == f"sdesk {__version__}"


def test_import_json_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_folder(tmp_path / "data")
    code = main(["import", "--db", str(tmp_path / "x.sqlite"), "--json", str(folder)])
    assert code == 0
    counts = json.loads(capsys.readouterr().out)["imported"]
    assert counts["toewijzingen"] == 4
    assert counts["declaraties"] == 3


def test_not_a_database_is_a_message_not_a_traceback(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "notes.sqlite"
    fake.write_text("dit is geen database")
    code = main(["import", "--db", str(fake), str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "geen SQLite-bestand" in err
    assert "Traceback" not in err
    assert fake.read_text() == "dit is geen database"
