"""The afschaling worklist: sorting, expected savings by hand, recent decisions, filters,
pseudonyms, the JSON of `sdesk review --json` and the workbook.

Peildatum AT = 2025-06-30; utilisation window 2025-01-01..2025-06-30 (181 days), no-claims
window 2025-04-01..2025-06-30. Parameters: the defaults, without the top-10 part of high_cost
(in five allocations everybody is in the top 10).

  allocation                                  run-rate (cents)          rule -> saving
  W30 wmo 07 dagbesteding 6 dagdelen x 46,50  6 x 4650 x 52 = 1,450,800  high_intensity:
                                                                       down to 4 dagdelen,
                                                                       2 x 4650 x 52 = 483,600
  W40 wmo 02 2 uur x 70,00, half used         2 x 7000 x 52 =   728,000  low_utilisation:
                                                                       728,000 x (1 - used)
  W10 wmo 01 3 uur x 34,50, ends 2025-08-15   3 x 3450 x 52 =   538,200  ending_soon: 25 %
                                                                       = 134,550
  W20 wmo 02 02A02 3 uur x 78,00              3 x 7800 x 52 = 1,216,800  lighter_product
                                                                       02A01: 3 x 800 x 52
                                                                       = 124,800
  J10 jeugd 45 1 uur x 78,00, ends 2025-07-31 1 x 7800 x 52 =   405,600  ending_soon: 25 %
                                                                       = 101,400
  W50 removed (reden 13), W60 ended 2025-03-31: never on the list.

Every allocation but W40 has a June claim equal to its commitment over the window, so it is
fully used and has a claim in the last three months.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.services.afschaling.candidates import worklist, worklist_json
from sdesk.services.afschaling.decisions import record_decision
from sdesk.services.afschaling.rules import RULE_IDS, ReviewError, RuleParameters
from sdesk.services.afschaling.workbook import write_worklist_workbook
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform import cache
from sdesk.services.platform.actor import Actor
from tests.integration.exchange_data import write_folder

AT = date(2025, 6, 30)
KM = Actor("Kim", "klantmanager")
CONTROLLER = Actor("Carla", "controller")
# Every chance 100 %: the expected saving is the saving if done, pinned by hand below (the
# chances themselves are tested in tests/integration/afschaling/test_chances.py).
CERTAIN = {r: 100.0 for r in RULE_IDS}
PARAMS = RuleParameters(high_cost_top_n=0, default_chances_pct=CERTAIN)

USED_W40 = 180_504  # cents claimed in the window; the commitment is 728,000 x 181 / 365
W40_SAVING = round(2 * 7000 * 52 * (1 - USED_W40 / (2 * 7000 * 52 * 181 / 365)))

DATA = {
    "huishoudens": [["huishouden_id"], ["HA"], ["HB"], ["HC"], ["HD"], ["HE"], ["HF"], ["HG"]],
    "personen": [
        ["persoon_id", "huishouden_id", "geboortedatum", "achternaam", "voornaam", "bsn"],
        ["PA", "HA", "1950-01-01", "Vos", "Anna", "999900006"],
        ["PB", "HB", "1960-01-01", "Bakker", "Bert", ""],
        ["PC", "HC", "1970-01-01", "Claes", "Cor", "999999990"],
        ["PD", "HD", "1980-01-01", "Dijk", "Dirk", ""],
        ["PE", "HE", "1980-01-01", "Eek", "Els", ""],
        ["PF", "HF", "1980-01-01", "Fris", "Fien", ""],
        ["PG", "HG", "2015-01-01", "Gans", "Gijs", ""],
    ],
    "medewerkers": [["medewerker_id", "naam", "rol", "team"],
                    ["M1", "Sanne de Vries", "klantmanager", "Noord"],
                    ["M2", "Piet Pieters", "klantmanager", "Zuid"]],
    "tarieven": [["wet", "productcode", "geldig_vanaf", "tarief", "eenheid"],
                 ["wmo", "01A01", "2024-01-01", "34,50", "04"],
                 ["wmo", "02A01", "2024-01-01", "70,00", "04"],
                 ["wmo", "02A02", "2024-01-01", "78,00", "04"],
                 ["wmo", "07A01", "2024-01-01", "46,50", "16"],
                 ["jeugd", "45A48", "2024-01-01", "78,00", "04"]],
    "toewijzingen": [
        ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
         "einddatum", "productcode", "aanbieder", "volume", "eenheid", "frequentie", "tarief",
         "medewerker_id", "reden_wijziging"],
        ["W10", "PA", "wmo", "01", "2025-01-01", "2025-08-15", "01A01", "Thuiszorg", "3", "04",
         "2", "34,50", "M1", ""],
        ["W20", "PB", "wmo", "02", "2025-01-01", "", "02A02", "Begeleiding", "3", "04", "2",
         "78", "M1", ""],
        ["W30", "PC", "wmo", "07", "2024-09-01", "2025-12-31", "07A01", "Dagbesteding", "6",
         "16", "2", "46,50", "M2", ""],
        ["W40", "PD", "wmo", "02", "2025-01-01", "2025-12-31", "02A01", "Begeleiding", "2",
         "04", "2", "70", "M2", ""],
        ["W50", "PE", "wmo", "07", "2025-01-01", "2025-01-01", "07A01", "Dagbesteding", "9",
         "16", "2", "46,50", "M2", "13"],
        ["W60", "PF", "wmo", "07", "2024-01-01", "2025-03-31", "07A01", "Dagbesteding", "9",
         "16", "2", "46,50", "M2", ""],
        ["J10", "PG", "jeugd", "45", "2025-01-01", "2025-07-31", "45A48", "Jeugdhulp", "1",
         "04", "2", "78", "", ""],
    ],
    # June claims equal to the commitment over the window (run-rate x 181 / 365).
    "declaraties": [
        ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag"],
        ["D10", "W10", "wmo", "2025-06-01", "2025-06-30", "2668,87"],
        ["D20", "W20", "wmo", "2025-06-01", "2025-06-30", "6034,00"],
        ["D30", "W30", "wmo", "2025-06-01", "2025-06-30", "7194,34"],
        ["D40", "W40", "wmo", "2025-06-01", "2025-06-30", "1805,04"],
        ["J1", "J10", "jeugd", "2025-06-01", "2025-06-30", "2011,32"],
    ],
}


@pytest.fixture
def wl_db(engine: Engine, tmp_path: Path) -> Engine:
    result = import_sources(engine, [write_folder(tmp_path / "wl", DATA)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_sorted_by_expected_saving_computed_by_hand(wl_db: Engine) -> None:
    w = worklist(wl_db, KM, AT, PARAMS)
    got = [(c.toewijzingnummer, c.annual_cost_cents, c.expected_saving_cents, c.rules)
           for c in w.rows]
    assert got == [
        ("W30", 6 * 4650 * 52, 2 * 4650 * 52, ("high_intensity",)),
        ("W40", 2 * 7000 * 52, W40_SAVING, ("low_utilisation",)),
        ("W10", 3 * 3450 * 52, round(3 * 3450 * 52 * 0.25), ("ending_soon",)),
        ("W20", 3 * 7800 * 52, 3 * (7800 - 7000) * 52, ("lighter_product",)),
        ("J10", 1 * 7800 * 52, round(1 * 7800 * 52 * 0.25), ("ending_soon",)),
    ]
    assert W40_SAVING == 364_000  # 728,000 - 180,504 x 365 / 181 = 364,000.22
    rows = {c.toewijzingnummer: c for c in w.rows}
    assert rows["W30"].proposal.kind == "volume" and rows["W30"].proposal.volume == 4.0
    assert rows["W40"].proposal.kind == "volume"
    assert rows["W40"].proposal.volume == round(2 * USED_W40 / (2 * 7000 * 52 * 181 / 365), 2)
    assert rows["W40"].proposal.text.startswith("Omvang afstemmen op het gebruik (50 % benut)")
    assert rows["W10"].proposal.kind == "end"
    assert rows["W10"].proposal.end_date == date(2025, 8, 15)
    assert rows["W10"].proposal.text == "Niet verlengen: laten aflopen op 15-08-2025"
    assert rows["W20"].proposal.product_code == "02A01"
    assert rows["W10"].category_label == "Hulp bij het huishouden"
    assert (rows["W10"].employee, rows["W10"].team) == ("Sanne de Vries", "Noord")
    assert rows["W30"].omvang == "6 × Dagdeel (4 uur) per week"
    assert rows["W10"].fired[0].explanation.startswith("De einddatum valt binnen 8 weken")


def test_the_maximum_over_rules_not_the_sum(wl_db: Engine) -> None:
    # With the top 10 back, every row also fires high_cost (25 %); W10 and J10 now have two
    # rules of 25 % each and still save 25 %, W30 keeps its larger intensity saving.
    w = worklist(wl_db, KM, AT, RuleParameters(default_chances_pct=CERTAIN))
    rows = {c.toewijzingnummer: c for c in w.rows}
    assert rows["W10"].rules == ("ending_soon", "high_cost")
    assert rows["W10"].expected_saving_cents == round(3 * 3450 * 52 * 0.25)
    assert rows["W30"].expected_saving_cents == 2 * 4650 * 52
    assert rows["W30"].lead_rule == "high_intensity"
    # W20: 25 % of 1,216,800 = 304,200 for high cost is more than the lighter product's
    # 124,800, but high cost is a signal: the reason (the lighter product) leads and proposes,
    # high cost raises the priority.
    assert rows["W20"].expected_saving_cents == 124_800
    assert rows["W20"].lead_rule == "lighter_product"
    assert rows["W20"].proposal.kind == "product"
    assert w.frame.loc[w.find("W20"), "priority"] == "hoog"


def test_summary(wl_db: Engine) -> None:
    s = worklist(wl_db, KM, AT, PARAMS).summary
    assert s.candidates == 5
    assert s.expected_saving_total_cents == (483_600 + W40_SAVING + 134_550 + 124_800
                                             + 101_400)
    assert s.annual_cost_total_cents == 1_450_800 + 728_000 + 538_200 + 1_216_800 + 405_600
    assert s.by_rule == {"ending_soon": 2, "open_ended_unreviewed": 0, "long_duration": 0,
                         "high_intensity": 1, "low_utilisation": 1, "no_claims": 0,
                         "stacking": 0, "high_cost": 0, "lighter_product": 1}


def test_removed_and_ended_never_appear(wl_db: Engine) -> None:
    loud = RuleParameters(high_cost_top_n=100, ending_soon_weeks=520)
    numbers = {c.toewijzingnummer for c in worklist(wl_db, KM, AT, loud).rows}
    assert numbers == {"W10", "W20", "W30", "W40", "J10"}


def test_recent_decision_leaves_the_list_until_a_new_rule_fires(wl_db: Engine) -> None:
    record_decision(wl_db, KM, "W30", "wmo", "scale_down", AT - timedelta(days=10),
                    ["high_intensity"], new_volume=4)
    w = worklist(wl_db, KM, AT, PARAMS)
    assert "W30" not in {c.toewijzingnummer for c in w.rows}
    assert w.summary.by_rule["high_intensity"] == 0
    # A new reason: with a 30-week horizon W30 (ends 2025-12-31) is ending soon.
    later = worklist(wl_db, KM, AT, dataclasses.replace(PARAMS, ending_soon_weeks=30))
    back = next(c for c in later.rows if c.toewijzingnummer == "W30")
    assert back.rules == ("ending_soon", "high_intensity")
    assert back.new_rules == ("ending_soon",)
    assert back.last_decision == "scale_down"
    assert back.last_review_date == AT - timedelta(days=10)


def test_recent_means_at_most_90_days(wl_db: Engine) -> None:
    record_decision(wl_db, KM, "W20", "wmo", "continue", AT - timedelta(days=90),
                    ["lighter_product"])
    record_decision(wl_db, KM, "W10", "wmo", "continue", AT - timedelta(days=91),
                    ["ending_soon"])
    numbers = [c.toewijzingnummer for c in worklist(wl_db, KM, AT, PARAMS).rows]
    assert numbers == ["W30", "W40", "W10", "J10"]  # W20 decided 90 days ago: off
    shorter = worklist(wl_db, KM, AT, dataclasses.replace(PARAMS, recent_decision_days=89))
    assert "W20" in {c.toewijzingnummer for c in shorter.rows}


def test_filters(wl_db: Engine) -> None:
    def numbers(**filters: str) -> list[str]:
        return [c.toewijzingnummer for c in worklist(wl_db, KM, AT, PARAMS, **filters).rows]

    assert numbers(law="jeugd") == ["J10"]
    assert numbers(team="Zuid") == ["W30", "W40"]
    assert numbers(employee="M1") == ["W10", "W20"]
    assert numbers(rule="ending_soon") == ["W10", "J10"]
    assert numbers(law="wmo", team="Noord", rule="lighter_product") == ["W20"]
    with pytest.raises(ReviewError, match="Onbekende wet 'wlz'"):
        worklist(wl_db, KM, AT, PARAMS, law="wlz")
    with pytest.raises(ReviewError, match="Onbekende regel"):
        worklist(wl_db, KM, AT, PARAMS, rule="cheap")


def test_filters_do_not_change_the_rules(wl_db: Engine) -> None:
    # high_cost ranks all persons of the law, whatever the filter shows.
    top1 = dataclasses.replace(PARAMS, high_cost_top_n=1)
    everyone = worklist(wl_db, KM, AT, top1)
    zuid = worklist(wl_db, KM, AT, top1, team="Zuid")
    costly = {c.toewijzingnummer for c in everyone.rows if "high_cost" in c.rules}
    assert costly == {"W30", "J10"}  # the costliest wmo and jeugd clients
    assert {c.toewijzingnummer for c in zuid.rows if "high_cost" in c.rules} == {"W30"}


def test_identity_for_the_klantmanager_pseudonyms_for_the_controller(wl_db: Engine) -> None:
    km = {c.toewijzingnummer: c for c in worklist(wl_db, KM, AT, PARAMS).rows}
    assert (km["W10"].person, km["W10"].person_name, km["W10"].bsn) == (
        "PA", "Vos, Anna", "999900006")
    w = worklist(wl_db, CONTROLLER, AT, PARAMS)
    assert len(w) == 5
    for c in w.rows:
        assert c.person.startswith("P-") and c.person_name is None and c.bsn is None
    text = json.dumps(worklist_json(w))
    for secret in ("Vos", "Anna", "999900006", "999999990", "Claes", '"PA"', '"PC"'):
        assert secret not in text
    assert not w.frame[["person_name", "bsn"]].notna().any().any()


def test_json_keys_and_euros(wl_db: Engine) -> None:
    data = worklist_json(worklist(wl_db, KM, AT, PARAMS))
    assert set(data) == {"at", "scope", "candidates", "summary"}
    assert data["at"] == "2025-06-30"
    assert data["scope"]["name"] == "standaard"
    assert "zonder Participatiewet-uitkeringen" in data["scope"]["text"]
    first = data["candidates"][0]
    assert set(first) == {"toewijzingnummer", "law", "person", "category", "product",
                          "annual_cost", "rules", "expected_saving", "priority", "chance",
                          "chance_source", "chance_decisions", "saving_if_done"}
    assert first == {"toewijzingnummer": "W30", "law": "wmo", "person": "PC", "category": "07",
                     "product": "07A01", "annual_cost": 14508.0, "rules": ["high_intensity"],
                     "expected_saving": 4836.0, "priority": "normaal", "chance": 1.0,
                     "chance_source": "standaard", "chance_decisions": 0,
                     "saving_if_done": 4836.0}
    assert data["candidates"][1]["expected_saving"] == round(W40_SAVING / 100, 2)
    total = round((483_600 + W40_SAVING + 134_550 + 124_800 + 101_400) / 100, 2)
    assert data["summary"] == {
        "candidates": 5,
        "expected_saving_total": total,
        "by_rule": {"ending_soon": 2, "open_ended_unreviewed": 0, "long_duration": 0,
                    "high_intensity": 1, "low_utilisation": 1, "no_claims": 0, "stacking": 0,
                    "high_cost": 0, "lighter_product": 1},
        "expected_saving_weighted": total, "saving_if_done_total": total,
        # Two klantmanagers without a known fte: 2 x 20 reviews a month.
        "capacity_per_month": 40, "capacity_expected_saving": total,
        "running_allocations": 5,
        "running_annual_cost": (1_450_800 + 728_000 + 538_200 + 1_216_800 + 405_600) / 100,
        "chances": {r: {"chance": 1.0, "source": "standaard", "decisions": 0}
                    for r in RULE_IDS},
        "team_fte": 2.0, "capacity_months": 1, "qualifying": 5,
        "qualifying_expected_saving": total, "beyond_capacity": 0}
    json.dumps(data)  # plain JSON types only


def _sheet_rows(path: Path, sheet: str) -> list[tuple]:
    ws = load_workbook(path)[sheet]
    return [tuple(r) for r in ws.iter_rows(values_only=True)]


def test_workbook_has_the_same_rows_and_totals(wl_db: Engine, tmp_path: Path) -> None:
    w = worklist(wl_db, KM, AT, PARAMS)
    path = write_worklist_workbook(w, tmp_path / "werklijst.xlsx", "Kim (klantmanager)")
    rows = _sheet_rows(path, "Werklijst")
    assert rows[0][0] == "Werklijst afschaling"
    assert rows[1][0] == "Peildatum" and rows[1][1].date() == AT
    assert rows[2][:2] == ("Gebruiker", "Kim (klantmanager)")
    assert rows[4][0] == "Filters" and rows[4][1].startswith("geen | regels:")
    header = next(i for i, r in enumerate(rows) if r[0] == "Toewijzing")
    names = rows[header]
    assert names[:5] == ("Toewijzing", "Wet", "Cliënt", "Naam", "BSN")
    data = rows[header + 1:-1]
    assert [r[0] for r in data] == ["W30", "W40", "W10", "W20", "J10"]
    cost = names.index("Jaarkosten")
    saving = names.index("Verwachte besparing")
    assert [r[saving] for r in data] == [
        round(c.expected_saving_cents / 100, 2) for c in w.rows]
    total = rows[-1]
    assert total[0] == "Totaal"
    assert total[cost] == round(w.summary.annual_cost_total_cents / 100, 2)
    assert total[saving] == round(w.summary.expected_saving_total_cents / 100, 2)
    assert total[saving] == pytest.approx(sum(r[saving] for r in data))
    assert data[0][names.index("Naam")] == "Claes, Cor"
    begin = names.index("Begin")
    assert data[0][begin].date() == date(2024, 9, 1)
    ws = load_workbook(path)["Werklijst"]
    assert ws.cell(row=header + 2, column=saving + 1).number_format == '"€" #,##0.00'
    assert ws.freeze_panes == f"A{header + 2}"
    # Printed landscape, as wide as one page.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    rules = _sheet_rows(path, "Regels")
    counts = {r[0]: r[3] for r in rules if r[0] in w.summary.by_rule}
    assert counts == w.summary.by_rule


def test_controller_workbook_has_no_names(wl_db: Engine, tmp_path: Path) -> None:
    w = worklist(wl_db, CONTROLLER, AT, PARAMS)
    path = write_worklist_workbook(w, tmp_path / "controller.xlsx", "Carla (controller)")
    rows = _sheet_rows(path, "Werklijst")
    header = next(r for r in rows if r[0] == "Toewijzing")
    assert "Naam" not in header and "BSN" not in header
    text = repr(rows)
    assert "Vos" not in text and "999900006" not in text and "'PA'" not in text


def test_viewing_the_worklist_is_audited(wl_db: Engine) -> None:
    from sdesk.services.platform import audit
    worklist(wl_db, CONTROLLER, AT, PARAMS, team="Zuid")
    event = audit.list_events(wl_db, action=audit.VIEW, limit=1)[0]
    assert (event.user, event.role, event.row_count) == ("Carla", "controller", 2)
    assert event.object == "werklijst afschaling op 2025-06-30 (filters: team Zuid)"
    assert audit.verify(wl_db).ok


def _hand_rows() -> list[tuple]:
    return [("W30", 2 * 4650 * 52), ("W40", W40_SAVING), ("W10", round(3 * 3450 * 52 * 0.25)),
            ("W20", 3 * (7800 - 7000) * 52), ("J10", round(1 * 7800 * 52 * 0.25))]


def _stored_keys(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql(
            "SELECT key FROM stored_frame WHERE kind = 'worklist_inputs'")]


def _new_session_that_may_not_gather(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing in memory, and gathering from the tables is not allowed."""
    from sdesk.services.afschaling import inputs as inputs_module
    cache.forget(engine, stored=False)

    def refuse(*_args: object) -> None:
        raise AssertionError("the stored inputs were not used")
    monkeypatch.setattr(inputs_module, "load_inputs", refuse)


def test_a_new_session_reads_the_stored_inputs(wl_db: Engine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:

    first = worklist(wl_db, KM, AT, PARAMS)
    assert len(_stored_keys(wl_db)) == 1
    _new_session_that_may_not_gather(wl_db, monkeypatch)
    again = worklist(wl_db, KM, AT, PARAMS)
    assert [(c.toewijzingnummer, c.expected_saving_cents) for c in again.rows] == _hand_rows()
    assert again.rows == first.rows
    assert again.rows[0].person_name == "Claes, Cor" and again.rows[0].bsn == "999999990"


def test_an_import_makes_the_stored_inputs_stale(wl_db: Engine, tmp_path: Path) -> None:
    worklist(wl_db, KM, AT, PARAMS)
    changed = json.loads(json.dumps(DATA))
    w20 = next(r for r in changed["toewijzingen"] if r[0] == "W20")
    w20[8] = "2"  # 2 hours a week instead of 3
    assert import_sources(wl_db, [write_folder(tmp_path / "changed", changed)]).ok
    w = worklist(wl_db, KM, AT, PARAMS)
    rows = {c.toewijzingnummer: c for c in w.rows}
    assert rows["W20"].annual_cost_cents == 2 * 7800 * 52
    assert rows["W20"].expected_saving_cents == 2 * (7800 - 7000) * 52
    assert len(_stored_keys(wl_db)) == 2  # the old data version's entry and the new one


def test_a_damaged_stored_entry_is_computed_again(wl_db: Engine) -> None:
    worklist(wl_db, KM, AT, PARAMS)
    with wl_db.begin() as conn:
        conn.exec_driver_sql("UPDATE stored_frame SET payload = x'00ff'")
    cache.forget(wl_db, stored=False)
    w = worklist(wl_db, KM, AT, PARAMS)
    assert [(c.toewijzingnummer, c.expected_saving_cents) for c in w.rows] == _hand_rows()


def test_an_encrypted_database_gives_the_same_worklist(wl_db: Engine, db_path: Path) -> None:
    """SQLCipher engines keep one connection per thread: the worklist reads without workers
    there, with the same result."""
    from sdesk.services.platform.db import open_database
    from sdesk.services.platform.encryption import encrypt

    wl_db.dispose()
    encrypt(db_path, "geheim wachtwoord 123")
    encrypted = open_database(db_path, passphrase="geheim wachtwoord 123")
    try:
        for _ in range(3):
            w = worklist(encrypted, KM, AT, PARAMS)
            assert [(c.toewijzingnummer, c.expected_saving_cents)
                    for c in w.rows] == _hand_rows()
            cache.forget(encrypted)
    finally:
        encrypted.dispose()


def test_persons_added_by_an_import_during_the_read_are_found(
        wl_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The persons are read on another connection; when an import commits in between, the
    persons that query did not see are read by id."""
    from sdesk.services.afschaling import inputs as inputs_module
    real = inputs_module.persons_active_query

    def without_pc(at: date) -> tuple[str, tuple[object, ...]]:
        sql, params = real(at)
        return sql + " AND p.external_id <> 'PC'", params
    monkeypatch.setattr(inputs_module, "persons_active_query", without_pc)
    cache.forget(wl_db)  # the import prepared the inputs already: gather anew
    rows = {c.toewijzingnummer: c for c in worklist(wl_db, KM, AT, PARAMS).rows}
    assert rows["W30"].person == "PC" and rows["W30"].person_name == "Claes, Cor"
    assert rows["W30"].expected_saving_cents == 2 * 4650 * 52


def test_an_import_prepares_the_worklist_for_the_last_day_with_data(
        wl_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The newest claim period ends on 2025-06-30 (AT), the screen's default peildatum: the
    import stored the inputs for it, so a new session computes nothing."""
    from sdesk.services.platform.peildatum import last_day_with_data

    assert last_day_with_data(wl_db) == AT
    keys = _stored_keys(wl_db)
    assert len(keys) == 1 and repr(AT) in keys[0]
    _new_session_that_may_not_gather(wl_db, monkeypatch)
    w = worklist(wl_db, KM, AT, PARAMS)
    assert [(c.toewijzingnummer, c.expected_saving_cents) for c in w.rows] == _hand_rows()


@pytest.mark.parametrize("error", [sqlite3.OperationalError("database or disk is full"),
                                   MemoryError()])
def test_a_failed_preparation_never_fails_the_import(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        error: BaseException) -> None:
    """The raw cursor's sqlite3 errors are not SQLAlchemy's: any failure is caught."""
    from sdesk.services.afschaling import inputs as inputs_module
    calls: list[int] = []

    def fails(*_args: object) -> None:
        calls.append(1)
        raise error
    monkeypatch.setattr(inputs_module, "allocations_active_on", fails)
    result = import_sources(engine, [write_folder(tmp_path / "wl", DATA)])
    assert calls == [1]  # the preparation ran and failed
    assert result.ok and result.counts["toewijzingen"] == 7
    assert _stored_keys(engine) == []
    monkeypatch.undo()
    w = worklist(engine, KM, AT, PARAMS)  # computed on first use instead
    assert [(c.toewijzingnummer, c.expected_saving_cents) for c in w.rows] == _hand_rows()


def test_a_cancel_after_the_commit_skips_the_preparation(engine: Engine,
                                                          tmp_path: Path) -> None:
    messages: list[str] = []
    result = import_sources(engine, [write_folder(tmp_path / "wl", DATA)],
                            progress=lambda _f, m: messages.append(m),
                            cancelled=lambda: "Afronden" in messages)
    assert result.ok and result.counts["toewijzingen"] == 7  # too late to undo
    assert "Werklijst afschaling voorbereiden" not in messages
    assert _stored_keys(engine) == []


def test_nothing_is_prepared_without_claims(engine: Engine, tmp_path: Path) -> None:
    from sdesk.services.afschaling import prepare_default_inputs
    from sdesk.services.platform.peildatum import last_day_with_data

    data = {**DATA, "declaraties": DATA["declaraties"][:1]}
    assert import_sources(engine, [write_folder(tmp_path / "wl", data)]).ok
    assert last_day_with_data(engine) is None
    assert prepare_default_inputs(engine) is None
    assert _stored_keys(engine) == []


def test_two_threads_asking_at_once_gather_the_inputs_once(
        wl_db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen asking while an import prepares the list: one gathers, the other waits."""
    import threading
    import time

    from sdesk.services.afschaling import inputs as inputs_module
    cache.forget(wl_db)
    real = inputs_module.load_inputs
    calls: list[int] = []

    def slow(*args: object) -> object:
        calls.append(1)
        time.sleep(0.3)
        return real(*args)  # type: ignore[arg-type]
    monkeypatch.setattr(inputs_module, "load_inputs", slow)
    results: list[object] = []
    threads = [threading.Thread(target=lambda: results.append(worklist(wl_db, KM, AT, PARAMS)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 2
    assert all([(c.toewijzingnummer, c.expected_saving_cents) for c in r.rows] == _hand_rows()
               for r in results)  # type: ignore[attr-defined]
    assert cache._building == {}  # noqa: SLF001 (the one cache leaves no build lock behind)
