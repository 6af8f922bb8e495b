"""The household workbook: four sheets, the same totals as the overview, euro formats, frozen
header block with date, user and filters on every sheet."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from sdesk.services.household.overview import HouseholdOverview, household_overview
from sdesk.services.household.package import (
    AllocationLine,
    CoordinationSummary,
    InterventionLine,
    MemberLine,
    PayerSaving,
)
from sdesk.services.household.workbook import EURO_FORMAT, write_household_workbook
from sdesk.services.platform.actor import SYSTEM

AT = date(2025, 6, 30)
PRINTED = datetime(2025, 7, 1, 9, 30)
USER = "Pim Coördinator (procescoördinator)"


def _allocation(number: str, law: str, annual: int, realised: int, *, person: str = "A",
                active: bool = True, **changes: object) -> AllocationLine:
    base: dict[str, object] = dict(
        toewijzingnummer=number, person_id=person, law=law, category="45",
        category_label="Jeugdhulp ambulant", product="45A48 Ambulant", provider="Zorg BV",
        start=date(2025, 1, 1), end=None, volume=2.0, unit="04", frequency="2",
        tariff_cents=7800, budget_cents=None, active=active, annual_cost_cents=annual,
        realised_12m_cents=realised)
    base.update(changes)
    return AllocationLine(**base)  # type: ignore[arg-type]


def _overview(coordination: CoordinationSummary | None = None) -> HouseholdOverview:
    allocations = [
        _allocation("J1", "jeugd", 811_200, 125_000, person="B"),
        _allocation("W1", "wmo", 414_000, 200_050, category="01",
                    category_label="Hulp bij het huishouden", frequency="4", tariff_cents=3450),
        _allocation("P1", "participatie", 1_200_000, 600_000, category="bijstand",
                    category_label="Algemene bijstand", volume=None, unit=None, frequency=None,
                    tariff_cents=None, budget_cents=1_200_000),
        _allocation("J0", "jeugd", 0, 10_000, person="B", active=False, end=date(2025, 3, 1)),
    ]
    interventions = [
        InterventionLine("politie", "Politie melding", "A", "Politie-inzet melding", 120_000),
        InterventionLine("zorgverzekeraar", "GGZ-behandeling", None, None, 450_000),
        InterventionLine("woningcorporatie", "Huurachterstand", "A", None, 0),
    ]
    by_law = {"jeugd": 811_200, "wmo": 414_000, "participatie": 1_200_000}
    by_payer = {"gemeente": 2_425_200, "politie": 120_000, "zorgverzekeraar": 450_000,
                "woningcorporatie": 0}
    return HouseholdOverview(
        household_id="H1", at=AT, wijk="Centrum", postcode="7551AB", composition="gezin",
        threshold_cents=10_000_000,
        members=[MemberLine("A", "Vos, Anna", date(1985, 1, 1), "999900006"),
                 MemberLine("B", "Vos, Bram", date(2012, 1, 1), None)],
        allocations=allocations, interventions=interventions, coordination=coordination,
        totals_by_law=by_law, totals_by_payer=by_payer)


def _summary() -> CoordinationSummary:
    return CoordinationSummary(
        case_id=7, status="evaluated", coordinator="Pim Coördinator",
        t0_date=date(2025, 1, 1), t1_date=AT, t1_frozen=True, attribution=0.5,
        by_payer={"gemeente": PayerSaving(3_000_000, 2_425_200),
                  "politie": PayerSaving(240_000, 120_000)},
        by_bucket={"jeugd": PayerSaving(1_000_000, 811_200),
                   "participatie": PayerSaving(2_000_000, 1_614_000),
                   "maatschappelijk": PayerSaving(240_000, 120_000)},
        notes="Eén plan, één regisseur")


def _row(ws: Worksheet, label: str, start: int = 1) -> int:
    for r in range(start, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == label:
            return r
    raise AssertionError(f"no row '{label}' in sheet {ws.title}")


def _header_column(ws: Worksheet, header_row: int, title: str) -> int:
    for c in range(1, ws.max_column + 1):
        if ws.cell(row=header_row, column=c).value == title:
            return c
    raise AssertionError(f"no column '{title}' in sheet {ws.title}")


@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    return write_household_workbook(_overview(_summary()), tmp_path / "uit" / "h1.xlsx", USER,
                                    printed_at=PRINTED)


def test_sheets_and_header_block_on_every_sheet(workbook_path: Path) -> None:
    assert workbook_path.exists()
    wb = load_workbook(workbook_path)
    assert wb.sheetnames == ["Overzicht", "Toewijzingen", "Interventies", "T0-T1"]
    for ws in wb:
        assert "H1" in ws["A1"].value
        assert ws["A1"].font.bold
        assert (ws["A2"].value, ws["B2"].value.date()) == ("Peildatum", AT)
        assert ws["B2"].number_format == "dd-mm-yyyy"
        assert (ws["A3"].value, ws["B3"].value) == ("Gebruiker", USER)
        assert (ws["A4"].value, ws["B4"].value) == ("Afgedrukt", PRINTED)
        assert ws["A5"].value == "Filters"
        assert ws["B5"].value == "peildatum 30-06-2025; drempel jaarkosten € 100.000,00"
        assert ws.freeze_panes is not None and int(ws.freeze_panes[1:]) >= 7


def test_overview_totals_are_the_overviews_numbers(workbook_path: Path) -> None:
    o = _overview()
    ws = load_workbook(workbook_path)["Overzicht"]
    assert ws.freeze_panes == "A7"
    total = ws.cell(row=_row(ws, "Jaarkosten totaal"), column=2)
    assert total.value == pytest.approx(o.total_annual_cost_cents / 100) == 29_952.00
    assert total.number_format == EURO_FORMAT
    assert total.font.bold
    assert ws.cell(row=_row(ws, "waarvan gemeente"), column=2).value == 24_252.00
    assert ws.cell(row=_row(ws, "waarvan andere financiers"), column=2).value == 5_700.00
    assert ws.cell(row=_row(ws, "Aantal aanbieders"), column=2).value == o.providers_count
    assert ws.cell(row=_row(ws, "Signalen"), column=2).value == (
        "Ondersteuning onder twee of meer wetten")
    per_law = _row(ws, "Wet")
    assert ws.cell(row=per_law, column=1).font.bold  # a header row
    assert [ws.cell(row=per_law + i, column=1).value for i in range(1, 5)] == [
        "Jeugdwet", "Wmo", "Participatiewet", "Totaal toewijzingen"]
    assert ws.cell(row=per_law + 4, column=2).value == 24_252.00
    per_payer = _row(ws, "Financier")
    payer_total = _row(ws, "Totaal", per_payer)
    assert ws.cell(row=per_payer + 1, column=1).value == "Gemeente"
    assert ws.cell(row=payer_total, column=2).value == 29_952.00
    assert ws.cell(row=payer_total, column=2).number_format == EURO_FORMAT
    assert ws.column_dimensions["A"].width >= len("waarvan andere financiers")


def test_allocation_sheet(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["Toewijzingen"]
    header = 7
    assert ws.freeze_panes == "A8"
    assert all(ws.cell(row=header, column=c).font.bold for c in range(1, ws.max_column + 1))
    annual = _header_column(ws, header, "Jaarbedrag")
    realised = _header_column(ws, header, "Realisatie 12 mnd")
    tariff = _header_column(ws, header, "Tarief")
    omvang = _header_column(ws, header, "Omvang")
    first = header + 1
    assert ws.cell(row=first, column=1).value == "J1"
    assert ws.cell(row=first, column=2).value == "Vos, Bram"
    assert ws.cell(row=first, column=3).value == "Jeugdwet"
    assert ws.cell(row=first, column=4).value == "45 Jeugdhulp ambulant"
    assert ws.cell(row=first, column=omvang).value == "2 × Uur per week"
    assert ws.cell(row=first, column=tariff).value == 78.00
    assert ws.cell(row=first, column=tariff).number_format == EURO_FORMAT
    assert ws.cell(row=first + 2, column=omvang).value == "Budget € 12.000,00"
    total = _row(ws, "Totaal", first)
    assert total == first + 4
    assert ws.cell(row=total, column=annual).value == 24_252.00
    assert ws.cell(row=total, column=realised).value == 9_350.50
    assert ws.cell(row=total, column=annual).number_format == EURO_FORMAT
    assert ws.cell(row=total, column=annual).font.bold
    start = _header_column(ws, header, "Begin")
    assert ws.cell(row=first, column=start).value.date() == date(2025, 1, 1)
    assert ws.cell(row=first, column=start).number_format == "dd-mm-yyyy"
    assert ws.column_dimensions["E"].width > 13  # Product, sized to its content


def test_intervention_sheet(workbook_path: Path) -> None:
    ws = load_workbook(workbook_path)["Interventies"]
    assert ws.freeze_panes == "A8"
    assert [ws.cell(row=r, column=1).value for r in range(8, 11)] == [
        "Politie", "Zorgverzekeraar", "Woningcorporatie"]
    total = _row(ws, "Totaal", 8)
    assert ws.cell(row=total, column=5).value == 5_700.00
    assert ws.cell(row=total, column=5).number_format == EURO_FORMAT


def test_t0_t1_sheet(workbook_path: Path) -> None:
    s = _summary()
    ws = load_workbook(workbook_path)["T0-T1"]
    assert ws.cell(row=_row(ws, "Coördinator"), column=2).value == "Pim Coördinator"
    assert ws.cell(row=_row(ws, "Status"), column=2).value == "Geëvalueerd"
    assert ws.cell(row=_row(ws, "T0 (intake)"), column=2).value.date() == date(2025, 1, 1)
    attribution = ws.cell(row=_row(ws, "Toerekening"), column=2)
    assert (attribution.value, attribution.number_format) == (0.5, "0%")
    payers = _row(ws, "Financier")
    assert [ws.cell(row=payers, column=c).value for c in range(1, 5)] == [
        "Financier", "T0 (intake)", "T1 (evaluatie)", "Besparing"]
    payer_total = _row(ws, "Totaal", payers)
    assert [ws.cell(row=payer_total, column=c).value for c in range(2, 5)] == [
        32_400.00, 25_452.00, 6_948.00]
    buckets = _row(ws, "Post")
    assert [ws.cell(row=buckets + i, column=1).value for i in range(1, 7)] == [
        "Jeugdhulp", "Wmo", "Participatiewet", "Overig gemeentelijk",
        "Overig maatschappelijk", "Totaal"]
    assert ws.cell(row=_row(ws, "Totale besparing"), column=2).value == (
        s.total_saving_cents / 100)
    attributed = ws.cell(row=_row(ws, "Toegerekende besparing"), column=2)
    assert attributed.value == s.attributed_saving_cents / 100 == 3_474.00
    assert attributed.number_format == EURO_FORMAT
    assert ws.cell(row=_row(ws, "waarvan gemeentelijk"), column=2).value == 2_874.00
    assert ws.cell(row=_row(ws, "waarvan maatschappelijk"), column=2).value == 600.00


def test_without_a_case_the_t0_t1_sheet_says_so(tmp_path: Path) -> None:
    path = write_household_workbook(_overview(), tmp_path / "h1.xlsx", USER, PRINTED)
    ws = load_workbook(path)["T0-T1"]
    assert "Geen procescoördinatietraject" in ws["A7"].value


def test_from_the_sample_database_same_totals(sample_engine: Engine, tmp_path: Path) -> None:
    o = household_overview(sample_engine, SYSTEM, "H001", date(2025, 6, 30))
    path = write_household_workbook(o, tmp_path / "h001.xlsx", "systeem (procescoördinator)")
    wb = load_workbook(path)
    ws = wb["Overzicht"]
    assert ws.cell(row=_row(ws, "Jaarkosten totaal"), column=2).value == pytest.approx(
        o.total_annual_cost_cents / 100)
    ws = wb["Toewijzingen"]
    annual = _header_column(ws, 7, "Jaarbedrag")
    rows = range(8, _row(ws, "Totaal", 8))
    assert sorted(ws.cell(row=r, column=1).value for r in rows) == sorted(
        a.toewijzingnummer for a in o.allocations)
    assert ws.cell(row=_row(ws, "Totaal", 8), column=annual).value == pytest.approx(
        sum(a.annual_cost_cents for a in o.allocations) / 100)
