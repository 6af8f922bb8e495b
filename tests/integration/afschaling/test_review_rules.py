"""Every afschaling rule on a hand-made case where it must fire and a near-miss where it must
not. Peildatum AT = 2025-06-30 (windows and cut-offs below are written out by hand).

The rules are switched on one at a time: QUIET holds parameters under which no rule fires
(windows of 50 years, norms of 100 per week, no top-N, an empty product ladder) -- except
stacking, which has no "off" value and fires only on its own cases -- and each test puts the
default value of one rule's parameters back.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.afschaling.candidates import worklist
from sdesk.services.afschaling.catalogue import rule_catalogue, rule_explanation
from sdesk.services.afschaling.decisions import record_decision
from sdesk.services.afschaling.ladder import LadderStep, default_ladder
from sdesk.services.afschaling.rules import RULE_IDS, ReviewError, RuleParameters
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import Actor
from tests.integration.exchange_data import dump, write_folder

AT = date(2025, 6, 30)
KM = Actor("Kim", "klantmanager")

QUIET = RuleParameters(
    ending_soon_weeks=1, open_ended_months=600, long_duration_months=600,
    group_norm_dagdelen=100.0, individual_norm_hours=100.0, household_help_max_hours=100.0,
    utilisation_min_pct=0.0, no_claims_months=600, stacking_laws=3, high_cost_top_n=0,
    high_cost_threshold_cents=10**12, ladder={})

ALLOCATION_HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie",
                     "ingangsdatum", "einddatum", "productcode", "aanbieder", "volume",
                     "eenheid", "frequentie", "tarief", "budget", "reden_wijziging"]

# (toewijzingnummer, person, law, category, start, end, product, provider, volume, unit,
#  frequency, tariff in euros)
ALLOCATIONS = [
    # ending_soon: AT + 8 weeks = 2025-08-25
    ("E1", "PE1", "wmo", "01", "2025-01-01", "2025-08-25", "01A01", "X", "3", "04", "2", "34,50"),
    ("E2", "PE2", "wmo", "01", "2025-01-01", "2025-08-26", "01A01", "X", "3", "04", "2", "34,50"),
    # open_ended_unreviewed: the last 12 months are 2024-07-01..2025-06-30
    ("O1", "PO1", "wmo", "01", "2024-06-30", "", "01A01", "X", "3", "04", "2", "34,50"),
    ("O2", "PO2", "wmo", "01", "2024-07-01", "", "01A01", "X", "3", "04", "2", "34,50"),
    ("O3", "PO3", "wmo", "01", "2023-01-01", "", "01A01", "X", "3", "04", "2", "34,50"),
    ("O4", "PO4", "wmo", "01", "2023-01-01", "", "01A01", "X", "3", "04", "2", "34,50"),
    # long_duration: longer than the 24 months 2023-07-01..2025-06-30; L1a/L1b touch,
    # L2a/L2b leave one day out
    ("L1a", "PL1", "wmo", "02", "2023-01-01", "2024-06-30", "02A01", "Y", "2", "04", "2", "70"),
    ("L1b", "PL1", "wmo", "02", "2024-07-01", "2025-12-31", "02A01", "Y", "2", "04", "2", "70"),
    ("L2a", "PL2", "wmo", "02", "2023-01-01", "2024-06-29", "02A01", "Y", "2", "04", "2", "70"),
    ("L2b", "PL2", "wmo", "02", "2024-07-01", "2025-12-31", "02A01", "Y", "2", "04", "2", "70"),
    ("L3", "PL3", "wmo", "02", "2023-07-01", "2025-12-31", "02A01", "Y", "2", "04", "2", "70"),
    ("L4", "PL4", "wmo", "02", "2023-06-30", "2025-12-31", "02A01", "Y", "2", "04", "2", "70"),
    # high_intensity
    ("I1", "PI1", "wmo", "07", "2025-01-01", "2025-12-31", "07A01", "D", "5", "16", "2", "46,50"),
    ("I2", "PI2", "wmo", "07", "2025-01-01", "2025-12-31", "07A01", "D", "4", "16", "2", "46,50"),
    ("I3", "PI3", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "Y", "4", "04", "2", "70"),
    ("I4", "PI4", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "Y", "18", "04", "4", "70"),
    ("I5", "PI5", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "Y", "17", "04", "4", "70"),
    ("I6", "PI6", "wmo", "01", "2025-01-01", "2025-12-31", "01A01", "X", "5", "04", "2", "34,50"),
    ("I7", "PI7", "wmo", "01", "2025-01-01", "2025-12-31", "01A01", "X", "4", "04", "2", "34,50"),
    # frequentie 6: 280 days = 40 weeks; 160 hours = 4 per week, 156 hours = 3.9 per week
    ("I8", "PI8", "jeugd", "45", "2025-01-01", "2025-10-07", "45A48", "J", "160", "04", "6",
     "78"),
    ("I9", "PI9", "jeugd", "45", "2025-01-01", "2025-10-07", "45A48", "J", "156", "04", "6",
     "78"),
    # low_utilisation: window 2025-01-01..2025-06-30 (181 days)
    ("U1", "PU1", "wmo", "02", "2024-01-01", "2025-12-31", "02A01", "Y", "2", "04", "2", "70"),
    ("U2", "PU2", "wmo", "02", "2024-01-01", "2025-12-31", "02A01", "Y", "2", "04", "2", "70"),
    # no_claims: window 2025-04-01..2025-06-30
    ("N1", "PN1", "wmo", "01", "2025-03-31", "2025-12-31", "01A01", "X", "3", "04", "2", "34,50"),
    ("N2", "PN2", "wmo", "01", "2025-04-01", "2025-12-31", "01A01", "X", "3", "04", "2", "34,50"),
    ("N3", "PN3", "wmo", "01", "2024-01-01", "2025-12-31", "01A01", "X", "3", "04", "2", "34,50"),
    ("N4", "PN4", "wmo", "01", "2024-01-01", "2025-12-31", "01A01", "X", "3", "04", "2", "34,50"),
    # stacking: PS1 two providers in wmo 02; PS2 one provider twice; household HS3 under
    # three laws, HS4 under two
    ("S1a", "PS1", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "A", "2", "04", "2", "70"),
    ("S1b", "PS1", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "B", "1", "04", "2", "70"),
    ("S2a", "PS2", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "A", "2", "04", "2", "70"),
    ("S2b", "PS2", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "A", "1", "04", "2", "70"),
    ("S3j", "PS3k", "jeugd", "45", "2025-01-01", "2025-12-31", "45A48", "J", "1", "04", "2",
     "78"),
    ("S3w", "PS3a", "wmo", "01", "2025-01-01", "2025-12-31", "01A01", "X", "2", "04", "2",
     "34,50"),
    ("S3p", "PS3a", "participatie", "bijstand", "2025-01-01", "", "BIJST-A", "Gemeente", "1300",
     "83", "4", ""),
    ("S4j", "PS4k", "jeugd", "45", "2025-01-01", "2025-12-31", "45A48", "J", "1", "04", "2",
     "78"),
    ("S4w", "PS4a", "wmo", "01", "2025-01-01", "2025-12-31", "01A01", "X", "2", "04", "2",
     "34,50"),
    # high_cost (jeugd): 7 etmalen per week; 7 x 13737 x 52 = 5,000,268 > EUR 50,000 and
    # 7 x 13736 x 52 = 4,999,904 below it
    ("H1", "PH1", "jeugd", "43", "2025-01-01", "2025-12-31", "43A01", "R", "7", "14", "2",
     "137,37"),
    ("H2", "PH2", "jeugd", "43", "2025-01-01", "2025-12-31", "43A01", "R", "7", "14", "2",
     "137,36"),
    # lighter_product (wmo 02 ladder from the tariffs: 02A02 78,00 > 02A01 70,00, both uur;
    # 02A05 48,50 is per dagdeel)
    ("LP1", "PLP1", "wmo", "02", "2025-01-01", "2025-12-31", "02A02", "Y", "3", "04", "2",
     "78"),
    ("LP2", "PLP2", "wmo", "02", "2025-01-01", "2025-12-31", "02A02", "Y", "3", "04", "2",
     "69"),
    ("LP3", "PLP3", "wmo", "02", "2025-01-01", "2025-12-31", "02A05", "Y", "3", "16", "2",
     "48,50"),
    # never on the list: removed (reden wijziging 13), ended before AT
    ("X1", "PX1", "wmo", "07", "2020-01-01", "2020-01-01", "07A01", "D", "9", "16", "2", "46,50"),
    ("X2", "PX2", "wmo", "07", "2020-01-01", "2025-06-29", "07A01", "D", "9", "16", "2", "46,50"),
]
REMOVED = {"X1"}
HOUSEHOLDS = {"PS3k": "HS3", "PS3a": "HS3", "PS4k": "HS4", "PS4a": "HS4"}

COMMITMENT_U = 2 * 7000 * 52 / 365 * 181  # 361,008.22 cents over the utilisation window
CLAIMS = [
    # U1 realises 288,800 = 79.998 % of the commitment, U2 288,900 = 80.03 %
    ("C1", "U1", "wmo", "2025-03-01", "2025-03-31", "2888,00"),
    ("C2", "U2", "wmo", "2025-03-01", "2025-03-31", "2889,00"),
    ("C3", "N3", "wmo", "2025-03-01", "2025-03-31", "448,50"),  # before the window
    ("C4", "N4", "wmo", "2025-04-01", "2025-04-30", "448,50"),  # in it
]

TARIFFS = [
    ["wet", "productcode", "geldig_vanaf", "tarief", "geldig_tot", "eenheid"],
    ["wmo", "01A01", "2024-01-01", "34,50", "", "04"],
    ["wmo", "02A01", "2024-01-01", "70,00", "", "04"],
    ["wmo", "02A02", "2024-01-01", "78,00", "", "04"],
    ["wmo", "02A05", "2024-01-01", "48,50", "", "16"],
    ["wmo", "07A01", "2024-01-01", "46,50", "", "16"],
    ["jeugd", "45A48", "2024-01-01", "78,00", "", "04"],
    ["jeugd", "43A01", "2024-01-01", "137,37", "", "14"],
    ["participatie", "BIJST-A", "2024-01-01", "1,00", "", "83"],
]


def exchange_data() -> dict[str, list[list[str]]]:
    persons = sorted({a[1] for a in ALLOCATIONS})
    households = sorted({HOUSEHOLDS.get(p, "H" + p) for p in persons})
    return {
        "huishoudens": [["huishouden_id"], *[[h] for h in households]],
        "personen": [["persoon_id", "huishouden_id", "geboortedatum", "achternaam", "bsn"],
                     *[[p, HOUSEHOLDS.get(p, "H" + p), "1960-01-01", "Naam" + p, ""]
                       for p in persons]],
        "tarieven": TARIFFS,
        "toewijzingen": [ALLOCATION_HEADER, *[
            [*a[:11], a[11], "", "13" if a[0] in REMOVED else ""] for a in ALLOCATIONS]],
        "declaraties": [["declaratie_id", "toewijzingnummer", "wet", "periode_begin",
                         "periode_eind", "bedrag"], *[list(c) for c in CLAIMS]],
    }


@pytest.fixture
def rules_db(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    # The windows here are written out by hand up to AT: the claims of this small set are
    # taken as complete through AT (how incomplete months shorten the windows is
    # test_complete_months.py's subject).
    from sdesk.services.afschaling import candidates, inputs

    for module in (candidates, inputs):
        monkeypatch.setattr(module, "claims_through", lambda _engine, at: at)
    result = import_sources(engine, [write_folder(tmp_path / "rules", exchange_data())])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def fired(engine: Engine, rule: str, **params: object) -> set[str]:
    """Toewijzingnummers on which `rule` fires with QUIET plus `params` (asked for by name,
    so a signal lists what it fires on; every candidate, not a month's work)."""
    w = worklist(engine, KM, AT, dataclasses.replace(QUIET, **params), rule=rule,
                 everything=True)
    assert all(rule in c.rules for c in w.rows)
    return {c.toewijzingnummer for c in w.rows}


def saving(engine: Engine, nr: str, rule: str, **params: object) -> int:
    w = worklist(engine, KM, AT, dataclasses.replace(QUIET, **params), rule=rule,
                 everything=True)
    row = next(c for c in w.rows if c.toewijzingnummer == nr)
    return next(f.saving_cents for f in row.fired if f.id == rule)


def test_quiet_parameters_fire_only_the_stacking_cases(rules_db: Engine) -> None:
    # Stacking has no "off" value: two providers in one category always count. It is a
    # signal, not a reason: on its own it lists nobody, asked for by name it shows where it
    # fires. S3p is the household's bijstand: on the separate list (#16 item 1).
    assert worklist(rules_db, KM, AT, QUIET).rows == ()
    w = worklist(rules_db, KM, AT, QUIET, rule="stacking")
    assert {c.toewijzingnummer: c.rules for c in w.rows} == dict.fromkeys(
        ["S1a", "S1b", "S3j", "S3w"], ("stacking",))
    assert set(w.frame["priority"]) == {"verhoogd"}
    separate = worklist(rules_db, KM, AT, QUIET, rule="stacking", scope="apart")
    assert {c.toewijzingnummer: c.rules for c in separate.rows} == {"S3p": ("stacking",)}


def test_ending_soon_fires_in_8_weeks_not_a_day_later(rules_db: Engine) -> None:
    got = fired(rules_db, "ending_soon", ending_soon_weeks=8)
    assert "E1" in got and "E2" not in got
    assert "X2" not in got  # ended the day before AT
    share = saving(rules_db, "E1", "ending_soon", ending_soon_weeks=8)
    assert share == round(3 * 3450 * 52 * 0.25)


def test_open_ended_unreviewed_after_12_months(rules_db: Engine) -> None:
    # O3 was reviewed on 2024-07-01 (within the 12 months), O4 on 2024-06-30 (just not).
    record_decision(rules_db, KM, "O3", "wmo", "continue", date(2024, 7, 1), [])
    record_decision(rules_db, KM, "O4", "wmo", "continue", date(2024, 6, 30), [])
    got = fired(rules_db, "open_ended_unreviewed", open_ended_months=12)
    assert {"O1", "O4"} <= got
    assert not {"O2", "O3", "E1"} & got  # O2 started within 12 months; E1 has an end date


def test_long_duration_merges_touching_allocations(rules_db: Engine) -> None:
    got = fired(rules_db, "long_duration", long_duration_months=24)
    assert "L1b" in got  # spell L1a + L1b from 2023-01-01 (they touch)
    assert "L2b" not in got  # a day without support: the spell starts 2024-07-01
    assert "L4" in got and "L3" not in got  # from 2023-06-30 longer than 24 months, 07-01 not
    assert "L1a" not in got  # ended, not on the list
    # A category norm overrides the general one.
    longer = fired(rules_db, "long_duration", long_duration_months=24,
                   long_duration_norms={("wmo", "02"): 36})
    assert not {"L1b", "L4"} & longer


def test_high_intensity_norms_and_frequencies(rules_db: Engine) -> None:
    got = fired(rules_db, "high_intensity", group_norm_dagdelen=5.0, individual_norm_hours=4.0,
                household_help_max_hours=4.0)
    assert "I1" in got and "I2" not in got  # 5 vs 4 dagdelen per week
    assert "I3" in got  # 4 hours per week individual support
    assert "I4" in got and "I5" not in got  # 18 x 12/52 = 4.15, 17 x 12/52 = 3.92 a week
    assert "I6" in got and "I7" not in got  # hulp bij het huishouden: 5 > 4, 4 is allowed
    assert "I8" in got and "I9" not in got  # 160 / 40 weeks = 4, 156 / 40 = 3.9
    # Saving: down to the highest whole volume below the norm (4 dagdelen, 3 hours) or to
    # the household-help maximum.
    params = {"group_norm_dagdelen": 5.0, "individual_norm_hours": 4.0,
              "household_help_max_hours": 4.0}
    assert saving(rules_db, "I1", "high_intensity", **params) == 1 * 4650 * 52
    assert saving(rules_db, "I3", "high_intensity", **params) == 1 * 7000 * 52
    assert saving(rules_db, "I6", "high_intensity", **params) == 1 * 3450 * 52
    w = worklist(rules_db, KM, AT, dataclasses.replace(QUIET, **params))
    i1 = next(c for c in w.rows if c.toewijzingnummer == "I1")
    assert i1.proposal.kind == "volume" and i1.proposal.volume == 4.0
    assert i1.proposal.text == "Omvang verlagen tot de norm: 4 × Dagdeel (4 uur) per week"


def test_low_utilisation_below_80_percent(rules_db: Engine) -> None:
    got = fired(rules_db, "low_utilisation", utilisation_min_pct=80.0)
    assert "U1" in got and "U2" not in got
    # Unused part of the run-rate: 728,000 x (1 - 288,800 / commitment).
    assert saving(rules_db, "U1", "low_utilisation", utilisation_min_pct=80.0) == round(
        2 * 7000 * 52 * (1 - 288_800 / COMMITMENT_U))
    # Without any claim every allocation with a commitment is below 80 %.
    assert {"E1", "I1", "O1"} <= got


def test_no_claims_in_the_last_3_months(rules_db: Engine) -> None:
    got = fired(rules_db, "no_claims", no_claims_months=3)
    assert "N1" in got  # started 2025-03-31, before the window
    assert "N2" not in got  # started on the window's first day
    assert "N3" in got and "N4" not in got  # a claim in March does not count, April does
    assert saving(rules_db, "N1", "no_claims", no_claims_months=3) == 3 * 3450 * 52


def test_stacking_providers_and_laws(rules_db: Engine) -> None:
    got = fired(rules_db, "stacking", stacking_laws=3)
    assert {"S1a", "S1b"} <= got  # one person, one category, providers A and B
    assert not {"S2a", "S2b"} & got  # the same provider twice
    assert {"S3j", "S3w"} <= got  # household under three laws (S3p: the separate list)
    assert not {"S4j", "S4w"} & got  # two laws
    assert {"S4j", "S4w"} <= fired(rules_db, "stacking", stacking_laws=2)


def test_high_cost_alone_puts_nobody_on_the_list(rules_db: Engine) -> None:
    """High cost says "look here first" (#16 item 2): on its own it lists nobody."""
    # Every allocation costs more than EUR 0.01 a year: high cost fires on all of them, and
    # with the stacking signal beside it the default list is still empty.
    costly = dataclasses.replace(QUIET, high_cost_threshold_cents=1)
    assert worklist(rules_db, KM, AT, costly).rows == ()
    stacked = worklist(rules_db, KM, AT, costly, rule="stacking")
    assert {c.toewijzingnummer: c.rules for c in stacked.rows} == dict.fromkeys(
        ["S1a", "S1b", "S3j", "S3w"], ("stacking", "high_cost"))
    assert set(stacked.frame["priority"]) == {"hoog"}
    # A reason (ending within 27 weeks) lists E1; high cost raises its priority.
    soon = worklist(rules_db, KM, AT, dataclasses.replace(costly, ending_soon_weeks=27),
                    everything=True)
    e1 = next(c for c in soon.rows if c.toewijzingnummer == "E1")
    assert e1.rules == ("ending_soon", "high_cost") and e1.lead_rule == "ending_soon"
    assert soon.frame.loc[soon.find("E1"), "priority"] == "hoog"


# Every allocation ending by 2026-01-05 is "ending soon" with 27 weeks: a reason to list it,
# so the high-cost rule can be seen raising the priority.
SOON = {"ending_soon_weeks": 27}


def test_high_cost_threshold_and_top_n(rules_db: Engine) -> None:
    got = fired(rules_db, "high_cost", high_cost_threshold_cents=5_000_000, **SOON)
    assert "H1" in got and "H2" not in got  # 5,000,268 vs 4,999,904 a year
    w = worklist(rules_db, KM, AT, dataclasses.replace(QUIET, high_cost_threshold_cents=5_000_000,
                                                       **SOON))
    priority = dict(zip(w.frame["toewijzingnummer"], w.frame["priority"], strict=True))
    assert (priority["H1"], priority["H2"]) == ("hoog", "normaal")
    assert fired(rules_db, "high_cost", high_cost_top_n=1, **SOON) & {"H1", "H2"} == {"H1"}
    top2 = fired(rules_db, "high_cost", high_cost_top_n=2, **SOON)
    assert {"H1", "H2"} <= top2
    # Top N counts per law: the costliest wmo client is on it as well.
    assert any(nr.startswith(("I", "L", "U", "S", "E", "O", "N")) for nr in top2 - {"H1",
                                                                                   "H2"})


def test_lighter_product_default_ladder(rules_db: Engine) -> None:
    ladder = default_ladder(rules_db, AT)
    assert [(s.product_code, s.tariff_cents, s.unit) for s in ladder[("wmo", "02")]] == [
        ("02A02", 7800, "04"), ("02A01", 7000, "04"), ("02A05", 4850, "16")]
    got = fired(rules_db, "lighter_product", ladder=None)
    assert "LP1" in got  # 02A02 at 78,00 -> 02A01 at 70,00
    assert "LP2" not in got  # paid 69,00: 02A01 is not cheaper
    assert "LP3" not in got  # 02A05 is the lightest (and the only dagdeel product)
    assert "I3" not in got  # 02A01 has no lighter product with the unit uur
    assert saving(rules_db, "LP1", "lighter_product", ladder=None) == 3 * (7800 - 7000) * 52
    w = worklist(rules_db, KM, AT, dataclasses.replace(QUIET, ladder=None))
    lp1 = next(c for c in w.rows if c.toewijzingnummer == "LP1")
    assert lp1.proposal.kind == "product" and lp1.proposal.product_code == "02A01"


def test_lighter_product_own_ladder(rules_db: Engine) -> None:
    own = {("wmo", "02"): (LadderStep("02A02", 7800, "04"), LadderStep("02A01", 7000, "04"),
                           LadderStep("02L", 5000, "04"))}
    got = fired(rules_db, "lighter_product", ladder=own)
    assert {"LP1", "LP2", "I3"} <= got  # 02A01 now has a lighter rung, 02L
    assert saving(rules_db, "LP1", "lighter_product", ladder=own) == 3 * (7800 - 7000) * 52
    assert saving(rules_db, "LP2", "lighter_product", ladder=own) == 3 * (6900 - 5000) * 52
    assert saving(rules_db, "I3", "lighter_product", ladder=own) == 4 * (7000 - 5000) * 52


def test_removed_and_ended_allocations_never_appear(rules_db: Engine) -> None:
    loud = RuleParameters(high_cost_top_n=100, stacking_laws=2)
    numbers = {c.toewijzingnummer for c in worklist(rules_db, KM, AT, loud).rows}
    assert not {"X1", "X2", "L1a", "L2a"} & numbers
    assert "I1" in numbers


@pytest.mark.parametrize(("change", "message"), [
    ({"ending_soon_weeks": -1}, "Het aantal weken voor 'einddatum nadert' moet een geheel "
                                "getal van minstens 1 zijn (nu -1)."),
    ({"utilisation_months": 0}, "Het venster voor 'lage uitnutting' (maanden) moet een "
                                "geheel getal van minstens 1 zijn (nu 0)."),
    ({"no_claims_months": 0}, "Het venster voor 'geen declaraties' (maanden) moet een geheel "
                              "getal van minstens 1 zijn (nu 0)."),
    ({"utilisation_min_pct": 101.0}, "De ondergrens voor de uitnutting moet tussen 0 % en "
                                     "100 % liggen (nu 101.0 %)."),
    ({"step_down_share_pct": -5.0}, "Het standaard afschalingsdeel moet tussen 0 % en 100 % "
                                    "liggen (nu -5.0 %)."),
    ({"group_norm_dagdelen": 0.0}, "De norm voor groepsondersteuning (dagdelen per week) "
                                   "moet groter dan 0 zijn (nu 0.0)."),
    ({"stacking_laws": 4}, "Stapeling telt bij 2 of 3 wetten (nu 4)."),
    ({"long_duration_norms": {("wmo", "02"): 0}},
     "De norm voor 'lange duur' van wmo categorie 02 moet minstens 1 maand zijn (nu 0)."),
    ({"high_cost_threshold_cents": 0}, "De drempel voor hoge jaarkosten moet groter dan € 0 "
                                       "zijn."),
    ({"ladder": {("wmo", "02"): (LadderStep("A", 100), LadderStep("A", 50))}},
     "Product A staat twee keer op de productladder van wmo categorie 02."),
    ({"ladder": {("wmo", "02"): (LadderStep("A", -1),)}},
     "Het tarief van A op de productladder moet 0 of meer zijn (nu -1)."),
])
def test_parameters_out_of_range_are_refused(rules_db: Engine, db_path: Path,
                                             change: dict[str, object], message: str) -> None:
    params = dataclasses.replace(RuleParameters(), **change)
    with pytest.raises(ReviewError) as caught:
        params.validate()
    assert str(caught.value) == message
    before = dump(db_path)
    with pytest.raises(ReviewError, match="moet|telt|staat"):
        worklist(rules_db, KM, AT, params)
    assert dump(db_path) == before


def test_registry_explains_with_the_parameters() -> None:
    assert [r.id for r in rule_catalogue()] == list(RULE_IDS)
    text = rule_explanation("ending_soon", RuleParameters(ending_soon_weeks=6))
    assert "binnen 6 weken" in text and "25 %" in text
    high = rule_explanation("high_cost", RuleParameters(high_cost_top_n=20,
                                                        high_cost_threshold_cents=7_500_050))
    assert "20 duurste" in high and "€ 75.000,50" in high
    with pytest.raises(ReviewError, match="Onbekende regel 'x'"):
        rule_explanation("x")
