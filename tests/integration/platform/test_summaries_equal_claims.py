"""#17 item 2: the figures that now come from the summaries (realisation_month per delivery
form, claim_arrival) equal the same figures computed from the claims themselves, before and
after an import changes the claims (a write moves the data version: the summaries rebuild)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.budget import report as budget
from sdesk.services.demo.generator import generate_demo
from sdesk.services.platform import cache, completeness
from tests.integration.exact import from_the_claims

AT = [date(2025, 12, 31), date(2026, 8, 31), date(2026, 10, 31)]


def _both(engine: Engine, monkeypatch: pytest.MonkeyPatch,
          compute):  # type: ignore[no-untyped-def]
    cache.forget(engine, stored=False)  # a new process: what is kept in the file
    summarised = compute()
    return summarised, from_the_claims(engine, monkeypatch, compute)


def _rows(report: budget.BudgetReport) -> list[tuple[object, ...]]:
    return [(r.post, r.realisatie_cents, r.prognose_cents, r.computed_prognose_cents,
             r.lag_estimate_cents, r.complete_through) for r in report.lines]


def test_the_summaries_give_the_claims_figures(engine: Engine,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    generate_demo(engine, size="tiny", seed=1)
    for at in AT:
        for law in (None, "jeugd", "wmo", "participatie"):
            got, want = _both(engine, monkeypatch, lambda at=at, law=law: completeness.lag_profile(
                engine, at, law))
            assert got == want, (at, law)
            got, want = _both(engine, monkeypatch, lambda at=at, law=law: (
                completeness.claims_completeness(engine, at, law)))
            assert got == want, (at, law)
        got, want = _both(engine, monkeypatch, lambda at=at: budget.budget_report(engine, at.year,
                                                                          at))
        assert _rows(got) == _rows(want), at
        assert got.complete_through == want.complete_through
        assert sum(r.realisatie_cents for r in got.lines) > 0
    # A change to the claims: a rejected claim and a new one. The summaries follow.
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE claim SET rejected = 1 WHERE id = (SELECT MIN(id) FROM "
                             "claim WHERE period_start >= '2026-09-01')")
        conn.exec_driver_sql(
            "INSERT INTO claim (claim_key, allocation_id, period_start, period_end, "
            "amount_cents, rejected, first_seen) SELECT 'extra', allocation_id, "
            "'2026-10-01', '2026-10-31', 123456, 0, '2026-10-31' FROM claim "
            "WHERE period_start >= '2026-09-01' LIMIT 1")
    at = AT[-1]
    got, want = _both(engine, monkeypatch, lambda: budget.budget_report(engine, at.year, at))
    assert _rows(got) == _rows(want)
    got, want = _both(engine, monkeypatch, lambda: completeness.lag_profile(engine, at, None))
    assert got == want


def _built_for(engine: Engine) -> str | None:
    with engine.connect() as conn:
        value = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = 'realisation_month_version'").scalar()
    return None if value is None else str(value)


def test_an_import_rebuilds_the_summaries_and_never_fails_for_them(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdesk.services.exchange import import_sources
    from sdesk.services.platform import summaries
    from sdesk.services.platform.cache import current
    from tests.integration.exchange_data import BASE, write_folder

    messages: list[str] = []
    result = import_sources(engine, [write_folder(tmp_path / "a", BASE)],
                            progress=lambda _f, m: messages.append(m))
    assert result.ok and "Overzichten bijwerken" in messages
    assert _built_for(engine) == str(current(engine))  # the first reader pays nothing

    def fails(_engine: Engine) -> None:
        raise OSError("schijf vol")

    # Every build of the summaries fails, whoever asks for it after the commit (the summary
    # preparation itself, and the KPI and budget preparations that read them).
    monkeypatch.setattr(summaries, "current", fails)
    with engine.begin() as conn:  # a change after the build
        conn.exec_driver_sql("UPDATE claim SET amount_cents = amount_cents + 1")
    again = import_sources(engine, [write_folder(tmp_path / "b", BASE)])
    assert again.ok  # the import stands; the next reader rebuilds
    assert _built_for(engine) != str(current(engine))
