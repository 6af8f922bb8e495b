"""Who works here: employees and teams for pickers and filters, and the acting user an
employee record gives (no person data of clients).

The acting user comes from the operating-system account when an employee's `account` maps
it (`actor_for_account`), else from --user or the "Wie bent u?" choice (`actor_for`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import NotFoundError
from sdesk.services.platform.vocabulary import role_label


@dataclass(frozen=True)
class EmployeeRow:
    external_id: str
    name: str
    role: str
    team: str | None

    @property
    def role_label(self) -> str:
        """The Dutch label of the employee's role."""
        return role_label(self.role)


def list_employees(engine: Engine, preferred_role: str | None = None) -> list[EmployeeRow]:
    """All employees by name; those with `preferred_role` first."""
    with engine.connect() as conn:
        rows = [EmployeeRow(*r) for r in conn.exec_driver_sql(
            "SELECT e.external_id, e.name, e.role, t.name FROM employee e "
            "LEFT JOIN team t ON t.id = e.team_id ORDER BY e.name, e.external_id")]
    if preferred_role:
        rows.sort(key=lambda r: r.role != preferred_role)  # stable: names stay sorted
    return rows


def list_teams(engine: Engine) -> list[str]:
    """Team names in alphabetical order."""
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT name FROM team ORDER BY name")]


_ACTOR_SQL = ("SELECT e.id, e.name, e.role, t.name FROM employee e "
              "LEFT JOIN team t ON t.id = e.team_id WHERE ")


def actor_for(engine: Engine, external_id: str) -> Actor:
    """The acting user for an employee id; a clear message when there is no such employee."""
    with engine.connect() as conn:
        row = conn.exec_driver_sql(_ACTOR_SQL + "e.external_id = ?", (external_id,)).first()
    if row is None:
        raise NotFoundError(f"Medewerker '{external_id}' bestaat niet; kies een bestaande "
                            "medewerker (zie de lijst in het programma).")
    return Actor(name=row[1], role=row[2], employee_id=int(row[0]), team=row[3])


def actor_for_account(engine: Engine, account: str | None) -> Actor | None:
    """The employee whose `account` is this operating-system account (compared without case:
    Windows accounts are); None when none or more than one maps it (then the user chooses)."""
    if not account or not account.strip():
        return None
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(_ACTOR_SQL + "lower(trim(e.account)) = ?",
                                    (account.strip().lower(),)).all()
    if len(rows) != 1:
        return None
    row = rows[0]
    return Actor(name=row[1], role=row[2], employee_id=int(row[0]), team=row[3])
