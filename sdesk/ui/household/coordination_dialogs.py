"""Procescoördinatie: start a case (T0) and evaluate it (T1).

Each dialog calls its service itself, off the GUI thread, and closes only when the service
accepted; a refusal (say, T1 before T0) is shown in a message box and the dialog stays open
with nothing changed.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import short_date
from sdesk.ui.shell.widgets import date_edit, from_qdate, show_failure
from sdesk.ui.shell.workers import TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.household import CoordinationSummary
    from sdesk.services.platform.users import EmployeeRow

NO_COORDINATOR = "(niemand aangewezen)"


class StartCaseDialog(QDialog):
    """Coordinator (procescoördinatoren first, any employee allowed), intake date, notes."""

    employees_loaded = Signal(int)
    case_started = Signal(int, object)  # case id, intake date
    failed = Signal(str)

    def __init__(self, engine: Engine, actor: Actor, household_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._actor = actor
        self.household_id = household_id
        self._build_ui()
        self._load_employees()

    def _build_ui(self) -> None:
        self.setWindowTitle("Traject starten")
        self.setMinimumWidth(480)
        intro = QLabel(
            f"Start een procescoördinatietraject voor huishouden {self.household_id}. Het "
            "zorgpakket op de intakedatum wordt vastgelegd als T0.")
        intro.setWordWrap(True)
        self.coordinator_combo = QComboBox()
        self.coordinator_combo.addItem("Medewerkers laden…", None)
        self.coordinator_combo.setEnabled(False)
        self.intake_edit = date_edit()
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Aanleiding, afspraken, betrokken partijen…")
        self.notes_edit.setFixedHeight(self.fontMetrics().height() * 5)

        form = QFormLayout()
        form.addRow("Coördinator:", self.coordinator_combo)
        form.addRow("Intakedatum (T0):", self.intake_edit)
        form.addRow("Notities:", self.notes_edit)

        buttons = QDialogButtonBox()
        self.ok_button: QPushButton = buttons.addButton(
            "Traject starten", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)  # until the coordinators are there to choose from
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _load_employees(self) -> None:
        engine = self._engine

        def op(_state: TaskState) -> list[EmployeeRow]:
            from sdesk.services.platform.users import list_employees

            return list_employees(engine, preferred_role="procescoordinator")

        run_in_background(op, on_success=self._on_employees, on_error=self._on_load_failed,
                          owner=self)

    def _on_employees(self, rows: list[EmployeeRow]) -> None:
        combo = self.coordinator_combo
        combo.clear()
        for r in rows:
            details = ", ".join(x for x in (r.role_label, r.team) if x)
            combo.addItem(f"{r.name} ({details})", r.external_id)
        combo.addItem(NO_COORDINATOR, None)
        combo.setCurrentIndex(0)
        combo.setEnabled(True)
        self.ok_button.setEnabled(True)
        self.employees_loaded.emit(len(rows))

    def _on_load_failed(self, exc: BaseException) -> None:
        self.coordinator_combo.clear()
        self.coordinator_combo.addItem(NO_COORDINATOR, None)
        self.coordinator_combo.setEnabled(True)
        self.ok_button.setEnabled(True)
        show_failure(self, "Medewerkers laden", exc)


    def accept(self) -> None:
        if not self.ok_button.isEnabled():  # already saving (Enter pressed twice)
            return
        engine, actor, household = self._engine, self._actor, self.household_id
        coordinator = self.coordinator_combo.currentData()
        intake = from_qdate(self.intake_edit.date())
        notes = self.notes_edit.toPlainText().strip() or None

        def op(_state: TaskState) -> int:
            from sdesk.services.household import start_case

            return start_case(engine, actor, household, intake, coordinator, notes)

        self.ok_button.setEnabled(False)
        run_in_background(op, on_success=lambda case_id: self._on_started(case_id, intake),
                          on_error=self._on_failed, owner=self)

    def _on_started(self, case_id: int, intake: date) -> None:
        self.case_started.emit(case_id, intake)
        super().accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        show_failure(self, "Traject starten", exc)
        self.failed.emit(str(exc))


class EvaluateCaseDialog(QDialog):
    """T1 date (default six months after T0, adjustable); the service checks T1 >= T0."""

    case_evaluated = Signal(int, object)  # case id, evaluation date
    failed = Signal(str)

    def __init__(self, engine: Engine, actor: Actor, summary: CoordinationSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._actor = actor
        self.summary = summary
        self._build_ui()

    def _build_ui(self) -> None:
        from sdesk.services.household import default_evaluation_date

        s = self.summary
        self.setWindowTitle("Traject evalueren")
        self.setMinimumWidth(440)
        text = (f"Intake (T0): {short_date(s.t0_date)}. De evaluatie legt het zorgpakket op de "
                "evaluatiedatum vast als T1 en vergelijkt het met T0.")
        if s.t1_frozen:
            text += (f"\n\nDit traject is al geëvalueerd op {short_date(s.t1_date)}; opnieuw "
                     "evalueren vervangt T1.")
        intro = QLabel(text)
        intro.setWordWrap(True)
        default = s.t1_date if s.t1_frozen else default_evaluation_date(s.t0_date)
        self.evaluation_edit = date_edit(default)

        form = QFormLayout()
        form.addRow("Evaluatiedatum (T1):", self.evaluation_edit)

        buttons = QDialogButtonBox()
        self.ok_button: QPushButton = buttons.addButton(
            "Evalueren", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if not self.ok_button.isEnabled():  # already saving (Enter pressed twice)
            return
        engine, actor, case_id = self._engine, self._actor, self.summary.case_id
        evaluation = from_qdate(self.evaluation_edit.date())

        def op(_state: TaskState) -> object:
            from sdesk.services.household import evaluate_case

            return evaluate_case(engine, actor, case_id, evaluation)

        self.ok_button.setEnabled(False)
        run_in_background(op, on_success=lambda _s: self._on_evaluated(evaluation),
                          on_error=self._on_failed, owner=self)

    def _on_evaluated(self, evaluation: date) -> None:
        self.case_evaluated.emit(self.summary.case_id, evaluation)
        super().accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        show_failure(self, "Traject evalueren", exc)
        self.failed.emit(str(exc))
