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


def last_full_year(data_end: date) -> tuple[date, date]:
    """The last calendar year the data cover whole: what the dashboard opens on."""
    year = data_end.year if (data_end.month, data_end.day) == (12, 31) else data_end.year - 1
    return date(year, 1, 1), date(year, 12, 31)


def month_end(year: int, month: int) -> date:
    """The last day of a month: (2024, 2) -> 2024-02-29."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _whole_months(start: date, end: date) -> int | None:
    """How many calendar months [start, end] spans when it is whole months, else None."""
    if start.day != 1 or end != month_end(end.year, end.month) or end < start:
        return None
    return (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period just before [start, end], as long as it: whole calendar months give the same
    number of whole months (2025 -> 2024, Q2 -> Q1, H1 2024 -> H2 2023, February -> January),
    any other range the same number of days."""
    months = _whole_months(start, end)
    if months is not None:
        return add_months(start, -months), start - timedelta(days=1)
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def year_earlier(start: date, end: date) -> tuple[date, date]:
    """The same period a year earlier; whole months stay whole (February 2025 -> 1 to 29
    February 2024)."""
    earlier_end = add_months(end, -12)
    if _whole_months(start, end) is not None:
        earlier_end = month_end(earlier_end.year, earlier_end.month)
    return add_months(start, -12), earlier_end
