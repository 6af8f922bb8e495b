"""What the afschaling page runs off the GUI thread: each function returns the op that
`LatestTasks.start` runs on a worker. Ops take plain values (never a widget) and call the
afschaling service; a refusal of the service (ReviewError) comes back as its Dutch message,
for the page to show next to the input that caused it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.afschaling import (
        BusinessCase,
        Candidate,
        ReviewRow,
        RuleParameters,
        WhatIf,
        Worklist,
    )
    from sdesk.services.platform.actor import Actor
    from sdesk.services.platform.users import EmployeeRow
    from sdesk.ui.afschaling.what_if_panel import WhatIfInput
    from sdesk.ui.shell.workers import TaskState

Start = tuple[date, list["EmployeeRow"], list[str]]


def start_op(engine: Engine) -> Callable[[TaskState], Start]:
    """The last day with data (the default peildatum), the klantmanagers and the teams."""

    def op(_state: TaskState) -> Start:
        from sdesk.services.afschaling import default_peildatum
        from sdesk.services.platform.users import list_employees, list_teams

        data_end = default_peildatum(engine)
        return data_end, list_employees(engine, "klantmanager"), list_teams(engine)

    return op


def worklist_op(engine: Engine, actor: Actor, at: date, params: RuleParameters | None,
                filters: dict[str, Any]) -> Callable[[TaskState], Worklist]:
    def op(_state: TaskState) -> Worklist:
        from sdesk.services.afschaling import worklist

        return worklist(engine, actor, at, params, **filters)

    return op


def what_if_op(engine: Engine, actor: Actor, c: Candidate, at: date,
               change: WhatIfInput) -> Callable[[TaskState], WhatIf | str]:
    def op(_state: TaskState) -> WhatIf | str:
        from sdesk.services.afschaling import ReviewError, what_if

        try:
            return what_if(engine, actor, c.toewijzingnummer, c.law, at,
                           change.product_code, change.volume, change.end_date)
        except ReviewError as exc:
            return str(exc)

    return op


def record_op(engine: Engine, actor: Actor, c: Candidate, decision: str, review_date: date,
              notes: str | None, change: WhatIfInput) -> Callable[[TaskState], int | str]:
    """Record the decision with the what-if's values: the new product and volume only when
    scaling down; a new end date with every decision. The review's id, or the refusal."""
    kwargs: dict[str, Any] = {"new_end_date": change.end_date}
    if decision == "scale_down":
        kwargs.update(new_product_code=change.product_code, new_volume=change.volume)

    def op(_state: TaskState) -> int | str:
        from sdesk.services.afschaling import ReviewError, record_decision

        try:
            return record_decision(engine, actor, c.toewijzingnummer, c.law, decision,
                                   review_date, c.rules, notes=notes, **kwargs)
        except ReviewError as exc:
            return str(exc)

    return op


def history_op(engine: Engine, actor: Actor,
               c: Candidate) -> Callable[[TaskState], list[ReviewRow]]:
    """The allocation's earlier reviews: opening a worklist row (logged as a view)."""

    def op(_state: TaskState) -> list[ReviewRow]:
        from sdesk.services.afschaling import review_history

        return review_history(engine, actor, c.toewijzingnummer, c.law)

    return op


def business_case_op(engine: Engine, at: date, since: date, fte: float,
                     cost_per_fte_cents: int,
                     actor: Actor | None = None) -> Callable[[TaskState], BusinessCase | str]:
    def op(_state: TaskState) -> BusinessCase | str:
        from sdesk.services.afschaling import ReviewError, business_case
        try:
            return business_case(engine, at, fte, cost_per_fte_cents, since=since,
                                 actor=actor)
        except ReviewError as exc:
            return str(exc)

    return op
