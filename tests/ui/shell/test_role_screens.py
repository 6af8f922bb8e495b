"""Issue 14 on screen: what a role may not do is disabled with a tooltip that says why (the
services refuse it anyway), a klantmanager's lists start at their own team, and the lists a
screen shows are logged once per query -- not on every repaint.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from sdesk.services.platform import audit
from sdesk.services.platform.permissions import ALL_TEAMS
from sdesk.services.platform.users import actor_for
from sdesk.ui.shell.main_window import PAGE_AUDIT, PAGE_REVIEW, MainWindow
from tests.integration.platform.test_permissions import World, build_world

WAIT = 20_000
PERSONS = "Als controller mag u geen gegevens per persoon of huishouden exporteren."


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "scherm.sqlite", tmp_path / "uit")
    yield w
    w.engine.dispose()


def _window(qtbot: QtBot, world: World, employee: str) -> MainWindow:
    win = MainWindow(Path(str(world.engine.url.database)), actor_for(world.engine, employee))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    with qtbot.waitSignal(win.households_page.search_finished, timeout=WAIT):
        win.attach_engine(world.engine)
        win.show()
    return win


def _settle(win: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not win.households_page.tasks.is_busy()
                    and not win.review_page.is_busy(), timeout=WAIT)


def test_controller_sees_disabled_actions_with_the_reason(qtbot: QtBot, world: World) -> None:
    win = _window(qtbot, world, "CO")
    overview = win.households_page.overview_panel
    win.households_page.show_overview()
    qtbot.waitUntil(lambda: overview.overview is not None, timeout=WAIT)
    for button in (overview.pdf_button, overview.excel_button):
        assert not button.isEnabled() and button.toolTip().startswith(PERSONS)
    case = overview.case_panel
    for button in (case.start_button, case.evaluate_button, case.save_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Als controller mag u geen trajecten")
    cost_map = win.cost_map_page
    for button in (cost_map.add_button, cost_map.edit_button, cost_map.delete_button):
        assert not button.isEnabled()
        assert button.toolTip().startswith("Als controller mag u de kostenkaart niet wijzigen")
    budget = win.budget_page
    assert not budget.forecast_button.isEnabled()
    assert budget.forecast_button.toolTip().startswith("Als controller mag u geen prognoses")
    assert budget.edit_forecast(None) is None
    win.show_page(PAGE_REVIEW)
    review = win.review_page
    qtbot.waitUntil(lambda: review.worklist is not None and len(review.worklist) > 0,
                    timeout=WAIT)
    review.view.selectRow(0)
    qtbot.waitUntil(lambda: review.candidate is not None, timeout=WAIT)
    assert not review.record_button.isEnabled()
    assert review.record_button.toolTip().startswith(
        "Als controller mag u geen afschalingsbesluiten vastleggen.")
    assert not review.worklist_export_button.isEnabled()
    assert review.worklist_export_button.toolTip() == PERSONS + (
        " Dat mag een klantmanager, procescoördinator of teamleider.")
    assert review.candidate.toewijzingnummer.startswith("T-")
    win.show_page(PAGE_AUDIT)
    page = win.audit_page
    assert page.view.isHidden() and page.model.rowCount() == 0
    assert "Als controller mag u de auditlog niet inzien" in page.result_label.text()
    assert page.verify_button.isEnabled()  # checking the chain shows no content
    _settle(win, qtbot)
    win.close()


def test_klantmanager_starts_at_own_team_and_may_choose_all(qtbot: QtBot,
                                                            world: World) -> None:
    win = _window(qtbot, world, "KM")
    page = win.households_page
    assert page.own_team_check.isVisible() and page.own_team_check.isChecked()
    assert page.own_team_check.text() == "Alleen mijn team (Wmo)"
    assert [r.external_id for r in page.household_model.rows()] == ["H001"]
    with qtbot.waitSignal(page.search_finished, timeout=WAIT) as done:
        page.own_team_check.setChecked(False)
    assert done.args == [3]
    win.show_page(PAGE_REVIEW)
    review = win.review_page
    qtbot.waitUntil(lambda: review.worklist is not None, timeout=WAIT)
    assert review.team_combo.currentData() == "Wmo"
    assert review.team_combo.itemData(0) == ALL_TEAMS
    assert review.record_button.toolTip() == ""  # the klantmanager may decide
    _settle(win, qtbot)
    win.close()


def test_screens_log_each_list_once_not_each_repaint(qtbot: QtBot, world: World) -> None:
    win = _window(qtbot, world, "PC")
    page = win.households_page
    qtbot.waitUntil(lambda: page.allocation_model.rowCount() > 0, timeout=WAIT)
    _settle(win, qtbot)

    def views() -> list[tuple[str, int | None]]:
        return [(e.object or "", e.row_count) for e in reversed(
            audit.list_events(world.engine, action=audit.VIEW))]

    logged = views()
    # The search (3 households), the first household's members, the first member's allocations.
    assert logged == [("huishoudens gezocht op '' (team: alle teams)", 3),
                      ("leden huishouden H001", 2), ("toewijzingen persoon P001", 2)]
    assert page.household_model.rowCount() == 3 and page.member_model.rowCount() == 2
    for _ in range(5):  # repaints, scrolling, reading cells: no new events
        win.repaint()
        for view in (page.household_view, page.member_view, page.allocation_view):
            model = view.model()
            for row in range(model.rowCount()):
                model.data(model.index(row, 0))
        QApplication.processEvents()
    assert views() == logged
    # Opening a worklist row is a view of that allocation, logged with its history.
    win.show_page(PAGE_REVIEW)
    review = win.review_page
    qtbot.waitUntil(lambda: review.worklist is not None and len(review.worklist) > 0,
                    timeout=WAIT)
    review.view.selectRow(0)
    qtbot.waitUntil(lambda: any("geopend" in o for o, _ in views()), timeout=WAIT)
    opened = [o for o, _ in views() if "geopend" in o]
    assert opened == [f"toewijzing {review.candidate.toewijzingnummer} "
                      f"({review.candidate.law}) geopend met beoordelingen"]
    _settle(win, qtbot)
    win.close()

