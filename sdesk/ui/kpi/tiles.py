"""The dashboard's KPI tiles: one framed figure per KPI with its change against the previous
period; the tiles with people behind them can be clicked for the drill-down."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from sdesk.services.platform.text import short_date
from sdesk.ui.kpi.kpi_format import TILE_KEYS, change_text, value_text

if TYPE_CHECKING:
    from sdesk.services.kpi import KpiComparison

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
_TILE_STYLE = ("QFrame#kpiTile { background: #ffffff; border: 1px solid #cfd8e3;"
               " border-radius: 4px; }"
               "QFrame#kpiTile[clickable=\"true\"]:hover { border-color: #2b6cb0; }")
_UP, _DOWN, _FLAT = "#2b6cb0", "#9c4221", "#5a6470"


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



class TileGrid(QWidget):
    """All tiles in two rows; `drill` names the tile clicked (only those in TILE_DRILL)."""

    drill = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles: dict[str, KpiTile] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(6)
        per_row = (len(TILE_KEYS) + 1) // 2
        for n, key in enumerate(TILE_KEYS):
            tile = KpiTile(key, "", key in TILE_DRILL)  # titled when first shown
            tile.setToolTip(TILE_TIPS.get(key, ""))
            tile.clicked.connect(self.drill)
            self.tiles[key] = tile
            grid.addWidget(tile, n // per_row, n % per_row)
        for column in range(per_row):
            grid.setColumnStretch(column, 1)

    def ensure_titles(self) -> None:
        """The tiles' names come from the KPI service, which loads pandas: not at start-up."""
        if self.tiles["clients"].title_label.text():
            return
        from sdesk.services.kpi import KPI_LABELS

        for key, tile in self.tiles.items():
            tile.title_label.setText(KPI_LABELS[key])

    def show_comparison(self, comparison: KpiComparison) -> None:
        """The current figures, their change, and the earlier values in the tooltips."""
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
