"""Which KPI figures are provisional (#15): the figures' claims run up to the last day with data,
but the last months' declarations are not all in yet.

Choice made once here: the completeness is assessed on the one default peildatum (the last day
with data, `default_peildatum`), for the law shown (all laws together when none is chosen; the
team filter does not change it, declaration lag is a matter of providers, not of teams). The
peildatum is not clipped to the period's end: a month long past is complete by the lag rule,
and judging it against the uitnutting threshold as if the peildatum were its period's end would
flag an ordinary quiet month (December, say) in a closed year as provisional. So
`complete_through` is the same for every period of a law, and a period is provisional when it
ends after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from sdesk.services.platform import stored_values
from sdesk.services.platform.cache import key, remember
from sdesk.services.platform.completeness import Completeness, claims_completeness
from sdesk.services.platform.peildatum import default_peildatum


def kpi_completeness(engine: Engine, law: str | None = None) -> Completeness:
    """The claims' completeness on the default peildatum, kept per data version and law."""
    version = key(engine)
    return remember(f"kpi_completeness:{law or ''}", engine, version,
                    lambda: claims_completeness(engine, default_peildatum(engine), law))


THROUGH_KIND = "kpi_complete_through"


def kpi_complete_through(engine: Engine, law: str | None = None) -> date:
    """`kpi_completeness(...).complete_through`, also kept in the database file per data
    version and law (stored_values.kept), so a new process reads the date back instead of
    judging the months again (a second per law at the large preset)."""
    return stored_values.kept(
        engine, THROUGH_KIND, law, lambda: kpi_completeness(engine, law).complete_through,
        date.isoformat, date.fromisoformat, keep=8)


def provisional_spans(spans: Sequence[tuple[date, date]], complete_through: date) -> list[bool]:
    """For periods (quarters, say) as (first day, last day): True where one ends after
    `complete_through`, so part of its claims may still come in."""
    return [end > complete_through for _start, end in spans]
