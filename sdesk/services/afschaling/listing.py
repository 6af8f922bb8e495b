"""What a worklist is made of: its filters, its rows as frozen candidates with the rules that
fired and the step-down they propose, and its summary (the computation is candidates.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from sdesk.services.afschaling.chances import DEFAULT_SOURCE, OWN_SOURCE, Chance
from sdesk.services.afschaling.ladder import ProductLadder
from sdesk.services.afschaling.rules import RULE_IDS, RuleParameters
from sdesk.services.afschaling.scope import SCOPE_TEXTS, STANDARD_SCOPE

UNIT_CODELIST = "WJ756"

# Columns of Worklist.frame (besides saving_<rule> per rule). Dates are datetime64 (NaT when
# absent), money int64 cents, volume float.
FRAME_COLUMNS = (
    "allocation_id", "toewijzingnummer", "law", "person", "person_name", "bsn", "category",
    "category_label", "product_code", "product_description", "provider", "employee", "team",
    "start_date", "end_date", "volume", "unit", "frequency", "omvang", "tariff_cents",
    "budget_cents", "annual_cost_cents", "rules", "new_rules", "expected_saving_cents",
    "lead_rule", "proposal_kind", "proposed_product_code", "proposed_volume",
    "proposed_end_date", "proposal", "utilisation", "spell_start", "last_review_date",
    "last_decision", "saving_if_done_cents", "chance", "chance_source", "chance_decisions",
)
PROPOSAL_KINDS = {"product": "Lichter product", "volume": "Lagere omvang",
                  "stop": "Beëindigen", "end": "Niet verlengen", "review": "Herbeoordelen"}


@dataclass(frozen=True)
class WorklistFilters:
    law: str | None = None
    team: str | None = None
    employee: str | None = None
    rule: str | None = None
    scope: str = STANDARD_SCOPE
    everything: bool = False  # every candidate, not only what the team reviews at capacity

    def text(self) -> str:
        """The filters as one line for a header, 'geen' when there are none."""
        parts = [f"{label} {value}" for label, value in (
            ("wet", self.law), ("team", self.team), ("medewerker", self.employee),
            ("regel", self.rule),
            ("lijst", self.scope if self.scope != STANDARD_SCOPE else None),
            ("omvang", "alle kandidaten" if self.everything else None)) if value]
        return "; ".join(parts) or "geen"

    @property
    def scope_text(self) -> str:
        """What the list holds, in Dutch (shown above the list and in the JSON)."""
        return SCOPE_TEXTS[self.scope]


@dataclass(frozen=True)
class StepDown:
    kind: str  # product, volume, stop, end or review (PROPOSAL_KINDS)
    text: str  # Dutch, for the screen
    product_code: str | None = None
    volume: float | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class FiredRule:
    id: str
    title: str
    explanation: str
    saving_cents: int


@dataclass(frozen=True)
class Candidate:
    allocation_id: int
    toewijzingnummer: str
    law: str
    person: str  # source person id, or the pseudonym for the controller
    person_name: str | None  # None for roles that do not see identity
    bsn: str | None  # idem
    category: str
    category_label: str | None
    product_code: str | None
    product_description: str | None
    provider: str | None
    employee: str | None
    team: str | None
    start: date
    end: date | None
    volume: float | None
    unit: str | None
    frequency: str | None
    omvang: str
    annual_cost_cents: int
    rules: tuple[str, ...]
    fired: tuple[FiredRule, ...]  # in registry order, with explanation and saving
    new_rules: tuple[str, ...]  # rules not among a recent review's rules (re-entry)
    expected_saving_cents: int
    lead_rule: str
    proposal: StepDown
    utilisation: float | None
    last_review_date: date | None
    last_decision: str | None
    saving_if_done_cents: int = 0  # the lead rule's saving if the step-down is done
    chance: float = 1.0  # of a step-down for the lead rule's reason (0..1)
    chance_source: str = DEFAULT_SOURCE
    chance_decisions: int = 0  # own decisions the chance rests on (0: a default)

    @property
    def chance_text(self) -> str:
        """'15 % (standaard)' or '32 % (uit 41 eigen besluiten)'."""
        return chance_label(self.chance, self.chance_source, self.chance_decisions)

    @property
    def explanations(self) -> tuple[str, ...]:
        """The explanation of every rule that fired, in registry order."""
        return tuple(f.explanation for f in self.fired)


@dataclass(frozen=True)
class WorklistSummary:
    candidates: int
    expected_saving_total_cents: int
    annual_cost_total_cents: int
    by_rule: dict[str, int]  # every rule id, in registry order; 0 when it fired nowhere
    # expected_saving_total_cents is probability-weighted (chance x saving if done).
    saving_if_done_total_cents: int = 0
    capacity_per_month: int = 0  # reviews a team does in a month (reviews/fte x fte)
    capacity_saving_cents: int = 0  # expected saving of the first month's reviews
    running_allocations: int = 0  # every allocation active on the peildatum, all lists
    running_annual_cost_cents: int = 0  # their annual run-rate
    chances: dict[str, Chance] = field(default_factory=dict)  # per rule id
    # Every candidate before the list was cut to the team's capacity, and their saving.
    qualifying: int = 0
    qualifying_expected_saving_cents: int = 0
    team_fte: float = 1.0  # the capacity's fte (the klantmanagers the list is for)
    capacity_months: int = 1  # the list holds this many months of the team's work

    @property
    def months_of_work(self) -> float | None:
        """How many months the team needs for every candidate at its capacity."""
        return self.qualifying / self.capacity_per_month if self.capacity_per_month else None

    @property
    def beyond_capacity(self) -> int:
        """Candidates not on the list because the team cannot review them in time."""
        return max(0, self.qualifying - self.candidates)


@dataclass(frozen=True, eq=False)
class Worklist:
    at: date
    params: RuleParameters
    filters: WorklistFilters
    sees_identity: bool
    frame: pd.DataFrame
    summary: WorklistSummary
    explanations: dict[str, str]  # rule id -> Dutch explanation with these parameters
    # The product ladder the rules used (the user's, or the default one of the products used
    # around the peildatum); the what-if panel offers its lighter rungs.
    ladder: ProductLadder

    def __len__(self) -> int:
        return len(self.frame)

    @cached_property
    def _columns(self) -> dict[str, np.ndarray]:
        """The frame's columns as arrays (reading one row of a DataFrame is slow)."""
        return {str(name): column.to_numpy() for name, column in self.frame.items()}

    @cached_property
    def rows(self) -> tuple[Candidate, ...]:
        """Every row as a Candidate: for small lists and tests (tens of thousands of
        candidates take seconds; a table builds the rows it shows with `candidate`)."""
        return tuple(self.candidate(i) for i in range(len(self.frame)))

    def find(self, toewijzingnummer: str, law: str | None = None) -> int | None:
        """The row of the allocation (of the law, when given), or None."""
        hits = self.frame["toewijzingnummer"].to_numpy(dtype=object) == toewijzingnummer
        if law is not None:
            hits &= self.frame["law"].to_numpy(dtype=object) == law
        found = np.flatnonzero(hits)
        return int(found[0]) if len(found) else None

    def candidate(self, index: int) -> Candidate:
        """Row `index` of the sorted worklist as a frozen Candidate (for lazy table models)."""
        from sdesk.services.afschaling.rules import RULES_BY_ID

        c = self._columns

        def r(name: str) -> Any:
            return c[name][index]

        rules = tuple(r("rules").split(",")) if r("rules") else ()
        fired = tuple(FiredRule(rid, RULES_BY_ID[rid].title, self.explanations[rid],
                                int(c[_SAVING[rid]][index])) for rid in rules)
        return Candidate(
            allocation_id=int(r("allocation_id")), toewijzingnummer=r("toewijzingnummer"),
            law=r("law"), person=r("person"), person_name=_opt(r("person_name")),
            bsn=_opt(r("bsn")), category=r("category"), category_label=_opt(r("category_label")),
            product_code=_opt(r("product_code")),
            product_description=_opt(r("product_description")), provider=_opt(r("provider")),
            employee=_opt(r("employee")), team=_opt(r("team")), start=_day(r("start_date")),
            end=_opt_day(r("end_date")), volume=_opt_float(r("volume")), unit=_opt(r("unit")),
            frequency=_opt(r("frequency")), omvang=r("omvang"),
            annual_cost_cents=int(r("annual_cost_cents")), rules=rules, fired=fired,
            new_rules=tuple(r("new_rules").split(",")) if r("new_rules") else (),
            expected_saving_cents=int(r("expected_saving_cents")), lead_rule=r("lead_rule"),
            proposal=StepDown(r("proposal_kind"), r("proposal"),
                              _opt(r("proposed_product_code")),
                              _opt_float(r("proposed_volume")),
                              _opt_day(r("proposed_end_date"))),
            utilisation=_opt_float(r("utilisation")),
            last_review_date=_opt_day(r("last_review_date")),
            last_decision=_opt(r("last_decision")),
            saving_if_done_cents=int(r("saving_if_done_cents")), chance=float(r("chance")),
            chance_source=str(r("chance_source")),
            chance_decisions=int(r("chance_decisions")))


def chance_label(chance: float, source: str, decisions: int) -> str:
    """'15 % (standaard)' or '32 % (uit 41 eigen besluiten)'."""
    pct = f"{chance * 100:.0f} %"
    return f"{pct} (uit {decisions} eigen besluiten)" if source == OWN_SOURCE else (
        f"{pct} (standaard)")


_SAVING = {rid: f"saving_{rid}" for rid in RULE_IDS}


def _opt(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else value


def _opt_float(value: Any) -> float | None:
    return None if value is None or value != value else float(value)  # NaN != NaN


def _day(value: Any) -> date:
    return value if isinstance(value, date) else pd.Timestamp(value).date()


def _opt_day(value: Any) -> date | None:
    return None if value is None or value != value else _day(value)
