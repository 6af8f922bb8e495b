"""#17 item 2, as a property: whatever claims come in, in whatever order -- new ones, changed
amounts, rejections, a refused import, a backup put back, the same file again -- the figures
sdesk keeps (the summary tables, the stored KPI working set and answers, the complete months,
the kept budget figures) equal a full recomputation from the claims themselves."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from sdesk.services.budget import report as budget
from sdesk.services.exchange import import_sources
from sdesk.services.kpi import compare_periods, kpis_json
from sdesk.services.platform import cache, completeness
from sdesk.services.platform.backup import make_backup
from sdesk.services.platform.db import open_database
from sdesk.services.platform.readers import claims_per_month
from sdesk.services.platform.recovery import restore
from sdesk.services.platform.summaries import realised_per_month
from tests.integration.exact import from_the_claims
from tests.integration.exchange_data import BASE, write_folder

HEADER = BASE["declaraties"][0]
# (number, law, last month a claim may start in: the importer refuses claims outside the
# allocation, 1002 ends 2024-06-30)
ALLOCATIONS = [(row[0], row[2], 6 if row[5] == "2024-06-30" else 12)
               for row in BASE["toewijzingen"][1:]]
PEILDATA = [date(2024, 6, 30), date(2024, 12, 31)]

claim = st.sampled_from(ALLOCATIONS).flatmap(lambda a: st.tuples(
    st.just(a[:2]), st.integers(1, a[2]), st.integers(-5_000, 200_000), st.integers(0, 5)))


def _claim_key(c: Any) -> tuple[Any, ...]:
    """One file never holds a claim key twice (the importer refuses that file)."""
    (number, _law), month, _cents, key = c
    return (number, month, key)


step = st.one_of(
    st.tuples(st.just("claims"), st.lists(claim, min_size=1, max_size=6, unique_by=_claim_key)),
    st.tuples(st.just("refused"), st.lists(claim, min_size=1, max_size=3, unique_by=_claim_key)),
    st.tuples(st.just("restore"), st.lists(claim, min_size=1, max_size=3, unique_by=_claim_key)),
    st.tuples(st.just("again"), st.just([])),
)


def _file(folder: Path, claims: list[Any], unknown: bool = False) -> Path:
    rows = []
    for (number, law), month, cents, key in claims:
        last = (date(2024, month % 12 + 1, 1) if month < 12 else date(2025, 1, 1)).toordinal()
        end = date.fromordinal(last - 1)
        rows.append([f"P{number}-{month}-{key}", "9999" if unknown else number, law,
                     f"2024-{month:02d}-01", end.isoformat(),
                     f"{cents // 100},{abs(cents) % 100:02d}" if cents >= 0
                     else f"-{-cents // 100},{-cents % 100:02d}", "1"])
    return write_folder(folder, {"declaraties": [HEADER, *rows]})


def _budget_rows(engine: Engine, at: date) -> list[tuple[object, ...]]:
    report = budget.budget_report(engine, at.year, at)
    return [(r.post, r.realisatie_cents, r.computed_prognose_cents, r.complete_through)
            for r in report.lines]


def _check(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    for at in PEILDATA:
        for law in (None, "jeugd", "wmo"):
            first = date(2023, 1, 1)
            assert realised_per_month(engine, first, at, law) == claims_per_month(
                engine, first, at, law)
            assert completeness.lag_profile(engine, at, law) == from_the_claims(
                engine, monkeypatch,
                lambda at=at, law=law: completeness.lag_profile(engine, at, law))
            assert completeness.claims_completeness(engine, at, law) == from_the_claims(
                engine, monkeypatch,
                lambda at=at, law=law: completeness.claims_completeness(engine, at, law))
        cache.forget(engine, stored=False)  # a new process: the kept budget figures
        assert _budget_rows(engine, at) == from_the_claims(
            engine, monkeypatch, lambda at=at: _budget_rows(engine, at))
    cache.forget(engine, stored=False)  # a new process: the stored working set
    kept = kpis_json(compare_periods(engine, date(2024, 1, 1), date(2024, 12, 31)))
    cache.forget(engine)  # gathered from the claims
    assert kept == kpis_json(compare_periods(engine, date(2024, 1, 1), date(2024, 12, 31)))


# Each example builds a database and imports into it (about a second): a few examples, and
# no shrinking, which would take minutes; a failure prints its steps as they are.
@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=4))
def test_kept_figures_equal_a_recomputation(steps: list[tuple[str, list[Any]]],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "eigenschap.sqlite"
        engine = open_database(db)
        try:
            assert import_sources(engine, [write_folder(folder / "basis", BASE)]).ok
            last: Path | None = None
            for n, (kind, claims) in enumerate(steps):
                if kind == "claims":
                    last = _file(folder / f"d{n}", claims)
                    assert import_sources(engine, [last]).ok
                elif kind == "refused":  # an unknown allocation: all or nothing
                    assert not import_sources(engine, [_file(folder / f"d{n}", claims,
                                                             unknown=True)]).ok
                elif kind == "restore":  # a backup, an import after it, the backup back
                    backup = make_backup(db, folder / f"b{n}.sqlite")
                    assert import_sources(engine, [_file(folder / f"d{n}", claims)]).ok
                    engine.dispose()
                    restore(db, backup)
                    engine = open_database(db)
                elif last is not None:  # the same file again
                    assert import_sources(engine, [last]).ok
                _check(engine, monkeypatch)
        finally:
            engine.dispose()
            cache.forget(engine, stored=False)
