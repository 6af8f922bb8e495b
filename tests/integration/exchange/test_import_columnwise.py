"""The column-wise import of a large claims file (issue 17): every refusal still names its
file, line and column, and the fast ways of storing (a plain INSERT into an empty table,
cells left unstripped when the file has no padding) store exactly what the slow ways do."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from sdesk.services.exchange.importer import import_sources
from sdesk.services.exchange.importing import writer
from sdesk.services.platform.db import open_database
from tests.integration.exchange_data import BASE, dump, write_csv, write_folder

N_CLAIMS = 12_000  # above the bulk threshold (10,000): the index rebuild and plain INSERT
HEADER = ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
          "bedrag", "volume"]


def _claims(n: int = N_CLAIMS) -> list[list[str]]:
    """n claim lines of allocation wmo 2001 (open from 2024-01-01), one per day-long period
    in March, amounts 1,00 .. n,00 euro: line i + 2 of the file holds claim C{i}."""
    return [HEADER] + [[f"C{i}", "2001", "wmo", "2024-03-01", "2024-03-01", f"{i + 1},00",
                        "1"] for i in range(n)]


def _folder(path: Path, claims: list[list[str]]) -> Path:
    folder = write_folder(path, {k: BASE[k] for k in
                                 ("huishoudens", "personen", "medewerkers", "tarieven",
                                  "toewijzingen")})
    write_csv(folder, "declaraties", claims)
    return folder


def _claim_rows(db: Path) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT c.id, c.claim_key, a.law, a.toewijzingnummer, c.period_start, "
            "c.period_end, c.volume, c.amount_cents, c.rejected, c.first_seen FROM claim c "
            "JOIN allocation a ON a.id = c.allocation_id ORDER BY c.id").fetchall()
    finally:
        conn.close()


def test_bad_cells_deep_in_a_large_claims_file_name_line_and_column(
        engine: Engine, db_path: Path, tmp_path: Path) -> None:
    claims = _claims()
    bad = {  # data row -> (column, value); the file line is the row + 2
        4998: ("bedrag", "twaalf"),
        6999: ("periode_begin", "2024-13-01"),
        8998: ("bedrag", "=1+2"),
        9998: ("toewijzingnummer", "9999"),
        10998: ("declaratie_id", "C0"),
        11498: ("bedrag", "1,234"),
    }
    for row, (column, value) in bad.items():
        claims[row + 1][HEADER.index(column)] = value
    before = dump(db_path)
    result = import_sources(engine, [_folder(tmp_path / "bad", claims)])
    assert not result.ok
    assert [str(i) for i in result.issues] == [
        "declaraties.csv:5000: bedrag: ongeldig getal 'twaalf'",
        "declaraties.csv:7001: periode_begin: ongeldige datum '2024-13-01' (verwacht "
        "JJJJ-MM-DD of DD-MM-JJJJ)",
        "declaraties.csv:9000: bedrag: ongeldig getal '=1+2'",
        "declaraties.csv:10000: toewijzingnummer: onbekende toewijzing wmo 9999",
        "declaraties.csv:11000: declaratie_id: dubbele sleutel 'C0' (ook op regel 2)",
        "declaraties.csv:11500: bedrag: bedrag heeft meer dan twee decimalen",
    ]
    assert dump(db_path) == before, "a refused import changed the database"


def test_claim_outside_its_allocation_is_named_with_both_periods(
        engine: Engine, tmp_path: Path) -> None:
    claims = _claims()
    claims[3001][3:5] = ["2023-12-01", "2023-12-31"]  # allocation 2001 starts 2024-01-01
    result = import_sources(engine, [_folder(tmp_path / "early", claims)])
    assert [str(i) for i in result.issues] == [
        "declaraties.csv:3002: periode_begin: declaratieperiode 2023-12-01..2023-12-31 valt "
        "buiten de toewijzing (2024-01-01..open)"]


def _spy_claim_sql(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the statements the writer sends for claims."""
    seen: list[str] = []
    original: Callable[..., None] = writer.executemany

    def spy(conn: Any, sql: str, rows: Any) -> None:
        if sql.startswith("INSERT INTO claim "):
            seen.append(sql)
        original(conn, sql, rows)

    monkeypatch.setattr(writer, "executemany", spy)
    return seen


def test_plain_insert_and_upsert_store_the_same_claims(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path) -> None:
    claims = _claims()
    seen = _spy_claim_sql(monkeypatch)
    # Empty database: the claims go in with a plain INSERT.
    empty_db = tmp_path / "empty.sqlite"
    engine = open_database(empty_db)
    assert import_sources(engine, [_folder(tmp_path / "all", claims)]).ok
    engine.dispose()
    assert seen and not any("ON CONFLICT" in sql for sql in seen)
    # A database already holding the first claim: the same file is upserted.
    filled_db = tmp_path / "filled.sqlite"
    engine = open_database(filled_db)
    assert import_sources(engine, [_folder(tmp_path / "first", claims[:2])]).ok
    seen.clear()
    result = import_sources(engine, [_folder(tmp_path / "again", claims)])
    engine.dispose()
    assert result.ok
    assert seen and all("ON CONFLICT" in sql for sql in seen)
    claims_file = next(c for c in result.changes if c.name == "declaraties")
    assert (claims_file.new, claims_file.unchanged) == (N_CLAIMS - 1, 1)
    rows = _claim_rows(empty_db)
    assert rows == _claim_rows(filled_db)
    assert len(rows) == N_CLAIMS
    assert rows[0][1:9] == ("C0", "wmo", "2001", "2024-03-01", "2024-03-01", 1.0, 100, 0)
    assert sum(r[7] for r in rows) == 100 * N_CLAIMS * (N_CLAIMS + 1) // 2


def test_padded_cells_are_stripped_and_plain_ones_stored_as_read(tmp_path: Path) -> None:
    """A file without spaces, tabs or quotes is not stripped cell by cell; one with them is,
    and both store the same claims."""
    plain = _claims(20)
    padded = [[f" {v}\t" if i else v for i, v in enumerate(row)] if n else row
              for n, row in enumerate(plain)]
    padded[3][0] = '" C2 "'  # a quoted cell keeps its spaces through the parser
    stored = []
    for name, claims in (("plain", plain), ("padded", padded)):
        db = tmp_path / f"{name}.sqlite"
        engine = open_database(db)
        result = import_sources(engine, [_folder(tmp_path / name, claims)])
        engine.dispose()
        assert result.ok, result.issues
        stored.append([r[1:9] for r in _claim_rows(db)])
    assert stored[0] == stored[1]
    # (claims are stored in key order, so C10 comes before C2)
    assert {r[0]: r for r in stored[0]}["C2"] == ("C2", "wmo", "2001", "2024-03-01",
                                                 "2024-03-01", 1.0, 300, 0)
