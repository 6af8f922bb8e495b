"""Who is at the keyboard: an employee record gives the acting user and their role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import NotFoundError

ROLE_LABELS = {"klantmanager": "Klantmanager", "procescoordinator": "Procescoördinator",
               "controller": "Controller", "teamleider": "Teamleider"}


@dataclass(frozen=True)
class UserChoice:
    external_id: str
    name: str
    role: str
    team: str | None


def list_users(engine: Engine) -> list[UserChoice]:
    with engine.connect() as conn:
        return [UserChoice(*r) for r in conn.exec_driver_sql(
            "SELECT e.external_id, e.name, e.role, t.name FROM employee e "
            "LEFT JOIN team t ON t.id = e.team_id ORDER BY e.name").all()]


def actor_for(engine: Engine, external_id: str) -> Actor:
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT id, name, role FROM employee WHERE external_id = ?",
                                   (external_id,)).first()
    if row is None:
        raise NotFoundError(f"Medewerker '{external_id}' bestaat niet; kies een bestaande "
                            "medewerker (zie de lijst in het programma).")
    return Actor(name=row[1], role=row[2], employee_id=int(row[0]))
