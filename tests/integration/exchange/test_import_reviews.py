"""The optional exchange file `beoordelingen` (#16): reviews kept in a spreadsheet come in like
decisions recorded on screen, all or nothing, audited with the import, and go out again.

Allocations from tests/integration/afschaling/test_realised_saving.py: wmo 02A01 at EUR 70 an
hour, 4 hours a week (run-rate 4 x 7,000 x 52 = 1,456,000 cents a year), claimed at EUR 100 a
day October 2024 .. March 2025.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.afschaling.results import business_case
from sdesk.services.exchange.export import export_exchange
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform import audit
from sdesk.services.platform.db import open_database
from tests.integration.afschaling.test_realised_saving import BEFORE
from tests.integration.exchange_data import dump, write_folder

HEADER = ["toewijzingnummer", "wet", "datum", "besluit", "medewerker_id", "nieuw_volume",
          "nieuwe_einddatum", "notitie"]
GOOD = {"beoordelingen": [
    HEADER,
    ["A3", "wmo", "31-03-2025", "Beëindigen", "M1", "", "", "Zelf geregeld"],
    ["A4", "Wmo", "2025-03-31", "afschalen", "M1", "2", "", ""],
    ["A1", "wmo", "2025-03-31", "continue", "M2", "", "2025-12-31", ""],
]}
STORED = "SELECT a.toewijzingnummer, r.review_date, r.decision, e.external_id, r.new_volume, " \
         "r.new_end_date, r.expected_annual_saving_cents, r.notes FROM review r " \
         "JOIN allocation a ON a.id = r.allocation_id LEFT JOIN employee e " \
         "ON e.id = r.employee_id ORDER BY a.toewijzingnummer"
EXPECTED_ROWS = [
    ("A1", "2025-03-31", "continue", "M2", None, "2025-12-31", 0, None),
    ("A3", "2025-03-31", "stop", "M1", None, "2025-03-31", 1_456_000, "Zelf geregeld"),
    ("A4", "2025-03-31", "scale_down", "M1", 2.0, None, 728_000, None)]


def base(engine: Engine, tmp_path: Path) -> None:
    assert import_sources(engine, [write_folder(tmp_path / "base", BEFORE)]).ok


def stored(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(STORED)]


def test_reviews_come_in_once_and_are_audited(engine: Engine, tmp_path: Path) -> None:
    base(engine, tmp_path)
    result = import_sources(engine, [write_folder(tmp_path / "reviews", GOOD)])
    assert result.ok, [str(i) for i in result.issues]
    assert result.counts == {"beoordelingen": 3}
    assert stored(engine) == EXPECTED_ROWS
    event = audit.list_events(engine, action=audit.IMPORT, limit=1)[0]
    assert "reviews" in (event.object or "")
    # The same spreadsheet again adds nothing and changes nothing.
    again = import_sources(engine, [write_folder(tmp_path / "again", GOOD)])
    assert again.ok
    changes = {c.name: c for c in again.changes}["beoordelingen"]
    assert (changes.new, changes.changed, changes.unchanged) == (0, 0, 3)
    assert stored(engine) == EXPECTED_ROWS
    # The business case reads imported reviews: the daily cost comes from the claims.
    case = business_case(engine, date(2025, 6, 30), 1.0, 8_000_000, since=date(2025, 1, 1))
    a3 = next(r for r in case.reviews if r.toewijzingnummer == "A3")
    assert a3.executed is False and a3.realised_saving_cents == 0  # still open-ended
    assert a3.baseline_cents == 10_000 * 91  # April..June


def test_bad_reviews_refuse_the_whole_file(engine: Engine, db_path: Path,
                                           tmp_path: Path) -> None:
    base(engine, tmp_path)
    before = dump(db_path)
    bad = {"beoordelingen": [
        HEADER,
        ["A3", "wmo", "2025-03-31", "stop", "M1", "", "", ""],  # fine on its own
        ["X9", "wmo", "2025-03-31", "stop", "M1", "", "", ""],
        ["A1", "wmo", "2025-03-31", "pauze", "M1", "", "", ""],
        ["A4", "wmo", "2025-03-31", "scale_down", "M1", "", "", ""],
        ["A1", "wmo", "2025-03-31", "stop", "M7", "", "", ""],
        ["A2", "wmo", "2025-06-30", "stop", "M1", "", "", ""],
        ["A1", "wmo", "2025-03-30", "stop", "M1", "1", "", ""],
        ["A1", "wmo", "2025-04-30", "continue", "M1", "", "2025-04-01", ""],
        ["A3", "wmo", "31-03-2025", "Beëindigen", "M2", "", "", ""],  # the same review twice
    ]}
    result = import_sources(engine, [write_folder(tmp_path / "bad", bad)])
    assert not result.ok
    assert [str(i) for i in result.issues] == [
        "beoordelingen.csv:3: toewijzingnummer: onbekende toewijzing wmo X9",
        "beoordelingen.csv:4: besluit: onbekende waarde 'pauze' (toegestaan: continue, "
        "scale_down, stop, to_general_provision, to_other_law)",
        "beoordelingen.csv:5: nieuw_volume: afschalen vraagt een nieuw_volume (lager dan nu) "
        "of een nieuwe_productcode",
        "beoordelingen.csv:6: medewerker_id: onbekend(e) medewerker 'M7'",
        "beoordelingen.csv:8: nieuw_volume: bij besluit 'stop' horen geen nieuw_volume en "
        "geen nieuwe_productcode",
        "beoordelingen.csv:9: nieuwe_einddatum: nieuwe einddatum ligt vóór de "
        "beoordelingsdatum",
        "beoordelingen.csv:10: toewijzingnummer: dubbele sleutel 'wmo:A3:2025-03-31:stop' "
        "(ook op regel 2)",
    ]
    assert dump(db_path) == before
    # A review dated after its allocation ended (the backoffice may end it retroactively)
    # is a warning, not a refusal.
    assert result.warnings == [
        "beoordelingen.csv:7: datum: beoordelingsdatum 2025-06-30 valt buiten toewijzing wmo "
        "A2 (2024-01-01..2025-05-31); de beoordeling is ingelezen, controleer de datum"]


def test_reviews_go_out_and_come_back(engine: Engine, tmp_path: Path) -> None:
    base(engine, tmp_path)
    assert import_sources(engine, [write_folder(tmp_path / "reviews", GOOD)]).ok
    counts = export_exchange(engine, tmp_path / "out")
    assert counts["beoordelingen"] == 3
    text = (tmp_path / "out" / "beoordelingen.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ("toewijzingnummer;wet;datum;besluit;medewerker_id;"
                                    "nieuw_volume;nieuwe_einddatum;notitie;nieuwe_productcode")
    assert "A4;wmo;2025-03-31;scale_down;M1;2;;;" in text.splitlines()
    target = open_database(tmp_path / "copy.sqlite")
    try:
        result = import_sources(target, [tmp_path / "out"])
        assert result.ok, [str(i) for i in result.issues[:5]]
        assert stored(target) == EXPECTED_ROWS
    finally:
        target.dispose()
