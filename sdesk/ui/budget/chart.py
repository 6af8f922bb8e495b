"""The budget page's chart: cumulative realisation through the year (pyqtgraph; import only
when the chart is needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from sdesk.services.platform.periods import month_end
from sdesk.services.platform.text import MONTHS_SHORT
from sdesk.ui.shell.charts import GRID_ALPHA, ChartCard, ChartHit, compact_euro, euro_axis

if TYPE_CHECKING:
    import pandas as pd

    from sdesk.services.budget import BudgetReport


class BudgetBurnChart(ChartCard):
    """Cumulative realisation per month against the linear budget path and the budget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        bottom = pg.AxisItem(orientation="bottom")
        super().__init__("budget", "Cumulatieve realisatie door het jaar", euro_axis(),
                         bottom, parent)
        bottom.setTicks([[(m, MONTHS_SHORT[m - 1]) for m in range(1, 13)], []])
        self.plot.showGrid(x=True, y=True, alpha=GRID_ALPHA)
        self.path = pg.PlotDataItem([], [], pen=pg.mkPen("#718096", width=1.5,
                                                          style=Qt.PenStyle.DashLine))
        self.forecast = pg.PlotDataItem([], [], pen=pg.mkPen("#c05621", width=1.5,
                                                              style=Qt.PenStyle.DotLine),
                                        symbol="d", symbolSize=8,
                                        symbolBrush=pg.mkBrush("#c05621"),
                                        symbolPen=pg.mkPen("#c05621"))
        self.realised = pg.PlotDataItem([], [], pen=pg.mkPen("#2b6cb0", width=2.5),
                                        symbol="o", symbolSize=6,
                                        symbolBrush=pg.mkBrush("#2b6cb0"),
                                        symbolPen=pg.mkPen("#2b6cb0"))
        # Months after complete_through (#15): dashed and hollow, their claims are not all in.
        self.provisional = pg.PlotDataItem([], [], pen=pg.mkPen("#2b6cb0", width=2.5,
                                                                 style=Qt.PenStyle.DashLine),
                                           symbol="o", symbolSize=7,
                                           symbolBrush=pg.mkBrush("#ffffff"),
                                           symbolPen=pg.mkPen("#2b6cb0", width=1.5))
        self.budget_line = pg.InfiniteLine(angle=0, movable=False,
                                           pen=pg.mkPen("#4a5568", width=1))
        self.budget_text = pg.TextItem("", color="#4a5568", anchor=(0, 0))
        for item in (self.path, self.budget_line, self.forecast, self.realised,
                     self.provisional, self.budget_text):
            self.plot.addItem(item)
        self.set_legend([("#2b6cb0", "Realisatie"),
                         ("#90cdf4", "Voorlopig, nog niet compleet (open rondjes)"),
                         ("#718096", "Begroting lineair"), ("#c05621", "Prognose eind december")])
        self.months: list[int] = []
        self.complete_month = 12  # the last month whose claims are complete
        self.cumulative: list[float] = []
        self.budget = 0.0
        self.prognosis = 0.0

    def set_data(self, months: Sequence[int], cumulative_euros: Sequence[float],
                 budget_euros: float, prognosis_euros: float, complete_month: int = 12) -> None:
        """`months`: 1..n up to the peildatum; `cumulative_euros`: realisation to the end of
        each month; budget and prognosis for the whole year; months after `complete_month`
        are provisional."""
        self.months = list(months)
        self.cumulative = [float(v) for v in cumulative_euros]
        self.budget = float(budget_euros)
        self.prognosis = float(prognosis_euros)
        self.complete_month = complete_month
        points = list(zip([0, *self.months], [0.0, *self.cumulative], strict=True))
        firm = [p for p in points if p[0] <= complete_month]
        late = [p for p in points if p[0] >= (firm[-1][0] if firm else 0)]
        self.realised.setData([p[0] for p in firm], [p[1] for p in firm])
        if len(late) < 2:
            self.provisional.setData([], [])
        else:  # from the last complete month (filled, as the realisation) on, hollow
            self.provisional.setData([p[0] for p in late], [p[1] for p in late], symbolBrush=[
                pg.mkBrush("#2b6cb0"), *[pg.mkBrush("#ffffff")] * (len(late) - 1)])
        self.path.setData([0, 12], [0.0, self.budget])
        self.budget_line.setPos(self.budget)
        self.budget_text.setText(f"Begroting {compact_euro(self.budget)}")
        self.budget_text.setPos(0.15, self.budget)
        last_month = self.months[-1] if self.months else 0
        last_value = self.cumulative[-1] if self.cumulative else 0.0
        self.forecast.setData([last_month, 12], [last_value, self.prognosis])
        top = max([self.budget, self.prognosis, *self.cumulative, 1.0])
        self.plot.setYRange(0, top * 1.08, padding=0)
        self.plot.setXRange(0, 12.3, padding=0)

    def show_report(self, report: BudgetReport, cumulative: pd.DataFrame) -> None:
        """The spending lines of `report`: realisation per month up to the peildatum
        (`cumulative`: month, cumulative_cents), their budget and their forecast."""
        year = report.year
        months = [int(m) for m in cumulative["month"] if month_end(year, int(m)) <= report.at]
        values = [float(v) / 100 for m, v in zip(cumulative["month"],
                                                 cumulative["cumulative_cents"], strict=True)
                  if int(m) in months]
        spending = [r for r in report.lines if r.begroting_cents > 0 and not r.subtotal]
        budget = sum(r.begroting_cents for r in spending) / 100
        prognosis = sum(r.prognose_cents for r in spending) / 100
        self.title_label.setText(f"Cumulatieve realisatie {year} (uitgavenposten)")
        complete = report.complete_through
        complete_month = (12 if complete is None or complete >= report.at
                          else 0 if complete.year < year else complete.month)
        self.set_data(months, values, budget, prognosis, complete_month)

    def hit_at(self, x: float, y: float) -> ChartHit | None:
        index = round(x)
        if 1 <= index <= 12 and abs(x - index) <= 0.5:
            return ChartHit(self.name, index, None)
        return None

    def describe(self, hit: ChartHit) -> str:
        month = hit.index
        lines = [f"Eind {MONTHS_SHORT[month - 1]}:",
                 f"begroting lineair {compact_euro(self.budget * month / 12)}"]
        if month in self.months:
            lines.insert(1, f"realisatie {compact_euro(self.cumulative[month - 1])}"
                         + (" (voorlopig: declaraties nog niet compleet)"
                            if month > self.complete_month else ""))
        return "\n".join(lines)

    def _on_scene_clicked(self, event: Any) -> None:
        """The budget chart only informs; nothing to drill into."""
