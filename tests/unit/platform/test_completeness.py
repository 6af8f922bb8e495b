"""Which months are complete (#15 item 1), on one allocation whose commitment is EUR 10 a day
and whose complete months are claimed at 90 %."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sdesk.services.platform.completeness import LagProfile, assess, estimate_lag
from sdesk.services.platform.periods import month_end

DAY_CENTS = 1000


def _allocation() -> pd.DataFrame:
    days = (date(2025, 12, 31) - date(2024, 1, 1)).days + 1  # 731
    return pd.DataFrame({"id": [1], "start_date": [pd.Timestamp("2024-01-01")],
                         "end_date": [pd.Timestamp("2025-12-31")], "volume": [None],
                         "unit": [None], "frequency": [None], "tariff_cents": [None],
                         "budget_cents": [days * DAY_CENTS]})


def _claims(share: dict[str, float]) -> pd.DataFrame:
    """90 % of every month of 2024-01..2025-06, times `share` for the months named."""
    rows = []
    for year, month in [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]:
        key = f"{year}-{month:02d}"
        days = month_end(year, month).day
        rows.append((1, key, round(0.9 * days * DAY_CENTS * share.get(key, 1.0))))
    return pd.DataFrame(rows, columns=["allocation_id", "month", "amount_cents"])


def test_months_at_50_and_10_percent_are_provisional() -> None:
    state = assess(_allocation(), _claims({"2025-05": 0.5, "2025-06": 0.1}), date(2025, 6, 30))
    assert state.lag_months == 2 and state.lag_source == "standaard"
    assert round(state.uitnutting, 6) == 0.9  # 2024-05 .. 2025-04, all complete by lag
    assert state.complete_through == date(2025, 4, 30)
    assert [m.month for m in state.provisional_months] == [date(2025, 5, 1), date(2025, 6, 1)]
    assert [round(m.share or 0, 3) for m in state.months] == [0.5, 0.1]
    assert state.provisional(date(2025, 6, 30)) and not state.provisional(date(2025, 4, 30))


def test_a_fully_claimed_month_inside_the_lag_is_complete() -> None:
    state = assess(_allocation(), _claims({"2025-06": 0.1}), date(2025, 6, 30))
    assert state.complete_through == date(2025, 5, 31)


def test_a_month_below_the_threshold_stops_the_complete_run() -> None:
    """94 % of the usual claims is below 95 %: May is provisional, and so is June after it."""
    state = assess(_allocation(), _claims({"2025-05": 0.94}), date(2025, 6, 30))
    assert state.complete_through == date(2025, 4, 30)
    state = assess(_allocation(), _claims({"2025-05": 0.96}), date(2025, 6, 30))
    assert state.complete_through == date(2025, 6, 30)


def test_a_month_the_peildatum_cuts_off_is_never_complete() -> None:
    state = assess(_allocation(), _claims({}), date(2025, 6, 15))
    assert state.complete_through == date(2025, 5, 31)


def test_the_lag_decides_how_far_back_months_are_complete_anyway() -> None:
    """With a three-month lag April is judged by its claims too (and at 50 % it is not)."""
    claims = _claims({"2025-04": 0.5})
    assert assess(_allocation(), claims, date(2025, 6, 30)).complete_through \
        == date(2025, 6, 30)  # two months: April is history, May and June are full
    state = assess(_allocation(), claims, date(2025, 6, 30), lag_months=3, lag_source="geschat")
    assert state.complete_through == date(2025, 3, 31)


def _arrivals(care_months: list[str], split: dict[int, int]) -> list[tuple[str, str, int]]:
    """Each care month's EUR 100 arriving `split[k]` cents k months later."""
    rows = []
    for care in care_months:
        year, month = int(care[:4]), int(care[5:])
        for k, cents in split.items():
            index = year * 12 + month - 1 + k
            rows.append((care, f"{index // 12}-{index % 12 + 1:02d}", cents))
    return rows


def test_the_lag_is_estimated_from_what_arrived_when() -> None:
    # 50 % in the next month, 30 % a month later, 17 % after three months, 3 % after four:
    # 97 % is in after three months, 80 % after two.
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    rows = _arrivals(months, {1: 5000, 2: 3000, 3: 1700, 4: 300})
    profile = estimate_lag(rows, date(2025, 6, 30))
    assert profile.source == "geschat" and profile.months == 3
    assert profile.arrived[:5] == (0.0, 0.5, 0.8, 0.97, 1.0)
    # January is before the first month anything was seen (February): left out as a first
    # load; 2024-12 is six months before June 2025 and counts.
    assert profile.observed_months == 11


def test_a_first_load_of_history_and_too_little_history_give_the_default() -> None:
    """Everything 'seen' in the month of the first import says nothing about the lag."""
    first_load = [(f"2023-{m:02d}", "2024-01", 10_000) for m in range(1, 13)]
    assert estimate_lag(first_load, date(2024, 3, 31)) == LagProfile(2, "standaard")
    # two care months after the first load that have had six months: still the default
    rows = first_load + _arrivals(["2024-01", "2024-02"], {1: 10_000})
    profile = estimate_lag(rows, date(2024, 8, 31))
    assert (profile.months, profile.source, profile.observed_months) == (2, "standaard", 2)
    # three: estimated (all in the month after)
    profile = estimate_lag(rows + _arrivals(["2024-03"], {1: 10_000}), date(2024, 9, 30))
    assert (profile.months, profile.source) == (1, "geschat")
