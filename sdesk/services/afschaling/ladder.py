"""The product ladder: per law and category the products in use with their tariff, dearest
first; a cheaper rung with the same unit is a lighter product (the rule lighter_product and
the what-if's product picker).

A lighter product is a lighter form of the *same* help, never just a cheaper product. The
default ladder therefore only holds the categories whose products the codelists (WMO020,
JZ020) describe as levels of one kind of help (`LADDER_CATEGORIES`): hulp bij het huishouden,
begeleiding (specialistisch -> regulier, individueel -> groep where the unit is the same),
persoonlijke verzorging, dagbesteding and dagbehandeling, ambulante jeugdhulp and jeugd-ggz
(specialistisch/WO -> regulier/HBO). Not on a ladder by default: residential care and foster
care (a placement is where a child lives, not a level of help), crisis care, beschermd wonen
and short stays, maatwerk budgets, aids and transport, Participatiewet income support and
every legal measure (`MEASURES`: jeugdreclassering 47, jeugdbescherming 48, preventief
justitieel 49) -- Voogdij (48A03) is never a lighter OTS (48A01). A rung also needs the same
unit as the allocation (a tariff per hour is no rung for a tariff per dagdeel); a tariff alone
never makes one. The rule refuses measures even on a ladder the user passes.

This is the default; a functioneel beheerder confirms, reorders or switches off the ladder of
a category on the ladder screen, and `ladders.confirmed_ladder` applies what they kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform.readers import REMOVED, fetch_rows


@dataclass(frozen=True)
class LadderStep:
    """One rung of a product ladder: a product code with its tariff (cents per unit)."""

    product_code: str
    tariff_cents: int
    unit: str | None = None  # WJ756; None: any unit
    label: str | None = None


# (law, category) -> rungs, the heaviest (dearest) first.
ProductLadder = Mapping[tuple[str, str], Sequence[LadderStep]]

# The categories whose products are levels of one kind of help (see the module docstring).
LADDER_CATEGORIES: frozenset[tuple[str, str]] = frozenset({
    ("wmo", "01"),  # Hulp bij het huishouden
    ("wmo", "02"),  # Begeleiding
    ("wmo", "03"),  # Persoonlijke verzorging
    ("wmo", "07"),  # Dagbesteding
    ("wmo", "09"),  # Overige groepsgerichte ondersteuning
    ("jeugd", "40"),  # Persoonlijke verzorging
    ("jeugd", "41"),  # Dagbehandeling
    ("jeugd", "45"),  # Jeugdhulp ambulant
    ("jeugd", "51"),  # Generalistische basis-ggz
    ("jeugd", "52"),  # Specialistische ggz
    ("jeugd", "54"),  # Jeugd-ggz
})
# Legal measures a court or the law imposes: never on a ladder, not even the user's.
MEASURES: frozenset[tuple[str, str]] = frozenset({("jeugd", "47"), ("jeugd", "48"),
                                                  ("jeugd", "49")})
NO_LADDER_LAWS = frozenset({"participatie"})  # income support is not a level of help


def may_have_ladder(law: str, category: str) -> bool:
    """False for legal measures and income support: no product there is a lighter other."""
    return law not in NO_LADDER_LAWS and (law, category) not in MEASURES


def tariffs_on(engine: Engine, at: date) -> pd.DataFrame:
    """Tariffs valid on `at`: law, product_code, cents, unit (the latest valid_from wins)."""
    rows = fetch_rows(engine, "SELECT law, product_code, cents, unit, valid_from FROM tariff "
                              "WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)",
                      (at.isoformat(), at.isoformat()))
    frame = pd.DataFrame.from_records(rows, columns=["law", "product_code", "cents", "unit",
                                                     "valid_from"])
    frame = frame.sort_values("valid_from").drop_duplicates(["law", "product_code"], keep="last")
    return frame.drop(columns="valid_from").reset_index(drop=True)


def default_ladder(engine: Engine, at: date, used: pd.DataFrame | None = None
                   ) -> dict[tuple[str, str], tuple[LadderStep, ...]]:
    """Per (law, category) of LADDER_CATEGORIES the products used in that category with their
    tariff and unit valid on `at`, dearest first; products without a tariff or unit on `at`
    are left out. Cheaper rungs with the same unit are the lighter products.

    `used` (columns law, category, product_code, label; one row per product) says which
    products are used where; by default those of every allocation that was not removed (the
    worklist passes those of the allocations around its peildatum)."""
    tariffs = tariffs_on(engine, at)
    if used is None:
        used = pd.DataFrame.from_records(fetch_rows(
            engine, "SELECT law, category, product_code, MIN(description) FROM allocation "
                    "WHERE product_code IS NOT NULL "
                    f"AND COALESCE(change_reason, '') <> '{REMOVED}' "
                    "GROUP BY law, category, product_code"),
            columns=["law", "category", "product_code", "label"])
    steps = used.merge(tariffs, on=["law", "product_code"], how="inner")
    same_help = [(law, category) in LADDER_CATEGORIES
                 for law, category in zip(steps["law"], steps["category"], strict=True)]
    steps = steps[np.asarray(same_help, dtype=bool) & steps["unit"].notna()
                  & (steps["unit"].astype(object) != "")]
    steps = steps.sort_values(["law", "category", "cents", "product_code"],
                              ascending=[True, True, False, True], kind="mergesort")
    ladder: dict[tuple[str, str], tuple[LadderStep, ...]] = {}
    for (law, category), group in steps.groupby(["law", "category"], sort=True):
        ladder[(str(law), str(category))] = tuple(
            LadderStep(code, int(cents), unit or None, None if pd.isna(label) else label)
            for code, cents, unit, label in zip(group["product_code"], group["cents"],
                                                group["unit"], group["label"], strict=True))
    return ladder


def lighter_step(steps: Sequence[LadderStep], product_code: str | None, unit: str | None,
                 tariff_cents: float) -> LadderStep | None:
    """The next rung below the product with the same unit and a tariff below `tariff_cents`."""
    position = next((i for i, s in enumerate(steps) if s.product_code == product_code), None)
    below = steps[position + 1:] if position is not None else steps
    for step in below:
        if step.product_code != product_code and (step.unit is None or step.unit == unit) and (
                step.tariff_cents < tariff_cents):
            return step
    return None
