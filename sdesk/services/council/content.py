"""What the council workbook shows, gathered once from the same service functions as the
dashboard and the budget page, before anything is protected or written."""

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
from sdesk.services.platform.completeness import claims_completeness
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.peildatum import default_peildatum, peildatum_warning


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
    trend = None
    if "trends" in sheets:
        window = trend_window(engine, request.law, request.team, end=request.end,
                              start=request.trend_from)
        start = window.first_month if window else request.start
        frame = monthly_trend(engine, start, request.end, request.law, request.team).frame
        trend = TrendContent(frame, sorted(frame["law"].unique().tolist()),
                             quarterly_kpis(engine, start, request.end, request.law,
                                            request.team))
    year = request.budget_year or request.end.year
    budget, missing = None, None
    at = report_peildatum(engine, year, request.at)  # the one default peildatum (#15)
    if "budget" in sheets:
        try:
            budget = budget_report(engine, year, at)
        except NotFoundError as exc:
            missing = str(exc)
    complete = (claims_completeness(engine, min(request.end, default_peildatum(engine)),
                                    request.law).complete_through if trend is not None else None)
    return CouncilContent(request, comparison, trend, budget, year, missing,
                          peildatum_warning(engine, at), complete)
