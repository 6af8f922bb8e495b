"""Charts of the dashboard and the budget page: pyqtgraph items made once, fed with setData.

Every chart is a small card (title, legend, plot) whose points and bars can be clicked: a click
anywhere in a month's or quarter's slot picks that slot (and the nearest line, or the bar on
that side), so nobody has to hit a five-pixel symbol. The chart emits `hit` with a `ChartHit`
and shows what a click would open as a tooltip while the mouse moves.

Import this module only when a chart is needed: pyqtgraph takes about half a second to load.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QCursor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import MONTHS_SHORT, decimal, group_thousands

LAW_COLOURS = {"jeugd": "#2b6cb0", "wmo": "#2f855a", "participatie": "#c05621"}
SERIES_COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#4a5568")
_AXIS_PEN = "#555555"
_TEXT = "#222222"
_GRID_ALPHA = 0.25
_EN_MONTHS = {"Jan": "jan", "Feb": "feb", "Mar": "mrt", "Apr": "apr", "May": "mei",
              "Jun": "jun", "Jul": "jul", "Aug": "aug", "Sep": "sep", "Oct": "okt",
              "Nov": "nov", "Dec": "dec"}


def timestamp(day: date) -> float:
    """Epoch seconds of midnight UTC (the DateAxisItem runs with utcOffset 0)."""
    return float(calendar.timegm(day.timetuple()))


def compact_euro(euros: float) -> str:
    """Axis ticks: "€ 1,25 mln", "€ 250.000", "€ 0"."""
    if abs(euros) >= 1_000_000:
        text = decimal(euros / 1_000_000, 2).rstrip("0").rstrip(",")
        return f"€ {text} mln"
    sign = "-" if round(euros) < 0 else ""
    return f"€ {sign}{group_thousands(abs(round(euros)))}"


def count_text(value: float) -> str:
    return group_thousands(round(value)) if float(value).is_integer() else decimal(value, 1)


# -- axes ---------------------------------------------------------------------------------------

class DutchDateAxis(pg.DateAxisItem):
    """Dates with Dutch month abbreviations ("mrt", "mei", "okt")."""

    def __init__(self, orientation: str = "bottom", **kwargs: Any) -> None:
        super().__init__(orientation=orientation, utcOffset=0, **kwargs)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [_EN_MONTHS.get(s, s) for s in super().tickStrings(values, scale, spacing)]


class FormatAxis(pg.AxisItem):
    """Tick labels through a formatting function (euros, counts, percentages)."""

    def __init__(self, formatter: Callable[[float], str], orientation: str = "left",
                 **kwargs: Any) -> None:
        super().__init__(orientation=orientation, **kwargs)
        self._formatter = formatter
        self.enableAutoSIPrefix(False)

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [self._formatter(v * scale) for v in values]


def euro_axis() -> FormatAxis:
    return FormatAxis(compact_euro)  # values are euros


def count_axis() -> FormatAxis:
    return FormatAxis(count_text)


def share_axis() -> FormatAxis:
    return FormatAxis(lambda v: f"{decimal(v * 100, 0)} %")  # values are fractions


# -- the card around a plot ---------------------------------------------------------------------

@dataclass(frozen=True)
class ChartHit:
    """What a click picked: the slot (month, quarter, category) and the series in it."""

    chart: str
    index: int
    series: str | None


class ChartCard(QWidget):
    """Title, legend and a plot without mouse panning; subclasses say what a position hits."""

    hit = Signal(object)  # ChartHit

    def __init__(self, name: str, title: str, left: pg.AxisItem,
                 bottom: pg.AxisItem | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        axes = {"left": left}
        if bottom is not None:
            axes["bottom"] = bottom
        self.plot_widget = pg.PlotWidget(background="w", axisItems=axes)
        self.plot_widget.setMinimumHeight(150)
        plot = self.plot_widget.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.showGrid(x=False, y=True, alpha=_GRID_ALPHA)
        plot.layout.setContentsMargins(2, 4, 8, 2)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen(_AXIS_PEN))
            axis.setTextPen(pg.mkPen(_TEXT))
            axis.setTickFont(font)
        # pyqtgraph sizes the bottom axis a few pixels short for this font: labels get clipped.
        plot.getAxis("bottom").setHeight(QFontMetrics(font).height() + 10)

        self.title_label = QLabel(title)
        bold = self.title_label.font()
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.legend_label = QLabel()
        self.legend_label.setTextFormat(Qt.TextFormat.RichText)
        self.legend_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                       | Qt.AlignmentFlag.AlignVCenter)
        # Never let a long legend force the card (and the grid) wider than its column.
        self.legend_label.setSizePolicy(QSizePolicy.Policy.Ignored,
                                        QSizePolicy.Policy.Preferred)
        small = self.legend_label.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        self.legend_label.setFont(small)
        self.header = QHBoxLayout()
        self.header.setContentsMargins(4, 0, 4, 0)
        self.header.addWidget(self.title_label)
        self.header.addWidget(self.legend_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self.header)
        layout.addWidget(self.plot_widget, 1)

        self.plot_widget.scene().sigMouseClicked.connect(self._on_scene_clicked)
        self.plot_widget.scene().sigMouseMoved.connect(self._on_scene_moved)

    @property
    def plot(self) -> pg.PlotItem:
        return self.plot_widget.getPlotItem()

    def set_legend(self, entries: Sequence[tuple[str, str]]) -> None:
        """(colour, name) pairs as coloured squares after the title."""
        self.legend_label.setText("&nbsp;&nbsp;".join(
            f"<span style='color:{colour}'>■</span>&nbsp;{name}" for colour, name in entries))

    # -- hits ---------------------------------------------------------------------------------

    def hit_at(self, x: float, y: float) -> ChartHit | None:
        """The slot and series at a position in data coordinates."""
        return None

    def describe(self, hit: ChartHit) -> str:
        """Tooltip text for a hit."""
        return ""

    def _view_point(self, scene_pos: QPointF) -> QPointF | None:
        box = self.plot.getViewBox()
        if not box.sceneBoundingRect().contains(scene_pos):
            return None
        return box.mapSceneToView(scene_pos)

    def _on_scene_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        point = self._view_point(event.scenePos())
        found = None if point is None else self.hit_at(point.x(), point.y())
        if found is not None:
            event.accept()
            self.hit.emit(found)

    def _on_scene_moved(self, scene_pos: QPointF) -> None:
        point = self._view_point(scene_pos)
        found = None if point is None else self.hit_at(point.x(), point.y())
        text = self.describe(found) if found is not None else ""
        if text:
            self.plot_widget.setCursor(Qt.CursorShape.PointingHandCursor)
            QToolTip.showText(QCursor.pos(), text, self.plot_widget)
        else:
            self.plot_widget.unsetCursor()
            QToolTip.hideText()


def _nearest_slot(xs: Sequence[float], x: float) -> int | None:
    if not xs:
        return None
    index = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
    spacing = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 30 * 86400.0
    return index if abs(xs[index] - x) <= spacing * 0.6 else None


# -- lines over time ----------------------------------------------------------------------------

class TimeLineChart(ChartCard):
    """One line per series (a law, for instance) over months or quarters, with clickable
    points. Series items are made the first time their key appears and reused after that."""

    def __init__(self, name: str, title: str, left: pg.AxisItem,
                 value_text: Callable[[float], str], parent: QWidget | None = None) -> None:
        super().__init__(name, title, left, DutchDateAxis(), parent)
        self._value_text = value_text
        self._items: dict[str, pg.PlotDataItem] = {}
        self.slots: list[date] = []
        self.slot_labels: list[str] = []
        self._xs: list[float] = []
        self.series: dict[str, list[float | None]] = {}
        self.names: dict[str, str] = {}

    def set_series(self, slots: Sequence[date], labels: Sequence[str],
                   series: dict[str, Sequence[float | None]], names: dict[str, str],
                   colours: dict[str, str] | None = None) -> None:
        """`slots`: the x positions (dates); `labels`: how a slot is named in tooltips;
        `series`: key -> one value per slot (None: no value)."""
        self.slots = list(slots)
        self.slot_labels = list(labels)
        self._xs = [timestamp(d) for d in self.slots]
        self.series = {k: list(v) for k, v in series.items()}
        self.names = dict(names)
        colours = colours or {}
        legend = []
        for n, key in enumerate(self.series):
            colour = colours.get(key, SERIES_COLOURS[n % len(SERIES_COLOURS)])
            item = self._items.get(key)
            if item is None:
                item = pg.PlotDataItem([], [], pen=pg.mkPen(colour, width=2), symbol="o",
                                       symbolSize=5, symbolPen=pg.mkPen(colour),
                                       symbolBrush=pg.mkBrush(colour))
                self.plot.addItem(item)
                self._items[key] = item
            pairs = [(x, v) for x, v in zip(self._xs, self.series[key], strict=True)
                     if v is not None]
            item.setData([p[0] for p in pairs], [p[1] for p in pairs])
            item.show()
            legend.append((colour, self.names.get(key, key)))
        for key, item in self._items.items():
            if key not in self.series:
                item.setData([], [])
                item.hide()
        self.set_legend(legend if len(legend) > 1 else [])
        values = [v for vs in self.series.values() for v in vs if v is not None]
        top = max(values, default=0.0)
        bottom = min(0.0, min(values, default=0.0))
        self.plot.setYRange(bottom, (top or 1.0) * 1.08, padding=0)
        if self._xs:
            pad = (self._xs[-1] - self._xs[0]) * 0.02 or 20 * 86400.0
            self.plot.setXRange(self._xs[0] - pad, self._xs[-1] + pad, padding=0)

    def hit_at(self, x: float, y: float) -> ChartHit | None:
        index = _nearest_slot(self._xs, x)
        if index is None or not self.series:
            return None
        candidates = [(abs((vs[index] or 0.0) - y), key) for key, vs in self.series.items()
                      if vs[index] is not None]
        if not candidates:
            return None
        return ChartHit(self.name, index, min(candidates)[1])

    def describe(self, hit: ChartHit) -> str:
        value = self.series[hit.series][hit.index] if hit.series else None
        name = self.names.get(hit.series or "", "")
        head = f"{self.slot_labels[hit.index]}" + (f" · {name}" if len(self.series) > 1
                                                    else "")
        shown = "–" if value is None else self._value_text(value)
        return f"{head}: {shown}\nKlik voor de onderliggende toewijzingen"


# -- grouped bars over time ---------------------------------------------------------------------

class TimeBarChart(ChartCard):
    """Bars per quarter, one bar per series side by side (instroom, uitstroom)."""

    SLOT_DAYS = 91.0

    def __init__(self, name: str, title: str, keys: Sequence[str], names: dict[str, str],
                 colours: Sequence[str], left: pg.AxisItem,
                 value_text: Callable[[float], str], parent: QWidget | None = None) -> None:
        super().__init__(name, title, left, DutchDateAxis(), parent)
        self.keys = list(keys)
        self.names = dict(names)
        self._value_text = value_text
        self.slots: list[date] = []
        self.slot_labels: list[str] = []
        self._xs: list[float] = []
        self.series: dict[str, list[float]] = {k: [] for k in self.keys}
        self.bars: dict[str, pg.BarGraphItem] = {}
        for key, colour in zip(self.keys, colours, strict=True):
            bars = pg.BarGraphItem(x=[], height=[], width=1.0, brush=pg.mkBrush(colour),
                                   pen=pg.mkPen(None))
            self.plot.addItem(bars)
            self.bars[key] = bars
        self.set_legend([(c, self.names[k]) for k, c in zip(self.keys, colours, strict=True)])

    def _offsets(self) -> tuple[list[float], float]:
        slot = self.SLOT_DAYS * 86400.0
        width = slot * 0.8 / len(self.keys)
        first = -slot * 0.4 + width / 2
        return [first + i * width for i in range(len(self.keys))], width

    def set_series(self, slots: Sequence[date], labels: Sequence[str],
                   series: dict[str, Sequence[float]]) -> None:
        """`slots`: the middle of each quarter."""
        self.slots = list(slots)
        self.slot_labels = list(labels)
        self._xs = [timestamp(d) for d in self.slots]
        self.series = {k: [float(v) for v in series.get(k, [])] for k in self.keys}
        offsets, width = self._offsets()
        for key, offset in zip(self.keys, offsets, strict=True):
            self.bars[key].setOpts(x=[x + offset for x in self._xs], height=self.series[key],
                                   width=width * 0.92)
        top = max((v for vs in self.series.values() for v in vs), default=0.0)
        self.plot.setYRange(0, (top or 1.0) * 1.1, padding=0)
        if self._xs:
            half = self.SLOT_DAYS * 86400.0 * 0.6
            self.plot.setXRange(self._xs[0] - half, self._xs[-1] + half, padding=0)

    def hit_at(self, x: float, y: float) -> ChartHit | None:
        index = _nearest_slot(self._xs, x)
        if index is None:
            return None
        offsets, _width = self._offsets()
        relative = x - self._xs[index]
        key = min(zip(offsets, self.keys, strict=True), key=lambda p: abs(p[0] - relative))[1]
        return ChartHit(self.name, index, key)

    def describe(self, hit: ChartHit) -> str:
        key = hit.series or self.keys[0]
        value = self.series[key][hit.index]
        return (f"{self.slot_labels[hit.index]} · {self.names[key]}: "
                f"{self._value_text(value)}\nKlik voor de onderliggende toewijzingen")


# -- horizontal bars per category ---------------------------------------------------------------

class CategoryBarChart(ChartCard):
    """Horizontal bars, one per category (verwijzer), biggest on top, with value labels."""

    MAX_BARS = 12

    def __init__(self, name: str, title: str, value_text: Callable[[float], str],
                 label_text: Callable[[float], str] | None = None, colour: str = "#2b6cb0",
                 parent: QWidget | None = None) -> None:
        super().__init__(name, title, count_axis(), euro_axis_bottom(), parent)
        self._value_text = value_text  # tooltips
        self._label_text = label_text or value_text  # next to the bars
        self.plot.invertY(True)
        self.plot.showGrid(x=True, y=False, alpha=_GRID_ALPHA)
        self.plot.getAxis("left").setStyle(tickLength=0)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.6,
                                    brush=pg.mkBrush(colour), pen=pg.mkPen(None))
        self.plot.addItem(self.bars)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        self.value_labels: list[pg.TextItem] = []
        for _ in range(self.MAX_BARS):
            label = pg.TextItem("", color=_TEXT, anchor=(0, 0.5))
            label.setFont(font)
            label.hide()
            self.plot.addItem(label)
            self.value_labels.append(label)
        self.keys: list[str] = []
        self.labels: list[str] = []
        self.tips: list[str] = []
        self.values: list[float] = []

    def set_bars(self, keys: Sequence[str], labels: Sequence[str], values: Sequence[float],
                 tips: Sequence[str] | None = None) -> None:
        """Values in euros; at most MAX_BARS bars."""
        self.keys = list(keys)[:self.MAX_BARS]
        self.labels = list(labels)[:self.MAX_BARS]
        self.values = [float(v) for v in values][:self.MAX_BARS]
        self.tips = list(tips or self.labels)[:self.MAX_BARS]
        ys = list(range(len(self.keys)))
        self.bars.setOpts(x0=[0.0] * len(ys), y=ys, width=self.values, height=0.6)
        self.plot.getAxis("left").setTicks([list(zip(ys, self.labels, strict=True)), []])
        top = max(self.values, default=0.0) or 1.0
        for i, label in enumerate(self.value_labels):
            if i < len(ys):
                label.setText(self._label_text(self.values[i]))
                label.setPos(self.values[i] + top * 0.02, ys[i])
                label.show()
            else:
                label.hide()
        self.plot.setXRange(0, top * 1.45, padding=0)
        self.plot.setYRange(-0.6, max(len(ys), 3) - 0.4, padding=0)

    def hit_at(self, x: float, y: float) -> ChartHit | None:
        index = round(y)
        if 0 <= index < len(self.keys) and abs(y - index) <= 0.4:
            return ChartHit(self.name, index, self.keys[index])
        return None

    def describe(self, hit: ChartHit) -> str:
        return (f"{self.tips[hit.index]}: {self._value_text(self.values[hit.index])}\n"
                "Klik voor de onderliggende toewijzingen")


def euro_axis_bottom() -> FormatAxis:
    return FormatAxis(compact_euro, orientation="bottom")


# -- budget: cumulative realisation through the year -------------------------------------------

class BudgetBurnChart(ChartCard):
    """Cumulative realisation per month against the linear budget path and the budget."""

    def __init__(self, parent: QWidget | None = None) -> None:
        bottom = pg.AxisItem(orientation="bottom")
        super().__init__("budget", "Cumulatieve realisatie door het jaar", euro_axis(),
                         bottom, parent)
        bottom.setTicks([[(m, MONTHS_SHORT[m - 1]) for m in range(1, 13)], []])
        self.plot.showGrid(x=True, y=True, alpha=_GRID_ALPHA)
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
        self.budget_line = pg.InfiniteLine(angle=0, movable=False,
                                           pen=pg.mkPen("#4a5568", width=1))
        self.budget_text = pg.TextItem("", color="#4a5568", anchor=(0, 0))
        for item in (self.path, self.budget_line, self.forecast, self.realised,
                     self.budget_text):
            self.plot.addItem(item)
        self.set_legend([("#2b6cb0", "Realisatie"), ("#718096", "Begroting lineair"),
                         ("#c05621", "Prognose eind december")])
        self.months: list[int] = []
        self.cumulative: list[float] = []
        self.budget = 0.0
        self.prognosis = 0.0

    def set_data(self, months: Sequence[int], cumulative_euros: Sequence[float],
                 budget_euros: float, prognosis_euros: float) -> None:
        """`months`: 1..n up to the peildatum; `cumulative_euros`: realisation to the end of
        each month; budget and prognosis for the whole year."""
        self.months = list(months)
        self.cumulative = [float(v) for v in cumulative_euros]
        self.budget = float(budget_euros)
        self.prognosis = float(prognosis_euros)
        self.realised.setData([0, *self.months], [0.0, *self.cumulative])
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
            lines.insert(1, f"realisatie {compact_euro(self.cumulative[month - 1])}")
        return "\n".join(lines)

    def _on_scene_clicked(self, event: Any) -> None:
        """The budget chart only informs; nothing to drill into."""
