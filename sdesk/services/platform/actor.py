"""The acting user. Services that return person-level data take one, so role rules,
pseudonymisation and (later) the audit log are applied in one place."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sdesk.config import config_dir
from sdesk.services.platform.vocabulary import role_label

ROLES_SEEING_IDENTITY = frozenset({"klantmanager", "procescoordinator", "teamleider"})


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    employee_id: int | None = None

    @property
    def sees_identity(self) -> bool:
        """Names and BSN only for roles that need them; the controller sees pseudonyms."""
        return self.role in ROLES_SEEING_IDENTITY

    @property
    def signature(self) -> str:
        """"Kees Klant (klantmanager)": who made an export, as printed in its header."""
        return f"{self.name} ({role_label(self.role)})"


# The actor of imports and batch jobs that no user started.
SYSTEM = Actor(name="systeem", role="procescoordinator")


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
