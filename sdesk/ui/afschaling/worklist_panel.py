"""Werklijst: the filters, the worklist table and, below it, the selected allocation with its
what-if and decision panels.

The panel shows what the page computed; it reports what the user does with `filters_changed`
(debounced by the page) and `candidate_selected` (not while a new worklist is being shown and
the previous selection restored).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import LAW_NAMES, euro, group_thousands
from sdesk.ui.afschaling.decision_panel import CandidatePanel, DecisionPanel
from sdesk.ui.afschaling.models import CandidateTableModel, rule_title
from sdesk.ui.afschaling.what_if_panel import WhatIfPanel
from sdesk.ui.shell.tables import fit_columns_to_view, make_table

if TYPE_CHECKING:
    from sdesk.services.afschaling import Candidate, Worklist
    from sdesk.services.platform.users import EmployeeRow


def summary_text(wl: Worklist) -> str:
    s = wl.summary
    count = "1 kandidaat" if s.candidates == 1 else (
        f"{group_thousands(s.candidates)} kandidaten")
    per_rule = " · ".join(f"{rule_title(r)} {group_thousands(n)}"
                          for r, n in s.by_rule.items() if n)
    text = (f"<b>{count}</b>, verwachte besparing (gewogen naar de kans op afschaling) "
            f"<b>{euro(s.expected_saving_total_cents)}</b> per jaar; bij uitvoering van alles "
            f"{euro(s.saving_if_done_total_cents)} (jaarkosten "
            f"{euro(s.annual_cost_total_cents)})")
    if s.capacity_per_month:
        months = s.months_of_work or 0.0
        fte = f"{s.team_fte:.2f}".rstrip("0").rstrip(".").replace(".", ",")
        text += (f"<br>Capaciteit: {group_thousands(s.capacity_per_month)} beoordelingen per "
                 f"maand ({fte} fte); de eerste maand levert verwacht "
                 f"{euro(s.capacity_saving_cents)} per jaar op. Alle "
                 f"{group_thousands(s.qualifying)} kandidaten zijn {_months(months)} werk")
        if s.beyond_capacity:
            text += (f"; de lijst toont het werk van {_months(float(s.capacity_months))}, "
                     f"{group_thousands(s.beyond_capacity)} met een lagere verwachte besparing "
                     f"staan onder 'Alle kandidaten'")
    chances = " · ".join(f"{rule_title(r)} {c.text}" for r, c in s.chances.items()
                         if s.by_rule.get(r))
    text = f"{text}<br>Per regel: {per_rule}" if per_rule else text
    text = f"{text}<br>Kansen: {chances}" if chances else text
    return f"{text}<br><i>Lijst: {wl.filters.scope_text}.</i>"


def _months(months: float) -> str:
    shown = f"{months:.1f}".replace(".", ",")
    return "1 maand" if shown == "1,0" else f"{shown} maanden"


class WorklistPanel(QWidget):
    filters_changed = Signal()
    candidate_selected = Signal(object)  # Candidate, or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._restoring = False
        self._splitter_sized = False
        self.model = CandidateTableModel(self)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

        self.view = make_table(self.model)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setAccessibleName("Werklijst afschaling")
        # Column widths from the first few hundred rows, not a thousand: each row measured is
        # a Candidate built (the widths are capped anyway).
        self.view.horizontalHeader().setResizeContentsPrecision(200)

        self.candidate_panel = CandidatePanel()
        self.what_if = WhatIfPanel()
        self.decision = DecisionPanel()
        detail = QWidget()
        row = QHBoxLayout(detail)
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.candidate_panel, 4)
        row.addWidget(self.what_if, 5)
        row.addWidget(self.decision, 4)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(self._build_filters())
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)

        for combo in (self.team_combo, self.employee_combo, self.law_combo, self.rule_combo,
                      self.scope_combo):
            combo.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        self.everything_check.toggled.connect(lambda _on: self.filters_changed.emit())
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def _build_filters(self) -> QHBoxLayout:
        from sdesk.services.platform.permissions import ALL_TEAMS

        self.team_combo = QComboBox()
        # An explicit choice: without one a klantmanager sees their own team (team_scope).
        self.team_combo.addItem("Alle teams", ALL_TEAMS)
        self.employee_combo = QComboBox()
        self.employee_combo.addItem("Alle medewerkers", None)
        self.employee_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.employee_combo.setMinimumContentsLength(16)
        self.law_combo = QComboBox()
        self.law_combo.addItem("Alle wetten", None)
        for law, name in LAW_NAMES.items():
            self.law_combo.addItem(name, law)
        self.rule_combo = QComboBox()
        self.rule_combo.addItem("Alle regels", None)  # the rules: with the staff (fill_staff)
        # The default list holds what a klantmanager decides on; income support and the
        # youth measures a court orders are a list of their own.
        self.scope_combo = QComboBox()
        self.scope_combo.addItem("Werklijst", "standaard")
        self.scope_combo.addItem("Aparte lijst", "apart")
        self.scope_combo.setToolTip("Participatiewet-uitkeringen, jeugdreclassering (47) en "
                                    "jeugdbescherming (48) schaalt een klantmanager niet zelf "
                                    "af: ze staan op een aparte lijst")
        # By default the list holds what the team reviews in a month (its capacity).
        self.everything_check = QCheckBox("&Alle kandidaten")
        self.everything_check.setToolTip("Ook de kandidaten voorbij wat het team deze maand "
                                         "kan beoordelen (met een lagere verwachte besparing)")
        self.everything_check.setAccessibleName("Alle kandidaten tonen")
        self.rules_button = QPushButton("Regels &instellen…")
        self.rules_button.setToolTip("De drempels en vensters van de regels aanpassen")
        self.export_button = QPushButton("E&xcel…")
        self.may_export = True  # the page says when the role may not (and sets the tooltip)
        self.export_button.setToolTip("De werklijst (met de uitleg van de regels) als "
                                      "Excel-werkmap")
        filters = QHBoxLayout()
        for text, combo in (("&Lijst", self.scope_combo), ("&Team", self.team_combo),
                            ("&Medewerker", self.employee_combo), ("W&et", self.law_combo),
                            ("&Regel", self.rule_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addWidget(self.everything_check)
        filters.addStretch(1)
        filters.addWidget(self.rules_button)
        filters.addWidget(self.export_button)
        return filters

    # -- filters ----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        return {"law": self.law_combo.currentData(), "team": self.team_combo.currentData(),
                "employee": self.employee_combo.currentData(),
                "rule": self.rule_combo.currentData(), "scope": self.scope_combo.currentData(),
                "everything": self.everything_check.isChecked()}

    def fill_staff(self, employees: list[EmployeeRow], teams: list[str],
                   own_team: str | None = None) -> None:
        """The team and employee pickers; a refill after an import keeps the choices. The
        first fill selects `own_team` (the klantmanager's), when given, and lists the rules."""
        chosen = {combo: combo.currentData() for combo in (self.team_combo, self.employee_combo)}
        if own_team and self.team_combo.count() == 1:
            chosen[self.team_combo] = own_team
        for combo in chosen:
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
        for team in teams:
            self.team_combo.addItem(team, team)
        for e in employees:
            self.employee_combo.addItem(f"{e.name} ({e.team})" if e.team else e.name,
                                        e.external_id)
        for combo, value in chosen.items():
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)
        if self.rule_combo.count() == 1:
            # Here, not at construction: the rules' module brings pandas, which the window
            # does not wait for.
            from sdesk.services.afschaling import RULES

            self.rule_combo.blockSignals(True)
            for rule in RULES:
                self.rule_combo.addItem(rule.title, rule.id)
            self.rule_combo.blockSignals(False)

    # -- the table --------------------------------------------------------------------------

    def show_worklist(self, wl: Worklist, keep: Candidate | None) -> bool:
        """Show `wl` and select `keep` again if it is still on it (True then)."""
        self._restoring = True
        try:
            self.model.set_worklist(wl)
            # Roles that see no identity have no names: no empty column for them.
            self.view.setColumnHidden(CandidateTableModel.COL_NAME, not wl.sees_identity)
            found = keep is not None and self.select_candidate(keep.toewijzingnummer, keep.law)
        finally:
            self._restoring = False
        self._size_splitter()
        self._fit_columns()
        self.summary_label.setText(summary_text(wl))
        # An empty worklist has nothing to export (and exports.export cannot take one yet).
        self.export_button.setEnabled(len(wl) > 0 and self.may_export)
        return found

    def selected_candidate(self) -> Candidate | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_candidate(self, toewijzingnummer: str, law: str | None = None) -> bool:
        n = self.model.find(toewijzingnummer, law)
        if n is None:
            return False
        self.view.selectRow(n)
        self.view.scrollTo(self.model.index(n, 0))
        return True

    def _size_splitter(self) -> None:
        if self._splitter_sized:
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        detail = max(self.splitter.widget(1).minimumSizeHint().height(), 250)
        self.splitter.setSizes([max(total - detail, 150), detail])
        self._splitter_sized = True

    def _fit_columns(self) -> None:
        m = CandidateTableModel
        fit_columns_to_view(self.view, [m.COL_PROPOSAL, m.COL_PROVIDER, m.COL_PRODUCT,
                                        m.COL_RULES])

    def _on_selection_changed(self, *_args: Any) -> None:
        if not self._restoring:
            self.candidate_selected.emit(self.selected_candidate())
