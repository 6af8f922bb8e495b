"""Budget lines that add up (#15 item 5): when two lines' selections overlap."""

from __future__ import annotations

from sdesk.services.budget.selection import LineSelection, find_overlaps, overlaps


def _line(name: str, law: str | None = None, cats: tuple[str, ...] = (),
          form: str | None = None, amount: int = 100, subtotal: bool = False) -> LineSelection:
    return LineSelection(name, law, cats, form, amount, subtotal, f"begroting.csv:{name}")


def test_selections_overlap_where_every_field_lets_something_through() -> None:
    ambulant = _line("a", "jeugd", ("45", "50"), "zin")
    assert overlaps(ambulant, _line("b", "jeugd", ("50",)))  # 50 zin is in both
    assert overlaps(ambulant, _line("c"))  # an empty field selects everything
    assert overlaps(ambulant, _line("d", None, ("45",), None))
    assert not overlaps(ambulant, _line("e", "jeugd", ("45",), "pgb"))  # other form
    assert not overlaps(ambulant, _line("f", "jeugd", ("54",)))  # other categories
    assert not overlaps(ambulant, _line("g", "wmo", ("45",)))  # other law


def test_subtotals_and_income_lines_never_overlap() -> None:
    jeugd = _line("jeugd totaal", "jeugd", subtotal=True)
    ambulant = _line("ambulant", "jeugd", ("45",))
    assert not overlaps(jeugd, ambulant) and not overlaps(ambulant, jeugd)
    assert not overlaps(_line("eigen bijdrage", "wmo", amount=-5000), _line("wmo", "wmo"))


def test_find_overlaps_names_each_pair_once_in_file_order() -> None:
    lines = [_line("a", "jeugd"), _line("b", "wmo"), _line("c", "jeugd", ("45",)),
             _line("d", "wmo", ("01",))]
    assert [(a.name, b.name) for a, b in find_overlaps(lines)] == [("a", "c"), ("b", "d")]
