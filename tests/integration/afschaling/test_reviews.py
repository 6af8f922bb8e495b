"""What-if, decisions (beoordelingen) and the business case of reviewing, by hand.

What-if on R20 (wmo 02A02, 3 uur per week x EUR 78, from 2025-01-01, open-ended) at
AT = 2025-06-30: run-rate 3 x 7800 x 52 = 1,216,800; open-ended, so the commitment runs to
31-12-2025: 185 days (30 June .. 31 December, both included).

Business case at AT, reviews since 2024-07-01 (the twelve months up to AT); realised saving
counts only decisions the data show carried out (#16, by hand in test_realised_saving.py):

  review                                  window  outcome
  B1 scale_down 4 -> 2 uur on 2025-04-30       0  executed (B1 ended, B1N with 2 uur from
                                                  1 May), but B1 was to end on 30 April
                                                  anyway: the window is empty, realised 0
  B2 stop on 2025-05-31                       30  not executed (still open-ended, claimed in
                                                  June): 0; baseline 67,600/182 x 30 (the May
                                                  claim over December..May), paid 10,000
  B3 continue on 2025-06-15                   15  realised 0 by definition (paid: half of the
                                                  June claim 44,850 = 22,425)
  B4 to_general_provision on 2025-05-15       46  not executed (still open-ended): 0; no claims
                                                  November..April, so a daily cost of 0
  B2 continue on 2024-06-15: before the period, not counted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.services.afschaling.decisions import (
    DECISION_LABELS,
    DECISIONS,
    record_decision,
    review_history,
    what_if,
)
from sdesk.services.afschaling.results import business_case, business_case_json
from sdesk.services.afschaling.rules import ReviewError
from sdesk.services.afschaling.workbook import write_business_case_workbook
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import NotFoundError, SdeskError
from tests.integration.exchange_data import dump, write_folder

AT = date(2025, 6, 30)
KM = Actor("Kim", "klantmanager")

HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
          "einddatum", "productcode", "aanbieder", "volume", "eenheid", "frequentie", "tarief",
          "budget", "medewerker_id", "reden_wijziging"]
DATA = {
    "huishoudens": [["huishouden_id"], ["H1"], ["H2"], ["H3"], ["H4"], ["H5"], ["H6"]],
    "personen": [["persoon_id", "huishouden_id", "geboortedatum"],
                 ["PR", "H1", "1960-01-01"], ["PB1", "H2", "1960-01-01"],
                 ["PB2", "H3", "2012-01-01"], ["PB3", "H4", "1940-01-01"],
                 ["PB4", "H5", "1970-01-01"], ["PX", "H6", "1970-01-01"]],
    "medewerkers": [["medewerker_id", "naam", "rol", "team"],
                    ["M1", "Sanne de Vries", "klantmanager", "Noord"],
                    ["M2", "Piet Pieters", "klantmanager", "Zuid"]],
    "tarieven": [["wet", "productcode", "geldig_vanaf", "tarief", "eenheid"],
                 ["wmo", "01A01", "2024-01-01", "34,50", "04"],
                 ["wmo", "02A01", "2024-01-01", "70,00", "04"],
                 ["wmo", "02A02", "2024-01-01", "78,00", "04"],
                 ["wmo", "02A05", "2024-01-01", "48,50", "16"],
                 ["jeugd", "45A48", "2024-01-01", "78,00", "04"]],
    "toewijzingen": [
        HEADER,
        ["R20", "PR", "wmo", "02", "2025-01-01", "", "02A02", "Y", "3", "04", "2", "78", "",
         "M1", ""],
        ["R50", "PX", "wmo", "02", "2025-01-01", "2025-01-01", "02A01", "Y", "3", "04", "2",
         "70", "", "M1", "13"],
        ["R60", "PX", "wmo", "02", "2024-01-01", "2025-03-31", "02A01", "Y", "3", "04", "2",
         "70", "", "M1", ""],
        ["R70", "PX", "wmo", "06", "2025-01-01", "2025-12-31", "", "Y", "", "", "", "",
         "3000", "M1", ""],
        ["B1", "PB1", "wmo", "02", "2024-01-01", "2025-04-30", "02A01", "Y", "4", "04", "2",
         "70", "", "M1", ""],
        ["B1N", "PB1", "wmo", "02", "2025-05-01", "", "02A01", "Y", "2", "04", "2", "70", "",
         "M1", ""],
        ["B2", "PB2", "jeugd", "45", "2024-06-01", "", "45A48", "J", "2", "04", "2", "78", "",
         "M2", ""],
        ["B3", "PB3", "wmo", "01", "2024-01-01", "", "01A01", "T", "3", "04", "2", "34,50", "",
         "M1", ""],
        ["B4", "PB4", "wmo", "02", "2024-01-01", "", "02A01", "Y", "2", "04", "2", "70", "",
         "M1", ""],
    ],
    "declaraties": [
        ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"],
        ["C1", "B1", "wmo", "2025-04-01", "2025-04-30", "1200"],
        ["C2", "B1N", "wmo", "2025-05-01", "2025-05-31", "600"],
        ["C3", "B1N", "wmo", "2025-06-01", "2025-06-30", "600"],
        ["C4", "B2", "jeugd", "2025-05-01", "2025-05-31", "676"],
        ["C5", "B2", "jeugd", "2025-06-01", "2025-06-10", "100"],
        ["C6", "B3", "wmo", "2025-06-01", "2025-06-30", "448,50"],
        ["C7", "B4", "wmo", "2025-05-01", "2025-05-31", "600"],
    ],
}


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "reviews", DATA)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def actor_for(engine: Engine, external_id: str) -> Actor:
    with engine.connect() as conn:
        eid, name = conn.exec_driver_sql("SELECT id, name FROM employee WHERE external_id = ?",
                                         (external_id,)).one()
    return Actor(name, "klantmanager", int(eid))


# -- what-if ----------------------------------------------------------------------------------

def test_what_if_lighter_product(db: Engine) -> None:
    w = what_if(db, KM, "R20", "wmo", AT, new_product_code="02A01")
    assert (w.annual_run_rate_before_cents, w.annual_run_rate_after_cents) == (
        3 * 7800 * 52, 3 * 7000 * 52)
    assert w.annual_saving_cents == 3 * 800 * 52
    assert (w.commitment_from, w.commitment_to) == (AT, date(2025, 12, 31))
    assert w.commitment_before_cents == round(3 * 7800 * 52 / 365 * 185)
    assert w.commitment_after_cents == round(3 * 7000 * 52 / 365 * 185)
    assert w.commitment_saving_cents == round(3 * 7800 * 52 / 365 * 185) - round(
        3 * 7000 * 52 / 365 * 185)
    assert (w.tariff_before_cents, w.tariff_after_cents) == (7800, 7000)
    assert w.changed


def test_what_if_lower_volume_and_earlier_end(db: Engine) -> None:
    w = what_if(db, KM, "R20", "wmo", AT, new_volume=2)
    assert w.annual_run_rate_after_cents == 2 * 7800 * 52
    assert w.annual_saving_cents == 1 * 7800 * 52
    # An earlier end leaves the run-rate alone and shortens the commitment: 30 June to
    # 30 September is 93 days.
    e = what_if(db, KM, "R20", "wmo", AT, new_end_date=date(2025, 9, 30))
    assert e.annual_saving_cents == 0
    assert e.commitment_to == date(2025, 12, 31)
    assert e.commitment_after_cents == round(3 * 7800 * 52 / 365 * 93)
    assert e.commitment_saving_cents == round(3 * 7800 * 52 / 365 * 185) - round(
        3 * 7800 * 52 / 365 * 93)
    nothing = what_if(db, KM, "R20", "wmo", AT)
    assert nothing.annual_saving_cents == 0 and not nothing.changed


def test_what_if_product_with_another_unit_needs_a_volume(db: Engine) -> None:
    with pytest.raises(ReviewError) as caught:
        what_if(db, KM, "R20", "wmo", AT, new_product_code="02A05")
    assert str(caught.value) == ("Product 02A05 heeft eenheid 16, de toewijzing eenheid 04: "
                                 "geef ook het nieuwe volume op.")
    w = what_if(db, KM, "R20", "wmo", AT, new_product_code="02A05", new_volume=2)
    assert (w.unit_after, w.annual_run_rate_after_cents) == ("16", 2 * 4850 * 52)


@pytest.mark.parametrize(("nr", "changes", "error", "message"), [
    ("R20", {"new_volume": 0}, ReviewError, "Het nieuwe volume moet groter dan 0 zijn (nu 0)."),
    ("R20", {"new_volume": -1}, ReviewError,
     "Het nieuwe volume moet groter dan 0 zijn (nu -1)."),
    ("R20", {"new_end_date": date(2024, 12, 31)}, ReviewError,
     "De nieuwe einddatum 31-12-2024 ligt vóór de ingangsdatum 01-01-2025."),
    ("R20", {"new_end_date": date(2025, 6, 29)}, ReviewError,
     "De nieuwe einddatum 29-06-2025 ligt vóór de peildatum 30-06-2025."),
    ("R20", {"new_product_code": "XX99"}, ReviewError,
     "Product 'XX99' is onbekend voor de Wmo: de tarieventabel heeft er geen tarief voor."),
    ("R60", {}, ReviewError, "Toewijzing R60 (Wmo) is beëindigd op 31-03-2025, vóór "
                             "30-06-2025."),
    ("R50", {}, ReviewError, "Toewijzing R50 (Wmo) is verwijderd (reden wijziging 13) en "
                             "telt niet mee."),
    ("R404", {}, NotFoundError, "Toewijzing R404 (Wmo) bestaat niet."),
    ("R70", {"new_volume": 2}, ReviewError,
     "Toewijzing R70 (Wmo) heeft een budget en geen omvang; een ander product of volume kan "
     "alleen met een nieuwe toewijzing."),
])
def test_what_if_refusals(db: Engine, db_path: Path, nr: str, changes: dict[str, object],
                          error: type[SdeskError], message: str) -> None:
    before = dump(db_path)
    with pytest.raises(error) as caught:
        what_if(db, KM, nr, "wmo", AT, **changes)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert dump(db_path) == before


# -- decisions --------------------------------------------------------------------------------

def test_decisions_store_the_intended_change(db: Engine) -> None:
    sanne = actor_for(db, "M1")
    first = record_decision(db, sanne, "R20", "wmo", "scale_down", AT,
                            ["lighter_product", "open_ended_unreviewed"],
                            new_product_code="02A01", notes="Past bij de vraag")
    second = record_decision(db, sanne, "R20", "wmo", "stop", date(2025, 7, 1), [])
    third = record_decision(db, sanne, "R20", "wmo", "continue", date(2025, 7, 2), [],
                            new_end_date=date(2026, 6, 30))
    assert first < second < third
    history = review_history(db, KM, "R20", "wmo")
    assert [h.review_id for h in history] == [third, second, first]
    scale, stop, keep = history[2], history[1], history[0]
    assert (scale.decision, scale.decision_label) == ("scale_down", "Afschalen")
    assert scale.rules == ("lighter_product", "open_ended_unreviewed")
    assert scale.new_product_code == "02A01" and scale.new_volume is None
    assert scale.expected_annual_saving_cents == 3 * 800 * 52
    assert scale.employee == "Sanne de Vries" and scale.notes == "Past bij de vraag"
    assert stop.new_end_date == date(2025, 7, 1)  # defaults to the review date
    assert stop.expected_annual_saving_cents == 3 * 7800 * 52  # the whole run-rate
    assert keep.expected_annual_saving_cents == 0 and keep.new_end_date == date(2026, 6, 30)
    with db.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT rules, decision, new_product_code, expected_annual_saving_cents "
            "FROM review WHERE id = ?", (first,)).one()
    assert tuple(row) == ("lighter_product,open_ended_unreviewed", "scale_down", "02A01",
                          124_800)


def test_scale_down_by_volume_and_the_other_laws(db: Engine) -> None:
    rid = record_decision(db, KM, "B4", "wmo", "scale_down", AT, [], new_volume=1)
    other = record_decision(db, KM, "B3", "wmo", "to_other_law", AT, ["high_cost"],
                            new_end_date=date(2025, 7, 31), notes="Wlz-indicatie")
    rows = {r.review_id: r for r in review_history(db, KM, "B4", "wmo")
            + review_history(db, KM, "B3", "wmo")}
    assert rows[rid].expected_annual_saving_cents == 1 * 7000 * 52
    assert rows[rid].new_volume == 1
    assert rows[other].expected_annual_saving_cents == 3 * 3450 * 52
    assert rows[other].decision_label == "Naar andere wet (Wlz, Zvw)"
    assert set(DECISION_LABELS) == set(DECISIONS)


@pytest.mark.parametrize(("nr", "decision", "changes", "message"), [
    ("R60", "stop", {}, "Toewijzing R60 (Wmo) is beëindigd op 31-03-2025, vóór de "
                        "beoordelingsdatum 30-06-2025: er valt niets meer te besluiten."),
    ("R20", "scale_down", {"new_volume": 0}, "Het nieuwe volume moet groter dan 0 zijn (nu 0)."),
    ("R20", "scale_down", {"new_volume": -2},
     "Het nieuwe volume moet groter dan 0 zijn (nu -2)."),
    ("R20", "scale_down", {"new_volume": 4},
     "Afschalen vraagt een lager volume dan nu (3); opgegeven: 4."),
    ("R20", "scale_down", {}, "Afschalen vraagt een lichter product of een lager volume."),
    ("B4", "scale_down", {"new_product_code": "02A02"},
     "Dit besluit schaalt niet af: de jaarkosten worden niet lager (€ 7.280,00 nu, "
     "€ 8.112,00 daarna)."),
    ("R20", "stop", {"new_end_date": date(2025, 6, 1)},
     "De nieuwe einddatum 01-06-2025 ligt vóór de peildatum 30-06-2025."),
    ("R20", "stop", {"new_volume": 1},
     "Bij 'Beëindigen' horen geen nieuw product en geen nieuw volume."),
    ("R20", "continue", {"new_product_code": "02A01"},
     "Bij 'Ongewijzigd voortzetten' horen geen nieuw product en geen nieuw volume (alleen "
     "eventueel een nieuwe einddatum)."),
    ("R20", "pause", {}, "Onbekend besluit 'pause'; kies uit continue, scale_down, stop, "
                         "to_general_provision, to_other_law."),
    ("R50", "stop", {}, "Toewijzing R50 (Wmo) is verwijderd (reden wijziging 13) en telt niet "
                        "mee."),
    ("R404", "stop", {}, "Toewijzing R404 (Wmo) bestaat niet."),
])
def test_decision_refusals_change_nothing(db: Engine, db_path: Path, nr: str, decision: str,
                                          changes: dict[str, object], message: str) -> None:
    before = dump(db_path)
    with pytest.raises(SdeskError) as caught:
        record_decision(db, KM, nr, "wmo", decision, AT, [], **changes)  # type: ignore[arg-type]
    assert str(caught.value) == message
    assert dump(db_path) == before


def test_unknown_rule_in_a_decision(db: Engine, db_path: Path) -> None:
    before = dump(db_path)
    with pytest.raises(ReviewError, match="Onbekende regel\\(s\\): cheap; kies uit"):
        record_decision(db, KM, "R20", "wmo", "continue", AT, ["ending_soon", "cheap"])
    assert dump(db_path) == before


# -- business case ----------------------------------------------------------------------------

B2_BASELINE = 67_600 / 182 * 30


@pytest.fixture
def decided(db: Engine) -> Engine:
    sanne, piet = actor_for(db, "M1"), actor_for(db, "M2")
    record_decision(db, piet, "B2", "jeugd", "continue", date(2024, 6, 15), [])  # too early
    record_decision(db, sanne, "B1", "wmo", "scale_down", date(2025, 4, 30),
                    ["high_intensity"], new_volume=2)
    record_decision(db, piet, "B2", "jeugd", "stop", date(2025, 5, 31), ["ending_soon"])
    record_decision(db, sanne, "B3", "wmo", "continue", date(2025, 6, 15), [])
    record_decision(db, sanne, "B4", "wmo", "to_general_provision", date(2025, 5, 15),
                    ["long_duration"])
    return db


def test_business_case_by_hand(decided: Engine) -> None:
    case = business_case(decided, AT, fte=0.5, cost_per_fte_cents=8_000_000)
    assert case.since == date(2024, 7, 1)
    by_nr = {r.toewijzingnummer: r for r in case.reviews}
    assert list(by_nr) == ["B1", "B4", "B2", "B3"]  # by review date
    b1, b2, b3, b4 = by_nr["B1"], by_nr["B2"], by_nr["B3"], by_nr["B4"]
    assert (b1.days_since, b2.days_since, b3.days_since, b4.days_since) == (61, 30, 15, 46)
    assert b1.expected_annual_saving_cents == 4 * 7000 * 52 - 2 * 7000 * 52
    assert b2.expected_annual_saving_cents == 2 * 7800 * 52
    assert b3.expected_annual_saving_cents == 0
    assert b4.expected_annual_saving_cents == 2 * 7000 * 52
    assert (b1.executed, b2.executed, b3.executed, b4.executed) == (True, False, None, False)
    assert (b1.window_days, b2.window_days, b3.window_days, b4.window_days) == (0, 30, 15, 46)
    assert b1.baseline_cents == 0 and b1.realised_saving_cents == 0
    assert b2.baseline_cents == round(B2_BASELINE)
    assert b2.paid_after_cents == 10_000
    assert b2.realised_saving_cents == 0  # not executed
    assert b3.paid_after_cents == round(44_850 * 15 / 30)
    assert b3.realised_saving_cents == 0  # continue
    assert b4.baseline_cents == 0  # no claims in the six months before the decision
    assert b4.paid_after_cents == round(60_000 * 16 / 31)
    assert b4.realised_saving_cents == 0

    shares = {o.decision: (o.count, o.share) for o in case.outcomes}
    assert shares == {"continue": (1, 0.25), "scale_down": (1, 0.25), "stop": (1, 0.25),
                      "to_general_provision": (1, 0.25), "to_other_law": (0, 0.0)}
    assert case.expected_annual_saving_cents == 728_000 + 811_200 + 0 + 728_000
    assert case.realised_saving_cents == 0 and case.realised_saving_per_year_cents == 0
    assert (case.executed_count, case.not_executed_count) == (1, 2)
    assert case.capacity_cost_cents == 4_000_000
    assert case.return_on_capacity == 0

    teams = {g.name: g for g in case.by_team}
    assert set(teams) == {"Noord", "Zuid"}
    assert teams["Noord"].reviews == 3 and teams["Zuid"].reviews == 1
    assert teams["Zuid"].by_decision["stop"] == 1
    assert teams["Zuid"].realised_saving_cents == 0
    assert (teams["Zuid"].executed, teams["Zuid"].not_executed) == (0, 1)
    assert [g.name for g in case.by_employee] == ["Piet Pieters", "Sanne de Vries"]


def test_cost_before_is_kept_when_the_backoffice_changes_in_place(
        decided: Engine, tmp_path: Path) -> None:
    """The backoffice carries out B4's decision by lowering its volume to 1 hour instead of
    ending it: the business case still counts the 2 hours it cost when the decision was
    taken (728,000 a year), not the new 364,000."""
    changed = {"toewijzingen": [HEADER, *[r for r in DATA["toewijzingen"][1:]
                                          if r[0] != "B4"]]}
    b4 = next(r for r in DATA["toewijzingen"] if r[0] == "B4")
    changed["toewijzingen"].append([*b4[:8], "1", *b4[9:]])
    assert import_sources(decided, [write_folder(tmp_path / "inplace", changed)]).ok
    case = business_case(decided, AT, fte=0.5, cost_per_fte_cents=8_000_000)
    b4_result = next(r for r in case.reviews if r.toewijzingnummer == "B4")
    assert b4_result.annual_cost_before_cents == 2 * 7000 * 52
    # Lowering the volume does not carry out a move to the general provision.
    assert b4_result.executed is False and b4_result.realised_saving_cents == 0
    # A review recorded before sdesk kept the cost falls back to the allocation as stored.
    with decided.begin() as conn:
        conn.exec_driver_sql("UPDATE review SET annual_cost_before_cents = NULL")
    case = business_case(decided, AT, fte=0.5, cost_per_fte_cents=8_000_000)
    b4_result = next(r for r in case.reviews if r.toewijzingnummer == "B4")
    assert b4_result.annual_cost_before_cents == 1 * 7000 * 52


def test_business_case_filters_and_refusals(decided: Engine) -> None:
    zuid = business_case(decided, AT, 1.0, 8_000_000, team="Zuid")
    assert [r.toewijzingnummer for r in zuid.reviews] == ["B2"]
    sanne = business_case(decided, AT, 1.0, 8_000_000, employee="M1")
    assert sorted(r.toewijzingnummer for r in sanne.reviews) == ["B1", "B3", "B4"]
    older = business_case(decided, AT, 1.0, 8_000_000, since=date(2024, 1, 1))
    assert older.review_count == 5
    assert {o.decision: o.count for o in older.outcomes}["continue"] == 2
    with pytest.raises(ReviewError, match="groter dan 0 fte"):
        business_case(decided, AT, 0, 8_000_000)
    with pytest.raises(ReviewError, match="kosten per fte"):
        business_case(decided, AT, 1.0, 0)
    empty = business_case(decided, date(2024, 6, 30), 1.0, 8_000_000, since=date(2024, 6, 16))
    assert empty.review_count == 0 and all(o.share is None for o in empty.outcomes)
    assert empty.return_on_capacity == 0


def test_business_case_json_and_workbook(decided: Engine, tmp_path: Path) -> None:
    case = business_case(decided, AT, fte=0.5, cost_per_fte_cents=8_000_000)
    data = business_case_json(case)
    assert data["reviews"] == 4
    assert data["outcomes"]["stop"] == {"count": 1, "share": 0.25}
    assert data["realised_saving"] == round(case.realised_saving_cents / 100, 2)

    path = write_business_case_workbook(case, tmp_path / "bc.xlsx", "Tom (teamleider)")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Business case", "Per team", "Per medewerker", "Beoordelingen"]
    summary = {r[0]: r[1] for r in wb["Business case"].iter_rows(values_only=True) if r[0]}
    assert summary["Beoordelingen"] == 4
    assert summary["Kosten beoordelingscapaciteit"] == 40_000.0
    assert summary["Gerealiseerde besparing per jaar"] == round(
        case.realised_saving_per_year_cents / 100, 2)
    assert summary["Verwachte besparing per jaar"] == 22_672.0
    assert summary["Ongewijzigd voortzetten"] == 1
    outcome_rows = [r for r in wb["Business case"].iter_rows(values_only=True)
                    if r[0] in DECISION_LABELS.values()]
    assert [r[2] for r in outcome_rows] == [0.25, 0.25, 0.25, 0.25, 0.0]
    teams = [r for r in wb["Per team"].iter_rows(values_only=True) if r[0] in ("Noord",
                                                                             "Zuid", "Totaal")]
    assert [(r[0], r[1]) for r in teams] == [("Noord", 3), ("Zuid", 1), ("Totaal", 4)]
    assert teams[-1][-2] == round(case.realised_saving_cents / 100, 2)
    reviews = [r for r in wb["Beoordelingen"].iter_rows(values_only=True)
               if r[2] in ("B1", "B2", "B3", "B4")]
    assert len(reviews) == 4
    assert sum(r[-2] for r in reviews) == pytest.approx(case.realised_saving_cents / 100)
    # Executed or not, and the replacement care netted, per review (#16 item 6).
    by_case = {r.toewijzingnummer: r for r in case.reviews}
    assert {r[2]: r[7] for r in reviews} == {k: v.execution_label for k, v in by_case.items()}
    assert {r[2]: r[-3] for r in reviews} == {
        k: round(v.replacement_cost_cents / 100, 2) for k, v in by_case.items()}


def test_a_decision_is_audited_with_the_change(db: Engine) -> None:
    from sdesk.services.platform import audit
    rid = record_decision(db, actor_for(db, "M1"), "R20", "wmo", "stop", AT, ["ending_soon"])
    event = audit.list_events(db, action=audit.CHANGE, limit=1)[0]
    assert (event.user, event.role) == ("Sanne de Vries", "klantmanager")
    assert event.object == f"beoordeling {rid}: toewijzing R20 (wmo) stop op 2025-06-30"
    assert audit.verify(db).ok
