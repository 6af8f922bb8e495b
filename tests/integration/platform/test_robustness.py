"""Input that can never corrupt data: killed imports, two processes, fuzzed files."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import ImportResult, import_sources
from sdesk.services.platform.db import open_database
from tests.integration.exchange_data import BASE, dump, write_csv, write_folder


def _bulk(folder: Path, n: int = 30_000) -> Path:
    write_folder(folder, {k: BASE[k] for k in ("huishoudens", "personen", "medewerkers",
                                               "tarieven", "toewijzingen")})
    header = ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
              "bedrag"]
    write_csv(folder, "declaraties", [header] + [
        [f"K{i}", "2001", "wmo", "2024-03-01", "2024-03-31", "1,00"] for i in range(n)])
    return folder


def test_import_killed_halfway_leaves_the_database_as_it_was(engine: Engine, db_path: Path,
                                                             tmp_path: Path) -> None:
    assert import_sources(engine, [write_folder(tmp_path / "base")]).ok
    engine.dispose()
    before = dump(db_path)
    folder = _bulk(tmp_path / "bulk")
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from sdesk.services.platform.db import open_database
        from sdesk.services.exchange.importer import import_sources
        engine = open_database(Path({str(db_path)!r}))
        seen = []
        def progress(fraction, message):
            seen.append(message)
            # Claims written, transaction still open: pull the plug.
            if seen.count("Opslaan: declaraties.csv") >= 2:
                os.kill(os.getpid(), signal.SIGKILL)
        import_sources(engine, [Path({str(folder)!r})], progress=progress)
        print("not killed")
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == -9, proc.stdout + proc.stderr
    assert dump(db_path) == before
    check = open_database(db_path)  # quick_check passes, WAL recovered
    check.dispose()


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO meta (key, value) VALUES ('lock-test', 'x')")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


def _hold_lock(db_path: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_second_process_gets_a_clear_message_when_it_cannot_wait(
        engine: Engine, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert import_sources(engine, [write_folder(tmp_path / "base")]).ok
    engine.dispose()
    before = dump(db_path)
    monkeypatch.setenv("SDESK_BUSY_TIMEOUT_MS", "300")
    more = write_folder(tmp_path / "more", {"huishoudens": [["huishouden_id"], ["H7"]]})
    holder = _hold_lock(db_path, 4)
    try:
        code = main(["import", "--db", str(db_path), str(more)])
    finally:
        holder.wait(timeout=30)
    err = capsys.readouterr().err
    assert code != 0
    assert "gebruikt door een ander sdesk-venster" in err and "Traceback" not in err
    assert dump(db_path) == before


def test_second_process_waits_for_a_short_lock(engine: Engine, db_path: Path,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    engine.dispose()
    monkeypatch.setenv("SDESK_BUSY_TIMEOUT_MS", "15000")
    holder = _hold_lock(db_path, 1)
    try:
        assert main(["import", "--db", str(db_path), str(write_folder(tmp_path / "b"))]) == 0
    finally:
        holder.wait(timeout=30)


# -- fuzzing: every outcome is a clean import or a clean refusal -------------------------------

_FUZZ_DIR = Path(tempfile.mkdtemp(prefix="sdesk-fuzz-"))
_FUZZ_ENGINE = None


def _fuzz_engine() -> Engine:
    global _FUZZ_ENGINE
    if _FUZZ_ENGINE is None:
        _FUZZ_ENGINE = open_database(_FUZZ_DIR / "fuzz.sqlite")
    return _FUZZ_ENGINE


def _csv_text(rows: list[list[str]]) -> str:
    return "\n".join(";".join(r) for r in rows)


def _mutate(text: str, cuts: list[tuple[int, str]]) -> str:
    for position, insert in cuts:
        p = position % (len(text) + 1)
        text = text[:p] + insert + text[p + 1:]
    return text


FILES = sorted(BASE)
mutations = st.lists(st.tuples(st.integers(0, 10_000),
                               st.text(alphabet=';,"\n\r0123456789-.a€ \x00', max_size=3)),
                     max_size=6)


def _assert_clean(result: ImportResult) -> None:
    assert isinstance(result, ImportResult)
    if not result.ok:
        assert result.issues and all(str(i) for i in result.issues)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FILES), cuts=mutations,
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_fuzzed_csv_is_imported_or_refused_cleanly(name: str, cuts: list[tuple[int, str]],
                                                   encoding: str) -> None:
    folder = Path(tempfile.mkdtemp(dir=_FUZZ_DIR))
    text = _mutate(_csv_text(BASE[name]), cuts)
    (folder / f"{name}.csv").write_bytes(text.encode(encoding, errors="replace"))
    _assert_clean(import_sources(_fuzz_engine(), [folder]))


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_cleanly(data: bytes) -> None:
    folder = Path(tempfile.mkdtemp(dir=_FUZZ_DIR))
    (folder / "toewijzingen.csv").write_bytes(data)
    (folder / "werkboek.xlsx").write_bytes(data)
    _assert_clean(import_sources(_fuzz_engine(), [folder]))


PRINTABLE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)


@settings(max_examples=25, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(),
                                PRINTABLE, st.booleans()),
                      min_size=1, max_size=20))
def test_fuzzed_xlsx_is_imported_or_refused_cleanly(cells: list[object]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "toewijzingen"
    ws.append(BASE["toewijzingen"][0])
    ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    path = Path(tempfile.mkdtemp(dir=_FUZZ_DIR)) / "fuzz.xlsx"
    path.write_bytes(buffer.getvalue())
    _assert_clean(import_sources(_fuzz_engine(), [path]))


def test_fuzz_database_is_still_sound() -> None:
    engine = _fuzz_engine()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert os.path.exists(_FUZZ_DIR / "fuzz.sqlite")
