from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication
from sqlalchemy import Engine


@pytest.fixture(autouse=True)
def qt_sandbox(qapp: QApplication, sdesk_home: Path) -> Iterator[None]:
    """QSettings go to the test's SDESK_HOME; no worker thread may outlive its test."""
    qapp.setOrganizationName("sdesk-tests")
    qapp.setApplicationName("sdesk-tests")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(sdesk_home / "qsettings"))
    yield
    assert QThreadPool.globalInstance().waitForDone(10_000), "background task still running"
    # Results queued by tasks that just finished must not leak into the next test.
    QApplication.processEvents()


@pytest.fixture(autouse=True)
def export_purpose(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Exports ask their purpose in a modal dialog; tests answer it here (and can inspect
    how often it was asked)."""
    from sdesk.ui.shell import purpose_dialog

    asked: list[str] = []

    def answer(_parent: object, offer_internal: bool = False) -> tuple[str, bool]:
        asked.append("asked")
        return "test", False

    monkeypatch.setattr(purpose_dialog, "ask_purpose", answer)
    return asked


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One tiny demo municipality for the screen tests, copied for each test that uses it
    (generating it takes a moment)."""
    import os

    from sdesk.services.demo.generator import generate_demo
    from sdesk.services.platform.db import open_database

    home = tmp_path_factory.mktemp("demo_home")
    previous = os.environ.get("SDESK_HOME")
    os.environ["SDESK_HOME"] = str(home)
    try:
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        engine = open_database(path)
        generate_demo(engine, size="tiny", seed=1)
        engine.dispose()
    finally:
        if previous is None:
            os.environ.pop("SDESK_HOME", None)
        else:
            os.environ["SDESK_HOME"] = previous
    return path


@pytest.fixture
def demo_engine(demo_template: Path, tmp_path: Path) -> Iterator[Engine]:
    import shutil

    from sdesk.services.platform.db import open_database

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    engine = open_database(path)
    yield engine
    engine.dispose()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes are recorded instead of blocking the test."""
    from typing import Any

    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def record(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, record)
    return shown
