"""The dashboard's Trends tab: six clickable charts over the history (cost and clients per
month, in- and outflow, cost per client and the top-10 share per quarter, cost per referrer),
and what a click on each opens (`drill_request`).

pyqtgraph is imported when the charts are first needed (`ensure_charts`), not at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QWidget,
)

from sdesk.services.platform.periods import month_end
from sdesk.services.platform.text import (
    LAW_NAMES,
    LAW_SHORT,
    MONTHS,
    euro,
    group_thousands,
    law_text,
    period_text,
    share,
)

if TYPE_CHECKING:
    import pandas as pd

    from sdesk.services.kpi import KpiComparison, Kpis
    from sdesk.ui.kpi.charts import CategoryBarChart, TimeBarChart, TimeLineChart
    from sdesk.ui.kpi.drilldown_dialog import DrillRequest
    from sdesk.ui.shell.charts import ChartHit

REFERRER_SHORT = {"01": "Gemeente", "02": "Huisarts", "03": "Jeugdarts",
                  "04": "Gecertificeerde instelling", "05": "Medisch specialist",
                  "06": "Zelfverwijzer", "08": "Rechter / OvJ", "onbekend": "Onbekend"}


@dataclass(frozen=True)
class TrendResult:
    """The history the trend charts show: monthly per law, and the KPIs per full quarter."""

    law: str | None
    team: str | None
    monthly: pd.DataFrame  # month, law, realised_cents, constant_cents, clients, provisional
    base_year: int | None
    quarters: list[Kpis]
    complete_through: date | None = None  # claims after this day are not all in yet

    def provisional_months(self, months: list[date]) -> list[bool]:
        """Per month (first day): whether its claims are not all in yet (the trend service's
        flag, `monthly_trend`)."""
        if "provisional" not in self.monthly:
            return [False] * len(months)
        flags = self.monthly.groupby("month")["provisional"].any()
        return [bool(flags.get(m, False)) for m in months]

    def provisional_quarters(self) -> list[bool]:
        """Per quarter: whether it ends after the last complete month."""
        through = self.complete_through
        return [through is not None and q.end > through for q in self.quarters]


def quarter_label(start: date) -> str:
    return f"K{(start.month - 1) // 3 + 1} {start.year}"


def _months(frame: pd.DataFrame) -> tuple[list[date], list[str]]:
    months = sorted(set(frame["month"]))
    return months, [f"{MONTHS[m.month - 1]} {m.year}" for m in months]


def _per_month(frame: pd.DataFrame, law: str, column: str,
               months: list[date]) -> list[float | None]:
    part = frame[frame["law"] == law].set_index("month")[column]
    return [None if m not in part.index else float(part[m]) for m in months]


def _laws(frame: pd.DataFrame) -> list[str]:
    present = set(frame["law"])
    return [law for law in LAW_NAMES if law in present]


class TrendsPanel(QScrollArea):
    hit = Signal(object)  # ChartHit: a point or bar was clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trend: TrendResult | None = None
        self.cost_chart: TimeLineChart | None = None
        self.clients_chart: TimeLineChart | None = None
        self.flow_chart: TimeBarChart | None = None
        self.cpc_chart: TimeLineChart | None = None
        self.referrer_chart: CategoryBarChart | None = None
        self.top10_chart: TimeLineChart | None = None
        self.grid = QGridLayout()
        self.grid.setContentsMargins(6, 6, 6, 4)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        host = QWidget()
        host.setLayout(self.grid)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(host)

        # For the tab bar's corner: how to drill down, and the constant-prices toggle.
        self.constant_check = QCheckBox("Kosten in constante prijzen")
        self.constant_check.setToolTip("Kosten teruggerekend naar het prijsniveau van het "
                                       "basisjaar (prijsindex per wet)")
        self.constant_check.toggled.connect(lambda _on: self.show_cost_trend())
        self.corner = QWidget()
        corner_layout = QHBoxLayout(self.corner)
        corner_layout.setContentsMargins(0, 0, 4, 2)
        hint = QLabel("Klik op een punt of staaf voor de toewijzingen erachter")
        hint.setStyleSheet("color: palette(dark);")
        corner_layout.addWidget(hint)
        corner_layout.addSpacing(12)
        corner_layout.addWidget(self.constant_check)

    def ensure_charts(self) -> None:
        """pyqtgraph is imported when the dashboard is first shown, not at start-up."""
        if self.cost_chart is not None:
            return
        from sdesk.ui.kpi.charts import CategoryBarChart, TimeBarChart, TimeLineChart
        from sdesk.ui.shell.charts import compact_euro, count_axis, euro_axis, share_axis

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
            chart.hit.connect(self.hit)
            self.grid.addWidget(chart, n // 3, n % 3)
        for column in range(3):
            self.grid.setColumnStretch(column, 1)

    # -- display ----------------------------------------------------------------------------

    def show_referrers(self, k: Kpis) -> None:
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

    def show_trends(self, result: TrendResult) -> None:
        from sdesk.ui.kpi.charts import LAW_COLOURS

        self.trend = result
        base = f" (basisjaar {result.base_year})" if result.base_year else ""
        self.constant_check.setText(f"Kosten in constante prijzen{base}")
        self.constant_check.setEnabled(result.base_year is not None)
        self.show_cost_trend()
        frame = result.monthly
        months, labels = _months(frame)
        laws = _laws(frame)
        assert self.clients_chart and self.flow_chart and self.cpc_chart and self.top10_chart
        clients = {lw: _per_month(frame, lw, "clients", months) for lw in laws}
        self.clients_chart.set_series(months, labels, clients,
                                      {lw: LAW_SHORT[lw] for lw in laws}, LAW_COLOURS)
        qs = result.quarters
        mids = [q.start + (q.end - q.start) / 2 for q in qs]
        q_labels = [quarter_label(q.start) for q in qs]
        self.flow_chart.set_series(mids, q_labels, {"inflow": [q.inflow for q in qs],
                                                    "outflow": [q.outflow for q in qs]})
        name = law_text(result.law)
        # Cost figures wait for claims: provisional quarters are drawn so. Clients and in- and
        # outflow count allocations, which declaration lag does not touch.
        late = result.provisional_quarters()
        self.cpc_chart.set_series(
            mids, q_labels, {"all": [None if q.cost_per_client_cents is None
                                     else q.cost_per_client_cents / 100 for q in qs]},
            {"all": name}, provisional=late)
        self.top10_chart.set_series(mids, q_labels, {"all": [q.top10_share for q in qs]},
                                    {"all": name}, provisional=late)

    def show_cost_trend(self) -> None:
        """Cost per month, in constant prices when the toggle is on."""
        if self.trend is None or self.cost_chart is None:
            return
        from sdesk.ui.kpi.charts import LAW_COLOURS

        frame = self.trend.monthly
        months, labels = _months(frame)
        laws = _laws(frame)
        constant = self.constant_check.isChecked() and self.trend.base_year is not None
        column = "constant_cents" if constant else "realised_cents"
        series = {lw: [None if v is None else v / 100
                       for v in _per_month(frame, lw, column, months)] for lw in laws}
        self.cost_chart.title_label.setText(
            f"Kosten per maand, prijzen {self.trend.base_year}" if constant
            else "Kosten per maand")
        self.cost_chart.set_series(months, labels, series, {lw: LAW_SHORT[lw] for lw in laws},
                                   LAW_COLOURS, self.trend.provisional_months(months))

    # -- drill-down -------------------------------------------------------------------------

    def drill_request(self, hit: ChartHit, team: str | None,
                      comparison: KpiComparison | None) -> DrillRequest | None:
        """The persons and allocations behind a clicked point or bar, with the dashboard's
        team filter (the referrer chart shows `comparison`'s current period)."""
        from sdesk.ui.kpi.drilldown_dialog import DrillRequest

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
                                f"{month.year}", month, month_end(month.year, month.month),
                                kind, law, team, note=note)
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
            if comparison is None:
                return None
            k = comparison.current
            code = hit.series
            return DrillRequest(
                f"Kosten via {REFERRER_SHORT.get(code or '', code)}, {period_text(k.start, k.end)}",
                k.start, k.end, "cost", k.law, k.team, referrer=code)
        return None
