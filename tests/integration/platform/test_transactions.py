"""Schema changes are transactions (#14 item 1): a migration cut short, by a kill or by an older
sdesk that committed each DDL step on its own, never leaves a file that cannot be opened, and a
bulk claim load that fails keeps the claim indexes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from sdesk.services.exchange import ImportCancelled, import_sources
from sdesk.services.platform.db import (
    MIGRATIONS_DIR,
    current_revision,
    head_revision,
    open_database,
)
from sdesk.services.platform.sqlite import make_engine
from tests.integration.exchange_data import BASE, write_csv, write_folder

ROOT = Path(__file__).resolve().parents[3]


def _database_at(path: Path, revision: str) -> None:
    """A database migrated to `revision`, holding one household and one claim period index."""
    engine = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.exec_driver_sql("INSERT INTO household (external_id, postcode) "
                             "VALUES ('H-oud', '7551AB')")
    engine.dispose()


def _claim_period_columns(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[2] for r in conn.exec_driver_sql("PRAGMA index_info('ix_claim_period')")]


def _households(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT external_id FROM household")]


@pytest.mark.parametrize("left_behind", [
    # 0006 by an older sdesk, killed after its DROP INDEX committed: "no such index" forever.
    ("0005", "DROP INDEX ix_claim_period"),
    # 0007 killed after CREATE TABLE: "table stored_frame already exists".
    ("0006", "CREATE TABLE stored_frame (kind VARCHAR(40) NOT NULL, key VARCHAR(400) NOT NULL, "
             "created_at DATETIME NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (kind, key))"),
    # 0008 killed after ADD COLUMN: "duplicate column name".
    ("0007", "ALTER TABLE review ADD COLUMN annual_cost_before_cents INTEGER"),
])
def test_a_half_applied_migration_is_finished_on_open(tmp_path: Path,
                                                      left_behind: tuple[str, str]) -> None:
    revision, done_part = left_behind
    path = tmp_path / "half.sqlite"
    _database_at(path, revision)
    raw = make_engine(path)
    with raw.begin() as conn:
        conn.exec_driver_sql(done_part)
    raw.dispose()

    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    assert _claim_period_columns(engine) == ["period_start", "allocation_id", "amount_cents",
                                             "rejected", "first_seen"]  # 0006, then 0015
    assert _households(engine) == ["H-oud"]
    with engine.connect() as conn:
        review = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info('review')")}
    assert "annual_cost_before_cents" in review
    engine.dispose()


_KILLER = textwrap.dedent("""
    import os, signal, sys
    from sqlalchemy import event
    from sdesk.services.platform import sqlite

    stop_at = int(sys.argv[2])
    made = sqlite.make_engine

    COUNTED = [0]

    def make_engine(*args, **kwargs):
        engine = made(*args, **kwargs)
        seen = COUNTED

        @event.listens_for(engine, "before_cursor_execute")
        def count(conn, cursor, statement, *rest):
            if statement.lstrip().upper().startswith(("CREATE", "DROP", "ALTER", "INSERT",
                                                      "UPDATE")):
                seen[0] += 1
                if seen[0] == stop_at:
                    os.kill(os.getpid(), signal.SIGKILL)
        return engine

    sqlite.make_engine = make_engine
    from sdesk.services.platform import db
    db.make_engine = make_engine
    db.open_database(sys.argv[1])
    print(f"klaar na {COUNTED[0]} schrijfopdrachten")
""")


def _migrate_in_child(path: Path, stop_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _KILLER, str(path), str(stop_at)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize("stop_at", [1, 2, 3, 5, 8])
def test_a_migration_killed_at_any_step_leaves_the_file_as_it_was(tmp_path: Path,
                                                                   stop_at: int) -> None:
    """From the oldest schema to head, SIGKILLed at the stop_at-th write statement."""
    path = tmp_path / "oud.sqlite"
    _database_at(path, "0001")
    child = _migrate_in_child(path, stop_at)
    assert child.returncode == -signal.SIGKILL, child.stderr
    # The kill rolled the whole migration back: still at 0001 with its data.
    raw = make_engine(path)
    assert current_revision(raw) == "0001"
    assert _households(raw) == ["H-oud"]
    raw.dispose()
    # And the next open migrates it as if nothing happened.
    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    assert _households(engine) == ["H-oud"]
    engine.dispose()


def test_the_kill_points_fall_inside_the_migration(tmp_path: Path) -> None:
    """The parametrised kills above are not all past the end: count the write statements."""
    path = tmp_path / "oud.sqlite"
    _database_at(path, "0001")
    child = _migrate_in_child(path, 10_000)
    assert child.returncode == 0, child.stderr
    written = int(child.stdout.split("klaar na ")[1].split()[0])
    assert written > 8  # the last kill point above, so every kill hits the migration


N_CLAIMS = 12_000  # above the bulk-load threshold, so the claim indexes are dropped first


def _claims_only(folder: Path, prefix: str) -> Path:
    header = ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
              "bedrag"]
    rows = [header] + [[f"{prefix}{i}", "2001", "wmo", "2024-03-01", "2024-03-31", "1,00"]
                       for i in range(N_CLAIMS)]
    folder.mkdir(parents=True)
    write_csv(folder, "declaraties", rows)
    return folder


def _claim_indexes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {r[1] for r in conn.exec_driver_sql("PRAGMA index_list('claim')")}


def test_a_failed_bulk_claim_import_keeps_the_indexes_for_the_next(engine: Engine,
                                                                  tmp_path: Path) -> None:
    base = write_folder(tmp_path / "basis", {k: BASE[k] for k in
                                             ("huishoudens", "personen", "medewerkers",
                                              "tarieven", "toewijzingen")})
    assert import_sources(engine, [base]).ok
    indexes = _claim_indexes(engine)
    assert "ix_claim_period" in indexes

    seen: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        seen.append(message)

    def cancel() -> bool:  # after the claims are written: indexes dropped, not rebuilt
        return seen.count("Opslaan: declaraties.csv") >= 2

    with pytest.raises(ImportCancelled):
        import_sources(engine, [_claims_only(tmp_path / "eerste", "A")], progress=progress,
                       cancelled=cancel)
    assert _claim_indexes(engine) == indexes

    good = import_sources(engine, [_claims_only(tmp_path / "tweede", "B")])
    assert good.ok, good.issues
    assert _claim_indexes(engine) == indexes
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*), sum(amount_cents) FROM claim").one() \
            == (N_CLAIMS, N_CLAIMS * 100)
