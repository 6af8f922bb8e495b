"""Table models of the import dialog: the refusals and the rows per file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from sdesk.services.platform.text import group_thousands
from sdesk.ui.shell.table_models import Column, RowTableModel

if TYPE_CHECKING:
    from sdesk.services.exchange import ImportIssue


class IssueTableModel(RowTableModel["ImportIssue"]):
    COL_FILE, COL_LINE, COL_COLUMN, COL_REASON = range(4)
    width_caps = {COL_FILE: 220, COL_COLUMN: 180}
    columns: ClassVar[Sequence[Column[ImportIssue]]] = (
        Column("Bestand", lambda r: r.file),
        Column("Regel", lambda r: "" if r.line is None else str(r.line),
               lambda r: (r.file, -1 if r.line is None else r.line), numeric=True),
        Column("Kolom", lambda r: r.column or ""),
        Column("Reden", lambda r: r.reason),
    )

    def tooltip(self, row: ImportIssue) -> str | None:
        return row.reason


@dataclass(frozen=True)
class FileCount:
    file: str
    rows: int
    # Exchange-format imports: what the rows did (None: not known, e.g. iJw/iWmo messages).
    new: int | None = None
    changed: int | None = None
    unchanged: int | None = None
    missing: int | None = None  # full refresh only: in the database, not in the files


def _count(value: int | None) -> str:
    return "" if value is None else group_thousands(value)


def _key(value: int | None) -> int:
    return -1 if value is None else value


class FileCountTableModel(RowTableModel[FileCount]):
    COL_FILE, COL_ROWS, COL_NEW, COL_CHANGED, COL_UNCHANGED, COL_MISSING = range(6)
    columns: ClassVar[Sequence[Column[FileCount]]] = (
        Column("Bestand", lambda r: r.file),
        Column("Rijen", lambda r: group_thousands(r.rows), lambda r: r.rows, numeric=True),
        Column("Nieuw", lambda r: _count(r.new), lambda r: _key(r.new), numeric=True),
        Column("Gewijzigd", lambda r: _count(r.changed), lambda r: _key(r.changed),
               numeric=True),
        Column("Ongewijzigd", lambda r: _count(r.unchanged), lambda r: _key(r.unchanged),
               numeric=True),
        Column("Niet meer in bestanden", lambda r: _count(r.missing), lambda r: _key(r.missing),
               numeric=True, header_tooltip="Alleen bij een volledige verversing: rijen die "
                                            "in de database staan maar niet in de bestanden. "
                                            "Ze worden niet verwijderd."),
    )
