"""DESIGN section 5 pinned on a readable data set; every expected number is worked out here.

Period P = 2025-01-01..2025-06-30 (six whole months); the previous period is
2024-07-01..2024-12-31.
Jeugd allocations (person: spell, category, omvang, end reason, referrer):

  A1  2025-02-01..2025-05-31  45  2 uur/week         32  02    new in P, leaves in P
  B1  2024-03-01..2024-09-30  45  2 uur/week         31  01
  B2  2025-03-01..open        45  4 uur/week             01    B1 ended < 6 months before
  C1  2024-01-01..2024-08-31  45  2 uur/week         31  01
  C2  2025-03-01..open        45  3 uur/week             04    gap of 6 months: new again
  D1  2024-06-01..2025-03-31  43  7 etmaal/week      31  08
  D2  2025-08-01..2025-12-31  45  2 uur/week             01    D returns within 6 months
  E1  2024-01-01..open        45  1 uur/dag              01
  F1  2025-06-15..2025-06-30  41  4 dagdeel/week     33  -     leaves on the last day of P
  H1  2024-10-01..2025-02-28  45  2 uur/week         31  01    H1 and H2 overlap:
  H2  2025-01-15..2025-04-30  45  10 uur/maand       31  01      one spell of 212 days
  G1  2025-01-01..2025-12-31  wmo 02 (G lives with A)

Claims with period start in P (euros): A1 1000 + 1000, B2 500, C2 300, D1 2000, E1 100 + 100,
F1 50 = 5050 jeugd; G1 5000 wmo. Outside P: E1 999 in July; D2 10 in November 2025, which is
also the newest claim, so the data run to 2025-11-30.
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
from sdesk.services.kpi.definitions import compute_kpis, merged_spells
from tests.integration.exchange_data import write_folder

P0, P1 = date(2025, 1, 1), date(2025, 6, 30)

ALLOCATION_HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie",
                     "ingangsdatum", "einddatum", "volume", "eenheid", "frequentie", "tarief",
                     "reden_beeindiging", "verwijzer", "medewerker_id"]


def _a(nr: str, person: str, start: str, end: str, cat: str, volume: str, unit: str,
       freq: str, reason: str = "", referrer: str = "01", law: str = "jeugd",
       employee: str = "M1") -> list[str]:
    return [nr, person, law, cat, start, end, volume, unit, freq, "50", reason, referrer,
            employee]


def _claim(nr: str, month: str, euros: str, law: str = "jeugd") -> list[str]:
    last = {"02": "28", "04": "30", "06": "30", "09": "30", "11": "30"}.get(month[5:], "31")
    return [f"{nr}-{month}", nr, law, f"{month}-01", f"{month}-{last}", euros]


DATA = {
    "huishoudens": [["huishouden_id"], ["HA"], ["HB"], ["HC"], ["HD"], ["HE"], ["HF"], ["HH"]],
    "personen": [["persoon_id", "huishouden_id", "geboortedatum"],
                 ["A", "HA", "2012-01-01"], ["G", "HA", "1980-01-01"],
                 ["B", "HB", "2012-01-01"], ["C", "HC", "2012-01-01"],
                 ["D", "HD", "2012-01-01"], ["E", "HE", "2012-01-01"],
                 ["F", "HF", "2012-01-01"], ["H", "HH", "2012-01-01"]],
    "medewerkers": [["medewerker_id", "naam", "rol", "team"],
                    ["M1", "Mila", "klantmanager", "Jeugd Noord"],
                    ["M2", "Bas", "klantmanager", "Jeugd Zuid"]],
    "toewijzingen": [
        ALLOCATION_HEADER,
        _a("A1", "A", "2025-02-01", "2025-05-31", "45", "2", "04", "2", "32", "02"),
        _a("B1", "B", "2024-03-01", "2024-09-30", "45", "2", "04", "2", "31"),
        _a("B2", "B", "2025-03-01", "", "45", "4", "04", "2"),
        _a("C1", "C", "2024-01-01", "2024-08-31", "45", "2", "04", "2", "31"),
        _a("C2", "C", "2025-03-01", "", "45", "3", "04", "2", "", "04"),
        _a("D1", "D", "2024-06-01", "2025-03-31", "43", "7", "14", "2", "31", "08", "jeugd",
           "M2"),
        _a("D2", "D", "2025-08-01", "2025-12-31", "45", "2", "04", "2"),
        _a("E1", "E", "2024-01-01", "", "45", "1", "04", "1"),
        _a("F1", "F", "2025-06-15", "2025-06-30", "41", "4", "16", "2", "33", ""),
        _a("H1", "H", "2024-10-01", "2025-02-28", "45", "2", "04", "2", "31"),
        _a("H2", "H", "2025-01-15", "2025-04-30", "45", "10", "04", "4", "31"),
        _a("G1", "G", "2025-01-01", "2025-12-31", "02", "2", "04", "2", "", "01", "wmo"),
    ],
    "declaraties": [
        ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"],
        _claim("A1", "2025-02", "1000"), _claim("A1", "2025-03", "1000"),
        _claim("B2", "2025-03", "500"), _claim("C2", "2025-04", "300"),
        _claim("D1", "2025-01", "2000"), _claim("E1", "2025-01", "100"),
        _claim("E1", "2025-02", "100"), _claim("E1", "2025-07", "999"),
        ["F1-2025-06", "F1", "jeugd", "2025-06-15", "2025-06-30", "50"],
        _claim("D2", "2025-11", "10"), _claim("G1", "2025-01", "5000", "wmo"),
    ],
    "inwoners": [["jaar", "leeftijdsgroep", "aantal"], ["2025", "0-17", "1000"],
                 ["2025", "18-64", "3000"]],
    "prijsindex": [["jaar", "wet", "percentage"], ["2024", "jeugd", "10"],
                   ["2025", "jeugd", "5"], ["2024", "wmo", "2"], ["2025", "wmo", "4"]],
}


@pytest.fixture
def kpi_engine(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "kpi", DATA)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_client_flows(kpi_engine: Engine) -> None:
    k = compute_kpis(kpi_engine, P0, P1, "jeugd")
    assert k.clients == 7  # A B C D E F H (not B1-only or G, who is wmo)
    assert k.inflow == 3  # A, C (after a six-month gap) and F; not B, not H (H1 ran on)
    assert k.outflow == 3  # A, F and H; D comes back within six months
    assert k.outflow_provisional == 1  # F: 2025-06-30 + 6 months lies after 2025-11-30
    assert k.continuing == 5  # B C D E H were also active in 2024-07-01..2024-12-31


def test_costs_referrers_categories(kpi_engine: Engine) -> None:
    k = compute_kpis(kpi_engine, P0, P1, "jeugd")
    assert k.realised_cost_cents == 505_000
    assert k.cost_per_client_cents == pytest.approx(505_000 / 7)
    assert k.top10_share == pytest.approx(1.0)  # only seven people have cost
    assert k.cost_by_referrer_cents == {"01": 70_000, "02": 200_000, "04": 30_000,
                                        "08": 200_000, "onbekend": 5_000}
    assert k.third_party_share == pytest.approx((200_000 + 30_000 + 200_000) / 505_000)
    assert k.cost_by_category_cents == {"41": 5_000, "43": 200_000, "45": 300_000}
    assert k.clients_by_category == {"41": 1, "43": 1, "45": 5}


def test_duration_dropout_rates(kpi_engine: Engine) -> None:
    k = compute_kpis(kpi_engine, P0, P1, "jeugd")
    # Spells ending in P: A1 120 days, D1 304, F1 16, H1+H2 merged 2024-10-01..2025-04-30 212.
    assert k.avg_duration_days == pytest.approx((120 + 304 + 16 + 212) / 4)
    assert k.dropout_rate == pytest.approx(2 / 5)  # A1 (32), F1 (33) of A1 D1 F1 H1 H2
    assert k.clients_per_1000 == pytest.approx(7 / 1000 * 1000)  # jeugd: 0-17 only
    # Heavy: B2 4 uur/week, E1 1 uur/dag = 7/week; not F1 (4 dagdelen), not D1 (etmaal).
    assert k.heavy_share == pytest.approx(2 / 7)
    assert k.households_multi_law == 1  # HA: A (jeugd) and G (wmo)


def test_constant_prices(kpi_engine: Engine) -> None:
    # Base year 2024 (first in the index); 2025 prices are 5 % higher.
    k = compute_kpis(kpi_engine, P0, P1, "jeugd")
    assert k.base_year == 2024
    assert k.constant_price_cost_cents == round(505_000 / 1.05)
    same = compute_kpis(kpi_engine, P0, P1, "jeugd", base_year=2025)
    assert same.constant_price_cost_cents == 505_000
    # All laws: each law deflated with its own index.
    every = compute_kpis(kpi_engine, P0, P1)
    assert every.realised_cost_cents == 1_005_000
    assert every.constant_price_cost_cents == round(505_000 / 1.05 + 500_000 / 1.04)


def test_wmo_clients_per_1000_uses_all_inhabitants(kpi_engine: Engine) -> None:
    k = compute_kpis(kpi_engine, P0, P1, "wmo")
    assert k.clients == 1
    assert k.clients_per_1000 == pytest.approx(1 / 4000 * 1000)
    assert k.dropout_rate is None  # no wmo allocation ended in P


def test_team_filter(kpi_engine: Engine) -> None:
    k = compute_kpis(kpi_engine, P0, P1, "jeugd", team="Jeugd Zuid")
    assert (k.clients, k.realised_cost_cents) == (1, 200_000)  # only D1 is Bas's
    assert k.outflow == 0  # D1 ended, but D returns (with another team) within six months


def test_merging_spells_needs_overlap_not_touch() -> None:
    import pandas as pd

    frame = pd.DataFrame({
        "person_id": [1, 1, 1], "category": ["45", "45", "45"],
        "start_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-02-15"]),
        "end_date": pd.to_datetime(["2025-01-31", "2025-03-31", "2025-02-20"])})
    spells = merged_spells(frame)
    assert len(spells) == 2  # 01-31 and 02-01 touch but do not overlap
    assert spells["end"].iloc[1] == pd.Timestamp("2025-03-31")  # the 02-15 one lies inside


def test_top10_with_ties(engine: Engine, tmp_path: Path) -> None:
    costs = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10, 10, 10]
    data = {
        "huishoudens": [["huishouden_id"]] + [[f"H{i}"] for i in range(12)],
        "personen": [["persoon_id", "huishouden_id", "geboortedatum"]]
        + [[f"P{i}", f"H{i}", "2010-01-01"] for i in range(12)],
        "toewijzingen": [ALLOCATION_HEADER[:-1]]
        + [_a(f"T{i}", f"P{i}", "2025-01-01", "2025-12-31", "45", "1", "04", "2")[:-1]
           for i in range(12)],
        "declaraties": [["declaratie_id", "toewijzingnummer", "wet", "periode_begin",
                         "periode_eind", "bedrag"]]
        + [_claim(f"T{i}", "2025-03", str(c)) for i, c in enumerate(costs)],
    }
    assert import_sources(engine, [write_folder(tmp_path / "ties", data)]).ok
    k = compute_kpis(engine, P0, P1, "jeugd")
    # Three people tie at EUR 10 for tenth place; whichever is taken, the top ten cost 550.
    assert k.top10_share == pytest.approx(550 / 570)


def test_comparison_periods(kpi_engine: Engine) -> None:
    c = compare_periods(kpi_engine, P0, P1, "jeugd")
    # Six whole months: the six whole months before (not 181 days, 2024-07-04..12-31).
    assert (c.previous.start, c.previous.end) == (date(2024, 7, 1), date(2024, 12, 31))
    assert (c.year_earlier.start, c.year_earlier.end) == (date(2024, 1, 1), date(2024, 6, 30))
    # 2024-01-01..06-30: B1 C1 D1 E1 active -> 4 clients; B1 C1 E1 started before 2024.
    assert c.year_earlier.clients == 4
    assert c.previous.clients == 5  # B1 C1 D1 E1 H1


def test_cli_json_keys(kpi_engine: Engine, db_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    kpi_engine.dispose()
    code = main(["kpi", "--db", str(db_path), "--from", "2025-01-01", "--to", "2025-06-30",
                 "--law", "jeugd", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("from", "to", "law", "team", "clients", "inflow", "outflow", "continuing",
                "realised_cost", "cost_per_client", "top10_share", "cost_by_referrer",
                "cost_by_category", "clients_by_category", "avg_duration_days",
                "dropout_rate", "clients_per_1000", "heavy_share", "households_multi_law",
                "constant_price_cost"):
        assert key in data, key
    assert data["realised_cost"] == 5050.0
    assert data["cost_by_referrer"]["02"] == 2000.0
    assert data["clients_by_category"] == {"41": 1, "43": 1, "45": 5}
    assert data == kpis_json(compare_periods(kpi_engine, P0, P1, "jeugd"))
    # #15: the added keys. Claims run to 2025-11-30; with the standard lag of two months
    # September is complete by lag, October and November hold no claims against running
    # allocations (B2 C2 D2 E1) and are provisional.
    assert data["complete_through"] == "2025-09-30"
    assert data["provisional"] is False  # P ends 2025-06-30
    assert (data["previous"]["from"], data["previous"]["to"]) == ("2024-07-01", "2024-12-31")
    assert (data["year_earlier"]["from"], data["year_earlier"]["to"]) == ("2024-01-01",
                                                                          "2024-06-30")
    figures = set(data) - {"from", "to", "law", "team", "complete_through", "provisional",
                           "previous", "year_earlier"}
    assert set(data["previous"]) == set(data["year_earlier"]) == figures | {"from", "to"}
    assert data["previous"]["clients"] == 5 and data["year_earlier"]["clients"] == 4


def test_period_end_before_start_is_refused(kpi_engine: Engine) -> None:
    from sdesk.services.platform.errors import SdeskError

    with pytest.raises(SdeskError, match="eindigt"):
        compute_kpis(kpi_engine, P1, P0)


def test_cached_working_set_follows_new_imports(kpi_engine: Engine, tmp_path: Path) -> None:
    assert compute_kpis(kpi_engine, P0, P1, "jeugd").realised_cost_cents == 505_000
    more = {"declaraties": [DATA["declaraties"][0], _claim("C2", "2025-05", "300")]}
    assert import_sources(kpi_engine, [write_folder(tmp_path / "more", more)]).ok
    assert compute_kpis(kpi_engine, P0, P1, "jeugd").realised_cost_cents == 535_000


def test_period_not_on_month_boundaries_uses_exact_dates(kpi_engine: Engine) -> None:
    # F1's claim starts on 2025-06-15; A1's on 2025-02-01 and 2025-03-01.
    k = compute_kpis(kpi_engine, date(2025, 2, 1), date(2025, 6, 14), "jeugd")
    assert k.realised_cost_cents == 100_000 + 100_000 + 50_000 + 30_000 + 10_000
