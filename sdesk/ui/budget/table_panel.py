"""The budget table with its buttons: a double-click or a button asks for a manual forecast or
an explanation of the selected line (the page opens the dialog and saves)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sdesk.ui.budget.models import BudgetLine, BudgetTableModel
from sdesk.ui.shell.tables import fit_columns_to_view, make_table

LEGEND = ("Oranje: afwijking boven de drempels, toelichting nodig. Lichtblauw: declaraties "
          "nog niet compleet (de schatting van wat nog komt zit in de prognose).")


class BudgetTablePanel(QWidget):
    forecast_requested = Signal(object)  # BudgetLine
    explanation_requested = Signal(object)  # BudgetLine

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.read_only_reason = ""  # set: the role may not edit (the tooltip says why)
        self.model = BudgetTableModel(self)
        self.view = make_table(self.model, sortable=False)
        # A stable viewport width, so the columns fitted to it stay fitted.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.forecast_button = QPushButton("Prognose aanpassen…")
        self.explanation_button = QPushButton("Toelichting…")
        self.legend_label = QLabel(f"{LEGEND} "
                                   "Dubbelklik op een post voor de prognose, op de toelichting "
                                   "om die te schrijven.")
        self.legend_label.setWordWrap(True)
        self.legend_label.setStyleSheet("color: palette(dark);")
        buttons = QHBoxLayout()
        buttons.addWidget(self.forecast_button)
        buttons.addWidget(self.explanation_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.legend_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.forecast_button.clicked.connect(self._request_forecast)
        self.explanation_button.clicked.connect(self._request_explanation)
        self._update_buttons()

    def selected_line(self) -> BudgetLine | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def line(self, post: str) -> BudgetLine | None:
        return next((r for r in self.model.rows() if r.post == post and not r.total), None)

    def show_lines(self, rows: Sequence[BudgetLine]) -> None:
        """New rows; the selected line stays selected."""
        selected = self.selected_line()
        self.model.set_rows(rows)
        if not rows:
            return
        self.fit_columns()
        if selected is not None:
            for n, row in enumerate(self.model.rows()):
                if row.post == selected.post and row.total == selected.total:
                    self.view.selectRow(n)

    def needed_height(self) -> int:
        """How tall the panel must be to show every row without scrolling."""
        view = self.view
        return (view.horizontalHeader().sizeHint().height()
                + self.model.rowCount() * view.verticalHeader().defaultSectionSize()
                + 2 * view.frameWidth() + self.forecast_button.sizeHint().height() + 10)

    def fit_columns(self) -> None:
        """Columns to their content; the post and explanation columns give way so that the
        figures fit without a horizontal scroll bar (also once a vertical one appears)."""
        view = self.view
        fit_columns_to_view(view, [BudgetTableModel.COL_POST,
                                   BudgetTableModel.COL_EXPLANATION])
        header = view.horizontalHeader()
        columns = [c for c in range(header.count()) if c != BudgetTableModel.COL_EXPLANATION]
        excess = (sum(header.sectionSize(c) for c in columns) + 80
                  - view.viewport().width())
        post = BudgetTableModel.COL_POST
        if excess > 0 and view.viewport().width() > 0:
            view.setColumnWidth(post, max(120, header.sectionSize(post) - excess))

    def set_read_only(self, reason: str) -> None:
        """The role may not change prognoses or explanations: buttons off, saying why."""
        self.read_only_reason = reason
        for button in (self.forecast_button, self.explanation_button):
            button.setToolTip(reason)
        self.legend_label.setText(f"{LEGEND} {reason}")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected_line()
        editable = row is not None and row.line is not None and not self.read_only_reason
        self.forecast_button.setEnabled(editable)
        self.explanation_button.setEnabled(editable)

    def _request_forecast(self) -> None:
        self.forecast_requested.emit(self.selected_line())

    def _request_explanation(self) -> None:
        self.explanation_requested.emit(self.selected_line())

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid() or self.read_only_reason:
            return
        row = self.model.row_at(index.row())
        if index.column() == BudgetTableModel.COL_EXPLANATION:
            self.explanation_requested.emit(row)
        else:
            self.forecast_requested.emit(row)
