"""Afschaling: the rules that put a running allocation on the klantmanager's worklist.

Each rule has an id, a Dutch title and a Dutch explanation with the user's parameter values
filled in (`RULES`, `rule_explanation`). The parameters live in one frozen dataclass,
`RuleParameters`, whose `validate()` refuses values out of range with a Dutch message.

The rules, on peildatum `at`, over allocations active on `at` (removed ones never count).
"The last N months" is the window [window_start(at, N), at]: from the day after `at`, N
months back, so a month-end peildatum gives whole calendar months (2025-06-30 and 6 months:
2025-01-01..2025-06-30).

- ending_soon: the end date lies within `ending_soon_weeks` weeks of `at`
  (at <= end <= at + 7 x weeks days): a renewal decision is due.
- open_ended_unreviewed: no end date, and the last assessment (the later of the start date and
  the last review on or before `at`) lies before the last `open_ended_months` months.
- long_duration: the person's allocations of the same law and category are merged where they
  overlap or touch (the next starts at most one day after the reach so far); the spell that
  holds the allocation started before the last `long_duration_months` months (a norm per
  (law, category) in `long_duration_norms` overrides it): support for longer than the norm.
- high_intensity: the weekly volume (per dag x 7, per week x 1, per maand x 12/52, frequentie
  6: the total over the duration in weeks) is at or above the norm: dagdelen (WJ756 16)
  >= `group_norm_dagdelen` (group support: Wmo 07 dagbesteding, Jeugd 41 dagbehandeling,
  group begeleiding ...), hours (04; minutes 01 / 60) >= `individual_norm_hours` outside
  hulp bij het huishouden (individual support: Wmo 02, Jeugd 45 ...), or hulp bij het
  huishouden (Wmo 01) above `household_help_max_hours` per week. The same weekly volume as
  the heavy_share KPI (sdesk.services.kpi.definitions).
- low_utilisation: realisation (non-rejected claims whose period starts in the window) below
  `utilisation_min_pct` % of the commitment (sdesk.services.platform.costs) over the last
  `utilisation_months` months; only rows with a commitment in the window.
- no_claims: started before the last `no_claims_months` months, and not one non-rejected claim
  line whose period starts in them.
- stacking: the person has two or more active allocations in the same law and category from
  different providers, or the household has active support under `stacking_laws` laws.
- high_cost: the person is among the `high_cost_top_n` costliest persons of the law by annual
  run-rate (sum of the person's active allocations of that law; ties at the edge all count),
  or that sum is above `high_cost_threshold_cents`.
- lighter_product: the product ladder of the allocation's (law, category) holds a product
  with the same unit whose tariff is below the allocation's tariff: the next such rung below
  the current product (or the dearest one below the tariff when the product is not on the
  ladder). Only allocations with omvang and a tariff (not euro's, not budget). The default
  ladder is built from the tariff table (`default_ladder`) for the categories whose products
  are levels of one kind of help (ladder.LADDER_CATEGORIES); the user may pass their own in
  `RuleParameters.ladder` (an empty ladder switches the rule off). Legal measures (jeugd 47,
  48, 49) and Participatiewet never get a lighter product, not even on the user's ladder.

Signals and reasons: high_cost, long_duration and stacking say "look here first" and name no
step-down of their own (PRIORITY_RULES). They raise a candidate's priority ("hoog" for high
cost, "verhoogd" for the others) but never put an allocation on the default list alone; the
other rules are reasons that do.

Expected annual saving per rule (cents; the worklist takes the maximum over the rules that
fired, never the sum) -- all from sdesk.services.platform.costs, run-rate = daily rate x 365:

- lighter_product: run-rate minus the run-rate at the lighter product's tariff;
- high_intensity: run-rate minus the run-rate at the norm volume (the largest whole number of
  units per week below the group/individual norm, or the household help maximum);
- low_utilisation: the unused part of the run-rate, run-rate x (1 - realisation/commitment);
- no_claims: the whole run-rate (nothing was used);
- ending_soon, open_ended_unreviewed, long_duration, stacking, high_cost: a default step-down
  share (`step_down_share_pct`, 25 %) of the run-rate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from sdesk.services.afschaling.ladder import (
    LadderStep,
    ProductLadder,
    lighter_step,
    may_have_ladder,
)
from sdesk.services.platform.costs import EURO_UNIT, annual_run_rates_cents, daily_rates
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.intensity import (
    HEAVY_DAGDELEN,
    HEAVY_HOURS,
    HOUR_UNIT,
    MINUTE_UNIT,
    heavy_parts,
    is_household_help,
    weekly_units,
)
from sdesk.services.platform.periods import add_months


class ReviewError(SdeskError):
    """A refused review action or parameter; the message is Dutch and shown as is."""


ENDING_SOON = "ending_soon"
OPEN_ENDED_UNREVIEWED = "open_ended_unreviewed"
LONG_DURATION = "long_duration"
HIGH_INTENSITY = "high_intensity"
LOW_UTILISATION = "low_utilisation"
NO_CLAIMS = "no_claims"
STACKING = "stacking"
HIGH_COST = "high_cost"
LIGHTER_PRODUCT = "lighter_product"

RULE_IDS: tuple[str, ...] = (ENDING_SOON, OPEN_ENDED_UNREVIEWED, LONG_DURATION, HIGH_INTENSITY,
                             LOW_UTILISATION, NO_CLAIMS, STACKING, HIGH_COST, LIGHTER_PRODUCT)
# When two rules promise the same saving, the one with the most concrete step-down leads.
PROPOSAL_PRIORITY: tuple[str, ...] = (LIGHTER_PRODUCT, HIGH_INTENSITY, NO_CLAIMS,
                                      LOW_UTILISATION, ENDING_SOON, LONG_DURATION,
                                      OPEN_ENDED_UNREVIEWED, STACKING, HIGH_COST)
SHARE_RULES = frozenset({ENDING_SOON, OPEN_ENDED_UNREVIEWED, LONG_DURATION, STACKING, HIGH_COST})
# The chance that a review for this reason ends in a step-down, until the municipality has
# enough decisions of its own (RuleParameters.chance_min_decisions): conservative guesses,
# highest where the rule names a concrete step (a lighter product, a lower volume, nothing
# used), lowest where it only says "have a look" (long duration, stacking, high cost).
DEFAULT_CHANCES_PCT: Mapping[str, float] = {
    ENDING_SOON: 20.0, OPEN_ENDED_UNREVIEWED: 15.0, LONG_DURATION: 10.0,
    HIGH_INTENSITY: 25.0, LOW_UTILISATION: 25.0, NO_CLAIMS: 30.0, STACKING: 10.0,
    HIGH_COST: 10.0, LIGHTER_PRODUCT: 30.0}


@dataclass(frozen=True)
class Rule:
    id: str
    title: str


RULES: tuple[Rule, ...] = (
    Rule(ENDING_SOON, "Einddatum nadert"),
    Rule(OPEN_ENDED_UNREVIEWED, "Geen einddatum, niet beoordeeld"),
    Rule(LONG_DURATION, "Lange duur"),
    Rule(HIGH_INTENSITY, "Hoge intensiteit"),
    Rule(LOW_UTILISATION, "Lage uitnutting"),
    Rule(NO_CLAIMS, "Geen declaraties"),
    Rule(STACKING, "Stapeling"),
    Rule(HIGH_COST, "Hoge kosten"),
    Rule(LIGHTER_PRODUCT, "Lichter product"),
)
RULES_BY_ID = {r.id: r for r in RULES}

# Rules that say "look here first" and name no step-down of their own (high cost, support
# longer than the norm, stacking): they raise a candidate's priority but never put it on the
# list alone, and never lead its proposal while a rule with a reason fired. Asked for by name
# (the rule filter), they list what they fire on.
PRIORITY_RULES = frozenset({HIGH_COST, LONG_DURATION, STACKING})
# Priority of a candidate: "hoog" when high cost fired, "verhoogd" for the other signals.
HIGH_PRIORITY_RULES = frozenset({HIGH_COST})


@dataclass(frozen=True)
class RuleParameters:
    """What a user may change, with the defaults shipped. Money in cents, shares in percent."""

    ending_soon_weeks: int = 8
    open_ended_months: int = 12
    long_duration_months: int = 24
    long_duration_norms: Mapping[tuple[str, str], int] = field(default_factory=dict)
    group_norm_dagdelen: float = HEAVY_DAGDELEN
    individual_norm_hours: float = HEAVY_HOURS
    household_help_max_hours: float = 4.0
    utilisation_months: int = 6
    utilisation_min_pct: float = 80.0
    no_claims_months: int = 3
    stacking_laws: int = 3
    high_cost_top_n: int = 10
    high_cost_threshold_cents: int = 5_000_000  # EUR 50,000 a year
    step_down_share_pct: float = 25.0
    recent_decision_days: int = 90
    ladder: ProductLadder | None = None  # None: default_ladder() from the tariff table
    # Expected saving = chance x saving if done (see sdesk.services.afschaling.chances).
    default_chances_pct: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_CHANCES_PCT))
    chance_min_decisions: int = 20
    reviews_per_fte_month: float = 20.0
    # None: the fte of the klantmanagers the list is for (the team, the employee or all).
    team_fte: float | None = None
    # The default list holds what the team reviews in this many months at its capacity.
    capacity_months: int = 1

    def validate(self) -> RuleParameters:
        """Raise ReviewError (Dutch) for a value out of range; return self when all is well."""
        whole_periods = (
            ("ending_soon_weeks", "Het aantal weken voor 'einddatum nadert'", 1),
            ("open_ended_months", "Het aantal maanden voor 'zonder einddatum'", 1),
            ("long_duration_months", "De norm voor 'lange duur' (maanden)", 1),
            ("utilisation_months", "Het venster voor 'lage uitnutting' (maanden)", 1),
            ("no_claims_months", "Het venster voor 'geen declaraties' (maanden)", 1),
            ("recent_decision_days", "Het aantal dagen na een besluit", 0),
            ("high_cost_top_n", "Het aantal duurste cliënten", 0),
            ("chance_min_decisions", "Het aantal eigen besluiten voor een kans", 1),
            ("capacity_months", "Het aantal maanden werk op de werklijst", 1),
        )
        for name, label, minimum in whole_periods:
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise ReviewError(f"{label} moet een geheel getal van minstens {minimum} zijn "
                                  f"(nu {value}).")
        for rule, pct in self.default_chances_pct.items():
            if rule not in RULES_BY_ID:
                raise ReviewError(f"Onbekende regel '{rule}' bij de standaardkansen.")
            if not 0 <= pct <= 100:
                raise ReviewError(f"De standaardkans van '{RULES_BY_ID[rule].title}' moet "
                                  f"tussen 0 en 100 % liggen (nu {pct}).")
        if not 0 < self.reviews_per_fte_month <= 1000 or (
                self.team_fte is not None and not 0 < self.team_fte <= 1000):
            raise ReviewError("De capaciteit (beoordelingen per fte per maand en het aantal "
                              "fte) moet groter dan 0 zijn.")
        for (law, category), months in self.long_duration_norms.items():
            if not isinstance(months, int) or months < 1:
                raise ReviewError(f"De norm voor 'lange duur' van {law} categorie {category} "
                                  f"moet minstens 1 maand zijn (nu {months}).")
        norms = (("group_norm_dagdelen", "De norm voor groepsondersteuning (dagdelen per week)"),
                 ("individual_norm_hours",
                  "De norm voor individuele ondersteuning (uren per week)"),
                 ("household_help_max_hours",
                  "Het maximum voor hulp bij het huishouden (uren per week)"))
        for name, label in norms:
            value = getattr(self, name)
            if not _finite(value) or value <= 0:
                raise ReviewError(f"{label} moet groter dan 0 zijn (nu {value}).")
        for name, label in (("utilisation_min_pct", "De ondergrens voor de uitnutting"),
                            ("step_down_share_pct", "Het standaard afschalingsdeel")):
            value = getattr(self, name)
            if not _finite(value) or not 0 <= value <= 100:
                raise ReviewError(f"{label} moet tussen 0 % en 100 % liggen (nu {value} %).")
        if self.stacking_laws not in (2, 3):
            raise ReviewError(f"Stapeling telt bij 2 of 3 wetten (nu {self.stacking_laws}).")
        if not isinstance(self.high_cost_threshold_cents, int) or (
                self.high_cost_threshold_cents <= 0):
            raise ReviewError("De drempel voor hoge jaarkosten moet groter dan € 0 zijn.")
        if self.ladder is not None:
            _validate_ladder(self.ladder)
        return self



def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
        value)


def _validate_ladder(ladder: ProductLadder) -> None:
    for (law, category), steps in ladder.items():
        seen: set[str] = set()
        for step in steps:
            if not step.product_code:
                raise ReviewError(f"De productladder van {law} categorie {category} bevat een "
                                  f"trede zonder productcode.")
            if step.product_code in seen:
                raise ReviewError(f"Product {step.product_code} staat twee keer op de "
                                  f"productladder van {law} categorie {category}.")
            seen.add(step.product_code)
            if not isinstance(step.tariff_cents, int) or step.tariff_cents < 0:
                raise ReviewError(f"Het tarief van {step.product_code} op de productladder moet "
                                  f"0 of meer zijn (nu {step.tariff_cents}).")


# -- evaluation -------------------------------------------------------------------------------

@dataclass
class RuleOutcome:
    """Per row of the evaluated frame: which rules fired, what each would save, and the
    concrete step-downs the volume and product rules propose."""

    run_rate: np.ndarray
    fired: dict[str, np.ndarray]
    savings: dict[str, np.ndarray]
    lighter_code: np.ndarray  # object: product code or None
    lighter_label: np.ndarray
    intensity_volume: np.ndarray  # float, NaN when the rule did not fire
    utilisation: np.ndarray  # realisation / commitment over the utilisation window, NaN
    spell_start: np.ndarray  # datetime64, the start of the continuous spell
    no_claims_since: date | None = None  # the first day of the no-claims window


def window_start(at: date, months: int) -> date:
    """First day of "the last `months` months" up to `at` inclusive: the day after `at`,
    `months` months back. A month-end peildatum gives whole calendar months (2025-06-30,
    6 -> 2025-01-01); other days the same day number (2025-06-15, 6 -> 2024-12-16)."""
    return add_months(at + timedelta(days=1), -months)


def windows(at: date, params: RuleParameters) -> dict[str, tuple[date, date]]:
    """The claim windows of low_utilisation and no_claims, both ends inclusive."""
    return {LOW_UTILISATION: (window_start(at, params.utilisation_months), at),
            NO_CLAIMS: (window_start(at, params.no_claims_months), at)}


def history_from(at: date, params: RuleParameters) -> date:
    """How far back allocations must be read to decide long_duration: a spell that started
    before the norm covers the day before the cut-off, so older allocations never matter."""
    months = max([params.long_duration_months, *params.long_duration_norms.values()])
    return window_start(at, months) - timedelta(days=1)


def codes_of(column: Any) -> tuple[np.ndarray, int]:
    """(integer code per value, number of distinct values); NaN and None are values too."""
    codes, uniques = pd.factorize(np.asarray(column), use_na_sentinel=False)
    return codes.astype(np.int64), len(uniques)


def combine_codes(*coded: tuple[np.ndarray, int]) -> np.ndarray:
    """One code per distinct combination of already coded columns (see codes_of)."""
    combined = np.zeros(len(coded[0][0]), dtype=np.int64)
    radix = 1
    for codes, size in coded:
        if radix * (size + 1) >= 2**62:  # keep the arithmetic inside int64
            combined, radix = codes_of(combined)
        combined = combined * (size + 1) + codes
        radix *= size + 1
    return combined


def row_codes(*columns: Any) -> np.ndarray:
    """One integer code per distinct combination of the columns' values."""
    return combine_codes(*(codes_of(c) for c in columns))


def _distinct_per_group(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Per row: the number of distinct values (>= 0; negative means missing) in its group."""
    valid = value >= 0
    width = max(int(value.max()) + 1, 1) if len(value) else 1
    pairs = np.unique(group[valid] * width + value[valid])
    groups, counts = np.unique(pairs // width, return_counts=True)
    out = np.zeros(len(group), dtype=np.int64)
    if len(groups):
        pos = np.searchsorted(groups, group).clip(0, len(groups) - 1)
        out = np.where(groups[pos] == group, counts[pos], 0)
    return out


def spell_starts(history: pd.DataFrame) -> pd.Series:
    """Start of the continuous spell (allocations of one person, law and category that overlap
    or touch: the next starts at most one day after the reach so far) per allocation id.
    Columns: id, person_id, law, category, start_date, end_date (NaT: open)."""
    n = len(history)
    if n == 0:
        return pd.Series(dtype="datetime64[ns]")
    ids = history["id"].to_numpy()
    group = combine_codes((history["person_id"].to_numpy(dtype=np.int64),
                           int(history["person_id"].max()) + 1),
                          codes_of(history["law"].to_numpy(dtype=object)),
                          codes_of(history["category"].to_numpy(dtype=object)))
    start = history["start_date"].to_numpy(dtype="datetime64[D]").astype(np.int64)
    end_days = history["end_date"].to_numpy(dtype="datetime64[D]")
    far = int(start.max()) + 100_000
    end = np.where(np.isnat(end_days), far, end_days.astype(np.int64))
    order = np.lexsort((start, group))
    g, s, e = group[order], start[order], end[order]
    first = np.r_[True, g[1:] != g[:-1]]
    ordinal = np.cumsum(first) - 1
    base = int(min(s.min(), e.min()))
    span = int(max(s.max(), e.max())) - base + 2
    # Running maximum of the end within each group: lift every group above the previous one.
    lifted = (e - base) + ordinal * span
    reach = np.maximum.accumulate(lifted) - ordinal * span
    previous = np.r_[0, reach[:-1]]
    new_spell = first | ((s - base) > previous + 1)
    head = np.maximum.accumulate(np.where(new_spell, np.arange(n), 0))
    spell_start = s[head].astype("datetime64[D]").astype("datetime64[ns]")
    return pd.Series(spell_start, index=ids[order])


def _weekly_norm_target(norm: float) -> float:
    """The largest whole number of units per week below an "at or above" norm (5 -> 4)."""
    return float(math.ceil(norm) - 1)


PREPARED = ("run_rate_cents", "weekly_units", "law_code", "law_category_code",
            "person_category_code", "provider_code", "product_key")


def prepare(frame: pd.DataFrame, daily_cents: np.ndarray | None = None) -> pd.DataFrame:
    """Add the columns that depend on the allocations alone (PREPARED), so a caller that keeps
    the frame (the worklist, per data version) computes them once: the annual run-rate, the
    weekly volume in dagdelen or hours, and integer codes of law, (law, category), (person,
    law, category), provider (-1: none) and (law, category, product, unit, tariff).
    `daily_cents`: costs.daily_rates(frame) when the caller has it already."""
    unit = frame["unit"].to_numpy(dtype=object)
    law = codes_of(frame["law"].to_numpy(dtype=object))
    category = codes_of(frame["category"].to_numpy(dtype=object))
    person = (frame["person_id"].to_numpy(dtype=np.int64),
              int(frame["person_id"].max()) + 1 if len(frame) else 1)
    return frame.assign(
        run_rate_cents=(daily_rates(frame) if daily_cents is None else daily_cents) * 365.0,
        weekly_units=weekly_units(frame),
        law_code=law[0],
        law_category_code=combine_codes(law, category),
        person_category_code=combine_codes(person, law, category),
        provider_code=pd.factorize(frame["provider"].to_numpy(dtype=object))[0],
        product_key=combine_codes(law, category,
                                  codes_of(frame["product_code"].to_numpy(dtype=object)),
                                  codes_of(unit), codes_of(frame["tariff_cents"])))


def evaluate_rules(frame: pd.DataFrame, at: date, params: RuleParameters,
                   ladder: ProductLadder, claims_through: date | None = None) -> RuleOutcome:
    """Run every rule over `frame`: the allocations active on `at`, with the context columns
    household_id, last_review (datetime64, NaT), spell_start (datetime64), commitment_cents
    and realised_cents (utilisation window), no_claims_lines (no-claims window); the
    PREPARED columns are added when missing. The claim windows end on `claims_through` (the
    last complete claim month; `at` when not given)."""
    if any(c not in frame.columns for c in PREPARED):
        frame = prepare(frame)
    n = len(frame)
    run_rate = frame["run_rate_cents"].to_numpy(dtype="float64")
    start = frame["start_date"].to_numpy(dtype="datetime64[D]")
    end = frame["end_date"].to_numpy(dtype="datetime64[D]")
    open_ended = np.isnat(end)
    at_day = np.datetime64(at, "D")
    law = frame["law"].to_numpy(dtype=object)
    category = frame["category"].to_numpy(dtype=object)
    share = params.step_down_share_pct / 100.0
    fired: dict[str, np.ndarray] = {}
    savings: dict[str, np.ndarray] = {}

    # ending_soon
    horizon = at_day + np.timedelta64(7 * params.ending_soon_weeks, "D")
    fired[ENDING_SOON] = ~open_ended & (end >= at_day) & (end <= horizon)

    # open_ended_unreviewed
    reviewed = frame["last_review"].to_numpy(dtype="datetime64[D]")
    assessed = np.where(np.isnat(reviewed), start, np.maximum(start, reviewed))
    cutoff = np.datetime64(window_start(at, params.open_ended_months), "D")
    fired[OPEN_ENDED_UNREVIEWED] = open_ended & (assessed < cutoff)

    # long_duration
    spell = frame["spell_start"].to_numpy(dtype="datetime64[D]")
    spell = np.where(np.isnat(spell), start, spell)
    limit = np.full(n, np.datetime64(window_start(at, params.long_duration_months), "D"))
    for (nlaw, ncat), months in params.long_duration_norms.items():
        limit[(law == nlaw) & (category == ncat)] = np.datetime64(window_start(at, months),
                                                                  "D")
    fired[LONG_DURATION] = spell < limit

    # high_intensity
    units = frame["weekly_units"].to_numpy(dtype="float64")  # dagdelen or hours
    unit = frame["unit"].to_numpy(dtype=object)
    group, individual = heavy_parts(law, category, unit, units,
                                    params.group_norm_dagdelen, params.individual_norm_hours)
    hours = (unit == HOUR_UNIT) | (unit == MINUTE_UNIT)
    hbh = (hours & is_household_help(law, category)
           & (units > params.household_help_max_hours))
    heavy = group | individual | hbh
    target = np.select([group, individual, hbh],
                       [_weekly_norm_target(params.group_norm_dagdelen),
                        _weekly_norm_target(params.individual_norm_hours),
                        params.household_help_max_hours], default=np.nan)
    volume = frame["volume"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        new_volume = np.where(heavy, volume * np.maximum(target, 0.0) / units, np.nan)
    fired[HIGH_INTENSITY] = heavy
    savings[HIGH_INTENSITY] = _saving_with(frame, run_rate, heavy, volume=new_volume)

    # low_utilisation and no_claims
    commitment = frame["commitment_cents"].to_numpy(dtype="float64")
    realised = frame["realised_cents"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(commitment > 0, realised / commitment, np.nan)
    low = (commitment > 0) & (utilisation < params.utilisation_min_pct / 100.0)
    fired[LOW_UTILISATION] = low
    unused = 1.0 - np.clip(np.nan_to_num(utilisation, nan=1.0), 0.0, 1.0)
    savings[LOW_UTILISATION] = np.where(low, run_rate * unused, 0.0)
    no_claims_since = windows(claims_through or at, params)[NO_CLAIMS][0]
    nc_start = np.datetime64(no_claims_since, "D")
    fired[NO_CLAIMS] = (start < nc_start) & (
        frame["no_claims_lines"].to_numpy(dtype="int64") == 0)
    savings[NO_CLAIMS] = np.where(fired[NO_CLAIMS], run_rate, 0.0)

    # stacking
    law_code = frame["law_code"].to_numpy(dtype=np.int64)
    same_category = _distinct_per_group(frame["person_category_code"].to_numpy(dtype=np.int64),
                                        frame["provider_code"].to_numpy(dtype=np.int64)) >= 2
    laws = _distinct_per_group(frame["household_id"].to_numpy(dtype=np.int64), law_code)
    fired[STACKING] = same_category | (laws >= params.stacking_laws)

    # high_cost
    fired[HIGH_COST] = _high_cost(law_code, frame["person_id"].to_numpy(dtype=np.int64),
                                  run_rate, params)

    # lighter_product
    lighter_code, lighter_label, lighter_tariff = _lighter(frame, ladder)
    fired[LIGHTER_PRODUCT] = ~np.isnan(lighter_tariff)
    savings[LIGHTER_PRODUCT] = _saving_with(frame, run_rate, fired[LIGHTER_PRODUCT],
                                            tariff=lighter_tariff)

    for rule in SHARE_RULES:
        savings[rule] = np.where(fired[rule], run_rate * share, 0.0)
    return RuleOutcome(run_rate=run_rate, fired=fired, savings=savings,
                       lighter_code=lighter_code, lighter_label=lighter_label,
                       intensity_volume=new_volume, utilisation=utilisation,
                       spell_start=spell.astype("datetime64[ns]"),
                       no_claims_since=no_claims_since)


def _high_cost(law_code: np.ndarray, person: np.ndarray, run_rate: np.ndarray,
               params: RuleParameters) -> np.ndarray:
    """Rows of persons among the top N of their law by run-rate (ties at the edge all count)
    or above the threshold."""
    if len(person) == 0:
        return np.zeros(0, dtype=bool)
    keys, inverse = np.unique(law_code * (int(person.max()) + 1) + person, return_inverse=True)
    totals = np.bincount(inverse, weights=run_rate)
    key_law = keys // (int(person.max()) + 1)
    per_person = pd.Series(totals)
    rank = per_person.groupby(key_law).rank(method="min", ascending=False).to_numpy()
    costly = (rank <= params.high_cost_top_n) | (totals > params.high_cost_threshold_cents)
    return costly[inverse]


def _saving_with(frame: pd.DataFrame, run_rate: np.ndarray, rows: np.ndarray, *,
                 volume: np.ndarray | None = None,
                 tariff: np.ndarray | None = None) -> np.ndarray:
    """Run-rate minus the run-rate with a new volume or tariff (costs.py), on `rows` only."""
    out = np.zeros(len(frame), dtype="float64")
    if not rows.any():
        return out
    changed = frame.loc[rows, ["start_date", "end_date", "volume", "unit", "frequency",
                               "tariff_cents", "budget_cents"]].copy()
    if volume is not None:
        changed["volume"] = volume[rows]
    if tariff is not None:
        changed["tariff_cents"] = tariff[rows].astype("float64")
    out[rows] = np.maximum(run_rate[rows] - annual_run_rates_cents(changed), 0.0)
    return out


def _lighter(frame: pd.DataFrame, ladder: ProductLadder
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row: the lighter product's code, label and tariff (NaN when none)."""
    n = len(frame)
    code = np.full(n, None, dtype=object)
    label = np.full(n, None, dtype=object)
    tariff = np.full(n, np.nan)
    unit = frame["unit"].to_numpy(dtype=object)
    tariffs = frame["tariff_cents"].to_numpy(dtype="float64")
    eligible = (~np.isnan(tariffs) & ~np.isnan(frame["volume"].to_numpy(dtype="float64"))
                & np.isnan(frame["budget_cents"].to_numpy(dtype="float64"))
                & (unit != EURO_UNIT))
    if not eligible.any() or not ladder:
        return code, label, tariff
    rows = np.flatnonzero(eligible)
    keys = frame["product_key"].to_numpy(dtype=np.int64)[rows]
    unique, first = np.unique(keys, return_index=True)
    law = frame["law"].to_numpy(dtype=object)
    category = frame["category"].to_numpy(dtype=object)
    product = frame["product_code"].to_numpy(dtype=object)
    picked: list[LadderStep | None] = []
    for i in rows[first]:
        # A legal measure or income support never has a lighter product, whatever the ladder.
        steps = ladder.get((law[i], category[i])) if may_have_ladder(
            str(law[i]), str(category[i])) else None
        picked.append(lighter_step(steps, _none(product[i]), _none(unit[i]), float(tariffs[i]))
                      if steps else None)
    lookup = np.empty(int(unique.max()) + 1, dtype=object)
    lookup[unique] = picked
    chosen = lookup[keys]
    found = np.array([s is not None for s in chosen], dtype=bool)
    code[rows[found]] = [s.product_code for s in chosen[found]]
    label[rows[found]] = [s.label for s in chosen[found]]
    tariff[rows[found]] = [s.tariff_cents for s in chosen[found]]
    return code, label, tariff


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value
