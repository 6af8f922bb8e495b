"""The one export use case: every file that leaves sdesk goes through `export`.

`export(engine, actor, report, params, path, purpose)` checks the purpose, lets the report's
writer fill a temporary file next to `path`, records the audit event (who, what, how many rows,
why) and moves the file into place in the same step: an export that fails leaves neither a
half-written file nor an audit row, and a file that exists was logged. Screens and the CLI call
it; no UI or CLI module writes an audit row itself.

Who may export what is the permission table (platform.permissions), checked before anything
is written: every export needs EXPORT (not without a known user: an export is logged on a
name); a report per person or per household (PERSON_REPORTS, and the council workbook with
its persons sheet) needs EXPORT_PERSONS (not the controller); the audit log needs READ_AUDIT.
A business case exported by a role without identity names allocation pseudonyms.

A report is a name and a writer. The writers below cover the service reports; a screen that
renders with Qt (the household PDF) passes its own writer with `writer=`.

Parameters (`params`) per report:

- ``household``: ``overview`` (a HouseholdOverview), or ``household_id``, ``at`` and
  ``threshold_cents`` to compute it;
- ``worklist``: ``worklist`` (a Worklist), or ``at``, ``law``, ``team`` to compute it;
- ``business_case``: ``case`` (a BusinessCase);
- ``council``: ``request`` (a CouncilRequest), ``sheets``, ``include_persons``;
- ``drilldown``: ``rows`` (DrillRows), ``title``, ``subtitle``;
- ``audit``: ``events`` (AuditEvents; all events when absent).
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, allocation_pseudonym, is_pseudonym
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.permissions import (
    EXPORT,
    EXPORT_PERSONS,
    READ_AUDIT,
    require,
)


@dataclass(frozen=True)
class Written:
    """What a writer reports back: rows written (None when not countable) and a short text
    naming what was exported, for the audit log."""

    rows: int | None
    what: str


Writer = Callable[[Engine, Actor, Mapping[str, Any], Path], Written]


@dataclass(frozen=True)
class Exported:
    path: Path
    rows: int | None
    purpose: str


# Reports that suppress counts of 1 to 9 persons unless exported for internal use.
SUPPRESSING = frozenset({"council"})
# Reports with a row per person, allocation or household (the screens' PDF included).
PERSON_REPORTS = frozenset({"household", "household_pdf", "worklist", "drilldown"})


def check_allowed(actor: Actor, report: str, params: Mapping[str, Any]) -> None:
    """Raise PermissionDenied (Dutch) when the actor may not export this report; screens
    use it to disable what the role may not export."""
    require(actor, EXPORT)
    if report in PERSON_REPORTS or (report == "council" and params.get("include_persons")):
        require(actor, EXPORT_PERSONS)
    if report == "audit":
        require(actor, READ_AUDIT)


def export(engine: Engine, actor: Actor, report: str, params: Mapping[str, Any], path: Path,
           purpose: str, *, internal: bool = False, writer: Writer | None = None) -> Exported:
    """Write `report` to `path` for `purpose` and record it in the audit log.

    Raises SdeskError (in Dutch) for a role that may not, a missing purpose, an unknown
    report or a file that cannot be written; nothing is left behind and nothing is logged
    then.
    """
    check_allowed(actor, report, params)
    purpose = (purpose or "").strip()
    if not purpose:
        raise SdeskError("Geef het doel van de export op; het wordt vastgelegd in de auditlog "
                         "(bijvoorbeeld \"kwartaalrapportage raad\").")
    write = writer or _REPORTS.get(report)
    if write is None:
        raise SdeskError(f"Onbekend rapport '{report}'; kies uit {', '.join(sorted(_REPORTS))}.")
    if report in SUPPRESSING:
        purpose += (" (intern gebruik, geen afscherming van kleine aantallen)" if internal
                    else " (aantallen onder 10 afgeschermd)")
    elif internal:
        purpose += " (intern gebruik)"
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        written = write(engine, actor, params, temporary)
        # Logged and committed before the file appears: a process killed in between leaves a
        # logged export without a file, never a file nobody logged.
        audit.log(engine, actor, audit.EXPORT, f"{written.what} -> {path.name}",
                  written.rows, purpose)
        try:
            os.replace(temporary, path)
        except OSError:
            audit.log(engine, actor, audit.EXPORT, f"mislukt, geen bestand: {written.what} -> "
                      f"{path.name}", 0, purpose)
            raise
    except OSError as exc:
        raise SdeskError(f"Het bestand kan niet worden geschreven: {path} "
                         f"({exc.strerror or exc})") from exc
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    return Exported(path, written.rows, purpose)


def report_names() -> tuple[str, ...]:
    """The names of the reports an export can make, sorted."""
    return tuple(sorted(_REPORTS))


# -- the service reports ------------------------------------------------------------------

def _household(engine: Engine, actor: Actor, params: Mapping[str, Any], path: Path) -> Written:
    from sdesk.services.household import household_overview, write_household_workbook

    if "overview" in params:
        overview = params["overview"]
    else:
        threshold = ({"threshold_cents": params["threshold_cents"]}
                     if "threshold_cents" in params else {})
        overview = household_overview(engine, actor, params["household_id"], params["at"],
                                      **threshold)
    write_household_workbook(overview, path, actor.signature)
    return Written(len(overview.allocations) + len(overview.interventions),
                   f"huishouden {overview.household_id} (Excel)")


def _worklist(engine: Engine, actor: Actor, params: Mapping[str, Any], path: Path) -> Written:
    from sdesk.services.afschaling import worklist, write_worklist_workbook
    work = params["worklist"] if "worklist" in params else worklist(
        engine, actor, params["at"], law=params.get("law"), team=params.get("team"),
        everything=bool(params.get("everything", False)))
    write_worklist_workbook(work, path, actor.signature)
    return Written(len(work), f"werklijst afschaling op {work.at}")


def _business_case(engine: Engine, actor: Actor, params: Mapping[str, Any],
                   path: Path) -> Written:
    from sdesk.services.afschaling import write_business_case_workbook

    case = params["case"]
    if not actor.sees_identity:  # a case computed for someone else: no source numbers out
        import dataclasses

        case = dataclasses.replace(case, reviews=tuple(
            r if is_pseudonym(r.toewijzingnummer, "T") else dataclasses.replace(
                r, toewijzingnummer=allocation_pseudonym(r.law, r.toewijzingnummer))
            for r in case.reviews))
    write_business_case_workbook(case, path, actor.signature)
    return Written(len(case.reviews), "business case afschaling")


def _council(engine: Engine, actor: Actor, params: Mapping[str, Any], path: Path) -> Written:
    from sdesk.services.council import write_council_workbook

    request = params["request"]
    write_council_workbook(engine, path, request, actor,
                           sheets=params.get("sheets", ("kpi", "trends", "budget")),
                           include_persons=params.get("include_persons", False))
    return Written(None, f"Excel voor de raad {request.start}..{request.end}")


def _drilldown(engine: Engine, actor: Actor, params: Mapping[str, Any], path: Path) -> Written:
    from sdesk.services.kpi import write_drilldown_workbook

    rows = params["rows"]
    write_drilldown_workbook(rows, path, params["title"], params.get("subtitle", ""),
                             actor.signature)
    return Written(len(rows), str(params["title"]))


def _audit(engine: Engine, actor: Actor, params: Mapping[str, Any], path: Path) -> Written:
    import csv

    from sdesk.services.platform.spreadsheet import csv_text

    events = params.get("events")
    if events is None:
        events = audit.list_events(engine, actor, limit=None)
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["nr", "tijd_utc", "gebruiker", "rol", "actie", "object", "regels",
                      "doel"])
        for e in events:
            out.writerow([csv_text(v) for v in (e.id, e.at_utc, e.user, e.role, e.action,
                                                 e.object, e.row_count, e.purpose)])
    return Written(len(events), "auditlog")


_REPORTS: dict[str, Writer] = {
    "household": _household,
    "worklist": _worklist,
    "business_case": _business_case,
    "council": _council,
    "drilldown": _drilldown,
    "audit": _audit,
}
