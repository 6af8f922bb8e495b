"""Issue 17: cost grows with the question, not with the history.

Every hot service call runs on the tiny demo while SQLite reports each statement it runs
(`set_trace_callback` on every connection of the engine: it also sees the raw DB-API cursors of
`readers.fetch_rows`, the worker thread of `readers.read_aside` and its CREATE TEMP TABLE ... AS
SELECT). Each statement that reads `claim` is explained with EXPLAIN QUERY PLAN on a separate
connection to the same file; a plan that reads the whole claim table fails the call's test:
`SCAN claim` (with or without an index: a full index scan still reads every claim), an
automatic index on claim (SQLite builds it by reading every claim) or a Bloom filter on claim.

sdesk never runs ANALYZE, so the planner has no statistics and chooses the same plans on the
tiny demo as on a file with ten years of claims: these plans are the ones users get.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from sdesk.services.afschaling import business_case, record_decision, worklist
from sdesk.services.budget import budget_report
from sdesk.services.council import CouncilRequest
from sdesk.services.demo.generator import generate_demo
from sdesk.services.exports import export
from sdesk.services.household import household_overview
from sdesk.services.kpi import compare_periods, compute_kpis, monthly_trend, trend_window
from sdesk.services.platform import cache
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.completeness import claims_completeness
from sdesk.services.platform.db import open_database
from sdesk.services.platform.users import actor_for

AT = date(2026, 6, 30)  # the demo's claims run to October 2026
YEAR = 2025
COORDINATOR = Actor("Procescoördinator", "procescoordinator")  # sees identity, may export

# Statements that read all of claim by design (matched on a fragment of their SQL), each with
# why. Anything else that reads the whole table fails.
ALLOWED = {
    "INSERT INTO realisation_month": "the summary's rebuild (platform/summaries.py): every "
                                     "claim once per data version, so trends never read claim",
    "INSERT INTO claim_arrival": "the lag summary's rebuild, with realisation_month's",
}


# -- the checker -------------------------------------------------------------------------

_NOT_ALIAS = ("WHERE", "JOIN", "LEFT", "INNER", "CROSS", "NATURAL", "ON", "USING", "GROUP",
              "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "HAVING")
_CLAIM = re.compile(r"(?:\bFROM|\bJOIN|,)\s+(?:main\.)?[\"`]?claim[\"`]?\b"
                    rf"(?:\s+(?:AS\s+)?(?!(?:{'|'.join(_NOT_ALIAS)})\b)(\w+))?", re.IGNORECASE)
_STEP = re.compile(r"(SCAN|SEARCH) (\S+)(.*)")
_BLOOM = re.compile(r"BLOOM FILTER ON (\S+)")


def claim_names(sql: str) -> set[str]:
    """The names a statement reads claim under ("claim" and its aliases, lower case); empty
    when it does not read claim."""
    names: set[str] = set()
    for match in _CLAIM.finditer(sql):
        names.add("claim")
        if match.group(1):
            names.add(match.group(1).lower())
    return names


def explain(conn: sqlite3.Connection, sql: str) -> list[str]:
    """The plan's detail lines. The trace reports statements with their parameters filled
    in; should SQLite not have expanded one, its parameters are explained as NULL."""
    try:
        rows = conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()
    except sqlite3.ProgrammingError as exc:
        count = re.search(r"uses (\d+)", str(exc))
        if count is None:
            raise
        rows = conn.execute("EXPLAIN QUERY PLAN " + sql, (None,) * int(count.group(1))).fetchall()
    return [str(row[3]) for row in rows]


def whole_claim_reads(plan: list[str], names: set[str]) -> list[str]:
    """The plan lines that read every claim: a SCAN (a covering index scan included), an
    automatic index or a Bloom filter built on claim."""
    def whole(line: str) -> bool:
        step, bloom = _STEP.match(line), _BLOOM.match(line)
        if step:
            return step.group(2).lower() in names and (
                step.group(1) == "SCAN" or "AUTOMATIC" in step.group(3))
        return bloom is not None and bloom.group(1).lower() in names

    return [line for line in plan if whole(line)]


def short(sql: str, limit: int = 400) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= limit else text[:limit] + " …"


def claim_statements(statements: list[str]) -> list[str]:
    """The distinct statements that read claim, in order (trigger lines skipped)."""
    seen: dict[str, None] = {}
    for sql in statements:
        if not sql.lstrip().startswith("--") and claim_names(sql):
            seen.setdefault(sql, None)
    return list(seen)


def full_scans(path: Path, statements: list[str]) -> list[tuple[str, list[str]]]:
    """(statement, plan) of every statement that reads the whole claim table and is not in
    ALLOWED."""
    conn = sqlite3.connect(path)
    try:
        found = []
        for sql in statements:
            if any(fragment in sql for fragment in ALLOWED):
                continue
            plan = explain(conn, sql)
            if whole_claim_reads(plan, claim_names(sql)):
                found.append((sql, plan))
        return found
    finally:
        conn.close()


# -- the demo and the recorder -----------------------------------------------------------

@dataclass(frozen=True)
class Demo:
    path: Path
    household_id: str  # the household with the most allocations running on AT


def _record_reviews(engine: Engine) -> None:
    """Three decisions, so the business case has claims to read; the first as if imported
    without its daily cost, so its claims before the decision are read too."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT a.toewijzingnummer, a.law, e.external_id FROM allocation a "
            "JOIN employee e ON e.id = a.employee_id WHERE e.role = 'klantmanager' "
            "AND a.start_date <= '2025-03-01' AND (a.end_date IS NULL OR a.end_date > "
            "'2025-12-31') ORDER BY a.id LIMIT 3").all()
    assert len(rows) == 3
    review_date = date(2025, 9, 30)
    for (number, law, employee), decision in zip(rows, ("stop", "scale_down", "continue"),
                                                 strict=True):
        record_decision(engine, actor_for(engine, employee), number, law, decision,
                        review_date, [], new_volume=1 if decision == "scale_down" else None)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE review SET realised_daily_cost_cents = NULL "
                             "WHERE id = (SELECT MIN(id) FROM review)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The tiny demo with three reviews, made once for the module (each test copies it)."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("plans_home")
        patch.setenv("SDESK_HOME", str(home))
        patch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
        patch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
        path = tmp_path_factory.mktemp("plans") / "demo.sqlite"
        engine = open_database(path)
        try:
            generate_demo(engine, size="tiny", seed=1)
            _record_reviews(engine)
            with engine.connect() as conn:
                household = conn.exec_driver_sql(
                    "SELECT h.external_id FROM household h JOIN person p ON p.household_id "
                    "= h.id JOIN allocation a ON a.person_id = p.id WHERE a.start_date <= ? "
                    "AND (a.end_date IS NULL OR a.end_date >= ?) GROUP BY h.id "
                    "ORDER BY COUNT(*) DESC, h.id LIMIT 1", (AT.isoformat(),) * 2).scalar_one()
        finally:
            engine.dispose()
        yield Demo(path, str(household))


@dataclass
class Traced:
    engine: Engine
    path: Path
    statements: list[str]


CLAIM_INDEXES = ("ix_claim_period", "ix_claim_allocation_period")


@contextmanager
def recording(demo: Demo, folder: Path, drop: tuple[str, ...] = ()) -> Iterator[Traced]:
    """An engine on a copy of the demo (without the indexes `drop`) whose every connection
    reports every statement SQLite runs, with nothing computed kept (so each call reads)."""
    path = folder / "demo.sqlite"
    source, target = sqlite3.connect(demo.path), sqlite3.connect(path)
    try:
        source.backup(target)  # the WAL's pages too
        for index in drop:
            target.execute(f"DROP INDEX {index}")
        target.commit()
    finally:
        source.close()
        target.close()
    engine = open_database(path)
    statements: list[str] = []

    def trace(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(statements.append)

    event.listen(engine, "connect", trace)
    engine.dispose()  # the connections opened before the listener go
    cache.forget(engine)  # stored frames and summary marks: rebuilt, so read, on first use
    statements.clear()
    try:
        yield Traced(engine, path, statements)
    finally:
        engine.dispose()


# -- the hot calls, each as the CLI or the screen makes it --------------------------------

def _household(engine: Engine, demo: Demo, _out: Path) -> object:
    return household_overview(engine, COORDINATOR, demo.household_id, AT)


def _kpi(engine: Engine, _demo: Demo, _out: Path) -> object:
    return compare_periods(engine, date(YEAR, 1, 1), date(YEAR, 12, 31), "wmo", None, None)


# A peildatum in the middle of a month: the budget and completeness read the claims
# themselves (at a month's end they read the summaries, which read no claim at all).
MID_MONTH = date(2025, 12, 15)


def _budget(engine: Engine, _demo: Demo, _out: Path) -> object:
    return budget_report(engine, YEAR, MID_MONTH)


def _worklist(engine: Engine, _demo: Demo, _out: Path) -> object:
    return worklist(engine, COORDINATOR, AT)


def _business_case(engine: Engine, _demo: Demo, _out: Path) -> object:
    case = business_case(engine, AT, 1.0, 8_500_000, actor=COORDINATOR)
    assert len(case.reviews) == 3
    return case


def _trends(engine: Engine, _demo: Demo, _out: Path) -> object:
    """The dashboard's trend tab (ui/kpi/page.py `_start_trends`), all laws."""
    window = trend_window(engine, None, None)
    assert window is not None
    monthly = monthly_trend(engine, window.first_month, window.last_day, None, None)
    return monthly, [compute_kpis(engine, q0, q1, None, None) for q0, q1 in window.quarters]


def _council(engine: Engine, _demo: Demo, out: Path) -> object:
    """`sdesk export kpi --from 2025-01-01 --to <mid-month> ...`: the council workbook's three
    sheets."""
    # Mid-month: the only path on which the council reads claims itself (whole months come
    # from the realisation_month summary).
    request = CouncilRequest(start=date(YEAR, 1, 1), end=MID_MONTH, budget_year=YEAR)
    return export(engine, COORDINATOR, "council",
                  {"request": request, "sheets": ("kpi", "trends", "budget"),
                   "include_persons": False}, out / "raad.xlsx", "kwartaalrapportage raad")


def _completeness(engine: Engine, _demo: Demo, _out: Path) -> object:
    return claims_completeness(engine, MID_MONTH)


@dataclass(frozen=True)
class HotCall:
    name: str
    run: Callable[[Engine, Demo, Path], object]
    # A fragment of a claim statement the call must send: proof it really read (no cache
    # answered) and that the recorder saw that path.
    must_send: str


# A call that reads all of claim until its fix lands is marked, naming the fix:
# pytest.param(..., marks=pytest.mark.xfail(strict=True, reason="needs index ... on claim")).
HOT_CALLS = [
    pytest.param(HotCall("household_overview", _household,
                         "FROM claim WHERE allocation_id IN"), id="household"),
    pytest.param(HotCall("compare_periods(wmo, 2025)", _kpi,
                         "FROM claim c JOIN allocation a"), id="kpi"),
    pytest.param(HotCall("budget_report(2025)", _budget,
                         "SELECT c.allocation_id, SUM(c.amount_cents) FROM claim c"),
                 id="budget"),
    # read_aside: a raw cursor on a worker thread, materialised with CREATE TEMP TABLE AS.
    pytest.param(HotCall("worklist", _worklist, "CREATE TEMP TABLE sdesk_aside_"),
                 id="worklist"),
    pytest.param(HotCall("business_case", _business_case,
                         "FROM claim WHERE allocation_id = "), id="business_case"),
    pytest.param(HotCall("dashboard trends", _trends, "INSERT INTO realisation_month"),
                 id="trends"),
    pytest.param(HotCall("council workbook (export)", _council, "a.delivery_form FROM claim c"),
                 id="council"),
    pytest.param(HotCall("claims_completeness", _completeness,
                         "SELECT substr(c.period_start, 1, 7), SUM(c.amount_cents)"),
                 id="completeness"),
]


def _run(call: HotCall, demo: Demo, folder: Path, drop: tuple[str, ...] = ()
         ) -> list[tuple[str, list[str]]]:
    """Run the call on a recorded copy of the demo; its whole-claim reads (sql, plan)."""
    with recording(demo, folder, drop) as traced:
        call.run(traced.engine, demo, folder)
        statements = claim_statements(traced.statements)
        assert any(call.must_send in sql for sql in statements), (
            f"{call.name} sent no statement with {call.must_send!r}; claim statements seen:\n"
            + "\n".join(short(sql) for sql in statements))
        return full_scans(traced.path, statements)


@pytest.mark.parametrize("call", HOT_CALLS)
def test_a_hot_call_reads_no_whole_claim_table(call: HotCall, demo: Demo,
                                               tmp_path: Path) -> None:
    scans = _run(call, demo, tmp_path)
    assert not scans, f"{call.name} reads the whole claim table:\n\n" + "\n\n".join(
        f"SQL:  {short(sql)}\nplan: {' | '.join(plan)}" for sql, plan in scans)


@pytest.mark.parametrize("call", HOT_CALLS)
def test_without_the_claim_indexes_the_same_test_fails(call: HotCall, demo: Demo,
                                                       tmp_path: Path) -> None:
    """Each call's test can fail: on a file without claim's indexes it reads every claim."""
    assert _run(call, demo, tmp_path, CLAIM_INDEXES)


# -- the checker can fail -----------------------------------------------------------------

@pytest.mark.parametrize(("sql", "flagged"), [
    ("SELECT SUM(amount_cents) FROM claim", "SCAN claim USING COVERING INDEX ix_claim_period"),
    ("SELECT SUM(c.amount_cents) FROM claim AS c WHERE c.volume > 2", "SCAN c"),
    ("SELECT a.id FROM allocation a WHERE a.id IN (SELECT allocation_id FROM claim "
     "WHERE volume > 3)", "SCAN claim"),
    # SQLite builds the automatic index by reading every claim.
    ("SELECT a.id, k.id FROM allocation a JOIN claim k ON k.volume = a.volume",
     "SEARCH k USING AUTOMATIC COVERING INDEX (volume=?)"),
    ("SELECT SUM(amount_cents) FROM claim WHERE rejected = 0 AND period_start "
     "BETWEEN ? AND ?", None),  # unexpanded parameters: explained as NULL, a SEARCH
    ("SELECT max(period_start) FROM claim", None),  # min/max: one step down the index
    ("SELECT SUM(amount_cents) FROM claim WHERE allocation_id = 7", None),
    ("SELECT COUNT(*) FROM allocation", None),  # no claim at all
])
def test_the_checker_flags_a_whole_claim_read(demo: Demo, sql: str,
                                              flagged: str | None) -> None:
    scans = full_scans(demo.path, claim_statements([sql]))
    if flagged is None:
        assert scans == []
    else:
        assert len(scans) == 1 and flagged in scans[0][1]


def test_claim_names_finds_aliases() -> None:
    assert claim_names("SELECT 1 FROM claim c JOIN allocation a ON a.id = c.allocation_id") == {
        "claim", "c"}
    assert claim_names("SELECT 1 FROM claim WHERE rejected = 0") == {"claim"}
    assert claim_names("SELECT 1 FROM allocation a, claim AS k") == {"claim", "k"}
    assert claim_names("SELECT claim_key FROM claimed") == set()
    assert claim_names("SELECT 1 FROM claim_summary") == set()


def test_whole_claim_reads_reads_every_kind_of_plan_line() -> None:
    names = {"claim", "c"}
    plan = ["SCAN c", "SCAN claim USING COVERING INDEX ix_claim_period",
            "SEARCH c USING AUTOMATIC INDEX (volume=?)", "BLOOM FILTER ON c (allocation_id=?)",
            "SEARCH c USING INDEX ix_claim_period (period_start>? AND period_start<?)",
            "SEARCH claim USING COVERING INDEX ix_claim_period", "SCAN a", "SCAN CONSTANT ROW",
            "USE TEMP B-TREE FOR GROUP BY"]
    assert whole_claim_reads(plan, names) == plan[:4]
