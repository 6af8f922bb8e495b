"""Issue 14 item 6: small cells are suppressed consistently across the council workbook.

The small town (small_town.py) has one group of 3 clients (category 41, referrer 02, budget
line "Jeugd dagbesteding", EUR 450 in the period) next to groups of 12 and 11. Before, the
workbook hid the group's number of clients but showed its EUR 450 in the budget sheet, in the
referrer table and as the total minus the other categories. Every test below fails on that
workbook.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine

from sdesk.services.council.workbook import CouncilRequest, write_council_workbook
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import SdeskError
from tests.integration.council import small_town
from tests.integration.exchange_data import write_folder

CARLA = Actor("Carla", "controller")
KLAAS = Actor("Klaas", "klantmanager")
MARKERS = ("<10", "x")
Q1 = CouncilRequest(date(2025, 1, 1), date(2025, 3, 31), "jeugd", budget_year=2025,
                    at=date(2025, 3, 31))


@pytest.fixture
def town(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "town", small_town.data())])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def _workbook(engine: Engine, tmp_path: Path, request: CouncilRequest = Q1) -> Workbook:
    return load_workbook(write_council_workbook(engine, tmp_path / "raad.xlsx", request,
                                                CARLA))


def _row(ws: Worksheet, label: str, start: int = 1) -> int:
    for cells in ws.iter_rows(min_row=start, min_col=1, max_col=1):
        if cells[0].value == label:
            return cells[0].row
    raise AssertionError(f"{label} not on {ws.title}")


def _table(ws: Worksheet, header: str) -> dict[str, int]:
    """The rows of the table under `header`, by their label in column A."""
    first = _row(ws, header) + 1
    rows = {}
    for cells in ws.iter_rows(min_row=first, min_col=1, max_col=1):
        if cells[0].value in (None, "Totaal"):
            break
        rows[str(cells[0].value)] = cells[0].row
    return rows


def _numbers(wb: Workbook) -> list[float]:
    return [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, int | float)]


def _lines_with_a_total(wb: Workbook) -> dict[str, list[Any]]:
    """Every group of cells that adds up to a shown figure, within a sheet or across
    sheets (the period is the budget year so far, so these are the same money)."""
    kpi, budget, trends = wb["Kengetallen"], wb["Begroting"], wb["Trends"]
    total_cost = kpi.cell(row=_row(kpi, "Gerealiseerde kosten"), column=2).value
    clients = kpi.cell(row=_row(kpi, "Cliënten"), column=2).value
    referrers = _table(kpi, "Verwijzer (COD327)")
    categories = _table(kpi, "Productcategorie")
    lines = _table(budget, "Begrotingspost")
    total_row = _row(budget, "Totaal")
    months = [trends.cell(row=r, column=2).value for r in range(6, 9)]
    out = {
        "kosten per verwijzer": [kpi.cell(row=r, column=2).value for r in referrers.values()]
        + [total_cost],
        "kosten per categorie": [kpi.cell(row=r, column=2).value for r in categories.values()]
        + [total_cost],
        "cliënten per categorie": [kpi.cell(row=r, column=3).value
                                   for r in categories.values()] + [clients],
        "kosten per maand": [*months, total_cost],
        "begroting totaal = kosten": [budget.cell(row=total_row, column=3).value, total_cost],
    }
    for column, name in ((3, "realisatie"), (4, "prognose")):
        out[f"begroting {name}"] = [budget.cell(row=r, column=column).value
                                    for r in [*lines.values(), total_row]]
    for post, category, referrer in (("Jeugd ambulant", "45", "01"),
                                     ("Jeugd verblijf", "43", "08"),
                                     ("Jeugd dagbesteding", "41", "02")):
        same = [budget.cell(row=lines[post], column=3).value,
                kpi.cell(row=categories[category], column=2).value,
                kpi.cell(row=referrers[referrer], column=2).value]
        out[f"{post} = categorie {category} = verwijzer {referrer}"] = same
    return out


def test_a_small_category_and_its_partner_are_hidden_the_total_stays(town: Engine,
                                                                    tmp_path: Path) -> None:
    wb = _workbook(town, tmp_path)
    kpi = wb["Kengetallen"]
    categories = _table(kpi, "Productcategorie")
    cost = {code: kpi.cell(row=r, column=2).value for code, r in categories.items()}
    clients = {code: kpi.cell(row=r, column=3).value for code, r in categories.items()}
    assert kpi.cell(row=_row(kpi, "Gerealiseerde kosten"), column=2).value == small_town.TOTAL
    assert kpi.cell(row=_row(kpi, "Cliënten"), column=2).value == 26
    # 41 has 3 clients: "<10"; the cheapest other category (45, EUR 3,600) is hidden too, so
    # 10,650 - 6,600 = 4,050 is all one learns: 41 and 45 together.
    assert cost == {"41": "<10", "43": 6600, "45": "x"}
    # The same for the clients: 26 - 12 = 14 for 41 and 43 together ("x" is at least 10,
    # so 41 is anything from 1 to 4).
    assert clients == {"41": "<10", "43": "x", "45": 12}
    assert 450 not in _numbers(wb) and 3600 not in _numbers(wb)


def test_the_budget_sheet_does_not_give_back_the_small_group(town: Engine,
                                                             tmp_path: Path) -> None:
    wb = _workbook(town, tmp_path)
    budget = wb["Begroting"]
    lines = _table(budget, "Begrotingspost")
    small = lines["Jeugd dagbesteding"]
    # Realisation, forecast and what is computed from the forecast: all "<10".
    assert [budget.cell(row=small, column=c).value for c in (3, 4, 6, 7, 8)] == ["<10"] * 5
    # Category 45 is hidden on the KPI sheet, so its budget line (the same EUR 3,600) is too;
    # its forecast goes with it, or the forecast total would give line 41's forecast back.
    ambulant = lines["Jeugd ambulant"]
    assert [budget.cell(row=ambulant, column=c).value for c in (3, 4, 6)] == ["x"] * 3
    verblijf = lines["Jeugd verblijf"]
    assert budget.cell(row=verblijf, column=3).value == 6600
    assert budget.cell(row=verblijf, column=6).value == f"=B{verblijf}-D{verblijf}"
    # The totals stay, as amounts: a SUM over the shown lines would be a wrong total.
    total = _row(budget, "Totaal")
    assert budget.cell(row=total, column=3).value == small_town.TOTAL
    assert budget.cell(row=total, column=2).value.startswith("=SUM(")
    assert isinstance(budget.cell(row=total, column=4).value, float)
    assert 450 not in _numbers(wb)


def test_cost_per_referrer_with_fewer_than_ten_clients_is_hidden(town: Engine,
                                                                 tmp_path: Path) -> None:
    wb = _workbook(town, tmp_path)
    kpi = wb["Kengetallen"]
    referrers = _table(kpi, "Verwijzer (COD327)")
    row = {code: [kpi.cell(row=r, column=c).value for c in (2, 3)]
           for code, r in referrers.items()}
    assert row["02"] == ["<10", "x"]  # 3 clients; the share of a shown total goes too
    assert row["01"] == ["x", "x"]  # the partner (EUR 3,600, the smaller of the other two)
    assert row["08"] == [6600, pytest.approx(6600 / small_town.TOTAL)]
    # "Via third parties" is (02 + 08) / total: with 08 and the total shown it gives 02.
    assert kpi.cell(row=_row(kpi, "Aandeel via derden verwezen"), column=2).value == "x"


def test_no_suppressed_cell_can_be_derived_from_a_total(town: Engine, tmp_path: Path) -> None:
    wb = _workbook(town, tmp_path)
    lines = _lines_with_a_total(wb)
    for name, cells in lines.items():
        hidden = sum(c in MARKERS for c in cells)
        # One hidden cell in a line whose other cells and total are shown is that total
        # minus the rest: never exactly one.
        assert hidden != 1, (name, cells)
        assert all(isinstance(c, int | float) or c in MARKERS for c in cells), (name, cells)
    assert any(sum(c in MARKERS for c in cells) >= 2 for cells in lines.values())
    _no_formula_reads_a_hidden_cell(wb)


def _no_formula_reads_a_hidden_cell(wb: Workbook) -> None:
    """Excel would compute a wrong sum, or an error, from a "<10" or "x" cell."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                for a, b in re.findall(r"([A-Z]+[0-9]+)(?::([A-Z]+[0-9]+))?", cell.value):
                    first = ws[a]
                    last = ws[b] if b else first
                    for r in range(first.row, last.row + 1):
                        for c in range(first.column, last.column + 1):
                            assert ws.cell(row=r, column=c).value not in MARKERS, (
                                ws.title, cell.coordinate, cell.value)


def test_the_explanation_sheet_says_which_rule_applied(town: Engine, tmp_path: Path) -> None:
    wb = _workbook(town, tmp_path)
    assert wb.sheetnames == ["Toelichting", "Kengetallen", "Trends", "Begroting"]
    text = " ".join(str(c.value) for row in wb["Toelichting"].iter_rows() for c in row
                    if c.value)
    assert "Regel: een aantal van 1 tot en met 9 personen staat als '<10'" in text
    assert "Aanvullende afscherming: een cel met 'x'" in text
    cells = [c.value for ws in wb.worksheets[1:] for row in ws.iter_rows() for c in row]
    small, partner = cells.count("<10"), cells.count("x")
    assert small and partner
    assert f"In deze werkmap: {small} cellen '<10' en {partner} cellen 'x'." in text
    assert "'x' (zie Toelichting)" in wb["Begroting"]["A3"].value


def test_internal_use_shows_everything(town: Engine, tmp_path: Path) -> None:
    request = CouncilRequest(Q1.start, Q1.end, "jeugd", budget_year=2025, at=Q1.at,
                             internal=True)
    wb = load_workbook(write_council_workbook(town, tmp_path / "intern.xlsx", request, KLAAS,
                                              include_persons=True))
    cells = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(c in MARKERS for c in cells)
    assert cells.count(450) == 3  # category 41, referrer 02, budget line 41
    kpi = wb["Kengetallen"]
    clients = kpi.cell(row=_table(kpi, "Productcategorie")["41"], column=3).value
    assert clients == 3
    text = " ".join(str(c.value) for row in wb["Toelichting"].iter_rows() for c in row
                    if c.value)
    assert "Intern gebruik" in text and "Er is niets afgeschermd" in text
    assert len(wb["Personen"]["A"]) == 5 + 26  # one row per person (pseudonym)


def test_person_sheet_only_for_internal_use(town: Engine, tmp_path: Path) -> None:
    target = tmp_path / "raad.xlsx"
    with pytest.raises(SdeskError, match="kosten per persoon kan alleen in een werkmap voor "
                                          "intern gebruik"):
        write_council_workbook(town, target, Q1, KLAAS, include_persons=True)
    assert not target.exists()


def test_periods_that_end_mid_month_and_a_line_by_delivery_form(engine: Engine,
                                                                 tmp_path: Path) -> None:
    # Up to 15 February: January and February (claims start on the 1st), EUR 7,100, of
    # which EUR 300 for the group of 3. Every allocation is "zin" (the import's default): a
    # line on 41 "zin" is the same group again, a line on 41 "pgb" selects nobody. Before
    # #15 the budget total counted the group twice (7,400 - 7,100 = 300), so one of the two
    # totals had to go; now such lines must be subtotals and are not added.
    # #15: lines on 41 "zin" and 41 "pgb" overlap "Jeugd dagbesteding" (41, every form), so
    # the import refuses them unless they are marked as subtotals.
    data = small_town.data()
    data["begroting"] = [[*r, "subtotaal" if n == 0 else ""]
                         for n, r in enumerate(data["begroting"])]
    data["begroting"] += [["2025", "Jeugd 41 zin", "100", "jeugd", "41", "zin", "", "nee"],
                          ["2025", "Jeugd 41 pgb", "100", "jeugd", "41", "pgb", "", ""]]
    refused = import_sources(engine, [write_folder(tmp_path / "refused", data)])
    assert not refused.ok
    assert [(i.file, i.line, i.column) for i in refused.issues] == [
        ("begroting.csv", 6, "post"), ("begroting.csv", 7, "post")]
    assert refused.issues[0].reason == (
        "begrotingspost 'Jeugd 41 zin' (begroting.csv:6) selecteert dezelfde declaraties als "
        "'Jeugd dagbesteding' (begroting.csv:4): dan tellen die declaraties twee keer mee in "
        "het totaal. Maak de selecties (wet, productcategorieën, leveringsvorm) verschillend "
        "of markeer één van beide als subtotaal (kolom subtotaal = ja).")
    data["begroting"][-2][-1] = data["begroting"][-1][-1] = "ja"
    assert import_sources(engine, [write_folder(tmp_path / "town", data)]).ok
    request = CouncilRequest(date(2025, 1, 1), date(2025, 2, 15), "jeugd", budget_year=2025,
                             at=date(2025, 2, 15))
    wb = _workbook(engine, tmp_path, request)
    budget, kpi = wb["Begroting"], wb["Kengetallen"]
    lines = _table(budget, "Begrotingspost")
    assert budget.cell(row=lines["Jeugd dagbesteding"], column=3).value == "<10"
    assert budget.cell(row=lines["Jeugd 41 zin"], column=3).value == "<10"
    assert budget.cell(row=lines["Jeugd 41 pgb"], column=3).value == 0
    # The subtotals are not added (#15): the budget total is the KPI total, 7,100, not the
    # 7,400 that counted the group twice, so both totals and both months can be shown.
    assert budget.cell(row=_row(budget, "Totaal"), column=3).value == 7100
    assert budget.cell(row=_row(budget, "Totaal"), column=2).value.startswith(
        '=SUMIF(L6:L11,"nee",B6:B11)')
    assert kpi.cell(row=_row(kpi, "Gerealiseerde kosten"), column=2).value == 7100
    months = [wb["Trends"].cell(row=r, column=2).value for r in (6, 7)]
    assert months == [3550, 3550]
    assert not {300, 2400} & set(_numbers(wb))
    for column in (3, 4):
        cells = [budget.cell(row=r, column=column).value
                 for r in [*lines.values(), _row(budget, "Totaal")]]
        assert sum(c in MARKERS for c in cells) != 1, cells
    _no_formula_reads_a_hidden_cell(wb)



def test_a_peildatum_after_the_data_gives_no_hidden_realisation_back(engine: Engine,
                                                                      tmp_path: Path) -> None:
    # Category 41 now has 3 clients "zin" (C, EUR 450) and 12 "pgb" (E: EUR 500 a month,
    # EUR 1,500 each in Q1, EUR 18,000 together), each with a budget line; 10 clients of
    # category 46 cost EUR 20 a month (D: EUR 600). Category 41 (EUR 18,450) minus the pgb
    # line gives the zin line, so the pgb line's realisation is its partner. The forecasts
    # add up to their total too; the cheapest partner there is line 46. But on 31 December
    # nothing of the year is left to forecast: a computed forecast is the realisation, so
    # the pgb line's forecast would give its hidden realisation back.
    # Since #15 the data end on 31 March, so a peildatum of 31 December lies after them: April
    # to December are provisional and forecast from the commitments (an unknown of its own,
    # like any forecast during the year). The estimate of what is not yet declared is that
    # forecast minus the realisation, so it is hidden with the realisation, and its total too.
    groups = {**small_town.GROUPS, "D": (10, "46", "01", 20, "zin"),
              "E": (12, "41", "01", 500, "pgb")}
    budget = [*small_town.BUDGET[:2],
              ["2025", "Dagbesteding zin", "5000", "jeugd", "41", "zin", ""],
              ["2025", "Dagbesteding pgb", "20000", "jeugd", "41", "pgb", ""],
              ["2025", "Jeugd 46", "1000", "jeugd", "46", "", ""]]
    assert import_sources(engine, [write_folder(tmp_path / "town",
                                                small_town.data(groups, budget))]).ok
    request = CouncilRequest(date(2025, 1, 1), date(2025, 12, 31), "jeugd", budget_year=2025,
                             at=date(2025, 12, 31))
    wb = _workbook(engine, tmp_path, request)
    budget_sheet, kpi = wb["Begroting"], wb["Kengetallen"]
    lines = _table(budget_sheet, "Begrotingspost")
    rows = {post: [budget_sheet.cell(row=r, column=c).value for c in (3, 4)]
            for post, r in lines.items()}
    assert kpi.cell(row=_table(kpi, "Productcategorie")["41"], column=2).value == 18_450
    assert rows["Dagbesteding zin"] == ["<10", "<10"]
    assert rows["Dagbesteding pgb"][0] == "x"
    lag = {post: budget_sheet.cell(row=r, column=10).value for post, r in lines.items()}
    assert (lag["Dagbesteding zin"], lag["Dagbesteding pgb"], lag["Jeugd verblijf"]) == (
        "<10", "x", "x")
    assert budget_sheet.cell(row=_row(budget_sheet, "Totaal"), column=10).value == "x"
    assert lag["Jeugd ambulant"] == 11_000  # shown line: 14,600 forecast - 3,600 realised
    assert not {450, 18_000} & set(_numbers(wb))
    for column in (3, 4):
        cells = [budget_sheet.cell(row=r, column=column).value
                 for r in [*lines.values(), _row(budget_sheet, "Totaal")]]
        assert sum(c in MARKERS for c in cells) >= 2, cells
