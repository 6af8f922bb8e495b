"""A figure computed from the claims themselves: no summary table (realisation_month,
claim_arrival) and no kept answer (stored_values), as the reference the maintained figures
must equal (#17)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest
from sqlalchemy import Engine

from sdesk.services.budget import realisation
from sdesk.services.platform import cache, completeness, stored_values

T = TypeVar("T")


def from_the_claims(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                    compute: Callable[[], T]) -> T:
    """compute() with the summaries and the kept answers out of the way; what it keeps in
    memory is forgotten again afterwards, so the next call reads what is stored."""
    cache.forget(engine, stored=False)
    with monkeypatch.context() as m:
        m.setattr(realisation, "_summarised", lambda _at: False)
        m.setattr(completeness, "_summarised", lambda _at: False)
        m.setattr(stored_values, "load_json", lambda *_args: None)
        value = compute()
    cache.forget(engine, stored=False)
    return value
