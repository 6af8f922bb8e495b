"""Low utilisation and no claims are judged over whole, complete claim months (#15 item 2,
#16 item 2): a peildatum on the 1st, or months the provider has not declared yet, never make a
well-used allocation look unused.

One allocation, two hours a week of begeleiding at EUR 70 from 1 January 2024, used at 95 %
every month (claims = 0.95 x the month's commitment). Without claim history to measure the lag
from, declarations count as complete two months after their month.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.afschaling import RuleParameters, worklist
from sdesk.services.exchange import import_sources
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.periods import month_end
from tests.integration.exchange_data import BASE, write_folder

KM = Actor("Kim", "klantmanager")
DAILY_CENTS = 2 * 7000 * 52 / 365
# Only the two rules judged on claims (the others off, as in test_review_rules.QUIET).
RULES = RuleParameters(
    ending_soon_weeks=1, open_ended_months=600, long_duration_months=600,
    group_norm_dagdelen=100.0, individual_norm_hours=100.0, household_help_max_hours=100.0,
    utilisation_min_pct=80.0, utilisation_months=6, no_claims_months=3, high_cost_top_n=0,
    high_cost_threshold_cents=10**12, ladder={})


def _database(engine: Engine, folder: Path, last_claim_month: tuple[int, int]) -> Engine:
    months = [(y, m) for y in (2024, 2025) for m in range(1, 13)
              if (y, m) <= last_claim_month]
    claims = [["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
               "bedrag"]]
    for year, month in months:
        end = month_end(year, month)
        cents = round(0.95 * end.day * DAILY_CENTS)
        claims.append([f"A{year}{month:02d}", "A1", "wmo", f"{year}-{month:02d}-01",
                       end.isoformat(), f"{cents // 100},{cents % 100:02d}"])
    data = {
        "huishoudens": BASE["huishoudens"], "personen": BASE["personen"],
        "toewijzingen": [
            ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
             "einddatum", "productcode", "volume", "eenheid", "frequentie", "tarief"],
            ["A1", "P3", "wmo", "02", "2024-01-01", "2025-12-31", "02A01", "2", "04", "2",
             "70,00"]],
        "declaraties": claims,
    }
    assert import_sources(engine, [write_folder(folder, data)]).ok
    return engine


def _rules_on(engine: Engine, at: date) -> tuple[str, ...]:
    w = worklist(engine, KM, at, dataclasses.replace(RULES))
    return next((c.rules for c in w.rows if c.toewijzingnummer == "A1"), ())


def test_two_undeclared_months_do_not_flag_a_well_used_allocation(engine: Engine,
                                                                   tmp_path: Path) -> None:
    # Claims up to April; on 30 June, May and June are not declared yet. Over January to June
    # the old window saw 4 of 6 months (63 % used): low utilisation; and no_claims' window of
    # April to June held April only. Complete months end in April: November to April is 95 %.
    db = _database(engine, tmp_path / "a", (2025, 4))
    assert _rules_on(db, date(2025, 6, 30)) == ()


def test_a_peildatum_on_the_first_of_a_month_does_not_flag_it(engine: Engine,
                                                             tmp_path: Path) -> None:
    # Claims up to June, peildatum 1 July. The old window, 2 January to 1 July, cut January's
    # claims off (their period starts on the 1st) and counted July's first day: 5 x 95 % over
    # 6 months and a day, below 80 %. Now: January to June, complete, 95 %.
    db = _database(engine, tmp_path / "b", (2025, 6))
    assert _rules_on(db, date(2025, 7, 1)) == ()


def test_an_allocation_really_used_less_is_still_flagged(engine: Engine,
                                                        tmp_path: Path) -> None:
    """The windows moved, the rule did not go away: half-used months are low utilisation."""
    db = _database(engine, tmp_path / "c", (2025, 6))
    with db.begin() as conn:
        conn.exec_driver_sql("UPDATE claim SET amount_cents = amount_cents / 2 "
                             "WHERE period_start >= '2025-01-01'")
    assert "low_utilisation" in _rules_on(db, date(2025, 6, 30))


def test_a_new_process_reads_the_judged_months_back(engine: Engine, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The end of the claim windows is stored with the worklist's inputs, so a new process
    (every CLI call) does not judge the months again."""
    from sdesk.services.afschaling import inputs
    from sdesk.services.platform.cache import forget

    db = _database(engine, tmp_path / "d", (2025, 4))
    assert inputs.claims_through(db, date(2025, 6, 30)) == date(2025, 4, 30)
    forget(db, stored=False)  # as a fresh process: nothing in memory

    def judged_again(*_args: object) -> None:
        raise AssertionError("the months were judged again")

    monkeypatch.setattr(inputs, "claims_completeness", judged_again)
    assert inputs.claims_through(db, date(2025, 6, 30)) == date(2025, 4, 30)
