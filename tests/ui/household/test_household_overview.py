"""Issue 3 on screen: the household cost overview, a coordination case from T0 to T1, the
one-page PDF and the workbook, the Trajecten page and the cost map; on a tiny demo municipality."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.demo.generator import DEMO_UNTIL
from sdesk.services.household.coordination import (
    default_evaluation_date,
    evaluate_case,
    portfolio,
    start_case,
)
from sdesk.services.household.directory import search_households
from sdesk.services.household.overview import household_overview
from sdesk.services.household.package import FLAG_LABELS
from sdesk.services.platform.actor import SYSTEM
from sdesk.services.platform.periods import add_months
from sdesk.ui.household.households_page import TAB_OVERVIEW
from sdesk.ui.household.models import OverviewAllocationModel
from sdesk.ui.household.pdf import household_html, render_household_image
from sdesk.ui.household.portfolio_page import factsheet_sentence
from sdesk.ui.shell.main_window import PAGE_COST_MAP, PAGE_HOUSEHOLDS, PAGE_PORTFOLIO, MainWindow
from sdesk.ui.shell.widgets import to_qdate

AT = DEMO_UNTIL  # the last day of the demo's claims: every figure is "current" there
T0 = add_months(AT, -9)
USER = "systeem (procescoördinator)"



@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo_engine(demo_path: Path) -> Iterator[Engine]:
    from sdesk.services.platform.db import open_database

    engine = open_database(demo_path)
    yield engine
    engine.dispose()


def _two_law_household(engine: Engine) -> str:
    """A household with allocations under two laws on AT, preferably with other payers too."""
    candidates = [h for h in search_households(engine, SYSTEM, "", limit=1000)
                  if len(h.laws) >= 2]
    best = None
    for h in candidates:
        o = household_overview(engine, SYSTEM, h.external_id, AT)
        if "stapeling" in o.flags:
            if o.interventions:
                return h.external_id
            best = best or h.external_id
    assert best is not None, "the tiny demo has no household under two laws"
    return best


@pytest.fixture
def window(qtbot: QtBot, demo_path: Path, demo_engine: Engine) -> Iterator[MainWindow]:
    win = MainWindow(demo_path, SYSTEM)
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.households_page.search_finished, timeout=10_000):
        win.attach_engine(demo_engine)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _open_overview(qtbot: QtBot, win: MainWindow, household: str) -> Any:
    page = win.households_page
    panel = page.overview_panel
    panel.set_at(AT)
    win.open_household(household)
    qtbot.waitUntil(lambda: panel.overview is not None
                    and panel.overview.household_id == household
                    and panel.overview.at == AT, timeout=10_000)
    assert page.tabs.currentIndex() == TAB_OVERVIEW
    return panel


def _pdf_pages(path: Path) -> int:
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    return data.count(b"/Type /Page") - data.count(b"/Type /Pages")


def _case_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT id, intake_date, evaluation_date, status, attribution FROM "
            "coordination_case ORDER BY id")]


def _snapshot_count(engine: Engine, moment: str) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM coordination_snapshot WHERE moment = ?",
                                    (moment,)).scalar_one()


class _Boxes:
    """Stands in for QMessageBox's static calls and remembers what was said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch,
                 answer: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes) -> None:
        self.shown: list[tuple[str, str, str]] = []
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._record(kind))
        monkeypatch.setattr(QMessageBox, "question",
                            lambda *args, **kwargs: answer)

    def _record(self, kind: str) -> Any:
        def show(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.shown.append((kind, title, text))
            return QMessageBox.StandardButton.Ok
        return show


def test_overview_case_pdf_and_workbook(window: MainWindow, qtbot: QtBot, demo_engine: Engine,
                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = _Boxes(monkeypatch)
    household = _two_law_household(demo_engine)
    panel = _open_overview(qtbot, window, household)
    o = panel.overview
    assert o == household_overview(demo_engine, SYSTEM, household, AT)
    assert len({a.law for a in o.allocations if a.active}) >= 2

    # What the screen shows is the overview's own figures.
    model = panel.allocation_model
    assert model.rowCount() == len(o.allocations)
    annual = [model.data(model.index(r, OverviewAllocationModel.COL_ANNUAL))
              for r in range(model.rowCount())]
    assert all(a.startswith("€ ") for a in annual)
    assert FLAG_LABELS["stapeling"] in panel.flags_label.text()
    law_total = panel.law_model.rows()[-1]
    assert (law_total.label, law_total.cents) == ("Totaal", sum(o.totals_by_law.values()))
    payer_total = panel.payer_model.rows()[-1]
    assert payer_total.cents == o.total_annual_cost_cents
    assert panel.chart is not None
    assert sum(panel.chart.bar_values()) == pytest.approx(o.total_annual_cost_cents / 100)
    assert panel.pdf_button.isEnabled() and panel.excel_button.isEnabled()

    # Traject starten: the coordinator list puts procescoördinatoren first.
    case_panel = panel.case_panel
    panel.tabs.setCurrentIndex(1)
    assert case_panel.evaluate_button.isEnabled() is False
    case_panel.start_button.click()
    dialog = case_panel.start_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    assert "procescoördinator" in dialog.coordinator_combo.itemText(0)
    coordinator = dialog.coordinator_combo.currentData()
    dialog.intake_edit.setDate(to_qdate(T0))
    dialog.notes_edit.setPlainText("Vastgelopen gezin, veel hulpverleners")
    with qtbot.waitSignal(panel.overview_loaded, timeout=10_000):
        dialog.ok_button.click()
    c = panel.overview.coordination
    assert c is not None and c.status == "open" and c.t0_date == T0 and not c.t1_frozen
    assert c.notes == "Vastgelopen gezin, veel hulpverleners"
    assert not case_panel.start_button.isEnabled()  # one running case per household
    assert "Traject" in case_panel.info_label.text()
    assert [r[1:4] for r in _case_rows(demo_engine)] == [(T0.isoformat(), None, "open")]

    # Evalueren with the default T1, six months after T0.
    case_panel.evaluate_button.click()
    evaluation = case_panel.evaluate_dialog
    assert evaluation is not None
    assert evaluation.evaluation_edit.date() == to_qdate(default_evaluation_date(T0))
    with qtbot.waitSignal(panel.overview_loaded, timeout=10_000):
        evaluation.ok_button.click()
    c = panel.overview.coordination
    assert c.t1_frozen and c.status == "evaluated" and c.t1_date == default_evaluation_date(T0)
    rows = case_panel.payer_model.rows()
    assert rows[-1].total and rows[-1].t0_cents == sum(s.t0_cents for s in c.by_payer.values())
    assert [r.label for r in case_panel.bucket_model.rows()] == [
        "Jeugdhulp", "Wmo", "Participatiewet", "Overig gemeentelijk", "Overig maatschappelijk",
        "Totaal"]

    # Toerekening 60 %, saved through update_case.
    case_panel.attribution_spin.setValue(60)
    assert case_panel.save_button.isEnabled()
    with qtbot.waitSignal(panel.overview_loaded, timeout=10_000):
        case_panel.save_button.click()
    c = panel.overview.coordination
    assert c.attribution == pytest.approx(0.6)
    assert case_panel.attributed_label.text() == _euro(c.attributed_saving_cents)
    assert not case_panel.save_button.isEnabled()
    assert boxes.shown == []

    # PDF: exactly one page.
    pdf = tmp_path / "uit" / "overzicht"  # no suffix: the panel adds .pdf
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(pdf), "PDF-bestanden (*.pdf)"))
    with qtbot.waitSignal(panel.pdf_written, timeout=10_000) as written:
        panel.pdf_button.click()
    assert written.args == [str(pdf.with_suffix(".pdf"))]
    assert _pdf_pages(pdf.with_suffix(".pdf")) == 1

    # Workbook: opens, and holds the overview's totals.
    xlsx = tmp_path / "uit" / "overzicht.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(xlsx), "Excel-werkmappen (*.xlsx)"))
    with qtbot.waitSignal(panel.workbook_written, timeout=10_000):
        panel.excel_button.click()
    o = panel.overview
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Overzicht", "Toewijzingen", "Interventies", "T0-T1"]
    overview_sheet = wb["Overzicht"]
    labels = {overview_sheet.cell(row=r, column=1).value: overview_sheet.cell(row=r, column=2)
              for r in range(1, overview_sheet.max_row + 1)}
    assert labels["Jaarkosten totaal"].value == pytest.approx(o.total_annual_cost_cents / 100)
    assert labels["Gebruiker"].value == USER
    t0t1 = wb["T0-T1"]
    labels = {t0t1.cell(row=r, column=1).value: t0t1.cell(row=r, column=2)
              for r in range(1, t0t1.max_row + 1)}
    assert labels["Toegerekende besparing"].value == pytest.approx(
        o.coordination.attributed_saving_cents / 100)
    assert labels["Coördinator"].value == o.coordination.coordinator
    assert boxes.shown == []
    # Both exports are in the audit log, with their purpose.
    qtbot.waitUntil(lambda: len(_exports(demo_engine)) == 2, timeout=10_000)
    from sdesk.services.platform.audit import list_events

    assert [e.purpose for e in list_events(demo_engine, action="export")] == ["test", "test"]
    assert [e[1] for e in _exports(demo_engine)] == [SYSTEM.name] * 2
    exported = " | ".join(e[0] for e in _exports(demo_engine))
    assert "(PDF) -> overzicht.pdf" in exported and "(Excel) -> overzicht.xlsx" in exported
    assert coordinator is not None


def _exports(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT object, user FROM audit_event WHERE action = 'export' ORDER BY id")]


def _euro(cents: int) -> str:
    from sdesk.services.platform.text import euro

    return euro(cents)


def test_t1_before_t0_is_refused_with_the_services_message(
        window: MainWindow, qtbot: QtBot, demo_engine: Engine,
        monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = _Boxes(monkeypatch)
    household = _two_law_household(demo_engine)
    case_id = start_case(demo_engine, SYSTEM, household, T0)
    panel = _open_overview(qtbot, window, household)
    panel.tabs.setCurrentIndex(1)
    before = (_case_rows(demo_engine), _snapshot_count(demo_engine, "t0"),
              _snapshot_count(demo_engine, "t1"))

    panel.case_panel.evaluate_button.click()
    dialog = panel.case_panel.evaluate_dialog
    dialog.evaluation_edit.setDate(to_qdate(date(T0.year - 1, 1, 1)))
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.ok_button.click()
    assert len(boxes.shown) == 1
    kind, _title, text = boxes.shown[0]
    assert kind == "warning"
    assert text == failed.args[0]
    assert "ligt voor de intakedatum (T0)" in text
    assert dialog.isVisible() and dialog.ok_button.isEnabled()  # still open, to fix the date
    assert (_case_rows(demo_engine), _snapshot_count(demo_engine, "t0"),
            _snapshot_count(demo_engine, "t1")) == before
    assert before[0][0][2] is None  # not evaluated
    assert panel.overview.coordination.case_id == case_id
    assert not panel.overview.coordination.t1_frozen
    dialog.reject()


def test_second_running_case_is_refused(window: MainWindow, qtbot: QtBot, demo_engine: Engine,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The start button is off while a case runs; the service refuses a race all the same."""
    boxes = _Boxes(monkeypatch)
    household = _two_law_household(demo_engine)
    panel = _open_overview(qtbot, window, household)
    panel.tabs.setCurrentIndex(1)
    panel.case_panel.start_button.click()
    dialog = panel.case_panel.start_dialog
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    start_case(demo_engine, SYSTEM, household, T0)  # someone else was quicker
    with qtbot.waitSignal(dialog.failed, timeout=10_000):
        dialog.ok_button.click()
    assert boxes.shown and "loopt al een traject" in boxes.shown[0][2]
    assert len(_case_rows(demo_engine)) == 1
    dialog.reject()


def test_threshold_and_peildatum_recompute_the_overview(window: MainWindow, qtbot: QtBot,
                                                        demo_engine: Engine) -> None:
    household = _two_law_household(demo_engine)
    panel = _open_overview(qtbot, window, household)
    assert panel.threshold_spin.value() == 100_000
    assert panel.threshold_spin.text() == "€ 100.000"
    assert panel.at_edit.displayFormat() == "dd-MM-yyyy"
    total = panel.overview.total_annual_cost_cents
    assert total > 100
    with qtbot.waitSignal(panel.overview_loaded, timeout=10_000) as loaded:
        panel.threshold_spin.setValue(1)
    assert loaded.args[0].threshold_cents == 100
    assert "boven_drempel" in loaded.args[0].flags
    assert FLAG_LABELS["boven_drempel"] in panel.flags_label.text()
    earlier = add_months(AT, -3)
    with qtbot.waitSignal(panel.overview_loaded, timeout=10_000) as loaded:
        panel.at_edit.setDate(to_qdate(earlier))
    assert loaded.args[0] == household_overview(demo_engine, SYSTEM, household, earlier, 100)


def test_unwritable_export_paths_give_a_message(window: MainWindow, qtbot: QtBot,
                                                demo_engine: Engine, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = _Boxes(monkeypatch)
    panel = _open_overview(qtbot, window, _two_law_household(demo_engine))
    blocker = tmp_path / "een-bestand"
    blocker.write_text("geen map")
    for suffix in ("pdf", "xlsx"):
        target = blocker / f"overzicht.{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            lambda *args, t=target, **kwargs: (str(t), ""))
        with qtbot.waitSignal(panel.failed, timeout=10_000):
            (panel.pdf_button if suffix == "pdf" else panel.excel_button).click()
    assert [kind for kind, _title, _text in boxes.shown] == ["warning", "warning"]
    assert all("kan niet worden geschreven" in text for _kind, _title, text in boxes.shown)
    assert panel.excel_button.isEnabled()


def test_pdf_text_names_date_user_and_filters(demo_engine: Engine, qtbot: QtBot) -> None:
    from datetime import datetime

    household = _two_law_household(demo_engine)
    case_id = start_case(demo_engine, SYSTEM, household, T0)
    evaluate_case(demo_engine, SYSTEM, case_id)
    o = household_overview(demo_engine, SYSTEM, household, AT, threshold_cents=5_000_000)
    html = household_html(o, USER, datetime(2026, 11, 2, 14, 5))
    for text in (f"Kostenoverzicht huishouden {household}", "Peildatum:", "31-10-2026",
                 "drempel jaarkosten € 50.000,00", USER, "02-11-2026 14:05",
                 "Procescoördinatie: intake (T0)", "toegerekende besparing"):
        assert text in html
    image = render_household_image(o, USER)
    assert image.width() > image.height()  # A4 landscape


def test_portfolio_page_lists_cases_and_the_factsheet(window: MainWindow, qtbot: QtBot,
                                                      demo_engine: Engine) -> None:
    households = [h.external_id for h in search_households(demo_engine, SYSTEM, "", limit=3)]
    first = start_case(demo_engine, SYSTEM, households[0], T0, coordinator="M0002")
    evaluate_case(demo_engine, SYSTEM, first)
    start_case(demo_engine, SYSTEM, households[1], T0, coordinator="M0006")
    page = window.portfolio_page
    page.at_edit.setDate(to_qdate(AT))
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        window.show_page(PAGE_PORTFOLIO)
    shown = loaded.args[0]
    expected = portfolio(demo_engine, SYSTEM, AT)
    assert [r.household_id for r in shown.rows] == households[:2]
    assert page.model.rowCount() == 2
    sentence = page.factsheet_label.text()
    assert sentence == factsheet_sentence(expected)
    assert sentence.startswith("2 huishoudens, totale reductie € ")
    assert ", waarvan Participatiewet € " in sentence and ", overig maatschappelijk € " in sentence

    # Filter on one coordinator (in the service) and on status (here).
    index = page.coordinator_combo.findData("M0002")
    assert index > 0
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        page.coordinator_combo.setCurrentIndex(index)
    assert [r.household_id for r in loaded.args[0].rows] == households[:1]
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        page.coordinator_combo.setCurrentIndex(0)
    team = "Jeugd en Gezin"  # M0002's team in the demo; M0006 works in team Wmo
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        page.team_combo.setCurrentIndex(page.team_combo.findData(team))
    assert [r.household_id for r in loaded.args[0].rows] == households[:1]
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        page.team_combo.setCurrentIndex(0)
    with qtbot.waitSignal(page.loaded, timeout=10_000) as loaded:
        page.status_combo.setCurrentIndex(page.status_combo.findData("open"))
    assert [r.household_id for r in loaded.args[0].rows] == households[1:2]
    assert page.factsheet_label.text().startswith("1 huishouden, ")

    # Double-click opens the household's overview.
    panel = window.households_page.overview_panel
    with qtbot.waitSignal(panel.overview_loaded, timeout=10_000):
        page.view.doubleClicked.emit(page.model.index(0, 0))
    assert window.current_page() == PAGE_HOUSEHOLDS
    qtbot.waitUntil(lambda: panel.overview is not None
                    and panel.overview.household_id == households[1], timeout=10_000)


def _cost_map_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(
            "SELECT id, name, unit, price_cents, payer, year, source FROM cost_map_item "
            "ORDER BY id")]


@pytest.fixture
def cost_map_page(window: MainWindow, qtbot: QtBot) -> Any:
    page = window.cost_map_page
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.show_page(PAGE_COST_MAP)
    return page


def test_cost_map_lists_items_with_estimate_marker(cost_map_page: Any,
                                                   demo_engine: Engine) -> None:
    from sdesk.ui.household.models import CostMapTableModel

    model = cost_map_page.model
    assert model.rowCount() == len(_cost_map_rows(demo_engine)) > 0
    for r in range(model.rowCount()):
        item = model.row_at(r)
        marker = model.data(model.index(r, CostMapTableModel.COL_ESTIMATE))
        assert marker == ("Schatting" if item.is_estimate else "")
        price = model.data(model.index(r, CostMapTableModel.COL_PRICE))
        assert price.startswith("€ ")


def test_cost_map_refuses_an_item_without_price(cost_map_page: Any, qtbot: QtBot,
                                                demo_engine: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = _Boxes(monkeypatch)
    before = _cost_map_rows(demo_engine)
    cost_map_page.add_button.click()
    dialog = cost_map_page.item_dialog
    qtbot.keyClicks(dialog.name_edit, "Buurtbemiddeling")
    dialog.unit_combo.setCurrentText("per traject")
    dialog.price_edit.clear()
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as failed:
        dialog.ok_button.click()
    assert "er is geen prijs" in failed.args[0]
    assert [b[2] for b in boxes.shown] == [failed.args[0]]
    assert dialog.isVisible()
    assert _cost_map_rows(demo_engine) == before

    # A price that is no amount never reaches the service.
    dialog.price_edit.setText("veel")
    dialog.ok_button.click()
    assert "geen bedrag" in dialog.error_label.text()
    assert _cost_map_rows(demo_engine) == before
    dialog.reject()


def test_cost_map_add_edit_and_delete(cost_map_page: Any, qtbot: QtBot, demo_engine: Engine,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = _Boxes(monkeypatch)
    before = len(_cost_map_rows(demo_engine))
    cost_map_page.add_button.click()
    dialog = cost_map_page.item_dialog
    dialog.name_edit.setText("Buurtbemiddeling")
    dialog.unit_combo.setCurrentText("per traject")
    dialog.price_edit.setText("1.250,50")
    dialog.payer_combo.setCurrentIndex(dialog.payer_combo.findData("woningcorporatie"))
    dialog.estimate_check.setChecked(True)
    with qtbot.waitSignal(cost_map_page.loaded, timeout=10_000):
        dialog.ok_button.click()
    rows = _cost_map_rows(demo_engine)
    assert len(rows) == before + 1
    added = rows[-1]
    assert added[1:6] == ("Buurtbemiddeling", "per traject", 125_050, "woningcorporatie",
                          date.today().year)
    assert added[6] == "Schatting"
    selected = cost_map_page.selected_item()
    assert selected is not None and selected.id == added[0] and selected.is_estimate

    cost_map_page.edit_button.click()
    dialog = cost_map_page.item_dialog
    assert dialog.price_edit.text() == "1250,50"
    dialog.price_edit.setText("1300")
    with qtbot.waitSignal(cost_map_page.loaded, timeout=10_000):
        dialog.ok_button.click()
    assert _cost_map_rows(demo_engine)[-1][3] == 130_000

    with qtbot.waitSignal(cost_map_page.loaded, timeout=10_000):
        cost_map_page.delete_button.click()
    assert len(_cost_map_rows(demo_engine)) == before
    assert boxes.shown == []


def test_cost_map_item_in_use_cannot_be_deleted(cost_map_page: Any, qtbot: QtBot,
                                                demo_engine: Engine,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    boxes = _Boxes(monkeypatch)
    with demo_engine.connect() as conn:
        used = conn.exec_driver_sql(
            "SELECT cost_map_item_id FROM intervention WHERE cost_map_item_id IS NOT NULL "
            "LIMIT 1").scalar_one()
    ids = [cost_map_page.model.row_at(r).id for r in range(cost_map_page.model.rowCount())]
    cost_map_page.view.selectRow(ids.index(used))
    before = _cost_map_rows(demo_engine)
    with qtbot.waitSignal(cost_map_page.failed, timeout=10_000):
        cost_map_page.delete_button.click()
    assert "wordt gebruikt door" in boxes.shown[0][2]
    assert _cost_map_rows(demo_engine) == before


def test_controller_sees_pseudonyms_in_the_overview(qtbot: QtBot, demo_path: Path,
                                                    demo_engine: Engine) -> None:
    from sdesk.services.platform.actor import Actor, household_pseudonym

    household = _two_law_household(demo_engine)
    win = MainWindow(demo_path, Actor("controller", "controller"))
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.households_page.search_finished, timeout=10_000):
        win.attach_engine(demo_engine)
    win.show()
    # Issue 14: the controller opens the household by its pseudonym (no household ids).
    panel = _open_overview(qtbot, win, household_pseudonym(household))
    names = [m.name for m in panel.member_model.rows()]
    assert names and all(n.startswith("P-") for n in names)
    assert panel.member_view.isColumnHidden(0)
    win.close()
