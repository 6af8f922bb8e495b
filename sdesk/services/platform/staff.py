"""Who works here: employees and teams, for pickers and filters (no person data of clients)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

ROLE_LABELS = {"procescoordinator": "procescoördinator", "klantmanager": "klantmanager",
               "controller": "controller", "teamleider": "teamleider"}


@dataclass(frozen=True)
class EmployeeRow:
    external_id: str
    name: str
    role: str
    team: str | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


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
    with engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT name FROM team ORDER BY name")]
