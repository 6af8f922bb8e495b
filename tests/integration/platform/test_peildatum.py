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
