"""Kostenoverzicht: all help around one household with its cost, per law and per payer.

The overview is computed by `household_overview` off the GUI thread for the chosen peildatum
and threshold; the newest request wins. The "Procescoördinatie" tab shows the household's case
(T0 versus T1) and the PDF and Excel buttons write what is on screen, through the export use
case (which records the export and its purpose in the audit log).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import Actor
from sdesk.services.platform.text import euro, law_name, short_date
from sdesk.ui.household.coordination_panel import CoordinationPanel
from sdesk.ui.household.models import (
    AmountRow,
    ClientLine,
    InterventionTableModel,
    LawTotalModel,
    OverviewAllocationModel,
    OverviewMemberModel,
    PayerTotalModel,
)
from sdesk.ui.shell.exporting import ExportFeedback, ask_export
from sdesk.ui.shell.labels import flag_name, payer_name
from sdesk.ui.shell.tables import content_width, fit_columns, fit_columns_to_view, make_table
from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.widgets import (
    allow,
    date_edit,
    euro_spin,
    from_qdate,
    page_heading,
    section_title,
    to_qdate,
)
from sdesk.ui.shell.workers import TaskState

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from sdesk.services.household import HouseholdOverview
    from sdesk.ui.household.chart import PayerCostChart

RELOAD_DELAY_MS = 300
DEFAULT_THRESHOLD_EUROS = 100_000
_FLAG_STYLE = ("QLabel { background: #fdecea; color: #8a1c1c; border: 1px solid #e6a8a3;"
               " border-radius: 3px; padding: 4px 8px; font-weight: bold; }")
_NO_FLAG_STYLE = ("QLabel { background: #edf7ee; color: #2d6a35; border: 1px solid #b5d8b9;"
                  " border-radius: 3px; padding: 4px 8px; }")
_LAW_ORDER = ("jeugd", "wmo", "participatie")
MUNICIPAL = "gemeente"
SHRINKABLE_ALLOCATION_COLUMNS = (
    OverviewAllocationModel.COL_CLIENT, OverviewAllocationModel.COL_CATEGORY,
    OverviewAllocationModel.COL_PRODUCT, OverviewAllocationModel.COL_PROVIDER,
    OverviewAllocationModel.COL_OMVANG)
MIN_CHART_WIDTH = 300


def _titled(title: QLabel, view: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.addWidget(title)
    layout.addWidget(view)
    return box


class HouseholdOverviewPanel(QWidget):
    overview_loaded = Signal(object)  # HouseholdOverview
    failed = Signal(str)
    case_changed = Signal()  # a case was started, evaluated or edited
    pdf_written = Signal(str)
    workbook_written = Signal(str)

    def __init__(self, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._actor = actor
        self._engine: Engine | None = None
        self._household: str | None = None
        self._details = ""
        self._dirty = False
        self.tasks = LatestTasks(self)
        self.overview: HouseholdOverview | None = None
        self.chart: PayerCostChart | None = None
        self.member_model = OverviewMemberModel(self)
        self.allocation_model = OverviewAllocationModel(self)
        self.intervention_model = InterventionTableModel(self)
        self.law_model = LawTotalModel(self)
        self.payer_model = PayerTotalModel(self)
        self._build_ui()
        self._connect_signals()
        self._show_empty()

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.title_label = page_heading("Kostenoverzicht")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.details_label.setStyleSheet("color: palette(dark);")
        self.at_edit = date_edit()
        self.at_edit.setToolTip("De peildatum: het zorgpakket zoals het op deze dag loopt")
        self.threshold_spin = euro_spin(DEFAULT_THRESHOLD_EUROS)
        self.threshold_spin.setToolTip("Signaal 'Jaarkosten boven de drempel' vanaf dit bedrag")
        from sdesk.services.platform.permissions import EXPORT_PERSONS

        self.pdf_button = QPushButton("PDF maken…")
        self.excel_button = QPushButton("Excel maken…")
        # A per-household export is not for every role (the controller): disabled, saying why.
        self._may_export = allow(self.pdf_button, self._actor, EXPORT_PERSONS,
                                 "Het overzicht op één A4-pagina")
        allow(self.excel_button, self._actor, EXPORT_PERSONS, "Het overzicht als Excel-werkmap")

        header = QHBoxLayout()
        header.addWidget(self.title_label)
        header.addWidget(self.details_label, 1, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(QLabel("Peildatum:"))
        header.addWidget(self.at_edit)
        header.addSpacing(8)
        header.addWidget(QLabel("Drempel:"))
        header.addWidget(self.threshold_spin)
        header.addSpacing(8)
        header.addWidget(self.pdf_button)
        header.addWidget(self.excel_button)

        self.flags_label = QLabel()
        self.flags_label.setWordWrap(True)
        self.key_label = QLabel()
        self.key_label.setTextFormat(Qt.TextFormat.RichText)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        key_row = QHBoxLayout()
        key_row.addWidget(self.flags_label, 1)
        key_row.addSpacing(12)
        key_row.addWidget(self.key_label)

        self.member_view = make_table(self.member_model)
        if not self._actor.sees_identity:
            self.member_view.hideColumn(OverviewMemberModel.COL_NUMBER)
        self.law_view = make_table(self.law_model, sortable=False)
        self.payer_view = make_table(self.payer_model, sortable=False)
        self.allocation_view = make_table(self.allocation_model)
        self.intervention_view = make_table(self.intervention_model)
        self.chart_box = QWidget()
        self.chart_layout = QVBoxLayout(self.chart_box)
        self.chart_layout.setContentsMargins(0, 4, 0, 0)
        self.chart_layout.addWidget(section_title("Jaarkosten per financier"))

        self.allocation_title = section_title("Toewijzingen")
        self.intervention_title = section_title("Interventies buiten de toewijzingen")
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(_titled(section_title("Leden"), self.member_view))
        top.addWidget(_titled(section_title("Per wet"), self.law_view))
        top.addWidget(_titled(section_title("Per financier"), self.payer_view))
        top.addWidget(self.chart_box)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setStretchFactor(2, 2)
        top.setStretchFactor(3, 4)
        top.setSizes([330, 210, 230, 430])
        self._top_splitter = top
        self._top_user_sized = False
        costs = QSplitter(Qt.Orientation.Vertical)
        costs.addWidget(top)
        costs.addWidget(_titled(self.allocation_title, self.allocation_view))
        costs.addWidget(_titled(self.intervention_title, self.intervention_view))
        costs.setStretchFactor(0, 3)
        costs.setStretchFactor(1, 4)
        costs.setStretchFactor(2, 2)
        costs.setSizes([230, 260, 150])
        self._costs_splitter = costs
        costs.installEventFilter(self)

        self.case_panel = CoordinationPanel(self._actor)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(costs, "Kosten")
        self.tabs.addTab(self.case_panel, "Procescoördinatie")

        self.status_label = QLabel()
        self.status_label.setStyleSheet("color: palette(dark);")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 0)
        layout.addLayout(header)
        layout.addLayout(key_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status_label)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)

    def _connect_signals(self) -> None:
        self.at_edit.dateChanged.connect(self._on_filter_changed)
        self.threshold_spin.valueChanged.connect(self._on_filter_changed)
        self._reload_timer.timeout.connect(self.reload)
        self._top_splitter.splitterMoved.connect(self._on_top_splitter_moved)
        self._costs_splitter.splitterMoved.connect(self._on_top_splitter_moved)
        self.pdf_button.clicked.connect(self.export_pdf)
        self.excel_button.clicked.connect(self.export_workbook)
        self.case_panel.case_started.connect(self._on_case_started)
        self.case_panel.case_changed.connect(self._on_case_changed)

    # -- public -----------------------------------------------------------------------------

    @property
    def household_id(self) -> str | None:
        return self._household

    @property
    def at(self) -> date:
        return from_qdate(self.at_edit.date())

    @property
    def threshold_cents(self) -> int:
        return self.threshold_spin.value() * 100

    def set_engine(self, engine: Engine | None) -> None:
        self._engine = engine
        self.case_panel.set_engine(engine)
        self.mark_dirty()

    def set_household(self, household_id: str | None, details: str = "") -> None:
        if household_id == self._household and not self._dirty and self.overview is not None:
            return
        if household_id != self._household:
            self._clear_display()  # never show one household's figures under another's id
        self._household = household_id
        self._details = details
        if household_id is None:
            self.tasks.invalidate("overview")
            self._show_empty()
            return
        self.title_label.setText(f"Huishouden {household_id}")
        self.details_label.setText(details)
        self.mark_dirty()

    def set_at(self, at: date) -> None:
        self.at_edit.setDate(to_qdate(at))

    def mark_dirty(self) -> None:
        """Reload now when visible, else as soon as the panel is shown."""
        self._dirty = True
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        self._reload_timer.stop()
        if self._engine is None or self._household is None:
            return
        self._dirty = False
        engine, actor, household = self._engine, self._actor, self._household
        at, threshold = self.at, self.threshold_cents

        def op(_state: TaskState) -> HouseholdOverview:
            from sdesk.services.household import household_overview

            return household_overview(engine, actor, household, at, threshold)

        self.status_label.setText("Kostenoverzicht berekenen…")
        self.tasks.start(op, self._on_loaded, self._on_failed, kind="overview")

    def shut_down(self) -> None:
        self._reload_timer.stop()
        self.tasks.invalidate("overview")
        self.tasks.shut_down()

    def export_pdf(self) -> None:
        """The overview on one A4 page: painted here, written with its audit row in the
        background."""
        from sdesk.ui.household.pdf import household_pdf, write_pdf_export

        o = self.overview
        chosen = self._ask_export("PDF maken", "pdf", "PDF-bestanden (*.pdf)")
        if o is None or self._engine is None or chosen is None:
            return
        feedback = ExportFeedback(self, self.pdf_button, self.status_label.setText,
                                  self.pdf_written, self.failed, "PDF maken", "PDF")
        try:
            pdf = household_pdf(o, self._actor.signature)
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            feedback.fail(exc)
            return
        feedback.run(self.tasks, self._engine, self._actor, "household_pdf",
                     {"overview": o, "pdf": pdf}, *chosen, writer=write_pdf_export)

    def export_workbook(self) -> None:
        o = self.overview
        chosen = self._ask_export("Excel maken", "xlsx", "Excel-werkmappen (*.xlsx)")
        if o is None or self._engine is None or chosen is None:
            return
        feedback = ExportFeedback(self, self.excel_button, self.status_label.setText,
                                  self.workbook_written, self.failed, "Excel maken",
                                  "Excel-werkmap")
        feedback.run(self.tasks, self._engine, self._actor, "household", {"overview": o},
                     *chosen)

    # -- helpers ----------------------------------------------------------------------------

    def _ask_export(self, title: str, suffix: str, file_filter: str
                    ) -> tuple[Path, str] | None:
        o = self.overview
        if o is None or self._engine is None:
            return None
        name = f"kostenoverzicht_{o.household_id}_{o.at:%Y-%m-%d}.{suffix}"
        return ask_export(self, title, name, suffix, file_filter)

    def _balance_top_row(self) -> None:
        """Members and totals as wide as their columns; the chart gets the rest."""
        if self._top_user_sized:
            return
        total = sum(self._top_splitter.sizes())
        tables = [content_width(v) for v in (self.member_view, self.law_view, self.payer_view)]
        if total <= 0 or sum(tables) <= 0:
            return
        room = max(total - MIN_CHART_WIDTH, 0)
        if sum(tables) > room:
            tables = [round(w * room / sum(tables)) for w in tables]
        self._top_splitter.setSizes([*tables, total - sum(tables)])

    def _balance_heights(self) -> None:
        """The top row as tall as its longest table (within reason); the rest goes to the
        allocations (about 60 %) and the interventions."""
        if self._top_user_sized:
            return
        total = sum(self._costs_splitter.sizes())
        if total <= 0:
            return

        def needed(view: QTableView) -> int:
            rows = max(view.model().rowCount(), 3)
            return (view.horizontalHeader().sizeHint().height()
                    + rows * view.verticalHeader().defaultSectionSize() + 2 * view.frameWidth())

        title = self.fontMetrics().height() + 12  # the section title above each table
        top = title + max(needed(v) for v in (self.member_view, self.law_view, self.payer_view))
        top = min(top, round(total * 0.45))
        rest = total - top
        allocations = round(rest * 0.6)
        self._costs_splitter.setSizes([top, allocations, rest - allocations])

    def _ensure_chart(self) -> PayerCostChart:
        if self.chart is None:
            from sdesk.ui.household.chart import PayerCostChart  # pyqtgraph loads on first use

            self.chart = PayerCostChart()
            self.chart_layout.addWidget(self.chart, 1)
        return self.chart

    def _show_empty(self) -> None:
        self.title_label.setText("Kostenoverzicht")
        self.details_label.setText("Kies een huishouden op het tabblad Leden en toewijzingen.")
        self._clear_display()

    def _clear_display(self) -> None:
        self.overview = None
        for model in (self.member_model, self.allocation_model, self.intervention_model,
                      self.law_model, self.payer_model):
            model.set_rows([])
        self.flags_label.setText("")
        self.flags_label.setStyleSheet("")
        self.key_label.setText("")
        self.status_label.setText("")
        self.case_panel.set_summary(None, None)
        self.tabs.setTabText(1, "Procescoördinatie")
        if self.chart is not None:
            self.chart.set_costs([], [], [])
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self.overview is not None and self._may_export
        self.pdf_button.setEnabled(ready)
        self.excel_button.setEnabled(ready)

    # -- slots ------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The splitter also changes size when the flags banner wraps onto a second line.
        # Filters see the event before the splitter shares out its new size: balance after.
        if watched is self._costs_splitter and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._balance)
        return super().eventFilter(watched, event)

    def _balance(self) -> None:
        if self.overview is not None:
            self._balance_top_row()
            self._balance_heights()

    def _on_top_splitter_moved(self, *_args: Any) -> None:
        self._top_user_sized = True

    def _on_filter_changed(self, *_args: Any) -> None:
        if self._household is not None:
            self._reload_timer.start()

    def _on_loaded(self, o: HouseholdOverview) -> None:
        from sdesk.services.household import member_names, municipal_and_other_cents, payer_sort_key

        self.overview = o
        names = member_names(o)
        self.member_model.set_rows(o.members)
        self.allocation_model.set_rows(
            [ClientLine(a, names.get(a.person_id, a.person_id)) for a in o.allocations])
        self.intervention_model.set_rows(
            [ClientLine(i, names.get(i.person_id, i.person_id) if i.person_id else "")
             for i in o.interventions])
        laws = sorted(o.totals_by_law, key=lambda x: _LAW_ORDER.index(x)
                      if x in _LAW_ORDER else len(_LAW_ORDER))
        self.law_model.set_rows(
            [AmountRow(law_name(law), o.totals_by_law[law]) for law in laws]
            + [AmountRow("Totaal", sum(o.totals_by_law.values()), total=True)])
        # Payers whose help all lies outside the peildatum would only add rows of € 0,00.
        payers = [p for p in sorted(o.totals_by_payer, key=payer_sort_key)
                  if o.totals_by_payer[p] or p == MUNICIPAL]
        self.payer_model.set_rows(
            [AmountRow(payer_name(p), o.totals_by_payer[p]) for p in payers]
            + [AmountRow("Totaal", o.total_annual_cost_cents, total=True)])
        for view in (self.member_view, self.law_view, self.payer_view):
            fit_columns(view)
        fit_columns_to_view(self.allocation_view, SHRINKABLE_ALLOCATION_COLUMNS)
        fit_columns_to_view(self.intervention_view, [InterventionTableModel.COL_DESCRIPTION])
        # Once the new rows are laid out (next event loop turn), share the space by content.
        QTimer.singleShot(0, self, self._balance)
        active = sum(1 for a in o.allocations if a.active)
        self.allocation_title.setText(
            f"Toewijzingen ({len(o.allocations)}, waarvan {active} lopend op "
            f"{short_date(o.at)}; grijs = loopt niet op de peildatum)")
        self.intervention_title.setText(
            f"Interventies buiten de toewijzingen ({len(o.interventions)})")

        flags = o.flags
        if flags:
            self.flags_label.setText("Signalen: " + " · ".join(flag_name(f) for f in flags))
            self.flags_label.setStyleSheet(_FLAG_STYLE)
        else:
            self.flags_label.setText("Geen signalen")
            self.flags_label.setStyleSheet(_NO_FLAG_STYLE)
        municipal, other = municipal_and_other_cents(o)
        self.key_label.setText(
            f"Jaarkosten <b>{euro(o.total_annual_cost_cents)}</b>: gemeente "
            f"{euro(municipal)}, andere financiers {euro(other)} &nbsp;·&nbsp; "
            f"{o.providers_count} {'aanbieder' if o.providers_count == 1 else 'aanbieders'}")

        chart = self._ensure_chart()
        chart.set_costs([payer_name(p) for p in payers], [o.totals_by_payer[p] for p in payers],
                        [p == MUNICIPAL for p in payers])

        self.case_panel.set_summary(o.household_id, o.coordination, o.at)
        tab = "Procescoördinatie"
        if o.coordination is not None:
            from sdesk.services.household import STATUS_LABELS

            tab += f" ({STATUS_LABELS.get(o.coordination.status, o.coordination.status).lower()})"
        self.tabs.setTabText(1, tab)
        self.status_label.setText(
            f"Berekend op peildatum {short_date(o.at)} met drempel "
            f"{euro(o.threshold_cents)}.")
        self._update_buttons()
        self.overview_loaded.emit(o)

    def _on_failed(self, exc: BaseException) -> None:
        self.status_label.setText(f"Kostenoverzicht niet berekend: {exc}")
        self.failed.emit(str(exc))

    def _on_case_started(self, _case_id: int, intake: date) -> None:
        if intake > self.at:  # else the new case would not show on the current peildatum
            self.set_at(intake)
        self._on_case_changed()

    def _on_case_changed(self) -> None:
        self.case_changed.emit()
        self.reload()
