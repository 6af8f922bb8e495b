"""Procescoördinatie: what the help around one household costs, coordination cases at T0
and T1, the portfolio, the cost map, the household directory and workbook.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.household.coordination import (
        BUCKET_LABELS as BUCKET_LABELS,
    )
    from sdesk.services.household.coordination import (
        CoordinationError as CoordinationError,
    )
    from sdesk.services.household.coordination import (
        Portfolio as Portfolio,
    )
    from sdesk.services.household.coordination import (
        PortfolioRow as PortfolioRow,
    )
    from sdesk.services.household.coordination import (
        default_evaluation_date as default_evaluation_date,
    )
    from sdesk.services.household.coordination import (
        evaluate_case as evaluate_case,
    )
    from sdesk.services.household.coordination import (
        portfolio as portfolio,
    )
    from sdesk.services.household.coordination import (
        start_case as start_case,
    )
    from sdesk.services.household.coordination import (
        update_case as update_case,
    )
    from sdesk.services.household.cost_map import (
        CostMapItem as CostMapItem,
    )
    from sdesk.services.household.cost_map import (
        delete_item as delete_item,
    )
    from sdesk.services.household.cost_map import (
        list_items as list_items,
    )
    from sdesk.services.household.cost_map import (
        save_item as save_item,
    )
    from sdesk.services.household.directory import (
        FREQUENCY_TEXT as FREQUENCY_TEXT,
    )
    from sdesk.services.household.directory import (
        AllocationRow as AllocationRow,
    )
    from sdesk.services.household.directory import (
        DatabaseCounts as DatabaseCounts,
    )
    from sdesk.services.household.directory import (
        HouseholdRow as HouseholdRow,
    )
    from sdesk.services.household.directory import (
        PersonRow as PersonRow,
    )
    from sdesk.services.household.directory import (
        database_counts as database_counts,
    )
    from sdesk.services.household.directory import (
        display_name as display_name,
    )
    from sdesk.services.household.directory import (
        household_members as household_members,
    )
    from sdesk.services.household.directory import (
        omvang_text as omvang_text,
    )
    from sdesk.services.household.directory import (
        person_allocations as person_allocations,
    )
    from sdesk.services.household.directory import (
        search_households as search_households,
    )
    from sdesk.services.household.overview import (
        HouseholdOverview as HouseholdOverview,
    )
    from sdesk.services.household.overview import (
        household_overview as household_overview,
    )
    from sdesk.services.household.overview import (
        overview_json as overview_json,
    )
    from sdesk.services.household.package import (
        FLAG_LABELS as FLAG_LABELS,
    )
    from sdesk.services.household.package import (
        AllocationLine as AllocationLine,
    )
    from sdesk.services.household.package import (
        CoordinationSummary as CoordinationSummary,
    )
    from sdesk.services.household.package import (
        InterventionLine as InterventionLine,
    )
    from sdesk.services.household.package import (
        MemberLine as MemberLine,
    )
    from sdesk.services.household.package import (
        PayerSaving as PayerSaving,
    )
    from sdesk.services.household.vocabulary import (
        STATUS_LABELS as STATUS_LABELS,
    )
    from sdesk.services.household.workbook import (
        bucket_savings as bucket_savings,
    )
    from sdesk.services.household.workbook import (
        category_text as category_text,
    )
    from sdesk.services.household.workbook import (
        flag_texts as flag_texts,
    )
    from sdesk.services.household.workbook import (
        member_names as member_names,
    )
    from sdesk.services.household.workbook import (
        municipal_and_other_cents as municipal_and_other_cents,
    )
    from sdesk.services.household.workbook import (
        omvang_text_of as omvang_text_of,
    )
    from sdesk.services.household.workbook import (
        payer_label as payer_label,
    )
    from sdesk.services.household.workbook import (
        payer_savings as payer_savings,
    )
    from sdesk.services.household.workbook import (
        payer_sort_key as payer_sort_key,
    )
    from sdesk.services.household.workbook import (
        write_household_workbook as write_household_workbook,
    )

_LAZY = {
    "AllocationLine": "package",
    "AllocationRow": "directory",
    "BUCKET_LABELS": "coordination",
    "bucket_savings": "workbook",
    "category_text": "workbook",
    "CoordinationError": "coordination",
    "CoordinationSummary": "package",
    "CostMapItem": "cost_map",
    "database_counts": "directory",
    "DatabaseCounts": "directory",
    "default_evaluation_date": "coordination",
    "delete_item": "cost_map",
    "display_name": "directory",
    "evaluate_case": "coordination",
    "FLAG_LABELS": "package",
    "flag_texts": "workbook",
    "FREQUENCY_TEXT": "directory",
    "household_members": "directory",
    "household_overview": "overview",
    "HouseholdOverview": "overview",
    "HouseholdRow": "directory",
    "InterventionLine": "package",
    "list_items": "cost_map",
    "member_names": "workbook",
    "MemberLine": "package",
    "municipal_and_other_cents": "workbook",
    "omvang_text": "directory",
    "omvang_text_of": "workbook",
    "overview_json": "overview",
    "payer_label": "workbook",
    "payer_savings": "workbook",
    "payer_sort_key": "workbook",
    "PayerSaving": "package",
    "person_allocations": "directory",
    "PersonRow": "directory",
    "Portfolio": "coordination",
    "portfolio": "coordination",
    "PortfolioRow": "coordination",
    "save_item": "cost_map",
    "search_households": "directory",
    "start_case": "coordination",
    "STATUS_LABELS": "vocabulary",
    "update_case": "coordination",
    "write_household_workbook": "workbook",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
