"""Every number of the council workbook as a Figure for the small-cell protection
(suppression.py): what it adds up (atoms), how many persons it is about, and what it is
derived from. The keys are the ones the workbook writer looks the status up by:

- ("kpi", name, column): a key figure; column 0 = the period, 1 = the period before,
  2 = a year earlier; name as in kpis_json;
- ("referrer", code) and ("referrer_share", code); ("category", code) and
  ("category_clients", code): the breakdowns of the period;
- ("month", month, law), ("month_constant", month, law), ("month_clients", month, law) and
  ("quarter", name, i) with name inflow, outflow, cost_per_client or top10_share: trends;
- ("realisation", i) and ("forecast", i) for budget line i, i = "total" for the total row.

Money figures are sums of money atoms (atoms.py). The group a money figure is about is the
persons with an allocation in its selection active in its period (the clients of a referrer
or category, the persons a budget line covers). Person counts are sums of count atoms named
after what they count: the clients of a category, the inflow of a quarter. Where a count is
split further on another sheet (clients by category, inflow by quarter) the total is the
sum of its parts; persons in two categories make the real total smaller, so treating it as
a sum hides more, never less. Ratios the KPIs do not give the counts of (average duration,
dropout) are hidden with the clients and outflow of their period.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from sdesk.services.council.atoms import (
    ActivePersons,
    Coefficients,
    MoneyAtoms,
    Span,
    merge_atoms,
    read_active_persons,
    read_money_atoms,
    team_id,
)
from sdesk.services.council.content import CouncilContent
from sdesk.services.council.suppression import Figure, Status, protect
from sdesk.services.kpi import Kpis, kpis_json, monthly_trend, quarters
from sdesk.services.platform.periods import month_end

# The referrers the KPI "Aandeel via derden verwezen" counts (kpi.definitions).
THIRD_PARTY_REFERRERS = ("02", "03", "04", "05", "08")
HEADLINE = 20.0  # the weight of a total the reader looks at first
SUBTOTAL = 5.0
RATIO = 0.5  # a share or average: hidden before an amount or count


@dataclass
class _Draft:
    """A figure before its money atoms are merged."""

    key: Hashable
    value: float | None
    money: Callable[[], Coefficients] | None = None
    atoms: dict[Hashable, float] = field(default_factory=dict)
    persons: int | None = None
    count: bool = False
    weight: float = 1.0
    sources: tuple[Hashable, ...] = ()


def protect_workbook(engine: Engine, content: CouncilContent) -> dict[Hashable, Status]:
    """The status of every figure of the workbook `content` describes."""
    return protect(council_figures(engine, content))


def council_figures(engine: Engine, content: CouncilContent) -> list[Figure]:
    """Every figure of the chosen sheets, ready for `protect`."""
    builder = _Builder(engine, content)
    drafts = builder.kpi() + builder.trends() + builder.budget()
    money = [d for d in drafts if d.money is not None]
    merged = merge_atoms([d.money for d in money if d.money is not None], len(builder.atoms))
    atoms_of: dict[int, dict[Hashable, float]] = {
        id(d): {("money", a): c for a, c in m.items()}
        for d, m in zip(money, merged, strict=True)}
    return [Figure(d.key, d.value, {**atoms_of.get(id(d), {}), **d.atoms}, d.persons, d.count,
                   d.weight, d.sources) for d in drafts]


def _quarters_exactly(span: Span) -> list[Span] | None:
    """The calendar quarters that make up `span` exactly, or None."""
    qs = quarters(span[0], span[1])
    if qs and qs[0][0] == span[0] and qs[-1][1] == span[1]:
        return qs
    return None


class _Builder:
    """Reads the atoms and persons once and turns each sheet's numbers into drafts."""

    def __init__(self, engine: Engine, content: CouncilContent) -> None:
        self.engine = engine
        self.content = content
        request = content.request
        self.law, self.team = request.law, team_id(engine, request.team)
        money_spans: list[Span] = []
        person_spans: list[Span] = []
        if content.comparison is not None:
            periods = [(k.start, k.end) for k in self._periods()]
            money_spans += periods
            person_spans += periods
        if content.trend is not None:
            money_spans += [(m, _month_end(m)) for m in content.trend.frame["month"].unique()]
            money_spans += [(q.start, q.end) for q in content.trend.quarters]
        self.ytd: Span | None = None
        form_span = None
        if content.budget is not None:
            year = content.budget.year
            self.year_span = (date(year, 1, 1), date(year, 12, 31))
            if content.budget.at >= self.year_span[0]:
                self.ytd = (self.year_span[0], content.budget.at)
                money_spans.append(self.ytd)
                if any(line.delivery_form for line in content.budget.lines):
                    form_span = self.ytd
            person_spans.append(self.year_span)
        self.atoms: MoneyAtoms = read_money_atoms(engine, money_spans, form_span)
        self.persons: ActivePersons | None = (read_active_persons(engine, person_spans)
                                              if person_spans else None)

    def _periods(self) -> list[Kpis]:
        c = self.content.comparison
        return [] if c is None else [c.current, c.previous, c.year_earlier]

    def _money(self, span: Span, scale: float = 1.0, **filters: Any
               ) -> Callable[[], Coefficients]:
        def coefficients() -> Coefficients:
            return self.atoms.select(span, **filters).astype(np.float64) * scale
        return coefficients

    # -- Kengetallen ------------------------------------------------------------------------

    def kpi(self) -> list[_Draft]:
        periods = self._periods()
        if not periods or self.persons is None:
            return []
        persons = self.persons
        scope: dict[str, Any] = {"law": self.law, "team_id": self.team}
        deflate = self._deflators()
        out: list[_Draft] = []
        for column, k in enumerate(periods):
            span = (k.start, k.end)
            values = kpis_json(k)

            def key(name: str, column: int = column) -> tuple[str, str, int]:
                return ("kpi", name, column)

            clients_atoms: dict[Hashable, float] = (
                {("clients", span, self.law, c): 1.0 for c in k.clients_by_category}
                if column == 0 and k.clients_by_category else {("clients", span, self.law): 1.0})
            out.append(_Draft(key("clients"), k.clients, atoms=clients_atoms,
                              persons=k.clients, count=True, weight=HEADLINE))
            for name in ("inflow", "outflow"):
                parts = _quarters_exactly(span) or [span]
                out.append(_Draft(key(name), values[name], atoms={
                    (name, q, self.law): 1.0 for q in parts}, persons=values[name], count=True,
                    weight=SUBTOTAL))
            for name in ("outflow_provisional", "continuing", "households_multi_law"):
                out.append(_Draft(key(name), values[name], atoms={(name, span, self.law): 1.0},
                                  persons=values[name], count=True))
            out.append(_Draft(key("realised_cost"), values["realised_cost"],
                              money=self._money(span, **scope), persons=k.clients,
                              weight=HEADLINE if column == 0 else SUBTOTAL))
            out.append(_Draft(key("constant_price_cost"), values["constant_price_cost"],
                              money=self._constant(span, deflate), persons=k.clients,
                              weight=SUBTOTAL))
            share = k.third_party_share
            if share is not None:
                out.append(_Draft(key("third_party_share"), share,
                                  money=self._third_party(span, share), weight=RATIO,
                                  persons=persons.count(span, referrers=THIRD_PARTY_REFERRERS,
                                                        **scope)))
            money, clients = key("realised_cost"), key("clients")
            heavy = None if k.heavy_share is None else round(k.heavy_share * k.clients)
            out += [
                _Draft(key("cost_per_client"), values["cost_per_client"],
                       persons=k.clients, sources=(clients, money)),
                _Draft(key("top10_share"), k.top10_share, persons=k.clients,
                       sources=(clients, money)),
                _Draft(key("clients_per_1000"), k.clients_per_1000, sources=(clients,)),
                _Draft(key("heavy_share"), k.heavy_share, persons=heavy, sources=(clients,)),
                _Draft(key("avg_duration_days"), k.avg_duration_days,
                       sources=(clients, key("outflow"))),
                _Draft(key("dropout_rate"), k.dropout_rate, sources=(clients, key("outflow"))),
            ]
        return out + self._breakdowns(periods[0])

    def _breakdowns(self, k: Kpis) -> list[_Draft]:
        """The period's cost by referrer and cost and clients by category."""
        assert self.persons is not None
        span = (k.start, k.end)
        scope: dict[str, Any] = {"law": self.law, "team_id": self.team}
        by_referrer = self.persons.by_referrer(span, self.law, self.team)
        total = ("kpi", "realised_cost", 0)
        out: list[_Draft] = []
        for code, cents in k.cost_by_referrer_cents.items():
            out.append(_Draft(("referrer", code), cents / 100,
                              money=self._money(span, referrers=(code,), **scope),
                              persons=by_referrer.get(code, 0)))
            out.append(_Draft(("referrer_share", code), None,
                              sources=(("referrer", code), total)))
        for code, cents in k.cost_by_category_cents.items():
            clients = k.clients_by_category.get(code, 0)
            out.append(_Draft(("category", code), cents / 100,
                              money=self._money(span, categories=(code,), **scope),
                              persons=clients))
            out.append(_Draft(("category_clients", code), clients,
                              atoms={("clients", span, self.law, code): 1.0}, persons=clients,
                              count=True))
        return out

    def _deflators(self) -> dict[tuple[str, int], float]:
        """Constant-price euros per nominal euro by law and year, as the KPIs deflate (the
        ratio of the monthly trend's two sums)."""
        periods = self._periods()
        first, last = min(k.start for k in periods), max(k.end for k in periods)
        frame = self._trend_months(first.replace(day=1), last, periods[0].base_year)
        if frame is None:
            frame = monthly_trend(self.engine, first, last, self.law,
                                  self.content.request.team,
                                  base_year=periods[0].base_year).frame
        if frame.empty:
            return {}
        frame = frame.assign(year=[m.year for m in frame["month"]])
        sums = frame.groupby(["law", "year"])[["realised_cents", "constant_cents"]].sum()
        return {(str(law), int(year)): float(c) / float(r)
                for (law, year), r, c in zip(sums.index, sums["realised_cents"],
                                             sums["constant_cents"], strict=True) if r}

    def _trend_months(self, first: date, last: date, base_year: int | None
                      ) -> pd.DataFrame | None:
        """The trend sheet's rows of the months first..last when it has them all at the same
        base year: the same rows monthly_trend would give again (its rows of a month do not
        depend on the range asked), without reading them again."""
        trend = self.content.trend
        if trend is None or trend.base_year != base_year or trend.frame.empty:
            return None
        months = trend.frame["month"]
        wanted = {(p.year, p.month) for p in pd.period_range(first, last, freq="M")}
        if not wanted <= {(m.year, m.month) for m in months}:
            return None
        return trend.frame[(months >= first) & (months <= last)]

    def _constant(self, span: Span, deflate: dict[tuple[str, int], float]
                  ) -> Callable[[], Coefficients]:
        def coefficients() -> Coefficients:
            mask = self.atoms.select(span, law=self.law, team_id=self.team)
            factor = np.array([deflate.get((str(law), int(y)), 1.0) if chosen else 0.0
                               for law, y, chosen in zip(self.atoms.laws, self.atoms.years,
                                                         mask, strict=True)])
            return factor
        return coefficients

    def _third_party(self, span: Span, share: float) -> Callable[[], Coefficients]:
        """share x total - third-party part = 0: with the total shown it gives the part."""
        def coefficients() -> Coefficients:
            total = self.atoms.select(span, law=self.law, team_id=self.team)
            part = self.atoms.select(span, law=self.law, team_id=self.team,
                                     referrers=THIRD_PARTY_REFERRERS)
            return share * total.astype(np.float64) - part.astype(np.float64)
        return coefficients

    # -- Trends -----------------------------------------------------------------------------

    def trends(self) -> list[_Draft]:
        trend = self.content.trend
        if trend is None:
            return []
        out: list[_Draft] = []
        r: Any  # an itertuples row: pandas types its fields only as some scalar
        for r in trend.frame.itertuples():
            month, law = r.month, str(r.law)
            span = (month, _month_end(month))
            realised, constant = int(r.realised_cents), int(r.constant_cents)
            clients = int(r.clients)
            out.append(_Draft(("month", month, law), realised / 100, persons=clients,
                              money=self._money(span, law=law, team_id=self.team)))
            out.append(_Draft(("month_constant", month, law), constant / 100, persons=clients,
                              money=self._money(span, constant / realised if realised else 1.0,
                                                law=law, team_id=self.team)))
            out.append(_Draft(("month_clients", month, law), clients, persons=clients,
                              count=True, atoms={("clients", span, law): 1.0}))
        for i, q in enumerate(trend.quarters):
            span = (q.start, q.end)
            for name, value in (("inflow", q.inflow), ("outflow", q.outflow)):
                out.append(_Draft(("quarter", name, i), value, persons=value, count=True,
                                  atoms={(name, span, self.law): 1.0}))
            cost = q.cost_per_client_cents
            # Cost per client reads as the quarter's cost once its clients are known.
            out.append(_Draft(("quarter", "cost_per_client", i),
                              None if cost is None else cost / 100, persons=q.clients,
                              weight=RATIO,
                              money=None if not q.clients else self._money(
                                  span, 1 / q.clients, law=self.law, team_id=self.team)))
            out.append(_Draft(("quarter", "top10_share", i), q.top10_share, persons=q.clients,
                              sources=(("quarter", "cost_per_client", i),)))
        return out

    # -- Begroting --------------------------------------------------------------------------

    def budget(self) -> list[_Draft]:
        report = self.content.budget
        if report is None or self.persons is None:
            return []
        persons = self.persons
        out: list[_Draft] = []
        realised: list[Callable[[], Coefficients]] = []
        computed: list[Callable[[], Coefficients]] = []
        forecast_atoms: dict[Hashable, float] = {}
        selections: list[dict[str, Any]] = []
        for i, line in enumerate(report.lines):
            if line.begroting_cents < 0:
                continue  # income: not from claims, nobody's figure
            selection: dict[str, Any] = {"law": line.law, "categories": line.categories,
                                         "form": line.delivery_form}
            counted = not line.subtotal  # a subtotal is shown, not added to the total (#15)
            if counted:
                selections.append(selection)
            money = self._money(self.ytd, **selection) if self.ytd else None
            out.append(_Draft(("realisation", i), line.realisatie_cents / 100, money=money,
                              persons=persons.count(self.ytd, **selection) if self.ytd else 0))
            # A computed forecast is the realisation plus what the rest of the year will bring
            # (not shown anywhere: an unknown of its own), which is nothing at the end of the
            # year; a typed-in forecast is an unknown of its own.
            is_computed = money is not None and line.prognose_source == "computed"
            own: dict[Hashable, float] = (
                {} if is_computed and line.prognose_cents == line.realisatie_cents
                else {(line.prognose_source, i): 1.0})
            if counted:
                forecast_atoms.update(own)
            if money is not None and counted:
                realised.append(money)
                if is_computed:
                    computed.append(money)
            out.append(_Draft(("forecast", i), line.prognose_cents / 100,
                              persons=persons.count(self.year_span, **selection),
                              money=money if is_computed else None, atoms=own))
        if out:
            out.append(_Draft(("realisation", "total"), report.realisatie_cents / 100,
                              money=_sum(realised) if realised else None, weight=HEADLINE,
                              persons=persons.count_any(self.ytd, selections)
                              if self.ytd else 0))
            out.append(_Draft(("forecast", "total"), report.prognose_cents / 100,
                              money=_sum(computed) if computed else None,
                              atoms=forecast_atoms, weight=HEADLINE,
                              persons=persons.count_any(self.year_span, selections)))
        return out


def _sum(parts: Sequence[Callable[[], Coefficients]]) -> Callable[[], Coefficients]:
    def coefficients() -> Coefficients:
        return np.asarray(sum(p() for p in parts), dtype=np.float64)
    return coefficients


def _month_end(day: date) -> date:
    return month_end(day.year, day.month)
