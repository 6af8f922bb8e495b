"""#17: the KPI answers are kept per data version in the database file (kpi/answers.py). A
new process reads the figures of a question asked before (or prepared by the import) back
without computing them; a change to the data, a damaged entry or another question computes
afresh, and what is read back always equals a computation from scratch."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.demo.generator import generate_demo
from sdesk.services.kpi import compare_periods, history_bounds, kpis_json, period_kpis, trends
from sdesk.services.kpi import definitions as kpi_definitions
from sdesk.services.kpi.answers import ANSWER_KIND
from sdesk.services.kpi.results import kpis_record
from sdesk.services.platform import cache
from sdesk.services.platform.db import open_database
from tests.integration.kpi.test_stored_working_set import add_euros_to_a_wmo_claim

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _answers(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [k for (k,) in conn.exec_driver_sql(
            "SELECT key FROM stored_frame WHERE kind = ?", (ANSWER_KIND,)).all()]


def _refuse(*_args: object, **_kwargs: object) -> None:
    raise AssertionError("computed, not read back")


def _no_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kpi_definitions, "compute_comparison", _refuse)
    monkeypatch.setattr(kpi_definitions, "compute_kpis", _refuse)


def test_the_demo_prepares_the_last_full_year_per_law(engine: Engine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    generate_demo(engine, size="tiny", seed=1)  # claims through 2026-10-31: 2025 is full
    prepared = _answers(engine)
    comparisons = [k for k in prepared if "'comparison'" in k]
    assert len(comparisons) == 4  # all laws, jeugd, participatie, wmo
    assert all("'2025-01-01', '2025-12-31'" in k for k in comparisons)
    # and the trend's whole quarters, all laws: the claims start on 2021-11-01, so the first
    # whole quarter is 2022 Q1; the last whole one before 2026-10-31 is 2026 Q3
    with engine.connect() as conn:
        first = str(conn.exec_driver_sql("SELECT MIN(period_start) FROM claim").scalar())
    assert first.startswith("2021-11-01")
    quarters = sorted(ast.literal_eval(k)[1][1:3] for k in prepared if "'kpis'" in k)
    ends = {1: "03-31", 4: "06-30", 7: "09-30", 10: "12-31"}
    assert quarters == [(f"{y}-{m:02d}-01", f"{y}-{ends[m]}") for y in range(2022, 2027)
                        for m in (1, 4, 7, 10) if (y, m) <= (2026, 7)]

    cache.forget(engine, stored=False)  # a new process: nothing in memory
    with monkeypatch.context() as m:
        _no_computing(m)
        # The dashboard's first figures: the bounds and the year, no working set loaded.
        m.setattr(trends, "kpi_data", _refuse)
        # five years before the last day with data, from the first of that month
        assert history_bounds(engine) == (date(2021, 10, 1), date(2026, 10, 31))
        kept = {law: kpis_json(compare_periods(engine, *YEAR, law))
                for law in (None, "jeugd", "wmo", "participatie")}
    cache.forget(engine)  # everything from scratch
    assert kept == {law: kpis_json(compare_periods(engine, *YEAR, law))
                    for law in (None, "jeugd", "wmo", "participatie")}


def test_a_change_to_the_data_is_never_answered_from_a_kept_answer(engine: Engine) -> None:
    generate_demo(engine, size="tiny", seed=1)
    before = kpis_json(compare_periods(engine, *YEAR, "wmo"))
    add_euros_to_a_wmo_claim(engine)
    cache.forget(engine, stored=False)
    after = kpis_json(compare_periods(engine, *YEAR, "wmo"))
    assert after["realised_cost"] == before["realised_cost"] + 1000  # EUR 1,000.00 more
    # the 4 prepared comparisons and 19 quarters, and the new comparison
    assert len(_answers(engine)) == 4 + 19 + 1


def test_a_damaged_answer_is_computed_again(engine: Engine) -> None:
    generate_demo(engine, size="tiny", seed=1)
    expected = kpis_json(compare_periods(engine, *YEAR, "jeugd"))
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stored_frame SET payload = ? WHERE kind = ?",
                             (b"sdesk-json\n{\"current\": 1", ANSWER_KIND))
    cache.forget(engine, stored=False)
    assert kpis_json(compare_periods(engine, *YEAR, "jeugd")) == expected


def test_a_quarter_is_kept_as_computed(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    generate_demo(engine, size="tiny", seed=1)
    q2 = (date(2025, 4, 1), date(2025, 6, 30))
    computed = kpi_definitions.compute_kpis(engine, *q2, "jeugd")
    assert kpis_record(period_kpis(engine, *q2, "jeugd")) == kpis_record(computed)
    cache.forget(engine, stored=False)
    with monkeypatch.context() as m:
        _no_computing(m)
        assert period_kpis(engine, *q2, "jeugd") == computed


def test_sdesk_kpi_reads_a_kept_answer_without_pandas(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite"
    engine = open_database(db)
    generate_demo(engine, size="tiny", seed=1)
    expected = kpis_json(compare_periods(engine, *YEAR, "jeugd"))
    engine.dispose()
    script = ("import json, sys\nfrom sdesk.cli import main\n"
              f"main(['--db', {str(db)!r}, 'kpi', '--law', 'jeugd', '--from', '2025-01-01', "
              "'--to', '2025-12-31', '--json'])\n"
              "print(json.dumps(sorted(m for m in ('pandas', 'numpy') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, env={"SDESK_HOME": str(tmp_path), "PATH": ""}).stdout
    figures, loaded = out.strip().split("\n")
    assert json.loads(loaded) == []
    # The unknown user sees the same aggregate figures.
    assert json.loads(figures) == json.loads(json.dumps(expected))
