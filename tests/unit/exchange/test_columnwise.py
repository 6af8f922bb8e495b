"""The column-wise helpers of the import (issue 17): each answers per row what the row-by-row
code answered, judged once per distinct value or in one C loop per column."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdesk.services.exchange.importing.existing import Known, pair_positions
from sdesk.services.exchange.importing.parsing import Columns, member, pad_codes
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.importing.table import RawTable


def _columns(**values: list[str]) -> tuple[Columns, Report]:
    frame = pd.DataFrame(values, dtype=object)
    report = Report()
    table = RawTable("declaraties", "declaraties.csv", frame, np.arange(2, len(frame) + 2))
    return Columns(table, report), report


def _objects(*values: object) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def test_pair_positions_finds_each_law_and_number_and_marks_the_rest() -> None:
    pairs = [("wmo", "1"), ("jeugd", "1"), ("wmo", "2")]
    at = pair_positions(_objects("jeugd", "wmo", "wmo", "wlz", None, "wmo"),
                        _objects("1", "2", "1", "1", "1", "3"), pairs)
    assert at.tolist() == [1, 2, 0, -1, -1, -1]


def test_allocation_spans_per_line() -> None:
    known = Known(allocations={("wmo", "1"): ("2024-01-01", None),
                               ("jeugd", "1"): ("2024-02-01", "2024-06-30")})
    spans = known.spans(_objects("jeugd", "wmo", "wmo"), _objects("1", "1", "9"))
    assert spans.found.tolist() == [True, True, False]
    assert spans.start.tolist() == ["2024-02-01", "2024-01-01", ""]
    assert spans.end.tolist() == ["2024-06-30", "9999-12-31", "9999-12-31"]


def test_member_is_false_for_missing_values() -> None:
    assert member(_objects("a", None, "b", "a", float("nan")), {"a"}).tolist() == [
        True, False, False, True, False]
    assert member(_objects(), {"a"}).tolist() == []


def test_pad_codes_pads_digits_only_and_keeps_none() -> None:
    padded = pad_codes(_objects("1", None, "12", "A", "001"), 2)
    assert padded.tolist() == ["01", None, "12", "A", "001"]


def test_numbers_read_every_form_the_row_by_row_parser_read() -> None:
    cols, report = _columns(bedrag=["1,5", "", "1.234,56", "twee", "1_000", "2.5", "=1+2",
                                    "€ 3,00", "nan"])
    values = cols.numbers("bedrag")
    assert values[[0, 2, 4, 5, 7]].tolist() == [1.5, 1234.56, 1000.0, 2.5, 3.0]
    assert np.isnan(values[[1, 3, 6, 8]]).all()
    assert [str(i) for i in report.issues] == [
        "declaraties.csv:5: bedrag: ongeldig getal 'twee'",
        "declaraties.csv:8: bedrag: ongeldig getal '=1+2'",
        "declaraties.csv:10: bedrag: ongeldig getal 'nan'"]


def test_numbers_with_a_line_break_in_a_cell_are_read_cell_by_cell() -> None:
    cols, report = _columns(volume=["1,5", "2\n", "3"])
    assert cols.numbers("volume").tolist() == [1.5, 2.0, 3.0]
    assert report.ok


def test_choice_normalises_each_distinct_value_once() -> None:
    cols, report = _columns(wet=["WMO", "jeugd", "", "wlz", "Wmo"])
    values = cols.choice("wet", ("wmo", "jeugd"), required=True)
    assert values.tolist() == ["wmo", "jeugd", None, None, "wmo"]
    assert [str(i) for i in report.issues] == [
        "declaraties.csv:5: wet: onbekende waarde 'wlz' (toegestaan: wmo, jeugd)",
        "declaraties.csv:4: wet: verplicht veld is leeg"]


def test_a_reason_function_is_asked_only_for_the_reported_rows() -> None:
    report = Report()
    asked: list[int] = []

    def reason(i: int) -> str:
        asked.append(i)
        return f"rij {i}"

    report.add_rows("x.csv", np.arange(2, 1002), np.arange(1000) == 500, "kolom", reason)
    assert asked == [500]
    assert [str(i) for i in report.issues] == ["x.csv:502: kolom: rij 500"]
