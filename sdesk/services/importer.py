"""Import of exchange format v1 (DESIGN section 3). Placeholder: being written."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.errors import SdeskError

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


class ImportCancelled(SdeskError):
    pass


@dataclass(frozen=True)
class ImportIssue:
    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line or '-'}: {self.column or '-'}: {self.reason}"


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    issues: list[ImportIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def import_sources(engine: Engine, sources: Sequence[Path], progress: ProgressFn | None = None,
                   cancelled: CancelFn | None = None) -> ImportResult:
    raise NotImplementedError
