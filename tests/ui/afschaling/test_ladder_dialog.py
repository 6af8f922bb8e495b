"""The "Productladders" dialog (#16 point 3) on the hand-made municipality of
tests/integration/afschaling/test_ladder_store.py (peildatum 30-06-2025): the default ladder
of Begeleiding is 02A02 (€ 78,00) > 02A01 (€ 70,00) > 02A05 (€ 52,00 per dagdeel); 02A06
(€ 65,00 per uur) is in the tariff table but nobody has it; 01A01 belongs to category 01."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.afschaling import save_ladder
from sdesk.services.exchange import import_sources
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.db import open_database
from sdesk.services.platform.users import actor_for
from sdesk.ui.afschaling.ladder_dialog import LadderDialog, ProductPicker
from tests.integration.afschaling.test_ladder_store import (
    ALLOCATIONS,
    HEADER,
    STAFF,
    TARIFFS,
)
from tests.integration.exchange_data import BASE, dump, write_folder

AT = date(2025, 6, 30)
REFUSED = ("Als klantmanager mag u de productladders niet beheren. Dat mag een "
           "procescoördinator of teamleider.")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    engine = open_database(tmp_path / "ladders.sqlite")
    data = {"huishoudens": BASE["huishoudens"], "personen": BASE["personen"],
            "medewerkers": STAFF, "tarieven": TARIFFS, "toewijzingen": [HEADER, *ALLOCATIONS]}
    result = import_sources(engine, [write_folder(tmp_path / "bron", data)])
    assert result.ok, [str(i) for i in result.issues]
    yield engine
    engine.dispose()


def _dialog(qtbot: QtBot, db: Engine, actor: Actor) -> LadderDialog:
    dialog = LadderDialog(db, actor, AT)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _table(model: object) -> list[list[str]]:
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())]  # type: ignore[attr-defined]
            for r in range(model.rowCount())]  # type: ignore[attr-defined]


def _stored(db: Engine) -> list[tuple[str, str, str, int, str]]:
    with db.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(  # type: ignore[misc]
            "SELECT l.law, l.category, l.status, r.position, r.product_code FROM product_ladder l "
            "JOIN product_ladder_rung r ON r.ladder_id = l.id ORDER BY l.law, l.category, "
            "r.position")]


def test_lists_default_and_own_ladders(qtbot: QtBot, db: Engine) -> None:
    pc = actor_for(db, "M2")
    save_ladder(db, pc, "wmo", "01", ["01A01", "02A06"])
    dialog = _dialog(qtbot, db, pc)
    assert _table(dialog.ladder_model) == [
        ["Wmo", "01", "Hulp bij het huishouden", "Eigen ladder"],
        ["Wmo", "02", "Begeleiding", "Standaard"]]
    assert _table(dialog.rung_model) == [  # the first ladder is shown
        ["01A01", "Hulp bij het huishouden", "€ 34,50", "Uur"],
        ["02A06", "", "€ 65,00", "Uur"]]
    assert dialog.state_label.text().startswith("Eigen ladder, bevestigd door Pim Coördinator op ")
    dialog.ladder_view.selectRow(1)
    assert _table(dialog.rung_model) == [
        ["02A02", "Begeleiding specialistisch", "€ 78,00", "Uur"],
        ["02A01", "Begeleiding regulier", "€ 70,00", "Uur"],
        ["02A05", "Begeleiding groep", "€ 52,00", "Dagdeel (4 uur)"]]
    assert dialog.state_label.text().startswith("Standaardladder: ")
    assert "een tarief alleen maakt nog geen trede" in dialog.intro.text()
    assert "Participatiewet hebben geen ladder" in dialog.intro.text()
    # Keyboard: every action has a mnemonic, the tables have names.
    for button in (dialog.up_button, dialog.down_button, dialog.add_button,
                   dialog.remove_button, dialog.confirm_button, dialog.off_button,
                   dialog.reset_button, dialog.close_button):
        assert "&" in button.text()
    assert dialog.ladder_view.accessibleName() and dialog.rung_view.accessibleName()


def test_move_add_remove_and_confirm_store_the_order(qtbot: QtBot, db: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    pc = actor_for(db, "M2")
    dialog = _dialog(qtbot, db, pc)
    dialog.ladder_view.selectRow(1)  # wmo 02, the default
    dialog.rung_view.selectRow(2)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)  # 02A05 off
    dialog.rung_view.selectRow(1)
    qtbot.mouseClick(dialog.up_button, Qt.MouseButton.LeftButton)  # 02A01 above 02A02
    assert [r.product_code for r in dialog.rungs()] == ["02A01", "02A02"]
    assert dialog.rung_view.currentIndex().row() == 0
    assert "Gewijzigd, nog niet bevestigd." in dialog.state_label.text()

    offered: dict[str, str | None] = {}

    def pick(picker: ProductPicker) -> int:
        for i in range(picker.list.count()):
            item = picker.list.item(i)
            code = item.text().split()[0]
            enabled = bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)
            offered[code] = None if enabled else item.toolTip()
            item.setSelected(code == "02A06")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ProductPicker, "exec", pick)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    # Addable first; what is on the ladder or of another category greyed, saying why.
    assert list(offered) == ["02A03", "02A05", "02A06", "01A01", "02A01", "02A02", "02A08"]
    assert offered["02A03"] is offered["02A05"] is offered["02A06"] is None
    assert offered["02A01"] == offered["02A02"] == "Staat al op de ladder."
    assert offered["01A01"] is not None and "categorie 01" in offered["01A01"]
    assert offered["02A08"] is not None and "geen eenheid" in offered["02A08"]
    # Inserted below the chosen rung (02A01).
    assert [r.product_code for r in dialog.rungs()] == ["02A01", "02A06", "02A02"]
    qtbot.mouseClick(dialog.down_button, Qt.MouseButton.LeftButton)
    assert [r.product_code for r in dialog.rungs()] == ["02A01", "02A02", "02A06"]

    assert _stored(db) == []
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert not dialog.message.isVisible(), dialog.message.text()
    assert _stored(db) == [("wmo", "02", "eigen", 0, "02A01"), ("wmo", "02", "eigen", 1, "02A02"),
                           ("wmo", "02", "eigen", 2, "02A06")]
    assert _table(dialog.ladder_model)[1] == ["Wmo", "02", "Begeleiding", "Eigen ladder"]
    assert [r.product_code for r in dialog.rungs()] == ["02A01", "02A02", "02A06"]
    assert dialog.changed

    # A refusal is shown under the rungs and nothing is written.
    before = dump(Path(str(db.url.database)))
    dialog.rung_view.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible()
    assert dialog.message.text().startswith("Een eigen ladder heeft minstens 2 treden (nu 1)")
    assert dump(Path(str(db.url.database))) == before

    # Uitzetten, then back to the default.
    qtbot.mouseClick(dialog.off_button, Qt.MouseButton.LeftButton)
    assert _table(dialog.ladder_model)[1][3] == "Uitgezet" and dialog.rungs() == []
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert _table(dialog.ladder_model)[1][3] == "Standaard"
    assert [r.product_code for r in dialog.rungs()] == ["02A02", "02A01", "02A05"]
    with qtbot.waitSignal(dialog.finished) as closed:
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert closed.args == [QDialog.DialogCode.Accepted]  # a ladder changed


def test_read_only_for_a_klantmanager(qtbot: QtBot, db: Engine) -> None:
    km = actor_for(db, "M1")
    before = dump(Path(str(db.url.database)))
    dialog = _dialog(qtbot, db, km)
    dialog.ladder_view.selectRow(1)
    dialog.rung_view.selectRow(1)
    for button in (dialog.up_button, dialog.down_button, dialog.add_button,
                   dialog.remove_button, dialog.confirm_button, dialog.off_button,
                   dialog.reset_button):
        assert not button.isEnabled()
        assert button.toolTip() == REFUSED
    assert dialog.close_button.isEnabled()
    assert "Bevestig" not in dialog.state_label.text()  # no instruction they cannot follow
    dialog.confirm()  # even when called, nothing is written
    dialog.switch_off()
    assert dump(Path(str(db.url.database))) == before
    with qtbot.waitSignal(dialog.finished) as closed:
        dialog.reject()
    assert closed.args == [QDialog.DialogCode.Rejected]


def test_the_page_opens_the_dialog_and_recomputes_after_a_change(
        qtbot: QtBot, demo_engine: Engine, boxes: list[tuple[str, str]]) -> None:
    from sdesk.ui.afschaling.page import ReviewPage

    with demo_engine.connect() as conn:
        eid = conn.exec_driver_sql(
            "SELECT id FROM employee WHERE role = 'procescoordinator' ORDER BY id").scalar()
    page = ReviewPage(Actor("Pia Procesregie", "procescoordinator", int(eid)))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.worklist_loaded, timeout=30_000):
        page.set_engine(demo_engine)
        page.show()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30_000)
    assert page.ladders_button.text() == "Produ&ctladders…"
    first = page.edit_ladders()
    assert first is not None and first.isVisible() and first.windowTitle() == "Productladders"
    with qtbot.assertNotEmitted(page.worklist_loaded, wait=200):
        first.reject()  # nothing changed: no new worklist
    qtbot.mouseClick(page.ladders_button, Qt.MouseButton.LeftButton)
    dialog = page.ladder_dialog
    assert dialog is not None and dialog is not first
    row = next(i for i, r in enumerate(dialog.ladder_model.rows()) if len(r.rungs) >= 2)
    dialog.ladder_view.selectRow(row)
    dialog.switch_off()
    assert dialog.changed and not dialog.message.isVisible()
    with qtbot.waitSignal(page.worklist_loaded, timeout=30_000):
        dialog.reject()
    page.shut_down()
    assert QThreadPool.globalInstance().waitForDone(30_000)
    assert boxes == []
