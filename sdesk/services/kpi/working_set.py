"""The KPI computations' working set, kept in memory while the data do not change.

A dashboard asks for many periods, laws and teams in a row; reading the same allocations and
claims from SQLite each time costs about half a second per query at the "large" preset. The
allocations (all laws, only the columns the KPIs use) are loaded once per data version
(data_version.py); claims are loaded per law and calendar year on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform import stored_frames
from sdesk.services.platform.cache import key, remember
from sdesk.services.platform.peildatum import last_day_with_data
from sdesk.services.platform.readers import REMOVED, claims_by_month, fetch_rows

_COLUMNS = ["id", "person_id", "household_id", "law", "category", "referrer", "start_date",
            "end_date", "volume", "unit", "frequency", "team_id", "employee_id", "end_reason"]


@dataclass
class KpiData:
    version: int
    allocations: pd.DataFrame
    data_until: pd.Timestamp
    inhabitants: list[tuple[int, str, int]]
    price_index: list[tuple[str, int, float]]
    teams: dict[str, int]
    _claims: dict[tuple[str, int], pd.DataFrame] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    _by_law: dict[str, pd.DataFrame] = field(default_factory=dict)

    def of_law(self, law: str | None) -> pd.DataFrame:
        """The allocations of one law (all for None), kept per law."""
        if law is None:
            return self.allocations
        with self._lock:
            frame = self._by_law.get(law)
            if frame is None:
                frame = self.allocations[self.allocations["law"] == law]
                self._by_law[law] = frame
            return frame

    def team_ids(self, team: str) -> set[int]:
        """The id of a team by name, as a set (empty when unknown)."""
        return {self.teams[team]} if team in self.teams else set()

    def claims(self, engine: Engine, start: date, end: date, law: str | None) -> pd.DataFrame:
        """Realisation per allocation and month for claims whose period starts in [start, end]:
        allocation_id, month (integer YYYYMM), amount_cents."""
        if start.day != 1 or end != (pd.Timestamp(end) + pd.offsets.MonthEnd(0)).date():
            # A period that does not follow month boundaries needs the exact start dates.
            return _with_law(claims_by_month(engine, start, end, law), law)
        laws = [law] if law else sorted(self.allocations["law"].unique().tolist())
        parts = []
        for year in range(start.year, end.year + 1):
            for one in laws:
                key = (one, year)
                with self._lock:
                    frame = self._claims.get(key)
                if frame is None:
                    frame = _law_year(engine, one, year)
                    with self._lock:
                        self._claims[key] = frame
                parts.append(frame)
        claims = pd.concat(parts, ignore_index=True) if parts else _with_law(
            pd.DataFrame(columns=["allocation_id", "month", "amount_cents"]), law)
        first, last = start.year * 100 + start.month, end.year * 100 + end.month
        return claims[(claims["month"] >= first) & (claims["month"] <= last)]


# A year of one law's claims per allocation and month is kept in the database file as well
# (stored_frames: numpy arrays, encrypted with the file) per cache key: a new process (every
# `sdesk kpi`, the council workbook) reads three columns back instead of summing a year of
# claim lines again (0.7 s per law and year at the large preset).
CLAIMS_KIND = "kpi_claims"
_CLAIMS_FORMAT = 1
# Law-years of the current data kept in the file: the trend's five years and the running one
# for three laws (the import prepares the trend's quarters); about 16 MB each at g4.
_KEEP_YEARS = 18


def _law_year(engine: Engine, law: str, year: int) -> pd.DataFrame:
    stored_key = repr((_CLAIMS_FORMAT, key(engine), law, year))
    found = stored_frames.load(engine, CLAIMS_KIND, stored_key)
    if found is not None:
        return found[0]
    frame = claims_by_month(engine, date(year, 1, 1), date(year, 12, 31), law, numbered=True)
    stored_frames.save(engine, CLAIMS_KIND, stored_key, frame, keep=_KEEP_YEARS)
    return frame


def _with_law(claims: pd.DataFrame, law: str | None) -> pd.DataFrame:
    """Months as integers YYYYMM (cheap to compare and to split into years)."""
    out = claims.copy()
    out["month"] = (out["month"].astype(str).str.replace("-", "", regex=False)
                    .astype("int64") if len(out) else out["month"].astype("int64"))
    out["amount_cents"] = out["amount_cents"].astype("int64")
    return out


ALLOCATIONS_KIND = "kpi_allocations"


def _load(engine: Engine, version: int) -> KpiData:
    """The working set, read back from the database file when a process before this one
    gathered it for the same data (stored_frames), else gathered and stored."""
    stored_key = repr((_CLAIMS_FORMAT, key(engine)))
    found = stored_frames.load(engine, ALLOCATIONS_KIND, stored_key)
    if found is not None:
        frame, extra = found
        return KpiData(
            version=version, allocations=frame, data_until=pd.Timestamp(extra["until"]),
            inhabitants=[tuple(r) for r in extra["inhabitants"]],
            price_index=[tuple(r) for r in extra["price_index"]],
            teams={str(k): int(v) for k, v in extra["teams"].items()})
    data = _gather(engine, version)
    stored_frames.save(engine, ALLOCATIONS_KIND, stored_key, data.allocations, {
        "until": data.data_until.isoformat(), "inhabitants": data.inhabitants,
        "price_index": data.price_index, "teams": data.teams})
    return data


def _gather(engine: Engine, version: int) -> KpiData:
    rows = fetch_rows(engine, (
        "SELECT a.id, a.person_id, p.household_id, a.law, a.category, a.referrer, "
        "a.start_date, a.end_date, a.volume, a.unit, a.frequency, e.team_id, a.employee_id, "
        "a.end_reason FROM allocation a JOIN person p ON p.id = a.person_id "
        "LEFT JOIN employee e ON e.id = a.employee_id "
        f"WHERE COALESCE(a.change_reason, '') <> '{REMOVED}'"))
    frame = pd.DataFrame.from_records(rows, columns=_COLUMNS)
    frame["start_date"] = pd.to_datetime(frame["start_date"], format="%Y-%m-%d")
    frame["end_date"] = pd.to_datetime(frame["end_date"], format="%Y-%m-%d")
    frame["volume"] = pd.to_numeric(frame["volume"], errors="coerce").astype("float64")
    frame["referrer"] = frame["referrer"].fillna("onbekend")  # grouped as its own referrer
    # Categoricals: comparisons and group-bys on a handful of codes, not on Python strings.
    for column in ("law", "category", "referrer", "unit", "frequency", "end_reason"):
        frame[column] = frame[column].astype("category")
    frame["team_id"] = frame["team_id"].astype("float64")  # NaN when no employee
    until = last_day_with_data(engine)
    data_until = pd.Timestamp(until) if until is not None else pd.Timestamp.today()
    return KpiData(
        version=version, allocations=frame, data_until=data_until.normalize(),
        inhabitants=[tuple(r) for r in fetch_rows(
            engine, "SELECT year, age_band, count FROM inhabitants")],
        price_index=[tuple(r) for r in fetch_rows(
            engine, "SELECT law, year, percentage FROM price_index")],
        teams={name: tid for tid, name in fetch_rows(engine, "SELECT id, name FROM team")})


def kpi_data(engine: Engine) -> KpiData:
    """The working set for this database, reloaded when the cache key has moved on."""
    version = key(engine)
    return remember("kpi", engine, version, lambda: _load(engine, version[0]))


def store_working_set(engine: Engine) -> None:
    """After an import or the demo: gather and store the working set the dashboard opens on
    (the allocations; per law the claims of the year the data end in and the year before:
    the last full year, its previous period and the running year), so the first figures
    read them back. A cache: any failure leaves them to the first reader and never fails the
    import that has committed."""
    try:
        until = last_day_with_data(engine)
        if until is None:
            return
        data = kpi_data(engine)
        for year in (until.year - 1, until.year):
            data.claims(engine, date(year, 1, 1), date(year, 12, 31), None)
        from sdesk.services.kpi.lag import kpi_complete_through

        for law in (None, *sorted(data.allocations["law"].unique().tolist())):
            kpi_complete_through(engine, law)
    except Exception:  # noqa: BLE001 (a cache: the import stands, the reader gathers)
        return
