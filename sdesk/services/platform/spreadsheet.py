"""Formula-safe workbooks and CSV files: text from the data (a name, a product, an audit
object) is always written as text, never as a formula. The only formulas in a workbook are the
ones sdesk writes itself, registered with `formula`.

A spreadsheet treats a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return as
a formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`). In an .xlsx only cells of the formula type
are evaluated, so there a text cell suffices; a CSV has no types, so such text gets a leading
apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_own: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def looks_like_formula(value: object) -> bool:
    """True for text a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_text(value: object) -> object:
    """A CSV field that no spreadsheet evaluates: formula-like text gets a leading apostrophe."""
    return f"'{value}" if looks_like_formula(value) else value


def formula(sheet: Any, text: str) -> str:
    """Mark `text` as a formula sdesk writes itself on `sheet`; returns it for the cell."""
    _own.setdefault(sheet, set()).add(text)
    return text


def _is_own(sheet: Any, value: object) -> bool:
    return isinstance(value, str) and value in _own.get(sheet, ())


def keep_text(workbook: Any) -> None:
    """Before saving a workbook: every formula cell sdesk did not mark becomes text."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and not _is_own(sheet, cell.value):
                    cell.data_type = "s"


def guard(sheet: Any) -> Any:
    """A write-only sheet whose `append` writes formula-like text as text (except formulas
    marked with `formula`). Returns the sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    append = sheet.append

    def safe_append(values: Iterable[Any]) -> None:
        row = []
        for value in values:
            if isinstance(value, Cell):
                if value.data_type == "f" and not _is_own(sheet, value.value):
                    value.data_type = "s"
            elif looks_like_formula(value) and not _is_own(sheet, value):
                value = WriteOnlyCell(sheet, value=value)
                value.data_type = "s"
            row.append(value)
        append(row)

    sheet.append = safe_append
    return sheet
