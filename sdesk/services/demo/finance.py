"""Demo money beyond allocations: interventions around households (from the cost map), the
budget lines and the inhabitants per age band."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.random import Generator

from sdesk.services.demo.care import Care
from sdesk.services.demo.catalogue import PRODUCTS
from sdesk.services.demo.common import SizePreset, Span
from sdesk.services.demo.people import PROFILES, People

_BUDGET_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("jeugd", "Jeugdhulp ambulant", ("45", "50")),
    ("jeugd", "Jeugd-ggz", ("54",)),
    ("jeugd", "Dagbehandeling jeugd", ("41",)),
    ("jeugd", "Jeugdhulp met verblijf", ("43", "44")),
    ("jeugd", "Jeugdbescherming en jeugdreclassering", ("47", "48")),
    ("wmo", "Hulp bij het huishouden", ("01",)),
    ("wmo", "Begeleiding", ("02", "06")),
    ("wmo", "Persoonlijke verzorging", ("03",)),
    ("wmo", "Dagbesteding en kortdurend verblijf", ("04", "07")),
    ("wmo", "Beschermd wonen", ("15",)),
    ("participatie", "Bijstand levensonderhoud", ("bijstand",)),
    ("participatie", "Bijzondere bijstand", ("bijzondere_bijstand",)),
    ("participatie", "Schuldhulpverlening", ("schuldhulp",)),
    ("participatie", "Re-integratie", ("re-integratie",)),
)


class Finance:
    """Interventions, budget and inhabitants, drawn after the care they surround."""

    def __init__(self, rng: Generator, preset: SizePreset, span: Span, people: People,
                 care: Care, cost_map: pd.DataFrame, kept_hh: np.ndarray) -> None:
        self.rng = rng
        self.preset = preset
        self.span = span
        self.people = people
        self.care = care
        self.cost_map = cost_map
        self._interventions(kept_hh)
        self._budget()
        self._inhabitants()

    def _interventions(self, kept_hh: np.ndarray) -> None:
        """Non-allocation costs around multi-problem and some other households."""
        rng, people, span = self.rng, self.people, self.span
        items = self.cost_map.set_index("name")
        # (cost map item, probability per household, quantity range, months covered)
        plan_multi = (
            ("Politie-inzet melding", 0.8, (1, 8), 12),
            ("Politie aanhouding met verhoor", 0.25, (1, 2), 12),
            ("Veilig Thuis onderzoek", 0.45, (1, 1), 0),
            ("Zorgverzekeraar: GGZ-behandeling volwassene", 0.4, (1, 2), 12),
            ("Onderwijs: extra ondersteuning leerling", 0.5, (1, 2), 12),
            ("Justitie: jeugdreclassering toezicht", 0.1, (6, 12), 12),
            ("Ontruiming incl. opslag en deurwaarder", 0.05, (1, 1), 0),
            ("Huisuitzetting (directe kosten)", 0.06, (1, 1), 0),
        )
        plan_other = (
            ("Politie-inzet melding", 0.06, (1, 3), 12),
            ("Zorgverzekeraar: GGZ-behandeling volwassene", 0.05, (1, 1), 12),
            ("Huisuitzetting (directe kosten)", 0.01, (1, 1), 0),
        )
        profile = people.hh_profile[kept_hh]
        multi = kept_hh[profile == PROFILES.index("multi")]
        other = kept_hh[np.isin(profile, (PROFILES.index("inkomen"),
                                          PROFILES.index("volwassene")))]
        rows_hh: list[np.ndarray] = []
        rows_item: list[np.ndarray] = []
        rows_qty: list[np.ndarray] = []
        rows_months: list[np.ndarray] = []
        for group, plan in ((multi, plan_multi), (other, plan_other)):
            for name, prob, (q_lo, q_hi), covered in plan:
                if name not in items.index:  # the user may have edited the cost map
                    continue
                chosen = group[rng.random(len(group)) < prob]
                rows_hh.append(chosen)
                rows_item.append(np.full(len(chosen), name, dtype=object))
                rows_qty.append(rng.integers(q_lo, q_hi + 1, len(chosen)).astype("float64"))
                rows_months.append(np.full(len(chosen), covered))
        # Rent arrears written off by the housing corporation: an amount, not a cost-map item.
        arrears = np.concatenate([multi[rng.random(len(multi)) < 0.2],
                                  other[rng.random(len(other)) < 0.03]])
        hh = np.concatenate(rows_hh + [arrears])
        item = np.concatenate(rows_item + [np.full(len(arrears), None, dtype=object)])
        qty = np.concatenate(rows_qty + [np.full(len(arrears), np.nan)])
        months = np.concatenate(rows_months + [np.zeros(len(arrears), dtype=np.int64)])
        n = len(hh)
        start = np.maximum(people.hh_anchor[hh] + rng.integers(0, 365, n), span.hist64)
        start = np.minimum(start, span.until64 - 31)
        start = start.astype("datetime64[M]").astype("datetime64[D]") + rng.integers(0, 28, n)
        end = np.where(months > 0,
                       (start.astype("datetime64[M]") + months).astype("datetime64[D]") - 1,
                       start)
        end = np.minimum(end, span.until64)
        own_amount = np.array([i is None for i in item], dtype=bool)
        payer = np.where(own_amount, "woningcorporatie",
                         items["payer"].reindex(item).to_numpy(dtype=object))
        description = np.where(own_amount, "Huurachterstand kwijtgescholden", item)
        amount = np.where(own_amount, np.round(rng.uniform(800, 4000, n)) * 100, np.nan)
        # The person concerned: the eldest child for school and youth justice, else the first
        # adult.
        person = people.hh_first_member[hh]
        child_item = np.isin(item, ("Onderwijs: extra ondersteuning leerling",
                                    "Justitie: jeugdreclassering toezicht"))
        has_child = people.hh_size[hh] > people.hh_adults[hh]
        person = np.where(child_item & has_child, person + people.hh_adults[hh], person)
        frame = pd.DataFrame({"hh": hh, "person": person, "payer": payer,
                              "description": description, "item": item, "qty": qty,
                              "amount": amount, "start": start, "end": end})
        frame = frame.drop_duplicates(["hh", "payer", "description", "start"])
        self.interventions = frame.sort_values(["hh", "start", "description"], kind="stable")

    def _budget(self) -> None:
        rng, span, care = self.rng, self.span, self.care
        group_of: dict[tuple[str, str], int] = {}
        for gi, (lw, _name, cats) in enumerate(_BUDGET_GROUPS):
            for c in cats:
                group_of[(lw, c)] = gi
        a_group = np.array([group_of[(PRODUCTS[p].law, PRODUCTS[p].category)]
                            for p in range(len(PRODUCTS))])[care.a_prod]
        year = care.c_start.astype("datetime64[Y]").astype(np.int64) + 1970
        frame = pd.DataFrame({"year": year, "group": a_group[care.c_alloc],
                              "pgb": care.a_pgb[care.c_alloc], "amount": care.c_amount})
        spend = frame.groupby(["year", "group", "pgb"], sort=True)["amount"].sum()
        first_full = int(str(span.hist64)[:4]) + (0 if str(span.hist64)[5:] == "01-01" else 1)
        last_year = span.until.year
        months_done = span.until.month if span.until.day >= 28 else span.until.month - 1
        rows: list[list[Any]] = []
        keys: list[tuple[int, int, bool]] = spend.index.tolist()
        for (y, g, is_pgb), value in zip(keys, spend.tolist(), strict=True):
            y = int(y)
            if y < first_full:
                continue
            lw, name, cats = _BUDGET_GROUPS[int(g)]
            full = float(value) * (12 / max(months_done, 1) if y == last_year else 1.0)
            if full <= 0:
                continue
            # Budgets are round numbers: whole thousands, or hundreds for small lines.
            step = 100_000 if full >= 5_000_000 else 10_000
            amount = int(round(full * (1 + rng.uniform(-0.08, 0.08)) / step)) * step
            if amount == 0:
                continue
            form: str | None = None
            if lw != "participatie":
                form = "pgb" if is_pgb else "zin"
                name = f"{name} {form.upper()}"
            rows.append([y, name, lw, ",".join(cats), form, amount, None])
        # Manual forecasts on a few lines of the running year.
        current = [r for r in rows if r[0] == last_year]
        for r in current[:: max(1, len(current) // 3)][:3]:
            r[6] = int(round(r[5] * rng.uniform(0.97, 1.08) / 10_000)) * 10_000
        # Income: eigen bijdrage Wmo (about 3 % of the Wmo spend, excluding beschermd wonen).
        wmo_spend = spend.reset_index()
        wmo_groups = [gi for gi, g in enumerate(_BUDGET_GROUPS)
                      if g[0] == "wmo" and g[1] != "Beschermd wonen"]
        for y in range(first_full, last_year + 1):
            sel = wmo_spend[(wmo_spend["year"] == y) & wmo_spend["group"].isin(wmo_groups)]
            total = float(sel["amount"].sum())
            if y == last_year:
                total *= 12 / max(months_done, 1)
            income = -int(round(total * 0.03 / 10_000)) * 10_000
            if income:
                forecast = (int(round(income * rng.uniform(0.9, 1.05) / 10_000)) * 10_000
                            if y == last_year else None)
                rows.append([y, "Eigen bijdrage Wmo", "wmo", None, None, income, forecast])
        self.budget_rows = [tuple(r) for r in rows]

    def _inhabitants(self) -> None:
        span = self.span
        total = self.preset.inhabitants
        years = range(int(str(span.hist64)[:4]), span.until.year + 1)
        rows = []
        for i, y in enumerate(years):
            young = 0.195 - 0.0015 * i  # an ageing population
            old = 0.20 + 0.003 * i
            n_young = int(round(total * young))
            n_old = int(round(total * old))
            rows += [(y, "0-17", n_young), (y, "18-64", total - n_young - n_old), (y, "65+", n_old)]
        self.inhabitant_rows = rows
