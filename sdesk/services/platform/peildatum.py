"""The one default peildatum (#15 item 3): the last day with data, on every screen, in every
command and in every export; today only when there are no claims at all. A peildatum the user
chooses after the data is allowed, with a warning that the figures after it are estimates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from sdesk.services.platform.readers import last_day_with_data
from sdesk.services.platform.text import short_date


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
