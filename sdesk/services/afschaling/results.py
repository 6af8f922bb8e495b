"""The business case of reviewing: reviews by outcome, expected against realised saving, per
team and employee, and the return on the reviewing capacity.

Business case (`business_case`), over the reviews with a review date in [since, at] (since
defaults to the start of the twelve months up to `at`). Only what later data show counts as
saved (#16). Per review:

- **executed** (uitgevoerd), judged from the allocations and claims as they are now:
  - stop, to_general_provision, to_other_law: the allocation ended within 31 days of the
    decision and no claim of it runs past that end;
  - scale_down: the allocation now has a lower run-rate than when the decision was taken
    (volume or tariff lowered in place), or it ended within 31 days and a new allocation of
    the same person, law and category with a lower run-rate started within those 31 days;
  - continue: not applicable (None); realised 0 (what a continued allocation leaves unused
    is ordinary under-use, not a result of the review).
- **window**: the days after the review date up to the earliest of `at`, the planned end
  date the allocation had when the decision was taken, and twelve months after the decision;
- **daily cost before**: the allocation's claims over the six complete months before the
  decision / the days it ran in them (kept with the review at decision time; computed from the
  data for reviews that lack it, such as imported ones; run-rate / 365 when it ran in no
  complete month yet);
- **baseline** = daily cost before x window days;
- **replacements**: allocations of the same person and law starting within 31 days after the
  decision (re-entry within 31 days is netted as replacement); **paid after** = claims of the
  allocation and its replacements, each pro-rated by the share of its period inside the window;
  replacement cost = the replacements' part;
- **realised saving** = baseline - paid after when executed, else 0 (listed as not executed);
  per year = realised x 365 / window days;
- **herinstroom**: an executed stop (or similar) with a replacement within 31 days counts as
  re-entry within 31 days; an executed decision followed by a new allocation of the same person
  and law starting later but within twelve months (and by `at`) counts as re-entry within
  12 months (reported, not netted), both per team.

The annual cost before is the allocation's annual run-rate when the decision was recorded
(kept with the review); reviews without it use the allocation as stored now. Totals are sums
over the reviews; outcome shares are counts / number of reviews. The return on reviewing
capacity = realised saving per year (total) / (fte x cost per fte). Team and employee are those
of the reviewer (the review's employee, else the allocation's responsible employee).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.models.enums import Decision
from sdesk.services.afschaling.credit import CREDITED_EMPLOYEE
from sdesk.services.afschaling.decisions import (
    COST_COLUMNS,
    DECISIONS,
    ENDING_DECISIONS,
    realised_daily_cost_cents,
    share_inside,
)
from sdesk.services.afschaling.rules import ReviewError
from sdesk.services.afschaling.vocabulary import decision_label
from sdesk.services.platform.actor import Actor, allocation_pseudonym
from sdesk.services.platform.costs import annual_run_rates_cents
from sdesk.services.platform.periods import add_months, last_twelve_months
from sdesk.services.platform.readers import REMOVED, fetch_rows
from sdesk.services.platform.text import euros, short_date

UNKNOWN_GROUP = "onbekend"
EXECUTION_DAYS = 31  # a decision carried out later than this is not the decision's doing
REENTRY_MONTHS = 12


@dataclass(frozen=True)
class ReviewResult:
    review_id: int
    review_date: date
    toewijzingnummer: str
    law: str
    decision: str
    decision_label: str
    employee: str
    team: str
    annual_cost_before_cents: int
    expected_annual_saving_cents: int
    days_since: int
    baseline_cents: int
    paid_after_cents: int
    realised_saving_cents: int
    realised_saving_per_year_cents: int
    # The realised basis (#16); defaults keep results built before it readable.
    executed: bool | None = None  # None for continue: nothing to carry out
    window_end: date | None = None
    window_days: int = 0
    daily_cost_before_cents: float = 0.0
    replacement_cost_cents: int = 0
    reentry_31d: bool = False
    reentry_12m: bool = False

    @property
    def execution_label(self) -> str:
        """Uitgevoerd / niet uitgevoerd / n.v.t. (continue)."""
        if self.executed is None:
            return "n.v.t."
        return "uitgevoerd" if self.executed else "niet uitgevoerd"


@dataclass(frozen=True)
class OutcomeCount:
    decision: str
    label: str
    count: int
    share: float | None  # count / reviews; None without reviews


@dataclass(frozen=True)
class GroupResult:
    name: str
    reviews: int
    by_decision: dict[str, int]
    expected_annual_saving_cents: int
    realised_saving_cents: int
    realised_saving_per_year_cents: int
    executed: int = 0
    not_executed: int = 0
    reentry_31d: int = 0
    reentry_12m: int = 0


@dataclass(frozen=True)
class BusinessCase:
    at: date
    since: date
    fte: float
    cost_per_fte_cents: int
    team: str | None
    employee: str | None
    reviews: tuple[ReviewResult, ...]
    outcomes: tuple[OutcomeCount, ...]  # every decision, in DECISIONS order
    by_team: tuple[GroupResult, ...]
    by_employee: tuple[GroupResult, ...]

    @property
    def review_count(self) -> int:
        """The number of reviews in the business case."""
        return len(self.reviews)

    @property
    def expected_annual_saving_cents(self) -> int:
        """The sum of the saving per year the reviewers expected."""
        return sum(r.expected_annual_saving_cents for r in self.reviews)

    @property
    def realised_saving_cents(self) -> int:
        """The sum of the savings realised since each review."""
        return sum(r.realised_saving_cents for r in self.reviews)

    @property
    def realised_saving_per_year_cents(self) -> int:
        """The sum of the realised savings, each scaled to a year."""
        return sum(r.realised_saving_per_year_cents for r in self.reviews)

    @property
    def capacity_cost_cents(self) -> int:
        """What the reviewing capacity costs: fte times the cost per fte."""
        return round(self.fte * self.cost_per_fte_cents)

    @property
    def return_on_capacity(self) -> float | None:
        """Realised saving per year / (fte x cost per fte)."""
        cost = self.capacity_cost_cents
        return self.realised_saving_per_year_cents / cost if cost else None

    @property
    def executed_count(self) -> int:
        """Decisions that change care and that the data show carried out."""
        return sum(1 for r in self.reviews if r.executed)

    @property
    def not_executed_count(self) -> int:
        """Decisions that change care but that the data do not show carried out."""
        return sum(1 for r in self.reviews if r.executed is False)

    @property
    def replacement_cost_cents(self) -> int:
        """What replacement care cost within the windows (netted in the realised saving)."""
        return sum(r.replacement_cost_cents for r in self.reviews)

    @property
    def reentry_31d(self) -> int:
        """Executed ending decisions followed by new care within 31 days (netted)."""
        return sum(1 for r in self.reviews if r.reentry_31d)

    @property
    def reentry_12m(self) -> int:
        """Executed decisions followed by new care after 31 days, within twelve months."""
        return sum(1 for r in self.reviews if r.reentry_12m)


def _group(name: str, results: list[ReviewResult]) -> GroupResult:
    by_decision = dict.fromkeys(DECISIONS, 0)
    for r in results:
        by_decision[r.decision] = by_decision.get(r.decision, 0) + 1
    return GroupResult(
        name=name, reviews=len(results), by_decision=by_decision,
        expected_annual_saving_cents=sum(r.expected_annual_saving_cents for r in results),
        realised_saving_cents=sum(r.realised_saving_cents for r in results),
        realised_saving_per_year_cents=sum(r.realised_saving_per_year_cents for r in results),
        executed=sum(1 for r in results if r.executed),
        not_executed=sum(1 for r in results if r.executed is False),
        reentry_31d=sum(1 for r in results if r.reentry_31d),
        reentry_12m=sum(1 for r in results if r.reentry_12m))


def _groups(results: list[ReviewResult], key: str) -> tuple[GroupResult, ...]:
    buckets: dict[str, list[ReviewResult]] = {}
    for r in results:
        buckets.setdefault(getattr(r, key), []).append(r)
    return tuple(_group(name, buckets[name]) for name in sorted(buckets))


@dataclass(frozen=True)
class _Care:
    """An allocation as the realised saving needs it: its period, run-rate and claims."""
    id: int
    category: str
    start: date
    end: date | None
    run_rate_cents: float
    claims: tuple[tuple[date, date, int], ...]

    def paid(self, lo: date, hi: date) -> float:
        """Claims pro-rated into [lo, hi]."""
        if hi < lo:
            return 0.0
        return sum(amount * share_inside(start, end, lo, hi)
                   for start, end, amount in self.claims)

    def claimed_after(self, day: date) -> bool:
        """Whether a claim covers care after `day`."""
        return any(end > day for _start, end, _amount in self.claims)


def _care(engine: Engine, reviews: pd.DataFrame) -> tuple[dict[int, _Care],
                                                           dict[int, list[int]]]:
    """The reviewed allocations and, per review, the later allocations of the same person and
    law that started within twelve months after the decision, each with its claims."""
    if reviews.empty:
        return {}, {}
    ids = ",".join(str(int(i)) for i in reviews["review_id"])
    later = fetch_rows(engine, (
        "SELECT r.id, s.id FROM review r JOIN allocation a ON a.id = r.allocation_id "
        "JOIN allocation s ON s.person_id = a.person_id AND s.law = a.law AND s.id <> a.id "
        "AND s.start_date >= r.review_date AND s.start_date <= date(r.review_date, "
        f"'+{REENTRY_MONTHS} months') AND COALESCE(s.change_reason, '') <> '{REMOVED}' "
        f"WHERE r.id IN ({ids}) ORDER BY s.start_date, s.id"))
    following: dict[int, list[int]] = {}
    for review_id, successor in later:
        following.setdefault(int(review_id), []).append(int(successor))
    wanted = {int(i) for i in reviews["allocation_id"]} | {s for v in following.values()
                                                          for s in v}
    listed = ",".join(str(i) for i in sorted(wanted))
    rows = fetch_rows(engine, "SELECT id, category, " + ", ".join(COST_COLUMNS)
                      + f" FROM allocation WHERE id IN ({listed})")
    frame = pd.DataFrame.from_records(rows, columns=["id", "category", *COST_COLUMNS])
    run_rates = annual_run_rates_cents(frame)
    claims: dict[int, list[tuple[date, date, int]]] = {}
    for allocation_id, start, end, amount in fetch_rows(engine, (
            "SELECT allocation_id, period_start, period_end, amount_cents FROM claim "
            f"WHERE rejected = 0 AND allocation_id IN ({listed})")):
        claims.setdefault(int(allocation_id), []).append(
            (date.fromisoformat(start), date.fromisoformat(end), int(amount)))
    care = {}
    for i, (allocation_id, category, start, end, *_cost) in enumerate(rows):
        care[int(allocation_id)] = _Care(
            id=int(allocation_id), category=str(category), start=date.fromisoformat(start),
            end=date.fromisoformat(end) if end else None, run_rate_cents=float(run_rates[i]),
            claims=tuple(claims.get(int(allocation_id), ())))
    return care, following


@dataclass(frozen=True)
class _Realised:
    executed: bool | None
    window_end: date
    window_days: int
    daily_cents: float
    baseline_cents: float
    paid_cents: float
    replacement_cents: float
    realised_cents: float
    reentry_31d: bool
    reentry_12m: bool


def _realised(decision: str, reviewed: date, at: date, own: _Care, later: list[_Care],
              daily_cents: float, run_rate_before: float, planned_end: date | None
              ) -> _Realised:
    """The realised saving of one decision (formulas in the module docstring)."""
    execution_end = reviewed + timedelta(days=EXECUTION_DAYS)
    reentry_end = min(at, add_months(reviewed, REENTRY_MONTHS))
    window_end = min(at, add_months(reviewed, REENTRY_MONTHS), planned_end or at)
    window_days = max((window_end - reviewed).days, 0)
    lo = reviewed + timedelta(days=1)
    replacements = [c for c in later if c.start <= execution_end]
    reentries = [c for c in later if execution_end < c.start <= reentry_end]
    replacement = sum(c.paid(lo, window_end) for c in replacements)
    paid = own.paid(lo, window_end) + replacement
    ended = own.end is not None and own.end <= execution_end
    executed: bool | None
    if decision == Decision.CONTINUE.value:
        executed = None
    elif decision in ENDING_DECISIONS:
        executed = ended and own.end is not None and not own.claimed_after(own.end)
    else:  # scale_down: lowered in place, or ended and replaced by lighter care
        lighter = [c for c in replacements if c.category == own.category
                   and c.run_rate_cents < run_rate_before - 0.5]
        executed = (not ended and own.run_rate_cents < run_rate_before - 0.5) or (
            ended and bool(lighter))
    baseline = daily_cents * window_days
    realised = baseline - paid if executed else 0.0
    return _Realised(
        executed=executed, window_end=window_end, window_days=window_days,
        daily_cents=daily_cents, baseline_cents=baseline, paid_cents=paid,
        replacement_cents=replacement, realised_cents=realised,
        reentry_31d=bool(executed) and decision in ENDING_DECISIONS and bool(replacements),
        reentry_12m=bool(executed) and bool(reentries))


def business_case(engine: Engine, at: date, fte: float, cost_per_fte_cents: int,
                  team: str | None = None, employee: str | None = None,
                  since: date | None = None, actor: Actor | None = None) -> BusinessCase:
    """Reviews by outcome, expected versus realised saving and the return on reviewing
    capacity (formulas in the module docstring). `employee` is an external id. For an
    `actor` without identity (the controller) the reviews name allocation pseudonyms."""
    if not (isinstance(fte, int | float) and fte > 0):
        raise ReviewError(f"De capaciteit moet groter dan 0 fte zijn (nu {fte}).")
    if not (isinstance(cost_per_fte_cents, int) and cost_per_fte_cents > 0):
        raise ReviewError("De kosten per fte moeten groter dan € 0 zijn.")
    since = since or last_twelve_months(at)[0]
    if since > at:
        raise ReviewError(f"De periode begint ({short_date(since)}) na de peildatum "
                          f"({short_date(at)}).")
    sql = (
        "SELECT r.id, r.review_date, a.toewijzingnummer, a.law, r.decision, "
        "ce.name, ct.name, ce.external_id, r.expected_annual_saving_cents, "
        "r.annual_cost_before_cents, a.start_date, a.end_date, a.volume, a.unit, "
        "a.frequency, a.tariff_cents, a.budget_cents, a.id, r.realised_daily_cost_cents, "
        "r.planned_end_date "
        "FROM review r JOIN allocation a ON a.id = r.allocation_id "
        f"LEFT JOIN employee ce ON ce.id = {CREDITED_EMPLOYEE} "
        "LEFT JOIN team ct ON ct.id = ce.team_id "
        "WHERE r.review_date BETWEEN ? AND ? "
        f"AND COALESCE(a.change_reason, '') <> '{REMOVED}'")
    params: list[Any] = [since.isoformat(), at.isoformat()]
    if team:
        sql += " AND ct.name = ?"
        params.append(team)
    if employee:
        sql += " AND ce.external_id = ?"
        params.append(employee)
    sql += " ORDER BY r.review_date, r.id"
    reviews = pd.DataFrame.from_records(
        fetch_rows(engine, sql, tuple(params)),
        columns=["review_id", "review_date", "toewijzingnummer", "law", "decision",
                 "employee", "team", "employee_external_id", "expected", "cost_before",
                 *COST_COLUMNS, "allocation_id", "daily_before", "planned_end"])
    reviews["start_date"] = pd.to_datetime(reviews["start_date"])
    reviews["end_date"] = pd.to_datetime(reviews["end_date"])
    for column in ("volume", "tariff_cents", "budget_cents"):
        reviews[column] = pd.to_numeric(reviews[column]).astype("float64")
    run_rate = annual_run_rates_cents(reviews) if len(reviews) else np.zeros(0)
    kept = pd.to_numeric(reviews["cost_before"]).to_numpy(dtype="float64")
    run_rate = np.where(np.isnan(kept), run_rate, kept)
    care, following = _care(engine, reviews)

    results = []
    r: Any  # an itertuples row: pandas types its fields only as some scalar
    with engine.connect() as conn:
        for i, r in enumerate(reviews.itertuples(index=False)):
            reviewed = date.fromisoformat(r.review_date)
            days = (at - reviewed).days
            own = care[int(r.allocation_id)]
            daily = r.daily_before
            if daily is None or pd.isna(daily):  # recorded before sdesk kept it, or imported
                daily = realised_daily_cost_cents(conn, own.id, own.start, own.end, reviewed,
                                                  run_rate[i])
            planned = (date.fromisoformat(r.planned_end) if isinstance(r.planned_end, str)
                       else None)
            got = _realised(r.decision, reviewed, at, own,
                            [care[c] for c in following.get(int(r.review_id), [])],
                            float(daily), float(run_rate[i]), planned)
            results.append(ReviewResult(
                review_id=int(r.review_id), review_date=reviewed,
                toewijzingnummer=(r.toewijzingnummer if actor is None or actor.sees_identity
                                  else allocation_pseudonym(r.law, r.toewijzingnummer)),
                law=r.law, decision=r.decision,
                decision_label=decision_label(r.decision),
                employee=r.employee or UNKNOWN_GROUP, team=r.team or UNKNOWN_GROUP,
                annual_cost_before_cents=round(run_rate[i]),
                expected_annual_saving_cents=int(r.expected or 0), days_since=days,
                baseline_cents=round(got.baseline_cents), paid_after_cents=round(got.paid_cents),
                realised_saving_cents=round(got.realised_cents),
                realised_saving_per_year_cents=(round(got.realised_cents * 365.0
                                                      / got.window_days)
                                                if got.window_days else 0),
                executed=got.executed, window_end=got.window_end, window_days=got.window_days,
                daily_cost_before_cents=got.daily_cents,
                replacement_cost_cents=round(got.replacement_cents),
                reentry_31d=got.reentry_31d, reentry_12m=got.reentry_12m))

    total = len(results)
    counts = {d: sum(1 for r in results if r.decision == d) for d in DECISIONS}
    outcomes = tuple(OutcomeCount(d, decision_label(d), counts[d],
                                  counts[d] / total if total else None) for d in DECISIONS)
    return BusinessCase(at=at, since=since, fte=float(fte),
                        cost_per_fte_cents=cost_per_fte_cents, team=team, employee=employee,
                        reviews=tuple(results), outcomes=outcomes,
                        by_team=_groups(results, "team"),
                        by_employee=_groups(results, "employee"))


def business_case_json(case: BusinessCase) -> dict[str, Any]:
    """Euros rounded to cents, shares 0..1 (`sdesk review business-case --json`)."""
    eur = euros

    def group(g: GroupResult) -> dict[str, Any]:
        return {"name": g.name, "reviews": g.reviews, "by_decision": g.by_decision,
                "expected_annual_saving": eur(g.expected_annual_saving_cents),
                "realised_saving": eur(g.realised_saving_cents),
                "realised_saving_per_year": eur(g.realised_saving_per_year_cents),
                "executed": g.executed, "not_executed": g.not_executed,
                "reentry_31d": g.reentry_31d, "reentry_12m": g.reentry_12m}

    def review(r: ReviewResult) -> dict[str, Any]:
        return {"toewijzingnummer": r.toewijzingnummer, "law": r.law, "decision": r.decision,
                "review_date": r.review_date.isoformat(), "team": r.team,
                "expected_annual_saving": eur(r.expected_annual_saving_cents),
                "realised_saving": eur(r.realised_saving_cents), "executed": r.executed,
                "replacement_cost": eur(r.replacement_cost_cents),
                "window_end": None if r.window_end is None else r.window_end.isoformat(),
                "window_days": r.window_days, "baseline": eur(r.baseline_cents),
                "paid_after": eur(r.paid_after_cents),
                "reentry_31d": r.reentry_31d, "reentry_12m": r.reentry_12m}

    def reentry(flag: str) -> dict[str, Any]:
        return {"total": sum(1 for r in case.reviews if getattr(r, flag)),
                "by_team": {g.name: getattr(g, flag) for g in case.by_team}}

    return {
        "at": case.at.isoformat(), "since": case.since.isoformat(), "fte": case.fte,
        "cost_per_fte": eur(case.cost_per_fte_cents), "team": case.team,
        "employee": case.employee, "reviews": case.review_count,
        "outcomes": {o.decision: {"count": o.count,
                                  "share": None if o.share is None else round(o.share, 4)}
                     for o in case.outcomes},
        "expected_annual_saving": eur(case.expected_annual_saving_cents),
        "realised_saving": eur(case.realised_saving_cents),
        "realised_saving_per_year": eur(case.realised_saving_per_year_cents),
        "capacity_cost": eur(case.capacity_cost_cents),
        "return_on_capacity": None if case.return_on_capacity is None else round(
            case.return_on_capacity, 4),
        "by_team": [group(g) for g in case.by_team],
        "by_employee": [group(g) for g in case.by_employee],
        "executed": case.executed_count, "not_executed": case.not_executed_count,
        "replacement_cost": eur(case.replacement_cost_cents),
        "per_review": [review(r) for r in case.reviews],
        "reentry_31d": reentry("reentry_31d"), "reentry_12m": reentry("reentry_12m"),
    }

