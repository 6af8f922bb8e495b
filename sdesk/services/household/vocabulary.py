"""The coordination cases' words, without the services behind them: the screens show them
before the database layer has loaded (a test keeps the start-up free of it)."""

from __future__ import annotations

STATUSES = ("open", "evaluated", "closed")
STATUS_LABELS = {"open": "Lopend", "evaluated": "Geëvalueerd", "closed": "Afgesloten"}
