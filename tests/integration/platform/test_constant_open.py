"""#17 item 1: opening a database costs the same for 50 MB and 5 GB. It reads the schema and
its version, not every page; the full check runs after an unclean shutdown and on
`sdesk check`; Alembic is not imported for a database at the newest schema.

Bytes read are counted with Linux's /proc/self/io (`rchar`: every read() of the process), so
these tests run where that exists."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sdesk.services.platform.db import SCHEMA_HEAD, head_revision, open_database

IO = Path("/proc/self/io")
pytestmark = pytest.mark.skipif(not IO.exists(), reason="counts reads with /proc/self/io")

PAGE = 4096
OPEN_BUDGET = 256 * PAGE  # what one open may read, whatever the size of the file
PADDING = 16 * 2**20  # data an open must not read


def _rchar() -> int:
    for line in IO.read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def _read_by_open(path: Path) -> int:
    before = _rchar()
    engine = open_database(path)
    read = _rchar() - before
    engine.dispose()
    return read


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A migrated database with 16 MiB of data besides the schema."""
    path = tmp_path / "groot.sqlite"
    open_database(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE padding (b BLOB)")
        conn.executemany("INSERT INTO padding VALUES (?)",
                         [(os.urandom(PAGE),) for _ in range(PADDING // PAGE)])
    conn.close()
    assert path.stat().st_size > PADDING
    open_database(path).dispose()  # imports what opening needs, outside the count
    return path


def test_the_schema_head_is_alembics() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_opening_reads_a_fixed_number_of_pages(big: Path) -> None:
    assert _read_by_open(big) < OPEN_BUDGET
    # The count can fail: the full check reads every page.
    from sdesk.services.platform.db import check_database

    engine = open_database(big)
    before = _rchar()
    check_database(engine, big)
    assert _rchar() - before > PADDING
    engine.dispose()


def test_after_an_unclean_shutdown_the_next_open_checks_every_page(big: Path) -> None:
    # A process that writes and is killed before it closes leaves its write-ahead log.
    script = ("import os, sys\n"
              "from sdesk.services.platform.db import open_database\n"
              "engine = open_database(sys.argv[1])\n"
              "with engine.begin() as conn:\n"
              "    conn.exec_driver_sql(\"UPDATE meta SET value = value\")\n"
              "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(big)], check=True,
                   env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])})
    assert Path(f"{big}-wal").exists()
    assert _read_by_open(big) > PADDING  # checked every page
    assert _read_by_open(big) < OPEN_BUDGET  # closed cleanly: back to the schema only


def test_alembic_is_not_imported_to_open_a_current_database(big: Path) -> None:
    script = ("import sys\n"
              "from sdesk.services.platform.db import open_database\n"
              "open_database(sys.argv[1]).dispose()\n"
              "print(sorted(m for m in ('alembic', 'pandas', 'openpyxl', 'PySide6') "
              "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", script, str(big)], check=True,
                         capture_output=True, text=True,
                         env={**os.environ,
                              "PYTHONPATH": str(Path(__file__).resolve().parents[3])})
    assert out.stdout.strip() == "[]"
