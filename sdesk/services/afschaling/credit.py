"""Who gets the credit for a review: the reviewer, else the allocation's responsible employee
(reviews recorded without an acting employee, such as imported ones). One definition for the
team figures and the business case."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform.readers import fetch_rows

# SQL over `review r JOIN allocation a`: the employee id a review is credited to.
CREDITED_EMPLOYEE = "COALESCE(r.employee_id, a.employee_id)"


def credited_reviews(engine: Engine) -> pd.DataFrame:
    """Every review with allocation_id, review_date (datetime64), decision, expected_cents
    (0 when none was recorded) and employee_id, the credited employee (NaN for nobody)."""
    rows = fetch_rows(engine, (
        "SELECT r.allocation_id, r.review_date, r.decision, "
        f"COALESCE(r.expected_annual_saving_cents, 0), {CREDITED_EMPLOYEE} "
        "FROM review r JOIN allocation a ON a.id = r.allocation_id"))
    frame = pd.DataFrame.from_records(rows, columns=["allocation_id", "review_date", "decision",
                                                     "expected_cents", "employee_id"])
    frame["review_date"] = pd.to_datetime(frame["review_date"])
    return frame
