"""KPI answers kept per data version (DESIGN section 5; issue 17).

The figures of a period are a function of the source data and the question (period, law,
team, base year). Once computed they are kept in the database file (stored_values) against
the one cache key, so every later process asking the same question of the same data -- the
`sdesk kpi` command, the dashboard after a restart, the council workbook -- reads them back
instead of computing them again, and an import prepares the questions the dashboard opens
on. The key moves with every write to a source table (platform.cache), so a kept answer is
never one of older data. Reading an answer back needs neither pandas nor the working set.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from sdesk.services.kpi.results import (
    KpiComparison,
    Kpis,
    comparison_from_record,
    comparison_record,
    kpis_from_record,
    kpis_record,
)
from sdesk.services.platform import stored_values

ANSWER_KIND = "kpi_answer"
# A dashboard session asks a few dozen questions (quarters of the trends, periods, laws,
# teams); this many answers of about 2 kB each are kept, the oldest go first.
KEEP_ANSWERS = 400


def compare_periods(engine: Engine, start: date, end: date, law: str | None = None,
                    team: str | None = None, base_year: int | None = None) -> KpiComparison:
    """The key figures of a period, the period before it and the same period a year earlier,
    and up to when the claims are complete (definitions.compute_comparison), kept per data
    version."""
    def compute() -> KpiComparison:
        from sdesk.services.kpi.definitions import compute_comparison

        return compute_comparison(engine, start, end, law, team, base_year)
    question = ("comparison", start.isoformat(), end.isoformat(), law, team, base_year)
    return stored_values.kept(engine, ANSWER_KIND, question, compute, comparison_record,
                              comparison_from_record, KEEP_ANSWERS)


def period_kpis(engine: Engine, start: date, end: date, law: str | None = None,
                team: str | None = None, base_year: int | None = None) -> Kpis:
    """definitions.compute_kpis of one period, kept per data version (the trends' quarters)."""
    def compute() -> Kpis:
        from sdesk.services.kpi.definitions import compute_kpis

        return compute_kpis(engine, start, end, law, team, base_year)
    question = ("kpis", start.isoformat(), end.isoformat(), law, team, base_year)
    return stored_values.kept(engine, ANSWER_KIND, question, compute, kpis_record,
                              kpis_from_record, KEEP_ANSWERS)


def prepare_working_set(engine: Engine) -> None:
    """After an import or the demo: store the KPI working set (working_set.store_working_set)
    and the answers the dashboard and `sdesk kpi` open on: the history's bounds and the last
    full year, for all laws together and for each law. A cache: any failure leaves them to
    the first reader and never fails the import that has committed."""
    from sdesk.services.kpi.working_set import kpi_data, store_working_set
    from sdesk.services.platform.peildatum import last_day_with_data
    from sdesk.services.platform.periods import last_full_year

    store_working_set(engine)
    try:
        until = last_day_with_data(engine)
        if until is None:
            return
        from sdesk.services.kpi.trends import history_bounds

        history_bounds(engine)
        laws = sorted(kpi_data(engine).allocations["law"].unique().tolist())
        for law in (None, *laws):
            compare_periods(engine, *last_full_year(until), law)
    except Exception:  # noqa: BLE001 (a cache: the import stands, the reader computes)
        return
