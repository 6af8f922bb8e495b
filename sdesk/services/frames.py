"""Shared readers that hand DataFrames to the computations (KPIs, worklist, budget).

Allocations removed with reden wijziging 13 ("Verwijderd") are treated as never sent and are
left out of every figure here, once.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

REMOVED = "13"

ALLOCATION_COLUMNS = (
    "id", "toewijzingnummer", "person_id", "household_id", "law", "category", "product_code",
    "description", "provider", "referrer", "delivery_form", "provision_kind", "start_date",
    "end_date", "volume", "unit", "frequency", "tariff_cents", "budget_cents", "employee_id",
    "team_id", "change_reason", "end_reason",
)


def fetch_rows(engine: Engine, sql: str, params: tuple[object, ...] = ()) -> list[tuple]:
    """Plain tuples from the DBAPI cursor: building a DataFrame from SQLAlchemy Row objects
    costs seconds on a few hundred thousand rows (pandas probes every row's attributes)."""
    with engine.connect() as conn:
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql, params)
            return cursor.fetchall()
        finally:
            cursor.close()


def allocations_frame(engine: Engine, law: str | None = None, team: str | None = None,
                      active_from: date | None = None, active_to: date | None = None,
                      persons_ending: tuple[date, date] | None = None) -> pd.DataFrame:
    """Allocations (optionally of one law/team, or active somewhere in [from, to]).

    persons_ending=(a, b) keeps the whole history of the people with an allocation (of the
    law) ending in [a, b].

    start_date/end_date are datetime64 (end NaT when open-ended).
    """
    sql = (
        "SELECT a.id, a.toewijzingnummer, a.person_id, p.household_id, a.law, a.category, "
        "a.product_code, a.description, a.provider, a.referrer, a.delivery_form, "
        "a.provision_kind, a.start_date, a.end_date, a.volume, a.unit, a.frequency, "
        "a.tariff_cents, a.budget_cents, a.employee_id, e.team_id, a.change_reason, "
        "a.end_reason FROM allocation a JOIN person p ON p.id = a.person_id "
        "LEFT JOIN employee e ON e.id = a.employee_id LEFT JOIN team t ON t.id = e.team_id "
        f"WHERE COALESCE(a.change_reason, '') <> '{REMOVED}'")
    params: list[object] = []
    if law:
        sql += " AND a.law = ?"
        params.append(law)
    if team:
        sql += " AND t.name = ?"
        params.append(team)
    if active_to is not None:
        sql += " AND a.start_date <= ?"
        params.append(active_to.isoformat())
    if active_from is not None:
        sql += " AND (a.end_date IS NULL OR a.end_date >= ?)"
        params.append(active_from.isoformat())
    if persons_ending is not None:
        sql += (" AND a.person_id IN (SELECT person_id FROM allocation WHERE end_date "
                "BETWEEN ? AND ?" + (" AND law = ?)" if law else ")"))
        params += [persons_ending[0].isoformat(), persons_ending[1].isoformat()]
        if law:
            params.append(law)
    rows = fetch_rows(engine, sql, tuple(params))
    frame = pd.DataFrame.from_records(rows, columns=list(ALLOCATION_COLUMNS))
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    for column in ("volume", "tariff_cents", "budget_cents"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("unit", "frequency", "category", "referrer", "end_reason", "law"):
        frame[column] = frame[column].astype(object)
    return frame


def claims_by_allocation(engine: Engine, start: date, end: date,
                         law: str | None = None) -> pd.DataFrame:
    """Realisation (DESIGN 4): non-rejected claim amounts whose period starts in [start, end],
    summed per allocation. Columns: allocation_id, amount_cents."""
    sql = ("SELECT c.allocation_id, SUM(c.amount_cents) FROM claim c "
           "JOIN allocation a ON a.id = c.allocation_id "
           "WHERE c.rejected = 0 AND c.period_start BETWEEN ? AND ? "
           f"AND COALESCE(a.change_reason, '') <> '{REMOVED}'")
    params: list[object] = [start.isoformat(), end.isoformat()]
    if law:
        sql += " AND a.law = ?"
        params.append(law)
    sql += " GROUP BY c.allocation_id"
    return pd.DataFrame.from_records(fetch_rows(engine, sql, tuple(params)),
                                     columns=["allocation_id", "amount_cents"])


def claims_by_month(engine: Engine, start: date, end: date,
                    law: str | None = None) -> pd.DataFrame:
    """Realisation per allocation per calendar month of period_start (for trends and
    utilisation). Columns: allocation_id, month ("YYYY-MM"), amount_cents."""
    sql = ("SELECT c.allocation_id, substr(c.period_start, 1, 7), SUM(c.amount_cents) "
           "FROM claim c JOIN allocation a ON a.id = c.allocation_id "
           "WHERE c.rejected = 0 AND c.period_start BETWEEN ? AND ? "
           f"AND COALESCE(a.change_reason, '') <> '{REMOVED}'")
    params: list[object] = [start.isoformat(), end.isoformat()]
    if law:
        sql += " AND a.law = ?"
        params.append(law)
    sql += " GROUP BY c.allocation_id, substr(c.period_start, 1, 7)"
    return pd.DataFrame.from_records(fetch_rows(engine, sql, tuple(params)),
                                     columns=["allocation_id", "month", "amount_cents"])
