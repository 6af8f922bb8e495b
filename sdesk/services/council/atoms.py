"""What the council workbook's figures are made of, for the small-cell protection.

Money: the realised claims grouped as finely as any figure of the workbook splits them, one
row ("atom") per stretch of days, law, category, referrer, team and, where a budget line
selects on it, delivery form. A stretch is a calendar month (from the realisation_month
summary), or part of one where a period of the workbook starts or ends mid-month (from the
claims themselves). Every money figure is then a weighted sum of atoms: a period total, a
referrer, a category, a month of one law, a budget line.

Persons: the allocations active in the workbook's periods, to count the persons behind a
money figure (the group a cost per referrer or a budget line's realisation is about); kept
in the database file per data version, so making the workbook again reads them back.

Issue 17 item 4 (the workbook within seconds at big-city size): whole months never touch the
claims, text columns are compared as integer codes, and each figure's coefficients are
computed once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform import stored_frames
from sdesk.services.platform.cache import key
from sdesk.services.platform.periods import month_end
from sdesk.services.platform.readers import REMOVED, fetch_rows
from sdesk.services.platform.summaries import ensure_realisation_month

UNKNOWN_REFERRER = "onbekend"  # as the KPIs group a missing referrer
Span = tuple[date, date]
Mask = npt.NDArray[np.bool_]
Coefficients = npt.NDArray[np.float64]
_COLUMNS = ["first", "last", "law", "category", "referrer", "team_id", "form"]


def _month_end(day: date) -> date:
    return month_end(day.year, day.month)


class _Coded:
    """A text column as integer codes: a workbook asks for hundreds of selections, and
    comparing integers is many times cheaper than comparing Python strings."""

    def __init__(self, values: npt.NDArray[Any]) -> None:
        codes, uniques = pd.factorize(values)  # a missing value gets -1
        self.codes = np.asarray(codes, dtype=np.int64)
        self.index = {value: i for i, value in enumerate(uniques.tolist())}

    def equals(self, value: object) -> Mask:
        return np.asarray(self.codes == self.index.get(value, -2), dtype=bool)

    def isin(self, values: Sequence[object]) -> Mask:
        wanted = np.zeros(len(self.index) + 1, dtype=bool)  # the last one stands for -1
        for value in values:
            if value in self.index:
                wanted[self.index[value]] = True
        return np.asarray(wanted[self.codes], dtype=bool)


class MoneyAtoms:
    """One row per atom: first, last (days), law, category, referrer, team_id, form."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        # Plain arrays: a workbook asks for a few hundred selections.
        self._first = frame["first"].to_numpy(dtype="datetime64[ns]")
        self._last = frame["last"].to_numpy(dtype="datetime64[ns]")
        self._columns = {c: _Coded(frame[c].to_numpy(dtype=object))
                         for c in ("law", "category", "referrer", "form")}
        self._team = frame["team_id"].to_numpy(dtype=np.float64)
        self.laws = frame["law"].to_numpy(dtype=object)
        self.years = np.asarray(frame["first"].dt.year.to_numpy(), dtype=np.int64)

    def __len__(self) -> int:
        return len(self.frame)

    def select(self, span: Span, law: str | None = None, team_id: int | None = None,
               categories: Sequence[str] = (), referrers: Sequence[str] = (),
               form: str | None = None) -> Mask:
        """The atoms a figure with these filters adds up (a team id of -1 matches none)."""
        mask = ((self._first >= np.datetime64(span[0], "ns"))
                & (self._last <= np.datetime64(span[1], "ns")))
        if law:
            mask &= self._columns["law"].equals(law)
        if team_id is not None:
            mask &= self._team == team_id
        if categories:
            mask &= self._columns["category"].isin(categories)
        if referrers:
            mask &= self._columns["referrer"].isin(referrers)
        if form:
            # An atom without a form lies outside the months the budget lines cover.
            mask &= self._columns["form"].equals(form)
        return np.asarray(mask, dtype=bool)


def read_money_atoms(engine: Engine, spans: Iterable[Span],
                     form_span: Span | None = None) -> MoneyAtoms:
    """The atoms of every claim whose period starts within the spans; `form_span` is where
    budget lines select on delivery form (split by form there)."""
    spans = [s for s in spans if s[0] <= s[1]]
    if not spans:
        return MoneyAtoms(pd.DataFrame(columns=_COLUMNS))
    first = min(s[0] for s in spans).replace(day=1)
    last = _month_end(max(s[1] for s in spans))
    cuts = sorted({d for a, b in spans for d in (a, b + timedelta(days=1)) if d.day != 1})
    detail = {(d.year, d.month) for d in cuts}
    form_months: set[tuple[int, int]] = set()
    if form_span is not None:
        for period in pd.period_range(form_span[0], form_span[1], freq="M"):
            form_months.add((period.year, period.month))
    ensure_realisation_month(engine)
    # Whole months come from the summary, split by delivery form where a budget line
    # selects on it; only the months a period cuts need the claims themselves.
    summary: list[tuple[object, ...]] = []
    for m, law, category, referrer, team, form in fetch_rows(
            engine, "SELECT DISTINCT month, law, category, referrer, team_id, delivery_form "
            "FROM realisation_month WHERE month BETWEEN ? AND ?",
            (first.year * 100 + first.month, last.year * 100 + last.month)):
        month = (m // 100, m % 100)
        if month in detail:
            continue
        day = date(month[0], month[1], 1)
        summary.append((day, _month_end(day), law, category, referrer, team,
                        (form or "") if month in form_months else None))
    rows = summary + _detail_rows(engine, sorted(detail), cuts, form_months)
    frame = pd.DataFrame.from_records(rows, columns=_COLUMNS).drop_duplicates()
    frame["first"] = pd.to_datetime(frame["first"])
    frame["last"] = pd.to_datetime(frame["last"])
    frame["referrer"] = frame["referrer"].fillna(UNKNOWN_REFERRER)
    frame["team_id"] = pd.to_numeric(frame["team_id"], errors="coerce").astype("float64")
    return MoneyAtoms(frame.reset_index(drop=True))


def _detail_rows(engine: Engine, months: list[tuple[int, int]], cuts: list[date],
                 form_months: set[tuple[int, int]]) -> list[tuple[object, ...]]:
    """Atoms of the months a period cuts, from the claims (split by form where a budget line
    selects on it)."""
    rows: list[tuple[object, ...]] = []
    stretches: dict[str, tuple[date, date, bool]] = {}  # per day: many rows share one

    def stretch(text: str) -> tuple[date, date, bool]:
        day = date.fromisoformat(text)
        lower = max([day.replace(day=1), *(c for c in cuts if c <= day)])
        upper = min([_month_end(day), *(c - timedelta(days=1) for c in cuts if c > day)])
        return lower, upper, (day.year, day.month) in form_months

    for run in _runs(months):
        start = date(run[0][0], run[0][1], 1)
        end = _month_end(date(run[-1][0], run[-1][1], 1))
        for law, day, team, category, referrer, form in fetch_rows(engine, (
                "SELECT a.law, c.period_start, e.team_id, a.category, a.referrer, "
                "a.delivery_form FROM claim c JOIN allocation a ON a.id = c.allocation_id "
                "LEFT JOIN employee e ON e.id = a.employee_id WHERE c.rejected = 0 "
                f"AND c.period_start BETWEEN ? AND ? AND COALESCE(a.change_reason, '') <> "
                f"'{REMOVED}' GROUP BY 1, 2, 3, 4, 5, 6"), (start.isoformat(), end.isoformat())):
            text = str(day)[:10]
            found = stretches.get(text)
            if found is None:
                found = stretches[text] = stretch(text)
            lower, upper, split = found
            rows.append((lower, upper, law, category, referrer, team,
                         (form or "") if split else None))
    return rows


def _runs(months: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Consecutive months together, so each run is one query."""
    runs: list[list[tuple[int, int]]] = []
    for year, month in months:
        if runs:
            y, m = runs[-1][-1]
            if (y * 12 + m) + 1 == year * 12 + month:
                runs[-1].append((year, month))
                continue
        runs.append([(year, month)])
    return runs


def merge_atoms(figures: Sequence[Callable[[], Coefficients]], size: int
                ) -> list[dict[int, float]]:
    """Each figure (a function giving its coefficient per atom row) as {atom id: coefficient}
    over merged atoms: rows that every figure weighs alike act as one unknown, which keeps
    the protection's matrices small. Each function is called once."""
    signature = np.zeros(size, dtype=np.uint64)
    prime = np.uint64(1_000_003)
    sparse = []  # (rows, coefficients) of each figure: most figures weigh few rows
    for coefficients in figures:
        values = np.asarray(coefficients(), dtype=np.float64) + 0.0  # no -0.0
        used = np.flatnonzero(values)
        sparse.append((used, values[used]))
        # signature * prime + bits, where a zero's bits are 0 (wraps modulo 2**64, as meant)
        signature *= prime
        signature[used] += values[used].view(np.uint64)
    _, merged = np.unique(signature, return_inverse=True)
    out = []
    for used, values in sparse:
        # The first row of each merged atom, in the order the rows come: {atom: coefficient}.
        ids = merged[used]
        _, first = np.unique(ids, return_index=True)
        first.sort()
        out.append(dict(zip(ids[first].tolist(), values[first].tolist(), strict=True)))
    return out


class ActivePersons:
    """Allocations (person, law, category, referrer, form, team, start, end) to count the
    persons behind a money figure."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        person_codes, persons = pd.factorize(frame["person_id"])
        self._person = np.asarray(person_codes, dtype=np.int64)
        self._persons = len(persons)
        self._start = frame["start_date"].to_numpy(dtype="datetime64[ns]")
        self._end = frame["end_date"].fillna(pd.Timestamp("2262-01-01")).to_numpy(
            dtype="datetime64[ns]")
        self._columns = {c: _Coded(frame[c].to_numpy(dtype=object))
                         for c in ("law", "category", "referrer", "delivery_form")}
        self._team = frame["team_id"].to_numpy(dtype=np.float64)

    def count(self, span: Span, law: str | None = None, team_id: int | None = None,
              categories: Sequence[str] = (), referrers: Sequence[str] = (),
              form: str | None = None) -> int:
        """Distinct persons with a matching allocation active somewhere in the span."""
        return self._distinct(self._mask(span, law, team_id, categories, referrers, form))

    def count_any(self, span: Span, selections: Sequence[dict[str, Any]]) -> int:
        """Distinct persons matching any of the selections (keyword filters of `count`)."""
        mask = np.zeros(len(self._person), dtype=bool)
        for selection in selections:
            mask |= self._mask(span, selection.get("law"), selection.get("team_id"),
                               selection.get("categories", ()), selection.get("referrers", ()),
                               selection.get("form"))
        return self._distinct(mask)

    def by_referrer(self, span: Span, law: str | None, team_id: int | None) -> dict[str, int]:
        """Distinct persons per referrer code."""
        rows = self.frame[self._mask(span, law, team_id, (), (), None)]
        return {str(k): int(v) for k, v in rows.groupby("referrer")["person_id"].nunique()
                .items()}

    def _distinct(self, mask: Mask) -> int:
        """The number of distinct persons among the rows (a count per person: no sort)."""
        seen = np.zeros(self._persons, dtype=bool)
        seen[self._person[mask]] = True
        return int(np.count_nonzero(seen))

    def _mask(self, span: Span, law: str | None, team_id: int | None,
              categories: Sequence[str], referrers: Sequence[str], form: str | None) -> Mask:
        mask = ((self._start <= np.datetime64(span[1], "ns"))
                & (self._end >= np.datetime64(span[0], "ns")))
        if law:
            mask &= self._columns["law"].equals(law)
        if team_id is not None:
            mask &= self._team == team_id
        if categories:
            mask &= self._columns["category"].isin(categories)
        if referrers:
            mask &= self._columns["referrer"].isin(referrers)
        if form:
            mask &= self._columns["delivery_form"].equals(form)
        return np.asarray(mask, dtype=bool)


PERSONS_KIND = "council_persons"
_KEEP_PERSONS = 2  # a workbook and the one before it (periods of another length)


def read_active_persons(engine: Engine, spans: Iterable[Span]) -> ActivePersons:
    """The allocations active somewhere in the spans (only the columns counting needs). Kept
    in the database file per data version (stored_frames, encrypted with it): a new process
    making the workbook again reads them back instead of a few hundred thousand rows."""
    spans = list(spans)
    first, last = min(s[0] for s in spans), max(s[1] for s in spans)
    stored_key = repr((key(engine), first.isoformat(), last.isoformat()))
    found = stored_frames.load(engine, PERSONS_KIND, stored_key)
    if found is not None:
        return ActivePersons(found[0])
    rows = fetch_rows(engine, (
        "SELECT a.person_id, a.law, a.category, a.referrer, a.delivery_form, e.team_id, "
        "a.start_date, a.end_date FROM allocation a "
        "LEFT JOIN employee e ON e.id = a.employee_id "
        f"WHERE COALESCE(a.change_reason, '') <> '{REMOVED}' AND a.start_date <= ? "
        "AND (a.end_date IS NULL OR a.end_date >= ?)"), (last.isoformat(), first.isoformat()))
    frame = pd.DataFrame.from_records(rows, columns=[
        "person_id", "law", "category", "referrer", "delivery_form", "team_id", "start_date",
        "end_date"])
    frame["referrer"] = frame["referrer"].fillna(UNKNOWN_REFERRER)
    frame["team_id"] = pd.to_numeric(frame["team_id"], errors="coerce").astype("float64")
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    stored_frames.save(engine, PERSONS_KIND, stored_key, frame, keep=_KEEP_PERSONS)
    return ActivePersons(frame)


def team_id(engine: Engine, team: str | None) -> int | None:
    """The id of a team by name (-1 for an unknown name, which matches nothing)."""
    if not team:
        return None
    rows = fetch_rows(engine, "SELECT id FROM team WHERE name = ?", (team,))
    return int(rows[0][0]) if rows else -1
