"""Begroting: begroting versus realisatie and prognose per budget line, with V/N, deviations
that need an explanation, manual forecasts, and the cumulative realisation through the year.

The report is `budget_report` (the lag-aware forecast of #15), computed in the background on
the default peildatum every command and export uses (the last day with data); a note above the
table says up to when claims are complete, what is estimated as not yet declared, which lines
have no claims, and warns about a peildatum after the data. Manual forecasts
and explanations are written with `set_manual_forecast` / `set_explanation`, also in the
background, after which the report is reloaded. The thresholds for "needs an explanation" are
the page's own (defaults 5 % and € 15.000) and only change the highlighting.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import euro, short_date
from sdesk.ui.budget.models import (
    DEFAULT_EUROS,
    DEFAULT_PCT,
    BudgetLine,
    lines_of,
)
from sdesk.ui.budget.table_panel import BudgetTablePanel
from sdesk.ui.council.export import export_council_workbook, internal_checkbox
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import (
    DUTCH,
    busy_indicator,
    date_edit,
    euro_spin,
    from_qdate,
    page_heading,
    set_date_quietly,
    show_failure,
    status_line,
)
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from sdesk.services.budget import BudgetReport
    from sdesk.ui.budget.chart import BudgetBurnChart
    from sdesk.ui.budget.dialogs import ExplanationDialog, ForecastDialog

    # report (or None), cumulative realisation, why there is no report, peildatum warning
    _Loaded = tuple[BudgetReport | None, pd.DataFrame | None, str, str | None]


class BudgetPage(QWidget):
    report_loaded = Signal(object)  # BudgetReport shown
    forecast_saved = Signal(str)  # post
    explanation_saved = Signal(str)  # post
    workbook_written = Signal(str)
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._dirty = True
        self._data_end: date | None = None
        self._splitter_sized = False
        self.report: BudgetReport | None = None
        self.cumulative: pd.DataFrame | None = None
        self.chart: BudgetBurnChart | None = None
        self.forecast_dialog: ForecastDialog | None = None
        self.explanation_dialog: ExplanationDialog | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._build_ui()
        self.tasks = LatestTasks(self, self.busy_bar)
        self._connect_signals()
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        heading = page_heading("Begroting")
        self.busy_bar = busy_indicator()
        self.status_label = status_line()
        self.export_button = QPushButton("Excel voor de raad…")
        self.export_button.setToolTip("Begroting (met formules), kengetallen en trends van "
                                      "dit jaar tot de peildatum als Excel-werkmap")
        self.internal_check = internal_checkbox()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.busy_bar)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.internal_check)
        top.addWidget(self.export_button)

        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year)
        self.at_edit = date_edit()
        self.at_edit.setToolTip("Realisatie tot en met deze dag; daarna telt de prognose met "
                                "de lopende toewijzingen")
        self.pct_spin = QDoubleSpinBox()
        self.pct_spin.setLocale(DUTCH)
        self.pct_spin.setDecimals(1)
        self.pct_spin.setRange(0.0, 100.0)
        self.pct_spin.setSingleStep(0.5)
        self.pct_spin.setSuffix(" %")
        self.pct_spin.setValue(DEFAULT_PCT)
        self.euro_spin = euro_spin(DEFAULT_EUROS, maximum=100_000_000, step=5_000)
        for spin in (self.pct_spin, self.euro_spin):
            spin.setToolTip("Een post vraagt om een toelichting als de afwijking groter is dan "
                            "beide drempels")
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Jaar"))
        filters.addWidget(self.year_spin)
        filters.addSpacing(8)
        filters.addWidget(QLabel("Peildatum"))
        filters.addWidget(self.at_edit)
        filters.addSpacing(18)
        filters.addWidget(QLabel("Toelichting nodig bij een afwijking van meer dan"))
        filters.addWidget(self.pct_spin)
        filters.addWidget(QLabel("én meer dan"))
        filters.addWidget(self.euro_spin)
        filters.addStretch(1)

        self.table = BudgetTablePanel()
        self.model, self.view = self.table.model, self.table.view
        self.forecast_button = self.table.forecast_button
        self.explanation_button = self.table.explanation_button
        from sdesk.services.platform.permissions import EDIT_BUDGET, EXPORT, may, refusal

        if not may(self._actor, EDIT_BUDGET):  # e.g. the controller checks, does not set
            self.table.set_read_only(refusal(self._actor, EDIT_BUDGET))
        if not may(self._actor, EXPORT):
            self.export_button.setEnabled(False)
            self.export_button.setToolTip(refusal(self._actor, EXPORT))

        self.chart_box = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 4, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(filters)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setObjectName("budgetNotes")
        self.note_label.setStyleSheet("color: #2a4365;")
        self.note_label.setVisible(False)
        layout.addWidget(self.note_label)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.year_spin.valueChanged.connect(self._on_year_changed)
        self.at_edit.dateChanged.connect(lambda _d: self._debounce.start())
        self._debounce.timeout.connect(self.load_report)
        self.pct_spin.valueChanged.connect(self._on_thresholds_changed)
        self.euro_spin.valueChanged.connect(self._on_thresholds_changed)
        self.table.forecast_requested.connect(self.edit_forecast)
        self.table.explanation_requested.connect(self.edit_explanation)
        self.export_button.clicked.connect(self.export_workbook)

    def _ensure_chart(self) -> None:
        if self.chart is None:
            from sdesk.ui.budget.chart import BudgetBurnChart  # pyqtgraph on first use

            self.chart = BudgetBurnChart()
            self.chart.setMinimumHeight(170)
            self.chart_layout.addWidget(self.chart, 1)

    # -- public -----------------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.setEnabled(engine is not None)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Find the last day with data (the default peildatum) once, then load the report."""
        if self._engine is None:
            return
        self._dirty = False
        self._ensure_chart()
        if self._data_end is not None:
            self.load_report()
            return
        engine = self._engine

        def op(_state: TaskState) -> date:
            from sdesk.services.platform.peildatum import default_peildatum

            return default_peildatum(engine)  # the same default as the CLI and the workbook

        def deliver(data_end: date) -> None:
            self._data_end = data_end
            self._set_year_and_date(self._data_end.year, self._data_end)
            self.load_report()

        self._set_status("Gegevens laden…")
        self.tasks.start(op, deliver, self._failure("Begroting niet geladen"), kind="report")

    def load_report(self, after: Any = None) -> None:
        """Compute the report for the chosen year and peildatum; `after()` once it is shown."""
        if self._engine is None:
            return
        self._debounce.stop()
        engine = self._engine
        year, at = self.year(), self.at()

        def op(_state: TaskState) -> _Loaded:
            from sdesk.services.budget import budget_report, cumulative_realisation
            from sdesk.services.platform.errors import NotFoundError
            from sdesk.services.platform.peildatum import peildatum_warning

            try:
                report = budget_report(engine, year, at)
            except NotFoundError as exc:
                return None, None, str(exc), None
            return (report, cumulative_realisation(engine, year), "",
                    peildatum_warning(engine, report.at))

        def deliver(result: _Loaded) -> None:
            report, cumulative, message, warning = result
            self._show(report, cumulative, message)
            self._show_notes(report, warning)
            if after is not None:
                after()

        self._set_status("Begroting berekenen…")
        self.tasks.start(op, deliver, self._failure("Begroting niet berekend"), kind="report")

    def year(self) -> int:
        return self.year_spin.value()

    def at(self) -> date:
        return from_qdate(self.at_edit.date())

    def set_year(self, year: int, at: date | None = None) -> None:
        """Choose the year (and peildatum) and load at once."""
        self._set_year_and_date(year, at or self._default_at(year))
        self.load_report()

    def is_busy(self) -> bool:
        return self.tasks.is_busy()

    def selected_line(self) -> BudgetLine | None:
        return self.table.selected_line()

    def line(self, post: str) -> BudgetLine | None:
        return self.table.line(post)

    def edit_forecast(self, row: BudgetLine | None) -> ForecastDialog | None:
        from sdesk.ui.budget.dialogs import ForecastDialog

        if row is None or row.line is None or self.table.read_only_reason:
            return None
        dialog = ForecastDialog(row.line, self.year(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        post = row.post
        dialog.accepted.connect(
            lambda: self.save_forecast(post, None if dialog.cleared else dialog.forecast_cents))
        self.forecast_dialog = dialog
        dialog.open()
        return dialog

    def edit_explanation(self, row: BudgetLine | None) -> ExplanationDialog | None:
        from sdesk.ui.budget.dialogs import ExplanationDialog

        if row is None or row.line is None or self.table.read_only_reason:
            return None
        dialog = ExplanationDialog(row.line, self.year(), self.model.flagged(row), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        post = row.post
        dialog.accepted.connect(lambda: self.save_explanation(post, dialog.text()))
        self.explanation_dialog = dialog
        dialog.open()
        return dialog

    def save_forecast(self, post: str, cents: int | None) -> None:
        """Set (cents) or clear (None) the manual forecast, then reload the report."""
        engine, actor, year = self._engine, self._actor, self.year()

        def write(_state: TaskState) -> None:
            from sdesk.services.budget import set_manual_forecast

            set_manual_forecast(engine, actor, year, post, cents)

        self._write(write, "Prognose opslaan…", lambda: self.forecast_saved.emit(post))

    def save_explanation(self, post: str, text: str) -> None:
        engine, actor, year = self._engine, self._actor, self.year()

        def write(_state: TaskState) -> None:
            from sdesk.services.budget import set_explanation

            set_explanation(engine, actor, year, post, text)

        self._write(write, "Toelichting opslaan…", lambda: self.explanation_saved.emit(post))

    def shut_down(self) -> None:
        self._debounce.stop()
        self.tasks.shut_down()

    # -- helpers ----------------------------------------------------------------------------

    def _default_at(self, year: int) -> date:
        end = self._data_end or date.today()
        return min(end, date(year, 12, 31)) if year <= end.year else end

    def _set_year_and_date(self, year: int, at: date) -> None:
        self.year_spin.blockSignals(True)
        self.year_spin.setValue(year)
        self.year_spin.blockSignals(False)
        set_date_quietly(self.at_edit, at)

    def _failure(self, title: str) -> Any:
        def fail(exc: BaseException) -> None:
            self._set_status(f"{title}.")
            show_failure(self, title, exc)
            self.failed.emit(str(exc))

        return fail

    def _write(self, write: Any, busy_text: str, saved: Any) -> None:
        """Write in the background, then reload the report and call `saved`."""
        if self._engine is None:
            return
        self._set_status(busy_text)
        self.tasks.invalidate("report")  # the report under way is from before the change
        self.tasks.start(write, lambda _result: self.load_report(after=saved),
                         self._failure("Niet opgeslagen"))

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    # -- display ----------------------------------------------------------------------------

    def _show(self, report: BudgetReport | None, cumulative: pd.DataFrame | None,
              message: str) -> None:
        self.report = report
        self.cumulative = cumulative
        if report is None:
            self.table.show_lines([])
            self._set_status(message)
            if self.chart is not None:
                self.chart.set_data([], [], 0.0, 0.0)
            self.report_loaded.emit(None)
            return
        self.table.show_lines(lines_of(report))
        self._size_splitter()
        self._show_summary()
        if self.chart is not None and cumulative is not None:
            self.chart.show_report(report, cumulative)
        self.report_loaded.emit(report)

    def _show_summary(self) -> None:
        report = self.report
        if report is None:
            return
        flagged = sum(self.model.flagged(r) for r in self.model.rows())
        manual = sum(r.source == "manual" for r in self.model.rows())
        parts = [f"Peildatum {short_date(report.at)}",
                 f"totaal {report.v_n} {euro(abs(report.restant_cents))}"]
        if flagged:
            parts.append("1 post vraagt om een toelichting" if flagged == 1
                         else f"{flagged} posten vragen om een toelichting")
        if manual:
            parts.append("1 handmatige prognose" if manual == 1
                         else f"{manual} handmatige prognoses")
        self._set_status(" · ".join(parts))

    def _show_notes(self, report: BudgetReport | None, warning: str | None) -> None:
        """The peildatum warning, the provisional months and the lines without claims."""
        notes = [warning] if warning else []
        if report is not None:
            provisional = report.provisional_note()
            if provisional:
                notes.append(provisional + " Die schatting zit in de prognose.")
            notes += [f"{r.post}: {r.note}." for r in report.lines if r.note]
        self.note_label.setText("\n".join(notes))
        self.note_label.setVisible(bool(notes))

    def _size_splitter(self) -> None:
        """The table as tall as its rows (within reason), the chart gets the rest."""
        if self._splitter_sized:
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        table = max(min(self.table.needed_height(), total - 190), round(total * 0.5))
        self.splitter.setSizes([table, total - table])
        self._splitter_sized = True

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_year_changed(self, year: int) -> None:
        set_date_quietly(self.at_edit, self._default_at(year))
        self._debounce.start()

    def _on_thresholds_changed(self, *_args: Any) -> None:
        self.model.set_thresholds(self.pct_spin.value(), self.euro_spin.value() * 100)
        self._show_summary()

    # -- export -----------------------------------------------------------------------------

    def export_workbook(self) -> None:
        from sdesk.services.council import CouncilRequest

        if self._engine is None:
            return
        year, at = self.year(), self.at()
        start = date(year, 1, 1)
        end = max(start, min(at, date(year, 12, 31)))
        request = CouncilRequest(start=start, end=end, budget_year=year, at=at,
                                 internal=self.internal_check.isChecked())

        export_council_workbook(self, self.tasks, self._engine, self._actor, request,
                                self.export_button, self._set_status, self.workbook_written,
                                self.failed)
