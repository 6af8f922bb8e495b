"""Summary tables, rebuilt lazily: the first reader after a data change pays once (a few
seconds at the "large" preset), every later reader (also after a restart) reads a few hundred
rows. Imports stay as fast as they are.
"""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from sdesk.services.platform.cache import SUMMARY_KEYS, current
from sdesk.services.platform.readers import REMOVED

SUMMARY_KEY = SUMMARY_KEYS[0]  # the version it was built for (platform.cache)
_lock = threading.Lock()


def ensure_realisation_month(engine: Engine) -> None:
    """Bring realisation_month in step with the claims (a no-op when it already is)."""
    version = current(engine)
    with _lock, engine.begin() as conn:
        built = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?",
                                     (SUMMARY_KEY,)).scalar()
        if built is not None and int(built) == version:
            return
        conn.exec_driver_sql("DELETE FROM realisation_month")
        conn.exec_driver_sql(
            "INSERT INTO realisation_month (law, month, team_id, category, referrer, "
            "amount_cents) SELECT a.law, CAST(substr(c.period_start, 1, 4) || "
            "substr(c.period_start, 6, 2) AS INTEGER), e.team_id, a.category, a.referrer, "
            "SUM(c.amount_cents) FROM claim c JOIN allocation a ON a.id = c.allocation_id "
            "LEFT JOIN employee e ON e.id = a.employee_id WHERE c.rejected = 0 "
            f"AND COALESCE(a.change_reason, '') <> '{REMOVED}' "
            "GROUP BY 1, 2, 3, 4, 5")
        conn.exec_driver_sql(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value", (SUMMARY_KEY, str(version)))
