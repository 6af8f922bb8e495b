"""Shared readers that hand DataFrames to the computations (KPIs, worklist, budget).

Allocations removed with reden wijziging 13 ("Verwijderd") are treated as never sent and are
left out of every figure here, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from typing import Any, cast

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

REMOVED = "13"

ALLOCATION_COLUMNS = (
    "id", "toewijzingnummer", "person_id", "household_id", "law", "category", "product_code",
    "description", "provider", "referrer", "delivery_form", "provision_kind", "start_date",
    "end_date", "volume", "unit", "frequency", "tariff_cents", "budget_cents", "employee_id",
    "team_id", "change_reason", "end_reason",
)


def fetch_rows(engine: Engine, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Plain tuples from the DBAPI cursor: building a DataFrame from SQLAlchemy Row objects
    costs seconds on a few hundred thousand rows (pandas probes every row's attributes)."""
    with engine.connect() as conn:
        cursor = conn.connection.cursor()
        try:
            cursor.execute(sql, params)
            return cast("list[tuple[Any, ...]]", cursor.fetchall())  # sqlite3: a list of tuples
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


COST_COLUMNS = ("id", "law", "category", "delivery_form", "start_date", "end_date", "volume",
                "unit", "frequency", "tariff_cents", "budget_cents")


def allocation_costs_frame(engine: Engine, active_from: date, active_to: date,
                           law: str | None = None) -> pd.DataFrame:
    """What the cost arithmetic and a budget line's selection need of the live allocations
    active somewhere in [active_from, active_to] (of one law, or all): COST_COLUMNS, dates as
    datetime64 (end NaT when open-ended), law, category and delivery form as categoricals (a
    line's selection compares them 44 times). Narrower than allocations_frame: no texts, no
    joins (a third of the time at the large preset)."""
    sql = (f"SELECT {', '.join('a.' + c for c in COST_COLUMNS)} FROM allocation a "
           f"WHERE COALESCE(a.change_reason, '') <> '{REMOVED}' AND a.start_date <= ? "
           "AND (a.end_date IS NULL OR a.end_date >= ?)")
    params: list[object] = [active_to.isoformat(), active_from.isoformat()]
    if law:
        sql += " AND a.law = ?"
        params.append(law)
    frame = pd.DataFrame.from_records(fetch_rows(engine, sql, tuple(params)),
                                      columns=list(COST_COLUMNS))
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    for column in ("volume", "tariff_cents", "budget_cents"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("unit", "frequency"):
        frame[column] = frame[column].astype(object)
    for column in ("law", "category", "delivery_form"):
        frame[column] = frame[column].astype("category")
    return frame


# _LAW_LAST: with "a.law = ?" SQLite starts from every allocation of the law ever and looks up
# its claims, so the cost grows with the history; "+a.law" (no index on the law) makes it read
# the claims of the period by ix_claim_period and look each allocation up by its key: the
# cost of the question (0.71 against 0.87 s for a year of jeugd at the large preset).


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
        sql += " AND +a.law = ?"  # claims by period first: see _LAW_LAST
        params.append(law)
    sql += " GROUP BY c.allocation_id"
    return pd.DataFrame.from_records(fetch_rows(engine, sql, tuple(params)),
                                     columns=["allocation_id", "amount_cents"])


def _live_claims(start: date, end: date, law: str | None) -> tuple[str, list[object]]:
    """FROM/WHERE of the non-rejected claims of live allocations whose period starts in
    [start, end] (of one law, or all), with its parameters."""
    sql = ("FROM claim c JOIN allocation a ON a.id = c.allocation_id "
           "WHERE c.rejected = 0 AND c.period_start BETWEEN ? AND ? "
           f"AND COALESCE(a.change_reason, '') <> '{REMOVED}'")
    params: list[object] = [start.isoformat(), end.isoformat()]
    if law:
        sql += " AND +a.law = ?"  # claims by period first: see _LAW_LAST
        params.append(law)
    return sql, params


def claims_by_month(engine: Engine, start: date, end: date,
                    law: str | None = None, numbered: bool = False) -> pd.DataFrame:
    """Realisation per allocation per calendar month of period_start (for trends and
    utilisation). Columns: allocation_id, month ("YYYY-MM"; with `numbered` the integer
    YYYYMM, int64 like the other columns), amount_cents."""
    where, params = _live_claims(start, end, law)
    month = ("CAST(substr(c.period_start, 1, 4) || substr(c.period_start, 6, 2) AS INTEGER)"
             if numbered else "substr(c.period_start, 1, 7)")
    sql = (f"SELECT c.allocation_id, {month}, SUM(c.amount_cents) {where} "
           f"GROUP BY c.allocation_id, {month}")
    frame = pd.DataFrame.from_records(fetch_rows(engine, sql, tuple(params)),
                                      columns=["allocation_id", "month", "amount_cents"])
    return frame.astype("int64") if numbered else frame


def claims_per_month(engine: Engine, first: date, last: date,
                     law: str | None = None) -> dict[str, int]:
    """The same claims summed per month of period_start ("YYYY-MM" -> cents), all allocations
    together (completeness needs only the totals)."""
    where, params = _live_claims(first, last, law)
    sql = f"SELECT substr(c.period_start, 1, 7), SUM(c.amount_cents) {where} GROUP BY 1"
    return {str(m): int(v) for m, v in fetch_rows(engine, sql, tuple(params))}


# -- the worklist's reads ---------------------------------------------------------------------
#
# The worklist reads the allocations on the calling thread while a worker thread has SQLite
# compute the claim sums, the persons and the rest. Python's sqlite3 module lets go of the
# GIL while SQLite works on a step, but a plain SELECT takes it back for every row: two threads
# fetching rows at once slowed each other down to 1.5 s against 0.9 s one after the other
# ("large" preset). `read_aside` therefore has SQLite materialise each result into a
# temporary table (a single step, no GIL) and fetches the rows only when the caller asks.
# One worker runs the queries one after the other: with one per query, four threads ran on
# two cores and the calling thread, the one that does the Python work, got half a core
# (0.1 s more in all).

Query = tuple[str, tuple[object, ...]]


@contextmanager
def read_aside(engine: Engine, queries: Mapping[str, Query]
               ) -> Iterator[Callable[[], dict[str, list[tuple[Any, ...]]]]]:
    """Run SELECTs one after the other on a connection of a worker thread while the caller
    goes on; the yielded function returns their rows (by name), waiting for them if needed."""
    names = list(queries)
    go = threading.Event()

    def work() -> dict[str, list[tuple[Any, ...]]]:
        with engine.connect() as conn:
            cursor = conn.connection.cursor()
            try:
                for i, name in enumerate(names):
                    sql, params = queries[name]
                    cursor.execute(f"DROP TABLE IF EXISTS temp.sdesk_aside_{i}")
                    cursor.execute(f"CREATE TEMP TABLE sdesk_aside_{i} AS {sql}", params)
                go.wait()
                return {name: cursor.execute(f"SELECT * FROM temp.sdesk_aside_{i}").fetchall()
                        for i, name in enumerate(names)}
            finally:
                for i in range(len(names)):
                    cursor.execute(f"DROP TABLE IF EXISTS temp.sdesk_aside_{i}")
                cursor.close()

    if not isinstance(engine.pool, QueuePool):
        # SQLCipher engines keep one connection per thread in a small pool that closes the
        # oldest when more threads come: read one after the other on this thread instead.
        yield lambda: {name: fetch_rows(engine, sql, params)
                       for name, (sql, params) in queries.items()}
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        job = pool.submit(work)

        def results() -> dict[str, list[tuple[Any, ...]]]:
            go.set()
            return job.result()
        try:
            yield results
        finally:
            go.set()


def claim_sums_query(amount_window: tuple[date, date], lines_window: tuple[date, date]
                     ) -> Query:
    """Per allocation: the non-rejected claim amounts with period_start in amount_window and
    the number of such claim lines in lines_window (both ends inclusive); only allocations
    with a claim in either appear. No join with the allocations, a third of the time on large
    data: the caller merges onto an allocation frame of this module, which has no removed
    allocations to begin with. Rows for claim_sums_frame."""
    first = min(amount_window[0], lines_window[0]).isoformat()
    last = max(amount_window[1], lines_window[1]).isoformat()
    return ("SELECT allocation_id, "
            "SUM(CASE WHEN period_start BETWEEN ? AND ? THEN amount_cents ELSE 0 END), "
            "SUM(CASE WHEN period_start BETWEEN ? AND ? THEN 1 ELSE 0 END) FROM claim "
            "WHERE rejected = 0 AND period_start BETWEEN ? AND ? GROUP BY allocation_id",
            (amount_window[0].isoformat(), amount_window[1].isoformat(),
             lines_window[0].isoformat(), lines_window[1].isoformat(), first, last))


def claim_sums_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Columns allocation_id, amount_cents, lines (int64)."""
    columns = ["allocation_id", "amount_cents", "lines"]
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(columns=columns)
    return frame.astype("int64")


# "Achternaam, Voornaam", either alone when the other is missing, NULL without both: the rule
# of directory.display_name, in SQL so the worker thread builds the names (a test keeps the
# two in step).
_NAME_SQL = ("CASE WHEN COALESCE(p.last_name, '') <> '' AND COALESCE(p.first_name, '') <> '' "
             "THEN p.last_name || ', ' || p.first_name "
             "ELSE NULLIF(COALESCE(p.last_name, '') || COALESCE(p.first_name, ''), '') END")


def persons_active_query(at: date) -> Query:
    """The persons with an allocation active on `at`; rows for persons_frame. The name is
    "Achternaam, Voornaam", either alone when the other is missing, NULL without both."""
    return ("SELECT p.id, p.household_id, p.external_id, p.bsn, " + _NAME_SQL
            + " FROM person p WHERE p.id IN (SELECT person_id FROM allocation "
            "WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?) "
            f"AND COALESCE(change_reason, '') <> '{REMOVED}')", (at.isoformat(),) * 2)


def persons_by_id_query() -> str:
    """The persons whose ids are in the JSON array bound as the one parameter."""
    return ("SELECT p.id, p.household_id, p.external_id, p.bsn, " + _NAME_SQL
            + " FROM json_each(?) j JOIN person p ON p.id = j.value")


PERSON_COLUMNS = ("household_id", "person_external_id", "bsn", "person_name")


def persons_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """Indexed by person id (int64): PERSON_COLUMNS, household_id int64, the rest object."""
    frame = _object_frame(rows, ["person_id", *PERSON_COLUMNS]).set_index("person_id")
    frame.index = frame.index.astype("int64")
    frame["household_id"] = frame["household_id"].astype("int64")
    return frame


def _object_frame(rows: list[tuple[Any, ...]], columns: Sequence[str]) -> pd.DataFrame:
    """Rows as object columns: skips pandas' string-type inference, half the time of
    from_records on a few hundred thousand rows; callers convert what they compute with."""
    return pd.DataFrame(rows, columns=list(columns), dtype=object) if rows else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in columns})


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values, format="%Y-%m-%d")


ACTIVE_COLUMNS = (
    "id", "toewijzingnummer", "person_id", "law", "category", "product_code", "description",
    "provider", "start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
    "budget_cents", "employee_id",
)


def allocations_active_on(engine: Engine, at: date) -> pd.DataFrame:
    """The allocations active on `at` with what the cost arithmetic and a worklist row need
    (ACTIVE_COLUMNS; persons come from persons_active_query). start_date/end_date are
    datetime64 (end NaT when open-ended); id and person_id int64, employee_id float (NaN
    without one); volume, tariff_cents, budget_cents float; text columns object."""
    rows = fetch_rows(engine, (
        f"SELECT {', '.join(ACTIVE_COLUMNS)} FROM allocation "
        "WHERE start_date <= ? AND (end_date IS NULL OR end_date >= ?) "
        f"AND COALESCE(change_reason, '') <> '{REMOVED}'"), (at.isoformat(), at.isoformat()))
    frame = _object_frame(rows, ACTIVE_COLUMNS)
    _type_ids_and_dates(frame)
    frame["employee_id"] = pd.to_numeric(frame["employee_id"]).astype("float64")
    for column in ("volume", "tariff_cents", "budget_cents"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


SPAN_COLUMNS = ("id", "person_id", "law", "category", "start_date", "end_date")


def ended_allocations_query(ended_from: date, ended_before: date) -> Query:
    """Allocations that ended in [ended_from, ended_before); rows for spans_frame. With
    allocations_active_on(ended_before) they give every allocation that touches
    [ended_from, ended_before], e.g. to merge spells."""
    return (f"SELECT {', '.join(SPAN_COLUMNS)} FROM allocation "
            "WHERE end_date >= ? AND end_date < ? AND start_date <= end_date "
            f"AND COALESCE(change_reason, '') <> '{REMOVED}'",
            (ended_from.isoformat(), ended_before.isoformat()))


def products_used_query(since: date, at: date) -> Query:
    """The products (law, category, product_code, the first description as label) of the
    allocations that touch [since, at]; rows for afschaling's default_ladder's `used`."""
    return ("SELECT law, category, product_code, MIN(description) FROM allocation "
            "WHERE start_date <= ? AND (end_date IS NULL OR (end_date >= ? "
            "AND end_date >= start_date)) "
            f"AND product_code IS NOT NULL AND COALESCE(change_reason, '') <> '{REMOVED}' "
            "GROUP BY law, category, product_code", (at.isoformat(), since.isoformat()))


def spans_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """SPAN_COLUMNS: id and person_id int64, start_date/end_date datetime64, text object."""
    frame = _object_frame(rows, SPAN_COLUMNS)
    _type_ids_and_dates(frame)
    return frame


def _type_ids_and_dates(frame: pd.DataFrame) -> None:
    """id and person_id to int64, start_date and end_date to datetime64 (NaT when absent)."""
    frame["id"] = frame["id"].astype("int64")
    frame["person_id"] = frame["person_id"].astype("int64")
    frame["start_date"] = _dates(frame["start_date"])
    frame["end_date"] = _dates(frame["end_date"])

