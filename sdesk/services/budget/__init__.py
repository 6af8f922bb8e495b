"""Begroting: budget against realisation and forecast per post, manual forecasts and
explanations.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.budget.realisation import (
        cumulative_realisation as cumulative_realisation,
    )
    from sdesk.services.budget.report import (
        BudgetReport as BudgetReport,
    )
    from sdesk.services.budget.report import (
        BudgetRow as BudgetRow,
    )
    from sdesk.services.budget.report import (
        budget_json as budget_json,
    )
    from sdesk.services.budget.report import (
        budget_report as budget_report,
    )
    from sdesk.services.budget.report import (
        prepare_budget as prepare_budget,
    )
    from sdesk.services.budget.report import (
        report_peildatum as report_peildatum,
    )
    from sdesk.services.budget.report import (
        set_explanation as set_explanation,
    )
    from sdesk.services.budget.report import (
        set_manual_forecast as set_manual_forecast,
    )
    from sdesk.services.budget.selection import (
        LineSelection as LineSelection,
    )
    from sdesk.services.budget.selection import (
        find_overlaps as find_overlaps,
    )
    from sdesk.services.budget.selection import (
        overlap_message as overlap_message,
    )

_LAZY = {
    "budget_json": "report",
    "budget_report": "report",
    "prepare_budget": "report",
    "BudgetReport": "report",
    "BudgetRow": "report",
    "cumulative_realisation": "realisation",
    "set_explanation": "report",
    "find_overlaps": "selection",
    "LineSelection": "selection",
    "overlap_message": "selection",
    "report_peildatum": "report",
    "set_manual_forecast": "report",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
