"""Dashboard: the controller's KPI tiles, trends over the history, drill-down and team figures.

Everything is computed in the background with the services that the CLI and the council
workbook use (compare_periods, monthly_trend, compute_kpis per quarter, team_kpis), in three
tasks that are started again when a filter changes; a result that arrives after the filters
changed once more is dropped. The first computation loads the KPI working set ("Gegevens
laden…"); later ones reuse it. The trends depend on law and team only, so changing the period
recomputes the tiles, the referrer chart and the team table, not the history.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import (
    LAW_NAMES,
    LAW_SHORT,
    MONTHS,
    euro,
    group_thousands,
    law_text,
    period_text,
    share,
    short_date,
)
from sdesk.ui.council_export import (
    ask_council_path,
    internal_checkbox,
    suggested_name,
    write_in_background,
)
from sdesk.ui.kpi_format import TILE_KEYS, change_text, value_text
from sdesk.ui.pages.team_page import TeamPanel
from sdesk.ui.widgets import (
    busy_indicator,
    date_edit,
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

    from sdesk.services.kpi import KpiComparison, Kpis, TeamRow
    from sdesk.ui.dashboard_charts import (
        CategoryBarChart,
        ChartHit,
        TimeBarChart,
        TimeLineChart,
    )
    from sdesk.ui.dialogs.drilldown_dialog import DrilldownDialog, DrillRequest

TAB_TRENDS, TAB_TEAMS = range(2)
# "All" in the pickers. Not None: PySide6 6.12's QComboBox.currentData() drops a reference to
# None each time it returns it, and the interpreter aborts once None's count runs out.
ALL = ""
# The tiles that open the persons behind them, and as which kind of drill-down.
TILE_DRILL = {"clients": "clients", "inflow": "inflow", "outflow": "outflow",
              "realised_cost": "cost"}
TILE_TIPS = {
    "clients": "Personen met een toewijzing die op minstens één dag van de periode loopt",
    "inflow": "Personen met een nieuwe toewijzing in de periode, zonder toewijzing van die wet "
              "in de zes maanden ervoor",
    "outflow": "Personen van wie de laatste toewijzing van de wet in de periode eindigt, "
               "zonder nieuwe in de zes maanden erna",
    "continuing": "Personen met een toewijzing in de periode én in de even lange periode ervoor",
    "realised_cost": "Declaraties met een begin in de periode",
    "cost_per_client": "Gerealiseerde kosten gedeeld door het aantal cliënten",
    "constant_price_cost": "Gerealiseerde kosten, met de prijsindex teruggerekend naar het "
                           "basisjaar",
    "top10_share": "Deel van de kosten dat naar de tien duurste cliënten gaat",
    "third_party_share": "Deel van de kosten na verwijzing door huisarts, jeugdarts, "
                         "gecertificeerde instelling, medisch specialist of rechter",
    "avg_duration_days": "Gemiddelde duur van de (samengevoegde) trajecten die in de periode "
                         "eindigen",
    "dropout_rate": "Deel van de beëindigde toewijzingen met reden uitval",
    "clients_per_1000": "Cliënten per 1.000 inwoners (Jeugdwet: inwoners van 0–17 jaar)",
    "heavy_share": "Deel van de cliënten boven de intensiteitsnorm",
    "households_multi_law": "Huishoudens met toewijzingen onder twee of meer wetten",
}
REFERRER_SHORT = {"01": "Gemeente", "02": "Huisarts", "03": "Jeugdarts",
                  "04": "Gecertificeerde instelling", "05": "Medisch specialist",
                  "06": "Zelfverwijzer", "08": "Rechter / OvJ", "onbekend": "Onbekend"}
_TILE_STYLE = ("QFrame#kpiTile { background: #ffffff; border: 1px solid #cfd8e3;"
               " border-radius: 4px; }"
               "QFrame#kpiTile[clickable=\"true\"]:hover { border-color: #2b6cb0; }")
_UP, _DOWN, _FLAT = "#2b6cb0", "#9c4221", "#5a6470"
_DEBOUNCE_MS = 350


@dataclass(frozen=True)
class TrendResult:
    """The history the trend charts show: monthly per law, and the KPIs per full quarter."""

    law: str | None
    team: str | None
    monthly: pd.DataFrame  # month, law, realised_cents, constant_cents, clients
    base_year: int | None
    quarters: list[Kpis]


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def quarter_label(start: date) -> str:
    return f"K{(start.month - 1) // 3 + 1} {start.year}"


def last_full_year(data_end: date) -> tuple[date, date]:
    year = data_end.year if (data_end.month, data_end.day) == (12, 31) else data_end.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def last_full_quarter(data_end: date) -> tuple[date, date]:
    start = date(data_end.year, (data_end.month - 1) // 3 * 3 + 1, 1)
    end = month_end(date(start.year, start.month + 2, 1))
    if end <= data_end:
        return start, end
    previous_end = start - timedelta(days=1)
    return date(previous_end.year, previous_end.month - 2, 1), previous_end


class KpiTile(QFrame):
    """A framed figure: label, big value, the change against the previous period."""

    clicked = Signal(str)

    def __init__(self, key: str, label: str, clickable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.clickable = clickable
        self.setObjectName("kpiTile")
        self.setProperty("clickable", "true" if clickable else "false")
        self.setStyleSheet(_TILE_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.title_label = QLabel(label)
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("color: #4a5568; border: none;")
        small = self.title_label.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.title_label.setFont(small)
        lines = self.title_label.fontMetrics().lineSpacing()
        self.title_label.setFixedHeight(lines * 2 + 2)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.value_label = QLabel("–")
        big = self.value_label.font()
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.value_label.setFont(big)
        self.value_label.setStyleSheet("color: #1a202c; border: none;")
        self.change_label = QLabel(" ")
        self.change_label.setFont(small)
        self.change_label.setStyleSheet(f"color: {_FLAT}; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.value_label)
        layout.addWidget(self.change_label)
        if clickable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_content(self, value: str, change: str, direction: int, tooltip: str) -> None:
        self.value_label.setText(value)
        self.change_label.setText(change)
        colour = _UP if direction > 0 else _DOWN if direction < 0 else _FLAT
        self.change_label.setStyleSheet(f"color: {colour}; border: none;")
        self.setToolTip(tooltip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.clickable and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.key)
        super().mouseReleaseEvent(event)


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
        self._tasks: set[Task] = set()
        self._generation = {"init": 0, "kpis": 0, "teams": 0, "trends": 0}
        self._trend_key: tuple[Any, ...] | None = None
        self._trend_task: Task | None = None
        self._working_set_loaded = False
        self.comparison: KpiComparison | None = None
        self.trend: TrendResult | None = None
        self.team_rows: list[TeamRow] = []
        self.drill_dialog: DrilldownDialog | None = None
        self.cost_chart: TimeLineChart | None = None
        self.clients_chart: TimeLineChart | None = None
        self.flow_chart: TimeBarChart | None = None
        self.cpc_chart: TimeLineChart | None = None
        self.referrer_chart: CategoryBarChart | None = None
        self.top10_chart: TimeLineChart | None = None
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(_DEBOUNCE_MS)
        self._build_ui()
        self._connect_signals()
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        heading = page_heading("Dashboard")
        self.busy_bar = busy_indicator()
        self.status_label = status_line()
        self.export_button = QPushButton("Excel voor de raad…")
        self.export_button.setToolTip("Kengetallen, trends en begroting als Excel-werkmap, "
                                      "met de gekozen periode, wet en team")
        self.internal_check = internal_checkbox()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.busy_bar)
        top.addWidget(self.status_label, 1)
        top.addWidget(self.internal_check)
        top.addWidget(self.export_button)

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
        self.caption_label.setToolTip("De verandering op elke tegel is ten opzichte van de "
                                      "even lange periode direct ervoor; de tooltip van een "
                                      "tegel geeft ook de waarde een jaar eerder.")
        filters.addWidget(self.caption_label)
        self.tiles: dict[str, KpiTile] = {}
        self.tile_box = QWidget()
        grid = QGridLayout(self.tile_box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        per_row = (len(TILE_KEYS) + 1) // 2
        for n, key in enumerate(TILE_KEYS):
            tile = KpiTile(key, "", key in TILE_DRILL)  # titled when first shown
            tip = TILE_TIPS.get(key, "")
            tile.setToolTip(tip)
            self.tiles[key] = tile
            grid.addWidget(tile, n // per_row, n % per_row)
        for column in range(per_row):
            grid.setColumnStretch(column, 1)

        self.tabs = QTabWidget()
        self.constant_check = QCheckBox("Kosten in constante prijzen")
        self.constant_check.setToolTip("Kosten teruggerekend naar het prijsniveau van het "
                                       "basisjaar (prijsindex per wet)")
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 0, 4, 2)
        hint = QLabel("Klik op een punt of staaf voor de toewijzingen erachter")
        hint.setStyleSheet("color: palette(dark);")
        corner_layout.addWidget(hint)
        corner_layout.addSpacing(12)
        corner_layout.addWidget(self.constant_check)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.chart_grid = QGridLayout()
        self.chart_grid.setContentsMargins(6, 6, 6, 4)
        self.chart_grid.setHorizontalSpacing(10)
        self.chart_grid.setVerticalSpacing(8)
        chart_host = QWidget()
        chart_host.setLayout(self.chart_grid)
        self.trends_tab = QScrollArea()
        self.trends_tab.setWidgetResizable(True)
        self.trends_tab.setFrameShape(QFrame.Shape.NoFrame)
        self.trends_tab.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.trends_tab.setWidget(chart_host)
        self.team_panel = TeamPanel()
        self.tabs.addTab(self.trends_tab, "Trends")
        self.tabs.addTab(self.team_panel, "Teams")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.tile_box)
        layout.addWidget(self.tabs, 1)

    def _connect_signals(self) -> None:
        self.start_edit.dateChanged.connect(self._on_period_edited)
        self.end_edit.dateChanged.connect(self._on_period_edited)
        self._debounce.timeout.connect(self._compute)
        self.this_year_button.clicked.connect(self._on_this_year)
        self.last_year_button.clicked.connect(self._on_last_year)
        self.quarter_button.clicked.connect(self._on_quarter)
        self.law_combo.currentIndexChanged.connect(lambda _i: self._compute())
        self.team_combo.currentIndexChanged.connect(lambda _i: self._compute())
        self.constant_check.toggled.connect(lambda _on: self._show_cost_trend())
        self.export_button.clicked.connect(self.export_workbook)
        for tile in self.tiles.values():
            tile.clicked.connect(self._on_tile_clicked)

    def _ensure_titles(self) -> None:
        """The tiles' names come from the KPI service, which loads pandas: not at start-up."""
        if self.tiles["clients"].title_label.text():
            return
        from sdesk.services.kpi import KPI_LABELS

        for key, tile in self.tiles.items():
            tile.title_label.setText(KPI_LABELS[key])

    def _ensure_charts(self) -> None:
        """pyqtgraph is imported when the dashboard is first shown, not at start-up."""
        if self.cost_chart is not None:
            return
        from sdesk.ui.dashboard_charts import (
            CategoryBarChart,
            TimeBarChart,
            TimeLineChart,
            compact_euro,
            count_axis,
            euro_axis,
            share_axis,
        )

        self.cost_chart = TimeLineChart("cost", "Kosten per maand", euro_axis(),
                                        lambda v: euro(round(v * 100)))
        self.clients_chart = TimeLineChart("clients", "Cliënten per maand", count_axis(),
                                           lambda v: group_thousands(round(v)))
        self.flow_chart = TimeBarChart(
            "flow", "In- en uitstroom per kwartaal", ("inflow", "outflow"),
            {"inflow": "Instroom", "outflow": "Uitstroom"}, ("#2b6cb0", "#c05621"),
            count_axis(), lambda v: group_thousands(round(v)))
        self.cpc_chart = TimeLineChart("cost_per_client", "Kosten per cliënt per kwartaal",
                                       euro_axis(), lambda v: euro(round(v * 100)))
        self.referrer_chart = CategoryBarChart("referrer", "Kosten per verwijzer",
                                               lambda v: euro(round(v * 100)), compact_euro)
        self.top10_chart = TimeLineChart("top10", "Aandeel top-10 per kwartaal",
                                         share_axis(), lambda v: share(v))
        charts = (self.cost_chart, self.clients_chart, self.flow_chart, self.cpc_chart,
                  self.referrer_chart, self.top10_chart)
        for n, chart in enumerate(charts):
            chart.setMinimumHeight(180)
            chart.hit.connect(self.on_chart_hit)
            self.chart_grid.addWidget(chart, n // 3, n % 3)
        for column in range(3):
            self.chart_grid.setColumnStretch(column, 1)

    # -- public -----------------------------------------------------------------------------

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

    def reload(self) -> None:
        """Read the history's bounds and the teams, then compute everything."""
        if self._engine is None:
            return
        self._dirty = False
        self._ensure_charts()
        engine = self._engine

        def op(state: TaskState) -> tuple[tuple[date, date] | None, list[str]]:
            from sdesk.services.kpi import history_bounds
            from sdesk.services.platform.users import list_teams

            return history_bounds(engine), list_teams(engine)

        generation = self._next("init")

        def deliver(result: tuple[tuple[date, date] | None, list[str]]) -> None:
            if generation == self._generation["init"]:
                self._working_set_loaded = True
                self._on_initialised(*result)

        self._set_status("Berekenen…" if self._working_set_loaded else "Gegevens laden…")
        self._start(op, deliver, self._failure("init", "Gegevens niet geladen"))

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

    def is_busy(self) -> bool:
        return any(t.running for t in self._tasks)

    def shutdown(self) -> None:
        self._debounce.stop()
        for task in list(self._tasks):
            task.cancel()

    # -- computing --------------------------------------------------------------------------

    def _next(self, kind: str) -> int:
        self._generation[kind] += 1
        return self._generation[kind]

    def _start(self, op: Any, deliver: Any, fail: Any, progress: Any = None) -> Task:
        task = run_in_background(op, on_success=deliver, on_error=fail, on_progress=progress,
                                 owner=self)
        self._tasks.add(task)
        task.done.connect(lambda: self._on_task_done(task))
        self.busy_bar.show()
        return task

    def _on_task_done(self, task: Task) -> None:
        self._tasks.discard(task)
        if not self.is_busy():
            self.busy_bar.hide()
            if self._bounds is not None:
                self._set_status(f"Gegevens tot en met {short_date(self._bounds[1])}")

    def _failure(self, kind: str, title: str) -> Any:
        generation = self._generation[kind]

        def fail(exc: BaseException) -> None:
            if generation != self._generation[kind]:
                return
            self._set_status(f"{title}.")
            self.tile_box.setEnabled(True)
            show_failure(self, title, exc)
            self.failed.emit(str(exc))

        return fail

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

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
        for edit, value in ((self.start_edit, start), (self.end_edit, end)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(value))
            edit.blockSignals(False)
        self._debounce.stop()

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
        key = (law, team)
        if key != self._trend_key:
            self._start_trends(law, team)

    def _start_kpis(self, start: date, end: date, law: str | None, team: str | None) -> None:
        engine = self._engine

        def op(_state: TaskState) -> KpiComparison:
            from sdesk.services.kpi import compare_periods

            return compare_periods(engine, start, end, law, team)

        generation = self._next("kpis")

        def deliver(result: KpiComparison) -> None:
            if generation == self._generation["kpis"]:
                self._show_kpis(result)

        self.tile_box.setEnabled(False)
        self._start(op, deliver, self._failure("kpis", "Kengetallen niet berekend"))

    def _start_teams(self, start: date, end: date, law: str | None, team: str | None) -> None:
        engine = self._engine

        def op(_state: TaskState) -> list[TeamRow]:
            from sdesk.services.kpi import team_kpis

            return team_kpis(engine, start, end, law)

        generation = self._next("teams")
        caption = (f"Teams en medewerkers, {period_text(start, end)}, {law_text(law)}"
                   + (f", team {team}" if team else ""))

        def deliver(rows: list[TeamRow]) -> None:
            if generation == self._generation["teams"]:
                self.team_rows = rows
                self.team_panel.set_rows(rows, self.team(), caption)
                self.teams_loaded.emit(rows)

        self._start(op, deliver, self._failure("teams", "Teamcijfers niet berekend"))

    def _start_trends(self, law: str | None, team: str | None) -> None:
        engine = self._engine
        self._trend_key = (law, team)

        def op(state: TaskState) -> TrendResult | None:
            from sdesk.services.kpi import compute_kpis, monthly_trend, trend_window

            window = trend_window(engine, law, team)
            if window is None:
                return None
            monthly = monthly_trend(engine, window.first_month, window.last_day, law, team)
            frame = monthly.frame
            spans = window.quarters
            out = []
            for n, (q0, q1) in enumerate(spans):
                if state.is_cancelled():
                    return None
                state.progress(n / max(len(spans), 1),
                               f"Trends berekenen ({n + 1}/{len(spans)})…")
                out.append(compute_kpis(engine, q0, q1, law, team))
            return TrendResult(law, team, frame, monthly.base_year, out)

        generation = self._next("trends")
        if self._trend_task is not None and self._trend_task.running:
            self._trend_task.cancel()  # stops between quarters; its result is dropped anyway

        def deliver(result: TrendResult | None) -> None:
            if generation == self._generation["trends"] and result is not None:
                self._show_trends(result)

        def progress(_fraction: float, message: str) -> None:
            if generation == self._generation["trends"] and message:
                self._set_status(message)

        report = self._failure("trends", "Trends niet berekend")

        def fail(exc: BaseException) -> None:
            if generation == self._generation["trends"]:
                self._trend_key = None
            report(exc)

        self._trend_task = self._start(op, deliver, fail, progress)

    # -- display ----------------------------------------------------------------------------

    def _show_kpis(self, comparison: KpiComparison) -> None:
        self.comparison = comparison
        current, previous, earlier = (comparison.current, comparison.previous,
                                      comparison.year_earlier)
        prev_span = f"{short_date(previous.start)} t/m {short_date(previous.end)}"
        earlier_span = f"{short_date(earlier.start)} t/m {short_date(earlier.end)}"
        for key, tile in self.tiles.items():
            change, direction = change_text(key, current, previous)
            tip = [TILE_TIPS.get(key, "")]
            if key == "constant_price_cost" and current.base_year:
                tip.append(f"Basisjaar {current.base_year}")
            tip += [f"Vorige periode ({prev_span}): {value_text(previous, key)}",
                    f"Jaar eerder ({earlier_span}): {value_text(earlier, key)}"]
            if key == "outflow" and current.outflow_provisional:
                change = f"{change} · {current.outflow_provisional} voorlopig"
                tip.append(f"Waarvan voorlopig: {current.outflow_provisional} (de zes maanden "
                           "erna liggen deels na de laatste gegevens)")
            if key in TILE_DRILL:
                tip.append("Klik voor de personen en toewijzingen erachter")
            tile.set_content(value_text(current, key), change, direction,
                             "\n".join(t for t in tip if t))
        self.tile_box.setEnabled(True)
        self._show_referrers(current)
        self.kpis_loaded.emit(comparison)

    def _show_referrers(self, k: Kpis) -> None:
        if self.referrer_chart is None:
            return
        from sdesk.services.platform.reference_data import shipped_codelists

        full = shipped_codelists().get("COD327", {})
        items = sorted(k.cost_by_referrer_cents.items(), key=lambda kv: -kv[1])
        self.referrer_chart.title_label.setText(
            f"Kosten per verwijzer, {period_text(k.start, k.end)}")
        self.referrer_chart.set_bars(
            [code for code, _ in items],
            [REFERRER_SHORT.get(code, code) for code, _ in items],
            [cents / 100 for _, cents in items],
            [f"{code} {full.get(code, REFERRER_SHORT.get(code, code))}" for code, _ in items])

    def _show_trends(self, result: TrendResult) -> None:
        self.trend = result
        base = f" (basisjaar {result.base_year})" if result.base_year else ""
        self.constant_check.setText(f"Kosten in constante prijzen{base}")
        self.constant_check.setEnabled(result.base_year is not None)
        self._show_cost_trend()
        frame = result.monthly
        months, labels = self._months(frame)
        laws = [lw for lw in LAW_NAMES if lw in set(frame["law"])]
        assert self.clients_chart is not None
        from sdesk.ui.dashboard_charts import LAW_COLOURS

        clients = {lw: self._per_month(frame, lw, "clients", months) for lw in laws}
        self.clients_chart.set_series(months, labels, clients,
                                      {lw: LAW_SHORT[lw] for lw in laws}, LAW_COLOURS)
        qs = result.quarters
        mids = [q.start + (q.end - q.start) / 2 for q in qs]
        q_labels = [quarter_label(q.start) for q in qs]
        assert self.flow_chart and self.cpc_chart and self.top10_chart
        self.flow_chart.set_series(mids, q_labels, {"inflow": [q.inflow for q in qs],
                                                    "outflow": [q.outflow for q in qs]})
        name = law_text(result.law)
        self.cpc_chart.set_series(
            mids, q_labels, {"all": [None if q.cost_per_client_cents is None
                                     else q.cost_per_client_cents / 100 for q in qs]},
            {"all": name})
        self.top10_chart.set_series(mids, q_labels, {"all": [q.top10_share for q in qs]},
                                    {"all": name})
        self.trends_loaded.emit(result)

    def _months(self, frame: pd.DataFrame) -> tuple[list[date], list[str]]:
        months = sorted(set(frame["month"]))
        return months, [f"{MONTHS[m.month - 1]} {m.year}" for m in months]

    @staticmethod
    def _per_month(frame: pd.DataFrame, law: str, column: str,
                   months: list[date]) -> list[float | None]:
        part = frame[frame["law"] == law].set_index("month")[column]
        return [None if m not in part.index else float(part[m]) for m in months]

    def _show_cost_trend(self) -> None:
        if self.trend is None or self.cost_chart is None:
            return
        from sdesk.ui.dashboard_charts import LAW_COLOURS

        frame = self.trend.monthly
        months, labels = self._months(frame)
        laws = [lw for lw in LAW_NAMES if lw in set(frame["law"])]
        constant = self.constant_check.isChecked() and self.trend.base_year is not None
        column = "constant_cents" if constant else "realised_cents"
        series = {lw: [None if v is None else v / 100
                       for v in self._per_month(frame, lw, column, months)] for lw in laws}
        self.cost_chart.title_label.setText(
            f"Kosten per maand, prijzen {self.trend.base_year}" if constant
            else "Kosten per maand")
        self.cost_chart.set_series(months, labels, series, {lw: LAW_SHORT[lw] for lw in laws},
                                   LAW_COLOURS)

    # -- drill-down -------------------------------------------------------------------------

    def on_chart_hit(self, hit: ChartHit) -> None:
        """A click on a chart: open the persons and allocations behind that point or bar."""
        request = self.drill_request(hit)
        if request is not None:
            self.open_drilldown(request)

    def drill_request(self, hit: ChartHit) -> DrillRequest | None:
        from sdesk.ui.dialogs.drilldown_dialog import DrillRequest

        team = self.team()
        if hit.chart in ("cost", "clients"):
            chart = self.cost_chart if hit.chart == "cost" else self.clients_chart
            assert chart is not None
            month = chart.slots[hit.index]
            law = hit.series
            kind = "cost" if hit.chart == "cost" else "clients"
            what = "Kosten" if kind == "cost" else "Cliënten"
            note = ("De grafiek toont constante prijzen; de tabel toont de gedeclareerde "
                    "bedragen." if kind == "cost" and self.constant_check.isChecked() else "")
            return DrillRequest(f"{what} {law_text(law)}, {MONTHS[month.month - 1]} "
                                f"{month.year}", month, month_end(month), kind, law, team,
                                note=note)
        if hit.chart in ("flow", "cost_per_client", "top10"):
            if self.trend is None:
                return None
            q = self.trend.quarters[hit.index]
            law = self.trend.law
            label = quarter_label(q.start)
            if hit.chart == "flow":
                kind = hit.series or "inflow"
                what = "Instroom" if kind == "inflow" else "Uitstroom"
                return DrillRequest(f"{what} {law_text(law)}, {label}", q.start, q.end, kind,
                                    law, team)
            title = ("Kosten per cliënt" if hit.chart == "cost_per_client"
                     else "Aandeel top-10 cliënten")
            return DrillRequest(f"{title} {law_text(law)}, {label}", q.start, q.end, "cost",
                                law, team, note="Gesorteerd op realisatie, hoogste eerst.")
        if hit.chart == "referrer":
            if self.comparison is None:
                return None
            k = self.comparison.current
            code = hit.series
            return DrillRequest(
                f"Kosten via {REFERRER_SHORT.get(code or '', code)}, {period_text(k.start, k.end)}",
                k.start, k.end, "cost", k.law, k.team, referrer=code)
        return None

    def open_drilldown(self, request: DrillRequest) -> DrilldownDialog | None:
        from sdesk.ui.dialogs.drilldown_dialog import DrilldownDialog

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
        from sdesk.ui.dialogs.drilldown_dialog import DrillRequest

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
        path = ask_council_path(self, suggested_name(start, end))
        if path is None:
            return
        request = CouncilRequest(start=start, end=end, law=self.law(), team=self.team(),
                                 budget_year=end.year,
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

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ensure_titles()
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
