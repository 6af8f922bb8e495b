"""Auditlog: who saw, changed, imported or exported what. Read-only; the chain can be checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.ui.table_models import Column, RowTableModel
from sdesk.ui.tables import fit_columns, make_table
from sdesk.ui.widgets import page_heading, show_failure
from sdesk.ui.workers import Task, TaskState, run_in_background

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Engine

    from sdesk.services.platform.audit import AuditRow


def _action_label(action: str) -> str:
    from sdesk.services.platform.audit import ACTION_LABELS

    return ACTION_LABELS.get(action, action)


class AuditTableModel(RowTableModel["AuditRow"]):
    width_caps: ClassVar[dict[int, int]] = {4: 520, 6: 260}
    columns: ClassVar[Sequence[Column[Any]]] = (
        Column("Nr", lambda r: str(r.id), lambda r: r.id, numeric=True),
        Column("Tijd (UTC)", lambda r: r.at_utc[:19]),
        Column("Gebruiker", lambda r: r.user or ""),
        Column("Rol", lambda r: r.role or ""),
        Column("Object", lambda r: r.object or ""),
        Column("Regels", lambda r: "" if r.row_count is None else str(r.row_count),
               lambda r: r.row_count or 0, numeric=True),
        Column("Doel", lambda r: r.purpose or ""),
        Column("Actie", lambda r: _action_label(r.action)),
    )


class AuditPage(QWidget):
    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._task: Task | None = None
        self.model = AuditTableModel(self)
        heading = page_heading("Auditlog")
        intro = QLabel("Elke inzage in gegevens van personen of huishoudens, elke wijziging, "
                       "import en export. De regels zijn met een hash aan elkaar gekoppeld: "
                       "een gewijzigde of verwijderde regel wordt bij de controle gevonden. "
                       "De auditlog kan in sdesk niet worden gewijzigd.")
        intro.setWordWrap(True)
        self.action_filter = QComboBox()
        self.action_filter.addItem("Alle acties", None)
        for action in ("view", "change", "import", "export", "verify"):
            self.action_filter.addItem(_action_label(action), action)
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Zoek in object of doel")
        self.refresh_button = QPushButton("Vernieuwen")
        self.verify_button = QPushButton("Keten controleren")
        self.export_button = QPushButton("Exporteren…")
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Actie:"))
        bar.addWidget(self.action_filter)
        bar.addWidget(self.text_filter, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.verify_button)
        bar.addWidget(self.export_button)
        self.view = make_table(self.model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 6)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.result_label)
        layout.addWidget(self.view, 1)
        self.refresh_button.clicked.connect(self.reload)
        self.action_filter.currentIndexChanged.connect(self.reload)
        self.text_filter.returnPressed.connect(self.reload)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        self.setEnabled(False)

    def set_engine(self, engine: Engine) -> None:
        self._engine = engine
        self.setEnabled(True)
        self.reload()

    def reload(self) -> None:
        if self._engine is None:
            return
        engine, action = self._engine, self.action_filter.currentData()
        text = self.text_filter.text().strip() or None

        def op(_state: TaskState) -> list[AuditRow]:
            from sdesk.services.platform.audit import list_events

            return list_events(engine, action=action, text=text)

        self._task = run_in_background(op, on_success=self._on_loaded, owner=self,
                                       on_error=lambda e: show_failure(self, "Auditlog", e))

    def _on_loaded(self, rows: list[AuditRow]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.view)

    def verify(self) -> None:
        if self._engine is None:
            return
        engine, actor = self._engine, self._actor

        def op(_state: TaskState) -> Any:
            from sdesk.services.platform import audit
            result = audit.verify(engine)
            audit.log(engine, actor, "verify", result.message[:200])
            return result

        def done(result: Any) -> None:
            colour = "#1b5e20" if result.ok else "#b71c1c"
            self.result_label.setText(f"<span style='color:{colour}'><b>{result.message}</b>"
                                      "</span>")
            self.reload()

        run_in_background(op, on_success=done, owner=self,
                          on_error=lambda e: show_failure(self, "Auditlog", e))

    def export(self) -> None:
        from sdesk.ui.dialogs.purpose_dialog import ask_purpose

        if self._engine is None:
            return
        answer = ask_purpose(self)
        if answer is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Auditlog exporteren", "auditlog.csv",
                                              "CSV-bestanden (*.csv)")
        if not path:
            return
        rows, engine, actor, purpose = self.model.rows(), self._engine, self._actor, answer[0]

        def op(_state: TaskState) -> int:
            import csv

            from sdesk.services.platform import audit
            with open(path, "w", newline="", encoding="utf-8-sig") as fh:
                writer = csv.writer(fh, delimiter=";")
                writer.writerow(["nr", "tijd_utc", "gebruiker", "rol", "actie", "object",
                                 "regels", "doel"])
                for r in rows:
                    writer.writerow([r.id, r.at_utc, r.user, r.role, r.action, r.object,
                                     r.row_count, r.purpose])
            audit.log(engine, actor, audit.EXPORT, f"auditlog -> {path}", len(rows), purpose)
            return len(rows)

        run_in_background(op, owner=self, on_success=lambda n: self.result_label.setText(
            f"{n} regels geëxporteerd naar {path}."),
            on_error=lambda e: show_failure(self, "Auditlog", e))
