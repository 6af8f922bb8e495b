"""Import/Export: the way data gets in (and, later, out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sdesk.services.exchange import FILES

if TYPE_CHECKING:
    from sqlalchemy import Engine

_INTRO = (
    "Gegevens komen in sdesk via het uitwisselformaat: een map met CSV-bestanden of één "
    "Excel-werkmap met tabbladen met dezelfde namen. Kolomnamen zijn niet hoofdlettergevoelig; "
    "scheidingsteken ; of , en decimale komma of punt worden herkend. Een import is alles of "
    "niets en dezelfde rijen opnieuw importeren werkt ze bij zonder dubbelingen; u ziet per "
    "bestand wat nieuw, gewijzigd of ongewijzigd is. Een volledige verversing meldt ook de rijen "
    "die niet meer in de bestanden staan (sdesk verwijdert niets). Onmogelijke bedragen, "
    "volumes en datums en te grote bestanden worden geweigerd, met bestand en regel."
)


class ImportPage(QWidget):
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_ui()
        self.import_button.clicked.connect(self.import_requested)
        self.set_engine_available(False)

    def _build_ui(self) -> None:
        heading = QLabel("Import en export")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)

        intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        intro.setMaximumWidth(720)

        files = QLabel(self._file_overview())
        files.setTextFormat(Qt.TextFormat.RichText)
        files.setWordWrap(True)
        files.setMaximumWidth(720)

        self.import_button = QPushButton("Importeren…")
        self.import_button.setToolTip("Ctrl+I")
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addStretch(1)

        self.last_result_label = QLabel()
        self.last_result_label.setWordWrap(True)

        export_note = QLabel("Exporteren naar Excel volgt in een latere versie.")
        export_note.setStyleSheet("color: palette(mid);")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(heading)
        layout.addSpacing(8)
        layout.addWidget(intro)
        layout.addSpacing(8)
        layout.addWidget(files)
        layout.addSpacing(12)
        layout.addLayout(row)
        layout.addWidget(self.last_result_label)
        layout.addStretch(1)
        layout.addWidget(export_note)

    @staticmethod
    def _file_overview() -> str:
        rows = "".join(
            f"<tr><td><b>{spec.name}</b>&nbsp;&nbsp;</td><td>{', '.join(spec.required)}</td></tr>"
            for spec in FILES)
        return ("<p>Bestanden en hun verplichte kolommen:</p>"
                f"<table cellspacing='2'>{rows}</table>")

    def set_engine(self, engine: Engine | None) -> None:
        self.set_engine_available(engine is not None)

    def mark_dirty(self) -> None:
        """Nothing here shows data."""

    def shut_down(self) -> None:
        """No background work: the import runs in its dialog."""

    def set_engine_available(self, available: bool) -> None:
        self.import_button.setEnabled(available)

    def show_last_result(self, text: str) -> None:
        self.last_result_label.setText(text)
