"""Good input in every dialect of the exchange format lands exactly once, in cents."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from sdesk.services.exchange.importer import import_sources
from tests.integration.exchange_data import BASE, dump, write_csv, write_folder


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_base_set_lands_with_cents_codes_and_lookups(engine: Engine, db_path: Path,
                                                     tmp_path: Path) -> None:
    result = import_sources(engine, [write_folder(tmp_path / "base")])
    assert result.ok, result.issues
    assert result.counts["declaraties"] == 3
    allocations = {r[0]: r[1:] for r in _rows(db_path, (
        "SELECT toewijzingnummer, category, tariff_cents, budget_cents, unit, frequency, "
        "end_date FROM allocation"))}
    assert allocations["1001"] == ("45", 7800, None, "04", "2", "2024-12-31")
    # 2001 has no tarief in the file: it comes from tarieven (EUR 34,50 valid from 2024-01-01).
    assert allocations["2001"] == ("01", 3450, None, "04", "2", None)
    # Eenheid 83 (euro's): the tariff is one euro.
    assert allocations["3001"] == ("bijstand", 100, None, "83", "4", None)
    assert allocations["1002"] == ("48", None, 600000, None, None, "2024-06-30")
    claims = dict(_rows(db_path, "SELECT claim_key, amount_cents FROM claim"))
    assert claims == {"D1": 62400, "D2": 44850, "D3": -7800}
    persons = dict(_rows(db_path, "SELECT external_id, bsn FROM person"))
    assert persons == {"P1": "999900006", "P2": "999999990", "P3": None}
    assert _rows(db_path, "SELECT postcode FROM household ORDER BY external_id") == [
        ("7551AB",), ("7552CD",)]
    assert _rows(db_path, "SELECT name, amount_cents, forecast_cents, categories "
                          "FROM budget_line ORDER BY name") == [
        ("Eigen bijdrage Wmo", -5000000, -4500000, None),
        ("Jeugd ambulant", 100000000, None, "45,54")]
    assert _rows(db_path, "SELECT description, quantity, amount_cents, cost_map_item_id IS NOT "
                          "NULL FROM intervention ORDER BY description") == [
        ("GGZ-behandeling moeder", None, 450000, 0), ("Meldingen overlast", 4.0, None, 1)]
    assert _rows(db_path, "SELECT e.fte, t.name FROM employee e JOIN team t "
                          "ON t.id = e.team_id") == [(0.8, "Jeugd Noord")]


def test_reimport_is_idempotent(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "base")
    assert import_sources(engine, [folder]).ok
    first = dump(db_path)
    assert import_sources(engine, [folder]).ok
    second = dump(db_path)
    # Only the counter that tells caches to reload moves on, the audit log grows and the
    # worklist prepared after each import is stored under the new data version.
    def data(lines: list[str]) -> list[str]:
        return [x for x in lines if '"meta"' not in x and '"audit_event"' not in x
                and '"stored_frame"' not in x]

    assert data(second) == data(first)
    assert second != first


def test_reimport_updates_changed_rows(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    assert import_sources(engine, [write_folder(tmp_path / "a")]).ok
    rows = [list(r) for r in BASE["toewijzingen"]]
    rows[1][rows[0].index("einddatum")] = "2024-09-30"
    write_csv(tmp_path / "b", "toewijzingen", rows)
    assert import_sources(engine, [tmp_path / "b"]).ok
    assert _rows(db_path, "SELECT count(*), max(end_date) FROM allocation "
                          "WHERE toewijzingnummer = '1001'") == [(1, "2024-09-30")]


@pytest.mark.parametrize(("sep", "encoding"), [(",", "utf-8"), (";", "cp1252"),
                                               (";", "utf-8-sig")])
def test_separator_and_encoding_dialects(engine: Engine, db_path: Path, tmp_path: Path,
                                         sep: str, encoding: str) -> None:
    folder = tmp_path / "dialect"
    write_csv(folder, "huishoudens", [["Huishouden_ID", "Wijk"], ["H1", "Één Straat"]],
              sep=sep, encoding=encoding)
    # Decimal point and DD-MM-YYYY dates with a comma separator; quoted decimal comma too.
    write_csv(folder, "personen", [["persoon_id", "huishouden_id", "geboortedatum"],
                                   ["P1", "H1", "04-03-2012"]], sep=sep, encoding=encoding)
    write_csv(folder, "kostenkaart", [["item", "eenheid", "prijs", "financier"],
                                      ["Melding", "stuk", '"1.234,56"', "politie"],
                                      ["Zitting", "stuk", "99.5", "justitie"]],
              sep=sep, encoding=encoding)
    result = import_sources(engine, [folder])
    assert result.ok, result.issues
    assert _rows(db_path, "SELECT wijk FROM household") == [("Één Straat",)]
    assert _rows(db_path, "SELECT birth_date FROM person") == [("2012-03-04",)]
    prices = dict(_rows(db_path, "SELECT name, price_cents FROM cost_map_item "
                                 "WHERE name IN ('Melding', 'Zitting')"))
    assert prices == {"Melding": 123456, "Zitting": 9950}


def test_unknown_columns_are_reported_and_ignored(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "extra"
    write_csv(folder, "huishoudens", [["huishouden_id", "kleur"], ["H1", "blauw"]])
    result = import_sources(engine, [folder])
    assert result.ok
    assert result.warnings == ["huishoudens.csv: onbekende kolommen genegeerd: kleur"]


def test_xlsx_workbook_with_numeric_codes_and_real_dates(engine: Engine, db_path: Path,
                                                         tmp_path: Path) -> None:
    from datetime import datetime

    wb = Workbook()
    sheet = wb.active
    sheet.title = "huishoudens"
    sheet.append(["huishouden_id"])
    sheet.append(["H1"])
    people = wb.create_sheet("personen")
    people.append(["persoon_id", "huishouden_id", "geboortedatum", "bsn"])
    people.append(["P1", "H1", datetime(1990, 5, 17), 999900006])
    alloc = wb.create_sheet("toewijzingen")
    alloc.append(["toewijzingnummer", "persoon_id", "wet", "productcategorie",
                  "ingangsdatum", "volume", "eenheid", "frequentie", "tarief"])
    # Excel turned "01" and "04" into numbers; the importer restores the leading zeros.
    alloc.append([5001, "P1", "wmo", 1, datetime(2024, 2, 1), 2.5, 4, 2, 34.5])
    path = tmp_path / "export.xlsx"
    wb.save(path)
    result = import_sources(engine, [path])
    assert result.ok, result.issues
    assert _rows(db_path, "SELECT toewijzingnummer, category, unit, frequency, volume, "
                          "tariff_cents, start_date FROM allocation") == [
        ("5001", "01", "04", "2", 2.5, 3450, "2024-02-01")]
    assert _rows(db_path, "SELECT birth_date, bsn FROM person") == [("1990-05-17", "999900006")]


def test_xlsx_bad_row_names_sheet_and_line(engine: Engine, db_path: Path,
                                           tmp_path: Path) -> None:
    wb = Workbook()
    sheet = wb.active
    sheet.title = "personen"
    sheet.append(["persoon_id", "huishouden_id", "geboortedatum"])
    sheet.append(["P1", "H404", "1990-01-01"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    before = dump(db_path)
    result = import_sources(engine, [path])
    assert [str(i) for i in result.issues] == [
        "bad.xlsx[personen]:2: huishouden_id: onbekend(e) huishouden 'H404'"]
    assert dump(db_path) == before


def test_cancel_leaves_nothing_behind(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    from sdesk.services.exchange.importer import ImportCancelled

    folder = write_folder(tmp_path / "base")
    before = dump(db_path)
    calls = {"n": 0}

    def cancel_during_writing() -> bool:
        calls["n"] += 1
        return calls["n"] > 15  # past the checks, in the middle of writing

    with pytest.raises(ImportCancelled):
        import_sources(engine, [folder], cancelled=cancel_during_writing)
    assert dump(db_path) == before
