"""xlsx_rows: rows written as sheet XML into a workbook openpyxl saved read back exactly as
openpyxl's own cells would, with formula-like and XML-special text kept as text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sdesk.services.platform.xlsx_rows import DATE, NUMBER, TEXT, Column, marker_row, splice

HOSTILE = ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 1234", "<b>Jansen & Zn</b>",
           "tab\there", "bel\x07l", " spatie "]


def test_rows_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "rijen.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Blad")
    ws.append(["Naam", "Bedrag", "Datum"])
    euro = WriteOnlyCell(ws)
    euro.number_format = "#,##0.00"
    bold = WriteOnlyCell(ws)
    bold.font = Font(bold=True)
    day = WriteOnlyCell(ws)
    day.number_format = "DD-MM-YYYY"
    ws.append(marker_row(ws, {"euro": euro, "bold": bold, "day": day}))
    wb.create_sheet("Tweede").append(["blijft"])
    wb.save(path)
    n = len(HOSTILE)
    amounts = [12.5, None, 3, float("nan"), 1e6, -0.01]
    days = [date(2025, 1, 31), None, datetime(2026, 3, 1, 12, 0), date(1900, 3, 1),
            date(2026, 10, 31), None]
    splice(path, 1, ["euro", "bold", "day"], [
        [Column(HOSTILE), Column(amounts, NUMBER, "euro"), Column(days, DATE, "day")],
        [Column(["Totaal"], TEXT, "bold"), Column([1_000_015.49], NUMBER, "euro"),
         Column([None])]])

    sheet = load_workbook(path)["Blad"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == n + 1
    assert all(r[0].data_type == "s" for r in rows)  # text, never a formula
    got = [r[0].value for r in rows[:n]]
    assert got == ["=HYPERLINK(\"http://x\",\"klik\")", "+31 6 1234", "<b>Jansen & Zn</b>",
                   "tab\there", "bell", " spatie "]
    assert [r[1].value for r in rows[:n]] == [12.5, None, 3, None, 1_000_000, -0.01]
    assert rows[0][1].number_format == "#,##0.00"
    assert [r[2].value for r in rows[:n]] == [
        datetime(2025, 1, 31), None, datetime(2026, 3, 1, 12, 0), datetime(1900, 3, 1),
        datetime(2026, 10, 31), None]
    total = rows[n]
    assert (total[0].value, total[0].font.bold, total[1].value) == ("Totaal", True,
                                                                      1_000_015.49)
    assert load_workbook(path)["Tweede"]["A1"].value == "blijft"
    assert not list(tmp_path.glob("*.deel"))
