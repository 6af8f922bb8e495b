"""Collects every refusal as file:line: column: reason (not just the first)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

MAX_ISSUES = 5000  # a report longer than this helps nobody; the rest is counted


@dataclass(frozen=True)
class ImportIssue:
    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line if self.line is not None else '-'}: " \
               f"{self.column or '-'}: {self.reason}"


class Report:
    def __init__(self) -> None:
        self.issues: list[ImportIssue] = []
        self.warnings: list[str] = []
        self.suppressed = 0

    def add(self, file: str, line: int | None, column: str | None, reason: str) -> None:
        """Add one issue; beyond MAX_ISSUES they are only counted."""
        if len(self.issues) >= MAX_ISSUES:
            self.suppressed += 1
            return
        self.issues.append(ImportIssue(file, line, column, reason))

    def add_rows(self, file: str, lines: np.ndarray, mask: np.ndarray, column: str | None,
                 reasons: str | Iterable[str] | Callable[[int], str]) -> None:
        """One issue per row where mask is true; reasons is one text, one per row, or a
        function of the row index (worded only for the rows reported, not a million)."""
        idx = np.flatnonzero(mask)
        if idx.size == 0:
            return
        if isinstance(reasons, str):
            texts: list[str] = [reasons] * idx.size
        elif callable(reasons):
            texts = [reasons(i) for i in idx.tolist()]
        else:
            all_reasons = list(reasons)
            texts = [all_reasons[i] for i in idx]
        for i, text in zip(idx.tolist(), texts, strict=True):
            self.add(file, int(lines[i]), column, text)

    @property
    def ok(self) -> bool:
        """Whether there is no issue at all (counted ones included)."""
        return not self.issues and not self.suppressed

    def sorted_issues(self) -> list[ImportIssue]:
        """Per file in the order files were read, then by line, so a report reads top-down."""
        file_order: dict[str, int] = {}
        for issue in self.issues:
            file_order.setdefault(issue.file, len(file_order))
        out = sorted(self.issues, key=lambda i: (file_order[i.file], i.line or 0))
        if self.suppressed:
            out.append(ImportIssue("(rapport)", None, None,
                                   f"en nog {self.suppressed} fout(en) die niet zijn getoond"))
        return out
