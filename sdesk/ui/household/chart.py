"""The household overview's chart: annual cost per payer (pyqtgraph; import only when the chart
is needed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from sdesk.services.platform.text import euro_whole
from sdesk.ui.shell.charts import EuroAxis

_MUNICIPAL_COLOUR = "#2b6cb0"
_OTHER_COLOUR = "#9c6b30"
_MAX_BARS = 12  # value labels are made once; payers are eight at most

class PayerCostChart(pg.PlotWidget):
    """Horizontal bars: one per payer, gemeente in blue and the other payers in brown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent, background="w",
                         axisItems={"bottom": EuroAxis(orientation="bottom")})
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setMouseEnabled(x=False, y=False)
        plot.invertY(True)  # first payer at the top
        plot.showGrid(x=True, y=False, alpha=0.25)
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.setPen(pg.mkPen("#555555"))
            axis.setTextPen(pg.mkPen("#222222"))
            axis.setTickFont(font)
        plot.getAxis("left").setStyle(tickLength=0)
        self.bars = pg.BarGraphItem(x0=[], y=[], width=[], height=0.6, brushes=[],
                                    pen=pg.mkPen(None))
        plot.addItem(self.bars)
        self.value_labels: list[pg.TextItem] = []
        for _ in range(_MAX_BARS):
            label = pg.TextItem("", color="#222222", anchor=(0, 0.5))
            label.setFont(font)
            label.hide()
            plot.addItem(label)
            self.value_labels.append(label)
        self.setMinimumHeight(150)
        self.setToolTip("Jaarkosten per financier op de peildatum")

    def set_costs(self, labels: Sequence[str], cents: Sequence[int],
                  municipal: Sequence[bool]) -> None:
        """One bar per label; `municipal` says which bars are the municipality's."""
        euros = [c / 100 for c in cents]
        ys = list(range(len(labels)))
        brushes = [pg.mkBrush(_MUNICIPAL_COLOUR if m else _OTHER_COLOUR) for m in municipal]
        self.bars.setOpts(x0=[0] * len(ys), y=ys, width=euros, height=0.6, brushes=brushes)
        plot = self.getPlotItem()
        plot.getAxis("left").setTicks([list(zip(ys, labels, strict=True)), []])
        top = max(euros, default=0) or 1.0
        for i, label in enumerate(self.value_labels):
            if i < len(ys):
                label.setText(euro_whole(cents[i]))
                label.setPos(euros[i] + top * 0.02, ys[i])
                label.show()
            else:
                label.hide()
        # Room on the right for the value labels; a fixed range, never auto-ranged per update.
        plot.setXRange(0, top * 1.35, padding=0)
        # At least three slots, so a single payer is a bar and not a block.
        plot.setYRange(-0.6, max(len(ys), 3) - 0.4, padding=0)

    def bar_values(self) -> list[Any]:
        """What the bars show, in euros (for tests)."""
        return list(self.bars.opts.get("width") or [])
