"""Begroting vs realisatie and prognose (DESIGN section 4), pinned by hand.

One allocation X: jeugd 45, 2 uur per week at EUR 70 from 2024-01-01, open-ended; its daily
rate is 2 x 7000 x 52 / 365 cents. Claims: EUR 455 every month from July 2024 to June 2025.
Peildatum 2025-06-30:
  realisatie 2025 = 6 x 45,500 = 273,000 cents
  uitnutting over 2024-07-01..2025-06-30 (365 days) = 12 x 45,500 / (2 x 7000 x 52) = 0.75
  rest of the year 2025-07-01..12-31 = 184 days: commitment = 728,000 x 184 / 365
  prognose = 273,000 + 0.75 x 728,000 x 184 / 365 = 548,243.84 -> 548,244 cents
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.budget.realisation import cumulative_realisation
from sdesk.services.budget.report import (
    budget_json,
    budget_report,
    set_explanation,
    set_manual_forecast,
)
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import SYSTEM
from sdesk.services.platform.errors import NotFoundError
from tests.integration.exchange_data import dump, write_folder

MONTHS = ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01",
          "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]

DATA = {
    "huishoudens": [["huishouden_id"], ["H1"]],
    "personen": [["persoon_id", "huishouden_id", "geboortedatum"], ["P1", "H1", "2012-01-01"]],
    "toewijzingen": [["toewijzingnummer", "persoon_id", "wet", "productcategorie",
                      "ingangsdatum", "volume", "eenheid", "frequentie", "tarief"],
                     ["X", "P1", "jeugd", "45", "2024-01-01", "2", "04", "2", "70"]],
    "declaraties": [["toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"]]
    + [["X", "jeugd", f"{m}-01", f"{m}-28", "455"] for m in MONTHS],
    # A council table: two cost lines with a manual forecast, an income line, a computed line
    # and a line whose selection has no allocations at all. The selections do not overlap
    # (#15: overlapping lines are refused at import).
    "begroting": [["jaar", "post", "bedrag", "wet", "productcategorieen", "leveringsvorm",
                   "prognose"],
                  ["2025", "Jeugd ambulant (raming)", "1000000", "jeugd", "54", "", "1080000"],
                  ["2025", "Wmo huishoudelijke hulp", "500000", "wmo", "01", "", "490000"],
                  ["2025", "Eigen bijdrage Wmo", "-200000", "", "", "", "-170000"],
                  ["2025", "Jeugd 45 berekend", "6000", "jeugd", "45", "zin", ""],
                  ["2025", "Wmo begeleiding", "1000", "wmo", "02", "", ""]],
}
AT = date(2025, 6, 30)


@pytest.fixture
def budget_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "b", DATA)]).ok
    return engine


def test_council_table(budget_engine: Engine) -> None:
    report = budget_report(budget_engine, 2025, AT)
    rows = {r.post: r for r in report.lines}
    manual = rows["Jeugd ambulant (raming)"]
    assert (manual.restant_cents, manual.v_n, manual.prognose_source) == (-8_000_000, "N",
                                                                          "manual")
    assert manual.afwijking_pct == pytest.approx(-8.0)
    assert manual.needs_explanation()  # 8 % and EUR 80.000
    hbh = rows["Wmo huishoudelijke hulp"]
    assert (hbh.restant_cents, hbh.v_n) == (1_000_000, "V")
    assert hbh.afwijking_pct == pytest.approx(2.0)
    assert not hbh.needs_explanation()
    income = rows["Eigen bijdrage Wmo"]  # EUR 30.000 less income than budgeted
    assert (income.restant_cents, income.v_n) == (-3_000_000, "N")
    assert income.afwijking_pct == pytest.approx(-15.0)
    assert income.needs_explanation()


def test_computed_forecast_by_hand(budget_engine: Engine) -> None:
    row = {r.post: r for r in budget_report(budget_engine, 2025, AT).lines}["Jeugd 45 berekend"]
    assert row.realisatie_cents == 273_000
    assert row.uitnutting == pytest.approx(546_000 / 728_000)
    expected = round(273_000 + 0.75 * 728_000 * 184 / 365)
    assert row.prognose_cents == expected == 548_244
    assert (row.restant_cents, row.v_n) == (600_000 - 548_244, "V")
    assert row.afwijking_pct == pytest.approx((600_000 - 548_244) / 600_000 * 100)
    # 8.6 % but only EUR 517,56: below the EUR 15.000 threshold, so no explanation needed.
    assert not row.needs_explanation()
    assert row.needs_explanation(pct=5, cents=50_000)


def test_a_line_without_claims_is_forecast_as_budgeted_and_says_so(
        budget_engine: Engine) -> None:
    # #15: a line whose selection holds no allocation nor claim (regiotaxi, say) has nothing to
    # compute from: without a manual forecast its forecast is its budget, and the row says so.
    row = {r.post: r for r in budget_report(budget_engine, 2025, AT).lines}["Wmo begeleiding"]
    assert (row.uitnutting, row.realisatie_cents, row.prognose_cents) == (1.0, 0, 100_000)
    assert row.prognose_source == "begroting"
    assert row.note == "geen declaraties en geen handmatige prognose: prognose = begroting"
    assert (row.lag_estimate_cents, row.complete_through) == (0, None)
    manual = {r.post: r for r in budget_report(budget_engine, 2025, AT).lines}[
        "Wmo huishoudelijke hulp"]
    assert (manual.prognose_source, manual.note) == (
        "manual", "geen declaraties: prognose = handmatige prognose")


def test_totals_and_json(budget_engine: Engine, db_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    report = budget_report(budget_engine, 2025, AT)
    begroting = 100_000_000 + 50_000_000 - 20_000_000 + 600_000 + 100_000
    prognose = 108_000_000 + 49_000_000 - 17_000_000 + 548_244 + 100_000
    assert (report.begroting_cents, report.prognose_cents) == (begroting, prognose)
    assert report.restant_cents == begroting - prognose
    budget_engine.dispose()
    assert main(["budget", "--db", str(db_path), "--year", "2025", "--at", "2025-06-30",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # The keys from before #15 keep their names and order; the added ones come after them.
    assert list(data) == ["year", "at", "lines", "total", "complete_through"]
    assert list(data["lines"][0]) == ["post", "begroting", "realisatie", "prognose",
                                      "prognose_source", "restant", "v_n", "afwijking_pct",
                                      "lag_estimate", "complete_through", "subtotal", "note"]
    assert list(data["total"]) == ["begroting", "realisatie", "prognose", "restant", "v_n",
                                   "afwijking_pct", "lag_estimate"]
    # Claims of May and June reach their expected level (uitnutting 0.75 > the 0.625 of the
    # twelve months before), so nothing is provisional and nothing is estimated.
    assert data["complete_through"] == "2025-06-30"
    assert data["total"]["lag_estimate"] == 0.0
    assert data["lines"][3]["prognose"] == 5482.44
    assert data == budget_json(report)


def test_manual_forecast_and_explanation(budget_engine: Engine, db_path: Path) -> None:
    set_manual_forecast(budget_engine, SYSTEM, 2025, "Jeugd 45 berekend", 700_000)
    set_explanation(budget_engine, SYSTEM, 2025, "Jeugd 45 berekend", "Meer instroom.")
    row = {r.post: r for r in budget_report(budget_engine, 2025, AT).lines}["Jeugd 45 berekend"]
    assert (row.prognose_cents, row.prognose_source, row.computed_prognose_cents) == (
        700_000, "manual", 548_244)
    assert row.explanation == "Meer instroom."
    set_manual_forecast(budget_engine, SYSTEM, 2025, "Jeugd 45 berekend", None)
    assert {r.post: r for r in budget_report(budget_engine, 2025, AT).lines}[
        "Jeugd 45 berekend"].prognose_source == "computed"
    before = dump(db_path)
    with pytest.raises(NotFoundError):
        set_explanation(budget_engine, SYSTEM, 2025, "Bestaat niet", "x")
    with pytest.raises(NotFoundError, match="geen begroting voor 2030"):
        budget_report(budget_engine, 2030, AT)
    assert dump(db_path) == before


def test_cumulative_realisation(budget_engine: Engine) -> None:
    frame = cumulative_realisation(budget_engine, 2025)
    assert frame["realised_cents"].tolist() == [45_500] * 6 + [0] * 6
    assert frame["cumulative_cents"].iloc[-1] == 273_000


def test_income_line_without_manual_forecast_is_forecast_as_budgeted(
        budget_engine: Engine) -> None:
    set_manual_forecast(budget_engine, SYSTEM, 2025, "Eigen bijdrage Wmo", None)
    income = {r.post: r for r in budget_report(budget_engine, 2025, AT).lines}[
        "Eigen bijdrage Wmo"]
    assert (income.realisatie_cents, income.prognose_cents, income.restant_cents,
            income.v_n) == (0, -20_000_000, 0, "V")
