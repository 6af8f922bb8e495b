"""What the council workbook shows, gathered once from the same service functions as the
dashboard and the budget page, before anything is protected or written.

The monthly trend and the trend's completeness are kept in the database file per data
version (issue 17 item 4): making the workbook again in a new process reads them back
instead of loading the KPI working set. The KPI answers and the budget keep their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.budget import BudgetReport, budget_report, report_peildatum
from sdesk.services.kpi import (
    KpiComparison,
    Kpis,
    compare_periods,
    monthly_trend,
    quarterly_kpis,
    trend_window,
)
from sdesk.services.platform import stored_frames
from sdesk.services.platform.cache import key
from sdesk.services.platform.completeness import claims_completeness
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.peildatum import default_peildatum, peildatum_warning
from sdesk.services.platform.stored_values import kept


@dataclass(frozen=True)
class CouncilRequest:
    """The period, scope and budget year of a council workbook."""

    start: date
    end: date
    law: str | None = None
    team: str | None = None
    budget_year: int | None = None
    at: date | None = None
    internal: bool = False  # True: no small-cell suppression (logged as such, DESIGN 8)
    trend_from: date | None = None


@dataclass(frozen=True)
class TrendContent:
    """Costs and clients per month and law, and the KPIs of every full quarter."""

    frame: pd.DataFrame  # month, law, realised_cents, constant_cents, clients
    laws: list[str]
    quarters: list[Kpis]
    base_year: int | None = None  # of the constant prices


@dataclass(frozen=True)
class CouncilContent:
    """The figures of the chosen sheets (None for a sheet that is not asked)."""

    request: CouncilRequest
    comparison: KpiComparison | None
    trend: TrendContent | None
    budget: BudgetReport | None
    budget_year: int
    budget_missing: str | None  # why there is no budget sheet content, in Dutch
    # #15: the peildatum warning (a peildatum after the data) and up to which day the trend's
    # claims are complete (later months are provisional: lighter fill)
    peildatum_warning: str | None = None
    trend_complete_through: date | None = None


def gather(engine: Engine, request: CouncilRequest, sheets: tuple[str, ...]) -> CouncilContent:
    """The content of the sheets `sheets` ("kpi", "trends", "budget")."""
    comparison = (compare_periods(engine, request.start, request.end, request.law, request.team)
                  if "kpi" in sheets else None)
    trend, months = None, None
    if "trends" in sheets:
        months = _trend_months(engine, request)
        frame = months.frame
        trend = TrendContent(frame, sorted(frame["law"].unique().tolist()),
                             quarterly_kpis(engine, months.start, request.end, request.law,
                                            request.team), months.base_year)
    year = request.budget_year or request.end.year
    budget, missing = None, None
    at = report_peildatum(engine, year, request.at)  # the one default peildatum (#15)
    if "budget" in sheets:
        try:
            budget = budget_report(engine, year, at)
        except NotFoundError as exc:
            missing = str(exc)
    complete = (_complete_through(engine, min(request.end, default_peildatum(engine)),
                                  request.law, months.complete_through)
                if months is not None else None)
    return CouncilContent(request, comparison, trend, budget, year, missing,
                          peildatum_warning(engine, at), complete)


COMPLETE_KIND = "council_complete_through"


def _complete_through(engine: Engine, at: date, law: str | None,
                      on_peildatum: date | None) -> date:
    """Up to which day the claims are complete on `at`. On the default peildatum that is the
    date the monthly trend carries (`on_peildatum`: the same judgement, kept by the KPIs);
    on another day it is judged once per data version and kept in the database file (a
    second at the large preset)."""
    if at == default_peildatum(engine) and on_peildatum is not None:
        return on_peildatum
    return kept(engine, COMPLETE_KIND, (at.isoformat(), law),
                lambda: claims_completeness(engine, at, law).complete_through,
                date.isoformat, date.fromisoformat, keep=8)


@dataclass(frozen=True)
class _Months:
    """The trend window's first month and kpi.monthly_trend over it."""

    start: date
    frame: pd.DataFrame
    base_year: int | None
    complete_through: date | None


TREND_KIND = "council_trend"
_KEEP_TRENDS = 4


def _trend_months(engine: Engine, request: CouncilRequest) -> _Months:
    """The monthly trend of the trend window, kept in the database file per data version
    (stored_frames): a new process making the workbook again reads back 60 rows instead of
    loading the KPI working set and counting clients month by month."""
    stored_key = repr((key(engine), request.start.isoformat(), request.end.isoformat(),
                       request.law, request.team,
                       request.trend_from and request.trend_from.isoformat()))
    found = stored_frames.load(engine, TREND_KIND, stored_key)
    if found is not None:
        frame, extra = found
        frame["month"] = pd.Series([date.fromisoformat(m) for m in frame["month"]],
                                   index=frame.index, dtype=object)
        through = extra["complete_through"]
        return _Months(date.fromisoformat(extra["start"]), frame, extra["base_year"],
                       None if through is None else date.fromisoformat(through))
    window = trend_window(engine, request.law, request.team, end=request.end,
                         start=request.trend_from)
    start = window.first_month if window else request.start
    monthly = monthly_trend(engine, start, request.end, request.law, request.team)
    through = monthly.complete_through
    stored_frames.save(
        engine, TREND_KIND, stored_key,
        monthly.frame.assign(month=[m.isoformat() for m in monthly.frame["month"]]),
        {"start": start.isoformat(), "base_year": monthly.base_year,
         "complete_through": None if through is None else through.isoformat()},
        keep=_KEEP_TRENDS)
    return _Months(start, monthly.frame, monthly.base_year, through)
