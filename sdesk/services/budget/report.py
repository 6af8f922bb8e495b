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

from sqlalchemy import Engine

from sdesk.services.budget.figures import (
    BudgetFigures,
    figures_from_json,
    figures_json,
    line_rows,
)
from sdesk.services.budget.selection import parse_categories
from sdesk.services.platform import audit, stored_values
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import NotFoundError, SdeskError
from sdesk.services.platform.peildatum import default_peildatum
from sdesk.services.platform.permissions import EDIT_BUDGET, require
from sdesk.services.platform.text import euro, euros, short_date

FIGURES_KIND = "budget_figures"
KEEP_FIGURES = 24  # years, peildata and sets of selections
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


def report_peildatum(engine: Engine, year: int, at: date | None = None) -> date:
    """The peildatum a budget report of `year` uses: `at` or the default (the last day with
    data), clamped into the year (31 December of the year before when it lies earlier)."""
    chosen = at or default_peildatum(engine)
    return min(max(chosen, date(year, 1, 1) - timedelta(days=1)), date(year, 12, 31))


def budget_report(engine: Engine, year: int, at: date | None = None) -> BudgetReport:
    """Budget, realisation and forecast per budget line of `year` on `at` (default: the last
    day with data)."""
    at = report_peildatum(engine, year, at)
    lines = line_rows(engine, year)
    if not lines:
        raise NotFoundError(f"Er is geen begroting voor {year}.")
    # What the data say about each selection is kept per data version (stored_values): a
    # manual forecast or an explanation typed on the screen, and every later process,
    # reuse it. Income lines (negative budget) never take claims.
    selections = sorted({(law, cats, form, bool(subtotal))
                         for _n, law, cats, form, amount, _m, _e, subtotal in lines
                         if amount >= 0}, key=repr)
    def compute() -> BudgetFigures:
        from sdesk.services.budget.realisation import selection_figures

        return selection_figures(engine, year, at, selections)
    figures = stored_values.kept(engine, FIGURES_KIND, (year, at.isoformat(), selections),
                                 compute, figures_json, figures_from_json, keep=KEEP_FIGURES)

    rows = []
    for name, law, cats, form, amount, manual, explanation, subtotal in lines:
        categories = parse_categories(cats)
        found = (figures.lines[selections.index((law, cats, form, bool(subtotal)))]
                 if amount >= 0 else None)
        if found is None:  # income or nothing selected: the manual forecast or the budget
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
        rows.append(BudgetRow(
            post=name, law=law, categories=categories, delivery_form=form,
            begroting_cents=int(amount),
            realisatie_cents=found.realised_cents,
            prognose_cents=int(manual) if manual is not None else found.prognose_cents,
            prognose_source="manual" if manual is not None else "computed",
            computed_prognose_cents=found.prognose_cents, uitnutting=found.uitnutting,
            explanation=explanation, lag_estimate_cents=found.lag_estimate_cents,
            complete_through=found.complete_through, subtotal=bool(subtotal)))
    ends = [r.complete_through for r in rows if r.complete_through and not r.subtotal]
    complete = min(ends) if ends else figures.complete_through
    return BudgetReport(year, at, rows, complete)


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


def prepare_budget(engine: Engine) -> None:
    """After an import or the demo: the budget figures of the year the data end in, on the
    default peildatum, kept for the Begroting screen, `sdesk budget` and the council
    workbook. A cache: any failure leaves them to the first reader and never fails the
    import that has committed."""
    try:
        year = default_peildatum(engine).year
        if line_rows(engine, year):
            budget_report(engine, year)
    except Exception:  # noqa: BLE001 (a cache: the import stands, the reader computes)
        return
