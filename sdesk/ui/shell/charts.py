"""Chart building blocks (pyqtgraph): Dutch axes, and the clickable card every feature's charts
are made of. Items are made once and fed with setData.

Every card has a title, a legend and a plot whose points and bars can be clicked: a click
anywhere in a month's or quarter's slot picks that slot (and the nearest line, or the bar on
that side), so nobody has to hit a five-pixel symbol. The card emits `hit` with a `ChartHit`
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

from sdesk.services.platform.text import decimal, euro_whole, group_thousands

# Every chart module imports this one, so pyqtgraph is set up when the first chart is made
# (not at start-up: importing pyqtgraph takes about half a second).
pg.setConfigOptions(antialias=True, background="w", foreground="k")

AXIS_PEN = "#555555"
TEXT_COLOUR = "#222222"
GRID_ALPHA = 0.25
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



def euro_axis_bottom() -> FormatAxis:
    return FormatAxis(compact_euro, orientation="bottom")


class EuroAxis(pg.AxisItem):
    """Tick labels in whole euros, Dutch style ("€ 25.000"); values are euros."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [euro_whole(v * scale * 100) for v in values]



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
        plot.showGrid(x=False, y=True, alpha=GRID_ALPHA)
        plot.layout.setContentsMargins(2, 4, 8, 2)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            axis.setPen(pg.mkPen(AXIS_PEN))
            axis.setTextPen(pg.mkPen(TEXT_COLOUR))
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


def nearest_slot(xs: Sequence[float], x: float) -> int | None:
    if not xs:
        return None
    index = min(range(len(xs)), key=lambda i: abs(xs[i] - x))
    spacing = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 30 * 86400.0
    return index if abs(xs[index] - x) <= spacing * 0.6 else None
