"""One exchange file's rows as a table of plain strings, and the checks every cell gets
whatever it was read from (CSV or a workbook): control characters refused with their line,
keys and codes normalised, free text stripped, blank rows dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sdesk.services.exchange.format import FILES_BY_NAME
from sdesk.services.exchange.importing.report import Report
from sdesk.services.platform.bounds import clean_code, strip_invisible

# C0 control characters other than tab, line feed and carriage return, and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class RawTable:
    """One file's rows as strings, with the line number of each row in its source."""

    name: str  # exchange-format file name, e.g. "toewijzingen"
    label: str  # what messages call the source, e.g. "toewijzingen.csv"
    frame: pd.DataFrame  # lowercase column names, every value a stripped string
    lines: np.ndarray


def control_text(code: int) -> str:
    """What to tell about a control character (by its code point) in a cell."""
    if code == 0:
        return "cel bevat een NUL-teken (\\x00); verwijder het en sla het bestand opnieuw op"
    return (f"cel bevat een onzichtbaar stuurteken (U+{code:04X}); verwijder het en sla het "
            "bestand opnieuw op")


def _control_reason(value: str) -> str:
    found = _CONTROL.search(value)
    return control_text(ord(found.group()) if found else 0)


def _check_cells(cells: dict[str, np.ndarray], lines: np.ndarray, label: str,
                 spec_free: set[str], report: Report, controls: bool, unicode: bool) -> None:
    """Refuse control characters; normalise keys, codes, numbers and dates (NFKC, invisible
    characters out) and strip free text. Only cells that need it are touched."""
    for col, values in cells.items():
        series = pd.Series(values, dtype=object)
        if controls:
            bad = series.str.contains(_CONTROL, regex=True).to_numpy(dtype=bool)
            for i in np.flatnonzero(bad).tolist():
                report.add(label, int(lines[i]), col, _control_reason(str(values[i])))
        if unicode:
            odd = ~series.str.isascii().to_numpy(dtype=bool)
            if odd.any():
                clean = strip_invisible if col in spec_free else clean_code
                values[odd] = [clean(v) for v in values[odd]]


def _blank_rows(cells: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Per row: whether every cell is empty. Column by column on the rows still blank, so
    a full file costs one comparison per row, not one per cell."""
    blank = np.ones(n, dtype=bool)
    for values in cells.values():
        rows = np.flatnonzero(blank)
        if not rows.size:
            break
        blank[rows] = values[rows] == ""
    return blank


def _stripped(values: np.ndarray) -> np.ndarray:
    """Every cell stripped: a list comprehension is several times faster than .str.strip."""
    out = np.empty(len(values), dtype=object)
    out[:] = [v.strip() for v in values.tolist()]
    return out


def finish_table(name: str, label: str, frame: pd.DataFrame, lines: np.ndarray,
                 report: Report, controls: bool = True, unicode: bool = True,
                 strip: bool = False) -> RawTable | None:
    """The raw frame of exchange file `name` as a RawTable: header checked against the
    format, cells checked (and stripped with `strip`), blank rows dropped; None after
    reporting why not."""
    columns = [clean_code(str(c)).lower() for c in frame.columns]
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
    # Plain object arrays of str, one per known column: pandas' str dtype (its default for
    # text) would copy and check every cell again at each step.
    cells = {c: frame.iloc[:, i].to_numpy(dtype=object, copy=True)
             for i, c in enumerate(columns) if c in spec.columns}
    if strip:
        cells = {c: _stripped(v) for c, v in cells.items()}
    if controls or unicode:
        _check_cells(cells, lines, label, set(spec.free_text), report, controls, unicode)
    # Drop rows that are entirely empty (trailing blank lines, Excel leftovers).
    blank = _blank_rows(cells, len(lines))
    if blank.any():
        cells = {c: v[~blank] for c, v in cells.items()}
        lines = lines[~blank]
    for col in spec.columns:
        if col not in cells:
            cells[col] = np.full(len(lines), "", dtype=object)
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in cells.items()})
    return RawTable(name, label, frame, lines)
