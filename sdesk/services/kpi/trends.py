"""Series for the dashboard's trend charts and the council workbook, from the KPI working set.

Monthly: realised cost per law (nominal and at constant prices) and distinct clients.
Quarterly: every KPI of DESIGN section 5 (inflow/outflow bars, cost per client, referrers,
top-10 share) by calling compute_kpis per quarter (kept per data version: answers.period_kpis),
so there is still one definition per figure.
Every month carries whether it is provisional (its claims are not all in yet, lag.py); a
quarter is provisional when it ends after `complete_through` (`provisional_spans`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.kpi.answers import period_kpis
from sdesk.services.kpi.definitions import deflators
from sdesk.services.kpi.lag import kpi_complete_through
from sdesk.services.kpi.results import Kpis
from sdesk.services.kpi.working_set import kpi_data
from sdesk.services.platform import stored_values
from sdesk.services.platform.completeness import provisional_flags
from sdesk.services.platform.periods import add_months
from sdesk.services.platform.readers import fetch_rows
from sdesk.services.platform.summaries import ensure_realisation_month


@dataclass(frozen=True)
class MonthlyTrend:
    """One row per month and law: month (first day), law, realised_cents, constant_cents,
    clients (distinct persons with an active allocation of that law in the month), provisional
    (the month lies after `complete_through`: part of its claims may still come in)."""

    frame: pd.DataFrame
    base_year: int | None
    complete_through: date | None = None


def history_bounds(engine: Engine) -> tuple[date, date] | None:
    """First and last day of the history worth a trend (at most five years); None when empty.
    Kept per data version: the dashboard's first figures need it before the working set."""
    def compute() -> list[str] | None:
        data = kpi_data(engine)
        if data.allocations.empty:
            return None
        first = data.allocations["start_date"].min()
        last = data.data_until
        start = max(first, last - pd.DateOffset(years=5)).date().replace(day=1)
        return [start.isoformat(), last.date().isoformat()]

    def to_json(bounds: list[str] | None) -> list[str] | None:
        return bounds
    found = stored_values.kept(engine, "history_bounds", None, compute, to_json, to_json,
                               keep=2)
    return None if found is None else (date.fromisoformat(found[0]),
                                       date.fromisoformat(found[1]))


def monthly_trend(engine: Engine, start: date, end: date, law: str | None = None,
                  team: str | None = None, base_year: int | None = None) -> MonthlyTrend:
    """Costs (current and constant prices) and clients per month and law."""
    data = kpi_data(engine)
    allocations = data.of_law(law)
    if team:
        allocations = allocations[allocations["team_id"].isin(data.team_ids(team))]
    first = date(start.year, start.month, 1)
    ensure_realisation_month(engine)
    sql = ("SELECT month, law, SUM(amount_cents) FROM realisation_month "
           "WHERE month BETWEEN ? AND ?")
    params: list[object] = [first.year * 100 + first.month, end.year * 100 + end.month]
    if law:
        sql += " AND law = ?"
        params.append(law)
    if team:
        team_ids = sorted(data.team_ids(team)) or [-1]
        sql += f" AND team_id IN ({','.join('?' for _ in team_ids)})"
        params += team_ids
    realised = {(m, lw): int(v) for m, lw, v in
                fetch_rows(engine, sql + " GROUP BY month, law", tuple(params))}
    laws = sorted(allocations["law"].unique().tolist())
    deflate, base = deflators(data, laws, base_year)

    months = pd.period_range(first, end, freq="M")
    clients = _clients_per_month(allocations, months, laws)
    rows = []
    for period in months:
        key = period.year * 100 + period.month
        for i, one in enumerate(laws):
            amount = int(realised.get((key, one), 0))
            factor = deflate.get((one, period.year), 1.0) or 1.0
            rows.append((period.start_time.date(), one, amount, round(amount / factor),
                         int(clients[key][i])))
    frame = pd.DataFrame(rows, columns=["month", "law", "realised_cents", "constant_cents",
                                        "clients"])
    complete_through = kpi_complete_through(engine, law)
    frame["provisional"] = provisional_flags(list(frame["month"]), complete_through)
    return MonthlyTrend(frame, base, complete_through)


def _clients_per_month(allocations: pd.DataFrame, months: pd.PeriodIndex,
                       laws: list[str]) -> dict[int, np.ndarray]:
    """Per month (YYYYMM) the distinct persons with an allocation of each law active in it:
    a flag per person and law set afresh each month (helper-15's measurement at large: 0.72 s
    with a unique() per month and law, 0.21 s this way)."""
    starts = allocations["start_date"].to_numpy()
    ends = allocations["end_date"].fillna(pd.Timestamp("2262-01-01")).to_numpy()
    person = pd.factorize(allocations["person_id"])[0].astype(np.int64)
    law = pd.Categorical(allocations["law"].astype(object),
                         categories=laws).codes.astype(np.int64)
    keep = law >= 0
    starts, ends, person, law = starts[keep], ends[keep], person[keep], law[keep]
    width = max(len(laws), 1)
    flags = np.zeros((int(person.max()) + 1 if len(person) else 0) * width, dtype=bool)
    key = person * width + law
    out: dict[int, np.ndarray] = {}
    for period in months:
        m0 = np.datetime64(period.start_time.normalize())
        m1 = np.datetime64(period.end_time.normalize())
        flags[:] = False
        flags[key[(starts <= m1) & (ends >= m0)]] = True
        out[period.year * 100 + period.month] = flags.reshape(-1, width).sum(axis=0)
    return out


def quarters(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar quarters (first day, last day) that [start, end] touches."""
    out = []
    for period in pd.period_range(start, end, freq="Q"):
        out.append((period.start_time.date(), period.end_time.date()))
    return out


def quarterly_kpis(engine: Engine, start: date, end: date, law: str | None = None,
                   team: str | None = None) -> list[Kpis]:
    """The KPIs of every full quarter within [start, end]."""
    return [period_kpis(engine, q0, q1, law, team) for q0, q1 in full_quarters(start, end)]


def full_quarters(start: date, end: date) -> list[tuple[date, date]]:
    """The quarters that lie wholly within [start, end] (a half quarter looks like a drop)."""
    return [q for q in quarters(start, end) if q[0] >= start and q[1] <= end]


@dataclass(frozen=True)
class TrendWindow:
    """The span every trend shows, on screen and in the council's workbook."""

    first_month: date  # first day of the first month shown
    last_day: date
    quarters: list[tuple[date, date]]  # the full quarters within the window


TREND_YEARS = 5


def trend_window(engine: Engine, law: str | None = None, team: str | None = None,
                 end: date | None = None, start: date | None = None) -> TrendWindow | None:
    """The one trend window: from the first month with claims in the scope (`law`, `team`),
    at most TREND_YEARS back from its end, to `end` (default: the last day with data); `start`
    overrides the first month. None when there is no data at all."""
    bounds = history_bounds(engine)
    if bounds is None:
        return None
    last = end or bounds[1]
    if start is not None:
        first = date(start.year, start.month, 1)
    else:
        floor = max(bounds[0], add_months(last, -12 * TREND_YEARS).replace(day=1))
        first = max(floor, _first_claim_month(engine, law, team) or floor)
    return TrendWindow(first, last, full_quarters(first, last))


def _first_claim_month(engine: Engine, law: str | None, team: str | None) -> date | None:
    """The first month with a non-zero realisation in the scope (no line from zero)."""
    ensure_realisation_month(engine)
    sql = "SELECT MIN(month) FROM realisation_month WHERE amount_cents <> 0"
    params: list[object] = []
    if law:
        sql += " AND law = ?"
        params.append(law)
    if team:
        team_ids = sorted(kpi_data(engine).team_ids(team)) or [-1]
        sql += f" AND team_id IN ({','.join('?' for _ in team_ids)})"
        params += team_ids
    rows = fetch_rows(engine, sql, tuple(params))
    month = rows[0][0] if rows else None
    return None if month is None else date(int(month) // 100, int(month) % 100, 1)
