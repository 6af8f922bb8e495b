"""Kostenkaart: the user-maintained prices of help that is not an allocation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import group_thousands
from sdesk.ui.household.models import CostMapTableModel
from sdesk.ui.shell.tables import fit_columns, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import allow, page_heading, show_failure
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.household import CostMapItem
    from sdesk.ui.household.cost_map_dialog import CostMapItemDialog

_INTRO = (
    "De kostenkaart geeft een prijs aan hulp en gebeurtenissen buiten de toewijzingen: "
    "politie-inzet, een huisuitzetting, opvang, een GGZ-traject. Interventies in het "
    "kostenoverzicht van een huishouden rekenen met deze prijzen. Een prijs met "
    "'Schatting' als bron is een schatting zonder harde bron.")


class CostMapPage(QWidget):
    loaded = Signal(int)
    changed = Signal()  # an item was saved or deleted
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._dirty = True
        self.tasks = LatestTasks(self)
        self._select_id: int | None = None  # the item just saved, selected after reloading
        self.item_dialog: CostMapItemDialog | None = None
        self.model = CostMapTableModel(self)
        self._build_ui()
        self._connect_signals()
        self._update_buttons()
        self.setEnabled(False)

    def _build_ui(self) -> None:
        heading = page_heading("Kostenkaart")
        intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        intro.setMaximumWidth(860)
        self.add_button = QPushButton("Toevoegen…")
        self.edit_button = QPushButton("Wijzigen…")
        self.delete_button = QPushButton("Verwijderen")
        from sdesk.services.platform.permissions import EDIT_COST_MAP, may

        self._may_edit = may(self._actor, EDIT_COST_MAP)
        for button in (self.add_button, self.edit_button, self.delete_button):
            allow(button, self._actor, EDIT_COST_MAP)  # read-only for the others, saying why
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        self.view = make_table(self.model)
        self.status_label = QLabel()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 6)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status_label)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(lambda: self.open_item_dialog(None))
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self.view.doubleClicked.connect(lambda _index: self._on_edit_clicked())
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)

    # -- public -----------------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.setEnabled(engine is not None)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        if self.isVisible():
            self.reload()

    def shut_down(self) -> None:
        self.tasks.shut_down()

    def reload(self) -> None:
        if self._engine is None:
            return
        self._dirty = False
        engine = self._engine

        def op(_state: TaskState) -> list[CostMapItem]:
            from sdesk.services.household import list_items

            return list_items(engine)

        self.status_label.setText("Kostenkaart laden…")
        self.tasks.start(op, self._on_loaded, self._on_load_failed, kind="items")

    def selected_item(self) -> CostMapItem | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def open_item_dialog(self, item: CostMapItem | None) -> None:
        from sdesk.ui.household.cost_map_dialog import CostMapItemDialog

        if self._engine is None or not self._may_edit:
            return
        units = sorted({r.unit for r in self.model.rows()})
        dialog = CostMapItemDialog(self._engine, self._actor, item, units, self)
        dialog.saved.connect(self._on_saved)
        self.item_dialog = dialog
        dialog.open()

    def delete_selected(self) -> None:
        item = self.selected_item()
        if item is None or item.id is None or self._engine is None:
            return
        answer = QMessageBox.question(
            self, "Kostenkaart-item verwijderen",
            f"'{item.name}' ({item.year or 'geen jaar'}) van de kostenkaart verwijderen?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        engine, actor, item_id = self._engine, self._actor, item.id

        def op(_state: TaskState) -> None:
            from sdesk.services.household import delete_item

            delete_item(engine, actor, item_id)

        self.tasks.start(op, lambda _r: self._on_saved(None), self._on_change_failed)

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _update_buttons(self) -> None:
        selected = self.view.selectionModel().hasSelection() and self._may_edit
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    def _on_edit_clicked(self) -> None:
        item = self.selected_item()
        if item is not None:
            self.open_item_dialog(item)

    def _on_loaded(self, items: list[CostMapItem]) -> None:
        selected = self.selected_item()
        select_id = self._select_id if self._select_id is not None else (
            selected.id if selected else None)
        self._select_id = None
        self.model.set_rows(items)
        fit_columns(self.view)
        estimates = sum(1 for i in items if i.is_estimate)
        self.status_label.setText(f"{group_thousands(len(items))} items, waarvan "
                                  f"{group_thousands(estimates)} schattingen")
        ids = [i.id for i in items]
        if select_id in ids:
            self.view.selectRow(ids.index(select_id))
        self.loaded.emit(len(items))

    def _on_load_failed(self, exc: BaseException) -> None:
        self.status_label.setText(f"Kostenkaart niet geladen: {exc}")
        self.failed.emit(str(exc))

    def _on_saved(self, item_id: Any) -> None:
        self._select_id = item_id
        self.changed.emit()
        self.reload()

    def _on_change_failed(self, exc: BaseException) -> None:
        show_failure(self, "Kostenkaart", exc)
        self.failed.emit(str(exc))
