"""What the data say about the budget lines' selections on a peildatum (realisation.py
computes it), as values that are kept per data version and read back without pandas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine


@dataclass(frozen=True)
class SelectionFigures:
    """What the claims and commitments say about one line's selection on the peildatum."""
    realised_cents: int
    prognose_cents: int  # the computed forecast
    uitnutting: float
    lag_estimate_cents: int
    complete_through: date


@dataclass(frozen=True)
class BudgetFigures:
    """Per selection (None: it takes no claims), and the report's completeness when no line
    but subtotals takes claims (that of all claims)."""
    lines: list[SelectionFigures | None]
    complete_through: date


def figures_json(figures: BudgetFigures) -> dict[str, Any]:
    """The figures as JSON-able values (figures_from_json gives them back)."""
    return {"complete_through": figures.complete_through.isoformat(), "lines": [
        None if f is None else [f.realised_cents, f.prognose_cents, f.uitnutting,
                                f.lag_estimate_cents, f.complete_through.isoformat()]
        for f in figures.lines]}


def figures_from_json(value: dict[str, Any]) -> BudgetFigures:
    """The figures figures_json() gave; KeyError/TypeError/ValueError when not."""
    return BudgetFigures(
        [None if f is None else SelectionFigures(int(f[0]), int(f[1]), float(f[2]), int(f[3]),
                                                 date.fromisoformat(f[4]))
         for f in value["lines"]], date.fromisoformat(value["complete_through"]))


def line_rows(engine: Engine, year: int) -> list[tuple[Any, ...]]:
    """The budget lines of `year` as stored: name, law, categories, delivery form, amount,
    manual forecast, explanation, subtotal."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(
            "SELECT name, law, categories, delivery_form, amount_cents, forecast_cents, "
            "explanation, subtotal FROM budget_line WHERE year = ? ORDER BY id", (year,))]
