"""What all help around one household costs, per law and per payer (procescoördinatie).

One definition used by the household screen, `sdesk household --json` and the exports.
An allocation's `annual_cost` is its annual run-rate (DESIGN section 4) when it is active on
`at`, else 0; allocations that ended within the last twelve months are listed too, so their
realisation stays visible. Allocations removed with reden wijziging 13 are left out entirely.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, pseudonym
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.periods import last_twelve_months
from sdesk.services.platform.text import euros
from sdesk.services.platform.vocabulary import CATEGORY_CODELIST

DEFAULT_THRESHOLD_CENTS = 10_000_000  # EUR 100,000 a year
MUNICIPAL_PAYER = "gemeente"
REMOVED = "13"  # JZ002/WMO002 "Verwijderd": treated as never sent
# Recurring cost-map units and how many of them make a year; other units are one-off events.
UNITS_PER_YEAR = {"per jaar": 1, "per maand": 12, "per week": 52, "per dag": 365}

FLAG_LABELS = {
    "stapeling": "Ondersteuning onder twee of meer wetten",
    "meerdere_aanbieders": "Meer dan één aanbieder in dezelfde categorie",
    "boven_drempel": "Jaarkosten boven de drempel",
}


@dataclass(frozen=True)
class MemberLine:
    person_id: str  # source id, or the pseudonym for roles that do not see identity
    name: str
    birth_date: date
    bsn: str | None


@dataclass(frozen=True)
class AllocationLine:
    toewijzingnummer: str
    person_id: str
    law: str
    category: str
    category_label: str | None
    product: str | None
    provider: str | None
    start: date
    end: date | None
    volume: float | None
    unit: str | None
    frequency: str | None
    tariff_cents: int | None
    budget_cents: int | None
    active: bool
    annual_cost_cents: int
    realised_12m_cents: int


@dataclass(frozen=True)
class InterventionLine:
    payer: str
    description: str
    person_id: str | None
    item: str | None
    annual_cost_cents: int


@dataclass(frozen=True)
class PayerSaving:
    t0_cents: int
    t1_cents: int

    @property
    def saving_cents(self) -> int:
        return self.t0_cents - self.t1_cents


@dataclass(frozen=True)
class CoordinationSummary:
    case_id: int
    status: str
    coordinator: str | None
    t0_date: date
    t1_date: date
    t1_frozen: bool  # False while the case is not evaluated: T1 is the package on `at`
    attribution: float
    by_payer: dict[str, PayerSaving]
    # The factsheet split: jeugd, wmo, participatie, overig_gemeente, maatschappelijk.
    by_bucket: dict[str, PayerSaving]
    notes: str | None = None

    @property
    def total_saving_cents(self) -> int:
        return sum(s.saving_cents for s in self.by_payer.values())

    @property
    def attributed_saving_cents(self) -> int:
        return round(self.total_saving_cents * self.attribution)

    @property
    def municipal_saving_cents(self) -> int:
        municipal = self.by_payer.get(MUNICIPAL_PAYER)
        return round((municipal.saving_cents if municipal else 0) * self.attribution)

    @property
    def societal_saving_cents(self) -> int:
        return self.attributed_saving_cents - self.municipal_saving_cents


@dataclass(frozen=True)
class HouseholdOverview:
    household_id: str
    at: date
    wijk: str | None
    postcode: str | None
    composition: str | None
    threshold_cents: int
    members: list[MemberLine]
    allocations: list[AllocationLine]
    interventions: list[InterventionLine]
    coordination: CoordinationSummary | None = None
    totals_by_law: dict[str, int] = field(default_factory=dict)
    totals_by_payer: dict[str, int] = field(default_factory=dict)

    @property
    def total_annual_cost_cents(self) -> int:
        return sum(self.totals_by_payer.values())

    @property
    def providers_count(self) -> int:
        return len({a.provider for a in self.allocations if a.active and a.provider})

    @property
    def flags(self) -> list[str]:
        active = [a for a in self.allocations if a.active]
        flags = []
        if len({a.law for a in active}) >= 2:
            flags.append("stapeling")
        providers: dict[tuple[str, str], set[str]] = defaultdict(set)
        for a in active:
            if a.provider:
                providers[(a.law, a.category)].add(a.provider)
        if any(len(p) > 1 for p in providers.values()):
            flags.append("meerdere_aanbieders")
        if self.total_annual_cost_cents > self.threshold_cents:
            flags.append("boven_drempel")
        return flags




def overview_json(o: HouseholdOverview) -> dict[str, Any]:
    """The fixed keys of `sdesk household --json` (issue 3); euros rounded to cents."""
    c = o.coordination
    return {
        "household_id": o.household_id,
        "at": o.at.isoformat(),
        "members": [{"person_id": m.person_id, "name": m.name,
                     "birth_date": m.birth_date.isoformat()} for m in o.members],
        "allocations": [{
            "toewijzingnummer": a.toewijzingnummer, "law": a.law, "category": a.category,
            "product": a.product, "provider": a.provider, "start": a.start.isoformat(),
            "end": a.end.isoformat() if a.end else None,
            "annual_cost": euros(a.annual_cost_cents), "realised_12m": euros(a.realised_12m_cents),
        } for a in o.allocations],
        "interventions": [{"payer": i.payer, "description": i.description,
                           "annual_cost": euros(i.annual_cost_cents)} for i in o.interventions],
        "totals_by_law": {k: euros(v) for k, v in o.totals_by_law.items()},
        "totals_by_payer": {k: euros(v) for k, v in o.totals_by_payer.items()},
        "total_annual_cost": euros(o.total_annual_cost_cents),
        "providers_count": o.providers_count,
        "flags": o.flags,
        "coordination": None if c is None else {
            "t0_date": c.t0_date.isoformat(), "t1_date": c.t1_date.isoformat(),
            "by_payer": {p: {"t0": euros(s.t0_cents), "t1": euros(s.t1_cents),
                             "saving": euros(s.saving_cents)} for p, s in c.by_payer.items()},
            "total_saving": euros(c.total_saving_cents), "attribution": c.attribution,
            "attributed_saving": euros(c.attributed_saving_cents),
            "municipal_saving": euros(c.municipal_saving_cents),
            "societal_saving": euros(c.societal_saving_cents),
        },
    }


# -- reading -------------------------------------------------------------------------------

def _household_row(conn: Connection, household_id: str) -> tuple[Any, ...]:
    row = conn.exec_driver_sql(
        "SELECT id, external_id, wijk, postcode, composition FROM household "
        "WHERE external_id = ?", (household_id,)).first()
    if row is None:
        raise NotFoundError(f"Huishouden '{household_id}' bestaat niet.")
    return tuple(row)


def _members(conn: Connection, actor: Actor, hid: int) -> tuple[list[MemberLine], dict[int, str]]:
    members: list[MemberLine] = []
    ids: dict[int, str] = {}
    for pid, ext, bsn, birth, last, first in conn.exec_driver_sql(
            "SELECT id, external_id, bsn, birth_date, last_name, first_name FROM person "
            "WHERE household_id = ? ORDER BY birth_date, external_id", (hid,)):
        if actor.sees_identity:
            shown = ext
            name = ", ".join(p for p in (last, first) if p) or ext
        else:
            shown = name = pseudonym(ext)
            bsn = None
        ids[pid] = shown
        members.append(MemberLine(shown, name, date.fromisoformat(birth), bsn))
    return members, ids


def _allocations(conn: Connection, person_ids: dict[int, str], at: date) -> list[AllocationLine]:
    import pandas as pd  # with the cost arithmetic; kept out of application start-up

    from sdesk.services.platform.costs import annual_run_rates_cents

    if not person_ids:
        return []
    window_start, _ = last_twelve_months(at)
    marks = ",".join("?" for _ in person_ids)
    category_case = " ".join(f"WHEN '{law}' THEN '{cl}'" for law, cl in
                             CATEGORY_CODELIST.items())
    rows = conn.exec_driver_sql(
        f"SELECT a.id, a.toewijzingnummer, a.person_id, a.law, a.category, c.label, "
        f"a.product_code, a.description, a.provider, a.start_date, a.end_date, a.volume, "
        f"a.unit, a.frequency, a.tariff_cents, a.budget_cents "
        f"FROM allocation a LEFT JOIN codelist_entry c "
        f"ON c.codelist = CASE a.law {category_case} END AND c.code = a.category "
        f"WHERE a.person_id IN ({marks}) AND a.start_date <= ? "
        f"AND (a.end_date IS NULL OR a.end_date >= ?) "
        f"AND COALESCE(a.change_reason, '') <> '{REMOVED}' "
        f"ORDER BY a.law, a.start_date, a.toewijzingnummer",
        (*person_ids, at.isoformat(), window_start.isoformat())).all()
    if not rows:
        return []
    ids = [r[0] for r in rows]
    realised = dict(conn.exec_driver_sql(
        f"SELECT allocation_id, SUM(amount_cents) FROM claim WHERE allocation_id IN "
        f"({','.join('?' for _ in ids)}) AND rejected = 0 AND period_start BETWEEN ? AND ? "
        f"GROUP BY allocation_id", (*ids, window_start.isoformat(), at.isoformat())).all())
    frame = pd.DataFrame(
        [(r[9], r[10], r[11], r[12], r[13], r[14], r[15]) for r in rows],
        columns=["start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
                 "budget_cents"])
    rates = annual_run_rates_cents(frame)
    lines = []
    for r, rate in zip(rows, rates, strict=True):
        start = date.fromisoformat(r[9])
        end = date.fromisoformat(r[10]) if r[10] else None
        active = start <= at and (end is None or end >= at)
        product = " ".join(p for p in (r[6], r[7]) if p) or None
        lines.append(AllocationLine(
            toewijzingnummer=r[1], person_id=person_ids[r[2]], law=r[3], category=r[4],
            category_label=r[5], product=product, provider=r[8], start=start, end=end,
            volume=r[11], unit=r[12], frequency=r[13], tariff_cents=r[14], budget_cents=r[15],
            active=active, annual_cost_cents=round(float(rate)) if active else 0,
            realised_12m_cents=int(realised.get(r[0], 0))))
    return lines


def _intervention_cost(amount: int | None, quantity: float | None, price: int | None,
                       unit: str | None) -> int:
    if amount is not None:
        base = float(amount)
    elif quantity is not None and price is not None:
        base = quantity * price
    else:
        return 0
    return round(base * UNITS_PER_YEAR.get((unit or "").strip().lower(), 1))


def _interventions(conn: Connection, hid: int, person_ids: dict[int, str],
                   at: date) -> list[InterventionLine]:
    """Recurring interventions count when running on `at`; one-off events when they fell in
    the last twelve months (or carry no date at all)."""
    window_start, _ = last_twelve_months(at)
    lines = []
    for payer, description, pid, item, unit, amount, quantity, price, start, end in (
            conn.exec_driver_sql(
                "SELECT i.payer, i.description, i.person_id, m.name, m.unit, i.amount_cents, "
                "i.quantity, m.price_cents, i.period_start, i.period_end FROM intervention i "
                "LEFT JOIN cost_map_item m ON m.id = i.cost_map_item_id "
                "WHERE i.household_id = ? ORDER BY i.payer, i.description", (hid,))):
        recurring = (unit or "").strip().lower() in UNITS_PER_YEAR and amount is None
        if recurring:
            counts = (start is None or start <= at.isoformat()) and (
                end is None or end >= at.isoformat())
        else:
            counts = start is None or window_start.isoformat() <= start <= at.isoformat()
        cost = _intervention_cost(amount, quantity, price, unit if recurring else None)
        lines.append(InterventionLine(payer, description, person_ids.get(pid) if pid else None,
                                      item, cost if counts else 0))
    return lines


def _totals(allocations: list[AllocationLine],
            interventions: list[InterventionLine]) -> tuple[dict[str, int], dict[str, int]]:
    by_law: dict[str, int] = {}
    by_payer: dict[str, int] = {}
    for a in allocations:
        by_law[a.law] = by_law.get(a.law, 0) + a.annual_cost_cents
        by_payer[MUNICIPAL_PAYER] = by_payer.get(MUNICIPAL_PAYER, 0) + a.annual_cost_cents
    for i in interventions:
        by_payer[i.payer] = by_payer.get(i.payer, 0) + i.annual_cost_cents
    return by_law, by_payer


def package_at(conn: Connection, actor: Actor, household_pk: int,
               at: date) -> tuple[list[MemberLine], list[AllocationLine], list[InterventionLine]]:
    members, person_ids = _members(conn, actor, household_pk)
    return (members, _allocations(conn, person_ids, at),
            _interventions(conn, household_pk, person_ids, at))


def household_overview(engine: Engine, actor: Actor, household_id: str, at: date,
                       threshold_cents: int = DEFAULT_THRESHOLD_CENTS) -> HouseholdOverview:
    """The cost map of one household on `at` (raises NotFoundError for an unknown id)."""
    from sdesk.services.household.coordination import coordination_for_household

    with engine.connect() as conn:
        hid, ext, wijk, postcode, composition = _household_row(conn, household_id)
        members, allocations, interventions = package_at(conn, actor, hid, at)
        coordination = coordination_for_household(conn, actor, hid, at)
    by_law, by_payer = _totals(allocations, interventions)
    audit.log(engine, actor, audit.VIEW, f"kostenoverzicht huishouden {ext} op {at}",
              len(members))
    return HouseholdOverview(ext, at, wijk, postcode, composition, threshold_cents, members,
                             allocations, interventions, coordination, by_law, by_payer)
