"""What the claims and commitments say about each budget line's selection on a peildatum:
realisation, completeness and the computed forecast (the arithmetic of report.py's module
documentation). budget_report keeps the result per data version; this module computes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.budget.figures import BudgetFigures, SelectionFigures, line_rows
from sdesk.services.budget.forecast import lag_aware_forecast
from sdesk.services.budget.selection import parse_categories, selects
from sdesk.services.platform.completeness import (
    HISTORY_MONTHS,
    MAX_LAG_MONTHS,
    LagProfile,
    assess_totals,
    claims_completeness,
    lag_profile,
)
from sdesk.services.platform.costs import commitments_cents
from sdesk.services.platform.peildatum import last_day_with_data
from sdesk.services.platform.periods import add_months, month_end
from sdesk.services.platform.readers import (
    allocation_costs_frame,
    claims_by_allocation,
    claims_by_month,
    fetch_rows,
)
from sdesk.services.platform.summaries import ensure_summaries


def selection_figures(engine: Engine, year: int, at: date,
                      selections: list[tuple[Any, Any, Any, bool]]) -> BudgetFigures:
    """The realisation, completeness and computed forecast of each selection (law, the
    categories as stored, delivery form, whether it is a subtotal's) of `year` on `at`."""
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    # Far enough back for the twelve complete months before the longest lag horizon.
    first = add_months(at.replace(day=1), -(HISTORY_MONTHS + MAX_LAG_MONTHS + 1))
    frame = allocation_costs_frame(engine, min(first, year_start), year_end)
    # A peildatum at a month's end (the default) reads the lines' claims per month from the
    # realisation_month summary; another day needs the claims themselves.
    groups = _claim_groups(engine, first, at) if _summarised(at) else None
    monthly = claims_by_month(engine, first, max(at, first)) if groups is None else None
    ytd = claims_by_allocation(engine, year_start, at) if (
        at >= year_start and groups is None) else None
    realised_ytd = (frame["id"].map(ytd.set_index("allocation_id")["amount_cents"])
                    .fillna(0).to_numpy() if ytd is not None and len(ytd)
                    else np.zeros(len(frame)))
    claimed_ids = set(monthly["allocation_id"]) if monthly is not None and len(monthly) else (
        set())
    committed_year = commitments_cents(frame, year_start, year_end) if len(frame) else (
        np.zeros(0))
    profiles: dict[str | None, LagProfile] = {}
    # After the month the data end in nothing is complete, whatever the lag says (a
    # peildatum after the data, which the CLI and the screen warn about).
    until = last_day_with_data(engine) or at
    data_end = month_end(until.year, until.month)

    out: list[SelectionFigures | None] = []
    for law, cats, form, _subtotal in selections:
        categories = parse_categories(cats)
        mask = selects(frame, law, categories, form)
        chosen = frame[mask]
        if groups is not None:
            per_month = _per_month(groups[selects(groups, law, categories, form)])
            claimed = bool(per_month)
        else:
            ids = set(chosen["id"])
            assert monthly is not None
            per_month = _per_month(monthly[monthly["allocation_id"].isin(ids)])
            claimed = bool(chosen["id"].isin(claimed_ids).any())
        if not (claimed or committed_year[mask].sum() > 0):
            out.append(None)
            continue
        if law not in profiles:
            profiles[law] = lag_profile(engine, at, law)
        profile = profiles[law]
        state = assess_totals(chosen, per_month, at, profile.months, profile.source)
        complete_through = min(state.complete_through, data_end)
        forecast = lag_aware_forecast(chosen, per_month, year, at, complete_through)
        realised = (sum(v for m, v in per_month.items() if m >= f"{year:04d}-01")
                    if groups is not None else round(float(realised_ytd[mask].sum())))
        out.append(SelectionFigures(realised, forecast.prognose_cents, forecast.uitnutting,
                                    forecast.lag_estimate_cents, min(complete_through, at)))
    counted = [f for f, (*_, subtotal) in zip(out, selections, strict=True)
               if f is not None and not subtotal]
    complete = (min(f.complete_through for f in counted) if counted else
                min(claims_completeness(engine, at).complete_through, data_end, at))
    return BudgetFigures(out, complete)


def _summarised(at: date) -> bool:
    """Whether the summary holds the claims up to `at` exactly: whole months."""
    return at == month_end(at.year, at.month)


def _claim_groups(engine: Engine, first: date, at: date) -> pd.DataFrame:
    """Non-rejected claims of live allocations from `first` through the month of `at`, per
    law, category, delivery form and month ("YYYY-MM"), from the realisation_month summary:
    columns law, category, delivery_form, month, amount_cents."""
    ensure_summaries(engine)
    rows = fetch_rows(engine, (
        "SELECT law, category, delivery_form, month, SUM(amount_cents) FROM realisation_month "
        "WHERE month BETWEEN ? AND ? GROUP BY 1, 2, 3, 4"),
        (first.year * 100 + first.month, at.year * 100 + at.month))
    frame = pd.DataFrame.from_records(rows, columns=["law", "category", "delivery_form",
                                                     "month", "amount_cents"])
    frame["month"] = [f"{m // 100:04d}-{m % 100:02d}" for m in frame["month"].tolist()]
    return frame


def _per_month(claims: pd.DataFrame) -> dict[str, int]:
    """Claims ("month", "amount_cents" columns) summed per month: "YYYY-MM" -> cents."""
    if not len(claims):
        return {}
    return {str(k): int(v) for k, v in claims.groupby("month")["amount_cents"].sum().items()}


def cumulative_realisation(engine: Engine, year: int) -> pd.DataFrame:
    """Realisation per month of the year, cumulative, over all budget lines' selections:
    columns month (1..12), realised_cents, cumulative_cents."""
    # Whole months of the year: the lines' claims per month from the realisation_month
    # summary (what budget_report reads at a month's end), selected as the lines select.
    claims = _claim_groups(engine, date(year, 1, 1), date(year, 12, 31))
    selected = np.zeros(len(claims), dtype=bool)
    for _name, law, cats, form, *_ in line_rows(engine, year):
        categories = parse_categories(cats)
        if law or categories or form:
            selected |= selects(claims, law, categories, form)
    claims = claims[selected]
    months = claims.assign(month=claims["month"].str.slice(5, 7).astype(int)).groupby(
        "month")["amount_cents"].sum().reindex(range(1, 13), fill_value=0)
    return pd.DataFrame({"month": months.index, "realised_cents": months.to_numpy(),
                         "cumulative_cents": months.cumsum().to_numpy()})
