"""Write a database (e.g. the demo municipality) as iJw/iWmo 3.2 messages.

One file per message: per law, aanbieder (AGB) and client a 301 (all of the client's
toewijzingen at that aanbieder), a 305 (start of each), a 307 (stop of each that ended with a
reden beëindiging) and, when the referrer is not the gemeente (01), a 315 (verzoek om toewijzing
carrying the referrer, linked to the 301 through ReferentieAanbieder); per law, aanbieder and
month of the claim period one 323 declaratie. Importing the files into an empty database
(import_messages) gives the same allocations and claims as the exchange format does.

What does not round-trip (the messages have no place for it):

- Participatiewet allocations (no iStandaard) are not exported; nor are persons without a BSN
  (a 301 needs one), toewijzingnummers that are not a number of at most 9 digits, claims
  rejected in a 325 (as in the exchange export) and claims on removed toewijzingen (reden 13).
- description, delivery form (zin/pgb), provision kind, responsible employee, households
  (each imported client gets a household of their own) and the provider's name (only the AGB
  code travels; without one "00000000" is sent) are not in the messages.
- The tariff: a 323 line carries ProductTarief only when IngediendBedrag = GeleverdVolume ×
  ProductTarief with a whole volume. A claim whose amount is not a whole number of units (the
  demo's amounts are month commitments × uitnutting) is declared in Eenheid 83 (euro's,
  GeleverdVolume = amount in cents), which keeps every amount exact but carries no tariff; the
  imported allocation then gets its tariff from the tarieven table, if there is one.
- A referrer left empty comes back as 01 (no 315 is sent); the volume of a claim line is
  whole units or cents, so fractional claim volumes are not kept.
- Fractional allocation volumes are rounded to whole units (LDT_Volume is an integer).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import Engine

from sdesk.services.exchange.istandaarden.detect import MessageType, message_type
from sdesk.services.platform.sqlite import driver_connection

ProgressFn = Callable[[float, str], None]

DEMO_GEMEENTE = "0000"  # CBS gemeentecode of the sender; the demo municipality has none
UNKNOWN_AGB = "00000000"
_STANDARD = {"jeugd": "ijw", "wmo": "iwmo"}
_BASIS_PREFIX = {"ijw": "ijw", "iwmo": "iwmo"}
# XsdVersie as declared in the appinfo of the 3.2 XSDs.
_XSD_VERSIONS = {"ijw": ("0.1.0", "0.1.0"), "iwmo": ("1.0.0", "1.0.0")}
_AGB = re.compile(r"\bAGB[\s:-]*(\d{8})\b", re.IGNORECASE)
_VALID_CHANGE = {f"{i:02d}" for i in range(1, 15)}
_VALID_END = {"jeugd": {"02", "20", "31", "32", "33", "34", "35", "36", "37", "38", "39"},
              "wmo": {"02", "19", "20", "21", "22", "23", "31", "36", "37", "38", "39"}}
_GENDER = {"M": "1", "V": "2"}
EURO = "83"
FETCH_ROWS = 50_000


@dataclass(frozen=True)
class _Alloc:
    id: int
    law: str
    nr: str
    category: str
    code: str | None
    agb: str
    referrer: str | None
    start: str
    end: str | None
    volume: float | None
    unit: str | None
    frequency: str | None
    budget: int | None
    change_reason: str | None
    end_reason: str | None
    tariff: int | None
    bsn: str
    birth_date: str
    gender: str | None
    last_name: str | None
    first_name: str | None
    postcode: str | None


def _e(value: object) -> str:
    return escape(str(value))


def split_name(last_name: str | None) -> tuple[str, str | None]:
    """("Berg", "van den") from "van den Berg": leading lower-case words are the voorvoegsel."""
    words = (last_name or "").split()
    if not words:
        return "Onbekend", None
    cut = 0
    while cut < len(words) - 1 and words[cut][:1].islower():
        cut += 1
    prefix = " ".join(words[:cut]) or None
    if prefix is not None and len(prefix) > 10:
        return " ".join(words)[:200], None
    return " ".join(words[cut:])[:200], prefix


class _Writer:
    def __init__(self, out_dir: Path, gemeente: str, dagtekening: date) -> None:
        self.out_dir = out_dir
        self.gemeente = gemeente
        self.dagtekening = dagtekening.isoformat()
        self.counts: dict[str, int] = defaultdict(int)
        self.seq = 0

    def _ident(self) -> str:
        self.seq += 1
        return f"SD{self.seq:08d}"

    def document(self, mt: MessageType, agb: str, body: list[str], name: str,
                 extra_header: list[str] | None = None) -> None:
        p, b = mt.prefix, _BASIS_PREFIX[mt.standard]
        to_provider = mt.number in ("301", "325")
        sender, receiver = (self.gemeente, agb) if to_provider else (agb, self.gemeente)
        basis, message = _XSD_VERSIONS[mt.standard]
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<{p}:Bericht xmlns:{p}="{mt.namespace}" xmlns:{b}="{mt.basis_namespace}">',
            f"<{p}:Header>",
            f"<{p}:BerichtCode>{mt.berichtcode}</{p}:BerichtCode>",
            f"<{p}:BerichtVersie>3</{p}:BerichtVersie>",
            f"<{p}:BerichtSubversie>2</{p}:BerichtSubversie>",
            f"<{p}:Afzender>{sender}</{p}:Afzender>",
            f"<{p}:Ontvanger>{receiver}</{p}:Ontvanger>",
            f"<{p}:BerichtIdentificatie><{b}:Identificatie>{self._ident()}</{b}:Identificatie>"
            f"<{b}:Dagtekening>{self.dagtekening}</{b}:Dagtekening></{p}:BerichtIdentificatie>",
            f"<{p}:XsdVersie><{b}:BasisschemaXsdVersie>{basis}</{b}:BasisschemaXsdVersie>"
            f"<{b}:BerichtXsdVersie>{message}</{b}:BerichtXsdVersie></{p}:XsdVersie>",
            *(extra_header or []),
            f"</{p}:Header>",
            *body,
            f"</{p}:Bericht>",
            "",
        ]
        with open(self.out_dir / name, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(lines))
        self.counts[mt.code] += 1


def _product(p: str, b: str, a: _Alloc) -> str:
    if a.category == "generiek":
        return ""
    code = f"<{b}:Code>{_e(a.code)}</{b}:Code>" if a.code else ""
    return f"<{p}:Product><{b}:Categorie>{_e(a.category)}</{b}:Categorie>{code}</{p}:Product>"


def _omvang(p: str, b: str, a: _Alloc, counts: dict[str, int]) -> str:
    if a.budget is not None:
        return f"<{p}:Budget>{int(a.budget)}</{p}:Budget>"
    if a.volume is None or a.unit is None or a.frequency is None:
        return ""
    volume = int(round(a.volume))
    if volume != a.volume:
        counts["volume_afgerond"] += 1
    return (f"<{p}:Omvang><{b}:Volume>{volume}</{b}:Volume><{b}:Eenheid>{a.unit}</{b}:Eenheid>"
            f"<{b}:Frequentie>{a.frequency}</{b}:Frequentie></{p}:Omvang>")


def _client(p: str, b: str, a: _Alloc, full: bool) -> list[str]:
    achternaam, voorvoegsel = split_name(a.last_name)
    prefix = f"<{b}:Voorvoegsel>{_e(voorvoegsel)}</{b}:Voorvoegsel>" if voorvoegsel else ""
    first = f"<{b}:Voornamen>{_e(a.first_name[:200])}</{b}:Voornamen>" if a.first_name else ""
    naam_gebruik = f"<{b}:NaamGebruik>1</{b}:NaamGebruik>" if full else ""
    return [
        f"<{p}:Bsn>{a.bsn}</{p}:Bsn>",
        f"<{p}:Geboortedatum><{b}:Datum>{a.birth_date}</{b}:Datum></{p}:Geboortedatum>",
        f"<{p}:Geslacht>{_GENDER.get(a.gender or '', '0')}</{p}:Geslacht>",
        f"<{p}:Naam><{b}:Geslachtsnaam><{b}:Achternaam>{_e(achternaam)}</{b}:Achternaam>"
        f"{prefix}</{b}:Geslachtsnaam>{first}{naam_gebruik}</{p}:Naam>",
    ]


def _reference(a: _Alloc) -> str:
    return f"SD{a.nr}"


def _sends_vot(a: _Alloc) -> bool:
    return a.referrer not in (None, "", "01")


def _write_client_messages(writer: _Writer, law: str, agb: str, allocs: list[_Alloc]) -> None:
    standard = _STANDARD[law]
    b = _BASIS_PREFIX[standard]
    first = allocs[0]
    counts = writer.counts

    # 315: verzoek om toewijzing, for toewijzingen referred by someone else than the gemeente.
    vots = [a for a in allocs if _sends_vot(a)]
    if vots:
        mt = message_type(standard, "315")
        p = mt.prefix
        body = [f"<{p}:Client>", *_client(p, b, first, full=False), f"<{p}:AangevraagdeProducten>"]
        for a in vots:
            end = f"<{p}:ToewijzingEinddatum>{a.end}</{p}:ToewijzingEinddatum>" if a.end else ""
            body += [f"<{p}:AangevraagdProduct>",
                     f"<{p}:ReferentieAanbieder>{_reference(a)}</{p}:ReferentieAanbieder>",
                     _product(p, b, a),
                     f"<{p}:ToewijzingIngangsdatum>{a.start}</{p}:ToewijzingIngangsdatum>{end}",
                     _omvang(p, b, a, defaultdict(int)),
                     f"<{p}:Verwijzer><{b}:Type>{a.referrer}</{b}:Type></{p}:Verwijzer>",
                     f"</{p}:AangevraagdProduct>"]
        body += [f"</{p}:AangevraagdeProducten>", f"</{p}:Client>"]
        writer.document(mt, agb, body, f"{mt.code}_{agb}_{writer.seq + 1:07d}.xml")

    # 301: toewijzing, every product of this client at this aanbieder.
    mt = message_type(standard, "301")
    p = mt.prefix
    postcode = (f"<{p}:Adres><{b}:Postcode>{_e(first.postcode)}</{b}:Postcode></{p}:Adres>"
                if first.postcode else "")
    body = [f"<{p}:Client>", *_client(p, b, first, full=True),
            f"<{p}:Contactgegevens><{p}:Contact><{p}:Soort>01</{p}:Soort>{postcode}"
            f"</{p}:Contact></{p}:Contactgegevens>",
            f"<{p}:ToegewezenProducten>"]
    for a in allocs:
        decided = min(a.start, writer.dagtekening)
        reference = (f"<{p}:ReferentieAanbieder>{_reference(a)}</{p}:ReferentieAanbieder>"
                     if _sends_vot(a) else "")
        end = f"<{p}:Einddatum>{a.end}</{p}:Einddatum>" if a.end else ""
        change = (f"<{p}:RedenWijziging>{a.change_reason}</{p}:RedenWijziging>"
                  if a.change_reason in _VALID_CHANGE else "")
        body += [f"<{p}:ToegewezenProduct>",
                 f"<{p}:ToewijzingNummer>{a.nr}</{p}:ToewijzingNummer>{reference}",
                 _product(p, b, a),
                 f"<{p}:Toewijzingsdatum>{decided}</{p}:Toewijzingsdatum>"
                 f"<{p}:Toewijzingstijd>12:00:00</{p}:Toewijzingstijd>",
                 f"<{p}:Ingangsdatum>{a.start}</{p}:Ingangsdatum>{end}{change}",
                 _omvang(p, b, a, counts),
                 f"</{p}:ToegewezenProduct>"]
        counts["toewijzingen"] += 1
        counts["verwijzers"] += _sends_vot(a)
    body += [f"</{p}:ToegewezenProducten>", f"</{p}:Client>"]
    writer.document(mt, agb, body, f"{mt.code}_{agb}_{writer.seq + 1:07d}.xml")

    delivered = [a for a in allocs if a.change_reason != "13"]
    # 305: start zorg on the first day of the toewijzing.
    if delivered:
        mt = message_type(standard, "305")
        p = mt.prefix
        body = [f"<{p}:Client>", *_client(p, b, first, full=False), f"<{p}:StartProducten>"]
        for a in delivered:
            body += [f"<{p}:StartProduct><{p}:ToewijzingNummer>{a.nr}</{p}:ToewijzingNummer>"
                     f"{_product(p, b, a)}"
                     f"<{p}:ToewijzingIngangsdatum>{a.start}</{p}:ToewijzingIngangsdatum>"
                     f"<{p}:Begindatum>{a.start}</{p}:Begindatum>"
                     f"<{p}:StatusAanlevering>1</{p}:StatusAanlevering></{p}:StartProduct>"]
        body += [f"</{p}:StartProducten>", f"</{p}:Client>"]
        writer.document(mt, agb, body, f"{mt.code}_{agb}_{writer.seq + 1:07d}.xml")

    # 307: stop zorg for toewijzingen that ended with a reden beëindiging.
    stopped = [a for a in delivered if a.end and a.end_reason in _VALID_END[law]]
    counts["reden_beeindiging_niet_verzonden"] += sum(
        1 for a in delivered if a.end_reason and a not in stopped)
    if stopped:
        mt = message_type(standard, "307")
        p = mt.prefix
        body = [f"<{p}:Client>", *_client(p, b, first, full=False), f"<{p}:StopProducten>"]
        for a in stopped:
            body += [f"<{p}:StopProduct><{p}:ToewijzingNummer>{a.nr}</{p}:ToewijzingNummer>"
                     f"{_product(p, b, a)}"
                     f"<{p}:ToewijzingIngangsdatum>{a.start}</{p}:ToewijzingIngangsdatum>"
                     f"<{p}:Begindatum>{a.start}</{p}:Begindatum>"
                     f"<{p}:RedenBeeindiging>{a.end_reason}</{p}:RedenBeeindiging>"
                     f"<{p}:Einddatum>{a.end}</{p}:Einddatum>"
                     f"<{p}:StatusAanlevering>1</{p}:StatusAanlevering></{p}:StopProduct>"]
        body += [f"</{p}:StopProducten>", f"</{p}:Client>"]
        writer.document(mt, agb, body, f"{mt.code}_{agb}_{writer.seq + 1:07d}.xml")


class _Declaration:
    """Collects the lines of one 323 (law, aanbieder, month) and writes it."""

    def __init__(self, writer: _Writer, law: str, agb: str, month: str) -> None:
        self.writer = writer
        self.law = law
        self.agb = agb
        self.month = month  # "YYYY-MM"
        self.mt = message_type(_STANDARD[law], "323")
        self.clients: dict[str, list[str]] = {}
        self.total = 0
        self.refs: set[str] = set()

    def add(self, claim_id: int, key: str, start: str, end: str, amount: int,
            a: _Alloc) -> None:
        p, b = self.mt.prefix, _BASIS_PREFIX[self.mt.standard]
        reference = key if 0 < len(key) <= 20 and key not in self.refs else f"C{claim_id}"
        self.refs.add(reference)
        size = abs(amount)
        tariff = a.tariff
        if (a.unit not in (None, EURO) and a.budget is None and tariff and tariff > 0
                and size % tariff == 0):
            unit, volume = a.unit, size // tariff
            price = f"<{p}:ProductTarief>{tariff}</{p}:ProductTarief>"
        else:
            unit, volume, price = EURO, size, ""
        code = a.code or f"{a.category}000"[:5]
        self.clients.setdefault(a.bsn, []).append(
            f"<{p}:Prestatie><{p}:ProductReferentie><{b}:ReferentieNummer>{_e(reference)}"
            f"</{b}:ReferentieNummer></{p}:ProductReferentie>"
            f"<{p}:ToewijzingNummer>{a.nr}</{p}:ToewijzingNummer>"
            f"<{p}:ProductCategorie>{_e(a.category)}</{p}:ProductCategorie>"
            f"<{p}:ProductCode>{_e(code)}</{p}:ProductCode>"
            f"<{p}:ProductPeriode><{b}:Begindatum>{start}</{b}:Begindatum>"
            f"<{b}:Einddatum>{end}</{b}:Einddatum></{p}:ProductPeriode>"
            f"<{p}:GeleverdVolume>{volume}</{p}:GeleverdVolume><{p}:Eenheid>{unit}</{p}:Eenheid>"
            f"{price}<{p}:IngediendBedrag><{b}:Bedrag>{size}</{b}:Bedrag>"
            f"<{b}:DebetCredit>{'C' if amount < 0 else 'D'}</{b}:DebetCredit>"
            f"</{p}:IngediendBedrag></{p}:Prestatie>")
        self.total += amount
        self.writer.counts["declaraties"] += 1
        self.writer.counts["tarief_meegestuurd"] += bool(price)

    def write(self) -> None:
        if not self.clients:
            return
        p, b = self.mt.prefix, _BASIS_PREFIX[self.mt.standard]
        self.writer.seq += 1
        number = f"SD{self.writer.seq:07d}"
        year, month = int(self.month[:4]), int(self.month[5:7])
        last = (date(year + month // 12, month % 12 + 1, 1).toordinal() - 1)
        body = [f"<{p}:Declaratie>",
                f"<{p}:DeclaratieNummer>{number}</{p}:DeclaratieNummer>",
                f"<{p}:DeclaratiePeriode><{b}:Begindatum>{self.month}-01</{b}:Begindatum>"
                f"<{b}:Einddatum>{date.fromordinal(last).isoformat()}</{b}:Einddatum>"
                f"</{p}:DeclaratiePeriode>",
                f"<{p}:DeclaratieDagtekening>{self.writer.dagtekening}"
                f"</{p}:DeclaratieDagtekening>",
                f"<{p}:TotaalIngediendBedrag><{b}:TotaalBedrag>{abs(self.total)}"
                f"</{b}:TotaalBedrag><{b}:DebetCredit>{'C' if self.total < 0 else 'D'}"
                f"</{b}:DebetCredit></{p}:TotaalIngediendBedrag>",
                f"<{p}:Clienten>"]
        for bsn, lines in self.clients.items():
            body += [f"<{p}:Client><{p}:Bsn>{bsn}</{p}:Bsn><{p}:Prestaties>", *lines,
                     f"</{p}:Prestaties></{p}:Client>"]
        body += [f"</{p}:Clienten>", f"</{p}:Declaratie>"]
        self.writer.document(self.mt, self.agb, body,
                             f"{self.mt.code}_{self.agb}_{self.month.replace('-', '')}_"
                             f"{number}.xml")


def _exportable(row: tuple[Any, ...], counts: dict[str, int]) -> _Alloc | None:
    (aid, law, nr, category, code, provider, referrer, start, end, volume, unit, frequency,
     budget, change_reason, end_reason, tariff, bsn, birth, gender, last, first,
     postcode) = row
    if not bsn:
        counts["overgeslagen_zonder_bsn"] += 1
        return None
    if not (nr and nr.isascii() and nr.isdigit() and len(nr) <= 9):
        counts["overgeslagen_toewijzingnummer"] += 1
        return None
    found = _AGB.search(provider or "")
    if found is None:
        counts["zonder_agb"] += 1
    return _Alloc(aid, law, str(int(nr)), category, code, found[1] if found else UNKNOWN_AGB,
                  referrer, start, end, volume, unit, frequency, budget, change_reason,
                  end_reason, tariff, bsn, birth, gender, last, first, postcode)


def export_istandaarden(engine: Engine, out_dir: Path, progress: ProgressFn | None = None, *,
                        gemeente: str = DEMO_GEMEENTE, dagtekening: date | None = None
                        ) -> dict[str, int]:
    """Write jeugd and wmo allocations and claims as iJw/iWmo 3.2 messages into out_dir.

    Returns counts: messages per type ("JW301", "WMO323", ...), "toewijzingen" and
    "declaraties" (claim lines) written, and what was skipped ("overgeslagen_*").
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    writer = _Writer(out_dir, gemeente, dagtekening or date.today())
    counts = writer.counts

    def report(fraction: float, message: str) -> None:
        if progress is not None:
            progress(min(max(fraction, 0.0), 1.0), message)

    report(0.0, "Toewijzingen lezen")
    with engine.connect() as conn:
        raw = driver_connection(conn)
        cursor = raw.cursor()
        try:
            cursor.execute("BEGIN")  # one read transaction: messages show one moment
            counts["overgeslagen_participatiewet"] = int(cursor.execute(
                "SELECT COUNT(*) FROM allocation WHERE law NOT IN ('jeugd', 'wmo')"
            ).fetchone()[0])
            cursor.execute(
                "SELECT a.id, a.law, a.toewijzingnummer, a.category, a.product_code, "
                "a.provider, a.referrer, a.start_date, a.end_date, a.volume, a.unit, "
                "a.frequency, a.budget_cents, a.change_reason, a.end_reason, a.tariff_cents, "
                "p.bsn, p.birth_date, p.gender, p.last_name, p.first_name, h.postcode "
                "FROM allocation a JOIN person p ON p.id = a.person_id "
                "JOIN household h ON h.id = p.household_id "
                "WHERE a.law IN ('jeugd', 'wmo') ORDER BY a.law, a.id")
            groups: dict[tuple[str, str, str], list[_Alloc]] = defaultdict(list)
            allocs: dict[int, _Alloc] = {}
            for row in cursor.fetchall():
                alloc = _exportable(row, counts)
                if alloc is not None:
                    groups[(alloc.law, alloc.agb, alloc.bsn)].append(alloc)
                    allocs[alloc.id] = alloc
            for i, ((law, agb, _bsn), members) in enumerate(groups.items()):
                _write_client_messages(writer, law, agb, members)
                if i % 200 == 0:
                    report(0.05 + 0.35 * i / max(len(groups), 1), "Toewijzingen schrijven")

            report(0.4, "Declaraties schrijven")
            # Only the exported allocations' claims, sorted by SQLite in the order the
            # declarations are written: law, month, aanbieder, client.
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS sdesk_export_allocation "
                           "(id INTEGER PRIMARY KEY, agb TEXT, bsn TEXT)")
            cursor.execute("DELETE FROM sdesk_export_allocation")
            cursor.executemany("INSERT INTO sdesk_export_allocation VALUES (?, ?, ?)",
                               [(a.id, a.agb, a.bsn) for a in allocs.values()
                                if a.change_reason != "13" and a.category != "generiek"])
            total = int(cursor.execute(
                "SELECT COUNT(*) FROM claim c JOIN sdesk_export_allocation x "
                "ON x.id = c.allocation_id WHERE NOT c.rejected").fetchone()[0])
            counts["declaraties_overgeslagen"] = int(cursor.execute(
                "SELECT COUNT(*) FROM claim c JOIN allocation a ON a.id = c.allocation_id "
                "WHERE a.law IN ('jeugd', 'wmo') AND NOT c.rejected").fetchone()[0]) - total
            counts["overgeslagen_afgewezen"] = int(cursor.execute(
                "SELECT COUNT(*) FROM claim c JOIN sdesk_export_allocation x "
                "ON x.id = c.allocation_id WHERE c.rejected").fetchone()[0])
            cursor.execute(
                "SELECT c.id, c.claim_key, c.allocation_id, c.period_start, c.period_end, "
                "c.amount_cents, substr(c.period_start, 1, 7) AS month "
                "FROM claim c JOIN sdesk_export_allocation x ON x.id = c.allocation_id "
                "JOIN allocation a ON a.id = c.allocation_id WHERE NOT c.rejected "
                "ORDER BY a.law, month, x.agb, x.bsn, c.id")
            current: _Declaration | None = None
            done = 0
            while True:
                chunk = cursor.fetchmany(FETCH_ROWS)
                if not chunk:
                    break
                for claim_id, key, alloc_id, start, end, amount, month in chunk:
                    alloc = allocs[alloc_id]
                    if current is None or (current.law, current.agb, current.month) != (
                            alloc.law, alloc.agb, month):
                        if current is not None:
                            current.write()
                        current = _Declaration(writer, alloc.law, alloc.agb, month)
                    current.add(claim_id, key, start, end, amount, alloc)
                done += len(chunk)
                report(0.4 + 0.6 * done / max(total, 1), "Declaraties schrijven")
            if current is not None:
                current.write()
        finally:
            if raw.in_transaction:
                raw.rollback()
            cursor.execute("DROP TABLE IF EXISTS temp.sdesk_export_allocation")
            cursor.close()
    report(1.0, "Export voltooid")
    return {k: v for k, v in counts.items() if v}
