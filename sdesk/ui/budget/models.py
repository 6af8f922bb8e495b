"""The budget table: one row per budget line plus the total, highlighted where a deviation
needs an explanation (the page's thresholds)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from sdesk.services.platform.text import decimal, euro, short_date
from sdesk.ui.shell.table_models import Column, RowTableModel

if TYPE_CHECKING:
    from sdesk.services.budget import BudgetReport, BudgetRow

DEFAULT_PCT = 5.0
DEFAULT_EUROS = 15_000
_FLAG_BACKGROUND = QColor("#fde3c4")  # light orange: needs an explanation
_PROVISIONAL_BACKGROUND = QColor("#eef3fa")  # light blue-grey: claims not yet complete
_V_COLOUR, _N_COLOUR = QColor("#276749"), QColor("#c53030")
SOURCE_LABELS = {"manual": "handmatig", "computed": "berekend", "begroting": "begroting"}
AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class BudgetLine:
    """A table row: a budget line, or the total (line None)."""

    post: str
    begroting_cents: int
    realisatie_cents: int
    prognose_cents: int
    restant_cents: int
    v_n: str
    afwijking_pct: float | None
    source: str  # "manual", "computed" or "" (total)
    explanation: str
    line: BudgetRow | None = None
    lag_estimate_cents: int = 0
    provisional: bool = False  # the line's claims up to the peildatum are not all in

    @property
    def total(self) -> bool:
        return self.line is None


def lines_of(report: BudgetReport) -> list[BudgetLine]:
    rows = [BudgetLine(f"{r.post} (subtotaal)" if r.subtotal else r.post, r.begroting_cents,
                       r.realisatie_cents, r.prognose_cents, r.restant_cents, r.v_n,
                       r.afwijking_pct, r.prognose_source, r.explanation or "", r,
                       r.lag_estimate_cents, r.provisional(report.at)) for r in report.lines]
    rows.append(BudgetLine("Totaal", report.begroting_cents, report.realisatie_cents,
                           report.prognose_cents, report.restant_cents, report.v_n,
                           report.afwijking_pct, "", "", None, report.lag_estimate_cents,
                           report.provisional))
    return rows


def pct_text(value: float | None) -> str:
    return "" if value is None else f"{decimal(value, 1)} %"


def _key(value: float | None) -> float:
    return float("-inf") if value is None else value


class BudgetTableModel(RowTableModel[BudgetLine]):
    (COL_POST, COL_BEGROTING, COL_REALISATIE, COL_PROGNOSE, COL_LAG, COL_SOURCE, COL_RESTANT,
     COL_VN, COL_PCT, COL_EXPLANATION) = range(10)
    width_caps: ClassVar[dict[int, int]] = {0: 240, 9: 320}
    columns: ClassVar[Sequence[Column[BudgetLine]]] = (
        Column("Begrotingspost", lambda r: r.post),
        Column("Begroting", lambda r: euro(r.begroting_cents), lambda r: r.begroting_cents,
               numeric=True),
        Column("Realisatie", lambda r: euro(r.realisatie_cents), lambda r: r.realisatie_cents,
               numeric=True, header_tooltip="Gedeclareerd van 1 januari tot en met de "
                                            "peildatum"),
        Column("Prognose", lambda r: euro(r.prognose_cents), lambda r: r.prognose_cents,
               numeric=True, header_tooltip="Verwachte stand op 31 december; dubbelklik om "
                                            "een handmatige prognose in te vullen"),
        Column("Nog te declareren", lambda r: euro(r.lag_estimate_cents) if r.provisional
               else "", lambda r: r.lag_estimate_cents, numeric=True,
               header_tooltip="Geschatte zorg die al geleverd maar nog niet gedeclareerd is "
                              "(de maanden na 'compleet tot en met'); zit in de prognose"),
        Column("Bron", lambda r: SOURCE_LABELS.get(r.source, r.source),
               header_tooltip="Berekend uit realisatie, verplichtingen en uitnutting, "
                              "handmatig ingevuld, of de begroting zelf (geen declaraties)"),
        Column("Restant", lambda r: euro(r.restant_cents), lambda r: r.restant_cents,
               numeric=True, header_tooltip="Begroting min prognose"),
        Column("V/N", lambda r: r.v_n, header_tooltip="Voordeel of nadeel"),
        Column("Afwijking", lambda r: pct_text(r.afwijking_pct), lambda r: _key(r.afwijking_pct),
               numeric=True, header_tooltip="Restant als percentage van de begroting"),
        Column("Toelichting", lambda r: r.explanation.replace("\n", " "),
               header_tooltip="Dubbelklik om de toelichting te schrijven"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.threshold_pct = DEFAULT_PCT
        self.threshold_cents = DEFAULT_EUROS * 100

    def set_thresholds(self, pct: float, cents: int) -> None:
        self.threshold_pct, self.threshold_cents = pct, cents
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.columns) - 1))

    def flagged(self, row: BudgetLine) -> bool:
        return row.line is not None and row.line.needs_explanation(self.threshold_pct,
                                                                   self.threshold_cents)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.BackgroundRole and self.flagged(row):
            return QBrush(_FLAG_BACKGROUND)
        if role == Qt.ItemDataRole.BackgroundRole and row.provisional and column in (
                self.COL_REALISATIE, self.COL_LAG):
            return QBrush(_PROVISIONAL_BACKGROUND)
        if role == Qt.ItemDataRole.DecorationRole and column == self.COL_POST \
                and self.flagged(row):
            style = QApplication.style()
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_VN:
            return QBrush(_V_COLOUR if row.v_n == "V" else _N_COLOUR)
        if role == Qt.ItemDataRole.FontRole and column == self.COL_SOURCE \
                and row.source == "manual":
            font = QApplication.font()
            font.setItalic(True)
            return font
        return super().data(index, role)

    def emphasised(self, row: BudgetLine) -> bool:
        return row.total

    def tooltip(self, row: BudgetLine) -> str | None:
        if row.total:
            return ("Totaal van alle begrotingsposten; subtotalen tellen niet mee"
                    + (f"\nGeschat nog te declareren: {euro(row.lag_estimate_cents)}"
                       if row.provisional else ""))
        parts = []
        line = row.line
        if line is not None and line.subtotal:
            parts.append("Subtotaal: telt niet mee in het totaal")
        if line is not None and line.note:
            parts.append(line.note[:1].upper() + line.note[1:])
        if row.provisional and line is not None and line.complete_through is not None:
            parts.append(f"Declaraties na {short_date(line.complete_through)} zijn nog niet "
                         f"compleet; geschat nog te declareren: {euro(row.lag_estimate_cents)}")
        if self.flagged(row):
            parts.append(f"Afwijking groter dan {decimal(self.threshold_pct, 1)} % en "
                         f"{euro(self.threshold_cents)[:-3]}: toelichting nodig")
        if row.source == "manual" and row.line is not None:
            parts.append(f"Handmatige prognose; berekend was "
                         f"{euro(row.line.computed_prognose_cents)}")
        parts.append(f"Toelichting: {row.explanation}" if row.explanation
                     else "Nog geen toelichting")
        return "\n".join(parts)
