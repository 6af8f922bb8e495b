"""The iJw/iWmo 3.2 messages as plain data: what extraction (parse.py) makes of a document and
the import (apply.py) writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sdesk.services.exchange.istandaarden.detect import MessageType

# Retourcodes of a 325 that do not reject (WJ001): geen opmerking, niet beoordeeld, toegewezen.
ACCEPTING_CODES = frozenset({"0200", "0233", "8001"})


@dataclass(frozen=True, slots=True)
class Header:
    sender: str | None
    receiver: str | None
    identification: str | None
    dagtekening: date | None


@dataclass(frozen=True, slots=True)
class Client:
    line: int
    bsn: str
    birth_date: date | None = None
    gender: str | None = None  # M / V / O
    last_name: str | None = None
    first_name: str | None = None
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Toegewezen:
    """One ToegewezenProduct of a 301."""

    line: int
    nr: str
    reference: str | None
    category: str | None
    code: str | None
    decided: str  # Toewijzingsdatum + Toewijzingstijd, sortable text
    start: date
    end: date | None
    change_reason: str | None
    volume: int | None
    unit: str | None
    frequency: str | None
    budget: int | None


@dataclass(frozen=True, slots=True)
class Levering:
    """One StartProduct (305) or StopProduct (307)."""

    line: int
    nr: str | None
    category: str | None
    code: str | None
    allocation_start: date | None
    begin: date
    end: date | None  # 307 only
    reason: str | None  # 307 only: RedenBeeindiging
    status: str  # StatusAanlevering (COD467): 1 eerste, 2 gewijzigd, 3 verwijderen


@dataclass(frozen=True, slots=True)
class Aangevraagd:
    """One AangevraagdProduct of a 315 (verzoek om toewijzing)."""

    line: int
    reference: str
    category: str | None
    code: str | None
    start: date
    end: date | None
    referrer: str  # COD327
    referrer_name: str | None
    referrer_agb: str | None


class Prestatie(NamedTuple):
    """One Prestatie of a 323. amount is signed: credit lines are negative."""

    line: int
    bsn: str
    reference: str
    previous_reference: str | None
    nr: str
    category: str
    code: str
    start: date
    end: date
    volume: int
    unit: str
    tariff: int | None
    amount: int
    credit: bool


@dataclass(frozen=True, slots=True)
class Afgewezen:
    """One Prestatie listed in a 325 (only rejected lines are listed, OP304)."""

    line: int
    bsn: str
    reference: str
    nr: str | None
    credit: bool
    codes: tuple[str, ...]

    @property
    def rejected(self) -> bool:
        """Whether any of the line's retourcodes rejects it."""
        return any(c not in ACCEPTING_CODES for c in self.codes)


@dataclass(frozen=True, slots=True)
class Declaratie:
    line: int
    number: str
    period_start: date
    period_end: date
    total: int  # signed
    prestaties: list[Prestatie]


@dataclass(frozen=True, slots=True)
class Antwoord:
    line: int
    number: str
    codes: tuple[str, ...]  # declaration level: a rejecting code rejects every line
    prestaties: list[Afgewezen]

    @property
    def rejects_all(self) -> bool:
        """Whether a declaration-level retourcode rejects every line."""
        return any(c not in ACCEPTING_CODES for c in self.codes)


@dataclass
class Message:
    label: str
    order: int  # position of the document in the import, for "last one wins"
    type: MessageType
    header: Header
    client: Client | None = None
    toegewezen: list[Toegewezen] = field(default_factory=list)
    leveringen: list[Levering] = field(default_factory=list)
    aangevraagd: list[Aangevraagd] = field(default_factory=list)
    declaratie: Declaratie | None = None
    antwoord: Antwoord | None = None

    @property
    def law(self) -> str:
        """The law of the message's type."""
        return self.type.law

    @property
    def provider(self) -> str | None:
        """AGB code of the aanbieder: the receiver of 301/325, the sender of the others."""
        if self.type.number in ("301", "325"):
            return self.header.receiver
        return self.header.sender
