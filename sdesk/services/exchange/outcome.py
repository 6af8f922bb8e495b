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
class ImportResult:
    ok: bool
    issues: list[ImportIssue] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
