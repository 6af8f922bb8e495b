"""Procescoördinatie for one household: start a case, compare T0 with T1, evaluate, edit.

Shows the `CoordinationSummary` that came with the household overview; every change goes
through the coordination service off the GUI thread, after which the overview is reloaded
(`case_changed`), so the figures on screen are always the service's own.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import euro, short_date
from sdesk.ui.household.models import BucketSavingModel, PayerSavingModel, SavingRow
from sdesk.ui.shell.labels import status_name
from sdesk.ui.shell.tables import content_width, fit_columns, fit_height, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import DUTCH, section_title, show_failure
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.household import CoordinationSummary, PayerSaving
    from sdesk.ui.household.coordination_dialogs import EvaluateCaseDialog, StartCaseDialog

STATUSES = ("open", "evaluated", "closed")


def _saving_rows(lines: list[tuple[str, PayerSaving]]) -> list[SavingRow]:
    rows = [SavingRow(label, s.t0_cents, s.t1_cents) for label, s in lines]
    rows.append(SavingRow("Totaal", sum(r.t0_cents for r in rows),
                          sum(r.t1_cents for r in rows), total=True))
    return rows


class CoordinationPanel(QWidget):
    case_started = Signal(int, object)  # case id, intake date
    case_changed = Signal()  # evaluated or edited: the overview must be reloaded
    saved = Signal()
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._household: str | None = None
        self.summary: CoordinationSummary | None = None
        self.start_dialog: StartCaseDialog | None = None
        self.evaluate_dialog: EvaluateCaseDialog | None = None
        self.payer_model = PayerSavingModel(self)
        self.bucket_model = BucketSavingModel(self)
        self.tasks = LatestTasks(self)
        self._build_ui()
        self._connect_signals()
        self.set_summary(None, None)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.RichText)
        self.start_button = QPushButton("Traject starten…")
        self.start_button.setToolTip("Leg het zorgpakket van vandaag of een andere "
                                     "intakedatum vast als T0")
        self.evaluate_button = QPushButton("Evalueren…")
        self.evaluate_button.setToolTip("Leg het zorgpakket op de evaluatiedatum vast als T1")
        top = QHBoxLayout()
        top.addWidget(self.info_label, 1)
        top.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.evaluate_button, 0, Qt.AlignmentFlag.AlignTop)

        self.payer_view = make_table(self.payer_model, sortable=False)
        self.bucket_view = make_table(self.bucket_model, sortable=False)
        for view in (self.payer_view, self.bucket_view):
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.total_label = QLabel()
        self.attribution_spin = QSpinBox()
        self.attribution_spin.setLocale(DUTCH)
        self.attribution_spin.setRange(0, 100)
        self.attribution_spin.setSuffix(" %")
        self.attribution_spin.setValue(100)
        self.attribution_spin.setMaximumWidth(110)
        self.attribution_spin.setToolTip(
            "Welk deel van de besparing aan de aanpak wordt toegeschreven")
        self.attributed_label = QLabel()
        font = self.attributed_label.font()
        font.setBold(True)
        self.attributed_label.setFont(font)
        self.municipal_label = QLabel()
        self.societal_label = QLabel()
        for label in (self.total_label, self.attributed_label, self.municipal_label,
                      self.societal_label):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_combo = QComboBox()
        for status in STATUSES:
            self.status_combo.addItem(status_name(status), status)
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Afspraken, betrokken partijen, verloop…")
        self.notes_edit.setMinimumHeight(self.fontMetrics().height() * 3)
        self.save_button = QPushButton("Wijzigingen opslaan")
        from sdesk.services.platform.permissions import CHANGE_CASES, may, refusal

        self._may_change = may(self._actor, CHANGE_CASES)
        self._refusal = "" if self._may_change else refusal(self._actor, CHANGE_CASES)
        if not self._actor.sees_identity:  # free text may name people: not for this role
            self.notes_edit.setPlaceholderText("Notities zijn voor uw rol afgeschermd.")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Totale besparing:", self.total_label)
        form.addRow("Toerekening:", self.attribution_spin)
        form.addRow("Toegerekende besparing:", self.attributed_label)
        form.addRow("waarvan gemeentelijk:", self.municipal_label)
        form.addRow("waarvan maatschappelijk:", self.societal_label)
        form.addRow("Status:", self.status_combo)
        form.addRow("Notities:", self.notes_edit)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        side = QVBoxLayout()
        side.addWidget(section_title("Besparing"))
        side.addLayout(form)
        side.addLayout(save_row)
        self.edit_box = QWidget()
        self.edit_box.setLayout(side)
        self.edit_box.setFixedWidth(380)

        tables = QVBoxLayout()
        tables.addWidget(section_title("Jaarkosten per financier"))
        left = Qt.AlignmentFlag.AlignLeft
        tables.addWidget(self.payer_view, 0, left)
        tables.addSpacing(8)
        tables.addWidget(section_title("Jaarkosten per post"))
        tables.addWidget(self.bucket_view, 0, left)
        tables.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(tables, 1)
        body.addSpacing(16)
        body.addWidget(self.edit_box, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addSpacing(4)
        layout.addLayout(body, 1)

    def _connect_signals(self) -> None:
        self.start_button.clicked.connect(self.open_start_dialog)
        self.evaluate_button.clicked.connect(self.open_evaluate_dialog)
        self.attribution_spin.valueChanged.connect(self._on_edited)
        self.status_combo.currentIndexChanged.connect(self._on_edited)
        self.notes_edit.textChanged.connect(self._on_edited)
        self.save_button.clicked.connect(self.save_changes)

    # -- public -----------------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self._update_buttons()

    def set_summary(self, household_id: str | None, summary: CoordinationSummary | None,
                    at: date | None = None) -> None:
        self._household = household_id
        self.summary = summary
        if summary is None:
            self.payer_model.set_rows([])
            self.bucket_model.set_rows([])
            for view in (self.payer_view, self.bucket_view):
                fit_height(view)
            if household_id is None:
                self.info_label.setText("Kies eerst een huishouden.")
            else:
                on = f" op {short_date(at)}" if at else ""
                self.info_label.setText(
                    f"Geen procescoördinatietraject voor huishouden {household_id}{on}. Start "
                    "een traject om het huidige zorgpakket als T0 vast te leggen.")
            self._fill_editors(None)
        else:
            self._show_summary(summary)
        self._update_buttons()

    def open_start_dialog(self) -> None:
        from sdesk.ui.household.coordination_dialogs import StartCaseDialog

        if self._engine is None or self._household is None:
            return
        dialog = StartCaseDialog(self._engine, self._actor, self._household, self)
        dialog.case_started.connect(self.case_started)
        self.start_dialog = dialog
        dialog.open()

    def open_evaluate_dialog(self) -> None:
        from sdesk.ui.household.coordination_dialogs import EvaluateCaseDialog

        if self._engine is None or self.summary is None:
            return
        dialog = EvaluateCaseDialog(self._engine, self._actor, self.summary, self)
        dialog.case_evaluated.connect(lambda *_: self.case_changed.emit())
        self.evaluate_dialog = dialog
        dialog.open()

    def save_changes(self) -> None:
        from sdesk.services.household import update_case

        if self._engine is None or self.summary is None:
            return
        engine, actor, case_id = self._engine, self._actor, self.summary.case_id
        attribution = self.attribution_spin.value() / 100
        status = self.status_combo.currentData()
        notes = self.notes_edit.toPlainText().strip()

        def op(_state: TaskState) -> None:
            update_case(engine, actor, case_id, attribution=attribution, status=status,
                        notes=notes)

        self.save_button.setEnabled(False)
        self.tasks.start(op, self._on_saved, self._on_save_failed)

    # -- display ----------------------------------------------------------------------------

    def _show_summary(self, s: CoordinationSummary) -> None:
        from sdesk.services.household import bucket_savings, payer_savings

        t1 = (f"evaluatie (T1) {short_date(s.t1_date)}" if s.t1_frozen else
              f"T1 voorlopig = pakket op {short_date(s.t1_date)} (nog niet geëvalueerd)")
        self.info_label.setText(
            f"<b>Traject {s.case_id}</b> &nbsp;·&nbsp; coördinator "
            f"{s.coordinator or 'niet aangewezen'} &nbsp;·&nbsp; status "
            f"<b>{status_name(s.status)}</b><br>intake (T0) {short_date(s.t0_date)} "
            f"&nbsp;·&nbsp; {t1}")
        self.payer_model.set_rows(_saving_rows(payer_savings(s.by_payer)))
        self.bucket_model.set_rows(_saving_rows(bucket_savings(s.by_bucket)))
        self._fit_tables()
        self._fill_editors(s)

    def _fit_tables(self) -> None:
        """Both tables as wide as the wider one needs, and exactly as tall as their rows."""
        for view in (self.payer_view, self.bucket_view):
            fit_columns(view)
            fit_height(view)
        columns = self.payer_model.columnCount()
        for column in range(columns):
            width = max(self.payer_view.columnWidth(column), self.bucket_view.columnWidth(column))
            if column > 0:
                width = max(width, 110)  # money columns line up and have some air
            for view in (self.payer_view, self.bucket_view):
                view.setColumnWidth(column, width)
        width = content_width(self.payer_view) - self.payer_view.verticalScrollBar().sizeHint(
        ).width()
        for view in (self.payer_view, self.bucket_view):
            view.setFixedWidth(width)

    def _fill_editors(self, s: CoordinationSummary | None) -> None:
        for widget in (self.attribution_spin, self.status_combo, self.notes_edit):
            widget.blockSignals(True)
        self.attribution_spin.setValue(round((s.attribution if s else 1.0) * 100))
        index = self.status_combo.findData(s.status if s else "open")
        self.status_combo.setCurrentIndex(max(index, 0))
        self.notes_edit.setPlainText((s.notes or "") if s else "")
        for widget in (self.attribution_spin, self.status_combo, self.notes_edit):
            widget.blockSignals(False)
        self._show_savings()
        self.edit_box.setEnabled(s is not None and self._may_change)
        self.edit_box.setToolTip(self._refusal)

    def _preview(self) -> CoordinationSummary | None:
        """The summary as it would be with the attribution now in the spin box."""
        if self.summary is None:
            return None
        return dataclasses.replace(self.summary,
                                   attribution=self.attribution_spin.value() / 100)

    def _show_savings(self) -> None:
        s = self._preview()
        labels = (self.total_label, self.attributed_label, self.municipal_label,
                  self.societal_label)
        if s is None:
            for label in labels:
                label.setText("–")
            return
        for label, cents in zip(labels, (s.total_saving_cents, s.attributed_saving_cents,
                                         s.municipal_saving_cents, s.societal_saving_cents),
                                strict=True):
            label.setText(euro(cents))

    def _changed(self) -> bool:
        s = self.summary
        if s is None:
            return False
        return (self.attribution_spin.value() != round(s.attribution * 100)
                or self.status_combo.currentData() != s.status
                or self.notes_edit.toPlainText().strip() != (s.notes or "").strip())

    def _update_buttons(self) -> None:
        ready = self._engine is not None and self._household is not None
        running = self.summary is not None and self.summary.status == "open"
        self.start_button.setEnabled(ready and not running)
        self.start_button.setToolTip(
            "Er loopt al een traject voor dit huishouden" if running else
            "Leg het zorgpakket op de intakedatum vast als T0")
        self.evaluate_button.setEnabled(ready and self.summary is not None)
        self.evaluate_button.setText("Opnieuw evalueren…" if self.summary is not None
                                     and self.summary.t1_frozen else "Evalueren…")
        self.save_button.setEnabled(ready and self._changed())
        if not self._may_change:  # the role may look, not change: say why and who may
            for button in (self.start_button, self.evaluate_button, self.save_button):
                button.setEnabled(False)
                button.setToolTip(self._refusal)

    # -- slots ------------------------------------------------------------------------------

    def _on_edited(self, *_args: object) -> None:
        self._show_savings()
        self._update_buttons()

    def _on_saved(self, _result: object) -> None:
        self.saved.emit()
        self.case_changed.emit()

    def _on_save_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        show_failure(self, "Traject opslaan", exc)
        self.failed.emit(str(exc))
