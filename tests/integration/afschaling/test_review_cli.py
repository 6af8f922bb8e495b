"""`sdesk review --json` and `sdesk export review`: fixed keys, same numbers as the service."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.afschaling.candidates import worklist, worklist_json
from sdesk.services.demo.generator import generate_demo
from sdesk.services.platform.actor import ANONYMOUS

AT = date(2026, 6, 30)


def test_review_json_and_export(engine: Engine, db_path: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    generate_demo(engine, size="tiny", seed=1)
    # Issue 14: without --user the command line sees no source numbers or person ids.
    expected = worklist_json(worklist(engine, ANONYMOUS, AT))
    with engine.connect() as conn:
        coordinator = conn.exec_driver_sql("SELECT external_id FROM employee WHERE role = "
                                           "'procescoordinator' LIMIT 1").scalar()
    engine.dispose()
    assert main(["review", "--db", str(db_path), "--at", AT.isoformat(), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["at", "scope", "candidates", "summary"]
    assert list(data["summary"]) == ["candidates", "expected_saving_total", "by_rule",
                                     "expected_saving_weighted", "saving_if_done_total",
                                     "capacity_per_month", "capacity_expected_saving",
                                     "running_allocations", "running_annual_cost", "chances",
                                     "team_fte", "capacity_months", "qualifying",
                                     "qualifying_expected_saving", "beyond_capacity"]
    assert data == expected and data["summary"]["candidates"] > 0
    assert list(data["candidates"][0]) == ["toewijzingnummer", "law", "person", "category",
                                           "product", "annual_cost", "rules",
                                           "expected_saving", "priority", "chance",
                                           "chance_source", "chance_decisions",
                                           "saving_if_done"]
    assert all(c["toewijzingnummer"].startswith("T-") and c["person"].startswith("P-")
               for c in data["candidates"])
    savings = [c["expected_saving"] for c in data["candidates"]]
    assert savings == sorted(savings, reverse=True)
    # --all-candidates: every candidate, beyond the team's month of work too.
    assert main(["review", "--db", str(db_path), "--at", AT.isoformat(), "--json",
                 "--all-candidates"]) == 0
    every = json.loads(capsys.readouterr().out)
    assert len(every["candidates"]) == every["summary"]["qualifying"] == (
        data["summary"]["qualifying"])
    assert every["candidates"][:len(data["candidates"])] == data["candidates"]
    out = tmp_path / "werklijst.xlsx"
    assert main(["export", "--db", str(db_path), "review", "--at", AT.isoformat(), "--out",
                 str(out), "--purpose", "werkoverleg", "--user", str(coordinator)]) == 0
    assert "Werklijst" in load_workbook(out, read_only=True).sheetnames


def test_review_defaults_to_the_last_day_with_data(engine: Engine, db_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """Like the screen: the claim windows end where the demo's claims do (31-10-2026), not
    today; the demo prepared that list, so the command reads it back."""
    generate_demo(engine, size="tiny", seed=1)
    engine.dispose()
    assert main(["review", "--db", str(db_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["at"] == "2026-10-31" and data["summary"]["candidates"] > 0
