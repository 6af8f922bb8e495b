"""Trend series, on the data set of test_kpis (its docstring has the picture)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.exchange.importer import import_sources
from sdesk.services.kpi.definitions import compute_kpis
from sdesk.services.kpi.trends import monthly_trend, quarterly_kpis, quarters
from tests.integration.exchange_data import write_folder
from tests.integration.kpi.test_kpis import DATA


@pytest.fixture
def kpi_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "kpi", DATA)]).ok
    return engine


def test_monthly_realisation_and_clients(kpi_engine: Engine) -> None:
    trend = monthly_trend(kpi_engine, date(2025, 1, 1), date(2025, 3, 31), "jeugd")
    rows = {r.month.month: r for r in trend.frame.itertuples()}
    # January: D1 2000 + E1 100; February: A1 1000 + E1 100; March: A1 1000 + B2 500.
    assert [rows[m].realised_cents for m in (1, 2, 3)] == [210_000, 110_000, 150_000]
    # Active jeugd clients: Jan D E H; Feb A D E H; Mar A B C D E H.
    assert [rows[m].clients for m in (1, 2, 3)] == [3, 4, 6]
    assert trend.base_year == 2024
    assert rows[1].constant_cents == round(210_000 / 1.05)


def test_summary_follows_new_data(kpi_engine: Engine, tmp_path: Path) -> None:
    first = monthly_trend(kpi_engine, date(2025, 5, 1), date(2025, 5, 31), "jeugd")
    assert first.frame["realised_cents"].sum() == 0
    more = {"declaraties": [DATA["declaraties"][0],
                            ["X1", "C2", "jeugd", "2025-05-01", "2025-05-31", "300"]]}
    assert import_sources(kpi_engine, [write_folder(tmp_path / "more", more)]).ok
    again = monthly_trend(kpi_engine, date(2025, 5, 1), date(2025, 5, 31), "jeugd")
    assert again.frame["realised_cents"].sum() == 30_000


def test_quarters_use_the_one_kpi_definition(kpi_engine: Engine) -> None:
    assert quarters(date(2025, 1, 1), date(2025, 6, 30)) == [
        (date(2025, 1, 1), date(2025, 3, 31)), (date(2025, 4, 1), date(2025, 6, 30))]
    q1, q2 = quarterly_kpis(kpi_engine, date(2025, 1, 1), date(2025, 6, 30), "jeugd")
    assert q1 == compute_kpis(kpi_engine, date(2025, 1, 1), date(2025, 3, 31), "jeugd")
    assert q1.realised_cost_cents + q2.realised_cost_cents == 505_000


def test_drilldown_rows_add_up_to_the_figure(kpi_engine: Engine) -> None:
    from sdesk.services.kpi.breakdown import drilldown
    from sdesk.services.platform.actor import SYSTEM, Actor

    p0, p1 = date(2025, 1, 1), date(2025, 6, 30)
    k = compute_kpis(kpi_engine, p0, p1, "jeugd")
    cost = drilldown(kpi_engine, SYSTEM, p0, p1, "cost", law="jeugd")
    assert sum(r.realised_cents for r in cost) == k.realised_cost_cents == 505_000
    assert cost[0].realised_cents == 200_000
    clients = drilldown(kpi_engine, SYSTEM, p0, p1, "clients", law="jeugd")
    assert len({r.person for r in clients}) == k.clients == 7
    assert {r.person for r in drilldown(kpi_engine, SYSTEM, p0, p1, "inflow",
                                        law="jeugd")} == {"A", "C", "F"}
    assert {r.person for r in drilldown(kpi_engine, SYSTEM, p0, p1, "outflow",
                                        law="jeugd")} == {"A", "F", "H"}
    by_referrer = drilldown(kpi_engine, SYSTEM, p0, p1, "cost", law="jeugd", referrer="08")
    assert [r.toewijzingnummer for r in by_referrer] == ["D1"]
    hidden = drilldown(kpi_engine, Actor("Carla", "controller"), p0, p1, "clients",
                       law="jeugd")
    assert all(r.person.startswith("P-") for r in hidden)


def test_one_trend_window(kpi_engine: Engine) -> None:
    """From the first month with claims (January 2025; allocations go back to 2024, but a line
    from zero would mislead) to the last day with data (D2's November claim), with only the
    quarters that lie wholly inside: Q4 2025 ends after 30 November."""
    from sdesk.services.kpi import trend_window

    window = trend_window(kpi_engine, "jeugd")
    assert window is not None
    assert (window.first_month, window.last_day) == (date(2025, 1, 1), date(2025, 11, 30))
    assert window.quarters == [(date(2025, 1, 1), date(2025, 3, 31)),
                               (date(2025, 4, 1), date(2025, 6, 30)),
                               (date(2025, 7, 1), date(2025, 9, 30))]
    # The council workbook's period end and an explicit start: Q4 2024 starts before November.
    council = trend_window(kpi_engine, "jeugd", end=date(2025, 6, 30), start=date(2024, 11, 15))
    assert council is not None and council.first_month == date(2024, 11, 1)
    assert council.quarters == [(date(2025, 1, 1), date(2025, 3, 31)),
                                (date(2025, 4, 1), date(2025, 6, 30))]


def test_no_trend_window_without_data(engine: Engine) -> None:
    from sdesk.services.kpi import trend_window

    assert trend_window(engine) is None
