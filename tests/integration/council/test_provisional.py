"""Provisional months in the council workbook (#15 item 4) and its one peildatum (item 3), on
the hand-made lag data of tests/integration/budget/test_lag_forecast.py: claims complete
through April 2025, May half in, June a tenth; the data end on 30 June 2025."""

from __future__ import annotations

import datetime as dt
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.services.council.workbook import CouncilRequest, write_council_workbook
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import Actor
from tests.integration.budget.test_lag_forecast import DATA
from tests.integration.exchange_data import write_folder

CARLA = Actor("Carla Controller", "controller")
LIGHT = "00EEF3FA"


@pytest.fixture
def lag_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "lag", DATA)]).ok
    return engine


def _row(ws: object, label: str) -> int:
    return next(c.row for c in ws["A"] if c.value == label)  # type: ignore[index]


def test_the_workbook_shows_provisional_months_and_the_lag_estimate(
        lag_engine: Engine, tmp_path: Path) -> None:
    # Without a peildatum the workbook uses the last day with data, as the screen and the
    # CLI do -- before #15 it used 31 December and forecast the year as realised so far.
    request = CouncilRequest(date(2025, 1, 1), date(2025, 6, 30), "jeugd", budget_year=2025,
                             internal=True)
    wb = load_workbook(write_council_workbook(lag_engine, tmp_path / "raad.xlsx", request,
                                              CARLA, sheets=("trends", "budget")))
    budget = wb["Begroting"]
    assert budget["A4"].value == "Peildatum 30-06-2025"
    line = _row(budget, "Jeugd 45")
    values = [budget.cell(row=line, column=c).value for c in (2, 3, 4, 5, 10, 11, 12)]
    assert values == [3300, 1246.5, 3285, "berekend", 382.5, dt.datetime(2025, 4, 30), "nee"]
    assert budget.cell(row=line, column=3).fill.fgColor.rgb == LIGHT
    assert budget.cell(row=line, column=2).fill.fgColor.rgb != LIGHT  # the budget is final
    income = _row(budget, "Eigen bijdrage")
    assert budget.cell(row=income, column=5).value == "begroting"
    assert budget.cell(row=income, column=9).value == (
        "geen declaraties en geen handmatige prognose: prognose = begroting")
    texts = [c.value for c in budget["A"] if isinstance(c.value, str)]
    assert ("Declaraties na 30-04-2025 zijn nog niet compleet; geschat nog te declareren: "
            "€ 382,50.") in texts
    total = _row(budget, "Totaal")
    assert budget.cell(row=total, column=10).value == "=SUM(J6:J7)"

    trends = wb["Trends"]
    months = {c.value.date(): c.row for c in trends["A"] if isinstance(c.value, dt.datetime)}
    filled = sorted(m for m, r in months.items()
                    if trends.cell(row=r, column=2).fill.fgColor.rgb == LIGHT)
    assert filled == [date(2025, 5, 1), date(2025, 6, 1)]
    assert any(isinstance(c.value, str) and c.value.startswith(
        "Lichte vulling: maanden na 30-04-2025") for c in trends["A"])

    explanation = [c.value for c in wb["Toelichting"]["A"] if c.value]
    assert "Peildatum en declaraties" in explanation
    assert not any("ligt na de laatste dag met gegevens" in str(t) for t in explanation)


def test_a_peildatum_after_the_data_is_warned_about_on_the_toelichting_sheet(
        lag_engine: Engine, tmp_path: Path) -> None:
    request = CouncilRequest(date(2025, 1, 1), date(2025, 12, 31), "jeugd", budget_year=2025,
                             at=date(2025, 12, 31), internal=True)
    wb = load_workbook(write_council_workbook(lag_engine, tmp_path / "raad.xlsx", request,
                                              CARLA, sheets=("budget",)))
    warning = ("De peildatum 31-12-2025 ligt na de laatste dag met gegevens (30-06-2025): wat "
               "na 30-06-2025 valt, is nog niet gedeclareerd en telt als verwachting, niet als "
               "realisatie.")
    assert warning in [c.value for c in wb["Toelichting"]["A"]]
    assert warning in [c.value for c in wb["Begroting"]["A"]]
