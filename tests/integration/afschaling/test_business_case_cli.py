"""`sdesk review decide`, `sdesk review business-case --json` and `sdesk export business-case`
on the hand-made data of test_realised_saving (#16)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.afschaling.results import business_case, business_case_json
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform import audit
from sdesk.services.platform.users import actor_for
from tests.integration.afschaling.test_realised_saving import AFTER, BEFORE
from tests.integration.exchange_data import dump, write_folder

STAFF = {**BEFORE, "medewerkers": [*BEFORE["medewerkers"],
                                   ["M9", "Carla Controller", "controller", "Financiën"]]}


@pytest.fixture
def cli_db(engine: Engine, db_path: Path, tmp_path: Path) -> Path:
    assert import_sources(engine, [write_folder(tmp_path / "before", STAFF)]).ok
    engine.dispose()
    return db_path


def decide(db_path: Path, *extra: str) -> int:
    return main(["review", "decide", *extra, "--db", str(db_path), "--law", "wmo",
                 "--date", "2025-03-31"])


def test_decide_records_like_the_screen(cli_db: Path, engine: Engine,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # A Dutch label is accepted; the reviewer is the --user.
    assert decide(cli_db, "A3", "--decision", "Beëindigen", "--user", "M1", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["decision"] == "stop" and out["review_date"] == "2025-03-31"
    assert decide(cli_db, "A4", "--decision", "scale_down", "--new-volume", "2",
                  "--note", "Minder uren", "--user", "M1") == 0
    assert capsys.readouterr().out.startswith("Beoordeling ")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT a.toewijzingnummer, r.decision, r.new_volume, r.notes, e.external_id, "
            "r.expected_annual_saving_cents, r.realised_daily_cost_cents FROM review r "
            "JOIN allocation a ON a.id = r.allocation_id JOIN employee e "
            "ON e.id = r.employee_id ORDER BY r.id").all()
    assert [tuple(r) for r in rows] == [
        ("A3", "stop", None, None, "M1", 4 * 7000 * 52, 10_000.0),
        ("A4", "scale_down", 2.0, "Minder uren", "M1", 2 * 7000 * 52, 10_000.0)]
    assert audit.list_events(engine, action=audit.CHANGE, limit=1)[0].object.endswith(
        "toewijzing A4 (wmo) scale_down op 2025-03-31")


@pytest.mark.parametrize(("args", "message"), [
    (["A3", "--decision", "pauze", "--user", "M1"],
     "fout: Onbekend besluit 'pauze'; kies uit continue (Ongewijzigd voortzetten), "
     "scale_down (Afschalen), stop (Beëindigen), to_general_provision (Naar voorliggend veld), "
     "to_other_law (Naar andere wet (Wlz, Zvw))."),
    (["A3", "--decision", "stop", "--user", "M9"],
     "fout: Als controller mag u geen afschalingsbesluiten vastleggen."),
    (["--decision", "stop", "--user", "M1"],
     "fout: Geef ook TOEWIJZINGNUMMER op: sdesk review decide TOEWIJZINGNUMMER --law WET "
     "--decision BESLUIT --date DATUM --user ID"),
])
def test_decide_refusals_change_nothing(cli_db: Path, args: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    before = dump(cli_db)
    assert decide(cli_db, *args) == 2
    assert capsys.readouterr().err.startswith(message)
    assert dump(cli_db) == before


def test_business_case_json_and_export(cli_db: Path, engine: Engine, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert decide(cli_db, "A3", "--decision", "stop", "--user", "M1") == 0
    assert decide(cli_db, "A1", "--decision", "stop", "--user", "M1") == 0
    assert import_sources(engine, [write_folder(tmp_path / "after", AFTER)]).ok
    expected = business_case_json(business_case(
        engine, date(2025, 12, 31), 1.0, 8_000_000, since=date(2025, 1, 1),
        actor=actor_for(engine, "M1")))
    engine.dispose()
    capsys.readouterr()
    assert main(["review", "business-case", "--db", str(cli_db), "--at", "2025-12-31",
                 "--since", "2025-01-01", "--fte", "1", "--cost-per-fte", "80000",
                 "--user", "M1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == expected
    assert {"reviews", "outcomes", "expected_annual_saving", "realised_saving",
            "return_on_capacity", "by_team", "per_review", "reentry_31d",
            "reentry_12m"} <= set(data)
    rows = {r["toewijzingnummer"]: r for r in data["per_review"]}
    assert {k: rows["A3"][k] for k in ("executed", "realised_saving", "replacement_cost")} == {
        "executed": True, "realised_saving": 14_450.0, "replacement_cost": 13_050.0}
    assert (rows["A1"]["executed"], rows["A1"]["realised_saving"]) == (False, 0.0)
    assert data["reentry_31d"]["total"] == 1

    # Without --fte: a Dutch message, nothing printed on stdout.
    assert main(["review", "business-case", "--db", str(cli_db), "--at", "2025-12-31",
                 "--json"]) == 2
    assert "--fte" in capsys.readouterr().err

    out = tmp_path / "bc.xlsx"
    assert main(["export", "--db", str(cli_db), "business-case", "--at", "2025-12-31",
                 "--from", "2025-01-01", "--fte", "1", "--cost-per-fte", "80000", "--out",
                 str(out), "--purpose", "verantwoording raad", "--user", "M1"]) == 0
    wb = load_workbook(out, read_only=True)
    assert wb.sheetnames == ["Business case", "Per team", "Per medewerker", "Beoordelingen"]
    event = audit.list_events(engine, action=audit.EXPORT, limit=1)[0]
    assert "verantwoording raad" in (event.object or "") + str(event)
