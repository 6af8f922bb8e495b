"""Table models of the afschaling screens: the worklist (built lazily from the worklist's frame,
sorted on the frame's columns), and the business case's outcomes and groups."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from sdesk.services.platform.text import LAW_NAMES, LAW_SHORT, euro, group_thousands, share
from sdesk.ui.shell.table_models import Column, RowTableModel

if TYPE_CHECKING:
    import numpy as np

    from sdesk.services.afschaling import (
        Candidate,
        GroupResult,
        LadderStep,
        OutcomeCount,
        Worklist,
    )

AnyIndex = QModelIndex | QPersistentModelIndex


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
    from sdesk.services.afschaling import rules_label

    return rules_label(c.rules)


def lighter_products(wl: Worklist | None, c: Candidate) -> list[LadderStep]:
    """Lighter rungs of the candidate's product ladder: same unit, a lower tariff."""
    if c.volume is None or wl is None:
        return []
    steps = wl.ladder.get((c.law, c.category), ())
    tariff = _tariff(wl, c)
    return [s for s in steps if s.product_code != c.product_code
            and (s.unit is None or c.unit is None or s.unit == c.unit)
            and (tariff is None or s.tariff_cents < tariff)]


def _tariff(wl: Worklist, c: Candidate) -> float | None:
    rows = wl.frame.index[wl.frame["allocation_id"] == c.allocation_id]
    if len(rows) == 0:
        return None
    value = wl.frame.at[rows[0], "tariff_cents"]
    return None if value != value else float(value)  # NaN


class CandidateRows(Sequence["Candidate"]):
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

    def reordered(self, order: np.ndarray) -> CandidateRows:
        return CandidateRows(self.wl, order, self._built)


class CandidateTableModel(RowTableModel["Candidate"]):
    (COL_PERSON, COL_NAME, COL_LAW, COL_PRODUCT, COL_PROVIDER, COL_COST, COL_RULES,
     COL_PROPOSAL, COL_CHANCE, COL_SAVING) = range(10)
    width_caps: ClassVar[dict[int, int]] = {1: 200, 3: 220, 4: 220, 6: 240, 7: 320}
    columns: ClassVar[Sequence[Column[Candidate]]] = (
        Column("Cliënt", person_text, header_tooltip="BSN, of het pseudoniem voor rollen die "
                                                     "geen persoonsgegevens zien"),
        # A klantmanager knows people by name; roles that see no identity get no name.
        Column("Naam", lambda c: c.person_name or "",
               header_tooltip="Naam van de cliënt (alleen voor rollen die persoonsgegevens "
                              "zien)"),
        Column("Wet", lambda c: LAW_SHORT.get(c.law, c.law)),
        Column("Product", product_text),
        Column("Aanbieder", lambda c: c.provider or ""),
        Column("Jaarbedrag", lambda c: euro(c.annual_cost_cents),
               lambda c: c.annual_cost_cents, numeric=True,
               header_tooltip="Jaarkosten bij het huidige tempo (dagtarief × 365)"),
        Column("Regels", rules_text, header_tooltip="Waarom de toewijzing op de lijst staat; "
                                                    "wijs een regel aan voor de uitleg"),
        Column("Voorgestelde afschaling", lambda c: c.proposal.text),
        Column("Kans", lambda c: c.chance_text, lambda c: c.chance, numeric=True,
               header_tooltip="Kans op afschaling voor de leidende regel: uit de eigen "
                              "besluiten van de gemeente zodra er genoeg zijn, anders een "
                              "voorzichtige standaard"),
        Column("Verwachte besparing", lambda c: euro(c.expected_saving_cents),
               lambda c: c.expected_saving_cents, numeric=True,
               header_tooltip="Per jaar: kans × besparing bij uitvoering, het hoogste "
                              "bedrag van de regels die gelden"),
    )

    def set_worklist(self, wl: Worklist) -> None:
        """Show the worklist in its own order (expected saving, highest first)."""
        import numpy as np  # with the worklist, not with the window

        self.beginResetModel()
        self._rows = CandidateRows(wl, np.arange(len(wl)))  # type: ignore[assignment]
        self.endResetModel()

    def find(self, toewijzingnummer: str, law: str | None = None) -> int | None:
        """The table row of the allocation, or None."""
        import numpy as np  # with the worklist, not with the window

        rows = self._rows
        if not isinstance(rows, CandidateRows):
            return next((n for n, c in enumerate(rows) if c.toewijzingnummer == toewijzingnummer
                         and (law is None or c.law == law)), None)
        index = rows.wl.find(toewijzingnummer, law)
        found = np.flatnonzero(rows.order == index) if index is not None else []
        return int(found[0]) if len(found) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort on keys computed from the worklist's columns, without building a Candidate
        per row; the same keys as the columns' sort_key (a test holds them together)."""
        rows = self._rows
        if not isinstance(rows, CandidateRows) or not 0 <= column < len(self.columns):
            super().sort(column, order)
            return
        import numpy as np  # with the worklist, not with the window
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
        import numpy as np  # with the worklist, not with the window

        f = wl.frame

        def text(name: str) -> np.ndarray:
            # pandas' own isna: this module is loaded with the window, pandas with the list.
            column = f[name]
            return np.where(column.isna().to_numpy(), "", column.to_numpy(dtype=object))

        if column == cls.COL_COST:
            return f["annual_cost_cents"].tolist()
        if column == cls.COL_SAVING:
            return f["expected_saving_cents"].tolist()
        if column == cls.COL_CHANCE:
            return f["chance"].tolist()
        if column == cls.COL_PERSON:
            bsn = text("bsn")
            keys = np.where(bsn != "", bsn, text("person"))
        elif column == cls.COL_NAME:
            keys = text("person_name")
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
            from sdesk.services.afschaling import rules_label

            titles = {r: rules_label([x for x in r.split(",") if x])
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
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid()
                and index.column() == self.COL_SAVING):
            c = self._rows[index.row()]
            return (f"Bij uitvoering {euro(c.saving_if_done_cents)} per jaar × kans "
                    f"{c.chance_text} = {euro(c.expected_saving_cents)}")
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
