"""Issue 17: what users meet, measured as fresh processes beside a DuckDB reference.

Users meet sdesk as a new process: a command, or the application just started. So every
figure here is the wall time of a fresh child process (interpreter, imports, opening the
database, the work, exit), the median of RUNS, with the child's peak memory (GNU time's
%M: /usr/bin/time). The steps register in benchmarks/run.py's STEPS and fill RESULTS; run.py
prints `targets_table` at the end, one row per line of the issue's targets table:

    reference  build a DuckDB file of the demo's claims and allocations and time the reference
               query (a whole year of claims per law and month, distinct persons) in a fresh
               process: the 'reference' for the ratios
    fresh      sdesk --version, household, kpi, budget, review and the two workbooks
    gui        the application offscreen: first screen after start, every page's first
               figures (benchmarks/gui_probe.py)

The import rate comes from run.py's `import` step (`record_import_rate`).
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sdesk.services.demo.generator import DEMO_UNTIL

Row = tuple[str, str, str]

HERE = Path(__file__).resolve().parent
RUNS = 3
YEAR = DEMO_UNTIL.year - 1  # the last complete year of the demo's claims
BUDGET_YEAR = DEMO_UNTIL.year
WORKBOOK_ROWS = 50_000  # the review workbook size


@dataclass
class Measured:
    """One thing measured RUNS times as a fresh process."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    note: str = ""
    error: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def runs(self) -> str:
        return " / ".join(f"{s:.2f}" for s in self.seconds) + " s"


# Filled by the steps, read by targets_table. Keys: "reference", the keys of step_fresh's
# commands, "first_screen", "screen:<page title>", "app".
RESULTS: dict[str, Measured] = {}
IMPORT_RATE: list[float] = []
IMPORT_WHOLE: list[float] = []  # the same, the preparations after the commit included
WORKBOOK_WRITTEN: list[int] = []  # candidate rows in the review workbook


def record_import_rate(lines_per_second: float, with_preparations: float) -> None:
    """run.py's import step: claim lines per second, every check included, up to the commit;
    and the same counting the preparations after it."""
    IMPORT_RATE.append(lines_per_second)
    IMPORT_WHOLE.append(with_preparations)


# -- running a fresh process ------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    code: int
    stdout: str
    stderr: str


def _child_env(home: Path, **extra: str) -> dict[str, str]:
    # SDESK_HOME: the children keep their settings and logs away from the user's own.
    return {**os.environ, "SDESK_HOME": str(home), **extra}


# GNU time reports the peak RSS of exactly its child. The child's own rusage (os.wait4) is no
# good here: Linux counts the RSS a process had before exec, and a child forked from this
# process (which holds the demo's working set) starts at this process's size.
GNU_TIME = Path("/usr/bin/time")


def run_fresh(argv: list[str], env: dict[str, str], workdir: Path) -> Run:
    """Run argv as a new process; wall time from start to exit and the child's peak RSS (NaN
    without GNU time). Output goes to files, not pipes, so a large --json output cannot
    block the child."""
    out, err, peak = workdir / "child.out", workdir / "child.err", workdir / "child.rss"
    peak.unlink(missing_ok=True)
    wrap = [str(GNU_TIME), "-f", "%M", "-o", str(peak)] if GNU_TIME.exists() else []
    with out.open("wb") as stdout, err.open("wb") as stderr:
        start = time.perf_counter()
        code = subprocess.run([*wrap, *argv], stdout=stdout, stderr=stderr, env=env,
                              cwd=HERE.parent, check=False).returncode
        seconds = time.perf_counter() - start
    peak_mb = float("nan")
    if peak.exists():  # GNU time writes "Command exited with non-zero status N" first
        lines = peak.read_text().strip().splitlines()
        peak_mb = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else peak_mb
    return Run(seconds, peak_mb, code,
               out.read_text(encoding="utf-8", errors="replace"),
               err.read_text(encoding="utf-8", errors="replace"))


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


def measure(argv: list[str], env: dict[str, str], workdir: Path,
            check: Any = None) -> tuple[Measured, Run | None]:
    """RUNS fresh processes of argv; a failing run stops and is reported, not hidden."""
    m = Measured()
    last: Run | None = None
    for _ in range(RUNS):
        run = run_fresh(argv, env, workdir)
        if run.code != 0:
            m.error = f"exit {run.code}: {_last_line(run.stderr) or _last_line(run.stdout)}"
            break
        m.seconds.append(run.seconds)
        m.peak_mb.append(run.peak_mb)
        last = run
    if last is not None and check is not None and not m.error:
        try:
            m.note = check(last)
        except (ValueError, KeyError, TypeError) as exc:
            m.error = f"unexpected output: {exc!r}"
    return m, last


# -- the demo's subjects: who and what the commands are run for -------------------------------


@dataclass(frozen=True)
class Subjects:
    household: str
    household_allocations: int
    coordinator: str  # procescoördinator: sees identities, every household
    team_lead: str  # teamleider: the worklist of all teams, may export per person
    controller: str  # the council's workbook is the controller's


def find_subjects(db: Path) -> Subjects:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        household, count = con.execute(
            "SELECT h.external_id, count(*) AS n FROM allocation a "
            "JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id "
            "GROUP BY h.id ORDER BY n DESC, h.external_id LIMIT 1").fetchone()

        def employee(role: str) -> str:
            row = con.execute("SELECT external_id FROM employee WHERE role = ? "
                              "ORDER BY external_id LIMIT 1", (role,)).fetchone()
            if row is None:
                raise SystemExit(f"the demo has no employee with role {role}")
            return str(row[0])

        return Subjects(str(household), int(count), employee("procescoordinator"),
                        employee("teamleider"), employee("controller"))
    finally:
        con.close()


def as_after_import(engine: Engine) -> str:
    """Leave the database as an import leaves it: the worklist inputs for the default
    peildatum stored. run.py's review step ends with `forget` (every stored input dropped),
    after which the first fresh `sdesk review` would pay the first computation (10.3 s
    instead of 1.8 s at large), and the summary tables built. A no-op when they are there
    already."""
    from sdesk.services.afschaling import prepare_default_inputs
    from sdesk.services.platform.summaries import prepare_summaries

    start = time.perf_counter()
    prepare_summaries(engine)
    at = prepare_default_inputs(engine)
    seconds = time.perf_counter() - start
    return (f"summaries and worklist inputs for {at} prepared as an import does "
            f"({seconds:.1f} s)")


# -- step: the DuckDB reference ---------------------------------------------------------------


def step_reference(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    """Build the DuckDB file from the demo database, then time the reference query as a fresh
    process (python + import duckdb + open + query), median of RUNS."""
    script = str(HERE / "duckdb_reference.py")
    duck = workdir / "reference.duckdb"
    env = _child_env(workdir / "home")
    build = run_fresh([sys.executable, script, "build", str(db), str(duck)], env, workdir)
    if build.code != 0:
        RESULTS["reference"] = Measured(error=_last_line(build.stderr))
        return [("DuckDB reference: build", "failed", _last_line(build.stderr))]
    built = json.loads(build.stdout)

    def check(run: Run) -> str:
        data = json.loads(run.stdout)
        return (f"{data['rows']} law-months, {data['claim_lines']:,} claim lines of {YEAR}; "
                f"inside the process: the query {data['query_seconds'] * 1000:.0f} ms, "
                f"with import duckdb and opening {data['seconds'] * 1000:.0f} ms")

    m, _ = measure([sys.executable, script, "query", str(duck), str(YEAR)], env, workdir, check)
    RESULTS["reference"] = m
    rows = [("DuckDB reference: build", f"{build.seconds:.1f} s",
             f"{built['claim']:,} claims, {built['allocation']:,} allocations, "
             f"{duck.stat().st_size / 2**20:.0f} MiB (sqlite3 -> pandas -> DuckDB)")]
    if m.error:
        return [*rows, ("DuckDB reference query", "failed", m.error)]
    return [*rows, ("DuckDB reference query (fresh)", f"{m.median:.2f} s",
                    f"{m.note}; runs {m.runs}, peak {max(m.peak_mb):.0f} MiB")]


# -- step: the commands -----------------------------------------------------------------------


def _json_check(describe: Any) -> Any:
    def check(run: Run) -> str:
        return str(describe(json.loads(run.stdout)))

    return check


def _worklist_rows(path: Path) -> int:
    """Candidate rows of the worklist workbook: sheet Werklijst below its column headers
    (row 10), without the Totaal row."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        rows = wb["Werklijst"].iter_rows(min_row=11, max_col=1, values_only=True)
        return sum(1 for (first,) in rows if first not in (None, "Totaal"))
    finally:
        wb.close()


def _count_rows(path: Path) -> Any:
    def check(_run: Run) -> str:
        rows = _worklist_rows(path)
        WORKBOOK_WRITTEN.append(rows)
        return f"{rows:,} candidate rows written"

    return check


def step_fresh(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    """sdesk's commands as a user runs them, each RUNS times as a new process."""
    prepared = as_after_import(engine)
    who = find_subjects(db)
    env = _child_env(workdir / "home")
    sdesk = [sys.executable, "-m", "sdesk"]
    year = [f"--from={YEAR}-01-01", f"--to={YEAR}-12-31"]
    council = workdir / "raad.xlsx"
    review_book = workdir / "werklijst.xlsx"
    commands: list[tuple[str, str, list[str], Any]] = [
        ("version", "sdesk --version", ["--version"], lambda r: r.stdout.strip()),
        ("household", f"sdesk household {who.household}",
         ["household", "--db", str(db), who.household, "--user", who.coordinator, "--json"],
         _json_check(lambda d: f"{len(d['allocations'])} allocations shown "
                     f"({who.household_allocations} in the database), user {who.coordinator}")),
        ("kpi", f"sdesk kpi jeugd {YEAR}",
         ["kpi", "--db", str(db), *year, "--law", "jeugd", "--json"],
         _json_check(lambda d: f"{len(json.dumps(d)):,} bytes of JSON")),
        ("budget", f"sdesk budget {BUDGET_YEAR}",
         ["budget", "--db", str(db), "--year", str(BUDGET_YEAR), "--json"],
         _json_check(lambda d: f"{len(d['lines'])} lines, peildatum {d['at']}")),
        ("review", "sdesk review --all-teams",
         ["review", "--db", str(db), "--all-teams", "--user", who.team_lead, "--json"],
         _json_check(lambda d: f"{len(d['candidates']):,} candidates listed of "
                     f"{d['summary']['candidates']:,}, user {who.team_lead}")),
        ("council_workbook", f"sdesk export kpi {YEAR} (council)",
         ["export", "kpi", "--db", str(db), *year, "--out", str(council),
          "--purpose", "benchmark issue 17", "--user", who.controller],
         lambda r: f"{council.stat().st_size / 2**10:,.0f} KiB, user {who.controller}"),
        ("review_workbook", "sdesk export review --all-candidates",
         ["export", "review", "--db", str(db), "--all-candidates", "--all-teams",
          "--out", str(review_book), "--purpose", "benchmark issue 17",
          "--user", who.team_lead],
         _count_rows(review_book)),
    ]
    rows: list[Row] = [("database as after an import", "", prepared)]
    for key, label, args, check in commands:
        m, _ = measure([*sdesk, *args], env, workdir, check)
        RESULTS[key] = m
        if m.error:
            rows.append((label, "failed", m.error))
            continue
        rows.append((label, f"{m.median:.2f} s",
                     f"{m.note}; runs {m.runs}; peak {max(m.peak_mb):.0f} MiB"))
    return rows


# -- step: the application --------------------------------------------------------------------


def step_gui(engine: Engine, db: Path, workdir: Path) -> list[Row]:
    """The application started offscreen, RUNS times: first screen and every page."""
    as_after_import(engine)
    who = find_subjects(db)
    env = _child_env(workdir / "home", QT_QPA_PLATFORM="offscreen")
    probes: list[dict[str, Any]] = []
    peaks: list[float] = []
    for _ in range(RUNS):
        run = run_fresh([sys.executable, str(HERE / "gui_probe.py"), str(db), who.coordinator,
                         repr(time.time())], env, workdir)
        try:
            probe = json.loads(run.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            RESULTS["first_screen"] = Measured(error=f"exit {run.code}: "
                                               f"{_last_line(run.stderr)}")
            return [("application", "failed", _last_line(run.stderr))]
        probes.append(probe)
        peaks.append(run.peak_mb)
    first = [p["first_screen"] for p in probes if "first_screen" in p]
    shown = [p["window_shown"] for p in probes if "window_shown" in p]
    RESULTS["first_screen"] = Measured(first, peaks, f"window shown {statistics.median(shown):.2f}"
                                       f" s after the process started; user {who.coordinator}")
    RESULTS["app"] = Measured([], peaks)
    rows: list[Row] = [("application: first screen", f"{statistics.median(first):.2f} s",
                        RESULTS["first_screen"].note + "; runs "
                        + " / ".join(f"{s:.2f}" for s in first) + " s")]
    titles = list(probes[0]["pages"])
    for title in titles:
        firsts = [p["pages"][title]["first"] for p in probes if title in p["pages"]]
        settled = [p["pages"][title]["settled"] for p in probes if title in p["pages"]]
        note = (f"all background work done {statistics.median(settled):.2f} s; runs "
                + " / ".join(f"{s:.2f}" for s in firsts) + " s")
        if title == "Huishoudens":
            note += "; from the database attached at start-up"
        RESULTS[f"screen:{title}"] = Measured(firsts, [], note)
        rows.append((f"screen {title}: first figures", f"{statistics.median(firsts):.2f} s",
                     note))
    timeouts = [p["timeouts"] for p in probes if p.get("timeouts")]
    if timeouts:
        rows.append(("application: timeouts", str(len(timeouts)), repr(timeouts)))
    rows.append(("application: peak memory", f"{max(peaks):.0f} MiB", "the probe process"))
    return rows


# -- the table ------------------------------------------------------------------------


def _seconds(m: Measured | None) -> str:
    if m is None:
        return "not run"
    return m.error and "failed" or f"{m.median:.2f} s"


def targets_table(size: str) -> list[tuple[str, str, str, str, str, str]]:
    """Every line of issue 17's targets table for this run: what | measured | reference |
    ratio | target | ok?, followed by notes (as rows whose first column starts with '  ')."""
    table: list[tuple[str, str, str, str, str, str]] = []
    notes: list[str] = []
    ref = RESULTS.get("reference")
    ref_ok = ref is not None and not ref.error and bool(ref.seconds)
    reference = f"{ref.median:.2f} s" if ref is not None and ref_ok else _seconds(ref)

    def versus(key: str, label: str, limit: float) -> None:
        m = RESULTS.get(key)
        if m is None or m.error or not m.seconds or not ref_ok or ref is None:
            table.append((label, _seconds(m), reference, "-", f"<= {limit:g}x ref", "?"))
            if m is not None and m.error:
                notes.append(f"{label}: {m.error}")
            return
        ratio = m.median / ref.median
        table.append((label, f"{m.median:.2f} s", reference, f"{ratio:.1f}x",
                      f"<= {limit:g}x ref", "yes" if ratio <= limit else "NO"))

    def within(key: str, label: str, limit: float) -> None:
        m = RESULTS.get(key)
        if m is None or m.error or not m.seconds:
            table.append((label, _seconds(m), "-", "-", f"<= {limit:g} s", "?"))
            if m is not None and m.error:
                notes.append(f"{label}: {m.error}")
            return
        table.append((label, f"{m.median:.2f} s", "-", "-", f"<= {limit:g} s",
                      "yes" if m.median <= limit else "NO"))

    versus("kpi", f"sdesk kpi (jeugd, {YEAR})", 2)
    versus("budget", f"sdesk budget ({BUDGET_YEAR})", 2)
    versus("review", "sdesk review", 2)
    versus("household", "sdesk household (most allocations)", 1)
    within("first_screen", "first screen after start", 1.5)
    for key in [k for k in RESULTS if k.startswith("screen:")]:
        within(key, f"screen {key.removeprefix('screen:')}: first figures", 1)
    if not any(k.startswith("screen:") for k in RESULTS):
        table.append(("any screen's first figures", "not run", "-", "-", "<= 1 s", "?"))
    within("council_workbook", "council workbook", 5)
    within("review_workbook", "review workbook (50,000 rows)", 5)
    written = WORKBOOK_WRITTEN[-1] if WORKBOOK_WRITTEN else None
    if written is not None and written < WORKBOOK_ROWS:
        notes.append(f"review workbook: only {written:,} candidate rows written (every "
                     f"candidate of the {size} demo), fewer than the target's "
                     f"{WORKBOOK_ROWS:,}; no rows were added")
    elif written is not None:
        notes.append(f"review workbook: {written:,} candidate rows written")
    if IMPORT_RATE:
        rate = IMPORT_RATE[-1]
        table.append(("import (claim lines/s, all checks)", f"{rate:,.0f}", "-", "-",
                      ">= 250,000", "yes" if rate >= 250_000 else "NO"))
        notes.append("import: one in-process run of run.py's import step (not a fresh "
                     "process, not a median), up to the commit; with the preparations after "
                     f"it (summaries, kept answers, worklist inputs): {IMPORT_WHOLE[-1]:,.0f} "
                     "claim lines/s")
    else:
        table.append(("import (claim lines/s, all checks)", "not run", "-", "-", ">= 250,000",
                      "?"))
    command_peaks = {k: max(m.peak_mb) for k, m in RESULTS.items()
                     if k in {"version", "household", "kpi", "budget", "review",
                              "council_workbook", "review_workbook"} and m.peak_mb}
    if command_peaks:
        worst = max(command_peaks, key=lambda k: command_peaks[k])
        peak = command_peaks[worst]
        table.append(("peak memory, command", f"{peak:,.0f} MiB", "-", "-", "<= 1,024 MiB",
                      "yes" if peak <= 1024 else "NO"))
        notes.append(f"peak memory, command: the largest is {worst}")
    else:
        table.append(("peak memory, command", "not run", "-", "-", "<= 1,024 MiB", "?"))
    app = RESULTS.get("app")
    if app is not None and app.peak_mb:
        peak = max(app.peak_mb)
        table.append(("peak memory, application", f"{peak:,.0f} MiB", "-", "-",
                      "<= 1,536 MiB", "yes" if peak <= 1536 else "NO"))
    else:
        table.append(("peak memory, application", "not run", "-", "-", "<= 1,536 MiB", "?"))
    for key, m in RESULTS.items():
        if key in {"kpi", "budget", "review", "household", "council_workbook",
                   "review_workbook", "first_screen"} and m.seconds and len(m.seconds) > 1:
            notes.append(f"{key}: runs {m.runs}")
    version = RESULTS.get("version")
    if version is not None and version.seconds:
        notes.append(f"sdesk --version (interpreter and start-up only): {version.median:.2f} s")
    if ref is not None and ref_ok:
        notes.append(f"reference: runs {ref.runs}; {ref.note}")
    table.extend(("  " + note, "", "", "", "", "") for note in notes)
    return table


def print_targets_table(size: str) -> None:
    table = targets_table(size)
    body = [r for r in table if not r[0].startswith("  ")]
    head = ("what", "measured", "reference", "ratio", "target", "ok?")
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(6)]
    print(f"\nIssue 17 targets, preset {size} (fresh processes, median of {RUNS}, "
          f"{os.cpu_count()} cores)")

    def line(r: tuple[str, ...]) -> str:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:],
                                                                        strict=True)]
        return "  " + "  ".join(cells)

    print(line(head))
    for r in body:
        print(line(r))
    for r in table:
        if r[0].startswith("  "):
            print("  note:" + r[0][1:])

