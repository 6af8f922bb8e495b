"""#17: the KPI working set (allocations, a year of claims per law) is kept in the database
file, so a new process reads it back; what it reads back gives the same figures as gathering
it again, and a change to the data is never answered from the old one."""

from __future__ import annotations

import ast
from datetime import date

from sqlalchemy import Engine

from sdesk.services.demo.generator import generate_demo
from sdesk.services.kpi import compare_periods, kpis_json
from sdesk.services.platform import cache


def add_euros_to_a_wmo_claim(engine: Engine) -> None:
    """EUR 1,000.00 more on one accepted Wmo claim of March 2025 (a write to a source table:
    the data version moves)."""
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE claim SET amount_cents = amount_cents + 100000 WHERE id = "
                             "(SELECT MIN(c.id) FROM claim c JOIN allocation a ON "
                             "a.id = c.allocation_id WHERE a.law = 'wmo' AND "
                             "c.period_start BETWEEN '2025-03-01' AND '2025-03-31' "
                             "AND c.rejected = 0)")


def _stored_kinds(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.exec_driver_sql(
            "SELECT kind, COUNT(*) FROM stored_frame WHERE kind LIKE 'kpi_%' GROUP BY kind"
        ).all())


def _figures(engine: Engine, law: str | None) -> dict[str, object]:
    return kpis_json(compare_periods(engine, date(2025, 1, 1), date(2025, 12, 31), law))


def test_a_new_process_reads_the_same_figures_back(engine: Engine) -> None:
    generate_demo(engine, size="tiny", seed=1)
    cache.forget(engine)
    gathered = {law: _figures(engine, law) for law in (None, "jeugd", "wmo")}
    kinds = _stored_kinds(engine)
    # The allocations once; 2025 and 2024 (previous period and a year earlier) per law.
    assert kinds["kpi_allocations"] == 1 and kinds["kpi_claims"] >= 6
    cache.forget(engine, stored=False)  # as a new process: nothing in memory
    assert {law: _figures(engine, law) for law in (None, "jeugd", "wmo")} == gathered

    add_euros_to_a_wmo_claim(engine)  # a change: the stored working set is not used for it
    cache.forget(engine, stored=False)
    changed = _figures(engine, "wmo")
    assert changed["realised_cost"] == gathered["wmo"]["realised_cost"] + 1000  # type: ignore[operator]
    cache.forget(engine)  # gathered from scratch
    assert _figures(engine, "wmo") == changed


def test_the_demo_prepares_what_the_dashboard_opens_on(engine: Engine) -> None:
    """Every year of the trend's quarters (the claims start in November 2021: 2022 to the
    running year 2026, which holds the last full year and its previous period) per law, and
    the allocations: stored by the demo (as by every import), read back by the first figures
    of a new process."""
    generate_demo(engine, size="tiny", seed=1)  # claims through 2026-10-31
    with engine.connect() as conn:
        keys = [k for (k,) in conn.exec_driver_sql(
            "SELECT key FROM stored_frame WHERE kind = 'kpi_claims'").all()]
    laws_years = {tuple(ast.literal_eval(k)[2:]) for k in keys}
    assert laws_years == {(law, year) for law in ("jeugd", "participatie", "wmo")
                          for year in range(2022, 2027)}
    assert _stored_kinds(engine)["kpi_allocations"] == 1


def test_the_complete_months_are_kept_per_law(engine: Engine) -> None:
    from sdesk.services.kpi import kpi_completeness
    from sdesk.services.kpi.lag import kpi_complete_through

    generate_demo(engine, size="tiny", seed=1)
    assert _stored_kinds(engine)["kpi_complete_through"] == 4  # all laws, and each law
    for law in (None, "jeugd", "wmo", "participatie"):
        cache.forget(engine, stored=False)
        stored = kpi_complete_through(engine, law)
        cache.forget(engine)
        assert stored == kpi_completeness(engine, law).complete_through
    # The demo's claims run to 2026-10-31 and arrive up to months late: not all complete.
    assert kpi_complete_through(engine, None) < date(2026, 10, 31)
