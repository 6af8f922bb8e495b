"""The rules by id: their Dutch titles and explanations with the user's parameters filled in,
for pickers, tooltips and the workbook's rule sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sdesk.services.afschaling.rules import (
    ENDING_SOON,
    HIGH_COST,
    HIGH_INTENSITY,
    LIGHTER_PRODUCT,
    LONG_DURATION,
    LOW_UTILISATION,
    NO_CLAIMS,
    OPEN_ENDED_UNREVIEWED,
    PRIORITY_RULES,
    RULE_IDS,
    RULES,
    RULES_BY_ID,
    STACKING,
    ReviewError,
    RuleParameters,
)
from sdesk.services.platform.text import euro


def rules_label(rule_ids: Sequence[str], separator: str = ", ") -> str:
    """The reasons, then the signals that only raise the priority: "Lage uitnutting;
    signaal: Hoge kosten" (screen, workbook)."""
    def title(r: str) -> str:
        return RULES_BY_ID[r].title if r in RULES_BY_ID else r

    reasons = separator.join(title(r) for r in rule_ids if r not in PRIORITY_RULES)
    signals = separator.join(title(r) for r in rule_ids if r in PRIORITY_RULES)
    if not signals:
        return reasons
    return f"{reasons}; signaal: {signals}" if reasons else f"signaal: {signals}"


def _num(value: float) -> str:
    """5.0 -> "5", 4.5 -> "4,5" (Dutch decimal comma)."""
    return f"{value:g}".replace(".", ",")


def rule_explanation(rule_id: str, params: RuleParameters | None = None) -> str:
    """The Dutch explanation of a rule with the parameter values filled in."""
    p = params or RuleParameters()
    share = f"Verwachte besparing: {_num(p.step_down_share_pct)} % van de jaarkosten."
    if rule_id == ENDING_SOON:
        return (f"De einddatum valt binnen {p.ending_soon_weeks} weken na de peildatum: er is "
                f"een besluit over verlengen nodig. {share}")
    if rule_id == OPEN_ENDED_UNREVIEWED:
        return (f"De toewijzing heeft geen einddatum en is in de laatste {p.open_ended_months} "
                f"maanden niet beoordeeld (gerekend vanaf de ingangsdatum of de laatste "
                f"beoordeling). {share}")
    if rule_id == LONG_DURATION:
        extra = "".join(f"; {law} {cat}: {m} maanden"
                        for (law, cat), m in sorted(p.long_duration_norms.items()))
        return (f"De cliënt krijgt aaneengesloten (overlappend of aansluitend) ondersteuning in "
                f"dezelfde categorie, langer dan de norm van {p.long_duration_months} maanden"
                f"{extra}. {share}")
    if rule_id == HIGH_INTENSITY:
        return (f"De omvang ligt boven de intensiteitsnorm: groepsondersteuning vanaf "
                f"{_num(p.group_norm_dagdelen)} dagdelen per week, individuele ondersteuning "
                f"vanaf {_num(p.individual_norm_hours)} uur per week, hulp bij het huishouden "
                f"meer dan {_num(p.household_help_max_hours)} uur per week. Verwachte "
                f"besparing: de jaarkosten boven de norm.")
    if rule_id == LOW_UTILISATION:
        return (f"Over de laatste {p.utilisation_months} maanden is minder dan "
                f"{_num(p.utilisation_min_pct)} % van de verplichting gedeclareerd. Verwachte "
                f"besparing: het ongebruikte deel van de jaarkosten.")
    if rule_id == NO_CLAIMS:
        return (f"De toewijzing loopt al langer dan {p.no_claims_months} maanden, maar in de "
                f"laatste {p.no_claims_months} maanden is er niets gedeclareerd. Verwachte "
                f"besparing: de hele jaarkosten.")
    if rule_id == STACKING:
        return (f"De cliënt heeft twee of meer lopende toewijzingen in dezelfde categorie bij "
                f"verschillende aanbieders, of het huishouden krijgt ondersteuning onder "
                f"{p.stacking_laws} wetten. {share}")
    if rule_id == HIGH_COST:
        return (f"De cliënt hoort bij de {p.high_cost_top_n} duurste cliënten van de wet naar "
                f"jaarkosten, of de jaarkosten van de cliënt binnen de wet zijn hoger dan "
                f"{euro(p.high_cost_threshold_cents, drop_zero_cents=True)}. {share}")
    if rule_id == LIGHTER_PRODUCT:
        source = "de eigen productladder" if p.ladder is not None else (
            "de productladder uit de tarieventabel")
        return (f"Op {source} staat in dezelfde categorie een goedkoper product met dezelfde "
                f"eenheid. Verwachte besparing: het verschil in jaarkosten.")
    raise ReviewError(f"Onbekende regel '{rule_id}'.")


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    explanation: str


def rule_catalogue(params: RuleParameters | None = None) -> list[RuleInfo]:
    """Every rule with its title and its explanation for these parameters (for pickers)."""
    return [RuleInfo(r.id, r.title, rule_explanation(r.id, params)) for r in RULES]


def check_rule_ids(rule_ids: Sequence[str]) -> tuple[str, ...]:
    """The rule ids without duplicates; ReviewError names any unknown id."""
    unknown = [r for r in rule_ids if r not in RULES_BY_ID]
    if unknown:
        raise ReviewError(f"Onbekende regel(s): {', '.join(unknown)}; kies uit "
                          f"{', '.join(RULE_IDS)}.")
    return tuple(dict.fromkeys(rule_ids))
