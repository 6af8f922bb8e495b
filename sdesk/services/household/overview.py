"""What all help around one household costs, per law and per payer (procescoördinatie).

One definition used by the household screen, `sdesk household --json` and the exports; the
package itself (members, allocations, interventions on a day) is `package.package_at`.

For an actor without SEE_IDENTITY the overview is minimised (package.py): the household's
pseudonym instead of its id, PC4 instead of the postcode, birth years, no notes. Every
overview is logged as a view, under the household's source id (for the privacy officer).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Engine

from sdesk.services.household.coordination import coordination_for_household
from sdesk.services.household.package import (
    DEFAULT_THRESHOLD_CENTS,
    AllocationLine,
    CoordinationSummary,
    InterventionLine,
    MemberLine,
    household_row,
    package_at,
    totals,
)
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, household_pseudonym, pc4
from sdesk.services.platform.text import euros


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
        """The annual cost over all payers."""
        return sum(self.totals_by_payer.values())

    @property
    def providers_count(self) -> int:
        """The number of distinct providers of the active allocations."""
        return len({a.provider for a in self.allocations if a.active and a.provider})

    @property
    def flags(self) -> list[str]:
        """The attention flags: stapeling, meerdere_aanbieders, boven_drempel."""
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
    """The fixed keys of `sdesk household --json` (pinned by the tests); euros rounded to cents."""
    c = o.coordination
    return {
        "household_id": o.household_id,
        "at": o.at.isoformat(),
        "members": [{"person_id": m.person_id, "name": m.name,
                     "birth_date": m.birth_date.isoformat() if m.birth_date else None,
                     "birth_year": m.birth_year} for m in o.members],
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


def household_overview(engine: Engine, actor: Actor, household_id: str, at: date,
                       threshold_cents: int = DEFAULT_THRESHOLD_CENTS) -> HouseholdOverview:
    """The cost map of one household on `at` (raises NotFoundError for an unknown id; an
    actor without identity gives the household's pseudonym)."""
    with engine.connect() as conn:
        hid, ext, wijk, postcode, composition = household_row(conn, household_id, actor)
        members, allocations, interventions = package_at(conn, actor, hid, at)
        coordination = coordination_for_household(conn, actor, hid, at)
    by_law, by_payer = totals(allocations, interventions)
    audit.log(engine, actor, audit.VIEW, f"kostenoverzicht huishouden {ext} op {at}",
              len(members))
    if not actor.sees_identity:
        ext, postcode = household_pseudonym(ext), pc4(postcode)
    return HouseholdOverview(ext, at, wijk, postcode, composition, threshold_cents, members,
                             allocations, interventions, coordination, by_law, by_payer)
