"""KPI definitions (DESIGN section 5): one function per figure, shared by dashboard, CLI, Excel.

Period P = [start, end], both inclusive. "Active on a day" means start <= day <= end (or open);
allocations removed with reden wijziging 13 never count (frames.py). Choices where DESIGN is
silent, made once here:

- inflow: a person counts once when at least one of their allocations of the law starts in P
  and no allocation of that law (theirs, any team) was active in the six months before that
  start ([start - 6 months, start - 1 day]). With all laws, "that law" is each allocation's own.
- outflow: per person, the last end date E in P of their allocations of the law; they count when
  no allocation of that law is active on any day of (E, E + 6 months]. When E + 6 months lies
  after the data (the latest claim period end), the count is also reported as provisional.
- continuing: active in P and in the previous period (periods.previous_period: whole calendar
  months give the same number of whole months before, 2025 -> 2024; other ranges as many days).
- avg_duration_days: the person's allocations in one category are merged where they overlap
  (touching is not overlapping), over their whole history; the mean of end - start + 1 over the
  merged spells that end in P.
- third_party_share: Jeugdwet only (the referrers 02-05 and 08 exist in no other law): None,
  "n.v.t.", for Wmo and Participatiewet; with all laws, the share of all costs.
- dropout_rate: allocations ending in P with reden beëindiging 32/33 (jeugd) or 21/22 (wmo),
  as a share of all allocations of those laws ending in P (Participatiewet has no such codes).
- clients_per_1000: inhabitants of the year in which P starts (jeugd: age band 0-17).
- heavy_share: clients with an allocation active in P of at least the norm per week: dagdelen
  (WJ756 16) >= 5, or hours (04; minutes 01 / 60) >= 4 outside hulp bij het huishouden (wmo 01).
- constant_price_cost: each year's realisation deflated to the base year with the cumulative
  price index of its law (base year default: the first year of the index).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.kpi.lag import kpi_complete_through
from sdesk.services.kpi.results import KpiComparison, Kpis
from sdesk.services.kpi.working_set import KpiData, kpi_data
from sdesk.services.platform.intensity import heavy_mask
from sdesk.services.platform.periods import add_months, previous_period, year_earlier

THIRD_PARTY_REFERRERS = ("02", "03", "04", "05", "08")
DROPOUT_CODES = {"jeugd": ("32", "33"), "wmo": ("21", "22")}
UNKNOWN = "onbekend"
LOOK_MONTHS = 6


def active_mask(frame: pd.DataFrame, a: pd.Timestamp, b: pd.Timestamp) -> pd.Series:
    """Rows of allocations active somewhere in [a, b]."""
    return (frame["start_date"] <= b) & (frame["end_date"].isna() | (frame["end_date"] >= a))


def _share(part: float, whole: float) -> float | None:
    return None if not whole else part / whole


def inflow_persons(scope: pd.DataFrame, every: pd.DataFrame, p0: pd.Timestamp,
                   p1: pd.Timestamp) -> set[int]:
    """The persons with a new allocation in [p0, p1] (none of the law in the months before)."""
    starts = scope[(scope["start_date"] >= p0) & (scope["start_date"] <= p1)]
    if starts.empty:
        return set()
    others = every[["id", "person_id", "law", "start_date", "end_date"]].rename(
        columns={"id": "id_o", "start_date": "start_date_o", "end_date": "end_date_o"})
    pairs = starts[["id", "person_id", "law", "start_date"]].merge(others,
                                                                  on=["person_id", "law"])
    before = pairs["start_date"] - pd.DateOffset(months=LOOK_MONTHS)
    earlier = (pairs["id_o"] != pairs["id"]) & (
        pairs["start_date_o"] <= pairs["start_date"] - pd.Timedelta(days=1)) & (
        pairs["end_date_o"].isna() | (pairs["end_date_o"] >= before))
    not_new = set(pairs.loc[earlier, "id"])
    new = starts[~starts["id"].isin(not_new)]
    return set(new["person_id"].tolist())


def outflow_persons(scope: pd.DataFrame, every: pd.DataFrame, p0: pd.Timestamp,
                    p1: pd.Timestamp, data_until: pd.Timestamp) -> tuple[set[int], set[int]]:
    """(persons who left, of whom provisional)."""
    ends = scope[scope["end_date"].notna() & (scope["end_date"] >= p0)
                 & (scope["end_date"] <= p1)]
    if ends.empty:
        return set(), set()
    last = ends.groupby(["person_id", "law"], as_index=False, observed=True)["end_date"].max()
    others = every[["person_id", "law", "start_date", "end_date"]].rename(
        columns={"start_date": "start_date_o", "end_date": "end_date_o"})
    pairs = last.merge(others, on=["person_id", "law"])
    horizon = pairs["end_date"] + pd.DateOffset(months=LOOK_MONTHS)
    later = (pairs["start_date_o"] <= horizon) & (
        pairs["end_date_o"].isna() | (pairs["end_date_o"] > pairs["end_date"]))
    staying = set(map(tuple, pairs.loc[later, ["person_id", "law"]].to_numpy()))
    gone = last[[(p, law) not in staying for p, law in
                 zip(last["person_id"], last["law"], strict=True)]]
    provisional = gone[gone["end_date"] + pd.DateOffset(months=LOOK_MONTHS) > data_until]
    return set(gone["person_id"].tolist()), set(provisional["person_id"].tolist())


def merged_spells(frame: pd.DataFrame) -> pd.DataFrame:
    """Merge overlapping allocations per person and category: person_id, category, start, end
    (end NaT when the spell is still open)."""
    if frame.empty:
        return pd.DataFrame({"person_id": pd.Series(dtype="int64"),
                             "category": pd.Series(dtype=object),
                             "start": pd.Series(dtype="datetime64[us]"),
                             "end": pd.Series(dtype="datetime64[us]")})
    far = pd.Timestamp("2262-01-01")
    f = frame[["person_id", "category", "start_date", "end_date"]].copy()
    f["end_fill"] = f["end_date"].fillna(far)
    f = f.sort_values(["person_id", "category", "start_date"], kind="mergesort")
    keys = ["person_id", "category"]
    reach = f.groupby(keys, observed=True)["end_fill"].cummax()
    previous_reach = reach.groupby([f["person_id"], f["category"]], observed=True).shift()
    new_spell = previous_reach.isna() | (f["start_date"] > previous_reach)
    f["spell"] = new_spell.cumsum()
    spells = f.groupby("spell").agg(person_id=("person_id", "first"),
                                    category=("category", "first"),
                                    start=("start_date", "min"), end=("end_fill", "max"))
    spells.loc[spells["end"] == far, "end"] = pd.NaT
    return spells.reset_index(drop=True)






def deflators(data: KpiData, laws: list[str], base_year: int | None
               ) -> tuple[dict[tuple[str, int], float], int | None]:
    """The factor per (law, year) to constant prices of the base year, and that base year."""
    index: dict[str, dict[int, float]] = {}
    for law, year, pct in data.price_index:
        index.setdefault(law, {})[int(year)] = float(pct)
    years = [y for law in laws for y in index.get(law, {})]
    base = base_year if base_year is not None else (min(years) if years else None)
    out: dict[tuple[str, int], float] = {}
    if base is None:
        return out, None
    for law in laws:
        rates = index.get(law, {})
        for year in range(min([*rates, base]) - 1, max([*rates, base, date.today().year]) + 2):
            factor = 1.0
            for k in range(base + 1, year + 1):
                factor *= 1 + rates.get(k, 0.0) / 100
            for k in range(year + 1, base + 1):
                factor /= 1 + rates.get(k, 0.0) / 100
            out[(law, year)] = factor
    return out, base


def _inhabitants(data: KpiData, year: int, law: str | None) -> int | None:
    rows = [count for y, band, count in data.inhabitants
            if y == year and (law != "jeugd" or band == "0-17")]
    return sum(rows) if rows else None


def select_scope(data: KpiData, start: date, end: date, law: str | None,
                 team: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(allocations of the law around P, the part of those the team is responsible for).
    Looks back and ahead as far as inflow, outflow and continuing need."""
    load_from = pd.Timestamp(min(previous_period(start, end)[0],
                                 add_months(start, -LOOK_MONTHS)))
    of_law = data.of_law(law)
    every = of_law[active_mask(of_law, load_from, pd.Timestamp(add_months(end, LOOK_MONTHS)))]
    if not team:
        return every, every
    return every, every[every["team_id"].isin(data.team_ids(team))]


def compute_kpis(engine: Engine, start: date, end: date, law: str | None = None,
                 team: str | None = None, base_year: int | None = None) -> Kpis:
    """The key figures of a period, optionally for one law and team."""
    if end < start:
        from sdesk.services.platform.errors import SdeskError

        raise SdeskError(f"De periode eindigt ({end:%d-%m-%Y}) voor het begin "
                         f"({start:%d-%m-%Y}).")
    data = kpi_data(engine)
    before0, before1 = previous_period(start, end)
    p0, p1 = pd.Timestamp(start), pd.Timestamp(end)
    everything = data.allocations
    of_law = data.of_law(law)
    every, scope = select_scope(data, start, end, law, team)
    team_ids = data.team_ids(team) if team else None

    in_p = scope[active_mask(scope, p0, p1)]
    clients = int(in_p["person_id"].nunique())
    prior = scope[active_mask(scope, pd.Timestamp(before0), pd.Timestamp(before1))]
    continuing = len(set(in_p["person_id"]) & set(prior["person_id"]))
    gone, provisional = outflow_persons(scope, every, p0, p1, data.data_until)

    claims = data.claims(engine, start, end, law)
    claims = claims.merge(scope[["id", "person_id", "law", "category", "referrer"]],
                          left_on="allocation_id", right_on="id", how="inner")
    realised = int(claims["amount_cents"].sum())
    per_person = claims.groupby("person_id")["amount_cents"].sum().sort_values(ascending=False)
    by_referrer = claims.groupby("referrer", observed=True)["amount_cents"].sum()
    third_party = int(by_referrer[by_referrer.index.isin(THIRD_PARTY_REFERRERS)].sum())

    laws = sorted(scope["law"].unique().tolist()) if law is None else [law]
    deflate, base = deflators(data, laws, base_year)
    per_year = claims.groupby([claims["law"], claims["month"] // 100],
                              observed=True)["amount_cents"].sum()
    law_years: list[tuple[str, int]] = per_year.index.tolist()
    constant = round(sum(float(v) / (deflate.get((lw, int(y)), 1.0) or 1.0)
                         for (lw, y), v in zip(law_years, per_year.tolist(), strict=True)))

    ending = scope[scope["end_date"].notna() & (scope["end_date"] >= p0)
                   & (scope["end_date"] <= p1)]
    coded = ending[ending["law"].isin(list(DROPOUT_CODES))]
    dropouts = sum(int(coded.loc[coded["law"] == lw, "end_reason"].isin(codes).sum())
                   for lw, codes in DROPOUT_CODES.items())

    # Spells need the whole history of the people whose allocations end in P.
    enders = of_law[of_law["person_id"].isin(ending["person_id"].unique())]
    if team_ids is not None:
        enders = enders[enders["team_id"].isin(team_ids)]
    spells = merged_spells(enders)
    ended_spells = spells[spells["end"].notna() & (spells["end"] >= p0) & (spells["end"] <= p1)]
    durations = (ended_spells["end"] - ended_spells["start"]).dt.days + 1

    inhabitants = _inhabitants(data, start.year, law)
    heavy = in_p.loc[heavy_mask(in_p), "person_id"].nunique()
    neighbours = everything[everything["household_id"].isin(in_p["household_id"].unique())]
    active_all = neighbours[active_mask(neighbours, p0, p1)]
    laws_per_household = active_all.groupby("household_id", observed=True)["law"].nunique()
    multi = set(laws_per_household.index[laws_per_household >= 2])
    households = set(in_p["household_id"]) & multi

    return Kpis(
        start=start, end=end, law=law, team=team, clients=clients,
        inflow=len(inflow_persons(scope, every, p0, p1)), outflow=len(gone),
        outflow_provisional=len(provisional),
        continuing=continuing, realised_cost_cents=realised,
        cost_per_client_cents=_share(realised, clients),
        top10_share=_share(float(per_person.head(10).sum()), realised),
        cost_by_referrer_cents={str(k): int(v) for k, v in by_referrer.sort_index().items()},
        third_party_share=(None if law not in (None, "jeugd")
                           else _share(third_party, realised)),
        cost_by_category_cents={str(k): int(v) for k, v in claims.groupby(
            "category", observed=True)["amount_cents"].sum().items()},
        clients_by_category={str(k): int(v) for k, v in in_p.groupby(
            "category", observed=True)["person_id"].nunique().items()},
        avg_duration_days=float(durations.mean()) if len(durations) else None,
        dropout_rate=_share(dropouts, len(coded)),
        clients_per_1000=(clients / inhabitants * 1000) if inhabitants else None,
        heavy_share=_share(heavy, clients),
        households_multi_law=len(households),
        constant_price_cost_cents=constant, base_year=base,
    )


def compute_comparison(engine: Engine, start: date, end: date, law: str | None = None,
                       team: str | None = None, base_year: int | None = None) -> KpiComparison:
    """The key figures of a period, the period before it and the same period a year earlier
    (one definition of both: platform.periods), and up to when the claims are complete,
    computed (answers.compare_periods keeps them per data version)."""
    current = compute_kpis(engine, start, end, law, team, base_year)
    base = current.base_year
    previous = compute_kpis(engine, *previous_period(start, end), law, team, base)
    earlier = compute_kpis(engine, *year_earlier(start, end), law, team, base)
    return KpiComparison(current, previous, earlier,
                         kpi_complete_through(engine, law))


