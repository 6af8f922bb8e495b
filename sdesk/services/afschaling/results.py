"""The business case of reviewing: reviews by outcome, expected against realised saving, per
team and employee, and the return on the reviewing capacity.

Business case (`business_case`), over the reviews with a review date in [since, at] (since
defaults to the start of the twelve months up to `at`), per review:

- annual cost before = the allocation's annual run-rate when the decision was recorded (kept
  with the review, so a backoffice that later changes the allocation in place does not change
  it); reviews recorded before sdesk kept it use the allocation as it is stored now;
- days since = at - review date (days);
- baseline = annual cost before / 365 x days since;
- paid after = claims (not rejected) of the allocation and of its successors (allocations of
  the same person, law and category starting on or after the review date), each claim
  pro-rated by the share of its period's days that falls in (review date, at];
- realised saving = baseline - paid after, for decisions that change care; 0 for continue
  (what a continued allocation leaves unused is ordinary under-use, not a result of the
  review; baseline and paid after are still shown);
- realised saving per year = realised saving x 365 / days since (0 on the review day).

Totals are sums over the reviews; outcome shares are counts / number of reviews. The return
on reviewing capacity = realised saving per year (total) / (fte x cost per fte).
Team and employee are those of the reviewer (the review's employee, else the allocation's
responsible employee).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.models.enums import Decision
from sdesk.services.afschaling.credit import CREDITED_EMPLOYEE
from sdesk.services.afschaling.decisions import COST_COLUMNS, DECISIONS, decision_label
from sdesk.services.afschaling.rules import ReviewError
from sdesk.services.platform.actor import Actor, allocation_pseudonym
from sdesk.services.platform.costs import annual_run_rates_cents
from sdesk.services.platform.periods import last_twelve_months
from sdesk.services.platform.readers import REMOVED, fetch_rows
from sdesk.services.platform.text import euros, short_date

UNKNOWN_GROUP = "onbekend"


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


def _group(name: str, results: list[ReviewResult]) -> GroupResult:
    by_decision = dict.fromkeys(DECISIONS, 0)
    for r in results:
        by_decision[r.decision] = by_decision.get(r.decision, 0) + 1
    return GroupResult(
        name=name, reviews=len(results), by_decision=by_decision,
        expected_annual_saving_cents=sum(r.expected_annual_saving_cents for r in results),
        realised_saving_cents=sum(r.realised_saving_cents for r in results),
        realised_saving_per_year_cents=sum(r.realised_saving_per_year_cents for r in results))


def _groups(results: list[ReviewResult], key: str) -> tuple[GroupResult, ...]:
    buckets: dict[str, list[ReviewResult]] = {}
    for r in results:
        buckets.setdefault(getattr(r, key), []).append(r)
    return tuple(_group(name, buckets[name]) for name in sorted(buckets))


def _paid_after(engine: Engine, reviews: pd.DataFrame, at: date) -> np.ndarray:
    """Per review: claims of the allocation and its successors pro-rated into (date, at]."""
    if reviews.empty:
        return np.zeros(0)
    ids = ",".join(str(int(i)) for i in reviews["review_id"])
    rows = fetch_rows(engine, (
        "SELECT r.id, c.period_start, c.period_end, c.amount_cents FROM review r "
        "JOIN allocation a ON a.id = r.allocation_id "
        "JOIN allocation s ON s.person_id = a.person_id AND s.law = a.law "
        "AND s.category = a.category AND (s.id = a.id OR s.start_date >= r.review_date) "
        f"AND COALESCE(s.change_reason, '') <> '{REMOVED}' "
        "JOIN claim c ON c.allocation_id = s.id AND c.rejected = 0 "
        "AND c.period_end > r.review_date AND c.period_start <= ? "
        f"WHERE r.id IN ({ids})"), (at.isoformat(),))
    claims = pd.DataFrame.from_records(rows, columns=["review_id", "start", "end", "amount"])
    if claims.empty:
        return np.zeros(len(reviews))
    claims = claims.merge(reviews[["review_id", "review_date"]], on="review_id")
    start = pd.to_datetime(claims["start"])
    end = pd.to_datetime(claims["end"])
    lo = np.maximum(start, pd.to_datetime(claims["review_date"]) + pd.Timedelta(days=1))
    # numpy's stubs do not know that pandas takes over the ufunc for a Series.
    hi = np.minimum(end, pd.Timestamp(at))  # type: ignore[call-overload]
    inside = ((hi - lo).dt.days + 1).clip(lower=0)
    days = (end - start).dt.days + 1
    claims["paid"] = claims["amount"] * inside / days
    paid = claims.groupby("review_id")["paid"].sum()
    return paid.reindex(reviews["review_id"]).fillna(0.0).to_numpy()


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
        "a.frequency, a.tariff_cents, a.budget_cents "
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
                 *COST_COLUMNS])
    reviews["start_date"] = pd.to_datetime(reviews["start_date"])
    reviews["end_date"] = pd.to_datetime(reviews["end_date"])
    for column in ("volume", "tariff_cents", "budget_cents"):
        reviews[column] = pd.to_numeric(reviews[column]).astype("float64")
    run_rate = annual_run_rates_cents(reviews) if len(reviews) else np.zeros(0)
    kept = pd.to_numeric(reviews["cost_before"]).to_numpy(dtype="float64")
    run_rate = np.where(np.isnan(kept), run_rate, kept)
    paid = _paid_after(engine, reviews, at)

    results = []
    r: Any  # an itertuples row: pandas types its fields only as some scalar
    for i, r in enumerate(reviews.itertuples(index=False)):
        reviewed = date.fromisoformat(r.review_date)
        days = (at - reviewed).days
        baseline = run_rate[i] / 365.0 * days
        realised = 0.0 if r.decision == Decision.CONTINUE.value else baseline - paid[i]
        results.append(ReviewResult(
            review_id=int(r.review_id), review_date=reviewed,
            toewijzingnummer=(r.toewijzingnummer if actor is None or actor.sees_identity
                              else allocation_pseudonym(r.law, r.toewijzingnummer)),
            law=r.law, decision=r.decision,
            decision_label=decision_label(r.decision), employee=r.employee or UNKNOWN_GROUP,
            team=r.team or UNKNOWN_GROUP, annual_cost_before_cents=round(run_rate[i]),
            expected_annual_saving_cents=int(r.expected or 0), days_since=days,
            baseline_cents=round(baseline), paid_after_cents=round(paid[i]),
            realised_saving_cents=round(realised),
            realised_saving_per_year_cents=round(realised * 365.0 / days) if days else 0))

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
    """Euros rounded to cents, shares 0..1 (for a future `sdesk review --business-case`)."""
    eur = euros

    def group(g: GroupResult) -> dict[str, Any]:
        return {"name": g.name, "reviews": g.reviews, "by_decision": g.by_decision,
                "expected_annual_saving": eur(g.expected_annual_saving_cents),
                "realised_saving": eur(g.realised_saving_cents),
                "realised_saving_per_year": eur(g.realised_saving_per_year_cents)}

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
    }

