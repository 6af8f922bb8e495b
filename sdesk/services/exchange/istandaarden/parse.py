"""Safe XML parsing and extraction of the iJw/iWmo 3.2 messages sdesk reads.

Parsing is done with lxml without DTDs, entity substitution or network access; a document that
carries a DOCTYPE or an entity declaration at all is refused before it is parsed (the messages
never have one, and it is how billion-laughs and external-entity attacks arrive).

Extraction turns a document into plain dataclasses and tuples. It never raises on bad content:
every problem is reported in Dutch with the line of the element, and the message is then
dropped. The careful reader matches elements on their local name; a declaration that passed its
XSD is read by position instead (the XSD fixes the order), which is several times faster.
"""

from __future__ import annotations

import re
import threading
from datetime import date
from functools import lru_cache
from typing import TypeGuard

from lxml import etree

from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.istandaarden.detect import MessageType, identify
from sdesk.services.exchange.istandaarden.messages import (
    ACCEPTING_CODES,
    Aangevraagd,
    Afgewezen,
    Antwoord,
    Client,
    Declaratie,
    Header,
    Levering,
    Message,
    Prestatie,
    Toegewezen,
)
from sdesk.services.platform.bounds import (
    DATE_RANGE_TEXT,
    MAX_DATE,
    MAX_VOLUME,
    MIN_DATE,
    claim_limit_text,
    max_claim_cents,
)
from sdesk.services.platform.text import euro, group_thousands

GENDERS = {"0": "O", "1": "M", "2": "V"}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_INT = re.compile(r"^[+-]?\d+$", re.ASCII)
_BSN = re.compile(r"^\d{9}$", re.ASCII)
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")
_local = threading.local()
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
_dates: dict[str, date] = {}


def _digits(value: str | None) -> TypeGuard[str]:
    """Only ASCII digits (str.isdigit alone also accepts e.g. "²", which int() refuses)."""
    return value is not None and value.isascii() and value.isdigit()


@lru_cache(maxsize=65536)
def valid_bsn(value: str) -> bool:
    """The BSN 11-proef (domain brief 5.1) on nine digits; 000000000 is not valid."""
    if len(value) != 9 or not _digits(value) or value == "000000000":
        return False
    return sum(w * int(c) for w, c in zip(_BSN_WEIGHTS, value, strict=True)) % 11 == 0


def parse_date(value: str | None) -> date | None:
    """A YYYY-MM-DD text as a date, None when it is no existing date in that form (cached:
    a declaration repeats the same few dates thousands of times)."""
    if value is None:
        return None
    found = _dates.get(value)
    if found is not None:
        return found
    if len(value) != 10 or not _DATE.match(value):
        return None
    try:
        found = date.fromisoformat(value)
    except ValueError:
        return None
    if len(_dates) > 100_000:
        _dates.clear()
    _dates[value] = found
    return found


# ---------------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------------

def _parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                 dtd_validation=False, huge_tree=False, remove_comments=True,
                                 remove_pis=True, collect_ids=False)
        _local.parser = parser
    return parser


_DANGEROUS = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _ascii_compatible(raw: bytes) -> bool:
    """True when a byte search for "<!DOCTYPE" is reliable (UTF-8 or another ASCII-based
    encoding); UTF-16/32 documents are decoded first or checked after parsing."""
    head = raw[:4]
    return not (head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head)


def _has_dtd(raw: bytes) -> bool:
    if _ascii_compatible(raw):
        return b"<!" in raw and _DANGEROUS.search(raw) is not None
    for encoding in ("utf-16", "utf-32"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _DANGEROUS.search(text.encode("utf-8", "replace")) is not None
    return False


def parse_xml(raw: bytes, label: str, report: Report) -> etree._Element | None:
    """The root element, or None after reporting why the document cannot be read."""
    if not raw or raw.isspace():
        report.add(label, None, None, "bestand is leeg")
        return None
    if _has_dtd(raw):
        report.add(label, None, None,
                   "bevat een DOCTYPE of entiteitdefinitie; dat hoort niet in een "
                   "iJw/iWmo-bericht en wordt om veiligheidsredenen geweigerd "
                   "(geen entiteiten of externe verwijzingen)")
        return None
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        report.add(label, line, None, f"geen geldige XML: {exc.msg}")
        return None
    except (ValueError, etree.ParseError) as exc:
        report.add(label, None, None, f"geen geldige XML: {exc}")
        return None
    if root is None:
        report.add(label, None, None, "geen geldige XML: geen hoofdelement")
        return None
    if not _ascii_compatible(raw):  # the byte search above may not have seen a DOCTYPE
        docinfo = root.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            report.add(label, None, None,
                       "bevat een DOCTYPE; dat hoort niet in een iJw/iWmo-bericht en wordt om "
                       "veiligheidsredenen geweigerd")
            return None
    return root


def _localname(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None
    return tag[tag.rfind("}") + 1:]


def message_type_of(root: etree._Element, label: str, report: Report) -> MessageType | None:
    """The type of a parsed document; None after reporting (unknown) or warning (unsupported)."""
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace = tag[1:tag.find("}")] if tag.startswith("{") else None
    found = identify(namespace)
    if isinstance(found, str):
        report.add(label, root.sourceline, _localname(tag), found)
        return None
    if _localname(tag) != "Bericht":
        report.add(label, root.sourceline, _localname(tag),
                   f"hoofdelement moet 'Bericht' heten in een {found.code}-bericht")
        return None
    return found


# ---------------------------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------------------------

def _kids(element: etree._Element) -> dict[str, etree._Element]:
    out: dict[str, etree._Element] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str):
            out.setdefault(tag[tag.rfind("}") + 1:], child)
    return out


def _all(element: etree._Element | None, name: str) -> list[etree._Element]:
    if element is None:
        return []
    suffix = "}" + name
    return [c for c in element
            if isinstance(c.tag, str) and (c.tag.endswith(suffix) or c.tag == name)]


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


class _Reader:
    """Reads values out of one document; every problem becomes an issue with its line."""

    def __init__(self, label: str, report: Report) -> None:
        self.label = label
        self.report = report
        self.ok = True
        self.max_cents = max_claim_cents()

    def bad(self, element: etree._Element | None, name: str | None, reason: str) -> None:
        line = element.sourceline if element is not None else None
        self.report.add(self.label, line, name, reason)
        self.ok = False

    def need(self, kids: dict[str, etree._Element], name: str,
             parent: etree._Element) -> etree._Element | None:
        element = kids.get(name)
        if element is None:
            self.bad(parent, name, f"verplicht element {name} ontbreekt")
        return element

    def text(self, kids: dict[str, etree._Element], name: str, parent: etree._Element,
             required: bool = True) -> str | None:
        element = kids.get(name)
        value = _text(element)
        if value is None and required:
            self.bad(element if element is not None else parent, name,
                     f"verplicht element {name} ontbreekt of is leeg")
        return value

    def date(self, kids: dict[str, etree._Element], name: str, parent: etree._Element,
             required: bool = True) -> date | None:
        value = self.text(kids, name, parent, required)
        if value is None:
            return None
        found = parse_date(value)
        if found is not None and MIN_DATE <= found <= MAX_DATE:
            return found
        if found is not None:
            self.bad(kids[name], name, f"datum '{value}' ligt buiten {DATE_RANGE_TEXT}; "
                                       "controleer het jaartal")
            return None
        self.bad(kids[name], name, f"ongeldige datum '{value}' (verwacht een bestaande datum "
                                   "als JJJJ-MM-DD)")
        return None

    def volume(self, kids: dict[str, etree._Element], name: str, parent: etree._Element,
               required: bool = True) -> int | None:
        """A volume: a whole number 0..99,999,999."""
        number = self.integer(kids, name, parent, required)
        if number is not None and number > MAX_VOLUME:
            self.bad(kids[name], name, f"{name} {number} is groter dan het maximum van "
                                       f"{group_thousands(MAX_VOLUME)}")
            return None
        return number

    def money(self, kids: dict[str, etree._Element], name: str, parent: etree._Element,
              required: bool = True) -> int | None:
        """An amount in cents of one line (tariff, budget, claimed amount): at most the
        claim-line cap (EUR 10 million, SDESK_MAX_CLAIM_EUR)."""
        cents = self.integer(kids, name, parent, required)
        if cents is not None and cents > self.max_cents:
            self.bad(kids[name], name, f"{name} {euro(cents)} is groter dan "
                                       f"{claim_limit_text()}")
            return None
        return cents

    def integer(self, kids: dict[str, etree._Element], name: str, parent: etree._Element,
                required: bool = True) -> int | None:
        value = self.text(kids, name, parent, required)
        if value is None:
            return None
        if not _INT.match(value):
            self.bad(kids[name], name, f"ongeldig geheel getal '{value}'")
            return None
        number = int(value)
        if number < 0:
            self.bad(kids[name], name, f"waarde {number} mag niet negatief zijn")
            return None
        return number

    def amount(self, element: etree._Element | None, name: str, parent: etree._Element,
               total: bool = False) -> int | None:
        """A CDT_BedragMetDC / CDT_TotaalBedragMetDC as signed cents (credit negative)."""
        if element is None:
            self.bad(parent, name, f"verplicht element {name} ontbreekt")
            return None
        kids = _kids(element)
        cents = (self.integer(kids, "TotaalBedrag", element) if total
                 else self.money(kids, "Bedrag", element))
        sign = self.text(kids, "DebetCredit", element)
        if sign not in (None, "C", "D"):
            self.bad(kids["DebetCredit"], "DebetCredit",
                     f"DebetCredit '{sign}' is geen C of D (codelijst COD043)")
            return None
        if cents is None or sign is None:
            return None
        return -cents if sign == "C" else cents

    def bsn(self, kids: dict[str, etree._Element], parent: etree._Element) -> str | None:
        value = self.text(kids, "Bsn", parent)
        if value is None:
            return None
        if not _BSN.match(value):
            self.bad(kids["Bsn"], "Bsn", f"BSN '{value}' moet uit 9 cijfers bestaan")
            return None
        if not valid_bsn(value):
            self.bad(kids["Bsn"], "Bsn",
                     f"BSN '{value}' voldoet niet aan de 11-proef (retourcode 0001)")
            return None
        return value

    def product(self, kids: dict[str, etree._Element]) -> tuple[str | None, str | None]:
        element = kids.get("Product")
        if element is None:
            return None, None
        product = _kids(element)
        category = self.text(product, "Categorie", element)
        return category, _text(product.get("Code"))


def _header(reader: _Reader, root: etree._Element, mt: MessageType) -> Header | None:
    top = _kids(root)
    element = reader.need(top, "Header", root)
    if element is None:
        return None
    kids = _kids(element)
    code = reader.text(kids, "BerichtCode", element)
    if code is not None and code != mt.berichtcode:
        reader.bad(kids["BerichtCode"], "BerichtCode",
                   f"onbekende BerichtCode '{code}': een {mt.code}-bericht ({mt.title}) heeft "
                   f"BerichtCode {mt.berichtcode}")
    ident = kids.get("BerichtIdentificatie")
    identification = dagtekening = None
    if ident is not None:
        ident_kids = _kids(ident)
        identification = _text(ident_kids.get("Identificatie"))
        dagtekening = reader.date(ident_kids, "Dagtekening", ident, required=False)
    return Header(_text(kids.get("Afzender")), _text(kids.get("Ontvanger")), identification,
                  dagtekening)


def _postcode(client: dict[str, etree._Element]) -> str | None:
    contacts = _all(client.get("Contactgegevens"), "Contact")
    ranked = sorted(contacts, key=lambda c: _text(_kids(c).get("Soort")) != "01")
    for contact in ranked:
        adres = _kids(contact).get("Adres")
        value = _text(_kids(adres).get("Postcode")) if adres is not None else None
        match = _POSTCODE.match(value or "")
        if match:
            return f"{match[1]}{match[2].upper()}"
    return None


def _client(reader: _Reader, element: etree._Element, full: bool) -> Client | None:
    kids = _kids(element)
    bsn = reader.bsn(kids, element)
    if not full:
        return None if bsn is None else Client(element.sourceline or 0, bsn)
    birth = None
    geboorte = kids.get("Geboortedatum")
    if geboorte is not None:
        birth = reader.date(_kids(geboorte), "Datum", geboorte)
    gender = GENDERS.get(_text(kids.get("Geslacht")) or "")
    last_name = first_name = None
    naam = kids.get("Naam")
    if naam is not None:
        naam_kids = _kids(naam)
        geslachtsnaam = naam_kids.get("Geslachtsnaam")
        if geslachtsnaam is not None:
            parts = _kids(geslachtsnaam)
            last_name = " ".join(p for p in (_text(parts.get("Voorvoegsel")),
                                             _text(parts.get("Achternaam"))) if p) or None
        first_name = _text(naam_kids.get("Voornamen")) or _text(naam_kids.get("Voorletters"))
    if bsn is None:
        return None
    return Client(element.sourceline or 0, bsn, birth, gender, last_name, first_name,
                  _postcode(kids))


def _omvang(reader: _Reader, kids: dict[str, etree._Element]
            ) -> tuple[int | None, str | None, str | None]:
    element = kids.get("Omvang")
    if element is None:
        return None, None, None
    omvang = _kids(element)
    return (reader.volume(omvang, "Volume", element), reader.text(omvang, "Eenheid", element),
            reader.text(omvang, "Frequentie", element))


def _number(reader: _Reader, kids: dict[str, etree._Element], name: str,
            parent: etree._Element, required: bool = True) -> str | None:
    """A ToewijzingNummer (LDT_Nummer, an integer) as canonical text."""
    value = reader.integer(kids, name, parent, required)
    return None if value is None else str(value)


def _toewijzing(reader: _Reader, message: Message, client: etree._Element) -> None:
    for element in _all(_kids(client).get("ToegewezenProducten"), "ToegewezenProduct"):
        kids = _kids(element)
        nr = _number(reader, kids, "ToewijzingNummer", element)
        category, code = reader.product(kids)
        decided_on = reader.date(kids, "Toewijzingsdatum", element)
        decided_at = reader.text(kids, "Toewijzingstijd", element) or ""
        start = reader.date(kids, "Ingangsdatum", element)
        end = reader.date(kids, "Einddatum", element, required=False)
        volume, unit, frequency = _omvang(reader, kids)
        budget = reader.money(kids, "Budget", element, required=False)
        if nr is None or start is None:
            continue
        message.toegewezen.append(Toegewezen(
            element.sourceline or 0, nr, _text(kids.get("ReferentieAanbieder")), category, code,
            f"{decided_on.isoformat() if decided_on else ''}T{decided_at}", start, end,
            _text(kids.get("RedenWijziging")), volume, unit, frequency, budget))


def _leveringen(reader: _Reader, message: Message, client: etree._Element) -> None:
    stop = message.type.number == "307"
    group, item = ("StopProducten", "StopProduct") if stop else ("StartProducten", "StartProduct")
    for element in _all(_kids(client).get(group), item):
        kids = _kids(element)
        nr = _number(reader, kids, "ToewijzingNummer", element, required=False)
        category, code = reader.product(kids)
        allocation_start = reader.date(kids, "ToewijzingIngangsdatum", element, required=False)
        begin = reader.date(kids, "Begindatum", element)
        end = reader.date(kids, "Einddatum", element) if stop else None
        reason = reader.text(kids, "RedenBeeindiging", element) if stop else None
        status = reader.text(kids, "StatusAanlevering", element) or "1"
        if begin is None or (stop and (end is None or reason is None)):
            continue
        message.leveringen.append(Levering(element.sourceline or 0, nr, category, code,
                                           allocation_start, begin, end, reason, status))


def _verzoek(reader: _Reader, message: Message, client: etree._Element) -> None:
    for element in _all(_kids(client).get("AangevraagdeProducten"), "AangevraagdProduct"):
        kids = _kids(element)
        reference = reader.text(kids, "ReferentieAanbieder", element)
        category, code = reader.product(kids)
        start = reader.date(kids, "ToewijzingIngangsdatum", element)
        end = reader.date(kids, "ToewijzingEinddatum", element, required=False)
        verwijzer = reader.need(kids, "Verwijzer", element)
        referrer = name = agb = None
        if verwijzer is not None:
            v = _kids(verwijzer)
            referrer = reader.text(v, "Type", verwijzer)
            name = _text(v.get("Naam"))
            agb = _text(v.get("ZorgverlenerCode"))
        if reference is None or start is None or referrer is None:
            continue
        message.aangevraagd.append(Aangevraagd(element.sourceline or 0, reference, category,
                                               code, start, end, referrer, name, agb))


@lru_cache(maxsize=8)
def _prestatie_names(m: str, b: str) -> tuple[str, ...]:
    return tuple(m + n for n in ("ProductReferentie", "ToewijzingNummer", "ProductCategorie",
                                 "ProductCode", "ProductPeriode", "GeleverdVolume", "Eenheid",
                                 "ProductTarief", "IngediendBedrag")) + tuple(
        b + n for n in ("ReferentieNummer", "VorigReferentieNummer", "Begindatum", "Einddatum",
                        "Bedrag", "DebetCredit"))


def _clean(value: str | None) -> TypeGuard[str]:
    return value is not None and value != "" and value.strip() == value


def _within(start: date, end: date, volume: int, cents: int, tariff: int | None,
            max_cents: int) -> bool:
    """Whether a line's dates, volume and amounts lie within sdesk's bounds (the fast readers
    leave a line that does not to the careful reader, which says what is wrong)."""
    return (MIN_DATE <= start <= MAX_DATE and MIN_DATE <= end <= MAX_DATE
            and volume <= MAX_VOLUME and cents <= max_cents
            and (tariff is None or tariff <= max_cents))


def _fast_prestatie(element: etree._Element, bsn: str, names: tuple[str, ...],
                    max_cents: int) -> Prestatie | None:
    """A well-formed Prestatie without ceremony (the hot path of a big 323); None for anything
    unusual, which then goes through the careful reader that reports what is wrong."""
    (ref_tag, nr_tag, cat_tag, code_tag, period_tag, volume_tag, unit_tag, tariff_tag, amount_tag,
     number_tag, previous_tag, begin_tag, end_tag, cents_tag, sign_tag) = names
    kids = {c.tag: c for c in element}
    if len(kids) != len(element):
        return None
    try:
        refs = {c.tag: c.text for c in kids[ref_tag]}
        nr = kids[nr_tag].text
        category = kids[cat_tag].text
        code = kids[code_tag].text
        period = {c.tag: c.text for c in kids[period_tag]}
        volume = kids[volume_tag].text
        unit = kids[unit_tag].text
        money = {c.tag: c.text for c in kids[amount_tag]}
        reference = refs[number_tag]
        cents = money[cents_tag]
        sign = money[sign_tag]
    except KeyError:
        return None
    tariff_element = kids.get(tariff_tag)
    tariff = tariff_element.text if tariff_element is not None else None
    start = parse_date(period.get(begin_tag))
    end = parse_date(period.get(end_tag))
    if (start is None or end is None or not _digits(nr) or not _digits(volume)
            or not _digits(cents) or sign not in ("C", "D") or not _clean(reference)
            or not _clean(category) or not _clean(code) or not _clean(unit)
            or (tariff is not None and not _digits(tariff))):
        return None
    previous = refs.get(previous_tag)
    amount = int(cents)
    price = None if tariff is None else int(tariff)
    if not _within(start, end, int(volume), amount, price, max_cents):
        return None
    return Prestatie(element.sourceline or 0, bsn, reference,
                     previous.strip() if previous else None, str(int(nr)), category, code,
                     start, end, int(volume), unit, price,
                     -amount if sign == "C" else amount, sign == "C")


def _prestatie(reader: _Reader, element: etree._Element, bsn: str) -> Prestatie | None:
    kids = _kids(element)
    ref_element = reader.need(kids, "ProductReferentie", element)
    reference = previous = None
    if ref_element is not None:
        refs = _kids(ref_element)
        reference = reader.text(refs, "ReferentieNummer", ref_element)
        previous = _text(refs.get("VorigReferentieNummer"))
    nr = _number(reader, kids, "ToewijzingNummer", element)
    category = reader.text(kids, "ProductCategorie", element)
    code = reader.text(kids, "ProductCode", element)
    period = reader.need(kids, "ProductPeriode", element)
    start = end = None
    if period is not None:
        period_kids = _kids(period)
        start = reader.date(period_kids, "Begindatum", period)
        end = reader.date(period_kids, "Einddatum", period)
    volume = reader.volume(kids, "GeleverdVolume", element)
    unit = reader.text(kids, "Eenheid", element)
    tariff = reader.money(kids, "ProductTarief", element, required=False)
    amount = reader.amount(kids.get("IngediendBedrag"), "IngediendBedrag", element)
    if (reference is None or nr is None or category is None or code is None or start is None
            or end is None or volume is None or unit is None or amount is None):
        return None
    credit = _text(_kids(kids["IngediendBedrag"]).get("DebetCredit")) == "C"
    return Prestatie(element.sourceline or 0, bsn, reference, previous, nr, category, code,
                     start, end, volume, unit, tariff, amount, credit)


def _declaratie(reader: _Reader, message: Message, root: etree._Element) -> None:
    element = reader.need(_kids(root), "Declaratie", root)
    if element is None:
        return
    kids = _kids(element)
    number = reader.text(kids, "DeclaratieNummer", element)
    period = reader.need(kids, "DeclaratiePeriode", element)
    period_start = period_end = None
    if period is not None:
        period_kids = _kids(period)
        period_start = reader.date(period_kids, "Begindatum", period)
        period_end = reader.date(period_kids, "Einddatum", period)
    total = reader.amount(kids.get("TotaalIngediendBedrag"), "TotaalIngediendBedrag", element,
                          total=True)
    prestaties: list[Prestatie] = []
    names = _prestatie_names(f"{{{message.type.namespace}}}",
                             f"{{{message.type.basis_namespace}}}")
    for client in _all(kids.get("Clienten"), "Client"):
        client_kids = _kids(client)
        bsn = reader.bsn(client_kids, client) or ""
        for item in _all(client_kids.get("Prestaties"), "Prestatie"):
            prestatie = (_fast_prestatie(item, bsn, names, reader.max_cents)
                         or _prestatie(reader, item, bsn))
            if prestatie is not None:
                prestaties.append(prestatie)
    if number is None or period_start is None or period_end is None or total is None:
        return
    message.declaratie = Declaratie(element.sourceline or 0, number, period_start, period_end,
                                    total, prestaties)


def _valid_declaratie(message: Message, root: etree._Element) -> bool:
    """The 323 of a document that passed its XSD, read by position (the XSD fixes the order of
    every element; only ProductTarief and VorigReferentieNummer are optional). Returns False
    at the first value that needs more care (whitespace around a value, a BSN that fails the
    11-proef): the careful reader then reports it. This is the hot path of a large import."""
    max_cents = max_claim_cents()
    try:
        declaratie = root[1]
        number_el, period, _dagtekening, total_el, clienten = declaratie[:5]
        number = number_el.text
        period_start = parse_date(period[0].text)
        period_end = parse_date(period[1].text)
        total_text, total_sign = total_el[0].text, total_el[1].text
        if (period_start is None or period_end is None or not _clean(number)
                or not _digits(total_text) or not MIN_DATE <= period_start <= MAX_DATE
                or not MIN_DATE <= period_end <= MAX_DATE):
            return False
        prestaties: list[Prestatie] = []
        append = prestaties.append
        for client in clienten:
            bsn = client[0].text
            if bsn is None or not valid_bsn(bsn):
                return False
            for item in client[1]:
                kids = list(item)
                if len(kids) == 9:
                    tariff = kids[7].text
                    if not _digits(tariff):
                        return False
                    money = kids[8]
                else:
                    tariff, money = None, kids[7]
                refs = kids[0]
                reference = refs[0].text
                previous = refs[1].text if len(refs) > 1 else None
                nr, category, code = kids[1].text, kids[2].text, kids[3].text
                dates = kids[4]
                start, end = parse_date(dates[0].text), parse_date(dates[1].text)
                volume, unit = kids[5].text, kids[6].text
                cents, sign = money[0].text, money[1].text
                if (start is None or end is None or not _digits(nr) or not _digits(volume)
                        or not _digits(cents) or not _clean(reference) or not _clean(category)
                        or not _clean(code) or not _clean(unit)
                        or (previous is not None and not _clean(previous))):
                    return False
                amount = int(cents)
                price = None if tariff is None else int(tariff)
                if not _within(start, end, int(volume), amount, price, max_cents):
                    return False
                credit = sign == "C"
                append(Prestatie(item.sourceline or 0, bsn, reference,
                                 previous, str(int(nr)), category, code,
                                 start, end, int(volume), unit, price,
                                 -amount if credit else amount, credit))
    except (IndexError, TypeError, ValueError):
        return False
    total = int(total_text)
    message.declaratie = Declaratie(declaratie.sourceline or 0, number,
                                    period_start, period_end,
                                    -total if total_sign == "C" else total, prestaties)
    return True


def _codes(element: etree._Element | None) -> tuple[str, ...]:
    return tuple(t for t in (_text(c) for c in _all(element, "RetourCode")) if t)


def _antwoord(reader: _Reader, message: Message, root: etree._Element) -> None:
    top = _kids(root)
    header_codes = _codes(_kids(top["Header"]).get("RetourCodes")) if "Header" in top else ()
    element = top.get("DeclaratieAntwoord")
    if element is None:
        # Without DeclaratieAntwoord the header codes speak for the declaration as a whole,
        # but there is no DeclaratieNummer to link them to.
        if any(c not in ACCEPTING_CODES for c in header_codes):
            reader.bad(root, "DeclaratieAntwoord",
                       "325 zonder DeclaratieAntwoord kan niet aan een declaratie worden "
                       "gekoppeld (DeclaratieNummer ontbreekt)")
        return
    kids = _kids(element)
    number = reader.text(kids, "DeclaratieNummer", element)
    rejected: list[Afgewezen] = []
    for client in _all(kids.get("Clienten"), "Client"):
        client_kids = _kids(client)
        bsn = reader.bsn(client_kids, client) or ""
        for item in _all(client_kids.get("Prestaties"), "Prestatie"):
            item_kids = _kids(item)
            ref_element = reader.need(item_kids, "ProductReferentie", item)
            reference = None
            if ref_element is not None:
                reference = reader.text(_kids(ref_element), "ReferentieNummer", ref_element)
            bedrag = item_kids.get("IngediendBedrag")
            sign = _text(_kids(bedrag).get("DebetCredit")) if bedrag is not None else None
            if reference is None:
                continue
            rejected.append(Afgewezen(item.sourceline or 0, bsn, reference,
                                      _text(item_kids.get("ToewijzingNummer")), sign == "C",
                                      _codes(item_kids.get("RetourCodes"))))
    if number is None:
        return
    message.antwoord = Antwoord(element.sourceline or 0, number,
                                header_codes + _codes(kids.get("RetourCodes")), rejected)


def extract(root: etree._Element, mt: MessageType, label: str, order: int,
            report: Report, schema_valid: bool = False) -> Message | None:
    """The message's content, or None when anything in it was reported.

    schema_valid: the document passed its XSD, so a large declaration may be read by position.
    """
    reader = _Reader(label, report)
    header = _header(reader, root, mt)
    if header is None:
        return None
    message = Message(label, order, mt, header)
    provider = message.provider
    if provider is None or not re.fullmatch(r"\d{8}", provider):
        side = "Ontvanger" if mt.number in ("301", "325") else "Afzender"
        reader.bad(root, side, f"{side} moet de AGB-code van de aanbieder zijn (8 cijfers)")
    if mt.number in ("301", "305", "307", "315"):
        element = reader.need(_kids(root), "Client", root)
        if element is not None:
            message.client = _client(reader, element, full=mt.number == "301")
            {"301": _toewijzing, "305": _leveringen, "307": _leveringen,
             "315": _verzoek}[mt.number](reader, message, element)
    elif mt.number == "323":
        if not (schema_valid and reader.ok and _valid_declaratie(message, root)):
            _declaratie(reader, message, root)
    elif mt.number == "325":
        _antwoord(reader, message, root)
    return message if reader.ok else None
