"""The acting user. Services that return person-level data take one, so role rules,
pseudonymisation, data minimisation and the audit log are applied in one place.

What a role may see and do is the permission table (platform.permissions); the helpers here
turn source values into what a role without SEE_IDENTITY sees: keyed pseudonyms for persons,
households and allocations, PC4 for a postcode and the birth year for a birth date.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sdesk.config import config_dir
from sdesk.services.platform.permissions import SEE_IDENTITY, may
from sdesk.services.platform.vocabulary import ANONYMOUS_ROLE, role_label


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    employee_id: int | None = None
    team: str | None = None  # the employee's team: the klantmanager's lists default to it

    @property
    def sees_identity(self) -> bool:
        """Names, BSN and source numbers only for roles that need them (the permission
        table); the controller and an unknown user see pseudonyms."""
        return may(self, SEE_IDENTITY)

    @property
    def signature(self) -> str:
        """"Kees Klant (klantmanager)": who made an export, as printed in its header."""
        return f"{self.name} ({role_label(self.role)})"


# The actor of imports and batch jobs that no user started (never of a person at a screen).
SYSTEM = Actor(name="systeem", role="procescoordinator")
# Whoever works without a known user: the command line without --user, the application
# before (or without) a choice. Sees pseudonymised data only, changes and exports nothing.
ANONYMOUS = Actor(name="onbekend", role=ANONYMOUS_ROLE)


def _key_path() -> Path:
    return config_dir() / "pseudonym.key"


@cache
def _pseudonym_key() -> bytes:
    """Kept outside the database file, so a copied database alone cannot be re-identified."""
    path = _key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(secrets.token_bytes(32))
        path.chmod(0o600)
    return path.read_bytes()


def pseudonym(person_external_id: str) -> str:
    """A stable pseudonym for a person: a keyed hash, not reversible without the key."""
    digest = hmac.new(_pseudonym_key(), person_external_id.encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:10].upper()}"


def _keyed(prefix: str, value: str) -> str:
    digest = hmac.new(_pseudonym_key(), value.encode(), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:10].upper()}"


def household_pseudonym(household_external_id: str) -> str:
    """A stable pseudonym for a household ("H-..."), keyed like the person's."""
    return _keyed("H", f"huishouden:{household_external_id}")


def allocation_pseudonym(law: str, toewijzingnummer: str) -> str:
    """A stable pseudonym for an allocation ("T-..."): its source number stays inside."""
    return _keyed("T", f"toewijzing:{law}:{toewijzingnummer}")


def is_pseudonym(text: str, prefix: str) -> bool:
    """Whether `text` has the form of a pseudonym with this prefix ("H", "T", "P")."""
    body = text.strip().upper()
    return (len(body) == len(prefix) + 11 and body.startswith(f"{prefix}-")
            and all(c in "0123456789ABCDEF" for c in body[len(prefix) + 1:]))


def pc4(postcode: str | None) -> str | None:
    """The four digits of a Dutch postcode ("7551 AB" -> "7551"); None when there are none."""
    digits = (postcode or "").replace(" ", "")[:4]
    return digits if len(digits) == 4 and digits.isdigit() else None
