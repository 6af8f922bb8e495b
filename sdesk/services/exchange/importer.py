"""`sdesk import` of exchange format v1: all or nothing, every refusal reported.

Reading and checking happen before anything is written; writing happens in one transaction,
so one bad row (or a cancel) leaves the database exactly as it was.

The result says per file how many rows are new, changed (with examples: which columns) and
unchanged. A full refresh (`full_refresh=True`, `sdesk import --volledig`) takes the file set
as the whole truth and also reports, per file in it, the rows the database holds that the
files no longer have; they are reported, never deleted (see importing/changes.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Connection, Engine

from sdesk.services.exchange.format import FILES
from sdesk.services.exchange.importing.changes import compare
from sdesk.services.exchange.importing.checks import CHECKS, Rows
from sdesk.services.exchange.importing.existing import load_known
from sdesk.services.exchange.importing.parsing import Columns
from sdesk.services.exchange.importing.readers import read_sources
from sdesk.services.exchange.importing.report import ImportIssue, Report
from sdesk.services.exchange.importing.table import RawTable
from sdesk.services.exchange.importing.writer import WRITERS
from sdesk.services.exchange.outcome import (
    CancelFn,
    FileChanges,
    ImportCancelled,
    ImportResult,
    ProgressFn,
)
from sdesk.services.platform import audit
from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.services.platform.backup import backup_before_import
from sdesk.services.platform.sqlite import BEGIN_OPTION

__all__ = ["FileChanges", "ImportCancelled", "ImportIssue", "ImportResult", "import_sources"]


def import_sources(engine: Engine, sources: Sequence[Path], progress: ProgressFn | None = None,
                   cancelled: CancelFn | None = None, actor: Actor = SYSTEM,
                   full_refresh: bool = False) -> ImportResult:
    """Import exchange-format sources (CSV folder, .csv files, .xlsx workbooks), or iJw/iWmo
    3.2 messages (.xml files, folders of them, .zip archives): the two cannot be mixed.
    After a successful import the summaries, the KPI working set and answers, the budget
    figures and the afschaling worklist are prepared for the default peildatum (seconds on a
    large municipality), so the screens and commands open on them at once.

    full_refresh: the file set is the whole truth (exchange format only); the result also
    lists, per file, the stored rows missing from it. Nothing is deleted."""
    result = _import(engine, sources, progress, cancelled, actor, full_refresh)
    # After the commit a cancel cannot undo the import; it skips the preparation.
    if result.ok and not (cancelled is not None and cancelled()):
        if progress is not None:
            progress(1.0, "Overzichten bijwerken")
        from sdesk.services.platform.summaries import prepare_summaries

        prepare_summaries(engine)
        from sdesk.services.kpi import prepare_working_set

        prepare_working_set(engine)
        from sdesk.services.budget import prepare_budget

        prepare_budget(engine)
        if progress is not None:
            progress(1.0, "Werklijst afschaling voorbereiden")
        from sdesk.services.afschaling import prepare_default_inputs

        prepare_default_inputs(engine)
        if progress is not None:
            progress(1.0, "Import voltooid")
    return result


def _import(engine: Engine, sources: Sequence[Path], progress: ProgressFn | None,
            cancelled: CancelFn | None, actor: Actor, full_refresh: bool) -> ImportResult:
    from sdesk.services.exchange.istandaarden.detect import source_kind

    kinds = {source_kind(Path(s)) for s in sources}
    if kinds & {"istandaard", "mixed"}:
        if kinds != {"istandaard"}:
            return ImportResult(False, [ImportIssue(
                ", ".join(str(s) for s in sources)[:200], None, None,
                "iJw/iWmo-berichten (XML) en bestanden van het uitwisselformaat (CSV/Excel) "
                "kunnen niet in één import; importeer ze apart")])
        if full_refresh:
            return ImportResult(False, [ImportIssue(
                ", ".join(str(s) for s in sources)[:200], None, None,
                "een volledige verversing kan alleen met bestanden van het uitwisselformaat "
                "(CSV/Excel); iJw/iWmo-berichten vullen aan en worden zonder 'volledig' "
                "geïmporteerd")], full_refresh=True)
        from sdesk.services.exchange.istandaarden import import_messages

        return import_messages(engine, sources, progress=progress, cancelled=cancelled,
                               actor=actor)

    def step(fraction: float, message: str) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None:
            progress(fraction, message)

    report = Report()
    step(0.0, "Bestanden lezen")
    tables = {t.name: t for t in read_sources([Path(s) for s in sources], report)}
    if not tables and report.ok:
        report.add(", ".join(str(s) for s in sources) or "(geen bron)", None, None,
                   "niets om te importeren")
    order = [spec.name for spec in FILES if spec.name in tables]

    prepared: dict[str, Rows] = {}
    with engine.connect() as conn:
        known = load_known(conn)
    for i, name in enumerate(order):
        step(0.1 + 0.4 * i / max(len(order), 1), f"Controleren: {tables[name].label}")
        prepared[name] = CHECKS[name](Columns(tables[name], report), known)
    if not report.ok:
        return ImportResult(False, report.sorted_issues(), warnings=report.warnings)

    backup_before_import(engine)
    counts: dict[str, int] = {}
    changes: list[FileChanges] = []
    # One transaction: commit at the end or roll back on error. It reads (what the files
    # change) before it writes, so it takes the write lock at BEGIN: a deferred transaction
    # would find its snapshot stale when another connection wrote meanwhile.
    with engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"}).begin() as conn:
        # A big page cache keeps index pages of a million-line load in memory (default: 2 MB).
        conn.exec_driver_sql("PRAGMA cache_size=-262144")
        try:
            # What the files change, against the database as this transaction sees it.
            for name in order:
                step(0.5, f"Wijzigingen bepalen: {tables[name].label}")
                changes.append(compare(conn, name, tables[name], prepared[name], full_refresh))
            _write_all(conn, order, tables, prepared, counts, step)
        finally:
            conn.exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's default again
        detail = ", ".join(str(s) for s in sources)[:200]
        if full_refresh:
            missing = sum(c.missing or 0 for c in changes)
            detail = f"volledige verversing ({missing} ontbrekend): {detail}"[:200]
        audit.record(conn, actor, audit.IMPORT, detail, sum(counts.values()))
        step(1.0, "Afronden")
    if full_refresh:
        present = {c.name for c in changes}
        absent = [spec.name for spec in FILES if spec.name not in present]
        if absent:
            report.warnings.append(
                "volledige verversing: niet vergeleken omdat ze niet in de bestanden staan: "
                + ", ".join(absent))
    return ImportResult(True, [], counts, report.warnings, changes, full_refresh)




def _write_all(conn: Connection, order: list[str], tables: dict[str, RawTable],
               prepared: dict[str, Rows], counts: dict[str, int],
               step: Callable[[float, str], None]) -> None:
    for i, name in enumerate(order):
        base = 0.5 + 0.5 * i / len(order)
        span = 0.5 / len(order)
        label = f"Opslaan: {tables[name].label}"
        step(base, label)
        if name == "declaraties":
            WRITERS[name](conn, prepared[name],
                          lambda f, b=base, s=span, m=label: step(b + s * f, m))
        else:
            WRITERS[name](conn, prepared[name])
        counts[name] = len(tables[name].frame)
