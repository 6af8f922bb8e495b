"""Add or edit one kostenkaart item; the service validates and saves it off the GUI thread."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import cents_to_input, parse_euro_cents
from sdesk.ui.shell.labels import payer_name
from sdesk.ui.shell.widgets import show_failure
from sdesk.ui.shell.workers import TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.household import CostMapItem

ESTIMATE_PREFIX = "Schatting"
DEFAULT_UNITS = ("per jaar", "per maand", "per week", "per dag", "per keer", "per traject",
                 "per melding")
_ERROR_STYLE = "color: #a61b1b;"


def _strip_estimate(source: str) -> str:
    if source.lower().startswith(ESTIMATE_PREFIX.lower()):
        return source[len(ESTIMATE_PREFIX):].lstrip(" :-")
    return source


class CostMapItemDialog(QDialog):
    saved = Signal(int)  # item id
    failed = Signal(str)

    def __init__(self, engine: Engine, actor: Actor, item: CostMapItem | None = None,
                 units: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._actor = actor
        self.item = item
        self._build_ui(units or [])
        self._fill(item)
        self._connect_signals()

    def _build_ui(self, units: list[str]) -> None:
        from sdesk.services.platform.vocabulary import PAYERS

        self.setWindowTitle("Kostenkaart-item wijzigen" if self.item else
                            "Kostenkaart-item toevoegen")
        self.setMinimumWidth(500)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("bijv. Politie-inzet melding")
        self.unit_combo = QComboBox()
        self.unit_combo.setEditable(True)
        for unit in dict.fromkeys([*DEFAULT_UNITS, *units]):
            self.unit_combo.addItem(unit)
        self.price_edit = QLineEdit()
        self.price_edit.setPlaceholderText("bijv. 1.250,00")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(0, 2100)
        self.year_spin.setSpecialValueText("geen")
        self.year_spin.setGroupSeparatorShown(False)
        self.payer_combo = QComboBox()
        for payer in PAYERS:
            self.payer_combo.addItem(payer_name(payer), payer)
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("Waar komt de prijs vandaan?")
        self.estimate_check = QCheckBox("De prijs is een schatting")
        self.estimate_check.setToolTip(
            f"Een schatting herkent sdesk aan een bron die begint met '{ESTIMATE_PREFIX}'.")
        self.error_label = QLabel()
        self.error_label.setStyleSheet(_ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        form = QFormLayout()
        form.addRow("Item:", self.name_edit)
        form.addRow("Eenheid:", self.unit_combo)
        form.addRow("Prijs (€):", self.price_edit)
        form.addRow("Jaar:", self.year_spin)
        form.addRow("Financier:", self.payer_combo)
        form.addRow("Bron:", self.source_edit)
        form.addRow("", self.estimate_check)

        buttons = QDialogButtonBox()
        self.ok_button: QPushButton = buttons.addButton(
            "Opslaan", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Annuleren", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _fill(self, item: CostMapItem | None) -> None:
        if item is None:
            self.year_spin.setValue(date.today().year)
            self.unit_combo.setCurrentIndex(0)
            return
        self.name_edit.setText(item.name)
        self.unit_combo.setCurrentText(item.unit)
        self.price_edit.setText(cents_to_input(item.price_cents))
        self.year_spin.setValue(item.year or 0)
        index = self.payer_combo.findData(item.payer)
        if index >= 0:
            self.payer_combo.setCurrentIndex(index)
        self.source_edit.setText(item.source or "")
        self.estimate_check.setChecked(item.is_estimate)

    def _connect_signals(self) -> None:
        self.estimate_check.toggled.connect(self._on_estimate_toggled)
        self.source_edit.textEdited.connect(self._on_source_edited)

    def _on_estimate_toggled(self, checked: bool) -> None:
        source = self.source_edit.text().strip()
        is_estimate = source.lower().startswith(ESTIMATE_PREFIX.lower())
        if checked and not is_estimate:
            self.source_edit.setText(f"{ESTIMATE_PREFIX}: {source}" if source
                                     else ESTIMATE_PREFIX)
        elif not checked and is_estimate:
            self.source_edit.setText(_strip_estimate(source))

    def _on_source_edited(self, text: str) -> None:
        self.estimate_check.blockSignals(True)
        self.estimate_check.setChecked(text.strip().lower().startswith(ESTIMATE_PREFIX.lower()))
        self.estimate_check.blockSignals(False)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def accept(self) -> None:
        from sdesk.services.household import CostMapItem

        if not self.ok_button.isEnabled():  # already saving (Enter pressed twice)
            return
        try:
            price = parse_euro_cents(self.price_edit.text())
        except ValueError:
            self._show_error(f"Prijs '{self.price_edit.text()}' is geen bedrag; schrijf "
                             "bijvoorbeeld 1.250,00.")
            self.price_edit.setFocus()
            return
        self.error_label.hide()
        item = CostMapItem(
            id=self.item.id if self.item else None, name=self.name_edit.text().strip(),
            unit=self.unit_combo.currentText().strip(), price_cents=price,
            payer=self.payer_combo.currentData(), year=self.year_spin.value() or None,
            source=self.source_edit.text().strip() or None)
        engine, actor = self._engine, self._actor

        def op(_state: TaskState) -> int:
            from sdesk.services.household import save_item

            return save_item(engine, actor, item)

        self.ok_button.setEnabled(False)
        run_in_background(op, on_success=self._on_saved, on_error=self._on_failed, owner=self)

    def _on_saved(self, item_id: int) -> None:
        self.saved.emit(item_id)
        super().accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self._show_error(str(exc))
        show_failure(self, "Kostenkaart", exc)
        self.failed.emit(str(exc))
