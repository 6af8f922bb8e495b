"""Shared readers that hand DataFrames to the computations (KPIs, worklist, budget).

Allocations removed with reden wijziging 13 ("Verwijderd") are treated as never sent and are
left out of every figure here, once.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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


def claims_in_windows(engine: Engine, windows: Sequence[tuple[date, date]],
                      law: str | None = None, *, skip_removed: bool = True) -> pd.DataFrame:
    """Realisation per allocation in several date windows with one pass over the claims:
    non-rejected claim lines whose period starts in window i give amount_cents_i (their sum)
    and lines_i (their number). Columns: allocation_id, amount_cents_0, lines_0, ...; only
    allocations with a claim in at least one window appear.

    skip_removed=False (and no law) leaves out the join with the allocations, a third of the
    time on large data: for callers that merge the result onto an allocation frame from this
    module, which has no removed allocations to begin with."""
    if not windows:
        raise ValueError("at least one window")
    sums: list[str] = []
    params: list[object] = []
    columns = ["allocation_id"]
    for i, (start, end) in enumerate(windows):
        sums.append("SUM(CASE WHEN c.period_start BETWEEN ? AND ? THEN c.amount_cents "
                    "ELSE 0 END), SUM(CASE WHEN c.period_start BETWEEN ? AND ? THEN 1 "
                    "ELSE 0 END)")
        params += [start.isoformat(), end.isoformat()] * 2
        columns += [f"amount_cents_{i}", f"lines_{i}"]
    join = skip_removed or law
    sql = (f"SELECT c.allocation_id, {', '.join(sums)} FROM claim c "
           + ("JOIN allocation a ON a.id = c.allocation_id " if join else "")
           + "WHERE c.rejected = 0 AND c.period_start BETWEEN ? AND ? "
           + (f"AND COALESCE(a.change_reason, '') <> '{REMOVED}'" if join else ""))
    params += [min(w[0] for w in windows).isoformat(), max(w[1] for w in windows).isoformat()]
    if law:
        sql += " AND a.law = ?"
        params.append(law)
    sql += " GROUP BY c.allocation_id"
    frame = pd.DataFrame.from_records(fetch_rows(engine, sql, tuple(params)), columns=columns)
    return frame.astype("int64") if len(frame) else frame.astype(
        dict.fromkeys(columns, "int64"))


ACTIVE_COLUMNS = (
    "id", "toewijzingnummer", "person_id", "household_id", "person_external_id", "bsn",
    "last_name", "first_name", "law", "category", "product_code", "description", "provider",
    "start_date", "end_date", "volume", "unit", "frequency", "tariff_cents", "budget_cents",
    "employee_id",
)


def _object_frame(rows: list[tuple], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as object columns: skips pandas' string-type inference, half the time of
    from_records on a few hundred thousand rows; callers convert what they compute with."""
    return pd.DataFrame(rows, columns=list(columns), dtype=object) if rows else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in columns})


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d")


def allocations_active_on(engine: Engine, at: date) -> pd.DataFrame:
    """The allocations active on `at` with only what the cost arithmetic and a worklist row
    need (ACTIVE_COLUMNS; person_external_id is the source person id; bsn and names are for
    roles that see identity, the caller drops them for others). Allocations and their
    persons are read in two queries (the persons by id), which is cheaper than a join.
    start_date/end_date are datetime64 (end NaT when open-ended); ids int64 (employee_id
    float, NaN without one); volume, tariff_cents, budget_cents float; text columns object."""
    allocation_columns = [c for c in ACTIVE_COLUMNS if c not in _PERSON_COLUMNS]
    rows = fetch_rows(engine, (
        "SELECT a.id, a.toewijzingnummer, a.person_id, a.law, a.category, a.product_code, "
        "a.description, a.provider, a.start_date, a.end_date, a.volume, a.unit, a.frequency, "
        "a.tariff_cents, a.budget_cents, a.employee_id FROM allocation a "
        "WHERE a.start_date <= ? AND (a.end_date IS NULL OR a.end_date >= ?) "
        f"AND COALESCE(a.change_reason, '') <> '{REMOVED}'"), (at.isoformat(), at.isoformat()))
    frame = _object_frame(rows, allocation_columns)
    frame["id"] = frame["id"].astype("int64")
    frame["person_id"] = frame["person_id"].astype("int64")
    frame["employee_id"] = pd.to_numeric(frame["employee_id"]).astype("float64")
    frame["start_date"] = _dates(frame["start_date"])
    frame["end_date"] = _dates(frame["end_date"])
    for column in ("volume", "tariff_cents", "budget_cents"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    person_ids = sorted(set(frame["person_id"].tolist()))
    persons = _object_frame(fetch_rows(engine, (
        "SELECT p.id, p.household_id, p.external_id, p.bsn, p.last_name, p.first_name "
        "FROM json_each(?) j JOIN person p ON p.id = j.value"), (json.dumps(person_ids),)),
        ["person_id", *_PERSON_COLUMNS]).set_index("person_id")
    persons.index = persons.index.astype("int64")
    found = persons.reindex(frame["person_id"].to_numpy())
    for column in _PERSON_COLUMNS:
        frame[column] = pd.Series(found[column].to_numpy(dtype=object), index=frame.index,
                                  dtype=object)
    frame["household_id"] = frame["household_id"].astype("int64")
    return frame[list(ACTIVE_COLUMNS)]


_PERSON_COLUMNS = ("household_id", "person_external_id", "bsn", "last_name", "first_name")


def allocation_spans(engine: Engine, ended_from: date, ended_before: date) -> pd.DataFrame:
    """Allocations that ended in [ended_from, ended_before): id, person_id, law, category,
    start_date, end_date (datetime64), product_code, description. With
    allocations_active_on(ended_before) they give every allocation that touches
    [ended_from, ended_before], e.g. to merge spells."""
    rows = fetch_rows(engine, (
        "SELECT id, person_id, law, category, start_date, end_date, product_code, "
        "description FROM allocation "
        "WHERE end_date >= ? AND end_date < ? AND start_date <= end_date "
        f"AND COALESCE(change_reason, '') <> '{REMOVED}'"),
        (ended_from.isoformat(), ended_before.isoformat()))
    frame = _object_frame(rows, ["id", "person_id", "law", "category", "start_date",
                                 "end_date", "product_code", "description"])
    frame["id"] = frame["id"].astype("int64")
    frame["person_id"] = frame["person_id"].astype("int64")
    frame["start_date"] = _dates(frame["start_date"])
    frame["end_date"] = _dates(frame["end_date"])
    return frame
