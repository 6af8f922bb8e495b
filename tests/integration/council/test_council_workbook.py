"""The council workbook: formulas, native charts, small-cell suppression, same numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.council.workbook import CouncilRequest, write_council_workbook
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import Actor
from tests.integration.budget import test_budget
from tests.integration.exchange_data import write_folder
from tests.integration.kpi import test_kpis


@pytest.fixture
def council_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "k", test_kpis.DATA)]).ok
    budget = {"begroting": test_budget.DATA["begroting"]}
    assert import_sources(engine, [write_folder(tmp_path / "b", budget)]).ok
    return engine

CARLA = Actor("Carla", "controller")
KLAAS = Actor("Klaas", "klantmanager")


def _find_row(ws, label: str) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == label:
            return row[0].row
    raise AssertionError(f"{label} not on {ws.title}")


def test_sheets_formulas_charts(council_engine: Engine, tmp_path: Path) -> None:
    # Internal use, so that every number and formula is there: for the council nearly every
    # figure of this tiny data set is about fewer than 10 persons (see the next test).
    path = write_council_workbook(
        council_engine, tmp_path / "raad.xlsx",
        CouncilRequest(date(2025, 1, 1), date(2025, 6, 30), "jeugd", budget_year=2025,
                       at=date(2025, 6, 30), trend_from=date(2024, 1, 1), internal=True),
        CARLA)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Toelichting", "Kengetallen", "Trends", "Begroting"]
    kpi = wb["Kengetallen"]
    assert "Carla" in kpi["A3"].value
    row = _find_row(kpi, "Gerealiseerde kosten")
    assert kpi.cell(row=row, column=2).value == 5050.0
    assert kpi.cell(row=row, column=5).value.startswith("=B")  # difference is a formula
    assert kpi.freeze_panes is not None and kpi.auto_filter.ref
    trends = wb["Trends"]
    assert len(trends._charts) == 2  # costs per month (line), inflow/outflow (bars)
    budget = wb["Begroting"]
    first = _find_row(budget, "Jeugd ambulant (raming)")
    assert budget.cell(row=first, column=2).value == 1_000_000
    assert budget.cell(row=first, column=6).value == f"=B{first}-D{first}"
    assert budget.cell(row=first, column=7).value == f'=IF(F{first}>=0,"V","N")'
    assert budget.cell(row=first, column=8).value == f'=IF(B{first}=0,"",F{first}/ABS(B{first}))'
    total = _find_row(budget, "Totaal")
    assert budget.cell(row=total, column=2).value.startswith("=SUM(B")
    assert budget.cell(row=first, column=2).number_format.startswith('"€"')


def test_seven_clients_are_shielded_on_every_sheet(council_engine: Engine,
                                                    tmp_path: Path) -> None:
    path = write_council_workbook(
        council_engine, tmp_path / "raad.xlsx",
        CouncilRequest(date(2025, 1, 1), date(2025, 6, 30), "jeugd", budget_year=2025,
                       at=date(2025, 6, 30), trend_from=date(2024, 1, 1)), CARLA)
    wb = load_workbook(path)
    kpi = wb["Kengetallen"]
    assert "afgeschermd" in kpi["A3"].value
    # Seven clients: fewer than ten persons, so their number and (issue 14) their costs are
    # suppressed for the council, and clients per 1,000 inhabitants (7 of 1,000) with them.
    for label in ("Cliënten", "Gerealiseerde kosten", "Kosten in constante prijzen"):
        assert kpi.cell(row=_find_row(kpi, label), column=2).value == "<10", label
    assert kpi.cell(row=_find_row(kpi, "Cliënten per 1.000 inwoners"), column=2).value == "x"
    # Category 45 (5 clients) cost EUR 3,000: the budget line that selects jeugd 45 showed
    # that amount as its realisation; now it is suppressed as well.
    budget = wb["Begroting"]
    line = _find_row(budget, "Jeugd 45 berekend")
    assert budget.cell(row=line, column=3).value == "<10"
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert 3000 not in values and 5050 not in values


def test_internal_export_shows_small_counts(council_engine: Engine, tmp_path: Path) -> None:
    path = write_council_workbook(
        council_engine, tmp_path / "intern.xlsx",
        CouncilRequest(date(2025, 1, 1), date(2025, 6, 30), "jeugd", internal=True),
        KLAAS, sheets=("kpi",), include_persons=True)
    wb = load_workbook(path)
    kpi = wb["Kengetallen"]
    assert kpi.cell(row=_find_row(kpi, "Cliënten"), column=2).value == 7
    persons = wb["Personen"]
    names = [c.value for c in persons["A"]][6:]
    # Pseudonyms whoever exports: even a klantmanager, who sees names on screen.
    assert names and all(n.startswith("P-") for n in names)


def test_cli_export_kpi_and_budget(council_engine: Engine, db_path: Path,
                                   tmp_path: Path) -> None:
    council_engine.dispose()
    out = tmp_path / "kpi.xlsx"
    assert main(["export", "--db", str(db_path), "kpi", "--from", "2025-01-01", "--to",
                 "2025-06-30", "--law", "jeugd", "--out", str(out), "--purpose", "raad",
                 "--user", "M1"]) == 0
    assert load_workbook(out).sheetnames == ["Toelichting", "Kengetallen", "Trends",
                                             "Begroting"]
    out = tmp_path / "budget.xlsx"
    assert main(["export", "--db", str(db_path), "budget", "--year", "2025", "--at",
                 "2025-06-30", "--out", str(out), "--purpose", "raad", "--user", "M1"]) == 0
    assert load_workbook(out).sheetnames == ["Toelichting", "Begroting"]
