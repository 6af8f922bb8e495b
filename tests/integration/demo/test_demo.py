"""The demo municipality (sdesk.services.demo.generator) and the exchange-format export.

The "tiny" preset serves the structural checks; the statistical ones (referrer share, cost
concentration, budget near spend) use "small", which is still built in a couple of seconds.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine
from stdnum.nl import bsn as stdnum_bsn

from sdesk.services.demo.generator import (
    DEMO_UNTIL,
    SIZES,
    DemoSummary,
    generate_demo,
    history_start,
)
from sdesk.services.exchange.export import export_exchange
from sdesk.services.exchange.format import FILES
from sdesk.services.platform import costs
from sdesk.services.platform.db import open_database
from sdesk.services.platform.errors import SdeskError

THIRD_PARTY = ("02", "03", "04", "05", "08")
TEAM_OF_LAW = {"jeugd": "Jeugd en Gezin", "wmo": "Wmo", "participatie": "Werk en Inkomen"}


def _build(path: Path, size: str, seed: int = 1, until: date | None = None
           ) -> tuple[Engine, DemoSummary]:
    engine = open_database(path)
    return engine, generate_demo(engine, size=size, seed=seed, until=until)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, DemoSummary]]:
    engine, summary = _build(tmp_path_factory.mktemp("tiny") / "demo.sqlite", "tiny")
    yield engine, summary
    engine.dispose()


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine, _summary = _build(tmp_path_factory.mktemp("small") / "demo.sqlite", "small")
    yield engine
    engine.dispose()


def _frame(engine: Engine, sql: str, params: tuple[object, ...] = ()) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.exec_driver_sql(sql, params)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _allocations_with_cost(engine: Engine, through: date | None = None) -> pd.DataFrame:
    """Allocations with their claims' cost and line count (claims ending by `through`)."""
    frame = _frame(engine, "SELECT a.*, p.household_id FROM allocation a "
                           "JOIN person p ON p.id = a.person_id")
    claims = _frame(engine, "SELECT allocation_id, SUM(amount_cents) AS cost, COUNT(*) AS lines "
                            "FROM claim WHERE period_end <= ? GROUP BY allocation_id",
                    ((through or date.max).isoformat(),))
    frame = frame.merge(claims, how="left", left_on="id", right_on="allocation_id")
    frame[["cost", "lines"]] = frame[["cost", "lines"]].fillna(0)
    return frame


# Every table with every column (ids included): what "identical contents" means.
TABLES = ("household", "person", "team", "employee", "tariff", "allocation", "claim",
          "budget_line", "cost_map_item", "intervention", "inhabitants", "price_index",
          "codelist_entry")


def _contents(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY 1, 2").all() for t in TABLES}


# The same contents with surrogate ids replaced by natural keys, for the round trip.
NATURAL = {
    "household": "SELECT external_id, wijk, postcode, composition FROM household",
    "person": "SELECT p.external_id, h.external_id, bsn, birth_date, gender, last_name, "
              "first_name FROM person p JOIN household h ON h.id = p.household_id",
    "team": "SELECT name FROM team",
    "employee": "SELECT e.external_id, e.name, e.role, t.name, e.fte FROM employee e "
                "LEFT JOIN team t ON t.id = e.team_id",
    "tariff": "SELECT law, product_code, valid_from, valid_to, cents, unit FROM tariff",
    "allocation": "SELECT a.toewijzingnummer, p.external_id, a.law, a.category, a.product_code, "
                  "a.description, a.provider, a.referrer, a.delivery_form, a.provision_kind, "
                  "a.start_date, a.end_date, a.volume, a.unit, a.frequency, a.tariff_cents, "
                  "a.budget_cents, e.external_id, a.change_reason, a.end_reason "
                  "FROM allocation a JOIN person p ON p.id = a.person_id "
                  "LEFT JOIN employee e ON e.id = a.employee_id",
    "claim": "SELECT c.claim_key, a.law, a.toewijzingnummer, c.period_start, c.period_end, "
             "c.volume, c.amount_cents, c.rejected FROM claim c "
             "JOIN allocation a ON a.id = c.allocation_id",
    "budget_line": "SELECT year, name, law, categories, delivery_form, amount_cents, "
                   "forecast_cents, explanation FROM budget_line",
    "cost_map_item": "SELECT name, unit, price_cents, year, payer, source FROM cost_map_item",
    "intervention": "SELECT i.natural_key, h.external_id, p.external_id, i.payer, "
                    "i.description, m.name, i.quantity, i.amount_cents, i.period_start, "
                    "i.period_end FROM intervention i "
                    "JOIN household h ON h.id = i.household_id "
                    "LEFT JOIN person p ON p.id = i.person_id "
                    "LEFT JOIN cost_map_item m ON m.id = i.cost_map_item_id",
    "inhabitants": "SELECT year, age_band, count FROM inhabitants",
    "price_index": "SELECT year, law, percentage FROM price_index",
    "codelist_entry": "SELECT codelist, code, label, user_maintained FROM codelist_entry",
}


def _natural_contents(engine: Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t: sorted(conn.exec_driver_sql(sql).all(), key=repr)
                for t, sql in NATURAL.items()}


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------

def test_summary_counts_match_the_database(tiny: tuple[Engine, DemoSummary]) -> None:
    engine, summary = tiny
    with engine.connect() as conn:
        def count(table: str) -> int:
            return int(conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table}").scalar() or 0)

        assert summary.households == count("household")
        assert summary.persons == count("person")
        assert summary.employees == count("employee")
        assert summary.allocations == count("allocation")
        assert summary.claims == count("claim")
    assert abs(summary.allocations - SIZES["tiny"].allocations) < 0.3 * SIZES["tiny"].allocations
    assert set(summary.as_dict()) == {"households", "persons", "employees", "allocations",
                                      "claims", "seconds"}


def test_refuses_a_database_that_holds_allocations(tiny: tuple[Engine, DemoSummary]) -> None:
    engine, summary = tiny
    with pytest.raises(SdeskError, match="bevat al toewijzingen"):
        generate_demo(engine, size="tiny")
    with pytest.raises(SdeskError, match="Onbekende omvang"):
        generate_demo(engine, size="enorm")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM allocation").scalar() == (
            summary.allocations)


def test_same_seed_same_contents_other_seed_other_contents(
        tiny: tuple[Engine, DemoSummary], tmp_path: Path) -> None:
    engine, _ = tiny
    again, _ = _build(tmp_path / "again.sqlite", "tiny", seed=1)
    other, _ = _build(tmp_path / "other.sqlite", "tiny", seed=2)
    try:
        reference = _contents(engine)
        assert _contents(again) == reference
        different = _contents(other)
        assert different["allocation"] != reference["allocation"]
        assert different["person"] != reference["person"]
    finally:
        again.dispose()
        other.dispose()


def test_only_test_bsns_that_pass_the_11_proef(tiny: tuple[Engine, DemoSummary]) -> None:
    persons = _frame(tiny[0], "SELECT bsn, gender, birth_date FROM person")
    bsns = persons["bsn"]
    assert bsns.notna().all()  # under ~9,000 persons everybody gets one
    assert bsns.is_unique
    assert all(b.startswith("9999") and len(b) == 9 and stdnum_bsn.is_valid(b) for b in bsns)
    assert set(persons["gender"]) <= {"M", "V", "O"}


def test_households_look_dutch(tiny: tuple[Engine, DemoSummary]) -> None:
    households = _frame(tiny[0], "SELECT * FROM household")
    assert households["postcode"].str.fullmatch(r"[1-9]\d{3}[A-Z]{2}").all()
    assert set(households["composition"]) <= {"alleenstaand", "eenoudergezin",
                                              "gezin met kinderen", "paar zonder kinderen"}
    assert households["wijk"].notna().all()


def test_claim_periods_lie_in_one_month_and_in_the_allocation(
        tiny: tuple[Engine, DemoSummary]) -> None:
    claims = _frame(tiny[0], "SELECT c.period_start, c.period_end, c.claim_key, a.start_date, "
                             "a.end_date FROM claim c JOIN allocation a ON a.id = c.allocation_id")
    assert (claims["period_start"].str[:7] == claims["period_end"].str[:7]).all()
    assert (claims["period_start"] <= claims["period_end"]).all()
    assert (claims["period_start"] >= claims["start_date"]).all()
    assert (claims["end_date"].isna() | (claims["period_end"] <= claims["end_date"])).all()
    assert claims["period_end"].max() <= DEMO_UNTIL.isoformat()
    assert claims["period_start"].min() >= history_start(DEMO_UNTIL).isoformat()
    assert claims["claim_key"].str.fullmatch(r"D\d{8}").all()


def test_until_moves_the_whole_history_and_progress_is_reported(tmp_path: Path) -> None:
    until = date(2025, 6, 15)
    seen: list[tuple[float, str]] = []
    engine = open_database(tmp_path / "early.sqlite")
    generate_demo(engine, size="tiny", until=until,
                  progress=lambda fraction, message: seen.append((fraction, message)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert all(0.0 <= f <= 1.0 and message for f, message in seen)
    assert "Declaraties opslaan" in {m for _, m in seen}
    try:
        claims = _frame(engine, "SELECT MIN(period_start) AS lo, MAX(period_end) AS hi "
                                "FROM claim")
        assert claims["hi"][0] == "2025-06-15"
        assert claims["lo"][0] == "2020-06-16"
    finally:
        engine.dispose()


def test_uitnutting_per_allocation_between_75_and_95_percent(
        tiny: tuple[Engine, DemoSummary]) -> None:
    # Up to the end of June 2026 every line has arrived (at most 120 days late, the data taken
    # 30 days after 31 October); after it, late declarations are still missing by design.
    through = date(2026, 6, 30)
    alloc = _allocations_with_cost(tiny[0], through)
    lo = pd.to_datetime(alloc["start_date"]).clip(lower=pd.Timestamp(history_start(DEMO_UNTIL)))
    alloc = alloc[lo <= pd.Timestamp(through)]
    lo = lo[lo <= pd.Timestamp(through)]
    hi = pd.to_datetime(alloc["end_date"]).fillna(pd.Timestamp(through))
    hi = hi.clip(upper=pd.Timestamp(through))
    days = ((hi - lo).dt.days + 1).to_numpy(dtype="float64")
    committed = costs.daily_rates(alloc) * days
    realised = alloc["cost"].to_numpy(dtype="float64")
    slack = alloc["lines"].to_numpy() * 0.5 + 1  # half a cent of rounding per claim line
    assert (committed > 0).all()
    assert (realised >= 0.75 * committed - slack).all()
    assert (realised <= 0.95 * committed + slack).all()


def test_one_allocation_by_hand(tiny: tuple[Engine, DemoSummary]) -> None:
    """An hours-per-week allocation: claim = volume x tariff x 52 / 365 x days x uitnutting."""
    engine = tiny[0]
    alloc = _frame(engine, "SELECT * FROM allocation WHERE frequency = '2' AND unit = '04' "
                           "AND start_date >= '2022-01-01' AND end_date <= '2026-06-30' "
                           "AND end_date >= date(start_date, '+90 days') ORDER BY id LIMIT 1")
    assert len(alloc) == 1
    row = alloc.iloc[0]
    claims = _frame(engine, f"SELECT * FROM claim WHERE allocation_id = {row['id']} "
                            "AND amount_cents > 0 ORDER BY period_start, id")
    claims = claims.drop_duplicates("period_start")  # a correction re-sends the same line
    start, end = date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
    daily = row["volume"] * row["tariff_cents"] * 52 / 365
    # One claim for every calendar month the allocation touches.
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    assert len(claims) == months
    assert claims["period_start"].iloc[0] == start.isoformat()
    assert claims["period_end"].iloc[-1] == end.isoformat()
    days = [(date.fromisoformat(e) - date.fromisoformat(b)).days + 1
            for b, e in zip(claims["period_start"], claims["period_end"], strict=True)]
    commitments = np.array(days) * daily
    ratio = claims["amount_cents"].to_numpy() / commitments
    assert 0.75 - 1e-3 <= ratio.mean() <= 0.95 + 1e-3
    # The same uitnutting every month: each amount is the rounded commitment x that ratio.
    uitnutting = claims["amount_cents"].sum() / commitments.sum()
    assert np.abs(claims["amount_cents"].to_numpy() - commitments * uitnutting).max() <= 1.0
    # Volume in hours follows the amount.
    assert np.allclose(claims["volume"], claims["amount_cents"] / row["tariff_cents"], atol=0.006)


def test_allocations_cover_the_laws_and_codelists(tiny: tuple[Engine, DemoSummary],
                                                  small: Engine) -> None:
    alloc = _allocations_with_cost(small)
    cats = alloc.groupby("law")["category"].agg(set)
    assert {"45", "43", "44", "54", "41", "48", "47"} <= cats["jeugd"]
    assert {"01", "02", "03", "07", "15"} <= cats["wmo"]
    assert {"bijstand", "bijzondere_bijstand", "schuldhulp", "re-integratie"} <= cats[
        "participatie"]
    with small.connect() as conn:
        pw_codes = {r[0] for r in conn.exec_driver_sql(
            "SELECT code FROM codelist_entry WHERE codelist = 'PW_CATEGORIE'")}
        tariff_codes = {tuple(r) for r in conn.exec_driver_sql(
            "SELECT DISTINCT law, product_code FROM tariff")}
    assert cats["participatie"] <= pw_codes
    used_codes = {tuple(r) for r in alloc[alloc["product_code"].notna()][
        ["law", "product_code"]].itertuples(index=False)}
    assert used_codes <= tariff_codes

    bijstand = alloc[alloc["category"] == "bijstand"]
    assert (bijstand["unit"] == "83").all() and (bijstand["frequency"] == "4").all()
    assert bijstand["volume"].between(100, 2500).all()  # euros per month, some partial
    # Omvang xor budget; budget and frequentie 6 need an end date; omvang has a tariff.
    has_budget = alloc["budget_cents"].notna()
    assert has_budget.any() and (alloc["frequency"] == "6").any()
    assert (has_budget ^ alloc["volume"].notna()).all()
    assert alloc.loc[has_budget | (alloc["frequency"] == "6"), "end_date"].notna().all()
    assert alloc.loc[alloc["volume"].notna(), "tariff_cents"].notna().all()
    assert alloc["end_date"].isna().any()  # some open-ended

    care = alloc[alloc["law"] != "participatie"]
    assert 0.05 <= (care["delivery_form"] == "pgb").mean() <= 0.15
    assert (alloc["provision_kind"] == "maatwerk").mean() > 0.9
    reasons = alloc.groupby("law")["end_reason"].agg(lambda s: set(s.dropna()))
    assert {"32", "33"} <= reasons["jeugd"] and {"21", "22"} <= reasons["wmo"]
    assert alloc["change_reason"].notna().any()
    assert alloc.groupby("law")["referrer"].agg(lambda s: (s == "01").mean())[
        ["wmo", "participatie"]].min() > 0.8
    residential = alloc[alloc["category"].isin(["43", "44", "47", "48"])]
    assert set(residential["referrer"]) <= {"01", "04", "08"}

    # Every allocation has a responsible employee from a team of its own law.
    staff = _frame(small, "SELECT e.id AS employee_id, e.role, t.name AS team FROM employee e "
                          "JOIN team t ON t.id = e.team_id")
    joined = alloc.merge(staff, on="employee_id", how="left")
    assert joined["team"].notna().all()
    assert all(team.startswith(TEAM_OF_LAW[law])
               for law, team in zip(joined["law"], joined["team"], strict=True))
    assert set(joined["role"]) <= {"klantmanager", "procescoordinator"}
    assert set(staff["role"]) == {"klantmanager", "procescoordinator", "controller",
                                  "teamleider"}


def test_youth_cost_about_half_via_third_parties(small: Engine) -> None:
    alloc = _allocations_with_cost(small)
    youth = alloc[alloc["law"] == "jeugd"]
    share = youth.loc[youth["referrer"].isin(THIRD_PARTY), "cost"].sum() / youth["cost"].sum()
    assert 0.4 <= share <= 0.6


def test_cost_is_concentrated_in_few_households(small: Engine) -> None:
    alloc = _allocations_with_cost(small)
    per_household = alloc.groupby("household_id")["cost"].sum().sort_values(ascending=False)
    top = max(1, int(len(per_household) * 0.05))
    assert per_household.iloc[:top].sum() / per_household.sum() >= 0.4
    # Some households cost more than EUR 100,000 in one year, across several laws.
    yearly = _frame(small, "SELECT p.household_id, substr(c.period_start, 1, 4) AS year, "
                           "SUM(c.amount_cents) AS cost, COUNT(DISTINCT a.law) AS laws "
                           "FROM claim c JOIN allocation a ON a.id = c.allocation_id "
                           "JOIN person p ON p.id = a.person_id "
                           "GROUP BY p.household_id, year")
    expensive = yearly[yearly["cost"] > 10_000_000]
    assert len(expensive) > 0
    assert (expensive["laws"] >= 2).any()


def test_budget_lines_follow_the_spend(small: Engine) -> None:
    budget = _frame(small, "SELECT * FROM budget_line")
    claims = _frame(small, "SELECT substr(c.period_start, 1, 4) AS year, a.law, a.category, "
                           "a.delivery_form, SUM(c.amount_cents) AS spend FROM claim c "
                           "JOIN allocation a ON a.id = c.allocation_id "
                           "GROUP BY year, a.law, a.category, a.delivery_form")
    claims["year"] = claims["year"].astype(int)
    income = budget[budget["amount_cents"] < 0]
    assert len(income) and (income["name"] == "Eigen bijdrage Wmo").all()
    assert budget["forecast_cents"].notna().sum() >= 2
    assert budget["explanation"].isna().all()  # the exchange format has no column for it
    full_years = budget[(budget["amount_cents"] > 0) & budget["year"].between(2022, 2025)]
    assert len(full_years) > 20
    for line in full_years.itertuples():
        sel = claims[(claims["year"] == line.year) & (claims["law"] == line.law)
                     & claims["category"].isin(line.categories.split(","))]
        if pd.notna(line.delivery_form):
            sel = sel[sel["delivery_form"] == line.delivery_form]
        spend = sel["spend"].sum()
        assert abs(line.amount_cents - spend) <= 0.1 * spend + 50_000, line.name


def test_reference_tables(small: Engine) -> None:
    inhabitants = _frame(small, "SELECT year, SUM(count) AS total, COUNT(*) AS bands "
                                "FROM inhabitants GROUP BY year")
    assert (inhabitants["total"] == SIZES["small"].inhabitants).all()
    assert (inhabitants["bands"] == 3).all()
    assert set(inhabitants["year"]) == set(range(2021, 2027))
    index = _frame(small, "SELECT * FROM price_index")
    assert index["percentage"].between(2, 6).all()
    assert set(index["law"]) == {"jeugd", "wmo", "participatie"}
    interventions = _frame(small, "SELECT i.*, m.name AS item FROM intervention i "
                                  "LEFT JOIN cost_map_item m ON m.id = i.cost_map_item_id")
    assert interventions["item"].notna().mean() > 0.7
    assert interventions["amount_cents"].notna().any()  # and a few with an own amount
    assert len(set(interventions["payer"])) >= 4


# --------------------------------------------------------------------------------------------
# Export and the round trip through the importer
# --------------------------------------------------------------------------------------------

def test_export_writes_every_file_with_header_and_dutch_formatting(
        tiny: tuple[Engine, DemoSummary], tmp_path: Path) -> None:
    engine, summary = tiny
    counts = export_exchange(engine, tmp_path / "out")
    assert set(counts) == {spec.name for spec in FILES}
    assert counts["toewijzingen"] == summary.allocations
    assert counts["declaraties"] == summary.claims
    for spec in FILES:
        raw = (tmp_path / "out" / f"{spec.name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
        assert tuple(rows[0]) == spec.columns
        assert len(rows) - 1 == counts[spec.name]
    assert not list((tmp_path / "out").glob("*.tmp"))

    # One claim line by hand: date format, euros with a decimal comma, the key.
    claim = _frame(engine, "SELECT c.*, a.toewijzingnummer, a.law FROM claim c "
                           "JOIN allocation a ON a.id = c.allocation_id "
                           "WHERE c.volume IS NOT NULL AND c.volume != CAST(c.volume AS INTEGER) "
                           "ORDER BY c.id LIMIT 1").iloc[0]
    text = (tmp_path / "out" / "declaraties.csv").read_text(encoding="utf-8-sig")
    line = next(r for r in text.splitlines() if f";{claim['claim_key']};" in r).split(";")
    cents = int(claim["amount_cents"])
    assert line == [claim["toewijzingnummer"], claim["law"], claim["period_start"],
                    claim["period_end"], f"{cents // 100},{cents % 100:02d}",
                    claim["claim_key"], repr(float(claim["volume"])).replace(".", ",")]
    assert len(line[2]) == 10 and line[2][4] == "-" and line[2][7] == "-"
    # Codes stay strings with their leading zeros.
    toewijzingen = (tmp_path / "out" / "toewijzingen.csv").read_text(encoding="utf-8-sig")
    assert ";wmo;01;" in toewijzingen


def test_round_trip_through_the_importer(tiny: tuple[Engine, DemoSummary],
                                         tmp_path: Path) -> None:
    from sdesk.services.exchange.importer import import_sources

    engine, summary = tiny
    export_exchange(engine, tmp_path / "out")
    target = open_database(tmp_path / "imported.sqlite")
    try:
        result = import_sources(target, [tmp_path / "out"])
        assert result.ok, [str(i) for i in result.issues[:5]]
        assert result.counts["declaraties"] == summary.claims
        original, imported = _natural_contents(engine), _natural_contents(target)
        for table in NATURAL:
            assert imported[table] == original[table], table
    finally:
        target.dispose()


def test_claims_arrive_late_as_in_a_municipality(tiny: tuple[Engine, DemoSummary]) -> None:
    """Each line records when it arrived: 5 to 120 days after its period, and no later than the
    day the data were taken (30 days after DEMO_UNTIL), so the last months are incomplete."""
    claims = _frame(tiny[0], "SELECT period_end, first_seen FROM claim")
    end = pd.to_datetime(claims["period_end"])
    seen = pd.to_datetime(claims["first_seen"])
    lag = (seen - end).dt.days
    assert lag.between(5, 120).all()
    assert seen.max() <= pd.Timestamp(date(2026, 11, 30))
    # October 2026: only lines that took at most 30 days (about two thirds); June: all of them.
    months = claims.assign(month=claims["period_end"].str.slice(0, 7)).groupby("month").size()
    assert 0.5 < months["2026-10"] / months["2026-06"] < 0.8
