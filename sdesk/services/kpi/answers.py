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
from typing import Any

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
from sdesk.services.platform.cache import key, remember

ANSWER_KIND = "kpi_answer"
# A dashboard session asks a few dozen questions (quarters of the trends, periods, laws,
# teams); this many answers of about 2 kB each are kept, the oldest go first.
KEEP_ANSWERS = 400


def _question(engine: Engine, what: str, start: date, end: date, law: str | None,
              team: str | None, base_year: int | None) -> tuple[str, tuple[int, int, int]]:
    version = key(engine)
    return repr((what, version, start.isoformat(), end.isoformat(), law, team,
                 base_year)), version


def _kept(engine: Engine, what: str, start: date, end: date, law: str | None,
          team: str | None, base_year: int | None, compute: Any, to_record: Any,
          from_record: Any) -> Any:
    stored_key, version = _question(engine, what, start, end, law, team, base_year)

    def build() -> Any:
        found = stored_values.load_json(engine, ANSWER_KIND, stored_key)
        if found is not None:
            try:
                return from_record(found)
            except (KeyError, TypeError, ValueError):  # an older or damaged entry: compute
                pass
        value = compute()
        stored_values.save_json(engine, ANSWER_KIND, stored_key, to_record(value),
                                keep=KEEP_ANSWERS)
        return value
    return remember(f"{ANSWER_KIND}:{stored_key}", engine, version, build)


def compare_periods(engine: Engine, start: date, end: date, law: str | None = None,
                    team: str | None = None, base_year: int | None = None) -> KpiComparison:
    """The key figures of a period, the period before it and the same period a year earlier,
    and up to when the claims are complete (definitions.compute_comparison), kept per data
    version."""
    def compute() -> KpiComparison:
        from sdesk.services.kpi.definitions import compute_comparison

        return compute_comparison(engine, start, end, law, team, base_year)
    result: KpiComparison = _kept(engine, "comparison", start, end, law, team, base_year,
                                  compute, comparison_record, comparison_from_record)
    return result


def period_kpis(engine: Engine, start: date, end: date, law: str | None = None,
                team: str | None = None, base_year: int | None = None) -> Kpis:
    """definitions.compute_kpis of one period, kept per data version (the trends' quarters)."""
    def compute() -> Kpis:
        from sdesk.services.kpi.definitions import compute_kpis

        return compute_kpis(engine, start, end, law, team, base_year)
    result: Kpis = _kept(engine, "kpis", start, end, law, team, base_year, compute,
                         kpis_record, kpis_from_record)
    return result


def prepare_working_set(engine: Engine) -> None:
    """After an import or the demo: store the KPI working set (working_set.store_working_set)
    and the answers the dashboard and `sdesk kpi` open on: the last full year, for all laws
    together and for each law. A cache: any failure leaves them to the first reader and never
    fails the import that has committed."""
    from sdesk.services.kpi.working_set import kpi_data, store_working_set
    from sdesk.services.platform.periods import last_full_year
    from sdesk.services.platform.readers import last_day_with_data

    store_working_set(engine)
    try:
        until = last_day_with_data(engine)
        if until is None:
            return
        laws = sorted(kpi_data(engine).allocations["law"].unique().tolist())
        for law in (None, *laws):
            compare_periods(engine, *last_full_year(until), law)
    except Exception:  # noqa: BLE001 (a cache: the import stands, the reader computes)
        return
