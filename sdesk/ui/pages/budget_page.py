"""Begroting: begroting versus realisatie and prognose per budget line, with V/N, deviations
that need an explanation, manual forecasts, and the cumulative realisation through the year.

The report is `budget_report` (DESIGN section 4), computed in the background; manual forecasts
and explanations are written with `set_manual_forecast` / `set_explanation`, also in the
background, after which the report is reloaded. The thresholds for "needs an explanation" are
the page's own (defaults 5 % and € 15.000) and only change the highlighting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import decimal, euro, short_date
from sdesk.ui.council_export import (
    ask_council_path,
    internal_checkbox,
    suggested_name,
    write_in_background,
)
from sdesk.ui.table_models import Column, RowTableModel
from sdesk.ui.tables import fit_columns_to_view, make_table
from sdesk.ui.widgets import (
    DUTCH,
    busy_indicator,
    date_edit,
    euro_spin,
    from_qdate,
    page_heading,
    show_failure,
    status_line,
    to_qdate,
)
from sdesk.ui.workers import Task, TaskState, run_in_background

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy import Engine

    from sdesk.services.budget import BudgetReport, BudgetRow
    from sdesk.ui.dashboard_charts import BudgetBurnChart
    from sdesk.ui.dialogs.budget_dialogs import ExplanationDialog, ForecastDialog

DEFAULT_PCT = 5.0
DEFAULT_EUROS = 15_000
_FLAG_BACKGROUND = QColor("#fde3c4")  # light orange: needs an explanation
_V_COLOUR, _N_COLOUR = QColor("#276749"), QColor("#c53030")
SOURCE_LABELS = {"manual": "handmatig", "computed": "berekend"}
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class BudgetLine:
    """A table row: a budget line, or the total (line None)."""

    post: str
    begroting_cents: int
    realisatie_cents: int
    prognose_cents: int
    restant_cents: int
    v_n: str
    afwijking_pct: float | None
    source: str  # "manual", "computed" or "" (total)
    explanation: str
    line: BudgetRow | None = None

    @property
    def total(self) -> bool:
        return self.line is None


def lines_of(report: BudgetReport) -> list[BudgetLine]:
    rows = [BudgetLine(r.post, r.begroting_cents, r.realisatie_cents, r.prognose_cents,
                       r.restant_cents, r.v_n, r.afwijking_pct, r.prognose_source,
                       r.explanation or "", r) for r in report.lines]
    rows.append(BudgetLine("Totaal", report.begroting_cents, report.realisatie_cents,
                           report.prognose_cents, report.restant_cents, report.v_n,
                           report.afwijking_pct, "", ""))
    return rows


def pct_text(value: float | None) -> str:
    return "" if value is None else f"{decimal(value, 1)} %"


def _key(value: float | None) -> float:
    return float("-inf") if value is None else value


class BudgetTableModel(RowTableModel[BudgetLine]):
    (COL_POST, COL_BEGROTING, COL_REALISATIE, COL_PROGNOSE, COL_SOURCE, COL_RESTANT, COL_VN,
     COL_PCT, COL_EXPLANATION) = range(9)
    width_caps: ClassVar[dict[int, int]] = {0: 240, 8: 320}
    columns: ClassVar[Sequence[Column[BudgetLine]]] = (
        Column("Begrotingspost", lambda r: r.post),
        Column("Begroting", lambda r: euro(r.begroting_cents), lambda r: r.begroting_cents,
               numeric=True),
        Column("Realisatie", lambda r: euro(r.realisatie_cents), lambda r: r.realisatie_cents,
               numeric=True, header_tooltip="Gedeclareerd van 1 januari tot en met de "
                                            "peildatum"),
        Column("Prognose", lambda r: euro(r.prognose_cents), lambda r: r.prognose_cents,
               numeric=True, header_tooltip="Verwachte stand op 31 december; dubbelklik om "
                                            "een handmatige prognose in te vullen"),
        Column("Bron", lambda r: SOURCE_LABELS.get(r.source, r.source),
               header_tooltip="Berekend uit realisatie, verplichtingen en uitnutting, of "
                              "handmatig ingevuld"),
        Column("Restant", lambda r: euro(r.restant_cents), lambda r: r.restant_cents,
               numeric=True, header_tooltip="Begroting min prognose"),
        Column("V/N", lambda r: r.v_n, header_tooltip="Voordeel of nadeel"),
        Column("Afwijking", lambda r: pct_text(r.afwijking_pct), lambda r: _key(r.afwijking_pct),
               numeric=True, header_tooltip="Restant als percentage van de begroting"),
        Column("Toelichting", lambda r: r.explanation.replace("\n", " "),
               header_tooltip="Dubbelklik om de toelichting te schrijven"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.threshold_pct = DEFAULT_PCT
        self.threshold_cents = DEFAULT_EUROS * 100

    def set_thresholds(self, pct: float, cents: int) -> None:
        self.threshold_pct, self.threshold_cents = pct, cents
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.columns) - 1))

    def flagged(self, row: BudgetLine) -> bool:
        return row.line is not None and row.line.needs_explanation(self.threshold_pct,
                                                                   self.threshold_cents)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole and self.flagged(row):
            return QBrush(_FLAG_BACKGROUND)
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_POST \
                and self.flagged(row):
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_VN:
            return QBrush(_V_COLOUR if row.v_n == "V" else _N_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_SOURCE \
                and row.source == "manual":
            font = QApplication.font()
            font.setItalic(True)
            return font
        return super().data(index, role)

    def emphasised(self, row: BudgetLine) -> bool:
        return row.total

    def tooltip(self, row: BudgetLine) -> str | None:
        if row.total:
            return "Totaal van alle begrotingsposten"
        parts = []
        if self.flagged(row):
            parts.append(f"Afwijking groter dan {decimal(self.threshold_pct, 1)} % en "
                         f"{euro(self.threshold_cents)[:-3]}: toelichting nodig")
        if row.source == "manual" and row.line is not None:
            parts.append(f"Handmatige prognose; berekend was "
                         f"{euro(row.line.computed_prognose_cents)}")
        parts.append(f"Toelichting: {row.explanation}" if row.explanation
                     else "Nog geen toelichting")
        return "\n".join(parts)


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
        self._tasks: set[Task] = set()
        self._generation = 0
        self._splitter_sized = False
        self.report: BudgetReport | None = None
        self.cumulative: pd.DataFrame | None = None
        self.chart: BudgetBurnChart | None = None
        self.forecast_dialog: ForecastDialog | None = None
        self.explanation_dialog: ExplanationDialog | None = None
        self.model = BudgetTableModel(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(350)
        self._build_ui()
        self._connect_signals()
        self._update_buttons()
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

        self.view = make_table(self.model, sortable=False)
        # A stable viewport width, so the columns fitted to it stay fitted.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.forecast_button = QPushButton("Prognose aanpassen…")
        self.explanation_button = QPushButton("Toelichting…")
        self.legend_label = QLabel("Oranje: afwijking boven de drempels, toelichting nodig. "
                                   "Dubbelklik op een post voor de prognose, op de toelichting "
                                   "om die te schrijven.")
        self.legend_label.setWordWrap(True)
        self.legend_label.setStyleSheet("color: palette(dark);")
        buttons = QHBoxLayout()
        buttons.addWidget(self.forecast_button)
        buttons.addWidget(self.explanation_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.legend_label, 1)
        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.view, 1)
        table_layout.addLayout(buttons)

        self.chart_box = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 4, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(table_box)
        self.splitter.addWidget(self.chart_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

    def _connect_signals(self) -> None:
        self.year_spin.valueChanged.connect(self._on_year_changed)
        self.at_edit.dateChanged.connect(lambda _d: self._debounce.start())
        self._debounce.timeout.connect(self.load_report)
        self.pct_spin.valueChanged.connect(self._on_thresholds_changed)
        self.euro_spin.valueChanged.connect(self._on_thresholds_changed)
        self.view.doubleClicked.connect(self._on_double_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.forecast_button.clicked.connect(lambda: self.edit_forecast(self.selected_line()))
        self.explanation_button.clicked.connect(
            lambda: self.edit_explanation(self.selected_line()))
        self.export_button.clicked.connect(self.export_workbook)

    def _ensure_chart(self) -> None:
        if self.chart is None:
            from sdesk.ui.dashboard_charts import BudgetBurnChart  # pyqtgraph on first use

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

        def op(_state: TaskState) -> date | None:
            from sdesk.services.kpi import history_bounds

            bounds = history_bounds(engine)
            return None if bounds is None else bounds[1]

        self._generation += 1
        generation = self._generation

        def deliver(data_end: date | None) -> None:
            if generation != self._generation:
                return
            self._data_end = data_end or date.today()
            self._set_year_and_date(self._data_end.year, self._data_end)
            self.load_report()

        self._set_status("Gegevens laden…")
        self._start(op, deliver, self._failure(generation, "Begroting niet geladen"))

    def load_report(self, after: Any = None) -> None:
        """Compute the report for the chosen year and peildatum; `after()` once it is shown."""
        if self._engine is None:
            return
        self._debounce.stop()
        engine = self._engine
        year, at = self.year(), self.at()

        def op(_state: TaskState) -> tuple[BudgetReport | None, pd.DataFrame | None, str]:
            from sdesk.services.budget import budget_report, cumulative_realisation
            from sdesk.services.platform.errors import NotFoundError

            try:
                report = budget_report(engine, year, at)
            except NotFoundError as exc:
                return None, None, str(exc)
            return report, cumulative_realisation(engine, year), ""

        self._generation += 1
        generation = self._generation

        def deliver(result: tuple[BudgetReport | None, pd.DataFrame | None, str]) -> None:
            if generation == self._generation:
                self._show(*result)
                if after is not None:
                    after()

        self._set_status("Begroting berekenen…")
        self._start(op, deliver, self._failure(generation, "Begroting niet berekend"))

    def year(self) -> int:
        return self.year_spin.value()

    def at(self) -> date:
        return from_qdate(self.at_edit.date())

    def set_year(self, year: int, at: date | None = None) -> None:
        """Choose the year (and peildatum) and load at once."""
        self._set_year_and_date(year, at or self._default_at(year))
        self.load_report()

    def is_busy(self) -> bool:
        return any(t.running for t in self._tasks)

    def selected_line(self) -> BudgetLine | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def line(self, post: str) -> BudgetLine | None:
        return next((r for r in self.model.rows() if r.post == post and not r.total), None)

    def edit_forecast(self, row: BudgetLine | None) -> ForecastDialog | None:
        from sdesk.ui.dialogs.budget_dialogs import ForecastDialog

        if row is None or row.line is None:
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
        from sdesk.ui.dialogs.budget_dialogs import ExplanationDialog

        if row is None or row.line is None:
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

    def shutdown(self) -> None:
        self._debounce.stop()
        for task in list(self._tasks):
            task.cancel()

    # -- helpers ----------------------------------------------------------------------------

    def _default_at(self, year: int) -> date:
        end = self._data_end or date.today()
        return min(end, date(year, 12, 31)) if year <= end.year else end

    def _set_year_and_date(self, year: int, at: date) -> None:
        for widget in (self.year_spin, self.at_edit):
            widget.blockSignals(True)
        self.year_spin.setValue(year)
        self.at_edit.setDate(to_qdate(at))
        for widget in (self.year_spin, self.at_edit):
            widget.blockSignals(False)

    def _start(self, op: Any, deliver: Any, fail: Any) -> Task:
        task = run_in_background(op, on_success=deliver, on_error=fail, owner=self)
        self._tasks.add(task)
        task.done.connect(lambda: self._on_task_done(task))
        self.busy_bar.show()
        return task

    def _on_task_done(self, task: Task) -> None:
        self._tasks.discard(task)
        if not self.is_busy():
            self.busy_bar.hide()

    def _failure(self, generation: int, title: str) -> Any:
        def fail(exc: BaseException) -> None:
            if generation != self._generation:
                return
            self._set_status(f"{title}.")
            show_failure(self, title, exc)
            self.failed.emit(str(exc))

        return fail

    def _write(self, write: Any, busy_text: str, saved: Any) -> None:
        """Write in the background, then reload the report and call `saved`."""
        if self._engine is None:
            return
        self._set_status(busy_text)
        self._generation += 1
        self._start(write, lambda _result: self.load_report(after=saved),
                    self._failure(self._generation, "Niet opgeslagen"))

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    def _update_buttons(self) -> None:
        row = self.selected_line()
        editable = row is not None and row.line is not None
        self.forecast_button.setEnabled(editable)
        self.explanation_button.setEnabled(editable)

    # -- display ----------------------------------------------------------------------------

    def _show(self, report: BudgetReport | None, cumulative: pd.DataFrame | None,
              message: str) -> None:
        selected = self.selected_line()
        self.report = report
        self.cumulative = cumulative
        if report is None:
            self.model.set_rows([])
            self._set_status(message)
            if self.chart is not None:
                self.chart.set_data([], [], 0.0, 0.0)
            self.report_loaded.emit(None)
            return
        self.model.set_rows(lines_of(report))
        self._size_splitter()
        self._fit_columns()
        if selected is not None:
            for n, row in enumerate(self.model.rows()):
                if row.post == selected.post and row.total == selected.total:
                    self.view.selectRow(n)
        self._show_summary()
        self._show_chart(report, cumulative)
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

    def _show_chart(self, report: BudgetReport, cumulative: pd.DataFrame | None) -> None:
        if self.chart is None or cumulative is None:
            return
        year = report.year
        months = [int(m) for m in cumulative["month"]
                  if _month_end(year, int(m)) <= report.at]
        values = [float(v) / 100 for m, v in zip(cumulative["month"],
                                                 cumulative["cumulative_cents"], strict=True)
                  if int(m) in months]
        spending = [r for r in report.lines if r.begroting_cents > 0]
        budget = sum(r.begroting_cents for r in spending) / 100
        prognosis = sum(r.prognose_cents for r in spending) / 100
        self.chart.title_label.setText(f"Cumulatieve realisatie {year} (uitgavenposten)")
        self.chart.set_data(months, values, budget, prognosis)

    def _size_splitter(self) -> None:
        """The table as tall as its rows (within reason), the chart gets the rest."""
        if self._splitter_sized:
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        rows = self.model.rowCount()
        header = self.view.horizontalHeader().sizeHint().height()
        needed = (header + rows * self.view.verticalHeader().defaultSectionSize()
                  + 2 * self.view.frameWidth() + self.forecast_button.sizeHint().height() + 10)
        table = max(min(needed, total - 190), round(total * 0.5))
        self.splitter.setSizes([table, total - table])
        self._splitter_sized = True

    def _fit_columns(self) -> None:
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

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_year_changed(self, year: int) -> None:
        at = self._default_at(year)
        self.at_edit.blockSignals(True)
        self.at_edit.setDate(to_qdate(at))
        self.at_edit.blockSignals(False)
        self._debounce.start()

    def _on_thresholds_changed(self, *_args: Any) -> None:
        self.model.set_thresholds(self.pct_spin.value(), self.euro_spin.value() * 100)
        self._show_summary()

    def _on_double_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        if index.column() == BudgetTableModel.COL_EXPLANATION:
            self.edit_explanation(row)
        else:
            self.edit_forecast(row)

    # -- export -----------------------------------------------------------------------------

    def export_workbook(self) -> None:
        from sdesk.services.council import CouncilRequest

        if self._engine is None:
            return
        year, at = self.year(), self.at()
        start = date(year, 1, 1)
        end = max(start, min(at, date(year, 12, 31)))
        path = ask_council_path(self, suggested_name(start, end))
        if path is None:
            return
        request = CouncilRequest(start=start, end=end, budget_year=year, at=at,
                                 internal=self.internal_check.isChecked())

        def done(written: Any) -> None:
            self.export_button.setEnabled(True)
            self._set_status(f"Werkmap opgeslagen: {written}")
            self.workbook_written.emit(str(written))

        def fail(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self._set_status("Werkmap niet opgeslagen.")
            show_failure(self, "Excel voor de raad", exc)
            self.failed.emit(str(exc))

        self.export_button.setEnabled(False)
        self._set_status("Werkmap voor de raad schrijven…")
        write_in_background(self, self._engine, self._actor, path, request, done, fail)


def _month_end(year: int, month: int) -> date:
    import calendar

    return date(year, month, calendar.monthrange(year, month)[1])
