"""#17: what the data say about each budget line's selection is kept per data version
(budget/report.py, stored_values): a manual forecast typed on the screen and every later
process reuse it, while a change to the claims computes afresh. The figures are those of
test_budget.py's hand-computed line: EUR 455 a month in claims, 2 x 2 hours a week at EUR 70."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.budget import realisation
from sdesk.services.budget import report as budget_module
from sdesk.services.budget.report import budget_report, set_manual_forecast
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform import cache
from sdesk.services.platform.actor import SYSTEM
from tests.integration.budget.test_budget import AT, DATA
from tests.integration.exchange_data import write_folder

LINE = "Jeugd 45 berekend"


@pytest.fixture
def budget_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "b", DATA)]).ok
    return engine


def _refuse_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("computed, not read back")
    monkeypatch.setattr(realisation, "selection_figures", refuse)


def _line(engine: Engine) -> budget_module.BudgetRow:
    return {r.post: r for r in budget_report(engine, 2025, AT).lines}[LINE]


def test_a_manual_forecast_and_a_new_process_reuse_the_kept_figures(
        budget_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _line(budget_engine)
    assert (first.realisatie_cents, first.prognose_cents) == (273_000, 548_244)
    with monkeypatch.context() as m:
        _refuse_computing(m)
        set_manual_forecast(budget_engine, SYSTEM, 2025, LINE, 700_000)
        row = _line(budget_engine)
        assert (row.prognose_cents, row.prognose_source, row.computed_prognose_cents) == (
            700_000, "manual", 548_244)
        cache.forget(budget_engine, stored=False)  # a new process: nothing in memory
        again = budget_report(budget_engine, 2025, AT)
    cache.forget(budget_engine)  # everything from scratch
    assert again == budget_report(budget_engine, 2025, AT)


def test_a_change_to_the_claims_is_computed_afresh(budget_engine: Engine) -> None:
    assert _line(budget_engine).realisatie_cents == 273_000  # six months of EUR 455 in 2025
    with budget_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE claim SET amount_cents = amount_cents + 10000 "
                             "WHERE period_start = '2025-03-01'")
    cache.forget(budget_engine, stored=False)
    assert _line(budget_engine).realisatie_cents == 283_000  # EUR 100 more in March


def test_the_demo_prepares_the_running_year(engine: Engine,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from sdesk.services.demo.generator import generate_demo

    generate_demo(engine, size="tiny", seed=1)  # claims through 2026-10-31
    with engine.connect() as conn:
        keys = [k for (k,) in conn.exec_driver_sql(
            "SELECT key FROM stored_frame WHERE kind = 'budget_figures'").all()]
    assert len(keys) == 1 and "(2026, '2026-10-31'," in keys[0]
    cache.forget(engine, stored=False)  # a new process
    with monkeypatch.context() as m:
        _refuse_computing(m)
        kept = budget_report(engine, 2026)
    cache.forget(engine)
    assert kept == budget_report(engine, 2026)
    assert kept.realisatie_cents > 0
