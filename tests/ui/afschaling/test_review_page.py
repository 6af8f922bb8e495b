"""Issue 4 on screen: the afschaling worklist, what-if, decisions and the business case, on a
tiny demo municipality (claims up to 31-10-2026)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.afschaling.candidates import worklist
from sdesk.services.afschaling.decisions import what_if
from sdesk.services.afschaling.listing import Candidate
from sdesk.services.afschaling.results import business_case
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import LAW_SHORT, decimal, euro, group_thousands
from sdesk.ui.afschaling.models import CandidateTableModel
from sdesk.ui.afschaling.page import TAB_CASE, ReviewPage
from sdesk.ui.shell.widgets import from_qdate, to_qdate
from tests.integration.exchange_data import dump

AT = date(2026, 10, 31)
WAIT = 30_000


@pytest.fixture
def km(demo_engine: Engine) -> Actor:
    """A klantmanager of the demo (reviews are recorded in their name)."""
    with demo_engine.connect() as conn:
        eid = conn.exec_driver_sql(
            "SELECT id FROM employee WHERE role = 'klantmanager' ORDER BY id").first()[0]
    return Actor("Kim Klantmanager", "klantmanager", int(eid))


@pytest.fixture
def page(qtbot: QtBot, demo_engine: Engine, km: Actor, boxes: list[tuple[str, str]]
         ) -> Iterator[ReviewPage]:
    widget = ReviewPage(km)
    qtbot.addWidget(widget)
    widget.resize(1210, 710)
    with qtbot.waitSignal(widget.worklist_loaded, timeout=WAIT):
        widget.set_engine(demo_engine)
        widget.show()
    qtbot.waitUntil(lambda: not widget.is_busy(), timeout=WAIT)
    yield widget
    widget.shut_down()
    assert QThreadPool.globalInstance().waitForDone(WAIT)
    assert boxes == []


def _db(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def _cell(page: ReviewPage, row: int, column: int) -> str:
    return page.model.data(page.model.index(row, column))


def _choose(qtbot: QtBot, page: ReviewPage, combo: Any, value: str | None) -> None:
    with qtbot.waitSignal(page.worklist_loaded, timeout=WAIT):
        combo.setCurrentIndex(combo.findData(value))


def _select(qtbot: QtBot, page: ReviewPage, pick: Any) -> Candidate:
    """Select the first row for which pick(candidate) holds; wait for its first what-if."""
    row = next(n for n, c in enumerate(page.model.rows()) if pick(c))
    with qtbot.waitSignal(page.what_if_shown, timeout=WAIT):
        page.view.selectRow(row)
    assert page.candidate is not None
    return page.candidate


def test_defaults_rows_and_summary(page: ReviewPage, demo_engine: Engine, km: Actor) -> None:
    assert page.at() == AT  # the last day with data
    expected = worklist(demo_engine, km, AT)
    assert page.model.rowCount() == len(expected) > 0
    numbers = [c.toewijzingnummer for c in page.model.rows()]
    assert numbers == [c.toewijzingnummer for c in expected.rows]
    savings = [c.expected_saving_cents for c in page.model.rows()]
    assert savings == sorted(savings, reverse=True)
    first = expected.rows[0]
    assert _cell(page, 0, CandidateTableModel.COL_PERSON) == first.bsn
    assert _cell(page, 0, CandidateTableModel.COL_SAVING) == euro(first.expected_saving_cents)
    assert _cell(page, 0, CandidateTableModel.COL_COST) == euro(first.annual_cost_cents)
    tip = page.model.data(page.model.index(0, CandidateTableModel.COL_RULES),
                          0x03)  # ToolTipRole
    assert first.fired[0].explanation in tip
    summary = page.summary_label.text()
    assert f"{expected.summary.candidates} kandidaten" in summary
    assert euro(expected.summary.expected_saving_total_cents) in summary
    assert f"Lange duur {expected.summary.by_rule['long_duration']}" in summary


def test_team_employee_and_law_filters(page: ReviewPage, qtbot: QtBot, demo_engine: Engine,
                                       km: Actor) -> None:
    _choose(qtbot, page, page.team_combo, "Wmo")
    assert page.model.rowCount() == len(worklist(demo_engine, km, AT, team="Wmo")) > 0
    assert {c.team for c in page.model.rows()} == {"Wmo"}
    employee = page.model.rows()[0]
    external = next(page.employee_combo.itemData(i) for i in range(page.employee_combo.count())
                    if (page.employee_combo.itemText(i) or "").startswith(employee.employee))
    _choose(qtbot, page, page.employee_combo, external)
    assert {c.employee for c in page.model.rows()} == {employee.employee}
    _choose(qtbot, page, page.law_combo, "jeugd")
    assert page.model.rowCount() == len(worklist(demo_engine, km, AT, law="jeugd",
                                                 team="Wmo", employee=external))


def test_controller_sees_pseudonyms(qtbot: QtBot, demo_engine: Engine) -> None:
    controller = Actor("Carla Controller", "controller")
    widget = ReviewPage(controller)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.worklist_loaded, timeout=WAIT):
        widget.set_engine(demo_engine)
        widget.show()
    expected = worklist(demo_engine, controller, AT)
    assert _cell(widget, 0, CandidateTableModel.COL_PERSON) == expected.rows[0].person
    assert expected.rows[0].bsn is None
    qtbot.waitUntil(lambda: not widget.is_busy(), timeout=WAIT)
    widget.shut_down()


def test_walk_filter_what_if_decide_and_business_case(
        page: ReviewPage, qtbot: QtBot, demo_engine: Engine, km: Actor) -> None:
    # Filter by a rule: only its candidates, as the service gives them.
    _choose(qtbot, page, page.rule_combo, "low_utilisation")
    expected = worklist(demo_engine, km, AT, rule="low_utilisation")
    assert [c.toewijzingnummer for c in page.model.rows()] == [
        c.toewijzingnummer for c in expected.rows]
    assert all("low_utilisation" in c.rules for c in page.model.rows())
    assert "Lage uitnutting" in page.summary_label.text()

    # What-if with a lower volume shows what_if's saving.
    c = _select(qtbot, page, lambda c: c.volume is not None and c.volume > 1)
    assert page.what_if_box.isEnabled()
    lower = round(c.volume / 2, 2)
    page.volume_spin.setValue(lower)
    qtbot.waitUntil(lambda: page.last_what_if is not None
                    and page.last_what_if.volume_after == lower, timeout=WAIT)
    # The panel keeps a proposed lighter product or end date; the reference asks the same.
    reference = what_if(demo_engine, km, c.toewijzingnummer, c.law, AT,
                        new_product_code=page.product_combo.currentData(), new_volume=lower,
                        new_end_date=from_qdate(page.end_edit.date())
                        if page.end_check.isChecked() else None)
    assert reference.annual_saving_cents > 0
    assert page.result_labels["run_rate_saving"].text() == euro(reference.annual_saving_cents)
    assert page.result_labels["run_rate_after"].text() == euro(
        reference.annual_run_rate_after_cents)
    assert page.result_labels["commitment_saving"].text() == euro(
        reference.commitment_saving_cents)
    assert euro(reference.annual_saving_cents) in page.decision_hint.text()

    # Record the decision (scale_down): stored with the what-if values; the row leaves.
    page.decision_combo.setCurrentIndex(page.decision_combo.findData("scale_down"))
    page.notes_edit.setPlainText("Gesprek gevoerd")
    with qtbot.waitSignal(page.decision_recorded, timeout=WAIT) as recorded:
        page.record_button.click()
    with demo_engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT r.decision, r.new_volume, r.review_date, r.expected_annual_saving_cents, "
            "r.notes, r.employee_id FROM review r WHERE r.id = ?", (recorded.args[0],)).one()
    assert tuple(row) == ("scale_down", lower, AT.isoformat(),
                          reference.annual_saving_cents, "Gesprek gevoerd", km.employee_id)
    assert c.toewijzingnummer not in [x.toewijzingnummer for x in page.model.rows()
                                      if x.law == c.law]
    assert page.candidate is None and not page.what_if_box.isEnabled()
    assert "Besluit vastgelegd" in page.status_label.text()

    # The business case on screen is business_case(...) for the same inputs.
    page.fte_spin.setValue(2.5)
    page.cost_spin.setValue(90_000)
    with qtbot.waitSignal(page.case_loaded, timeout=WAIT):
        page.tabs.setCurrentIndex(TAB_CASE)
    qtbot.waitUntil(lambda: page.case is not None and page.case.fte == 2.5
                    and page.case.cost_per_fte_cents == 9_000_000 and not page.is_busy(),
                    timeout=WAIT)
    case = business_case(demo_engine, AT, 2.5, 9_000_000, since=date(2025, 11, 1))
    assert case.review_count == 1
    labels = page.case_labels
    assert labels["reviews"].text() == "1"
    assert labels["expected"].text() == euro(case.expected_annual_saving_cents)
    assert labels["realised"].text() == euro(case.realised_saving_cents)
    assert labels["realised_year"].text() == euro(case.realised_saving_per_year_cents)
    assert labels["capacity"].text() == euro(case.capacity_cost_cents) == "€ 225.000,00"
    assert labels["return"].text() == decimal(case.return_on_capacity or 0.0, 2)
    outcomes = {page.outcome_model.data(page.outcome_model.index(r, 0)):
                (page.outcome_model.data(page.outcome_model.index(r, 1)),
                 page.outcome_model.data(page.outcome_model.index(r, 2)))
                for r in range(page.outcome_model.rowCount())}
    assert outcomes["Afschalen"] == ("1", "100,0 %")
    assert outcomes["Beëindigen"] == ("0", "0,0 %")
    assert page.employee_model.rowCount() == len(case.by_employee) == 1
    assert page.employee_model.data(page.employee_model.index(0, 2)) == euro(
        case.by_employee[0].expected_annual_saving_cents)
    assert page.outcome_chart is not None
    assert page.outcome_chart.values == [o.count for o in case.outcomes]


def test_exports_ask_the_purpose_and_are_logged(
        page: ReviewPage, qtbot: QtBot, demo_engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, export_purpose: list[str]) -> None:
    targets = iter([tmp_path / "werklijst.xlsx", tmp_path / "business_case"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(next(targets)), "Excel-werkmappen (*.xlsx)"))
    with qtbot.waitSignal(page.workbook_written, timeout=WAIT) as written:
        page.worklist_export_button.click()
    book = load_workbook(written.args[0], read_only=True)
    assert book.sheetnames == ["Werklijst", "Regels"]
    book.close()

    with qtbot.waitSignal(page.case_loaded, timeout=WAIT):
        page.tabs.setCurrentIndex(TAB_CASE)
    with qtbot.waitSignal(page.workbook_written, timeout=WAIT) as written:
        page.case_export_button.click()
    assert written.args[0] == str(tmp_path / "business_case.xlsx")
    book = load_workbook(written.args[0], read_only=True)
    assert "Business case" in book.sheetnames
    book.close()

    assert export_purpose == ["asked", "asked"]
    events = audit.list_events(demo_engine, action=audit.EXPORT)
    objects = [e.object for e in events]
    assert any("werklijst afschaling" in (o or "") for o in objects)
    assert any("business case afschaling" in (o or "") for o in objects)
    assert all(e.purpose == "test" for e in events)
    wl_event = next(e for e in events if "werklijst" in (e.object or ""))
    assert wl_event.row_count == page.model.rowCount()


def test_invalid_what_if_shows_the_message_and_writes_nothing(
        page: ReviewPage, qtbot: QtBot, demo_engine: Engine) -> None:
    _select(qtbot, page, lambda c: c.volume is not None)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    before = dump(_db(demo_engine))
    page.volume_spin.setValue(0.0)
    qtbot.waitUntil(lambda: page.what_if_message.isVisible(), timeout=WAIT)
    assert "groter dan 0" in page.what_if_message.text()
    assert page.last_what_if is None
    assert page.result_labels["run_rate_saving"].text() == ""
    # An end date before the peildatum: the service's message as well.
    page.volume_spin.setValue(1.0)
    page.end_check.setChecked(True)
    page.end_edit.setDate(to_qdate(AT - timedelta(days=10)))
    qtbot.waitUntil(lambda: "vóór de peildatum" in page.what_if_message.text(), timeout=WAIT)
    assert page.what_if_message.isVisible()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert dump(_db(demo_engine)) == before


def test_decision_on_an_ended_allocation_shows_the_message(
        page: ReviewPage, qtbot: QtBot, demo_engine: Engine) -> None:
    c = _select(qtbot, page, lambda c: c.end is not None)
    assert c.end is not None
    page.decision_combo.setCurrentIndex(page.decision_combo.findData("stop"))
    page.review_date_edit.setDate(to_qdate(c.end + timedelta(days=1)))
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    before = dump(_db(demo_engine))
    with qtbot.waitSignal(page.decision_refused, timeout=WAIT) as refused:
        page.record_button.click()
    assert "is beëindigd op" in refused.args[0]
    assert page.decision_message.isVisible()
    assert page.decision_message.text() == refused.args[0]
    assert dump(_db(demo_engine)) == before
    assert page.model.rowCount() > 0 and page.candidate is not None


def test_rule_parameters_dialog_refuses_and_applies(
        page: ReviewPage, qtbot: QtBot, demo_engine: Engine, km: Actor) -> None:
    dialog = page.edit_rules()
    dialog.fields["ending_soon_weeks"].setValue(0)
    dialog.accept()
    assert dialog.isVisible()
    assert "minstens 1" in dialog.message.text() and dialog.message.isVisible()
    assert page.params is None
    count = page.model.rowCount()

    dialog.fields["ending_soon_weeks"].setValue(30)
    with qtbot.waitSignal(page.worklist_loaded, timeout=WAIT):
        dialog.accept()
    assert page.params is not None and page.params.ending_soon_weeks == 30
    expected = worklist(demo_engine, km, AT, page.params)
    assert page.model.rowCount() == len(expected) >= count
    assert f"Einddatum nadert {group_thousands(expected.summary.by_rule['ending_soon'])}" in (
        page.summary_label.text())


def _claim_up_to(engine: Engine, last_day: date) -> None:
    """A claim for the month ending on last_day, as an import would add it."""
    from sdesk.services.platform.cache import bump

    with engine.begin() as conn:
        allocation = conn.exec_driver_sql("SELECT min(id) FROM allocation").scalar()
        conn.exec_driver_sql(
            "INSERT INTO claim (claim_key, allocation_id, period_start, period_end, "
            "amount_cents, rejected) VALUES (?, ?, ?, ?, 100, 0)",
            (f"test-{last_day}", allocation, last_day.replace(day=1).isoformat(),
             last_day.isoformat()))
        bump(conn)


def test_peildatum_follows_new_data_until_the_user_picks_one(
        page: ReviewPage, qtbot: QtBot, demo_engine: Engine) -> None:
    team = page.team_combo.itemData(1)
    _choose(qtbot, page, page.team_combo, team)
    _claim_up_to(demo_engine, date(2026, 11, 30))
    with qtbot.waitSignal(page.worklist_loaded, timeout=WAIT):
        page.mark_dirty()  # what the main window does after an import
    assert page.at() == date(2026, 11, 30)
    assert page.review_date_edit.date() == to_qdate(date(2026, 11, 30))
    assert page.team_combo.currentData() == team  # the filters stay
    assert page.worklist is not None and page.worklist.at == date(2026, 11, 30)

    with qtbot.waitSignal(page.worklist_loaded, timeout=WAIT):
        page.set_at(date(2026, 9, 30))
    _claim_up_to(demo_engine, date(2026, 12, 31))
    with qtbot.waitSignal(page.worklist_loaded, timeout=WAIT):
        page.mark_dirty()
    assert page.at() == date(2026, 9, 30)  # the user's choice stands
    assert page.worklist is not None and page.worklist.at == date(2026, 9, 30)


def test_rows_are_built_only_when_shown(page: ReviewPage) -> None:
    """A long worklist (the demo's, thirty times over) builds Candidates only for the rows the
    table shows and the 200 its column widths measure."""
    import dataclasses

    wl = page.worklist
    assert wl is not None
    long = dataclasses.replace(wl, frame=pd.concat([wl.frame] * 30, ignore_index=True))
    page._show_worklist(long)
    assert page.model.rowCount() == len(long) == 30 * len(wl)
    built = page.model._rows._built  # type: ignore[attr-defined]
    assert 0 < len(built) <= 250 < len(long)
    assert page.model.row_at(len(long) - 1) == long.candidate(len(long) - 1)


def test_sorting_matches_the_columns(page: ReviewPage) -> None:
    """Sorting uses keys computed from the worklist's columns, which must order the rows
    exactly as the columns' own sort keys do; ties keep their order on screen, so one sort
    builds on the one before."""
    from PySide6.QtCore import Qt

    from sdesk.ui.shell.table_models import RowTableModel

    wl = page.worklist
    assert wl is not None and len(wl) > 10
    expected = list(wl.rows)
    for column, spec in enumerate(CandidateTableModel.columns):
        key = RowTableModel._sort_key(spec)
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            page.model.sort(column, order)
            expected.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
            shown = [page.model.row_at(n).allocation_id for n in range(len(wl))]
            assert shown == [c.allocation_id for c in expected], (spec.header, order)
    # Law, then provider: within a provider the rows stay grouped by law.
    page.model.sort(CandidateTableModel.COL_LAW, Qt.SortOrder.AscendingOrder)
    page.model.sort(CandidateTableModel.COL_PROVIDER, Qt.SortOrder.AscendingOrder)
    pairs = [((c.provider or "").casefold(), LAW_SHORT[c.law].casefold())
             for c in (page.model.row_at(n) for n in range(len(wl)))]
    assert pairs == sorted(pairs) and len({law for _, law in pairs}) > 1


def test_selection_survives_sorting(page: ReviewPage, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    chosen = _select(qtbot, page, lambda c: True)
    page.model.sort(CandidateTableModel.COL_PROVIDER, Qt.SortOrder.AscendingOrder)
    assert page.selected_candidate() == chosen
    n = page.model.find(chosen.toewijzingnummer, chosen.law)
    assert n is not None and page.model.row_at(n) == chosen
    assert page.model.find("bestaat niet") is None
