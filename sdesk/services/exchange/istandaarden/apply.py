"""Import iJw/iWmo 3.2 messages: read, check, then write all or nothing.

Order within one import (whatever the order of the files):

1. every document is parsed safely, its content extracted and checked against its XSD;
2. 325 declaratie-antwoorden are collected first (which lines are rejected), then 315
   verzoeken om toewijzing (referrers), then 301 toewijzingen in the order the gemeente decided
   them (Toewijzingsdatum + Toewijzingstijd, then file order: a toewijzing sent again with the
   same number updates it), then 305/307 start and stop, then 323 declaraties;
3. the business rules are checked against the database plus everything in the import;
4. only when nothing is wrong, everything is written in one transaction.

Choices (documented here, once):

- Persons are matched on BSN. A BSN sdesk does not know yet becomes a new person
  ``BSN-<bsn>`` in a household of their own, ``HH-<bsn>`` (postcode from the BRP address of the
  301), until a user links them to a household. Persons that exist are not changed.
- The provider of an allocation is the AGB code of the aanbieder (the 301's Ontvanger). It is
  stored as the provider text sdesk already has for that AGB code (e.g. "Horizon Jeugdhulp
  (AGB 98100011)") or else as "AGB 98100011".
- Referrer (COD327): a 301 carries none. It is taken from the 315 that led to the toewijzing,
  matched on (wet, AGB, ReferentieAanbieder) or else on (wet, AGB, BSN, productcategorie,
  productcode, ingangsdatum); else the allocation keeps the referrer it had; else "01"
  (gemeente). A 315 whose toewijzing is in the database already (sent in an earlier import) is
  matched on (wet, BSN, product, ingangsdatum). The Verwijzer's name and AGB code have no column
  (yet) and are not stored.
- 305 start: the actual start does not move the allocation's ingangsdatum (the toewijzing stays
  the frame the declarations are checked against). It must refer to a known toewijzing (9019);
  after a temporary stop (reden 20) it clears that reden.
- 307 stop: stores RedenBeeindiging as end_reason; its Einddatum becomes the allocation's end
  date when that is earlier (or the allocation was open-ended); it never extends a toewijzing.
  Reden 20 (tijdelijk beëindigd) keeps the end date. StatusAanlevering 3 (verwijderen) clears
  the reden again; the end date is not restored.
- 301 RedenWijziging 13 (verwijderd) is stored as change_reason "13"; every figure leaves such an
  allocation out (services/frames.py), and a declaration on it is refused (9384).
- 323 lines become claims with key ``<wet>:<AGB>:<DeclaratieNummer>:<ReferentieNummer>:<D|C>``,
  so importing the same declaration again updates instead of doubling. Credit lines are
  negative. A line a 325 rejects is stored with rejected = 1 and left out of realisation; the
  business rules are not applied to it (the gemeente has already refused it).
- Tariff: the ProductTarief of the latest priced 323 line in the allocation's own unit; else
  the tariff the allocation already had; else the tarieven table on its start date.
- 9341 (eenheid past bij de toewijzing) is applied with two exceptions: Eenheid 83 (euro's) is
  accepted for every toewijzing, and minutes (01) for a toewijzing in hours (04). 9322/9369
  (cumulative volume or budget over all declarations) are not checked.
- Eenheid 83 in a 301 Omvang is read as whole euros (tariff 1 euro), in a 323 GeleverdVolume as
  euro cents (IngediendBedrag = GeleverdVolume).
- Bounds (platform.bounds), also where the XSD allows more: dates 1900-01-01..2100-12-31;
  Volume at most 99,999,999; a line's IngediendBedrag, ProductTarief and a Budget at most the
  claim-line cap (EUR 10 million, SDESK_MAX_CLAIM_EUR), and volume x tariff of one period
  likewise. A zip is checked on its central directory before it is opened (importing/limits).
"""

from __future__ import annotations

import gc
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Connection, Engine

from sdesk.services.exchange.importing.existing import Known
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.importing.writer import write_declaraties
from sdesk.services.exchange.istandaarden.detect import Document, DocumentTooLargeError, discover
from sdesk.services.exchange.istandaarden.messages import (
    Aangevraagd,
    Client,
    Levering,
    Message,
    Prestatie,
    Toegewezen,
)
from sdesk.services.exchange.istandaarden.parse import extract, message_type_of, parse_xml
from sdesk.services.exchange.istandaarden.validate import Validator
from sdesk.services.exchange.outcome import ImportCancelled, ImportResult
from sdesk.services.platform import audit
from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.services.platform.backup import backup_before_import
from sdesk.services.platform.bounds import claim_limit_text, max_claim_cents
from sdesk.services.platform.bulk import executemany
from sdesk.services.platform.text import euro
from sdesk.services.platform.vocabulary import (
    CATEGORY_CODELIST,
    CHANGE_REASON_CODELIST,
    END_REASON_CODELIST,
)

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]

GENERIEK = "generiek"  # category of a toewijzing without Product ("generiek")
DEFAULT_REFERRER = "01"  # COD327 gemeente: no 315 known
EURO = "83"
REMOVED = "13"
TEMPORARY_STOP = "20"
_AGB_IN_TEXT = re.compile(r"\bAGB[\s:-]*(\d{8})\b", re.IGNORECASE)
_SQL_CHUNK = 500


@dataclass
class Alloc:
    """An allocation as the import sees it: from the database, changed by the messages."""

    law: str
    nr: str
    bsn: str | None
    person_id: int | None  # None: a person this import creates (by bsn)
    category: str
    code: str | None
    provider: str | None
    referrer: str | None
    start: date
    end: date | None
    volume: float | None
    unit: str | None
    frequency: str | None
    tariff: int | None
    budget: int | None
    change_reason: str | None
    end_reason: str | None
    description: str | None = None
    id: int | None = None
    dirty: bool = False
    from_301: bool = False
    tariff_seen: tuple[date, int] | None = None


@dataclass
class _State:
    allocs: dict[tuple[str, str], Alloc]
    persons: dict[str, int]  # bsn -> person id
    providers: dict[str, str]  # AGB code -> provider text already in use
    descriptions: dict[tuple[str, str], str]  # (law, product code) -> description
    known: Known  # codelists and tariffs


@dataclass
class _Plan:
    allocs: dict[tuple[str, str], Alloc]
    new_persons: dict[str, Client] = field(default_factory=dict)  # by BSN
    claims: list[tuple[str, str, str, str, str, float, int, str]] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)


def _iso(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _load_state(conn: Connection) -> _State:
    allocs: dict[tuple[str, str], Alloc] = {}
    providers: dict[str, str] = {}
    descriptions: dict[tuple[str, str], str] = {}
    rows = conn.exec_driver_sql(
        "SELECT a.id, a.law, a.toewijzingnummer, p.bsn, a.person_id, a.category, "
        "a.product_code, a.provider, a.referrer, a.start_date, a.end_date, a.volume, a.unit, "
        "a.frequency, a.tariff_cents, a.budget_cents, a.change_reason, a.end_reason, "
        "a.description FROM allocation a JOIN person p ON p.id = a.person_id "
        "WHERE a.law IN ('jeugd', 'wmo')")
    for (aid, law, nr, bsn, person_id, category, code, provider, referrer, start, end, volume,
         unit, frequency, tariff, budget, change_reason, end_reason, description) in rows:
        allocs[(law, nr)] = Alloc(law, nr, bsn, person_id, category, code, provider, referrer,
                                  date.fromisoformat(start), _iso(end), volume, unit, frequency,
                                  tariff, budget, change_reason, end_reason, description, aid)
        agb = provider_agb(provider)
        if agb is not None and provider is not None:
            providers.setdefault(agb, provider)
        if code and description:
            descriptions.setdefault((law, code), description)
    persons = {bsn: pid for bsn, pid in conn.exec_driver_sql(
        "SELECT bsn, MIN(id) FROM person WHERE bsn IS NOT NULL GROUP BY bsn")}
    known = Known()
    for codelist, code in conn.exec_driver_sql("SELECT codelist, code FROM codelist_entry"):
        known.codelists.setdefault(codelist, set()).add(code)
    for law, code, valid_from, valid_to, cents in conn.exec_driver_sql(
            "SELECT law, product_code, valid_from, valid_to, cents FROM tariff"):
        known.tariffs.setdefault((law, code), []).append((valid_from, valid_to, cents))
    return _State(allocs, persons, providers, descriptions, known)


@lru_cache(maxsize=4096)
def provider_agb(provider: str | None) -> str | None:
    """The AGB code in a provider text ("Horizon Jeugdhulp (AGB 98100011)"), if any."""
    found = _AGB_IN_TEXT.search(provider or "")
    return found[1] if found else None




def _weeks_touched(start: date, end: date) -> int:
    monday = start - timedelta(days=start.weekday())
    return (end - monday).days // 7 + 1


def _months_touched(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def max_volume(alloc: Alloc, start: date, end: date) -> float | None:
    """The toegewezen volume for the period [start, end] (9321), in the allocation's unit."""
    if alloc.volume is None:
        return None
    frequency = alloc.frequency
    if frequency == "1":
        return alloc.volume * ((end - start).days + 1)
    if frequency == "2":
        return alloc.volume * _weeks_touched(start, end)
    if frequency == "4":
        return alloc.volume * _months_touched(start, end)
    if frequency == "6":
        return alloc.volume
    return None


def comparable_volume(prestatie: Prestatie, alloc: Alloc) -> float | None:
    """The line's volume in the allocation's unit, or None when the units do not compare."""
    if alloc.unit is None:
        return None
    if prestatie.unit == alloc.unit:
        return prestatie.volume / 100 if prestatie.unit == EURO else float(prestatie.volume)
    if prestatie.unit == "01" and alloc.unit == "04":
        return prestatie.volume / 60
    return None


class _Planner:
    def __init__(self, state: _State, report: Report) -> None:
        self.state = state
        self.report = report
        self.plan = _Plan(state.allocs)
        self.counts: dict[str, int] = defaultdict(int)
        self.vots_by_ref: dict[tuple[str, str, str], Aangevraagd] = {}
        self.vots_by_product: dict[tuple[Any, ...], list[Aangevraagd]] = defaultdict(list)
        self.vot_origin: dict[int, tuple[Message, Aangevraagd]] = {}
        self.vot_used: set[int] = set()
        self.batch_rejected: dict[str, tuple[str, int]] = {}
        self.rejects_all: dict[tuple[str, str, str], tuple[str, int]] = {}
        self.max_cents = max_claim_cents()

    def costly(self, volume: float | None, tariff: int | None) -> str | None:
        """Why one period of an allocation (volume x tariff) is beyond the claim-line cap."""
        if volume is None or tariff is None or volume * tariff <= self.max_cents:
            return None
        return (f"volume × tarief is {euro(volume * tariff)} per periode, meer dan "
                f"{claim_limit_text()}")

    # ---- helpers ------------------------------------------------------------------------------

    def issue(self, label: str, line: int | None, column: str | None, reason: str) -> None:
        self.report.add(label, line, column, reason)

    def code_ok(self, codelist: str, value: str | None, label: str, line: int,
                column: str) -> bool:
        allowed = self.state.known.codelists.get(codelist)
        if value is None or not allowed or value in allowed:
            return True
        self.issue(label, line, column, f"code '{value}' staat niet in codelijst {codelist}")
        return False

    def provider_text(self, agb: str, existing: Alloc | None) -> str:
        if existing is not None and existing.provider and agb in existing.provider:
            return existing.provider
        return self.state.providers.get(agb) or f"AGB {agb}"

    # ---- 325 ----------------------------------------------------------------------------------

    def antwoorden(self, messages: Sequence[Message]) -> None:
        for message in messages:
            answer = message.antwoord
            if answer is None:
                continue
            agb = message.provider
            prefix = (message.law, agb or "", answer.number)
            if answer.rejects_all:
                self.rejects_all[prefix] = (message.label, answer.line)
            for item in answer.prestaties:
                if item.rejected:
                    key = _claim_key(message.law, agb or "", answer.number, item.reference,
                                     item.credit)
                    self.batch_rejected[key] = (message.label, item.line)
            self.counts["antwoorden"] += 1

    # ---- 315 ----------------------------------------------------------------------------------

    def verzoeken(self, messages: Sequence[Message]) -> None:
        for message in messages:
            client = message.client
            if client is None:
                continue
            for item in message.aangevraagd:
                if not self.code_ok("COD327", item.referrer, message.label, item.line,
                                    "Verwijzer"):
                    continue
                agb = message.provider or ""
                self.vots_by_ref[(message.law, agb, item.reference)] = item
                self.vots_by_product[(message.law, agb, client.bsn, item.category, item.code,
                                      item.start)].append(item)
                self.vot_origin[id(item)] = (message, item)
                self.counts["verzoeken"] += 1

    def _vot_for(self, message: Message, product: Toegewezen) -> Aangevraagd | None:
        agb = message.provider or ""
        vot = None
        if product.reference:
            vot = self.vots_by_ref.get((message.law, agb, product.reference))
        if vot is None and message.client is not None:
            found = self.vots_by_product.get((message.law, agb, message.client.bsn,
                                              product.category, product.code, product.start))
            vot = found[-1] if found else None
        if vot is not None:
            self.vot_used.add(id(vot))
        return vot

    def unmatched_verzoeken(self) -> None:
        """315s without a 301 in this import: their toewijzing may be in the database."""
        index: dict[tuple[Any, ...], list[Alloc]] = defaultdict(list)
        for alloc in self.plan.allocs.values():
            index[(alloc.law, alloc.bsn, alloc.category, alloc.code, alloc.start)].append(alloc)
        for key, (message, item) in self.vot_origin.items():
            if key in self.vot_used or message.client is None:
                continue
            found = index.get((message.law, message.client.bsn, item.category or GENERIEK,
                               item.code, item.start), [])
            if len(found) == 1:
                found[0].referrer = item.referrer
                found[0].dirty = True
                self.counts["verwijzers"] += 1
            else:
                self.report.warnings.append(
                    f"{message.label}:{item.line}: verzoek om toewijzing {item.reference}: "
                    "geen (eenduidige) toewijzing gevonden; de verwijzer is niet opgeslagen. "
                    "Lees de 315 in samen met of na de bijbehorende 301.")

    # ---- 301 ----------------------------------------------------------------------------------

    def toewijzingen(self, messages: Sequence[Message]) -> None:
        products = [(p.decided, m.order, p.line, m, p) for m in messages for p in m.toegewezen]
        products.sort(key=lambda t: t[:3])
        for _decided, _order, _line, message, product in products:
            self._toewijzing(message, product)

    def _toewijzing(self, message: Message, p: Toegewezen) -> None:
        law, label, line = message.law, message.label, p.line
        client = message.client
        if client is None:
            return
        ok = True
        if p.end is not None and p.end < p.start:
            self.issue(label, line, "Einddatum",
                       f"einddatum {p.end} ligt voor de ingangsdatum {p.start}")
            ok = False
        if p.volume is not None and p.budget is not None:
            self.issue(label, line, "Budget", "Omvang en Budget zijn allebei gevuld; vul er één")
            ok = False
        if p.budget is not None and p.end is None:
            self.issue(label, line, "Einddatum", "een toewijzing met een budget vraagt een "
                                                 "einddatum")
            ok = False
        if client.birth_date is None and client.bsn not in self.state.persons:
            self.issue(label, client.line, "Geboortedatum", "geboortedatum van een nieuwe "
                                                            "cliënt ontbreekt")
            ok = False
        ok &= self.code_ok(CATEGORY_CODELIST[law], p.category, label, line, "Categorie")
        ok &= self.code_ok(CHANGE_REASON_CODELIST[law], p.change_reason, label, line,
                           "RedenWijziging")
        ok &= self.code_ok("WJ756", p.unit, label, line, "Eenheid")
        ok &= self.code_ok("WMO757", p.frequency, label, line, "Frequentie")
        existing = self.plan.allocs.get((law, p.nr))
        if existing is not None and existing.bsn is not None and existing.bsn != client.bsn:
            self.issue(label, line, "ToewijzingNummer",
                       f"toewijzingnummer {p.nr} ({law}) hoort al bij een andere cliënt; een "
                       "toewijzingnummer is uniek binnen het wettelijk domein (retourcode 9332)")
            ok = False
        tariff = 100 if p.unit == EURO else (existing.tariff if existing is not None else None)
        too_costly = self.costly(p.volume, tariff)
        if too_costly is not None:
            self.issue(label, line, "Volume", too_costly)
            ok = False
        if not ok:
            return
        vot = self._vot_for(message, p)
        referrer = vot.referrer if vot is not None else (
            existing.referrer if existing is not None and existing.referrer
            else DEFAULT_REFERRER)
        if vot is not None:
            self.counts["verwijzers"] += 1
        if existing is None and client.bsn not in self.state.persons:
            self.plan.new_persons.setdefault(client.bsn, client)
        code = p.code
        description = existing.description if existing is not None else (
            self.state.descriptions.get((law, code)) if code else None)
        self.plan.allocs[(law, p.nr)] = Alloc(
            law=law, nr=p.nr, bsn=client.bsn,
            person_id=existing.person_id if existing is not None
            else self.state.persons.get(client.bsn),
            category=p.category or GENERIEK, code=code,
            provider=self.provider_text(message.provider or "", existing), referrer=referrer,
            start=p.start, end=p.end, volume=None if p.volume is None else float(p.volume),
            unit=p.unit, frequency=p.frequency,
            tariff=tariff, budget=p.budget, change_reason=p.change_reason,
            end_reason=existing.end_reason if existing is not None else None,
            description=description, id=existing.id if existing is not None else None,
            dirty=True, from_301=True)
        self.counts["toewijzingen"] += 1

    # ---- 305 / 307 ----------------------------------------------------------------------------

    def leveringen(self, messages: Sequence[Message]) -> None:
        index: dict[tuple[Any, ...], list[Alloc]] = defaultdict(list)
        for known in self.plan.allocs.values():
            index[(known.law, known.bsn, known.category, known.code, known.start)].append(known)
        ordered = sorted(messages, key=lambda m: (m.header.dagtekening or date.min, m.order))
        for message in ordered:
            for item in message.leveringen:
                alloc = self._find(message, item, index)
                if alloc is None:
                    continue
                if message.type.number == "305":
                    self._start(message, item, alloc)
                else:
                    self._stop(message, item, alloc)

    def _find(self, message: Message, item: Levering,
              index: dict[tuple[Any, ...], list[Alloc]]) -> Alloc | None:
        client = message.client
        if client is None:
            return None
        law = message.law
        if item.nr is not None:
            alloc = self.plan.allocs.get((law, item.nr))
            what = f"toewijzing {item.nr}"
        else:
            found = index.get((law, client.bsn, item.category or GENERIEK, item.code,
                               item.allocation_start), [])
            alloc = found[0] if len(found) == 1 else None
            what = "de toewijzing (gezocht op BSN, product en ingangsdatum)"
        kind = "startbericht" if message.type.number == "305" else "stopbericht"
        if alloc is None:
            self.issue(message.label, item.line, "ToewijzingNummer",
                       f"{kind} kan niet gekoppeld worden aan een toewijzing: {what} is "
                       f"onbekend (retourcode 9019)")
            return None
        if alloc.bsn is not None and alloc.bsn != client.bsn:
            self.issue(message.label, item.line, "ToewijzingNummer",
                       f"{kind}: {what} hoort niet bij deze cliënt (retourcode 8187)")
            return None
        other = provider_agb(alloc.provider)
        if other is not None and other != message.provider:
            self.issue(message.label, item.line, "ToewijzingNummer",
                       f"{kind}: {what} is toegewezen aan aanbieder {other}, niet aan "
                       f"{message.provider} (retourcode 9019)")
            return None
        return alloc

    def _start(self, message: Message, item: Levering, alloc: Alloc) -> None:
        self.counts["startberichten"] += 1
        if item.status == "3":
            return
        if item.begin < alloc.start or (alloc.end is not None and item.begin > alloc.end):
            self.report.warnings.append(
                f"{message.label}:{item.line}: start levering {item.begin} ligt buiten "
                f"toewijzing {alloc.nr} ({alloc.start}..{alloc.end or 'open'})")
        if alloc.end_reason == TEMPORARY_STOP:
            alloc.end_reason = None
            alloc.dirty = True

    def _stop(self, message: Message, item: Levering, alloc: Alloc) -> None:
        label = message.label
        if not self.code_ok(END_REASON_CODELIST[message.law], item.reason, label, item.line,
                            "RedenBeeindiging"):
            return
        assert item.end is not None
        self.counts["stopberichten"] += 1
        if item.status == "3":
            if alloc.end_reason == item.reason:
                alloc.end_reason = None
                alloc.dirty = True
            return
        if item.end < item.begin:
            self.issue(label, item.line, "Einddatum",
                       f"einddatum {item.end} ligt voor de begindatum {item.begin}")
            return
        if item.end < alloc.start:
            self.issue(label, item.line, "Einddatum",
                       f"einddatum levering {item.end} ligt voor de ingangsdatum "
                       f"{alloc.start} van toewijzing {alloc.nr}")
            return
        alloc.end_reason = item.reason
        if item.reason != TEMPORARY_STOP and (alloc.end is None or item.end < alloc.end):
            alloc.end = item.end
        alloc.dirty = True

    # ---- 323 ----------------------------------------------------------------------------------

    def declaraties(self, messages: Sequence[Message]) -> None:
        seen: dict[str, tuple[str, int]] = {}
        for message in sorted(messages, key=lambda m: m.order):
            declaratie = message.declaratie
            if declaratie is None:
                continue
            law, label, agb = message.law, message.label, message.provider or ""
            total = sum(p.amount for p in declaratie.prestaties)
            if total != declaratie.total:
                self.issue(label, declaratie.line, "TotaalIngediendBedrag",
                           f"TotaalIngediendBedrag {euro(declaratie.total)} is niet de som van "
                           f"de prestaties ({euro(total)})")
            all_rejected = (law, agb, declaratie.number) in self.rejects_all
            for p in declaratie.prestaties:
                key = _claim_key(law, agb, declaratie.number, p.reference, p.credit)
                if key in seen:
                    first = seen[key]
                    self.issue(label, p.line, "ReferentieNummer",
                               f"prestatie {p.reference} ({'credit' if p.credit else 'debet'}) "
                               f"van declaratie {declaratie.number} komt twee keer voor (ook in "
                               f"{first[0]}:{first[1]}; retourcode 8021)")
                    continue
                seen[key] = (label, p.line)
                alloc = self.plan.allocs.get((law, p.nr))
                rejected = all_rejected or key in self.batch_rejected
                if rejected:
                    if alloc is None:
                        self.report.warnings.append(
                            f"{label}:{p.line}: afgewezen prestatie {p.reference} op onbekende "
                            f"toewijzing {p.nr}: niet opgeslagen")
                        continue
                    self.plan.rejected.add(key)
                elif not self._check(message, declaratie.period_start, declaratie.period_end,
                                     p, alloc):
                    continue
                assert alloc is not None
                self._claim(key, p, alloc, message.header.dagtekening)

    def _check(self, message: Message, period_start: date, period_end: date, p: Prestatie,
               alloc: Alloc | None) -> bool:
        label, line = message.label, p.line
        problems: list[tuple[str, str]] = []
        if alloc is None:
            self.issue(label, line, "ToewijzingNummer",
                       f"declaratie op onbekende toewijzing {p.nr} ({message.law}); de prestatie "
                       "is niet gerelateerd aan een toegewezen product (retourcode 9338)")
            return False
        if alloc.bsn is not None and alloc.bsn != p.bsn:
            problems.append(("Bsn", f"prestatie {p.reference} hoort niet bij deze cliënt: "
                                    f"toewijzing {p.nr} is van een andere BSN (retourcode 8187)"))
        other = provider_agb(alloc.provider)
        if other is not None and other != message.provider:
            problems.append(("ToewijzingNummer",
                             f"toewijzing {p.nr} is toegewezen aan aanbieder {other}, niet aan "
                             f"declarant {message.provider} (retourcode 9338)"))
        if alloc.change_reason == REMOVED:
            problems.append(("ToewijzingNummer",
                             f"declaratie op toewijzing {p.nr} met RedenWijziging 13 "
                             "(verwijderd) (retourcode 9384)"))
        span = _Span(p.start, p.end)
        if p.end < p.start:
            problems.append(("ProductPeriode", f"productperiode {span}: einddatum ligt voor "
                                               "de begindatum"))
        elif (p.start.year, p.start.month) != (p.end.year, p.end.month):
            problems.append(("ProductPeriode",
                             f"productperiode {span} beslaat meer dan één kalendermaand; een "
                             "prestatie ligt binnen één kalendermaand (OP367)"))
        if p.start < period_start or p.end > period_end:
            problems.append(("ProductPeriode",
                             f"productperiode {span} valt niet geheel binnen de "
                             f"declaratieperiode {period_start}..{period_end} (retourcode 9319)"))
        window = _Span(alloc.start, alloc.end)
        if p.start < alloc.start or (alloc.end is not None and p.start > alloc.end):
            problems.append(("ProductPeriode",
                             f"begindatum prestatie {p.start} ligt niet tussen ingangsdatum en "
                             f"einddatum van toewijzing {p.nr} ({window}) (retourcode 9307)"))
        if (alloc.end is not None and p.end > alloc.end) or p.end < alloc.start:
            problems.append(("ProductPeriode",
                             f"einddatum prestatie {p.end} ligt niet tussen ingangsdatum en "
                             f"einddatum van toewijzing {p.nr} ({window}) (retourcode 9308)"))
        if alloc.category not in (p.category, GENERIEK):
            problems.append(("ProductCategorie",
                             f"ProductCategorie {p.category} is niet gelijk aan die van "
                             f"toewijzing {p.nr} ({alloc.category}) (retourcode 9339)"))
        if alloc.code is not None and alloc.code != p.code:
            problems.append(("ProductCode",
                             f"ProductCode {p.code} is niet gelijk aan die van toewijzing "
                             f"{p.nr} ({alloc.code}) (retourcode 9340)"))
        if (alloc.unit is not None and p.unit not in (alloc.unit, EURO)
                and not (p.unit == "01" and alloc.unit == "04")):
            problems.append(("Eenheid", f"Eenheid {p.unit} past niet bij de eenheid "
                                        f"{alloc.unit} van toewijzing {p.nr} (retourcode 9341)"))
        if p.unit == alloc.unit and p.unit != EURO:
            too_costly = self.costly(alloc.volume, p.tariff)
            if too_costly is not None:
                problems.append(("ProductTarief", too_costly))
        amount = abs(p.amount)
        if p.unit == EURO:
            if amount != p.volume:
                problems.append(("IngediendBedrag",
                                 f"bij Eenheid 83 (euro's) is IngediendBedrag ({amount} cent) "
                                 f"gelijk aan GeleverdVolume ({p.volume} cent)"))
        elif p.tariff is None:
            problems.append(("ProductTarief", "ProductTarief ontbreekt; verplicht als Eenheid "
                                              "niet 83 (euro's) is"))
        elif amount != p.volume * p.tariff:
            problems.append(("IngediendBedrag",
                             f"IngediendBedrag {amount} is niet gelijk aan GeleverdVolume "
                             f"{p.volume} × ProductTarief {p.tariff} = {p.volume * p.tariff} "
                             "(bedragen in centen; retourcode 9346)"))
        if not p.credit and alloc.volume is not None:
            volume = comparable_volume(p, alloc)
            limit = (max_volume(alloc, p.start, p.end)
                     if volume is not None and p.end >= p.start else None)
            if volume is not None and limit is not None and volume > limit + 1e-9:
                problems.append(("GeleverdVolume",
                                 f"geleverd volume {volume:g} overschrijdt het toegewezen volume "
                                 f"{limit:g} (eenheid {alloc.unit}) voor {span} van toewijzing "
                                 f"{p.nr} (retourcode 9321)"))
        for column, reason in problems:
            self.issue(label, line, column, reason)
        return not problems

    def _claim(self, key: str, p: Prestatie, alloc: Alloc, sent: date | None) -> None:
        volume = comparable_volume(p, alloc)
        # The message's dagtekening is when the municipality got the line (the declaration
        # lag is measured from it); without one, the day of the import.
        self.plan.claims.append((key, alloc.law, alloc.nr, p.start.isoformat(),
                                 p.end.isoformat(), np.nan if volume is None else volume,
                                 p.amount, (sent or date.today()).isoformat()))
        if p.unit != EURO and p.tariff is not None and p.unit == alloc.unit and (
                alloc.tariff_seen is None or p.start >= alloc.tariff_seen[0]):
            alloc.tariff_seen = (p.start, p.tariff)

    # ---- 325 links, tariffs -------------------------------------------------------------------

    def link_rejections(self, conn: Connection) -> None:
        in_batch = {c[0] for c in self.plan.claims}
        missing = [k for k in self.batch_rejected if k not in in_batch]
        found: set[str] = set()
        for i in range(0, len(missing), _SQL_CHUNK):
            chunk = missing[i:i + _SQL_CHUNK]
            found |= {r[0] for r in conn.exec_driver_sql(
                f"SELECT claim_key FROM claim WHERE claim_key IN "
                f"({', '.join('?' for _ in chunk)})", tuple(chunk))}
        for key in missing:
            if key in found:
                self.plan.rejected.add(key)
            else:
                label, line = self.batch_rejected[key]
                _law, _agb, number, reference, sign = key.split(":", 4)
                side = "credit" if sign == "C" else "debet"
                self.issue(label, line, "ProductReferentie",
                           f"afgewezen prestatie {reference} ({side}) van declaratie {number} "
                           "is niet bekend; lees de 323 mee in (retourcode 9366)")
        for (law, agb, number), (label, line) in self.rejects_all.items():
            prefix = f"{law}:{agb}:{number}:"
            keys = {k for k in in_batch if k.startswith(prefix)}
            keys |= {r[0] for r in conn.exec_driver_sql(
                "SELECT claim_key FROM claim WHERE substr(claim_key, 1, ?) = ?",
                (len(prefix), prefix))}
            if not keys:
                self.issue(label, line, "DeclaratieNummer",
                           f"afgewezen declaratie {number} is niet bekend; lees de 323 mee in "
                           "(retourcode 9366)")
            self.plan.rejected |= keys

    def tariffs(self) -> None:
        known = self.state.known
        for alloc in self.plan.allocs.values():
            if alloc.tariff_seen is not None and alloc.tariff != alloc.tariff_seen[1]:
                alloc.tariff = alloc.tariff_seen[1]
                alloc.dirty = True
            elif (alloc.from_301 and alloc.tariff is None and alloc.volume is not None
                  and alloc.code):
                alloc.tariff = known.tariff_at(alloc.law, alloc.code, alloc.start.isoformat())


class _Span:
    """A period, formatted only when a message needs it (the check runs a million times)."""

    __slots__ = ("start", "end")

    def __init__(self, start: date, end: date | None) -> None:
        self.start, self.end = start, end

    def __format__(self, spec: str) -> str:
        return f"{self.start}..{self.end or 'open'}"


def _claim_key(law: str, agb: str, number: str, reference: str, credit: bool) -> str:
    return f"{law}:{agb}:{number}:{reference}:{'C' if credit else 'D'}"


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def _ids(conn: Connection, table: str, keys: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(keys), _SQL_CHUNK):
        chunk = keys[i:i + _SQL_CHUNK]
        out.update((ext, pid) for ext, pid in conn.exec_driver_sql(
            f"SELECT external_id, id FROM {table} WHERE external_id IN "
            f"({', '.join('?' for _ in chunk)})", tuple(chunk)))
    return out


_ALLOCATION_COLUMNS = ("person_id", "category", "product_code", "provider", "referrer",
                       "start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
                       "budget_cents", "change_reason", "end_reason")


def _alloc_values(alloc: Alloc, person_id: int) -> tuple[Any, ...]:
    return (person_id, alloc.category, alloc.code, alloc.provider, alloc.referrer,
            alloc.start.isoformat(), alloc.end.isoformat() if alloc.end else None, alloc.volume,
            alloc.unit, alloc.frequency, alloc.tariff, alloc.budget, alloc.change_reason,
            alloc.end_reason)


def _write(conn: Connection, plan: _Plan, step: Callable[[float, str], None]) -> None:
    step(0.55, "Opslaan: personen")
    clients = plan.new_persons
    executemany(conn, "INSERT INTO household (external_id, postcode) VALUES (?, ?) "
                       "ON CONFLICT (external_id) DO NOTHING",
                 [(f"HH-{bsn}", c.postcode) for bsn, c in clients.items()])
    households = _ids(conn, "household", [f"HH-{bsn}" for bsn in clients])
    person_rows = []
    for bsn, c in clients.items():
        if c.birth_date is None:  # the plan takes a new client only with a birth date
            raise ValueError(f"nieuwe cliënt {bsn} zonder geboortedatum")
        person_rows.append((f"BSN-{bsn}", households[f"HH-{bsn}"], bsn, c.birth_date.isoformat(),
                            c.gender, c.last_name, c.first_name))
    executemany(
        conn, "INSERT INTO person (external_id, household_id, bsn, birth_date, gender, "
              "last_name, first_name) VALUES (?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (external_id) DO NOTHING", person_rows)
    persons = {ext[4:]: pid for ext, pid in
               _ids(conn, "person", [f"BSN-{bsn}" for bsn in clients]).items()}

    step(0.6, "Opslaan: toewijzingen")
    dirty = [a for a in plan.allocs.values() if a.dirty]
    new = [a for a in dirty if a.id is None]
    old = [a for a in dirty if a.id is not None]
    columns = ("law", "toewijzingnummer", "description", *_ALLOCATION_COLUMNS)
    executemany(conn, f"INSERT INTO allocation ({', '.join(columns)}) "
                       f"VALUES ({', '.join('?' for _ in columns)})",
                 [(a.law, a.nr, a.description,
                   *_alloc_values(a, a.person_id if a.person_id is not None
                                  else persons[a.bsn or ""])) for a in new])
    executemany(conn, f"UPDATE allocation SET {', '.join(f'{c} = ?' for c in _ALLOCATION_COLUMNS)}"
                       " WHERE id = ?",
                 [(*_alloc_values(a, a.person_id or persons[a.bsn or ""]), a.id) for a in old])

    step(0.65, "Opslaan: declaraties")
    claims = plan.claims
    if claims:
        keys, laws, numbers, starts, ends, volumes, amounts, seen = zip(*claims, strict=True)
        rows = {"claim_key": np.array(keys, dtype=object), "law": np.array(laws, dtype=object),
                "toewijzingnummer": np.array(numbers, dtype=object),
                "period_start": np.array(starts, dtype=object),
                "period_end": np.array(ends, dtype=object),
                "volume": np.array(volumes, dtype="float64"),
                "amount_cents": np.array(amounts, dtype=np.int64),
                "first_seen": np.array(seen, dtype=object)}
        write_declaraties(conn, rows, lambda f: step(0.65 + 0.3 * f, "Opslaan: declaraties"))
    if plan.rejected:
        executemany(conn, "UPDATE claim SET rejected = 1 WHERE claim_key = ?",
                     [(k,) for k in sorted(plan.rejected)])




# ---------------------------------------------------------------------------------------------
# The front door
# ---------------------------------------------------------------------------------------------

_KINDS = ("325", "315", "301", "305", "307", "323")


def import_messages(engine: Engine, sources: Sequence[Path], progress: ProgressFn | None = None,
                    cancelled: CancelFn | None = None, actor: Actor = SYSTEM) -> ImportResult:
    """Import iJw/iWmo 3.2 messages (.xml files, folders of them, .zip archives of them).

    All or nothing: every refusal is reported per file and line (with the national retourcode
    where one exists) and nothing is written; a cancel (ImportCancelled) leaves the database
    as it was. progress(fraction, message) and cancelled() as for import_sources, which
    calls this for XML sources and then prepares the afschaling worklist; callers should go
    through import_sources.
    """
    last = [-1.0]

    def step(fraction: float, message: str, force: bool = True) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None and (force or fraction - last[0] >= 0.005):
            last[0] = fraction
            progress(fraction, message)

    with _gc_paused():
        return _import(engine, sources, step, progress, actor)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while the import builds its hundreds of thousands of
    small objects (it would walk them all again and again: about a fifth of the time); the
    trees lxml builds are freed by reference counting anyway."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import(engine: Engine, sources: Sequence[Path], step: Callable[..., None],
            progress: ProgressFn | None, actor: Actor) -> ImportResult:
    report = Report()
    step(0.0, "Berichten zoeken")
    archives: list[zipfile.ZipFile] = []
    by_kind: dict[str, list[Message]] = {k: [] for k in _KINDS}
    counts: dict[str, int] = defaultdict(int)
    try:
        documents = discover([Path(s) for s in sources], report, archives)
        validator = Validator(report)
        total = max(len(documents), 1)
        for i, document in enumerate(documents):
            step(0.02 + 0.48 * i / total, f"Berichten lezen ({i + 1} van {len(documents)})",
                 force=False)
            message = _read(document, i, report, validator, counts)
            if message is not None:
                by_kind[message.type.number].append(message)
    finally:
        for archive in archives:
            archive.close()
    if not documents and report.ok:
        report.add(", ".join(str(s) for s in sources) or "(geen bron)", None, None,
                   "geen iJw/iWmo-berichten gevonden")
    if not report.ok:
        return ImportResult(False, report.sorted_issues(), warnings=report.warnings)

    step(0.5, "Bedrijfsregels controleren")
    with engine.connect() as conn:
        planner = _Planner(_load_state(conn), report)
        planner.antwoorden(by_kind["325"])
        planner.verzoeken(by_kind["315"])
        planner.toewijzingen(by_kind["301"])
        planner.unmatched_verzoeken()
        planner.leveringen(by_kind["305"] + by_kind["307"])
        planner.declaraties(by_kind["323"])
        planner.link_rejections(conn)
        planner.tariffs()
    if not report.ok:
        return ImportResult(False, report.sorted_issues(), warnings=report.warnings)

    plan = planner.plan
    counts.update(planner.counts)
    counts["personen"] = len(plan.new_persons)
    counts["declaraties"] = len(plan.claims)
    counts["afgewezen"] = len(plan.rejected)
    backup_before_import(engine)
    with engine.begin() as conn:  # one transaction: commit at the end or roll back on error
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            _write(conn, plan, step)
        finally:
            conn.exec_driver_sql("PRAGMA cache_size=-2000")
        audit.record(conn, actor, audit.IMPORT, ", ".join(str(s) for s in sources)[:200],
                     counts["toewijzingen"] + counts["declaraties"])
        step(1.0, "Afronden")
    return ImportResult(True, [], dict(counts), report.warnings)


def _read(document: Document, order: int, report: Report, validator: Validator,
          counts: dict[str, int]) -> Message | None:
    try:
        raw = document.read()
    except DocumentTooLargeError:
        report.add(document.label, None, None, "bestand is groter dan 256 MB; splits het op")
        return None
    except Exception as exc:  # unreadable file or damaged archive member: report, never raise
        report.add(document.label, None, None, f"bestand kan niet worden gelezen: {exc}")
        return None
    root = parse_xml(raw, document.label, report)
    if root is None:
        return None
    mt = message_type_of(root, document.label, report)
    if mt is None:
        return None
    if not mt.supported:
        report.warnings.append(f"{document.label}: {mt.code} ({mt.title}) overgeslagen; dit "
                               "bericht verandert geen toewijzingen of declaraties")
        counts["overgeslagen"] += 1
        return None
    # The XSD first: a valid declaration can then be read by position (fast). When the XSD
    # finds something, the careful reader's Dutch messages come first; the schema's own
    # messages only when the careful reader found nothing.
    errors = validator.check(root, mt)
    message = extract(root, mt, document.label, order, report, schema_valid=errors == [])
    if message is None:
        return None
    if errors:
        validator.report_errors(errors, mt, document.label)
        return None
    counts["berichten"] += 1
    return message
