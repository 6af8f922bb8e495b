"""Bad input gets a clear error naming file, line and column, and nothing is written."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import import_sources
from tests.integration.exchange_data import BASE, dump, write_csv, write_folder


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    """A database that already holds the base data set, so 'unchanged' means something."""
    assert import_sources(engine, [write_folder(tmp_path / "base")]).ok
    return engine


def _bad_import(engine: Engine, db_path: Path, tmp_path: Path, name: str,
                rows: list[list[str]]) -> list[str]:
    before = dump(db_path)
    folder = tmp_path / "bad"
    write_csv(folder, name, rows)
    result = import_sources(engine, [folder])
    assert not result.ok
    assert dump(db_path) == before, "a refused import changed the database"
    return [str(i) for i in result.issues]


def _with_row(name: str, row_index: int, column: str, value: str) -> list[list[str]]:
    rows = copy.deepcopy(BASE[name])
    rows[row_index][rows[0].index(column)] = value
    return rows


CASES = [
    ("bsn fails 11-proef", "personen", 1, "bsn", "123456789",
     "personen.csv:2: bsn: BSN '123456789' voldoet niet aan de 11-proef"),
    ("unparsable date", "personen", 2, "geboortedatum", "31-02-1980",
     "personen.csv:3: geboortedatum: ongeldige datum '31-02-1980'"),
    ("unparsable number", "toewijzingen", 1, "volume", "twee",
     "toewijzingen.csv:2: volume: ongeldig getal 'twee'"),
    ("code not in codelist", "toewijzingen", 1, "productcategorie", "99",
     "toewijzingen.csv:2: productcategorie: code '99' staat niet in codelijst JZ020"),
    ("frequency not in WMO757", "toewijzingen", 2, "frequentie", "3",
     "toewijzingen.csv:3: frequentie: code '3' staat niet in codelijst WMO757"),
    ("claim spans two months", "declaraties", 1, "periode_eind", "2024-02-15",
     "declaraties.csv:2: periode_eind: declaratieperiode beslaat meer dan één kalendermaand"),
    ("claim outside allocation", "declaraties", 1, "periode_begin", "2023-12-01",
     "declaraties.csv:2: periode_begin: declaratieperiode 2023-12-01..2024-01-31 valt buiten"),
    ("unknown person", "toewijzingen", 1, "persoon_id", "P99",
     "toewijzingen.csv:2: persoon_id: onbekend(e) persoon 'P99'"),
    ("unknown household", "personen", 1, "huishouden_id", "H99",
     "personen.csv:2: huishouden_id: onbekend(e) huishouden 'H99'"),
    ("unknown allocation", "declaraties", 2, "toewijzingnummer", "9999",
     "declaraties.csv:3: toewijzingnummer: onbekende toewijzing wmo 9999"),
    ("omvang and budget", "toewijzingen", 1, "budget", "100",
     "toewijzingen.csv:2: budget: omvang (volume) en budget zijn allebei gevuld"),
    ("negative volume", "toewijzingen", 1, "volume", "-2",
     "toewijzingen.csv:2: volume: mag niet negatief zijn"),
    ("negative tariff", "toewijzingen", 1, "tarief", "-78",
     "toewijzingen.csv:2: tarief: mag niet negatief zijn"),
    ("end before start", "toewijzingen", 1, "einddatum", "2023-12-31",
     "toewijzingen.csv:2: einddatum: einddatum ligt voor de begindatum"),
    ("budget needs end date", "toewijzingen", 4, "einddatum", "",
     "toewijzingen.csv:5: einddatum: een budget of frequentie 6"),
    ("unknown law", "declaraties", 1, "wet", "wlz",
     "declaraties.csv:2: wet: onbekende waarde 'wlz'"),
    ("three decimals", "declaraties", 1, "bedrag", "624,001",
     "declaraties.csv:2: bedrag: bedrag heeft meer dan twee decimalen"),
    ("cost map item without price", "kostenkaart", 1, "prijs", "",
     "kostenkaart.csv:2: prijs: kostenkaart-item zonder prijs"),
]


@pytest.mark.parametrize(("case", "name", "row", "column", "value", "expected"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_value_is_refused_and_nothing_changes(loaded: Engine, db_path: Path,
                                                  tmp_path: Path, case: str, name: str,
                                                  row: int, column: str, value: str,
                                                  expected: str) -> None:
    issues = _bad_import(loaded, db_path, tmp_path, name, _with_row(name, row, column, value))
    assert any(i.startswith(expected) for i in issues), issues


def test_unknown_bsn_placeholder_is_accepted(engine: Engine, tmp_path: Path) -> None:
    rows = _with_row("personen", 1, "bsn", "999999999")
    folder = write_folder(tmp_path / "ok", {"huishoudens": BASE["huishoudens"],
                                            "personen": rows})
    assert import_sources(engine, [folder]).ok


def test_duplicate_keys_within_a_file(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    rows = copy.deepcopy(BASE["huishoudens"]) + [["H1", "Zuid", "7553EF", "paar"]]
    issues = _bad_import(loaded, db_path, tmp_path, "huishoudens", rows)
    assert "huishoudens.csv:4: huishouden_id: dubbele sleutel 'H1' (ook op regel 2)" in issues


def test_missing_required_column(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    rows = [r[1:] for r in BASE["personen"]]  # drop persoon_id
    issues = _bad_import(loaded, db_path, tmp_path, "personen", rows)
    assert issues == ["personen.csv:1: persoon_id: verplichte kolom ontbreekt"]


def test_empty_file(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    issues = _bad_import(loaded, db_path, tmp_path, "huishoudens", [])
    assert issues == ["huishoudens.csv:-: -: bestand is leeg"]


def test_non_csv_file(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    before = dump(db_path)
    folder = tmp_path / "binary"
    folder.mkdir()
    (folder / "personen.csv").write_bytes(b"PK\x03\x04\x00\x00binary\x00junk")
    result = import_sources(loaded, [folder])
    assert [str(i) for i in result.issues] == [
        "personen.csv:-: -: geen CSV-bestand (binaire inhoud)"]
    assert dump(db_path) == before


def test_every_bad_row_is_reported_not_just_the_first(loaded: Engine, db_path: Path,
                                                      tmp_path: Path) -> None:
    rows = _with_row("personen", 1, "bsn", "123456789")
    rows[3][rows[0].index("geboortedatum")] = "gisteren"
    rows[2][rows[0].index("huishouden_id")] = "H77"
    issues = _bad_import(loaded, db_path, tmp_path, "personen", rows)
    assert len(issues) == 3
    assert {i.split(":")[1] for i in issues} == {"2", "3", "4"}


def test_a_bad_row_in_one_file_blocks_all_files(engine: Engine, db_path: Path,
                                                tmp_path: Path) -> None:
    data = dict(BASE)
    data["declaraties"] = _with_row("declaraties", 2, "periode_eind", "2024-03-01")
    before = dump(db_path)
    result = import_sources(engine, [write_folder(tmp_path / "mixed", data)])
    assert not result.ok
    assert dump(db_path) == before  # not even the households of the valid files


def test_cli_exit_status_and_report_without_traceback(db_path: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = dict(BASE)
    data["personen"] = _with_row("personen", 1, "bsn", "123456789")
    folder = write_folder(tmp_path / "cli", data)
    code = main(["import", "--db", str(db_path), str(folder)])
    err = capsys.readouterr().err
    assert code != 0
    assert "personen.csv:2: bsn: BSN '123456789' voldoet niet aan de 11-proef" in err
    assert "niets opgeslagen" in err
    assert "Traceback" not in err


def test_missing_source_and_unknown_file_type(engine: Engine, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("hallo")
    result = import_sources(engine, [tmp_path / "nope", odd])
    reasons = [i.reason for i in result.issues]
    assert "bestand of map bestaat niet" in reasons
    assert any(r.startswith("onbekend bestandstype") for r in reasons)


def test_csv_with_too_many_fields(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    rows = copy.deepcopy(BASE["huishoudens"])
    rows[2] = [*rows[2], "extra", "velden"]
    issues = _bad_import(loaded, db_path, tmp_path, "huishoudens", rows)
    assert issues == ["huishoudens.csv:3: -: regel heeft meer velden dan de kopregel "
                      "(geen geldig CSV)"]
