"""Date windows used by more than one figure."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """Same day `months` later (or earlier), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def last_twelve_months(at: date) -> tuple[date, date]:
    """The twelve months ending on `at`, both ends inclusive: 2025-06-30 -> 2024-07-01."""
    return add_months(at, -12) + timedelta(days=1), at


def month_end(year: int, month: int) -> date:
    """The last day of a month: (2024, 2) -> 2024-02-29."""
    return date(year, month, calendar.monthrange(year, month)[1])
