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
