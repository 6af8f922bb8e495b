"""Where a workbook holds a control character (a NUL byte above all).

XML cannot carry one, so openpyxl stops with a parse error that names neither row nor column.
This reads the workbook's XML itself -- streaming, and only after such a failure -- and finds
the cell: the row and column around the character in a worksheet or, for a text in the shared
strings, the first cell that shows that text.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

_CHUNK = 1 << 20
_OVERLAP = 4096  # longer than any tag looked for
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"')
_STRING_ITEM = re.compile(rb"<(?:\w+:)?si[\s>]")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATION = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_SHARED_STRINGS = "xl/sharedStrings.xml"


@dataclass(frozen=True)
class ControlAt:
    """A control character in a workbook: the sheet and cell that hold it (when found)."""

    sheet: str | None  # the sheet's title
    row: int | None
    column: str | None  # column letters, e.g. "B"
    char: int


@dataclass(frozen=True)
class _Found:
    char: int
    items: int  # <si> elements before it (shared strings)
    row: int | None
    column: str | None


def _scan(archive: zipfile.ZipFile, member: str) -> _Found | None:
    """The first control character of one XML member, with the row and cell around it."""
    items = 0
    row: int | None = None
    cell: tuple[str, int] | None = None
    carry = b""
    with archive.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            data = carry + chunk
            found = _CONTROL.search(data, len(carry))  # the carry was searched already
            head = data[:found.start()] if found else data
            items += sum(1 for m in _STRING_ITEM.finditer(head) if m.end() > len(carry))
            rows = _ROW.findall(head)
            row = int(rows[-1]) if rows else row
            cells = _CELL.findall(head)
            if cells:
                cell = (cells[-1][0].decode("ascii"), int(cells[-1][1]))
            if found:
                column = cell[0] if cell is not None and cell[1] == row else None
                return _Found(data[found.start()], items, row, column)
            carry = data[-_OVERLAP:]
    return None


def _attr(element: bytes, name: bytes) -> str | None:
    found = re.search(rb"\s(?:\w+:)?" + name + rb'="([^"]*)"', element)
    return found.group(1).decode("utf-8", "replace") if found else None


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML member -> the sheet's title."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for element in _RELATION.findall(relations):
        rid, target = _attr(element, b"Id"), _attr(element, b"Target")
        if rid and target:
            target = target.lstrip("/")
            targets[rid] = target if target.startswith("xl/") else f"xl/{target}"
    titles = {}
    for element in _SHEET.findall(workbook):
        rid, name = _attr(element, b"id"), _attr(element, b"name")
        if rid in targets and name is not None:
            titles[targets[rid]] = name
    return titles


def _worksheets(archive: zipfile.ZipFile) -> list[str]:
    return sorted(n for n in archive.namelist()
                  if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _cell_showing(archive: zipfile.ZipFile, index: int) -> tuple[str, int, str] | None:
    """(worksheet member, row, column) of the first cell that shows shared string `index`."""
    value = re.compile(rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?v>" + str(index).encode()
                       + rb"</(?:\w+:)?v>")
    for member in _worksheets(archive):
        carry = b""
        with archive.open(member) as fh:
            while chunk := fh.read(_CHUNK):
                data = carry + chunk
                for match in value.finditer(data):
                    attrs = match.group(1)
                    ref = re.search(rb'\sr="([A-Z]{1,3})(\d+)"', attrs)
                    if ref and re.search(rb'\st="s"', attrs):
                        return member, int(ref.group(2)), ref.group(1).decode("ascii")
                carry = data[-_OVERLAP:]
    return None


def find_control(path: Path) -> ControlAt | None:
    """The first control character in the workbook's worksheets or shared strings; None when
    there is none (or the file cannot be read as a zip at all)."""
    try:
        with zipfile.ZipFile(path) as archive:
            titles = _sheet_titles(archive)
            for member in _worksheets(archive):
                found = _scan(archive, member)
                if found is not None:
                    return ControlAt(titles.get(member), found.row, found.column, found.char)
            if _SHARED_STRINGS in archive.namelist():
                found = _scan(archive, _SHARED_STRINGS)
                if found is not None:
                    cell = _cell_showing(archive, found.items - 1) if found.items else None
                    if cell is None:
                        return ControlAt(None, None, None, found.char)
                    return ControlAt(titles.get(cell[0]), cell[1], cell[2], found.char)
    except Exception:  # a damaged zip: the caller reports the file as such
        return None
    return None
