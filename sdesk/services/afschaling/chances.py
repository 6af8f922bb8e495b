"""The chance that a review for a rule's reason ends in a step-down, per rule.

Expected saving = chance x saving if done. The chance of a rule comes from the municipality's
own recorded decisions once there are enough of them: of the reviews on or before the
peildatum whose rules include the rule (a review records every rule that fired, not only the
leading one), the share that decided a step-down (`STEP_DOWN_DECISIONS`). Below
`RuleParameters.chance_min_decisions` such reviews (20) the conservative default of
`RuleParameters.default_chances_pct` counts (rules.DEFAULT_CHANCES_PCT). Both are shown, so a
reader sees whether a figure rests on guesses or on the municipality's own record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from sdesk.services.afschaling.rules import DEFAULT_CHANCES_PCT, RULE_IDS, RuleParameters
from sdesk.services.platform.readers import fetch_rows

STEP_DOWN_DECISIONS = frozenset({"scale_down", "stop", "to_general_provision",
                                 "to_other_law"})
DEFAULT_SOURCE = "standaard"
OWN_SOURCE = "eigen besluiten"


@dataclass(frozen=True)
class Chance:
    """The chance of a step-down for one rule (0..1), where it comes from and on how many of
    the municipality's own decisions it rests (0 for a default)."""

    rule: str
    value: float
    source: str  # DEFAULT_SOURCE or OWN_SOURCE
    decisions: int = 0
    step_downs: int = 0
    recorded: int = 0  # own decisions so far (also when too few to count)

    @property
    def text(self) -> str:
        """'kans 15 % (standaard)' or 'kans 32 % (uit 41 eigen besluiten)'."""
        pct = f"{self.value * 100:.0f} %"
        if self.source == OWN_SOURCE:
            return f"kans {pct} (uit {self.decisions} eigen besluiten)"
        return f"kans {pct} (standaard)"


def rule_chances(engine: Engine, at: date, params: RuleParameters) -> dict[str, Chance]:
    """Per rule id (registry order) its chance on `at` (see the module docstring)."""
    counts = {r: [0, 0] for r in RULE_IDS}  # reviews, step-downs
    for rules, decision in fetch_rows(
            engine, "SELECT rules, decision FROM review WHERE review_date <= ?",
            (at.isoformat(),)):
        down = decision in STEP_DOWN_DECISIONS
        for rule in {r for r in (rules or "").split(",") if r in counts}:
            counts[rule][0] += 1
            counts[rule][1] += down
    out: dict[str, Chance] = {}
    for rule in RULE_IDS:
        n, k = counts[rule]
        if n >= params.chance_min_decisions:
            out[rule] = Chance(rule, k / n, OWN_SOURCE, n, k, n)
        else:
            pct = params.default_chances_pct.get(rule, DEFAULT_CHANCES_PCT[rule])
            out[rule] = Chance(rule, pct / 100.0, DEFAULT_SOURCE, 0, 0, n)
    return out
