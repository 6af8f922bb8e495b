"""Summary tables, rebuilt lazily: the first reader after a data change pays once (a few
seconds at the "large" preset), every later reader (also after a restart) reads a few hundred
rows. Imports stay as fast as they are.

- realisation_month: non-rejected claims of live allocations per law, month of the care,
  team, category, referrer and delivery form (trends, the council, budget lines);
- claim_arrival: non-rejected claims per law, month of the care and month sdesk first saw
  them (the declaration lag, platform.completeness).
"""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import Engine

from sdesk.services.platform.cache import SUMMARY_KEYS, current
from sdesk.services.platform.readers import REMOVED, fetch_rows

SUMMARY_KEY = SUMMARY_KEYS[0]  # the version it was built for (platform.cache)
_lock = threading.Lock()


def ensure_realisation_month(engine: Engine) -> None:
    """Bring the summaries in step with the claims (a no-op when they already are)."""
    version = current(engine)
    with _lock, engine.begin() as conn:
        built = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?",
                                     (SUMMARY_KEY,)).scalar()
        if built is not None and int(built) == version:
            return
        conn.exec_driver_sql("DELETE FROM realisation_month")
        conn.exec_driver_sql(
            "INSERT INTO realisation_month (law, month, team_id, category, referrer, "
            "delivery_form, amount_cents) SELECT a.law, CAST(substr(c.period_start, 1, 4) || "
            "substr(c.period_start, 6, 2) AS INTEGER), e.team_id, a.category, a.referrer, "
            "a.delivery_form, SUM(c.amount_cents) FROM claim c "
            "JOIN allocation a ON a.id = c.allocation_id "
            "LEFT JOIN employee e ON e.id = a.employee_id WHERE c.rejected = 0 "
            f"AND COALESCE(a.change_reason, '') <> '{REMOVED}' "
            "GROUP BY 1, 2, 3, 4, 5, 6")
        # As the lag profile always read it: removed allocations' claims were seen too.
        conn.exec_driver_sql("DELETE FROM claim_arrival")
        conn.exec_driver_sql(
            "INSERT INTO claim_arrival (law, month, seen, amount_cents) SELECT a.law, "
            "CAST(substr(c.period_start, 1, 4) || substr(c.period_start, 6, 2) AS INTEGER), "
            "CAST(substr(c.first_seen, 1, 4) || substr(c.first_seen, 6, 2) AS INTEGER), "
            "SUM(c.amount_cents) FROM claim c JOIN allocation a ON a.id = c.allocation_id "
            "WHERE c.rejected = 0 AND c.first_seen IS NOT NULL GROUP BY 1, 2, 3")
        conn.exec_driver_sql(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value", (SUMMARY_KEY, str(version)))


ensure_summaries = ensure_realisation_month


def prepare_summaries(engine: Engine) -> None:
    """Rebuild the summaries after an import or the demo, so the first figure after it does
    not pay for them (seconds at the large preset). A summary is derived data: a failure here
    (the database busy, read-only) leaves it to the first reader and must not fail the import
    that has committed."""
    try:
        ensure_summaries(engine)
    except Exception:  # noqa: BLE001 (any failure: the import stands, the reader rebuilds)
        return


def realised_per_month(engine: Engine, first: date, last: date,
                       law: str | None = None) -> dict[str, int]:
    """readers.claims_per_month from realisation_month, for whole months: the claims of live
    allocations per month of care from `first`'s month through `last`'s ("YYYY-MM" -> cents).
    The caller makes sure `last` is a month's last day."""
    ensure_summaries(engine)
    sql = ("SELECT month, SUM(amount_cents) FROM realisation_month "
           "WHERE month BETWEEN ? AND ?")
    params: list[object] = [first.year * 100 + first.month, last.year * 100 + last.month]
    if law:
        sql += " AND law = ?"
        params.append(law)
    return {f"{m // 100:04d}-{m % 100:02d}": int(v)
            for m, v in fetch_rows(engine, sql + " GROUP BY 1", tuple(params))}
