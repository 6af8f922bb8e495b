"""#16 items 4 and 8 on screen: the worklist shows the client's name to roles that see
identity (no name column for the controller) and the chance behind every expected saving."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.afschaling.candidates import worklist
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import euro
from sdesk.ui.afschaling.models import CandidateTableModel
from sdesk.ui.afschaling.worklist_panel import WorklistPanel

AT = date(2026, 10, 31)
M = CandidateTableModel


def _cell(panel: WorklistPanel, row: int, column: int) -> str:
    return str(panel.model.data(panel.model.index(row, column)))


def test_the_klantmanager_sees_names_and_chances(qtbot: QtBot, demo_engine: Engine) -> None:
    km = Actor("Kim Klantmanager", "klantmanager")
    wl = worklist(demo_engine, km, AT)
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.show_worklist(wl, None)
    first = wl.rows[0]
    assert first.person_name
    assert _cell(panel, 0, M.COL_NAME) == first.person_name
    assert _cell(panel, 0, M.COL_PERSON) == first.bsn
    assert not panel.view.isColumnHidden(M.COL_NAME)
    assert _cell(panel, 0, M.COL_CHANCE) == first.chance_text
    assert first.chance_text.endswith("(standaard)")  # the demo records no decisions
    assert first.expected_saving_cents == round(first.chance * first.saving_if_done_cents)
    tip = panel.model.data(panel.model.index(0, M.COL_SAVING), 0x03)  # ToolTipRole
    assert euro(first.saving_if_done_cents) in tip
    text = panel.summary_label.text()
    assert euro(wl.summary.expected_saving_total_cents) in text
    assert euro(wl.summary.saving_if_done_total_cents) in text
    assert "Capaciteit: 20 beoordelingen per maand" in text
    assert "Kansen:" in text and "(standaard)" in text


def test_the_controller_gets_no_names(qtbot: QtBot, demo_engine: Engine) -> None:
    controller = Actor("Carla Controller", "controller")
    wl = worklist(demo_engine, controller, AT)
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.show_worklist(wl, None)
    assert panel.view.isColumnHidden(M.COL_NAME)
    assert all(_cell(panel, i, M.COL_NAME) == "" for i in range(min(len(wl), 50)))
    assert _cell(panel, 0, M.COL_PERSON).startswith("P-")
