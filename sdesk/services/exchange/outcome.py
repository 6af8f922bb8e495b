"""What an import reports back, shared by the exchange-format and the iJw/iWmo import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sdesk.services.exchange.importing.report import ImportIssue
from sdesk.services.platform.errors import SdeskError

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


class ImportCancelled(SdeskError):  # noqa: N818 (a cancel is not an error)
    def __init__(self) -> None:
        super().__init__("Import geannuleerd; er is niets opgeslagen.")


@dataclass(frozen=True)
class ChangedRow:
    """One re-imported row whose stored values change, and the file's columns that do."""

    line: int
    key: str  # the row's natural key as text, e.g. "jeugd 1001"
    columns: tuple[str, ...]


@dataclass(frozen=True)
class FileChanges:
    """What one file of an exchange-format import does to the database."""

    file: str  # as messages name it, e.g. "toewijzingen.csv"
    name: str  # the exchange-format file, e.g. "toewijzingen"
    new: int
    changed: int
    unchanged: int
    examples: tuple[ChangedRow, ...] = ()  # the first changed rows (at most 20)
    missing: int | None = None  # full refresh: stored rows the file set no longer has
    missing_examples: tuple[str, ...] = ()  # their keys (at most 20)

    def summary(self) -> str:
        """"4 rijen: 1 nieuw, 1 gewijzigd, 2 ongewijzigd" (and what is missing)."""
        total = self.new + self.changed + self.unchanged
        text = (f"{total} {'rij' if total == 1 else 'rijen'}: {self.new} nieuw, "
                f"{self.changed} gewijzigd, {self.unchanged} ongewijzigd")
        if self.missing:
            text += (f"; {self.missing} in de database maar niet in de bestanden (niet "
                     "verwijderd)")
        return text


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    issues: list[ImportIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    changes: list[FileChanges] = field(default_factory=list)  # exchange format only
    full_refresh: bool = False  # the import compared the whole file set with the database

    @property
    def missing(self) -> int:
        """Rows a full refresh found in the database but not in the file set."""
        return sum(c.missing or 0 for c in self.changes)
