"""A household's package of help on one day: its members, allocations and interventions with
their annual cost, and the savings types both the overview and coordination cases use.

An allocation's `annual_cost` is its annual run-rate (DESIGN section 4) when it is active on
`at`, else 0; allocations that ended within the last twelve months are listed too, so their
realisation stays visible. Allocations removed with reden wijziging 13 are left out entirely.

For an actor without SEE_IDENTITY (the controller, an unknown user) the package is minimised:
person and allocation pseudonyms, birth years, no BSN, and an intervention's free-text
description replaced by its cost-map item (free text may name people). Such an actor finds
a household only by its pseudonym (`household_row`), never by its source id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from sdesk.services.platform.actor import (
    Actor,
    allocation_pseudonym,
    household_pseudonym,
    is_pseudonym,
    pseudonym,
)
from sdesk.services.platform.cache import key as cache_key
from sdesk.services.platform.cache import remember
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.periods import last_twelve_months
from sdesk.services.platform.vocabulary import ANONYMOUS_ROLE, CATEGORY_CODELIST, role_label

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
    birth_date: date | None  # None for roles that do not see identity
    bsn: str | None
    birth_year: int = 0


@dataclass(frozen=True)
class AllocationLine:
    toewijzingnummer: str  # the allocation pseudonym for roles that do not see identity
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
        """T0 minus T1."""
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
    notes: str | None = None  # free text: None for roles that do not see identity

    @property
    def total_saving_cents(self) -> int:
        """The saving over all payers, before attribution."""
        return sum(s.saving_cents for s in self.by_payer.values())

    @property
    def attributed_saving_cents(self) -> int:
        """The total saving times the attribution."""
        return round(self.total_saving_cents * self.attribution)

    @property
    def municipal_saving_cents(self) -> int:
        """The municipality's saving times the attribution."""
        municipal = self.by_payer.get(MUNICIPAL_PAYER)
        return round((municipal.saving_cents if municipal else 0) * self.attribution)

    @property
    def societal_saving_cents(self) -> int:
        """The attributed saving that falls to other payers."""
        return self.attributed_saving_cents - self.municipal_saving_cents


def household_by_pseudonym(engine: Engine, household_pseudonym_text: str) -> int | None:
    """The row id of the household with this pseudonym, None when there is none. The map is
    built once per data version (a keyed hash cannot be reversed otherwise)."""

    def build() -> dict[str, int]:
        with engine.connect() as conn:
            return {household_pseudonym(ext): int(hid) for hid, ext in
                    conn.exec_driver_sql("SELECT id, external_id FROM household")}

    known = remember("household_pseudonyms", engine, cache_key(engine), build)
    return known.get(household_pseudonym_text.strip().upper())


def _not_found(household_id: str, actor: Actor | None) -> NotFoundError:
    if actor is None or actor.sees_identity:
        return NotFoundError(f"Huishouden '{household_id}' bestaat niet.")
    # The same words whether or not the source id exists: no way to probe for it.
    if actor.role == ANONYMOUS_ROLE:
        return NotFoundError(
            f"Huishouden '{household_id}' is niet gevonden: zonder bekende gebruiker zoekt "
            "sdesk een huishouden alleen op zijn pseudoniem (H-…). Geef --user MEDEWERKER-ID "
            "op om een huishouden op zijn nummer te bekijken.")
    return NotFoundError(
        f"Huishouden '{household_id}' is niet gevonden: als {role_label(actor.role)} ziet u "
        "geen huishoudnummers; kies het huishouden in de lijst of geef zijn pseudoniem (H-…).")


def household_row(conn: Connection, household_id: str,
                  actor: Actor | None = None) -> tuple[Any, ...]:
    """(id, external_id, wijk, postcode, composition) of a household; NotFoundError when absent.
    An actor without identity gives the household's pseudonym, never its source id."""
    sql = ("SELECT id, external_id, wijk, postcode, composition FROM household WHERE ")
    if actor is None or actor.sees_identity:
        row = conn.exec_driver_sql(sql + "external_id = ?", (household_id,)).first()
    else:
        pk = (household_by_pseudonym(conn.engine, household_id)
              if is_pseudonym(household_id, "H") else None)
        row = None if pk is None else conn.exec_driver_sql(sql + "id = ?", (pk,)).first()
    if row is None:
        raise _not_found(household_id, actor)
    return tuple(row)


def _members(conn: Connection, actor: Actor, hid: int) -> tuple[list[MemberLine], dict[int, str]]:
    members: list[MemberLine] = []
    ids: dict[int, str] = {}
    for pid, ext, bsn, birth, last, first in conn.exec_driver_sql(
            "SELECT id, external_id, bsn, birth_date, last_name, first_name FROM person "
            "WHERE household_id = ? ORDER BY birth_date, external_id", (hid,)):
        born: date | None = date.fromisoformat(birth)
        year = born.year if born else 0
        if actor.sees_identity:
            shown = ext
            name = ", ".join(p for p in (last, first) if p) or ext
        else:
            shown = name = pseudonym(ext)
            bsn = born = None
        ids[pid] = shown
        members.append(MemberLine(shown, name, born, bsn, year))
    return members, ids


def _allocations(conn: Connection, person_ids: dict[int, str], at: date,
                 identity: bool = True) -> list[AllocationLine]:
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
    realised: dict[int, int] = dict(conn.exec_driver_sql(
        f"SELECT allocation_id, SUM(amount_cents) FROM claim WHERE allocation_id IN "
        f"({','.join('?' for _ in ids)}) AND rejected = 0 AND period_start BETWEEN ? AND ? "
        f"GROUP BY allocation_id", (*ids, window_start.isoformat(), at.isoformat())).all())
    # Columns for the cost arithmetic (numpy only: no pandas for a few allocations).
    columns = ("start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
               "budget_cents")
    rates = annual_run_rates_cents({name: [r[9 + i] for r in rows]
                                    for i, name in enumerate(columns)})
    lines = []
    for r, rate in zip(rows, rates, strict=True):
        start = date.fromisoformat(r[9])
        end = date.fromisoformat(r[10]) if r[10] else None
        active = start <= at and (end is None or end >= at)
        product = " ".join(p for p in (r[6], r[7]) if p) or None
        number = r[1] if identity else allocation_pseudonym(r[3], r[1])
        lines.append(AllocationLine(
            toewijzingnummer=number, person_id=person_ids[r[2]], law=r[3], category=r[4],
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
                   at: date, identity: bool = True) -> list[InterventionLine]:
    """Recurring interventions count when running on `at`; one-off events when they fell in
    the last twelve months (or carry no date at all). Without identity the free-text
    description gives way to the cost-map item."""
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
        if not identity:
            description = item or "Interventie (omschrijving afgeschermd)"
        lines.append(InterventionLine(payer, description, person_ids.get(pid) if pid else None,
                                      item, cost if counts else 0))
    return lines


def totals(allocations: list[AllocationLine],
            interventions: list[InterventionLine]) -> tuple[dict[str, int], dict[str, int]]:
    """The annual cost by law (allocations) and by payer (allocations and interventions)."""
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
    """The members, allocations and interventions of a household on `at`."""
    members, person_ids = _members(conn, actor, household_pk)
    identity = actor.sees_identity
    return (members, _allocations(conn, person_ids, at, identity),
            _interventions(conn, household_pk, person_ids, at, identity))
