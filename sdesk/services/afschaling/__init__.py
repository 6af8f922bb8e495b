"""Afschaling: the klantmanager's worklist of running allocations that may be stepped down,
shortened or stopped, its rules, what-if, decisions, business case and workbooks.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.afschaling.candidates import worklist as worklist
    from sdesk.services.afschaling.candidates import worklist_json as worklist_json
    from sdesk.services.afschaling.catalogue import rule_catalogue as rule_catalogue
    from sdesk.services.afschaling.catalogue import rule_explanation as rule_explanation
    from sdesk.services.afschaling.catalogue import rules_label as rules_label
    from sdesk.services.afschaling.credit import CREDITED_EMPLOYEE as CREDITED_EMPLOYEE
    from sdesk.services.afschaling.credit import credited_reviews as credited_reviews
    from sdesk.services.afschaling.decisions import DECISION_ALIASES as DECISION_ALIASES
    from sdesk.services.afschaling.decisions import DECISIONS as DECISIONS
    from sdesk.services.afschaling.decisions import ReviewRow as ReviewRow
    from sdesk.services.afschaling.decisions import WhatIf as WhatIf
    from sdesk.services.afschaling.decisions import decision_choices as decision_choices
    from sdesk.services.afschaling.decisions import decision_code as decision_code
    from sdesk.services.afschaling.decisions import record_decision as record_decision
    from sdesk.services.afschaling.decisions import review_history as review_history
    from sdesk.services.afschaling.decisions import what_if as what_if
    from sdesk.services.afschaling.inputs import (
        default_peildatum as default_peildatum,
    )
    from sdesk.services.afschaling.inputs import (
        prepare_default_inputs as prepare_default_inputs,
    )
    from sdesk.services.afschaling.ladder import LadderStep as LadderStep
    from sdesk.services.afschaling.ladder import default_ladder as default_ladder
    from sdesk.services.afschaling.ladders import (
        LADDER_SOURCE_LABELS as LADDER_SOURCE_LABELS,
    )
    from sdesk.services.afschaling.ladders import LadderProduct as LadderProduct
    from sdesk.services.afschaling.ladders import LadderRow as LadderRow
    from sdesk.services.afschaling.ladders import LadderRung as LadderRung
    from sdesk.services.afschaling.ladders import confirmed_ladder as confirmed_ladder
    from sdesk.services.afschaling.ladders import ladder_overview as ladder_overview
    from sdesk.services.afschaling.ladders import ladder_products as ladder_products
    from sdesk.services.afschaling.ladders import reset_ladder as reset_ladder
    from sdesk.services.afschaling.ladders import save_ladder as save_ladder
    from sdesk.services.afschaling.ladders import switch_off_ladder as switch_off_ladder
    from sdesk.services.afschaling.listing import Candidate as Candidate
    from sdesk.services.afschaling.listing import Worklist as Worklist
    from sdesk.services.afschaling.results import (
        BusinessCase as BusinessCase,
    )
    from sdesk.services.afschaling.results import (
        GroupResult as GroupResult,
    )
    from sdesk.services.afschaling.results import (
        OutcomeCount as OutcomeCount,
    )
    from sdesk.services.afschaling.results import (
        business_case as business_case,
    )
    from sdesk.services.afschaling.results import (
        business_case_json as business_case_json,
    )
    from sdesk.services.afschaling.rules import PRIORITY_RULES as PRIORITY_RULES
    from sdesk.services.afschaling.rules import RULE_IDS as RULE_IDS
    from sdesk.services.afschaling.rules import RULES as RULES
    from sdesk.services.afschaling.rules import RULES_BY_ID as RULES_BY_ID
    from sdesk.services.afschaling.rules import ReviewError as ReviewError
    from sdesk.services.afschaling.rules import RuleParameters as RuleParameters
    from sdesk.services.afschaling.vocabulary import DECISION_LABELS as DECISION_LABELS
    from sdesk.services.afschaling.vocabulary import decision_label as decision_label
    from sdesk.services.afschaling.workbook import (
        write_business_case_workbook as write_business_case_workbook,
    )
    from sdesk.services.afschaling.workbook import (
        write_worklist_workbook as write_worklist_workbook,
    )

_LAZY = {
    "credited_reviews": "credit",
    "CREDITED_EMPLOYEE": "credit",
    "confirmed_ladder": "ladders",
    "business_case": "results",
    "business_case_json": "results",
    "BusinessCase": "results",
    "Candidate": "listing",
    "decision_choices": "decisions",
    "decision_code": "decisions",
    "decision_label": "vocabulary",
    "DECISION_ALIASES": "decisions",
    "DECISION_LABELS": "vocabulary",
    "DECISIONS": "decisions",
    "default_ladder": "ladder",
    "default_peildatum": "inputs",
    "GroupResult": "results",
    "LADDER_SOURCE_LABELS": "ladders",
    "ladder_overview": "ladders",
    "ladder_products": "ladders",
    "LadderProduct": "ladders",
    "LadderRow": "ladders",
    "LadderRung": "ladders",
    "LadderStep": "ladder",
    "OutcomeCount": "results",
    "prepare_default_inputs": "inputs",
    "record_decision": "decisions",
    "reset_ladder": "ladders",
    "review_history": "decisions",
    "ReviewRow": "decisions",
    "ReviewError": "rules",
    "rule_catalogue": "catalogue",
    "rule_explanation": "catalogue",
    "RULE_IDS": "rules",
    "RuleParameters": "rules",
    "RULES": "rules",
    "RULES_BY_ID": "rules",
    "rules_label": "catalogue",
    "PRIORITY_RULES": "rules",
    "save_ladder": "ladders",
    "switch_off_ladder": "ladders",
    "what_if": "decisions",
    "WhatIf": "decisions",
    "worklist": "candidates",
    "Worklist": "listing",
    "worklist_json": "candidates",
    "write_business_case_workbook": "workbook",
    "write_worklist_workbook": "workbook",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
