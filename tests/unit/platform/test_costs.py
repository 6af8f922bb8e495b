"""DESIGN section 4 pinned on hand-computed values."""

from __future__ import annotations

from datetime import date

import pytest

from sdesk.services.platform.costs import (
    CostBasis,
    annual_run_rate_cents,
    commitment_cents,
    daily_rate_cents,
)


def test_per_week() -> None:
    # 2 uur per week at EUR 78,00: 2 x 7800 x 52 / 365 cents a day.
    basis = CostBasis(date(2024, 3, 4), date(2024, 6, 30), volume=2, unit="04",
                      frequency="2", tariff_cents=7800)
    assert daily_rate_cents(basis) == pytest.approx(2 * 7800 * 52 / 365)
    assert annual_run_rate_cents(basis) == pytest.approx(811_200)  # 2 x 78 x 52 euro
    # 2024-03-04..2024-06-30 is 28 + 30 + 31 + 30 = 119 days.
    assert commitment_cents(basis, date(2024, 1, 1), date(2024, 12, 31)) == pytest.approx(
        2 * 7800 * 52 / 365 * 119)


def test_per_day_and_per_month() -> None:
    per_day = CostBasis(date(2024, 1, 1), None, volume=1, unit="14", frequency="1",
                        tariff_cents=25000)
    assert daily_rate_cents(per_day) == pytest.approx(25000)
    # Open-ended: commitment over January is 31 days.
    assert commitment_cents(per_day, date(2024, 1, 1), date(2024, 1, 31)) == pytest.approx(
        775_000)
    per_month = CostBasis(date(2024, 1, 1), None, volume=10, unit="04", frequency="4",
                          tariff_cents=6000)
    assert annual_run_rate_cents(per_month) == pytest.approx(10 * 6000 * 12)


def test_total_within_period_and_budget() -> None:
    # Frequentie 6: 40 uur x EUR 75 over 2024-01-01..2024-04-09 (100 days).
    total = CostBasis(date(2024, 1, 1), date(2024, 4, 9), volume=40, unit="04", frequency="6",
                      tariff_cents=7500)
    assert daily_rate_cents(total) == pytest.approx(40 * 7500 / 100)
    assert commitment_cents(total, date(2024, 3, 1), date(2024, 12, 31)) == pytest.approx(
        3000 * 40)  # 31 March days + 9 April days = 40
    budget = CostBasis(date(2024, 1, 1), date(2024, 12, 31), budget_cents=366_000)
    assert daily_rate_cents(budget) == pytest.approx(1000)
    assert annual_run_rate_cents(budget) == pytest.approx(365_000)


def test_euro_unit_uses_one_euro_tariff() -> None:
    bijstand = CostBasis(date(2024, 1, 1), None, volume=1300, unit="83", frequency="4",
                         tariff_cents=None)
    assert annual_run_rate_cents(bijstand) == pytest.approx(1300 * 100 * 12)


def test_range_outside_allocation_commits_nothing() -> None:
    basis = CostBasis(date(2024, 1, 1), date(2024, 1, 31), volume=1, unit="04",
                      frequency="1", tariff_cents=100)
    assert commitment_cents(basis, date(2024, 2, 1), date(2024, 2, 28)) == 0
    # Both ends inclusive: a one-day overlap counts one day.
    assert commitment_cents(basis, date(2024, 1, 31), date(2024, 2, 28)) == pytest.approx(100)
