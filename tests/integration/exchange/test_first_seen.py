"""Every claim line records when sdesk first saw it (#15 item 1): the import day for the
exchange format, kept when the same line comes again; the lag is measured from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.exchange import import_sources
from sdesk.services.exchange.importing import writer
from tests.integration.exchange_data import BASE, write_folder


def _seen(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as conn:
        return {k: v for k, v in conn.exec_driver_sql("SELECT claim_key, first_seen FROM claim")}


def test_a_new_line_is_dated_the_day_it_came_in_and_keeps_that_date(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class FirstDay(date):
        @classmethod
        def today(cls) -> FirstDay:
            return cls(2024, 3, 12)

    monkeypatch.setattr(writer, "date", FirstDay)
    assert import_sources(engine, [write_folder(tmp_path / "maart")]).ok
    assert _seen(engine) == {"D1": "2024-03-12", "D2": "2024-03-12", "D3": "2024-03-12"}

    class LaterDay(date):
        @classmethod
        def today(cls) -> LaterDay:
            return cls(2024, 4, 2)

    monkeypatch.setattr(writer, "date", LaterDay)
    claims = [*BASE["declaraties"], ["D4", "2001", "wmo", "2024-02-01", "2024-02-29",
                                     "448,50", "13"]]
    changed = [claims[0], [*claims[1][:5], "700,00", "10"], *claims[2:]]  # D1 corrected
    assert import_sources(engine, [write_folder(tmp_path / "april",
                                                {"declaraties": changed})]).ok
    assert _seen(engine) == {"D1": "2024-03-12", "D2": "2024-03-12", "D3": "2024-03-12",
                             "D4": "2024-04-02"}
