"""Issue 17 item 4: a council workbook made from what an earlier process kept (the persons,
the monthly trend, the trend's completeness) is the workbook computed afresh, cell for cell:
values, number formats and the provisional fill, with the small-cell protection as it was.

On the tiny demo (every law, several teams, small cells to protect), for a whole year and for
a period of one law and team that ends mid-month.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.services.council import content, figures
from sdesk.services.council.atoms import PERSONS_KIND
from sdesk.services.council.workbook import CouncilRequest, write_council_workbook
from sdesk.services.demo.generator import generate_demo
from sdesk.services.platform import cache
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.readers import fetch_rows

CARLA = Actor("Carla", "controller")
PRINTED = datetime(2026, 1, 2, 3, 4)
Cells = dict[str, list[tuple[str, object, str, object]]]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from sdesk.services.platform.db import open_database

    engine = open_database(tmp_path_factory.mktemp("tiny") / "tiny.sqlite")
    generate_demo(engine, size="tiny", seed=1)
    return engine


def _cells(engine: Engine, path: Path, request: CouncilRequest) -> Cells:
    write_council_workbook(engine, path, request, CARLA, printed_at=PRINTED)
    return {ws.title: [(c.coordinate, c.value, c.number_format,
                        c.fill.fgColor.rgb if c.fill.fill_type else None)
                       for row in ws.iter_rows() for c in row
                       if c.value is not None or c.fill.fill_type]
            for ws in load_workbook(path).worksheets}


def _team(engine: Engine) -> str:
    return str(fetch_rows(engine, "SELECT name FROM team ORDER BY id LIMIT 1")[0][0])


@pytest.mark.parametrize("which", ["year", "one law and team, mid-month"])
def test_the_kept_workbook_is_the_fresh_one(tiny: Engine, tmp_path: Path, which: str) -> None:
    request = (CouncilRequest(date(2025, 1, 1), date(2025, 12, 31), budget_year=2025)
               if which == "year" else
               CouncilRequest(date(2025, 2, 10), date(2025, 8, 20), "jeugd", _team(tiny),
                              budget_year=2026, at=date(2026, 5, 15)))
    cache.forget(tiny)  # nothing kept: every figure computed
    fresh = _cells(tiny, tmp_path / "fresh.xlsx", request)
    kinds = {k for (k,) in fetch_rows(tiny, "SELECT DISTINCT kind FROM stored_frame")}
    assert {PERSONS_KIND, content.TREND_KIND} <= kinds
    cache.forget(tiny, stored=False)  # a new process: what the first one kept is read back
    kept = _cells(tiny, tmp_path / "kept.xlsx", request)
    assert kept == fresh
    # The workbook protects something and marks something provisional, so the comparison
    # covers both.
    values = [v for cells in fresh.values() for _, v, _, _ in cells]
    assert "<10" in values or which != "year"
    assert any(fill for cells in fresh.values() for *_, fill in cells)


def test_the_monthly_trend_is_computed_once_per_workbook(
        tiny: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # The constant-price deflators take the trend sheet's months (the same rows) instead of
    # computing the monthly trend a second time.
    calls: list[tuple[date, date]] = []
    original = content.monthly_trend

    def counted(engine: Engine, start: date, end: date, *args: object,
                **kwargs: object) -> object:
        calls.append((start, end))
        return original(engine, start, end, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(content, "monthly_trend", counted)
    monkeypatch.setattr(figures, "monthly_trend", counted)
    cache.forget(tiny)
    request = CouncilRequest(date(2025, 1, 1), date(2025, 12, 31), budget_year=2025)
    gathered = content.gather(tiny, request, ("kpi", "trends", "budget"))
    figures.council_figures(tiny, gathered)
    assert len(calls) == 1
    assert calls[0][1] == date(2025, 12, 31)
