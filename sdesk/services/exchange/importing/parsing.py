"""Vectorised value parsers. Each reports bad rows to the Report and returns clean arrays."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import NamedTuple

import numpy as np
import pandas as pd

from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.importing.table import RawTable
from sdesk.services.platform.bounds import (
    DATE_RANGE_TEXT,
    MAX_DATE,
    MAX_NUMBER,
    MAX_YEAR,
    MIN_DATE,
    MIN_YEAR,
)
from sdesk.services.platform.text import group_thousands


class Dates(NamedTuple):
    values: pd.Series  # datetime64, NaT when empty or bad
    iso: np.ndarray  # "YYYY-MM-DD" text (how SQLAlchemy stores Date in SQLite) or None


_MIN_TIMESTAMP = pd.Timestamp(MIN_DATE)
_MAX_TIMESTAMP = pd.Timestamp(MAX_DATE)
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def _where(mask: np.ndarray, chosen: object, other: object) -> np.ndarray:
    """np.where(mask, chosen, other), where either may also be None (an object array)."""
    # numpy's stubs refuse None as an operand; numpy itself takes it as an object scalar.
    result: np.ndarray = np.where(mask, chosen, other)  # type: ignore[call-overload]
    return result


def _parse_number(text: str) -> float:
    """Slow path: spaces, euro signs and thousands separators ("1.234,56", "1,234.56")."""
    compact = re.sub(r"[\s\u20ac]", "", text)
    if _THOUSANDS_DOT.match(compact):
        compact = compact.replace(".", "").replace(",", ".")
    elif _THOUSANDS_COMMA.match(compact):
        compact = compact.replace(",", "")
    else:
        compact = compact.replace(",", ".")
    try:
        value = float(compact)
    except ValueError:
        return float("nan")
    return value if np.isfinite(value) else float("nan")


def _plain_numbers(texts: np.ndarray, empty: np.ndarray) -> np.ndarray:
    """float() of every text with a decimal comma read as a point; NaN where empty. Where a
    text is no plain number (thousands separators, a euro sign) the result is NaN too: the
    caller parses those few row by row (_parse_number)."""
    cells = texts.tolist()
    # One replace over the joined column is twice as fast as one per cell; a cell holding a
    # line break (a quoted CSV cell) would split wrongly, so the count is checked.
    parts = "\n".join(cells).replace(",", ".").split("\n")
    if len(parts) != len(cells):
        parts = [t.replace(",", ".") for t in cells]
    dotted = np.empty(len(texts), dtype=object)
    dotted[:] = parts
    dotted[empty] = "nan"  # keeps the one-pass conversion below from failing on them
    try:
        # One C loop calling float() per cell; it stops at the first text it cannot read.
        return dotted.astype(np.float64)
    except (ValueError, TypeError):
        values: np.ndarray = pd.to_numeric(pd.Series(dotted, dtype=object),
                                           errors="coerce").to_numpy(dtype="float64", copy=True)
        return values


class Columns:
    """Typed access to one raw table's columns; every refusal lands in the report."""

    def __init__(self, table: RawTable, report: Report) -> None:
        self.table = table
        self.report = report
        self.n = len(table.frame)
        # Each column is read (and tested for emptiness) once, however many checks use it.
        self._values: dict[str, np.ndarray] = {}
        self._empty: dict[str, np.ndarray] = {}

    def bad(self, mask: np.ndarray, column: str | None,
            reason: str | list[str] | Callable[[int], str]) -> None:
        """Report the rows where `mask` is true with `reason` (one text, one per row, or a
        function of the row index)."""
        self.report.add_rows(self.table.label, self.table.lines, mask, column, reason)

    def values(self, column: str) -> np.ndarray:
        """The column's raw texts as an object array of str (shared: do not modify)."""
        found = self._values.get(column)
        if found is None:
            found = self.table.frame[column].to_numpy(dtype=object)
            self._values[column] = found
        return found

    def empty(self, column: str) -> np.ndarray:
        """Per row: whether the column's cell is empty."""
        found = self._empty.get(column)
        if found is None:
            found = np.asarray(self.values(column) == "", dtype=bool)
            self._empty[column] = found
        return found

    def raw(self, column: str) -> pd.Series:
        """The column's raw texts as an object Series (object: pandas' str dtype would copy
        and check every cell)."""
        return pd.Series(self.values(column), dtype=object)

    def text(self, column: str, required: bool = False) -> np.ndarray:
        """Stripped strings; None where empty."""
        empty = self.empty(column)
        if required:
            self.bad(empty, column, "verplicht veld is leeg")
        return _where(empty, None, self.values(column))

    def dates(self, column: str, required: bool = False) -> Dates:
        """Dates in YYYY-MM-DD or DD-MM-YYYY, within 1900..2100; NaT/None when empty."""
        series = self.raw(column)
        empty = pd.Series(self.empty(column))
        values = pd.to_datetime(series.where(~empty), format="%Y-%m-%d", errors="coerce")
        lengths = np.fromiter(map(len, self.values(column).tolist()), dtype=np.int64,
                              count=self.n)
        canonical = values.notna() & (lengths == 10)
        rest = values.isna() & ~empty
        if rest.any():
            nl = pd.to_datetime(series.where(rest), format="%d-%m-%Y", errors="coerce")
            values = values.fillna(nl)
        bad = (values.isna() & ~empty).to_numpy()
        if bad.any():
            raw = series.to_numpy()
            self.bad(bad, column, [f"ongeldige datum '{v}' (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"
                                   for v in raw])
        # A year like 0202 or 9999 is a typing error; it would stretch every period it bounds.
        outside = ((values < _MIN_TIMESTAMP) | (values > _MAX_TIMESTAMP)).to_numpy()
        if outside.any():
            raw = series.to_numpy()
            self.bad(outside, column, [f"datum '{v}' ligt buiten {DATE_RANGE_TEXT}; controleer "
                                       "het jaartal" for v in raw])
            values = values.where(~outside)
            canonical &= ~outside
        if required:
            self.bad(empty.to_numpy(), column, "verplicht veld is leeg")
        # ISO text as stored by SQLAlchemy; formatting only the rows not already canonical.
        iso_text = _where(canonical.to_numpy(), series.to_numpy(), None)
        other = (values.notna() & ~canonical).to_numpy()
        if other.any():
            iso_text[other] = values[other].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        return Dates(values, iso_text)

    def numbers(self, column: str, required: bool = False, limit: float = MAX_NUMBER,
                limit_text: str | None = None) -> np.ndarray:
        """floats (NaN when empty); decimal comma or point, thousands separators allowed. A
        value larger than `limit` (in size) is reported and left out, never clipped."""
        texts = self.values(column)
        empty = self.empty(column)
        values = _plain_numbers(texts, empty)
        slow = ~empty & ~np.isfinite(values)
        for i in np.flatnonzero(slow):
            values[i] = _parse_number(texts[i])
        bad = ~empty & ~np.isfinite(values)
        if bad.any():
            self.bad(bad, column, [f"ongeldig getal '{v}'" for v in texts])
            values = np.where(bad, np.nan, values)
        with np.errstate(invalid="ignore"):
            too_big = np.isfinite(values) & (np.abs(values) > limit)
        if too_big.any():
            text = limit_text or f"het maximum van {group_thousands(int(limit))}"
            self.bad(too_big, column, [f"waarde '{v}' is groter dan {text}; controleer de "
                                       "invoer" for v in texts])
            values = np.where(too_big, np.nan, values)
        if required:
            self.bad(empty, column, "verplicht veld is leeg")
        return values

    def cents(self, column: str, required: bool = False, limit_cents: float = MAX_NUMBER,
              limit_text: str | None = None) -> np.ndarray:
        """Euros with at most two decimals -> cents as float (NaN when empty); an amount above
        `limit_cents` in size is reported (before it could overflow anything)."""
        text = limit_text or f"het maximum van {group_thousands(int(limit_cents // 100))} euro"
        euros = self.numbers(column, required, limit=limit_cents / 100, limit_text=text)
        cents = np.round(euros * 100)
        too_precise = np.isfinite(euros) & (np.abs(euros * 100 - cents) > 1e-6)
        self.bad(too_precise, column, "bedrag heeft meer dan twee decimalen")
        return np.where(too_precise, np.nan, cents)

    def integers(self, column: str, required: bool = False, limit: float = MAX_NUMBER,
                 limit_text: str | None = None) -> np.ndarray:
        """Whole numbers as floats (NaN when empty); a fraction is reported."""
        values = self.numbers(column, required, limit, limit_text)
        fractional = np.isfinite(values) & (values != np.round(values))
        self.bad(fractional, column, "verwacht een geheel getal")
        return np.where(fractional, np.nan, values)

    def years(self, column: str, required: bool = False) -> np.ndarray:
        """Years 1900..2100 as floats (NaN when empty); another year is reported."""
        values = self.integers(column, required)
        outside = np.isfinite(values) & ((values < MIN_YEAR) | (values > MAX_YEAR))
        if outside.any():
            self.bad(outside, column, [f"jaar {v:.0f} ligt buiten {MIN_YEAR}..{MAX_YEAR}"
                                       for v in values])
            values = np.where(outside, np.nan, values)
        return values

    def not_negative(self, values: np.ndarray, column: str) -> None:
        """Report the rows where `values` is negative."""
        self.bad(np.isfinite(values) & (values < 0), column, "mag niet negatief zijn")

    def choice(self, column: str, allowed: Collection[str], required: bool = False,
               default: str | None = None, aliases: dict[str, str] | None = None) -> np.ndarray:
        """Values from `allowed` (case-insensitive, after aliases); None where not allowed."""
        # Normalise each distinct value once: a million rows hold only a handful of them.
        codes, uniques = pd.factorize(self.values(column))
        normal = np.empty(len(uniques), dtype=object)
        normal[:] = [(aliases or {}).get(v.lower(), v.lower()) for v in uniques.tolist()]
        values = normal[codes]
        empty = self.empty(column)
        bad = ~empty & ~member(values, allowed)
        if bad.any():
            self.bad(bad, column, [f"onbekende waarde '{v}' (toegestaan: {', '.join(allowed)})"
                                   for v in values])
        if required and default is None:
            self.bad(empty, column, "verplicht veld is leeg")
        return _where(empty, default, _where(bad, None, values))


def pad_codes(values: np.ndarray, width: int) -> np.ndarray:
    """Excel drops leading zeros ("1" for "01"); restore them for fixed-width numeric lists."""
    if width <= 1:
        return values
    # Per distinct value: a column holds a few dozen codes however many rows it has.
    codes, uniques = pd.factorize(values)
    padded = np.empty(len(uniques), dtype=object)
    padded[:] = [v.zfill(width) if isinstance(v, str) and v.isdigit() and len(v) < width
                 else v for v in uniques.tolist()]
    out = np.array(values, dtype=object, copy=True)
    present = codes >= 0
    out[present] = padded[codes[present]]
    return out


def member(values: np.ndarray, allowed: Collection[object]) -> np.ndarray:
    """Per row: whether the value is present (not None/NaN) and in `allowed`; each distinct
    value is looked up once (a set or dict of a million keys, or a codelist)."""
    codes, uniques = pd.factorize(values)
    inside = np.zeros(len(uniques) + 1, dtype=bool)  # the last slot answers code -1 (absent)
    inside[:-1] = [v in allowed for v in uniques.tolist()]
    result: np.ndarray = inside[codes]
    return result
