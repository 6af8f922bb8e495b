"""Afschaling: what-if and decisions (beoordelingen).

What-if (`what_if`): the allocation as it is and as it would be with a new product (its
tariff valid on `at` from the tariff table), volume and/or end date, both through
sdesk.services.platform.costs:

- annual run-rate before and after (daily rate x 365); annual saving = before - after;
- commitment before and after over the same range [at, R]: R is the later of the current
  and the new end date, or -- for an open-ended allocation -- the later of 31 December of
  `at`'s year and the new end date; commitment saving = before - after.

Refused with a Dutch ReviewError, nothing changed: an unknown or removed allocation, one
that ended before `at`, a volume of zero or less, above 99,999,999 or not a number, a
peildatum or end date outside 1900..2100 (platform.bounds), volume x tariff above the
claim-line cap for one period, an end date before the start or before `at`, an unknown
product, a product with another unit without a new volume.

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

The business case of these decisions is `business_case.py`.

Roles (platform.permissions): recording a decision needs RECORD_DECISION, checked before
anything is read. An actor without SEE_IDENTITY (the controller) names an allocation by its
pseudonym (the worklist shows no source numbers), sees it in every message and result, and
gets a review history without notes. Opening an allocation's review history is logged as a
view (DESIGN 8).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine

from sdesk.models.enums import Decision
from sdesk.services.afschaling.catalogue import check_rule_ids
from sdesk.services.afschaling.rules import ReviewError
from sdesk.services.afschaling.vocabulary import DECISION_LABELS, decision_label
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, allocation_pseudonym, is_pseudonym
from sdesk.services.platform.bounds import (
    claim_limit_text,
    date_problem,
    max_claim_cents,
    volume_problem,
)
from sdesk.services.platform.cache import key as cache_key
from sdesk.services.platform.cache import remember
from sdesk.services.platform.costs import annual_run_rates_cents, commitments_cents
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.periods import add_months, month_end
from sdesk.services.platform.permissions import RECORD_DECISION, require
from sdesk.services.platform.readers import REMOVED
from sdesk.services.platform.text import euro, law_name, short_date
from sdesk.services.platform.vocabulary import LAWS

DECISIONS: tuple[str, ...] = tuple(d.value for d in Decision)
# Decisions after which the municipality stops paying for the allocation.
ENDING_DECISIONS = frozenset({Decision.STOP.value, Decision.TO_GENERAL_PROVISION.value,
                              Decision.TO_OTHER_LAW.value})
COST_COLUMNS = ("start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
                 "budget_cents")



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
    # The source number; `toewijzingnummer` is what the actor sees (their pseudonym).
    source_number: str = ""

    def cost_frame(self, **changes: Any) -> pd.DataFrame:
        values = {"start_date": self.start, "end_date": self.end, "volume": self.volume,
                  "unit": self.unit, "frequency": self.frequency,
                  "tariff_cents": self.tariff_cents, "budget_cents": self.budget_cents}
        values.update(changes)
        frame = pd.DataFrame([values], columns=list(COST_COLUMNS))
        frame["start_date"] = pd.to_datetime(frame["start_date"])
        frame["end_date"] = pd.to_datetime(frame["end_date"])
        for column in ("volume", "tariff_cents", "budget_cents"):
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        for column in ("unit", "frequency"):
            frame[column] = frame[column].astype(object)
        return frame


def _by_pseudonym(conn: Connection, law: str, shown: str) -> str | None:
    """The source number behind an allocation pseudonym; the map is built once per data
    version (a keyed hash cannot be reversed otherwise)."""
    engine = conn.engine

    def build() -> dict[tuple[str, str], str]:
        with engine.connect() as c:
            return {(a_law, allocation_pseudonym(a_law, nr)): nr for a_law, nr in
                    c.exec_driver_sql("SELECT law, toewijzingnummer FROM allocation")}

    known = remember("allocation_pseudonyms", engine, cache_key(engine), build)
    return known.get((law, shown.strip().upper()))


def _allocation(conn: Connection, toewijzingnummer: str, law: str,
                actor: Actor | None = None) -> _Allocation:
    """The allocation by its number; an actor without identity gives its pseudonym (and
    sees the pseudonym again in every message)."""
    if law not in LAWS:
        raise ReviewError(f"Onbekende wet '{law}'; kies uit {', '.join(LAWS)}.")
    hidden = actor is not None and not actor.sees_identity
    number: str | None = str(toewijzingnummer)
    if hidden:
        number = (_by_pseudonym(conn, law, number)
                  if number and is_pseudonym(number, "T") else None)
    row = None if number is None else conn.exec_driver_sql(
        "SELECT id, toewijzingnummer, law, person_id, category, product_code, start_date, "
        "end_date, volume, unit, frequency, tariff_cents, budget_cents, employee_id, "
        "change_reason FROM allocation WHERE law = ? AND toewijzingnummer = ?",
        (law, number)).first()
    if row is None and hidden:
        # The same words whether or not a source number exists: no way to probe for it.
        raise NotFoundError(f"Toewijzing {toewijzingnummer} ({law_name(law)}) is niet "
                            "gevonden; zonder recht op bronnummers kiest u een toewijzing "
                            "in de werklijst (pseudoniem T-…).")
    if row is None:
        raise NotFoundError(f"Toewijzing {toewijzingnummer} ({law_name(law)}) bestaat niet.")
    if row[14] == REMOVED:
        raise ReviewError(f"Toewijzing {toewijzingnummer} ({law_name(law)}) is verwijderd "
                          f"(reden wijziging 13) en telt niet mee.")
    return _Allocation(
        id=row[0], toewijzingnummer=allocation_pseudonym(row[2], row[1]) if hidden else row[1],
        source_number=row[1], law=row[2], person_id=row[3], category=row[4],
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
        raise ReviewError(f"{name} is beëindigd op {short_date(a.end)}, vóór {short_date(at)}.")
    # Bounded input: 10^23 hours would be a saving of minus 92 quadrillion, not a what-if.
    problem = (volume_problem(new_volume, "Het nieuwe volume") if new_volume is not None
               else None) or date_problem(at, "De peildatum") or (
        date_problem(new_end_date, "De nieuwe einddatum") if new_end_date is not None else None)
    if problem is not None:
        raise ReviewError(problem)
    if new_end_date is not None and new_end_date < a.start:
        raise ReviewError(f"De nieuwe einddatum {short_date(new_end_date)} ligt vóór de "
                          f"ingangsdatum {short_date(a.start)}.")
    if new_end_date is not None and new_end_date < at:
        raise ReviewError(f"De nieuwe einddatum {short_date(new_end_date)} ligt vóór de peildatum "
                          f"{short_date(at)}.")
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
    if volume is not None and tariff is not None and volume * tariff > max_claim_cents():
        raise ReviewError(f"Volume × tarief is {euro(volume * tariff)} per periode, meer dan "
                          f"{claim_limit_text()}; controleer het volume.")
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
        a = _allocation(conn, toewijzingnummer, law, actor)
        return _what_if(conn, a, at, new_product_code, new_volume, new_end_date)


# -- the realised basis -----------------------------------------------------------------------

BASIS_MONTHS = 6


def basis_window(allocation_start: date, allocation_end: date | None,
                 review_date: date) -> tuple[date, date] | None:
    """The six complete calendar months before the decision (a month ending on the review
    date counts), cut to the allocation's own period; None when it ran in none of them."""
    last = review_date if review_date == month_end(review_date.year, review_date.month) else (
        review_date.replace(day=1) - timedelta(days=1))
    first = add_months(last.replace(day=1), -(BASIS_MONTHS - 1))
    lo, hi = max(first, allocation_start), min(last, allocation_end or last)
    return (lo, hi) if lo <= hi else None


def realised_daily_cost_cents(conn: Connection, allocation_id: int, allocation_start: date,
                              allocation_end: date | None, review_date: date,
                              annual_run_rate_cents: float) -> float:
    """What the allocation really cost per day before the decision: its claims (not rejected),
    each pro-rated by the share of its period inside the basis window, over the days of that
    window. An allocation that ran in no complete month yet falls back to its run-rate / 365;
    one that ran without claims costs 0 a day (stopping it saves nothing)."""
    window = basis_window(allocation_start, allocation_end, review_date)
    if window is None:
        return annual_run_rate_cents / 365.0
    lo, hi = window
    total = 0.0
    for start, end, amount in conn.exec_driver_sql(
            "SELECT period_start, period_end, amount_cents FROM claim WHERE allocation_id = ? "
            "AND rejected = 0 AND period_end >= ? AND period_start <= ?",
            (allocation_id, lo.isoformat(), hi.isoformat())):
        total += float(amount) * share_inside(date.fromisoformat(start),
                                              date.fromisoformat(end), lo, hi)
    return total / ((hi - lo).days + 1)


def share_inside(start: date, end: date, lo: date, hi: date) -> float:
    """The share of the days of [start, end] that fall in [lo, hi] (claims are pro-rated)."""
    inside = (min(end, hi) - max(start, lo)).days + 1
    return max(inside, 0) / ((end - start).days + 1) if end >= start else 0.0


# -- decisions --------------------------------------------------------------------------------

# Short Dutch words people write in a spreadsheet or on the command line, besides the labels.
_DECISION_WORDS = {"voortzetten": Decision.CONTINUE.value,
                   "beeindigen": Decision.STOP.value,
                   "voorliggend veld": Decision.TO_GENERAL_PROVISION.value,
                   "naar andere wet": Decision.TO_OTHER_LAW.value,
                   "andere wet": Decision.TO_OTHER_LAW.value}


# Lower-case Dutch labels and words -> decision code (the import's `besluit` column).
DECISION_ALIASES: dict[str, str] = {
    **{label.lower(): code for code, label in DECISION_LABELS.items()},
    **{label.lower().replace("ë", "e"): code for code, label in DECISION_LABELS.items()},
    **_DECISION_WORDS}


def decision_code(text: str) -> str | None:
    """The decision code for a code or Dutch label (case and accents on 'ë' ignored), e.g.
    'stop', 'Beëindigen', 'afschalen'; None when it is none of them."""
    word = " ".join(str(text).strip().lower().replace("ë", "e").split())
    known = {code: code for code in DECISIONS}
    known.update({label.lower().replace("ë", "e"): code
                  for code, label in DECISION_LABELS.items()})
    known.update(_DECISION_WORDS)
    return known.get(word)


def decision_choices() -> str:
    """The accepted decisions for a Dutch message: 'continue (Ongewijzigd voortzetten), ...'."""
    return ", ".join(f"{code} ({DECISION_LABELS[code]})" for code in DECISIONS)


def record_decision(engine: Engine, actor: Actor, toewijzingnummer: str, law: str,
                    decision: str, review_date: date, rules: Sequence[str],
                    new_product_code: str | None = None, new_volume: float | None = None,
                    new_end_date: date | None = None, notes: str | None = None) -> int:
    """Store a review (beoordeling) with its decision and return its id. The reviewer is the
    actor's employee. Everything is checked before anything is written."""
    require(actor, RECORD_DECISION)
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
            raise ReviewError(f"{name} is beëindigd op {short_date(a.end)}, vóór de "
                              f"beoordelingsdatum {short_date(review_date)}: er valt niets "
                              "meer te besluiten.")
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
        daily = realised_daily_cost_cents(conn, a.id, a.start, a.end, review_date,
                                          result.annual_run_rate_before_cents)
        review_id = conn.exec_driver_sql(
            "INSERT INTO review (allocation_id, review_date, employee_id, rules, decision, "
            "new_product_code, new_volume, new_end_date, expected_annual_saving_cents, "
            "annual_cost_before_cents, realised_daily_cost_cents, planned_end_date, notes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (a.id, review_date.isoformat(), actor.employee_id, ",".join(rule_ids), decision,
             new_product_code or None, new_volume,
             new_end_date.isoformat() if new_end_date else None, int(saving),
             result.annual_run_rate_before_cents, daily,
             a.end.isoformat() if a.end else None, notes or None)).scalar_one()
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
    """The reviews of one allocation, newest first (the decision panel opens it with the
    allocation); notes only for roles that see identity. Logged as a view."""
    with engine.connect() as conn:
        a = _allocation(conn, toewijzingnummer, law, actor)
        rows = conn.exec_driver_sql(
            "SELECT r.id, r.review_date, r.decision, r.rules, e.name, r.new_product_code, "
            "r.new_volume, r.new_end_date, r.expected_annual_saving_cents, r.notes "
            "FROM review r LEFT JOIN employee e ON e.id = r.employee_id "
            "WHERE r.allocation_id = ? ORDER BY r.review_date DESC, r.id DESC", (a.id,)).all()
    audit.log(engine, actor, audit.VIEW, f"toewijzing {a.source_number} ({a.law}) geopend "
              "met beoordelingen", len(rows))
    notes = actor.sees_identity
    return [ReviewRow(review_id=r[0], review_date=date.fromisoformat(r[1]), decision=r[2],
                      decision_label=decision_label(r[2]),
                      rules=tuple(x for x in (r[3] or "").split(",") if x), employee=r[4],
                      new_product_code=r[5], new_volume=r[6],
                      new_end_date=date.fromisoformat(r[7]) if r[7] else None,
                      expected_annual_saving_cents=int(r[8] or 0),
                      notes=r[9] if notes else None)
            for r in rows]
