"""Charts of the dashboard: lines and grouped bars over months and quarters, and horizontal
bars per category, all clickable for the drill-down (see `sdesk.ui.shell.charts`).

Provisional months (#15: their claims are not all in yet) are drawn on a hatched band with a
dashed line and hollow points, and a legend line under the title says what that means.

Import this module only when a chart is needed: pyqtgraph takes about half a second to load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QLabel, QWidget

from sdesk.ui.shell.charts import (
    GRID_ALPHA,
    TEXT_COLOUR,
    ChartCard,
    ChartHit,
    DutchDateAxis,
    count_axis,
    euro_axis_bottom,
    nearest_slot,
    timestamp,
)

LAW_COLOURS = {"jeugd": "#2b6cb0", "wmo": "#2f855a", "participatie": "#c05621"}
SERIES_COLOURS = ("#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#4a5568")
PROVISIONAL_COLOUR = "#dd6b20"
PROVISIONAL_LEGEND = "voorlopig (declaraties nog niet compleet)"


def provisional_brush() -> QBrush:
    """The hatching behind provisional months: light, so the lines stay readable."""
    return QBrush(QColor(221, 107, 32, 110), Qt.BrushStyle.BDiagPattern)

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
        self.provisional: list[bool] = []
        self.dashed_items: dict[str, pg.PlotDataItem] = {}
        self.provisional_band = pg.LinearRegionItem(
            (0.0, 0.0), movable=False, brush=provisional_brush(), pen=pg.mkPen(None))
        self.provisional_band.setZValue(-10)
        self.provisional_band.hide()
        self.plot.addItem(self.provisional_band)
        self.provisional_legend = QLabel()
        self.provisional_legend.setTextFormat(Qt.TextFormat.RichText)
        small = self.provisional_legend.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        self.provisional_legend.setFont(small)
        self.provisional_legend.setContentsMargins(4, 0, 4, 0)
        self.provisional_legend.hide()
        layout = self.layout()
        assert layout is not None
        layout.insertWidget(1, self.provisional_legend)  # under the title, above the plot

    @property
    def line_items(self) -> dict[str, pg.PlotDataItem]:
        """The solid (final) line of each series."""
        return self._items

    @property
    def provisional_slots(self) -> list[date]:
        """The slots drawn as provisional."""
        return [d for d, p in zip(self.slots, self.provisional, strict=True) if p]

    def set_series(self, slots: Sequence[date], labels: Sequence[str],
                   series: dict[str, Sequence[float | None]], names: dict[str, str],
                   colours: dict[str, str] | None = None,
                   provisional: Sequence[bool] | None = None) -> None:
        """`slots`: the x positions (dates); `labels`: how a slot is named in tooltips;
        `series`: key -> one value per slot (None: no value); `provisional`: per slot whether
        its claims are not all in yet (drawn dashed on a hatched band)."""
        self.provisional = list(provisional) if provisional is not None else [False] * len(
            slots)
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
            points = [(x, v, p) for x, v, p in zip(self._xs, self.series[key],
                                                    self.provisional, strict=True)
                      if v is not None]
            final = [(x, v) for x, v, p in points if not p]
            item.setData([p[0] for p in final], [p[1] for p in final])
            item.show()
            self._set_dashed(key, colour, final[-1:] + [(x, v) for x, v, p in points if p])
            legend.append((colour, self.names.get(key, key)))
        for key, item in self._items.items():
            if key not in self.series:
                item.setData([], [])
                item.hide()
                self._set_dashed(key, "#000000", [])
        self.set_legend(legend if len(legend) > 1 else [])
        self._show_band()
        values = [v for vs in self.series.values() for v in vs if v is not None]
        top = max(values, default=0.0)
        bottom = min(0.0, min(values, default=0.0))
        self.plot.setYRange(bottom, (top or 1.0) * 1.08, padding=0)
        if self._xs:
            pad = (self._xs[-1] - self._xs[0]) * 0.02 or 20 * 86400.0
            self.plot.setXRange(self._xs[0] - pad, self._xs[-1] + pad, padding=0)

    def _set_dashed(self, key: str, colour: str, points: list[tuple[float, float]]) -> None:
        """The provisional stretch of a series: from its last final point on, dashed, with
        hollow points (only the first point is final, so the line does not break)."""
        item = self.dashed_items.get(key)
        if item is None:
            if not points:
                return
            item = pg.PlotDataItem([], [], pen=pg.mkPen(colour, width=2,
                                                        style=Qt.PenStyle.DashLine),
                                   symbol="o", symbolSize=6, symbolPen=pg.mkPen(colour),
                                   symbolBrush=pg.mkBrush("#ffffff"))
            self.plot.addItem(item)
            self.dashed_items[key] = item
        shown = points if any(x in self._provisional_xs() for x, _v in points) else []
        item.setData([p[0] for p in shown], [p[1] for p in shown])
        item.setVisible(bool(shown))

    def _provisional_xs(self) -> set[float]:
        return {x for x, p in zip(self._xs, self.provisional, strict=True) if p}

    def _show_band(self) -> None:
        """The hatched band over the provisional slots, and its legend line."""
        xs = sorted(self._provisional_xs())
        if not xs:
            self.provisional_band.hide()
            self.provisional_legend.hide()
            return
        spacing = ((self._xs[-1] - self._xs[0]) / (len(self._xs) - 1) if len(self._xs) > 1
                   else 30 * 86400.0)
        self.provisional_band.setRegion((xs[0] - spacing / 2, xs[-1] + spacing / 2))
        self.provisional_band.show()
        self.provisional_legend.setText(
            f"<span style='color:{PROVISIONAL_COLOUR}'>▨ ╌ ○</span>&nbsp;{PROVISIONAL_LEGEND}")
        self.provisional_legend.show()

    def hit_at(self, x: float, y: float) -> ChartHit | None:
        index = nearest_slot(self._xs, x)
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
        note = (f"\n{PROVISIONAL_LEGEND[0].upper()}{PROVISIONAL_LEGEND[1:]}"
                if self.provisional and self.provisional[hit.index] else "")
        return f"{head}: {shown}{note}\nKlik voor de onderliggende toewijzingen"


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
        index = nearest_slot(self._xs, x)
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
        self.plot.showGrid(x=True, y=False, alpha=GRID_ALPHA)
        self.plot.getAxis("left").setStyle(tickLength=0)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.6,
                                    brush=pg.mkBrush(colour), pen=pg.mkPen(None))
        self.plot.addItem(self.bars)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        self.value_labels: list[pg.TextItem] = []
        for _ in range(self.MAX_BARS):
            label = pg.TextItem("", color=TEXT_COLOUR, anchor=(0, 0.5))
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
