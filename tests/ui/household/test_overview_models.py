"""The issue-3 table models and money helpers, without a view."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from sdesk.services.household.coordination import PortfolioRow
from sdesk.services.household.cost_map import CostMapItem
from sdesk.services.household.package import (
    AllocationLine,
    CoordinationSummary,
    InterventionLine,
    PayerSaving,
)
from sdesk.services.platform.text import cents_to_input, euro_whole, parse_euro_cents
from sdesk.ui.household.models import (
    ClientLine,
    CostMapTableModel,
    InterventionTableModel,
    OverviewAllocationModel,
    PayerSavingModel,
    PortfolioTableModel,
    SavingRow,
)


def _cells(model: object, row: int) -> list[str]:
    return [model.data(model.index(row, c))  # type: ignore[attr-defined]
            for c in range(model.columnCount())]  # type: ignore[attr-defined]


@pytest.mark.parametrize("text, cents", [
    ("1.250,50", 125_050), ("1250,5", 125_050), ("€ 7.500", 750_000), ("7500.5", 750_050),
    ("300", 30_000), (" 0,05 ", 5), ("1.234.567", 123_456_700), ("", None), ("  ", None),
    ("€", None)])
def test_parse_euro_cents(text: str, cents: int | None) -> None:
    assert parse_euro_cents(text) == cents


@pytest.mark.parametrize("text", ["veel", "1,234", "12,3,4", "1.2.3,4x"])
def test_parse_euro_cents_refuses_what_is_no_amount(text: str) -> None:
    with pytest.raises(ValueError):
        parse_euro_cents(text)


def test_money_round_trips_and_whole_euros() -> None:
    assert parse_euro_cents(cents_to_input(125_050)) == 125_050
    assert euro_whole(10_000_000) == "€ 100.000"
    assert euro_whole(-149) == "€ -1"


def test_allocation_lines_show_labels_and_grey_out_inactive() -> None:
    line = AllocationLine(
        toewijzingnummer="J-1", person_id="P1", law="jeugd", category="45",
        category_label="Jeugdhulp ambulant", product="45A01 Ambulant", provider="Zorg BV",
        start=date(2025, 1, 1), end=None, volume=3.0, unit="04", frequency="2",
        tariff_cents=3450, budget_cents=None, active=False, annual_cost_cents=0,
        realised_12m_cents=120_000)
    model = OverviewAllocationModel()
    model.set_rows([ClientLine(line, "Jansen, Tim")])
    assert _cells(model, 0) == [
        "Jansen, Tim", "Jeugdwet", "45 Jeugdhulp ambulant", "45A01 Ambulant", "Zorg BV",
        "3 × Uur per week", "€ 34,50", "01-01-2025", "", "€ 0,00", "€ 1.200,00"]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None
    assert "J-1" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(OverviewAllocationModel.COL_REALISED, Qt.Orientation.Horizontal,
                            Qt.ItemDataRole.ToolTipRole)


def test_intervention_payer_is_dutch() -> None:
    model = InterventionTableModel()
    model.set_rows([ClientLine(InterventionLine("woningcorporatie", "Huurachterstand", None,
                                                None, 750_000), "")])
    assert _cells(model, 0) == ["Woningcorporatie", "Huurachterstand", "", "€ 7.500,00"]


def test_saving_total_row_is_bold() -> None:
    model = PayerSavingModel()
    model.set_rows([SavingRow("Gemeente", 300, 100), SavingRow("Totaal", 300, 100, total=True)])
    assert _cells(model, 0) == ["Gemeente", "€ 3,00", "€ 1,00", "€ 2,00"]
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole).bold()


def test_portfolio_rows_show_savings_after_attribution() -> None:
    summary = CoordinationSummary(
        case_id=1, status="open", coordinator="Ria", t0_date=date(2026, 1, 1),
        t1_date=date(2026, 7, 1), t1_frozen=False, attribution=0.5,
        by_payer={"gemeente": PayerSaving(100_000, 40_000), "politie": PayerSaving(3_001, 0)},
        by_bucket={"jeugd": PayerSaving(100_000, 40_000),
                   "maatschappelijk": PayerSaving(3_001, 0)})
    model = PortfolioTableModel()
    model.set_rows([PortfolioRow(1, "H1", "Ria", "open", summary)])
    cells = _cells(model, 0)
    assert cells[:5] == ["H1", "Ria", "Lopend", "€ 1.030,01", "€ 400,00"]
    assert cells[PortfolioTableModel.COL_JEUGD] == "€ 300,00"
    assert cells[PortfolioTableModel.COL_WMO] == "€ 0,00"
    assert cells[PortfolioTableModel.COL_MAATSCHAPPELIJK] == "€ 15,00"  # 3.001 × 0,5 rounded
    assert cells[PortfolioTableModel.COL_ATTRIBUTION] == "50 %"
    assert cells[PortfolioTableModel.COL_SAVING] == "€ 315,00"
    assert "voorlopig" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_cost_map_marks_estimates() -> None:
    model = CostMapTableModel()
    model.set_rows([
        CostMapItem(1, "Politie-inzet melding", "per melding", 30_000, "politie", 2024,
                    "Schatting (100-500 per melding)"),
        CostMapItem(2, "Bijstand gezin", "per jaar", 2_200_000, "gemeente", None, None)])
    assert _cells(model, 0) == ["Politie-inzet melding", "per melding", "€ 300,00", "2024",
                                "Politie", "Schatting (100-500 per melding)", "Schatting"]
    assert _cells(model, 1)[3:] == ["", "Gemeente", "", ""]
