"""Primary and complementary small-cell suppression (issue 14 item 6) on hand-made tables.

Each table is a few parts and their total; a part is an unknown of its own ("atom"), a total
is the sum of its parts' atoms. Every expected status is worked out in the test.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import pytest

from sdesk.services.council.suppression import (
    COMPLEMENTARY,
    SUPPRESSED,
    Figure,
    Status,
    derivable,
    is_small,
    protect,
)

P, S, SHOWN = Status.PRIMARY, Status.SECONDARY, Status.SHOWN


def _count(key: str, value: int, atoms: Iterable[str], weight: float = 1.0) -> Figure:
    """A count of persons over the atoms named by `atoms` (a string: one per letter)."""
    return Figure(key, value, {a: 1.0 for a in atoms}, persons=value, count=True,
                  weight=weight)


def _money(key: str, value: float, atoms: str, persons: int, weight: float = 1.0) -> Figure:
    return Figure(key, value, {a: 1.0 for a in atoms}, persons=persons, weight=weight)


def test_small_means_one_to_nine() -> None:
    assert [is_small(n) for n in (None, 0, 1, 9, 10, 250)] == [False, False, True, True,
                                                                False, False]
    assert (P.marker, S.marker, SHOWN.marker) == (SUPPRESSED, COMPLEMENTARY, None)
    assert (SUPPRESSED, COMPLEMENTARY) == ("<10", "x")


def test_a_small_cell_in_a_line_with_a_total_gets_a_partner() -> None:
    # 3 + 15 + 40 = 58. Hiding only the 3 leaves it as 58 - 15 - 40; the cheapest other part
    # (15) goes too, the total stays. Then 3 + 15 = 18 is all one can tell.
    figures = [_count("a", 3, "a"), _count("b", 15, "b"), _count("c", 40, "c"),
               _count("total", 58, "abc", weight=20)]
    status = protect(figures)
    assert status == {"a": P, "b": S, "c": SHOWN, "total": SHOWN}
    assert derivable(figures, status) == []
    # Without the partner the total gives the small cell back: that is what is prevented.
    assert derivable(figures, {**status, "b": SHOWN}) == ["a"]


def test_a_hidden_zero_protects_nothing() -> None:
    # 3 + 0 + 20 = 23: the zero is not taken as partner (it would still be known), the 20 is.
    figures = [_count("a", 3, "a"), _count("zero", 0, "b"), _count("c", 20, "c"),
               _count("total", 23, "abc", weight=20)]
    assert protect(figures) == {"a": P, "zero": SHOWN, "c": S, "total": SHOWN}


def test_two_small_cells_that_their_bounds_give_away() -> None:
    # 1 + 1 + 30 = 32: both "<10" and 32 - 30 = 2 = 1 + 1, so both are 1. The 30 is hidden
    # too ("x" is at least 10): then "<10" + "<10" + "x" = 32 leaves each small cell 1..9.
    figures = [_count("a", 1, "a"), _count("b", 1, "b"), _count("c", 30, "c"),
               _count("total", 32, "abc", weight=20)]
    assert protect(figures) == {"a": P, "b": P, "c": S, "total": SHOWN}
    # 4 + 5 + 30 = 39: 4 + 5 = 9 allows 1 + 8 up to 8 + 1, so nothing more is hidden.
    figures = [_count("a", 4, "a"), _count("b", 5, "b"), _count("c", 30, "c"),
               _count("total", 39, "abc", weight=20)]
    assert protect(figures) == {"a": P, "b": P, "c": SHOWN, "total": SHOWN}


def test_a_table_with_row_and_column_totals_hides_a_rectangle() -> None:
    #        c1  c2  c3 | total
    #  r1     3  20  30 |    53
    #  r2    25  40  35 |   100
    #  r3    15  22  50 |    87
    #  total 43  82 115 |   240
    # The 3 needs a partner in its row (20), one in its column (15), and the cell where that
    # row and column cross (22): any one missing and a row or column total gives it back.
    grid = [[3, 20, 30], [25, 40, 35], [15, 22, 50]]
    figures = [_count(f"r{i}c{j}", v, [f"{i}{j}"]) for i, row in enumerate(grid, 1)
               for j, v in enumerate(row, 1)]
    figures += [_count(f"r{i}", sum(row), [f"{i}{j}" for j in range(1, 4)], 5)
                for i, row in enumerate(grid, 1)]
    figures += [_count(f"c{j}", sum(r[j - 1] for r in grid),
                       [f"{i}{j}" for i in range(1, 4)], 5) for j in range(1, 4)]
    figures.append(_count("total", 240, [f"{i}{j}" for i in range(1, 4)
                                         for j in range(1, 4)], 20))
    status = protect(figures)
    hidden = {k for k, s in status.items() if s.hidden}
    assert hidden == {"r1c1", "r1c2", "r3c1", "r3c2"}
    assert derivable(figures, status) == []
    # An attacker who knows every shown number and that "<10" is 1..9 and "x" at least 10:
    # r1c2 = 53 - 30 - a, r3c1 = 43 - 25 - a, r3c2 = 87 - 50 - r3c1 = 19 + a, all >= 10:
    # the small cell can be anything from 1 to 8.
    fits = [a for a in range(1, 10)
            if all(v >= 10 for v in (23 - a, 18 - a, 19 + a))]
    assert fits == list(range(1, 9))


def test_money_of_a_small_group_and_the_same_money_on_another_sheet() -> None:
    # Costs by category (41: 3 clients, EUR 450; 45: EUR 3,600; 43: EUR 6,600) with their
    # total, and budget lines that select exactly those categories in the same period.
    figures = [_money("cat41", 450, "c", 3), _money("cat45", 3600, "a", 12),
               _money("cat43", 6600, "b", 11), _money("total", 10650, "abc", 26, 20),
               _money("line41", 450, "c", 3), _money("line45", 3600, "a", 12),
               _money("line43", 6600, "b", 11), _money("line_total", 10650, "abc", 26, 20)]
    status = protect(figures)
    assert status == {"cat41": P, "line41": P, "cat45": S, "line45": S, "cat43": SHOWN,
                      "line43": SHOWN, "total": SHOWN, "line_total": SHOWN}
    assert derivable(figures, status) == []


def test_a_share_of_a_shown_total_is_an_equation() -> None:
    # Referrers 01 (EUR 3,600), 02 (3 clients, EUR 450) and 08 (EUR 6,600), total 10,650.
    # "Via third parties" (02 and 08) is s = 7,050 / 10,650: s x total - 02 - 08 = 0, so with
    # the total and 08 shown it gives 02 back. The share (weight 0.5) goes before an amount.
    s = 7050 / 10650
    figures = [_money("r01", 3600, "a", 12), _money("r02", 450, "c", 3),
               _money("r08", 6600, "b", 11), _money("total", 10650, "abc", 26, 20),
               Figure("share", s, {"a": s, "b": s - 1, "c": s - 1}, persons=14, weight=0.5)]
    status = protect(figures)
    assert status == {"r01": S, "r02": P, "r08": SHOWN, "total": SHOWN, "share": S}
    assert derivable(figures, status) == []


def test_derived_figures_follow_their_sources() -> None:
    # Cost per client = cost / clients: with the clients hidden it would give them back.
    figures = [_count("clients", 26, "n"), _money("cost", 10650, "m", 26),
               _count("small", 4, "k"),
               Figure("per_client", 409.6, persons=26, sources=("clients", "cost")),
               Figure("share_small", 0.15, persons=4),
               Figure("of_derived", 1.0, sources=("per_client",))]
    status = protect(figures)
    assert status["per_client"] is SHOWN and status["share_small"] is P
    status = protect([_count("clients", 7, "n"), *figures[1:]])
    assert (status["clients"], status["per_client"], status["of_derived"]) == (P, S, S)


@pytest.mark.parametrize("values", list(itertools.product((2, 12), (0, 5, 30), (40, 7))))
def test_no_small_cell_is_ever_derivable(values: tuple[int, int, int]) -> None:
    # Every mix of small, zero and large parts under one total: no hidden small cell can be
    # computed from what is shown, and no shown cell is small.
    a, b, c = values
    figures = [_count("a", a, "a"), _count("b", b, "b"), _count("c", c, "c"),
               _count("total", a + b + c, "abc", 20)]
    status = protect(figures)
    assert derivable(figures, status) == []
    assert all(status[f.key].hidden for f in figures if is_small(f.persons))
    assert sum(status[f.key].hidden for f in figures) != 1
