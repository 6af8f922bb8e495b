"""The lag-aware forecast of a budget line (#15 item 2, replacing DESIGN section 4's).

    prognose = realisation up to complete_through
             + for each provisional month up to the peildatum: the larger of its claims so far
               and its commitment x uitnutting
             + the commitment from the day after the peildatum to 31 December x uitnutting

The uitnutting is realisation ÷ commitment over the last twelve complete months. What the
provisional months add above their claims so far is the estimate of care delivered but not yet
declared: `lag_estimate`, shown per line so nobody has to take it on trust.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from sdesk.services.platform.completeness import month_starts
from sdesk.services.platform.costs import commitments_cents
from sdesk.services.platform.periods import add_months, month_end


@dataclass(frozen=True)
class Forecast:
    realised_cents: int  # every claim from 1 January to the peildatum, provisional months too
    complete_cents: int  # claims from 1 January to complete_through
    provisional_cents: float  # the provisional months of the year up to the peildatum
    rest_cents: float  # commitment x uitnutting after the peildatum
    lag_estimate_cents: int  # provisional estimate minus their claims so far
    uitnutting: float

    @property
    def prognose_cents(self) -> int:
        """The forecast for the whole year."""
        return round(self.complete_cents + self.provisional_cents + self.rest_cents)


def _committed(allocations: pd.DataFrame, start: date, end: date) -> float:
    if not len(allocations) or end < start:
        return 0.0
    return float(commitments_cents(allocations, start, end).sum())


def lag_aware_forecast(allocations: pd.DataFrame,
                       monthly_claims: pd.DataFrame | Mapping[str, int], year: int,
                       at: date, complete_through: date) -> Forecast:
    """The forecast of the allocations given (one budget line's selection) for `year` on `at`.

    `monthly_claims`: allocation_id, month ("YYYY-MM"), amount_cents, covering the twelve
    complete months before complete_through and the year up to `at`; or the line's claims
    already summed per month ("YYYY-MM" -> cents)."""
    if isinstance(monthly_claims, pd.DataFrame):
        ids = set(allocations["id"]) if len(allocations) else set()
        claims = monthly_claims[monthly_claims["allocation_id"].isin(ids)]
        per_month: Mapping[str, int] = {
            str(k): int(v) for k, v in claims.groupby("month")["amount_cents"].sum().items()}
    else:
        per_month = monthly_claims

    def claimed(month: date) -> int:
        return int(per_month.get(month.strftime("%Y-%m"), 0))

    history_start = add_months(complete_through, -12) + timedelta(days=1)
    history = month_starts(history_start, complete_through)
    hist_commit = _committed(allocations, history_start, complete_through)
    uitnutting = sum(claimed(m) for m in history) / hist_commit if hist_commit else 1.0

    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    complete = provisional = 0.0
    lag = 0.0
    realised = 0
    for month in month_starts(year_start, min(at, year_end)):
        so_far = claimed(month)
        realised += so_far
        if month_end(month.year, month.month) <= complete_through:
            complete += so_far
            continue
        expected = _committed(allocations, month, min(month_end(month.year, month.month), at))
        estimate = max(float(so_far), expected * uitnutting)
        provisional += estimate
        lag += estimate - so_far
    rest = _committed(allocations, max(at + timedelta(days=1), year_start), year_end)
    return Forecast(realised, round(complete), provisional, rest * uitnutting, round(lag),
                    uitnutting)
