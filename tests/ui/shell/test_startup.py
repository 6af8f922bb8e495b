"""Start-up: first-start choice, database opened off the GUI thread, errors as messages."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from sdesk.app import Startup
from sdesk.ui.shell.first_start_dialog import FirstStartDialog


class Recorder:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.asked: list[Path] = []

    def report(self, _parent: QWidget | None, text: str) -> None:
        self.errors.append(text)


def _close(startup: Startup) -> None:
    if startup.window is not None:
        startup.window.close()
    startup.dispose()


def test_existing_database_opens_without_asking(qtbot: QtBot, sample_db_path: Path) -> None:
    rec = Recorder()
    startup = Startup(sample_db_path, choose_start=lambda p: rec.asked.append(p) or "empty",
                      report_error=rec.report)
    with qtbot.waitSignal(startup.ready, timeout=10_000):
        assert startup.start()
    assert rec.asked == [] and rec.errors == []
    assert startup.window is not None and startup.window.engine is not None
    _close(startup)


def test_first_start_quit_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nieuw.sqlite"
    startup = Startup(db, choose_start=lambda _p: None)
    assert startup.start() is False
    assert not db.exists() and startup.window is None


def test_first_start_empty_database(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "leeg" / "sdesk.sqlite"
    startup = Startup(db, choose_start=lambda _p: "empty")
    with qtbot.waitSignal(startup.ready, timeout=10_000):
        startup.start()
    assert db.exists()
    window = startup.window
    assert window is not None
    qtbot.waitUntil(lambda: "0 huishoudens" in window.counts_label.text(), timeout=5000)
    _close(startup)


def test_first_start_demo_runs_in_background_with_progress(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import sdesk.services.demo as demo  # the face the application reads; stubbed for speed

    calls: dict[str, object] = {}

    def fake_generate_demo(engine, size="small", seed=1, until=None, progress=None):  # noqa: ANN001, ANN202
        from sdesk.models import Household
        from sdesk.services.platform.db import session_factory

        calls.update(size=size, seed=seed, thread=threading.get_ident())
        if progress is not None:
            progress(0.5, "Personen maken")
        with session_factory(engine).begin() as session:
            session.add(Household(external_id="DEMO1"))
        if progress is not None:
            progress(1.0, "Klaar")
        return object()

    monkeypatch.setattr(demo, "generate_demo", fake_generate_demo)
    db = tmp_path / "demo.sqlite"
    startup = Startup(db, choose_start=lambda _p: "demo")
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    assert calls["size"] == "small" and calls["seed"] == 1
    assert calls["thread"] != threading.get_ident()
    assert startup.progress_dialog is None  # closed when done
    window = startup.window
    assert window is not None
    qtbot.waitUntil(lambda: "1 huishoudens" in window.counts_label.text(), timeout=5000)
    _close(startup)


def test_unreadable_database_is_a_message_not_a_traceback(qtbot: QtBot,
                                                         tmp_path: Path) -> None:
    db = tmp_path / "kapot.sqlite"
    db.write_bytes(b"dit is geen database" * 100)
    rec = Recorder()
    startup = Startup(db, report_error=rec.report, passphrase_prompt=lambda *_: None)
    with qtbot.waitSignal(startup.failed, timeout=10_000) as blocker:
        startup.start()
    assert rec.errors and "geen leesbare sdesk-database" in rec.errors[0]
    assert blocker.args == [rec.errors[0]]
    _close(startup)


def test_first_start_dialog_defaults_to_demo(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = FirstStartDialog(tmp_path / "x.sqlite")
    qtbot.addWidget(dialog)
    assert dialog.choice == "demo"
    dialog.empty_radio.setChecked(True)
    assert dialog.choice == "empty"
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert str(tmp_path / "x.sqlite") in texts
    assert dialog.start_button.text() == "Starten"


def test_encrypted_database_asks_for_the_passphrase(qtbot: QtBot, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from sdesk.services.platform.db import open_database
    from sdesk.services.platform.encryption import encrypt

    monkeypatch.delenv("SDESK_PASSPHRASE", raising=False)
    db = tmp_path / "geheim.sqlite"
    open_database(db).dispose()
    encrypt(db, "correct paard batterij")
    asked: list[str] = []

    def prompt(_parent: object, message: str) -> str | None:
        asked.append(message)
        return "verkeerd wachtwoord" if len(asked) == 1 else "correct paard batterij"

    startup = Startup(db, report_error=Recorder().report, passphrase_prompt=prompt)
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    assert "versleuteld" in asked[0] and "Onjuist wachtwoord" in asked[1]
    _close(startup)


def test_chosen_user_role_is_applied_and_shown(qtbot: QtBot, tmp_path: Path) -> None:
    from sdesk.services.exchange.importer import import_sources
    from sdesk.services.platform.db import open_database

    db = tmp_path / "rollen.sqlite"
    engine = open_database(db)
    folder = tmp_path / "staf"
    folder.mkdir()
    (folder / "medewerkers.csv").write_text(
        "medewerker_id;naam;rol;team\nC1;Carla Controller;controller;Control\n")
    assert import_sources(engine, [folder]).ok
    engine.dispose()
    startup = Startup(db, choose_user=lambda _parent, users: users[0])
    with qtbot.waitSignal(startup.ready, timeout=20_000):
        startup.start()
    window = startup.window
    assert window is not None
    assert window.actor.role == "controller" and not window.actor.sees_identity
    assert window.households_page._actor.role == "controller"
    assert "Controller" in window.user_label.text() and "Carla" in window.windowTitle()
    _close(startup)
