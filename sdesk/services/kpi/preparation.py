"""What every import and the demo prepare for the controller's first figures (#17): the KPI
working set, the history's bounds and the kept answers the dashboard and `sdesk kpi` open on.
"""

from __future__ import annotations

from sqlalchemy import Engine

from sdesk.services.kpi.answers import compare_periods
from sdesk.services.kpi.trends import history_bounds
from sdesk.services.kpi.working_set import kpi_data, store_working_set
from sdesk.services.platform.peildatum import last_day_with_data
from sdesk.services.platform.periods import last_full_year


def prepare_working_set(engine: Engine) -> None:
    """After an import or the demo: store the KPI working set (working_set.store_working_set)
    and the answers the dashboard and `sdesk kpi` open on: the history's bounds and the last
    full year, for all laws together and for each law. A cache: any failure leaves them to
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
    except Exception:  # noqa: BLE001 (a cache: the import stands, the reader computes)
        return
