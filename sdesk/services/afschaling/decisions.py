"""Afschaling: what-if, decisions (beoordelingen) and the business case of reviewing.

What-if (`what_if`): the allocation as it is and as it would be with a new product (its
tariff valid on `at` from the tariff table), volume and/or end date, both through
sdesk.services.platform.costs:

- annual run-rate before and after (daily rate x 365); annual saving = before - after;
- commitment before and after over the same range [at, R]: R is the later of the current
  and the new end date, or -- for an open-ended allocation -- the later of 31 December of
  `at`'s year and the new end date; commitment saving = before - after.

Refused with a Dutch ReviewError, nothing changed: an unknown or removed allocation, one
that ended before `at`, a volume of zero or less, an end date before the start or before
`at`, an unknown product, a product with another unit without a new volume.

Decisions (`record_decision`) store a Review with the intended new allocation values, for the
backoffice to carry out. Expected annual saving per decision:

- continue (ongewijzigd voortzetten): 0; may carry a new end date (verlenging), no product or
  volume;
- scale_down: needs a new product or a lower volume; the what-if annual saving, which must be
  above 0;
- stop, to_general_provision (naar voorliggend veld), to_other_law (Wlz, Zvw): the whole
  annual run-rate (the municipality stops paying); end date default the review date.

A decision on an allocation that is unknown, removed, or ended before the review date is
refused, as are unknown decisions and rule ids.

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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from sdesk.models.enums import Decision
from sdesk.services.afschaling.credit import CREDITED_EMPLOYEE
from sdesk.services.afschaling.rules import ReviewError, check_rule_ids
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.costs import annual_run_rates_cents, commitments_cents
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.periods import last_twelve_months
from sdesk.services.platform.readers import REMOVED, fetch_rows
from sdesk.services.platform.text import euro, euros, law_name
from sdesk.services.platform.vocabulary import LAWS

DECISIONS: tuple[str, ...] = tuple(d.value for d in Decision)
DECISION_LABELS = {
    Decision.CONTINUE.value: "Ongewijzigd voortzetten",
    Decision.SCALE_DOWN.value: "Afschalen",
    Decision.STOP.value: "Beëindigen",
    Decision.TO_GENERAL_PROVISION.value: "Naar voorliggend veld",
    Decision.TO_OTHER_LAW.value: "Naar andere wet (Wlz, Zvw)",
}
# Decisions after which the municipality stops paying for the allocation.
ENDING_DECISIONS = frozenset({Decision.STOP.value, Decision.TO_GENERAL_PROVISION.value,
                              Decision.TO_OTHER_LAW.value})
UNKNOWN_GROUP = "onbekend"

_COST_COLUMNS = ("start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
                 "budget_cents")


def _d(day: date) -> str:
    return f"{day:%d-%m-%Y}"


@dataclass(frozen=True)
class _Allocation:
    id: int
    toewijzingnummer: str
    law: str
    person_id: int
    category: str
    product_code: str | None
    start: date
    end: date | None
    volume: float | None
    unit: str | None
    frequency: str | None
    tariff_cents: int | None
    budget_cents: int | None
    employee_id: int | None

    def cost_frame(self, **changes: Any) -> pd.DataFrame:
        values = {"start_date": self.start, "end_date": self.end, "volume": self.volume,
                  "unit": self.unit, "frequency": self.frequency,
                  "tariff_cents": self.tariff_cents, "budget_cents": self.budget_cents}
        values.update(changes)
        frame = pd.DataFrame([values], columns=list(_COST_COLUMNS))
        frame["start_date"] = pd.to_datetime(frame["start_date"])
        frame["end_date"] = pd.to_datetime(frame["end_date"])
        for column in ("volume", "tariff_cents", "budget_cents"):
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        for column in ("unit", "frequency"):
            frame[column] = frame[column].astype(object)
        return frame


def _allocation(conn: Connection, toewijzingnummer: str, law: str) -> _Allocation:
    if law not in LAWS:
        raise ReviewError(f"Onbekende wet '{law}'; kies uit {', '.join(LAWS)}.")
    row = conn.exec_driver_sql(
        "SELECT id, toewijzingnummer, law, person_id, category, product_code, start_date, "
        "end_date, volume, unit, frequency, tariff_cents, budget_cents, employee_id, "
        "change_reason FROM allocation WHERE law = ? AND toewijzingnummer = ?",
        (law, str(toewijzingnummer))).first()
    if row is None:
        raise NotFoundError(f"Toewijzing {toewijzingnummer} ({law_name(law)}) bestaat niet.")
    if row[14] == REMOVED:
        raise ReviewError(f"Toewijzing {toewijzingnummer} ({law_name(law)}) is verwijderd "
                          f"(reden wijziging 13) en telt niet mee.")
    return _Allocation(
        id=row[0], toewijzingnummer=row[1], law=row[2], person_id=row[3], category=row[4],
        product_code=row[5], start=date.fromisoformat(row[6]),
        end=date.fromisoformat(row[7]) if row[7] else None, volume=row[8], unit=row[9],
        frequency=row[10], tariff_cents=row[11], budget_cents=row[12], employee_id=row[13])


def _tariff(conn: Connection, law: str, product_code: str, at: date) -> tuple[int, str | None]:
    """(cents, unit) of the product on `at`; else the latest tariff before, else the first."""
    rows = conn.exec_driver_sql(
        "SELECT valid_from, valid_to, cents, unit FROM tariff WHERE law = ? AND "
        "product_code = ? ORDER BY valid_from", (law, product_code)).all()
    if not rows:
        raise ReviewError(f"Product '{product_code}' is onbekend voor de {law_name(law)}: de "
                          f"tarieventabel heeft er geen tarief voor.")
    day = at.isoformat()
    valid = [r for r in rows if r[0] <= day and (r[1] is None or r[1] >= day)]
    earlier = [r for r in rows if r[0] <= day]
    chosen = (valid or earlier or rows)[-1 if (valid or earlier) else 0]
    return int(chosen[2]), chosen[3]


# -- what-if ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class WhatIf:
    toewijzingnummer: str
    law: str
    at: date
    product_code_before: str | None
    product_code_after: str | None
    tariff_before_cents: int | None
    tariff_after_cents: int | None
    unit_before: str | None
    unit_after: str | None
    volume_before: float | None
    volume_after: float | None
    frequency: str | None
    end_before: date | None
    end_after: date | None
    annual_run_rate_before_cents: int
    annual_run_rate_after_cents: int
    commitment_from: date
    commitment_to: date
    commitment_before_cents: int
    commitment_after_cents: int

    @property
    def annual_saving_cents(self) -> int:
        """The annual run rate before minus after the decision."""
        return self.annual_run_rate_before_cents - self.annual_run_rate_after_cents

    @property
    def commitment_saving_cents(self) -> int:
        """The commitment over the commitment range before minus after."""
        return self.commitment_before_cents - self.commitment_after_cents

    @property
    def changed(self) -> bool:
        """Whether the decision changed the product, volume or end date."""
        return (self.product_code_after, self.volume_after, self.end_after) != (
            self.product_code_before, self.volume_before, self.end_before)


def _what_if(conn: Connection, a: _Allocation, at: date, new_product_code: str | None,
             new_volume: float | None, new_end_date: date | None) -> WhatIf:
    name = f"Toewijzing {a.toewijzingnummer} ({law_name(a.law)})"
    if a.end is not None and a.end < at:
        raise ReviewError(f"{name} is beëindigd op {_d(a.end)}, vóór {_d(at)}.")
    if new_volume is not None and not (isinstance(new_volume, int | float) and new_volume > 0):
        raise ReviewError(f"Het nieuwe volume moet groter dan 0 zijn (nu {new_volume}).")
    if new_end_date is not None and new_end_date < a.start:
        raise ReviewError(f"De nieuwe einddatum {_d(new_end_date)} ligt vóór de ingangsdatum "
                          f"{_d(a.start)}.")
    if new_end_date is not None and new_end_date < at:
        raise ReviewError(f"De nieuwe einddatum {_d(new_end_date)} ligt vóór de peildatum "
                          f"{_d(at)}.")
    has_omvang = a.volume is not None
    if not has_omvang and (new_volume is not None or new_product_code):
        raise ReviewError(f"{name} heeft een budget en geen omvang; een ander product of "
                          f"volume kan alleen met een nieuwe toewijzing.")
    tariff, unit = a.tariff_cents, a.unit
    if new_product_code and new_product_code != a.product_code:
        tariff, product_unit = _tariff(conn, a.law, new_product_code, at)
        if product_unit and a.unit and product_unit != a.unit:
            if new_volume is None:
                raise ReviewError(f"Product {new_product_code} heeft eenheid {product_unit}, "
                                  f"de toewijzing eenheid {a.unit}: geef ook het nieuwe "
                                  f"volume op.")
            unit = product_unit
    volume = new_volume if new_volume is not None else a.volume
    end = new_end_date if new_end_date is not None else a.end
    before = a.cost_frame()
    after = a.cost_frame(volume=volume, unit=unit, tariff_cents=tariff, end_date=end)

    year_end = date(at.year, 12, 31)
    if a.end is not None:
        until = max(a.end, new_end_date or a.end)
    else:
        until = max(year_end, new_end_date or year_end)
    return WhatIf(
        toewijzingnummer=a.toewijzingnummer, law=a.law, at=at,
        product_code_before=a.product_code,
        product_code_after=new_product_code or a.product_code,
        tariff_before_cents=a.tariff_cents,
        tariff_after_cents=None if tariff is None else int(tariff),
        unit_before=a.unit, unit_after=unit, volume_before=a.volume, volume_after=volume,
        frequency=a.frequency, end_before=a.end, end_after=end,
        annual_run_rate_before_cents=round(float(annual_run_rates_cents(before)[0])),
        annual_run_rate_after_cents=round(float(annual_run_rates_cents(after)[0])),
        commitment_from=at, commitment_to=until,
        commitment_before_cents=round(float(commitments_cents(before, at, until)[0])),
        commitment_after_cents=round(float(commitments_cents(after, at, until)[0])))


def what_if(engine: Engine, actor: Actor, toewijzingnummer: str, law: str, at: date,
            new_product_code: str | None = None, new_volume: float | None = None,
            new_end_date: date | None = None) -> WhatIf:
    """The allocation now and with the changes, on `at` (see the module docstring).
    Read-only: nothing is stored. `actor` is taken for the audit log (DESIGN 8)."""
    with engine.connect() as conn:
        a = _allocation(conn, toewijzingnummer, law)
        return _what_if(conn, a, at, new_product_code, new_volume, new_end_date)


# -- decisions --------------------------------------------------------------------------------

def decision_label(decision: str) -> str:
    """The Dutch label of a decision; the code itself when unknown."""
    return DECISION_LABELS.get(decision, decision)


def record_decision(engine: Engine, actor: Actor, toewijzingnummer: str, law: str,
                    decision: str, review_date: date, rules: Sequence[str],
                    new_product_code: str | None = None, new_volume: float | None = None,
                    new_end_date: date | None = None, notes: str | None = None) -> int:
    """Store a review (beoordeling) with its decision and return its id. The reviewer is the
    actor's employee. Everything is checked before anything is written."""
    if decision not in DECISIONS:
        raise ReviewError(f"Onbekend besluit '{decision}'; kies uit "
                          f"{', '.join(DECISIONS)}.")
    if isinstance(rules, str):  # "ending_soon,stacking" as stored
        rules = [r for r in rules.split(",") if r]
    rule_ids = check_rule_ids(list(rules))
    label = decision_label(decision)
    with engine.begin() as conn:
        a = _allocation(conn, toewijzingnummer, law)
        name = f"Toewijzing {a.toewijzingnummer} ({law_name(a.law)})"
        if a.end is not None and a.end < review_date:
            raise ReviewError(f"{name} is beëindigd op {_d(a.end)}, vóór de beoordelingsdatum "
                              f"{_d(review_date)}: er valt niets meer te besluiten.")
        if decision == Decision.CONTINUE.value:
            if new_product_code or new_volume is not None:
                raise ReviewError(f"Bij '{label}' horen geen nieuw product en geen nieuw "
                                  f"volume (alleen eventueel een nieuwe einddatum).")
            # Checks the end date too.
            result = _what_if(conn, a, review_date, None, None, new_end_date)
            saving = 0
        elif decision == Decision.SCALE_DOWN.value:
            if not new_product_code and new_volume is None:
                raise ReviewError("Afschalen vraagt een lichter product of een lager volume.")
            if (new_volume is not None and not new_product_code and a.volume is not None
                    and new_volume >= a.volume):
                raise ReviewError(f"Afschalen vraagt een lager volume dan nu ({a.volume:g}); "
                                  f"opgegeven: {new_volume:g}.")
            result = _what_if(conn, a, review_date, new_product_code, new_volume,
                              new_end_date)
            if result.annual_saving_cents <= 0:
                raise ReviewError(
                    f"Dit besluit schaalt niet af: de jaarkosten worden niet lager "
                    f"({euro(result.annual_run_rate_before_cents)} nu, "
                    f"{euro(result.annual_run_rate_after_cents)} daarna).")
            saving = result.annual_saving_cents
        else:  # stop, to_general_provision, to_other_law: the municipality stops paying
            if new_product_code or new_volume is not None:
                raise ReviewError(f"Bij '{label}' horen geen nieuw product en geen nieuw "
                                  f"volume.")
            new_end_date = new_end_date or review_date
            result = _what_if(conn, a, review_date, None, None, new_end_date)
            saving = result.annual_run_rate_before_cents
        review_id = conn.exec_driver_sql(
            "INSERT INTO review (allocation_id, review_date, employee_id, rules, decision, "
            "new_product_code, new_volume, new_end_date, expected_annual_saving_cents, "
            "annual_cost_before_cents, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (a.id, review_date.isoformat(), actor.employee_id, ",".join(rule_ids), decision,
             new_product_code or None, new_volume,
             new_end_date.isoformat() if new_end_date else None, int(saving),
             result.annual_run_rate_before_cents, notes or None)).scalar_one()
        audit.record(conn, actor, audit.CHANGE,
                     f"beoordeling {review_id}: toewijzing {a.toewijzingnummer} ({a.law}) "
                     f"{decision} op {review_date}")
    return int(review_id)




@dataclass(frozen=True)
class ReviewRow:
    review_id: int
    review_date: date
    decision: str
    decision_label: str
    rules: tuple[str, ...]
    employee: str | None
    new_product_code: str | None
    new_volume: float | None
    new_end_date: date | None
    expected_annual_saving_cents: int
    notes: str | None


def review_history(engine: Engine, actor: Actor, toewijzingnummer: str,
                   law: str) -> list[ReviewRow]:
    """The reviews of one allocation, newest first (for the decision panel)."""
    with engine.connect() as conn:
        a = _allocation(conn, toewijzingnummer, law)
        rows = conn.exec_driver_sql(
            "SELECT r.id, r.review_date, r.decision, r.rules, e.name, r.new_product_code, "
            "r.new_volume, r.new_end_date, r.expected_annual_saving_cents, r.notes "
            "FROM review r LEFT JOIN employee e ON e.id = r.employee_id "
            "WHERE r.allocation_id = ? ORDER BY r.review_date DESC, r.id DESC", (a.id,)).all()
    return [ReviewRow(review_id=r[0], review_date=date.fromisoformat(r[1]), decision=r[2],
                      decision_label=decision_label(r[2]),
                      rules=tuple(x for x in (r[3] or "").split(",") if x), employee=r[4],
                      new_product_code=r[5], new_volume=r[6],
                      new_end_date=date.fromisoformat(r[7]) if r[7] else None,
                      expected_annual_saving_cents=int(r[8] or 0), notes=r[9])
            for r in rows]


# -- business case ----------------------------------------------------------------------------

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
                  since: date | None = None) -> BusinessCase:
    """Reviews by outcome, expected versus realised saving and the return on reviewing
    capacity (formulas in the module docstring). `employee` is an external id."""
    if not (isinstance(fte, int | float) and fte > 0):
        raise ReviewError(f"De capaciteit moet groter dan 0 fte zijn (nu {fte}).")
    if not (isinstance(cost_per_fte_cents, int) and cost_per_fte_cents > 0):
        raise ReviewError("De kosten per fte moeten groter dan € 0 zijn.")
    since = since or last_twelve_months(at)[0]
    if since > at:
        raise ReviewError(f"De periode begint ({_d(since)}) na de peildatum ({_d(at)}).")
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
                 *_COST_COLUMNS])
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
            toewijzingnummer=r.toewijzingnummer, law=r.law, decision=r.decision,
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

