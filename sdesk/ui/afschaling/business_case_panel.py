"""Business case: what the reviews since a date brought, against the capacity spent on them.

The panel holds the inputs (since, fte, cost per fte) and shows a `BusinessCase` computed by
the page in the background: the totals, the outcomes, the figures per team and per employee,
and two charts (pyqtgraph, loaded when the first case is shown).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.text import decimal, euro, group_thousands, share
from sdesk.ui.afschaling.models import GroupTableModel, OutcomeTableModel
from sdesk.ui.afschaling.what_if_panel import ERROR_STYLE
from sdesk.ui.shell.tables import fit_columns, fit_columns_to_view, fit_height, make_table
from sdesk.ui.shell.widgets import DUTCH, date_edit, euro_spin, from_qdate, section_title

if TYPE_CHECKING:
    from sdesk.services.afschaling import BusinessCase
    from sdesk.ui.afschaling.charts import OutcomeChart, SavingChart

DEFAULT_FTE = 1.0
DEFAULT_COST_PER_FTE = 85_000  # euros a year
FIGURES = (("reviews", "Beoordelingen"), ("expected", "Verwachte besparing per jaar"),
           ("executed", "Uitgevoerd volgens de gegevens"),
           ("realised", "Gerealiseerde besparing"),
           ("realised_year", "Gerealiseerde besparing per jaar"),
           ("replacement", "Vervangende zorg (verrekend)"),
           ("reentry", "Herinstroom binnen 31 dagen / 12 maanden"),
           ("capacity", "Kosten van de capaciteit per jaar"),
           ("return", "Rendement op capaciteit"))


class BusinessCasePanel(QWidget):
    inputs_changed = Signal()  # since, fte or cost per fte

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outcome_chart: OutcomeChart | None = None
        self.saving_chart: SavingChart | None = None
        self.outcome_model = OutcomeTableModel(self)
        self.team_model = GroupTableModel(self)
        self.employee_model = GroupTableModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_inputs())
        layout.addLayout(self._build_body(), 1)
        for signal in (self.since_edit.dateChanged, self.fte_spin.valueChanged,
                       self.cost_spin.valueChanged):
            signal.connect(self._on_input)

    def _build_inputs(self) -> QHBoxLayout:
        self.since_edit = date_edit()
        self.since_edit.setToolTip("Beoordelingen vanaf deze datum tot en met de peildatum; "
                                   "standaard de laatste twaalf maanden")
        self.fte_spin = QDoubleSpinBox()
        self.fte_spin.setLocale(DUTCH)
        self.fte_spin.setDecimals(1)
        self.fte_spin.setRange(0.0, 1000.0)
        self.fte_spin.setSingleStep(0.5)
        self.fte_spin.setSuffix(" fte")
        self.fte_spin.setValue(DEFAULT_FTE)
        self.fte_spin.setToolTip("De capaciteit die aan beoordelen is besteed")
        self.cost_spin = euro_spin(DEFAULT_COST_PER_FTE, maximum=1_000_000, step=1_000)
        self.cost_spin.setToolTip("Loonkosten per fte per jaar")
        self.export_button = QPushButton("Exc&el…")
        self.may_export = True  # the page says when the role may not (and sets the tooltip)
        self.export_button.setToolTip("De business case (uitkomsten, per team, per "
                                      "medewerker en alle beoordelingen) als Excel-werkmap")
        inputs = QHBoxLayout()
        for text, widget in (("Beoordeeld &vanaf", self.since_edit),
                             ("&Capaciteit", self.fte_spin),
                             ("&Kosten per fte", self.cost_spin)):
            label = QLabel(text)
            label.setBuddy(widget)
            inputs.addWidget(label)
            inputs.addWidget(widget)
            inputs.addSpacing(8)
        inputs.addStretch(1)
        inputs.addWidget(self.export_button)
        return inputs

    def _build_body(self) -> QVBoxLayout:
        self.labels: dict[str, QLabel] = {}
        figures = QGridLayout()
        figures.setHorizontalSpacing(16)
        figures.setVerticalSpacing(2)
        for i, (key, text) in enumerate(FIGURES):
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bold = value.font()
            bold.setBold(True)
            value.setFont(bold)
            figures.addWidget(QLabel(text), i, 0)
            figures.addWidget(value, i, 1)
            self.labels[key] = value
        self.labels["executed"].setToolTip(
            "Een besluit telt als uitgevoerd als de gegevens het laten zien: beëindigd binnen "
            "31 dagen zonder declaraties daarna, of binnen 31 dagen een lager volume of "
            "tarief. Niet uitgevoerde besluiten leveren 0 op.")
        self.labels["realised"].setToolTip(
            "Werkelijke kosten per dag in de zes volle maanden voor het besluit × dagen tot "
            "de peildatum, de geplande einddatum of twaalf maanden, min wat de toewijzing en "
            "vervangende zorg daarna kostten; alleen uitgevoerde besluiten")
        self.labels["reentry"].setToolTip(
            "Nieuwe zorg binnen 31 dagen wordt verrekend als vervanging; nieuwe zorg later "
            "maar binnen twaalf maanden wordt gemeld, niet verrekend")
        self.labels["return"].setToolTip(
            "Gerealiseerde besparing per jaar gedeeld door de kosten van de capaciteit")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.outcome_view = make_table(self.outcome_model, sortable=False)
        self.team_view = make_table(self.team_model)
        self.employee_view = make_table(self.employee_model)
        self.chart_box = QWidget()
        self.chart_box.setMinimumHeight(170)
        self.chart_layout = QGridLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 4, 0, 0)
        self.chart_layout.setVerticalSpacing(2)
        self.chart_layout.addWidget(section_title("Beoordelingen per uitkomst"), 0, 0)
        self.chart_layout.addWidget(section_title("Besparing per jaar: verwacht en "
                                                  "gerealiseerd"), 0, 1)
        self.chart_layout.setColumnStretch(0, 3)
        self.chart_layout.setColumnStretch(1, 2)
        self.chart_layout.setRowStretch(1, 1)

        left = QVBoxLayout()
        left.addWidget(section_title("Totaal"))
        left.addLayout(figures)
        left.addWidget(self.message)
        left.addSpacing(6)
        left.addWidget(section_title("Uitkomsten"))
        left.addWidget(self.outcome_view)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(section_title("Per team"))
        right.addWidget(self.team_view, 2)
        right.addWidget(section_title("Per medewerker"))
        right.addWidget(self.employee_view, 3)
        top = QHBoxLayout()
        top.addLayout(left, 5)
        top.addSpacing(12)
        top.addLayout(right, 6)
        body = QVBoxLayout()
        body.addLayout(top, 3)
        body.addWidget(self.chart_box, 2)
        return body

    def inputs(self) -> tuple[date, float, int]:
        """Since, fte, and the cost per fte in cents."""
        return (from_qdate(self.since_edit.date()), self.fte_spin.value(),
                self.cost_spin.value() * 100)

    def show_refusal(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
        self.export_button.setEnabled(False)

    def show_case(self, case: BusinessCase) -> None:
        self.message.hide()
        self.export_button.setEnabled(self.may_export)
        ret = case.return_on_capacity
        texts = {
            "reviews": group_thousands(case.review_count),
            "expected": euro(case.expected_annual_saving_cents),
            "executed": (f"{group_thousands(case.executed_count)} uitgevoerd, "
                         f"{group_thousands(case.not_executed_count)} niet"),
            "realised": euro(case.realised_saving_cents),
            "replacement": euro(case.replacement_cost_cents),
            "reentry": f"{case.reentry_31d} / {case.reentry_12m}",
            "realised_year": euro(case.realised_saving_per_year_cents),
            "capacity": euro(case.capacity_cost_cents),
            "return": "–" if ret is None else decimal(ret, 2),
        }
        for key, text in texts.items():
            self.labels[key].setText(text)
        self.outcome_model.set_rows(case.outcomes)
        self.team_model.set_rows(case.by_team)
        self.employee_model.set_rows(case.by_employee)
        fit_columns(self.outcome_view)
        for view in (self.team_view, self.employee_view):
            fit_columns_to_view(view, [0])
        fit_height(self.outcome_view)
        outcome_chart, saving_chart = self._ensure_charts()
        outcome_chart.set_counts([o.label for o in case.outcomes],
                                 [o.count for o in case.outcomes],
                                 [f"{o.count} ({share(o.share, 0)})" for o in case.outcomes])
        saving_chart.set_savings(case.expected_annual_saving_cents,
                                 case.realised_saving_per_year_cents)

    def _ensure_charts(self) -> tuple[OutcomeChart, SavingChart]:
        if self.outcome_chart is None or self.saving_chart is None:
            from sdesk.ui.afschaling.charts import OutcomeChart, SavingChart  # pyqtgraph

            self.outcome_chart = OutcomeChart()
            self.saving_chart = SavingChart()
            self.chart_layout.addWidget(self.outcome_chart, 1, 0)
            self.chart_layout.addWidget(self.saving_chart, 1, 1)
        return self.outcome_chart, self.saving_chart

    def _on_input(self, *_args: Any) -> None:
        self.inputs_changed.emit()
