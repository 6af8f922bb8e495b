"""Every export states its purpose, which goes into the audit log (DESIGN section 8)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

SUGGESTIONS = ("Casusoverleg", "Kwartaalrapportage", "Rapportage aan de raad",
               "Verantwoording aan de financier", "Eigen analyse")


class PurposeDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, offer_internal: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Doel van de export")
        self.purpose = QComboBox()
        self.purpose.setEditable(True)
        self.purpose.addItems(SUGGESTIONS)
        self.purpose.setCurrentText("")
        self.purpose.lineEdit().setPlaceholderText("Waarvoor is deze export?")
        self.internal = QCheckBox("Intern gebruik: kleine aantallen (<10) niet afschermen")
        self.internal.setVisible(offer_internal)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Exporteren")
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.purpose.currentTextChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        note = QLabel("Het doel wordt met uw naam, de tijd en het aantal regels vastgelegd in "
                      "de auditlog.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(self.purpose)
        layout.addWidget(self.internal)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


def ask_purpose(parent: QWidget | None, offer_internal: bool = False
                ) -> tuple[str, bool] | None:
    """(purpose, internal) or None when the user cancelled."""
    dialog = PurposeDialog(parent, offer_internal)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.purpose.currentText().strip(), dialog.internal.isChecked()
