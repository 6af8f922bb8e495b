"""Bounded input (issue 14, item 7): absurd numbers and dates, Unicode oddities, NUL bytes, a
workbook that understates its size and hostile file sizes are refused with a Dutch
file:line: column: reason -- never an internal error, never silently replaced -- and a refused
import writes nothing."""

from __future__ import annotations

import copy
import re
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.exchange.importer import import_sources
from sdesk.services.exchange.importing import workbook
from sdesk.services.exchange.istandaarden import detect, import_messages
from tests.integration.exchange.istandaarden_data import (
    TOEWIJZING_1001,
    TOEWIJZING_1002,
    Line,
    Product,
    declaratie,
    example_folder,
    toewijzing,
    write,
)
from tests.integration.exchange_data import (
    BASE,
    dump,
    forge_zip_sizes,
    rewrite_member,
    write_csv,
    write_folder,
    write_workbook,
)

MB = 2**20
CAP = "het maximum van € 10.000.000 per regel (in te stellen met SDESK_MAX_CLAIM_EUR)"
RANGE = "ligt buiten 1900-01-01..2100-12-31; controleer het jaartal"


@pytest.fixture(autouse=True)
def default_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SDESK_MAX_CLAIM_EUR", "SDESK_MAX_IMPORT_MB", "SDESK_MAX_ZIP_MB"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    """The base data set is in the database, so 'nothing changed' means something."""
    assert import_sources(engine, [write_folder(tmp_path / "base")]).ok
    return engine


def _with(name: str, row: int, column: str, value: str) -> dict[str, list[list[str]]]:
    data = copy.deepcopy(BASE)
    data[name][row][data[name][0].index(column)] = value
    return data


def _refused(engine: Engine, db_path: Path, sources: list[Path]) -> list[str]:
    before = dump(db_path)
    result = import_sources(engine, sources)  # raises nothing: every refusal is an issue
    assert not result.ok
    assert dump(db_path) == before, "a refused import changed the database"
    return [str(i) for i in result.issues]


def _stored(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


# -- numbers and dates in the exchange format -------------------------------------------------

VALUE_CASES = [
    # tariff 1e17 was an internal error (OverflowError in SQLite)
    ("tariff 1e17", "toewijzingen", 1, "tarief", "1e17",
     f"toewijzingen.csv:2: tarief: waarde '1e17' is groter dan {CAP}; controleer de invoer"),
    # 1e308 on a product with a tariff table entry was silently replaced by that tariff
    ("tariff 1e308", "toewijzingen", 2, "tarief", "1e308",
     f"toewijzingen.csv:3: tarief: waarde '1e308' is groter dan {CAP}; controleer de invoer"),
    # inf was refused, but also "replaced": a second, misleading 'tarief ontbreekt' issue
    ("tariff inf", "toewijzingen", 1, "tarief", "inf", "toewijzingen.csv:2: tarief: ongeldig "
                                                        "getal 'inf'"),
    ("tariff nan", "toewijzingen", 1, "tarief", "nan", "toewijzingen.csv:2: tarief: ongeldig "
                                                        "getal 'nan'"),
    ("volume 10^23", "toewijzingen", 1, "volume", "1e23",
     "toewijzingen.csv:2: volume: waarde '1e23' is groter dan het maximum van 99.999.999; "
     "controleer de invoer"),
    ("volume x tariff per period", "toewijzingen", 1, "volume", "99999999",
     "toewijzingen.csv:2: volume: volume × tarief is € 7.799.999.922,00 per periode, meer "
     f"dan {CAP}"),
    ("allocation budget", "toewijzingen", 4, "budget", "10000000,01",
     f"toewijzingen.csv:5: budget: waarde '10000000,01' is groter dan {CAP}; controleer de "
     "invoer"),
    ("claim 1e17", "declaraties", 1, "bedrag", "1e17",
     f"declaraties.csv:2: bedrag: waarde '1e17' is groter dan {CAP}; controleer de invoer"),
    ("credit -1e17", "declaraties", 3, "bedrag", "-1e17",
     f"declaraties.csv:4: bedrag: waarde '-1e17' is groter dan {CAP}; controleer de invoer"),
    ("claim one cent above the cap", "declaraties", 1, "bedrag", "10.000.000,01",
     f"declaraties.csv:2: bedrag: waarde '10.000.000,01' is groter dan {CAP}; controleer de "
     "invoer"),
    ("claim volume", "declaraties", 1, "volume", "1e23",
     "declaraties.csv:2: volume: waarde '1e23' is groter dan het maximum van 99.999.999; "
     "controleer de invoer"),
    ("tariff table", "tarieven", 1, "tarief", "1e17",
     f"tarieven.csv:2: tarief: waarde '1e17' is groter dan {CAP}; controleer de invoer"),
    ("birth date 1899", "personen", 1, "geboortedatum", "1899-12-31",
     f"personen.csv:2: geboortedatum: datum '1899-12-31' {RANGE}"),
    ("end date 9999", "toewijzingen", 1, "einddatum", "9999-12-31",
     f"toewijzingen.csv:2: einddatum: datum '9999-12-31' {RANGE}"),
    ("start date 0001", "toewijzingen", 2, "ingangsdatum", "01-01-0001",
     f"toewijzingen.csv:3: ingangsdatum: datum '01-01-0001' {RANGE}"),
    ("claim period 2101", "declaraties", 2, "periode_eind", "2101-01-31",
     f"declaraties.csv:3: periode_eind: datum '2101-01-31' {RANGE}"),
    ("budget line 10^11", "begroting", 1, "bedrag", "1e11",
     "begroting.csv:2: bedrag: waarde '1e11' is groter dan het maximum van € 10.000.000.000 "
     "per begrotingspost; controleer de invoer"),
    ("budget year 1850", "begroting", 1, "jaar", "1850",
     "begroting.csv:2: jaar: jaar 1850 ligt buiten 1900..2100"),
    ("cost map price", "kostenkaart", 1, "prijs", "1e308",
     f"kostenkaart.csv:2: prijs: waarde '1e308' is groter dan {CAP}; controleer de invoer"),
    ("intervention quantity", "interventies", 1, "aantal", "1e23",
     "interventies.csv:2: aantal: waarde '1e23' is groter dan het maximum van 99.999.999; "
     "controleer de invoer"),
    ("inhabitants", "inwoners", 1, "aantal", "1e23",
     "inwoners.csv:2: aantal: waarde '1e23' is groter dan het maximum van 99.999.999; "
     "controleer de invoer"),
    ("price index", "prijsindex", 1, "percentage", "1e308",
     "prijsindex.csv:2: percentage: waarde '1e308' is groter dan 100 procent (in grootte); "
     "controleer de invoer"),
]


@pytest.mark.parametrize(("case", "name", "row", "column", "value", "expected"), VALUE_CASES,
                         ids=[c[0] for c in VALUE_CASES])
def test_out_of_range_value_is_refused_with_its_line(loaded: Engine, db_path: Path,
                                                     tmp_path: Path, case: str, name: str,
                                                     row: int, column: str, value: str,
                                                     expected: str) -> None:
    issues = _refused(loaded, db_path, [write_folder(tmp_path / "bad",
                                                     _with(name, row, column, value))])
    assert issues == [expected]


def test_amounts_at_the_cap_and_large_budget_lines_are_accepted(engine: Engine,
                                                                tmp_path: Path) -> None:
    data = _with("declaraties", 1, "bedrag", "10.000.000,00")
    data["begroting"][1][data["begroting"][0].index("bedrag")] = "50000000"  # EUR 50 million
    assert import_sources(engine, [write_folder(tmp_path / "ok", data)]).ok
    assert _stored(engine, "SELECT amount_cents FROM claim WHERE claim_key = 'D1'") == [
        (1_000_000_000,)]
    assert _stored(engine, "SELECT amount_cents FROM budget_line WHERE name = "
                           "'Jeugd ambulant'") == [(5_000_000_000,)]


def test_claim_cap_is_settable(loaded: Engine, db_path: Path, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDESK_MAX_CLAIM_EUR", "500")
    # The claims again, on their allocations in the database: D1 is EUR 624, D2 EUR 448.50.
    folder = write_folder(tmp_path / "bad", {"declaraties": BASE["declaraties"]})
    issues = _refused(loaded, db_path, [folder])
    assert issues == ["declaraties.csv:2: bedrag: waarde '624,00' is groter dan het maximum "
                      "van € 500 per regel (in te stellen met SDESK_MAX_CLAIM_EUR); controleer "
                      "de invoer"]


def test_a_wrong_setting_is_a_message_not_a_crash(loaded: Engine, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from sdesk.services.platform.errors import SdeskError

    monkeypatch.setenv("SDESK_MAX_CLAIM_EUR", "tien miljoen")
    with pytest.raises(SdeskError, match="SDESK_MAX_CLAIM_EUR='tien miljoen' is geen geldig"):
        import_sources(loaded, [write_folder(tmp_path / "base2")])


# -- Unicode oddities and NUL bytes -----------------------------------------------------------

@pytest.mark.parametrize("bsn", [
    "\uff19\uff19\uff19\uff19\uff10\uff10\uff10\uff10\uff16",  # full-width digits
    "9999\u00a000006",  # a no-break space inside
    "9999\u200b00006",  # a zero-width space inside
    "\ufeff999900006",  # a BOM pasted in front
], ids=["full width", "NBSP", "zero-width space", "BOM"])
def test_bsn_with_unicode_oddities_is_normalised(engine: Engine, tmp_path: Path,
                                                 bsn: str) -> None:
    data = _with("personen", 1, "bsn", bsn)
    result = import_sources(engine, [write_folder(tmp_path / "bsn", data)])
    assert result.ok, [str(i) for i in result.issues]
    assert _stored(engine, "SELECT bsn FROM person WHERE external_id = 'P1'") == [
        ("999900006",)]


def test_codes_and_keys_with_full_width_characters_are_normalised(engine: Engine,
                                                                  tmp_path: Path) -> None:
    data = _with("toewijzingen", 1, "productcategorie", "\uff14\uff15")  # "45"
    data["toewijzingen"][1][data["toewijzingen"][0].index("persoon_id")] = "\uff30\uff11"  # P1
    data["toewijzingen"][1][data["toewijzingen"][0].index("ingangsdatum")] = (
        "２０２４-０１-０１")
    result = import_sources(engine, [write_folder(tmp_path / "codes", data)])
    assert result.ok, [str(i) for i in result.issues]
    assert _stored(engine, "SELECT a.category, p.external_id, a.start_date FROM allocation a "
                           "JOIN person p ON p.id = a.person_id WHERE toewijzingnummer = "
                           "'1001'") == [("45", "P1", "2024-01-01")]


def test_free_text_keeps_its_characters(engine: Engine, tmp_path: Path) -> None:
    data = _with("personen", 1, "achternaam", "\u200bJänsen ＰＨ\u00a0")
    assert import_sources(engine, [write_folder(tmp_path / "names", data)]).ok
    assert _stored(engine, "SELECT last_name FROM person WHERE external_id = 'P1'") == [
        ("Jänsen ＰＨ",)]


def test_bsn_in_other_digits_is_refused(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    data = _with("personen", 1, "bsn", "٩٩٩٩٠٠٠٠٦")  # Arabic-Indic digits: NFKC keeps them
    issues = _refused(loaded, db_path, [write_folder(tmp_path / "arabic", data)])
    assert issues == ["personen.csv:2: bsn: BSN '٩٩٩٩٠٠٠٠٦' bevat andere tekens dan de "
                      "cijfers 0-9"]


@pytest.mark.parametrize(("char", "reason"), [
    ("\x00", "cel bevat een NUL-teken (\\x00); verwijder het en sla het bestand opnieuw op"),
    ("\x07", "cel bevat een onzichtbaar stuurteken (U+0007); verwijder het en sla het bestand "
             "opnieuw op"),
], ids=["NUL", "BEL"])
def test_control_character_in_a_csv_cell_names_its_line(loaded: Engine, db_path: Path,
                                                        tmp_path: Path, char: str,
                                                        reason: str) -> None:
    data = _with("personen", 2, "achternaam", f"Jan{char}sen")
    issues = _refused(loaded, db_path, [write_folder(tmp_path / "nul", data)])
    assert issues == [f"personen.csv:3: achternaam: {reason}"]


def test_a_binary_file_is_still_refused_as_a_whole(loaded: Engine, db_path: Path,
                                                   tmp_path: Path) -> None:
    folder = tmp_path / "utf16"
    folder.mkdir()
    (folder / "personen.csv").write_bytes(";".join(BASE["personen"][0]).encode("utf-16"))
    assert _refused(loaded, db_path, [folder]) == [
        "personen.csv:-: -: geen CSV-bestand (binaire inhoud)"]


def _workbook(tmp_path: Path, rows: list[list[str]], name: str = "huishoudens") -> Path:
    return write_workbook(tmp_path / "werkmap.xlsx", {name: rows})


def test_nul_in_a_workbook_cell_names_sheet_line_and_column(loaded: Engine, db_path: Path,
                                                            tmp_path: Path) -> None:
    path = _workbook(tmp_path, BASE["personen"], "personen")
    # openpyxl writes inline strings; a NUL makes the sheet XML unreadable for it.
    rewrite_member(path, "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b"<t>Els</t>", b"<t>E\x00ls</t>"))
    assert _refused(loaded, db_path, [path]) == [
        "werkmap.xlsx[personen]:3: voornaam: cel bevat een NUL-teken (\\x00); verwijder het "
        "en sla het bestand opnieuw op"]


def test_nul_in_a_shared_string_names_sheet_line_and_column(loaded: Engine, db_path: Path,
                                                            tmp_path: Path) -> None:
    path = _workbook(tmp_path, BASE["huishoudens"])

    def shared(xml: bytes) -> bytes:  # B3 ("Noord") becomes shared string 0, as Excel writes
        return re.sub(rb'<c r="B3"[^>]*>.*?</c>', b'<c r="B3" t="s"><v>0</v></c>', xml)

    rewrite_member(path, "xl/worksheets/sheet1.xml", shared)
    rewrite_member(path, "[Content_Types].xml", lambda xml: xml.replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                     b"</Types>"))
    rewrite_member(path, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace(
        b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.'
                             b'org/officeDocument/2006/relationships/sharedStrings" '
                             b'Target="sharedStrings.xml"/></Relationships>'))
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/sharedStrings.xml",
                         '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                         'main" count="1" uniqueCount="1"><si><t>No\x00ord</t></si></sst>')
    assert _refused(loaded, db_path, [path]) == [
        "werkmap.xlsx[huishoudens]:3: kolom B: cel bevat een NUL-teken (\\x00); verwijder het "
        "en sla het bestand opnieuw op"]


# -- a workbook read to its real last row -----------------------------------------------------

def test_workbook_is_read_beyond_its_declared_dimension(engine: Engine, tmp_path: Path) -> None:
    rows = [["huishouden_id", "wijk", "postcode", "samenstelling"],
            ["H1", "Centrum", "7551AB", "paar"], ["H2", "Noord", "7552CD", "paar"],
            ["H3", "Zuid", "7553EF", "paar"], ["H4", "Oost", "7554GH", "paar"]]
    path = _workbook(tmp_path, rows)
    # A tool that writes a wrong size: four data rows, declared as header plus one.
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: re.sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:D2"/>', xml))
    result = import_sources(engine, [path])
    assert result.ok, [str(i) for i in result.issues]
    assert result.counts == {"huishoudens": 4}
    assert _stored(engine, "SELECT external_id FROM household ORDER BY external_id") == [
        ("H1",), ("H2",), ("H3",), ("H4",)]
    assert result.warnings == ["werkmap.xlsx[huishoudens]: het werkblad zegt 2 rij(en) te "
                               "hebben maar heeft er 5; alle 5 zijn gelezen"]


def test_a_row_number_beyond_excel_is_refused_in_seconds(loaded: Engine, db_path: Path,
                                                         tmp_path: Path) -> None:
    path = _workbook(tmp_path, BASE["huishoudens"])

    def far(xml: bytes) -> bytes:  # the second data row claims row 999,999,999
        xml = xml.replace(b'<row r="3">', b'<row r="999999999">')
        return re.sub(rb'r="([A-D])3"', rb'r="\g<1>999999999"', xml)

    rewrite_member(path, "xl/worksheets/sheet1.xml", far)
    started = time.perf_counter()
    assert _refused(loaded, db_path, [path]) == [
        "werkmap.xlsx[huishoudens]:1048577: -: werkblad heeft meer rijen dan Excel toestaat "
        "(1.048.576)"]
    assert time.perf_counter() - started < 30


# -- size caps --------------------------------------------------------------------------------

def test_a_huge_csv_is_refused_at_once_without_reading_it(loaded: Engine, db_path: Path,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "groot"
    folder.mkdir()
    with (folder / "declaraties.csv").open("wb") as fh:
        fh.truncate(600 * MB)  # sparse: 600 MB on paper, nothing on disk
    tracemalloc.start()
    started = time.perf_counter()
    try:
        issues = _refused(loaded, db_path, [folder])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert issues == ["declaraties.csv:-: -: bestand is 600 MB, groter dan het maximum van "
                      "512 MB; splits het op (of stel SDESK_MAX_IMPORT_MB hoger in)"]
    assert time.perf_counter() - started < 10
    assert peak < 64 * MB, f"{peak / MB:.0f} MB allocated to refuse a file"


def test_csv_cap_is_settable(loaded: Engine, db_path: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDESK_MAX_IMPORT_MB", "1")
    rows = [BASE["huishoudens"][0]] + [[f"H{i:07d}", "Centrum", "7551AB", "paar"]
                                      for i in range(50_000)]
    path = write_csv(tmp_path / "veel", "huishoudens", rows)
    size = path.stat().st_size
    assert 1.2 * MB < size < 1.4 * MB
    issues = _refused(loaded, db_path, [path])
    assert issues == [f"huishoudens.csv:-: -: bestand is {size / MB:.1f} MB, groter dan het "
                      "maximum van 1,0 MB; splits het op (of stel SDESK_MAX_IMPORT_MB hoger "
                      "in)".replace(f"{size / MB:.1f}", f"{size / MB:.1f}".replace(".", ","))]


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_opened(
        loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    path = _workbook(tmp_path, BASE["huishoudens"])
    forge_zip_sizes(path, 1024 * MB)  # every part claims 1 GB, as a zip bomb's directory does
    members = len(zipfile.ZipFile(path).infolist())
    started = time.perf_counter()
    issues = _refused(loaded, db_path, [path])
    claimed = f"{members * 1024:,}".replace(",", ".")
    assert issues == [f"werkmap.xlsx:-: -: Excel-werkmap is uitgepakt {claimed} MB, groter dan "
                      "het maximum van 512 MB; splits het op (of stel SDESK_MAX_IMPORT_MB "
                      "hoger in)"]
    assert time.perf_counter() - started < 10


def test_a_workbook_with_too_many_parts_is_refused(loaded: Engine, db_path: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook, "MAX_XLSX_MEMBERS", 3)
    path = _workbook(tmp_path, BASE["huishoudens"])
    members = len(zipfile.ZipFile(path).infolist())
    issues = _refused(loaded, db_path, [path])
    assert len(issues) == 1 and issues[0].startswith(
        f"werkmap.xlsx:-: -: Excel-werkmap met {members} onderdelen")
    assert "het maximum is 3 onderdelen; splits het op" in issues[0]


# -- iJw/iWmo messages ------------------------------------------------------------------------

@pytest.fixture
def messages_loaded(engine: Engine, tmp_path: Path) -> Engine:
    assert import_messages(engine, [example_folder(tmp_path / "example")]).ok
    return engine


def _messages_refused(engine: Engine, db_path: Path, sources: list[Path]) -> list[str]:
    before = dump(db_path)
    result = import_sources(engine, sources)
    assert not result.ok
    assert dump(db_path) == before, "a refused import changed the database"
    return [str(i) for i in result.issues]


def _line(**changes: object) -> Line:
    values: dict[str, object] = dict(reference="X1", nr="1001", category="45", code="45A48",
                                     start="2024-01-01", end="2024-01-31", volume=8, unit="04",
                                     tariff=7800, amount=62_400)
    values.update(changes)
    return Line(**values)  # type: ignore[arg-type]


def test_message_dates_outside_1900_2100_are_refused(messages_loaded: Engine, db_path: Path,
                                                     tmp_path: Path) -> None:
    late = Product("1003", "45", "45A48", "2024-01-01", "2150-12-31", 2, "04", "2")
    early = Product("1004", "45", "45A48", "1850-01-01", None, 2, "04", "2")
    folder = tmp_path / "dates"
    write(folder, "JW301.xml", toewijzing([late, early], decided="2024-03-01"))
    issues = _messages_refused(messages_loaded, db_path, [folder])
    assert [i.split(":", 2)[2] for i in issues] == [
        f" Einddatum: datum '2150-12-31' {RANGE}", f" Ingangsdatum: datum '1850-01-01' {RANGE}"]
    assert all(re.match(r"JW301\.xml:\d+:", i) for i in issues)


def test_message_amounts_above_the_cap_are_refused(messages_loaded: Engine, db_path: Path,
                                                   tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDESK_MAX_CLAIM_EUR", "70")
    folder = tmp_path / "amounts"
    # Schema-valid, so the fast reader sees it first; it leaves it to the careful one.
    write(folder, "JW323.xml", declaratie([_line()], number="D2024099"))
    issues = _messages_refused(messages_loaded, db_path, [folder])
    cap = "het maximum van € 70 per regel (in te stellen met SDESK_MAX_CLAIM_EUR)"
    # Lines 36 and 37 of the hand-written declaration hold ProductTarief and IngediendBedrag.
    assert issues == [f"JW323.xml:36: ProductTarief: ProductTarief € 78,00 is groter dan {cap}",
                      f"JW323.xml:37: Bedrag: Bedrag € 624,00 is groter dan {cap}"]


def test_message_budget_above_the_cap_is_refused(messages_loaded: Engine, db_path: Path,
                                                 tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDESK_MAX_CLAIM_EUR", "5000")
    folder = tmp_path / "budget"
    write(folder, "JW301.xml", toewijzing([TOEWIJZING_1001, TOEWIJZING_1002],
                                          decided="2024-03-01"))
    issues = _messages_refused(messages_loaded, db_path, [folder])
    assert len(issues) == 1 and issues[0].endswith(
        ": Budget: Budget € 6.000,00 is groter dan het maximum van € 5.000 per regel (in te "
        "stellen met SDESK_MAX_CLAIM_EUR)")


def test_message_volume_above_the_maximum_is_refused_in_dutch(messages_loaded: Engine,
                                                              db_path: Path,
                                                              tmp_path: Path) -> None:
    huge = Product("1003", "45", "45A48", "2024-01-01", "2024-12-31", 100_000_000, "04", "2")
    folder = tmp_path / "volume"
    write(folder, "JW301.xml", toewijzing([huge], decided="2024-03-01"))
    issues = _messages_refused(messages_loaded, db_path, [folder])
    assert len(issues) == 1 and issues[0].endswith(
        ": Volume: Volume 100000000 is groter dan het maximum van 99.999.999")


def test_a_message_zip_bomb_is_refused_from_its_directory(messages_loaded: Engine,
                                                          db_path: Path,
                                                          tmp_path: Path) -> None:
    archive = tmp_path / "berichten.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a/JW301.xml", toewijzing([TOEWIJZING_1001]))
        zf.writestr("b/JW323.xml", declaratie([_line()], number="D2024099"))
    forge_zip_sizes(archive, 1536 * MB)  # 2 x 1.5 GB claimed: under the old 8 GB limit
    started = time.perf_counter()
    issues = _messages_refused(messages_loaded, db_path, [archive])
    assert issues == ["berichten.zip:-: -: zip-bestand is uitgepakt 3.072 MB, groter dan het "
                      "maximum van 2.048 MB; splits het op (of stel SDESK_MAX_ZIP_MB hoger in)"]
    assert time.perf_counter() - started < 10


def test_a_message_zip_with_too_many_members_is_refused(messages_loaded: Engine, db_path: Path,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect, "MAX_ZIP_MEMBERS", 2)
    archive = tmp_path / "berichten.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(3):
            zf.writestr(f"{i}/JW301.xml", toewijzing([TOEWIJZING_1001]))
    issues = _messages_refused(messages_loaded, db_path, [archive])
    assert len(issues) == 1 and issues[0].startswith(
        "berichten.zip:-: -: zip-bestand met 3 onderdelen")


def test_message_allocation_costing_more_than_a_claim_line_per_period_is_refused(
        messages_loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    # Eenheid 83: the volume is in euros (tariff EUR 1), so EUR 20 million a month.
    euros = Product("1003", "45", "45A48", "2024-01-01", "2024-12-31", 20_000_000, "83", "4")
    folder = tmp_path / "euros"
    write(folder, "JW301.xml", toewijzing([euros], decided="2024-03-01"))
    issues = _messages_refused(messages_loaded, db_path, [folder])
    assert len(issues) == 1 and issues[0].endswith(
        f": Volume: volume × tarief is € 20.000.000,00 per periode, meer dan {CAP}")
