"""Which claims a budget line selects, and when two lines count the same claims twice (#15).

A line selects allocations by law, product categories and delivery form; an empty field
selects everything. An income line (negative budget, e.g. eigen bijdrage) takes no claims.
Two lines of one year overlap when every field lets some allocation through both: then the
same claims would be added up twice, so one of them must be marked as a subtotal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the editor and the report's assembly run without numpy and pandas
    import numpy as np
    import pandas as pd


@dataclass(frozen=True)
class LineSelection:
    name: str
    law: str | None
    categories: tuple[str, ...]
    delivery_form: str | None
    amount_cents: int
    subtotal: bool = False
    where: str = ""  # "begroting.csv:4" at import; empty in the editor

    @property
    def takes_claims(self) -> bool:
        """Income lines take no claims: their realisation is not in the claims."""
        return self.amount_cents >= 0

    @property
    def label(self) -> str:
        """The line's name, with its place in the file when known."""
        return f"'{self.name}'" + (f" ({self.where})" if self.where else "")


def parse_categories(text: str | None) -> tuple[str, ...]:
    """The stored comma-separated category codes as a tuple."""
    return tuple(c for c in (text or "").split(",") if c)


def selects(frame: pd.DataFrame, law: str | None, categories: Sequence[str],
            delivery_form: str | None) -> np.ndarray:
    """The allocations of `frame` (law, category, delivery_form columns) a line selects."""
    import numpy as np

    mask = np.ones(len(frame), dtype=bool)
    if law:
        mask &= (frame["law"] == law).to_numpy()
    if categories:
        mask &= frame["category"].isin(list(categories)).to_numpy()
    if delivery_form:
        mask &= (frame["delivery_form"] == delivery_form).to_numpy()
    return mask


def overlaps(a: LineSelection, b: LineSelection) -> bool:
    """Whether two lines can select the same claims (subtotals and income excepted)."""
    if a.subtotal or b.subtotal or not a.takes_claims or not b.takes_claims:
        return False
    if a.law and b.law and a.law != b.law:
        return False
    if a.categories and b.categories and not set(a.categories) & set(b.categories):
        return False
    return not (a.delivery_form and b.delivery_form and a.delivery_form != b.delivery_form)


def overlap_message(a: LineSelection, b: LineSelection) -> str:
    """The Dutch refusal naming both lines and what to do."""
    return (f"begrotingspost {b.label} selecteert dezelfde declaraties als {a.label}: "
            "dan tellen die declaraties twee keer mee in het totaal. Maak de selecties "
            "(wet, productcategorieën, leveringsvorm) verschillend of markeer één van beide "
            "als subtotaal (kolom subtotaal = ja).")


def find_overlaps(lines: Sequence[LineSelection]) -> list[tuple[LineSelection, LineSelection]]:
    """Every pair (earlier, later) of overlapping lines, in the order given."""
    return [(a, b) for i, a in enumerate(lines) for b in lines[i + 1:] if overlaps(a, b)]
