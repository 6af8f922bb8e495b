"""Issue 17 item 4: what the council workbook reads, and what it keeps between processes.

- Whole months come from the realisation_month summary, also where a budget line splits them
  by delivery form; only a month a period cuts is read from the claims.
- The allocations behind the person counts, the monthly trend and the trend's completeness
  on a peildatum other than the default one are kept in the database file per data version:
  a new process reads them back, and a change of the data makes them be read again (never
  an old answer).

The small town (small_town.py): 26 jeugd clients in Q1 2025, groups A (12, category 45,
referrer 01), B (11, 43, 08) and C (3, 41, 02), all "zin", a claim on the 1st of every month.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import Engine, event

from sdesk.services.council import content
from sdesk.services.council.atoms import PERSONS_KIND, read_active_persons, read_money_atoms
from sdesk.services.council.workbook import CouncilRequest
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform import cache
from sdesk.services.platform.completeness import claims_completeness
from sdesk.services.platform.readers import fetch_rows
from sdesk.services.platform.summaries import prepare_summaries
from tests.integration.budget.test_lag_forecast import DATA as LAG_DATA
from tests.integration.council import small_town
from tests.integration.exchange_data import write_folder

Q1 = (date(2025, 1, 1), date(2025, 3, 31))
GROUPS = {("45", "01"), ("43", "08"), ("41", "02")}  # (category, referrer) of A, B and C


@pytest.fixture
def town(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "town", small_town.data())]).ok
    prepare_summaries(engine)  # as after an import
    return engine


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL run on the engine's connections inside the block (also through a DBAPI cursor,
    as readers.fetch_rows does)."""
    seen: list[str] = []

    def trace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    def untrace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(None)

    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        yield seen
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)


def _claim_reads(statements: list[str]) -> list[str]:
    return [s for s in statements if "FROM claim c " in s]


def _atoms(engine: Engine, spans: list[tuple[date, date]],
           form_span: tuple[date, date]) -> set[tuple[date, date, str, str, str | None]]:
    frame = read_money_atoms(engine, spans, form_span).frame
    return {(f.date(), la.date(), c, r, form) for f, la, c, r, form in zip(
        frame["first"], frame["last"], frame["category"], frame["referrer"], frame["form"],
        strict=True)}


def test_whole_months_split_by_form_come_from_the_summary(town: Engine) -> None:
    # Q1 with a budget line on delivery form: three months x three groups, all "zin". Before,
    # every month a line splits by form was read from the claims again.
    with _statements(town) as statements:
        atoms = _atoms(town, [Q1], Q1)
    months = [(date(2025, 1, 1), date(2025, 1, 31)), (date(2025, 2, 1), date(2025, 2, 28)),
              (date(2025, 3, 1), date(2025, 3, 31))]
    assert atoms == {(a, b, c, r, "zin") for a, b in months for c, r in GROUPS}
    assert _claim_reads(statements) == []
    assert any("FROM realisation_month" in s for s in statements)


def test_only_a_month_a_period_cuts_is_read_from_the_claims(town: Engine) -> None:
    # Up to 15 February: January whole (summary), February cut at the 16th. The claims start
    # on the 1st, so February's atoms run from the 1st to the 15th.
    span = (date(2025, 1, 1), date(2025, 2, 15))
    with _statements(town) as statements:
        atoms = _atoms(town, [span], span)
    january = (date(2025, 1, 1), date(2025, 1, 31))
    february = (date(2025, 2, 1), date(2025, 2, 15))
    assert atoms == {(*m, c, r, "zin") for m in (january, february) for c, r in GROUPS}
    reads = _claim_reads(statements)
    assert len(reads) == 1  # February only


def test_the_persons_are_kept_per_data_version(town: Engine) -> None:
    first = read_active_persons(town, [Q1])
    assert (first.count(Q1, law="jeugd"), first.count(Q1, categories=("41",))) == (26, 3)
    assert fetch_rows(town, "SELECT COUNT(*) FROM stored_frame WHERE kind = ?",
                      (PERSONS_KIND,)) == [(1,)]
    cache.forget(town, stored=False)  # as a new process
    with _statements(town) as statements:
        again = read_active_persons(town, [Q1])
    assert not [s for s in statements if "FROM allocation a " in s]
    assert (again.count(Q1, law="jeugd"), again.count(Q1, categories=("41",))) == (26, 3)
    # A change of the data moves the key: A01 joins category 41, read afresh.
    with town.begin() as conn:
        conn.exec_driver_sql("UPDATE allocation SET category = '41' "
                             "WHERE toewijzingnummer = 'TA01'")
    cache.forget(town, stored=False)
    changed = read_active_persons(town, [Q1])
    assert (changed.count(Q1, law="jeugd"), changed.count(Q1, categories=("41",))) == (26, 4)


@pytest.fixture
def lag_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "lag", LAG_DATA)]).ok
    return engine


def test_the_trend_completeness_is_judged_once_per_data_version(
        lag_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    # The lag data (tests/integration/budget/test_lag_forecast.py) end on 30 June 2025; May
    # has half its claims. A workbook up to 31 May judges the claims on 31 May: complete
    # through 30 April, as claims_completeness itself says.
    request = CouncilRequest(date(2025, 1, 1), date(2025, 5, 31), "jeugd", budget_year=2025,
                             internal=True)
    expected = claims_completeness(lag_engine, date(2025, 5, 31), "jeugd").complete_through
    assert expected == date(2025, 4, 30)
    calls: list[date] = []

    def judged(engine: Engine, at: date, law: str | None = None) -> Any:
        calls.append(at)
        return claims_completeness(engine, at, law)

    monkeypatch.setattr(content, "claims_completeness", judged)
    first = content.gather(lag_engine, request, ("trends",))
    assert (first.trend_complete_through, calls) == (expected, [date(2025, 5, 31)])
    cache.forget(lag_engine, stored=False)  # a new process reads it back
    assert content.gather(lag_engine, request, ("trends",)).trend_complete_through == expected
    assert calls == [date(2025, 5, 31)]
    with lag_engine.begin() as conn:  # any change of the data: judged again
        conn.exec_driver_sql("UPDATE inhabitants SET count = count + 1")
    cache.forget(lag_engine, stored=False)
    assert content.gather(lag_engine, request, ("trends",)).trend_complete_through == expected
    assert calls == [date(2025, 5, 31)] * 2
    # On the default peildatum (the data's last day) the trend's own judgement is the same
    # one, so nothing is judged again: complete through 30 April as on the screen.
    on_peildatum = CouncilRequest(date(2025, 1, 1), date(2025, 6, 30), "jeugd",
                                  budget_year=2025, internal=True)
    assert content.gather(lag_engine, on_peildatum, ("trends",)).trend_complete_through == (
        claims_completeness(lag_engine, date(2025, 6, 30), "jeugd").complete_through)
    assert calls == [date(2025, 5, 31)] * 2


def test_the_trend_is_kept_per_data_version(town: Engine,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    # Q1 2025: every month 12 x EUR 100 + 11 x EUR 200 + 3 x EUR 50 = EUR 3,550 for 26
    # clients. A new process reads the trend back without the KPI working set.
    request = CouncilRequest(date(2025, 1, 1), date(2025, 3, 31), "jeugd", budget_year=2025)
    first = content.gather(town, request, ("trends",)).trend
    assert first is not None
    frame = first.frame
    assert list(frame["month"]) == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    assert (list(frame["realised_cents"]), list(frame["clients"])) == ([355_000] * 3,
                                                                       [26] * 3)

    def not_again(*_: Any, **__: Any) -> Any:
        raise AssertionError("the kept trend is computed again")

    cache.forget(town, stored=False)
    monkeypatch.setattr(content, "monthly_trend", not_again)
    monkeypatch.setattr(content, "trend_window", not_again)
    again = content.gather(town, request, ("trends",)).trend
    assert again is not None
    pd.testing.assert_frame_equal(again.frame, frame, check_exact=True)
    assert (again.laws, again.base_year) == (first.laws, first.base_year) == (["jeugd"], 2025)
    monkeypatch.undo()
    with town.begin() as conn:  # C01's January claim doubles: the trend is computed again
        conn.exec_driver_sql(
            "UPDATE claim SET amount_cents = 2 * amount_cents WHERE period_start = "
            "'2025-01-01' AND allocation_id = (SELECT id FROM allocation "
            "WHERE toewijzingnummer = 'TC01')")
    cache.forget(town, stored=False)
    changed = content.gather(town, request, ("trends",)).trend
    assert changed is not None
    assert list(changed.frame["realised_cents"]) == [360_000, 355_000, 355_000]
