"""Closed vocabularies stored as strings. Values are what the exchange format carries."""

from enum import StrEnum


class Law(StrEnum):
    JEUGD = "jeugd"
    WMO = "wmo"
    PARTICIPATIE = "participatie"


class Role(StrEnum):
    KLANTMANAGER = "klantmanager"
    PROCESCOORDINATOR = "procescoordinator"
    CONTROLLER = "controller"
    TEAMLEIDER = "teamleider"


class DeliveryForm(StrEnum):
    ZIN = "zin"
    PGB = "pgb"


class ProvisionKind(StrEnum):
    MAATWERK = "maatwerk"
    ALGEMEEN = "algemeen"
    SOCIALE_BASIS = "sociale_basis"


class Payer(StrEnum):
    GEMEENTE = "gemeente"
    ZORGVERZEKERAAR = "zorgverzekeraar"
    POLITIE = "politie"
    JUSTITIE = "justitie"
    WONINGCORPORATIE = "woningcorporatie"
    ONDERWIJS = "onderwijs"
    WLZ = "wlz"
    OVERIG = "overig"


class CaseStatus(StrEnum):
    OPEN = "open"
    EVALUATED = "evaluated"
    CLOSED = "closed"


class Decision(StrEnum):
    CONTINUE = "continue"
    SCALE_DOWN = "scale_down"
    STOP = "stop"
    TO_GENERAL_PROVISION = "to_general_provision"
    TO_OTHER_LAW = "to_other_law"
