"""Issue 5 on screen: the dashboard's tiles, trends, drill-down, team table and the council
workbook, on a tiny demo municipality (claims up to 31-10-2026)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPointF, Qt, QThreadPool
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.kpi.definitions import compute_kpis
from sdesk.services.kpi.teams import team_kpis
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import euro, group_thousands
from sdesk.ui.kpi.kpi_format import TILE_KEYS, change_text, value_text
from sdesk.ui.kpi.page import TAB_TEAMS, DashboardPage
from sdesk.ui.kpi.team_panel import TeamTableModel
from sdesk.ui.shell.charts import ChartHit
from sdesk.ui.shell.widgets import to_qdate

CONTROLLER = Actor("Carla Controller", "controller")
# Issue 14: a list per person is not exported by a controller; the teamleider may.
TEAMLEIDER = Actor("Tara Teamleider", "teamleider")
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))
WAIT = 30_000


@pytest.fixture
def page(request: pytest.FixtureRequest, qtbot: QtBot, demo_engine: Engine,
         boxes: list[tuple[str, str]]) -> Iterator[DashboardPage]:
    """The dashboard with its first results (default period, all laws, all teams) shown, for
    the controller unless a test asks for another actor (indirect parametrize)."""
    widget = DashboardPage(getattr(request, "param", CONTROLLER))
    qtbot.addWidget(widget)
    widget.resize(1210, 710)
    with qtbot.waitSignals([widget.kpis_loaded, widget.trends_loaded, widget.teams_loaded],
                           timeout=WAIT):
        widget.set_engine(demo_engine)
        widget.show()
    qtbot.waitUntil(lambda: not widget.is_busy(), timeout=WAIT)
    yield widget
    widget.shut_down()
    assert QThreadPool.globalInstance().waitForDone(WAIT)
    assert boxes == []


def _tile(page: DashboardPage, key: str) -> str:
    return page.tiles[key].value_label.text()


def test_default_period_is_the_last_full_year_and_tiles_match_the_kpis(
        page: DashboardPage, demo_engine: Engine) -> None:
    assert page.period() == YEAR_2025
    assert page.law() is None and page.team() is None
    k = compute_kpis(demo_engine, *YEAR_2025)
    assert page.comparison is not None and page.comparison.current == k
    assert _tile(page, "clients") == group_thousands(k.clients)
    assert _tile(page, "realised_cost") == euro(k.realised_cost_cents)
    assert _tile(page, "realised_cost").startswith("€ ") and "," in _tile(page, "realised_cost")
    for key in TILE_KEYS:
        assert _tile(page, key) == value_text(k, key)
    previous = compute_kpis(demo_engine, date(2024, 1, 1), date(2024, 12, 31))
    text, _direction = change_text("clients", k, previous)
    assert page.tiles["clients"].change_label.text() == text
    assert text[0] in "▲▼=" and text.endswith("%")
    tip = page.tiles["realised_cost"].toolTip()
    assert "Jaar eerder (01-01-2024 t/m 31-12-2024)" in tip
    assert euro(previous.realised_cost_cents) in tip


def test_changing_the_period_updates_the_tiles(page: DashboardPage, qtbot: QtBot,
                                               demo_engine: Engine) -> None:
    # The user types new dates: one recomputation after both edits (debounced).
    with qtbot.waitSignal(page.kpis_loaded, timeout=WAIT) as blocker:
        page.start_edit.setDate(to_qdate(date(2026, 1, 1)))
        page.end_edit.setDate(to_qdate(date(2026, 6, 30)))
    shown = blocker.args[0].current
    assert (shown.start, shown.end) == (date(2026, 1, 1), date(2026, 6, 30))
    k = compute_kpis(demo_engine, date(2026, 1, 1), date(2026, 6, 30))
    assert _tile(page, "realised_cost") == euro(k.realised_cost_cents)
    assert _tile(page, "inflow") == group_thousands(k.inflow)
    assert _tile(page, "top10_share") == value_text(k, "top10_share")

    # Quick choice: the last full quarter of the data.
    with qtbot.waitSignal(page.kpis_loaded, timeout=WAIT):
        page.quarter_button.click()
    assert page.period() == (date(2026, 7, 1), date(2026, 9, 30))
    k = compute_kpis(demo_engine, date(2026, 7, 1), date(2026, 9, 30))
    assert _tile(page, "clients") == group_thousands(k.clients)
    with qtbot.waitSignal(page.kpis_loaded, timeout=WAIT):
        page.this_year_button.click()
    assert page.period() == (date(2026, 1, 1), date(2026, 10, 31))


def test_law_and_team_filters_and_stale_results(page: DashboardPage, qtbot: QtBot,
                                                demo_engine: Engine) -> None:
    # Two changes in a row: only the last one's figures may end up on screen.
    page.law_combo.setCurrentIndex(page.law_combo.findData("jeugd"))
    page.law_combo.setCurrentIndex(page.law_combo.findData("wmo"))
    qtbot.waitUntil(lambda: not page.is_busy() and page.trend is not None
                    and page.trend.law == "wmo", timeout=WAIT)
    assert page.comparison is not None and page.comparison.current.law == "wmo"
    k = compute_kpis(demo_engine, *YEAR_2025, law="wmo")
    assert _tile(page, "clients") == group_thousands(k.clients)
    assert page.cost_chart is not None and set(page.cost_chart.series) == {"wmo"}

    team = page.team_combo.itemData(page.team_combo.count() - 1)
    assert team
    with qtbot.waitSignal(page.kpis_loaded, timeout=WAIT):
        page.team_combo.setCurrentIndex(page.team_combo.count() - 1)
    k = compute_kpis(demo_engine, *YEAR_2025, law="wmo", team=team)
    assert _tile(page, "clients") == group_thousands(k.clients)
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=WAIT)
    assert page.trend is not None and (page.trend.law, page.trend.team) == ("wmo", team)


def test_trend_charts_show_the_history(page: DashboardPage, demo_engine: Engine) -> None:
    trend = page.trend
    assert trend is not None and trend.quarters
    chart = page.cost_chart
    assert chart is not None and set(chart.series) == {"jeugd", "wmo", "participatie"}
    # The monthly figures are the service's, in euros; no months before the first claim.
    first = trend.monthly.iloc[0]
    assert chart.series[first["law"]][0] == pytest.approx(first["realised_cents"] / 100)
    assert trend.monthly.groupby("month")["realised_cents"].sum().iloc[0] > 0
    # Only full quarters with claims, ending on or before the last day with data.
    assert all(q.end <= date(2026, 10, 31) for q in trend.quarters)
    assert page.flow_chart is not None
    assert page.flow_chart.series["inflow"] == [q.inflow for q in trend.quarters]
    q = trend.quarters[-1]
    assert q == compute_kpis(demo_engine, q.start, q.end)
    # Constant prices: a toggle, same chart, the deflated series.
    page.constant_check.setChecked(True)
    constant = trend.monthly[trend.monthly["law"] == "jeugd"]["constant_cents"].tolist()
    assert chart.series["jeugd"] == pytest.approx([c / 100 for c in constant])
    assert "prijzen" in chart.title_label.text()
    assert page.referrer_chart is not None and page.referrer_chart.keys


def test_drilldown_from_a_referrer_bar_adds_up(page: DashboardPage, qtbot: QtBot) -> None:
    chart = page.referrer_chart
    assert chart is not None and page.comparison is not None
    code = chart.keys[1]
    with qtbot.waitSignal(page.drilldown_opened, timeout=WAIT) as opened:
        chart.hit.emit(ChartHit("referrer", 1, code))
    dialog = opened.args[0]
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        pass
    rows = dialog.model.rows()
    assert rows
    figure = page.comparison.current.cost_by_referrer_cents[code]
    assert sum(r.realised_cents for r in rows) == figure
    assert {r.referrer for r in rows} == {code}
    assert all(r.person.startswith("P-") for r in rows)  # the controller sees pseudonyms
    assert euro(figure) in dialog.summary_label.text()
    dialog.close()


def test_click_on_a_month_drills_down_to_that_month(page: DashboardPage, qtbot: QtBot,
                                                    demo_engine: Engine) -> None:
    chart = page.cost_chart
    assert chart is not None
    index = len(chart.slots) - 3
    value = chart.series["wmo"][index]
    assert value is not None
    # A real left click on the Wmo point, through pyqtgraph's scene.
    from sdesk.ui.shell.charts import timestamp

    box = chart.plot.getViewBox()
    scene_point = box.mapViewToScene(QPointF(timestamp(chart.slots[index]), value))
    widget_point = chart.plot_widget.mapFromScene(scene_point)
    with qtbot.waitSignal(chart.hit, timeout=WAIT) as hit:
        qtbot.mouseClick(chart.plot_widget.viewport(), Qt.MouseButton.LeftButton,
                         pos=widget_point)
    assert hit.args[0] == ChartHit("cost", index, "wmo")
    dialog = page.drill_dialog
    assert dialog is not None
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        pass
    month = chart.slots[index]
    assert dialog.request.start == month and dialog.request.law == "wmo"
    assert dialog.total_cents() == round(value * 100)
    dialog.close()

    # Inflow bars drill down to the persons counted in that quarter.
    flow = page.flow_chart
    assert flow is not None and page.trend is not None
    quarter = page.trend.quarters[-2]
    page.on_chart_hit(ChartHit("flow", len(page.trend.quarters) - 2, "inflow"))
    dialog = page.drill_dialog
    with qtbot.waitSignal(dialog.loaded, timeout=WAIT):
        pass
    assert len({r.person for r in dialog.rows}) == quarter.inflow
    dialog.close()


@pytest.mark.parametrize("page", [TEAMLEIDER], indirect=True)
def test_drilldown_exports_to_excel(page: DashboardPage, qtbot: QtBot, tmp_path: Path,
                                    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                    export_purpose: list[str]) -> None:
    target = tmp_path / "uitsplitsing"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    page.tiles["clients"].clicked.emit("clients")
    dialog = page.drill_dialog
    assert dialog is not None and dialog.request.kind == "clients"
    qtbot.waitUntil(lambda: bool(dialog.rows), timeout=WAIT)
    assert page.comparison is not None
    assert len({r.person for r in dialog.rows}) == page.comparison.current.clients
    with qtbot.waitSignal(dialog.exported, timeout=WAIT) as done:
        dialog.export_button.click()
    path = Path(done.args[0])
    assert path == target.with_suffix(".xlsx")
    sheet = load_workbook(path).active
    assert sheet["A4"].value == "Persoon"
    assert sheet["K5"].number_format == '"€" #,##0.00'
    assert sheet.cell(row=4 + len(dialog.rows) + 1, column=11).value.startswith("=SUM(")
    dialog.close()
    # The export asked its purpose, and that purpose is in the audit log.
    assert export_purpose == ["asked"]
    with demo_engine.connect() as conn:
        action, obj, rows, purpose = conn.exec_driver_sql(
            "SELECT action, object, row_count, purpose FROM audit_event "
            "ORDER BY id DESC LIMIT 1").one()
    assert (action, rows, purpose) == ("export", len(dialog.rows), "test")
    assert obj.endswith(path.name)


def test_team_tab(page: DashboardPage, qtbot: QtBot, demo_engine: Engine) -> None:
    page.tabs.setCurrentIndex(TAB_TEAMS)
    model = page.team_panel.model
    expected = team_kpis(demo_engine, *YEAR_2025)
    assert model.rows() == expected
    team_rows = [n for n, r in enumerate(model.rows()) if r.employee is None]
    first = model.index(team_rows[0], TeamTableModel.COL_NAME)
    assert model.data(first, Qt.ItemDataRole.FontRole).bold()
    employee = model.index(team_rows[0] + 1, TeamTableModel.COL_NAME)
    assert model.data(employee, Qt.ItemDataRole.FontRole) is None
    assert model.data(employee).startswith("\u2003")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert {"Caseload", "Per fte", "Beoordelingen", "Afschalen"} <= set(headers)
    # The team picker narrows the table to that team.
    team = expected[team_rows[-1]].team
    with qtbot.waitSignal(page.teams_loaded, timeout=WAIT):
        page.team_combo.setCurrentIndex(page.team_combo.findData(team))
    assert {r.team for r in model.rows()} == {team}


def test_council_workbook_from_the_dashboard(page: DashboardPage, qtbot: QtBot,
                                             tmp_path: Path, demo_engine: Engine,
                                             monkeypatch: pytest.MonkeyPatch,
                                             export_purpose: list[str]) -> None:
    target = tmp_path / "raad.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    assert not page.internal_check.isChecked()
    with qtbot.waitSignal(page.workbook_written, timeout=WAIT):
        page.export_button.click()
    workbook = load_workbook(target)
    assert {"Kengetallen", "Trends", "Begroting"} <= set(workbook.sheetnames)
    assert "01-01-2025 t/m 31-12-2025" in workbook["Kengetallen"]["A2"].value
    assert "afgeschermd" in workbook["Kengetallen"]["A3"].value
    begroting = workbook["Begroting"]
    formulas = [c.value for row in begroting.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert any(f.startswith("=SUM(") for f in formulas)
    assert any("IF(" in f for f in formulas)
    # openpyxl does not read charts back: look for them in the file itself.
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert any(n.startswith("xl/charts/chart") for n in names)
        sheets = {name: archive.read(name).decode() for name in names
                  if name.startswith("xl/worksheets/sheet")}
    trends_index = workbook.sheetnames.index("Trends") + 1
    assert "<drawing" in sheets[f"xl/worksheets/sheet{trends_index}.xml"]
    # The export and its purpose are in the audit log.
    with demo_engine.connect() as conn:
        action, purpose = conn.exec_driver_sql(
            "SELECT action, purpose FROM audit_event ORDER BY id DESC LIMIT 1").one()
    assert action == "export" and "afgeschermd" in purpose
    # The purpose is the one the user gave (the use case notes the shielding after it).
    assert export_purpose == ["asked"]
    assert purpose == "test (aantallen onder 10 afgeschermd)"


DEMO_COMPLETE_THROUGH = date(2026, 8, 31)  # the demo's claims are complete through August 2026


def test_provisional_months_are_visible(page: DashboardPage, qtbot: QtBot) -> None:
    """#15: the demo's September and October 2026 claims are not all in yet."""
    from sdesk.ui.kpi.charts import PROVISIONAL_LEGEND
    from sdesk.ui.kpi.kpi_format import CLAIM_KEYS
    from sdesk.ui.shell.charts import timestamp

    # 2025 is complete: no tile is marked, and the comparison is with calendar 2024.
    assert page.comparison is not None
    assert page.comparison.complete_through == DEMO_COMPLETE_THROUGH
    assert (page.comparison.previous.start, page.comparison.previous.end) == (
        date(2024, 1, 1), date(2024, 12, 31))
    assert not any(tile.is_provisional for tile in page.tiles.values())

    with qtbot.waitSignal(page.kpis_loaded, timeout=WAIT):
        page.this_year_button.click()  # 2026 up to 31-10-2026
    assert page.comparison.provisional
    for key, tile in page.tiles.items():
        assert tile.is_provisional == (key in CLAIM_KEYS), key
    marker = page.tiles["realised_cost"].provisional_label
    assert marker.text() == "voorlopig"
    assert "declaraties na 31-08-2026 zijn nog niet compleet" in marker.toolTip()
    assert "declaraties na 31-08-2026" in page.tiles["realised_cost"].toolTip()

    chart = page.cost_chart
    assert chart is not None and page.trend is not None
    assert chart.provisional_slots == [date(2026, 9, 1), date(2026, 10, 1)]
    low, high = chart.provisional_band.getRegion()
    assert chart.provisional_band.isVisible()
    assert low < timestamp(date(2026, 9, 1)) and high > timestamp(date(2026, 10, 1))
    assert low > timestamp(date(2026, 8, 1))  # August is complete: not on the band
    for law in ("jeugd", "wmo", "participatie"):
        dashed = chart.dashed_items[law]
        assert dashed.opts["pen"].style() == Qt.PenStyle.DashLine
        xs = list(dashed.getData()[0])
        # From August's final point (so the line does not break) through the provisional months.
        assert xs == [timestamp(date(2026, m, 1)) for m in (8, 9, 10)]
        solid = list(chart.line_items[law].getData()[0])
        assert solid[-1] == timestamp(date(2026, 8, 1))
    assert chart.provisional_legend.isVisible()
    assert PROVISIONAL_LEGEND in chart.provisional_legend.text()
    # Per quarter: Q3 2026 ends after August, so it is provisional on the cost charts.
    quarters = page.trend.quarters
    late = [q.start for q, p in zip(quarters, page.trend.provisional_quarters(), strict=True)
            if p]
    assert late == [date(2026, 7, 1)]
    assert page.trends_tab.cpc_chart is not None
    assert page.trends_tab.cpc_chart.provisional_slots == [
        quarters[-1].start + (quarters[-1].end - quarters[-1].start) / 2]
    # The clients chart counts allocations, which declaration lag does not touch.
    assert page.clients_chart is not None and page.clients_chart.provisional_slots == []
