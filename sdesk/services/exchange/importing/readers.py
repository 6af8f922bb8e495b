"""Turn sources (CSV folder, .csv files, .xlsx workbook) into raw string tables.

Every file is checked against its size cap before it is read (limits.py), a CSV is read
from disk by pandas in one streaming pass after a scan of its bytes, and a workbook is read
row by row to its real last row (the <dimension> a workbook declares is not trusted).
Each cell is then checked: control characters (NUL above all) are refused with their line,
keys, codes, numbers and dates are normalised (full-width digits, no-break and zero-width
spaces), free text is only stripped.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
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
from sdesk.services.exchange.importing.xlsx_damage import find_control
from sdesk.services.platform.bounds import clean_code, strip_invisible

_CHUNK = 1 << 20
# C0 control characters other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_SHEET_ROWS = 1_048_576  # Excel's own maximum
MAX_COLUMNS = 200  # the exchange format has at most 20; more is no exchange file


@dataclass
class RawTable:
    """One file's rows as strings, with the line number of each row in its source."""

    name: str  # exchange-format file name, e.g. "toewijzingen"
    label: str  # what messages call the source, e.g. "toewijzingen.csv"
    frame: pd.DataFrame  # lowercase column names, every value a stripped string
    lines: np.ndarray


@dataclass(frozen=True)
class _CsvScan:
    """What one pass over a CSV file's bytes found."""

    encoding: str
    header: str
    ascii: bool  # no byte above 127: nothing to normalise
    controls: bool  # some control character (NUL, ...) somewhere: check every cell


def _scan_csv(path: Path, label: str, report: Report) -> _CsvScan | None:
    """Size, encoding and content of a CSV file in one streaming pass (1 MB at a time)."""
    cap = max_file_bytes()
    try:
        size = path.stat().st_size
    except OSError as exc:
        report.add(label, None, None, f"bestand kan niet worden gelezen: {exc.strerror or exc}")
        return None
    if size > cap:
        report.add(label, None, None, too_large(size, cap, MAX_IMPORT_ENV))
        return None
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    utf8 = ascii_only = blank = True
    controls = False
    first = b""
    total = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            total += len(chunk)
            if total > cap:  # the file grew after its size was read
                report.add(label, None, None, too_large(total, cap, MAX_IMPORT_ENV))
                return None
            # The BOM sdesk's own export (and Excel) writes is no reason to normalise cells.
            plain = chunk[3:] if not first and chunk.startswith(codecs.BOM_UTF8) else chunk
            first = first or chunk
            blank = blank and not plain.strip()
            ascii_only = ascii_only and plain.isascii()
            controls = controls or _CONTROL_BYTES.search(chunk) is not None
            if utf8 and not ascii_only:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
    if blank:
        report.add(label, None, None, "bestand is leeg")
        return None
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    header = first.split(b"\n", 1)[0]
    # A NUL in the header (UTF-16, a zip, a picture) or NULs everywhere: not a text file. A
    # few NULs further down are cells, reported with their line below.
    if b"\x00" in header or first.count(b"\x00") > max(16, len(first) // 100):
        report.add(label, None, None, "geen CSV-bestand (binaire inhoud)")
        return None
    encoding = "utf-8-sig" if utf8 else "cp1252"
    text = header.decode(encoding, errors="replace").lstrip("\ufeff")
    return _CsvScan(encoding, text, ascii_only, controls)


def _detect_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


_PARSER_LINE = re.compile(r"line (\d+)")


def _control_text(code: int) -> str:
    if code == 0:
        return "cel bevat een NUL-teken (\\x00); verwijder het en sla het bestand opnieuw op"
    return (f"cel bevat een onzichtbaar stuurteken (U+{code:04X}); verwijder het en sla het "
            "bestand opnieuw op")


def _control_reason(value: str) -> str:
    found = _CONTROL.search(value)
    return _control_text(ord(found.group()) if found else 0)


def _check_cells(frame: pd.DataFrame, lines: np.ndarray, label: str, spec_free: set[str],
                 report: Report, controls: bool, unicode: bool) -> None:
    """Refuse control characters; normalise keys, codes, numbers and dates (NFKC, invisible
    characters out) and strip free text. Only cells that need it are touched."""
    for col in frame.columns:
        series = frame[col]
        if controls:
            bad = series.str.contains(_CONTROL, regex=True).to_numpy(dtype=bool)
            texts = series.to_numpy(dtype=object)
            for i in np.flatnonzero(bad).tolist():
                report.add(label, int(lines[i]), col, _control_reason(str(texts[i])))
        if unicode:
            odd = ~series.str.isascii().to_numpy(dtype=bool)
            if odd.any():
                clean = strip_invisible if col in spec_free else clean_code
                values = series.to_numpy(dtype=object, copy=True)
                values[odd] = [clean(v) for v in values[odd]]
                frame[col] = values


def _finish(name: str, label: str, frame: pd.DataFrame, lines: np.ndarray,
            report: Report, controls: bool = True, unicode: bool = True) -> RawTable | None:
    columns = [clean_code(str(c)).lower() for c in frame.columns]
    frame.columns = columns
    spec = FILES_BY_NAME[name]
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    for col in dupes:
        report.add(label, 1, col, "kolom komt meer dan eens voor")
    missing = [c for c in spec.required if c not in columns]
    for col in missing:
        report.add(label, 1, col, "verplichte kolom ontbreekt")
    unknown = [c for c in columns if c not in spec.columns and c]
    if unknown:
        report.warnings.append(f"{label}: onbekende kolommen genegeerd: {', '.join(unknown)}")
    if dupes or missing:
        return None
    frame = frame[[c for c in columns if c in spec.columns]].copy()
    if len(frame.columns) and (controls or unicode):
        _check_cells(frame, lines, label, set(spec.free_text), report, controls, unicode)
    # Drop rows that are entirely empty (trailing blank lines, Excel leftovers).
    keep = (frame != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(0, bool)
    frame = frame.loc[keep].reset_index(drop=True)
    lines = lines[keep]
    for col in spec.columns:
        if col not in frame.columns:
            frame[col] = ""
    return RawTable(name, label, frame, lines)


def read_csv(path: Path, name: str, report: Report, label: str | None = None) -> RawTable | None:
    """The exchange file `name` read from a CSV file; None after reporting why not."""
    label = label or path.name
    scan = _scan_csv(path, label, report)
    if scan is None:
        return None
    sep = _detect_separator(scan.header)
    try:
        frame = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL, engine="c",
                            encoding=scan.encoding, encoding_errors="strict")
    except UnicodeDecodeError:
        report.add(label, None, None, "onbekende tekencodering (verwacht UTF-8 of Windows-1252)")
        return None
    except pd.errors.EmptyDataError:
        report.add(label, None, None, "bestand is leeg")
        return None
    except pd.errors.ParserError as exc:
        match = _PARSER_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        report.add(label, line, None, "regel heeft meer velden dan de kopregel (geen geldig CSV)")
        return None
    frame = frame.astype(object).fillna("")
    for col in frame.columns:
        frame[col] = frame[col].astype(str).str.strip()
    lines = np.arange(2, len(frame) + 2)
    return _finish(name, label, frame, lines, report, controls=scan.controls,
                   unicode=not scan.ascii)


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
                       _control_text(found.char))
        else:
            report.add(label, line + 1, None, "werkblad kan niet worden gelezen vanaf deze "
                                              f"regel (beschadigd bestand: {type(exc).__name__})")
        return None
    if declared is not None and line > declared:
        report.warnings.append(f"{label}: het werkblad zegt {declared} rij(en) te hebben maar "
                               f"heeft er {line}; alle {line} zijn gelezen")
    frame = pd.DataFrame(data, columns=[_cell_text(h) for h in header], dtype=object)
    return _finish(name, label, frame, np.arange(2, len(frame) + 2), report)


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
                       _control_text(found.char))
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


def known_name(path: Path) -> str | None:
    """The exchange-file name a file stands for (its stem), None when unknown."""
    stem = path.stem.strip().lower()
    return stem if stem in FILES_BY_NAME else None


def read_sources(sources: list[Path], report: Report) -> list[RawTable]:
    """Read every source; unknown files are warnings, unreadable ones are issues."""
    tables: list[RawTable] = []
    for source in sources:
        if not source.exists():
            report.add(str(source), None, None, "bestand of map bestaat niet")
            continue
        if source.is_dir():
            files = sorted(p for p in source.iterdir() if p.is_file())
            found = False
            for path in files:
                suffix = path.suffix.lower()
                if suffix == ".csv" and known_name(path):
                    found = True
                    table = read_csv(path, known_name(path) or "", report)
                    if table is not None:
                        tables.append(table)
                elif suffix == ".xlsx":
                    found = True
                    tables.extend(read_xlsx(path, report))
                else:
                    report.warnings.append(f"{path.name}: geen bestand van het uitwisselformaat, "
                                           "overgeslagen")
            if not found:
                report.add(str(source), None, None,
                           "map bevat geen bestanden van het uitwisselformaat "
                           f"(verwacht bijvoorbeeld {', '.join(list(FILES_BY_NAME)[:3])}.csv)")
            continue
        suffix = source.suffix.lower()
        if suffix == ".xlsx":
            tables.extend(read_xlsx(source, report))
        elif suffix == ".csv" or known_name(source):
            name = known_name(source)
            if name is None:
                report.add(source.name, None, None,
                           "onbekende bestandsnaam; verwacht een van: " + ", ".join(FILES_BY_NAME))
                continue
            table = read_csv(source, name, report)
            if table is not None:
                tables.append(table)
        else:
            report.add(source.name, None, None,
                       "onbekend bestandstype (verwacht een map, .csv of .xlsx)")
    seen: dict[str, str] = {}
    for table in tables:
        if table.name in seen:
            report.add(table.label, None, None,
                       f"{table.name} komt twee keer voor (ook in {seen[table.name]})")
        seen[table.name] = table.label
    return tables
