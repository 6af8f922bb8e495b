"""Read-only table models over lists of service dataclasses.

A model is a list of `Column`s; each column says how to display, sort and align a row. Sorting
happens on the Python list with raw keys, so there is no proxy and no 32-bit int truncation.
Models never open dialogs and never query the database: pages fetch rows in the background and
hand them over with `set_rows`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from sdesk.ui.formatting import LAW_SHORT, euro, group_thousands, law_name, short_date

if TYPE_CHECKING:
    from sdesk.services.directory import AllocationRow, HouseholdRow, PersonRow
    from sdesk.services.importer import ImportIssue

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's dataclass
SORT_ROLE = Qt.ItemDataRole.UserRole  # the raw sort key

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    display: Callable[[T], str]
    # Must return comparable values for all rows of the column (no None).
    sort_key: Callable[[T], Any] | None = None
    numeric: bool = False


class RowTableModel(QAbstractTableModel, Generic[T]):
    columns: ClassVar[Sequence[Column[Any]]] = ()
    width_caps: ClassVar[dict[int, int]] = {}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        if role == SORT_ROLE:
            return self._sort_key(column)(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            # The full cell text, since long columns are capped and elided in the view.
            parts = [column.display(row), self.tooltip(row)]
            return "\n".join(p for p in parts if p) or None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if self.columns[section].numeric else _LEFT)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        # Keep selections pointing at the same rows: remember persistent indexes by row object.
        persistent = self.persistentIndexList()
        before = [(self._rows[i.row()], i.column()) for i in persistent]
        self._rows.sort(key=self._sort_key(self.columns[column]),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent, [self.index(position[id(row)], col) for row, col in before])
        self.layoutChanged.emit()

    def tooltip(self, row: T) -> str | None:
        return None

    @staticmethod
    def _sort_key(column: Column[Any]) -> Callable[[Any], Any]:
        if column.sort_key is not None:
            return column.sort_key
        return lambda row: column.display(row).casefold()


def _date_key(value: date | None) -> date:
    return value or date.max


def _cents_key(value: int | None) -> int:
    return -1 if value is None else value


class HouseholdTableModel(RowTableModel["HouseholdRow"]):
    COL_ID, COL_NAMES, COL_WIJK, COL_POSTCODE, COL_COMPOSITION, COL_MEMBERS, COL_LAWS = range(7)
    width_caps = {COL_NAMES: 140, COL_WIJK: 110, COL_COMPOSITION: 140}
    columns: ClassVar[Sequence[Column[HouseholdRow]]] = (
        Column("Huishouden", lambda r: r.external_id),
        Column("Namen", lambda r: r.names),
        Column("Wijk", lambda r: r.wijk or ""),
        Column("Postcode", lambda r: r.postcode or ""),
        Column("Samenstelling", lambda r: r.composition or ""),
        Column("Leden", lambda r: str(r.member_count), lambda r: r.member_count, numeric=True),
        Column("Wetten", lambda r: ", ".join(LAW_SHORT.get(x, x) for x in r.laws)),
    )


class MemberTableModel(RowTableModel["PersonRow"]):
    COL_NUMBER, COL_NAME, COL_BSN, COL_BIRTH, COL_GENDER, COL_ALLOCATIONS = range(6)
    width_caps = {COL_NAME: 180}
    columns: ClassVar[Sequence[Column[PersonRow]]] = (
        Column("Persoon", lambda r: r.person_number),
        Column("Naam", lambda r: r.name),
        Column("BSN", lambda r: r.bsn or ""),
        Column("Geboren", lambda r: short_date(r.birth_date), lambda r: r.birth_date),
        Column("Geslacht", lambda r: r.gender or ""),
        Column("Toewijzingen", lambda r: str(r.allocation_count),
               lambda r: r.allocation_count, numeric=True),
    )


def _category_text(r: AllocationRow) -> str:
    if not r.category_label:
        return r.category
    # National codes ("45") mean nothing alone; the municipality's own codes are words.
    return f"{r.category} {r.category_label}" if r.category.isdigit() else r.category_label


def _product_text(r: AllocationRow) -> str:
    return " ".join(x for x in (r.product_code, r.description) if x)


def _omvang_text(r: AllocationRow) -> str:
    if r.budget_cents is not None:
        return f"Budget {euro(r.budget_cents)}"
    return r.omvang


class AllocationTableModel(RowTableModel["AllocationRow"]):
    (COL_LAW, COL_CATEGORY, COL_PRODUCT, COL_PROVIDER, COL_START, COL_END, COL_OMVANG,
     COL_TARIFF, COL_ANNUAL) = range(9)
    # Widest a column may start at (px); the rest of the text is elided and in the tooltip.
    width_caps = {COL_CATEGORY: 200, COL_PRODUCT: 200, COL_PROVIDER: 170, COL_OMVANG: 210}
    columns: ClassVar[Sequence[Column[AllocationRow]]] = (
        Column("Wet", lambda r: law_name(r.law)),
        Column("Categorie", _category_text),
        Column("Product", _product_text),
        Column("Aanbieder", lambda r: r.provider or ""),
        Column("Begin", lambda r: short_date(r.start), lambda r: r.start),
        Column("Einde", lambda r: short_date(r.end), lambda r: _date_key(r.end)),
        Column("Omvang / budget", _omvang_text),
        Column("Tarief", lambda r: euro(r.tariff_cents), lambda r: _cents_key(r.tariff_cents),
               numeric=True),
        Column("Jaarbedrag", lambda r: euro(r.annual_run_rate_cents),
               lambda r: _cents_key(r.annual_run_rate_cents), numeric=True),
    )

    def tooltip(self, row: AllocationRow) -> str | None:
        form = "pgb" if row.delivery_form == "pgb" else "zorg in natura"
        return f"Toewijzing {row.toewijzingnummer} ({law_name(row.law)}, {form})"


class IssueTableModel(RowTableModel["ImportIssue"]):
    COL_FILE, COL_LINE, COL_COLUMN, COL_REASON = range(4)
    width_caps = {COL_FILE: 220, COL_COLUMN: 180}
    columns: ClassVar[Sequence[Column[ImportIssue]]] = (
        Column("Bestand", lambda r: r.file),
        Column("Regel", lambda r: "" if r.line is None else str(r.line),
               lambda r: (r.file, -1 if r.line is None else r.line), numeric=True),
        Column("Kolom", lambda r: r.column or ""),
        Column("Reden", lambda r: r.reason),
    )

    def tooltip(self, row: ImportIssue) -> str | None:
        return row.reason


@dataclass(frozen=True)
class FileCount:
    file: str
    rows: int


class FileCountTableModel(RowTableModel[FileCount]):
    columns: ClassVar[Sequence[Column[FileCount]]] = (
        Column("Bestand", lambda r: r.file),
        Column("Rijen", lambda r: group_thousands(r.rows), lambda r: r.rows, numeric=True),
    )
