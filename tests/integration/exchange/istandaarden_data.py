"""Hand-written iJw/iWmo 3.2 messages for the import tests, readable on purpose.

The example (jeugd, aanbieder AGB 98100011, gemeente 0153):
  client Piet van Dijk, BSN 999900006, born 2012-03-04, postcode 7551 AB;
  315 VOT-1: 45A48 from 2024-01-01, referred by a huisarts (COD327 02);
  301 toewijzing 1001: 45/45A48, 2024-01-01..2024-12-31, 2 uur (04) per week (2), ref VOT-1;
      toewijzing 1002: 48/48A01, 2024-01-01..2024-06-30, budget EUR 6.000 (600000 cents);
  305 start of 1001 on 2024-01-08; 307 stop of 1002 on 2024-05-31, reden 31 (volgens plan);
  323 D2024001 (January 2024):
      RN1  1001  8 uur x 7800 =  62400 D
      RN2  1001  1 uur x 7800 =   7800 C   (a credit: -7800)
      RN3  1002  83 (euro's)  = 150000 D
      RN4  1001  2 uur x 7800 = 16000 D    (wrong amount, but rejected by the 325 below)
  325 rejects RN4 (retourcode 0611).
Realisation January 2024: 62400 - 7800 + 150000 = 204600 cents; RN4 is stored, rejected.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

AGB = "98100011"
GEMEENTE = "0153"
BSN = "999900006"
OTHER_BSN = "999999990"

_STANDARD = {"jw": "ijw", "wmo": "iwmo"}
_CODES = {("jw", "301"): "436", ("jw", "305"): "438", ("jw", "307"): "440",
          ("jw", "315"): "446", ("jw", "323"): "490", ("jw", "325"): "491",
          ("wmo", "301"): "414", ("wmo", "305"): "418", ("wmo", "307"): "420",
          ("wmo", "315"): "444", ("wmo", "323"): "484", ("wmo", "325"): "485"}
_VERSION = {"jw": "0.1.0", "wmo": "1.0.0"}


def _document(law: str, number: str, body: str, *, berichtcode: str | None = None,
              extra_header: str = "", prolog: str = "") -> str:
    p, b = f"{law}{number}", _STANDARD[law]
    to_provider = number in ("301", "325")
    sender, receiver = (GEMEENTE, AGB) if to_provider else (AGB, GEMEENTE)
    code = berichtcode or _CODES[(law, number)]
    return f"""<?xml version="1.0" encoding="UTF-8"?>
{prolog}<{p}:Bericht xmlns:{p}="http://www.istandaarden.nl/{b}/3_2/{p}/schema"
    xmlns:{b}="http://www.istandaarden.nl/{b}/3_2/basisschema/schema">
  <{p}:Header>
    <{p}:BerichtCode>{code}</{p}:BerichtCode>
    <{p}:BerichtVersie>3</{p}:BerichtVersie>
    <{p}:BerichtSubversie>2</{p}:BerichtSubversie>
    <{p}:Afzender>{sender}</{p}:Afzender>
    <{p}:Ontvanger>{receiver}</{p}:Ontvanger>
    <{p}:BerichtIdentificatie>
      <{b}:Identificatie>T{number}</{b}:Identificatie>
      <{b}:Dagtekening>2024-02-05</{b}:Dagtekening>
    </{p}:BerichtIdentificatie>
    <{p}:XsdVersie>
      <{b}:BasisschemaXsdVersie>{_VERSION[law]}</{b}:BasisschemaXsdVersie>
      <{b}:BerichtXsdVersie>{_VERSION[law]}</{b}:BerichtXsdVersie>
    </{p}:XsdVersie>{extra_header}
  </{p}:Header>
{body}
</{p}:Bericht>
"""


def _short_client(p: str, b: str, bsn: str) -> str:
    return f"""    <{p}:Bsn>{bsn}</{p}:Bsn>
    <{p}:Geboortedatum><{b}:Datum>2012-03-04</{b}:Datum></{p}:Geboortedatum>
    <{p}:Geslacht>1</{p}:Geslacht>
    <{p}:Naam><{b}:Geslachtsnaam><{b}:Achternaam>Dijk</{b}:Achternaam>
      <{b}:Voorvoegsel>van</{b}:Voorvoegsel></{b}:Geslachtsnaam></{p}:Naam>"""


@dataclass(frozen=True)
class Product:
    nr: str
    category: str
    code: str | None
    start: str
    end: str | None = None
    volume: int | None = None
    unit: str | None = None
    frequency: str | None = None
    budget: int | None = None
    reference: str | None = None
    change_reason: str | None = None


TOEWIJZING_1001 = Product("1001", "45", "45A48", "2024-01-01", "2024-12-31", 2, "04", "2",
                          reference="VOT-1")
TOEWIJZING_1002 = Product("1002", "48", "48A01", "2024-01-01", "2024-06-30", budget=600000)


def toewijzing(products: list[Product], *, law: str = "jw", bsn: str = BSN,
               start_override: str | None = None, berichtcode: str | None = None,
               decided: str = "2023-12-20") -> str:
    p, b = f"{law}301", _STANDARD[law]
    items = []
    for x in products:
        product = (f"<{p}:Product><{b}:Categorie>{x.category}</{b}:Categorie>"
                   + (f"<{b}:Code>{x.code}</{b}:Code>" if x.code else "") + f"</{p}:Product>")
        omvang = (f"<{p}:Omvang><{b}:Volume>{x.volume}</{b}:Volume><{b}:Eenheid>{x.unit}"
                  f"</{b}:Eenheid><{b}:Frequentie>{x.frequency}</{b}:Frequentie></{p}:Omvang>"
                  if x.volume is not None else "")
        budget = f"<{p}:Budget>{x.budget}</{p}:Budget>" if x.budget is not None else ""
        items.append(f"""      <{p}:ToegewezenProduct>
        <{p}:ToewijzingNummer>{x.nr}</{p}:ToewijzingNummer>
        {f"<{p}:ReferentieAanbieder>{x.reference}</{p}:ReferentieAanbieder>" if x.reference else ""}
        {product}
        <{p}:Toewijzingsdatum>{decided}</{p}:Toewijzingsdatum>
        <{p}:Toewijzingstijd>10:30:00</{p}:Toewijzingstijd>
        <{p}:Ingangsdatum>{start_override or x.start}</{p}:Ingangsdatum>
        {f"<{p}:Einddatum>{x.end}</{p}:Einddatum>" if x.end else ""}
        {f"<{p}:RedenWijziging>{x.change_reason}</{p}:RedenWijziging>" if x.change_reason else ""}
        {omvang}{budget}
      </{p}:ToegewezenProduct>""")
    body = f"""  <{p}:Client>
    <{p}:Bsn>{bsn}</{p}:Bsn>
    <{p}:Geboortedatum><{b}:Datum>2012-03-04</{b}:Datum></{p}:Geboortedatum>
    <{p}:Geslacht>1</{p}:Geslacht>
    <{p}:Naam>
      <{b}:Geslachtsnaam><{b}:Achternaam>Dijk</{b}:Achternaam>
        <{b}:Voorvoegsel>van</{b}:Voorvoegsel></{b}:Geslachtsnaam>
      <{b}:Voornamen>Piet</{b}:Voornamen>
      <{b}:NaamGebruik>1</{b}:NaamGebruik>
    </{p}:Naam>
    <{p}:Contactgegevens>
      <{p}:Contact><{p}:Soort>01</{p}:Soort>
        <{p}:Adres><{b}:Postcode>7551 AB</{b}:Postcode></{p}:Adres></{p}:Contact>
    </{p}:Contactgegevens>
    <{p}:ToegewezenProducten>
{chr(10).join(items)}
    </{p}:ToegewezenProducten>
  </{p}:Client>"""
    return _document(law, "301", body, berichtcode=berichtcode)


def verzoek(*, law: str = "jw", reference: str = "VOT-1", referrer: str = "02") -> str:
    p, b = f"{law}315", _STANDARD[law]
    body = f"""  <{p}:Client>
{_short_client(p, b, BSN)}
    <{p}:AangevraagdeProducten>
      <{p}:AangevraagdProduct>
        <{p}:ReferentieAanbieder>{reference}</{p}:ReferentieAanbieder>
        <{p}:Product><{b}:Categorie>45</{b}:Categorie><{b}:Code>45A48</{b}:Code></{p}:Product>
        <{p}:ToewijzingIngangsdatum>2024-01-01</{p}:ToewijzingIngangsdatum>
        <{p}:Verwijzer><{b}:Type>{referrer}</{b}:Type>
          <{b}:Naam>Huisartsenpraktijk Centrum</{b}:Naam>
          <{b}:ZorgverlenerCode>01234567</{b}:ZorgverlenerCode></{p}:Verwijzer>
      </{p}:AangevraagdProduct>
    </{p}:AangevraagdeProducten>
  </{p}:Client>"""
    return _document(law, "315", body)


def start(nr: str = "1001", begin: str = "2024-01-08", *, law: str = "jw") -> str:
    p, b = f"{law}305", _STANDARD[law]
    body = f"""  <{p}:Client>
{_short_client(p, b, BSN)}
    <{p}:StartProducten>
      <{p}:StartProduct>
        <{p}:ToewijzingNummer>{nr}</{p}:ToewijzingNummer>
        <{p}:ToewijzingIngangsdatum>2024-01-01</{p}:ToewijzingIngangsdatum>
        <{p}:Begindatum>{begin}</{p}:Begindatum>
        <{p}:StatusAanlevering>1</{p}:StatusAanlevering>
      </{p}:StartProduct>
    </{p}:StartProducten>
  </{p}:Client>"""
    return _document(law, "305", body)


def stop(nr: str = "1002", end: str = "2024-05-31", reason: str = "31", *,
         law: str = "jw") -> str:
    p, b = f"{law}307", _STANDARD[law]
    body = f"""  <{p}:Client>
{_short_client(p, b, BSN)}
    <{p}:StopProducten>
      <{p}:StopProduct>
        <{p}:ToewijzingNummer>{nr}</{p}:ToewijzingNummer>
        <{p}:ToewijzingIngangsdatum>2024-01-01</{p}:ToewijzingIngangsdatum>
        <{p}:Begindatum>2024-01-01</{p}:Begindatum>
        <{p}:RedenBeeindiging>{reason}</{p}:RedenBeeindiging>
        <{p}:Einddatum>{end}</{p}:Einddatum>
        <{p}:StatusAanlevering>1</{p}:StatusAanlevering>
      </{p}:StopProduct>
    </{p}:StopProducten>
  </{p}:Client>"""
    return _document(law, "307", body)


@dataclass(frozen=True)
class Line:
    reference: str
    nr: str
    category: str
    code: str
    start: str
    end: str
    volume: int
    unit: str
    tariff: int | None
    amount: int  # cents, positive
    credit: bool = False


LINE_RN1 = Line("RN1", "1001", "45", "45A48", "2024-01-01", "2024-01-31", 8, "04", 7800, 62400)
LINE_RN2 = Line("RN2", "1001", "45", "45A48", "2024-01-01", "2024-01-31", 1, "04", 7800, 7800,
                credit=True)
LINE_RN3 = Line("RN3", "1002", "48", "48A01", "2024-01-01", "2024-01-31", 150000, "83", None,
                150000)
LINE_RN4 = Line("RN4", "1001", "45", "45A48", "2024-01-01", "2024-01-31", 2, "04", 7800, 16000)


def _tariff(p: str, x: Line) -> str:
    return f"<{p}:ProductTarief>{x.tariff}</{p}:ProductTarief>" if x.tariff is not None else ""


def _bedrag(p: str, b: str, x: Line) -> str:
    sign = "C" if x.credit else "D"
    return (f"<{p}:IngediendBedrag><{b}:Bedrag>{x.amount}</{b}:Bedrag>"
            f"<{b}:DebetCredit>{sign}</{b}:DebetCredit></{p}:IngediendBedrag>")


def declaratie(lines: list[Line], *, law: str = "jw", number: str = "D2024001",
               period: tuple[str, str] = ("2024-01-01", "2024-01-31"), bsn: str = BSN,
               total: int | None = None) -> str:
    p, b = f"{law}323", _STANDARD[law]
    signed = sum(-x.amount if x.credit else x.amount for x in lines)
    total = signed if total is None else total
    totaal = (f"<{p}:TotaalIngediendBedrag><{b}:TotaalBedrag>{abs(total)}</{b}:TotaalBedrag>"
              f"<{b}:DebetCredit>{'C' if total < 0 else 'D'}</{b}:DebetCredit>"
              f"</{p}:TotaalIngediendBedrag>")
    items = []
    for x in lines:
        tariff, bedrag = _tariff(p, x), _bedrag(p, b, x)
        items.append(f"""        <{p}:Prestatie>
          <{p}:ProductReferentie><{b}:ReferentieNummer>{x.reference}</{b}:ReferentieNummer></{p}:ProductReferentie>
          <{p}:ToewijzingNummer>{x.nr}</{p}:ToewijzingNummer>
          <{p}:ProductCategorie>{x.category}</{p}:ProductCategorie>
          <{p}:ProductCode>{x.code}</{p}:ProductCode>
          <{p}:ProductPeriode><{b}:Begindatum>{x.start}</{b}:Begindatum><{b}:Einddatum>{x.end}</{b}:Einddatum></{p}:ProductPeriode>
          <{p}:GeleverdVolume>{x.volume}</{p}:GeleverdVolume>
          <{p}:Eenheid>{x.unit}</{p}:Eenheid>
          {tariff}
          {bedrag}
        </{p}:Prestatie>""")
    body = f"""  <{p}:Declaratie>
    <{p}:DeclaratieNummer>{number}</{p}:DeclaratieNummer>
    <{p}:DeclaratiePeriode><{b}:Begindatum>{period[0]}</{b}:Begindatum><{b}:Einddatum>{period[1]}</{b}:Einddatum></{p}:DeclaratiePeriode>
    <{p}:DeclaratieDagtekening>2024-02-05</{p}:DeclaratieDagtekening>
    {totaal}
    <{p}:Clienten>
      <{p}:Client>
        <{p}:Bsn>{bsn}</{p}:Bsn>
        <{p}:Prestaties>
{chr(10).join(items)}
        </{p}:Prestaties>
      </{p}:Client>
    </{p}:Clienten>
  </{p}:Declaratie>"""
    return _document(law, "323", body)


def antwoord(rejected: list[Line], *, law: str = "jw", number: str = "D2024001",
             code: str = "0611", ingediend: int = 0, toegekend: int = 0) -> str:
    p, b = f"{law}325", _STANDARD[law]
    extra = f"""
    <{p}:DeclaratieIdentificatie><{b}:Identificatie>T323</{b}:Identificatie><{b}:Dagtekening>2024-02-05</{b}:Dagtekening></{p}:DeclaratieIdentificatie>
    <{p}:XsdVersieDeclaratie><{b}:BasisschemaXsdVersie>{_VERSION[law]}</{b}:BasisschemaXsdVersie><{b}:BerichtXsdVersie>{_VERSION[law]}</{b}:BerichtXsdVersie></{p}:XsdVersieDeclaratie>
    <{p}:RetourCodes><{p}:RetourCode>0200</{p}:RetourCode></{p}:RetourCodes>"""
    items = []
    for x in rejected:
        tariff, bedrag = _tariff(p, x), _bedrag(p, b, x)
        items.append(f"""        <{p}:Prestatie>
          <{p}:ProductReferentie><{b}:ReferentieNummer>{x.reference}</{b}:ReferentieNummer></{p}:ProductReferentie>
          <{p}:ToewijzingNummer>{x.nr}</{p}:ToewijzingNummer>
          <{p}:ProductCategorie>{x.category}</{p}:ProductCategorie>
          <{p}:ProductCode>{x.code}</{p}:ProductCode>
          <{p}:ProductPeriode><{b}:Begindatum>{x.start}</{b}:Begindatum><{b}:Einddatum>{x.end}</{b}:Einddatum></{p}:ProductPeriode>
          <{p}:GeleverdVolume>{x.volume}</{p}:GeleverdVolume>
          <{p}:Eenheid>{x.unit}</{p}:Eenheid>
          {tariff}
          {bedrag}
          <{p}:RetourCodes><{p}:RetourCode>{code}</{p}:RetourCode></{p}:RetourCodes>
        </{p}:Prestatie>""")
    body = f"""  <{p}:DeclaratieAntwoord>
    <{p}:DeclaratieNummer>{number}</{p}:DeclaratieNummer>
    <{p}:TotaalIngediendBedrag><{b}:TotaalBedrag>{ingediend}</{b}:TotaalBedrag><{b}:DebetCredit>D</{b}:DebetCredit></{p}:TotaalIngediendBedrag>
    <{p}:TotaalToegekendBedrag><{b}:TotaalBedrag>{toegekend}</{b}:TotaalBedrag><{b}:DebetCredit>D</{b}:DebetCredit></{p}:TotaalToegekendBedrag>
    <{p}:Clienten>
      <{p}:Client>
        <{p}:Bsn>{BSN}</{p}:Bsn>
        <{p}:Prestaties>
{chr(10).join(items)}
        </{p}:Prestaties>
        <{p}:RetourCodes><{p}:RetourCode>0200</{p}:RetourCode></{p}:RetourCodes>
      </{p}:Client>
    </{p}:Clienten>
    <{p}:RetourCodes><{p}:RetourCode>0200</{p}:RetourCode></{p}:RetourCodes>
  </{p}:DeclaratieAntwoord>"""
    return _document(law, "325", body, extra_header=extra)


def example_folder(folder: Path) -> Path:
    """The whole example of the module docstring as one folder of messages."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "01_JW315.xml": verzoek(),
        "02_JW301.xml": toewijzing([TOEWIJZING_1001, TOEWIJZING_1002]),
        "03_JW305.xml": start(),
        "04_JW307.xml": stop(),
        "05_JW323.xml": declaratie([LINE_RN1, LINE_RN2, LINE_RN3, LINE_RN4]),
        "06_JW325.xml": antwoord([LINE_RN4], ingediend=220600, toegekend=204600),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
