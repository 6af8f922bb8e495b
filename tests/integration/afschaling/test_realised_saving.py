"""Realised saving from the data (#16), by hand.

Every allocation is wmo 02A01 (EUR 70 an hour, 4 hours a week) and is claimed at EUR 100 a
day in whole months, so over the six complete months before the decision on D = 31-03-2025
(October..March, 182 days) it really cost 10,000 cents a day. Peildatum AT = 31-12-2025, so
an uncapped window is April..December: 275 days, baseline 10,000 x 275 = 2,750,000.

  S1  stop, never carried out: still open-ended, claimed every month after       -> 0
  S1B stop, carried out three months late: ended 30-06-2025, claimed to then      -> 0
  S2  stop of an allocation planned to end 31-05-2025; ended on D: the window
      is April..May, 61 days: 10,000 x 61                                        -> 610,000
  S3  stop carried out, replaced from 15-04-2025 by half the care (EUR 50 a
      day): replacement 261 days x 5,000 = 1,305,000 -> 2,750,000 - 1,305,000   -> 1,445,000
  S4  scale-down 4 -> 2 hours, lowered in place, claimed at EUR 50 a day
      afterwards: 2,750,000 - 275 x 5,000                                        -> 1,375,000
  S5  stop carried out (team Zuid); the person comes back on 01-08-2025 (after
      31 days, within twelve months): herinstroom, reported but not netted       -> 2,750,000
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.afschaling.decisions import record_decision
from sdesk.services.afschaling.results import business_case, business_case_json
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import Actor
from tests.integration.exchange_data import write_folder

D = date(2025, 3, 31)
AT = date(2025, 12, 31)
KM = Actor("Kim", "klantmanager")
HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
          "einddatum", "productcode", "aanbieder", "volume", "eenheid", "frequentie", "tarief",
          "budget", "medewerker_id", "reden_wijziging"]
PEOPLE = ["S1", "S1B", "S2", "S3", "S4", "S5"]


def allocation(nr: str, person: str, end: str = "", start: str = "2024-01-01",
               volume: str = "4", employee: str = "M1") -> list[str]:
    return [nr, person, "wmo", "02", start, end, "02A01", "Y", volume, "04", "2", "70", "",
            employee, ""]


def monthly_claims(nr: str, first: date, last: date, euro_a_day: int) -> list[list[str]]:
    """One claim per (part of a) month from `first` through `last`, at euro_a_day."""
    rows, day = [], first
    while day <= last:
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        end = min(following - timedelta(days=1), last)
        rows.append([f"{nr}-{day:%Y%m%d}", nr, "wmo", day.isoformat(), end.isoformat(),
                     str(((end - day).days + 1) * euro_a_day)])
        day = following
    return rows


CLAIM_HEADER = ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
                "bedrag"]
BEFORE = {
    "huishoudens": [["huishouden_id"], *[[f"H{p}"] for p in PEOPLE]],
    "personen": [["persoon_id", "huishouden_id", "geboortedatum"],
                 *[[p, f"H{p}", "1960-01-01"] for p in PEOPLE]],
    "medewerkers": [["medewerker_id", "naam", "rol", "team"],
                    ["M1", "Sanne de Vries", "klantmanager", "Noord"],
                    ["M2", "Piet Pieters", "klantmanager", "Zuid"]],
    "tarieven": [["wet", "productcode", "geldig_vanaf", "tarief", "eenheid"],
                 ["wmo", "02A01", "2024-01-01", "70,00", "04"]],
    "toewijzingen": [HEADER, allocation("A1", "S1"), allocation("A1B", "S1B"),
                     allocation("A2", "S2", end="2025-05-31"), allocation("A3", "S3"),
                     allocation("A4", "S4"), allocation("A5", "S5", employee="M2")],
    "declaraties": [CLAIM_HEADER, *[row for nr in ("A1", "A1B", "A2", "A3", "A4", "A5")
                                    for row in monthly_claims(nr, date(2024, 10, 1), D, 100)]],
}
# What the backoffice and the providers did after the decisions.
AFTER = {
    "toewijzingen": [HEADER, allocation("A1B", "S1B", end="2025-06-30"),
                     allocation("A2", "S2", end="2025-03-31"),
                     allocation("A3", "S3", end="2025-03-31"),
                     allocation("A3N", "S3", start="2025-04-15", volume="2"),
                     allocation("A4", "S4", volume="2"),
                     allocation("A5", "S5", end="2025-03-31", employee="M2"),
                     allocation("A5N", "S5", start="2025-08-01", employee="M2")],
    "declaraties": [CLAIM_HEADER,
                    *monthly_claims("A1", date(2025, 4, 1), AT, 100),
                    *monthly_claims("A1B", date(2025, 4, 1), date(2025, 6, 30), 100),
                    *monthly_claims("A3N", date(2025, 4, 15), AT, 50),
                    *monthly_claims("A4", date(2025, 4, 1), AT, 50),
                    *monthly_claims("A5N", date(2025, 8, 1), AT, 100)],
}


@pytest.fixture
def case_db(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "before", BEFORE)])
    assert result.ok, [str(i) for i in result.issues]
    for nr in ("A1", "A1B", "A2", "A3", "A5"):
        record_decision(engine, KM, nr, "wmo", "stop", D, [])
    record_decision(engine, KM, "A4", "wmo", "scale_down", D, [], new_volume=2)
    result = import_sources(engine, [write_folder(tmp_path / "after", AFTER)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_the_realised_basis_is_kept_at_decision_time(case_db: Engine) -> None:
    with case_db.connect() as conn:
        rows = dict(conn.exec_driver_sql(
            "SELECT a.toewijzingnummer, r.realised_daily_cost_cents || '|' || "
            "COALESCE(r.planned_end_date, '') FROM review r "
            "JOIN allocation a ON a.id = r.allocation_id").all())
    assert rows["A1"] == "10000.0|"
    assert rows["A2"] == "10000.0|2025-05-31"  # the end known then, not the later 31-03


def test_realised_saving_by_hand(case_db: Engine) -> None:
    case = business_case(case_db, AT, fte=1.0, cost_per_fte_cents=8_000_000,
                         since=date(2025, 1, 1))
    got = {r.toewijzingnummer: r for r in case.reviews}
    assert {nr: (r.executed, r.realised_saving_cents) for nr, r in got.items()} == {
        "A1": (False, 0), "A1B": (False, 0), "A2": (True, 610_000), "A3": (True, 1_445_000),
        "A4": (True, 1_375_000), "A5": (True, 2_750_000)}
    # Not carried out: the expected saving stays, the realised is 0 and listed as such.
    assert got["A1"].expected_annual_saving_cents == 4 * 7000 * 52
    assert got["A1"].execution_label == "niet uitgevoerd"
    assert got["A2"].window_days == 61 and got["A2"].window_end == date(2025, 5, 31)
    assert got["A3"].replacement_cost_cents == 1_305_000
    assert got["A3"].baseline_cents == 2_750_000
    # About half: a replacement at half the care, a scale-down to half.
    assert got["A3"].realised_saving_cents / got["A3"].baseline_cents == pytest.approx(
        0.5, abs=0.03)
    assert got["A4"].realised_saving_cents == got["A4"].baseline_cents // 2
    assert got["A5"].replacement_cost_cents == 0  # re-entry after 31 days is not netted
    assert (got["A3"].reentry_31d, got["A3"].reentry_12m) == (True, False)
    assert (got["A5"].reentry_31d, got["A5"].reentry_12m) == (False, True)
    assert case.realised_saving_cents == 610_000 + 1_445_000 + 1_375_000 + 2_750_000
    assert (case.executed_count, case.not_executed_count) == (4, 2)

    data = business_case_json(case)
    assert data["reentry_31d"] == {"total": 1, "by_team": {"Noord": 1, "Zuid": 0}}
    assert data["reentry_12m"] == {"total": 1, "by_team": {"Noord": 0, "Zuid": 1}}
    rows = {r["toewijzingnummer"]: r for r in data["per_review"]}
    assert rows["A3"] == {
        "toewijzingnummer": "A3", "law": "wmo", "decision": "stop",
        "review_date": "2025-03-31", "team": "Noord",
        "expected_annual_saving": 14_560.0, "realised_saving": 14_450.0, "executed": True,
        "replacement_cost": 13_050.0, "window_end": "2025-12-31", "window_days": 275,
        "baseline": 27_500.0, "paid_after": 13_050.0, "reentry_31d": True,
        "reentry_12m": False}
    assert rows["A1"]["executed"] is False and rows["A1"]["realised_saving"] == 0


def test_a_review_without_a_kept_basis_computes_it_from_the_data(case_db: Engine) -> None:
    """Reviews recorded before sdesk kept the basis (or imported ones): the daily cost comes
    from the claims before the decision; no planned end is known, so no cap."""
    with case_db.begin() as conn:
        conn.exec_driver_sql("UPDATE review SET realised_daily_cost_cents = NULL, "
                             "planned_end_date = NULL")
    case = business_case(case_db, AT, fte=1.0, cost_per_fte_cents=8_000_000,
                         since=date(2025, 1, 1))
    got = {r.toewijzingnummer: r for r in case.reviews}
    assert got["A3"].realised_saving_cents == 1_445_000
    # A2 now ends on D in the data: without the kept planned end, the window is uncapped.
    assert got["A2"].realised_saving_cents == 2_750_000
