"""What every part of the demo generator shares: size presets, the calendar of the history,
and an array helper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

HISTORY_YEARS = 5
LEAD_YEARS = 10  # allocations may start this long before the history and still run in it


@dataclass(frozen=True)
class SizePreset:
    inhabitants: int
    allocations: int  # aimed at; the generator lands within a few percent
    claims: int  # roughly expected, for documentation


SIZES: dict[str, SizePreset] = {
    "tiny": SizePreset(5_000, 300, 4_500),
    "small": SizePreset(30_000, 10_000, 150_000),
    "medium": SizePreset(80_000, 60_000, 1_000_000),
    "large": SizePreset(250_000, 200_000, 3_500_000),
    "g4": SizePreset(900_000, 700_000, 12_000_000),
}


def history_start(until: date) -> date:
    """First day of the claim history: HISTORY_YEARS before `until`, the day after."""
    try:
        back = until.replace(year=until.year - HISTORY_YEARS)
    except ValueError:  # 29 February
        back = until.replace(year=until.year - HISTORY_YEARS, day=28)
    return back + timedelta(days=1)


def _d64(value: date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


@dataclass(frozen=True, eq=False)
class Span:
    """The demo's calendar: its last day with claims, the first day of the history, and the
    earliest day an allocation may start and still run into the history."""

    until: date
    until64: np.datetime64
    hist64: np.datetime64
    window_lo: np.datetime64
    years: np.ndarray  # every calendar year from window_lo's to until's

    @classmethod
    def ending(cls, until: date) -> Span:
        """The span of a demo whose history ends on `until`."""
        hist64 = _d64(history_start(until))
        window_lo = hist64 - int(LEAD_YEARS * 365.25)
        first_year = int(str(window_lo)[:4])
        return cls(until, _d64(until), hist64, window_lo, np.arange(first_year, until.year + 1))


def group_offsets(counts: np.ndarray) -> np.ndarray:
    """Position of each repeated element within its group (0, 1, ... per group)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    offsets: np.ndarray = np.arange(total) - starts
    return offsets
