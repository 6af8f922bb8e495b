"""Honest ladders and expected saving you can defend (#16 items 3 and 4), on hand-made data.

Peildatum AT = 2025-06-30. Every allocation ends 2025-07-31 (ending_soon fires on all).

  BEG  wmo 02 02A02 3 uur x 78,00 per week   run-rate 3 x 7800 x 52 = 1,216,800
       ladder wmo 02: 02A02 78,00 > 02A01 70,00 (both uur): lighter product 02A01,
       saving if done 3 x 800 x 52 = 124,800; ending_soon 25 % = 304,200
  OTS  jeugd 48 48A01 1 stuks x 1250,00 per maand   (Voogdij 48A03 1000,00 in the tariffs)
  GH   jeugd 44 44A08 7 etmaal x 163,59 per week   (pleegzorg 44A12 45,00 in the tariffs)
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.afschaling import RuleParameters, default_ladder, worklist, worklist_json
from sdesk.services.afschaling.ladder import LadderStep
from sdesk.services.exchange import import_sources
from sdesk.services.platform.actor import Actor
from tests.integration.exchange_data import BASE, write_folder

AT = date(2025, 6, 30)
KM = Actor("Kim", "klantmanager")
HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
          "einddatum", "productcode", "volume", "eenheid", "frequentie", "tarief", "budget"]
ALLOCATIONS = [
    ["BEG", "P3", "wmo", "02", "2025-01-01", "2025-07-31", "02A02", "3", "04", "2", "78,00", ""],
    ["OTS", "P1", "jeugd", "48", "2025-01-01", "2025-07-31", "48A01", "1", "82", "4",
     "1250,00", ""],
    ["GH", "P2", "jeugd", "44", "2025-01-01", "2025-07-31", "44A08", "7", "14", "2", "163,59",
     ""],
    # Only there to carry the municipality's own decisions (reviewed long before AT).
    ["OLD", "P1", "wmo", "01", "2024-01-01", "2025-12-31", "01A01", "2", "04", "2", "34,50",
     ""],
]
TARIFFS = [["wet", "productcode", "geldig_vanaf", "tarief", "geldig_tot", "eenheid"],
           ["wmo", "02A02", "2024-01-01", "78,00", "", "04"],
           ["wmo", "02A01", "2024-01-01", "70,00", "", "04"],
           ["wmo", "01A01", "2024-01-01", "34,50", "", "04"],
           ["jeugd", "48A01", "2024-01-01", "1250,00", "", "82"],
           ["jeugd", "48A03", "2024-01-01", "1000,00", "", "82"],
           ["jeugd", "44A08", "2024-01-01", "163,59", "", "14"],
           ["jeugd", "44A12", "2024-01-01", "45,00", "", "14"]]
# The other products must be in use for the default ladder to know them.
USED = [
    ["VG", "P2", "jeugd", "48", "2025-01-01", "2025-07-31", "48A03", "1", "82", "4", "1000,00",
     ""],
    ["PZ", "P3", "jeugd", "44", "2025-01-01", "2025-07-31", "44A12", "7", "14", "2", "45,00",
     ""],
    ["BR", "P2", "wmo", "02", "2025-01-01", "2025-07-31", "02A01", "1", "04", "2", "70,00", ""],
]
# No claims in this data: the claim rules are switched off (no-claims window before every
# start, utilisation never below 0 %), as is high cost.
QUIET = RuleParameters(high_cost_top_n=0, high_cost_threshold_cents=10**12,
                       no_claims_months=12, utilisation_min_pct=0.0)


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Engine:
    data = {"huishoudens": BASE["huishoudens"], "personen": BASE["personen"],
            "medewerkers": BASE["medewerkers"], "tarieven": TARIFFS,
            "toewijzingen": [HEADER, *ALLOCATIONS, *USED]}
    result = import_sources(engine, [write_folder(tmp_path / "ladders", data)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def _rows(w: object) -> dict[str, object]:
    return {c.toewijzingnummer: c for c in w.rows}  # type: ignore[attr-defined]


def test_no_ladder_across_measures_and_no_rung_from_a_tariff_alone(db: Engine) -> None:
    ladder = default_ladder(db, AT)
    assert ("jeugd", "48") not in ladder  # OTS and Voogdij are measures, not levels of help
    assert ("jeugd", "44") not in ladder  # a cheaper placement is not a lighter form of it
    assert [s.product_code for s in ladder[("wmo", "02")]] == ["02A02", "02A01"]
    ots = _rows(worklist(db, KM, AT, QUIET, scope="apart"))["OTS"]
    assert "lighter_product" not in ots.rules  # type: ignore[attr-defined]
    gh = _rows(worklist(db, KM, AT, QUIET))["GH"]
    assert "lighter_product" not in gh.rules  # type: ignore[attr-defined]
    # Not even a ladder the user passes makes Voogdij a lighter OTS.
    own = {("jeugd", "48"): (LadderStep("48A01", 125000, "82"),
                             LadderStep("48A03", 100000, "82"))}
    ots = _rows(worklist(db, KM, AT, dataclasses.replace(QUIET, ladder=own),
                         scope="apart"))["OTS"]
    assert "lighter_product" not in ots.rules  # type: ignore[attr-defined]
    assert "48A03" not in ots.proposal.text  # type: ignore[attr-defined]


def test_a_legitimate_rung_is_still_proposed(db: Engine) -> None:
    certain = dataclasses.replace(QUIET, default_chances_pct={"lighter_product": 100.0,
                                                               "ending_soon": 10.0})
    beg = _rows(worklist(db, KM, AT, certain))["BEG"]
    assert beg.lead_rule == "lighter_product"  # type: ignore[attr-defined]
    assert beg.proposal.product_code == "02A01"  # type: ignore[attr-defined]
    assert beg.expected_saving_cents == 3 * 800 * 52  # type: ignore[attr-defined]


def test_chances_from_the_defaults(db: Engine) -> None:
    w = worklist(db, KM, AT, QUIET)
    beg = _rows(w)["BEG"]
    # lighter product 30 % x 124,800 = 37,440 against ending soon 20 % x 304,200 = 60,840:
    # ending soon leads.
    assert beg.lead_rule == "ending_soon"  # type: ignore[attr-defined]
    assert beg.saving_if_done_cents == 304_200  # type: ignore[attr-defined]
    assert beg.chance == pytest.approx(0.20)  # type: ignore[attr-defined]
    assert beg.expected_saving_cents == 60_840  # type: ignore[attr-defined]
    assert beg.chance_text == "20 % (standaard)"  # type: ignore[attr-defined]
    assert w.summary.chances["lighter_product"].text == "kans 30 % (standaard)"
    data = worklist_json(w)
    first = next(c for c in data["candidates"] if c["toewijzingnummer"] == "BEG")
    assert (first["chance"], first["chance_source"], first["saving_if_done"],
            first["expected_saving"]) == (0.2, "standaard", 3042.0, 608.4)
    assert data["summary"]["expected_saving_weighted"] == data["summary"][
        "expected_saving_total"] == round(sum(c["expected_saving"]
                                              for c in data["candidates"]), 2)


def test_chances_from_twenty_own_decisions(db: Engine) -> None:
    with db.begin() as conn:
        old = conn.exec_driver_sql(
            "SELECT id FROM allocation WHERE toewijzingnummer = 'OLD'").scalar()
        # 20 reviews for ending_soon, 7 step-downs (scale_down 4, stop 2, to_other_law 1):
        # 35 %; 19 for lighter_product: too few, the default counts.
        decisions = ["scale_down"] * 4 + ["stop"] * 2 + ["to_other_law"] + ["continue"] * 13
        for i, decision in enumerate(decisions):
            rules = "ending_soon,lighter_product" if i < 19 else "ending_soon"
            conn.exec_driver_sql(
                "INSERT INTO review (allocation_id, review_date, rules, decision) "
                "VALUES (?, ?, ?, ?)", (old, (AT - timedelta(days=200 + i)).isoformat(), rules,
                                        decision))
    w = worklist(db, KM, AT, QUIET)
    chances = w.summary.chances
    assert (chances["ending_soon"].value, chances["ending_soon"].decisions) == (0.35, 20)
    assert chances["ending_soon"].text == "kans 35 % (uit 20 eigen besluiten)"
    assert chances["lighter_product"].source == "standaard"
    assert chances["lighter_product"].recorded == 19
    beg = _rows(w)["BEG"]
    assert beg.expected_saving_cents == round(0.35 * 304_200)  # type: ignore[attr-defined]
    assert beg.chance_text == "35 % (uit 20 eigen besluiten)"  # type: ignore[attr-defined]
    # The threshold is settable: with 21 the default comes back.
    strict = worklist(db, KM, AT, dataclasses.replace(QUIET, chance_min_decisions=21))
    assert _rows(strict)["BEG"].chance == pytest.approx(0.20)  # type: ignore[attr-defined]


def test_capacity_and_the_weighted_total(db: Engine) -> None:
    w = worklist(db, KM, AT, dataclasses.replace(QUIET, reviews_per_fte_month=1.0,
                                                 team_fte=1.0), everything=True)
    s = w.summary
    assert s.capacity_per_month == 1
    assert s.capacity_saving_cents == w.rows[0].expected_saving_cents
    assert s.expected_saving_total_cents == sum(c.expected_saving_cents for c in w.rows)
    assert s.saving_if_done_total_cents == sum(c.saving_if_done_cents for c in w.rows)
    assert s.expected_saving_total_cents < s.saving_if_done_total_cents
    savings = [c.expected_saving_cents for c in w.rows]
    assert savings == sorted(savings, reverse=True)


def test_the_list_holds_what_the_team_can_review(db: Engine) -> None:
    """#16 item 4: by default the list is the team's work at its capacity, ranked by expected
    saving; the rest is counted and shown on request."""
    everything = worklist(db, KM, AT, QUIET, everything=True)
    # Ranked by expected saving (chance x saving if done):
    #   GH  ending soon   20 % x 25 % x 7 x 16,359 x 52 = 297,734
    #   OLD no claims     30 % x 2 x 3,450 x 52          = 107,640
    #   PZ  ending soon   20 % x 25 % x 7 x 4,500 x 52   =  81,900
    #   BEG ending soon   20 % x 25 % x 1,216,800 = 60,840 (the lighter product: 30 % x
    #       124,800 = 37,440)
    #   BR  ending soon   20 % x 25 % x 1 x 7,000 x 52   =  18,200
    # OTS and VG are on the separate list.
    assert [(c.toewijzingnummer, c.expected_saving_cents) for c in everything.rows] == [
        ("GH", 297_734), ("OLD", 107_640), ("PZ", 81_900), ("BEG", 60_840), ("BR", 18_200)]
    # The team: M1, klantmanager at 0.8 fte. 1.25 reviews per fte a month: 1 a month.
    one = dataclasses.replace(QUIET, reviews_per_fte_month=1.25)
    w = worklist(db, KM, AT, one)
    s = w.summary
    assert (s.team_fte, s.capacity_per_month, s.capacity_months) == (0.8, 1, 1)
    assert [c.toewijzingnummer for c in w.rows] == ["GH"]
    assert (s.candidates, s.qualifying, s.beyond_capacity) == (1, 5, 4)
    assert s.expected_saving_total_cents == 297_734
    assert s.qualifying_expected_saving_cents == 297_734 + 107_640 + 81_900 + 60_840 + 18_200
    assert s.months_of_work == 5.0
    two = worklist(db, KM, AT, dataclasses.replace(one, capacity_months=2))
    assert [c.toewijzingnummer for c in two.rows] == ["GH", "OLD"]
    assert (two.summary.by_rule["ending_soon"], two.summary.by_rule["no_claims"]) == (1, 1)
    assert two.summary.by_rule["lighter_product"] == 0  # BEG is beyond the capacity
    # 20 a month per fte (the default) for 0.8 fte: 16, room for all five.
    assert worklist(db, KM, AT, QUIET).summary.capacity_per_month == 16
    data = worklist_json(w)
    assert (data["summary"]["qualifying"], data["summary"]["beyond_capacity"],
            data["summary"]["team_fte"]) == (5, 4, 0.8)


def test_a_chance_out_of_range_is_refused(db: Engine) -> None:
    from sdesk.services.afschaling import ReviewError

    with pytest.raises(ReviewError, match="moet tussen 0 en 100 % liggen"):
        worklist(db, KM, AT, RuleParameters(default_chances_pct={"stacking": 120.0}))
    with pytest.raises(ReviewError, match="capaciteit"):
        worklist(db, KM, AT, RuleParameters(team_fte=0))
