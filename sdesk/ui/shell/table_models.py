"""Read-only table models over lists of service dataclasses.

A model is a list of `Column`s; each column says how to display, sort and align a row. Sorting
happens on the Python list with raw keys, so there is no proxy and no 32-bit int truncation.
Models never open dialogs and never query the database: pages fetch rows in the background and
hand them over with `set_rows`. The models of a feature live in its own folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

T = TypeVar("T")
AnyIndex = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's dataclass
SORT_ROLE = Qt.ItemDataRole.UserRole  # the raw sort key

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_MUTED = "#7a7a7a"


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    display: Callable[[T], str]
    # Must return comparable values for all rows of the column (no None).
    sort_key: Callable[[T], Any] | None = None
    numeric: bool = False
    header_tooltip: str = ""


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
        if role == Qt.ItemDataRole.FontRole and self.emphasised(row):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and self.muted(row):
            return QBrush(QColor(_MUTED))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if self.columns[section].numeric else _LEFT)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].header_tooltip or None
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

    def emphasised(self, row: T) -> bool:
        """Shown bold (totals)."""
        return False

    def muted(self, row: T) -> bool:
        """Shown grey (no longer counting, kept for reference)."""
        return False

    @staticmethod
    def _sort_key(column: Column[Any]) -> Callable[[Any], Any]:
        if column.sort_key is not None:
            return column.sort_key
        return lambda row: column.display(row).casefold()


def date_key(value: date | None) -> date:
    return value or date.max


def cents_key(value: int | None) -> int:
    return -1 if value is None else value
