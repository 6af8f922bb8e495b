"""Performance harness (run by hand, not in the test suite).

    python benchmarks/run.py --size medium                      # demo, export, import
    python benchmarks/run.py --size large --steps household     # household overview
    python benchmarks/run.py --size g4                          # everything, and issue 17's
                                                                # targets table at the end

Builds a demo municipality of the given preset once, then runs the chosen steps against it and
prints a table of timings. Each capability adds its own step function below.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import fresh  # benchmarks/fresh.py: issue 17, fresh processes beside a DuckDB reference
from sqlalchemy import Engine

from sdesk.services.demo.generator import DEMO_UNTIL, generate_demo
from sdesk.services.exchange.export import export_exchange
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform.actor import SYSTEM
from sdesk.services.platform.db import open_database

Row = tuple[str, str, str]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples_ms, n=100)
    return statistics.median(samples_ms), cuts[94]


def step_import(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    export_dir = workdir / "export"
    seconds, counts = _timed(lambda: export_exchange(engine, export_dir))
    rows = [("exchange export", f"{seconds:.1f} s",
             f"{counts.get('declaraties', 0):,} claim lines written")]
    import_db = workdir / "import.sqlite"
    target = open_database(import_db)
    # g4's claims file (about 630 MB) is larger than the import's default cap on a single
    # file (512 MB, against hostile input); raised as the refusal tells a user to do.
    os.environ.setdefault("SDESK_MAX_IMPORT_MB", "4096")
    # The import commits, then prepares the summaries and kept answers ("Overzichten
    # bijwerken"): both are timed, apart.
    committed: list[float] = []
    begun = time.perf_counter()

    def progress(_fraction: float, message: str | None = None) -> None:
        if message == "Overzichten bijwerken" and not committed:
            committed.append(time.perf_counter() - begun)

    seconds, result = _timed(lambda: import_sources(target, [export_dir], progress=progress))
    target.dispose()
    if not result.ok:
        raise SystemExit("import refused: " + "; ".join(str(i) for i in result.issues[:5]))
    claims = result.counts.get("declaraties", 0)
    checked = committed[0] if committed else seconds
    fresh.record_import_rate(claims / checked, claims / seconds)
    rows.append(("import (read, check, write, commit)", f"{checked:.1f} s",
                 f"{claims / checked:,.0f} claim lines/s (target >= 250,000, issue 17)"))
    rows.append(("preparations after the commit", f"{seconds - checked:.1f} s",
                 "summaries, KPI working set and answers, budget, worklist inputs"))
    rows.append(("import (all files), preparations included", f"{seconds:.1f} s",
                 f"{claims / seconds:,.0f} claim lines/s"))
    rows.append(("database size (imported)", f"{import_db.stat().st_size / 2**20:.0f} MiB", ""))
    return rows


def step_istandaarden(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    """Export the demo as iJw/iWmo 3.2 messages, import them into an empty database."""
    from sdesk.services.exchange.istandaarden import export_istandaarden, import_messages

    xml_dir = workdir / "istandaarden"
    seconds, counts = _timed(lambda: export_istandaarden(engine, xml_dir))
    messages = sum(v for k, v in counts.items() if k.startswith(("JW", "WMO")))
    rows = [("iStandaarden export", f"{seconds:.1f} s",
             f"{messages:,} messages, {counts.get('declaraties', 0):,} claim lines "
             "(jeugd and wmo of persons with a BSN)")]
    import_db = workdir / "istandaarden.sqlite"
    target = open_database(import_db)
    seconds, result = _timed(lambda: import_messages(target, [xml_dir]))
    target.dispose()
    if not result.ok:
        raise SystemExit("iStandaarden import refused: "
                         + "; ".join(str(i) for i in result.issues[:5]))
    claims = result.counts.get("declaraties", 0)
    rows.append(("iStandaarden import (XSD + rules)", f"{seconds:.1f} s",
                 f"{claims / seconds:,.0f} claim lines/s (target >= 10,000)"))
    return rows


def step_household(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    from sdesk.services.household.overview import household_overview

    with engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT external_id FROM household")]
    sample = random.Random(1).sample(ids, min(200, len(ids)))
    at = date(DEMO_UNTIL.year, 6, 30)
    household_overview(engine, SYSTEM, sample[0], at)  # warm-up: imports, page cache
    times = []
    for household_id in sample:
        seconds, _ = _timed(lambda h=household_id: household_overview(engine, SYSTEM, h, at))
        times.append(seconds * 1000)
    p50, p95 = _percentiles(times)
    return [("household overview p50", f"{p50:.1f} ms", f"{len(sample)} random households"),
            ("household overview p95", f"{p95:.1f} ms", "target < 50 ms")]


def step_dashboard(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    from sdesk.services.kpi.definitions import compute_kpis

    year = DEMO_UNTIL.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    cold, _ = _timed(lambda: compute_kpis(engine, start, end, "jeugd"))
    rows = [("dashboard cold (first load)", f"{cold * 1000:.0f} ms",
             "all KPIs, one year, jeugd; loads the in-memory working set")]
    for law in ("jeugd", "wmo", "participatie"):
        times = [_timed(lambda lw=law: compute_kpis(engine, start, end, lw))[0] * 1000
                 for _ in range(6)]
        p50, p95 = _percentiles(times)
        rows.append((f"dashboard warm, {law}", f"{p50:.0f} ms", f"p95 {p95:.0f} ms, "
                     "target < 300 ms"))
    return rows


_NEW_SESSION = """
import json, sys, time
from datetime import date
from sdesk.services.platform.actor import SYSTEM
from sdesk.services.platform.db import open_database
from sdesk.services.afschaling import worklist
engine = open_database(sys.argv[1])
start = time.perf_counter()
work = worklist(engine, SYSTEM, date.fromisoformat(sys.argv[2]))
print(json.dumps([time.perf_counter() - start, len(work)]))
"""


def step_review(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    """The afschaling worklist. An import (and the demo) prepares the inputs for the screen's
    default peildatum, the last day with data; any other peildatum is computed on first use."""
    import dataclasses
    import subprocess

    import pandas as pd

    from sdesk.services.afschaling import prepare_default_inputs, worklist, write_worklist_workbook
    from sdesk.services.platform.cache import forget
    from sdesk.services.platform.peildatum import last_day_with_data

    default_at = last_day_with_data(engine)
    assert default_at is not None
    prepares = []
    for _ in range(3):  # what an import adds: gathering and storing the inputs
        forget(engine)
        prepares.append(_timed(lambda: prepare_default_inputs(engine))[0])
    after_import = [_timed(lambda: worklist(engine, SYSTEM, default_at))[0]]
    # A new process (the command line, the application after a restart) reads the stored
    # inputs back.
    sessions = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _NEW_SESSION, str(db),
                              default_at.isoformat()],
                             check=True, capture_output=True, text=True).stdout
        sessions.append(json.loads(out.strip().splitlines()[-1])[0])
    other_at = date(DEMO_UNTIL.year, 6, 30)
    firsts = []
    for _ in range(3):  # a peildatum nothing was prepared for
        forget(engine)
        firsts.append(_timed(lambda: worklist(engine, SYSTEM, other_at)))
    work = firsts[-1][1]
    warm = [_timed(lambda: worklist(engine, SYSTEM, other_at))[0] * 1000 for _ in range(3)]
    rows = [("worklist after an import", f"{after_import[0] * 1000:.0f} ms",
             f"default peildatum {default_at:%d-%m-%Y}, prepared by the import; "
             "target < 1 s"),
            ("worklist, new session", f"{statistics.median(sessions) * 1000:.0f} ms",
             "default peildatum, stored inputs, median of 3 processes; target < 1 s"),
            ("worklist, another peildatum", f"{statistics.median(t for t, _ in firsts) * 1000:.0f}"
             " ms", f"{other_at:%d-%m-%Y}, {len(work):,} candidates, first computation "
             "(reads allocations and claims, stores the inputs); median of 3"),
            ("worklist warm", f"{min(warm):.0f} ms", "same peildatum, other filters"),
            ("worklist preparation in the import", f"{statistics.median(prepares):.1f} s",
             "gathering and storing the inputs after the import's commit; median of 3")]
    # The export target is for 50,000 rows: repeat the candidates to that size if needed.
    big = work
    if 0 < len(work) < 50_000:
        frame = pd.concat([work.frame] * (50_000 // len(work) + 1), ignore_index=True)
        big = dataclasses.replace(work, frame=frame.head(50_000))
    seconds, _ = _timed(lambda: write_worklist_workbook(big, workdir / "werklijst.xlsx",
                                                        "benchmark"))
    rows.append(("worklist Excel export", f"{seconds:.1f} s",
                 f"{len(big):,} rows, write-only; target < 10 s"))
    return rows


def step_worklist_share(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    """Issue 16: how much of the running care the default worklist holds, and how its
    probability-weighted expected saving compares with the annual cost of all running
    allocations (both lists)."""
    from sdesk.services.afschaling import default_peildatum, worklist

    at = default_peildatum(engine)
    s = worklist(engine, SYSTEM, at).summary
    running = max(s.running_allocations, 1)
    cost = max(s.running_annual_cost_cents, 1)
    return [
        ("worklist share of running allocations",
         f"{s.candidates / running:.1%}",
         f"{s.candidates:,} of {s.running_allocations:,} on {at} (default list: a month's "
         f"work, {s.capacity_per_month:,} reviews at {s.team_fte:.2f} fte); every candidate "
         f"{s.qualifying:,} ({s.qualifying / running:.1%}, "
         f"{(s.months_of_work or 0):.1f} months of work)"),
        ("expected saving (weighted) / annual cost",
         f"{s.expected_saving_total_cents / cost:.1%}",
         f"EUR {s.expected_saving_total_cents / 100:,.0f} of EUR {cost / 100:,.0f} a year; "
         f"if every step-down on the list were done EUR "
         f"{s.saving_if_done_total_cents / 100:,.0f} ({s.saving_if_done_total_cents / cost:.1%});"
         f" every candidate EUR {s.qualifying_expected_saving_cents / 100:,.0f} "
         f"({s.qualifying_expected_saving_cents / cost:.1%})"),
    ]


STEPS: dict[str, Callable[[Engine, Path, Path], list[Row]]] = {
    "worklist_share": step_worklist_share,
    "review": step_review,
    "dashboard": step_dashboard,
    "import": step_import,
    "istandaarden": step_istandaarden,
    "household": step_household,
    # Issue 17, last: fresh processes against the database the steps above leave behind.
    "reference": fresh.step_reference,
    "fresh": fresh.step_fresh,
    "gui": fresh.step_gui,
}


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: str, seed: int, steps: list[str], workdir: Path) -> list[Row]:
    db = workdir / f"demo-{size}.sqlite"
    engine = open_database(db)
    seconds, summary = _timed(lambda: generate_demo(engine, size=size, seed=seed))
    rows: list[Row] = [
        ("demo generation", f"{seconds:.1f} s",
         f"{summary.allocations:,} allocations, {summary.claims:,} claim lines"),
        ("database size (demo)", f"{db.stat().st_size / 2**20:.0f} MiB", "")]
    try:
        for name in steps:
            rows += STEPS[name](engine, db, workdir)
    finally:
        engine.dispose()
    rows.append(("peak memory (this process)", f"{_peak_rss_mb():.0f} MiB", "target < 1,536"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", default="medium",
                        choices=["tiny", "small", "medium", "large", "g4"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--steps", default=",".join(STEPS),
                        help=f"comma-separated, from: {', '.join(STEPS)}")
    parser.add_argument("--workdir", type=Path, help="keep the databases here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown steps: {', '.join(unknown)}")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sdesk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        rows = run(args.size, args.seed, steps, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        targets = [dict(zip(("what", "measured", "reference", "ratio", "target", "ok"), r,
                            strict=True)) for r in fresh.targets_table(args.size)
                   if {"reference", "fresh", "gui", "import"} & set(steps)]
        print(json.dumps([dict(zip(("what", "value", "note"), r, strict=True)) for r in rows]
                         + targets))
    else:
        print(f"sdesk benchmarks, preset {args.size}, seed {args.seed}")
        width = max(len(r[0]) for r in rows)
        for what, value, note in rows:
            print(f"  {what:<{width}}  {value:>10}  {note}")
        if {"reference", "fresh", "gui", "import"} & set(steps):
            fresh.print_targets_table(args.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
