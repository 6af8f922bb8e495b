"""The council's atoms and persons on hand-made frames (issue 17 item 4): selections on
integer codes instead of Python strings, distinct persons without a sort, and atoms merged
from one evaluation of each figure. Every expected number is counted by hand below."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from sdesk.services.council.atoms import ActivePersons, MoneyAtoms, merge_atoms

JAN = (date(2025, 1, 1), date(2025, 1, 31))
Q1 = (date(2025, 1, 1), date(2025, 3, 31))


def _atoms() -> MoneyAtoms:
    # row: first, last, law, category, referrer, team, form
    rows = [
        ("2025-01-01", "2025-01-31", "jeugd", "45", "01", 1.0, None),   # 0
        ("2025-01-01", "2025-01-31", "jeugd", "41", "02", 2.0, "zin"),  # 1
        ("2025-02-01", "2025-02-28", "jeugd", "41", "onbekend", 1.0, "pgb"),  # 2
        ("2025-03-01", "2025-03-15", "wmo", "01", "01", np.nan, ""),    # 3
        ("2025-04-01", "2025-04-30", "wmo", "01", "01", 1.0, None),     # 4
    ]
    frame = pd.DataFrame(rows, columns=["first", "last", "law", "category", "referrer",
                                        "team_id", "form"])
    frame["first"] = pd.to_datetime(frame["first"])
    frame["last"] = pd.to_datetime(frame["last"])
    return MoneyAtoms(frame)


def _rows(mask: np.ndarray) -> list[int]:
    return np.flatnonzero(mask).tolist()


def test_money_atoms_are_selected_by_span_and_each_filter() -> None:
    atoms = _atoms()
    assert _rows(atoms.select(JAN)) == [0, 1]
    assert _rows(atoms.select(Q1)) == [0, 1, 2, 3]  # April lies after Q1
    assert _rows(atoms.select(Q1, law="jeugd")) == [0, 1, 2]
    assert _rows(atoms.select(Q1, law="participatie")) == []  # a law without atoms
    assert _rows(atoms.select(Q1, team_id=1)) == [0, 2]  # no team (NaN) matches no id
    assert _rows(atoms.select(Q1, team_id=-1)) == []  # an unknown team matches nothing
    assert _rows(atoms.select(Q1, categories=("41", "99"))) == [1, 2]
    assert _rows(atoms.select(Q1, referrers=("02", "onbekend"))) == [1, 2]
    assert _rows(atoms.select(Q1, form="zin")) == [1]
    # An atom without a form (None) or with the empty form is no "pgb".
    assert _rows(atoms.select(Q1, law="jeugd", categories=("41",), form="pgb")) == [2]
    assert list(atoms.years) == [2025] * 5
    assert list(atoms.laws) == ["jeugd", "jeugd", "jeugd", "wmo", "wmo"]


def _persons() -> ActivePersons:
    # person 7 has two allocations (45 and 41), person 8 one that ends in January, person 9
    # one without an end and no team, person 10 starts in April.
    rows = [
        (7, "jeugd", "45", "01", "zin", 1.0, "2024-06-01", "2025-12-31"),
        (7, "jeugd", "41", "02", "pgb", 1.0, "2025-02-01", "2025-02-28"),
        (8, "jeugd", "41", "onbekend", "zin", 2.0, "2024-01-01", "2025-01-15"),
        (9, "wmo", "01", "01", None, np.nan, "2023-01-01", None),
        (10, "jeugd", "45", "08", "zin", 1.0, "2025-04-01", None),
    ]
    frame = pd.DataFrame(rows, columns=["person_id", "law", "category", "referrer",
                                        "delivery_form", "team_id", "start_date", "end_date"])
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return ActivePersons(frame)


def test_distinct_persons_per_selection() -> None:
    persons = _persons()
    assert persons.count(Q1) == 3  # 7 (twice), 8, 9; 10 starts after Q1
    assert persons.count((date(2025, 2, 1), date(2025, 12, 31))) == 3  # 7, 9, 10
    assert persons.count(Q1, law="jeugd") == 2
    assert persons.count(Q1, categories=("41",)) == 2  # 7 and 8
    assert persons.count(Q1, referrers=("02", "01")) == 2  # 7 and 9
    assert persons.count(Q1, form="zin") == 2  # 7 and 8; 9 has no form
    assert persons.count(Q1, team_id=1) == 1  # only 7
    assert persons.count(Q1, team_id=-1) == 0
    assert persons.count(Q1, law="jeugd", categories=("41",), form="pgb") == 1
    # Any of two selections: 7 through 41 "pgb", 9 through wmo; 7 counts once.
    assert persons.count_any(Q1, [{"law": "jeugd", "categories": ("41",), "form": "pgb"},
                                  {"law": "wmo"}, {"law": "jeugd", "team_id": 1}]) == 2
    assert persons.count_any(Q1, []) == 0
    assert persons.by_referrer(Q1, "jeugd", None) == {"01": 1, "02": 1, "onbekend": 1}


def test_rows_every_figure_weighs_alike_become_one_atom() -> None:
    # Four rows. Rows 0 and 1 are weighed alike by every figure (the -0.0 of the last figure
    # is a zero), so they are one unknown; rows 2 and 3 differ in the last figure.
    figures = [np.array([1.0, 1.0, 0.0, 0.0]), np.array([0.0, 0.0, 1.0, 1.0]),
               np.array([1.0, 1.0, 1.0, 1.0]), np.array([-0.0, 0.0, 2.0, 0.0])]
    calls = [0] * len(figures)

    def figure(i: int):  # type: ignore[no-untyped-def]
        def coefficients() -> np.ndarray:
            calls[i] += 1
            return figures[i]
        return coefficients

    first, second, total, last = merge_atoms([figure(i) for i in range(4)], 4)
    assert calls == [1, 1, 1, 1]  # each figure is evaluated once
    assert list(first.values()) == [1.0]  # rows 0 and 1: one atom
    assert list(second.values()) == [1.0, 1.0]  # rows 2 and 3: two atoms
    assert list(total) == [*first, *second]  # the same three atoms, in row order
    assert last == {next(iter(second)): 2.0}  # row 2, weighed 2
    assert len(set(first) | set(second)) == 3
