"""The product ladders the municipality keeps (#16 point 3): a functioneel beheerder confirms,
reorders, shortens or switches off the default ladder of a law and category (ladder.py).

Stored per (law, category) in product_ladder: "eigen" -- the stored rungs, heaviest first,
replace the default ladder of the category -- or "uit": no ladder, so the worklist proposes no
lighter product in that category. Without a stored row the default ladder counts, and
`reset_ladder` goes back to it. `confirmed_ladder` applies what is stored to a default ladder;
it reads the two small tables on every call (a save is seen by the next worklist at once).

What may be a rung (checked on every save, refused in Dutch with nothing written):
- the law is Jeugdwet or Wmo and the category is no legal measure: Participatiewet income
  support and jeugd 47, 48, 49 never have a ladder (ladder.may_have_ladder);
- the product has a tariff of that law (a product outside the tariff table has no price to
  step down to) with a unit, and no allocation of that law uses it in another category;
- units may differ within one ladder, and each unit is a ladder of its own: a rung is only
  ever the lighter product of an allocation with the same unit (ladder.lighter_step), so a
  tariff per dagdeel is never a lighter form of one per uur, wherever it stands. Refusing a
  second unit would make confirming the default ladder of e.g. Begeleiding (individueel per
  uur, groep per dagdeel) impossible, and an own ladder replaces the whole default of its
  category: one unit per ladder would drop the other unit's rungs;
- an own ladder has at least two rungs, each product once.
The order is the user's; a rung is only proposed when its tariff on the peildatum is below
the allocation's (ladder.lighter_step), and a rung without a tariff or unit on the peildatum
is left out of that day's ladder. Changes need EDIT_LADDER (platform.permissions) and are
written to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine

from sdesk.services.afschaling.ladder import (
    MEASURES,
    NO_LADDER_LAWS,
    LadderStep,
    default_ladder,
    may_have_ladder,
    tariffs_on,
)
from sdesk.services.afschaling.rules import ReviewError, RuleParameters, history_from
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.permissions import EDIT_LADDER, require
from sdesk.services.platform.readers import REMOVED, fetch_rows, products_used_query
from sdesk.services.platform.text import law_name
from sdesk.services.platform.vocabulary import CATEGORY_CODELIST, LAWS

STANDARD, OWN, OFF = "standaard", "eigen", "uit"
LADDER_SOURCE_LABELS = {STANDARD: "Standaard", OWN: "Eigen ladder", OFF: "Uitgezet"}
UNIT_CODELIST = "WJ756"
MIN_RUNGS = 2


@dataclass(frozen=True)
class LadderRung:
    """One rung as the ladder screen shows it; tariff and unit as valid on the peildatum
    (None: no tariff that day, so the rung is left out of that day's ladder)."""

    product_code: str
    label: str | None
    tariff_cents: int | None
    unit: str | None
    unit_label: str | None


@dataclass(frozen=True)
class LadderRow:
    """One ladder of the screen: a (law, category) with a default or a stored ladder."""

    law: str
    category: str
    category_label: str | None
    source: str  # STANDARD, OWN or OFF
    rungs: tuple[LadderRung, ...]  # heaviest first; empty when switched off
    changed_by: str | None = None  # who confirmed or switched it off (stored ladders)
    changed_at: datetime | None = None

    @property
    def source_label(self) -> str:
        """"Standaard", "Eigen ladder" or "Uitgezet"."""
        return LADDER_SOURCE_LABELS[self.source]


@dataclass(frozen=True)
class LadderProduct:
    """A product of a law's tariff table, for adding a rung: its tariff and unit on the
    peildatum (else of its latest tariff), the categories allocations use it in, and why it
    cannot be a rung of the category asked for (None: it can)."""

    product_code: str
    label: str | None
    tariff_cents: int | None
    unit: str | None
    unit_label: str | None
    categories: tuple[str, ...]
    problem: str | None


# -- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Stored:
    status: str
    codes: tuple[str, ...]
    changed_by: str | None
    changed_at: datetime | None


def _stored(engine: Engine) -> dict[tuple[str, str], _Stored]:
    """Every stored ladder with its rungs in order (one SELECT)."""
    rows = fetch_rows(engine, (
        "SELECT l.law, l.category, l.status, e.name, l.changed_at, r.product_code "
        "FROM product_ladder l LEFT JOIN employee e ON e.id = l.changed_by "
        "LEFT JOIN product_ladder_rung r ON r.ladder_id = l.id "
        "ORDER BY l.law, l.category, r.position"))
    stored: dict[tuple[str, str], _Stored] = {}
    for law, category, status, name, changed_at, code in rows:
        key = (str(law), str(category))
        before = stored.get(key)
        codes = (*(before.codes if before else ()), *((str(code),) if code else ()))
        stored[key] = _Stored(str(status), codes, name,
                              datetime.fromisoformat(str(changed_at)) if changed_at else None)
    return stored


def _tariff_lookup(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[int, str | None]]:
    return {(str(law), str(code)): (int(cents), None if pd.isna(unit) or unit == "" else str(unit))
            for law, code, cents, unit in zip(frame["law"], frame["product_code"],
                                              frame["cents"], frame["unit"], strict=True)}


def confirmed_ladder(engine: Engine, at: date, default: Mapping[tuple[str, str],
                     Sequence[LadderStep]]) -> dict[tuple[str, str], tuple[LadderStep, ...]]:
    """The default ladder with the stored ladders applied: an own ladder replaces the default
    of its category (rungs in the stored order, tariff and unit valid on `at`; a rung without
    them that day is left out), a switched-off one removes the category. Measures and
    Participatiewet never get a ladder. Reads the stored ladders on every call."""
    ladder = {key: tuple(steps) for key, steps in default.items() if may_have_ladder(*key)}
    stored = _stored(engine)
    if not stored:
        return ladder
    tariffs = _tariff_lookup(tariffs_on(engine, at)) if any(
        s.status == OWN for s in stored.values()) else {}
    labels: dict[tuple[str, str], str | None] = {}
    for (law, _category), steps in default.items():
        for step in steps:
            labels.setdefault((law, step.product_code), step.label)
    for key, kept in stored.items():
        ladder.pop(key, None)
        if kept.status != OWN or not may_have_ladder(*key):
            continue
        law = key[0]
        ladder[key] = tuple(
            LadderStep(code, tariffs[(law, code)][0], tariffs[(law, code)][1],
                       labels.get((law, code)))
            for code in kept.codes if (law, code) in tariffs and tariffs[(law, code)][1])
    return ladder


def _labels(engine: Engine) -> dict[tuple[str, str], str]:
    """(codelist, code) -> label of the category codelists and the units."""
    lists = (*CATEGORY_CODELIST.values(), UNIT_CODELIST)
    marks = ",".join("?" for _ in lists)
    return {(str(cl), str(code)): str(label) for cl, code, label in fetch_rows(
        engine, f"SELECT codelist, code, label FROM codelist_entry WHERE codelist IN ({marks})",
        lists)}


def _used(engine: Engine) -> pd.DataFrame:
    """law, category, product_code, label of every allocation's product (removed ones not)."""
    return pd.DataFrame.from_records(fetch_rows(
        engine, "SELECT law, category, product_code, MIN(description) FROM allocation "
                "WHERE product_code IS NOT NULL "
                f"AND COALESCE(change_reason, '') <> '{REMOVED}' "
                "GROUP BY law, category, product_code"),
        columns=["law", "category", "product_code", "label"])


def worklist_default_ladder(engine: Engine, at: date) -> dict[tuple[str, str],
                                                               tuple[LadderStep, ...]]:
    """The default ladder as the worklist builds it on `at` with the default rule parameters:
    from the products of the allocations around the peildatum."""
    used = fetch_rows(engine, *products_used_query(history_from(at, RuleParameters()), at))
    return default_ladder(engine, at, used=pd.DataFrame(
        used, columns=["law", "category", "product_code", "label"]))


def ladder_overview(engine: Engine, at: date, default: Mapping[tuple[str, str],
                    Sequence[LadderStep]] | None = None) -> list[LadderRow]:
    """Every (law, category) with a default or a stored ladder, by law and category: where it
    comes from, its rungs with tariff and unit on `at`, and who kept it when. `default` is the
    default ladder (by default the worklist's of `at`)."""
    if default is None:
        default = worklist_default_ladder(engine, at)
    stored = _stored(engine)
    labels = _labels(engine)
    tariffs = _tariff_lookup(tariffs_on(engine, at))
    product_labels = {(law, s.product_code): s.label for (law, _c), steps in default.items()
                      for s in steps if s.label}
    unknown = sorted({(law, code) for (law, _c), kept in stored.items() for code in kept.codes
                      if (law, code) not in product_labels})
    if unknown:  # kept products nobody has around the peildatum: their description
        marks = ",".join("(?, ?)" for _ in unknown)
        product_labels.update({(str(law), str(code)): str(label) for law, code, label in
                               fetch_rows(engine, (
                                   "SELECT law, product_code, MIN(description) FROM allocation "
                                   f"WHERE (law, product_code) IN (VALUES {marks}) "
                                   "AND description IS NOT NULL GROUP BY law, product_code"),
                                   tuple(v for pair in unknown for v in pair))})

    def rung(law: str, code: str, label: str | None = None) -> LadderRung:
        cents, unit = tariffs.get((law, code), (None, None))
        return LadderRung(code, label or product_labels.get((law, code)), cents, unit,
                          labels.get((UNIT_CODELIST, unit)) if unit else None)

    rows = []
    for law, category in sorted({*default, *stored}):
        if not may_have_ladder(law, category):
            continue
        category_label = labels.get((CATEGORY_CODELIST.get(law, ""), category))
        kept = stored.get((law, category))
        if kept is None:
            rungs = tuple(rung(law, s.product_code, s.label)
                          for s in default[(law, category)])
            rows.append(LadderRow(law, category, category_label, STANDARD, rungs))
            continue
        rungs = tuple(rung(law, code) for code in kept.codes) if kept.status == OWN else ()
        rows.append(LadderRow(law, category, category_label, kept.status, rungs,
                              kept.changed_by, kept.changed_at))
    return rows


def _latest_tariffs(conn: Connection, law: str) -> dict[str, tuple[int, str | None]]:
    """product_code -> (cents, unit) of its latest tariff in the law."""
    latest: dict[str, tuple[int, str | None]] = {}
    for code, cents, unit in conn.exec_driver_sql(
            "SELECT product_code, cents, unit FROM tariff WHERE law = ? "
            "ORDER BY product_code, valid_from", (law,)):
        latest[str(code)] = (int(cents), unit or None)
    return latest


def ladder_products(engine: Engine, at: date, law: str, category: str) -> list[LadderProduct]:
    """The products of `law`'s tariff table by code: which could be a rung of `category`
    (a unit, and not used by allocations in another category of the law), and why not."""
    with engine.connect() as conn:
        latest = _latest_tariffs(conn, law)
    on_at = _tariff_lookup(tariffs_on(engine, at))
    labels = _labels(engine)
    used = _used(engine)
    used = used[used["law"] == law]
    categories: dict[str, list[str]] = {}
    product_labels: dict[str, str] = {}
    for cat, code, label in zip(used["category"], used["product_code"], used["label"],
                                strict=True):
        categories.setdefault(str(code), []).append(str(cat))
        if label:
            product_labels.setdefault(str(code), str(label))
    out = []
    for code in sorted(latest):
        cents, unit = on_at.get((law, code), (None, latest[code][1]))
        cats = tuple(sorted(categories.get(code, [])))
        others = [c for c in cats if c != category]
        problem = (_other_category(law, code, others[0], labels) if others
                   else None if unit else _no_unit(code))
        out.append(LadderProduct(code, product_labels.get(code), cents, unit,
                                 labels.get((UNIT_CODELIST, unit)) if unit else None, cats,
                                 problem))
    return out


# -- refusals ---------------------------------------------------------------------------------

def _category_label(law: str, category: str, labels: Mapping[tuple[str, str], str]) -> str:
    label = labels.get((CATEGORY_CODELIST.get(law, ""), category))
    return f"categorie {category} ({label})" if label else f"categorie {category}"


def _other_category(law: str, code: str, other: str,
                    labels: Mapping[tuple[str, str], str]) -> str:
    return (f"Product {code} wordt bij de {law_name(law)} gebruikt in "
            f"{_category_label(law, other, labels)}: een ladder blijft binnen één categorie. "
            f"Kies een product van deze categorie.")


def _no_unit(code: str) -> str:
    return (f"Product {code} heeft in de tarieventabel geen eenheid; een trede vraagt een "
            f"tarief per eenheid (uur, dagdeel, etmaal). Vul de eenheid aan in de tarieven.")


def _check_category(engine: Engine, law: str, category: str) -> dict[tuple[str, str], str]:
    """Refuse an unknown law, Participatiewet, a legal measure and an unknown category;
    returns the labels for the messages that follow."""
    if law not in LAWS:
        raise ReviewError(f"Onbekende wet '{law}'; kies uit {', '.join(LAWS)}.")
    if law in NO_LADDER_LAWS:
        raise ReviewError(f"De {law_name(law)} heeft geen productladders: bijstand is "
                          "inkomen, geen lichtere of zwaardere vorm van hulp.")
    labels = _labels(engine)
    if (law, category) in MEASURES:
        raise ReviewError(
            f"{law_name(law)} {_category_label(law, category, labels)} is een wettelijke "
            "maatregel: die heeft geen productladder. Een lichtere maatregel is een besluit "
            "van de rechter, geen lichter product.")
    known = (CATEGORY_CODELIST[law], category) in labels or bool(fetch_rows(
        engine, "SELECT 1 FROM allocation WHERE law = ? AND category = ? LIMIT 1",
        (law, category)))
    if not known:
        raise ReviewError(f"Categorie '{category}' bestaat niet bij de {law_name(law)}; kies "
                          f"een categorie uit de codelijst {CATEGORY_CODELIST[law]}.")
    return labels


def _check_codes(codes: Sequence[str]) -> None:
    if any(not c for c in codes):
        raise ReviewError("Een trede zonder productcode kan niet: vul de productcode in of "
                          "verwijder de trede.")
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ReviewError(f"Product {twice[0]} staat twee keer op de ladder; een product is "
                          "één trede. Verwijder een van de twee.")
    if len(codes) < MIN_RUNGS:
        raise ReviewError(f"Een eigen ladder heeft minstens {MIN_RUNGS} treden (nu "
                          f"{len(codes)}): een lichter product is een andere trede van "
                          "dezelfde hulp. Voeg een product toe, of zet de ladder uit.")


def _check_rungs(conn: Connection, law: str, category: str, codes: Sequence[str],
                 labels: Mapping[tuple[str, str], str]) -> None:
    latest = _latest_tariffs(conn, law)
    missing = [c for c in codes if c not in latest]
    if missing:
        raise ReviewError(
            f"Geen tarief bij de {law_name(law)} voor {', '.join(missing)}: alleen een product "
            "uit de tarieventabel kan een trede zijn. Importeer eerst het tarief, of kies een "
            "ander product.")
    for code in codes:
        if not latest[code][1]:
            raise ReviewError(_no_unit(code))
    marks = ",".join("?" for _ in codes)
    other = conn.exec_driver_sql(
        "SELECT product_code, MIN(category) FROM allocation WHERE law = ? AND category <> ? "
        f"AND product_code IN ({marks}) AND COALESCE(change_reason, '') <> '{REMOVED}' "
        "GROUP BY product_code ORDER BY product_code", (law, category, *codes)).first()
    if other is not None:
        raise ReviewError(_other_category(law, str(other[0]), str(other[1]), labels))


# -- writing ----------------------------------------------------------------------------------

def _write(engine: Engine, actor: Actor, law: str, category: str, status: str | None,
           codes: Sequence[str], what: str,
           labels: Mapping[tuple[str, str], str]) -> bool:
    """One transaction: check (own ladders), replace what is stored, log. status None:
    delete (back to the default). Returns whether anything changed."""
    with engine.execution_options(sdesk_begin="IMMEDIATE").begin() as conn:
        if status == OWN:
            _check_rungs(conn, law, category, codes, labels)
        found = conn.exec_driver_sql(
            "SELECT id FROM product_ladder WHERE law = ? AND category = ?",
            (law, category)).scalar()
        if found is not None:
            conn.exec_driver_sql("DELETE FROM product_ladder_rung WHERE ladder_id = ?",
                                 (found,))
        if status is None:
            if found is None:
                return False
            conn.exec_driver_sql("DELETE FROM product_ladder WHERE id = ?", (found,))
        else:
            now = datetime.now().isoformat(sep=" ", timespec="seconds")
            if found is None:
                found = conn.exec_driver_sql(
                    "INSERT INTO product_ladder (law, category, status, changed_by, changed_at) "
                    "VALUES (?, ?, ?, ?, ?) RETURNING id",
                    (law, category, status, actor.employee_id, now)).scalar_one()
            else:
                conn.exec_driver_sql(
                    "UPDATE product_ladder SET status = ?, changed_by = ?, changed_at = ? "
                    "WHERE id = ?", (status, actor.employee_id, now, found))
            for position, code in enumerate(codes):
                conn.exec_driver_sql(
                    "INSERT INTO product_ladder_rung (ladder_id, position, product_code) "
                    "VALUES (?, ?, ?)", (found, position, code))
        audit.record(conn, actor, audit.CHANGE,
                     f"productladder {law_name(law)} categorie {category} {what}"[:200],
                     len(codes))
    return True


def save_ladder(engine: Engine, actor: Actor, law: str, category: str,
                product_codes: Sequence[str]) -> None:
    """Keep `product_codes` (heaviest first) as the ladder of (law, category): it replaces the
    default ladder of the category. Refused in Dutch, with nothing written, when a rung may
    not be one (see the module docstring)."""
    require(actor, EDIT_LADDER)
    codes = [str(c).strip() for c in product_codes]
    labels = _check_category(engine, law, category)
    _check_codes(codes)
    _write(engine, actor, law, category, OWN, codes, "bevestigd: " + " > ".join(codes),
           labels)


def switch_off_ladder(engine: Engine, actor: Actor, law: str, category: str) -> None:
    """No ladder in (law, category): the worklist proposes no lighter product there."""
    require(actor, EDIT_LADDER)
    labels = _check_category(engine, law, category)
    _write(engine, actor, law, category, OFF, (), "uitgezet", labels)


def reset_ladder(engine: Engine, actor: Actor, law: str, category: str) -> bool:
    """Back to the default ladder (the stored one is deleted); False when none was stored."""
    require(actor, EDIT_LADDER)
    labels = _check_category(engine, law, category)
    return _write(engine, actor, law, category, None, (), "terug naar de standaard", labels)
