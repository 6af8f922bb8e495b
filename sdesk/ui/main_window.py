"""The main window: navigation, page stack, menus, shortcuts and the status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

from sdesk import __version__
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import group_thousands
from sdesk.ui.pages.audit_page import AuditPage
from sdesk.ui.pages.budget_page import BudgetPage
from sdesk.ui.pages.cost_map_page import CostMapPage
from sdesk.ui.pages.dashboard_page import DashboardPage
from sdesk.ui.pages.households_page import HouseholdsPage
from sdesk.ui.pages.import_page import ImportPage
from sdesk.ui.pages.portfolio_page import PortfolioPage
from sdesk.ui.pages.review_page import ReviewPage
from sdesk.ui.workers import TaskState, cancel_all, run_in_background, wait_for_all

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.exchange import ImportResult
    from sdesk.services.household import DatabaseCounts

# New pages go at the end, so the Ctrl+number of every existing page stays the same.
(PAGE_HOUSEHOLDS, PAGE_REVIEW, PAGE_DASHBOARD, PAGE_BUDGET, PAGE_IMPORT, PAGE_PORTFOLIO,
 PAGE_COST_MAP, PAGE_AUDIT) = range(8)
PAGE_TITLES = ("Huishoudens", "Afschaling", "Dashboard", "Begroting", "Import/Export",
               "Trajecten", "Kostenkaart", "Auditlog")


class MainWindow(QMainWindow):
    """Built without a database so it shows at once; `attach_engine` brings it to life."""

    counts_updated = Signal(object)  # DatabaseCounts

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

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        for number, title in enumerate(PAGE_TITLES, start=1):
            item = QListWidgetItem(title)
            item.setToolTip(f"Ctrl+{number}")
            item.setSizeHint(QSize(0, self.fontMetrics().height() + 16))
            self.nav.addItem(item)
        width = max(self.fontMetrics().horizontalAdvance(t) for t in PAGE_TITLES) + 48
        self.nav.setFixedWidth(max(width, 150))
        self.nav.setStyleSheet(
            "QListWidget#navigation { border: none; background: palette(window); }"
            "QListWidget#navigation::item { padding-left: 10px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }")

        self.households_page = HouseholdsPage(self.actor)
        self.review_page = ReviewPage(self.actor)
        self.dashboard_page = DashboardPage(self.actor)
        self.budget_page = BudgetPage(self.actor)
        self.import_page = ImportPage()
        self.portfolio_page = PortfolioPage(self.actor)
        self.cost_map_page = CostMapPage(self.actor)
        self.audit_page = AuditPage(self.actor)
        self.stack = QStackedWidget()
        for page in (self.households_page, self.review_page, self.dashboard_page,
                     self.budget_page, self.import_page, self.portfolio_page,
                     self.cost_map_page, self.audit_page):
            self.stack.addWidget(page)

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
        from sdesk.services.platform.vocabulary import role_label

        role = role_label(self.actor.role).capitalize()
        self.user_label.setText(f"<b>{self.actor.name}</b> · {role}")
        self.setWindowTitle(f"sdesk – {self.db_path.name} – {self.actor.name} ({role})")

    def set_actor(self, actor: Actor) -> None:
        """Switch the acting user: the pages that show person data are built anew for the
        role (columns, pseudonyms), so nothing of the previous user's view stays behind."""
        self.actor = actor
        current = self.stack.currentIndex()
        old = {"households_page": self.households_page, "portfolio_page": self.portfolio_page,
               "cost_map_page": self.cost_map_page, "audit_page": self.audit_page,
               "dashboard_page": self.dashboard_page, "budget_page": self.budget_page,
               "review_page": self.review_page}
        fresh = {"households_page": HouseholdsPage(actor), "portfolio_page": PortfolioPage(actor),
                 "cost_map_page": CostMapPage(actor), "audit_page": AuditPage(actor),
                 "dashboard_page": DashboardPage(actor), "budget_page": BudgetPage(actor),
                 "review_page": ReviewPage(actor)}
        for name, page in fresh.items():
            index = self.stack.indexOf(old[name])
            self.stack.removeWidget(old[name])
            self.stack.insertWidget(index, page)
            old[name].deleteLater()
            setattr(self, name, page)
        self._connect_page_signals()
        if self.engine is not None:
            for page in fresh.values():
                page.set_engine(self.engine)
        self.stack.setCurrentIndex(current)
        self._show_actor()

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
        self.quit_action = QAction("A&fsluiten", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&Beeld")
        self.page_actions: list[QAction] = []
        for number, title in enumerate(PAGE_TITLES, start=1):
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
        self.import_page.set_engine_available(True)
        self.households_page.set_engine(engine)
        self.portfolio_page.set_engine(engine)
        self.cost_map_page.set_engine(engine)
        self.audit_page.set_engine(engine)
        self.dashboard_page.set_engine(engine)
        self.budget_page.set_engine(engine)
        self.review_page.set_engine(engine)
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
        db_path, engine, actor = self.db_path, self.engine, self.actor

        def op(_state: TaskState) -> Path:
            from sdesk.services.platform import audit
            from sdesk.services.platform.backup import make_backup

            path = make_backup(db_path, Path(target))
            if engine is not None:
                audit.log(engine, actor, "backup", str(path))
            return path

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
        self.households_page.refresh()
        self.portfolio_page.mark_dirty()
        self.cost_map_page.mark_dirty()
        self.dashboard_page.mark_dirty()
        self.budget_page.mark_dirty()
        self.review_page.mark_dirty()
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
        from sdesk.ui.dialogs.import_dialog import ImportDialog

        if self.engine is None:
            return
        dialog = ImportDialog(self.engine, self, actor=self.actor)
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
        else:
            self.import_page.show_last_result("Laatste import niet opgeslagen.")

    def _on_about(self) -> None:
        QMessageBox.about(
            self, "Over sdesk",
            f"<h3>sdesk {__version__}</h3>"
            "<p>Kosten, afschaling en sturing in het sociaal domein: Jeugdwet, Wmo 2015 en "
            "Participatiewet.</p>"
            f"<p>Database: {self.db_path}<br>Gebruiker: {self.actor.name} "
            f"({self.actor.role})</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.households_page.shutdown()
        self.portfolio_page.shutdown()
        self.dashboard_page.shutdown()
        self.budget_page.shutdown()
        self.review_page.shutdown()
        cancel_all()
        # Let running queries finish so no worker touches the engine after it is disposed.
        wait_for_all(5000)
        super().closeEvent(event)
