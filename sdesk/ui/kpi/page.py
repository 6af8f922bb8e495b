"""Dashboard: the controller's KPI tiles, trends over the history, drill-down and team figures.

Everything is computed in the background with the services that the CLI and the council
workbook use (compare_periods, monthly_trend, compute_kpis per quarter, team_kpis), in three
tasks that are started again when a filter changes; a result that arrives after the filters
changed once more is dropped (`LatestTasks`). The first computation loads the KPI working set
("Gegevens laden…"); later ones reuse it. The trends depend on law and team only, so changing
the period recomputes the tiles, the referrer chart and the team table, not the history.

The page holds the filters and runs the work; the tiles (`TileGrid`), the charts
(`TrendsPanel`) and the team table (`TeamPanel`) show the results.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.periods import last_full_year, month_end, previous_period
from sdesk.services.platform.text import LAW_NAMES, law_text, period_text, short_date
from sdesk.ui.council.export import export_council_workbook, internal_checkbox
from sdesk.ui.kpi.team_panel import TeamPanel
from sdesk.ui.kpi.tiles import TILE_DRILL, TileGrid
from sdesk.ui.kpi.trends_panel import TrendResult, TrendsPanel
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import (
    allow,
    busy_indicator,
    date_edit,
    from_qdate,
    page_heading,
    set_date_quietly,
    show_failure,
    status_line,
)
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.kpi import KpiComparison, TeamRow
    from sdesk.ui.kpi.charts import CategoryBarChart, TimeBarChart, TimeLineChart
    from sdesk.ui.kpi.drilldown_dialog import DrilldownDialog, DrillRequest
    from sdesk.ui.kpi.tiles import KpiTile
    from sdesk.ui.shell.charts import ChartHit

TAB_TRENDS, TAB_TEAMS = range(2)
# "All" in the pickers. Not None: PySide6 6.12's QComboBox.currentData() drops a reference to
# None each time it returns it, and the interpreter aborts once None's count runs out.
ALL = ""
_DEBOUNCE_MS = 350


def last_full_quarter(data_end: date) -> tuple[date, date]:
    start = date(data_end.year, (data_end.month - 1) // 3 * 3 + 1, 1)
    end = month_end(start.year, start.month + 2)
    if end <= data_end:
        return start, end
    return previous_period(start, end)  # the one definition: the quarter before


class DashboardPage(QWidget):
    kpis_loaded = Signal(object)  # KpiComparison shown in the tiles
    trends_loaded = Signal(object)  # TrendResult shown in the charts
    teams_loaded = Signal(object)  # list[TeamRow]
    drilldown_opened = Signal(object)  # DrilldownDialog
    workbook_written = Signal(str)
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._dirty = True
        self._bounds: tuple[date, date] | None = None
        self._period_chosen = False  # the user picked a period: keep it on reload
        self._trend_key: tuple[Any, ...] | None = None
        self._working_set_loaded = False
        self.comparison: KpiComparison | None = None
        self.team_rows: list[TeamRow] = []
        self.drill_dialog: DrilldownDialog | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(_DEBOUNCE_MS)
        self._build_ui()
        self.tasks = LatestTasks(self, self.busy_bar, on_idle=self._on_idle)
        self._connect_signals()
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        heading = page_heading("Dashboard")
        self.busy_bar = busy_indicator()
        self.status_label = status_line()
        self.export_button = QPushButton("Excel voor de raad…")
        from sdesk.services.platform.permissions import EXPORT

        allow(self.export_button, self._actor, EXPORT, "Kengetallen, trends en begroting als "
              "Excel-werkmap, met de gekozen periode, wet en team")
        self.internal_check = internal_checkbox()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.busy_bar)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.internal_check)
        top.addWidget(self.export_button)

        self.tile_box = TileGrid()
        self.tiles: dict[str, KpiTile] = self.tile_box.tiles
        self.trends_tab = TrendsPanel()
        self.constant_check = self.trends_tab.constant_check
        self.team_panel = TeamPanel()
        self.tabs = QTabWidget()
        self.tabs.setCornerWidget(self.trends_tab.corner, Qt.Corner.TopRightCorner)
        self.tabs.addTab(self.trends_tab, "Trends")
        self.tabs.addTab(self.team_panel, "Teams")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(self._build_filters())
        layout.addWidget(self.tile_box)
        layout.addWidget(self.tabs, 1)

    def _build_filters(self) -> QHBoxLayout:
        self.start_edit = date_edit()
        self.end_edit = date_edit()
        self.this_year_button = QPushButton("Dit jaar")
        self.this_year_button.setToolTip("1 januari tot en met de laatste declaraties")
        self.last_year_button = QPushButton("Vorig jaar")
        self.last_year_button.setToolTip("Het hele kalenderjaar ervoor")
        self.quarter_button = QPushButton("Kwartaal")
        self.quarter_button.setToolTip("Het laatste volledige kwartaal met declaraties")
        self.law_combo = QComboBox()
        self.law_combo.addItem("Alle wetten", ALL)
        for key, name in LAW_NAMES.items():
            self.law_combo.addItem(name, key)
        self.team_combo = QComboBox()
        self.team_combo.addItem("Alle teams", ALL)
        self.team_combo.setMinimumContentsLength(16)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Van"))
        filters.addWidget(self.start_edit)
        filters.addWidget(QLabel("t/m"))
        filters.addWidget(self.end_edit)
        filters.addSpacing(4)
        for button in (self.this_year_button, self.last_year_button, self.quarter_button):
            filters.addWidget(button)
        filters.addSpacing(14)
        filters.addWidget(QLabel("Wet"))
        filters.addWidget(self.law_combo)
        filters.addSpacing(8)
        filters.addWidget(QLabel("Team"))
        filters.addWidget(self.team_combo)
        filters.addStretch(1)
        self.caption_label = QLabel("▲▼ t.o.v. vorige periode")
        self.caption_label.setStyleSheet("color: palette(dark);")
        self.caption_label.setToolTip(
            "De verandering op elke tegel is ten opzichte van de vorige periode: bij hele "
            "maanden evenveel hele maanden direct ervoor (2025 ten opzichte van 2024, K2 van "
            "K1), anders evenveel dagen direct ervoor. De tooltip van een tegel geeft ook de "
            "waarde een jaar eerder.")
        filters.addWidget(self.caption_label)
        return filters

    def _connect_signals(self) -> None:
        self.start_edit.dateChanged.connect(self._on_period_edited)
        self.end_edit.dateChanged.connect(self._on_period_edited)
        self._debounce.timeout.connect(self._compute)
        self.this_year_button.clicked.connect(self._on_this_year)
        self.last_year_button.clicked.connect(self._on_last_year)
        self.quarter_button.clicked.connect(self._on_quarter)
        self.law_combo.currentIndexChanged.connect(lambda _i: self._compute())
        self.team_combo.currentIndexChanged.connect(lambda _i: self._compute())
        self.export_button.clicked.connect(self.export_workbook)
        self.tile_box.drill.connect(self._on_tile_clicked)
        self.trends_tab.hit.connect(self.on_chart_hit)

    # The trend panel's state and charts (the charts exist once the page was first shown).

    @property
    def trend(self) -> TrendResult | None:
        return self.trends_tab.trend

    @property
    def cost_chart(self) -> TimeLineChart | None:
        return self.trends_tab.cost_chart

    @property
    def clients_chart(self) -> TimeLineChart | None:
        return self.trends_tab.clients_chart

    @property
    def flow_chart(self) -> TimeBarChart | None:
        return self.trends_tab.flow_chart

    @property
    def referrer_chart(self) -> CategoryBarChart | None:
        return self.trends_tab.referrer_chart

    # -- page protocol ----------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.setEnabled(engine is not None)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        """The data changed (an import, for instance): reload when visible."""
        self._dirty = True
        self._trend_key = None
        if self.isVisible():
            self.reload()

    def shut_down(self) -> None:
        self._debounce.stop()
        self.tasks.shut_down()

    def is_busy(self) -> bool:
        return self.tasks.is_busy()

    # -- filters ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the history's bounds and the teams, then compute everything."""
        if self._engine is None:
            return
        self._dirty = False
        self.trends_tab.ensure_charts()
        engine = self._engine

        def op(state: TaskState) -> tuple[tuple[date, date] | None, list[str]]:
            from sdesk.services.kpi import history_bounds
            from sdesk.services.platform.users import list_teams

            return history_bounds(engine), list_teams(engine)

        def deliver(result: tuple[tuple[date, date] | None, list[str]]) -> None:
            self._working_set_loaded = True
            self._on_initialised(*result)

        self._set_status("Berekenen…" if self._working_set_loaded else "Gegevens laden…")
        self.tasks.start(op, deliver, self._failure("Gegevens niet geladen"), kind="init")

    def set_period(self, start: date, end: date) -> None:
        """Choose a period (quick choices, tests) and compute at once."""
        self._period_chosen = True
        self._set_dates(start, end)
        self._compute()

    def period(self) -> tuple[date, date]:
        return from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())

    def law(self) -> str | None:
        return self.law_combo.currentData() or None

    def team(self) -> str | None:
        return self.team_combo.currentData() or None

    def _on_initialised(self, bounds: tuple[date, date] | None, teams: list[str]) -> None:
        current = self.team_combo.currentData() or ALL
        self.team_combo.blockSignals(True)
        while self.team_combo.count() > 1:
            self.team_combo.removeItem(1)
        for team in teams:
            self.team_combo.addItem(team, team)
        index = self.team_combo.findData(current)
        self.team_combo.setCurrentIndex(max(index, 0))
        self.team_combo.blockSignals(False)
        self._bounds = bounds
        if bounds is None:
            self._set_status("Er zijn nog geen toewijzingen: importeer eerst gegevens.")
            return
        if not self._period_chosen:
            self._set_dates(*last_full_year(bounds[1]))
        self._compute()

    def _set_dates(self, start: date, end: date) -> None:
        set_date_quietly(self.start_edit, start)
        set_date_quietly(self.end_edit, end)
        self._debounce.stop()

    # -- computing --------------------------------------------------------------------------

    def _compute(self) -> None:
        self._debounce.stop()
        if self._engine is None or self._bounds is None:
            return
        start, end = self.period()
        if end < start:
            self._set_status("De periode eindigt vóór het begin.")
            return
        law, team = self.law(), self.team()
        self.team_panel.set_team(team)
        self._start_kpis(start, end, law, team)
        self._start_teams(start, end, law, team)
        if (law, team) != self._trend_key:
            self._start_trends(law, team)

    def _start_kpis(self, start: date, end: date, law: str | None, team: str | None) -> None:
        engine = self._engine

        def op(_state: TaskState) -> KpiComparison:
            from sdesk.services.kpi import compare_periods

            return compare_periods(engine, start, end, law, team)

        self.tile_box.setEnabled(False)
        self.tasks.start(op, self._show_kpis, self._failure("Kengetallen niet berekend"),
                         kind="kpis")

    def _start_teams(self, start: date, end: date, law: str | None, team: str | None) -> None:
        engine = self._engine

        def op(_state: TaskState) -> list[TeamRow]:
            from sdesk.services.kpi import team_kpis

            return team_kpis(engine, start, end, law)

        caption = (f"Teams en medewerkers, {period_text(start, end)}, {law_text(law)}"
                   + (f", team {team}" if team else ""))

        def deliver(rows: list[TeamRow]) -> None:
            self.team_rows = rows
            self.team_panel.set_rows(rows, self.team(), caption)
            self.teams_loaded.emit(rows)

        self.tasks.start(op, deliver, self._failure("Teamcijfers niet berekend"), kind="teams")

    def _start_trends(self, law: str | None, team: str | None) -> None:
        engine = self._engine
        self._trend_key = (law, team)

        def op(state: TaskState) -> TrendResult | None:
            from sdesk.services.kpi import monthly_trend, period_kpis, trend_window

            window = trend_window(engine, law, team)
            if window is None:
                return None
            monthly = monthly_trend(engine, window.first_month, window.last_day, law, team)
            spans = window.quarters
            out = []
            for n, (q0, q1) in enumerate(spans):
                if state.is_cancelled():
                    return None
                state.progress(n / max(len(spans), 1),
                               f"Trends berekenen ({n + 1}/{len(spans)})…")
                out.append(period_kpis(engine, q0, q1, law, team))
            return TrendResult(law, team, monthly.frame, monthly.base_year, out,
                               monthly.complete_through)

        def deliver(result: TrendResult | None) -> None:
            if result is not None:
                self.trends_tab.show_trends(result)
                self.trends_loaded.emit(result)

        def progress(_fraction: float, message: str) -> None:
            if message:
                self._set_status(message)

        report = self._failure("Trends niet berekend")

        def fail(exc: BaseException) -> None:
            self._trend_key = None
            report(exc)

        # A newer trend task cancels this one: it stops between quarters.
        self.tasks.start(op, deliver, fail, kind="trends", on_progress=progress)

    def _show_kpis(self, comparison: KpiComparison) -> None:
        self.comparison = comparison
        self.tile_box.show_comparison(comparison)
        self.tile_box.setEnabled(True)
        self.trends_tab.show_referrers(comparison.current)
        self.kpis_loaded.emit(comparison)

    def _on_idle(self) -> None:
        if self._bounds is not None:
            self._set_status(f"Gegevens tot en met {short_date(self._bounds[1])}")

    def _failure(self, title: str) -> Any:
        def fail(exc: BaseException) -> None:
            self._set_status(f"{title}.")
            self.tile_box.setEnabled(True)
            show_failure(self, title, exc)
            self.failed.emit(str(exc))

        return fail

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    # -- drill-down -------------------------------------------------------------------------

    def on_chart_hit(self, hit: ChartHit) -> None:
        """A click on a chart: open the persons and allocations behind that point or bar."""
        request = self.drill_request(hit)
        if request is not None:
            self.open_drilldown(request)

    def drill_request(self, hit: ChartHit) -> DrillRequest | None:
        return self.trends_tab.drill_request(hit, self.team(), self.comparison)

    def open_drilldown(self, request: DrillRequest) -> DrilldownDialog | None:
        from sdesk.ui.kpi.drilldown_dialog import DrilldownDialog

        if self._engine is None:
            return None
        dialog = DrilldownDialog(self._engine, self._actor, request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.drill_dialog = dialog
        dialog.show()
        self.drilldown_opened.emit(dialog)
        return dialog

    def _on_tile_clicked(self, key: str) -> None:
        from sdesk.services.kpi import KPI_LABELS
        from sdesk.ui.kpi.drilldown_dialog import DrillRequest

        if self.comparison is None or key not in TILE_DRILL:
            return
        k = self.comparison.current
        self.open_drilldown(DrillRequest(
            f"{KPI_LABELS[key]} {law_text(k.law)}, {period_text(k.start, k.end)}",
            k.start, k.end, TILE_DRILL[key], k.law, k.team))

    # -- export -----------------------------------------------------------------------------

    def export_workbook(self) -> None:
        from sdesk.services.council import CouncilRequest

        if self._engine is None:
            return
        start, end = self.period()
        if end < start:
            self._set_status("De periode eindigt vóór het begin.")
            return
        request = CouncilRequest(start=start, end=end, law=self.law(), team=self.team(),
                                 budget_year=end.year,
                                 internal=self.internal_check.isChecked())
        export_council_workbook(self, self.tasks, self._engine, self._actor, request,
                                self.export_button, self._set_status, self.workbook_written,
                                self.failed)

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.tile_box.ensure_titles()
        if self._dirty:
            self.reload()

    def _on_period_edited(self, *_args: Any) -> None:
        self._period_chosen = True
        self._debounce.start()

    def _on_this_year(self) -> None:
        if self._bounds is not None:
            end = self._bounds[1]
            self.set_period(date(end.year, 1, 1), end)

    def _on_last_year(self) -> None:
        if self._bounds is not None:
            year = self._bounds[1].year - 1
            self.set_period(date(year, 1, 1), date(year, 12, 31))

    def _on_quarter(self) -> None:
        if self._bounds is not None:
            self.set_period(*last_full_quarter(self._bounds[1]))
