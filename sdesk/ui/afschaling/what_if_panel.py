"""Wat als…: a lighter product, a lower volume or an earlier end date for the selected
allocation, and what that does to the annual cost and the commitment.

The panel only collects the input and shows a result; the page computes `what_if` in the
background whenever `changed` fires (debounced) and hands the result back with `show_result`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.bounds import MAX_VOLUME
from sdesk.services.platform.text import euro, group_thousands, short_date
from sdesk.ui.shell.widgets import DUTCH, date_edit, from_qdate, section_title, to_qdate

if TYPE_CHECKING:
    from sdesk.services.afschaling import Candidate, LadderStep, WhatIf

ERROR_STYLE = "color: #c53030;"
MUTED_STYLE = "color: palette(dark);"


@dataclass(frozen=True)
class WhatIfInput:
    """What the what-if panel asks for; None: unchanged."""

    product_code: str | None
    volume: float | None
    end_date: date | None


class WhatIfPanel(QGroupBox):
    changed = Signal()  # an input changed: a result under way is for the old input

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Wat als…", parent)
        self.product_combo = QComboBox()
        self.product_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.product_combo.setMinimumContentsLength(18)
        self.volume_spin = QDoubleSpinBox()
        self.volume_spin.setLocale(DUTCH)
        self.volume_spin.setDecimals(2)
        # The same bound as the service and the import: a spin box that clamps silently would
        # compute a what-if for a volume nobody entered.
        self.volume_spin.setRange(0.0, float(MAX_VOLUME))
        self.volume_spin.setToolTip("De nieuwe omvang per eenheid en frequentie van de "
                                    "toewijzing; 0 kan niet, hooguit "
                                    f"{group_thousands(MAX_VOLUME)}")
        self.volume_now = QLabel()
        self.volume_now.setStyleSheet(MUTED_STYLE)
        volume_row = QHBoxLayout()
        volume_row.addWidget(self.volume_spin)
        volume_row.addWidget(self.volume_now, 1)
        self.end_check = QCheckBox("Einddat&um")
        self.end_edit = date_edit()
        self.end_edit.setEnabled(False)
        end_row = QHBoxLayout()
        end_row.addWidget(self.end_check)
        end_row.addWidget(self.end_edit)
        end_row.addStretch(1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        product_label = QLabel("Pro&duct")
        product_label.setBuddy(self.product_combo)
        volume_label = QLabel("&Omvang")
        volume_label.setBuddy(self.volume_spin)
        form.addRow(product_label, self.product_combo)
        form.addRow(volume_label, volume_row)
        form.addRow("Nieuwe", end_row)

        self.result_labels: dict[str, QLabel] = {}
        results = QGridLayout()
        results.setHorizontalSpacing(12)
        results.setVerticalSpacing(2)
        for column, text in enumerate(("", "Nu", "Daarna", "Besparing"), start=0):
            if text:
                header = section_title(text)
                header.setAlignment(Qt.AlignmentFlag.AlignRight)
                results.addWidget(header, 0, column)
        self.commitment_caption = QLabel("Verplichting")
        results.addWidget(QLabel("Jaarkosten"), 1, 0)
        results.addWidget(self.commitment_caption, 2, 0)
        for row, kind in ((1, "run_rate"), (2, "commitment")):
            for column, when in ((1, "before"), (2, "after"), (3, "saving")):
                label = QLabel()
                label.setAlignment(Qt.AlignmentFlag.AlignRight)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                results.addWidget(label, row, column)
                self.result_labels[f"{kind}_{when}"] = label
        results.setColumnStretch(0, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(results)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.product_combo.currentIndexChanged.connect(self._on_input)
        self.volume_spin.valueChanged.connect(self._on_input)
        self.end_check.toggled.connect(self._on_end_toggled)
        self.end_edit.dateChanged.connect(self._on_input)

    def fill(self, c: Candidate, steps: list[LadderStep], at: date) -> None:
        """The candidate's current values, and its proposal as the starting point."""
        widgets = (self.product_combo, self.volume_spin, self.end_check, self.end_edit)
        for w in widgets:
            w.blockSignals(True)
        self.product_combo.clear()
        now = c.product_code or "budget"
        self.product_combo.addItem(f"Ongewijzigd ({now})", None)
        for step in steps:
            label = f"{step.product_code} {step.label or ''}".strip()
            self.product_combo.addItem(f"{label} – {euro(step.tariff_cents)}",
                                       step.product_code)
        self.product_combo.setEnabled(self.product_combo.count() > 1)
        self.product_combo.setToolTip(
            "Lichtere producten van de productladder: dezelfde eenheid, een lager tarief"
            if self.product_combo.count() > 1 else
            "De productladder heeft geen lichter product met dezelfde eenheid")
        has_volume = c.volume is not None
        in_range = has_volume and (c.volume or 0.0) <= MAX_VOLUME
        self.volume_spin.setEnabled(in_range)
        self.volume_spin.setValue(c.volume or 0.0)
        self.volume_now.setText(
            "budget, geen omvang" if not has_volume else f"nu {c.omvang}" if in_range else
            f"nu {c.omvang}: groter dan {group_thousands(MAX_VOLUME)}, controleer de toewijzing")
        proposal = c.proposal
        if proposal.kind == "product" and proposal.product_code:
            self.product_combo.setCurrentIndex(
                max(self.product_combo.findData(proposal.product_code), 0))
        if proposal.kind == "volume" and proposal.volume is not None and has_volume:
            self.volume_spin.setValue(proposal.volume)
        default_end = proposal.end_date or (min(c.end, at) if c.end else at)
        self.end_check.setChecked(proposal.kind == "stop")
        self.end_edit.setEnabled(self.end_check.isChecked())
        self.end_edit.setDate(to_qdate(max(default_end, at)))
        for w in widgets:
            w.blockSignals(False)

    def clear(self) -> None:
        """No candidate: no results, no message."""
        self.clear_results()
        self.message.hide()
        self.volume_now.clear()

    def clear_results(self) -> None:
        for label in self.result_labels.values():
            label.clear()
        self.commitment_caption.setText("Verplichting")

    def what_if_input(self, c: Candidate | None) -> WhatIfInput:
        product = self.product_combo.currentData()
        volume: float | None = None
        if c is not None and c.volume is not None and self.volume_spin.isEnabled():
            value = self.volume_spin.value()
            if product or abs(value - c.volume) > 1e-9:
                volume = value
        end = from_qdate(self.end_edit.date()) if self.end_check.isChecked() else None
        return WhatIfInput(product, volume, end)

    def show_result(self, result: WhatIf | str) -> None:
        """The what-if's figures, or the service's refusal (a message)."""
        if isinstance(result, str):
            self.clear_results()
            self.message.setText(result)
            self.message.show()
            return
        self.message.hide()
        r = result
        values = {"run_rate_before": r.annual_run_rate_before_cents,
                  "run_rate_after": r.annual_run_rate_after_cents,
                  "run_rate_saving": r.annual_saving_cents,
                  "commitment_before": r.commitment_before_cents,
                  "commitment_after": r.commitment_after_cents,
                  "commitment_saving": r.commitment_saving_cents}
        for key, cents in values.items():
            self.result_labels[key].setText(euro(cents))
        self.commitment_caption.setText(f"Verplichting t/m {short_date(r.commitment_to)}")
        self.commitment_caption.setToolTip(
            f"Verplichting van {short_date(r.commitment_from)} tot en met "
            f"{short_date(r.commitment_to)}")

    def _on_input(self, *_args: Any) -> None:
        self.changed.emit()

    def _on_end_toggled(self, checked: bool) -> None:
        self.end_edit.setEnabled(checked)
        self.changed.emit()
