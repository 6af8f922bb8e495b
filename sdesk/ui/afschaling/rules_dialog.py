"""Afschaling: "Regels instellen…" -- the parameters of the worklist rules (RuleParameters).

The fields accept more than the rules allow, so that the service's own check (validate) gives
the Dutch message; a refused value leaves the dialog open and nothing changed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.afschaling import ReviewError, RuleParameters
from sdesk.ui.shell.widgets import DUTCH, euro_spin

# (field, label, kind, suffix); kind "int", "float", "pct" or "euro".
FIELDS: tuple[tuple[str, str, str, str], ...] = (
    ("ending_soon_weeks", "Einddatum &nadert: binnen", "int", " weken"),
    ("open_ended_months", "&Zonder einddatum: niet beoordeeld in", "int", " maanden"),
    ("long_duration_months", "&Lange duur: langer dan", "int", " maanden"),
    ("group_norm_dagdelen", "&Groepsondersteuning: vanaf", "float", " dagdelen per week"),
    ("individual_norm_hours", "&Individuele ondersteuning: vanaf", "float", " uur per week"),
    ("household_help_max_hours", "&Hulp bij het huishouden: meer dan", "float",
     " uur per week"),
    ("utilisation_months", "Lage &uitnutting: venster", "int", " maanden"),
    ("utilisation_min_pct", "Lage uitnutting: &minder dan", "pct", " %"),
    ("no_claims_months", "Geen &declaraties: venster", "int", " maanden"),
    ("stacking_laws", "&Stapeling: huishouden met steun onder", "int", " wetten"),
    ("high_cost_top_n", "Hoge &kosten: de duurste", "int", " cliënten per wet"),
    ("high_cost_threshold_cents", "Hoge kosten: &jaarkosten boven", "euro", ""),
    ("step_down_share_pct", "Standaard &afschalingsdeel", "pct", " %"),
    ("recent_decision_days", "Na een &besluit van de lijst gedurende", "int", " dagen"),
)


class RuleParametersDialog(QDialog):
    def __init__(self, params: RuleParameters, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Regels instellen")
        self._original = params
        self.parameters: RuleParameters = params
        self.fields: dict[str, QAbstractSpinBox] = {}
        form = QFormLayout()
        for name, label, kind, suffix in FIELDS:
            spin = self._spin(kind, suffix)
            self.fields[name] = spin
            caption = QLabel(label)
            caption.setBuddy(spin)
            form.addRow(caption, spin)
        self._show(params)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c53030;")
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Toepassen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.defaults_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.defaults_button.setText("Standaardwaarden")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(lambda: self._show(RuleParameters()))
        intro = QLabel("Wanneer komt een lopende toewijzing op de werklijst? De waarden gelden "
                       "voor deze sessie.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    @staticmethod
    def _spin(kind: str, suffix: str) -> QAbstractSpinBox:
        if kind == "euro":
            return euro_spin(0, maximum=100_000_000, step=5_000)
        if kind == "int":
            spin = QSpinBox()
            spin.setRange(0, 9999)
        else:
            spin = QDoubleSpinBox()
            spin.setLocale(DUTCH)
            spin.setDecimals(1)
            spin.setRange(0.0, 1000.0 if kind == "pct" else 999.0)
            spin.setSingleStep(0.5 if kind == "float" else 5.0)
        spin.setSuffix(suffix)
        return spin

    def _show(self, params: RuleParameters) -> None:
        for name, _label, kind, _suffix in FIELDS:
            value = getattr(params, name)
            spin = self.fields[name]
            spin.setValue(round(value / 100) if kind == "euro" else value)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, _label, kind, _suffix in FIELDS:
            value = self.fields[name].value()  # type: ignore[attr-defined]
            out[name] = int(value) * 100 if kind == "euro" else (
                int(value) if kind == "int" else float(value))
        return out

    def accept(self) -> None:
        """Check with the service; on a refusal show its message and stay open."""
        try:
            params = dataclasses.replace(self._original, **self.values()).validate()
        except ReviewError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return
        self.parameters = params
        super().accept()
