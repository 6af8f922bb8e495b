"""What every import and the demo prepare for the controller's first figures (#17): the KPI
working set, the history's bounds and the kept answers the dashboard and `sdesk kpi` open on.
"""

from __future__ import annotations

from sqlalchemy import Engine

from sdesk.services.kpi.answers import compare_periods, period_kpis
from sdesk.services.kpi.trends import history_bounds, trend_window
from sdesk.services.kpi.working_set import kpi_data, store_working_set
from sdesk.services.platform.peildatum import last_day_with_data
from sdesk.services.platform.periods import last_full_year


def prepare_working_set(engine: Engine) -> None:
    """After an import or the demo: store the KPI working set (working_set.store_working_set)
    and the answers the dashboard, `sdesk kpi` and the council workbook open on: the
    history's bounds, the last full year for all laws together and for each law, and the
    trend's quarters. A cache: any failure leaves them to
    the first reader and never fails the import that has committed."""

    store_working_set(engine)
    try:
        until = last_day_with_data(engine)
        if until is None:
            return
        history_bounds(engine)
        laws = sorted(kpi_data(engine).allocations["law"].unique().tolist())
        for law in (None, *laws):
            compare_periods(engine, *last_full_year(until), law)
        # The trend's quarters (all laws, all teams): the dashboard's trends and the council
        # workbook ask for them first; computed here once (sixteen to twenty quarters, about
        # 25 s at g4) instead of in the first workbook after an import.
        window = trend_window(engine)
        for q0, q1 in window.quarters if window is not None else []:
            period_kpis(engine, q0, q1)
    except Exception:  # noqa: BLE001 (a cache: the import stands, the reader computes)
        return
