"""Afschaling: the business case chart (pyqtgraph; import only when the chart is needed)."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

import sdesk.ui.shell.charts  # noqa: F401 (sets pyqtgraph's options)
from sdesk.services.platform.text import euro_whole

_COLOURS = {"expected": "#9db7d5", "realised": "#2b6cb0", "count": "#2b6cb0"}


class OutcomeChart(pg.PlotWidget):
    """Horizontal bars per outcome (decision): the number of reviews, with value labels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.invertY(True)
        plot.showGrid(x=True, y=False, alpha=0.25)
        plot.hideAxis("bottom")
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        axis = plot.getAxis("left")
        axis.setPen(pg.mkPen("#555555"))
        axis.setTextPen(pg.mkPen("#222222"))
        axis.setTickFont(font)
        axis.setStyle(tickLength=0)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.6,
                                    brush=pg.mkBrush(_COLOURS["count"]), pen=pg.mkPen(None))
        plot.addItem(self.bars)
        self.value_labels: list[pg.TextItem] = []
        for _ in range(8):
            label = pg.TextItem("", color="#222222", anchor=(0, 0.5))
            label.setFont(font)
            label.hide()
            plot.addItem(label)
            self.value_labels.append(label)
        self.setMinimumHeight(140)
        self.labels: list[str] = []
        self.values: list[int] = []

    def set_counts(self, labels: Sequence[str], counts: Sequence[int],
                   texts: Sequence[str]) -> None:
        self.labels, self.values = list(labels), [int(c) for c in counts]
        ys = list(range(len(labels)))
        self.bars.setOpts(x0=[0] * len(ys), y=ys, width=self.values, height=0.6)
        plot = self.getPlotItem()
        plot.getAxis("left").setTicks([list(zip(ys, self.labels, strict=True)), []])
        top = max(self.values, default=0) or 1
        for i, label in enumerate(self.value_labels):
            if i < len(ys):
                label.setText(texts[i])
                label.setPos(self.values[i] + top * 0.02, ys[i])
                label.show()
            else:
                label.hide()
        plot.setXRange(0, top * 1.5, padding=0)
        plot.setYRange(-0.6, max(len(ys), 3) - 0.4, padding=0)


class SavingChart(pg.PlotWidget):
    """Two bars: expected saving per year versus realised saving per year (euros)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.invertY(True)
        plot.hideAxis("bottom")
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        axis = plot.getAxis("left")
        axis.setPen(pg.mkPen("#555555"))
        axis.setTextPen(pg.mkPen("#222222"))
        axis.setTickFont(font)
        axis.setStyle(tickLength=0)
        self.bars = pg.BarGraphItem(
            x0=[], y=[], width=[], height=0.6, pen=pg.mkPen(None),
            brushes=[pg.mkBrush(_COLOURS["expected"]), pg.mkBrush(_COLOURS["realised"])])
        plot.addItem(self.bars)
        self.value_labels = []
        for _ in range(2):
            label = pg.TextItem("", color="#222222", anchor=(0, 0.5))
            label.setFont(font)
            plot.addItem(label)
            self.value_labels.append(label)
        self.setMinimumHeight(100)
        self.values: list[float] = []

    def set_savings(self, expected_cents: int, realised_cents: int) -> None:
        cents = [expected_cents, realised_cents]
        self.values = [c / 100 for c in cents]
        ys = [0, 1]
        # Negative savings (more paid than before) are drawn from 0 to the left.
        self.bars.setOpts(x0=[min(0.0, v) for v in self.values], y=ys,
                          width=[abs(v) for v in self.values], height=0.6,
                          brushes=[pg.mkBrush(_COLOURS["expected"]),
                                   pg.mkBrush(_COLOURS["realised"])])
        plot = self.getPlotItem()
        plot.getAxis("left").setTicks([[(0, "Verwacht"), (1, "Gerealiseerd")], []])
        top = max(max(self.values), 0.0) or 1.0
        low = min(min(self.values), 0.0)
        for i, label in enumerate(self.value_labels):
            label.setText(euro_whole(cents[i]))
            label.setPos(max(self.values[i], 0.0) + top * 0.02, ys[i])
        plot.setXRange(low, top * 1.5, padding=0)
        plot.setYRange(-0.6, 1.6, padding=0)
