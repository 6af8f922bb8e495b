"""Turn sources (CSV folder, .csv files, .xlsx workbook) into raw string tables."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import pandas as pd

from sdesk.services.exchange.format import FILES_BY_NAME
from sdesk.services.exchange.importing.report import Report


@dataclass
class RawTable:
    """One file's rows as strings, with the line number of each row in its source."""

    name: str  # exchange-format file name, e.g. "toewijzingen"
    label: str  # what messages call the source, e.g. "toewijzingen.csv"
    frame: pd.DataFrame  # lowercase column names, every value a stripped string
    lines: np.ndarray


def _decode(raw: bytes, label: str, report: Report) -> str | None:
    if b"\x00" in raw[:65536]:
        report.add(label, None, None, "geen CSV-bestand (binaire inhoud)")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        report.add(label, None, None, "onbekende tekencodering (verwacht UTF-8 of Windows-1252)")
        return None


def _detect_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


_PARSER_LINE = re.compile(r"line (\d+)")


def _finish(name: str, label: str, frame: pd.DataFrame, lines: np.ndarray,
            report: Report) -> RawTable | None:
    columns = [str(c).strip().lower().lstrip("\ufeff") for c in frame.columns]
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
    frame = frame[[c for c in columns if c in spec.columns]]
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
    raw = path.read_bytes()
    if not raw.strip():
        report.add(label, None, None, "bestand is leeg")
        return None
    text = _decode(raw, label, report)
    if text is None:
        return None
    header = text.split("\n", 1)[0]
    sep = _detect_separator(header)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False,
                            na_filter=False, skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL,
                            engine="c")
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
    return _finish(name, label, frame, lines, report)


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


def read_xlsx(path: Path, report: Report) -> list[RawTable]:
    """One table per known sheet of an Excel workbook; unknown sheets are warned about."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a broken or foreign file
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
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None or all(v is None for v in header):
                report.add(label, None, None, "werkblad is leeg")
                continue
            width = len(header)
            data = [[_cell_text(v) for v in row[:width]] + [""] * (width - len(row))
                    for row in rows]
            frame = pd.DataFrame(data, columns=[_cell_text(h) for h in header], dtype=object)
            table = _finish(name, label, frame, np.arange(2, len(frame) + 2), report)
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
