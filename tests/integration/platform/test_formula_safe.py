"""Text from the data is never a formula in an export: names, products, posts and audit texts
that begin with `=`, `+`, `-` or `@` come out as text, and the only formulas in a workbook are
the ones sdesk writes itself."""

from __future__ import annotations

import copy
import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.services.exchange.importer import import_sources
from sdesk.services.exports import export
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.spreadsheet import csv_text, looks_like_formula
from tests.integration.exchange_data import BASE, write_folder

CMD = "=cmd|' /C calc'!A0"
LINK = "=HYPERLINK(\"http://x\")"
HOSTILE = {CMD, "+Piet", "@SUM(1+1)", "=1+1", "-Centrum", LINK}
KLAAS = Actor("Klaas", "klantmanager")


@pytest.fixture
def hostile(engine: Engine, tmp_path: Path) -> Engine:
    data = copy.deepcopy(BASE)
    data["personen"][1][4:6] = [CMD, "+Piet"]  # P1: last and first name
    data["medewerkers"][1][1] = "@SUM(1+1)"
    data["huishoudens"][1][1] = "-Centrum"
    data["begroting"][1][1] = "=1+1"
    data["interventies"][1][2] = LINK
    assert import_sources(engine, [write_folder(tmp_path / "in", data)]).ok
    return engine


def _cells(path: Path) -> list[tuple[str, object, str]]:
    out = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            out += [(sheet.title, c.value, c.data_type) for c in row if c.value is not None]
    return out


def _texts(cells: list[tuple[str, object, str]]) -> set[str]:
    return {str(v) for _, v, t in cells if t == "s"}


def test_household_workbook(hostile: Engine, tmp_path: Path) -> None:
    out = tmp_path / "huishouden.xlsx"
    export(hostile, KLAAS, "household", {"household_id": "H1", "at": date(2024, 6, 30)}, out,
           "casusoverleg")
    cells = _cells(out)
    assert [c for c in cells if c[2] == "f"] == []
    texts = _texts(cells)
    assert any(CMD in t for t in texts) and LINK in texts and "-Centrum" in texts


def test_worklist_workbook(hostile: Engine, tmp_path: Path) -> None:
    out = tmp_path / "werklijst.xlsx"
    export(hostile, KLAAS, "worklist", {"at": date(2024, 6, 30)}, out, "werkoverleg")
    cells = _cells(out)
    assert [c for c in cells if c[2] == "f"] == []
    assert any(CMD in t for t in _texts(cells))


def test_drilldown_workbook_keeps_only_its_own_total(hostile: Engine, tmp_path: Path) -> None:
    from sdesk.services.kpi import drilldown

    rows = drilldown(hostile, KLAAS, date(2024, 1, 1), date(2024, 12, 31), "cost")
    out = tmp_path / "uitsplitsing.xlsx"
    export(hostile, KLAAS, "drilldown", {"rows": rows, "title": CMD, "subtitle": "+x"}, out,
           "analyse")
    cells = _cells(out)
    assert [v for _, v, t in cells if t == "f"] == [f"=SUM(K5:K{4 + len(rows)})"]
    texts = _texts(cells)
    assert CMD in texts and "+x" in texts


def test_council_workbook_keeps_only_its_own_formulas(hostile: Engine, tmp_path: Path) -> None:
    from sdesk.services.council import CouncilRequest

    out = tmp_path / "raad.xlsx"
    request = CouncilRequest(date(2024, 1, 1), date(2024, 12, 31), budget_year=2024,
                             at=date(2024, 12, 31))
    export(hostile, KLAAS, "council", {"request": request, "sheets": ("budget",)}, out, "raad")
    cells = _cells(out)
    assert "=1+1" in _texts(cells)
    formulas = [str(v) for _, v, t in cells if t == "f"]
    assert formulas and "=1+1" not in formulas
    assert all(f.startswith(("=SUM(", "=B", "=IF(")) for f in formulas)


def test_audit_csv(hostile: Engine, tmp_path: Path) -> None:
    audit.log(hostile, KLAAS, audit.VIEW, CMD)
    out = tmp_path / "audit.csv"
    # Reading the audit log (also as a file) is for the procescoördinator and teamleider.
    export(hostile, Actor("Tara", "teamleider"), "audit", {}, out, "controle")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    fields = [f for row in rows for f in row]
    assert "'" + CMD in fields
    assert not any(looks_like_formula(f) for f in fields)


@pytest.mark.parametrize("text", sorted(HOSTILE) + ["\tx", "\rx"])
def test_csv_text(text: str) -> None:
    assert csv_text(text) == "'" + text
    assert csv_text("Piet") == "Piet" and csv_text(12) == 12
