"""Budget lines that add up (#15 item 5): overlapping lines are refused at import unless one is
a subtotal; a subtotal is shown but not added; the column survives export and re-import."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.budget.report import budget_report
from sdesk.services.exchange.export import export_exchange
from sdesk.services.exchange.importer import import_sources
from tests.integration.budget.test_budget import DATA
from tests.integration.exchange_data import dump, write_folder

HEADER = ["jaar", "post", "bedrag", "wet", "productcategorieen", "leveringsvorm", "prognose",
          "subtotaal"]


def _data(lines: list[list[str]]) -> dict[str, list[list[str]]]:
    return {**DATA, "begroting": [HEADER, *lines]}


def test_overlapping_lines_are_refused_with_both_names(engine: Engine, tmp_path: Path,
                                                       db_path: Path) -> None:
    before = dump(db_path)
    result = import_sources(engine, [write_folder(tmp_path / "a", _data([
        ["2025", "Jeugd", "8000", "jeugd", "", "", "", ""],
        ["2025", "Wmo", "1000", "wmo", "", "", "", ""],
        ["2025", "Jeugd 45", "6000", "jeugd", "45", "zin", "", "nee"],
        ["2024", "Jeugd 45", "6000", "jeugd", "45", "zin", "", ""]]))])  # another year: fine
    assert not result.ok
    assert [(i.file, i.line, i.column, i.reason) for i in result.issues] == [(
        "begroting.csv", 4, "post",
        "begrotingspost 'Jeugd 45' (begroting.csv:4) selecteert dezelfde declaraties als "
        "'Jeugd' (begroting.csv:2): dan tellen die declaraties twee keer mee in het totaal. "
        "Maak de selecties (wet, productcategorieën, leveringsvorm) verschillend of markeer "
        "één van beide als subtotaal (kolom subtotaal = ja).")]
    assert dump(db_path) == before  # nothing written


def test_a_subtotal_is_shown_but_not_added(engine: Engine, tmp_path: Path, db_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    assert import_sources(engine, [write_folder(tmp_path / "a", _data([
        ["2025", "Jeugd totaal", "8000", "jeugd", "", "", "", "ja"],
        ["2025", "Jeugd 45", "6000", "jeugd", "45", "zin", "", "nee"],
        ["2025", "Eigen bijdrage", "-1000", "", "", "", "-900", ""]]))]).ok
    report = budget_report(engine, 2025, date(2025, 6, 30))
    total, j45, income = report.lines
    assert (total.subtotal, j45.subtotal) == (True, False)
    # Both select the one allocation: the same realisation and forecast (548,244, see
    # test_budget.py), counted once in the total.
    assert total.realisatie_cents == j45.realisatie_cents == 273_000
    assert total.prognose_cents == j45.prognose_cents == 548_244
    assert report.begroting_cents == 600_000 - 100_000
    assert report.prognose_cents == 548_244 - 90_000
    assert report.realisatie_cents == 273_000
    engine.dispose()
    assert main(["budget", "--db", str(db_path), "--year", "2025", "--at", "2025-06-30",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [line["subtotal"] for line in data["lines"]] == [True, False, False]
    assert data["total"]["prognose"] == 4582.44


def test_the_subtotal_column_survives_export_and_reimport(engine: Engine, tmp_path: Path) -> None:
    assert import_sources(engine, [write_folder(tmp_path / "a", _data([
        ["2025", "Jeugd totaal", "8000", "jeugd", "", "", "", "JA"],
        ["2025", "Jeugd 45", "6000", "jeugd", "45", "zin", "", ""]]))]).ok
    out = tmp_path / "export"
    export_exchange(engine, out)
    text = (out / "begroting.csv").read_text(encoding="utf-8-sig").splitlines()
    assert text[0].endswith(";prognose;subtotaal")
    assert text[1].startswith("2025;Jeugd totaal;") and text[1].endswith(";ja")
    assert text[2].endswith(";nee")
    only = tmp_path / "only"
    only.mkdir()
    (only / "begroting.csv").write_bytes((out / "begroting.csv").read_bytes())
    again = import_sources(engine, [only])
    assert again.ok
    begroting = next(c for c in again.changes if c.name == "begroting")
    assert (begroting.new, begroting.changed, begroting.unchanged) == (0, 0, 2)


def test_a_line_overlapping_one_already_stored_is_refused(engine: Engine, tmp_path: Path,
                                                          db_path: Path) -> None:
    """A second import of only begroting.csv is held against the lines already stored; a
    stored line the file sends again is judged as the file has it."""
    assert import_sources(engine, [write_folder(tmp_path / "a", _data([
        ["2025", "Jeugd", "8000", "jeugd", "", "", "", ""]]))]).ok
    before = dump(db_path)
    result = import_sources(engine, [write_folder(tmp_path / "b", {"begroting": [
        HEADER, ["2025", "Jeugd 45", "6000", "jeugd", "45", "zin", "", ""]]})])
    assert [(i.file, i.line, i.reason) for i in result.issues] == [(
        "begroting.csv", 2,
        "begrotingspost 'Jeugd 45' (begroting.csv:2) selecteert dezelfde declaraties als "
        "'Jeugd' (al in de database): dan tellen die declaraties twee keer mee in het totaal. "
        "Maak de selecties (wet, productcategorieën, leveringsvorm) verschillend of markeer "
        "één van beide als subtotaal (kolom subtotaal = ja).")]
    assert dump(db_path) == before
    # Sending 'Jeugd' again as a subtotal makes room for the detail line.
    assert import_sources(engine, [write_folder(tmp_path / "c", {"begroting": [
        HEADER, ["2025", "Jeugd", "8000", "jeugd", "", "", "", "ja"],
        ["2025", "Jeugd 45", "6000", "jeugd", "45", "zin", "", ""]]})]).ok
