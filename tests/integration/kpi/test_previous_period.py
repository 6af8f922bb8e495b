"""#15 item 4: the previous period is whole months before whole months, once, for dashboard,
CLI and workbook; and the period's completeness travels with the comparison.

One Jeugdwet allocation X (2 uur per week at EUR 50, from 2024-01-01, open). Claims by month:

  2024: January EUR 1,000 (a catch-up), February..December EUR 100 each  -> 2024 = EUR 2,100
  2025: January..November EUR 200 each, December EUR 50 (not all in yet)   -> 2025 = EUR 2,250

Cost growth 2025 vs 2024 = 2,250 / 2,100 - 1 = 7.14 %. The old rule compared 2025 (365 days)
with the 365 days before it, 02-01-2024..31-12-2024, which misses January's claim (it starts on
01-01-2024): 2,250 / 1,100 - 1 = 104.5 %.

Completeness on the last day with data, 31-12-2025, with the standard lag of two months:
October is complete by lag; November (EUR 200 against about 0.42 x commitment ≈ EUR 180
expected) is complete; December (EUR 50) is not. complete_through = 30-11-2025.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import import_sources
from sdesk.services.kpi import compare_periods, kpis_json
from sdesk.services.kpi.definitions import compute_kpis
from sdesk.services.kpi.trends import monthly_trend
from tests.integration.exchange_data import write_folder

HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
          "einddatum", "volume", "eenheid", "frequentie", "tarief", "reden_beeindiging",
          "verwijzer"]
LAST_DAY = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}


def claim(year: int, month: int, euros: int) -> list[str]:
    last = LAST_DAY.get(month, 31)
    return [f"X-{year}-{month:02}", "X", "jeugd", f"{year}-{month:02}-01",
            f"{year}-{month:02}-{last}", str(euros)]


CLAIMS = ([claim(2024, 1, 1000)] + [claim(2024, m, 100) for m in range(2, 13)]
          + [claim(2025, m, 200) for m in range(1, 12)] + [claim(2025, 12, 50)])
DATA = {
    "huishoudens": [["huishouden_id"], ["HX"]],
    "personen": [["persoon_id", "huishouden_id", "geboortedatum"], ["X", "HX", "2012-01-01"]],
    "toewijzingen": [HEADER, ["X", "X", "jeugd", "45", "2024-01-01", "", "2", "04", "2", "50",
                              "", "01"]],
    "declaraties": [["declaratie_id", "toewijzingnummer", "wet", "periode_begin",
                     "periode_eind", "bedrag"], *CLAIMS],
}
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def growth_engine(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "groei", DATA)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_cost_growth_2025_compares_with_calendar_2024(growth_engine: Engine) -> None:
    c = compare_periods(growth_engine, *YEAR_2025, "jeugd")
    assert (c.previous.start, c.previous.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert (c.year_earlier.start, c.year_earlier.end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert c.current.realised_cost_cents == 225_000
    assert c.previous.realised_cost_cents == 210_000
    growth = c.current.realised_cost_cents / c.previous.realised_cost_cents - 1
    assert growth == pytest.approx(0.0714, abs=5e-5)
    # What the old rule (365 days before) compared with: January's claim is lost.
    old = compute_kpis(growth_engine, date(2024, 1, 2), date(2024, 12, 31), "jeugd")
    assert old.realised_cost_cents == 110_000
    assert c.current.realised_cost_cents / old.realised_cost_cents - 1 == pytest.approx(1.045,
                                                                                        abs=5e-4)


@pytest.mark.parametrize(("start", "end", "previous", "earlier"), [
    # A quarter: the quarter before; a year earlier the same quarter.
    (date(2025, 4, 1), date(2025, 6, 30), (date(2025, 1, 1), date(2025, 3, 31)),
     (date(2024, 4, 1), date(2024, 6, 30))),
    # A month: February 2025 after January; a year earlier all of February 2024 (29 days).
    (date(2025, 2, 1), date(2025, 2, 28), (date(2025, 1, 1), date(2025, 1, 31)),
     (date(2024, 2, 1), date(2024, 2, 29))),
    # Not whole months: as many days just before.
    (date(2025, 3, 10), date(2025, 3, 19), (date(2025, 2, 28), date(2025, 3, 9)),
     (date(2024, 3, 10), date(2024, 3, 19))),
])
def test_comparison_uses_the_one_definition(growth_engine: Engine, start: date, end: date,
                                            previous: tuple[date, date],
                                            earlier: tuple[date, date]) -> None:
    c = compare_periods(growth_engine, start, end, "jeugd")
    assert (c.previous.start, c.previous.end) == previous
    assert (c.year_earlier.start, c.year_earlier.end) == earlier


def test_completeness_travels_with_the_comparison(growth_engine: Engine, db_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    c = compare_periods(growth_engine, *YEAR_2025, "jeugd")
    assert c.complete_through == date(2025, 11, 30)
    assert c.provisional  # 2025 reaches into December, whose claims are not all in
    first_half = compare_periods(growth_engine, date(2025, 1, 1), date(2025, 6, 30), "jeugd")
    assert first_half.complete_through == date(2025, 11, 30)
    assert not first_half.provisional
    # The trend carries it per month: only December 2025 is provisional.
    trend = monthly_trend(growth_engine, date(2025, 1, 1), date(2025, 12, 31), "jeugd")
    assert trend.complete_through == date(2025, 11, 30)
    flagged = trend.frame.loc[trend.frame["provisional"], "month"].tolist()
    assert flagged == [date(2025, 12, 1)]

    growth_engine.dispose()
    assert main(["kpi", "--db", str(db_path), "--from", "2025-01-01", "--to", "2025-12-31",
                 "--law", "jeugd", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == kpis_json(c)
    assert (data["complete_through"], data["provisional"]) == ("2025-11-30", True)
    assert data["realised_cost"] == 2250.0
    assert data["previous"]["realised_cost"] == 2100.0
    assert (data["previous"]["from"], data["previous"]["to"]) == ("2024-01-01", "2024-12-31")
    # Outside Jeugd a third-party referral share does not apply: null, not 0.
    assert data["third_party_share"] == 0.0  # Jeugd: it applies, and nobody was referred
    wmo = kpis_json(compute_kpis(growth_engine, *YEAR_2025, "wmo"))
    assert wmo["third_party_share"] is None
    assert wmo["clients_per_1000"] is None  # no inhabitants in this data set
