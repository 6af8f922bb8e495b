"""Bad iJw/iWmo messages: a clear Dutch refusal naming file and line, and nothing written."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.demo.generator import generate_demo
from sdesk.services.exchange.importer import ImportCancelled
from sdesk.services.exchange.istandaarden import export_istandaarden, import_messages
from sdesk.services.platform.db import open_database
from tests.integration.exchange.istandaarden_data import (
    OTHER_BSN,
    TOEWIJZING_1001,
    Line,
    Product,
    declaratie,
    example_folder,
    toewijzing,
    write,
)
from tests.integration.exchange_data import dump

BILLION_LAUGHS = """<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
EXTERNAL_ENTITY = '<!DOCTYPE jw301:Bericht [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'


def _line(**changes: object) -> Line:
    """A correct January 2024 line on toewijzing 1001 (8 uur x EUR 78,00), then changed."""
    values: dict[str, object] = dict(reference="X1", nr="1001", category="45", code="45A48",
                                     start="2024-01-01", end="2024-01-31", volume=8, unit="04",
                                     tariff=7800, amount=62_400)
    values.update(changes)
    return Line(**values)  # type: ignore[arg-type]


def _bad_323(**changes: object) -> str:
    period = changes.pop("period", ("2024-01-01", "2024-01-31"))
    return declaratie([_line(**changes)], number="D2024099", period=period)  # type: ignore[arg-type]


def _with_entity(text: str, prolog: str, reference: str) -> str:
    return text.replace('<?xml version="1.0" encoding="UTF-8"?>\n',
                        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}', 1).replace(
        "<ijw:Achternaam>Dijk<", f"<ijw:Achternaam>{reference}<", 1)


CASES: list[tuple[str, str, list[str]]] = [
    ("malformed XML", toewijzing([TOEWIJZING_1001])[:-40], ["geen geldige XML"]),
    ("not an iStandaard message", "<?xml version='1.0'?><factuur><regel/></factuur>",
     ["geen iJw/iWmo-bericht"]),
    ("date that does not exist", toewijzing([TOEWIJZING_1001], start_override="2027-06-31"),
     ["Ingangsdatum", "ongeldige datum '2027-06-31'"]),
    ("unknown BerichtCode", toewijzing([TOEWIJZING_1001], berichtcode="999"),
     ["BerichtCode", "onbekende BerichtCode '999'"]),
    ("BSN fails the 11-proef", toewijzing([TOEWIJZING_1001], bsn="123456789"),
     ["BSN '123456789' voldoet niet aan de 11-proef"]),
    ("DOCTYPE", _with_entity(toewijzing([TOEWIJZING_1001]), "<!DOCTYPE jw301:Bericht>\n", "Dijk"),
     ["DOCTYPE", "veiligheidsredenen"]),
    ("billion laughs", _with_entity(toewijzing([TOEWIJZING_1001]), BILLION_LAUGHS, "&lol9;"),
     ["DOCTYPE", "veiligheidsredenen"]),
    ("external entity", _with_entity(toewijzing([TOEWIJZING_1001]), EXTERNAL_ENTITY, "&xxe;"),
     ["DOCTYPE", "veiligheidsredenen"]),
    ("declaration for an unknown toewijzing", _bad_323(nr="9999"),
     ["onbekende toewijzing 9999", "9338"]),
    ("amount is not volume x tariff", _bad_323(amount=62_000),
     ["IngediendBedrag 62000 is niet gelijk aan GeleverdVolume 8 × ProductTarief 7800 = 62400",
      "9346"]),
    ("period before the toewijzing", _bad_323(start="2023-12-01", end="2023-12-31",
                                              period=("2023-12-01", "2023-12-31")),
     ["begindatum prestatie 2023-12-01 ligt niet tussen ingangsdatum en einddatum", "9307"]),
    ("period over two months", _bad_323(start="2024-01-15", end="2024-02-10",
                                        period=("2024-01-01", "2024-02-29")),
     ["beslaat meer dan één kalendermaand"]),
    ("category differs from the toewijzing", _bad_323(category="43"),
     ["ProductCategorie 43 is niet gelijk aan die van toewijzing 1001 (45)", "9339"]),
    ("code differs from the toewijzing", _bad_323(code="45A49"),
     ["ProductCode 45A49 is niet gelijk aan die van toewijzing 1001 (45A48)", "9340"]),
    ("volume above the toegewezen volume", _bad_323(volume=11, amount=11 * 7800),
     ["geleverd volume 11 overschrijdt het toegewezen volume 10", "9321"]),
    ("toewijzingnummer of another client", toewijzing([TOEWIJZING_1001], bsn=OTHER_BSN),
     ["toewijzingnummer 1001 (jeugd) hoort al bij een andere cliënt", "9332"]),
    ("declaration by another aanbieder", _bad_323().replace(
        "<jw323:Afzender>98100011<", "<jw323:Afzender>98100028<"),
     ["toewijzing 1001 is toegewezen aan aanbieder 98100011, niet aan declarant 98100028"]),
    ("total does not add up", declaratie([_line()], number="D2024099", total=1),
     ["TotaalIngediendBedrag", "niet de som van de prestaties"]),
]


@pytest.fixture
def loaded(engine: Engine, tmp_path: Path) -> Engine:
    """The hand-written example is in the database, so 'unchanged' means something."""
    assert import_messages(engine, [example_folder(tmp_path / "example")]).ok
    return engine


def _refused(engine: Engine, db_path: Path, sources: list[Path]) -> list[str]:
    before = dump(db_path)
    result = import_messages(engine, sources)
    assert not result.ok
    assert dump(db_path) == before, "a refused import changed the database"
    return [str(issue) for issue in result.issues]


@pytest.mark.parametrize(("case", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_message_is_refused(loaded: Engine, db_path: Path, tmp_path: Path, case: str,
                                text: str, expected: list[str]) -> None:
    folder = tmp_path / "bad"
    write(folder, "bericht.xml", text)
    issues = _refused(loaded, db_path, [folder])
    joined = "\n".join(issues)
    for part in expected:
        assert part in joined, f"{case}: '{part}' not in:\n{joined}"
    assert all(i.startswith("bericht.xml:") for i in issues), issues


def test_business_rule_issue_names_file_and_line(loaded: Engine, db_path: Path,
                                                 tmp_path: Path) -> None:
    write(tmp_path / "bad", "JW323.xml", _bad_323(amount=62_000))
    issues = _refused(loaded, db_path, [tmp_path / "bad"])
    # The Prestatie element starts on line 28 of the hand-written declaration.
    assert issues == ["JW323.xml:28: IngediendBedrag: IngediendBedrag 62000 is niet gelijk aan "
                      "GeleverdVolume 8 × ProductTarief 7800 = 62400 (bedragen in centen; "
                      "retourcode 9346)"]


def test_one_bad_file_refuses_the_whole_import(loaded: Engine, db_path: Path,
                                               tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    write(folder, "a_good.xml", declaratie([_line(reference="G1")], number="D2024050"))
    write(folder, "b_bad.xml", _bad_323(code="45A49"))
    issues = _refused(loaded, db_path, [folder])
    assert len(issues) == 1 and issues[0].startswith("b_bad.xml:")


def test_declaration_on_removed_toewijzing(loaded: Engine, db_path: Path,
                                           tmp_path: Path) -> None:
    removed = Product("1002", "48", "48A01", "2024-01-01", "2024-01-01", budget=600000,
                      change_reason="13")
    folder = tmp_path / "removed"
    write(folder, "a_JW301.xml", toewijzing([removed], decided="2024-03-01"))
    line = _line(reference="R1", nr="1002", category="48", code="48A01", start="2024-01-01",
                 end="2024-01-01", volume=1000, unit="83", tariff=None, amount=1000)
    write(folder, "b_JW323.xml", declaratie([line], number="D2024077"))
    issues = _refused(loaded, db_path, [folder])
    assert issues == ["b_JW323.xml:28: ToewijzingNummer: declaratie op toewijzing 1002 met "
                      "RedenWijziging 13 (verwijderd) (retourcode 9384)"]


def test_bad_file_inside_zip(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    archive = tmp_path / "berichten.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("maand/JW323.xml", _bad_323(nr="9999"))
    issues = _refused(loaded, db_path, [archive])
    assert issues[0].startswith("berichten.zip:maand/JW323.xml:")


def test_not_a_zip(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    fake = tmp_path / "berichten.zip"
    fake.write_bytes(b"no zip at all")
    assert _refused(loaded, db_path, [fake]) == ["berichten.zip:-: -: geen geldig zip-bestand"]


def test_schema_violation_is_reported(loaded: Engine, db_path: Path, tmp_path: Path) -> None:
    text = toewijzing([TOEWIJZING_1001]).replace(
        "<jw301:Geslacht>1</jw301:Geslacht>", "<jw301:Geslacht>1</jw301:Geslacht><jw301:Hobby/>")
    write(tmp_path / "bad", "JW301.xml", text)
    issues = _refused(loaded, db_path, [tmp_path / "bad"])
    assert any("voldoet niet aan het XSD-schema JW301" in i and "Hobby" in i for i in issues)


# ---- cancel -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_messages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("demo")
    engine = open_database(folder / "demo.sqlite")
    try:
        generate_demo(engine, size="tiny", seed=1)
        export_istandaarden(engine, folder / "xml")
    finally:
        engine.dispose()
    yield folder / "xml"


@pytest.mark.parametrize("moment", ["Berichten lezen", "Opslaan: toewijzingen",
                                    "Opslaan: declaraties"])
def test_cancel_leaves_nothing(loaded: Engine, db_path: Path, demo_messages: Path,
                               moment: str) -> None:
    before = dump(db_path)
    seen: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        seen.append(message)

    def cancel() -> bool:
        hits = sum(1 for m in seen if m.startswith(moment))
        return hits >= (3 if moment == "Berichten lezen" else 1)

    with pytest.raises(ImportCancelled):
        import_messages(loaded, [demo_messages], progress=progress, cancelled=cancel)
    assert seen[-1].startswith(moment)  # cancelled in the middle of that stage
    assert dump(db_path) == before
