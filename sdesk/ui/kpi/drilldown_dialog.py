"""Uitsplitsing: the persons and allocations behind a dashboard figure, exportable to Excel.

The rows come from `drilldown` (pseudonyms for the controller, an audit entry per view) in the
background; the dialog opens at once and fills when they arrive. The export asks its purpose
and goes through the export use case (report "drilldown"), which logs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import euro, group_thousands, law_name, short_date
from sdesk.ui.shell.exporting import ask_export, export_in_background
from sdesk.ui.shell.table_models import Column, RowTableModel
from sdesk.ui.shell.tables import fit_columns_to_view, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import show_failure
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.exports import Exported
    from sdesk.services.kpi import DrillRow
    from sdesk.services.platform.actor import Actor

KIND_LABELS = {"clients": "Cliënten", "inflow": "Instroom", "outflow": "Uitstroom",
               "cost": "Kosten"}


@dataclass(frozen=True)
class DrillRequest:
    """What was clicked: the figure's period, kind and filters, and how to name it."""

    title: str
    start: date
    end: date
    kind: str  # clients / inflow / outflow / cost
    law: str | None = None
    team: str | None = None
    category: str | None = None
    referrer: str | None = None
    note: str = ""  # e.g. "de grafiek toont constante prijzen"

    def filters_text(self) -> str:
        parts = [f"{self.start:%d-%m-%Y} t/m {self.end:%d-%m-%Y}",
                 law_name(self.law) if self.law else "alle wetten",
                 f"team {self.team}" if self.team else "alle teams"]
        if self.referrer:
            parts.append(f"verwijzer {self.referrer}")
        if self.category:
            parts.append(f"categorie {self.category}")
        return " · ".join(parts)


def _category_text(row: DrillRow) -> str:
    from sdesk.services.kpi import category_text  # the KPI services load pandas: on first use

    return category_text(row)


def _referrer_text(row: DrillRow) -> str:
    from sdesk.services.kpi import referrer_text

    return referrer_text(row)


class DrillTableModel(RowTableModel["DrillRow"]):
    (COL_PERSON, COL_HOUSEHOLD, COL_LAW, COL_NUMBER, COL_CATEGORY, COL_REFERRER, COL_PRODUCT,
     COL_PROVIDER, COL_START, COL_END, COL_REALISED) = range(11)
    width_caps: ClassVar[dict[int, int]] = {COL_CATEGORY: 180, COL_REFERRER: 130,
                                            COL_PRODUCT: 200, COL_PROVIDER: 170}
    columns: ClassVar[Sequence[Column[DrillRow]]] = (
        Column("Persoon", lambda r: r.person),
        Column("Huishouden", lambda r: r.household),
        Column("Wet", lambda r: law_name(r.law)),
        Column("Toewijzing", lambda r: r.toewijzingnummer),
        Column("Categorie", _category_text),
        Column("Verwijzer", _referrer_text, header_tooltip="Verwijzer (COD327)"),
        Column("Product", lambda r: r.product or ""),
        Column("Aanbieder", lambda r: r.provider or ""),
        Column("Begin", lambda r: short_date(r.start), lambda r: r.start),
        Column("Einde", lambda r: short_date(r.end), lambda r: r.end or date.max),
        Column("Realisatie", lambda r: euro(r.realised_cents), lambda r: r.realised_cents,
               numeric=True, header_tooltip="Gedeclareerd in de periode"),
    )


def summary_text(rows: Sequence[DrillRow]) -> str:
    persons = len({r.person for r in rows})
    total = sum(r.realised_cents for r in rows)
    allocations = "1 toewijzing" if len(rows) == 1 else f"{group_thousands(len(rows))} toewijzingen"
    people = "1 persoon" if persons == 1 else f"{group_thousands(persons)} personen"
    return f"{people}, {allocations}, gerealiseerd in de periode {euro(total)}"


class DrilldownDialog(QDialog):
    loaded = Signal(object)  # list[DrillRow]
    exported = Signal(str)
    failed = Signal(str)

    def __init__(self, engine: Engine, actor: Actor, request: DrillRequest,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._actor = actor
        self.request = request
        self.rows: list[DrillRow] = []
        self.tasks = LatestTasks(self)
        self.model = DrillTableModel(self)
        self._build_ui()
        self._connect_signals()
        self.load()

    def _build_ui(self) -> None:
        self.setWindowTitle(f"Uitsplitsing – {self.request.title}")
        self.resize(1180, 580)
        title = QLabel(self.request.title)
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        filters = QLabel(self.request.filters_text())
        self.summary_label = QLabel("Uitsplitsing laden…")
        self.summary_label.setWordWrap(True)
        self.view = make_table(self.model)
        # A stable viewport width, so the columns fitted to it stay fitted once rows arrive.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        note_text = ("De personen zijn pseudoniemen." if not self._actor.sees_identity else "")
        if self.request.note:
            note_text = f"{note_text} {self.request.note}".strip()
        self.note_label = QLabel(note_text)
        self.note_label.setWordWrap(True)
        self.note_label.setStyleSheet("color: palette(dark);")
        self.note_label.setVisible(bool(note_text))
        self.export_button = QPushButton("Exporteren naar Excel…")
        self.export_button.setEnabled(False)
        from sdesk.services.platform.permissions import EXPORT_PERSONS, may, refusal

        # A list per person does not leave sdesk for every role (the controller): say why.
        self._may_export = may(self._actor, EXPORT_PERSONS)
        if not self._may_export:
            self.export_button.setToolTip(refusal(self._actor, EXPORT_PERSONS))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Sluiten")
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note_label)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)

    def load(self) -> None:
        engine, actor, r = self._engine, self._actor, self.request

        def op(_state: TaskState) -> list[DrillRow]:
            from sdesk.services.kpi import drilldown

            return drilldown(engine, actor, r.start, r.end, r.kind, r.law, r.team,
                             r.category, r.referrer)

        self.tasks.start(op, self._on_loaded, self._on_failed, kind="rows")

    def total_cents(self) -> int:
        return sum(r.realised_cents for r in self.rows)

    def _on_loaded(self, rows: list[DrillRow]) -> None:
        self.rows = rows
        self.model.set_rows(rows)
        self._fit_columns()
        self.summary_label.setText(summary_text(rows) if rows else
                                   "Geen toewijzingen achter dit getal.")
        self.export_button.setEnabled(bool(rows) and self._may_export)
        self.loaded.emit(rows)

    def _fit_columns(self) -> None:
        shrinkable = [DrillTableModel.COL_CATEGORY, DrillTableModel.COL_REFERRER,
                      DrillTableModel.COL_PRODUCT, DrillTableModel.COL_PROVIDER]
        fit_columns_to_view(self.view, shrinkable)
        # The last section stretches, so take what is still too wide from the product text.
        header = self.view.horizontalHeader()
        excess = (sum(header.sectionSize(c) for c in range(header.count()))
                  - self.view.viewport().width())
        product = DrillTableModel.COL_PRODUCT
        if excess > 0 and self.view.viewport().width() > 0:
            self.view.setColumnWidth(product, max(60, header.sectionSize(product) - excess))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.rows:
            self._fit_columns()

    def _on_failed(self, exc: BaseException) -> None:
        self.summary_label.setText("De uitsplitsing kon niet worden geladen.")
        show_failure(self, "Uitsplitsing", exc)
        self.failed.emit(str(exc))

    def export(self) -> None:
        if not self.rows:
            return
        r = self.request
        chosen = ask_export(self, "Uitsplitsing exporteren",
                            f"uitsplitsing_{r.kind}_{r.start:%Y-%m-%d}_{r.end:%Y-%m-%d}.xlsx")
        if chosen is None:
            return
        path, purpose = chosen
        rows = list(self.rows)
        params = {"rows": rows, "title": f"Uitsplitsing: {r.title}",
                  "subtitle": f"{r.filters_text()} · {summary_text(rows)}"}

        def done(exported: Exported) -> None:
            self.export_button.setEnabled(True)
            self.summary_label.setText(f"{summary_text(rows)}. Opgeslagen: {exported.path}")
            self.exported.emit(str(exported.path))

        def fail(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            show_failure(self, "Exporteren", exc)
            self.failed.emit(str(exc))

        self.export_button.setEnabled(False)
        export_in_background(self.tasks, self._engine, self._actor, "drilldown", params, path,
                             purpose, done, fail)
