"""The KPI figures as values (DESIGN section 5): what compute_kpis returns, its JSON and the
figures' Dutch names. Free of pandas, so a stored answer (answers.py) is read back and printed
without loading the analytic stack.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sdesk.services.platform.text import euros


@dataclass(frozen=True)
class Kpis:
    start: date
    end: date
    law: str | None
    team: str | None
    clients: int
    inflow: int
    outflow: int
    outflow_provisional: int
    continuing: int
    realised_cost_cents: int
    cost_per_client_cents: float | None
    top10_share: float | None
    cost_by_referrer_cents: dict[str, int]
    third_party_share: float | None
    cost_by_category_cents: dict[str, int]
    clients_by_category: dict[str, int]
    avg_duration_days: float | None
    dropout_rate: float | None
    clients_per_1000: float | None
    heavy_share: float | None
    households_multi_law: int
    constant_price_cost_cents: int
    base_year: int | None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class KpiComparison:
    current: Kpis
    previous: Kpis  # periods.previous_period: 2025 -> 2024, Q2 -> Q1, else as many days before
    year_earlier: Kpis  # periods.year_earlier: the same period one year earlier
    # The claims' completeness (lag.py): claims are complete up to and including this day;
    # None when it was not assessed.
    complete_through: date | None = None

    @property
    def provisional(self) -> bool:
        """The current period reaches past the complete months: its cost figures will rise."""
        return self.complete_through is not None and self.current.end > self.complete_through

    def is_provisional(self, k: Kpis) -> bool:
        """Whether one of the three periods reaches past the complete months."""
        return self.complete_through is not None and k.end > self.complete_through


def _ratio(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def kpis_json(k: Kpis | KpiComparison) -> dict[str, Any]:
    """Fixed keys of `sdesk kpi --json` (pinned by tests); euros to cents, shares 0..1, a figure
    that does not apply null. Of a comparison: the current period's keys, plus
    `complete_through` (ISO date or null), `provisional` and the objects `previous` and
    `year_earlier` with `from`, `to` and every figure of those periods."""
    if isinstance(k, KpiComparison):
        out = kpis_json(k.current)
        out["complete_through"] = (None if k.complete_through is None
                                   else k.complete_through.isoformat())
        out["provisional"] = k.provisional
        for name, other in (("previous", k.previous), ("year_earlier", k.year_earlier)):
            figures = kpis_json(other)
            del figures["law"], figures["team"]  # the same as the current period's
            out[name] = figures
        return out
    return {
        "from": k.start.isoformat(), "to": k.end.isoformat(), "law": k.law, "team": k.team,
        "clients": k.clients, "inflow": k.inflow, "outflow": k.outflow,
        "outflow_provisional": k.outflow_provisional, "continuing": k.continuing,
        "realised_cost": euros(k.realised_cost_cents),
        "cost_per_client": euros(k.cost_per_client_cents),
        "top10_share": _ratio(k.top10_share),
        "cost_by_referrer": {c: euros(v) for c, v in k.cost_by_referrer_cents.items()},
        "third_party_share": _ratio(k.third_party_share),
        "cost_by_category": {c: euros(v) for c, v in k.cost_by_category_cents.items()},
        "clients_by_category": dict(k.clients_by_category),
        "avg_duration_days": _ratio(k.avg_duration_days, 1),
        "dropout_rate": _ratio(k.dropout_rate),
        "clients_per_1000": _ratio(k.clients_per_1000, 2),
        "heavy_share": _ratio(k.heavy_share),
        "households_multi_law": k.households_multi_law,
        "constant_price_cost": euros(k.constant_price_cost_cents),
        "base_year": k.base_year,
    }


# Dutch names of the figures, shared by the dashboard tiles and the council workbook.
KPI_LABELS: dict[str, str] = {
    "clients": "Cliënten",
    "inflow": "Instroom",
    "outflow": "Uitstroom",
    "outflow_provisional": "waarvan voorlopig",
    "continuing": "Doorstroom",
    "realised_cost": "Gerealiseerde kosten",
    "cost_per_client": "Kosten per cliënt",
    "top10_share": "Aandeel top-10 cliënten",
    "third_party_share": "Aandeel via derden verwezen",
    "avg_duration_days": "Gemiddelde duur (dagen)",
    "dropout_rate": "Uitval",
    "clients_per_1000": "Cliënten per 1.000 inwoners",
    "heavy_share": "Aandeel zware ondersteuning",
    "households_multi_law": "Huishoudens met meerdere wetten",
    "constant_price_cost": "Kosten in constante prijzen",
}
# Which figures count persons (small-cell suppression applies to them).
PERSON_COUNTS = ("clients", "inflow", "outflow", "outflow_provisional", "continuing",
                 "households_multi_law")
MONEY = ("realised_cost", "cost_per_client", "constant_price_cost")
SHARES = ("top10_share", "third_party_share", "dropout_rate", "heavy_share")


_DATES = ("start", "end")


def kpis_record(k: Kpis) -> dict[str, Any]:
    """The figures as JSON-able values, unrounded (kpis_from_record gives them back)."""
    out = {f.name: getattr(k, f.name) for f in fields(k)}
    for name in _DATES:
        out[name] = out[name].isoformat()
    return out


def kpis_from_record(record: dict[str, Any]) -> Kpis:
    """The figures kpis_record() gave; KeyError/TypeError/ValueError when it is not one."""
    values = dict(record)
    for name in _DATES:
        values[name] = date.fromisoformat(values[name])
    return Kpis(**values)


def comparison_record(c: KpiComparison) -> dict[str, Any]:
    """The three periods and the completeness as JSON-able values."""
    return {"current": kpis_record(c.current), "previous": kpis_record(c.previous),
            "year_earlier": kpis_record(c.year_earlier),
            "complete_through": (None if c.complete_through is None
                                 else c.complete_through.isoformat())}


def comparison_from_record(record: dict[str, Any]) -> KpiComparison:
    """The comparison comparison_record() gave."""
    through = record["complete_through"]
    return KpiComparison(kpis_from_record(record["current"]),
                         kpis_from_record(record["previous"]),
                         kpis_from_record(record["year_earlier"]),
                         None if through is None else date.fromisoformat(through))
