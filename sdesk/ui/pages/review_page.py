"""Afschaling: the klantmanager's worklist of running allocations that may be scaled down,
a what-if for the selected candidate, recording the decision, and the business case.

The worklist is `afschaling.worklist` (rules and savings in afschaling.rules), the
what-if `reviews.what_if` (recomputed in the background, debounced, while the inputs change),
decisions `reviews.record_decision` and the business case `reviews.business_case`. Everything
runs off the GUI thread; a result that arrives after the inputs changed again is dropped.
Exports (both workbooks) ask their purpose and are recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import (
    LAW_NAMES,
    LAW_SHORT,
    decimal,
    euro,
    group_thousands,
    share,
    short_date,
)
from sdesk.ui.table_models import Column, RowTableModel
from sdesk.ui.tables import fit_columns, fit_columns_to_view, fit_height, make_table
from sdesk.ui.widgets import (
    DUTCH,
    busy_indicator,
    date_edit,
    euro_spin,
    from_qdate,
    page_heading,
    section_title,
    show_failure,
    status_line,
    to_qdate,
)
from sdesk.ui.workers import Task, TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.afschaling import (
        BusinessCase,
        Candidate,
        GroupResult,
        LadderStep,
        OutcomeCount,
        RuleParameters,
        WhatIf,
        Worklist,
    )
    from sdesk.ui.review_charts import OutcomeChart, SavingChart

AnyIndex = QModelIndex | QPersistentModelIndex
TAB_WORKLIST, TAB_CASE = range(2)
DEFAULT_FTE = 1.0
DEFAULT_COST_PER_FTE = 85_000  # euros a year
_ERROR_STYLE = "color: #c53030;"
_MUTED_STYLE = "color: palette(dark);"


def rule_title(rule_id: str) -> str:
    from sdesk.services.afschaling import RULES_BY_ID

    rule = RULES_BY_ID.get(rule_id)
    return rule.title if rule else rule_id


def person_text(c: Candidate) -> str:
    """BSN for roles that see identity, else the pseudonym the service gives."""
    return c.bsn or c.person


def product_text(c: Candidate) -> str:
    if c.product_code:
        return f"{c.product_code} {c.product_description or ''}".strip()
    return f"Budget – {c.category_label or c.category}"


def rules_text(c: Candidate) -> str:
    return ", ".join(rule_title(r) for r in c.rules)


class _CandidateRows(Sequence["Candidate"]):
    """The worklist's rows in display order (`order`: frame row numbers), each built as a
    Candidate only when asked: a table shows a few dozen of tens of thousands, and building
    them all took seconds on the GUI thread."""

    def __init__(self, wl: Worklist, order: np.ndarray,
                 built: dict[int, Candidate] | None = None) -> None:
        self.wl = wl
        self.order = order
        self._built = {} if built is None else built

    def __len__(self) -> int:
        return len(self.order)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        index = int(self.order[i])
        found = self._built.get(index)
        if found is None:
            found = self._built[index] = self.wl.candidate(index)
        return found

    def reordered(self, order: np.ndarray) -> _CandidateRows:
        return _CandidateRows(self.wl, order, self._built)


class CandidateTableModel(RowTableModel["Candidate"]):
    (COL_PERSON, COL_LAW, COL_PRODUCT, COL_PROVIDER, COL_COST, COL_RULES, COL_PROPOSAL,
     COL_SAVING) = range(8)
    width_caps: ClassVar[dict[int, int]] = {2: 220, 3: 220, 5: 240, 6: 320}
    columns: ClassVar[Sequence[Column[Candidate]]] = (
        Column("Cliënt", person_text, header_tooltip="BSN, of het pseudoniem voor rollen die "
                                                     "geen persoonsgegevens zien"),
        Column("Wet", lambda c: LAW_SHORT.get(c.law, c.law)),
        Column("Product", product_text),
        Column("Aanbieder", lambda c: c.provider or ""),
        Column("Jaarbedrag", lambda c: euro(c.annual_cost_cents),
               lambda c: c.annual_cost_cents, numeric=True,
               header_tooltip="Jaarkosten bij het huidige tempo (dagtarief × 365)"),
        Column("Regels", rules_text, header_tooltip="Waarom de toewijzing op de lijst staat; "
                                                    "wijs een regel aan voor de uitleg"),
        Column("Voorgestelde afschaling", lambda c: c.proposal.text),
        Column("Verwachte besparing", lambda c: euro(c.expected_saving_cents),
               lambda c: c.expected_saving_cents, numeric=True,
               header_tooltip="Per jaar: het hoogste bedrag van de regels die gelden"),
    )

    def set_worklist(self, wl: Worklist) -> None:
        """Show the worklist in its own order (expected saving, highest first)."""
        self.beginResetModel()
        self._rows = _CandidateRows(wl, np.arange(len(wl)))  # type: ignore[assignment]
        self.endResetModel()

    def find(self, toewijzingnummer: str, law: str | None = None) -> int | None:
        """The table row of the allocation, or None."""
        rows = self._rows
        if not isinstance(rows, _CandidateRows):
            return next((n for n, c in enumerate(rows) if c.toewijzingnummer == toewijzingnummer
                         and (law is None or c.law == law)), None)
        index = rows.wl.find(toewijzingnummer, law)
        found = np.flatnonzero(rows.order == index) if index is not None else []
        return int(found[0]) if len(found) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on keys computed from the worklist's columns, without building a Candidate
        per row; the same keys as the columns' sort_key (a test holds them together)."""
        rows = self._rows
        if not isinstance(rows, _CandidateRows) or not 0 <= column < len(self.columns):
            super().sort(column, order)
            return
        keys = self.sort_keys(rows.wl, column)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(int(rows.order[i.row()]), i.column()) for i in persistent]
        # Python's sort is stable for reverse=True too: ties keep their order on screen, so
        # sorting by one column and then another groups by both.
        ranked = np.asarray(sorted(rows.order.tolist(), key=keys.__getitem__,
                                   reverse=order == Qt.SortOrder.DescendingOrder),
                            dtype=np.int64)
        self._rows = rows.reordered(ranked)  # type: ignore[assignment]
        position = np.empty(len(ranked), dtype=np.int64)
        position[ranked] = np.arange(len(ranked))
        self.changePersistentIndexList(
            persistent, [self.index(int(position[n]), col) for n, col in before])
        self.layoutChanged.emit()

    @classmethod
    def sort_keys(cls, wl: Worklist, column: int) -> list[Any]:
        """Per worklist row (frame order): the sort key of the column."""
        f = wl.frame

        def text(name: str) -> np.ndarray:
            values = f[name].to_numpy(dtype=object)
            return np.where(pd.notna(values), values, "")

        if column == cls.COL_COST:
            return f["annual_cost_cents"].tolist()
        if column == cls.COL_SAVING:
            return f["expected_saving_cents"].tolist()
        if column == cls.COL_PERSON:
            bsn = text("bsn")
            keys = np.where(bsn != "", bsn, text("person"))
        elif column == cls.COL_LAW:
            keys = np.asarray([LAW_SHORT.get(law, law) for law in text("law")], dtype=object)
        elif column == cls.COL_PRODUCT:
            keys = np.asarray(
                [f"{code} {description}".strip() if code else
                 f"Budget – {label or category}" for code, description, label, category in
                 zip(text("product_code"), text("product_description"),
                     text("category_label"), text("category"), strict=True)], dtype=object)
        elif column == cls.COL_PROVIDER:
            keys = text("provider")
        elif column == cls.COL_RULES:
            rules = text("rules")
            titles = {r: ", ".join(rule_title(x) for x in r.split(",") if x)
                      for r in set(rules.tolist())}
            keys = np.asarray([titles[r] for r in rules], dtype=object)
        else:  # COL_PROPOSAL
            keys = text("proposal")
        return [k.casefold() for k in keys.tolist()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and index.column() == self.COL_RULES):
            c = self._rows[index.row()]
            return "\n\n".join(f"{f.title}: {f.explanation}" for f in c.fired)
        return super().data(index, role)

    def tooltip(self, row: Candidate) -> str | None:
        parts = [f"Toewijzing {row.toewijzingnummer} ({LAW_NAMES.get(row.law, row.law)})"]
        if row.person_name:
            parts.append(row.person_name)
        if row.employee:
            parts.append(f"Medewerker: {row.employee} ({row.team or 'geen team'})")
        return "\n".join(parts)


class OutcomeTableModel(RowTableModel["OutcomeCount"]):
    columns: ClassVar[Sequence[Column[OutcomeCount]]] = (
        Column("Uitkomst", lambda o: o.label),
        Column("Aantal", lambda o: group_thousands(o.count), lambda o: o.count, numeric=True),
        Column("Aandeel", lambda o: share(o.share),
               lambda o: -1.0 if o.share is None else o.share, numeric=True),
    )


class GroupTableModel(RowTableModel["GroupResult"]):
    columns: ClassVar[Sequence[Column[GroupResult]]] = (
        Column("Naam", lambda g: g.name),
        Column("Beoordelingen", lambda g: group_thousands(g.reviews), lambda g: g.reviews,
               numeric=True),
        Column("Verwacht p.j.", lambda g: euro(g.expected_annual_saving_cents),
               lambda g: g.expected_annual_saving_cents, numeric=True,
               header_tooltip="Verwachte besparing per jaar (bij het besluit)"),
        Column("Gerealiseerd", lambda g: euro(g.realised_saving_cents),
               lambda g: g.realised_saving_cents, numeric=True,
               header_tooltip="Besparing sinds de beoordeling tot de peildatum"),
        Column("Gerealiseerd p.j.", lambda g: euro(g.realised_saving_per_year_cents),
               lambda g: g.realised_saving_per_year_cents, numeric=True,
               header_tooltip="Gerealiseerde besparing omgerekend naar een jaar"),
    )
    width_caps: ClassVar[dict[int, int]] = {0: 200}


@dataclass(frozen=True)
class WhatIfInput:
    """What the what-if panel asks for; None: unchanged."""

    product_code: str | None
    volume: float | None
    end_date: date | None


class ReviewPage(QWidget):
    worklist_loaded = Signal(object)  # Worklist
    what_if_shown = Signal(object)  # WhatIf, or the refusal message (str)
    decision_recorded = Signal(int)  # review id, after the worklist was reloaded
    decision_refused = Signal(str)
    case_loaded = Signal(object)  # BusinessCase
    workbook_written = Signal(str)
    failed = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._dirty = True
        self._case_dirty = True
        self._staff_loaded = False
        self._data_end: date | None = None
        self._tasks: set[Task] = set()
        self._generation = 0
        self._what_if_generation = 0
        self._case_generation = 0
        self._splitter_sized = False
        self._restoring = False
        self.params: RuleParameters | None = None
        self.worklist: Worklist | None = None
        self.candidate: Candidate | None = None
        self.last_what_if: WhatIf | None = None
        self.case: BusinessCase | None = None
        self.outcome_chart: OutcomeChart | None = None
        self.saving_chart: SavingChart | None = None
        self.model = CandidateTableModel(self)
        self.outcome_model = OutcomeTableModel(self)
        self.team_model = GroupTableModel(self)
        self.employee_model = GroupTableModel(self)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._what_if_timer = QTimer(self)
        self._what_if_timer.setSingleShot(True)
        self._what_if_timer.setInterval(250)
        self._case_timer = QTimer(self)
        self._case_timer.setSingleShot(True)
        self._case_timer.setInterval(300)
        self._build_ui()
        self._connect_signals()
        self._show_candidate(None)
        self.setEnabled(False)

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        heading = page_heading("Afschaling")
        self.busy_bar = busy_indicator()
        self.status_label = status_line(_MUTED_STYLE)
        self.at_edit = date_edit()
        self.at_edit.setToolTip("De toewijzingen die op deze dag lopen; standaard de laatste "
                                "dag met gegevens")
        at_label = QLabel("&Peildatum")
        at_label.setBuddy(self.at_edit)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addSpacing(12)
        top.addWidget(self.busy_bar)
        top.addWidget(self.status_label, 1)
        top.addWidget(at_label)
        top.addWidget(self.at_edit)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_worklist_tab(), "&Werklijst")
        self.tabs.addTab(self._build_case_tab(), "Business ca&se")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)

    def _build_worklist_tab(self) -> QWidget:
        self.team_combo = QComboBox()
        self.team_combo.addItem("Alle teams", None)
        self.employee_combo = QComboBox()
        self.employee_combo.addItem("Alle medewerkers", None)
        self.employee_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.employee_combo.setMinimumContentsLength(16)
        self.law_combo = QComboBox()
        self.law_combo.addItem("Alle wetten", None)
        for law, name in LAW_NAMES.items():
            self.law_combo.addItem(name, law)
        self.rule_combo = QComboBox()
        self.rule_combo.addItem("Alle regels", None)
        from sdesk.services.afschaling import RULES

        for rule in RULES:
            self.rule_combo.addItem(rule.title, rule.id)
        self.rules_button = QPushButton("Regels &instellen…")
        self.rules_button.setToolTip("De drempels en vensters van de regels aanpassen")
        self.worklist_export_button = QPushButton("E&xcel…")
        self.worklist_export_button.setToolTip("De werklijst (met de uitleg van de regels) als "
                                               "Excel-werkmap")
        filters = QHBoxLayout()
        for text, combo in (("&Team", self.team_combo), ("&Medewerker", self.employee_combo),
                            ("W&et", self.law_combo), ("&Regel", self.rule_combo)):
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo)
            filters.addSpacing(6)
        filters.addStretch(1)
        filters.addWidget(self.rules_button)
        filters.addWidget(self.worklist_export_button)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)

        self.view = make_table(self.model)
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setAccessibleName("Werklijst afschaling")
        # Column widths from the first few hundred rows, not a thousand: each row measured is
        # a Candidate built (the widths are capped anyway).
        self.view.horizontalHeader().setResizeContentsPrecision(200)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self._build_detail())
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(filters)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.splitter, 1)
        return tab

    def _build_detail(self) -> QWidget:
        # The candidate: what it is and why it is on the list.
        self.candidate_box = QGroupBox("Toewijzing")
        self.candidate_title = QLabel()
        self.candidate_title.setWordWrap(True)
        bold = self.candidate_title.font()
        bold.setBold(True)
        self.candidate_title.setFont(bold)
        self.candidate_details = QLabel()
        self.candidate_details.setWordWrap(True)
        self.candidate_details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.candidate_details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 4, 0)
        details_layout.addWidget(self.candidate_title)
        details_layout.addWidget(self.candidate_details)
        details_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(details)
        box = QVBoxLayout(self.candidate_box)
        box.setContentsMargins(6, 4, 2, 4)
        box.addWidget(scroll, 1)

        # What if: a lighter product, a lower volume, an earlier end date.
        self.what_if_box = QGroupBox("Wat als…")
        self.product_combo = QComboBox()
        self.product_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.product_combo.setMinimumContentsLength(18)
        self.volume_spin = QDoubleSpinBox()
        self.volume_spin.setLocale(DUTCH)
        self.volume_spin.setDecimals(2)
        self.volume_spin.setRange(0.0, 1_000_000.0)
        self.volume_spin.setToolTip("De nieuwe omvang per eenheid en frequentie van de "
                                    "toewijzing; 0 kan niet")
        self.volume_now = QLabel()
        self.volume_now.setStyleSheet(_MUTED_STYLE)
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
        self.what_if_message = QLabel()
        self.what_if_message.setWordWrap(True)
        self.what_if_message.setStyleSheet(_ERROR_STYLE)
        self.what_if_message.hide()
        wbox = QVBoxLayout(self.what_if_box)
        wbox.addLayout(form)
        wbox.addLayout(results)
        wbox.addWidget(self.what_if_message)
        wbox.addStretch(1)

        # The decision.
        self.decision_box = QGroupBox("Besluit")
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
        self.decision_hint = QLabel()
        self.decision_hint.setWordWrap(True)
        self.decision_hint.setStyleSheet(_MUTED_STYLE)
        self.record_button = QPushButton("Besluit &vastleggen")
        self.decision_message = QLabel()
        self.decision_message.setWordWrap(True)
        self.decision_message.setStyleSheet(_ERROR_STYLE)
        self.decision_message.hide()
        dform = QFormLayout()
        dform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        decision_label = QLabel("Bes&luit")
        decision_label.setBuddy(self.decision_combo)
        date_label = QLabel("D&atum")
        date_label.setBuddy(self.review_date_edit)
        notes_label = QLabel("&Notitie")
        notes_label.setBuddy(self.notes_edit)
        dform.addRow(decision_label, self.decision_combo)
        dform.addRow(date_label, self.review_date_edit)
        dform.addRow(notes_label, self.notes_edit)
        dbox = QVBoxLayout(self.decision_box)
        dbox.addLayout(dform)
        dbox.addWidget(self.decision_hint)
        dbox.addWidget(self.decision_message)
        dbox.addStretch(1)
        dbox.addWidget(self.record_button, 0, Qt.AlignmentFlag.AlignRight)

        detail = QWidget()
        row = QHBoxLayout(detail)
        row.setContentsMargins(0, 4, 0, 0)
        row.addWidget(self.candidate_box, 4)
        row.addWidget(self.what_if_box, 5)
        row.addWidget(self.decision_box, 4)
        return detail

    def _build_case_tab(self) -> QWidget:
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
        self.case_export_button = QPushButton("Exc&el…")
        self.case_export_button.setToolTip("De business case (uitkomsten, per team, per "
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
        inputs.addWidget(self.case_export_button)

        self.case_labels: dict[str, QLabel] = {}
        figures = QGridLayout()
        figures.setHorizontalSpacing(16)
        figures.setVerticalSpacing(2)
        names = (("reviews", "Beoordelingen"), ("expected", "Verwachte besparing per jaar"),
                 ("realised", "Gerealiseerde besparing"),
                 ("realised_year", "Gerealiseerde besparing per jaar"),
                 ("capacity", "Kosten van de capaciteit per jaar"),
                 ("return", "Rendement op capaciteit"))
        for i, (key, text) in enumerate(names):
            value = QLabel()
            value.setAlignment(Qt.AlignmentFlag.AlignRight)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            bold = value.font()
            bold.setBold(True)
            value.setFont(bold)
            figures.addWidget(QLabel(text), i, 0)
            figures.addWidget(value, i, 1)
            self.case_labels[key] = value
        self.case_labels["return"].setToolTip(
            "Gerealiseerde besparing per jaar gedeeld door de kosten van de capaciteit")
        self.case_message = QLabel()
        self.case_message.setWordWrap(True)
        self.case_message.setStyleSheet(_ERROR_STYLE)
        self.case_message.hide()

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
        left.addWidget(self.case_message)
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

        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(inputs)
        layout.addLayout(body, 1)
        return tab

    def _connect_signals(self) -> None:
        self.at_edit.dateChanged.connect(self._on_at_changed)
        for combo in (self.team_combo, self.employee_combo, self.law_combo, self.rule_combo):
            combo.currentIndexChanged.connect(lambda _i: self._debounce.start())
        self._debounce.timeout.connect(self.load_worklist)
        self.rules_button.clicked.connect(self.edit_rules)
        self.worklist_export_button.clicked.connect(self.export_worklist)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.product_combo.currentIndexChanged.connect(self._on_what_if_input)
        self.volume_spin.valueChanged.connect(self._on_what_if_input)
        self.end_check.toggled.connect(self._on_end_toggled)
        self.end_edit.dateChanged.connect(self._on_what_if_input)
        self._what_if_timer.timeout.connect(self.run_what_if)
        self.decision_combo.currentIndexChanged.connect(lambda _i: self._update_decision())
        self.record_button.clicked.connect(self.record)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.since_edit.dateChanged.connect(lambda _d: self._case_timer.start())
        self.fte_spin.valueChanged.connect(lambda _v: self._case_timer.start())
        self.cost_spin.valueChanged.connect(lambda _v: self._case_timer.start())
        self._case_timer.timeout.connect(self.load_case)
        self.case_export_button.clicked.connect(self.export_case)

    # -- public -----------------------------------------------------------------------------

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self._data_end = None
        self._staff_loaded = False
        self.setEnabled(engine is not None)
        self.mark_dirty()

    def mark_dirty(self) -> None:
        self._dirty = True
        self._staff_loaded = False  # an import may bring staff and a new last day with data
        self._case_dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        """The last day with data and the staff pickers once, then the worklist."""
        if self._engine is None:
            return
        self._dirty = False
        if self._data_end is not None and self._staff_loaded:
            self.load_worklist()
            if self.tabs.currentIndex() == TAB_CASE:
                self.load_case()
            return
        engine = self._engine

        def op(_state: TaskState) -> tuple[date, list[Any], list[str]]:
            from sdesk.services.afschaling import default_peildatum
            from sdesk.services.platform.users import list_employees, list_teams

            data_end = default_peildatum(engine)
            return data_end, list_employees(engine, "klantmanager"), list_teams(engine)

        self._generation += 1
        generation = self._generation

        def deliver(result: tuple[date, list[Any], list[str]]) -> None:
            if generation != self._generation:
                return
            data_end, employees, teams = result
            # The peildatum follows the data (after an import too) until the user picks one.
            following = self._data_end is None or self.at() == self._data_end
            self._data_end = data_end
            self._staff_loaded = True
            self._fill_staff(employees, teams)
            if following:
                self._set_date(self.at_edit, data_end)
                self._set_date(self.review_date_edit, data_end)
                from sdesk.services.platform.periods import last_twelve_months

                self._set_date(self.since_edit, last_twelve_months(data_end)[0])
            self.load_worklist()
            if self.tabs.currentIndex() == TAB_CASE:
                self.load_case()

        self._set_status("Gegevens laden…")
        self._start(op, deliver, self._failure(generation, "Werklijst niet geladen"))

    def at(self) -> date:
        return from_qdate(self.at_edit.date())

    def set_at(self, at: date) -> None:
        self._set_date(self.at_edit, at)
        self._set_date(self.review_date_edit, at)
        self._case_dirty = True
        self.load_worklist()

    def set_filter(self, combo: QComboBox, value: str | None) -> None:
        """Choose a filter value (the combo's data) and load at once."""
        combo.blockSignals(True)
        combo.setCurrentIndex(max(combo.findData(value), 0))
        combo.blockSignals(False)
        self.load_worklist()

    def filters(self) -> dict[str, str | None]:
        return {"law": self.law_combo.currentData(), "team": self.team_combo.currentData(),
                "employee": self.employee_combo.currentData(),
                "rule": self.rule_combo.currentData()}

    def load_worklist(self, after: Any = None) -> None:
        if self._engine is None or self._data_end is None:
            return
        self._debounce.stop()
        engine, actor, at, params = self._engine, self._actor, self.at(), self.params
        filters = self.filters()

        def op(_state: TaskState) -> Worklist:
            from sdesk.services.afschaling import worklist

            return worklist(engine, actor, at, params, **filters)

        self._generation += 1
        generation = self._generation

        def deliver(wl: Worklist) -> None:
            if generation != self._generation:
                return
            self._show_worklist(wl)
            if after is not None:
                after()

        self._set_status("Werklijst berekenen…")
        self._start(op, deliver, self._failure(generation, "Werklijst niet berekend"))

    def selected_candidate(self) -> Candidate | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_candidate(self, toewijzingnummer: str, law: str | None = None) -> bool:
        n = self.model.find(toewijzingnummer, law)
        if n is None:
            return False
        self.view.selectRow(n)
        self.view.scrollTo(self.model.index(n, 0))
        return True

    def product_options(self, c: Candidate) -> list[LadderStep]:
        """Lighter rungs of the candidate's product ladder: same unit, a lower tariff."""
        if c.volume is None or self.worklist is None:
            return []
        steps = self.worklist.ladder.get((c.law, c.category), ())
        tariff = self._tariff(c)
        return [s for s in steps if s.product_code != c.product_code
                and (s.unit is None or c.unit is None or s.unit == c.unit)
                and (tariff is None or s.tariff_cents < tariff)]

    def what_if_input(self) -> WhatIfInput:
        c = self.candidate
        product = self.product_combo.currentData()
        volume: float | None = None
        if c is not None and c.volume is not None:
            value = self.volume_spin.value()
            if product or abs(value - c.volume) > 1e-9:
                volume = value
        end = from_qdate(self.end_edit.date()) if self.end_check.isChecked() else None
        return WhatIfInput(product, volume, end)

    def run_what_if(self) -> None:
        """Recompute the what-if for the selected candidate (in the background)."""
        self._what_if_timer.stop()
        c, wl = self.candidate, self.worklist
        if c is None or wl is None or self._engine is None:
            return
        engine, actor, at, change = self._engine, self._actor, wl.at, self.what_if_input()

        def op(_state: TaskState) -> WhatIf | str:
            from sdesk.services.afschaling import ReviewError, what_if

            try:
                return what_if(engine, actor, c.toewijzingnummer, c.law, at,
                               change.product_code, change.volume, change.end_date)
            except ReviewError as exc:
                return str(exc)

        self._what_if_generation += 1
        generation = self._what_if_generation

        def deliver(result: WhatIf | str) -> None:
            if generation == self._what_if_generation:
                self._show_what_if(result)

        def fail(exc: BaseException) -> None:
            if generation == self._what_if_generation:
                self._show_what_if(str(exc))

        self._start(op, deliver, fail)

    def record(self) -> None:
        """Record the chosen decision with the what-if values; then reload the worklist."""
        c, wl = self.candidate, self.worklist
        if c is None or wl is None or self._engine is None:
            return
        engine, actor = self._engine, self._actor
        decision = self.decision_combo.currentData()
        review_date = from_qdate(self.review_date_edit.date())
        notes = self.notes_edit.toPlainText().strip() or None
        change = self.what_if_input()
        kwargs: dict[str, Any] = {"new_end_date": change.end_date}
        if decision == "scale_down":
            kwargs.update(new_product_code=change.product_code, new_volume=change.volume)

        def op(_state: TaskState) -> int | str:
            from sdesk.services.afschaling import ReviewError, record_decision

            try:
                return record_decision(engine, actor, c.toewijzingnummer, c.law, decision,
                                       review_date, c.rules, notes=notes, **kwargs)
            except ReviewError as exc:
                return str(exc)

        def deliver(result: int | str) -> None:
            self.record_button.setEnabled(self.candidate is not None)
            if isinstance(result, str):
                self.decision_message.setText(result)
                self.decision_message.show()
                self._set_status("Besluit niet vastgelegd.")
                self.decision_refused.emit(result)
                return
            from sdesk.services.afschaling import decision_label

            self.notes_edit.clear()
            self._case_dirty = True
            message = (f"Besluit vastgelegd: {decision_label(decision)} voor toewijzing "
                       f"{c.toewijzingnummer}.")
            self.load_worklist(after=lambda: (self._set_status(message),
                                              self.decision_recorded.emit(result)))

        def fail(exc: BaseException) -> None:
            self.record_button.setEnabled(self.candidate is not None)
            self._set_status("Besluit niet vastgelegd.")
            show_failure(self, "Besluit", exc)
            self.failed.emit(str(exc))

        self.decision_message.hide()
        self.record_button.setEnabled(False)
        self._set_status("Besluit vastleggen…")
        self._start(op, deliver, fail)

    def edit_rules(self) -> Any:
        from sdesk.services.afschaling import RuleParameters
        from sdesk.ui.dialogs.review_rules_dialog import RuleParametersDialog

        dialog = RuleParametersDialog(self.params or RuleParameters(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_parameters(dialog.parameters))
        self.rules_dialog = dialog
        dialog.open()
        return dialog

    def set_parameters(self, params: RuleParameters) -> None:
        self.params = params.validate()
        self.load_worklist()

    def load_case(self) -> None:
        if self._engine is None or self._data_end is None:
            return
        self._case_timer.stop()
        self._case_dirty = False
        engine, at = self._engine, self.at()
        since = from_qdate(self.since_edit.date())
        fte, cost = self.fte_spin.value(), self.cost_spin.value() * 100

        def op(_state: TaskState) -> BusinessCase | str:
            from sdesk.services.afschaling import ReviewError, business_case

            try:
                return business_case(engine, at, fte, cost, since=since)
            except ReviewError as exc:
                return str(exc)

        self._case_generation += 1
        generation = self._case_generation

        def deliver(result: BusinessCase | str) -> None:
            if generation == self._case_generation:
                self._show_case(result)

        self._start(op, deliver, self._failure(generation, "Business case niet berekend",
                                               case=True))

    def is_busy(self) -> bool:
        return any(t.running for t in self._tasks)

    def shutdown(self) -> None:
        for timer in (self._debounce, self._what_if_timer, self._case_timer):
            timer.stop()
        for task in list(self._tasks):
            task.cancel()

    # -- export -----------------------------------------------------------------------------

    def export_worklist(self) -> None:
        wl = self.worklist
        if wl is None or self._engine is None:
            return
        path = self._ask_export("Werklijst afschaling", f"werklijst_afschaling_{wl.at}.xlsx")
        if path is None:
            return
        target, purpose = path

        def write(user: str) -> Path:
            from sdesk.services.afschaling import write_worklist_workbook

            return write_worklist_workbook(wl, target, user)

        self._export(write, target, purpose, len(wl),
                     f"werklijst afschaling {wl.at} ({wl.filters.text()}) naar {target.name}",
                     self.worklist_export_button)

    def export_case(self) -> None:
        case = self.case
        if case is None or self._engine is None:
            return
        path = self._ask_export("Business case afschaling",
                                f"business_case_afschaling_{case.at}.xlsx")
        if path is None:
            return
        target, purpose = path

        def write(user: str) -> Path:
            from sdesk.services.afschaling import write_business_case_workbook

            return write_business_case_workbook(case, target, user)

        self._export(write, target, purpose, case.review_count,
                     f"business case afschaling {case.since}..{case.at} naar {target.name}",
                     self.case_export_button)

    def _ask_export(self, title: str, suggested: str) -> tuple[Path, str] | None:
        from PySide6.QtCore import QSettings, QStandardPaths

        from sdesk.ui.dialogs import purpose_dialog

        answer = purpose_dialog.ask_purpose(self)  # looked up now: tests answer it
        if answer is None:
            return None
        settings = QSettings()
        folder = str(settings.value("export/last_dir", "") or "") or (
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
        chosen, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / suggested),
                                                "Excel-werkmappen (*.xlsx)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        settings.setValue("export/last_dir", str(path.parent))
        return path, answer[0]

    def _export(self, write: Any, path: Path, purpose: str, rows: int, what: str,
                button: QPushButton) -> None:
        from sdesk.ui.council_export import user_text

        engine, actor, user = self._engine, self._actor, user_text(self._actor)

        def op(_state: TaskState) -> Path:
            from sdesk.services.platform import audit
            try:
                written = write(user)
            except OSError as exc:
                from sdesk.services.platform.errors import SdeskError

                raise SdeskError(f"Het bestand kan niet worden geschreven: {path} "
                                 f"({exc.strerror or exc})") from exc
            audit.log(engine, actor, audit.EXPORT, what, rows, purpose)
            return written

        def done(written: Path) -> None:
            button.setEnabled(True)
            self._set_status(f"Werkmap opgeslagen: {written}")
            self.workbook_written.emit(str(written))

        def fail(exc: BaseException) -> None:
            button.setEnabled(True)
            self._set_status("Werkmap niet opgeslagen.")
            show_failure(self, "Excel", exc)
            self.failed.emit(str(exc))

        button.setEnabled(False)
        self._set_status("Werkmap schrijven…")
        self._start(op, done, fail)

    # -- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _set_date(edit: Any, day: date) -> None:
        edit.blockSignals(True)
        edit.setDate(to_qdate(day))
        edit.blockSignals(False)

    def _tariff(self, c: Candidate) -> float | None:
        wl = self.worklist
        if wl is None:
            return None
        rows = wl.frame.index[wl.frame["allocation_id"] == c.allocation_id]
        if len(rows) == 0:
            return None
        value = wl.frame.at[rows[0], "tariff_cents"]
        return None if value != value else float(value)  # NaN

    def _fill_staff(self, employees: list[Any], teams: list[str]) -> None:
        chosen = {combo: combo.currentData() for combo in (self.team_combo, self.employee_combo)}
        for combo in chosen:
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
        for team in teams:
            self.team_combo.addItem(team, team)
        for e in employees:
            self.employee_combo.addItem(f"{e.name} ({e.team})" if e.team else e.name,
                                        e.external_id)
        for combo, value in chosen.items():  # a refill after an import keeps the filters
            combo.setCurrentIndex(max(combo.findData(value), 0))
            combo.blockSignals(False)

    def _start(self, op: Any, deliver: Any, fail: Any) -> Task:
        task = run_in_background(op, on_success=deliver, on_error=fail, owner=self)
        self._tasks.add(task)
        task.done.connect(lambda: self._on_task_done(task))
        self.busy_bar.show()
        return task

    def _on_task_done(self, task: Task) -> None:
        from shiboken6 import Shiboken

        self._tasks.discard(task)
        # The page may be gone (set_actor builds it anew) before its last task reports.
        if Shiboken.isValid(self.busy_bar) and not self.is_busy():
            self.busy_bar.hide()

    def _failure(self, generation: int, title: str, case: bool = False) -> Any:
        def fail(exc: BaseException) -> None:
            current = self._case_generation if case else self._generation
            if generation != current:
                return
            self._set_status(f"{title}.")
            show_failure(self, title, exc)
            self.failed.emit(str(exc))

        return fail

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setToolTip(text)

    # -- display: worklist ------------------------------------------------------------------

    def _show_worklist(self, wl: Worklist) -> None:
        selected = self.candidate
        self.worklist = wl
        self._restoring = True
        try:
            self.model.set_worklist(wl)
            found = selected is not None and self.select_candidate(selected.toewijzingnummer,
                                                                   selected.law)
        finally:
            self._restoring = False
        self._size_splitter()
        self._fit_columns()
        if found:
            # The same allocation: keep what the user typed in the what-if panel.
            self.candidate = self.selected_candidate()
        else:
            self._show_candidate(None)
        s = wl.summary
        self.summary_label.setText(self.summary_text(wl))
        self._set_status(f"Peildatum {short_date(wl.at)} · {group_thousands(s.candidates)} "
                         f"kandidaten")
        self.worklist_export_button.setEnabled(True)
        self.worklist_loaded.emit(wl)

    @staticmethod
    def summary_text(wl: Worklist) -> str:
        s = wl.summary
        count = "1 kandidaat" if s.candidates == 1 else (
            f"{group_thousands(s.candidates)} kandidaten")
        per_rule = " · ".join(f"{rule_title(r)} {group_thousands(n)}"
                              for r, n in s.by_rule.items() if n)
        text = (f"<b>{count}</b>, totale verwachte besparing "
                f"<b>{euro(s.expected_saving_total_cents)}</b> per jaar "
                f"(jaarkosten {euro(s.annual_cost_total_cents)})")
        return f"{text}<br>Per regel: {per_rule}" if per_rule else text

    def _size_splitter(self) -> None:
        if self._splitter_sized:
            return
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        detail = max(self.splitter.widget(1).minimumSizeHint().height(), 250)
        self.splitter.setSizes([max(total - detail, 150), detail])
        self._splitter_sized = True

    def _fit_columns(self) -> None:
        m = CandidateTableModel
        fit_columns_to_view(self.view, [m.COL_PROPOSAL, m.COL_PROVIDER, m.COL_PRODUCT,
                                        m.COL_RULES])

    # -- display: candidate and what-if -----------------------------------------------------

    def _show_candidate(self, c: Candidate | None) -> None:
        same = (c is not None and self.candidate is not None
                and c.allocation_id == self.candidate.allocation_id)
        self.candidate = c
        for box in (self.what_if_box, self.decision_box):
            box.setEnabled(c is not None)
        self.record_button.setEnabled(c is not None)
        if c is None:
            self.candidate_title.setText("Geen toewijzing gekozen")
            self.candidate_details.setText("Kies een toewijzing in de werklijst voor de uitleg, "
                                           "een berekening 'wat als' en het besluit.")
            self.last_what_if = None
            self._what_if_generation += 1
            self._clear_results()
            self.what_if_message.hide()
            self.decision_message.hide()
            self.volume_now.clear()
            return
        if same:
            return
        self.candidate_title.setText(
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
        self.candidate_details.setText("<br>".join(_escape(x) for x in lines)
                                       + f"<ul style='margin-left:-24px'>{rules}</ul>")
        self.candidate_details.setToolTip("\n\n".join(f"{f.title}: {f.explanation}"
                                                      for f in c.fired))
        self._fill_what_if(c)
        self.decision_message.hide()
        self._update_decision()
        self.run_what_if()

    def _fill_what_if(self, c: Candidate) -> None:
        widgets = (self.product_combo, self.volume_spin, self.end_check, self.end_edit)
        for w in widgets:
            w.blockSignals(True)
        self.product_combo.clear()
        now = c.product_code or "budget"
        self.product_combo.addItem(f"Ongewijzigd ({now})", None)
        for step in self.product_options(c):
            label = f"{step.product_code} {step.label or ''}".strip()
            self.product_combo.addItem(f"{label} – {euro(step.tariff_cents)}",
                                       step.product_code)
        self.product_combo.setEnabled(self.product_combo.count() > 1)
        self.product_combo.setToolTip(
            "Lichtere producten van de productladder: dezelfde eenheid, een lager tarief"
            if self.product_combo.count() > 1 else
            "De productladder heeft geen lichter product met dezelfde eenheid")
        has_volume = c.volume is not None
        self.volume_spin.setEnabled(has_volume)
        self.volume_spin.setValue(c.volume or 0.0)
        self.volume_now.setText(f"nu {c.omvang}" if has_volume else "budget, geen omvang")
        proposal = c.proposal
        if proposal.kind == "product" and proposal.product_code:
            self.product_combo.setCurrentIndex(
                max(self.product_combo.findData(proposal.product_code), 0))
        if proposal.kind == "volume" and proposal.volume is not None and has_volume:
            self.volume_spin.setValue(proposal.volume)
        at = self.worklist.at if self.worklist is not None else date.today()
        default_end = proposal.end_date or (min(c.end, at) if c.end else at)
        self.end_check.setChecked(proposal.kind == "stop")
        self.end_edit.setEnabled(self.end_check.isChecked())
        self.end_edit.setDate(to_qdate(max(default_end, at)))
        self._set_date(self.review_date_edit, at)
        for w in widgets:
            w.blockSignals(False)

    def _clear_results(self) -> None:
        for label in self.result_labels.values():
            label.clear()
        self.commitment_caption.setText("Verplichting")

    def _show_what_if(self, result: WhatIf | str) -> None:
        if isinstance(result, str):
            self.last_what_if = None
            self._clear_results()
            self.what_if_message.setText(result)
            self.what_if_message.show()
            self.what_if_shown.emit(result)
            return
        self.last_what_if = result
        self.what_if_message.hide()
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
        self._update_decision()
        self.what_if_shown.emit(result)

    def _update_decision(self) -> None:
        decision = self.decision_combo.currentData()
        c = self.candidate
        if c is None:
            self.decision_hint.clear()
            return
        if decision == "scale_down":
            w = self.last_what_if
            saving = (f" Verwachte besparing {euro(w.annual_saving_cents)} per jaar."
                      if w is not None else "")
            text = ("Legt het lichtere product, de lagere omvang en een eventuele nieuwe "
                    "einddatum uit 'Wat als…' vast." + saving)
        elif decision == "continue":
            text = ("Zonder wijziging voortzetten; een nieuwe einddatum uit 'Wat als…' geldt "
                    "als verlenging.")
        else:
            text = (f"De gemeente stopt met betalen: verwachte besparing "
                    f"{euro(c.annual_cost_cents)} per jaar. Einddatum uit 'Wat als…', anders "
                    f"de beoordelingsdatum.")
        self.decision_hint.setText(text)

    # -- display: business case -------------------------------------------------------------

    def _ensure_charts(self) -> None:
        if self.outcome_chart is None:
            from sdesk.ui.review_charts import OutcomeChart, SavingChart

            self.outcome_chart = OutcomeChart()
            self.saving_chart = SavingChart()
            self.chart_layout.addWidget(self.outcome_chart, 1, 0)
            self.chart_layout.addWidget(self.saving_chart, 1, 1)

    def _show_case(self, case: BusinessCase | str) -> None:
        if isinstance(case, str):
            self.case_message.setText(case)
            self.case_message.show()
            self.case_export_button.setEnabled(False)
            return
        self.case = case
        self.case_message.hide()
        self.case_export_button.setEnabled(True)
        ret = case.return_on_capacity
        texts = {
            "reviews": group_thousands(case.review_count),
            "expected": euro(case.expected_annual_saving_cents),
            "realised": euro(case.realised_saving_cents),
            "realised_year": euro(case.realised_saving_per_year_cents),
            "capacity": euro(case.capacity_cost_cents),
            "return": "–" if ret is None else decimal(ret, 2),
        }
        for key, text in texts.items():
            self.case_labels[key].setText(text)
        self.outcome_model.set_rows(case.outcomes)
        self.team_model.set_rows(case.by_team)
        self.employee_model.set_rows(case.by_employee)
        fit_columns(self.outcome_view)
        for view in (self.team_view, self.employee_view):
            fit_columns_to_view(view, [0])
        fit_height(self.outcome_view)
        self._ensure_charts()
        assert self.outcome_chart is not None and self.saving_chart is not None
        self.outcome_chart.set_counts([o.label for o in case.outcomes],
                                      [o.count for o in case.outcomes],
                                      [f"{o.count} ({share(o.share, 0)})"
                                       for o in case.outcomes])
        self.saving_chart.set_savings(case.expected_annual_saving_cents,
                                      case.realised_saving_per_year_cents)
        self._set_status(f"Business case {short_date(case.since)} – {short_date(case.at)}: "
                         f"{group_thousands(case.review_count)} beoordelingen")
        self.case_loaded.emit(case)

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_selection_changed(self, *_args: Any) -> None:
        if not self._restoring:
            self._show_candidate(self.selected_candidate())

    def _on_at_changed(self, _day: Any) -> None:
        self._case_dirty = True
        self._set_date(self.review_date_edit, self.at())
        self._debounce.start()
        if self.tabs.currentIndex() == TAB_CASE:
            self._case_timer.start()

    def _on_what_if_input(self, *_args: Any) -> None:
        """An input changed: a result still under way is for the old input, so drop it."""
        self._what_if_generation += 1
        self._what_if_timer.start()

    def _on_end_toggled(self, checked: bool) -> None:
        self.end_edit.setEnabled(checked)
        self._on_what_if_input()

    def _on_tab_changed(self, index: int) -> None:
        if index == TAB_CASE and self._case_dirty:
            self.load_case()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
