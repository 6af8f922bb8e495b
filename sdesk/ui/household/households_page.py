"""Huishoudens: find a household, see its members and each member's allocations, and the
household's cost overview with its procescoördinatie case (tab Kostenoverzicht).

What the role sees is decided by the services (pseudonyms, PC4, birth years for a role
without identity; every search and list is logged there). A klantmanager searches their own
team by default; "Alleen mijn team" off is the explicit choice for every team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import group_thousands
from sdesk.ui.household.models import AllocationTableModel, HouseholdTableModel, MemberTableModel
from sdesk.ui.household.overview_panel import HouseholdOverviewPanel
from sdesk.ui.shell.tables import content_width, fit_columns, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import section_title
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.household import AllocationRow, HouseholdRow, PersonRow

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 200
TAB_MEMBERS, TAB_OVERVIEW = range(2)


class HouseholdsPage(QWidget):
    """Search runs debounced and off the GUI thread; the newest search wins."""

    search_finished = Signal(int)
    members_loaded = Signal(int)
    allocations_loaded = Signal(int)
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        # Search, members and allocations: the newest request of each wins.
        self.tasks = LatestTasks(self)
        # A household to open once the search for it is done (open_household).
        self._pending_household: str | None = None
        self.household_model = HouseholdTableModel(self)
        self.member_model = MemberTableModel(self)
        self.allocation_model = AllocationTableModel(self)
        self._build_ui()
        self._connect_signals()
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(
            "Zoek op naam, BSN, postcode, huishoudnummer of persoonsnummer")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(360)
        if not self._actor.sees_identity:
            self.search_edit.setPlaceholderText(
                "Zoek op wijk, PC4 (vier cijfers) of pseudoniem (H-…)")
            self.search_edit.setToolTip("Zonder recht op namen en nummers zoekt u niet op "
                                        "naam, BSN, postcode of huishoudnummer")
        # The klantmanager's own team by default (permissions.team_scope); off = every team.
        self.own_team_check = QCheckBox(f"Alleen mijn team ({self._actor.team})")
        self.own_team_check.setChecked(True)
        self.own_team_check.setToolTip("Uit: huishoudens van alle teams")
        from sdesk.services.platform.permissions import team_scope

        self.own_team_check.setVisible(team_scope(self._actor, None) is not None)
        self.result_label = QLabel()
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        search_row = QHBoxLayout()
        search_row.addWidget(QLabel("Zoeken:"))
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.own_team_check)
        search_row.addWidget(self.result_label)

        self.household_view = make_table(self.household_model)
        self.member_view = make_table(self.member_model)
        self.allocation_view = make_table(self.allocation_model)
        # Composition goes in the members title: the two tables must fit a 1366 px laptop.
        self.household_view.hideColumn(HouseholdTableModel.COL_COMPOSITION)
        if not self._actor.sees_identity:
            self.household_view.hideColumn(HouseholdTableModel.COL_NAMES)
            self.member_view.hideColumn(MemberTableModel.COL_BSN)
            # The pseudonym is both number and name; once is enough.
            self.member_view.hideColumn(MemberTableModel.COL_NUMBER)
        self.member_title = section_title("Leden")
        self.allocation_title = section_title("Toewijzingen")

        top = QSplitter(Qt.Orientation.Horizontal)
        self._top_splitter = top
        self._user_sized = False
        top.addWidget(self._titled(section_title("Huishoudens"), self.household_view))
        top.addWidget(self._titled(self.member_title, self.member_view))
        top.setSizes([550, 450])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(self._titled(self.allocation_title, self.allocation_view))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])

        self.overview_panel = HouseholdOverviewPanel(self._actor)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(splitter, "Leden en toewijzingen")
        self.tabs.addTab(self.overview_panel, "Kostenoverzicht")
        self.tabs.setTabToolTip(TAB_OVERVIEW, "Kosten per wet en financier, procescoördinatie "
                                              "(dubbelklik op een huishouden)")

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addWidget(self.tabs, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)

    @staticmethod
    def _titled(title: QLabel, view: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addWidget(view)
        return box

    def _connect_signals(self) -> None:
        self.search_edit.textChanged.connect(self._on_search_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_return)
        self.own_team_check.toggled.connect(lambda _on: self.run_search())
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search_edit,
                          self.search_edit.clear)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)  # Esc elsewhere must not clear it
        self._debounce.timeout.connect(self.run_search)
        self._top_splitter.splitterMoved.connect(self._on_splitter_moved)
        self.household_view.selectionModel().selectionChanged.connect(
            self._on_household_selection_changed)
        self.household_view.doubleClicked.connect(lambda _index: self.show_overview())
        self.member_view.selectionModel().selectionChanged.connect(
            self._on_member_selection_changed)

    # -- public -----------------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.setEnabled(engine is not None)
        self.overview_panel.set_engine(engine)
        if engine is not None:
            self.run_search()

    def show_overview(self) -> None:
        self.tabs.setCurrentIndex(TAB_OVERVIEW)

    def open_household(self, external_id: str) -> None:
        """Find the household by its id, select it and show its cost overview."""
        self._pending_household = external_id
        self.own_team_check.blockSignals(True)  # asked for by id: whichever team it is in
        self.own_team_check.setChecked(False)
        self.own_team_check.blockSignals(False)
        self.search_edit.blockSignals(True)  # no second, debounced search
        self.search_edit.setText(external_id)
        self.search_edit.blockSignals(False)
        self.show_overview()
        self.run_search()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def mark_dirty(self) -> None:
        """The data changed: search again (the list is always visible) and reload the
        overview when it is shown."""
        self.overview_panel.mark_dirty()
        self.run_search()

    def run_search(self) -> None:
        self._debounce.stop()
        if self._engine is None:
            return
        from sdesk.services.platform.permissions import ALL_TEAMS

        engine, actor, text = self._engine, self._actor, self.search_edit.text().strip()
        team = None if self.own_team_check.isChecked() else ALL_TEAMS

        def op(_state: TaskState) -> list[HouseholdRow]:
            from sdesk.services.household import search_households

            return search_households(engine, actor, text, limit=SEARCH_LIMIT, team=team)

        self.result_label.setText("Zoeken…")
        self.tasks.start(op, self._on_search_done, self._on_error, kind="search")

    def shut_down(self) -> None:
        self._debounce.stop()
        self.tasks.shut_down()
        self.overview_panel.shut_down()

    # -- slots ------------------------------------------------------------------------------

    def _on_error(self, exc: BaseException) -> None:
        message = f"Ophalen mislukt: {exc}"
        self.result_label.setText(message)
        self.failed.emit(message)

    def _on_search_text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _on_search_return(self) -> None:
        self.run_search()

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        self._user_sized = True

    def _balance_panes(self) -> None:
        """Share the width between households and members by what their columns need."""
        if self._user_sized:
            return
        total = sum(self._top_splitter.sizes())
        households = content_width(self.household_view)
        members = content_width(self.member_view)
        if total <= 0 or households + members <= 0:
            return
        if households + members <= total:
            households = total - members  # spare room goes to the household list
        else:
            households = round(total * households / (households + members))
        self._top_splitter.setSizes([households, total - households])

    def _on_search_done(self, rows: list[HouseholdRow]) -> None:
        self.household_model.set_rows(rows)
        fit_columns(self.household_view)
        if not rows:
            self.result_label.setText("Geen huishoudens gevonden")
        elif len(rows) >= SEARCH_LIMIT:
            self.result_label.setText(
                f"Eerste {group_thousands(SEARCH_LIMIT)} huishoudens; verfijn de zoekopdracht")
        else:
            self.result_label.setText(
                "1 huishouden" if len(rows) == 1 else f"{group_thousands(len(rows))} huishoudens")
        self._clear_members()
        pending, self._pending_household = self._pending_household, None
        if rows:
            ids = [r.external_id for r in rows]
            self.household_view.selectRow(ids.index(pending) if pending in ids else 0)
        else:
            self.overview_panel.set_household(None)
        self.search_finished.emit(len(rows))

    def _clear_members(self) -> None:
        self.tasks.invalidate("members")
        self.tasks.invalidate("allocations")
        self.member_model.set_rows([])
        self.allocation_model.set_rows([])
        self.member_title.setText("Leden")
        self.allocation_title.setText("Toewijzingen")

    def _on_household_selection_changed(self, selected: QItemSelection,
                                        _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes or self._engine is None:
            return
        household = self.household_model.row_at(indexes[0].row())
        engine, actor = self._engine, self._actor

        def op(_state: TaskState) -> list[PersonRow]:
            from sdesk.services.household import household_members

            return household_members(engine, actor, household.id)

        details = ", ".join(x for x in (household.composition, household.wijk) if x)
        self.member_title.setText(f"Leden van huishouden {household.external_id}"
                                  + (f" ({details})" if details else ""))
        self.tasks.start(op, self._on_members_done, self._on_error, kind="members")
        place = " · ".join(x for x in (household.wijk, household.postcode,
                                       household.composition) if x)
        self.overview_panel.set_household(household.external_id, place)

    def _on_members_done(self, rows: list[PersonRow]) -> None:
        self.member_model.set_rows(rows)
        fit_columns(self.member_view)
        self._balance_panes()
        self.allocation_model.set_rows([])
        self.allocation_title.setText("Toewijzingen")
        if rows:
            self.member_view.selectRow(0)
        self.members_loaded.emit(len(rows))

    def _on_member_selection_changed(self, selected: QItemSelection,
                                     _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes or self._engine is None:
            return
        person = self.member_model.row_at(indexes[0].row())
        engine, actor = self._engine, self._actor

        def op(_state: TaskState) -> list[AllocationRow]:
            from sdesk.services.household import person_allocations

            return person_allocations(engine, actor, person.id)

        self.allocation_title.setText(f"Toewijzingen van {person.name}")
        self.tasks.start(op, self._on_allocations_done, self._on_error, kind="allocations")

    def _on_allocations_done(self, rows: list[AllocationRow]) -> None:
        self.allocation_model.set_rows(rows)
        fit_columns(self.allocation_view)
        if not rows:
            self.allocation_title.setText(self.allocation_title.text() + " (geen)")
        self.allocations_loaded.emit(len(rows))
