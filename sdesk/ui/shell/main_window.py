"""The main window: navigation, page stack, menus, shortcuts and the status bar.

The pages are one list of (navigation label, page), built from `PAGES`; the window drives
them only through the page protocol (`sdesk.ui.shell.page.Page`): it hands each the database,
marks them dirty after an import, and shuts them down when it closes.

The window is built for the acting user (`set_actor` rebuilds the pages that show person
data for another role). Start-up (sdesk.app) gives the pages the database only once the user
is known, so nothing of a client is on screen before "Wie bent u?" is answered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import group_thousands
from sdesk.ui.afschaling.page import ReviewPage
from sdesk.ui.budget.page import BudgetPage
from sdesk.ui.exchange.import_page import ImportPage
from sdesk.ui.household.cost_map_page import CostMapPage
from sdesk.ui.household.households_page import HouseholdsPage
from sdesk.ui.household.portfolio_page import PortfolioPage
from sdesk.ui.kpi.page import DashboardPage
from sdesk.ui.shell.audit_page import AuditPage
from sdesk.ui.shell.page import Page
from sdesk.ui.shell.workers import TaskState, cancel_all, run_in_background, wait_for_all

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.exchange import ImportResult
    from sdesk.services.household import DatabaseCounts


@dataclass(frozen=True)
class PageSpec:
    """A page of the window: its navigation label and how to build it for a user.
    `per_user` pages show what the role may see, so they are built anew for a new user."""

    title: str
    build: Callable[[Actor], Page]
    per_user: bool = True


# New pages go at the end, so the Ctrl+number of every existing page stays the same.
PAGES = (
    PageSpec("Huishoudens", HouseholdsPage),
    PageSpec("Afschaling", ReviewPage),
    PageSpec("Dashboard", DashboardPage),
    PageSpec("Begroting", BudgetPage),
    PageSpec("Import/Export", lambda _actor: ImportPage(), per_user=False),
    PageSpec("Trajecten", PortfolioPage),
    PageSpec("Kostenkaart", CostMapPage),
    PageSpec("Auditlog", AuditPage),
)
(PAGE_HOUSEHOLDS, PAGE_REVIEW, PAGE_DASHBOARD, PAGE_BUDGET, PAGE_IMPORT, PAGE_PORTFOLIO,
 PAGE_COST_MAP, PAGE_AUDIT) = range(len(PAGES))
PAGE_TITLES = tuple(spec.title for spec in PAGES)


def _widget(page: Page) -> QWidget:
    return cast(QWidget, page)


class MainWindow(QMainWindow):
    """Built without a database so it shows at once; `attach_engine` brings it to life."""

    counts_updated = Signal(object)  # DatabaseCounts
    switch_user_requested = Signal()  # Bestand > Gebruiker wisselen (start-up asks)

    def __init__(self, db_path: Path, actor: Actor, engine: Engine | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.actor = actor
        self.engine: Engine | None = None
        self._build_ui()
        self._build_actions()
        self._connect_signals()
        self.show_page(PAGE_HOUSEHOLDS)
        if engine is not None:
            self.attach_engine(engine)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle(f"sdesk – {self.db_path.name}")
        self._fit_to_screen()

        # (navigation label, page), in the order of the navigation list and the stack.
        self.pages: list[tuple[str, Page]] = [(spec.title, spec.build(self.actor))
                                              for spec in PAGES]
        self.stack = QStackedWidget()
        for _title, page in self.pages:
            self.stack.addWidget(_widget(page))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        for number, (title, _page) in enumerate(self.pages, start=1):
            item = QListWidgetItem(title)
            item.setToolTip(f"Ctrl+{number}")
            item.setSizeHint(QSize(0, self.fontMetrics().height() + 16))
            self.nav.addItem(item)
        width = max(self.fontMetrics().horizontalAdvance(t) for t, _ in self.pages) + 48
        self.nav.setFixedWidth(max(width, 150))
        self.nav.setStyleSheet(
            "QListWidget#navigation { border: none; background: palette(window); }"
            "QListWidget#navigation::item { padding-left: 10px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }")

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.statusBar().addWidget(self.user_label)
        self._show_actor()
        self.db_label = QLabel(f"Database: {self.db_path}")
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel("Database openen…")
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _show_actor(self) -> None:
        from sdesk.services.platform.vocabulary import ANONYMOUS_ROLE, role_label

        role = role_label(self.actor.role).capitalize()
        self.user_label.setText(
            "<b>Onbekende gebruiker</b> · alleen pseudoniemen (Bestand &gt; Gebruiker wisselen)"
            if self.actor.role == ANONYMOUS_ROLE else f"<b>{self.actor.name}</b> · {role}")
        self.setWindowTitle(f"sdesk – {self.db_path.name} – {self.actor.name} ({role})")

    def set_actor(self, actor: Actor) -> None:
        """Switch the acting user: the pages that show person data are built anew for the
        role (columns, pseudonyms), so nothing of the previous user's view stays behind."""
        self.actor = actor
        current = self.stack.currentIndex()
        for index, spec in enumerate(PAGES):
            if not spec.per_user:
                continue
            old = self.pages[index][1]
            old.shut_down()
            page = spec.build(actor)
            self.stack.removeWidget(_widget(old))
            self.stack.insertWidget(index, _widget(page))
            _widget(old).deleteLater()
            self.pages[index] = (spec.title, page)
            if self.engine is not None:
                page.set_engine(self.engine)
        self._connect_page_signals()
        self.stack.setCurrentIndex(current)
        self._show_actor()

    # The pages by name (other pages' signals, tests).

    @property
    def households_page(self) -> HouseholdsPage:
        return cast(HouseholdsPage, self.pages[PAGE_HOUSEHOLDS][1])

    @property
    def review_page(self) -> ReviewPage:
        return cast(ReviewPage, self.pages[PAGE_REVIEW][1])

    @property
    def dashboard_page(self) -> DashboardPage:
        return cast(DashboardPage, self.pages[PAGE_DASHBOARD][1])

    @property
    def budget_page(self) -> BudgetPage:
        return cast(BudgetPage, self.pages[PAGE_BUDGET][1])

    @property
    def import_page(self) -> ImportPage:
        return cast(ImportPage, self.pages[PAGE_IMPORT][1])

    @property
    def portfolio_page(self) -> PortfolioPage:
        return cast(PortfolioPage, self.pages[PAGE_PORTFOLIO][1])

    @property
    def cost_map_page(self) -> CostMapPage:
        return cast(CostMapPage, self.pages[PAGE_COST_MAP][1])

    @property
    def audit_page(self) -> AuditPage:
        return cast(AuditPage, self.pages[PAGE_AUDIT][1])

    def _fit_to_screen(self) -> None:
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen else QSize(1366, 768)
        self.resize(min(1440, max(1024, round(available.width() * 0.92))),
                    min(900, max(680, round(available.height() * 0.92))))

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&Bestand")
        self.import_action = QAction("&Importeren…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setEnabled(False)
        file_menu.addAction(self.import_action)
        self.backup_action = QAction("&Back-up maken…", self)
        self.backup_action.setEnabled(False)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        self.switch_user_action = QAction("&Gebruiker wisselen…", self)
        self.switch_user_action.setToolTip("Kies opnieuw wie u bent; uw rol bepaalt wat u "
                                           "ziet en mag")
        file_menu.addAction(self.switch_user_action)
        file_menu.addSeparator()
        self.quit_action = QAction("A&fsluiten", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&Beeld")
        self.page_actions: list[QAction] = []
        for number, (title, _page) in enumerate(self.pages, start=1):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, i=number - 1: self.show_page(i))
            view_menu.addAction(action)
            self.page_actions.append(action)
        view_menu.addSeparator()
        self.find_action = QAction("&Zoeken", self)
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        view_menu.addAction(self.find_action)

        help_menu = self.menuBar().addMenu("&Help")
        self.about_action = QAction("&Over sdesk", self)
        help_menu.addAction(self.about_action)

    def _connect_signals(self) -> None:
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.import_action.triggered.connect(self.open_import_dialog)
        self.backup_action.triggered.connect(self.make_backup)
        self.switch_user_action.triggered.connect(self.switch_user_requested)
        self.quit_action.triggered.connect(self.close)
        self.find_action.triggered.connect(self.focus_search)
        self.about_action.triggered.connect(self._on_about)
        self.import_page.import_requested.connect(self.open_import_dialog)
        self._connect_page_signals()

    def _connect_page_signals(self) -> None:
        """Signals between pages that depend on the acting user (rebuilt by set_actor)."""
        overview = self.households_page.overview_panel
        overview.case_changed.connect(self.portfolio_page.mark_dirty)
        self.portfolio_page.household_requested.connect(self.open_household)
        # Interventions are priced from the cost map: a changed price changes the overview.
        self.cost_map_page.changed.connect(overview.mark_dirty)

    # -- public -----------------------------------------------------------------------------

    def attach_engine(self, engine: Engine) -> None:
        self.engine = engine
        self.import_action.setEnabled(True)
        for _title, page in self.pages:
            page.set_engine(engine)
        self.backup_action.setEnabled(True)
        self.refresh_counts()

        def warm_up(_state: TaskState) -> None:
            # The allocation view needs pandas; load it now, not on the first click.
            import sdesk.services.platform.costs  # noqa: F401

        run_in_background(warm_up, owner=self)

    def make_backup(self) -> None:
        """A consistent copy (online backup API, also while other work runs)."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from sdesk.services.platform.backup import backup_dir

        folder = backup_dir(self.db_path)
        folder.mkdir(parents=True, exist_ok=True)
        target, _ = QFileDialog.getSaveFileName(
            self, "Back-up maken", str(folder / f"{self.db_path.stem}-backup.sqlite"),
            "sdesk-database (*.sqlite)")
        if not target:
            return
        if self.engine is None:
            return
        db_path, engine, actor = self.db_path, self.engine, self.actor

        def op(_state: TaskState) -> Path:
            from sdesk.services.platform.backup import backup_by

            return backup_by(engine, actor, db_path, Path(target))

        run_in_background(
            op, owner=self,
            on_success=lambda p: self.statusBar().showMessage(f"Back-up gemaakt: {p}", 10000),
            on_error=lambda e: QMessageBox.warning(self, "Back-up", str(e)))

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    def current_page(self) -> int:
        return self.stack.currentIndex()

    def focus_search(self) -> None:
        self.show_page(PAGE_HOUSEHOLDS)
        self.households_page.focus_search()

    def open_household(self, external_id: str) -> None:
        """The cost overview of one household (from the Trajecten page, for instance)."""
        self.show_page(PAGE_HOUSEHOLDS)
        self.households_page.open_household(external_id)

    def refresh(self) -> None:
        """The data changed (an import, a demo municipality): every page reloads."""
        for _title, page in self.pages:
            page.mark_dirty()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        if self.engine is None:
            return
        engine = self.engine

        def op(_state: TaskState) -> DatabaseCounts:
            from sdesk.services.household import database_counts

            return database_counts(engine)

        run_in_background(op, on_success=self._on_counts, on_error=self._on_counts_failed,
                          owner=self)

    def open_import_dialog(self) -> None:
        from sdesk.ui.exchange.import_dialog import ImportDialog

        if self.engine is None:
            return
        from sdesk.services.platform.actor import SYSTEM
        from sdesk.services.platform.vocabulary import ANONYMOUS_ROLE

        # Without a known user an import runs as the batch actor, as on the command line.
        actor = SYSTEM if self.actor.role == ANONYMOUS_ROLE else self.actor
        dialog = ImportDialog(self.engine, self, actor=actor)
        dialog.data_changed.connect(self.refresh)
        dialog.import_finished.connect(self._on_import_finished)
        self.import_dialog = dialog  # reachable for tests; replaced on the next open
        dialog.open()

    # -- slots ------------------------------------------------------------------------------

    def _on_counts(self, counts: DatabaseCounts) -> None:
        self.counts_label.setText(
            f"{group_thousands(counts.households)} huishoudens · "
            f"{group_thousands(counts.persons)} personen · "
            f"{group_thousands(counts.allocations)} toewijzingen")
        self.counts_updated.emit(counts)

    def _on_counts_failed(self, exc: BaseException) -> None:
        self.counts_label.setText(f"Tellen mislukt: {exc}")

    def _on_import_finished(self, outcome: ImportResult | BaseException) -> None:
        ok = getattr(outcome, "ok", False)
        counts = getattr(outcome, "counts", {})
        if ok:
            total = group_thousands(sum(counts.values()))
            self.import_page.show_last_result(f"Laatste import geslaagd: {total} rijen.")
            from sdesk.services.platform.vocabulary import ANONYMOUS_ROLE

            if self.actor.role == ANONYMOUS_ROLE and counts.get("medewerkers"):
                self.switch_user_requested.emit()  # now there is someone to choose
        else:
            self.import_page.show_last_result("Laatste import niet opgeslagen.")

    def _on_about(self) -> None:
        from sdesk import __version__

        QMessageBox.about(
            self, "Over sdesk",
            f"<h3>sdesk {__version__}</h3>"
            "<p>Kosten, afschaling en sturing in het sociaal domein: Jeugdwet, Wmo 2015 en "
            "Participatiewet.</p>"
            f"<p>Database: {self.db_path}<br>Gebruiker: {self.actor.signature}</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        for _title, page in self.pages:
            page.shut_down()
        cancel_all()
        # Let running queries finish so no worker touches the engine after it is disposed.
        wait_for_all(5000)
        super().closeEvent(event)
