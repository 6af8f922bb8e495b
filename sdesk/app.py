"""Composition root of the desktop application.

Start-up order matters for the "usable within 1.5 s" target: Qt and the (empty) main window
first; the database is opened, checked and migrated on a worker thread; pyqtgraph is set up
with the first chart (ui.shell.charts); pandas is loaded in the background. Nothing here
imports a heavy module at module level, nor does the main window (a test holds it).

Who is working (DESIGN 8): the pages get the database only once the user is known, so no
person data is on screen before that. The user is --user, else the employee whose `account`
is the operating-system account, else the choice in "Wie bent u?"; cancelling that (Esc,
"sdesk afsluiten") closes sdesk. Without employees to choose from (an empty database) sdesk
works as an unknown user, who sees pseudonyms only, until one is chosen via Bestand >
Gebruiker wisselen.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from sdesk.services.platform.actor import ANONYMOUS, Actor
from sdesk.services.platform.errors import SdeskError
from sdesk.ui.shell.first_start_dialog import FirstStartDialog, StartChoice
from sdesk.ui.shell.identity_dialog import IdentityDialog
from sdesk.ui.shell.main_window import MainWindow
from sdesk.ui.shell.workers import TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.platform.users import EmployeeRow

DEMO_SIZE = "small"
DEMO_SEED = 1
ChooseStart = Callable[[Path], StartChoice | None]
ChooseUser = Callable[[QWidget | None, list["EmployeeRow"]], "EmployeeRow | None"]


def os_account() -> str | None:
    """The operating-system account sdesk runs under (None when it cannot be told)."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return None


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
    """Who is working: the role decides what sdesk shows (names and BSN, or pseudonyms).
    None when the user cancelled (Esc, "sdesk afsluiten")."""
    dialog = IdentityDialog(users, os_account(), parent)
    return dialog.chosen if dialog.exec() == IdentityDialog.DialogCode.Accepted else None


class Startup(QObject):
    """Brings up the main window and its database; `failed` means the app cannot continue."""

    ready = Signal()  # user known, database attached (and demo generated, if chosen)
    failed = Signal(str)
    cancelled = Signal()  # "Wie bent u?" was cancelled: sdesk closes

    def __init__(self, db_path: Path, actor: Actor = ANONYMOUS,
                 choose_start: ChooseStart = ask_first_start,
                 report_error: Callable[[QWidget | None, str], None] = show_error,
                 passphrase_prompt: Callable[[QWidget | None, str], str | None] = ask_passphrase,
                 choose_user: ChooseUser | None = None,
                 user: str | None = None,
                 account: Callable[[], str | None] = os_account) -> None:
        super().__init__()
        self.db_path = db_path
        self.actor = actor
        self._passphrase_prompt = passphrase_prompt
        self._choose_user = choose_user
        self._user = user
        self._account = account
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
        # The window shows at once, empty: its pages get the database once the user is known.
        self.window = MainWindow(self.db_path, self.actor)
        if self._choose_user is not None:
            self.window.switch_user_requested.connect(self.switch_user)
        else:
            self.window.switch_user_action.setEnabled(False)
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
        if self.choice == "demo":  # the demo brings the employees to choose from
            self._generate_demo(engine)
        else:
            self._identify_and_attach()

    def _identify(self, engine: Engine) -> Actor | None:
        """Who is working (DESIGN 8): --user; else the employee of the operating-system
        account; else the choice in "Wie bent u?" (None: cancelled); else, with nobody to
        choose from or nobody to ask, an unknown user who sees pseudonyms only."""
        from sdesk.services.platform.users import actor_for, actor_for_account, list_employees

        if self._user:
            try:
                return actor_for(engine, self._user)
            except SdeskError as exc:  # an unknown employee id: say so, then ask
                self._report_error(self.window, str(exc))
        mapped = actor_for_account(engine, self._account())
        if mapped is not None:
            return mapped
        users = list_employees(engine)
        if self._choose_user is None or not users:
            return ANONYMOUS
        chosen = self._choose_user(self.window, users)
        return None if chosen is None else actor_for(engine, chosen.external_id)

    def _identify_and_attach(self) -> None:
        engine, window = self.engine, self.window
        assert engine is not None and window is not None
        actor = self._identify(engine)
        if actor is None:  # "Wie bent u?" cancelled: nothing was shown, sdesk closes
            window.close()
            self.cancelled.emit()
            return
        self.actor = actor
        window.set_actor(actor)
        window.attach_engine(engine)
        self.ready.emit()

    def switch_user(self) -> None:
        """Bestand > Gebruiker wisselen: choose again; cancelling keeps the current user."""
        from sdesk.services.platform.users import actor_for, list_employees

        if self.engine is None or self.window is None or self._choose_user is None:
            return
        users = list_employees(self.engine)
        if not users:
            self._report_error(self.window, "Er zijn nog geen medewerkers om uit te kiezen; "
                               "importeer eerst medewerkers.csv (Bestand > Importeren).")
            return
        chosen = self._choose_user(self.window, users)
        if chosen is not None:
            self.actor = actor_for(self.engine, chosen.external_id)
            self.window.set_actor(self.actor)

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
        self.window.statusBar().showMessage("Demogemeente gemaakt.", 8000)
        self._identify_and_attach()

    def _on_demo_failed(self, exc: BaseException) -> None:
        self._close_progress()
        # The window stays usable: the database exists, only the demo data is missing.
        self._report_error(self.window, f"De demogemeente kon niet worden gemaakt: {exc}")
        self._identify_and_attach()


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
    from sdesk import __version__

    app.setApplicationVersion(__version__)
    _install_excepthook()

    # Offscreen (tests, CI smoke runs) nobody can answer a question: act as --user, the
    # account's employee or an unknown user (pseudonyms only).
    interactive = QApplication.platformName() != "offscreen"
    startup = Startup(Path(db_path), user=user, choose_user=ask_user if interactive else None)
    startup.failed.connect(lambda _text: app.exit(1))
    startup.cancelled.connect(lambda: app.exit(0))
    try:
        if not startup.start():
            return 0
    except SdeskError as exc:
        show_error(None, str(exc))
        return 1
    try:
        return app.exec()
    finally:
        startup.dispose()
