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
    s = wl.summary
    assert s.capacity_per_month == round(20 * s.team_fte)
    assert f"Capaciteit: {s.capacity_per_month} beoordelingen per maand" in text
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


def test_the_list_is_a_month_of_work_and_the_rest_on_request(qtbot: QtBot,
                                                              demo_engine: Engine) -> None:
    """#16 item 4 on screen: the summary says how much of the list the team reviews in a
    month and that the rest is under 'Alle kandidaten'; the check box asks for it."""
    from sdesk.services.afschaling import RuleParameters

    km = Actor("Kim Klantmanager", "klantmanager")
    slow = RuleParameters(reviews_per_fte_month=0.5)
    wl = worklist(demo_engine, km, AT, slow)
    s = wl.summary
    assert 0 < s.candidates == s.capacity_per_month == int(0.5 * s.team_fte) < s.qualifying
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.show_worklist(wl, None)
    text = panel.summary_label.text()
    assert f"Alle {s.qualifying} kandidaten zijn" in text
    assert f"{s.beyond_capacity} met een lagere verwachte besparing staan onder " \
           "'Alle kandidaten'" in text
    assert panel.filters()["everything"] is False
    with qtbot.waitSignal(panel.filters_changed, timeout=1000):
        panel.everything_check.setChecked(True)
    assert panel.filters()["everything"] is True
    every = worklist(demo_engine, km, AT, slow, everything=True)
    assert len(every) == s.qualifying
    panel.show_worklist(every, None)
    assert "staan onder 'Alle kandidaten'" not in panel.summary_label.text()


def test_signals_are_shown_apart_from_the_reasons(qtbot: QtBot, demo_engine: Engine) -> None:
    """#16 item 2 on screen: the Regels column names the reasons, then the signals that only
    raise the priority."""
    km = Actor("Kim Klantmanager", "klantmanager")
    wl = worklist(demo_engine, km, AT, everything=True)
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.show_worklist(wl, None)
    signalled = [n for n, c in enumerate(wl.rows)
                 if {"high_cost", "long_duration", "stacking"} & set(c.rules)]
    assert signalled, "the demo has candidates with a signal"
    n = signalled[0]
    c = wl.rows[n]
    titles = {"high_cost": "Hoge kosten", "long_duration": "Lange duur",
              "stacking": "Stapeling", "ending_soon": "Einddatum nadert",
              "open_ended_unreviewed": "Geen einddatum, niet beoordeeld",
              "high_intensity": "Hoge intensiteit", "low_utilisation": "Lage uitnutting",
              "no_claims": "Geen declaraties", "lighter_product": "Lichter product"}
    reasons = [titles[r] for r in c.rules if r not in {"high_cost", "long_duration",
                                                        "stacking"}]
    signals = [titles[r] for r in c.rules if r in {"high_cost", "long_duration", "stacking"}]
    assert reasons  # nothing is on the list for a signal alone
    assert _cell(panel, n, M.COL_RULES) == (f"{', '.join(reasons)}; signaal: "
                                            f"{', '.join(signals)}")
    assert wl.frame.loc[n, "priority"] == ("hoog" if "high_cost" in c.rules else "verhoogd")
