"""Demo care: episodes of allocations (renewals chained) per person, and their monthly claims."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.random import Generator

from sdesk.services.demo.catalogue import PRODUCT_INDEX, PRODUCTS, Prices
from sdesk.services.demo.common import Span, group_offsets
from sdesk.services.demo.people import PROFILES, People
from sdesk.services.platform import costs

# Bijstandsnormen 1-1-2024 (incl. vakantietoeslag), per month, cents; other years by index.
_NORM_2024 = {"p_bijst_a": 128383, "p_bijst_g": 183404}

# COD327 referrer profiles: codes and probabilities. Third parties are 02, 03, 04, 05, 08.
_REFERRERS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "gemeente": (("01", "06", "02"), (0.95, 0.03, 0.02)),
    "ambulant": (("01", "02", "03", "06"), (0.62, 0.22, 0.1, 0.06)),
    "ggz": (("02", "05", "01", "03"), (0.6, 0.2, 0.15, 0.05)),
    "dag": (("01", "05", "02"), (0.55, 0.25, 0.2)),
    "verblijf": (("04", "01", "08"), (0.45, 0.45, 0.1)),
    "justitie": (("04", "08"), (0.7, 0.3)),
}
_THIRD_PARTY = ("02", "03", "04", "05", "08")

# End reasons of allocations that end inside the history (JZ588 / WMO588).
_END_REASONS: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "jeugd": (("31", "34", "32", "33", "35", "36", "38", "39", "02"),
              (0.55, 0.1, 0.09, 0.05, 0.06, 0.05, 0.05, 0.045, 0.005)),
    "wmo_old": (("19", "02", "21", "22", "23", "31", "36", "38", "39"),
                (0.45, 0.25, 0.05, 0.03, 0.06, 0.06, 0.04, 0.04, 0.02)),
    "wmo": (("19", "02", "21", "22", "23", "31", "36", "38", "39"),
            (0.6, 0.02, 0.09, 0.05, 0.08, 0.06, 0.04, 0.03, 0.03)),
}
_RENEWAL_END = {"jeugd": ("31", "37"), "wmo": ("19", "37")}
_CHANGE_REASONS = (("04", "05", "14", "09", "03"), (0.5, 0.2, 0.15, 0.1, 0.05))

# Episode rules per profile: (product, member, probability). member: "a1" first adult, "a2"
# second adult, "kid" every child independently.
_RULES: dict[str, tuple[tuple[str, str, float], ...]] = {
    "oudere": (("w_hbh", "a1", 0.85), ("w_pv", "a1", 0.18), ("w_dag", "a1", 0.15),
               ("w_beg", "a1", 0.12), ("w_logeer", "a1", 0.05), ("w_pv", "a2", 0.1),
               ("w_budget", "a1", 0.03)),
    "jeugd": (("j_amb", "kid", 0.35), ("j_amb_spec", "kid", 0.1), ("j_ggz", "kid", 0.18),
              ("j_ggz_wo", "kid", 0.08), ("j_dag", "kid", 0.05), ("j_budget", "kid", 0.03),
              ("j_pleeg", "kid", 0.01), ("w_beg", "a1", 0.05)),
    "inkomen": (("p_bijst", "a1", 0.85), ("p_bb", "a1", 0.35), ("p_bb", "a1", 0.15),
                ("p_shv", "a1", 0.2), ("p_rei", "a1", 0.3), ("j_amb", "kid", 0.08)),
    "volwassene": (("w_beg", "a1", 0.5), ("w_beg_spec", "a1", 0.25), ("w_groep", "a1", 0.25),
                   ("w_bw", "a1", 0.07), ("w_bw_wi", "a1", 0.08), ("w_kort", "a1", 0.15),
                   ("w_budget", "a1", 0.05), ("p_bijst", "a1", 0.35), ("p_rei", "a1", 0.1),
                   ("p_shv", "a1", 0.12), ("p_bb", "a1", 0.15)),
    "multi": (("j_res", "kid", 0.35), ("j_res_int", "kid", 0.12), ("j_gezinshuis", "kid", 0.15),
              ("j_pleeg", "kid", 0.12), ("j_ots", "kid", 0.35), ("j_voogdij", "kid", 0.04),
              ("j_jr", "kid", 0.1), ("j_amb_spec", "kid", 0.35), ("j_ggz", "kid", 0.25),
              ("j_ggz_wo", "kid", 0.1), ("j_dag", "kid", 0.1),
              ("p_bijst", "a1", 0.8), ("p_shv", "a1", 0.55), ("p_bb", "a1", 0.5),
              ("p_bb", "a1", 0.3), ("w_beg_spec", "a1", 0.6), ("w_bw", "a1", 0.12),
              ("p_rei", "a1", 0.2), ("w_beg", "a2", 0.2), ("w_groep", "a1", 0.1)),
}
# Fallback episode for households whose rules drew nothing (every household is a client).
_FALLBACK = {"oudere": ("w_hbh", "a1"), "jeugd": ("j_amb", "kid"), "inkomen": ("p_bijst", "a1"),
             "volwassene": ("w_beg", "a1"), "multi": ("j_amb_spec", "kid")}
# Spread (years) of episode starts around the household's anchor date.
_EPISODE_SPREAD = {"oudere": 1.2, "jeugd": 0.8, "inkomen": 1.0, "volwassene": 1.0, "multi": 0.35}


def _choice(rng: Generator, options: Sequence[str], p: Sequence[float], n: int) -> np.ndarray:
    probs = np.asarray(p, dtype="float64")
    picked = rng.choice(len(options), size=n, p=probs / probs.sum())
    chosen: np.ndarray = np.asarray(options, dtype=object)[picked]
    return chosen



# Days from the end of a claim's period until it reaches the municipality, and how often:
# most in the next month, some a month later, a few after a quarter.
ARRIVAL_DAYS = ((5, 20), (21, 50), (51, 80), (81, 120))
ARRIVAL_SHARES = (0.55, 0.30, 0.12, 0.03)
EXTRACT_DAYS = 30  # the demo's data are taken this long after its last day with claims


class Care:
    """Allocations drawn for the people at the prices, then (`draw_claims`) their claims."""

    def __init__(self, rng: Generator, span: Span, people: People, prices: Prices) -> None:
        self.rng = rng
        self.span = span
        self.people = people
        self.prices = prices
        self._allocations()

    def draw_claims(self) -> None:
        """Draw the monthly claims, then balance the youth referrers on what they cost."""
        self._claims()
        self._balance_referrers()

    # ---- episodes and allocations -------------------------------------------------------------

    def _episodes(self) -> tuple[np.ndarray, np.ndarray]:
        """(person index, product index) of every care episode."""
        rng, people = self.rng, self.people
        persons: list[np.ndarray] = []
        products: list[np.ndarray] = []
        n_hh = len(people.hh_profile)
        got = np.zeros(n_hh, dtype=bool)
        is_two_adults = people.hh_adults == 2

        def product_for(key: str, person: np.ndarray) -> np.ndarray:
            if key == "p_bijst":  # the norm follows the household
                couple = is_two_adults[people.p_hh[person]]
                return np.where(couple, PRODUCT_INDEX["p_bijst_g"], PRODUCT_INDEX["p_bijst_a"])
            return np.full(len(person), PRODUCT_INDEX[key])

        for pi, name in enumerate(PROFILES):
            hh = np.flatnonzero(people.hh_profile == pi)
            for key, member, prob in _RULES[name]:
                if member == "kid":
                    cand = np.flatnonzero(people.p_is_kid & (people.hh_profile[people.p_hh] == pi))
                    if key == "j_jr":  # jeugdreclassering only from age 12
                        age = (people.hh_anchor[people.p_hh[cand]] - people.p_birth[cand]) / 365.25
                        cand = cand[age >= 12]
                elif member == "a1":
                    cand = people.hh_first_member[hh]
                else:
                    cand = people.hh_first_member[hh[is_two_adults[hh]]] + 1
                chosen = cand[rng.random(len(cand)) < prob]
                persons.append(chosen)
                products.append(product_for(key, chosen))
                got[people.p_hh[chosen]] = True
            # Every household is somebody's client: fall back to the profile's typical product.
            missing = hh[~got[hh]]
            key, member = _FALLBACK[name]
            if member == "kid":
                first_kid = people.hh_first_member[missing] + people.hh_adults[missing]
                ok = first_kid < people.hh_first_member[missing] + people.hh_size[missing]
                chosen = first_kid[ok]
            else:
                chosen = people.hh_first_member[missing]
            persons.append(chosen)
            products.append(product_for(key, chosen))
        return np.concatenate(persons), np.concatenate(products)

    def _allocations(self) -> None:
        rng, people, span, prices = self.rng, self.people, self.span, self.prices
        ep_person, ep_prod = self._episodes()
        order = np.lexsort((ep_prod, ep_person))
        ep_person, ep_prod = ep_person[order], ep_prod[order]
        n_ep = len(ep_person)
        ep_hh = people.p_hh[ep_person]
        prof = people.hh_profile[ep_hh]
        spread = np.array([_EPISODE_SPREAD[p] for p in PROFILES])[prof]
        ep_start = people.hh_anchor[ep_hh] + (rng.exponential(1.0, n_ep) * spread * 365).astype(
            np.int64)

        renew = np.array([p.renew_p for p in PRODUCTS])[ep_prod]
        n_seg = np.minimum(rng.geometric(1.0 - renew), 8)
        # Episode-level attributes (constant over renewals).
        ep_provider = np.empty(n_ep, dtype=object)
        ep_referrer = np.empty(n_ep, dtype=object)
        ep_pgb = np.zeros(n_ep, dtype=bool)
        for i, p in enumerate(PRODUCTS):
            mask = ep_prod == i
            k = int(mask.sum())
            if not k:
                continue
            ep_provider[mask] = _choice(rng, p.providers, [1.0] * len(p.providers), k)
            codes, probs = _REFERRERS[p.referrer]
            if p.law == "participatie":
                codes, probs = ("01", "06"), (0.97, 0.03)
            ep_referrer[mask] = _choice(rng, codes, probs, k)
            ep_pgb[mask] = rng.random(k) < p.pgb_p
        ep_u = rng.uniform(0.75, 0.95, n_ep)  # uitnutting is a property of provider + client

        # Segments (allocations): chained, each starts the day after the previous one ends.
        seg_ep = np.repeat(np.arange(n_ep), n_seg)
        seg_no = group_offsets(n_seg)
        prod = ep_prod[seg_ep]
        median = np.array([p.median_days for p in PRODUCTS], dtype="float64")[prod]
        sigma = np.array([p.sigma for p in PRODUCTS])[prod]
        dur = np.clip(np.exp(np.log(median) + sigma * rng.standard_normal(len(seg_ep))), 28,
                      5 * 365).astype(np.int64)
        cum = np.cumsum(dur)
        first_of_ep = np.repeat(np.cumsum(n_seg) - n_seg, n_seg)
        before = cum - dur - (cum[first_of_ep] - dur[first_of_ep])
        start = ep_start[seg_ep] + before
        end = start + dur - 1
        last_seg = seg_no == n_seg[seg_ep] - 1

        # Youth care stops at 18: cut the allocation at the birthday, drop what follows.
        law = np.array([p.law for p in PRODUCTS], dtype=object)[prod]
        person = ep_person[seg_ep]
        eighteen = people.p_birth[person] + int(18 * 365.25)
        jeugd = law == "jeugd"
        adult_cut = jeugd & (end >= eighteen)
        keep = ~(jeugd & (start >= eighteen))
        end = np.where(adult_cut, eighteen - 1, end)
        to_adult = adult_cut & keep

        keep &= (start <= span.until64) & (end >= span.hist64)
        # Episodes whose later segments were cut become shorter: a kept segment is "last" when
        # the next one of the same episode is not kept.
        next_kept = np.zeros(len(keep), dtype=bool)
        next_kept[:-1] = keep[1:] & (seg_ep[1:] == seg_ep[:-1])
        last_seg = last_seg | ~next_kept

        idx = np.flatnonzero(keep)
        prod, start, end, last_seg = prod[idx], start[idx], end[idx], last_seg[idx]
        seg_ep, to_adult, law, person = seg_ep[idx], to_adult[idx], law[idx], person[idx]
        n = len(idx)

        products = PRODUCTS
        unit = np.array([p.unit for p in products], dtype=object)[prod]
        freq = np.array([p.frequency for p in products], dtype=object)[prod]
        is_budget = np.array([p.budget_range is not None for p in products])[prod]
        needs_end = is_budget | (freq == costs.TOTAL_WITHIN_PERIOD)
        open_p = np.array([p.open_p for p in products])[prod]
        running = end > span.until64
        open_end = running & ~needs_end & ~to_adult & (rng.random(n) < open_p)
        end = np.where(open_end, np.datetime64("NaT"), end)

        # Volume, tariff or budget.
        volume = np.full(n, np.nan)
        tariff = np.full(n, np.nan)
        budget = np.full(n, np.nan)
        start_year = start.astype("datetime64[Y]").astype(np.int64) + 1970
        pgb = ep_pgb[seg_ep]
        for i, p in enumerate(products):
            mask = prod == i
            k = int(mask.sum())
            if not k:
                continue
            years = start_year[mask]
            if p.budget_range is not None:
                lo, hi = p.budget_range
                budget[mask] = np.round(rng.uniform(lo, hi, k), -2)
                continue
            if p.key in _NORM_2024:
                norm = np.array([_NORM_2024[p.key] * prices.index_factor["participatie"][int(y)]
                                 for y in years]) / 100
                partial = rng.random(k) < 0.3  # aanvulling op ander inkomen
                factor = np.where(partial, rng.uniform(0.25, 0.95, k), 1.0)
                volume[mask] = np.round(norm * factor, 2)
            elif p.euro_range is not None:
                volume[mask] = np.round(rng.uniform(*p.euro_range, k), 2)
            else:
                w = np.asarray(p.volume_weights, dtype="float64")
                volume[mask] = np.asarray(p.volumes, dtype="float64")[
                    rng.choice(len(p.volumes), size=k, p=w / w.sum())]
            base = np.array([prices.tariff_for(p, int(y))
                             for y in range(int(span.years[0]), int(span.years[-1]) + 1)])
            t = base[years - int(span.years[0])].astype("float64")
            # pgb budgets are paid at 90 % of the ZIN tariff.
            if p.unit != costs.EURO_UNIT:
                t = np.where(pgb[mask], np.round(t * 0.9), t)
            tariff[mask] = t

        # Reasons: renewals end "volgens plan" or by a change request; final ends get a mix
        # that includes the drop-outs (32/33 jeugd, 21/22 wmo).
        ended = ~np.isnat(end) & (end <= span.until64)
        end_reason = np.full(n, None, dtype=object)
        old = people.hh_profile[people.p_hh[person]] == PROFILES.index("oudere")
        for lw in ("jeugd", "wmo"):
            renewal = (law == lw) & ended & ~last_seg
            end_reason[renewal] = _choice(rng, _RENEWAL_END[lw], (0.7, 0.3), int(renewal.sum()))
            final = (law == lw) & ended & last_seg
            if lw == "wmo":
                for key, sel in (("wmo_old", final & old), ("wmo", final & ~old)):
                    codes, probs = _END_REASONS[key]
                    end_reason[sel] = _choice(rng, codes, probs, int(sel.sum()))
            else:
                codes, probs = _END_REASONS["jeugd"]
                end_reason[final] = _choice(rng, codes, probs, int(final.sum()))
        end_reason[to_adult & ended] = "39"  # uitstroom naar ander domein at 18
        change_reason = np.full(n, None, dtype=object)
        changed = (law != "participatie") & (rng.random(n) < 0.06)
        change_reason[changed] = _choice(rng, *_CHANGE_REASONS, int(changed.sum()))

        provision = np.full(n, "maatwerk", dtype=object)
        hbh = prod == PRODUCT_INDEX["w_hbh"]
        provision[hbh & (rng.random(n) < 0.05)] = "algemeen"
        groep = prod == PRODUCT_INDEX["w_groep"]
        provision[groep & (rng.random(n) < 0.08)] = "sociale_basis"

        # Order by start date: ids and toewijzingnummers then grow with time, as in practice.
        order = np.lexsort((person, start))
        self.a_prod = prod[order]
        self.a_law = law[order]
        self.a_person = person[order]
        self.a_start = start[order]
        self.a_end = end[order]
        self.a_volume = volume[order]
        self.a_unit = unit[order]
        self.a_freq = freq[order]
        self.a_tariff = tariff[order]
        self.a_budget = budget[order]
        self.a_ep = seg_ep[order]
        self.a_pgb = pgb[order]
        self.a_provision = provision[order]
        self.a_end_reason = end_reason[order]
        self.a_change_reason = change_reason[order]
        self.ep_provider = ep_provider
        self.ep_referrer = ep_referrer
        self.ep_u = ep_u

    # ---- claims -------------------------------------------------------------------------------

    def _claims(self) -> None:
        rng, span = self.rng, self.span
        frame = pd.DataFrame({
            "start_date": self.a_start, "end_date": self.a_end, "volume": self.a_volume,
            "unit": self.a_unit, "frequency": self.a_freq, "tariff_cents": self.a_tariff,
            "budget_cents": self.a_budget,
        })
        rate = costs.daily_rates(frame)
        lo = np.maximum(self.a_start, span.hist64)
        hi = np.minimum(np.where(np.isnat(self.a_end), span.until64, self.a_end), span.until64)
        m_lo = lo.astype("datetime64[M]").astype(np.int64)
        m_hi = hi.astype("datetime64[M]").astype(np.int64)
        n_months = np.maximum(m_hi - m_lo + 1, 0)
        # One line per allocation per month; built in place, as g4 has over 10M lines.
        alloc = np.repeat(np.arange(len(lo), dtype=np.int32), n_months)
        month = m_lo[alloc] + group_offsets(n_months)
        p_start = np.maximum(month.astype("datetime64[M]").astype("datetime64[D]"), lo[alloc])
        month += 1
        p_end = np.minimum(month.astype("datetime64[M]").astype("datetime64[D]") - 1, hi[alloc])
        del month
        amount_f = rate[alloc]
        amount_f *= (p_end - p_start).astype(np.int64) + 1
        amount_f *= self.ep_u[self.a_ep][alloc]
        amount = np.round(amount_f).astype(np.int64)
        del amount_f
        tariff_eff = np.where(self.a_unit == costs.EURO_UNIT, 100.0, self.a_tariff)
        volume = amount / tariff_eff[alloc]  # NaN for budget allocations
        np.round(volume, 2, out=volume)

        # A few corrections: a credit of the original line and the same line sent again, so the
        # net stays equal to the month's claim. As in iJw 323 the credit carries the sign on
        # the amount only; its volume stays positive.
        corrected = np.flatnonzero(rng.random(len(alloc)) < 0.002)
        rep = np.ones(len(alloc), dtype=np.int64)
        rep[corrected] = 3
        src = np.repeat(np.arange(len(alloc)), rep)
        sign = np.ones(len(src), dtype=np.int64)
        sign[group_offsets(rep) == 1] = -1
        self.c_alloc = alloc[src]
        self.c_start = p_start[src]
        self.c_end = p_end[src]
        self.c_amount = amount[src] * sign
        self.c_volume = volume[src]
        self._declaration_lag()

    def _declaration_lag(self) -> None:
        """Providers declare a month one to four months late: each line arrives some days
        after its period ends (first_seen), and the data are taken EXTRACT_DAYS after `until`,
        so the last months hold only the lines that had arrived by then (October about two
        thirds, September about nine tenths). A generator of its own keeps the other draws."""
        rng = np.random.default_rng(len(self.c_alloc))
        n = len(self.c_alloc)
        bucket = rng.choice(len(ARRIVAL_DAYS), size=n, p=ARRIVAL_SHARES)
        low = np.array([lo for lo, _ in ARRIVAL_DAYS])[bucket]
        high = np.array([hi for _, hi in ARRIVAL_DAYS])[bucket]
        seen = self.c_end + rng.integers(low, high + 1).astype("timedelta64[D]")
        keep = seen <= self.span.until64 + np.timedelta64(EXTRACT_DAYS, "D")
        self.c_alloc, self.c_start, self.c_end = (self.c_alloc[keep], self.c_start[keep],
                                                  self.c_end[keep])
        self.c_amount, self.c_volume = self.c_amount[keep], self.c_volume[keep]
        self.c_seen = seen[keep]

    def _balance_referrers(self) -> None:
        """Tune youth referrers so that third parties account for 45-55 % of youth cost."""
        rng = self.rng
        cost_alloc = np.bincount(self.c_alloc, weights=self.c_amount, minlength=len(self.a_ep))
        cost_ep = np.bincount(self.a_ep, weights=cost_alloc, minlength=len(self.ep_u))
        ep_prod = np.zeros(len(self.ep_u), dtype=np.int64)
        ep_prod[self.a_ep] = self.a_prod
        ep_used = np.zeros(len(self.ep_u), dtype=bool)
        ep_used[self.a_ep] = True
        profile = np.array([PRODUCTS[i].referrer for i in range(len(PRODUCTS))],
                           dtype=object)[ep_prod]
        youth = ep_used & (np.array([p.law for p in PRODUCTS], dtype=object)[ep_prod] == "jeugd")
        total = cost_ep[youth].sum()
        if total <= 0:
            return
        third = np.isin(self.ep_referrer, _THIRD_PARTY)
        share = cost_ep[youth & third].sum() / total
        flexible = youth & (profile != "justitie")
        if share > 0.55:
            cand = np.flatnonzero(flexible & third)
            cand = cand[rng.permutation(len(cand))]
            excess = cost_ep[cand].cumsum() - (share - 0.5) * total
            take = cand[: int(np.searchsorted(excess, 0.0)) + 1]
            self.ep_referrer[take] = "01"
        elif share < 0.45:
            cand = np.flatnonzero(flexible & ~third)
            cand = cand[rng.permutation(len(cand))]
            missing = cost_ep[cand].cumsum() - (0.5 - share) * total
            take = cand[: int(np.searchsorted(missing, 0.0)) + 1]
            prof = profile[take]
            self.ep_referrer[take] = np.where(prof == "verblijf", "04",
                                              np.where(prof == "ggz", "02", "02"))
