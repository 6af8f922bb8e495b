"""The main window on the hand-made municipality from tests/conftest.py."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.ui.household.models import AllocationTableModel, HouseholdTableModel, MemberTableModel
from sdesk.ui.shell.main_window import (
    PAGE_BUDGET,
    PAGE_COST_MAP,
    PAGE_DASHBOARD,
    PAGE_HOUSEHOLDS,
    PAGE_IMPORT,
    PAGE_PORTFOLIO,
    PAGE_REVIEW,
    PAGE_TITLES,
    MainWindow,
)


@pytest.fixture
def window(qtbot: QtBot, sample_db_path: Path, sample_engine: Engine) -> Iterator[MainWindow]:
    win = MainWindow(sample_db_path, SYSTEM)
    qtbot.addWidget(win)
    page = win.households_page
    # The whole chain: search, first household's members, first member's allocations.
    with qtbot.waitSignal(page.allocations_loaded, timeout=10_000):
        win.attach_engine(sample_engine)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()


def _cells(model: object, column: int) -> list[str]:
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]  # type: ignore[attr-defined]


def test_opens_with_households_and_counts(window: MainWindow, qtbot: QtBot,
                                          sample_db_path: Path) -> None:
    assert window.current_page() == PAGE_HOUSEHOLDS
    assert _cells(window.households_page.household_model, HouseholdTableModel.COL_ID) == [
        "H001", "H002", "H003"]
    assert str(sample_db_path) in window.db_label.text()
    qtbot.waitUntil(lambda: "3 huishoudens" in window.counts_label.text(), timeout=5000)
    assert "3 personen" in window.counts_label.text()
    assert "3 toewijzingen" in window.counts_label.text()


@pytest.mark.parametrize("key, page", [
    (Qt.Key.Key_2, PAGE_REVIEW), (Qt.Key.Key_3, PAGE_DASHBOARD), (Qt.Key.Key_4, PAGE_BUDGET),
    (Qt.Key.Key_5, PAGE_IMPORT), (Qt.Key.Key_6, PAGE_PORTFOLIO), (Qt.Key.Key_7, PAGE_COST_MAP),
    (Qt.Key.Key_1, PAGE_HOUSEHOLDS)])
def test_ctrl_number_switches_page(window: MainWindow, qtbot: QtBot, key: Qt.Key,
                                   page: int) -> None:
    start = PAGE_IMPORT if page == PAGE_HOUSEHOLDS else PAGE_HOUSEHOLDS
    window.show_page(start)
    qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == page
    assert window.nav.currentRow() == page


def test_ctrl_f_focuses_search(window: MainWindow, qtbot: QtBot) -> None:
    window.show_page(PAGE_BUDGET)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() == PAGE_HOUSEHOLDS
    qtbot.waitUntil(window.households_page.search_edit.hasFocus, timeout=2000)


def test_search_shows_members_and_allocations(window: MainWindow, qtbot: QtBot) -> None:
    page = window.households_page
    with qtbot.waitSignal(page.search_finished, timeout=10_000):
        qtbot.keyClicks(page.search_edit, "jansen")
    qtbot.waitUntil(lambda: page.allocation_model.rowCount() == 2, timeout=10_000)
    assert _cells(page.household_model, HouseholdTableModel.COL_ID) == ["H001"]
    assert _cells(page.member_model, MemberTableModel.COL_NAME) == [
        "Jansen, Petra", "Jansen, Tim"]
    assert _cells(page.member_model, MemberTableModel.COL_BSN) == ["111222333", "123456782"]
    # The first member (Petra) is selected: her Wmo budget and bijstand.
    assert _cells(page.allocation_model, AllocationTableModel.COL_LAW) == [
        "Wmo", "Participatiewet"]
    assert "Petra" in page.allocation_title.text()

    with qtbot.waitSignal(page.allocations_loaded, timeout=10_000):
        page.member_view.selectRow(1)
    model = page.allocation_model
    assert _cells(model, AllocationTableModel.COL_CATEGORY) == ["45 Jeugdhulp ambulant"]
    assert _cells(model, AllocationTableModel.COL_OMVANG) == ["3 × Uur per week"]
    assert _cells(model, AllocationTableModel.COL_TARIFF) == ["€ 34,50"]
    assert _cells(model, AllocationTableModel.COL_ANNUAL) == ["€ 5.382,00"]
    assert _cells(model, AllocationTableModel.COL_PROVIDER) == ["Jeugdzorg Twente BV"]


def test_search_without_results(window: MainWindow, qtbot: QtBot) -> None:
    page = window.households_page
    with qtbot.waitSignal(page.search_finished, timeout=10_000) as blocker:
        page.search_edit.setText("bestaat-niet")
    assert blocker.args == [0]
    assert page.result_label.text() == "Geen huishoudens gevonden"
    assert page.member_model.rowCount() == 0


def test_controller_sees_pseudonyms(qtbot: QtBot, sample_db_path: Path,
                                    sample_engine: Engine) -> None:
    win = MainWindow(sample_db_path, Actor("controller", "controller"))
    qtbot.addWidget(win)
    page = win.households_page
    with qtbot.waitSignal(page.members_loaded, timeout=10_000):
        win.attach_engine(sample_engine)
    names = _cells(page.member_model, MemberTableModel.COL_NAME)
    assert all(n.startswith("P-") for n in names)
    assert page.member_view.isColumnHidden(MemberTableModel.COL_BSN)
    assert page.household_view.isColumnHidden(HouseholdTableModel.COL_NAMES)


def test_ctrl_i_opens_import_dialog(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(window, "import_dialog", None) is not None
                    and window.import_dialog.isVisible(), timeout=2000)
    assert window.import_dialog.windowTitle() == "Gegevens importeren"
    window.import_dialog.close()


def test_import_is_disabled_until_database_is_open(qtbot: QtBot, tmp_path: Path) -> None:
    win = MainWindow(tmp_path / "nog-niet-open.sqlite", SYSTEM)
    qtbot.addWidget(win)
    assert not win.import_action.isEnabled()
    assert not win.households_page.isEnabled()
    assert win.counts_label.text() == "Database openen…"


def test_escape_clears_search_only_in_the_search_field(window: MainWindow,
                                                       qtbot: QtBot) -> None:
    page = window.households_page
    page.search_edit.setText("jansen")
    page.household_view.setFocus()
    qtbot.keyClick(page.household_view, Qt.Key.Key_Escape)
    assert page.search_edit.text() == "jansen"
    page.focus_search()
    qtbot.keyClick(page.search_edit, Qt.Key.Key_Escape)
    assert page.search_edit.text() == ""
    with qtbot.waitSignal(page.search_finished, timeout=10_000):
        pass  # let the debounced search of the cleared text finish inside this test


def test_pages_are_one_list_driven_through_the_page_protocol(
        window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Navigation, stack and the window's calls all go over `window.pages`: the database
    for each, a refresh marks each dirty, closing shuts each down."""
    assert [title for title, _page in window.pages] == list(PAGE_TITLES)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(PAGE_TITLES)
    assert [window.stack.widget(i) for i in range(window.stack.count())] == [
        page for _title, page in window.pages]
    assert window.households_page is window.pages[PAGE_HOUSEHOLDS][1]
    assert all(page.isEnabled() for _title, page in window.pages)  # all got the engine
    calls: list[tuple[str, str]] = []
    for title, page in window.pages:
        monkeypatch.setattr(page, "mark_dirty", lambda t=title: calls.append(("dirty", t)))
        monkeypatch.setattr(page, "shut_down", lambda t=title: calls.append(("down", t)))
    window.refresh()
    assert calls == [("dirty", title) for title in PAGE_TITLES]
    calls.clear()
    window.close()
    assert calls == [("down", title) for title in PAGE_TITLES]


def test_a_new_user_gets_new_pages(window: MainWindow, qtbot: QtBot) -> None:
    """The pages that show person data are built anew for another role; the import page
    (no person data) stays."""
    before = dict(window.pages)
    window.show_page(PAGE_REVIEW)
    controller = Actor("Carla Controller", "controller")
    window.set_actor(controller)
    after = dict(window.pages)
    assert after["Import/Export"] is before["Import/Export"]
    assert all(after[t] is not before[t] for t in PAGE_TITLES if t != "Import/Export")
    assert window.households_page._actor is controller
    assert window.current_page() == PAGE_REVIEW
    assert window.stack.currentWidget() is window.review_page
    qtbot.waitUntil(lambda: not window.review_page.is_busy()
                    and not window.households_page.tasks.is_busy(), timeout=30_000)
