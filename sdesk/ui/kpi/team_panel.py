"""Teams: caseload, reviews and decisions per team and per employee (DESIGN section 5).

The panel is a tab of the dashboard and shows what the dashboard computed for its period and
law (`team_kpis`, in the background); the dashboard's team picker narrows it to one team.
Team rows are bold, their employees indented under them, in the service's order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sdesk.services.platform.text import decimal, euro, group_thousands, share
from sdesk.ui.shell.table_models import Column, RowTableModel
from sdesk.ui.shell.tables import fit_columns, make_table

if TYPE_CHECKING:
    from sdesk.services.kpi import TeamRow

# Review outcomes in the order a klantmanager thinks of them; others follow alphabetically.
DECISION_LABELS = {"continue": "Handhaven", "scale_down": "Afschalen", "shorten": "Inkorten",
                   "stop": "Beëindigen"}
_INDENT = "\u2003\u2003"  # two em spaces


def _name(r: TeamRow) -> str:
    return r.team if r.employee is None else f"{_INDENT}{r.employee}"


def _fte(r: TeamRow) -> str:
    return decimal(r.fte, 2) if r.fte else "–"


def _per_fte(r: TeamRow) -> str:
    value = r.caseload_per_fte
    return "–" if value is None else decimal(value, 1)


def _renewed(r: TeamRow) -> str:
    if not r.renewed:
        return "–"
    part = share(r.renewed_without_review_share, 0)
    return f"{part} ({r.renewed_without_review} van {r.renewed})"


def _decision_column(key: str) -> Column[TeamRow]:
    label = DECISION_LABELS.get(key, key.replace("_", " ").capitalize())
    return Column(label, lambda r: group_thousands(r.decisions.get(key, 0)),
                  numeric=True, header_tooltip=f"Besluiten '{label.lower()}' in de periode")


_LEADING: tuple[Column[TeamRow], ...] = (
    Column("Team / medewerker", _name),
    Column("Fte", _fte, numeric=True),
    Column("Caseload", lambda r: group_thousands(r.caseload), numeric=True,
           header_tooltip="Cliënten met een lopende toewijzing in de periode waarvoor de "
                          "medewerker verantwoordelijk is"),
    Column("Per fte", _per_fte, numeric=True, header_tooltip="Caseload per fte"),
    Column("Beoordelingen", lambda r: group_thousands(r.reviews), numeric=True,
           header_tooltip="Beoordelingen met een datum in de periode"),
)
_TRAILING: tuple[Column[TeamRow], ...] = (
    Column("Verwachte\nbesparing", lambda r: euro(r.expected_saving_cents), numeric=True,
           header_tooltip="Verwachte jaarbesparing van de besluiten in de periode"),
    Column("Geëindigd\nzonder besluit", lambda r: group_thousands(r.ended_without_decision),
           numeric=True,
           header_tooltip="Toewijzingen die in de periode eindigden zonder ooit een "
                          "beoordeling"),
    Column("Verlengd zonder\nbeoordeling", _renewed, numeric=True,
           header_tooltip="Van de toewijzingen die in de periode eindigden en direct werden "
                          "verlengd: het deel zonder beoordeling"),
)


class TeamTableModel(RowTableModel["TeamRow"]):
    """Columns depend on the outcomes present: the four usual ones always, others added."""

    COL_NAME = 0

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = self._columns_for(())

    @staticmethod
    def _columns_for(extra: Sequence[str]) -> tuple[Column[TeamRow], ...]:
        keys = list(DECISION_LABELS) + sorted(k for k in set(extra) if k not in DECISION_LABELS)
        return (*_LEADING, *(_decision_column(k) for k in keys), *_TRAILING)

    def set_rows(self, rows: Sequence[TeamRow]) -> None:
        self.beginResetModel()
        self.columns = self._columns_for([k for r in rows for k in r.decisions])
        self._rows = list(rows)
        self.endResetModel()

    def emphasised(self, row: TeamRow) -> bool:
        return row.employee is None

    def tooltip(self, row: TeamRow) -> str | None:
        if row.employee is None:
            return f"Team {row.team}: alle medewerkers samen"
        return f"{row.employee} (team {row.team})"


class TeamPanel(QWidget):
    """The team table; the dashboard hands it rows and the chosen team."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[TeamRow] = []
        self._team: str | None = None
        self.model = TeamTableModel(self)
        self.view = make_table(self.model, sortable=False)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        note = QLabel("Caseload: cliënten met een lopende toewijzing in de periode. Geëindigd "
                      "zonder besluit: toewijzingen die in de periode eindigden zonder "
                      "beoordeling. Verlengd zonder beoordeling: aansluitend verlengde "
                      "toewijzingen zonder beoordeling.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(dark);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)

    def set_rows(self, rows: Sequence[TeamRow], team: str | None, caption: str) -> None:
        self._rows = list(rows)
        self._team = team
        self.caption.setText(caption)
        self._show()

    def set_team(self, team: str | None) -> None:
        self._team = team
        self._show()

    def _show(self) -> None:
        rows = [r for r in self._rows if self._team is None or r.team == self._team]
        self.model.set_rows(rows)
        fit_columns(self.view)
