"""Who is who: find households, list their members and each member's allocations.

Read-only and Qt-free. Every function takes the acting user, so the controller's
pseudonymisation and data minimisation happen here once instead of on each screen: a role
without SEE_IDENTITY gets household, person and allocation pseudonyms, PC4 instead of the
postcode and the birth year instead of the birth date, and finds households only by wijk,
PC4 or pseudonym (a search on names or source numbers would re-identify). Every search,
member list and allocation list is written to the audit log as a view with its row count
(DESIGN 8). Results are frozen dataclasses; money stays in cents (euros are derived at the
edge via the `*_eur` properties).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    ColumnElement,
    Engine,
    SQLColumnExpression,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from sdesk.models import Allocation, CodelistEntry, Employee, Household, Person, Team
from sdesk.services.household.package import household_by_pseudonym
from sdesk.services.platform import audit
from sdesk.services.platform.actor import (
    Actor,
    allocation_pseudonym,
    household_pseudonym,
    is_pseudonym,
    pc4,
    pseudonym,
)
from sdesk.services.platform.permissions import team_scope
from sdesk.services.platform.vocabulary import CATEGORY_CODELIST

UNIT_CODELIST = "WJ756"
# Short Dutch phrases for WMO757; the official label of code 6 is too long for a table cell.
FREQUENCY_TEXT = {"1": "per dag", "2": "per week", "4": "per maand", "6": "in totaal"}


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    external_id: str  # the source id, or the household pseudonym for roles without identity
    wijk: str | None
    postcode: str | None  # PC4 for roles without identity
    composition: str | None
    member_count: int
    # Distinct last names of the members; empty for roles that do not see identity.
    names: str
    laws: tuple[str, ...]


@dataclass(frozen=True)
class PersonRow:
    id: int
    household_id: int
    # Source person id, or the pseudonym for roles that do not see identity.
    person_number: str
    name: str
    bsn: str | None
    birth_date: date | None  # None for roles without identity: they see the birth year
    birth_year: int
    gender: str | None
    allocation_count: int


@dataclass(frozen=True)
class AllocationRow:
    id: int
    toewijzingnummer: str  # the allocation pseudonym for roles without identity
    law: str
    category: str
    category_label: str | None
    product_code: str | None
    description: str | None
    provider: str | None
    delivery_form: str
    start: date
    end: date | None
    volume: float | None
    unit: str | None
    unit_label: str | None
    frequency: str | None
    # "3 × Uur per week", "Budget" or "" (no omvang recorded).
    omvang: str
    budget_cents: int | None
    tariff_cents: int | None
    annual_run_rate_cents: int | None

    @property
    def tariff_eur(self) -> Decimal | None:
        """The tariff in euros, None when there is none."""
        return _eur(self.tariff_cents)

    @property
    def budget_eur(self) -> Decimal | None:
        """The budget in euros, None when there is none."""
        return _eur(self.budget_cents)

    @property
    def annual_run_rate_eur(self) -> Decimal | None:
        """The annual run rate in euros, None when unknown."""
        return _eur(self.annual_run_rate_cents)


def _eur(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


def _like_escape(token: str) -> str:
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(column: SQLColumnExpression[str | None], token: str) -> ColumnElement[bool]:
    # SQLite LIKE is case-insensitive for ASCII, which covers ids, postcodes and most names.
    return column.like(f"%{_like_escape(token)}%", escape="\\")


def _household_clause(engine: Engine, token: str, actor: Actor) -> ColumnElement[bool]:
    """Rows matching one search word: on the household itself or on any member. Without
    identity only wijk, PC4 and the household pseudonym (exactly) match."""
    compact = token.replace(" ", "")
    if not actor.sees_identity:
        # The controller may not find people by who they are; that would re-identify them.
        matches = [_contains(Household.wijk, token)]
        if len(compact) <= 4 and compact.isdigit():
            matches.append(Household.postcode.like(f"{compact}%"))
        if is_pseudonym(token, "H"):
            found = household_by_pseudonym(engine, token)
            matches.append(Household.id == (found if found is not None else -1))
        return or_(*matches)
    household_match = or_(
        _contains(Household.external_id, token),
        _contains(func.replace(Household.postcode, " ", ""), compact),
    )
    person_fields: list[ColumnElement[bool]] = [
        _contains(Person.external_id, token),
        _contains(Person.last_name, token),
        _contains(Person.first_name, token),
    ]
    if token.isdigit():
        # BSN prefix: the index on person.bsn serves a range, not a leading wildcard.
        person_fields.append(and_(Person.bsn >= token, Person.bsn < token + ":"))
    # Non-correlated IN: SQLite evaluates the person scan once, not per household.
    member_match = Household.id.in_(select(Person.household_id).where(or_(*person_fields)))
    return or_(household_match, member_match)


def _in_team(team: str) -> ColumnElement[bool]:
    """Households with a member whose allocation is the responsibility of `team`."""
    return Household.id.in_(
        select(Person.household_id)
        .join(Allocation, Allocation.person_id == Person.id)
        .join(Employee, Employee.id == Allocation.employee_id)
        .join(Team, Team.id == Employee.team_id)
        .where(Team.name == team))


def search_households(engine: Engine, actor: Actor, text: str,
                      limit: int = 200, team: str | None = None) -> list[HouseholdRow]:
    """Households matching every word of `text`; the first `limit` households when empty.

    `team`: only households with help from that team; None is the role's default (the
    klantmanager's own team, see permissions.team_scope), ALL_TEAMS every team.
    """
    member_count = (select(func.count()).where(Person.household_id == Household.id)
                    .correlate(Household).scalar_subquery())
    names = (select(func.group_concat(Person.last_name.distinct()))
             .where(Person.household_id == Household.id)
             .correlate(Household).scalar_subquery())
    laws = (select(func.group_concat(Allocation.law.distinct()))
            .join(Person, Person.id == Allocation.person_id)
            .where(Person.household_id == Household.id)
            .correlate(Household).scalar_subquery())
    identity = actor.sees_identity
    stmt = select(
        Household.id, Household.external_id, Household.wijk, Household.postcode,
        Household.composition, member_count,
        names if identity else literal(None), laws,
    )
    for token in text.split():
        stmt = stmt.where(_household_clause(engine, token, actor))
    scope = team_scope(actor, team)
    if scope:
        stmt = stmt.where(_in_team(scope))
    stmt = stmt.order_by(Household.id).limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    found = [
        HouseholdRow(
            id=r[0], external_id=r[1] if identity else household_pseudonym(r[1]), wijk=r[2],
            postcode=r[3] if identity else pc4(r[3]), composition=r[4],
            member_count=r[5] or 0,
            names=", ".join(sorted(n for n in (r[6] or "").split(",") if n)),
            laws=tuple(sorted((r[7] or "").split(","), key=_law_order)) if r[7] else (),
        )
        for r in rows
    ]
    audit.log(engine, actor, audit.VIEW, f"huishoudens gezocht op '{text.strip()}' "
              f"(team: {scope or 'alle teams'})", len(found))
    return found


def _law_order(law: str) -> int:
    order = list(CATEGORY_CODELIST)
    return order.index(law) if law in order else len(order)


def display_name(last: str | None, first: str | None) -> str:
    """'Last, First', or whichever of the two is known."""
    if last and first:
        return f"{last}, {first}"
    return last or first or ""


def household_members(engine: Engine, actor: Actor, household_id: int) -> list[PersonRow]:
    """The members of a household (its row id), pseudonymised and minimised for an actor who
    may not see identities; logged as a view."""
    allocation_count = (select(func.count()).where(Allocation.person_id == Person.id)
                        .correlate(Person).scalar_subquery())
    stmt = (select(Person.id, Person.household_id, Person.external_id, Person.last_name,
                   Person.first_name, Person.bsn, Person.birth_date, Person.gender,
                   allocation_count.label("allocation_count"))
            .where(Person.household_id == household_id)
            .order_by(Person.birth_date, Person.id))
    with engine.connect() as conn:
        records = [r._mapping for r in conn.execute(stmt)]
        household = conn.execute(select(Household.external_id)
                                 .where(Household.id == household_id)).scalar()
    out: list[PersonRow] = []
    for p in records:
        if actor.sees_identity:
            number = p["external_id"]
            name = display_name(p["last_name"], p["first_name"])
            bsn = p["bsn"]
            born = p["birth_date"]
        else:
            number = name = pseudonym(p["external_id"])
            bsn = born = None
        out.append(PersonRow(
            id=p["id"], household_id=p["household_id"], person_number=number, name=name,
            bsn=bsn, birth_date=born, birth_year=p["birth_date"].year, gender=p["gender"],
            allocation_count=p["allocation_count"] or 0,
        ))
    audit.log(engine, actor, audit.VIEW, f"leden huishouden {household or household_id}",
              len(out))
    return out


def _format_volume(volume: float) -> str:
    text = f"{volume:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _format_euro_volume(volume: float) -> str:
    whole, cents = divmod(round(volume * 100), 100)
    return f"€ {whole:,}".replace(",", ".") + f",{cents:02d}"


def omvang_text(volume: float | None, unit: str | None, unit_label: str | None,
            frequency: str | None, budget_cents: int | None) -> str:
    """The extent of an allocation as people read it: '3 × uur per week', or 'Budget'."""
    if volume is not None:
        from sdesk.services.platform.costs import EURO_UNIT  # numpy: not at start-up

        if unit == EURO_UNIT:  # "450,33 × Euro's" reads badly; the volume is an amount
            parts = [_format_euro_volume(volume)]
        else:
            parts = [f"{_format_volume(volume)} ×", unit_label or "eenheden"]
        if frequency:
            parts.append(FREQUENCY_TEXT.get(frequency, frequency))
        return " ".join(parts)
    return "Budget" if budget_cents is not None else ""


def person_allocations(engine: Engine, actor: Actor, person_id: int) -> list[AllocationRow]:
    """The person's allocations, newest first, labelled and with their annual run-rate;
    allocation pseudonyms for an actor who may not see source numbers. Logged as a view."""
    from sdesk.services.platform.costs import EURO_UNIT, annual_run_rates_cents

    category = aliased(CodelistEntry)
    unit = aliased(CodelistEntry)
    category_list = case(
        *[(Allocation.law == law, literal(cl)) for law, cl in CATEGORY_CODELIST.items()],
        else_=literal(""))
    a = Allocation
    stmt = (
        select(a.id, a.toewijzingnummer, a.law, a.category, a.product_code, a.description,
               a.provider, a.delivery_form, a.start_date, a.end_date, a.volume, a.unit,
               a.frequency, a.tariff_cents, a.budget_cents,
               category.label.label("category_label"), unit.label.label("unit_label"))
        .outerjoin(category, and_(category.codelist == category_list,
                                  category.code == a.category))
        .outerjoin(unit, and_(unit.codelist == UNIT_CODELIST, unit.code == a.unit))
        .where(a.person_id == person_id)
        .order_by(a.start_date.desc(), a.id.desc())
    )
    with engine.connect() as conn:
        records = [dict(r._mapping) for r in conn.execute(stmt)]
        person = conn.execute(select(Person.external_id)
                              .where(Person.id == person_id)).scalar()
    audit.log(engine, actor, audit.VIEW, f"toewijzingen persoon {person or person_id}",
              len(records))
    if not records:
        return []
    cost_columns = ("start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
                    "budget_cents")
    run_rates = annual_run_rates_cents({c: [m[c] for m in records] for c in cost_columns})
    out: list[AllocationRow] = []
    for m, rate in zip(records, run_rates, strict=True):
        # Without tariff or budget the arithmetic yields 0; "unknown" is the honest answer.
        priced = (m["budget_cents"] is not None or m["tariff_cents"] is not None
                  or m["unit"] == EURO_UNIT)
        number = (m["toewijzingnummer"] if actor.sees_identity
                  else allocation_pseudonym(m["law"], m["toewijzingnummer"]))
        out.append(AllocationRow(
            id=m["id"], toewijzingnummer=number, law=m["law"],
            category=m["category"], category_label=m["category_label"],
            product_code=m["product_code"], description=m["description"],
            provider=m["provider"], delivery_form=m["delivery_form"], start=m["start_date"],
            end=m["end_date"], volume=m["volume"], unit=m["unit"],
            unit_label=m["unit_label"], frequency=m["frequency"],
            omvang=omvang_text(m["volume"], m["unit"], m["unit_label"], m["frequency"],
                           m["budget_cents"]),
            budget_cents=m["budget_cents"], tariff_cents=m["tariff_cents"],
            annual_run_rate_cents=round(float(rate)) if priced else None,
        ))
    return out


@dataclass(frozen=True)
class DatabaseCounts:
    households: int
    persons: int
    allocations: int


def database_counts(engine: Engine) -> DatabaseCounts:
    """Row counts for the status bar; aggregates only, so no actor is needed."""
    with engine.connect() as conn:
        households, persons, allocations = (
            conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Household, Person, Allocation))
    return DatabaseCounts(households, persons, allocations)
