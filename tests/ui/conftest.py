from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QThreadPool
from PySide6.QtWidgets import QApplication


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
    from sdesk.ui.dialogs import purpose_dialog

    asked: list[str] = []

    def answer(_parent: object, offer_internal: bool = False) -> tuple[str, bool]:
        asked.append("asked")
        return "test", False

    monkeypatch.setattr(purpose_dialog, "ask_purpose", answer)
    return asked
