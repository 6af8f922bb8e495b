"""Dialogs of the budget page: a manual forecast for a budget line, and its explanation.

They only collect input; the page writes it (set_manual_forecast / set_explanation) in the
background and reloads the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import cents_to_input, decimal, euro, parse_euro_cents

if TYPE_CHECKING:
    from sdesk.services.budget import BudgetRow

MAX_EXPLANATION = 4000


def _bold(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class ForecastDialog(QDialog):
    """Set or clear the manual forecast of one line. After `accepted`: `cleared` is True when
    the user chose to go back to the computed forecast, else `forecast_cents` holds the amount."""

    def __init__(self, row: BudgetRow, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.year = year
        self.forecast_cents: int | None = None
        self.cleared = False
        self.setWindowTitle("Prognose aanpassen")
        manual = row.prognose_source == "manual"
        self.amount_edit = QLineEdit(cents_to_input(row.prognose_cents))
        self.amount_edit.setPlaceholderText("bijvoorbeeld 1.250.000,00")
        self.amount_edit.selectAll()
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #c53030;")
        self.error_label.hide()
        form = QFormLayout()
        form.addRow("Begroting", QLabel(euro(row.begroting_cents)))
        form.addRow("Realisatie", QLabel(euro(row.realisatie_cents)))
        usage = decimal(row.uitnutting * 100, 1)
        if row.complete_through is None:  # no claims: nothing to compute from (#15)
            form.addRow("Berekende prognose", QLabel(
                f"{euro(row.computed_prognose_cents)} (geen declaraties: de begroting)"))
        else:
            form.addRow("Berekende prognose", QLabel(
                f"{euro(row.computed_prognose_cents)} (uitnutting {usage} %, waarvan "
                f"{euro(row.lag_estimate_cents)} nog te declareren)"))
        if manual:
            form.addRow("Huidige prognose", QLabel(f"{euro(row.prognose_cents)} (handmatig)"))
        form.addRow("Handmatige prognose (€)", self.amount_edit)
        note = QLabel("Een handmatige prognose vervangt de berekende en staat in de tabel en de "
                      "werkmap als 'handmatig'.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(dark);")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Opslaan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.clear_button = QPushButton("Berekende prognose gebruiken")
        self.clear_button.setToolTip("De handmatige prognose wissen")
        self.clear_button.setEnabled(manual)
        self.buttons.addButton(self.clear_button, QDialogButtonBox.ButtonRole.ResetRole)

        layout = QVBoxLayout(self)
        layout.addWidget(_bold(f"{row.post} ({year})"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        self.clear_button.clicked.connect(self._on_clear)

    def _on_save(self) -> None:
        try:
            cents = parse_euro_cents(self.amount_edit.text())
        except ValueError:
            cents = None
        if cents is None:
            self.error_label.setText("Vul een bedrag in euro's in, bijvoorbeeld 1.250.000,00.")
            self.error_label.show()
            self.amount_edit.setFocus()
            return
        self.forecast_cents = cents
        self.cleared = False
        self.accept()

    def _on_clear(self) -> None:
        self.forecast_cents = None
        self.cleared = True
        self.accept()


class ExplanationDialog(QDialog):
    """The explanation (toelichting) of a line's deviation; `text()` after `accepted`."""

    def __init__(self, row: BudgetRow, year: int, needs_explanation: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.year = year
        self.setWindowTitle("Toelichting")
        pct = row.afwijking_pct
        deviation = (f"Restant {euro(row.restant_cents)} ({row.v_n})"
                     + ("" if pct is None else f", afwijking {decimal(pct, 1)} %"))
        self.deviation_label = QLabel(deviation)
        self.reason_label = QLabel("De afwijking is groter dan de drempels: een toelichting is "
                                   "nodig." if needs_explanation else
                                   "Een toelichting is niet verplicht voor deze afwijking.")
        self.reason_label.setWordWrap(True)
        self.text_edit = QPlainTextEdit(row.explanation or "")
        self.text_edit.setPlaceholderText("Waarom wijkt de prognose af van de begroting?")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: palette(dark);")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Opslaan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")

        layout = QVBoxLayout(self)
        layout.addWidget(_bold(f"{row.post} ({year})"))
        layout.addWidget(self.deviation_label)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.buttons)
        self.resize(560, 340)

        self.text_edit.textChanged.connect(self._on_text_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._on_text_changed()

    def text(self) -> str:
        return self.text_edit.toPlainText().strip()

    def _on_text_changed(self) -> None:
        length = len(self.text_edit.toPlainText())
        self.count_label.setText(f"{length} van {MAX_EXPLANATION} tekens")
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            length <= MAX_EXPLANATION)
