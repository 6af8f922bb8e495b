"""Re-importing reports what changed, and a full refresh (`--volledig`) reports rows the
database holds that the file set no longer has -- reporting only: nothing is deleted.

Base data set (exchange_data.BASE) first, then a second file set in which:
  toewijzing jeugd 1001: einddatum 2024-12-31 -> 2024-11-30, volume 2 -> 3;
  toewijzing jeugd 1002: gone (at the source);
  persoon P3: achternaam Bakker -> de Bakker;
  declaratie D3: gone; declaratie D4 (2001, February): new;
so toewijzingen 3 rows: 0 new, 1 changed, 2 unchanged, 1 missing (jeugd 1002);
   declaraties  3 rows: 1 new, 0 changed, 2 unchanged, 1 missing (D3);
   personen     3 rows: 0 new, 1 changed, 2 unchanged, 0 missing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import import_sources
from sdesk.services.exchange.importing import changes as changes_module
from tests.integration.exchange.istandaarden_data import example_folder
from tests.integration.exchange_data import BASE, write_folder


def _second() -> dict[str, list[list[str]]]:
    data = copy.deepcopy(BASE)
    header = data["toewijzingen"][0]
    data["toewijzingen"][1][header.index("einddatum")] = "2024-11-30"
    data["toewijzingen"][1][header.index("volume")] = "3"
    del data["toewijzingen"][4]  # 1002
    data["personen"][3][data["personen"][0].index("achternaam")] = "de Bakker"
    del data["declaraties"][3]  # D3
    data["declaraties"].append(["D4", "2001", "wmo", "2024-02-01", "2024-02-29", "448,50",
                                "13"])
    return data


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "base")]).ok
    return engine


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql(sql).scalar_one())


def test_first_import_reports_every_row_new(engine: Engine, tmp_path: Path) -> None:
    result = import_sources(engine, [write_folder(tmp_path / "base")])
    by_name = {c.name: c for c in result.changes}
    assert (by_name["toewijzingen"].new, by_name["toewijzingen"].changed,
            by_name["toewijzingen"].unchanged) == (4, 0, 0)
    assert by_name["declaraties"].summary() == "3 rijen: 3 nieuw, 0 gewijzigd, 0 ongewijzigd"
    assert all(c.missing is None for c in result.changes)  # no full refresh asked


def test_reimport_reports_what_changed(loaded: Engine, tmp_path: Path) -> None:
    result = import_sources(loaded, [write_folder(tmp_path / "second", _second())])
    assert result.ok and not result.full_refresh
    by_name = {c.name: c for c in result.changes}
    allocations = by_name["toewijzingen"]
    assert (allocations.new, allocations.changed, allocations.unchanged) == (0, 1, 2)
    [example] = allocations.examples
    assert (example.line, example.key, example.columns) == (2, "jeugd 1001",
                                                            ("einddatum", "volume"))
    persons = by_name["personen"]
    assert (persons.new, persons.changed, persons.unchanged) == (0, 1, 2)
    assert [(e.line, e.key, e.columns) for e in persons.examples] == [
        (4, "P3", ("achternaam",))]
    claims = by_name["declaraties"]
    assert (claims.new, claims.changed, claims.unchanged) == (1, 0, 2)
    assert by_name["huishoudens"].summary() == "2 rijen: 0 nieuw, 0 gewijzigd, 2 ongewijzigd"
    # Not a full refresh: what the files lack is neither reported nor touched.
    assert allocations.missing is None and result.missing == 0
    assert _count(loaded, "SELECT count(*) FROM allocation WHERE toewijzingnummer = '1002'") == 1


def test_unchanged_reimport_reports_nothing_changed(loaded: Engine, tmp_path: Path) -> None:
    result = import_sources(loaded, [write_folder(tmp_path / "again")])
    assert len(result.changes) == len(BASE)
    assert [(c.name, c.new, c.changed) for c in result.changes if c.new or c.changed] == []


def test_full_refresh_reports_missing_rows_and_deletes_nothing(loaded: Engine,
                                                               tmp_path: Path) -> None:
    allocations_before = _count(loaded, "SELECT count(*) FROM allocation")
    claims_before = _count(loaded, "SELECT count(*) FROM claim")
    result = import_sources(loaded, [write_folder(tmp_path / "second", _second())],
                            full_refresh=True)
    assert result.ok and result.full_refresh
    by_name = {c.name: c for c in result.changes}
    assert (by_name["toewijzingen"].missing, by_name["toewijzingen"].missing_examples) == (
        1, ("jeugd 1002",))
    assert (by_name["declaraties"].missing, by_name["declaraties"].missing_examples) == (
        1, ("D3",))
    assert by_name["personen"].missing == 0
    assert by_name["toewijzingen"].summary() == (
        "3 rijen: 0 nieuw, 1 gewijzigd, 2 ongewijzigd; 1 in de database maar niet in de "
        "bestanden (niet verwijderd)")
    # Reported, never deleted: 1002 and D3 are still there; D4 was added.
    assert _count(loaded, "SELECT count(*) FROM allocation") == allocations_before
    assert _count(loaded, "SELECT count(*) FROM claim") == claims_before + 1
    assert _count(loaded, "SELECT count(*) FROM claim WHERE claim_key = 'D3'") == 1
    with loaded.connect() as conn:
        logged = conn.exec_driver_sql(
            "SELECT object FROM audit_event WHERE action = 'import' ORDER BY id DESC "
            "LIMIT 1").scalar_one()
    assert logged.startswith(f"volledige verversing ({result.missing} ontbrekend): ")


def test_full_refresh_compares_only_the_files_in_the_set(loaded: Engine, tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "only", {"huishoudens": BASE["huishoudens"][:2]})
    result = import_sources(loaded, [folder], full_refresh=True)
    assert [(c.name, c.missing, c.missing_examples) for c in result.changes] == [
        ("huishoudens", 1, ("H2",))]
    assert result.warnings == [
        "volledige verversing: niet vergeleken omdat ze niet in de bestanden staan: personen, "
        "medewerkers, tarieven, toewijzingen, declaraties, beoordelingen, begroting, "
        "kostenkaart, interventies, inwoners, prijsindex"]
    assert _count(loaded, "SELECT count(*) FROM household WHERE external_id = 'H2'") == 1


def test_rejected_claims_are_not_called_missing(loaded: Engine, tmp_path: Path) -> None:
    with loaded.begin() as conn:
        conn.exec_driver_sql("UPDATE claim SET rejected = 1 WHERE claim_key = 'D3'")
    result = import_sources(loaded, [write_folder(tmp_path / "second", _second())],
                            full_refresh=True)
    assert {c.name: c.missing for c in result.changes}["declaraties"] == 0


def test_examples_are_bounded(loaded: Engine, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(changes_module, "MAX_EXAMPLES", 1)
    data = copy.deepcopy(BASE)
    for row in data["huishoudens"][1:]:
        row[data["huishoudens"][0].index("wijk")] = "Elders"
    result = import_sources(loaded, [write_folder(tmp_path / "wijk", data)])
    households = {c.name: c for c in result.changes}["huishoudens"]
    assert households.changed == 2
    assert [(e.key, e.columns) for e in households.examples] == [("H1", ("wijk",))]


def test_full_refresh_of_messages_is_refused(engine: Engine, tmp_path: Path) -> None:
    result = import_sources(engine, [example_folder(tmp_path / "xml")], full_refresh=True)
    assert not result.ok
    assert [i.reason for i in result.issues] == [
        "een volledige verversing kan alleen met bestanden van het uitwisselformaat "
        "(CSV/Excel); iJw/iWmo-berichten vullen aan en worden zonder 'volledig' "
        "geïmporteerd"]
    assert _count(engine, "SELECT count(*) FROM allocation") == 0


def test_cli_volledig(loaded: Engine, db_path: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    loaded.dispose()
    folder = write_folder(tmp_path / "second", _second())
    assert main(["import", "--db", str(db_path), "--volledig", str(folder)]) == 0
    out = capsys.readouterr().out
    assert ("toewijzingen: 3 rijen: 0 nieuw, 1 gewijzigd, 2 ongewijzigd; 1 in de database "
            "maar niet in de bestanden (niet verwijderd)") in out
    assert "  gewijzigd: regel 2 jeugd 1001: einddatum, volume" in out
    assert "  niet meer in de bestanden: jeugd 1002" in out
    assert "  niet meer in de bestanden: D3" in out
    # 1002 and D3, and the cost-map items of the reference data that kostenkaart.csv lacks.
    missing = 2 + _count(loaded, "SELECT count(*) FROM cost_map_item") - 1
    assert (f"Volledige verversing: {missing} rij(en) staan in de database maar niet in de "
            "bestanden; sdesk verwijdert niets.") in out


def test_cli_json_reports_changes(loaded: Engine, db_path: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    loaded.dispose()
    folder = write_folder(tmp_path / "second", _second())
    assert main(["import", "--db", str(db_path), "--json", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["imported"]["toewijzingen"] == 3
    assert data["changes"]["toewijzingen"] == {
        "file": "toewijzingen.csv", "new": 0, "changed": 1, "unchanged": 2,
        "changed_examples": [{"line": 2, "key": "jeugd 1001",
                              "columns": ["einddatum", "volume"]}],
        "missing": None, "missing_examples": []}


def test_missing_keys_never_show_a_bsn(engine: Engine, tmp_path: Path) -> None:
    # An iJw import makes person BSN-999900006 in household HH-999900006; a full refresh
    # with the exchange files then lists them as missing, with the BSN masked.
    from sdesk.services.exchange.istandaarden import import_messages

    assert import_messages(engine, [example_folder(tmp_path / "xml")]).ok
    folder = write_folder(tmp_path / "csv", {"huishoudens": BASE["huishoudens"],
                                             "personen": BASE["personen"]})
    result = import_sources(engine, [folder], full_refresh=True)
    by_name = {c.name: c for c in result.changes}
    assert by_name["personen"].missing_examples == ("BSN-*****0006",)
    assert by_name["huishoudens"].missing_examples == ("HH-*****0006",)
    assert "999900006" not in repr(result.changes)
