"""What the database already holds, for checking references in an import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
from sqlalchemy import Connection


class Spans(NamedTuple):
    """Per claim line: its allocation's period, where the allocation is known."""

    found: np.ndarray  # bool
    start: np.ndarray  # ISO text ("" where not found)
    end: np.ndarray  # ISO text, "9999-12-31" where open or not found


def pair_positions(laws: np.ndarray, numbers: np.ndarray,
                   pairs: list[tuple[str, str]]) -> np.ndarray:
    """Per line: the position of its (law, number) in `pairs`, -1 where absent. A hash
    index per law: a million claim lines in a fraction of a second, where a dict lookup per
    line takes seconds."""
    at = np.full(len(laws), -1, dtype=np.int64)
    by_law: dict[str, tuple[list[str], list[int]]] = {}
    for position, (law, number) in enumerate(pairs):
        entry = by_law.setdefault(law, ([], []))
        entry[0].append(number)
        entry[1].append(position)
    for law, (law_numbers, positions) in by_law.items():
        rows = np.flatnonzero(laws == law)
        if not rows.size:
            continue
        # Object indexes: pandas' str dtype would first copy and check every number.
        index = pd.Index(law_numbers, dtype=object)
        hit = index.get_indexer(pd.Index(numbers[rows], dtype=object))
        at[rows] = np.where(hit >= 0, np.asarray(positions, dtype=np.int64)[hit], -1)
    return at


@dataclass
class Known:
    """Keys known from the database, extended with each file as it is checked."""

    households: set[str] = field(default_factory=set)
    persons: dict[str, str] = field(default_factory=dict)  # person -> household external id
    employees: set[str] = field(default_factory=set)
    # (law, toewijzingnummer) -> (start ISO, end ISO or None)
    allocations: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    # (law, product_code) -> [(valid_from ISO, valid_to ISO or None, cents)]
    tariffs: dict[tuple[str, str], list[tuple[str, str | None, int]]] = field(default_factory=dict)
    cost_items: set[str] = field(default_factory=set)
    codelists: dict[str, set[str]] = field(default_factory=dict)
    # year -> the stored budget lines (name, law, categories, delivery form, cents, subtotal)
    budget_lines: dict[int, list[tuple[str, str | None, str | None, str | None, int, bool]]] = (
        field(default_factory=dict))

    def tariff_at(self, law: str, product_code: str, day: str) -> int | None:
        """The tariff in cents valid on `day` (ISO) for a product, None when there is none."""
        best: tuple[str, int] | None = None
        for valid_from, valid_to, cents in self.tariffs.get((law, product_code), []):
            if valid_from <= day and (valid_to is None or day <= valid_to) and (
                    best is None or valid_from > best[0]):
                best = (valid_from, cents)
        return best[1] if best else None

    def spans(self, laws: np.ndarray, numbers: np.ndarray) -> Spans:
        """The period of each line's allocation (law, toewijzingnummer)."""
        pairs = list(self.allocations)
        at = pair_positions(laws, numbers, pairs)
        found = at >= 0
        firsts = np.array([first for first, _ in self.allocations.values()] + [""],
                          dtype=object)
        lasts = np.array([last or "9999-12-31" for _, last in self.allocations.values()]
                         + ["9999-12-31"], dtype=object)
        return Spans(found, firsts[at], lasts[at])  # position -1: the filler at the end


def load_known(conn: Connection) -> Known:
    """What the database already holds that imported rows may refer to."""
    known = Known()
    known.households = {r[0] for r in conn.exec_driver_sql("SELECT external_id FROM household")}
    known.persons = dict(conn.exec_driver_sql(
        "SELECT p.external_id, h.external_id FROM person p JOIN household h "
        "ON h.id = p.household_id").all())
    known.employees = {r[0] for r in conn.exec_driver_sql("SELECT external_id FROM employee")}
    known.allocations = {(law, nr): (start, end) for law, nr, start, end in conn.exec_driver_sql(
        "SELECT law, toewijzingnummer, start_date, end_date FROM allocation")}
    for law, code, valid_from, valid_to, cents in conn.exec_driver_sql(
            "SELECT law, product_code, valid_from, valid_to, cents FROM tariff"):
        known.tariffs.setdefault((law, code), []).append((valid_from, valid_to, cents))
    known.cost_items = {r[0] for r in conn.exec_driver_sql("SELECT name FROM cost_map_item")}
    for codelist, code in conn.exec_driver_sql("SELECT codelist, code FROM codelist_entry"):
        known.codelists.setdefault(codelist, set()).add(code)
    for year, name, law, cats, form, cents, subtotal in conn.exec_driver_sql(
            "SELECT year, name, law, categories, delivery_form, amount_cents, subtotal "
            "FROM budget_line ORDER BY id"):
        known.budget_lines.setdefault(int(year), []).append(
            (name, law, cats, form, int(cents), bool(subtotal)))
    return known
