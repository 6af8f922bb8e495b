"""One default peildatum (#15 item 3): the last day with data, and a warning after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.exchange import import_sources
from sdesk.services.platform.peildatum import default_peildatum, peildatum_warning
from tests.integration.exchange_data import write_folder


def test_the_default_is_the_last_day_with_data(engine: Engine, tmp_path: Path) -> None:
    assert default_peildatum(engine) == date.today()  # no claims yet
    assert import_sources(engine, [write_folder(tmp_path / "basis")]).ok
    # The base data set's newest claim period ends on 29 February 2024.
    assert default_peildatum(engine) == date(2024, 2, 29)
    assert peildatum_warning(engine, date(2024, 2, 29)) is None
    assert peildatum_warning(engine, date(2024, 1, 31)) is None
    warning = peildatum_warning(engine, date(2024, 3, 31))
    assert warning is not None
    assert "31-03-2024 ligt na de laatste dag met gegevens (29-02-2024)" in warning


def test_months_after_the_data_are_never_complete(engine: Engine, tmp_path: Path) -> None:
    """On 31 December the default lag (two months) would call March to October complete;
    the data end on 29 February, so nothing after it is."""
    from sdesk.services.platform.completeness import claims_completeness

    assert import_sources(engine, [write_folder(tmp_path / "basis")]).ok
    assert claims_completeness(engine, date(2024, 12, 31)).complete_through \
        <= date(2024, 2, 29)


def test_an_employee_file_with_only_a_header_imports(engine: Engine, tmp_path: Path) -> None:
    """A re-import of an export whose medewerkers.csv holds no one (no teams to add)."""
    folder = write_folder(tmp_path / "leeg", {"medewerkers": [
        ["medewerker_id", "naam", "rol", "team", "fte", "account"]]})
    result = import_sources(engine, [folder])
    assert result.ok, [str(i) for i in result.issues]
