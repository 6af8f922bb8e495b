"""The audit page lists events, checks the chain and exports with a purpose."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from sdesk.services.platform import audit
from sdesk.services.platform.actor import SYSTEM
from sdesk.services.platform.db import open_database
from sdesk.ui.shell.audit_page import AuditPage


def test_list_verify_export(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            export_purpose: list[str]) -> None:
    engine = open_database(tmp_path / "a.sqlite")
    audit.log(engine, SYSTEM, audit.VIEW, "huishouden H1", 3)
    audit.log(engine, SYSTEM, audit.IMPORT, "map", 10)
    page = AuditPage(SYSTEM)
    qtbot.addWidget(page)
    page.set_engine(engine)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)
    page.verify()
    qtbot.waitUntil(lambda: "in orde" in page.result_label.text(), timeout=5000)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)  # the check is logged
    target = tmp_path / "log.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    page.export()
    qtbot.waitUntil(lambda: "geëxporteerd" in page.result_label.text(), timeout=5000)
    assert export_purpose == ["asked"]
    assert "huishouden H1" in target.read_text(encoding="utf-8-sig")
    exports = audit.list_events(engine, action="export")
    assert exports[0].purpose == "test" and exports[0].row_count == 3
    engine.dispose()
