"""The selected allocation (what it is and why it is on the worklist) and the decision about it.

`CandidatePanel` explains the candidate and, once the page has opened it (review_history,
logged as a view), its earlier reviews; `DecisionPanel` collects the decision, its date and a
note, and says what recording it will do. The page records it (`record_decision`, in the
background) when `record_button` is clicked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import LAW_NAMES, euro, short_date
from sdesk.ui.afschaling.models import person_text, product_text
from sdesk.ui.afschaling.what_if_panel import ERROR_STYLE, MUTED_STYLE
from sdesk.ui.shell.widgets import date_edit

if TYPE_CHECKING:
    from sdesk.services.afschaling import Candidate, ReviewRow, WhatIf


class CandidatePanel(QGroupBox):
    """What the allocation is, and each rule that put it on the list with its explanation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Toewijzing", parent)
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        bold = self.title_label.font()
        bold.setBold(True)
        self.title_label.setFont(bold)
        self.details_label = QLabel()
        self.details_label.setWordWrap(True)
        self.details_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 4, 0)
        details_layout.addWidget(self.title_label)
        details_layout.addWidget(self.details_label)
        self.history_label = QLabel()
        self.history_label.setWordWrap(True)
        self.history_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        details_layout.addWidget(self.history_label)
        details_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(details)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 4, 2, 4)
        box.addWidget(scroll, 1)

    def show_history(self, rows: list[ReviewRow]) -> None:
        """The allocation's earlier reviews under its explanation (newest first)."""
        from sdesk.services.afschaling import decision_label

        if not rows:
            text = "Nog niet eerder beoordeeld."
        else:
            text = "Eerdere beoordelingen:<ul style='margin-left:-24px'>" + "".join(
                f"<li>{short_date(r.review_date)}: {_escape(decision_label(r.decision))}"
                + (f" ({_escape(r.employee)})" if r.employee else "")
                + (f" – {_escape(r.notes)}" if r.notes else "") + "</li>"
                for r in rows[:10]) + "</ul>"
        self.history_label.setText(text)

    def show_candidate(self, c: Candidate | None) -> None:
        self.history_label.setText("")
        if c is None:
            self.title_label.setText("Geen toewijzing gekozen")
            self.details_label.setText("Kies een toewijzing in de werklijst voor de uitleg, "
                                       "een berekening 'wat als' en het besluit.")
            self.details_label.setToolTip("")
            return
        self.title_label.setText(
            f"Toewijzing {c.toewijzingnummer} · {LAW_NAMES.get(c.law, c.law)} · "
            f"{c.person_name or person_text(c)}")
        lines = [f"{product_text(c)} · {c.omvang}",
                 f"{short_date(c.start)} – {short_date(c.end) or 'geen einddatum'} · "
                 f"{euro(c.annual_cost_cents)} per jaar",
                 f"Voorstel: {c.proposal.text}"]
        if c.employee:
            lines.append(f"Medewerker: {c.employee} ({c.team or 'geen team'})")
        if c.last_review_date:
            from sdesk.services.afschaling import decision_label

            lines.append(f"Laatste beoordeling {short_date(c.last_review_date)}: "
                         f"{decision_label(c.last_decision or '')}")
        rules = "".join(f"<li><b>{f.title}</b> ({euro(f.saving_cents)}): {f.explanation}</li>"
                        for f in c.fired)
        self.details_label.setText("<br>".join(_escape(x) for x in lines)
                                   + f"<ul style='margin-left:-24px'>{rules}</ul>")
        self.details_label.setToolTip("\n\n".join(f"{f.title}: {f.explanation}"
                                                  for f in c.fired))


class DecisionPanel(QGroupBox):
    """Besluit: the decision, its date (default the peildatum) and a note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Besluit", parent)
        from sdesk.services.afschaling import DECISION_LABELS

        self.decision_combo = QComboBox()
        for decision, label in DECISION_LABELS.items():
            self.decision_combo.addItem(label, decision)
        self.decision_combo.setCurrentIndex(self.decision_combo.findData("scale_down"))
        self.review_date_edit = date_edit()
        self.review_date_edit.setToolTip("De datum van de beoordeling; standaard de peildatum")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Toelichting: gesprek, afspraken, overwegingen…")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setMaximumHeight(64)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(MUTED_STYLE)
        self.record_button = QPushButton("Besluit &vastleggen")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        decision_label = QLabel("Bes&luit")
        decision_label.setBuddy(self.decision_combo)
        date_label = QLabel("D&atum")
        date_label.setBuddy(self.review_date_edit)
        notes_label = QLabel("&Notitie")
        notes_label.setBuddy(self.notes_edit)
        form.addRow(decision_label, self.decision_combo)
        form.addRow(date_label, self.review_date_edit)
        form.addRow(notes_label, self.notes_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignRight)

    def decision(self) -> str:
        return str(self.decision_combo.currentData())

    def show_refusal(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def update_hint(self, c: Candidate | None, what_if: WhatIf | None) -> None:
        """What recording the chosen decision will store, with the expected saving."""
        if c is None:
            self.hint.clear()
            return
        decision = self.decision_combo.currentData()
        if decision == "scale_down":
            saving = (f" Verwachte besparing {euro(what_if.annual_saving_cents)} per jaar."
                      if what_if is not None else "")
            text = ("Legt het lichtere product, de lagere omvang en een eventuele nieuwe "
                    "einddatum uit 'Wat als…' vast." + saving)
        elif decision == "continue":
            text = ("Zonder wijziging voortzetten; een nieuwe einddatum uit 'Wat als…' geldt "
                    "als verlenging.")
        else:
            text = (f"De gemeente stopt met betalen: verwachte besparing "
                    f"{euro(c.annual_cost_cents)} per jaar. Einddatum uit 'Wat als…', anders "
                    f"de beoordelingsdatum.")
        self.hint.setText(text)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
