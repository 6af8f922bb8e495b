"""The controller's figures: KPI definitions, trends, team figures and the breakdown behind
every figure.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.kpi.answers import (
        compare_periods as compare_periods,
    )
    from sdesk.services.kpi.answers import (
        period_kpis as period_kpis,
    )
    from sdesk.services.kpi.breakdown import (
        DrillRow as DrillRow,
    )
    from sdesk.services.kpi.breakdown import (
        drilldown as drilldown,
    )
    from sdesk.services.kpi.definitions import (
        compute_kpis as compute_kpis,
    )
    from sdesk.services.kpi.definitions import (
        merged_spells as merged_spells,
    )
    from sdesk.services.kpi.drilldown_workbook import (
        category_text as category_text,
    )
    from sdesk.services.kpi.drilldown_workbook import (
        referrer_text as referrer_text,
    )
    from sdesk.services.kpi.drilldown_workbook import (
        write_drilldown_workbook as write_drilldown_workbook,
    )
    from sdesk.services.kpi.lag import kpi_completeness as kpi_completeness
    from sdesk.services.kpi.lag import provisional_spans as provisional_spans
    from sdesk.services.kpi.preparation import (
        prepare_working_set as prepare_working_set,
    )
    from sdesk.services.kpi.results import (
        KPI_LABELS as KPI_LABELS,
    )
    from sdesk.services.kpi.results import (
        MONEY as MONEY,
    )
    from sdesk.services.kpi.results import (
        PERSON_COUNTS as PERSON_COUNTS,
    )
    from sdesk.services.kpi.results import (
        SHARES as SHARES,
    )
    from sdesk.services.kpi.results import (
        KpiComparison as KpiComparison,
    )
    from sdesk.services.kpi.results import (
        Kpis as Kpis,
    )
    from sdesk.services.kpi.results import (
        kpis_json as kpis_json,
    )
    from sdesk.services.kpi.teams import (
        TeamRow as TeamRow,
    )
    from sdesk.services.kpi.teams import (
        team_kpis as team_kpis,
    )
    from sdesk.services.kpi.text_report import kpis_text as kpis_text
    from sdesk.services.kpi.trends import TrendWindow as TrendWindow
    from sdesk.services.kpi.trends import full_quarters as full_quarters
    from sdesk.services.kpi.trends import (
        history_bounds as history_bounds,
    )
    from sdesk.services.kpi.trends import (
        monthly_trend as monthly_trend,
    )
    from sdesk.services.kpi.trends import (
        quarterly_kpis as quarterly_kpis,
    )
    from sdesk.services.kpi.trends import (
        quarters as quarters,
    )
    from sdesk.services.kpi.trends import trend_window as trend_window

_LAZY = {
    "prepare_working_set": "preparation",
    "category_text": "drilldown_workbook",
    "compare_periods": "answers",
    "period_kpis": "answers",
    "compute_kpis": "definitions",
    "drilldown": "breakdown",
    "DrillRow": "breakdown",
    "history_bounds": "trends",
    "KPI_LABELS": "results",
    "KpiComparison": "results",
    "Kpis": "results",
    "kpis_json": "results",
    "kpi_completeness": "lag",
    "kpis_text": "text_report",
    "provisional_spans": "lag",
    "merged_spells": "definitions",
    "MONEY": "results",
    "monthly_trend": "trends",
    "PERSON_COUNTS": "results",
    "quarterly_kpis": "trends",
    "quarters": "trends",
    "referrer_text": "drilldown_workbook",
    "SHARES": "results",
    "team_kpis": "teams",
    "TeamRow": "teams",
    "write_drilldown_workbook": "drilldown_workbook",
    "trend_window": "trends",
    "TrendWindow": "trends",
    "full_quarters": "trends",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
