"""Table views shared by the pages: read-only, row selection, columns fitted to content."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from sdesk.ui.shell.table_models import RowTableModel


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


def fit_columns_to_view(view: QTableView, shrinkable: Sequence[int],
                        minimum: int = 60) -> None:
    """`fit_columns`, then narrow the `shrinkable` (elided text) columns just enough for all
    visible columns to fit the viewport, so the numbers at the right need no scrolling."""
    fit_columns(view)
    header = view.horizontalHeader()
    available = view.viewport().width()
    if available <= 0:
        return
    visible = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    excess = sum(header.sectionSize(c) for c in visible) - available
    if excess <= 0:
        return
    room = {c: max(0, header.sectionSize(c) - minimum) for c in shrinkable if c in visible}
    capacity = sum(room.values())
    if capacity <= 0:
        return
    factor = min(1.0, excess / capacity)
    for column, spare in room.items():
        view.setColumnWidth(column, header.sectionSize(column) - math.ceil(spare * factor))


def fit_height(view: QTableView, max_rows: int | None = None) -> None:
    """Make a short table exactly as tall as its rows (at most `max_rows` rows)."""
    model = view.model()
    rows = model.rowCount() if max_rows is None else min(model.rowCount(), max_rows)
    row_height = view.verticalHeader().defaultSectionSize()
    height = (view.horizontalHeader().sizeHint().height() + rows * row_height
              + 2 * view.frameWidth())
    if view.horizontalScrollBar().isVisible():
        height += view.horizontalScrollBar().sizeHint().height()
    view.setFixedHeight(height)
