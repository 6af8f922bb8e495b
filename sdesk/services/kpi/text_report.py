"""`sdesk kpi` without --json: one line per figure, formatted from the unrounded figures so
every value is rounded once, here at the edge (8.454 % prints as 8.5 %, not 8.4 % after a
first rounding to four digits). Same keys as kpis_json; decimal points as before; a figure that
does not apply reads "n.v.t."."""

from __future__ import annotations

from typing import Any

from sdesk.services.kpi.results import MONEY, SHARES, KpiComparison, Kpis

NOT_APPLICABLE = "n.v.t."
_CENTS = {"realised_cost": "realised_cost_cents", "cost_per_client": "cost_per_client_cents",
          "constant_price_cost": "constant_price_cost_cents"}
_DIGITS = {"avg_duration_days": 1, "clients_per_1000": 2}


def figure_text(key: str, value: Any) -> str:
    """One figure in its own units (cents for money, 0..1 for shares)."""
    if value is None:
        return NOT_APPLICABLE
    if key in MONEY:
        return f"{value / 100:.2f}"
    if key in SHARES:
        return f"{value * 100:.1f} %"
    if key in _DIGITS:
        return f"{value:.{_DIGITS[key]}f}"
    return str(value)


def _figures(k: Kpis) -> list[tuple[str, str]]:
    money = {c: f"{v / 100:.2f}" for c, v in k.cost_by_referrer_cents.items()}
    categories = {c: f"{v / 100:.2f}" for c, v in k.cost_by_category_cents.items()}
    rows: list[tuple[str, str]] = [
        ("from", k.start.isoformat()), ("to", k.end.isoformat()),
        ("law", k.law or "alle"), ("team", k.team or "alle")]
    for key in ("clients", "inflow", "outflow", "outflow_provisional", "continuing",
                "realised_cost", "cost_per_client", "top10_share"):
        rows.append((key, figure_text(key, getattr(k, _CENTS.get(key, key)))))
    rows.append(("cost_by_referrer", str(money)))
    rows.append(("third_party_share", figure_text("third_party_share", k.third_party_share)))
    rows.append(("cost_by_category", str(categories)))
    rows.append(("clients_by_category", str(dict(k.clients_by_category))))
    for key in ("avg_duration_days", "dropout_rate", "clients_per_1000", "heavy_share",
                "households_multi_law", "constant_price_cost"):
        rows.append((key, figure_text(key, getattr(k, _CENTS.get(key, key)))))
    rows.append(("base_year", NOT_APPLICABLE if k.base_year is None else str(k.base_year)))
    return rows


def kpis_text(c: KpiComparison) -> list[str]:
    """The lines `sdesk kpi` prints: the period's figures, its completeness, and the previous
    period and the year earlier side by side."""
    lines = [f"{key:<22} {value}" for key, value in _figures(c.current)]
    through = "onbekend" if c.complete_through is None else c.complete_through.isoformat()
    lines.append(f"{'complete_through':<22} {through}")
    lines.append(f"{'provisional':<22} {'ja' if c.provisional else 'nee'}")
    previous, earlier = _figures(c.previous), _figures(c.year_earlier)
    lines.append("")
    lines.append(f"{'':<22} {'previous':<22} {'year_earlier':<22}")
    for (key, before), (_key, year) in zip(previous, earlier, strict=True):
        if key in ("law", "team", "cost_by_referrer", "cost_by_category",
                   "clients_by_category"):
            continue
        lines.append(f"{key:<22} {before:<22} {year:<22}")
    return lines
