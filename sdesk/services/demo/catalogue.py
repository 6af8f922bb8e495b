"""The demo's products (jeugd, Wmo, Participatiewet) with their providers, and the price index
and tariffs drawn for them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.random import Generator

from sdesk.services.platform import costs

TARIFF_BASE_YEAR = 2024


@dataclass(frozen=True)
class Product:
    key: str
    law: str
    category: str
    code: str | None  # None: aspecifiek met budget
    description: str
    unit: str | None
    frequency: str | None
    tariff_cents: int | None  # at TARIFF_BASE_YEAR (ZIN); euro unit: 100
    volumes: tuple[float, ...] = ()
    volume_weights: tuple[float, ...] = ()
    budget_range: tuple[int, int] | None = None  # cents, for budget allocations
    euro_range: tuple[float, float] | None = None  # euros, frequentie 6 with eenheid 83
    median_days: int = 365
    sigma: float = 0.5
    renew_p: float = 0.3  # chance that an allocation is followed by a renewal
    open_p: float = 0.0  # chance that a running allocation has no end date
    pgb_p: float = 0.0
    providers: tuple[str, ...] = ()
    referrer: str = "gemeente"  # referrer profile (see care.py)


def _prov(name: str, agb: int) -> str:
    return f"{name} (AGB {agb:08d})"


_J_AMB = (_prov("Horizon Jeugdhulp", 98100011), _prov("Kompas Gezinsbegeleiding", 98100028),
          _prov("Stichting Opgroeien Oost", 98100035))
_J_GGZ = (_prov("Kwadrant Jeugd-GGZ", 98100042), _prov("Praktijk De Linde", 98100059),
          _prov("Mentaal Jong", 98100066))
_J_RES = (_prov("Het Anker Jeugdzorg", 98100073), _prov("Kinderhuis De Wilg", 98100080))
_J_PLEEG = (_prov("Pleegzorg Oost", 98100097), _prov("Gezinshuizen De Boog", 98100103))
_J_GI = (_prov("Stichting Jeugdbescherming Oost", 98100110),
         _prov("Jeugdbescherming Regio Twentevlak", 98100127))
_W_HBH = (_prov("Thuiszorg De Linde", 98200014), _prov("Zorggroep Essenhof", 98200021),
          _prov("Schoon & Thuis BV", 98200038))
_W_BEG = (_prov("Begeleiding Op Maat", 98200045), _prov("Stichting De Brug", 98200052),
          _prov("Zorgcoöperatie Samen", 98200069))
_W_DAG = (_prov("Dagbesteding De Werkplaats", 98200076), _prov("Zorgboerderij Het Veld", 98200083))
_W_BW = (_prov("Beschermd Wonen De Haven", 98200090), _prov("Woonzorg Het Baken", 98200106))
_P_GEM = ("Gemeente, team Werk en Inkomen",)
_P_SHV = ("Kredietbank Demoregio",)
_P_REI = ("Werkbedrijf Demoregio", "Re-integratiebureau Stap Verder")

PRODUCTS: tuple[Product, ...] = (
    # Jeugd (JZ020); tariffs from domain brief 4.2 (2024) or its estimates.
    Product("j_amb", "jeugd", "45", "45A48", "Jeugdhulp ambulant regulier (HBO)", "04", "2",
             7800, (1, 2, 3, 4), (0.25, 0.4, 0.25, 0.1), median_days=290, renew_p=0.35,
             open_p=0.1, pgb_p=0.125, providers=_J_AMB, referrer="ambulant"),
    Product("j_amb_spec", "jeugd", "45", "45A50", "Jeugdhulp ambulant specialistisch", "04", "2",
             9500, (1, 2, 3), (0.35, 0.45, 0.2), median_days=350, renew_p=0.3, open_p=0.05,
             pgb_p=0.1, providers=_J_AMB, referrer="ambulant"),
    Product("j_ggz", "jeugd", "54", "54001", "Jeugd-GGZ diagnostiek en behandeling (HBO)", "04",
             "6", 7560, (12, 20, 30, 45, 60), (0.15, 0.3, 0.3, 0.15, 0.1), median_days=290,
             sigma=0.4, renew_p=0.25, pgb_p=0.062, providers=_J_GGZ, referrer="ggz"),
    Product("j_ggz_wo", "jeugd", "54", "54002", "Jeugd-GGZ behandeling (WO)", "04", "2", 11160,
             (1, 2), (0.7, 0.3), median_days=350, renew_p=0.3, open_p=0.05, pgb_p=0.062,
             providers=_J_GGZ, referrer="ggz"),
    Product("j_dag", "jeugd", "41", "41A00", "Dagbehandeling A", "16", "2", 6882,
             (2, 4, 6, 8), (0.2, 0.35, 0.3, 0.15), median_days=440, renew_p=0.3, open_p=0.05,
             providers=_J_GGZ, referrer="dag"),
    Product("j_res", "jeugd", "43", "43A01", "Residentiële jeugdhulp behandelgroep", "14", "2",
             31000, (7,), (1.0,), median_days=480, sigma=0.6, renew_p=0.45, open_p=0.1,
             providers=_J_RES, referrer="verblijf"),
    Product("j_res_int", "jeugd", "43", "43A02", "Residentiële jeugdhulp intensief", "14", "1",
             42000, (1,), (1.0,), median_days=390, sigma=0.6, renew_p=0.4, open_p=0.1,
             providers=_J_RES, referrer="verblijf"),
    Product("j_gezinshuis", "jeugd", "44", "44A08", "Verblijf gezinshuis", "14", "1", 16359,
             (1,), (1.0,), median_days=730, sigma=0.6, renew_p=0.5, open_p=0.2,
             providers=_J_PLEEG, referrer="verblijf"),
    Product("j_pleeg", "jeugd", "44", "44A12", "Pleegzorg inclusief begeleiding", "14", "1",
             4500, (1,), (1.0,), median_days=870, sigma=0.6, renew_p=0.5, open_p=0.3,
             providers=_J_PLEEG, referrer="verblijf"),
    Product("j_ots", "jeugd", "48", "48A01", "Ondertoezichtstelling (OTS)", "82", "4", 125000,
             (1,), (1.0,), median_days=530, sigma=0.15, renew_p=0.55, providers=_J_GI,
             referrer="justitie"),
    Product("j_voogdij", "jeugd", "48", "48A03", "Voogdij", "82", "4", 100000, (1,), (1.0,),
             median_days=1060, sigma=0.4, renew_p=0.5, open_p=0.3, providers=_J_GI,
             referrer="justitie"),
    Product("j_jr", "jeugd", "47", "47A01", "Jeugdreclassering toezicht en begeleiding", "82",
             "4", 80000, (1,), (1.0,), median_days=350, sigma=0.4, renew_p=0.2,
             providers=_J_GI, referrer="justitie"),
    Product("j_budget", "jeugd", "50", None, "Maatwerkarrangement jeugd (budget)", None, None,
             None, budget_range=(300_000, 1_500_000), median_days=260, sigma=0.4, renew_p=0.1,
             providers=_J_AMB, referrer="ambulant"),
    # Wmo (WMO020); tariffs from domain brief 4.1, indexed to 2024.
    Product("w_hbh", "wmo", "01", "01A01", "Hulp bij het huishouden", "04", "2", 3450,
             (2, 3, 4), (0.35, 0.45, 0.2), median_days=780, sigma=0.7, renew_p=0.55,
             open_p=0.5, pgb_p=0.15, providers=_W_HBH),
    Product("w_beg", "wmo", "02", "02A01", "Begeleiding individueel regulier", "04", "2", 7000,
             (1, 2, 3, 4), (0.2, 0.4, 0.3, 0.1), median_days=530, sigma=0.6, renew_p=0.5,
             open_p=0.3, pgb_p=0.15, providers=_W_BEG),
    Product("w_beg_spec", "wmo", "02", "02A02", "Begeleiding individueel specialistisch", "04",
             "2", 7800, (2, 3, 4, 6), (0.3, 0.35, 0.25, 0.1), median_days=530, sigma=0.6,
             renew_p=0.5, open_p=0.25, pgb_p=0.125, providers=_W_BEG),
    Product("w_groep", "wmo", "02", "02A05", "Begeleiding groep (dagdeel)", "16", "2", 4850,
             (1, 2, 3, 4, 5), (0.15, 0.3, 0.25, 0.2, 0.1), median_days=530, sigma=0.6,
             renew_p=0.45, open_p=0.3, pgb_p=0.125, providers=_W_DAG),
    Product("w_dag", "wmo", "07", "07A01", "Dagbesteding", "16", "2", 4650,
             (2, 3, 4, 5, 6), (0.2, 0.3, 0.25, 0.15, 0.1), median_days=780, sigma=0.6,
             renew_p=0.5, open_p=0.4, pgb_p=0.15, providers=_W_DAG),
    Product("w_pv", "wmo", "03", "03A01", "Persoonlijke verzorging", "04", "2", 5850,
             (2, 3, 5, 7), (0.35, 0.35, 0.2, 0.1), median_days=390, sigma=0.7, renew_p=0.4,
             open_p=0.3, pgb_p=0.125, providers=_W_HBH),
    Product("w_bw", "wmo", "15", "15A01", "Beschermd wonen intramuraal", "14", "1", 16500,
             (1,), (1.0,), median_days=1060, sigma=0.5, renew_p=0.5, open_p=0.5, pgb_p=0.125,
             providers=_W_BW),
    Product("w_bw_wi", "wmo", "15", "15A03", "Beschermd wonen wooninitiatief", "14", "2", 12000,
             (7,), (1.0,), median_days=1060, sigma=0.5, renew_p=0.4, open_p=0.5, pgb_p=0.188,
             providers=_W_BW),
    Product("w_kort", "wmo", "02", "02A09", "Kortdurende begeleiding (totaal)", "04", "6", 7000,
             (16, 24, 32, 40), (0.3, 0.35, 0.25, 0.1), median_days=180, sigma=0.4,
             renew_p=0.1, pgb_p=0.062, providers=_W_BEG),
    Product("w_logeer", "wmo", "04", "04A01", "Kortdurend verblijf (logeeropvang)", "14", "4",
             20400, (2, 3, 4, 6), (0.3, 0.3, 0.25, 0.15), median_days=180, sigma=0.6,
             renew_p=0.3, pgb_p=0.125, providers=_W_BW),
    Product("w_budget", "wmo", "06", None, "Maatwerkbudget ondersteuning thuis", None, None,
             None, budget_range=(150_000, 600_000), median_days=260, sigma=0.4, renew_p=0.1,
             providers=_W_BEG),
    # Participatiewet (municipal PW_CATEGORIE list); bijstand is euros per month.
    Product("p_bijst_a", "participatie", "bijstand", "BIJST-A",
             "Algemene bijstand alleenstaande (ouder)", "83", "4", 100, median_days=1310,
             sigma=0.7, renew_p=0.1, open_p=0.6, providers=_P_GEM),
    Product("p_bijst_g", "participatie", "bijstand", "BIJST-G",
             "Algemene bijstand gehuwden/samenwonenden", "83", "4", 100, median_days=1310,
             sigma=0.7, renew_p=0.1, open_p=0.6, providers=_P_GEM),
    Product("p_bb", "participatie", "bijzondere_bijstand", "BB01", "Bijzondere bijstand", "83",
             "6", 100, euro_range=(150.0, 2500.0), median_days=90, sigma=0.6, renew_p=0.3,
             providers=_P_GEM),
    Product("p_shv", "participatie", "schuldhulp", None, "Schuldhulpverlening traject",
             None, None, None, budget_range=(150_000, 350_000), median_days=780, sigma=0.4,
             renew_p=0.05, providers=_P_SHV),
    Product("p_rei", "participatie", "re-integratie", "RE01", "Re-integratietraject", "82", "6",
             320000, (1,), (1.0,), median_days=350, sigma=0.4, renew_p=0.2, providers=_P_REI),
)
PRODUCT_INDEX = {p.key: i for i, p in enumerate(PRODUCTS)}

# Price index path per calendar year (percent); a little noise per law is added.
_INDEX_PATH = {2017: 2.0, 2018: 2.3, 2019: 2.4, 2020: 2.6, 2021: 2.2, 2022: 4.4, 2023: 5.8,
               2024: 5.1, 2025: 3.9, 2026: 3.0}


class Prices:
    """The price index per law and year (a path with a little noise per law) and the tariff
    of every product in every year."""

    def __init__(self, rng: Generator, years: np.ndarray) -> None:
        self.years = years
        self._index(rng)
        self._tariffs()

    def _index(self, rng: Generator) -> None:
        rows = []
        factors: dict[str, dict[int, float]] = {}
        for law in ("jeugd", "wmo", "participatie"):
            noise = rng.normal(0.0, 0.35, size=len(self.years))
            pct = {int(y): float(np.clip(round(_INDEX_PATH.get(int(y), 3.0) + n, 1), 2.0, 6.0))
                   for y, n in zip(self.years, noise, strict=True)}
            rows += [(y, law, p) for y, p in pct.items()]
            # Cumulative factor relative to TARIFF_BASE_YEAR.
            fac = {TARIFF_BASE_YEAR: 1.0}
            for y in range(TARIFF_BASE_YEAR + 1, int(self.years[-1]) + 1):
                fac[y] = fac[y - 1] * (1 + pct.get(y, 3.0) / 100)
            for y in range(TARIFF_BASE_YEAR - 1, int(self.years[0]) - 1, -1):
                fac[y] = fac[y + 1] / (1 + pct.get(y + 1, 3.0) / 100)
            factors[law] = fac
        self.price_index_rows = rows
        self.index_factor = factors

    def tariff_for(self, product: Product, year: int) -> int:
        """The product's tariff in `year` in cents (a euro-unit product: 100, one euro)."""
        assert product.tariff_cents is not None
        if product.unit == costs.EURO_UNIT:
            return product.tariff_cents
        return int(round(product.tariff_cents * self.index_factor[product.law][year]))

    def _tariffs(self) -> None:
        rows = []
        last = int(self.years[-1])
        for p in PRODUCTS:
            if p.code is None:
                continue
            for y in self.years.tolist():
                rows.append((p.law, p.code, f"{y}-01-01", None if y == last else f"{y}-12-31",
                             self.tariff_for(p, y), p.unit))
        self.tariff_rows = rows
