"""The one default peildatum (#15 item 3): the last day with data, on every screen, in every
command and in every export; today only when there are no claims at all. A peildatum the user
chooses after the data is allowed, with a warning that the figures after it are estimates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from sdesk.services.platform import stored_values
from sdesk.services.platform.text import short_date


def last_day_with_data(engine: Engine) -> date | None:
    """The end of the newest claim period (None without claims): the dashboard's data_until
    and the worklist's default peildatum. Kept per data version (it reads the newest
    month's claims: 70 ms at the large preset, asked by every command)."""
    def compute() -> str | None:
        # Claim periods lie within one month, so the newest starts carry the newest ends;
        # this way the period_start index answers instead of a scan of every claim.
        with engine.connect() as conn:
            until = conn.exec_driver_sql(
                "SELECT max(period_end) FROM claim WHERE period_start >= "
                "(SELECT date(max(period_start), 'start of month') FROM claim)").scalar()
        return str(until) if until else None
    found = stored_values.kept(engine, "last_day_with_data", None, compute, _same, _same,
                               keep=2)
    return date.fromisoformat(found) if found else None


def _same(value: str | None) -> str | None:
    return value


def default_peildatum(engine: Engine) -> date:
    """The last day with data; today when there are no claims yet."""
    return last_day_with_data(engine) or date.today()


def peildatum_warning(engine: Engine, at: date) -> str | None:
    """A Dutch warning when `at` lies after the data, else None."""
    until = last_day_with_data(engine)
    if until is None or at <= until:
        return None
    return (f"De peildatum {short_date(at)} ligt na de laatste dag met gegevens "
            f"({short_date(until)}): wat na {short_date(until)} valt, is nog niet gedeclareerd "
            "en telt als verwachting, niet als realisatie.")
