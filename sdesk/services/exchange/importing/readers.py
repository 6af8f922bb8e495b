"""Turn sources (CSV folder, .csv files, .xlsx workbook) into raw string tables.

Every file is checked against its size cap before it is read (limits.py), a CSV is read
from disk by pandas' C parser after one scan of its bytes, and a workbook is read row by
row to its real last row (workbook.py). Each cell is then checked (table.py): control
characters (NUL above all) are refused with their line, keys, codes, numbers and dates are
normalised (full-width digits, no-break and zero-width spaces), free text is only stripped.
"""

from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sdesk.services.exchange.format import FILES_BY_NAME
from sdesk.services.exchange.importing.limits import MAX_IMPORT_ENV, max_file_bytes, too_large
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.importing.table import RawTable, finish_table
from sdesk.services.exchange.importing.workbook import read_xlsx

_CHUNK = 1 << 20
# Every byte but those: deleting them from a chunk leaves its control bytes (a table lookup
# per byte, seven times faster than a regular-expression search of a 60 MB claims file).
_NOT_CONTROL_BYTES = bytes(b for b in range(256)
                           if not (b <= 0x08 or b in (0x0b, 0x0c) or 0x0e <= b <= 0x1f
                                   or b == 0x7f))


@dataclass(frozen=True)
class _CsvScan:
    """What one pass over a CSV file's bytes found."""

    encoding: str
    header: str
    ascii: bool  # no byte above 127: nothing to normalise
    controls: bool  # some control character (NUL, ...) somewhere: check every cell
    # A space, tab or quote somewhere: some cell may start or end with whitespace. Without
    # one (an ASCII file without controls) the only whitespace is the line ends the parser
    # removes, so no cell needs stripping: a million claim lines skip seven million strips.
    padded: bool


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
    controls = padded = False
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
            controls = controls or bool(chunk.translate(None, _NOT_CONTROL_BYTES))
            padded = padded or b" " in chunk or b"\t" in chunk or b'"' in chunk
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
    return _CsvScan(encoding, text, ascii_only, controls, padded)


def _detect_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


_PARSER_LINE = re.compile(r"line (\d+)")


def read_csv(path: Path, name: str, report: Report, label: str | None = None) -> RawTable | None:
    """The exchange file `name` read from a CSV file; None after reporting why not."""
    label = label or path.name
    scan = _scan_csv(path, label, report)
    if scan is None:
        return None
    sep = _detect_separator(scan.header)
    try:
        # dtype=object: plain str cells; pandas' own string dtype makes every later step
        # (comparisons, isna, astype) several times slower.
        frame = pd.read_csv(path, sep=sep, dtype=object, keep_default_na=False, na_filter=False,
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
    # With na_filter=False every cell is a str ("" when empty or missing at a line's end).
    lines = np.arange(2, len(frame) + 2)
    return finish_table(name, label, frame, lines, report, controls=scan.controls,
                   unicode=not scan.ascii,
                   strip=scan.padded or scan.controls or not scan.ascii)


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
