"""Read an exchange-format Excel workbook: one raw table per known sheet, each read to its
real last row (the <dimension> a workbook declares is not trusted)."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sdesk.services.exchange.format import FILES_BY_NAME
from sdesk.services.exchange.importing.limits import (
    MAX_IMPORT_ENV,
    MAX_XLSX_MEMBERS,
    max_file_bytes,
    too_large,
    zip_problem,
)
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.importing.table import RawTable, control_text, finish_table
from sdesk.services.exchange.importing.xlsx_damage import find_control
from sdesk.services.platform.bounds import clean_code

MAX_SHEET_ROWS = 1_048_576  # Excel's own maximum
MAX_COLUMNS = 200  # the exchange format has at most 20; more is no exchange file


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _column_name(letters: str | None, header: list[Any]) -> str | None:
    """The header of a column given by its letters ("B"), else "kolom B"."""
    if letters is None:
        return None
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - ord("A") + 1
    if 0 < index <= len(header) and header[index - 1] is not None:
        return clean_code(_cell_text(header[index - 1])).lower()
    return f"kolom {letters}"


def _read_sheet(path: Path, sheet: Any, name: str, label: str,
                report: Report) -> RawTable | None:
    """One worksheet to its real last row: openpyxl's read-only mode otherwise stops at the
    size the sheet declares (<dimension ref=...>), which a tool may have written too small."""
    declared = sheet.max_row
    sheet.reset_dimensions()
    line = 1
    header: list[Any] = []
    try:
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        header = list(first or ())
        while header and header[-1] is None:
            header.pop()
        if not header:
            report.add(label, None, None, "werkblad is leeg")
            return None
        if len(header) > MAX_COLUMNS:
            report.add(label, 1, None, f"kopregel heeft {len(header)} kolommen; het "
                                       f"uitwisselformaat kent er hooguit {MAX_COLUMNS}")
            return None
        width = len(header)
        data: list[list[str]] = []
        for row in sheet.iter_rows(min_row=2, max_col=width, values_only=True):
            line += 1
            if line > MAX_SHEET_ROWS:
                report.add(label, line, None, "werkblad heeft meer rijen dan Excel toestaat "
                                              f"({MAX_SHEET_ROWS:,})".replace(",", "."))
                return None
            data.append([_cell_text(v) for v in row])
    except Exception as exc:  # a damaged or hand-made sheet: report where reading stopped
        found = find_control(path)
        if found is not None and found.sheet == sheet.title:
            report.add(label, found.row, _column_name(found.column, header),
                       control_text(found.char))
        else:
            report.add(label, line + 1, None, "werkblad kan niet worden gelezen vanaf deze "
                                              f"regel (beschadigd bestand: {type(exc).__name__})")
        return None
    if declared is not None and line > declared:
        report.warnings.append(f"{label}: het werkblad zegt {declared} rij(en) te hebben maar "
                               f"heeft er {line}; alle {line} zijn gelezen")
    frame = pd.DataFrame(data, columns=[_cell_text(h) for h in header], dtype=object)
    return finish_table(name, label, frame, np.arange(2, len(frame) + 2), report)


def read_xlsx(path: Path, report: Report) -> list[RawTable]:
    """One table per known sheet of an Excel workbook; unknown sheets are warned about."""
    from openpyxl import load_workbook

    cap = max_file_bytes()
    try:
        size = path.stat().st_size
    except OSError as exc:
        report.add(path.name, None, None,
                   f"bestand kan niet worden gelezen: {exc.strerror or exc}")
        return []
    if size > cap:
        report.add(path.name, None, None, too_large(size, cap, MAX_IMPORT_ENV))
        return []
    problem = zip_problem(path, cap, MAX_IMPORT_ENV, MAX_XLSX_MEMBERS, "Excel-werkmap")
    if problem is not None:
        report.add(path.name, None, None, problem)
        return []
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken or foreign file
        found = find_control(path)  # a NUL in a shared text stops openpyxl here
        if found is not None:
            label = f"{path.name}[{found.sheet}]" if found.sheet else path.name
            report.add(label, found.row, _column_name(found.column, []),
                       control_text(found.char))
        else:
            report.add(path.name, None, None, "geen geldig Excel-werkboek (.xlsx)")
        return []
    tables: list[RawTable] = []
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            label = f"{path.name}[{sheet.title}]"
            if name not in FILES_BY_NAME:
                report.warnings.append(f"{label}: onbekend werkblad genegeerd")
                continue
            table = _read_sheet(path, sheet, name, label, report)
            if table is not None:
                tables.append(table)
    finally:
        workbook.close()
    return tables
