"""Table views shared by the pages: read-only, row selection, columns fitted to content."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from sdesk.ui.table_models import RowTableModel


def make_table(model: RowTableModel[Any], *, sortable: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    if sortable:
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the service's order
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    return view


def fit_columns(view: QTableView) -> None:
    """Size columns to their content, but no wider than the model's caps."""
    view.resizeColumnsToContents()
    model = view.model()
    caps: dict[int, int] = getattr(model, "width_caps", {})
    for column, cap in caps.items():
        if view.columnWidth(column) > cap:
            view.setColumnWidth(column, cap)


def content_width(view: QTableView) -> int:
    """Width the view needs to show all visible columns without a horizontal scroll bar."""
    header = view.horizontalHeader()
    columns = sum(header.sectionSize(c) for c in range(header.count())
                  if not header.isSectionHidden(c))
    return columns + 2 * view.frameWidth() + view.verticalScrollBar().sizeHint().width()
