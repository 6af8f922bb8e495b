"""Trajecten: every procescoördinatie case with its T0/T1 comparison, and the factsheet line.

The rows come from `coordination.portfolio` (coordinator and team filter in the service);
status and evaluation year are narrowed here, and the factsheet sentence is computed from the
rows that remain with the service's own `Portfolio` arithmetic (savings after attribution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import euro, group_thousands
from sdesk.ui.household.models import PortfolioTableModel
from sdesk.ui.shell.labels import status_name
from sdesk.ui.shell.tables import fit_columns_to_view, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import date_edit, from_qdate, page_heading
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.household import Portfolio, PortfolioRow
    from sdesk.services.platform.users import EmployeeRow

ALL = None
_FACTSHEET_STYLE = ("QLabel { background: #eef3f9; border: 1px solid #c5d3e4; border-radius: 3px;"
                    " padding: 8px 10px; }")


def factsheet_sentence(p: Portfolio) -> str:
    """"N huishoudens, totale reductie € X, waarvan Participatiewet € …, Wmo € …, …"."""
    b = p.saving_by_bucket()
    households = ("1 huishouden" if p.households == 1
                  else f"{group_thousands(p.households)} huishoudens")
    return (f"{households}, totale reductie {euro(p.total_saving_cents)}, waarvan "
            f"Participatiewet {euro(b['participatie'])}, Wmo {euro(b['wmo'])}, "
            f"Jeugdhulp {euro(b['jeugd'])}, overig gemeentelijk {euro(b['overig_gemeente'])}, "
            f"overig maatschappelijk {euro(b['maatschappelijk'])}")


class PortfolioPage(QWidget):
    loaded = Signal(object)  # the Portfolio shown (after the status and year filters)
    household_requested = Signal(str)
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._rows: list[PortfolioRow] = []
        self._dirty = True
        self.tasks = LatestTasks(self)
        self.portfolio: Portfolio | None = None
        self.model = PortfolioTableModel(self)
        self._build_ui()
        self._connect_signals()
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        heading = page_heading("Trajecten procescoördinatie")
        self.factsheet_title = QLabel()
        font = self.factsheet_title.font()
        font.setBold(True)
        self.factsheet_title.setFont(font)
        self.factsheet_label = QLabel()
        self.factsheet_label.setWordWrap(True)
        self.factsheet_label.setStyleSheet(_FACTSHEET_STYLE)
        self.factsheet_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

        self.coordinator_combo = QComboBox()
        self.coordinator_combo.addItem("Alle coördinatoren", ALL)
        self.coordinator_combo.setMinimumContentsLength(18)
        self.team_combo = QComboBox()
        self.team_combo.addItem("Alle teams", ALL)
        self.team_combo.setMinimumContentsLength(12)
        self.status_combo = QComboBox()
        self.status_combo.addItem("Alle statussen", ALL)
        for status in ("open", "evaluated", "closed"):
            self.status_combo.addItem(status_name(status), status)
        self.year_combo = QComboBox()
        self.year_combo.addItem("Alle jaren", ALL)
        self.year_combo.setToolTip("Het jaar van de evaluatie (T1)")
        self.at_edit = date_edit()
        self.at_edit.setToolTip("Voor lopende trajecten: T1 is het pakket op deze dag")
        self.refresh_button = QPushButton("Vernieuwen")

        filters = QHBoxLayout()
        for text, widget in (("Coördinator:", self.coordinator_combo),
                             ("Team:", self.team_combo), ("Status:", self.status_combo),
                             ("Jaar (T1):", self.year_combo), ("Peildatum:", self.at_edit)):
            filters.addWidget(QLabel(text))
            filters.addWidget(widget)
            filters.addSpacing(6)
        filters.addStretch(1)
        filters.addWidget(self.refresh_button)

        self.view = make_table(self.model)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        note = QLabel("Besparingen zijn jaarbedragen (T0 − T1) na toerekening. Bij lopende "
                      "trajecten is T1 voorlopig: het pakket op de peildatum. Dubbelklik op een "
                      "traject voor het kostenoverzicht van het huishouden.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(dark);")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 6)
        layout.addWidget(heading)
        layout.addWidget(self.factsheet_title)
        layout.addWidget(self.factsheet_label)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)
        layout.addWidget(self.status_label)

    def _connect_signals(self) -> None:
        self.coordinator_combo.currentIndexChanged.connect(self._on_service_filter_changed)
        self.team_combo.currentIndexChanged.connect(self._on_service_filter_changed)
        self.at_edit.dateChanged.connect(self._on_service_filter_changed)
        self.status_combo.currentIndexChanged.connect(self._on_local_filter_changed)
        self.year_combo.currentIndexChanged.connect(self._on_local_filter_changed)
        self.refresh_button.clicked.connect(self.reload)
        self.view.doubleClicked.connect(self._on_double_clicked)

    # -- public -----------------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.setEnabled(engine is not None)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        if self._engine is None:
            return
        self._dirty = False
        engine, actor = self._engine, self._actor
        at = from_qdate(self.at_edit.date())
        coordinator = self.coordinator_combo.currentData()
        team = self.team_combo.currentData()

        def op(_state: TaskState) -> tuple[Portfolio, list[EmployeeRow], list[str]]:
            from sdesk.services.household import portfolio
            from sdesk.services.platform.users import list_employees, list_teams

            return (portfolio(engine, actor, at, coordinator=coordinator, team=team),
                    list_employees(engine, preferred_role="procescoordinator"),
                    list_teams(engine))

        def fail(exc: BaseException) -> None:
            self.status_label.setText(f"Trajecten niet geladen: {exc}")
            self.failed.emit(str(exc))

        self.status_label.setText("Trajecten laden…")
        self.tasks.start(op, lambda result: self._on_loaded(*result), fail, kind="portfolio")

    def shut_down(self) -> None:
        self.tasks.shut_down()

    # -- display ----------------------------------------------------------------------------

    def _fill_combo(self, combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        """Replace all but the "all" entry, keeping the current choice when it still exists."""
        current = combo.currentData()
        combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current)
        combo.setCurrentIndex(index if index >= 0 else 0)
        combo.blockSignals(False)

    def _on_loaded(self, portfolio: Portfolio, employees: list[EmployeeRow],
                   teams: list[str]) -> None:
        self._fill_combo(self.coordinator_combo,
                         [(f"{e.name} ({e.role_label})", e.external_id) for e in employees])
        self._fill_combo(self.team_combo, [(t, t) for t in teams])
        years = sorted({r.summary.t1_date.year for r in portfolio.rows}, reverse=True)
        self._fill_combo(self.year_combo, [(str(y), y) for y in years])
        self._rows = list(portfolio.rows)
        self._apply_local_filters()

    def _apply_local_filters(self) -> None:
        from sdesk.services.household import Portfolio

        status = self.status_combo.currentData()
        year = self.year_combo.currentData()
        rows = [r for r in self._rows if (status is None or r.status == status)
                and (year is None or r.summary.t1_date.year == year)]
        shown = Portfolio(rows)
        self.portfolio = shown
        self.model.set_rows(rows)
        fit_columns_to_view(self.view, [PortfolioTableModel.COL_COORDINATOR,
                                        PortfolioTableModel.COL_HOUSEHOLD])
        self.factsheet_title.setText(f"Factsheet {year}" if year else
                                     "Factsheet (alle jaren)")
        self.factsheet_label.setText(factsheet_sentence(shown))
        self.status_label.setText(
            "Geen trajecten." if not rows else
            "1 traject" if len(rows) == 1 else f"{group_thousands(len(rows))} trajecten")
        self.loaded.emit(shown)

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_service_filter_changed(self, *_args: Any) -> None:
        self.reload()

    def _on_local_filter_changed(self, *_args: Any) -> None:
        self._apply_local_filters()

    def _on_double_clicked(self, index: Any) -> None:
        if index.isValid():
            self.household_requested.emit(self.model.row_at(index.row()).household_id)
