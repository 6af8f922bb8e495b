"""The rows behind a dashboard figure as an Excel sheet (write-only, so long lists stay
cheap), euros as numbers with a SUM total, and the labels both the sheet and the screen show."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sdesk.services.kpi.breakdown import DrillRow
from sdesk.services.platform.reference_data import shipped_codelists
from sdesk.services.platform.spreadsheet import formula, guard
from sdesk.services.platform.text import EXCEL_EURO, law_name
from sdesk.services.platform.text import category_text as format_category
from sdesk.services.platform.vocabulary import CATEGORY_CODELIST

EURO_FORMAT = EXCEL_EURO
HEADERS = ("Persoon", "Huishouden", "Wet", "Toewijzing", "Categorie", "Verwijzer", "Product",
           "Aanbieder", "Begin", "Einde", "Realisatie")


def category_text(row: DrillRow) -> str:
    """"43 Jeugdhulp ambulant" from the codelist; own Participatiewet categories readable."""
    label = shipped_codelists().get(CATEGORY_CODELIST.get(row.law, ""), {}).get(row.category)
    return format_category(row.category, label)


def referrer_text(row: DrillRow) -> str:
    """The referrer code with its COD327 label."""
    label = shipped_codelists().get("COD327", {}).get(row.referrer)
    return f"{row.referrer} {label}" if label else row.referrer


def write_drilldown_workbook(rows: Sequence[DrillRow], path: Path, title: str, subtitle: str,
                             user: str) -> Path:
    """The rows as an .xlsx sheet (write-only, so long lists stay cheap), euros as numbers."""
    from openpyxl import Workbook
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    sheet = guard(workbook.create_sheet("Uitsplitsing"))
    widths = (16, 12, 16, 16, 34, 26, 32, 26, 12, 12, 16)
    for n, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + n)].width = width
    sheet.freeze_panes = "A5"

    def cell(value: Any, **style: Any) -> Cell:
        c = WriteOnlyCell(sheet, value=value)
        for key, v in style.items():
            setattr(c, key, v)
        return c

    sheet.append([cell(title, font=Font(bold=True, size=13))])
    sheet.append([subtitle])
    sheet.append([f"Gemaakt {datetime.now():%d-%m-%Y %H:%M} door {user}"])
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    sheet.append([cell(header, font=Font(bold=True), fill=header_fill)
                  for header in HEADERS])
    for r in rows:
        sheet.append([r.person, r.household, law_name(r.law), r.toewijzingnummer,
                      category_text(r), referrer_text(r), r.product or "", r.provider or "",
                      cell(r.start, number_format="DD-MM-YYYY"),
                      cell(r.end, number_format="DD-MM-YYYY") if r.end else None,
                      cell(r.realised_cents / 100, number_format=EURO_FORMAT)])
    first, last = 5, 4 + len(rows)
    total = formula(sheet, f"=SUM(K{first}:K{last})") if rows else 0
    sheet.append([cell("Totaal", font=Font(bold=True))] + [None] * 9
                 + [cell(total, number_format=EURO_FORMAT, font=Font(bold=True))])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
