"""Afschaling: "Productladders…" -- the ladders of lighter products a functioneel beheerder
keeps (afschaling.ladders).

Left the ladders per law and category with where they come from (the default, the
municipality's own, or switched off); right the rungs of the chosen one, heaviest first, to
reorder, add (from the law's tariff table) and remove, then confirm as the own ladder, switch
off or reset to the default. Edits stay per ladder until confirmed or the dialog closes. The
service checks every save and its Dutch refusal is shown under the rungs; a role without
EDIT_LADDER sees the ladders read-only, the buttons saying why. The tables are small: the
service calls run on the GUI thread. The dialog closes with Accepted when a ladder changed,
so the page recomputes the worklist.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.text import LAW_SHORT, euro, short_date
from sdesk.ui.shell.table_models import Column, RowTableModel
from sdesk.ui.shell.tables import fit_columns, make_table
from sdesk.ui.shell.widgets import show_failure

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy import Engine

    from sdesk.services.afschaling import LadderProduct, LadderRow, LadderRung
    from sdesk.services.platform.actor import Actor

INTRO = ("Een lichter product is een lagere trede van dezelfde hulp, met dezelfde eenheid "
         "(uur, dagdeel) en een lager tarief; een tarief alleen maakt nog geen trede. "
         "Maatregelen (jeugdbescherming, jeugdreclassering) en de Participatiewet hebben geen "
         "ladder.")
DRAFT_MARK = " (gewijzigd)"  # after the source of a ladder with unconfirmed edits
ERROR_STYLE = "color: #c53030;"
MUTED_STYLE = "color: palette(dark);"


def _unit_text(unit: str | None, label: str | None) -> str:
    return label or unit or ""


class LadderTableModel(RowTableModel["LadderRow"]):
    COL_SOURCE = 3
    columns: ClassVar[tuple[Column[Any], ...]] = (
        Column("Wet", lambda r: LAW_SHORT.get(r.law, r.law)),
        Column("Categorie", lambda r: r.category),
        Column("Omschrijving", lambda r: r.category_label or ""),
        Column("Bron", lambda r: r.source_label),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.drafts: set[tuple[str, str]] = set()

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if (role == Qt.ItemDataRole.DisplayRole and index.column() == self.COL_SOURCE
                and self._draft(self.row_at(index.row()))):
            return f"{value}{DRAFT_MARK}"
        return value

    def tooltip(self, row: LadderRow) -> str | None:
        return "Gewijzigd, nog niet bevestigd" if self._draft(row) else None

    def set_drafts(self, drafts: set[tuple[str, str]]) -> None:
        """The ladders with unconfirmed edits (their source says so)."""
        self.drafts = drafts
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    def _draft(self, row: LadderRow) -> bool:
        return (row.law, row.category) in self.drafts


class RungTableModel(RowTableModel["LadderRung"]):
    """The rungs of one ladder, heaviest first; a rung without a tariff on the peildatum is
    shown grey (it does not count that day)."""

    columns: ClassVar[tuple[Column[Any], ...]] = (
        Column("Product", lambda r: r.product_code),
        Column("Omschrijving", lambda r: r.label or ""),
        Column("Tarief", lambda r: euro(r.tariff_cents) if r.tariff_cents is not None
               else "geen tarief", numeric=True),
        Column("Eenheid", lambda r: _unit_text(r.unit, r.unit_label)),
    )
    width_caps: ClassVar[dict[int, int]] = {1: 320}

    def tooltip(self, row: LadderRung) -> str | None:
        if row.tariff_cents is None:
            return "Geen tarief op de peildatum: deze trede telt dan niet mee."
        return None

    def muted(self, row: LadderRung) -> bool:
        return row.tariff_cents is None


class ProductPicker(QDialog):
    """Pick products of the law's tariff table to add as rungs. A product that cannot be a
    rung of this category is listed greyed out, its tooltip saying why."""

    def __init__(self, products: list[LadderProduct], on_ladder: set[str], category: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Product toevoegen")
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName("Producten uit de tarieventabel")
        def usable_first(p: LadderProduct) -> tuple[bool, str]:
            return p.product_code in on_ladder or p.problem is not None, p.product_code

        for p in sorted(products, key=usable_first):
            price = (f"{euro(p.tariff_cents)} per {_unit_text(p.unit, p.unit_label).lower()}"
                     if p.tariff_cents is not None else "geen tarief op de peildatum")
            item = QListWidgetItem(f"{p.product_code}  {p.label or ''} — {price}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            problem = ("Staat al op de ladder." if p.product_code in on_ladder else p.problem)
            if problem:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled
                              & ~Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(problem)
            self.list.addItem(item)
        caption = QLabel(f"&Producten uit de tarieventabel; een grijs product kan geen trede "
                         f"van categorie {category} zijn (de tip zegt waarom):")
        caption.setWordWrap(True)
        caption.setBuddy(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Toevoegen")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def chosen(self) -> list[LadderProduct]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.list.selectedItems()]


class LadderDialog(QDialog):
    def __init__(self, engine: Engine, actor: Actor, at: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from sdesk.services.platform.permissions import EDIT_LADDER, may, refusal

        self.setWindowTitle("Productladders")
        self._engine, self._actor, self._at = engine, actor, at
        self.may_edit = may(actor, EDIT_LADDER)
        self._refusal = "" if self.may_edit else refusal(actor, EDIT_LADDER)
        self.changed = False  # a ladder was saved, switched off or reset
        self.drafts: dict[tuple[str, str], list[LadderRung]] = {}
        self._sized = False
        self._build_ui()
        self.reload()

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.intro = intro = QLabel(INTRO + f" Tarieven op {short_date(self._at)} (de "
                                    "peildatum).")
        intro.setWordWrap(True)
        self.ladder_model = LadderTableModel(self)
        self.ladder_view = make_table(self.ladder_model, sortable=False)
        self.ladder_view.setAccessibleName("Productladders per wet en categorie")
        ladders_caption = QLabel("&Ladders")
        ladders_caption.setBuddy(self.ladder_view)

        self.rung_model = RungTableModel(self)
        self.rung_view = make_table(self.rung_model, sortable=False)
        self.rung_view.setAccessibleName("Treden van de gekozen ladder, zwaarste bovenaan")
        self.rungs_caption = QLabel("T&reden (zwaarste bovenaan)")
        self.rungs_caption.setBuddy(self.rung_view)
        self.up_button = QPushButton("Om&hoog")
        self.down_button = QPushButton("Omlaa&g")
        self.add_button = QPushButton("&Toevoegen…")
        self.remove_button = QPushButton("&Verwijderen")
        self.up_button.setToolTip("De gekozen trede een plaats zwaarder zetten")
        self.down_button.setToolTip("De gekozen trede een plaats lichter zetten")
        self.add_button.setToolTip("Een product uit de tarieventabel van deze wet toevoegen")
        self.remove_button.setToolTip("De gekozen trede van de ladder halen")
        self.state_label = QLabel()
        self.state_label.setWordWrap(True)
        self.state_label.setStyleSheet(MUTED_STYLE)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()

        self.confirm_button = QPushButton("&Bevestigen")
        self.off_button = QPushButton("&Uitzetten")
        self.reset_button = QPushButton("Terug naar &standaard")
        self.confirm_button.setToolTip("Deze treden, in deze volgorde, vastleggen als de eigen "
                                       "ladder van de categorie")
        self.off_button.setToolTip("Geen ladder in deze categorie: de werklijst stelt er geen "
                                   "lichter product voor")
        self.reset_button.setToolTip("De eigen ladder weggooien; de standaardladder telt weer")
        self.close_button = QPushButton("Slu&iten")

        moves = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.add_button, self.remove_button):
            moves.addWidget(button)
        moves.addStretch(1)
        rung_row = QHBoxLayout()
        rung_row.addWidget(self.rung_view, 1)
        rung_row.addLayout(moves)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addWidget(self.rungs_caption)
        right_layout.addLayout(rung_row, 1)
        right_layout.addWidget(self.state_label)
        right_layout.addWidget(self.message)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(ladders_caption)
        left_layout.addWidget(self.ladder_view, 1)
        self.splitter = splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)

        bottom = QHBoxLayout()
        for button in (self.confirm_button, self.off_button, self.reset_button):
            bottom.addWidget(button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not self.may_edit:
            read_only = QLabel(f"Alleen bekijken. {self._refusal}")
            read_only.setWordWrap(True)
            read_only.setStyleSheet(MUTED_STYLE)
            layout.addWidget(read_only)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.setTabOrder(self.ladder_view, self.rung_view)
        chain = (self.rung_view, self.up_button, self.down_button, self.add_button,
                 self.remove_button, self.confirm_button, self.off_button, self.reset_button,
                 self.close_button)
        for first, second in zip(chain, chain[1:], strict=False):
            self.setTabOrder(first, second)

        self.ladder_view.selectionModel().currentRowChanged.connect(
            lambda _now, _before: self._show_ladder())
        self.rung_view.selectionModel().currentRowChanged.connect(
            lambda _now, _before: self._update_buttons())
        self.up_button.clicked.connect(lambda: self.move_rung(-1))
        self.down_button.clicked.connect(lambda: self.move_rung(1))
        self.add_button.clicked.connect(self.choose_products)
        self.remove_button.clicked.connect(self.remove_rung)
        self.confirm_button.clicked.connect(self.confirm)
        self.off_button.clicked.connect(self.switch_off)
        self.reset_button.clicked.connect(self.reset)
        self.close_button.clicked.connect(self.reject)
        self.resize(1080, 560)

    # -- data -------------------------------------------------------------------------------

    def reload(self, keep: tuple[str, str] | None = None) -> None:
        """Read the ladders again; select `keep` (or the first ladder)."""
        from sdesk.services.afschaling import ladder_overview

        rows = self._call(lambda: ladder_overview(self._engine, self._at))
        if rows is None:
            return
        self.ladder_model.set_rows(rows)
        self.ladder_model.set_drafts(set(self.drafts))
        fit_columns(self.ladder_view)
        keys = [(r.law, r.category) for r in rows]
        row = keys.index(keep) if keep in keys else 0
        if rows:
            self.ladder_view.selectRow(row)
        self._show_ladder()

    def ladder(self) -> LadderRow | None:
        index = self.ladder_view.currentIndex()
        return self.ladder_model.row_at(index.row()) if index.isValid() else None

    def rungs(self) -> list[LadderRung]:
        """The rungs on screen: the draft of the chosen ladder, else what it holds."""
        return self.rung_model.rows()

    def _key(self) -> tuple[str, str] | None:
        row = self.ladder()
        return (row.law, row.category) if row else None

    # -- editing ----------------------------------------------------------------------------

    def move_rung(self, step: int) -> None:
        rungs, at = self.rungs(), self.rung_view.currentIndex().row()
        to = at + step
        if not 0 <= at < len(rungs) or not 0 <= to < len(rungs):
            return
        rungs[at], rungs[to] = rungs[to], rungs[at]
        self._set_draft(rungs, to)

    def remove_rung(self) -> None:
        rungs, at = self.rungs(), self.rung_view.currentIndex().row()
        if 0 <= at < len(rungs):
            del rungs[at]
            self._set_draft(rungs, min(at, len(rungs) - 1))

    def choose_products(self) -> None:
        from sdesk.services.afschaling import ladder_products

        row = self.ladder()
        if row is None:
            return
        products = self._call(lambda: ladder_products(self._engine, self._at, row.law,
                                                      row.category))
        if products is None:
            return
        picker = ProductPicker(products, {r.product_code for r in self.rungs()}, row.category,
                               self)
        if picker.exec() == QDialog.DialogCode.Accepted:
            self.add_products(picker.chosen())

    def add_products(self, products: list[LadderProduct]) -> None:
        """Insert the products below the chosen rung (at the end without one)."""
        from sdesk.services.afschaling import LadderRung

        rungs = self.rungs()
        at = self.rung_view.currentIndex().row()
        at = len(rungs) if at < 0 else at + 1
        known = {r.product_code for r in rungs}
        new = [LadderRung(p.product_code, p.label, p.tariff_cents, p.unit, p.unit_label)
               for p in products if p.product_code not in known]
        if new:
            self._set_draft(rungs[:at] + new + rungs[at:], at + len(new) - 1)

    def _set_draft(self, rungs: list[LadderRung], current: int) -> None:
        key = self._key()
        if key is None:
            return
        self.drafts[key] = rungs
        self.ladder_model.set_drafts(set(self.drafts))
        self.rung_model.set_rows(rungs)
        if 0 <= current < len(rungs):
            self.rung_view.selectRow(current)
        self.message.hide()
        self._show_state()
        self._update_buttons()

    # -- saving -----------------------------------------------------------------------------

    def confirm(self) -> None:
        from sdesk.services.afschaling import save_ladder

        self._save(lambda law, category: save_ladder(
            self._engine, self._actor, law, category, [r.product_code for r in self.rungs()]))

    def switch_off(self) -> None:
        from sdesk.services.afschaling import switch_off_ladder

        self._save(lambda law, category: switch_off_ladder(self._engine, self._actor, law,
                                                            category))

    def reset(self) -> None:
        from sdesk.services.afschaling import reset_ladder

        self._save(lambda law, category: reset_ladder(self._engine, self._actor, law, category))

    def _save(self, write: Any) -> None:
        key = self._key()
        if key is None or not self.may_edit:
            return
        done = self._call(lambda: (write(*key),))
        if done is None:
            return
        self.changed = self.changed or done[0] is not False  # reset_ladder: False, none kept
        self.drafts.pop(key, None)
        self.reload(keep=key)

    def _call(self, work: Any) -> Any:
        """Run a service call; a Dutch refusal is shown under the rungs (None returned)."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        except SdeskError as exc:
            self.message.setText(str(exc))
            self.message.show()
            return None
        except Exception as exc:  # an unexpected failure: said, never a crash of the screen
            show_failure(self, "Productladders", exc)
            return None
        finally:
            QApplication.restoreOverrideCursor()

    # -- display ----------------------------------------------------------------------------

    def _show_ladder(self) -> None:
        row, key = self.ladder(), self._key()
        rungs = self.drafts.get(key, list(row.rungs)) if row and key else []
        self.rung_model.set_rows(rungs)
        fit_columns(self.rung_view)
        if rungs:
            self.rung_view.selectRow(0)
        self.message.hide()
        self._show_state()
        self._update_buttons()

    def _show_state(self) -> None:
        row = self.ladder()
        if row is None:
            self.state_label.setText("Er zijn nog geen ladders: er zijn geen producten in "
                                     "gebruik in categorieën met lichtere vormen van hulp.")
            return
        who = (f" door {row.changed_by}" if row.changed_by else "") + (
            f" op {short_date(row.changed_at.date())} {row.changed_at:%H:%M}"
            if row.changed_at else "")
        text, to_do = {
            "standaard": ("Standaardladder: de producten van deze categorie die rond de "
                          "peildatum in gebruik zijn, duurste eerst.",
                          " Bevestig hem (eventueel aangepast) als eigen ladder, of zet hem "
                          "uit."),
            "eigen": (f"Eigen ladder, bevestigd{who}.", ""),
            "uit": (f"Uitgezet{who}: de werklijst stelt in deze categorie geen lichter "
                    "product voor.", " Voeg treden toe en bevestig, of ga terug naar de "
                                     "standaard."),
        }[row.source]
        text += to_do if self.may_edit else ""
        if (row.law, row.category) in self.drafts:
            text += " Gewijzigd, nog niet bevestigd."
        self.state_label.setText(text)

    def _update_buttons(self) -> None:
        row = self.ladder()
        at, count = self.rung_view.currentIndex().row(), self.rung_model.rowCount()
        draft = row is not None and (row.law, row.category) in self.drafts
        enabled = {
            self.up_button: 0 < at < count,
            self.down_button: 0 <= at < count - 1,
            self.add_button: row is not None,
            self.remove_button: 0 <= at < count,
            self.confirm_button: row is not None,
            self.off_button: row is not None and (row.source != "uit" or draft),
            self.reset_button: row is not None and (row.source != "standaard" or draft),
        }
        for button, allowed in enabled.items():
            button.setEnabled(allowed and self.may_edit)
            if not self.may_edit:
                button.setToolTip(self._refusal)

    # -- closing ----------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """On the first show the ladder table gets the width of its columns, the rungs the
        rest."""
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            view, header = self.ladder_view, self.ladder_view.horizontalHeader()
            # The columns' own widths (the last one is stretched to the view so far).
            widths = [max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
                      for c in range(header.count())]
            widths[-1] = max(widths[-1] + view.fontMetrics().horizontalAdvance(DRAFT_MARK),
                             header.defaultSectionSize())
            left = sum(widths) + 2 * view.frameWidth() + (
                view.verticalScrollBar().sizeHint().width() + 16)  # and the layout's margin
            self.splitter.setSizes([left, max(self.splitter.width() - left, 300)])

    def reject(self) -> None:
        """Close; Accepted when a ladder changed, so the page recomputes the worklist."""
        self.done(QDialog.DialogCode.Accepted if self.changed else QDialog.DialogCode.Rejected)
