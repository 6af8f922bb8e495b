"""The decisions' Dutch words, without the services behind them: the decision panel shows them
before pandas and the database layer have loaded (a test keeps the start-up free of them).
The codes are models.enums.Decision's values (a test holds them together)."""

from __future__ import annotations

DECISION_LABELS = {
    "continue": "Ongewijzigd voortzetten",
    "scale_down": "Afschalen",
    "stop": "Beëindigen",
    "to_general_provision": "Naar voorliggend veld",
    "to_other_law": "Naar andere wet (Wlz, Zvw)",
}


def decision_label(decision: str) -> str:
    """The Dutch label of a decision; the code itself when unknown."""
    return DECISION_LABELS.get(decision, decision)
