"""Table models are tested without a view: rows in, display strings and sort order out."""

from datetime import date

from PySide6.QtCore import Qt

from sdesk.services.exchange.importer import ImportIssue
from sdesk.services.household.directory import AllocationRow, HouseholdRow
from sdesk.services.platform.text import euro, group_thousands, short_date
from sdesk.ui.exchange.models import IssueTableModel
from sdesk.ui.household.models import AllocationTableModel, HouseholdTableModel
from sdesk.ui.shell.table_models import ROW_ROLE, SORT_ROLE


def _household(n: int, members: int) -> HouseholdRow:
    return HouseholdRow(id=n, external_id=f"H{n:03d}", wijk="Centrum", postcode="7551AB",
                        composition=None, member_count=members, names="Jansen",
                        laws=("jeugd", "wmo"))


def _allocation(**changes: object) -> AllocationRow:
    base = dict(id=1, toewijzingnummer="J-1", law="jeugd", category="45",
                category_label="Jeugdhulp ambulant", product_code="45A01",
                description="Ambulant", provider="Zorg BV", delivery_form="zin",
                start=date(2025, 1, 1), end=None, volume=3.0, unit="04", unit_label="Uur",
                frequency="2", omvang="3 × Uur per week", budget_cents=None,
                tariff_cents=3450, annual_run_rate_cents=538_200)
    base.update(changes)
    return AllocationRow(**base)  # type: ignore[arg-type]


def test_euro_is_dutch() -> None:
    assert euro(123456) == "€ 1.234,56"
    assert euro(5) == "€ 0,05"
    assert euro(-123456789) == "€ -1.234.567,89"
    assert euro(None) == ""
    assert group_thousands(30000) == "30.000"
    assert short_date(date(2025, 3, 2)) == "02-03-2025"


def test_household_model_displays_and_exposes_rows() -> None:
    model = HouseholdTableModel()
    rows = [_household(1, 2), _household(2, 10)]
    model.set_rows(rows)
    assert model.rowCount() == 2
    assert model.columnCount() == 7
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Huishouden"
    assert model.data(model.index(0, HouseholdTableModel.COL_ID)) == "H001"
    assert model.data(model.index(0, HouseholdTableModel.COL_LAWS)) == "Jeugd, Wmo"
    assert model.data(model.index(1, HouseholdTableModel.COL_MEMBERS)) == "10"
    assert model.data(model.index(1, 0), ROW_ROLE) is rows[1]


def test_numeric_columns_sort_numerically() -> None:
    model = HouseholdTableModel()
    model.set_rows([_household(1, 2), _household(2, 10), _household(3, 9)])
    model.sort(HouseholdTableModel.COL_MEMBERS, Qt.SortOrder.DescendingOrder)
    assert [model.row_at(i).member_count for i in range(3)] == [10, 9, 2]
    assert model.data(model.index(0, HouseholdTableModel.COL_MEMBERS), SORT_ROLE) == 10


def test_allocation_model_formats_money_and_omvang() -> None:
    model = AllocationTableModel()
    model.set_rows([
        _allocation(),
        _allocation(id=2, law="wmo", category="02", category_label="Begeleiding",
                    volume=None, omvang="Budget", budget_cents=1_200_000, tariff_cents=None,
                    end=date(2025, 12, 31), annual_run_rate_cents=1_200_000),
    ])

    def cell(row: int, col: int) -> str:
        return model.data(model.index(row, col))

    assert cell(0, AllocationTableModel.COL_LAW) == "Jeugdwet"
    assert cell(0, AllocationTableModel.COL_CATEGORY) == "45 Jeugdhulp ambulant"
    assert cell(0, AllocationTableModel.COL_PRODUCT) == "45A01 Ambulant"
    assert cell(0, AllocationTableModel.COL_OMVANG) == "3 × Uur per week"
    assert cell(0, AllocationTableModel.COL_TARIFF) == "€ 34,50"
    assert cell(0, AllocationTableModel.COL_ANNUAL) == "€ 5.382,00"
    assert cell(0, AllocationTableModel.COL_END) == ""
    assert cell(1, AllocationTableModel.COL_OMVANG) == "Budget € 12.000,00"
    assert cell(1, AllocationTableModel.COL_TARIFF) == ""
    assert cell(1, AllocationTableModel.COL_END) == "31-12-2025"
    # Open-ended allocations sort after every end date.
    model.sort(AllocationTableModel.COL_END)
    assert model.row_at(1).end is None
    assert "J-1" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)


def test_issue_model_columns() -> None:
    model = IssueTableModel()
    model.set_rows([ImportIssue("huishoudens.csv", None, "huishouden_id", "kolom ontbreekt"),
                    ImportIssue("personen.csv", 12, "bsn", "geen geldig BSN")])
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Bestand", "Regel", "Kolom", "Reden"]
    assert model.data(model.index(0, IssueTableModel.COL_LINE)) == ""
    assert model.data(model.index(1, IssueTableModel.COL_LINE)) == "12"
    assert model.data(model.index(1, IssueTableModel.COL_REASON)) == "geen geldig BSN"
