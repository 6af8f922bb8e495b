"""Auditlog: who saw, changed, imported or exported what. Read-only; the chain can be checked
(`audit.check_chain`, which logs the check) and the list exported (the export use case, which
logs the export)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.ui.shell.exporting import ask_export, export_in_background
from sdesk.ui.shell.table_models import Column, RowTableModel
from sdesk.ui.shell.tables import fit_columns, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import page_heading, show_failure
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sqlalchemy import Engine

    from sdesk.services.exports import Exported
    from sdesk.services.platform.audit import AuditRow, Verification


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
        self._dirty = False
        self.tasks = LatestTasks(self)
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
        from sdesk.services.platform.permissions import READ_AUDIT, may, refusal

        # Reading the log is for some roles only; checking the chain (it shows no content,
        # only whether the log is whole) is for everyone, so an auditor can always run it.
        self.may_read = may(actor, READ_AUDIT)
        if not self.may_read:
            self.result_label.setText(refusal(actor, READ_AUDIT) + " U kunt wel de keten "
                                      "controleren.")
            for widget in (self.action_filter, self.text_filter, self.refresh_button,
                           self.export_button, self.view):
                widget.setEnabled(False)
                widget.setToolTip(refusal(actor, READ_AUDIT))
            self.view.hide()
            layout.addStretch(1)  # the texts at the top, not spread over the page
        self.refresh_button.clicked.connect(self.reload)
        self.action_filter.currentIndexChanged.connect(self.reload)
        self.text_filter.returnPressed.connect(self.reload)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export)
        self.setEnabled(False)

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.setEnabled(engine is not None)
        self.reload()

    def mark_dirty(self) -> None:
        """New events (an import, for instance): reload when visible, else when shown."""
        self._dirty = True
        if self.isVisible():
            self.reload()

    def shut_down(self) -> None:
        self.tasks.shut_down()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def reload(self) -> None:
        if self._engine is None or not self.may_read:
            return
        self._dirty = False
        engine, actor, action = self._engine, self._actor, self.action_filter.currentData()
        text = self.text_filter.text().strip() or None

        def op(_state: TaskState) -> list[AuditRow]:
            from sdesk.services.platform.audit import list_events

            return list_events(engine, actor, action=action, text=text)

        self.tasks.start(op, self._on_loaded, lambda e: show_failure(self, "Auditlog", e),
                         kind="events")

    def _on_loaded(self, rows: list[AuditRow]) -> None:
        self.model.set_rows(rows)
        fit_columns(self.view)

    def verify(self) -> None:
        if self._engine is None:
            return
        engine, actor = self._engine, self._actor

        def op(_state: TaskState) -> Verification:
            from sdesk.services.platform.audit import check_chain

            return check_chain(engine, actor)

        def done(result: Verification) -> None:
            colour = "#1b5e20" if result.ok else "#b71c1c"
            self.result_label.setText(f"<span style='color:{colour}'><b>{result.message}</b>"
                                      "</span>")
            self.reload()

        self.tasks.start(op, done, lambda e: show_failure(self, "Auditlog", e))

    def export(self) -> None:
        if self._engine is None or not self.may_read:
            return
        chosen = ask_export(self, "Auditlog exporteren", "auditlog.csv", "csv",
                            "CSV-bestanden (*.csv)")
        if chosen is None:
            return
        path, purpose = chosen

        def done(exported: Exported) -> None:
            self.result_label.setText(f"{exported.rows} regels geëxporteerd naar "
                                      f"{exported.path}.")

        export_in_background(self.tasks, self._engine, self._actor, "audit",
                             {"events": self.model.rows()}, path, purpose, done,
                             lambda e: show_failure(self, "Auditlog", e))
