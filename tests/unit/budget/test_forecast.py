"""The lag-aware forecast (#15 item 2) on one allocation committing EUR 10 a day all through
2024 and 2025, used at 90 % in every month whose claims are all in."""

from __future__ import annotations

from datetime import date

import pandas as pd

from sdesk.services.budget.forecast import lag_aware_forecast
from sdesk.services.platform.completeness import assess
from sdesk.services.platform.periods import month_end

DAY = 1000  # cents a day


def _allocation() -> pd.DataFrame:
    days = (date(2025, 12, 31) - date(2024, 1, 1)).days + 1
    return pd.DataFrame({"id": [7], "start_date": [pd.Timestamp("2024-01-01")],
                         "end_date": [pd.Timestamp("2025-12-31")], "volume": [None],
                         "unit": [None], "frequency": [None], "tariff_cents": [None],
                         "budget_cents": [days * DAY]})


def _claims(short: dict[str, float]) -> pd.DataFrame:
    rows = []
    for year, month in [(2024, m) for m in range(1, 13)] + [(2025, m) for m in range(1, 7)]:
        key = f"{year}-{month:02d}"
        rows.append((7, key, round(0.9 * month_end(year, month).day * DAY * short.get(key, 1))))
    return pd.DataFrame(rows, columns=["allocation_id", "month", "amount_cents"])


def test_late_declarations_do_not_pull_the_forecast_down() -> None:
    at = date(2025, 6, 30)
    claims = _claims({"2025-05": 0.5, "2025-06": 0.1})  # May half in, June a tenth
    state = assess(_allocation(), claims, at)
    assert state.complete_through == date(2025, 4, 30)

    forecast = lag_aware_forecast(_allocation(), claims, 2025, at, state.complete_through)

    # By hand, in EUR: January to April complete, 0.9 x 120 days x 10 = 1,080;
    # May: max(0.45 x 31 x 10 = 139.50, 0.9 x 31 x 10 = 279); June: max(27, 270) = 270;
    # July to December: 0.9 x 184 x 10 = 1,656. Total 3,285 = 0.9 x 365 x 10, the full year.
    assert round(forecast.uitnutting, 6) == 0.9
    assert forecast.complete_cents == 108_000
    assert forecast.realised_cents == 108_000 + 13_950 + 2_700
    assert forecast.lag_estimate_cents == (27_900 - 13_950) + (27_000 - 2_700)
    assert forecast.prognose_cents == 328_500
    eventual = 328_500
    assert abs(forecast.prognose_cents - eventual) / eventual < 0.03

    # The lag-blind forecast (realisation so far + the rest at the uitnutting of the last
    # twelve months, short months included) is about 17 % low:
    # u = (0.9 x 304 + 13.95 + 2.7) / 365 = 0.795; 124.65 + 184 x u = 270.95 -> 17.5 % low.
    blind_u = (0.9 * 304 + 13.95 + 2.7) / 365
    blind = 1246.5 + 1840 * blind_u
    assert round(1 - blind / 3285, 3) == 0.175


def test_a_peildatum_inside_a_month_forecasts_that_month_up_to_the_peildatum() -> None:
    at = date(2025, 6, 15)
    claims = _claims({"2025-06": 0.0})
    state = assess(_allocation(), claims, at)
    assert state.complete_through == date(2025, 5, 31)
    forecast = lag_aware_forecast(_allocation(), claims, 2025, at, state.complete_through)
    # Jan-May claimed: 0.9 x 151 x 10; 1-15 June: 0.9 x 15 x 10; 16 June - 31 Dec: 0.9 x 199 x 10
    assert forecast.complete_cents == 135_900
    assert forecast.lag_estimate_cents == 13_500
    assert forecast.prognose_cents == 135_900 + 13_500 + 179_100


def test_claims_above_the_expectation_count_as_they_are() -> None:
    at = date(2025, 6, 30)
    claims = _claims({"2025-06": 1.5})  # June claimed at 135 %: complete, and counted in full
    state = assess(_allocation(), claims, at)
    assert state.complete_through == date(2025, 6, 30)
    forecast = lag_aware_forecast(_allocation(), claims, 2025, at, state.complete_through)
    assert forecast.lag_estimate_cents == 0
    # The twelve complete months now end with June: u = (0.9 x 335 + 1.35 x 30) / 365.
    assert round(forecast.uitnutting, 6) == round(342 / 365, 6)
    assert forecast.prognose_cents == round(0.9 * 151 * DAY + 1.35 * 30 * DAY
                                            + 184 * DAY * 342 / 365)  # 348,805
