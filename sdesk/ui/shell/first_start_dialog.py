"""Shown when the database file does not exist yet: demo municipality or empty database."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

StartChoice = Literal["demo", "empty"]


class FirstStartDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welkom bij sdesk")
        self.setMinimumWidth(520)

        heading = QLabel("Welkom bij sdesk")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)

        intro = QLabel(
            "Er is nog geen database. sdesk maakt er een aan op:\n"
            f"{db_path}\n\nHoe wilt u beginnen?")
        intro.setWordWrap(True)

        self.demo_radio = QRadioButton("Een demogemeente maken")
        demo_note = QLabel(
            "Een fictieve gemeente van ongeveer 30.000 inwoners met vijf jaar toewijzingen en "
            "declaraties, om sdesk te leren kennen. Dit duurt even.")
        self.empty_radio = QRadioButton("Beginnen met een lege database")
        empty_note = QLabel(
            "Daarna importeert u zelf gegevens via Bestand > Importeren (Ctrl+I).")
        for note in (demo_note, empty_note):
            note.setWordWrap(True)
            note.setContentsMargins(24, 0, 0, 6)
        self._group = QButtonGroup(self)
        self._group.addButton(self.demo_radio)
        self._group.addButton(self.empty_radio)
        self.demo_radio.setChecked(True)

        buttons = QDialogButtonBox()
        self.start_button = buttons.addButton("Starten", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton("Afsluiten", QDialogButtonBox.ButtonRole.RejectRole)
        self.start_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addWidget(self.demo_radio)
        layout.addWidget(demo_note)
        layout.addWidget(self.empty_radio)
        layout.addWidget(empty_note)
        layout.addSpacing(6)
        layout.addWidget(buttons)

    @property
    def choice(self) -> StartChoice:
        return "demo" if self.demo_radio.isChecked() else "empty"
