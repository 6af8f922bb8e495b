"""Issue 14, item 5 on screen: who is working, before anything of a client is shown.

Before: the main window loaded the households (names, BSN) and only then asked "Wie bent u?"
in front of them; Esc went on as a procescoördinator. Now the pages get the database only
once the user is known; Esc (or "sdesk afsluiten") closes sdesk; the operating-system
account picks the employee when employee.account maps it; without anyone to choose sdesk
works as an unknown user who sees pseudonyms only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sdesk.app import Startup, ask_user
from sdesk.services.platform import audit
from sdesk.services.platform.db import open_database
from sdesk.services.platform.users import EmployeeRow, list_employees
from sdesk.ui.shell.identity_dialog import IdentityDialog
from tests.conftest import build_sample_database

STAFF = (("KM", "Kim Klant", "klantmanager", "Wmo", "kim.klant"),
         ("CO", "Carla Controller", "controller", "Control", None))


@pytest.fixture
def staffed_db(tmp_path: Path) -> Path:
    path = tmp_path / "sdesk.sqlite"
    engine = build_sample_database(path)
    with engine.begin() as conn:
        for ext, name, role, team, account in STAFF:
            conn.exec_driver_sql("INSERT OR IGNORE INTO team (name) VALUES (?)", (team,))
            conn.exec_driver_sql(
                "INSERT INTO employee (external_id, name, role, team_id, account) VALUES "
                "(?, ?, ?, (SELECT id FROM team WHERE name = ?), ?)",
                (ext, name, role, team, account))
    engine.dispose()
    return path


def _views(path: Path) -> int:
    engine = open_database(path)
    try:
        return len(audit.list_events(engine, action=audit.VIEW))
    finally:
        engine.dispose()


def _close(startup: Startup) -> None:
    if startup.window is not None:
        startup.window.close()
    startup.dispose()


def _nobody() -> str | None:
    return None


def test_no_person_data_before_the_user_is_known(qtbot: QtBot, staffed_db: Path) -> None:
    seen: dict[str, object] = {}

    def choose(parent: QWidget | None, users: list[EmployeeRow]) -> EmployeeRow | None:
        window = startup.window
        assert window is not None and parent is window
        QApplication.processEvents()  # whatever would load behind the dialog, let it run
        page = window.households_page
        seen.update(engine=window.engine, households=page.household_model.rowCount(),
                    members=page.member_model.rowCount(), enabled=page.isEnabled(),
                    views=_views(staffed_db), users=[u.name for u in users])
        return next(u for u in users if u.role == "controller")

    startup = Startup(staffed_db, choose_user=choose, account=_nobody)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        assert startup.start()
    assert seen == {"engine": None, "households": 0, "members": 0, "enabled": False,
                    "views": 0, "users": ["Carla Controller", "Kim Klant"]}
    window = startup.window
    assert window is not None and window.actor.role == "controller"
    page = window.households_page
    qtbot.waitUntil(lambda: page.household_model.rowCount() == 3, timeout=10_000)
    assert all(r.external_id.startswith("H-") for r in page.household_model.rows())
    _close(startup)


def test_cancelling_who_are_you_closes_sdesk(qtbot: QtBot, staffed_db: Path) -> None:
    startup = Startup(staffed_db, choose_user=lambda _parent, _users: None, account=_nobody)
    with qtbot.waitSignal(startup.cancelled, timeout=20_000):
        assert startup.start()
    window = startup.window
    assert window is not None and not window.isVisible()
    assert window.engine is None and window.households_page.household_model.rowCount() == 0
    assert _views(staffed_db) == 0  # nothing was shown, so nothing was viewed
    _close(startup)


def test_the_os_account_picks_the_employee_without_asking(qtbot: QtBot,
                                                          staffed_db: Path) -> None:
    def never(_parent: QWidget | None, _users: list[EmployeeRow]) -> EmployeeRow | None:
        raise AssertionError("asked although the account maps to an employee")

    startup = Startup(staffed_db, choose_user=never, account=lambda: "Kim.Klant")
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    window = startup.window
    assert window is not None
    assert (window.actor.name, window.actor.role, window.actor.team) == (
        "Kim Klant", "klantmanager", "Wmo")
    assert "Kim Klant" in window.user_label.text()
    _close(startup)


def test_without_employees_sdesk_shows_pseudonyms_only(qtbot: QtBot,
                                                       sample_db_path: Path) -> None:
    startup = Startup(sample_db_path, choose_user=lambda *_: None, account=_nobody)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    window = startup.window
    assert window is not None and window.actor.role == "anoniem"
    page = window.households_page
    qtbot.waitUntil(lambda: page.household_model.rowCount() == 3, timeout=10_000)
    assert all(r.external_id.startswith("H-") and not r.names
               for r in page.household_model.rows())
    assert "Onbekende gebruiker" in window.user_label.text()
    _close(startup)


def test_an_unknown_user_id_is_said_and_then_asked(qtbot: QtBot, staffed_db: Path) -> None:
    errors: list[str] = []
    asked: list[int] = []

    def choose(_parent: QWidget | None, users: list[EmployeeRow]) -> EmployeeRow | None:
        asked.append(len(users))
        return users[1]

    startup = Startup(staffed_db, user="NIEMAND", choose_user=choose, account=_nobody,
                      report_error=lambda _p, text: errors.append(text))
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    assert errors and "Medewerker 'NIEMAND' bestaat niet" in errors[0]
    assert asked == [2]
    assert startup.window is not None and startup.window.actor.name == "Kim Klant"
    _close(startup)


def test_switching_user_rebuilds_the_pages(qtbot: QtBot, staffed_db: Path) -> None:
    choices = iter(["KM", "CO"])

    def choose(_parent: QWidget | None, users: list[EmployeeRow]) -> EmployeeRow | None:
        wanted = next(choices)
        return next(u for u in users if u.external_id == wanted)

    startup = Startup(staffed_db, choose_user=choose, account=_nobody)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    window = startup.window
    assert window is not None and window.actor.role == "klantmanager"
    window.switch_user_action.trigger()
    assert window.actor.role == "controller"
    assert window.households_page._actor.role == "controller"
    _close(startup)


def test_the_dialog_lists_staff_filters_and_esc_cancels(qtbot: QtBot,
                                                        staffed_db: Path) -> None:
    engine = open_database(staffed_db)
    users = list_employees(engine)
    engine.dispose()
    dialog = IdentityDialog(users, "jdoe")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Wie bent u?"
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [
        "Carla Controller – Controller (Control)", "Kim Klant – Klantmanager (Wmo)"]
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "'jdoe' is niet aan een medewerker gekoppeld" in texts
    assert not any(x in texts for x in ("Jansen", "111222333"))  # staff only, no clients
    assert not dialog.ok_button.isEnabled() and dialog.chosen is None
    dialog.filter_edit.setText("klant")
    assert dialog.chosen is not None and dialog.chosen.external_id == "KM"
    assert dialog.ok_button.isEnabled()
    # Esc in the real dialog: ask_user returns None (and sdesk then closes).
    QTimer.singleShot(0, lambda: qtbot.keyClick(QApplication.activeModalWidget() or dialog,
                                                Qt.Key.Key_Escape))
    assert ask_user(None, users) is None
