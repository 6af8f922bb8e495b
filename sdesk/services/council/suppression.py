"""Small-cell protection for figures that leave sdesk (DESIGN section 8), the way statistical
offices protect their tables (CBS, Eurostat, tau-argus):

1. Primary suppression: a figure about 1 to 9 persons is hidden ("<10"). That is a count of
   1 to 9 persons, and also an amount, average or share over such a group: the cost of a
   category with 3 clients tells as much about them as their number does.
2. Complementary suppression: no hidden figure may be derivable from what is shown. Every
   figure is a linear combination of unknowns ("atoms": the finest groups the data fall into,
   such as the claims of one month, law, category, referrer and team, or the persons of one
   category). A hidden figure can be derived exactly when its vector lies in the span of the
   shown figures' vectors: that covers totals and subtotals, the same money on another sheet
   or at another grouping, a share of a shown total and a total minus its other parts. A count
   shown as "<10" is also known to lie in 1..9, so a total with its parts is checked for that
   as well (two hidden counts under a total of 2 are both 1). While a primary figure can be
   derived, the cheapest shown figure that takes part in deriving it is hidden too ("x"):
   parts before totals, small before large, a zero only when nothing else will do.
3. A derived figure without a linear meaning (cost per client, a share, clients per 1,000
   inhabitants) is hidden with the figures it is derived from.

Pure functions on plain data: no database and no workbook here.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
import numpy.typing as npt

SMALL = 10
SUPPRESSED = "<10"  # shown for a primary (small) figure
COMPLEMENTARY = "x"  # shown for a figure hidden so that a small one cannot be derived

_TOLERANCE = 1e-10  # of the largest eigenvalue of the rows' Gram matrix
Matrix = npt.NDArray[np.float64]


class Status(Enum):
    """How a figure goes out: shown, hidden as small ("<10"), hidden to protect ("x")."""

    SHOWN = "shown"
    PRIMARY = "primary"
    SECONDARY = "secondary"

    @property
    def hidden(self) -> bool:
        """True when the figure's value must not be written."""
        return self is not Status.SHOWN

    @property
    def marker(self) -> str | None:
        """What the cell shows instead of the value (None: the value itself)."""
        return {Status.PRIMARY: SUPPRESSED, Status.SECONDARY: COMPLEMENTARY}.get(self)


@dataclass(frozen=True)
class Figure:
    """One published number.

    `atoms` is the figure as a linear combination of unknowns; a figure without atoms says
    nothing linear (a ratio like cost per client) and is hidden with its `sources`.
    `persons` is the size of the group behind it (primary when 1..9); `count` says the value
    itself counts persons, so a hidden one is known to be 1..9. `weight` is what hiding it
    costs the reader: totals weigh more than their parts.
    """

    key: Hashable
    value: float | None
    atoms: Mapping[Hashable, float] = field(default_factory=dict)
    persons: int | None = None
    count: bool = False
    weight: float = 1.0
    sources: tuple[Hashable, ...] = ()


def is_small(persons: int | None, small: int = SMALL) -> bool:
    """1 to small-1 persons; zero identifies nobody."""
    return persons is not None and 0 < persons < small


def protect(figures: Sequence[Figure], small: int = SMALL) -> dict[Hashable, Status]:
    """The status of every figure: primary when small, complementary where needed so that
    no primary figure can be derived from the shown ones, and hidden with its sources."""
    status = {f.key: Status.PRIMARY if is_small(f.persons, small) else Status.SHOWN
              for f in figures}
    model = [f for f in figures if f.atoms]
    linear = _Linear(model)
    primary = [i for i, f in enumerate(model) if status[f.key] is Status.PRIMARY]

    def leak() -> list[int] | None:
        shown = {i for i, f in enumerate(model) if status[f.key] is Status.SHOWN}
        found = linear.leak(shown, primary)
        return found if found is not None else _pinned(model, status, small)

    chosen: list[int] = []
    while (participants := leak()) is not None:
        pick = min(participants, key=lambda i: _cost(model, i))
        status[model[pick].key] = Status.SECONDARY
        chosen.append(pick)
    # Greedy choices can be more than needed (a twin hidden before the figure that was
    # really needed): show again, most valuable first, whatever is not needed after all.
    for i in sorted(chosen, key=lambda i: _cost(model, i), reverse=True):
        status[model[i].key] = Status.SHOWN
        if leak() is not None:
            status[model[i].key] = Status.SECONDARY
    changed = True
    while changed:  # derived figures follow their sources, also through other derived ones
        changed = False
        for f in figures:
            if status[f.key] is Status.SHOWN and any(status[s].hidden for s in f.sources
                                                      if s in status):
                status[f.key] = Status.SECONDARY
                changed = True
    return status


def derivable(figures: Sequence[Figure], status: Mapping[Hashable, Status]) -> list[Hashable]:
    """The hidden figures with atoms that the shown ones determine (for tests and checks)."""
    model = [f for f in figures if f.atoms]
    linear = _Linear(model)
    shown = {i for i, f in enumerate(model) if not status[f.key].hidden}
    return [model[i].key for i in range(len(model))
            if i not in shown and linear.leak(shown, [i]) is not None]


class _Linear:
    """The span of the shown figures, per independent block, for "can this be derived?".

    A figure with an atom no other figure has can neither be derived nor help derive
    anything, so it is left out ("peeled", repeatedly); the rest falls apart into blocks
    that share no atom, and each block's decomposition is kept until its shown set changes.
    """

    def __init__(self, model: list[Figure]) -> None:
        columns = {a: j for j, a in enumerate(dict.fromkeys(a for f in model for a in f.atoms))}
        self.matrix = np.zeros((len(model), len(columns)))
        for i, f in enumerate(model):
            for atom, coefficient in f.atoms.items():
                self.matrix[i, columns[atom]] = coefficient
        self.blocks = _blocks(self.matrix)
        self.block_of = {i: b for b, (rows, _) in enumerate(self.blocks) for i in rows}
        self._cache: dict[tuple[int, tuple[int, ...]], tuple[Matrix, Matrix, Matrix]] = {}

    def leak(self, shown: set[int], targets: list[int]) -> list[int] | None:
        """The shown figures a derivation of the first derivable target uses, or None."""
        for target in targets:
            block = self.block_of.get(target)
            if block is None:
                continue  # peeled: it has an unknown of its own
            rows, cols = self.blocks[block]
            visible = tuple(i for i in rows if i in shown)
            vector = self.matrix[target, cols]
            norm = float(np.linalg.norm(vector))
            if norm == 0 or not visible:
                continue
            u, singular, vt = self._decompose(block, visible)
            coords = vt @ vector
            if float(np.linalg.norm(vector - coords @ vt)) > 1e-7 * norm:
                continue
            # rows = U S Vt, so rows.T @ alpha = vector for alpha = U S^-1 Vt vector
            alpha = u @ (coords / singular)
            top = float(np.abs(alpha).max())
            return [visible[k] for k, a in enumerate(alpha) if abs(a) > 1e-9 * max(top, 1.0)]
        return None

    def _decompose(self, block: int, visible: tuple[int, ...]) -> tuple[Matrix, Matrix, Matrix]:
        """(U, S, Vt) of the block's shown rows, each scaled to length 1 (which leaves their
        span as it is), through the small Gram matrix: cheaper than an SVD of the rows."""
        key = (block, visible)
        if key not in self._cache:
            cols = self.blocks[block][1]
            rows = self.matrix[np.ix_(np.array(visible, dtype=np.intp), cols)]
            rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
            eigen, vectors = np.linalg.eigh(rows @ rows.T)
            keep = eigen > _TOLERANCE * max(1.0, float(eigen.max(initial=0.0)))
            singular = np.sqrt(eigen[keep])
            u = vectors[:, keep]
            if len(self._cache) > 64:  # the greedy walks forward: old states are not needed
                self._cache.clear()
            self._cache[key] = (u, singular, (u / singular).T @ rows)
        return self._cache[key]


def _blocks(matrix: Matrix) -> list[tuple[list[int], npt.NDArray[np.intp]]]:
    """(rows, columns) of each block of figures that share atoms, after peeling."""
    nonzero = matrix != 0
    alive = np.ones(matrix.shape[0], dtype=bool)
    while True:
        private = nonzero[alive].sum(axis=0) == 1
        inert = alive & nonzero[:, private].any(axis=1)
        if not inert.any():
            break
        alive &= ~inert
    parent = list(range(matrix.shape[0]))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for col in range(matrix.shape[1]):
        members = np.flatnonzero(alive & nonzero[:, col])
        for other in members[1:]:
            parent[root(int(other))] = root(int(members[0]))
    groups: dict[int, list[int]] = {}
    for i in np.flatnonzero(alive):
        groups.setdefault(root(int(i)), []).append(int(i))
    return [(rows, np.flatnonzero(nonzero[rows].any(axis=0))) for rows in groups.values()]


def _cost(model: list[Figure], i: int) -> tuple[bool, float, float, int]:
    """Hide a zero only when nothing else will do (a hidden zero protects nothing), then
    the lowest weight, then the smallest value."""
    value = abs(model[i].value or 0.0)
    return value == 0, model[i].weight, value, i


def _pinned(model: list[Figure], status: Mapping[Hashable, Status],
            small: int) -> list[int] | None:
    """A shown count total whose hidden parts, known to be 1..small-1 ("<10") or at least
    `small` ("x"), leave one primary part a single possible value: the figures to choose
    from to stop that. None when there is none."""
    leaves: dict[Hashable, list[int]] = {}
    for i, f in enumerate(model):
        if f.count and len(f.atoms) == 1 and next(iter(f.atoms.values())) == 1:
            leaves.setdefault(next(iter(f.atoms)), []).append(i)
    for t, total in enumerate(model):
        if (not total.count or status[total.key].hidden or len(total.atoms) < 2
                or total.value is None or any(c != 1 for c in total.atoms.values())):
            continue
        rest = float(total.value)
        bounds: list[tuple[float, float, int | None]] = []  # (low, high, primary leaf)
        shown_parts: list[int] = []
        for atom in total.atoms:
            parts = leaves.get(atom, [])
            visible = [i for i in parts if not status[model[i].key].hidden]
            if visible:
                rest -= float(model[visible[0]].value or 0)
                shown_parts.append(visible[0])
            elif any(status[model[i].key] is Status.PRIMARY for i in parts):
                bounds.append((1.0, float(small - 1), next(
                    i for i in parts if status[model[i].key] is Status.PRIMARY)))
            elif parts and (model[parts[0]].value or 0) >= small:
                bounds.append((float(small), math.inf, None))
            else:
                bounds.append((0.0, math.inf, None))
        for k, (low, high, leaf) in enumerate(bounds):
            if leaf is None:
                continue
            others_low = sum(b[0] for j, b in enumerate(bounds) if j != k)
            others_high = sum(b[1] for j, b in enumerate(bounds) if j != k)
            if max(low, rest - others_high) == min(high, rest - others_low):
                return [*(i for i in shown_parts if model[i].value), t]
    return None
