"""Team KPIs (DESIGN section 5) per team and per employee, for period P = [start, end].

- caseload: distinct persons with an allocation active in P that the employee is responsible
  for (a team: its employees together); caseload_per_fte divides by the summed fte;
- reviews / decisions: reviews dated in P credited to the employee (the reviewer, else
  the allocation's responsible employee: afschaling.credited_reviews), per decision;
- expected_saving: the expected annual saving recorded on those reviews;
- ended_without_decision: allocations that ended in P without any review in their lifetime;
- renewed_without_review_share: of the allocations that ended in P and were renewed (a new
  allocation for the same person, law and category starting within one day after the end),
  the share without a review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.afschaling import credited_reviews
from sdesk.services.kpi.definitions import active_mask
from sdesk.services.kpi.working_set import kpi_data
from sdesk.services.platform.readers import fetch_rows


@dataclass(frozen=True)
class TeamRow:
    team: str
    employee: str | None  # None: the team's total row
    fte: float
    caseload: int
    reviews: int
    decisions: dict[str, int] = field(default_factory=dict)
    expected_saving_cents: int = 0
    ended_without_decision: int = 0
    renewed: int = 0
    renewed_without_review: int = 0

    @property
    def caseload_per_fte(self) -> float | None:
        """Caseload (persons) per fte; None without fte."""
        return self.caseload / self.fte if self.fte else None

    @property
    def renewed_without_review_share(self) -> float | None:
        """The share of renewals without a review; None without renewals."""
        return self.renewed_without_review / self.renewed if self.renewed else None


def team_kpis(engine: Engine, start: date, end: date, law: str | None = None) -> list[TeamRow]:
    """A total row per team followed by a row per employee, for the period."""
    data = kpi_data(engine)
    allocations = data.of_law(law)
    p0, p1 = pd.Timestamp(start), pd.Timestamp(end)
    employees = pd.DataFrame.from_records(fetch_rows(engine, (
        "SELECT e.id, e.name, COALESCE(e.fte, 0), t.name FROM employee e "
        "JOIN team t ON t.id = e.team_id")), columns=["employee_id", "name", "fte", "team"])
    reviews = credited_reviews(engine)
    reviewed_ids = set(reviews["allocation_id"])
    in_p = reviews[(reviews["review_date"] >= p0) & (reviews["review_date"] <= p1)
                   & reviews["allocation_id"].isin(allocations["id"])]

    active = allocations[active_mask(allocations, p0, p1)]
    ended = allocations[allocations["end_date"].notna() & (allocations["end_date"] >= p0)
                        & (allocations["end_date"] <= p1)]
    following = allocations[["person_id", "law", "category", "start_date"]].rename(
        columns={"start_date": "next_start"})
    pairs = ended.merge(following, on=["person_id", "law", "category"])
    gap = (pairs["next_start"] - pairs["end_date"]).dt.days
    renewed_ids = set(pairs.loc[(gap >= 0) & (gap <= 1), "id"])
    ended = ended.assign(reviewed=ended["id"].isin(reviewed_ids),
                         renewed=ended["id"].isin(renewed_ids))

    def row(team: str, name: str | None, ids: list[int], fte: float) -> TeamRow:
        mine = in_p[in_p["employee_id"].isin(ids)]
        done = ended[ended["employee_id"].isin(ids)]
        renewed = done[done["renewed"]]
        return TeamRow(
            team=team, employee=name, fte=fte,
            caseload=int(active.loc[active["employee_id"].isin(ids), "person_id"].nunique()),
            reviews=len(mine),
            decisions={str(k): int(v) for k, v in mine["decision"].value_counts().items()},
            expected_saving_cents=int(mine["expected_cents"].sum()),
            ended_without_decision=int((~done["reviewed"]).sum()),
            renewed=len(renewed), renewed_without_review=int((~renewed["reviewed"]).sum()))

    out: list[TeamRow] = []
    for team, members in employees.groupby("team", sort=True):
        out.append(row(str(team), None, members["employee_id"].tolist(),
                       float(members["fte"].sum())))
        for name, employee_id, fte in members.sort_values("name")[
                ["name", "employee_id", "fte"]].itertuples(index=False, name=None):
            out.append(row(str(team), name, [employee_id], float(fte)))
    return out
