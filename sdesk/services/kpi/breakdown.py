"""The persons and allocations behind a dashboard figure (a click on a bar or point).

Uses the same scope selection and person sets as the KPIs, so the rows add up to the figure
that was clicked: `clients` lists every allocation active in P; `inflow` / `outflow` those of
the persons counted there; `cost` the allocations with realisation in P (sum = realised_cost).
The controller sees pseudonyms, never names or BSN: person, household and allocation
pseudonyms instead of source ids (so do sheets made with `pseudonymous=True`, whoever makes
them). Every drill-down is logged as a view with its row count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.kpi.definitions import (
    active_mask,
    inflow_persons,
    outflow_persons,
    select_scope,
)
from sdesk.services.kpi.working_set import kpi_data
from sdesk.services.platform import audit
from sdesk.services.platform.actor import (
    Actor,
    allocation_pseudonym,
    household_pseudonym,
    pseudonym,
)
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.readers import fetch_rows

KINDS = ("clients", "inflow", "outflow", "cost")


@dataclass(frozen=True)
class DrillRow:
    person: str  # source id, or pseudonym (P-…) without identity
    household: str  # idem (H-…)
    law: str
    toewijzingnummer: str  # idem (T-…)
    category: str
    referrer: str
    product: str | None
    provider: str | None
    start: date
    end: date | None
    realised_cents: int


def drilldown(engine: Engine, actor: Actor, start: date, end: date, kind: str = "clients",
              law: str | None = None, team: str | None = None, category: str | None = None,
              referrer: str | None = None, pseudonymous: bool = False) -> list[DrillRow]:
    """The allocations behind a figure. Names only for roles that see them, and never when
    `pseudonymous` (sheets that leave the office show pseudonyms whoever makes them)."""
    if kind not in KINDS:
        raise SdeskError(f"Onbekende uitsplitsing '{kind}'.")
    data = kpi_data(engine)
    every, scope = select_scope(data, start, end, law, team)
    p0, p1 = pd.Timestamp(start), pd.Timestamp(end)
    claims = data.claims(engine, start, end, law)
    realised = claims.groupby("allocation_id")["amount_cents"].sum()
    if kind == "inflow":
        rows = scope[scope["person_id"].isin(inflow_persons(scope, every, p0, p1))
                     & (scope["start_date"] >= p0) & (scope["start_date"] <= p1)]
    elif kind == "outflow":
        gone, _ = outflow_persons(scope, every, p0, p1, data.data_until)
        rows = scope[scope["person_id"].isin(gone) & scope["end_date"].notna()
                     & (scope["end_date"] >= p0) & (scope["end_date"] <= p1)]
    elif kind == "cost":
        rows = scope[scope["id"].isin(realised.index)]
    else:
        rows = scope[active_mask(scope, p0, p1)]
    if category is not None:
        rows = rows[rows["category"] == category]
    if referrer is not None:
        rows = rows[rows["referrer"] == referrer]
    if rows.empty:
        return []
    ids = rows["id"].tolist()
    details = {}
    for chunk in range(0, len(ids), 900):  # SQLite's limit on bound parameters
        part = ids[chunk:chunk + 900]
        for r in fetch_rows(engine, (
                "SELECT a.id, p.external_id, h.external_id, a.toewijzingnummer, "
                "a.product_code, a.description, a.provider FROM allocation a "
                "JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id "
                f"WHERE a.id IN ({','.join('?' for _ in part)})"), tuple(part)):
            details[r[0]] = r[1:]
    identity = actor.sees_identity and not pseudonymous
    out = []
    row: Any  # an itertuples row: pandas types its fields only as some scalar
    for row in rows.itertuples():
        person, household, number, code, description, provider = details[row.id]
        if not identity:
            person, household = pseudonym(person), household_pseudonym(household)
            number = allocation_pseudonym(str(row.law), number)
        out.append(DrillRow(
            person=person, household=household, law=str(row.law), toewijzingnummer=number,
            category=str(row.category), referrer=str(row.referrer),
            product=" ".join(p for p in (code, description) if p) or None, provider=provider,
            start=row.start_date.date(),
            end=None if pd.isna(row.end_date) else row.end_date.date(),
            realised_cents=int(realised.get(row.id, 0))))
    out.sort(key=lambda d: (-d.realised_cents, d.person, d.toewijzingnummer))
    audit.log(engine, actor, audit.VIEW, f"uitsplitsing {kind} {start}..{end} "
              f"wet={law or 'alle'} team={team or 'alle'}", len(out))
    return out
