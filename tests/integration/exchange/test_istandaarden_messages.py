"""Reading iJw/iWmo 3.2 messages: the hand-written example, checked by hand."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from sqlalchemy import Engine

import sdesk
from sdesk.services.exchange.importer import import_sources
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.istandaarden import import_messages, is_istandaard_source, validate
from sdesk.services.exchange.istandaarden.detect import MESSAGE_TYPES, message_type
from sdesk.services.kpi.definitions import compute_kpis
from sdesk.services.platform.readers import claims_by_allocation
from tests.integration.exchange.istandaarden_data import (
    BSN,
    LINE_RN4,
    TOEWIJZING_1001,
    Line,
    Product,
    antwoord,
    declaratie,
    example_folder,
    stop,
    toewijzing,
    verzoek,
    write,
)
from tests.integration.exchange_data import write_folder


def _rows(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def _allocation(engine: Engine, nr: str) -> dict[str, object]:
    with engine.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT category, product_code, provider, referrer, start_date, end_date, volume, "
            "unit, frequency, tariff_cents, budget_cents, change_reason, end_reason "
            "FROM allocation WHERE law = 'jeugd' AND toewijzingnummer = ?", (nr,)).mappings().one()
    return dict(row)


@pytest.fixture
def example(engine: Engine, tmp_path: Path) -> Engine:
    result = import_messages(engine, [example_folder(tmp_path / "example")])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_example_allocations(example: Engine) -> None:
    first = _allocation(example, "1001")
    assert first == {
        "category": "45", "product_code": "45A48", "provider": "AGB 98100011",
        "referrer": "02",  # from the 315 (huisarts), matched on ReferentieAanbieder VOT-1
        "start_date": "2024-01-01", "end_date": "2024-12-31", "volume": 2.0, "unit": "04",
        "frequency": "2", "tariff_cents": 7800,  # the ProductTarief of the 323
        "budget_cents": None, "change_reason": None, "end_reason": None}
    second = _allocation(example, "1002")
    assert second["referrer"] == "01"  # no 315: the gemeente
    assert second["budget_cents"] == 600_000 and second["volume"] is None
    # The 307 stopped delivery on 31 May with reden 31: the end date moves forward.
    assert (second["end_date"], second["end_reason"]) == ("2024-05-31", "31")


def test_example_person_gets_own_household(example: Engine) -> None:
    assert _rows(example, "SELECT p.external_id, p.bsn, p.birth_date, p.gender, p.last_name, "
                          "p.first_name, h.external_id, h.postcode FROM person p "
                          "JOIN household h ON h.id = p.household_id") == [
        ("BSN-999900006", BSN, "2012-03-04", "M", "van Dijk", "Piet", "HH-999900006",
         "7551AB")]


def test_example_claims_credit_and_rejected(example: Engine) -> None:
    claims = _rows(example, "SELECT a.toewijzingnummer, c.claim_key, c.period_start, "
                            "c.period_end, c.amount_cents, c.rejected FROM claim c "
                            "JOIN allocation a ON a.id = c.allocation_id ORDER BY c.claim_key")
    assert claims == [
        ("1001", "jeugd:98100011:D2024001:RN1:D", "2024-01-01", "2024-01-31", 62_400, 0),
        ("1001", "jeugd:98100011:D2024001:RN2:C", "2024-01-01", "2024-01-31", -7_800, 0),
        ("1002", "jeugd:98100011:D2024001:RN3:D", "2024-01-01", "2024-01-31", 150_000, 0),
        # RN4's amount is wrong (2 x 7800 is not 16000), but the 325 rejected it already:
        # stored, marked rejected, and no reason to refuse the import.
        ("1001", "jeugd:98100011:D2024001:RN4:D", "2024-01-01", "2024-01-31", 16_000, 1),
    ]


def test_claims_from_a_message_are_dated_by_its_dagtekening(example: Engine) -> None:
    """The 323's Dagtekening (5 February 2024) is when the municipality got the lines: the
    declaration lag is measured from it, not from the day of the import."""
    assert _rows(example, "SELECT DISTINCT first_seen FROM claim") == [("2024-02-05",)]


def test_example_realisation_excludes_rejected(example: Engine) -> None:
    per_allocation = claims_by_allocation(example, date(2024, 1, 1), date(2024, 1, 31), "jeugd")
    assert sorted(per_allocation["amount_cents"].tolist()) == [54_600, 150_000]
    kpis = compute_kpis(example, date(2024, 1, 1), date(2024, 1, 31), "jeugd")
    assert kpis.realised_cost_cents == 62_400 - 7_800 + 150_000
    assert kpis.cost_by_referrer_cents == {"01": 150_000, "02": 54_600}


def test_reimport_is_idempotent(example: Engine, tmp_path: Path) -> None:
    tables = ("SELECT * FROM allocation ORDER BY id", "SELECT * FROM claim ORDER BY id",
              "SELECT * FROM person ORDER BY id", "SELECT * FROM household ORDER BY id")
    before = [_rows(example, sql) for sql in tables]
    again = import_messages(example, [example_folder(tmp_path / "again")])
    assert again.ok
    assert [_rows(example, sql) for sql in tables] == before


def test_toewijzing_sent_again_updates_it(example: Engine, tmp_path: Path) -> None:
    longer = Product("1001", "45", "45A48", "2024-01-01", "2025-06-30", 3, "04", "2")
    folder = tmp_path / "update"
    write(folder, "JW301.xml", toewijzing([longer], decided="2024-03-01"))
    assert import_messages(example, [folder]).ok
    updated = _allocation(example, "1001")
    assert (updated["end_date"], updated["volume"]) == ("2025-06-30", 3.0)
    assert updated["referrer"] == "02"  # no 315 this time: the referrer it had stays
    assert updated["tariff_cents"] == 7800  # no 323 this time: the tariff it had stays
    assert _rows(example, "SELECT count(*) FROM allocation") == [(2,)]


def test_later_message_wins_within_one_import(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "two"
    shorter = Product("1001", "45", "45A48", "2024-01-01", "2024-03-31", 2, "04", "2")
    # File order says otherwise: the Toewijzingsdatum decides which one is the newest.
    write(folder, "a.xml", toewijzing([shorter], decided="2024-02-01"))
    write(folder, "b.xml", toewijzing([TOEWIJZING_1001], decided="2023-12-20"))
    assert import_messages(engine, [folder]).ok
    assert _allocation(engine, "1001")["end_date"] == "2024-03-31"


def test_removed_toewijzing_leaves_the_figures(example: Engine, tmp_path: Path) -> None:
    removed = Product("1002", "48", "48A01", "2024-01-01", "2024-01-01", budget=600000,
                      change_reason="13")
    folder = tmp_path / "removed"
    write(folder, "JW301.xml", toewijzing([removed], decided="2024-03-01"))
    assert import_messages(example, [folder]).ok
    assert _allocation(example, "1002")["change_reason"] == "13"
    kpis = compute_kpis(example, date(2024, 1, 1), date(2024, 1, 31), "jeugd")
    assert kpis.realised_cost_cents == 54_600  # 1002's 150000 no longer counts
    assert kpis.clients_by_category == {"45": 1}


def test_verzoek_after_toewijzing_sets_referrer(engine: Engine, tmp_path: Path) -> None:
    plain = Product("1001", "45", "45A48", "2024-01-01", "2024-12-31", 2, "04", "2")
    write(tmp_path / "first", "JW301.xml", toewijzing([plain]))
    assert import_messages(engine, [tmp_path / "first"]).ok
    assert _allocation(engine, "1001")["referrer"] == "01"
    write(tmp_path / "later", "JW315.xml", verzoek(referrer="03"))
    assert import_messages(engine, [tmp_path / "later"]).ok
    # Matched on BSN + product + ingangsdatum against the database.
    assert _allocation(engine, "1001")["referrer"] == "03"


def test_temporary_stop_keeps_the_end_date(example: Engine, tmp_path: Path) -> None:
    write(tmp_path / "stop", "JW307.xml", stop("1001", "2024-03-15", "20"))
    assert import_messages(example, [tmp_path / "stop"]).ok
    first = _allocation(example, "1001")
    assert (first["end_date"], first["end_reason"]) == ("2024-12-31", "20")


def test_wmo_messages(engine: Engine, tmp_path: Path) -> None:
    product = Product("5001", "01", "01A01", "2024-01-01", None, 3, "04", "2")
    folder = tmp_path / "wmo"
    write(folder, "WMO301.xml", toewijzing([product], law="wmo"))
    line = Line("W1", "5001", "01", "01A01", "2024-01-01", "2024-01-31", 12, "04",
                              3450, 12 * 3450)
    write(folder, "WMO323.xml", declaratie([line], law="wmo", number="W2024001"))
    result = import_messages(engine, [folder])
    assert result.ok, [str(i) for i in result.issues]
    assert _rows(engine, "SELECT law, toewijzingnummer, category, end_date, tariff_cents "
                         "FROM allocation") == [("wmo", "5001", "01", None, 3450)]
    assert _rows(engine, "SELECT amount_cents FROM claim") == [(41_400,)]


def test_import_sources_dispatches_xml_and_zip(engine: Engine, tmp_path: Path) -> None:
    folder = example_folder(tmp_path / "example")
    archive = tmp_path / "berichten.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.iterdir()):
            zf.write(path, f"in/{path.name}")
    assert is_istandaard_source(archive) and is_istandaard_source(folder)
    assert is_istandaard_source(folder / "02_JW301.xml")
    result = import_sources(engine, [archive])
    assert result.ok, [str(i) for i in result.issues]
    assert result.counts["declaraties"] == 4 and result.counts["afgewezen"] == 1


def test_mixed_sources_are_refused(engine: Engine, db_path: Path, tmp_path: Path) -> None:
    csv_folder = write_folder(tmp_path / "csv")
    assert not is_istandaard_source(csv_folder)
    result = import_sources(engine, [csv_folder, example_folder(tmp_path / "xml")])
    assert not result.ok
    assert "niet in één import" in result.issues[0].reason
    mixed = example_folder(write_folder(tmp_path / "mixed"))
    refused = import_sources(engine, [mixed])
    assert not refused.ok and "niet in één import" in refused.issues[0].reason
    assert _rows(engine, "SELECT count(*) FROM allocation") == [(0,)]


def test_unsupported_message_is_skipped_with_warning(engine: Engine, tmp_path: Path) -> None:
    folder = example_folder(tmp_path / "example")
    text = (folder / "02_JW301.xml").read_text().replace("jw301", "jw302").replace(
        "<jw302:BerichtCode>436", "<jw302:BerichtCode>437")
    write(folder, "07_JW302.xml", text)
    result = import_messages(engine, [folder])
    assert result.ok
    assert any("JW302" in w and "overgeslagen" in w for w in result.warnings)
    assert result.counts["overgeslagen"] == 1


def _wmo_claim(folder: Path) -> Line:
    """A WMO301 + WMO323 in folder; the claim line that a 325 can answer."""
    product = Product("5001", "01", "01A01", "2024-01-01", None, 3, "04", "2")
    line = Line("W1", "5001", "01", "01A01", "2024-01-01", "2024-01-31", 12, "04", 3450, 41_400)
    write(folder, "WMO301.xml", toewijzing([product], law="wmo"))
    write(folder, "WMO323.xml", declaratie([line], law="wmo", number="W2024001"))
    return line


def test_wmo325_is_checked_against_its_xsd(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "wmo"
    line = _wmo_claim(folder)
    write(folder, "WMO325.xml", antwoord([line], law="wmo", number="W2024001"))
    result = import_messages(engine, [folder])
    assert result.ok, [str(i) for i in result.issues]
    assert not any("XSD" in w for w in result.warnings)
    assert _rows(engine, "SELECT amount_cents, rejected FROM claim") == [(41_400, 1)]


@pytest.mark.parametrize("law", ["jw", "wmo"])
def test_declaratie_antwoord_schemas(law: str) -> None:
    mt = message_type("ijw" if law == "jw" else "iwmo", "325")
    schema = validate.schema_for(mt)
    line = LINE_RN4 if law == "jw" else Line("W1", "5001", "01", "01A01", "2024-01-01",
                                             "2024-01-31", 12, "04", 3450, 41_400)
    valid = antwoord([line], law=law, number="D2024001")
    assert schema.validate(etree.fromstring(valid.encode())), schema.error_log
    # The other law's 325, and a 325 without the client's RetourCodes, are refused.
    other = antwoord([line], law="wmo" if law == "jw" else "jw", number="D2024001")
    assert not schema.validate(etree.fromstring(other.encode()))
    p = f"{law}325"
    client_codes = (f"</{p}:Prestaties>\n        <{p}:RetourCodes><{p}:RetourCode>0200"
                    f"</{p}:RetourCode></{p}:RetourCodes>")
    assert client_codes in valid
    invalid = valid.replace(client_codes, f"</{p}:Prestaties>")
    assert not schema.validate(etree.fromstring(invalid.encode()))
    assert "RetourCodes" in str(schema.error_log)


def test_wmo325_schema_violation_is_refused(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "wmo"
    line = _wmo_claim(folder)
    text = antwoord([line], law="wmo", number="W2024001").replace(
        f"<wmo325:Bsn>{BSN}</wmo325:Bsn>", f"<wmo325:Bsn>{BSN}</wmo325:Bsn><wmo325:Hobby/>")
    write(folder, "WMO325.xml", text)
    result = import_messages(engine, [folder])
    assert not result.ok
    assert any("voldoet niet aan het XSD-schema WMO325" in str(i) and "Hobby" in str(i)
               for i in result.issues), [str(i) for i in result.issues]
    assert _rows(engine, "SELECT count(*) FROM claim") == [(0,)]


def test_missing_schema_is_an_internal_error(engine: Engine, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # The XSDs ship inside the package; without them the installation is broken.
    empty = tmp_path / "empty"
    (empty / "jw").mkdir(parents=True)
    (empty / "wmo").mkdir()
    monkeypatch.setattr(validate, "xsd_dir", lambda: empty)
    with pytest.raises(validate.MissingSchemaError, match="XSD-schema van JW315 ontbreekt"):
        import_messages(engine, [example_folder(tmp_path / "example")])
    assert _rows(engine, "SELECT count(*) FROM claim") == [(0,)]


def test_missing_schema_folder_is_an_internal_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "resources", SimpleNamespace(files=lambda _name: tmp_path))
    with pytest.raises(validate.MissingSchemaError, match="XSD's ontbreken"):
        validate.Validator(Report())


def test_shipped_schemas_cover_every_message_type() -> None:
    folder = validate.xsd_dir()
    assert folder == Path(sdesk.__file__).resolve().parent / "resources" / "istandaarden"
    for mt in MESSAGE_TYPES:
        if mt.supported or mt.code.startswith("JW"):  # every one that has an XSD
            assert validate.xsd_path(mt).parent.parent == folder
            assert isinstance(validate.schema_for(mt), etree.XMLSchema), mt.code
