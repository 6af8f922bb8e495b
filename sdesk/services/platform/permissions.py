"""The one permission table: what each role may see and do (DESIGN section 8).

The services enforce it: a service that changes data or shows what a role may not see calls
`require(actor, PERMISSION)` before it reads or writes anything, so a refusal leaves the
database as it was. Screens ask `may` to hide or disable what the role may not do, and show
`refusal` as the tooltip that says why; the command line prints the same refusal.

What a role sees of person-level data follows SEE_IDENTITY: without it (controller, and
whoever works without a known user) every service returns pseudonyms, PC4 instead of the
postcode, birth years instead of birth dates, and no household ids, source allocation
numbers or free-text notes (platform.actor has the helpers).

The klantmanager's default team: lists of persons (the afschaling worklist, the household
search) show the klantmanager's own team unless they choose all teams (`team_scope`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.vocabulary import ANONYMOUS_ROLE, ROLES, role_label

if TYPE_CHECKING:
    from sdesk.services.platform.actor import Actor


class PermissionDenied(SdeskError):  # noqa: N818 (reads as what happened, like NotFound)
    """The acting user's role may not do this; the message says who may."""


@dataclass(frozen=True)
class Permission:
    key: str
    # Dutch phrases for the refusal: "Geef --user MEDEWERKER-ID op om <to_do>." and
    # "Als <rol> mag u <not_done>."
    to_do: str
    not_done: str


SEE_IDENTITY = Permission("identiteit", "namen, BSN en bronnummers te zien",
                          "geen namen, BSN en bronnummers zien")
RECORD_DECISION = Permission("besluiten", "afschalingsbesluiten vast te leggen",
                             "geen afschalingsbesluiten vastleggen")
EDIT_BUDGET = Permission("begroting", "prognoses en toelichtingen van de begroting te wijzigen",
                         "geen prognoses of toelichtingen van de begroting wijzigen")
EDIT_COST_MAP = Permission("kostenkaart", "de kostenkaart te wijzigen",
                           "de kostenkaart niet wijzigen")
CHANGE_CASES = Permission("trajecten", "trajecten procescoördinatie te starten, te evalueren "
                          "of te wijzigen", "geen trajecten procescoördinatie starten, "
                          "evalueren of wijzigen")
READ_AUDIT = Permission("auditlog", "de auditlog in te zien", "de auditlog niet inzien")
EXPORT = Permission("export", "te exporteren (een export wordt op naam vastgelegd in de "
                    "auditlog)", "niet exporteren")
EXPORT_PERSONS = Permission("export_personen", "gegevens per persoon of huishouden te "
                            "exporteren", "geen gegevens per persoon of huishouden exporteren")
EDIT_LADDER = Permission("productladder", "de productladders te beheren",
                         "de productladders niet beheren")

PERMISSIONS = (SEE_IDENTITY, RECORD_DECISION, EDIT_BUDGET, EDIT_COST_MAP, CHANGE_CASES,
               READ_AUDIT, EXPORT, EXPORT_PERSONS, EDIT_LADDER)

# Who may what. The procescoördinator and the teamleider also keep the cost map, the budget
# prognoses and the product ladders and read the audit log (functional management); the
# controller reads and exports aggregates; without a known user sdesk only shows
# pseudonymised data.
TABLE: dict[str, frozenset[Permission]] = {
    "klantmanager": frozenset({SEE_IDENTITY, RECORD_DECISION, EXPORT, EXPORT_PERSONS}),
    "procescoordinator": frozenset({SEE_IDENTITY, RECORD_DECISION, EDIT_BUDGET, EDIT_COST_MAP,
                                    CHANGE_CASES, READ_AUDIT, EXPORT, EXPORT_PERSONS,
                                    EDIT_LADDER}),
    "teamleider": frozenset({SEE_IDENTITY, RECORD_DECISION, EDIT_BUDGET, EDIT_COST_MAP,
                             CHANGE_CASES, READ_AUDIT, EXPORT, EXPORT_PERSONS, EDIT_LADDER}),
    "controller": frozenset({EXPORT}),
    ANONYMOUS_ROLE: frozenset(),
}
# Roles whose person lists default to their own team.
OWN_TEAM_ROLES = frozenset({"klantmanager"})
# `team=ALL_TEAMS`: the explicit choice for every team (None means the role's default).
ALL_TEAMS = "*"


def may(actor: Actor, permission: Permission) -> bool:
    """Whether the actor's role has the permission (an unknown role has none)."""
    return permission in TABLE.get(actor.role, frozenset())


def roles_with(permission: Permission) -> list[str]:
    """The employees' roles that have the permission, in the order of ROLES."""
    return [r for r in ROLES if permission in TABLE[r]]


def _who_may(permission: Permission) -> str:
    labels = [role_label(r) for r in roles_with(permission)]
    if not labels:
        return ""
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " of " + labels[-1]
    return f" Dat mag een {joined}."


def refusal(actor: Actor, permission: Permission) -> str:
    """The Dutch sentence that says why the actor may not, and who may."""
    if actor.role == ANONYMOUS_ROLE:
        return (f"Geef --user MEDEWERKER-ID op om {permission.to_do}; zonder bekende gebruiker "
                "mag dat niet. In het programma: kies wie u bent via Bestand > Gebruiker "
                "wisselen.")
    return f"Als {role_label(actor.role)} mag u {permission.not_done}." + _who_may(permission)


def require(actor: Actor, permission: Permission) -> None:
    """Raise PermissionDenied (Dutch, says who may) unless the actor may."""
    if not may(actor, permission):
        raise PermissionDenied(refusal(actor, permission))


def team_scope(actor: Actor, team: str | None) -> str | None:
    """The team a list of persons shows: `team` when chosen, every team for ALL_TEAMS, and
    by default the klantmanager's own team (None: every team)."""
    if team == ALL_TEAMS:
        return None
    if team:
        return team
    return actor.team if actor.role in OWN_TEAM_ROLES else None
