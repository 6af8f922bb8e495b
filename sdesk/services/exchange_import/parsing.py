"""Vectorised value parsers. Each reports bad rows to the Report and returns clean arrays."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from sdesk.services.exchange_import.readers import RawTable
from sdesk.services.exchange_import.report import Report


class Columns:
    """Typed access to one raw table's columns; every refusal lands in the report."""

    def __init__(self, table: RawTable, report: Report) -> None:
        self.table = table
        self.report = report
        self.n = len(table.frame)

    def bad(self, mask: np.ndarray, column: str | None, reason: str | list[str]) -> None:
        self.report.add_rows(self.table.label, self.table.lines, mask, column, reason)

    def raw(self, column: str) -> pd.Series:
        return self.table.frame[column].astype(object)

    def text(self, column: str, required: bool = False) -> np.ndarray:
        """Stripped strings; None where empty."""
        series = self.raw(column)
        empty = (series == "").to_numpy()
        if required:
            self.bad(empty, column, "verplicht veld is leeg")
        return np.where(empty, None, series.to_numpy())

    def dates(self, column: str, required: bool = False) -> pd.Series:
        """datetime64 Series (NaT when empty); accepts YYYY-MM-DD and DD-MM-YYYY."""
        series = self.raw(column)
        empty = series == ""
        iso = pd.to_datetime(series.where(~empty), format="%Y-%m-%d", errors="coerce")
        rest = iso.isna() & ~empty
        if rest.any():
            nl = pd.to_datetime(series.where(rest), format="%d-%m-%Y", errors="coerce")
            iso = iso.fillna(nl)
        bad = (iso.isna() & ~empty).to_numpy()
        if bad.any():
            values = series.to_numpy()
            self.bad(bad, column, [f"ongeldige datum '{v}' (verwacht JJJJ-MM-DD of DD-MM-JJJJ)"
                                   for v in values])
        if required:
            self.bad(empty.to_numpy(), column, "verplicht veld is leeg")
        return iso

    def numbers(self, column: str, required: bool = False) -> np.ndarray:
        """floats (NaN when empty); decimal comma or point, thousands separators allowed."""
        series = self.raw(column)
        text = series.str.replace(r"[\s\u20ac]", "", regex=True)
        empty = (text == "").to_numpy()
        if text.str.contains(",", regex=False).any():
            has_dot = text.str.contains(".", regex=False)
            has_comma = text.str.contains(",", regex=False)
            comma_last = text.str.rfind(",") > text.str.rfind(".")
            dot_thousands = has_dot & has_comma & comma_last
            comma_thousands = has_dot & has_comma & ~comma_last
            text = text.where(~dot_thousands, text.str.replace(".", "", regex=False))
            text = text.where(~comma_thousands, text.str.replace(",", "", regex=False))
            text = text.str.replace(",", ".", regex=False)
        values = pd.to_numeric(text.where(~pd.Series(empty, index=text.index)),
                               errors="coerce").to_numpy(dtype="float64")
        bad = ~empty & ~np.isfinite(values)
        if bad.any():
            raw = series.to_numpy()
            self.bad(bad, column, [f"ongeldig getal '{v}'" for v in raw])
            values = np.where(bad, np.nan, values)
        if required:
            self.bad(empty, column, "verplicht veld is leeg")
        return values

    def cents(self, column: str, required: bool = False) -> np.ndarray:
        """Euros with at most two decimals -> cents as float (NaN when empty)."""
        euros = self.numbers(column, required)
        cents = np.round(euros * 100)
        too_precise = np.isfinite(euros) & (np.abs(euros * 100 - cents) > 1e-6)
        self.bad(too_precise, column, "bedrag heeft meer dan twee decimalen")
        return np.where(too_precise, np.nan, cents)

    def integers(self, column: str, required: bool = False) -> np.ndarray:
        values = self.numbers(column, required)
        fractional = np.isfinite(values) & (values != np.round(values))
        self.bad(fractional, column, "verwacht een geheel getal")
        return np.where(fractional, np.nan, values)

    def not_negative(self, values: np.ndarray, column: str) -> None:
        self.bad(np.isfinite(values) & (values < 0), column, "mag niet negatief zijn")

    def choice(self, column: str, allowed: Collection[str], required: bool = False,
               default: str | None = None, aliases: dict[str, str] | None = None) -> np.ndarray:
        series = self.raw(column).str.lower()
        if aliases:
            series = series.map(lambda v: aliases.get(v, v))
        empty = (series == "").to_numpy()
        values = series.to_numpy()
        bad = ~empty & ~np.isin(values, list(allowed))
        if bad.any():
            self.bad(bad, column, [f"onbekende waarde '{v}' (toegestaan: {', '.join(allowed)})"
                                   for v in values])
        if required and default is None:
            self.bad(empty, column, "verplicht veld is leeg")
        return np.where(empty, default, np.where(bad, None, values))


def pad_codes(values: np.ndarray, width: int) -> np.ndarray:
    """Excel drops leading zeros ("1" for "01"); restore them for fixed-width numeric lists."""
    if width <= 1:
        return values
    out = values.copy()
    for i, v in enumerate(values):
        if isinstance(v, str) and v.isdigit() and len(v) < width:
            out[i] = v.zfill(width)
    return out


def iso(series: pd.Series) -> np.ndarray:
    """datetime64 Series -> ISO date strings or None (how SQLAlchemy stores Date in SQLite)."""
    return np.where(series.isna(), None, series.dt.strftime("%Y-%m-%d").to_numpy(dtype=object))
