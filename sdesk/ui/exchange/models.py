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


class FileCountTableModel(RowTableModel[FileCount]):
    columns: ClassVar[Sequence[Column[FileCount]]] = (
        Column("Bestand", lambda r: r.file),
        Column("Rijen", lambda r: group_thousands(r.rows), lambda r: r.rows, numeric=True),
    )
