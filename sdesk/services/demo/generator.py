"""Synthetic demo municipality (`sdesk demo`): households, allocations, claims, budget, ...

Everything is drawn from one numpy Generator seeded by the caller, so a seed always gives the
same database; no wall-clock date is used. The data are built as numpy arrays and written in
one transaction with executemany, which keeps the "medium" preset (~1M claim lines) well
under a minute.

Shape of the data (what the screens and KPIs need to show something sensible):
- households belong to one need profile (older people with Wmo, families with a child in
  jeugdhulp, income support, adults with begeleiding, multi-problem families); each profile
  draws care "episodes" around a household anchor date, an episode being a chain of
  allocations (renewals) of one product for one person;
- multi-problem families cluster residential youth care, child protection, begeleiding,
  bijstand and debt help in the same years, which puts about half of all cost in under 5 % of
  the households and some households above EUR 100,000 a year;
- claims are monthly, equal to the month's commitment (sdesk.services.platform.costs) times an
  uitnutting drawn per allocation in [0.75, 0.95];
- the referrer (COD327) of youth episodes is balanced so that about half of youth cost comes
  via third parties.

This module is the front door and the writer; the draws live by what they make: common
(presets, calendar), catalogue (products, price index, tariffs), people (households, persons,
employees), care (allocations, claims) and finance (interventions, budget, inhabitants).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

import numpy as np
import pandas as pd
from numpy.random import PCG64, Generator
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from sdesk.services.demo.care import Care
from sdesk.services.demo.catalogue import PRODUCTS, Prices
from sdesk.services.demo.common import SIZES, SizePreset, Span, history_start
from sdesk.services.demo.finance import Finance
from sdesk.services.demo.people import COMPOSITIONS, WIJKEN, People, Staff
from sdesk.services.platform.bulk import executemany
from sdesk.services.platform.errors import SdeskError

# The front door (tests and benchmarks import these from here).
__all__ = ["DEMO_UNTIL", "SIZES", "DemoSummary", "demo_bsns", "generate_demo", "history_start"]

ProgressFn = Callable[[float, str], None]

DEMO_UNTIL = date(2026, 10, 31)  # last day with claims
CLAIM_CHUNK = 200_000


@dataclass(frozen=True)
class DemoSummary:
    households: int
    persons: int
    employees: int
    allocations: int
    claims: int
    seconds: float

    def as_dict(self) -> dict[str, int | float]:
        """The counts and timings by field name (for JSON)."""
        return asdict(self)


def _iso(values: np.ndarray) -> list[str | None]:
    """datetime64[D] array to ISO strings, NaT to None (the way SQLAlchemy stores Date)."""
    text = np.datetime_as_string(values, unit="D").astype(object)
    text[np.isnat(values)] = None
    items: list[str | None] = text.tolist()
    return items


def _nullable(values: np.ndarray, missing: np.ndarray) -> list[object]:
    out = values.astype(object)
    out[missing] = None
    items: list[object] = out.tolist()
    return items


def demo_bsns() -> np.ndarray:
    """All 9999xxxxx numbers that pass the BSN 11-proef (there are about 9,090)."""
    tail = np.arange(100_000)
    digits = [(tail // 10 ** (4 - i)) % 10 for i in range(5)]  # d5..d9
    fixed = 9 * (9 + 8 + 7 + 6)
    total = fixed + 5 * digits[0] + 4 * digits[1] + 3 * digits[2] + 2 * digits[3] - digits[4]
    bsns: np.ndarray = (999_900_000 + tail[total % 11 == 0]).astype(np.int64)
    return bsns


def _report(progress: ProgressFn | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)


@dataclass(frozen=True)
class _Demo:
    """Every table of a demo municipality as arrays, drawn from one Generator."""

    rng: Generator
    span: Span
    cost_map: pd.DataFrame
    prices: Prices
    people: People
    care: Care
    staff: Staff
    finance: Finance


def _draw(preset: SizePreset, seed: int, until: date, cost_map: pd.DataFrame,
          progress: ProgressFn | None) -> _Demo:
    """All draws, in the order that makes a seed give the same municipality every time."""
    rng = Generator(PCG64(seed))
    span = Span.ending(until)
    prices = Prices(rng, span.years)
    people = People(rng, preset, span)
    _report(progress, 0.1, "Toewijzingen maken")
    care = Care(rng, span, people, prices)
    _report(progress, 0.2, "Declaraties berekenen")
    care.draw_claims()
    staff = Staff(rng, preset, people, care.a_person, care.a_law)
    finance = Finance(rng, preset, span, people, care, cost_map,
                      np.unique(people.p_hh[care.a_person]))
    return _Demo(rng, span, cost_map, prices, people, care, staff, finance)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _max_id(conn: Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar() or 0)


def _write(conn: Connection, demo: _Demo, progress: ProgressFn | None) -> tuple[int, ...]:
    people, care, staff = demo.people, demo.care, demo.staff
    # Households and persons that have at least one allocation in the history.
    alloc_hh = people.p_hh[care.a_person]
    kept_hh = np.unique(alloc_hh)
    hh_id = np.zeros(len(people.hh_profile), dtype=np.int64)
    hh_id[kept_hh] = np.arange(1, len(kept_hh) + 1)
    kept_p = np.flatnonzero(hh_id[people.p_hh] > 0)
    p_id = np.zeros(len(people.p_hh), dtype=np.int64)
    p_id[kept_p] = np.arange(1, len(kept_p) + 1)

    hh_ext = np.array([f"H{i:06d}" for i in range(len(kept_hh) + 1)], dtype=object)
    p_ext = np.array([f"P{i:07d}" for i in range(len(kept_p) + 1)], dtype=object)
    executemany(
        conn, "INSERT INTO household (id, external_id, wijk, postcode, composition) "
        "VALUES (?, ?, ?, ?, ?)",
        list(zip(hh_id[kept_hh].tolist(), hh_ext[1:].tolist(),
                 np.array([w[0] for w in WIJKEN], dtype=object)[people.hh_wijk[kept_hh]].tolist(),
                 people.hh_postcode[kept_hh].tolist(),
                 np.array(COMPOSITIONS, dtype=object)[people.hh_comp[kept_hh]].tolist(),
                 strict=True)))

    # Test BSNs only (9999xxxxx, 11-proef); there are about 9,090 of them, so in the larger
    # presets only part of the persons gets one.
    bsns = demo_bsns()
    bsns = bsns[demo.rng.permutation(len(bsns))]
    n_bsn = min(len(bsns), len(kept_p))
    bsn = np.full(len(kept_p), None, dtype=object)
    bsn[demo.rng.permutation(len(kept_p))[:n_bsn]] = bsns[:n_bsn].astype(str).astype(object)
    executemany(
        conn, "INSERT INTO person (id, external_id, household_id, bsn, birth_date, gender, "
        "last_name, first_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        list(zip(p_id[kept_p].tolist(), p_ext[1:].tolist(), hh_id[people.p_hh[kept_p]].tolist(),
                 bsn.tolist(), _iso(people.p_birth[kept_p]), people.p_gender[kept_p].tolist(),
                 people.p_last[kept_p].tolist(), people.p_first[kept_p].tolist(), strict=True)))

    # Teams and employees (ids after any rows the user already has).
    team_base = _max_id(conn, "team")
    emp_base = _max_id(conn, "employee")
    executemany(conn, "INSERT INTO team (id, name) VALUES (?, ?)",
                         [(team_base + i + 1, name) for i, name in enumerate(staff.team_names)])
    n_emp = len(staff.e_role)
    executemany(
        conn, "INSERT INTO employee (id, external_id, name, role, team_id, fte) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(emp_base + i + 1, f"M{emp_base + i + 1:04d}", staff.e_name[i], staff.e_role[i],
          team_base + staff.e_team[i] + 1, staff.e_fte[i]) for i in range(n_emp)])

    executemany(
        conn, "INSERT INTO tariff (law, product_code, valid_from, valid_to, cents, unit) "
        "VALUES (?, ?, ?, ?, ?, ?)", demo.prices.tariff_rows)
    _report(progress, 0.5, "Toewijzingen opslaan")

    # Allocations.
    n_alloc = len(care.a_prod)
    number = np.zeros(n_alloc, dtype=np.int64)
    for base, lw in ((3_000_001, "jeugd"), (5_000_001, "wmo"), (7_000_001, "participatie")):
        mask = care.a_law == lw
        number[mask] = base + np.arange(int(mask.sum()))
    products = PRODUCTS
    prod = care.a_prod
    code = np.array([p.code for p in products], dtype=object)[prod]
    nan_vol = np.isnan(care.a_volume)
    rows = zip(
        range(1, n_alloc + 1), number.astype(str).tolist(), p_id[care.a_person].tolist(),
        care.a_law.tolist(), np.array([p.category for p in products], dtype=object)[prod].tolist(),
        code.tolist(), np.array([p.description for p in products], dtype=object)[prod].tolist(),
        care.ep_provider[care.a_ep].tolist(), care.ep_referrer[care.a_ep].tolist(),
        np.where(care.a_pgb, "pgb", "zin").tolist(), care.a_provision.tolist(),
        _iso(care.a_start), _iso(care.a_end), _nullable(care.a_volume, nan_vol),
        care.a_unit.tolist(), care.a_freq.tolist(),
        _nullable(np.nan_to_num(care.a_tariff).astype(np.int64), np.isnan(care.a_tariff)),
        _nullable(np.nan_to_num(care.a_budget).astype(np.int64), np.isnan(care.a_budget)),
        (emp_base + staff.allocation_employee + 1).tolist(), care.a_change_reason.tolist(),
        care.a_end_reason.tolist(), strict=True)
    columns = ("id", "toewijzingnummer", "person_id", "law", "category", "product_code",
               "description", "provider", "referrer", "delivery_form", "provision_kind",
               "start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
               "budget_cents", "employee_id", "change_reason", "end_reason")
    executemany(conn, f"INSERT INTO allocation ({', '.join(columns)}) "
                  f"VALUES ({', '.join('?' for _ in columns)})", list(rows))

    # Claims, in chunks to keep memory flat at the g4 preset.
    n_claims = len(care.c_alloc)
    for lo in range(0, n_claims, CLAIM_CHUNK):
        hi = min(lo + CLAIM_CHUNK, n_claims)
        vol = care.c_volume[lo:hi]
        chunk = zip(
            [f"D{i:08d}" for i in range(lo + 1, hi + 1)], (care.c_alloc[lo:hi] + 1).tolist(),
            _iso(care.c_start[lo:hi]), _iso(care.c_end[lo:hi]), _nullable(vol, np.isnan(vol)),
            care.c_amount[lo:hi].tolist(), _iso(care.c_seen[lo:hi]), strict=True)
        executemany(
            conn, "INSERT INTO claim (claim_key, allocation_id, period_start, period_end, volume, "
            "amount_cents, first_seen, rejected) VALUES (?, ?, ?, ?, ?, ?, ?, 0)", list(chunk))
        _report(progress, 0.55 + 0.4 * hi / max(n_claims, 1), "Declaraties opslaan")

    # Interventions refer to the cost map rows that open_database seeded.
    iv = demo.finance.interventions
    iv = iv[hh_id[iv["hh"].to_numpy()] > 0]
    item_id = demo.cost_map.set_index("name")["id"]
    item_ids = iv["item"].map(item_id).to_numpy(dtype=object)
    starts = _iso(iv["start"].to_numpy(dtype="datetime64[D]"))
    ends = _iso(iv["end"].to_numpy(dtype="datetime64[D]"))
    hh_ext_iv = hh_ext[hh_id[iv["hh"].to_numpy()]]
    iv_rows = []
    for i, (h, person, payer, desc, qty, amount) in enumerate(zip(
            iv["hh"].tolist(), iv["person"].tolist(), iv["payer"].tolist(),
            iv["description"].tolist(), iv["qty"].tolist(), iv["amount"].tolist(), strict=True)):
        key = f"{hh_ext_iv[i]}|{payer}|{desc}|{starts[i] or ''}"
        iv_rows.append((key, int(hh_id[h]), int(p_id[person]), payer, desc,
                        None if item_ids[i] is None or pd.isna(item_ids[i]) else int(item_ids[i]),
                        None if np.isnan(qty) else qty,
                        None if np.isnan(amount) else int(amount), starts[i], ends[i]))
    executemany(
        conn, "INSERT INTO intervention (natural_key, household_id, person_id, payer, description, "
        "cost_map_item_id, quantity, amount_cents, period_start, period_end) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", iv_rows)

    executemany(
        conn, "INSERT INTO budget_line (year, name, law, categories, delivery_form, amount_cents, "
        "forecast_cents) VALUES (?, ?, ?, ?, ?, ?, ?)", demo.finance.budget_rows)
    executemany(conn, "INSERT INTO inhabitants (year, age_band, count) VALUES (?, ?, ?)",
                         demo.finance.inhabitant_rows)
    executemany(conn, "INSERT INTO price_index (year, law, percentage) VALUES (?, ?, ?)",
                         [r for r in demo.prices.price_index_rows
                          if r[0] >= int(str(demo.span.hist64)[:4])])
    return len(kept_hh), len(kept_p), n_emp, n_alloc, n_claims


def generate_demo(engine: Engine, size: str = "small", seed: int = 1, until: date | None = None,
                  progress: ProgressFn | None = None) -> DemoSummary:
    """Fill an empty database with a synthetic municipality. Deterministic for a seed."""
    started = time.perf_counter()
    if size not in SIZES:
        raise SdeskError(f"Onbekende omvang '{size}'; kies uit {', '.join(SIZES)}.")
    until = until or DEMO_UNTIL
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM allocation LIMIT 1").first():
            raise SdeskError("De database bevat al toewijzingen; maak de demo in een lege "
                             "database (kies een ander bestand met --db).")
        if conn.exec_driver_sql("SELECT 1 FROM household LIMIT 1").first():
            raise SdeskError("De database bevat al huishoudens; maak de demo in een lege "
                             "database (kies een ander bestand met --db).")
        cost_map = pd.DataFrame(
            conn.exec_driver_sql("SELECT id, name, payer FROM cost_map_item "
                                 "ORDER BY COALESCE(year, 0) DESC, id DESC").fetchall(),
            columns=["id", "name", "payer"]).drop_duplicates("name")

    _report(progress, 0.0, "Huishoudens en personen maken")
    demo = _draw(SIZES[size], seed, until, cost_map, progress)
    _report(progress, 0.4, "Opslaan")

    try:
        with engine.begin() as conn:
            # A large page cache keeps index maintenance in memory during the bulk insert.
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            try:
                counts = _write(conn, demo, progress)
            finally:
                conn.exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's default
    except DBAPIError as exc:  # e.g. a team or employee id the user already has
        raise SdeskError(f"De demo kon niet worden opgeslagen: {exc.orig}") from exc
    _report(progress, 1.0, "Overzichten bijwerken")
    from sdesk.services.platform.summaries import prepare_summaries

    prepare_summaries(engine)
    from sdesk.services.kpi import prepare_working_set

    prepare_working_set(engine)
    from sdesk.services.budget import prepare_budget

    prepare_budget(engine)
    _report(progress, 1.0, "Werklijst afschaling voorbereiden")
    from sdesk.services.afschaling import prepare_default_inputs

    prepare_default_inputs(engine)
    _report(progress, 1.0, "Klaar")
    households, persons, employees, allocations, claims = counts
    return DemoSummary(households=households, persons=persons, employees=employees,
                       allocations=allocations, claims=claims,
                       seconds=round(time.perf_counter() - started, 2))
