"""Procescoördinatie cases: freeze the care package at intake (T0), compare at evaluation (T1).

The saving per payer is T0 minus T1 annual cost; the attribution factor (default 100 %) says
how much of it the approach may claim. Municipal saving is the gemeente's share, societal
saving that of every other payer, both after attribution.

Starting, evaluating and changing a case needs CHANGE_CASES (platform.permissions), checked
before anything is read or written. For an actor without identity the portfolio shows
household pseudonyms and a case carries no notes (free text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from sdesk.services.household.package import (
    MUNICIPAL_PAYER,
    CoordinationSummary,
    PayerSaving,
    household_row,
    package_at,
)
from sdesk.services.household.vocabulary import STATUSES
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, household_pseudonym
from sdesk.services.platform.errors import NotFoundError, SdeskError
from sdesk.services.platform.periods import add_months
from sdesk.services.platform.permissions import CHANGE_CASES, require

DEFAULT_EVALUATION_MONTHS = 6
BUCKETS = ("jeugd", "wmo", "participatie", "overig_gemeente", "maatschappelijk")
BUCKET_LABELS = {"jeugd": "Jeugdhulp", "wmo": "Wmo", "participatie": "Participatiewet",
                 "overig_gemeente": "Overig gemeentelijk",
                 "maatschappelijk": "Overig maatschappelijk"}


class CoordinationError(SdeskError):
    pass


@dataclass(frozen=True)
class PackageLine:
    kind: str  # "allocation" or "intervention"
    reference: str | None
    law: str | None
    payer: str
    description: str | None
    annual_cost_cents: int

    @property
    def bucket(self) -> str:
        """The factsheet bucket: the law of an allocation, else municipal or societal."""
        if self.kind == "allocation" and self.law:
            return self.law
        return "overig_gemeente" if self.payer == MUNICIPAL_PAYER else "maatschappelijk"


def _package_lines(conn: Connection, actor: Actor, hid: int, at: date) -> list[PackageLine]:
    _, allocations, interventions = package_at(conn, actor, hid, at)
    lines = [PackageLine("allocation", a.toewijzingnummer, a.law, MUNICIPAL_PAYER,
                         " ".join(p for p in (a.category_label, a.product) if p) or a.category,
                         a.annual_cost_cents) for a in allocations if a.annual_cost_cents]
    lines += [PackageLine("intervention", i.item, None, i.payer, i.description,
                          i.annual_cost_cents) for i in interventions if i.annual_cost_cents]
    return lines


def _snapshot(conn: Connection, case_id: int, moment: str) -> list[PackageLine]:
    return [PackageLine(*r) for r in conn.exec_driver_sql(
        "SELECT kind, reference, law, payer, description, annual_cost_cents "
        "FROM coordination_snapshot WHERE case_id = ? AND moment = ? ORDER BY id",
        (case_id, moment))]


def _freeze(conn: Connection, case_id: int, moment: str, lines: list[PackageLine]) -> None:
    conn.exec_driver_sql("DELETE FROM coordination_snapshot WHERE case_id = ? AND moment = ?",
                         (case_id, moment))
    if not lines:  # an empty package (all help ended): executemany needs at least one row
        return
    conn.exec_driver_sql(
        "INSERT INTO coordination_snapshot (case_id, moment, kind, reference, law, payer, "
        "description, annual_cost_cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(case_id, moment, x.kind, x.reference, x.law, x.payer, x.description,
          x.annual_cost_cents) for x in lines])


def _compare(t0: list[PackageLine], t1: list[PackageLine],
             key: str) -> dict[str, PayerSaving]:
    sums: dict[str, list[int]] = {}
    for index, lines in enumerate((t0, t1)):
        for line in lines:
            k = line.payer if key == "payer" else line.bucket
            sums.setdefault(k, [0, 0])[index] += line.annual_cost_cents
    return {k: PayerSaving(v[0], v[1]) for k, v in sums.items()}


def _employee_id(conn: Connection, external_id: str | None) -> int | None:
    if not external_id:
        return None
    row = conn.exec_driver_sql("SELECT id FROM employee WHERE external_id = ?",
                               (external_id,)).first()
    if row is None:
        raise NotFoundError(f"Medewerker '{external_id}' bestaat niet.")
    return int(row[0])


def _case_row(conn: Connection, case_id: int) -> Any:
    row = conn.exec_driver_sql(
        "SELECT c.id, c.household_id, c.intake_date, c.evaluation_date, c.status, "
        "c.attribution, c.notes, e.name FROM coordination_case c "
        "LEFT JOIN employee e ON e.id = c.coordinator_id WHERE c.id = ?", (case_id,)).first()
    if row is None:
        raise NotFoundError(f"Traject {case_id} bestaat niet.")
    return row


def summarise(conn: Connection, actor: Actor, case_id: int, at: date) -> CoordinationSummary:
    """The T0/T1 comparison of a case; before evaluation T1 is the package on `at`."""
    cid, hid, intake, evaluation, status, attribution, notes, coordinator = _case_row(
        conn, case_id)
    t0 = _snapshot(conn, cid, "t0")
    t1 = _snapshot(conn, cid, "t1") if evaluation else None
    t0_date = date.fromisoformat(intake)
    if t1 is None:  # not evaluated yet: compare with the package as it stands on `at`
        t1_date = max(at, t0_date)
        t1 = _package_lines(conn, actor, hid, t1_date)
    else:
        t1_date = date.fromisoformat(evaluation)
    return CoordinationSummary(
        case_id=cid, status=status, coordinator=coordinator, t0_date=t0_date, t1_date=t1_date,
        t1_frozen=evaluation is not None, attribution=float(attribution),
        by_payer=_compare(t0, t1, "payer"), by_bucket=_compare(t0, t1, "bucket"),
        notes=notes if actor.sees_identity else None)


def coordination_for_household(conn: Connection, actor: Actor, hid: int,
                               at: date) -> CoordinationSummary | None:
    """The household's most recent case that had started on `at`."""
    row = conn.exec_driver_sql(
        "SELECT id FROM coordination_case WHERE household_id = ? AND intake_date <= ? "
        "ORDER BY intake_date DESC, id DESC LIMIT 1", (hid, at.isoformat())).first()
    return None if row is None else summarise(conn, actor, int(row[0]), at)


def start_case(engine: Engine, actor: Actor, household_id: str, intake_date: date,
               coordinator: str | None = None, notes: str | None = None) -> int:
    """Open a case and freeze the T0 package; one running case per household."""
    require(actor, CHANGE_CASES)
    with engine.begin() as conn:
        hid = household_row(conn, household_id)[0]
        running = conn.exec_driver_sql(
            "SELECT intake_date FROM coordination_case WHERE household_id = ? "
            "AND status = 'open'", (hid,)).first()
        if running:
            raise CoordinationError(
                f"Voor huishouden {household_id} loopt al een traject (intake {running[0]}).")
        coordinator_id = _employee_id(conn, coordinator) or actor.employee_id
        case_id = conn.exec_driver_sql(
            "INSERT INTO coordination_case (household_id, coordinator_id, intake_date, "
            "status, attribution, notes) VALUES (?, ?, ?, 'open', 1.0, ?) RETURNING id",
            (hid, coordinator_id, intake_date.isoformat(), notes)).scalar_one()
        _freeze(conn, case_id, "t0", _package_lines(conn, actor, hid, intake_date))
        audit.record(conn, actor, audit.CHANGE,
                     f"traject {case_id} gestart voor huishouden {household_id}")
    return int(case_id)


def default_evaluation_date(intake_date: date) -> date:
    """The date a case is evaluated by default: a fixed number of months after intake."""
    return add_months(intake_date, DEFAULT_EVALUATION_MONTHS)


def evaluate_case(engine: Engine, actor: Actor, case_id: int,
                  evaluation_date: date | None = None) -> CoordinationSummary:
    """Freeze the T1 package (default six months after intake) and mark the case evaluated."""
    require(actor, CHANGE_CASES)
    with engine.begin() as conn:
        _, hid, intake, *_ = _case_row(conn, case_id)
        t0_date = date.fromisoformat(intake)
        t1_date = evaluation_date or default_evaluation_date(t0_date)
        if t1_date < t0_date:
            raise CoordinationError(
                f"De evaluatiedatum (T1) {t1_date:%d-%m-%Y} ligt voor de intakedatum (T0) "
                f"{t0_date:%d-%m-%Y}.")
        _freeze(conn, case_id, "t1", _package_lines(conn, actor, hid, t1_date))
        conn.exec_driver_sql(
            "UPDATE coordination_case SET evaluation_date = ?, status = 'evaluated' "
            "WHERE id = ?", (t1_date.isoformat(), case_id))
        audit.record(conn, actor, audit.CHANGE, f"traject {case_id} geëvalueerd op {t1_date}")
        return summarise(conn, actor, case_id, t1_date)


def update_case(engine: Engine, actor: Actor, case_id: int, *, attribution: float | None = None,
                status: str | None = None, notes: str | None = None) -> None:
    """Change a case's attribution, status or notes (None leaves one as it is)."""
    require(actor, CHANGE_CASES)
    if attribution is not None and not 0.0 <= attribution <= 1.0:
        raise CoordinationError("De toerekening moet tussen 0 % en 100 % liggen.")
    if status is not None and status not in STATUSES:
        raise CoordinationError(f"Onbekende status '{status}'.")
    with engine.begin() as conn:
        _case_row(conn, case_id)
        if attribution is not None:
            conn.exec_driver_sql("UPDATE coordination_case SET attribution = ? WHERE id = ?",
                                 (attribution, case_id))
        if status is not None:
            conn.exec_driver_sql("UPDATE coordination_case SET status = ? WHERE id = ?",
                                 (status, case_id))
        if notes is not None:
            conn.exec_driver_sql("UPDATE coordination_case SET notes = ? WHERE id = ?",
                                 (notes, case_id))
        audit.record(conn, actor, audit.CHANGE, f"traject {case_id} bijgewerkt")


@dataclass(frozen=True)
class PortfolioRow:
    case_id: int
    household_id: str
    coordinator: str | None
    status: str
    summary: CoordinationSummary

    @property
    def t0_total_cents(self) -> int:
        """The annual cost of the package at T0, all payers."""
        return sum(s.t0_cents for s in self.summary.by_payer.values())

    @property
    def t1_total_cents(self) -> int:
        """The annual cost of the package at T1, all payers."""
        return sum(s.t1_cents for s in self.summary.by_payer.values())


@dataclass(frozen=True)
class Portfolio:
    rows: list[PortfolioRow]

    @property
    def households(self) -> int:
        """The number of distinct households in the portfolio."""
        return len({r.household_id for r in self.rows})

    def saving_by_bucket(self) -> dict[str, int]:
        """The factsheet split after attribution: Participatiewet, Wmo, Jeugdhulp, other
        municipal, other societal."""
        out = dict.fromkeys(BUCKETS, 0)
        for row in self.rows:
            for bucket, saving in row.summary.by_bucket.items():
                out[bucket] += round(saving.saving_cents * row.summary.attribution)
        return out

    @property
    def total_saving_cents(self) -> int:
        """The attributed saving over all buckets."""
        return sum(self.saving_by_bucket().values())


def portfolio(engine: Engine, actor: Actor, at: date, coordinator: str | None = None,
              team: str | None = None) -> Portfolio:
    """Cases of one coordinator, a team, or everyone, with their T0/T1 comparison; household
    pseudonyms for an actor without identity. Logged as a view."""
    sql = ("SELECT c.id, h.external_id, e.name, c.status FROM coordination_case c "
           "JOIN household h ON h.id = c.household_id "
           "LEFT JOIN employee e ON e.id = c.coordinator_id "
           "LEFT JOIN team t ON t.id = e.team_id WHERE 1 = 1")
    params: list[Any] = []
    if coordinator:
        sql += " AND e.external_id = ?"
        params.append(coordinator)
    if team:
        sql += " AND t.name = ?"
        params.append(team)
    sql += " ORDER BY c.intake_date, c.id"
    shown = (lambda ext: ext) if actor.sees_identity else household_pseudonym
    with engine.connect() as conn:
        rows = [PortfolioRow(cid, shown(hh), name, status, summarise(conn, actor, cid, at))
                for cid, hh, name, status in conn.exec_driver_sql(sql, tuple(params)).all()]
    audit.log(engine, actor, audit.VIEW, f"trajecten op {at} (coördinator: "
              f"{coordinator or 'alle'}, team: {team or 'alle'})", len(rows))
    return Portfolio(rows)
