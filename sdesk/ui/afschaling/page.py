"""Afschaling: the klantmanager's worklist of running allocations that may be scaled down,
a what-if for the selected candidate, recording the decision, and the business case.

The worklist is `afschaling.worklist` (rules and savings in afschaling.rules), the what-if
`afschaling.what_if` (recomputed in the background, debounced, while the inputs change),
decisions `afschaling.record_decision` and the business case `afschaling.business_case`.
Everything runs off the GUI thread through the page's `LatestTasks`: a result that arrives
after the inputs changed again is dropped. Exports (both workbooks) ask their purpose and go
through the export use case, which records them in the audit log.

The page holds the state and runs the work; what is on screen lives in its panels:
`WorklistPanel` (filters, table, and the candidate, what-if and decision panels below it)
and `BusinessCasePanel`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import group_thousands, short_date
from sdesk.ui.afschaling.business_case_panel import BusinessCasePanel
from sdesk.ui.afschaling.models import lighter_products
from sdesk.ui.afschaling.ops import (
    Start,
    business_case_op,
    history_op,
    record_op,
    start_op,
    what_if_op,
    worklist_op,
)
from sdesk.ui.afschaling.what_if_panel import MUTED_STYLE, WhatIfInput
from sdesk.ui.afschaling.worklist_panel import WorklistPanel
from sdesk.ui.shell.exporting import ExportFeedback, ask_export
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import (
    busy_indicator,
    date_edit,
    from_qdate,
    page_heading,
    set_date_quietly,
    show_failure,
    status_line,
)

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.afschaling import (
        BusinessCase,
        Candidate,
        RuleParameters,
        WhatIf,
        Worklist,
    )
    from sdesk.ui.afschaling.charts import OutcomeChart
    from sdesk.ui.afschaling.ladder_dialog import LadderDialog
    from sdesk.ui.afschaling.rules_dialog import RuleParametersDialog

TAB_WORKLIST, TAB_CASE = range(2)


def _timer(parent: QWidget, interval_ms: int) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    return timer


class ReviewPage(QWidget):
    worklist_loaded = Signal(object)  # Worklist
    what_if_shown = Signal(object)  # WhatIf, or the refusal message (str)
    decision_recorded = Signal(int)  # review id, after the worklist was reloaded
    decision_refused = Signal(str)
    case_loaded = Signal(object)  # BusinessCase
    workbook_written = Signal(str)
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._dirty = True
        self._case_dirty = True
        self._staff_loaded = False
        self._data_end: date | None = None
        self.params: RuleParameters | None = None
        self.worklist: Worklist | None = None
        self.candidate: Candidate | None = None
        self.last_what_if: WhatIf | None = None
        self.case: BusinessCase | None = None
        self.rules_dialog: RuleParametersDialog | None = None
        self.ladder_dialog: LadderDialog | None = None
        self._debounce = _timer(self, 300)
        self._what_if_timer = _timer(self, 250)
        self._case_timer = _timer(self, 300)
        self._build_ui()
        self.tasks = LatestTasks(self, self.busy_bar)
        self._connect_signals()
        self._show_candidate(None)
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        heading = page_heading("Afschaling")
        self.busy_bar = busy_indicator()
        self.status_label = status_line(MUTED_STYLE)
        self.at_edit = date_edit()
        self.at_edit.setToolTip("De toewijzingen die op deze dag lopen; standaard de laatste "
                                "dag met gegevens")
        at_label = QLabel("&Peildatum")
        at_label.setBuddy(self.at_edit)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.busy_bar)
        top.addWidget(self.status_label, 1)
        top.addWidget(at_label)
        top.addWidget(self.at_edit)
        self.ladders_button = QPushButton("Produ&ctladders…")
        self.ladders_button.setToolTip("Welke producten lichtere vormen van dezelfde hulp zijn: "
                                       "de ladders bekijken en (functioneel beheer) bijhouden")
        top.addSpacing(12)
        top.addWidget(self.ladders_button)

        self.worklist_panel = WorklistPanel()
        self.case_panel = BusinessCasePanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.worklist_panel, "&Werklijst")
        self.tabs.addTab(self.case_panel, "Business ca&se")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

        # The panels' parts the page works with (and tests reach for).
        w = self.worklist_panel
        self.model, self.view, self.summary_label = w.model, w.view, w.summary_label
        self.team_combo, self.employee_combo = w.team_combo, w.employee_combo
        self.law_combo, self.rule_combo = w.law_combo, w.rule_combo
        self.rules_button, self.worklist_export_button = w.rules_button, w.export_button
        self.what_if_box = w.what_if
        self.product_combo, self.volume_spin = w.what_if.product_combo, w.what_if.volume_spin
        self.end_check, self.end_edit = w.what_if.end_check, w.what_if.end_edit
        self.result_labels, self.what_if_message = w.what_if.result_labels, w.what_if.message
        self.decision_box = w.decision
        self.decision_combo, self.decision_hint = w.decision.decision_combo, w.decision.hint
        self.review_date_edit, self.notes_edit = w.decision.review_date_edit, w.decision.notes_edit
        self.record_button, self.decision_message = w.decision.record_button, w.decision.message
        c = self.case_panel
        self.since_edit, self.fte_spin, self.cost_spin = c.since_edit, c.fte_spin, c.cost_spin
        self.case_labels, self.case_export_button = c.labels, c.export_button
        self.outcome_model, self.team_model = c.outcome_model, c.team_model
        self.employee_model = c.employee_model
        self._apply_permissions()

    def _apply_permissions(self) -> None:
        """Disable what the role may not do, with a tooltip that says why and who may."""
        from sdesk.services.platform.permissions import (
            EXPORT,
            EXPORT_PERSONS,
            RECORD_DECISION,
            may,
            refusal,
        )

        self._may_decide = may(self._actor, RECORD_DECISION)
        if not self._may_decide:
            for widget in (self.decision_box, self.record_button):
                widget.setToolTip(refusal(self._actor, RECORD_DECISION))
        for panel, permission in ((self.worklist_panel, EXPORT_PERSONS),
                                  (self.case_panel, EXPORT)):
            panel.may_export = may(self._actor, permission)
            if not panel.may_export:
                panel.export_button.setEnabled(False)
                panel.export_button.setToolTip(refusal(self._actor, permission))

    def _connect_signals(self) -> None:
        self.at_edit.dateChanged.connect(self._on_at_changed)
        self.worklist_panel.filters_changed.connect(self._debounce.start)
        self._debounce.timeout.connect(self.load_worklist)
        self.rules_button.clicked.connect(self.edit_rules)
        self.ladders_button.clicked.connect(self.edit_ladders)
        self.worklist_export_button.clicked.connect(self.export_worklist)
        self.worklist_panel.candidate_selected.connect(self._show_candidate)
        self.what_if_box.changed.connect(self._on_what_if_input)
        self._what_if_timer.timeout.connect(self.run_what_if)
        self.decision_combo.currentIndexChanged.connect(lambda _i: self._update_decision())
        self.record_button.clicked.connect(self.record)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.case_panel.inputs_changed.connect(self._case_timer.start)
        self._case_timer.timeout.connect(self.load_case)
        self.case_export_button.clicked.connect(self.export_case)

    @property
    def outcome_chart(self) -> OutcomeChart | None:
        return self.case_panel.outcome_chart

    # -- page protocol ----------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self._data_end = None
        self._staff_loaded = False
        self.setEnabled(engine is not None)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        self._staff_loaded = False  # an import may bring staff and a new last day with data
        self._case_dirty = True
        if self.isVisible():
            self.reload()

    def shut_down(self) -> None:
        for timer in (self._debounce, self._what_if_timer, self._case_timer):
            timer.stop()
        self.tasks.shut_down()

    def is_busy(self) -> bool:
        return self.tasks.is_busy()

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """The last day with data and the staff pickers once, then the worklist."""
        if self._engine is None:
            return
        self._dirty = False
        if self._data_end is not None and self._staff_loaded:
            self.load_worklist()
            if self.tabs.currentIndex() == TAB_CASE:
                self.load_case()
            return

        def deliver(result: Start) -> None:
            data_end, employees, teams = result
            # The peildatum follows the data (after an import too) until the user picks one.
            following = self._data_end is None or self.at() == self._data_end
            self._data_end = data_end
            self._staff_loaded = True
            from sdesk.services.platform.permissions import team_scope

            self.worklist_panel.fill_staff(employees, teams, team_scope(self._actor, None))
            if following:
                from sdesk.services.platform.periods import last_twelve_months

                set_date_quietly(self.at_edit, data_end)
                set_date_quietly(self.review_date_edit, data_end)
                set_date_quietly(self.since_edit, last_twelve_months(data_end)[0])
            self.load_worklist()
            if self.tabs.currentIndex() == TAB_CASE:
                self.load_case()

        self._set_status("Gegevens laden…")
        self.tasks.start(start_op(self._engine), deliver,
                         self._failure("Werklijst niet geladen"), kind="worklist")

    def at(self) -> date:
        return from_qdate(self.at_edit.date())

    def set_at(self, at: date) -> None:
        set_date_quietly(self.at_edit, at)
        set_date_quietly(self.review_date_edit, at)
        self._case_dirty = True
        self.load_worklist()


    def filters(self) -> dict[str, Any]:
        return self.worklist_panel.filters()

    def load_worklist(self, after: Any = None) -> None:
        if self._engine is None or self._data_end is None:
            return
        self._debounce.stop()
        op = worklist_op(self._engine, self._actor, self.at(), self.params, self.filters())

        def deliver(wl: Worklist) -> None:
            self._show_worklist(wl)
            if after is not None:
                after()

        self._set_status("Werklijst berekenen…")
        self.tasks.start(op, deliver, self._failure("Werklijst niet berekend"), kind="worklist")

    def selected_candidate(self) -> Candidate | None:
        return self.worklist_panel.selected_candidate()

    def select_candidate(self, toewijzingnummer: str, law: str | None = None) -> bool:
        return self.worklist_panel.select_candidate(toewijzingnummer, law)

    # -- what-if and decision ---------------------------------------------------------------

    def what_if_input(self) -> WhatIfInput:
        return self.what_if_box.what_if_input(self.candidate)

    def run_what_if(self) -> None:
        """Recompute the what-if for the selected candidate (in the background)."""
        self._what_if_timer.stop()
        c, wl = self.candidate, self.worklist
        if c is None or wl is None or self._engine is None:
            return
        op = what_if_op(self._engine, self._actor, c, wl.at, self.what_if_input())
        self.tasks.start(op, self._show_what_if, lambda exc: self._show_what_if(str(exc)),
                         kind="what_if")

    def record(self) -> None:
        """Record the chosen decision with the what-if values; then reload the worklist."""
        c, wl = self.candidate, self.worklist
        if c is None or wl is None or self._engine is None:
            return
        decision = self.decision_box.decision()
        op = record_op(self._engine, self._actor, c, decision,
                       from_qdate(self.review_date_edit.date()),
                       self.notes_edit.toPlainText().strip() or None, self.what_if_input())

        def deliver(result: int | str) -> None:
            self.record_button.setEnabled(self.candidate is not None and self._may_decide)
            if isinstance(result, str):
                self.decision_box.show_refusal(result)
                self._set_status("Besluit niet vastgelegd.")
                self.decision_refused.emit(result)
                return
            from sdesk.services.afschaling import decision_label

            self.notes_edit.clear()
            self._case_dirty = True
            message = (f"Besluit vastgelegd: {decision_label(decision)} voor toewijzing "
                       f"{c.toewijzingnummer}.")
            self.load_worklist(after=lambda: (self._set_status(message),
                                              self.decision_recorded.emit(result)))

        def fail(exc: BaseException) -> None:
            self.record_button.setEnabled(self.candidate is not None and self._may_decide)
            self._set_status("Besluit niet vastgelegd.")
            show_failure(self, "Besluit", exc)
            self.failed.emit(str(exc))

        self.decision_message.hide()
        self.record_button.setEnabled(False)
        self._set_status("Besluit vastleggen…")
        self.tasks.start(op, deliver, fail)

    def edit_rules(self) -> RuleParametersDialog:
        from sdesk.services.afschaling import RuleParameters
        from sdesk.ui.afschaling.rules_dialog import RuleParametersDialog

        dialog = RuleParametersDialog(self.params or RuleParameters(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_parameters(dialog.parameters))
        self.rules_dialog = dialog
        dialog.open()
        return dialog

    def edit_ladders(self) -> LadderDialog | None:
        """The product ladders on the peildatum; a change recomputes the worklist."""
        if self._engine is None:
            return None
        from sdesk.ui.afschaling.ladder_dialog import LadderDialog

        dialog = LadderDialog(self._engine, self._actor, self.at(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.load_worklist())
        self.ladder_dialog = dialog
        dialog.open()
        return dialog

    def set_parameters(self, params: RuleParameters) -> None:
        self.params = params.validate()
        self.load_worklist()

    # -- business case ----------------------------------------------------------------------

    def load_case(self) -> None:
        if self._engine is None or self._data_end is None:
            return
        self._case_timer.stop()
        self._case_dirty = False
        op = business_case_op(self._engine, self.at(), *self.case_panel.inputs(),
                              actor=self._actor)
        self.tasks.start(op, self._show_case, self._failure("Business case niet berekend"),
                         kind="case")

    # -- export -----------------------------------------------------------------------------

    def export_worklist(self) -> None:
        wl = self.worklist
        if wl is None or self._engine is None:
            return
        chosen = ask_export(self, "Werklijst afschaling", f"werklijst_afschaling_{wl.at}.xlsx")
        if chosen is not None:
            self._feedback(self.worklist_export_button).run(
                self.tasks, self._engine, self._actor, "worklist", {"worklist": wl}, *chosen)

    def export_case(self) -> None:
        case = self.case
        if case is None or self._engine is None:
            return
        chosen = ask_export(self, "Business case afschaling",
                            f"business_case_afschaling_{case.at}.xlsx")
        if chosen is not None:
            self._feedback(self.case_export_button).run(
                self.tasks, self._engine, self._actor, "business_case", {"case": case},
                *chosen)

    def _feedback(self, button: QPushButton) -> ExportFeedback:
        return ExportFeedback(self, button, self._set_status, self.workbook_written,
                              self.failed, "Excel")

    # -- display ----------------------------------------------------------------------------

    def _show_worklist(self, wl: Worklist) -> None:
        self.worklist = wl
        if self.worklist_panel.show_worklist(wl, self.candidate):
            # The same allocation: keep what the user typed in the what-if panel.
            self.candidate = self.selected_candidate()
        else:
            self._show_candidate(None)
        self._set_status(f"Peildatum {short_date(wl.at)} · "
                         f"{group_thousands(wl.summary.candidates)} kandidaten")
        self.worklist_loaded.emit(wl)

    def _show_candidate(self, c: Candidate | None) -> None:
        same = (c is not None and self.candidate is not None
                and c.allocation_id == self.candidate.allocation_id)
        self.candidate = c
        self.what_if_box.setEnabled(c is not None)
        self.decision_box.setEnabled(c is not None and self._may_decide)
        self.record_button.setEnabled(c is not None and self._may_decide)
        if c is None:
            self.worklist_panel.candidate_panel.show_candidate(None)
            self.last_what_if = None
            self.tasks.invalidate("what_if")
            self.what_if_box.clear()
            self.decision_message.hide()
            return
        if same:
            return
        self.worklist_panel.candidate_panel.show_candidate(c)
        if self._engine is not None:  # opening the row: its history, logged as a view
            self.tasks.start(history_op(self._engine, self._actor, c),
                             self.worklist_panel.candidate_panel.show_history,
                             lambda _exc: None, kind="history")
        at = self.worklist.at if self.worklist is not None else date.today()
        self.what_if_box.fill(c, lighter_products(self.worklist, c), at)
        set_date_quietly(self.review_date_edit, at)
        self.decision_message.hide()
        self._update_decision()
        self.run_what_if()

    def _show_what_if(self, result: WhatIf | str) -> None:
        self.last_what_if = None if isinstance(result, str) else result
        self.what_if_box.show_result(result)
        if not isinstance(result, str):
            self._update_decision()
        self.what_if_shown.emit(result)

    def _update_decision(self) -> None:
        self.decision_box.update_hint(self.candidate, self.last_what_if)

    def _show_case(self, case: BusinessCase | str) -> None:
        if isinstance(case, str):
            self.case_panel.show_refusal(case)
            return
        self.case = case
        self.case_panel.show_case(case)
        self._set_status(f"Business case {short_date(case.since)} – {short_date(case.at)}: "
                         f"{group_thousands(case.review_count)} beoordelingen")
        self.case_loaded.emit(case)

    # -- helpers ----------------------------------------------------------------------------

    def _failure(self, title: str) -> Any:
        def fail(exc: BaseException) -> None:
            self._set_status(f"{title}.")
            show_failure(self, title, exc)
            self.failed.emit(str(exc))

        return fail

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_at_changed(self, _day: Any) -> None:
        self._case_dirty = True
        set_date_quietly(self.review_date_edit, self.at())
        self._debounce.start()
        if self.tabs.currentIndex() == TAB_CASE:
            self._case_timer.start()

    def _on_what_if_input(self) -> None:
        """An input changed: a result still under way is for the old input, so drop it."""
        self.tasks.invalidate("what_if")
        self._what_if_timer.start()

    def _on_tab_changed(self, index: int) -> None:
        if index == TAB_CASE and self._case_dirty:
            self.load_case()
