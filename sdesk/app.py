"""Composition root of the desktop application.

Start-up order matters for the "usable within 1.5 s" target: Qt and the (empty) main window
first; the database is opened, checked and migrated on a worker thread; pyqtgraph is configured
after the window shows; pandas is loaded in the background. Nothing here imports a heavy module
at module level.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from sdesk import __version__
from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.services.platform.errors import SdeskError
from sdesk.ui.shell.first_start_dialog import FirstStartDialog, StartChoice
from sdesk.ui.shell.main_window import MainWindow
from sdesk.ui.shell.workers import TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.platform.users import EmployeeRow

DEMO_SIZE = "small"
DEMO_SEED = 1
ChooseStart = Callable[[Path], StartChoice | None]


def ask_first_start(db_path: Path) -> StartChoice | None:
    """The first-start dialog; None when the user chose to quit."""
    dialog = FirstStartDialog(db_path)
    return dialog.choice if dialog.exec() == FirstStartDialog.DialogCode.Accepted else None


def show_error(parent: QWidget | None, text: str, details: str | None = None) -> None:
    box = QMessageBox(QMessageBox.Icon.Critical, "sdesk", text, QMessageBox.StandardButton.Ok,
                      parent)
    if details:
        box.setDetailedText(details)
    box.exec()


def ask_passphrase(parent: QWidget | None, message: str) -> str | None:
    """The passphrase of an encrypted database; None when the user gave up."""
    text, ok = QInputDialog.getText(
        parent, "Versleutelde database",
        f"{message}\n\nWachtwoord van de database:", QLineEdit.EchoMode.Password)
    return text if ok and text else None


def ask_user(parent: QWidget | None, users: list[EmployeeRow]) -> EmployeeRow | None:
    """Who is working: the role decides what sdesk shows (names and BSN, or pseudonyms)."""
    labels = [f"{u.name} – {u.role_label.capitalize()}"
              + (f" ({u.team})" if u.team else "") for u in users]
    choice, ok = QInputDialog.getItem(parent, "Wie bent u?",
                                      "Kies uzelf; uw rol bepaalt wat u ziet:", labels, 0, False)
    return users[labels.index(choice)] if ok and choice in labels else None


class Startup(QObject):
    """Brings up the main window and its database; `failed` means the app cannot continue."""

    ready = Signal()  # database attached (and demo generated, if chosen)
    failed = Signal(str)

    def __init__(self, db_path: Path, actor: Actor = SYSTEM,
                 choose_start: ChooseStart = ask_first_start,
                 report_error: Callable[[QWidget | None, str], None] = show_error,
                 passphrase_prompt: Callable[[QWidget | None, str], str | None] = ask_passphrase,
                 choose_user: Callable[[QWidget | None, list[EmployeeRow]],
                                       EmployeeRow | None] | None = None,
                 user: str | None = None) -> None:
        super().__init__()
        self.db_path = db_path
        self.actor = actor
        self._passphrase_prompt = passphrase_prompt
        self._choose_user = choose_user
        self._user = user
        self._choose_start = choose_start
        self._report_error = report_error
        self.choice: StartChoice | None = None
        self.window: MainWindow | None = None
        self.engine: Engine | None = None
        self.progress_dialog: QProgressDialog | None = None

    def start(self) -> bool:
        """Show the window and begin opening the database; False when the user quit."""
        if not self.db_path.exists():
            self.choice = self._choose_start(self.db_path)
            if self.choice is None:
                return False
        self.window = MainWindow(self.db_path, self.actor)
        self.window.show()
        self._open(None)
        return True

    def _open(self, passphrase: str | None) -> None:
        db_path = self.db_path

        def open_db(_state: TaskState) -> Engine:
            from sdesk.services.platform.db import open_database

            return open_database(db_path, passphrase=passphrase)

        run_in_background(open_db, on_success=self._on_opened, on_error=self._on_open_failed)

    def dispose(self) -> None:
        if self.engine is not None:
            self.engine.dispose()
            self.engine = None

    def _on_opened(self, engine: Engine) -> None:
        self.engine = engine
        assert self.window is not None
        self.window.attach_engine(engine)
        try:
            self._pick_user(engine)
        except SdeskError as exc:  # e.g. --user with an unknown employee id
            self._report_error(self.window, str(exc))
        if self.choice == "demo":
            self._generate_demo(engine)
        else:
            self.ready.emit()

    def _pick_user(self, engine: Engine) -> None:
        """Apply the chosen employee's role (DESIGN 8): --user, or a choice at start."""
        from sdesk.services.platform.users import actor_for, list_employees

        if self._user:
            actor = actor_for(engine, self._user)
        elif self._choose_user is not None:
            users = list_employees(engine)
            chosen = self._choose_user(self.window, users) if users else None
            if chosen is None:
                return
            actor = actor_for(engine, chosen.external_id)
        else:
            return
        self.actor = actor
        assert self.window is not None
        self.window.set_actor(actor)

    def _on_open_failed(self, exc: BaseException) -> None:
        from sdesk.services.platform.db import PassphraseNeeded

        if isinstance(exc, PassphraseNeeded):
            passphrase = self._passphrase_prompt(self.window, str(exc))
            if passphrase:
                self._open(passphrase)
                return
        text = str(exc) if isinstance(exc, SdeskError) else (
            f"De database kan niet worden geopend: {exc}")
        self._report_error(self.window, text)
        self.failed.emit(text)

    def _generate_demo(self, engine: Engine) -> None:
        dialog = QProgressDialog("Demogemeente wordt gemaakt…", "", 0, 1000, self.window)
        dialog.setCancelButton(None)  # generate_demo cannot be interrupted
        dialog.setWindowTitle("Demogemeente maken")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumWidth(420)
        dialog.setValue(0)
        dialog.show()
        self.progress_dialog = dialog

        def op(state: TaskState) -> object:
            from sdesk.services.demo import generate_demo

            return generate_demo(engine, size=DEMO_SIZE, seed=DEMO_SEED, progress=state.progress)

        def on_progress(fraction: float, message: str) -> None:
            dialog.setValue(round(fraction * 1000))
            if message:
                dialog.setLabelText(message)

        run_in_background(op, on_success=self._on_demo_done, on_error=self._on_demo_failed,
                          on_progress=on_progress)

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_demo_done(self, _summary: object) -> None:
        self._close_progress()
        assert self.window is not None
        self.window.refresh()
        self.window.statusBar().showMessage("Demogemeente gemaakt.", 8000)
        self.ready.emit()

    def _on_demo_failed(self, exc: BaseException) -> None:
        self._close_progress()
        # The window stays usable: the database exists, only the demo data is missing.
        self._report_error(self.window, f"De demogemeente kon niet worden gemaakt: {exc}")
        assert self.window is not None
        self.window.refresh()
        self.ready.emit()


def _configure_pyqtgraph() -> None:
    # Before any chart exists; deferred because importing pyqtgraph costs ~0.5 s.
    import pyqtgraph as pg

    pg.setConfigOptions(antialias=True, background="w", foreground="k")


def _install_excepthook() -> None:
    """Unexpected errors become a message box (with details), never a silent crash."""
    previous = sys.excepthook
    showing = False

    def hook(exc_type: type[BaseException], exc: BaseException,
             tb: TracebackType | None) -> None:
        nonlocal showing
        if isinstance(exc, SdeskError):
            text, details = str(exc), None
        else:
            previous(exc_type, exc, tb)
            text = f"Er is een onverwachte fout opgetreden:\n{exc_type.__name__}: {exc}"
            details = "".join(traceback.format_exception(exc_type, exc, tb))
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            show_error(QApplication.activeWindow(), text, details)
        finally:
            showing = False

    sys.excepthook = hook


def run_gui(db_path: Path, user: str | None = None) -> int:
    """Run the desktop application on `db_path`; returns the process exit status."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName("sdesk")
    app.setApplicationName("sdesk")
    app.setApplicationVersion(__version__)
    _install_excepthook()

    # Offscreen (tests, CI smoke runs) nobody can answer a question: act as --user or SYSTEM.
    interactive = QApplication.platformName() != "offscreen"
    startup = Startup(Path(db_path), user=user, choose_user=ask_user if interactive else None)
    startup.failed.connect(lambda _text: app.exit(1))
    try:
        if not startup.start():
            return 0
    except SdeskError as exc:
        show_error(None, str(exc))
        return 1
    QTimer.singleShot(200, _configure_pyqtgraph)
    try:
        return app.exec()
    finally:
        startup.dispose()
