"""The bounds and caps themselves: ranges, settings, Unicode clean-up, zip central directories.

Each test pins a value worked out by hand; the import and what-if tests (integration) show the
same bounds reaching the user as file:line messages.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sdesk.services.exchange.importing.limits import (
    MAX_IMPORT_ENV,
    max_archive_bytes,
    max_file_bytes,
    size_text,
    zip_problem,
)
from sdesk.services.exchange.importing.parsing import Columns
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.importing.table import RawTable
from sdesk.services.platform.bounds import (
    MAX_CLAIM_ENV,
    clean_code,
    date_problem,
    max_claim_cents,
    strip_invisible,
    volume_problem,
)
from sdesk.services.platform.errors import SdeskError
from tests.integration.exchange_data import forge_zip_sizes

MB = 2**20


# -- settings ---------------------------------------------------------------------------------

def test_claim_cap_default_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_CLAIM_ENV, raising=False)
    assert max_claim_cents() == 10_000_000 * 100  # EUR 10 million
    monkeypatch.setenv(MAX_CLAIM_ENV, "250000")
    assert max_claim_cents() == 25_000_000
    for wrong in ("0", "-5", "tien", "1e400"):
        monkeypatch.setenv(MAX_CLAIM_ENV, wrong)
        with pytest.raises(SdeskError, match=f"{MAX_CLAIM_ENV}='{wrong}' is geen geldig"):
            max_claim_cents()


def test_file_caps_default_and_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_IMPORT_ENV, raising=False)
    monkeypatch.delenv("SDESK_MAX_ZIP_MB", raising=False)
    assert (max_file_bytes(), max_archive_bytes()) == (512 * MB, 2048 * MB)
    monkeypatch.setenv(MAX_IMPORT_ENV, "3")
    assert max_file_bytes() == 3 * MB
    monkeypatch.setenv(MAX_IMPORT_ENV, "veel")
    with pytest.raises(SdeskError, match="geen geldig maximum"):
        max_file_bytes()


def test_size_text() -> None:
    assert [size_text(n) for n in (MB // 2, 3 * MB // 2, 10 * MB, 3 * 2**30)] == [
        "0,5 MB", "1,5 MB", "10 MB", "3.072 MB"]


# -- ranges -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    (2, None),
    (99_999_999, None),
    (1e23, "Het volume (1e+23) is groter dan het maximum van 99.999.999; controleer de invoer."),
    (float("inf"), "Het volume moet een gewoon getal zijn, geen inf."),
    (float("nan"), "Het volume moet een gewoon getal zijn, geen nan."),
    (0, "Het volume moet groter dan 0 zijn (nu 0)."),
    (True, "Het volume moet een getal zijn (nu True)."),
    ("3", "Het volume moet een getal zijn (nu '3')."),
])
def test_volume_problem(value: object, expected: str | None) -> None:
    assert volume_problem(value) == expected


def test_date_problem() -> None:
    assert date_problem(date(1900, 1, 1), "De datum") is None
    assert date_problem(date(2100, 12, 31), "De datum") is None
    assert date_problem(date(1899, 12, 31), "De datum") == (
        "De datum 1899-12-31 ligt buiten 1900-01-01..2100-12-31; controleer het jaartal.")
    assert date_problem(date(9999, 1, 1), "De peildatum") == (
        "De peildatum 9999-01-01 ligt buiten 1900-01-01..2100-12-31; controleer het jaartal.")


@pytest.mark.parametrize(("raw", "clean"), [
    ("\uff19\uff19\uff19\uff19\uff10\uff10\uff10\uff10\uff16", "999900006"),  # full width
    ("999900006\u00a0", "999900006"),  # no-break space at the end
    ("9999\u200b00006", "999900006"),  # zero-width space inside
    ("\ufeff45A48", "45A48"),  # a BOM pasted in front
    ("\u200e01\u200f", "01"),  # direction marks
    ("\uff14\uff15", "45"),
    ("7551\u00a0ab", "7551 ab"),  # NBSP becomes an ordinary space (the postcode check strips)
    ("plain", "plain"),
])
def test_clean_code(raw: str, clean: str) -> None:
    assert clean_code(raw) == clean


def test_free_text_keeps_its_letters_but_loses_invisible_edges() -> None:
    assert strip_invisible("\u200bJosé Ｏ\u00a0") == "José Ｏ"  # full width letter stays


# -- parsing ----------------------------------------------------------------------------------

def _columns(**values: list[str]) -> tuple[Columns, Report]:
    frame = pd.DataFrame(values, dtype=object)
    report = Report()
    table = RawTable("toewijzingen", "toewijzingen.csv", frame, np.arange(2, len(frame) + 2))
    return Columns(table, report), report


def test_numbers_above_a_limit_are_reported_and_left_out_never_clipped() -> None:
    cols, report = _columns(volume=["3", "1e23", "1e308", "-1e16", ""])
    values = cols.numbers("volume", limit=99_999_999, limit_text="het maximum van 99.999.999")
    assert values[0] == 3 and np.isnan(values[1:]).all()
    assert [str(i) for i in report.issues] == [
        "toewijzingen.csv:3: volume: waarde '1e23' is groter dan het maximum van 99.999.999; "
        "controleer de invoer",
        "toewijzingen.csv:4: volume: waarde '1e308' is groter dan het maximum van 99.999.999; "
        "controleer de invoer",
        "toewijzingen.csv:5: volume: waarde '-1e16' is groter dan het maximum van 99.999.999; "
        "controleer de invoer"]


def test_cents_are_checked_before_they_can_overflow() -> None:
    cols, report = _columns(tarief=["78", "1e17", "10000000", "10000000,01"])
    cents = cols.cents("tarief", limit_cents=1_000_000_000, limit_text="het maximum")
    assert cents[0] == 7800 and cents[2] == 1_000_000_000
    assert np.isnan(cents[1]) and np.isnan(cents[3])
    assert [(i.line, i.reason) for i in report.issues] == [
        (3, "waarde '1e17' is groter dan het maximum; controleer de invoer"),
        (5, "waarde '10000000,01' is groter dan het maximum; controleer de invoer")]


def test_dates_outside_1900_2100_are_refused() -> None:
    cols, report = _columns(einddatum=["1900-01-01", "2100-12-31", "1899-12-31",
                                       "31-12-2101", "0001-01-01", "9999-12-31"])
    dates = cols.dates("einddatum")
    assert list(dates.iso) == ["1900-01-01", "2100-12-31", None, None, None, None]
    assert [(i.line, i.reason) for i in report.issues] == [
        (4, "datum '1899-12-31' ligt buiten 1900-01-01..2100-12-31; controleer het jaartal"),
        (5, "datum '31-12-2101' ligt buiten 1900-01-01..2100-12-31; controleer het jaartal"),
        (6, "datum '0001-01-01' ligt buiten 1900-01-01..2100-12-31; controleer het jaartal"),
        (7, "datum '9999-12-31' ligt buiten 1900-01-01..2100-12-31; controleer het jaartal")]


def test_years_outside_1900_2100_are_refused() -> None:
    cols, report = _columns(jaar=["2024", "1850", "2101"])
    years = cols.years("jaar")
    assert years[0] == 2024 and np.isnan(years[1:]).all()
    assert [i.reason for i in report.issues] == ["jaar 1850 ligt buiten 1900..2100",
                                                 "jaar 2101 ligt buiten 1900..2100"]


# -- zip central directory ---------------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_within_caps_passes(tmp_path: Path) -> None:
    path = _zip(tmp_path / "ok.zip", {"a.xml": b"<a/>", "b.xml": b"<b/>"})
    assert zip_problem(path, MB, "X", 10) is None


def test_forged_unpacked_size_is_refused_from_the_directory_alone(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bom.zip", {"a.xml": b"<a/>" * 100, "b.xml": b"<b/>"})
    forge_zip_sizes(path, 3 * 2**30)  # each member claims 3 GB
    assert zip_problem(path, 2048 * MB, "SDESK_MAX_ZIP_MB", 10) == (
        "zip-bestand is uitgepakt 6.144 MB, groter dan het maximum van 2.048 MB; splits het op "
        "(of stel SDESK_MAX_ZIP_MB hoger in)")


def test_too_many_members_is_refused_before_the_directory_is_parsed(tmp_path: Path) -> None:
    path = _zip(tmp_path / "veel.zip", {f"{i}.xml": b"<a/>" for i in range(5)})
    problem = zip_problem(path, MB, "X", 3, "Excel-werkmap")
    assert problem is not None and problem.startswith("Excel-werkmap met 5 onderdelen")
    assert "het maximum is 3 onderdelen" in problem


def test_not_a_zip_is_left_to_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "nep.zip"
    path.write_bytes(b"no zip at all")
    assert zip_problem(path, MB, "X", 3) is None
