"""Begroting versus realisatie and prognose per budget line (DESIGN section 4).

- realisatie: claims of the line's allocations whose period starts in [1 January, at];
- prognose: realisatie + commitment of the line's allocations from the day after `at` to
  31 December x the line's uitnutting over the twelve months up to `at` (realisation ÷
  commitment; 1.0 without history); a manual forecast on the line overrides it;
- restant = begroting - prognose; V when restant >= 0, else N;
  afwijking_pct = restant ÷ |begroting| x 100. Income lines (negative budget) use the same
  formulas, so less income than budgeted is an N.

A line selects allocations by law, product categories and delivery form (each optional).
Claims say nothing about income (e.g. eigen bijdrage): an income line (negative budget) has no
realisation from claims and, without a manual forecast, is forecast as budgeted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.costs import commitments_cents
from sdesk.services.platform.errors import NotFoundError, SdeskError
from sdesk.services.platform.periods import last_twelve_months
from sdesk.services.platform.permissions import EDIT_BUDGET, require
from sdesk.services.platform.readers import allocations_frame, claims_by_allocation, claims_by_month
from sdesk.services.platform.text import euros

DEFAULT_EXPLAIN_PCT = 5.0
DEFAULT_EXPLAIN_CENTS = 1_500_000  # EUR 15,000


@dataclass(frozen=True)
class BudgetRow:
    post: str
    law: str | None
    categories: tuple[str, ...]
    delivery_form: str | None
    begroting_cents: int
    realisatie_cents: int
    prognose_cents: int
    prognose_source: str  # "computed" or "manual"
    computed_prognose_cents: int
    uitnutting: float
    explanation: str | None

    @property
    def restant_cents(self) -> int:
        """Budget minus forecast: positive is an underspend."""
        return self.begroting_cents - self.prognose_cents

    @property
    def v_n(self) -> str:
        """'V' (voordelig) when the remainder is not negative, else 'N' (nadelig)."""
        return "V" if self.restant_cents >= 0 else "N"

    @property
    def afwijking_pct(self) -> float | None:
        """The remainder as a percentage of the budget; None for a zero budget."""
        if self.begroting_cents == 0:
            return None
        return self.restant_cents / abs(self.begroting_cents) * 100

    def needs_explanation(self, pct: float = DEFAULT_EXPLAIN_PCT,
                          cents: int = DEFAULT_EXPLAIN_CENTS) -> bool:
        """Both thresholds must be passed (e.g. Nieuwkoop: > 5 % and > EUR 15.000)."""
        p = self.afwijking_pct
        return p is not None and abs(p) > pct and abs(self.restant_cents) > cents


@dataclass(frozen=True)
class BudgetReport:
    year: int
    at: date
    lines: list[BudgetRow]

    @property
    def begroting_cents(self) -> int:
        """The total budget over all lines."""
        return sum(r.begroting_cents for r in self.lines)

    @property
    def realisatie_cents(self) -> int:
        """The total realisation so far over all lines."""
        return sum(r.realisatie_cents for r in self.lines)

    @property
    def prognose_cents(self) -> int:
        """The total forecast over all lines."""
        return sum(r.prognose_cents for r in self.lines)

    @property
    def restant_cents(self) -> int:
        """Budget minus forecast: positive is an underspend."""
        return self.begroting_cents - self.prognose_cents

    @property
    def v_n(self) -> str:
        """'V' (voordelig) when the remainder is not negative, else 'N' (nadelig)."""
        return "V" if self.restant_cents >= 0 else "N"

    @property
    def afwijking_pct(self) -> float | None:
        """The remainder as a percentage of the budget; None for a zero budget."""
        b = self.begroting_cents
        return None if b == 0 else self.restant_cents / abs(b) * 100


def _selects(frame: pd.DataFrame, law: str | None, categories: tuple[str, ...],
             delivery_form: str | None) -> np.ndarray:
    mask = np.ones(len(frame), dtype=bool)
    if law:
        mask &= (frame["law"] == law).to_numpy()
    if categories:
        mask &= frame["category"].isin(categories).to_numpy()
    if delivery_form:
        mask &= (frame["delivery_form"] == delivery_form).to_numpy()
    return mask


def _lines(engine: Engine, year: int) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(
            "SELECT name, law, categories, delivery_form, amount_cents, forecast_cents, "
            "explanation FROM budget_line WHERE year = ? ORDER BY id", (year,))]


def budget_report(engine: Engine, year: int, at: date | None = None) -> BudgetReport:
    """Budget, realisation and forecast per budget line of `year` on `at`."""
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    at = min(max(at or date.today(), year_start - timedelta(days=1)), year_end)
    history_start, history_end = last_twelve_months(at)
    lines = _lines(engine, year)
    if not lines:
        raise NotFoundError(f"Er is geen begroting voor {year}.")
    frame = allocations_frame(engine, active_from=min(history_start, year_start),
                              active_to=year_end)
    ytd = claims_by_allocation(engine, year_start, at) if at >= year_start else None
    history = claims_by_allocation(engine, history_start, history_end)
    realised_ytd = (frame["id"].map(ytd.set_index("allocation_id")["amount_cents"])
                    .fillna(0).to_numpy() if ytd is not None and len(ytd)
                    else np.zeros(len(frame)))
    realised_hist = (frame["id"].map(history.set_index("allocation_id")["amount_cents"])
                     .fillna(0).to_numpy() if len(history) else np.zeros(len(frame)))
    committed_hist = commitments_cents(frame, history_start, history_end)
    committed_rest = (commitments_cents(frame, at + timedelta(days=1), year_end)
                      if at < year_end else np.zeros(len(frame)))

    rows = []
    for name, law, cats, form, amount, manual, explanation in lines:
        categories = tuple(c for c in (cats or "").split(",") if c)
        if amount < 0:  # income: not visible in claims
            realisatie, uitnutting, computed = 0, 1.0, int(amount)
        else:
            mask = _selects(frame, law, categories, form)
            realisatie = round(float(realised_ytd[mask].sum()))
            hist_commit = float(committed_hist[mask].sum())
            uitnutting = float(realised_hist[mask].sum()) / hist_commit if hist_commit else 1.0
            computed = round(realisatie + float(committed_rest[mask].sum()) * uitnutting)
        rows.append(BudgetRow(
            post=name, law=law, categories=categories, delivery_form=form,
            begroting_cents=int(amount), realisatie_cents=realisatie,
            prognose_cents=int(manual) if manual is not None else computed,
            prognose_source="manual" if manual is not None else "computed",
            computed_prognose_cents=computed, uitnutting=uitnutting, explanation=explanation))
    return BudgetReport(year, at, rows)


def cumulative_realisation(engine: Engine, year: int) -> pd.DataFrame:
    """Realisation per month of the year, cumulative, over all budget lines' selections:
    columns month (1..12), realised_cents, cumulative_cents."""
    claims = claims_by_month(engine, date(year, 1, 1), date(year, 12, 31))
    lines = _lines(engine, year)
    frame = allocations_frame(engine, active_from=date(year, 1, 1), active_to=date(year, 12, 31))
    selected = np.zeros(len(frame), dtype=bool)
    for _name, law, cats, form, *_ in lines:
        categories = tuple(c for c in (cats or "").split(",") if c)
        if law or categories or form:
            selected |= _selects(frame, law, categories, form)
    ids = set(frame.loc[selected, "id"])
    claims = claims[claims["allocation_id"].isin(ids)]
    months = claims.assign(month=claims["month"].str.slice(5, 7).astype(int)).groupby(
        "month")["amount_cents"].sum().reindex(range(1, 13), fill_value=0)
    return pd.DataFrame({"month": months.index, "realised_cents": months.to_numpy(),
                         "cumulative_cents": months.cumsum().to_numpy()})


def _line_id(engine: Engine, year: int, post: str) -> int:
    with engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT id FROM budget_line WHERE year = ? AND name = ?",
                                   (year, post)).first()
    if row is None:
        raise NotFoundError(f"Begrotingspost '{post}' ({year}) bestaat niet.")
    return int(row[0])


def set_manual_forecast(engine: Engine, actor: Actor, year: int, post: str,
                        forecast_cents: int | None) -> None:
    """Set (or clear with None) the manual forecast that overrides the computed one
    (needs EDIT_BUDGET: a controller checks the prognosis, it does not set it)."""
    require(actor, EDIT_BUDGET)
    line_id = _line_id(engine, year, post)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE budget_line SET forecast_cents = ? WHERE id = ?",
                             (forecast_cents, line_id))
        audit.record(conn, actor, audit.CHANGE, f"prognose begrotingspost '{post}' ({year})")


def set_explanation(engine: Engine, actor: Actor, year: int, post: str, text: str) -> None:
    """Set (or clear with an empty text) a budget line's explanation (needs EDIT_BUDGET)."""
    require(actor, EDIT_BUDGET)
    if len(text) > 4000:
        raise SdeskError("De toelichting is te lang (maximaal 4000 tekens).")
    line_id = _line_id(engine, year, post)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE budget_line SET explanation = ? WHERE id = ?",
                             (text.strip() or None, line_id))
        audit.record(conn, actor, audit.CHANGE, f"toelichting begrotingspost '{post}' ({year})")




def budget_json(report: BudgetReport) -> dict[str, Any]:
    """Fixed keys of `sdesk budget --json` (pinned by the tests)."""
    def pct(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {
        "year": report.year, "at": report.at.isoformat(),
        "lines": [{"post": r.post, "begroting": euros(r.begroting_cents),
                   "realisatie": euros(r.realisatie_cents), "prognose": euros(r.prognose_cents),
                   "prognose_source": r.prognose_source, "restant": euros(r.restant_cents),
                   "v_n": r.v_n, "afwijking_pct": pct(r.afwijking_pct)} for r in report.lines],
        "total": {"begroting": euros(report.begroting_cents),
                  "realisatie": euros(report.realisatie_cents),
                  "prognose": euros(report.prognose_cents), "restant": euros(report.restant_cents),
                  "v_n": report.v_n, "afwijking_pct": pct(report.afwijking_pct)},
    }
