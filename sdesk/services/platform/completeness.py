"""Up to which month are claims complete? (declaration lag, #15)

Providers declare a month's care one to three months later, so the months just before any
peildatum always look cheaper than they were. A month counts as **complete** when

- it lies further back than declarations arrive (the lag: estimated from when sdesk first saw
  each claim line, `claim.first_seen`, where that history exists; otherwise DEFAULT_LAG_MONTHS),
  or
- its claims reach THRESHOLD x what its running allocations commit x the recent uitnutting
  (realisation ÷ commitment over the last twelve months that are complete by lag).

`complete_through` is the last day of the last month before the first incomplete one; every
month after it is **provisional**. One definition, used by budget, KPIs, dashboard, CLI and the
council workbook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform.costs import daily_rates, overlap_days
from sdesk.services.platform.peildatum import last_day_with_data
from sdesk.services.platform.periods import add_months, month_end
from sdesk.services.platform.readers import (
    allocation_costs_frame,
    claims_per_month,
    fetch_rows,
)

THRESHOLD = 0.95
DEFAULT_LAG_MONTHS = 2  # without history: a month's declarations are in two months later
MAX_LAG_MONTHS = 6  # a longer estimated lag is capped: six provisional months help nobody
HISTORY_MONTHS = 12


@dataclass(frozen=True)
class MonthState:
    """One month inside the lag window."""

    month: date  # its first day
    claims_cents: int
    expected_cents: float  # commitment x recent uitnutting
    complete: bool

    @property
    def share(self) -> float | None:
        """Claims so far as a share of what the month is expected to cost."""
        return self.claims_cents / self.expected_cents if self.expected_cents else None


@dataclass(frozen=True)
class Completeness:
    at: date
    complete_through: date
    lag_months: int
    lag_source: str  # "geschat" (from first_seen history) or "standaard"
    uitnutting: float  # realisation ÷ commitment over the last complete twelve months
    months: tuple[MonthState, ...]  # the months after the lag horizon up to `at`

    def provisional(self, end: date) -> bool:
        """Whether a period ending on `end` reaches past the complete months."""
        return end > self.complete_through

    @property
    def provisional_months(self) -> tuple[MonthState, ...]:
        """The months after complete_through, up to the peildatum's month."""
        return tuple(m for m in self.months if m.month > self.complete_through)


def month_starts(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s month to `last`'s month."""
    months = []
    current = first.replace(day=1)
    while current <= last:
        months.append(current)
        current = add_months(current, 1)
    return months


def lag_horizon(at: date, lag_months: int) -> date:
    """The end of the last month whose declarations are all in on `at`: one that ended at
    least `lag_months` whole months before it (on 30 June with a lag of two: 30 April; on 15
    June: 31 March)."""
    whole = at == month_end(at.year, at.month)
    last = add_months(at.replace(day=1), -lag_months - (0 if whole else 1))
    return month_end(last.year, last.month)


def assess(allocations: pd.DataFrame, monthly_claims: pd.DataFrame, at: date,
           lag_months: int = DEFAULT_LAG_MONTHS, lag_source: str = "standaard",
           threshold: float = THRESHOLD) -> Completeness:
    """Completeness on `at` of the allocations given (already selected: a law, a budget line).

    `allocations`: the columns costs.daily_rates needs plus `id`; `monthly_claims`: columns
    allocation_id, month ("YYYY-MM"), amount_cents, covering at least the history window.
    """
    ids = set(allocations["id"]) if len(allocations) else set()
    claims = monthly_claims[monthly_claims["allocation_id"].isin(ids)]
    per_month = claims.groupby("month")["amount_cents"].sum()
    return assess_totals(allocations, {str(k): int(v) for k, v in per_month.items()}, at,
                         lag_months, lag_source, threshold)


def assess_totals(allocations: pd.DataFrame, per_month: Mapping[str, int], at: date,
                  lag_months: int = DEFAULT_LAG_MONTHS, lag_source: str = "standaard",
                  threshold: float = THRESHOLD) -> Completeness:
    """`assess` on claim totals per month ("YYYY-MM" -> cents) of the allocations given."""
    horizon_end = lag_horizon(at, lag_months)

    def claimed(month: date) -> int:
        return int(per_month.get(month.strftime("%Y-%m"), 0))

    rates = daily_rates(allocations) if len(allocations) else None  # once, not per month

    def committed(month: date) -> float:
        if rates is None:
            return 0.0
        days = overlap_days(allocations, month, month_end(month.year, month.month))
        return float((rates * days).sum())

    history = month_starts(add_months(horizon_end, -HISTORY_MONTHS) + timedelta(days=1),
                           horizon_end)
    hist_claims = sum(claimed(m) for m in history)
    hist_commit = sum(committed(m) for m in history)
    uitnutting = hist_claims / hist_commit if hist_commit else 1.0

    states: list[MonthState] = []
    complete_through = horizon_end
    still_complete = True
    for month in month_starts(horizon_end + timedelta(days=1), at):
        last_day = month_end(month.year, month.month)
        expected = committed(month) * uitnutting
        whole = last_day <= at  # a month the peildatum cuts off is never complete
        done = whole and claimed(month) >= threshold * expected
        states.append(MonthState(month, claimed(month), expected, done))
        if still_complete and done:
            complete_through = last_day
        else:
            still_complete = False
    return Completeness(at, complete_through, lag_months, lag_source, uitnutting,
                        tuple(states))


def provisional_flags(months: Sequence[date], complete_through: date) -> np.ndarray:
    """For a chart or table by month (first days): True where the month is provisional."""
    return np.array([m > complete_through for m in months], dtype=bool)


@dataclass(frozen=True)
class LagProfile:
    """How long declarations take: months after a care month until THRESHOLD of its claims
    are in, measured on the months sdesk saw arrive (not on a first load of history)."""

    months: int
    source: str  # "geschat" or "standaard"
    arrived: tuple[float, ...] = ()  # share in by 0, 1, 2 ... months after the care month
    observed_months: int = 0


MIN_OBSERVED_MONTHS = 3
LAG_HISTORY_MONTHS = 18


def _month_index(text: str) -> int:
    return int(text[:4]) * 12 + int(text[5:7]) - 1


def estimate_lag(rows: Sequence[tuple[str, str, int]], at: date,
                 threshold: float = THRESHOLD) -> LagProfile:
    """The lag from (care month "YYYY-MM", month first seen "YYYY-MM", cents) sums.

    Care months before the first month sdesk saw anything are a first load of history (all
    'seen' on one day) and tell nothing; a care month counts once MAX_LAG_MONTHS have passed
    since, so every arrival that counts has had its chance."""
    if not rows:
        return LagProfile(DEFAULT_LAG_MONTHS, "standaard")
    first_seen = min(_month_index(seen) for _, seen, _ in rows)
    last_care = at.year * 12 + at.month - 1 - MAX_LAG_MONTHS
    arrived = np.zeros(MAX_LAG_MONTHS + 1)
    months: set[int] = set()
    for care, seen, cents in rows:
        care_i, seen_i = _month_index(care), _month_index(seen)
        if care_i < first_seen or care_i > last_care:
            continue
        months.add(care_i)
        arrived[min(max(seen_i - care_i, 0), MAX_LAG_MONTHS)] += cents
    total = arrived.sum()
    if len(months) < MIN_OBSERVED_MONTHS or total <= 0:
        return LagProfile(DEFAULT_LAG_MONTHS, "standaard", observed_months=len(months))
    shares = np.cumsum(arrived) / total
    lag = int(np.argmax(shares >= threshold - 1e-9))
    return LagProfile(lag, "geschat", tuple(round(float(s), 4) for s in shares), len(months))


def lag_profile(engine: Engine, at: date, law: str | None = None) -> LagProfile:
    """The lag of one law (or all) as sdesk observed it up to `at`."""
    # The last LAG_HISTORY_MONTHS care months tell the present lag; older ones only cost time.
    first = add_months(at.replace(day=1), -LAG_HISTORY_MONTHS)
    if _summarised(at):
        # Whole months: the claim_arrival summary holds exactly these sums.
        from sdesk.services.platform.summaries import ensure_summaries

        ensure_summaries(engine)
        sql = ("SELECT month, seen, SUM(amount_cents) FROM claim_arrival "
               "WHERE month BETWEEN ? AND ? AND seen <= ?")
        last = at.year * 100 + at.month
        params: list[object] = [first.year * 100 + first.month, last, last]
        if law:
            sql += " AND law = ?"
            params.append(law)
        rows = [(_month_text(c), _month_text(s), int(v)) for c, s, v in fetch_rows(
            engine, sql + " GROUP BY 1, 2", tuple(params))]
        return estimate_lag(rows, at)
    sql = ("SELECT substr(c.period_start, 1, 7), substr(c.first_seen, 1, 7), "
           "SUM(c.amount_cents) FROM claim c JOIN allocation a ON a.id = c.allocation_id "
           "WHERE c.rejected = 0 AND c.period_start BETWEEN ? AND ? "
           "AND c.first_seen IS NOT NULL AND c.first_seen <= ?")
    params = [first.isoformat(), at.isoformat(), at.isoformat()]
    if law:
        sql += " AND +a.law = ?"  # claims by period first (readers._LAW_LAST)
        params.append(law)
    sql += " GROUP BY 1, 2"
    rows = [(str(c), str(s), int(v)) for c, s, v in fetch_rows(engine, sql, tuple(params))]
    return estimate_lag(rows, at)


def _summarised(at: date) -> bool:
    """Whether the claim_arrival summary holds the lag up to `at` exactly: whole months."""
    return at == month_end(at.year, at.month)


def _month_text(month: int) -> str:
    """202506 -> "2025-06"."""
    return f"{int(month) // 100:04d}-{int(month) % 100:02d}"


def claims_completeness(engine: Engine, at: date, law: str | None = None) -> Completeness:
    """Completeness of one law's claims (or all) on `at`."""
    profile = lag_profile(engine, at, law)
    first = add_months(lag_horizon(at, profile.months), -HISTORY_MONTHS).replace(day=1)
    frame = allocation_costs_frame(engine, first, at, law)
    if _summarised(at):
        from sdesk.services.platform.summaries import realised_per_month

        per_month = realised_per_month(engine, first, at, law)
    else:
        per_month = claims_per_month(engine, first, at, law)
    state = assess_totals(frame, per_month, at, profile.months, profile.source)
    # Months after the data are never complete, however far back the lag says they lie (a
    # peildatum chosen long after the last claims).
    until = last_day_with_data(engine)
    if until is not None and state.complete_through > until:
        last = until if until == month_end(until.year, until.month) else (
            until.replace(day=1) - timedelta(days=1))
        state = dataclasses.replace(state, complete_through=min(state.complete_through, last))
    return state
