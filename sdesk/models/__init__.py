"""SQLAlchemy ORM only. Imports sqlalchemy and the standard library, never Qt."""

from sdesk.models.base import Base
from sdesk.models.cache import StoredFrame
from sdesk.models.care import Allocation, Claim, ClaimArrival, RealisationMonth
from sdesk.models.finance import BudgetLine, CostMapItem, Intervention
from sdesk.models.people import Employee, Household, Person, Team
from sdesk.models.reference import (
    CodelistEntry,
    Inhabitants,
    Meta,
    PriceIndex,
    ProductLadder,
    ProductLadderRung,
    Tariff,
)
from sdesk.models.work import AuditEvent, CoordinationCase, CoordinationSnapshot, Review

__all__ = [
    "Allocation",
    "AuditEvent",
    "Base",
    "BudgetLine",
    "Claim",
    "ClaimArrival",
    "CodelistEntry",
    "CoordinationCase",
    "CoordinationSnapshot",
    "CostMapItem",
    "Employee",
    "Household",
    "Inhabitants",
    "Intervention",
    "Meta",
    "Person",
    "PriceIndex",
    "ProductLadder",
    "ProductLadderRung",
    "RealisationMonth",
    "Review",
    "StoredFrame",
    "Tariff",
    "Team",
]
