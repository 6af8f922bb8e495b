"""The household cost map and the T0/T1 comparison, pinned on figures computed by hand.

Household H1 on 2025-06-30 (window for "last twelve months": 2024-07-01..2025-06-30):

  allocation                                        annual run-rate (cents)
  J1 jeugd 45, 2 uur/week x EUR 78, provider X       2 x 7800 x 52            =   811,200
  J2 jeugd 45, 40 uur in totaal x EUR 75 over
     2025-06-01..2025-09-08 (100 days), provider Y   40 x 7500 / 100 x 365    = 1,095,000
  W1 wmo 01, 10 uur/maand x EUR 34,50                10 x 3450 x 12           =   414,000
  P1 participatie bijstand, budget EUR 12.000 over
     2025 (365 days)                                 1,200,000 / 365 x 365    = 1,200,000
  W9 wmo, reden wijziging 13 (verwijderd)            left out entirely
  J0 jeugd, ended 2023-12-31                         not listed (before the window)

  intervention
  politie: 4 x "Politie melding" EUR 300 on 2024-08-01 (in window)   = 120,000
  zorgverzekeraar: EUR 4.500, no period                               = 450,000
  gemeente: 1 x "Opvang" EUR 23.236 per jaar, 2025-01-01..2025-09-30 = 2,323,600
  woningcorporatie: EUR 7.500 on 2023-01-01 (outside the window)      = 0
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import import_sources
from sdesk.services.household.coordination import (
    CoordinationError,
    evaluate_case,
    portfolio,
    start_case,
    update_case,
)
from sdesk.services.household.overview import household_overview, overview_json
from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.services.platform.errors import NotFoundError
from tests.integration.exchange_data import dump, write_folder

AT = date(2025, 6, 30)

DATA = {
    "huishoudens": [["huishouden_id", "wijk"], ["H1", "Centrum"], ["H2", "Noord"]],
    "personen": [
        ["persoon_id", "huishouden_id", "geboortedatum", "achternaam", "voornaam", "bsn"],
        ["A", "H1", "1985-01-01", "Vos", "Anna", "999900006"],
        ["B", "H1", "2012-01-01", "Vos", "Bram", ""],
        ["C", "H2", "1950-01-01", "Dijk", "Cor", ""],
    ],
    "medewerkers": [["medewerker_id", "naam", "rol", "team"],
                    ["PC1", "Pim Coördinator", "procescoordinator", "Procesregie"]],
    "toewijzingen": [
        ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
         "einddatum", "productcode", "aanbieder", "volume", "eenheid", "frequentie", "tarief",
         "budget", "reden_wijziging"],
        ["J1", "B", "jeugd", "45", "2025-01-01", "2025-12-31", "45A48", "X", "2", "04", "2",
         "78", "", ""],
        ["J2", "B", "jeugd", "45", "2025-06-01", "2025-09-08", "45A49", "Y", "40", "04", "6",
         "75", "", ""],
        ["W1", "A", "wmo", "01", "2024-01-01", "", "01A01", "Z", "10", "04", "4", "34,50", "",
         ""],
        ["P1", "A", "participatie", "bijstand", "2025-01-01", "2025-12-31", "", "Gemeente", "",
         "", "", "", "12000", ""],
        ["W9", "A", "wmo", "02", "2025-01-01", "2025-01-01", "02A01", "Q", "5", "04", "2", "60",
         "", "13"],
        ["J0", "B", "jeugd", "45", "2023-01-01", "2023-12-31", "45A48", "X", "2", "04", "2",
         "78", "", ""],
        ["C1", "C", "wmo", "01", "2024-01-01", "", "01A01", "Z", "1", "04", "2", "34,50", "", ""],
    ],
    "declaraties": [
        ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"],
        ["D1", "J1", "jeugd", "2025-01-01", "2025-01-31", "600"],
        ["D2", "J1", "jeugd", "2025-05-01", "2025-05-31", "650"],
        ["D3", "J1", "jeugd", "2025-07-01", "2025-07-31", "999"],  # after `at`
        ["D4", "J0", "jeugd", "2023-06-01", "2023-06-30", "100"],
        ["D5", "W1", "wmo", "2024-06-01", "2024-06-30", "345"],  # before the window
        ["D6", "W1", "wmo", "2024-07-01", "2024-07-31", "345"],
    ],
    "kostenkaart": [["item", "eenheid", "prijs", "financier", "jaar"],
                    ["Politie melding", "per melding", "300", "politie", "2025"],
                    ["Opvang", "per jaar", "23236", "gemeente", "2025"]],
    "interventies": [
        ["huishouden_id", "financier", "omschrijving", "persoon_id", "kostenkaart_item",
         "aantal", "bedrag", "periode_begin", "periode_eind"],
        ["H1", "politie", "Meldingen overlast", "", "Politie melding", "4", "", "2024-08-01",
         ""],
        ["H1", "zorgverzekeraar", "GGZ moeder", "A", "", "", "4500", "", ""],
        ["H1", "gemeente", "Maatschappelijke opvang", "A", "Opvang", "1", "", "2025-01-01",
         "2025-09-30"],
        ["H1", "woningcorporatie", "Ontruiming", "", "", "", "7500", "2023-01-01", ""],
    ],
}


@pytest.fixture
def household(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "h1", DATA)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_every_total_by_hand(household: Engine) -> None:
    o = household_overview(household, SYSTEM, "H1", AT)
    lines = {a.toewijzingnummer: a for a in o.allocations}
    assert set(lines) == {"J1", "J2", "W1", "P1"}  # not W9 (removed) nor J0 (too old)
    assert lines["J1"].annual_cost_cents == 811_200
    assert lines["J2"].annual_cost_cents == 1_095_000
    assert lines["W1"].annual_cost_cents == 414_000
    assert lines["P1"].annual_cost_cents == 1_200_000
    assert lines["J1"].realised_12m_cents == 125_000  # D1 + D2, not D3 (after `at`)
    assert lines["W1"].realised_12m_cents == 34_500  # D6, not D5 (before the window)
    assert lines["J1"].category_label == "Jeugdhulp ambulant"
    costs = {i.description: i.annual_cost_cents for i in o.interventions}
    assert costs == {"Meldingen overlast": 120_000, "GGZ moeder": 450_000,
                     "Maatschappelijke opvang": 2_323_600, "Ontruiming": 0}
    assert o.totals_by_law == {"jeugd": 1_906_200, "wmo": 414_000, "participatie": 1_200_000}
    assert o.totals_by_payer == {"gemeente": 3_520_200 + 2_323_600, "politie": 120_000,
                                 "zorgverzekeraar": 450_000, "woningcorporatie": 0}
    assert o.total_annual_cost_cents == 6_413_800
    assert o.providers_count == 4  # X, Y, Z, Gemeente
    assert o.flags == ["stapeling", "meerdere_aanbieders"]
    assert [m.name for m in o.members] == ["Vos, Anna", "Vos, Bram"]


def test_threshold_flag(household: Engine) -> None:
    assert "boven_drempel" not in household_overview(household, SYSTEM, "H1", AT).flags
    low = household_overview(household, SYSTEM, "H1", AT, threshold_cents=6_413_799)
    assert "boven_drempel" in low.flags
    assert "boven_drempel" not in household_overview(household, SYSTEM, "H1", AT,
                                                     threshold_cents=6_413_800).flags


def test_single_law_single_provider_has_no_flags(household: Engine) -> None:
    o = household_overview(household, SYSTEM, "H2", AT)
    assert o.flags == []
    assert o.total_annual_cost_cents == 1 * 3450 * 52


def test_controller_sees_pseudonyms(household: Engine) -> None:
    from sdesk.services.platform.actor import household_pseudonym

    # Issue 14: a controller finds a household by its pseudonym, never by its source id.
    with pytest.raises(NotFoundError, match="als controller ziet u geen huishoudnummers"):
        household_overview(household, Actor("Carla", "controller"), "H1", AT)
    o = household_overview(household, Actor("Carla", "controller"), household_pseudonym("H1"),
                           AT)
    assert o.household_id == household_pseudonym("H1")
    assert all(m.person_id.startswith("P-") and m.name == m.person_id and m.bsn is None
               for m in o.members)
    text = json.dumps(overview_json(o))
    assert "Vos" not in text and "999900006" not in text


def test_unknown_household(household: Engine) -> None:
    with pytest.raises(NotFoundError, match="Huishouden 'H404' bestaat niet"):
        household_overview(household, SYSTEM, "H404", AT)


def test_coordination_t0_t1_savings_by_hand(household: Engine) -> None:
    case_id = start_case(household, SYSTEM, "H1", AT, coordinator="PC1")
    update_case(household, SYSTEM, case_id, attribution=0.5)
    summary = evaluate_case(household, SYSTEM, case_id, date(2025, 12, 31))
    # T1 on 2025-12-31: J1 811,200 + W1 414,000 + P1 1,200,000; J2 and Opvang have ended;
    # the police call of 2024-08-01 falls outside 2025-01-01..2025-12-31.
    t = {p: (s.t0_cents, s.t1_cents, s.saving_cents) for p, s in summary.by_payer.items()}
    assert t == {"gemeente": (5_843_800, 2_425_200, 3_418_600),
                 "politie": (120_000, 0, 120_000),
                 "zorgverzekeraar": (450_000, 450_000, 0)}
    assert summary.total_saving_cents == 3_538_600
    assert summary.attributed_saving_cents == 1_769_300
    assert summary.municipal_saving_cents == 1_709_300
    assert summary.societal_saving_cents == 60_000
    b = {k: v.saving_cents for k, v in summary.by_bucket.items()}
    assert b == {"jeugd": 1_095_000, "wmo": 0, "participatie": 0,
                 "overig_gemeente": 2_323_600, "maatschappelijk": 120_000}
    folio = portfolio(household, SYSTEM, date(2026, 1, 1))
    assert folio.households == 1
    assert folio.saving_by_bucket() == {"jeugd": 547_500, "wmo": 0, "participatie": 0,
                                        "overig_gemeente": 1_161_800, "maatschappelijk": 60_000}
    assert folio.total_saving_cents == summary.attributed_saving_cents
    assert folio.rows[0].coordinator == "Pim Coördinator"
    assert (folio.rows[0].t0_total_cents, folio.rows[0].t1_total_cents) == (6_413_800,
                                                                            2_875_200)


def test_t0_is_frozen_when_data_changes_later(household: Engine, tmp_path: Path) -> None:
    case_id = start_case(household, SYSTEM, "H1", AT)
    # The backoffice later raises J1's tariff: the T0 snapshot keeps the old run-rate.
    rows = [list(r) for r in DATA["toewijzingen"][:2]]
    rows[1][rows[0].index("tarief")] = "100"
    assert import_sources(household, [write_folder(tmp_path / "later",
                                                   {"toewijzingen": rows})]).ok
    o = household_overview(household, SYSTEM, "H1", AT)
    assert o.coordination is not None and o.coordination.case_id == case_id
    assert o.coordination.by_payer["gemeente"].t0_cents == 5_843_800
    assert o.coordination.by_payer["gemeente"].t1_cents == 5_843_800 + 2 * 2200 * 52
    assert not o.coordination.t1_frozen


def test_t1_before_t0_is_refused_and_nothing_changes(household: Engine, db_path: Path) -> None:
    case_id = start_case(household, SYSTEM, "H1", AT)
    before = dump(db_path)
    with pytest.raises(CoordinationError, match="ligt voor de intakedatum"):
        evaluate_case(household, SYSTEM, case_id, date(2025, 6, 29))
    assert dump(db_path) == before


def test_one_running_case_per_household_and_valid_attribution(household: Engine,
                                                              db_path: Path) -> None:
    case_id = start_case(household, SYSTEM, "H1", AT)
    before = dump(db_path)
    with pytest.raises(CoordinationError, match="loopt al een traject"):
        start_case(household, SYSTEM, "H1", AT)
    with pytest.raises(CoordinationError, match="tussen 0 % en 100 %"):
        update_case(household, SYSTEM, case_id, attribution=1.5)
    with pytest.raises(NotFoundError):
        start_case(household, SYSTEM, "H404", AT)
    assert dump(db_path) == before


def test_default_evaluation_is_six_months_later(household: Engine) -> None:
    case_id = start_case(household, SYSTEM, "H1", date(2025, 8, 31))
    assert evaluate_case(household, SYSTEM, case_id).t1_date == date(2026, 2, 28)


def test_cli_json_keys(household: Engine, db_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    start_case(household, SYSTEM, "H1", AT)
    household.dispose()
    assert main(["household", "--db", str(db_path), "H1", "--at", "2025-06-30", "--json",
                 "--user", "PC1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["household_id", "at", "members", "allocations", "interventions",
                          "totals_by_law", "totals_by_payer", "total_annual_cost",
                          "providers_count", "flags", "coordination"]
    assert data["total_annual_cost"] == 64_138.0
    assert data["totals_by_law"]["jeugd"] == 19_062.0
    assert list(data["allocations"][0]) == ["toewijzingnummer", "law", "category", "product",
                                            "provider", "start", "end", "annual_cost",
                                            "realised_12m"]
    assert list(data["coordination"]) == [
        "t0_date", "t1_date", "by_payer", "total_saving", "attribution", "attributed_saving",
        "municipal_saving", "societal_saving"]
    assert data["coordination"]["by_payer"]["gemeente"] == {"t0": 58_438.0, "t1": 58_438.0,
                                                            "saving": 0.0}


def test_cli_unknown_household(household: Engine, db_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    household.dispose()
    assert main(["household", "--db", str(db_path), "H404", "--json", "--user", "PC1"]) == 2
    err = capsys.readouterr().err
    assert "Huishouden 'H404' bestaat niet" in err and "Traceback" not in err
