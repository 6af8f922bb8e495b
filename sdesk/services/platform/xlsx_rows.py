"""Fast rows for large write-only workbooks: openpyxl writes the sheet around them, sdesk writes
the rows themselves as sheet XML.

openpyxl spends about 10 microseconds per cell (cell objects, style checks, lxml), so a
worklist of 50,000 rows and 21 columns took 10 to 17 seconds. Here openpyxl writes everything
but the data rows (header block, column headers, widths, panes, print settings, other sheets)
plus one marker row whose cells carry the styles the rows need; after `wb.save` the marker row
is replaced by the rows, written as plain strings (one f-string per cell), in the same form
openpyxl writes them: inline strings, numbers, dates as Excel serial numbers.

Text is always an inline string, never a formula, so a name starting with `=` stays text
(what platform.spreadsheet.guard does for openpyxl's own cells). Characters XML cannot hold
(control characters) are left out, as openpyxl would refuse them.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

MARKER = "__sdesk_rows__"
TEXT, NUMBER, DATE = "text", "number", "date"
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARKER_ROW = re.compile(r'<row r="(\d+)"[^>]*>((?:(?!</row>).)*' + MARKER + r'.*?)</row>',
                         re.DOTALL)
_STYLE = re.compile(r'<c r="[A-Z]+\d+"(?: s="(\d+)")?')


@dataclass(frozen=True)
class Column:
    """The values of one column (None: an empty cell), how they are written, and the name of
    the probe style they take (a key of `marker_row`'s `styles`; None: the default style)."""

    values: Sequence[Any]
    kind: str = TEXT  # TEXT, NUMBER or DATE
    style: str | None = None


def marker_row(ws: Any, styles: dict[str, Any]) -> list[Any]:
    """The row to append where the rows go: the marker, then one probe cell per named style
    (openpyxl WriteOnlyCells carrying the number format, font ...). Keep the order of
    `styles`: `splice` reads the style ids back in that order."""
    from openpyxl.cell import WriteOnlyCell

    row: list[Any] = [WriteOnlyCell(ws, value=MARKER)]
    for probe in styles.values():
        probe.value = 0
        row.append(probe)
    return row


def _letters(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n)


def _text(value: Any) -> str:
    text = _ILLEGAL.sub("", str(value))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


def _number(value: Any) -> str | None:
    if isinstance(value, bool):
        return "1" if value else "0"
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return repr(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)


def _serial(value: Any) -> str:
    if isinstance(value, datetime):
        day = value.date().toordinal() - _EXCEL_EPOCH
        seconds = value.hour * 3600 + value.minute * 60 + value.second
        return repr(day + seconds / 86400)
    return str(value.toordinal() - _EXCEL_EPOCH)


def _cells(column: Column, letter: str, rows: range, style: str | None) -> list[str]:
    s = f' s="{style}"' if style else ""
    out: list[str] = []
    for r, value in zip(rows, column.values, strict=True):
        if value is None:
            out.append("")
        elif column.kind == TEXT:
            out.append(f'<c r="{letter}{r}"{s} t="inlineStr">{_text(value)}</c>')
        elif column.kind == DATE:
            out.append(f'<c r="{letter}{r}"{s} t="n"><v>{_serial(value)}</v></c>')
        else:
            number = _number(value)
            out.append("" if number is None else
                       f'<c r="{letter}{r}"{s} t="n"><v>{number}</v></c>')
    return out


def rows_xml(first_row: int, rows: Sequence[Sequence[Column]],
             style_ids: dict[str, str]) -> str:
    """Sheet XML for blocks of rows starting at `first_row`: each block is a list of columns of
    equal length (the data rows, then e.g. a totals row)."""
    parts: list[str] = []
    r = first_row
    for block in rows:
        n = len(block[0].values) if block else 0
        numbers = range(r, r + n)
        cells = [_cells(c, _letters(i), numbers, style_ids.get(c.style) if c.style else None)
                 for i, c in enumerate(block, start=1)]
        parts.extend(f'<row r="{row}">{"".join(values)}</row>'
                     for row, values in zip(numbers, zip(*cells, strict=True), strict=True))
        r += n
    return "".join(parts)


def splice(path: Path, sheet: int, styles: Sequence[str],
           blocks: Sequence[Sequence[Column]]) -> None:
    """Replace the marker row of worksheet number `sheet` (1-based, in the order the sheets
    were created) in the saved workbook at `path` by `blocks` (see rows_xml). `styles` names
    the probe cells of the marker row in order. The file is rewritten under a temporary name
    and renamed: a failure leaves the workbook openpyxl wrote."""
    name = f"xl/worksheets/sheet{sheet}.xml"
    temporary = path.with_name(path.name + ".deel")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(
                temporary, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == name:
                    data = _spliced(data.decode("utf-8"), styles, blocks).encode("utf-8")
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED,
                                compresslevel=3)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _spliced(xml: str, styles: Sequence[str], blocks: Sequence[Sequence[Column]]) -> str:
    found = _MARKER_ROW.search(xml)
    if found is None:
        raise ValueError("the marker row is missing from the sheet")
    ids = [m.group(1) or "" for m in _STYLE.finditer(found.group(2))][1:]  # after the marker
    style_ids = dict(zip(styles, ids, strict=True))
    rows = rows_xml(int(found.group(1)), blocks, style_ids)
    return xml[:found.start()] + rows + xml[found.end():]
