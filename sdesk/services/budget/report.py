"""Begroting versus realisatie and prognose per budget line (#15, replacing DESIGN section 4's
forecast).

- peildatum `at`: by default the last day with data (platform.peildatum), the same on the
  Begroting screen, in `sdesk budget`, `sdesk export budget` and the council workbook; clamped
  into the year;
- realisatie: claims of the line's allocations whose period starts in [1 January, at];
- completeness: per line, up to which month its claims are complete (`complete_through`,
  platform.completeness.assess with the lag profile of the line's law);
- prognose (budget.forecast.lag_aware_forecast): realisation up to complete_through + per
  provisional month the larger of its claims so far and its commitment x uitnutting + the
  commitment after `at` to 31 December x uitnutting; the uitnutting is taken over the twelve
  complete months before complete_through. `lag_estimate` is what the provisional months add
  above their claims so far: care delivered but not yet declared;
- a manual forecast on the line overrides the computed one;
- restant = begroting - prognose; V when restant >= 0, else N;
  afwijking_pct = restant ÷ |begroting| x 100. Income lines (negative budget) use the same
  formulas, so less income than budgeted is an N.

A line selects allocations by law, product categories and delivery form (an empty field
selects everything; budget.selection). A line that selects no claims -- an income line such as
eigen bijdrage, or a line whose selection holds no allocation or claim, such as regiotaxi --
uses its manual forecast, and without one is forecast as budgeted; `note` says which. A
subtotal line is shown but not added to the totals.

The report's `complete_through` is the earliest over the lines that take claims (not
subtotals): up to that day every line's realisation is final. Without such lines it is the
completeness of all claims. The total `lag_estimate` adds the lines that are not subtotals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.budget.forecast import lag_aware_forecast
from sdesk.services.budget.selection import parse_categories, selects
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.completeness import (
    HISTORY_MONTHS,
    MAX_LAG_MONTHS,
    LagProfile,
    assess_totals,
    claims_completeness,
    lag_profile,
)
from sdesk.services.platform.costs import commitments_cents
from sdesk.services.platform.errors import NotFoundError, SdeskError
from sdesk.services.platform.peildatum import default_peildatum
from sdesk.services.platform.periods import add_months, month_end
from sdesk.services.platform.permissions import EDIT_BUDGET, require
from sdesk.services.platform.readers import (
    allocation_costs_frame,
    claims_by_allocation,
    claims_by_month,
    fetch_rows,
    last_day_with_data,
)
from sdesk.services.platform.summaries import ensure_summaries
from sdesk.services.platform.text import euro, euros, short_date

DEFAULT_EXPLAIN_PCT = 5.0
DEFAULT_EXPLAIN_CENTS = 1_500_000  # EUR 15,000
NO_CLAIMS_NOTE = "geen declaraties en geen handmatige prognose: prognose = begroting"
NO_CLAIMS_MANUAL_NOTE = "geen declaraties: prognose = handmatige prognose"


@dataclass(frozen=True)
class BudgetRow:
    post: str
    law: str | None
    categories: tuple[str, ...]
    delivery_form: str | None
    begroting_cents: int
    realisatie_cents: int
    prognose_cents: int
    prognose_source: str  # "computed", "manual" or "begroting" (no claims, no manual)
    computed_prognose_cents: int
    uitnutting: float
    explanation: str | None
    lag_estimate_cents: int = 0  # care delivered but not yet declared (provisional months)
    complete_through: date | None = None  # None for a line that takes no claims
    subtotal: bool = False
    note: str | None = None  # why the forecast is what it is, when it is not computed

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

    def provisional(self, at: date) -> bool:
        """Whether the line's figures up to `at` still hold months that are not complete."""
        return self.complete_through is not None and self.complete_through < at

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
    complete_through: date | None = None  # earliest over the lines that take claims

    @property
    def counted(self) -> list[BudgetRow]:
        """The lines the totals add up: every line but the subtotals."""
        return [r for r in self.lines if not r.subtotal]

    @property
    def begroting_cents(self) -> int:
        """The total budget over all lines (subtotals left out)."""
        return sum(r.begroting_cents for r in self.counted)

    @property
    def realisatie_cents(self) -> int:
        """The total realisation so far (subtotals left out)."""
        return sum(r.realisatie_cents for r in self.counted)

    @property
    def prognose_cents(self) -> int:
        """The total forecast (subtotals left out)."""
        return sum(r.prognose_cents for r in self.counted)

    @property
    def lag_estimate_cents(self) -> int:
        """Care delivered but not yet declared, over the lines (subtotals left out)."""
        return sum(r.lag_estimate_cents for r in self.counted)

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

    @property
    def provisional(self) -> bool:
        """Whether the report's figures still hold months whose claims are not all in."""
        return self.complete_through is not None and self.complete_through < self.at

    def provisional_note(self) -> str | None:
        """The Dutch note for screen and workbook, None when every month is complete."""
        if not self.provisional or self.complete_through is None:
            return None
        return (f"Declaraties na {short_date(self.complete_through)} zijn nog niet compleet; "
                f"geschat nog te declareren: {euro(self.lag_estimate_cents)}.")


def _lines(engine: Engine, year: int) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(
            "SELECT name, law, categories, delivery_form, amount_cents, forecast_cents, "
            "explanation, subtotal FROM budget_line WHERE year = ? ORDER BY id", (year,))]


def report_peildatum(engine: Engine, year: int, at: date | None = None) -> date:
    """The peildatum a budget report of `year` uses: `at` or the default (the last day with
    data), clamped into the year (31 December of the year before when it lies earlier)."""
    chosen = at or default_peildatum(engine)
    return min(max(chosen, date(year, 1, 1) - timedelta(days=1)), date(year, 12, 31))


def budget_report(engine: Engine, year: int, at: date | None = None) -> BudgetReport:
    """Budget, realisation and forecast per budget line of `year` on `at` (default: the last
    day with data)."""
    year_start, year_end = date(year, 1, 1), date(year, 12, 31)
    at = report_peildatum(engine, year, at)
    lines = _lines(engine, year)
    if not lines:
        raise NotFoundError(f"Er is geen begroting voor {year}.")
    # Far enough back for the twelve complete months before the longest lag horizon.
    first = add_months(at.replace(day=1), -(HISTORY_MONTHS + MAX_LAG_MONTHS + 1))
    frame = allocation_costs_frame(engine, min(first, year_start), year_end)
    # A peildatum at a month's end (the default) reads the lines' claims per month from the
    # realisation_month summary; another day needs the claims themselves.
    groups = _claim_groups(engine, first, at) if _summarised(at) else None
    monthly = claims_by_month(engine, first, max(at, first)) if groups is None else None
    ytd = claims_by_allocation(engine, year_start, at) if (
        at >= year_start and groups is None) else None
    realised_ytd = (frame["id"].map(ytd.set_index("allocation_id")["amount_cents"])
                    .fillna(0).to_numpy() if ytd is not None and len(ytd)
                    else np.zeros(len(frame)))
    claimed_ids = set(monthly["allocation_id"]) if monthly is not None and len(monthly) else (
        set())
    committed_year = commitments_cents(frame, year_start, year_end) if len(frame) else (
        np.zeros(0))
    profiles: dict[str | None, LagProfile] = {}
    # After the month the data end in nothing is complete, whatever the lag says (a
    # peildatum after the data, which the CLI and the screen warn about).
    until = last_day_with_data(engine) or at
    data_end = month_end(until.year, until.month)

    rows = []
    for name, law, cats, form, amount, manual, explanation, subtotal in lines:
        categories = parse_categories(cats)
        mask = selects(frame, law, categories, form)
        chosen = frame[mask]
        if groups is not None:
            per_month = _per_month(groups[selects(groups, law, categories, form)])
            claimed = bool(per_month)
        else:
            ids = set(chosen["id"])
            assert monthly is not None
            per_month = _per_month(monthly[monthly["allocation_id"].isin(ids)])
            claimed = bool(chosen["id"].isin(claimed_ids).any())
        takes_claims = amount >= 0 and (claimed or committed_year[mask].sum() > 0)
        if not takes_claims:  # income or nothing selected: the manual forecast or the budget
            computed = int(amount)
            rows.append(BudgetRow(
                post=name, law=law, categories=categories, delivery_form=form,
                begroting_cents=int(amount), realisatie_cents=0,
                prognose_cents=int(manual) if manual is not None else computed,
                prognose_source="manual" if manual is not None else "begroting",
                computed_prognose_cents=computed, uitnutting=1.0, explanation=explanation,
                subtotal=bool(subtotal),
                note=NO_CLAIMS_MANUAL_NOTE if manual is not None else NO_CLAIMS_NOTE))
            continue
        if law not in profiles:
            profiles[law] = lag_profile(engine, at, law)
        profile = profiles[law]
        state = assess_totals(chosen, per_month, at, profile.months, profile.source)
        complete_through = min(state.complete_through, data_end)
        forecast = lag_aware_forecast(chosen, per_month, year, at, complete_through)
        computed = forecast.prognose_cents
        realised = (sum(v for m, v in per_month.items() if m >= f"{year:04d}-01")
                    if groups is not None else round(float(realised_ytd[mask].sum())))
        rows.append(BudgetRow(
            post=name, law=law, categories=categories, delivery_form=form,
            begroting_cents=int(amount),
            realisatie_cents=realised,
            prognose_cents=int(manual) if manual is not None else computed,
            prognose_source="manual" if manual is not None else "computed",
            computed_prognose_cents=computed, uitnutting=forecast.uitnutting,
            explanation=explanation, lag_estimate_cents=forecast.lag_estimate_cents,
            complete_through=min(complete_through, at), subtotal=bool(subtotal)))
    ends = [r.complete_through for r in rows if r.complete_through and not r.subtotal]
    complete = min(ends) if ends else min(claims_completeness(engine, at).complete_through,
                                          data_end, at)
    return BudgetReport(year, at, rows, complete)


def _summarised(at: date) -> bool:
    """Whether the summary holds the claims up to `at` exactly: whole months."""
    return at == month_end(at.year, at.month)


def _claim_groups(engine: Engine, first: date, at: date) -> pd.DataFrame:
    """Non-rejected claims of live allocations from `first` through the month of `at`, per
    law, category, delivery form and month ("YYYY-MM"), from the realisation_month summary:
    columns law, category, delivery_form, month, amount_cents."""
    ensure_summaries(engine)
    rows = fetch_rows(engine, (
        "SELECT law, category, delivery_form, month, SUM(amount_cents) FROM realisation_month "
        "WHERE month BETWEEN ? AND ? GROUP BY 1, 2, 3, 4"),
        (first.year * 100 + first.month, at.year * 100 + at.month))
    frame = pd.DataFrame.from_records(rows, columns=["law", "category", "delivery_form",
                                                     "month", "amount_cents"])
    frame["month"] = [f"{m // 100:04d}-{m % 100:02d}" for m in frame["month"].tolist()]
    return frame


def _per_month(claims: pd.DataFrame) -> dict[str, int]:
    """Claims ("month", "amount_cents" columns) summed per month: "YYYY-MM" -> cents."""
    if not len(claims):
        return {}
    return {str(k): int(v) for k, v in claims.groupby("month")["amount_cents"].sum().items()}


def cumulative_realisation(engine: Engine, year: int) -> pd.DataFrame:
    """Realisation per month of the year, cumulative, over all budget lines' selections:
    columns month (1..12), realised_cents, cumulative_cents."""
    # Whole months of the year: the lines' claims per month from the realisation_month
    # summary (what budget_report reads at a month's end), selected as the lines select.
    claims = _claim_groups(engine, date(year, 1, 1), date(year, 12, 31))
    selected = np.zeros(len(claims), dtype=bool)
    for _name, law, cats, form, *_ in _lines(engine, year):
        categories = parse_categories(cats)
        if law or categories or form:
            selected |= selects(claims, law, categories, form)
    claims = claims[selected]
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
    """Fixed keys of `sdesk budget --json` (pinned by the tests). Added by #15, after the
    existing keys: top level `complete_through`; per line `lag_estimate` (euros),
    `complete_through`, `subtotal` and `note`; in `total` `lag_estimate`."""
    def pct(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    def iso(value: date | None) -> str | None:
        return None if value is None else value.isoformat()

    return {
        "year": report.year, "at": report.at.isoformat(),
        "lines": [{"post": r.post, "begroting": euros(r.begroting_cents),
                   "realisatie": euros(r.realisatie_cents), "prognose": euros(r.prognose_cents),
                   "prognose_source": r.prognose_source, "restant": euros(r.restant_cents),
                   "v_n": r.v_n, "afwijking_pct": pct(r.afwijking_pct),
                   "lag_estimate": euros(r.lag_estimate_cents),
                   "complete_through": iso(r.complete_through), "subtotal": r.subtotal,
                   "note": r.note} for r in report.lines],
        "total": {"begroting": euros(report.begroting_cents),
                  "realisatie": euros(report.realisatie_cents),
                  "prognose": euros(report.prognose_cents), "restant": euros(report.restant_cents),
                  "v_n": report.v_n, "afwijking_pct": pct(report.afwijking_pct),
                  "lag_estimate": euros(report.lag_estimate_cents)},
        "complete_through": iso(report.complete_through),
    }
