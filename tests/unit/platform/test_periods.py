"""The previous period and the same period a year earlier, defined once (#15 item 4)."""

from __future__ import annotations

from datetime import date

import pytest

from sdesk.services.platform.periods import previous_period, year_earlier

D = date


@pytest.mark.parametrize(("start", "end", "expected"), [
    # a calendar year: the year before (the old rule gave 2 January to 31 December 2024)
    (D(2025, 1, 1), D(2025, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
    # a leap year before a common one and back
    (D(2024, 1, 1), D(2024, 12, 31), (D(2023, 1, 1), D(2023, 12, 31))),
    # quarters: Q2 -> Q1 (91 days against 90), Q1 -> Q4 of the year before
    (D(2025, 4, 1), D(2025, 6, 30), (D(2025, 1, 1), D(2025, 3, 31))),
    (D(2025, 1, 1), D(2025, 3, 31), (D(2024, 10, 1), D(2024, 12, 31))),
    # half-years: H1 2024 -> H2 2023
    (D(2024, 1, 1), D(2024, 6, 30), (D(2023, 7, 1), D(2023, 12, 31))),
    # one month: March 2024 -> February 2024 (29 days), February -> January
    (D(2024, 3, 1), D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
    (D(2025, 2, 1), D(2025, 2, 28), (D(2025, 1, 1), D(2025, 1, 31))),
    # arbitrary days: the same number of days just before
    (D(2025, 3, 10), D(2025, 3, 19), (D(2025, 2, 28), D(2025, 3, 9))),
    (D(2025, 1, 2), D(2025, 12, 31), (D(2024, 1, 4), D(2025, 1, 1))),  # 364 days
    (D(2025, 6, 30), D(2025, 6, 30), (D(2025, 6, 29), D(2025, 6, 29))),
])
def test_previous_period(start: date, end: date, expected: tuple[date, date]) -> None:
    assert previous_period(start, end) == expected


@pytest.mark.parametrize(("start", "end", "expected"), [
    (D(2025, 1, 1), D(2025, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),
    (D(2025, 2, 1), D(2025, 2, 28), (D(2024, 2, 1), D(2024, 2, 29))),
    (D(2024, 2, 1), D(2024, 2, 29), (D(2023, 2, 1), D(2023, 2, 28))),
    (D(2025, 3, 10), D(2025, 3, 19), (D(2024, 3, 10), D(2024, 3, 19))),
])
def test_year_earlier(start: date, end: date, expected: tuple[date, date]) -> None:
    assert year_earlier(start, end) == expected
