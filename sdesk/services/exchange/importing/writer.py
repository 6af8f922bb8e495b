"""Write checked rows with upserts on the natural keys, inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from sdesk.models import Claim
from sdesk.services.exchange.importing.checks import Rows
from sdesk.services.exchange.importing.existing import pair_positions
from sdesk.services.platform.bulk import executemany


def _ints(values: np.ndarray) -> list[int | None]:
    array = np.asarray(values)
    if array.dtype.kind in "iu":
        ints: list[int | None] = array.tolist()
        return ints
    if array.dtype.kind == "f":  # NaN for empty: converted in C, then None where missing
        missing = np.isnan(array)
        ints = np.where(missing, 0, array).astype(np.int64).tolist()
        for i in np.flatnonzero(missing).tolist():
            ints[i] = None
        return ints
    return [None if v is None or v != v else int(v) for v in array.tolist()]


def _floats(values: np.ndarray) -> list[float | None]:
    array = np.asarray(values)
    if array.dtype.kind in "iuf":
        floats: list[float | None] = array.astype(np.float64).tolist()
        if array.dtype.kind == "f":
            for i in np.flatnonzero(np.isnan(array)).tolist():
                floats[i] = None
        return floats
    return [None if v is None or v != v else float(v) for v in array.tolist()]


def _objs(values: np.ndarray) -> list[Any]:
    if isinstance(values, np.ndarray):
        items: list[Any] = values.tolist()
        return items
    return list(values)


def _upsert(conn: Connection, table: str, columns: Sequence[str], key: Sequence[str],
            rows: list[tuple[Any, ...]], insert_only: Sequence[str] = (),
            plain: bool | None = None) -> None:
    """Insert the rows, or update the existing ones by `key`; `insert_only` columns keep the
    value they got when the row first came in. `plain`: whether a plain INSERT will do
    (_plain_insert; decided here when not given)."""
    if not rows:
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    if not (_plain_insert(conn, table, columns, key, rows) if plain is None else plain):
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns
                            if c not in key and c not in insert_only)
        action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
        sql += f" ON CONFLICT ({', '.join(key)}) {action}"
    executemany(conn, sql, rows)


def _plain_insert(conn: Connection, table: str, columns: Sequence[str], key: Sequence[str],
                  rows: list[tuple[Any, ...]]) -> bool:
    """Whether the rows can go in with a plain INSERT: the table is empty and no two rows
    share a key, so nothing can conflict and the upsert's conflict handling (a quarter of a
    million-line load) is skipped. Same rows stored either way."""
    if conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is not None:
        return False
    at = [columns.index(c) for c in key]
    keys = pd.Series([r[at[0]] for r in rows] if len(at) == 1
                     else [tuple(r[i] for i in at) for r in rows], dtype=object)
    return bool(keys.is_unique)


def _id_map(conn: Connection, sql: str) -> dict[Any, int]:
    # The DBAPI cursor: SQLAlchemy's row objects triple the cost of 100,000 ids.
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql)
        return {tuple(r[:-1]) if len(r) > 2 else r[0]: r[-1] for r in cursor.fetchall()}
    finally:
        cursor.close()


def write_huishoudens(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked households."""
    _upsert(conn, "household", ("external_id", "wijk", "postcode", "composition"),
            ("external_id",), list(zip(_objs(rows["external_id"]), _objs(rows["wijk"]),
                                       _objs(rows["postcode"]), _objs(rows["composition"]),
                                       strict=True)))


def write_personen(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked persons."""
    households = _id_map(conn, "SELECT external_id, id FROM household")
    data = list(zip(_objs(rows["external_id"]),
                    [households[h] for h in _objs(rows["household"])],
                    _objs(rows["bsn"]), _objs(rows["birth_date"]), _objs(rows["gender"]),
                    _objs(rows["last_name"]), _objs(rows["first_name"]), strict=True))
    _upsert(conn, "person", ("external_id", "household_id", "bsn", "birth_date", "gender",
                             "last_name", "first_name"), ("external_id",), data)


def write_medewerkers(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked employees, making their teams."""
    teams = sorted({t for t in _objs(rows["team"]) if t})
    if teams:  # an empty parameter list is not "no rows" to the driver but a wrong binding
        conn.exec_driver_sql("INSERT OR IGNORE INTO team (name) VALUES (?)",
                             [(t,) for t in teams])
    team_ids = _id_map(conn, "SELECT name, id FROM team")
    data = list(zip(_objs(rows["external_id"]), _objs(rows["name"]), _objs(rows["role"]),
                    [team_ids.get(t) for t in _objs(rows["team"])], _floats(rows["fte"]),
                    _objs(rows["account"]), strict=True))
    _upsert(conn, "employee", ("external_id", "name", "role", "team_id", "fte", "account"),
            ("external_id",), data)


def write_tarieven(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked tariffs."""
    data = list(zip(_objs(rows["law"]), _objs(rows["product_code"]), _objs(rows["valid_from"]),
                    _objs(rows["valid_to"]), _ints(rows["cents"]), _objs(rows["unit"]),
                    strict=True))
    _upsert(conn, "tariff", ("law", "product_code", "valid_from", "valid_to", "cents", "unit"),
            ("law", "product_code", "valid_from"), data)


def write_toewijzingen(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked allocations."""
    persons = _id_map(conn, "SELECT external_id, id FROM person")
    employees = _id_map(conn, "SELECT external_id, id FROM employee")
    data = list(zip(
        _objs(rows["toewijzingnummer"]), [persons[p] for p in _objs(rows["person"])],
        _objs(rows["law"]), _objs(rows["category"]), _objs(rows["product_code"]),
        _objs(rows["description"]), _objs(rows["provider"]), _objs(rows["referrer"]),
        _objs(rows["delivery_form"]), _objs(rows["provision_kind"]), _objs(rows["start_date"]),
        _objs(rows["end_date"]), _floats(rows["volume"]), _objs(rows["unit"]),
        _objs(rows["frequency"]), _ints(rows["tariff_cents"]), _ints(rows["budget_cents"]),
        [employees.get(e) if e else None for e in _objs(rows["employee"])],
        _objs(rows["change_reason"]), _objs(rows["end_reason"]), strict=True))
    _upsert(conn, "allocation", (
        "toewijzingnummer", "person_id", "law", "category", "product_code", "description",
        "provider", "referrer", "delivery_form", "provision_kind", "start_date", "end_date",
        "volume", "unit", "frequency", "tariff_cents", "budget_cents", "employee_id",
        "change_reason", "end_reason"), ("law", "toewijzingnummer"), data)


def write_declaraties(conn: Connection, rows: Rows,
                      progress: Callable[[float], None] | None = None) -> None:
    """Insert or update the checked claims; `progress` gets the fraction done.

    A new claim line records when sdesk first saw it (`first_seen`: rows["first_seen"] where
    the source says, e.g. an iJw/iWmo message's dagtekening, else today), so the declaration
    lag can be measured; a line seen again keeps its first date."""
    stored = conn.exec_driver_sql("SELECT law, toewijzingnummer, id FROM allocation").all()
    at = pair_positions(np.asarray(rows["law"], dtype=object),
                        np.asarray(rows["toewijzingnummer"], dtype=object),
                        [(law, nr) for law, nr, _ in stored])
    if (at < 0).any():  # the checks refuse a claim of an unknown allocation before this
        raise LookupError("declaratie van een onbekende toewijzing")
    ids = np.array([allocation_id for _, _, allocation_id in stored], dtype=np.int64)[at]
    keys = _objs(rows["claim_key"])
    seen = (_objs(rows["first_seen"]) if "first_seen" in rows
            else [date.today().isoformat()] * len(keys))
    data = list(zip(keys, ids.tolist(), _objs(rows["period_start"]),
                    _objs(rows["period_end"]), _floats(rows["volume"]),
                    _ints(rows["amount_cents"]), seen, strict=True))
    # In key order: the unique index on claim_key then grows at its end instead of at random
    # places (measured: a million random keys 7.1 s, sorted 3.2 s; sorting costs 0.3 s per
    # three million that come sorted already, as the demo's do).
    data.sort(key=itemgetter(0))
    existing = conn.exec_driver_sql("SELECT count(*) FROM claim").scalar() or 0
    # A bulk load into a (nearly) empty table is faster with the secondary indexes built
    # afterwards in one pass; still one transaction, so a failure restores them too.
    rebuild = len(data) > max(existing, 10_000)
    table = Claim.metadata.tables[Claim.__tablename__]
    indexes = [ix for ix in table.indexes if not ix.unique] if rebuild else []
    for index in indexes:
        index.drop(conn)
    columns = ("claim_key", "allocation_id", "period_start", "period_end", "volume",
               "amount_cents", "first_seen")
    plain = _plain_insert(conn, "claim", columns, ("claim_key",), data)  # once, for all chunks
    chunk = 100_000
    for start in range(0, len(data), chunk):
        _upsert(conn, "claim", columns, ("claim_key",), data[start:start + chunk],
                insert_only=("first_seen",), plain=plain)
        if progress:
            progress(min(1.0, (start + chunk) / max(len(data), 1)))
    for index in indexes:
        index.create(conn)


def write_beoordelingen(conn: Connection, rows: Rows) -> None:
    """Insert the checked reviews, or update the one with the same allocation, date and
    decision (a spreadsheet imported twice adds nothing). The expected saving is computed as
    `record_decision` does from the allocation as stored: a scale-down the run-rate at the
    lower volume or the new product's tariff, an ending decision the whole run-rate, continue
    0. The realised basis is left to the business case (it computes it from the claims)."""
    from sdesk.services.platform.costs import annual_run_rates_cents

    employees = _id_map(conn, "SELECT external_id, id FROM employee")
    columns = ("start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
               "budget_cents")
    for law, nr, day, decision, employee, volume, product, new_end, notes in zip(
            _objs(rows["law"]), _objs(rows["toewijzingnummer"]), _objs(rows["review_date"]),
            _objs(rows["decision"]), _objs(rows["employee"]), _floats(rows["new_volume"]),
            _objs(rows["new_product_code"]), _objs(rows["new_end_date"]), _objs(rows["notes"]),
            strict=True):
        found = conn.exec_driver_sql(
            f"SELECT id, {', '.join(columns)}, product_code FROM allocation "
            "WHERE law = ? AND toewijzingnummer = ?", (law, nr)).one()
        before = pd.DataFrame([found[1:8]], columns=list(columns))
        after = before.copy()
        if volume is not None:
            after["volume"] = volume
        if product and product != found[8]:
            tariff = conn.exec_driver_sql(
                "SELECT cents FROM tariff WHERE law = ? AND product_code = ? AND valid_from "
                "<= ? ORDER BY valid_from DESC LIMIT 1", (law, product, day)).scalar()
            if tariff is not None:
                after["tariff_cents"] = tariff
        run_rate = round(float(annual_run_rates_cents(before)[0]))
        expected = {"continue": 0, "scale_down": max(
            run_rate - round(float(annual_run_rates_cents(after)[0])), 0)}.get(
            decision, run_rate)
        values = (employees.get(employee), volume, product or None, new_end, expected,
                  run_rate, notes)
        existing = conn.exec_driver_sql(
            "SELECT id FROM review WHERE allocation_id = ? AND review_date = ? AND decision = ? "
            "ORDER BY id LIMIT 1", (found[0], day, decision)).scalar()
        if existing is None:
            conn.exec_driver_sql(
                "INSERT INTO review (allocation_id, review_date, decision, employee_id, "
                "new_volume, new_product_code, new_end_date, expected_annual_saving_cents, "
                "annual_cost_before_cents, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (found[0], day, decision, *values))
        else:
            conn.exec_driver_sql(
                "UPDATE review SET employee_id = ?, new_volume = ?, new_product_code = ?, "
                "new_end_date = ?, expected_annual_saving_cents = ?, "
                "annual_cost_before_cents = ?, notes = ? WHERE id = ?", (*values, existing))


def write_begroting(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked budget lines."""
    data = list(zip(_ints(rows["year"]), _objs(rows["name"]), _objs(rows["law"]),
                    _objs(rows["categories"]), _objs(rows["delivery_form"]),
                    _ints(rows["amount_cents"]), _ints(rows["forecast_cents"]),
                    _ints(rows["subtotal"]), strict=True))
    _upsert(conn, "budget_line", ("year", "name", "law", "categories", "delivery_form",
                                  "amount_cents", "forecast_cents", "subtotal"), ("year", "name"),
            data)


def write_kostenkaart(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked cost-map items, matched by name and year."""
    # (name, year) with a NULL year is not caught by a UNIQUE index in SQLite: match by hand.
    existing = {(n, y): i for i, n, y in conn.exec_driver_sql(
        "SELECT id, name, year FROM cost_map_item")}
    for name, unit, price, year, payer, source in zip(
            _objs(rows["name"]), _objs(rows["unit"]), _ints(rows["price_cents"]),
            _ints(rows["year"]), _objs(rows["payer"]), _objs(rows["source"]), strict=True):
        item_id = existing.get((name, year))
        if item_id is None:
            conn.exec_driver_sql(
                "INSERT INTO cost_map_item (name, unit, price_cents, year, payer, source) "
                "VALUES (?, ?, ?, ?, ?, ?)", (name, unit, price, year, payer, source))
        else:
            conn.exec_driver_sql(
                "UPDATE cost_map_item SET unit = ?, price_cents = ?, payer = ?, source = ? "
                "WHERE id = ?", (unit, price, payer, source, item_id))


def write_interventies(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked interventions."""
    households = _id_map(conn, "SELECT external_id, id FROM household")
    persons = _id_map(conn, "SELECT external_id, id FROM person")
    # An item name refers to its newest year in the cost map.
    items = _id_map(conn, "SELECT name, id FROM cost_map_item ORDER BY COALESCE(year, 0), id")
    data = list(zip(
        _objs(rows["natural_key"]), [households[h] for h in _objs(rows["household"])],
        [persons.get(p) if p else None for p in _objs(rows["person"])], _objs(rows["payer"]),
        _objs(rows["description"]), [items.get(i) if i else None for i in _objs(rows["item"])],
        _floats(rows["quantity"]), _ints(rows["amount_cents"]), _objs(rows["period_start"]),
        _objs(rows["period_end"]), strict=True))
    _upsert(conn, "intervention", (
        "natural_key", "household_id", "person_id", "payer", "description", "cost_map_item_id",
        "quantity", "amount_cents", "period_start", "period_end"), ("natural_key",), data)


def write_inwoners(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked inhabitant counts."""
    _upsert(conn, "inhabitants", ("year", "age_band", "count"), ("year", "age_band"),
            list(zip(_ints(rows["year"]), _objs(rows["age_band"]), _ints(rows["count"]),
                     strict=True)))


def write_prijsindex(conn: Connection, rows: Rows) -> None:
    """Insert or update the checked price-index percentages."""
    _upsert(conn, "price_index", ("year", "law", "percentage"), ("year", "law"),
            list(zip(_ints(rows["year"]), _objs(rows["law"]), _floats(rows["percentage"]),
                     strict=True)))


WRITERS: dict[str, Callable[..., None]] = {
    "huishoudens": write_huishoudens, "personen": write_personen,
    "medewerkers": write_medewerkers, "tarieven": write_tarieven,
    "toewijzingen": write_toewijzingen, "declaraties": write_declaraties,
    "beoordelingen": write_beoordelingen,
    "begroting": write_begroting, "kostenkaart": write_kostenkaart,
    "interventies": write_interventies, "inwoners": write_inwoners,
    "prijsindex": write_prijsindex,
}
