"""The dashboard's KPI tiles: one framed figure per KPI with its change against the previous
period; the tiles with people behind them can be clicked for the drill-down. A tile whose figure
rests on claims carries a "voorlopig" marker while its period reaches past the last complete
month (#15): those claims are not all in yet, so the figure will still rise."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import short_date
from sdesk.ui.kpi.kpi_format import CLAIM_KEYS, TILE_KEYS, change_text, value_text

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
    "continuing": "Personen met een toewijzing in de periode én in de vorige periode",
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
PROVISIONAL_TEXT = "voorlopig"
_PROVISIONAL_STYLE = ("color: #7b341e; background: #feebc8; border: 1px solid #dd6b20;"
                      " border-radius: 3px; padding: 0px 3px;")


def provisional_tip(complete_through: date) -> str:
    """The marker's explanation: which claims are not all in yet."""
    return (f"Voorlopig: declaraties na {short_date(complete_through)} zijn nog niet compleet; "
            "dit cijfer stijgt nog als ze binnenkomen.")


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
        self.provisional_label = QLabel(PROVISIONAL_TEXT)
        self.provisional_label.setFont(small)
        self.provisional_label.setStyleSheet(_PROVISIONAL_STYLE)
        self.provisional_label.setAlignment(Qt.AlignmentFlag.AlignRight
                                            | Qt.AlignmentFlag.AlignTop)
        self.provisional_label.hide()
        self.change_label = QLabel(" ")
        self.change_label.setFont(small)
        self.change_label.setStyleSheet(f"color: {_FLAT}; border: none;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.setSpacing(0)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.setSpacing(4)
        head.addWidget(self.title_label, 1)
        head.addWidget(self.provisional_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(head)
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

    def set_provisional(self, complete_through: date | None) -> None:
        """Show the marker (with its explanation) for a complete_through, hide it for None."""
        self.provisional_label.setVisible(complete_through is not None)
        self.provisional_label.setToolTip(
            "" if complete_through is None else provisional_tip(complete_through))

    @property
    def is_provisional(self) -> bool:
        return not self.provisional_label.isHidden()

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
            marked = comparison.provisional and key in CLAIM_KEYS
            through = comparison.complete_through if marked else None
            if through is not None:
                tip.append(provisional_tip(through))
            if key in TILE_DRILL:
                tip.append("Klik voor de personen en toewijzingen erachter")
            tile.set_content(value_text(current, key), change, direction,
                             "\n".join(t for t in tip if t))
            tile.set_provisional(through)
