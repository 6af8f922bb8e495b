"""The lag-aware forecast through budget_report and `sdesk budget --json` (#15 items 1-3).

One jeugd allocation (category 45) with a budget of EUR 7,310 over 2024-01-01..2025-12-31:
EUR 10 a day. Every month is claimed at 90 % of its days x EUR 10, except May 2025 (half in)
and June 2025 (a tenth in): providers have not declared them yet. The data end on 2025-06-30,
so that is the default peildatum. By hand, in EUR:
  complete (January-April 2025): 0.9 x 120 x 10                  = 1,080.00
  May: max(claimed 139.50, 0.9 x 31 x 10 = 279.00)                =   279.00
  June: max(claimed 27.00, 0.9 x 30 x 10 = 270.00)                =   270.00
  July-December: 0.9 x 184 x 10                                   = 1,656.00
  prognose = 3,285.00 = 0.9 x 365 x 10, the eventual full year
  lag_estimate = (279 - 139.50) + (270 - 27)                       =   382.50
  realisatie = 1,080 + 139.50 + 27                                 = 1,246.50
The lag-blind forecast of before #15 was 2,709.52: 17.5 % low.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.budget.report import budget_json, budget_report
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.periods import month_end
from tests.integration.exchange_data import write_folder

SHORT = {(2025, 5): 0.5, (2025, 6): 0.1}
MONTHS = [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]


def _amount(year: int, month: int) -> str:
    cents = round(90 * month_end(year, month).day * 10 * SHORT.get((year, month), 1.0))
    return f"{cents // 100},{cents % 100:02d}"


DATA = {
    "huishoudens": [["huishouden_id"], ["H1"]],
    "personen": [["persoon_id", "huishouden_id", "geboortedatum"], ["P1", "H1", "2012-01-01"]],
    "toewijzingen": [["toewijzingnummer", "persoon_id", "wet", "productcategorie",
                      "ingangsdatum", "einddatum", "budget"],
                     ["X", "P1", "jeugd", "45", "2024-01-01", "2025-12-31", "7310"]],
    "declaraties": [["toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"]]
    + [["X", "jeugd", f"{y}-{m:02d}-01", month_end(y, m).isoformat(), _amount(y, m)]
       for y, m in MONTHS],
    "begroting": [["jaar", "post", "bedrag", "wet", "productcategorieen", "leveringsvorm",
                   "prognose"],
                  ["2025", "Jeugd 45", "3300", "jeugd", "45", "", ""],
                  ["2025", "Eigen bijdrage", "-100", "", "", "", ""]],
}


@pytest.fixture
def lag_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "lag", DATA)]).ok
    return engine


def test_provisional_months_are_forecast_from_their_commitment(lag_engine: Engine) -> None:
    report = budget_report(lag_engine, 2025)  # default peildatum: the last day with data
    assert report.at == date(2025, 6, 30)
    row = report.lines[0]
    assert row.complete_through == report.complete_through == date(2025, 4, 30)
    assert report.provisional and row.provisional(report.at)
    assert row.realisatie_cents == 124_650
    assert row.lag_estimate_cents == 38_250
    assert row.prognose_cents == 328_500
    assert row.prognose_source == "computed"
    eventual = 328_500  # 0.9 x 365 x EUR 10: what the year costs once all is declared
    assert abs(row.prognose_cents - eventual) / eventual < 0.03
    lag_blind = 124_650 + 184 * 1000 * (0.9 * 304 + 13.95 + 2.7) / 365
    assert round(1 - lag_blind / eventual, 3) == 0.175
    assert report.provisional_note() == ("Declaraties na 30-04-2025 zijn nog niet compleet; "
                                         "geschat nog te declareren: € 382,50.")


def test_budget_json_shows_the_lag_estimate(lag_engine: Engine, db_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    expected = budget_json(budget_report(lag_engine, 2025, date(2025, 6, 30)))
    lag_engine.dispose()
    assert main(["budget", "--db", str(db_path), "--year", "2025", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data == expected
    assert (data["at"], data["complete_through"]) == ("2025-06-30", "2025-04-30")
    line, income = data["lines"]
    assert (line["lag_estimate"], line["prognose"], line["complete_through"]) == (
        382.5, 3285.0, "2025-04-30")
    assert (income["lag_estimate"], income["complete_through"], income["prognose_source"]) == (
        0.0, None, "begroting")
    assert data["total"]["lag_estimate"] == 382.5
    assert data["total"]["prognose"] == 3285.0 - 100.0
    assert captured.err == ""  # the default peildatum never warns


def test_a_peildatum_after_the_data_is_warned_about(lag_engine: Engine, db_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    lag_engine.dispose()
    assert main(["budget", "--db", str(db_path), "--year", "2025", "--at", "2025-09-30",
                 "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["at"] == "2025-09-30"
    assert "De peildatum 30-09-2025 ligt na de laatste dag met gegevens (30-06-2025)" in (
        captured.err)
