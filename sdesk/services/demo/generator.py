"""Synthetic demo municipality (`sdesk demo`): households, allocations, claims, budget, ...

Everything is drawn from one numpy Generator seeded by the caller, so a seed always gives the
same database; no wall-clock date is used. The data are built as numpy arrays and written in
one transaction with executemany, which keeps the "medium" preset (~1M claim lines) well
under a minute.

Shape of the data (what the screens and KPIs need to show something sensible):
- households belong to one need profile (older people with Wmo, families with a child in
  jeugdhulp, income support, adults with begeleiding, multi-problem families); each profile
  draws care "episodes" around a household anchor date, an episode being a chain of
  allocations (renewals) of one product for one person;
- multi-problem families cluster residential youth care, child protection, begeleiding,
  bijstand and debt help in the same years, which puts about half of all cost in under 5 % of
  the households and some households above EUR 100,000 a year;
- claims are monthly, equal to the month's commitment (sdesk.services.platform.costs) times an
  uitnutting drawn per allocation in [0.75, 0.95];
- the referrer (COD327) of youth episodes is balanced so that about half of youth cost comes
  via third parties.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from numpy.random import PCG64, Generator
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from sdesk.services.platform import costs
from sdesk.services.platform.bulk import executemany
from sdesk.services.platform.errors import SdeskError

ProgressFn = Callable[[float, str], None]

DEMO_UNTIL = date(2026, 10, 31)  # last day with claims
HISTORY_YEARS = 5
LEAD_YEARS = 10  # allocations may start this long before the history and still run in it
TARIFF_BASE_YEAR = 2024
CLAIM_CHUNK = 200_000


@dataclass(frozen=True)
class SizePreset:
    inhabitants: int
    allocations: int  # aimed at; the generator lands within a few percent
    claims: int  # roughly expected, for documentation


SIZES: dict[str, SizePreset] = {
    "tiny": SizePreset(5_000, 300, 4_500),
    "small": SizePreset(30_000, 10_000, 150_000),
    "medium": SizePreset(80_000, 60_000, 1_000_000),
    "large": SizePreset(250_000, 200_000, 3_500_000),
    "g4": SizePreset(900_000, 700_000, 12_000_000),
}


@dataclass(frozen=True)
class DemoSummary:
    households: int
    persons: int
    employees: int
    allocations: int
    claims: int
    seconds: float

    def as_dict(self) -> dict[str, int | float]:
        return asdict(self)


def history_start(until: date) -> date:
    """First day of the claim history: HISTORY_YEARS before `until`, the day after."""
    try:
        back = until.replace(year=until.year - HISTORY_YEARS)
    except ValueError:  # 29 February
        back = until.replace(year=until.year - HISTORY_YEARS, day=28)
    return back + timedelta(days=1)


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Product:
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
    referrer: str = "gemeente"  # referrer profile, see _REFERRERS


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

_PRODUCTS: tuple[_Product, ...] = (
    # Jeugd (JZ020); tariffs from domain brief 4.2 (2024) or its estimates.
    _Product("j_amb", "jeugd", "45", "45A48", "Jeugdhulp ambulant regulier (HBO)", "04", "2",
             7800, (1, 2, 3, 4), (0.25, 0.4, 0.25, 0.1), median_days=290, renew_p=0.35,
             open_p=0.1, pgb_p=0.125, providers=_J_AMB, referrer="ambulant"),
    _Product("j_amb_spec", "jeugd", "45", "45A50", "Jeugdhulp ambulant specialistisch", "04", "2",
             9500, (1, 2, 3), (0.35, 0.45, 0.2), median_days=350, renew_p=0.3, open_p=0.05,
             pgb_p=0.1, providers=_J_AMB, referrer="ambulant"),
    _Product("j_ggz", "jeugd", "54", "54001", "Jeugd-GGZ diagnostiek en behandeling (HBO)", "04",
             "6", 7560, (12, 20, 30, 45, 60), (0.15, 0.3, 0.3, 0.15, 0.1), median_days=290,
             sigma=0.4, renew_p=0.25, pgb_p=0.062, providers=_J_GGZ, referrer="ggz"),
    _Product("j_ggz_wo", "jeugd", "54", "54002", "Jeugd-GGZ behandeling (WO)", "04", "2", 11160,
             (1, 2), (0.7, 0.3), median_days=350, renew_p=0.3, open_p=0.05, pgb_p=0.062,
             providers=_J_GGZ, referrer="ggz"),
    _Product("j_dag", "jeugd", "41", "41A00", "Dagbehandeling A", "16", "2", 6882,
             (2, 4, 6, 8), (0.2, 0.35, 0.3, 0.15), median_days=440, renew_p=0.3, open_p=0.05,
             providers=_J_GGZ, referrer="dag"),
    _Product("j_res", "jeugd", "43", "43A01", "Residentiële jeugdhulp behandelgroep", "14", "2",
             31000, (7,), (1.0,), median_days=480, sigma=0.6, renew_p=0.45, open_p=0.1,
             providers=_J_RES, referrer="verblijf"),
    _Product("j_res_int", "jeugd", "43", "43A02", "Residentiële jeugdhulp intensief", "14", "1",
             42000, (1,), (1.0,), median_days=390, sigma=0.6, renew_p=0.4, open_p=0.1,
             providers=_J_RES, referrer="verblijf"),
    _Product("j_gezinshuis", "jeugd", "44", "44A08", "Verblijf gezinshuis", "14", "1", 16359,
             (1,), (1.0,), median_days=730, sigma=0.6, renew_p=0.5, open_p=0.2,
             providers=_J_PLEEG, referrer="verblijf"),
    _Product("j_pleeg", "jeugd", "44", "44A12", "Pleegzorg inclusief begeleiding", "14", "1",
             4500, (1,), (1.0,), median_days=870, sigma=0.6, renew_p=0.5, open_p=0.3,
             providers=_J_PLEEG, referrer="verblijf"),
    _Product("j_ots", "jeugd", "48", "48A01", "Ondertoezichtstelling (OTS)", "82", "4", 125000,
             (1,), (1.0,), median_days=530, sigma=0.15, renew_p=0.55, providers=_J_GI,
             referrer="justitie"),
    _Product("j_voogdij", "jeugd", "48", "48A03", "Voogdij", "82", "4", 100000, (1,), (1.0,),
             median_days=1060, sigma=0.4, renew_p=0.5, open_p=0.3, providers=_J_GI,
             referrer="justitie"),
    _Product("j_jr", "jeugd", "47", "47A01", "Jeugdreclassering toezicht en begeleiding", "82",
             "4", 80000, (1,), (1.0,), median_days=350, sigma=0.4, renew_p=0.2,
             providers=_J_GI, referrer="justitie"),
    _Product("j_budget", "jeugd", "50", None, "Maatwerkarrangement jeugd (budget)", None, None,
             None, budget_range=(300_000, 1_500_000), median_days=260, sigma=0.4, renew_p=0.1,
             providers=_J_AMB, referrer="ambulant"),
    # Wmo (WMO020); tariffs from domain brief 4.1, indexed to 2024.
    _Product("w_hbh", "wmo", "01", "01A01", "Hulp bij het huishouden", "04", "2", 3450,
             (2, 3, 4), (0.35, 0.45, 0.2), median_days=780, sigma=0.7, renew_p=0.55,
             open_p=0.5, pgb_p=0.15, providers=_W_HBH),
    _Product("w_beg", "wmo", "02", "02A01", "Begeleiding individueel regulier", "04", "2", 7000,
             (1, 2, 3, 4), (0.2, 0.4, 0.3, 0.1), median_days=530, sigma=0.6, renew_p=0.5,
             open_p=0.3, pgb_p=0.15, providers=_W_BEG),
    _Product("w_beg_spec", "wmo", "02", "02A02", "Begeleiding individueel specialistisch", "04",
             "2", 7800, (2, 3, 4, 6), (0.3, 0.35, 0.25, 0.1), median_days=530, sigma=0.6,
             renew_p=0.5, open_p=0.25, pgb_p=0.125, providers=_W_BEG),
    _Product("w_groep", "wmo", "02", "02A05", "Begeleiding groep (dagdeel)", "16", "2", 4850,
             (1, 2, 3, 4, 5), (0.15, 0.3, 0.25, 0.2, 0.1), median_days=530, sigma=0.6,
             renew_p=0.45, open_p=0.3, pgb_p=0.125, providers=_W_DAG),
    _Product("w_dag", "wmo", "07", "07A01", "Dagbesteding", "16", "2", 4650,
             (2, 3, 4, 5, 6), (0.2, 0.3, 0.25, 0.15, 0.1), median_days=780, sigma=0.6,
             renew_p=0.5, open_p=0.4, pgb_p=0.15, providers=_W_DAG),
    _Product("w_pv", "wmo", "03", "03A01", "Persoonlijke verzorging", "04", "2", 5850,
             (2, 3, 5, 7), (0.35, 0.35, 0.2, 0.1), median_days=390, sigma=0.7, renew_p=0.4,
             open_p=0.3, pgb_p=0.125, providers=_W_HBH),
    _Product("w_bw", "wmo", "15", "15A01", "Beschermd wonen intramuraal", "14", "1", 16500,
             (1,), (1.0,), median_days=1060, sigma=0.5, renew_p=0.5, open_p=0.5, pgb_p=0.125,
             providers=_W_BW),
    _Product("w_bw_wi", "wmo", "15", "15A03", "Beschermd wonen wooninitiatief", "14", "2", 12000,
             (7,), (1.0,), median_days=1060, sigma=0.5, renew_p=0.4, open_p=0.5, pgb_p=0.188,
             providers=_W_BW),
    _Product("w_kort", "wmo", "02", "02A09", "Kortdurende begeleiding (totaal)", "04", "6", 7000,
             (16, 24, 32, 40), (0.3, 0.35, 0.25, 0.1), median_days=180, sigma=0.4,
             renew_p=0.1, pgb_p=0.062, providers=_W_BEG),
    _Product("w_logeer", "wmo", "04", "04A01", "Kortdurend verblijf (logeeropvang)", "14", "4",
             20400, (2, 3, 4, 6), (0.3, 0.3, 0.25, 0.15), median_days=180, sigma=0.6,
             renew_p=0.3, pgb_p=0.125, providers=_W_BW),
    _Product("w_budget", "wmo", "06", None, "Maatwerkbudget ondersteuning thuis", None, None,
             None, budget_range=(150_000, 600_000), median_days=260, sigma=0.4, renew_p=0.1,
             providers=_W_BEG),
    # Participatiewet (municipal PW_CATEGORIE list); bijstand is euros per month.
    _Product("p_bijst_a", "participatie", "bijstand", "BIJST-A",
             "Algemene bijstand alleenstaande (ouder)", "83", "4", 100, median_days=1310,
             sigma=0.7, renew_p=0.1, open_p=0.6, providers=_P_GEM),
    _Product("p_bijst_g", "participatie", "bijstand", "BIJST-G",
             "Algemene bijstand gehuwden/samenwonenden", "83", "4", 100, median_days=1310,
             sigma=0.7, renew_p=0.1, open_p=0.6, providers=_P_GEM),
    _Product("p_bb", "participatie", "bijzondere_bijstand", "BB01", "Bijzondere bijstand", "83",
             "6", 100, euro_range=(150.0, 2500.0), median_days=90, sigma=0.6, renew_p=0.3,
             providers=_P_GEM),
    _Product("p_shv", "participatie", "schuldhulp", None, "Schuldhulpverlening traject",
             None, None, None, budget_range=(150_000, 350_000), median_days=780, sigma=0.4,
             renew_p=0.05, providers=_P_SHV),
    _Product("p_rei", "participatie", "re-integratie", "RE01", "Re-integratietraject", "82", "6",
             320000, (1,), (1.0,), median_days=350, sigma=0.4, renew_p=0.2, providers=_P_REI),
)
_PRODUCT_INDEX = {p.key: i for i, p in enumerate(_PRODUCTS)}

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

# --------------------------------------------------------------------------------------------
# Households
# --------------------------------------------------------------------------------------------

_PROFILES = ("oudere", "jeugd", "inkomen", "volwassene", "multi")
_PROFILE_P = (0.33, 0.265, 0.22, 0.13, 0.055)
_COMPOSITIONS = ("alleenstaand", "paar zonder kinderen", "eenoudergezin", "gezin met kinderen")
# Per profile: probabilities of the four compositions above.
_COMPOSITION_P = {
    "oudere": (0.68, 0.32, 0.0, 0.0),
    "jeugd": (0.0, 0.0, 0.35, 0.65),
    "inkomen": (0.55, 0.1, 0.25, 0.1),
    "volwassene": (0.75, 0.1, 0.15, 0.0),
    "multi": (0.0, 0.0, 0.5, 0.5),
}
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

# Allocations per generated household, measured; used to size the household draw.
_ALLOCATIONS_PER_HOUSEHOLD = 1.6

_WIJKEN = (("Centrum", "7551"), ("Noord", "7552"), ("Oost", "7553"), ("Zuid", "7554"),
           ("West", "7555"), ("Havenkwartier", "7556"), ("Tuindorp", "7557"),
           ("De Esch", "7558"), ("Molenbroek", "7559"), ("Het Lint", "7560"),
           ("Veldhoek", "7561"), ("Kerkakkers", "7562"))
# Vulnerable neighbourhoods (Havenkwartier, Molenbroek, West) get more income and multi cases.
_WIJK_WEIGHT_DEFAULT = np.array([1.0] * len(_WIJKEN))
_WIJK_WEIGHT_VULNERABLE = np.array([1.0, 0.8, 0.8, 0.8, 2.0, 3.0, 1.0, 0.6, 2.5, 0.8, 0.6, 0.6])
_POSTCODE_LETTERS = np.array(list("ABCEGHJKLMNPRTVWXZ"))

_FIRST_M = ("Jan", "Pieter", "Kees", "Willem", "Hendrik", "Gerrit", "Johan", "Mark", "Dennis",
            "Sander", "Bas", "Thijs", "Daan", "Lucas", "Sem", "Finn", "Milan", "Levi", "Noah",
            "Jesse", "Ahmed", "Mohamed", "Youssef", "Kevin", "Ruben", "Tim", "Stefan", "Erik",
            "Henk", "Bram")
_FIRST_V = ("Maria", "Anna", "Johanna", "Cornelia", "Elisabeth", "Wilhelmina", "Sandra",
            "Linda", "Ingrid", "Monique", "Esther", "Sanne", "Lisa", "Emma", "Julia", "Sophie",
            "Tess", "Zoë", "Mila", "Noor", "Fatima", "Sara", "Yasmina", "Anouk", "Iris",
            "Femke", "Lotte", "Eva", "Marieke", "Ria")
_FIRST_O = ("Sam", "Robin", "Kim", "Noa", "Alex", "Charlie")
_LAST = ("de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
         "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
         "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
         "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen",
         "van den Heuvel", "van der Veen", "van den Broek", "de Bruijn", "de Bruin",
         "van der Heijden", "Schouten", "van Beek", "Willems", "van Vliet", "Hoekstra",
         "Maas", "Verhoeven", "Koster", "van Dam", "Yilmaz", "El Amrani", "Kaya", "Nijhuis",
         "Oude Wolbers", "Kamphuis", "Lammers", "Wessels", "Bruggink", "Haverkamp")

# Price index path per calendar year (percent); a little noise per law is added.
_INDEX_PATH = {2017: 2.0, 2018: 2.3, 2019: 2.4, 2020: 2.6, 2021: 2.2, 2022: 4.4, 2023: 5.8,
               2024: 5.1, 2025: 3.9, 2026: 3.0}

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


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _d64(value: date) -> np.datetime64:
    return np.datetime64(value.isoformat(), "D")


def _iso(values: np.ndarray) -> list[str | None]:
    """datetime64[D] array to ISO strings, NaT to None (the way SQLAlchemy stores Date)."""
    text = np.datetime_as_string(values, unit="D").astype(object)
    text[np.isnat(values)] = None
    return text.tolist()


def _nullable(values: np.ndarray, missing: np.ndarray) -> list[object]:
    out = values.astype(object)
    out[missing] = None
    return out.tolist()


def _choice(rng: Generator, options: Sequence[str], p: Sequence[float], n: int) -> np.ndarray:
    probs = np.asarray(p, dtype="float64")
    picked = rng.choice(len(options), size=n, p=probs / probs.sum())
    return np.asarray(options, dtype=object)[picked]


def _group_offsets(counts: np.ndarray) -> np.ndarray:
    """Position of each repeated element within its group (0, 1, ... per group)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


def demo_bsns() -> np.ndarray:
    """All 9999xxxxx numbers that pass the BSN 11-proef (there are about 9,090)."""
    tail = np.arange(100_000)
    digits = [(tail // 10 ** (4 - i)) % 10 for i in range(5)]  # d5..d9
    fixed = 9 * (9 + 8 + 7 + 6)
    total = fixed + 5 * digits[0] + 4 * digits[1] + 3 * digits[2] + 2 * digits[3] - digits[4]
    return (999_900_000 + tail[total % 11 == 0]).astype(np.int64)


def _report(progress: ProgressFn | None, fraction: float, message: str) -> None:
    if progress is not None:
        progress(min(max(fraction, 0.0), 1.0), message)


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------

class _Demo:
    """Builds all tables as numpy arrays; `_write` stores them."""

    def __init__(self, preset: SizePreset, seed: int, until: date,
                 cost_map: pd.DataFrame) -> None:
        self.preset = preset
        self.rng = Generator(PCG64(seed))
        self.until = until
        self.until64 = _d64(until)
        self.hist64 = _d64(history_start(until))
        self.window_lo = self.hist64 - int(LEAD_YEARS * 365.25)
        first_year = int(str(self.window_lo)[:4])
        self.years = np.arange(first_year, until.year + 1)
        self.cost_map = cost_map

    # ---- reference: price index and tariffs --------------------------------------------------

    def build_index(self) -> None:
        rng = self.rng
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

    def tariff_for(self, product: _Product, year: int) -> int:
        assert product.tariff_cents is not None
        if product.unit == costs.EURO_UNIT:
            return product.tariff_cents
        return int(round(product.tariff_cents * self.index_factor[product.law][year]))

    def build_tariffs(self) -> None:
        rows = []
        last = int(self.years[-1])
        for p in _PRODUCTS:
            if p.code is None:
                continue
            for y in self.years.tolist():
                rows.append((p.law, p.code, f"{y}-01-01", None if y == last else f"{y}-12-31",
                             self.tariff_for(p, y), p.unit))
        self.tariff_rows = rows

    # ---- households and persons ---------------------------------------------------------------

    def build_households(self) -> None:
        rng = self.rng
        n = max(20, int(round(self.preset.allocations / _ALLOCATIONS_PER_HOUSEHOLD)))
        profile = rng.choice(len(_PROFILES), size=n, p=_PROFILE_P)
        comp = np.empty(n, dtype=np.int64)
        for i, name in enumerate(_PROFILES):
            mask = profile == i
            comp[mask] = rng.choice(4, size=int(mask.sum()), p=_COMPOSITION_P[name])
        # Anchor: the moment the household comes into view; the number of new cases grows
        # about 3 % a year, so draw from an exponentially rising density.
        span = int((self.until64 - self.window_lo).astype(np.int64))
        growth = 0.03 / 365.0
        u = rng.random(n)
        offset = np.log1p(u * np.expm1(growth * span)) / growth
        anchor = self.window_lo + offset.astype(np.int64)

        vulnerable = np.isin(profile, (_PROFILES.index("inkomen"), _PROFILES.index("multi")))
        weights_v = _WIJK_WEIGHT_VULNERABLE / _WIJK_WEIGHT_VULNERABLE.sum()
        weights_d = _WIJK_WEIGHT_DEFAULT / _WIJK_WEIGHT_DEFAULT.sum()
        wijk = np.where(vulnerable, rng.choice(len(_WIJKEN), size=n, p=weights_v),
                        rng.choice(len(_WIJKEN), size=n, p=weights_d))
        letters = rng.integers(0, len(_POSTCODE_LETTERS), size=(n, 2))
        prefix = np.array([w[1] for w in _WIJKEN], dtype=object)[wijk]
        postcode = (prefix + _POSTCODE_LETTERS[letters[:, 0]].astype(object)
                    + _POSTCODE_LETTERS[letters[:, 1]].astype(object))

        adults = np.where(np.isin(comp, (1, 3)), 2, 1)
        is_multi = profile == _PROFILES.index("multi")
        kids = np.zeros(n, dtype=np.int64)
        has_kids = np.isin(comp, (2, 3))
        kid_draw = rng.choice(4, size=n, p=(0.35, 0.4, 0.18, 0.07)) + 1  # 1..4
        multi_draw = rng.choice(3, size=n, p=(0.35, 0.4, 0.25)) + 2  # 2..4
        kids[has_kids] = np.where(is_multi, multi_draw, kid_draw)[has_kids]

        self.hh_profile = profile
        self.hh_comp = comp
        self.hh_anchor = anchor
        self.hh_wijk = wijk
        self.hh_postcode = postcode
        self.hh_last = rng.integers(0, len(_LAST), size=n)

        # Members: adults first, then children.
        size = adults + kids
        member_hh = np.repeat(np.arange(n), size)
        pos = _group_offsets(size)
        is_kid = pos >= np.repeat(adults, size)
        m = len(member_hh)
        old = profile[member_hh] == _PROFILES.index("oudere")
        age_years = np.where(old, rng.uniform(66, 94, m), rng.uniform(21, 62, m))
        # Parents are 20-40 years older than their eldest child.
        kid_age = rng.uniform(0.5, 17.0, m)
        age_years = np.where(is_kid, kid_age, age_years)
        if m:
            eldest = pd.Series(np.where(is_kid, kid_age, 0.0)).groupby(member_hh).transform("max")
            parent_age = eldest.to_numpy() + rng.uniform(20, 40, m)
            needs_parent_age = ~is_kid & (np.repeat(kids, size) > 0)
            age_years = np.where(needs_parent_age, np.minimum(parent_age, 62), age_years)
        birth = anchor[member_hh] - (age_years * 365.25).astype(np.int64)

        gender = rng.choice(2, size=m, p=(0.5, 0.5))  # 0 M, 1 V
        # Single parents are mostly mothers; the second adult of a couple mostly the other sex.
        single_parent = (self.hh_comp[member_hh] == 2) & (pos == 0)
        gender = np.where(single_parent, (rng.random(m) < 0.82).astype(np.int64), gender)
        second = (pos == 1) & ~is_kid
        first_gender = np.repeat(gender[np.cumsum(size) - size], size)
        gender = np.where(second & (rng.random(m) < 0.95), 1 - first_gender, gender)
        gender_code = np.array(["M", "V"], dtype=object)[gender]
        other = rng.random(m) < 0.004
        gender_code[other] = "O"
        first = np.where(gender == 0, rng.integers(0, len(_FIRST_M), m),
                         rng.integers(0, len(_FIRST_V), m))
        first_name = np.where(gender == 0, np.array(_FIRST_M, dtype=object)[first % len(_FIRST_M)],
                              np.array(_FIRST_V, dtype=object)[first % len(_FIRST_V)])
        first_name[other] = np.array(_FIRST_O, dtype=object)[rng.integers(0, len(_FIRST_O),
                                                                           int(other.sum()))]
        # The second adult keeps an own surname in half the couples.
        own_name = second & (rng.random(m) < 0.5)
        last = np.where(own_name, rng.integers(0, len(_LAST), m), self.hh_last[member_hh])

        self.p_hh = member_hh
        self.p_pos = pos
        self.p_is_kid = is_kid
        self.p_birth = birth
        self.p_gender = gender_code
        self.p_first = first_name
        self.p_last = np.array(_LAST, dtype=object)[last]
        self.hh_first_member = np.cumsum(size) - size
        self.hh_adults = adults
        self.hh_size = size

    # ---- episodes and allocations -------------------------------------------------------------

    def _episodes(self) -> tuple[np.ndarray, np.ndarray]:
        """(person index, product index) of every care episode."""
        rng = self.rng
        persons: list[np.ndarray] = []
        products: list[np.ndarray] = []
        n_hh = len(self.hh_profile)
        got = np.zeros(n_hh, dtype=bool)
        is_two_adults = self.hh_adults == 2

        def product_for(key: str, person: np.ndarray) -> np.ndarray:
            if key == "p_bijst":  # the norm follows the household
                couple = is_two_adults[self.p_hh[person]]
                return np.where(couple, _PRODUCT_INDEX["p_bijst_g"], _PRODUCT_INDEX["p_bijst_a"])
            return np.full(len(person), _PRODUCT_INDEX[key])

        for pi, name in enumerate(_PROFILES):
            hh = np.flatnonzero(self.hh_profile == pi)
            for key, member, prob in _RULES[name]:
                if member == "kid":
                    cand = np.flatnonzero(self.p_is_kid & (self.hh_profile[self.p_hh] == pi))
                    if key == "j_jr":  # jeugdreclassering only from age 12
                        age = (self.hh_anchor[self.p_hh[cand]] - self.p_birth[cand]) / 365.25
                        cand = cand[age >= 12]
                elif member == "a1":
                    cand = self.hh_first_member[hh]
                else:
                    cand = self.hh_first_member[hh[is_two_adults[hh]]] + 1
                chosen = cand[rng.random(len(cand)) < prob]
                persons.append(chosen)
                products.append(product_for(key, chosen))
                got[self.p_hh[chosen]] = True
            # Every household is somebody's client: fall back to the profile's typical product.
            missing = hh[~got[hh]]
            key, member = _FALLBACK[name]
            if member == "kid":
                first_kid = self.hh_first_member[missing] + self.hh_adults[missing]
                ok = first_kid < self.hh_first_member[missing] + self.hh_size[missing]
                chosen = first_kid[ok]
            else:
                chosen = self.hh_first_member[missing]
            persons.append(chosen)
            products.append(product_for(key, chosen))
        return np.concatenate(persons), np.concatenate(products)

    def build_allocations(self) -> None:
        rng = self.rng
        ep_person, ep_prod = self._episodes()
        order = np.lexsort((ep_prod, ep_person))
        ep_person, ep_prod = ep_person[order], ep_prod[order]
        n_ep = len(ep_person)
        ep_hh = self.p_hh[ep_person]
        prof = self.hh_profile[ep_hh]
        spread = np.array([_EPISODE_SPREAD[p] for p in _PROFILES])[prof]
        ep_start = self.hh_anchor[ep_hh] + (rng.exponential(1.0, n_ep) * spread * 365).astype(
            np.int64)

        renew = np.array([p.renew_p for p in _PRODUCTS])[ep_prod]
        n_seg = np.minimum(rng.geometric(1.0 - renew), 8)
        # Episode-level attributes (constant over renewals).
        ep_provider = np.empty(n_ep, dtype=object)
        ep_referrer = np.empty(n_ep, dtype=object)
        ep_pgb = np.zeros(n_ep, dtype=bool)
        for i, p in enumerate(_PRODUCTS):
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
        seg_no = _group_offsets(n_seg)
        prod = ep_prod[seg_ep]
        median = np.array([p.median_days for p in _PRODUCTS], dtype="float64")[prod]
        sigma = np.array([p.sigma for p in _PRODUCTS])[prod]
        dur = np.clip(np.exp(np.log(median) + sigma * rng.standard_normal(len(seg_ep))), 28,
                      5 * 365).astype(np.int64)
        cum = np.cumsum(dur)
        first_of_ep = np.repeat(np.cumsum(n_seg) - n_seg, n_seg)
        before = cum - dur - (cum[first_of_ep] - dur[first_of_ep])
        start = ep_start[seg_ep] + before
        end = start + dur - 1
        last_seg = seg_no == n_seg[seg_ep] - 1

        # Youth care stops at 18: cut the allocation at the birthday, drop what follows.
        law = np.array([p.law for p in _PRODUCTS], dtype=object)[prod]
        person = ep_person[seg_ep]
        eighteen = self.p_birth[person] + int(18 * 365.25)
        jeugd = law == "jeugd"
        adult_cut = jeugd & (end >= eighteen)
        keep = ~(jeugd & (start >= eighteen))
        end = np.where(adult_cut, eighteen - 1, end)
        to_adult = adult_cut & keep

        keep &= (start <= self.until64) & (end >= self.hist64)
        # Episodes whose later segments were cut become shorter: a kept segment is "last" when
        # the next one of the same episode is not kept.
        next_kept = np.zeros(len(keep), dtype=bool)
        next_kept[:-1] = keep[1:] & (seg_ep[1:] == seg_ep[:-1])
        last_seg = last_seg | ~next_kept

        idx = np.flatnonzero(keep)
        prod, start, end, last_seg = prod[idx], start[idx], end[idx], last_seg[idx]
        seg_ep, to_adult, law, person = seg_ep[idx], to_adult[idx], law[idx], person[idx]
        n = len(idx)

        products = _PRODUCTS
        unit = np.array([p.unit for p in products], dtype=object)[prod]
        freq = np.array([p.frequency for p in products], dtype=object)[prod]
        is_budget = np.array([p.budget_range is not None for p in products])[prod]
        needs_end = is_budget | (freq == costs.TOTAL_WITHIN_PERIOD)
        open_p = np.array([p.open_p for p in products])[prod]
        running = end > self.until64
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
                norm = np.array([_NORM_2024[p.key] * self.index_factor["participatie"][int(y)]
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
            base = np.array([self.tariff_for(p, int(y)) for y in range(int(self.years[0]),
                                                                       int(self.years[-1]) + 1)])
            t = base[years - int(self.years[0])].astype("float64")
            # pgb budgets are paid at 90 % of the ZIN tariff.
            if p.unit != costs.EURO_UNIT:
                t = np.where(pgb[mask], np.round(t * 0.9), t)
            tariff[mask] = t

        # Reasons: renewals end "volgens plan" or by a change request; final ends get a mix
        # that includes the drop-outs (32/33 jeugd, 21/22 wmo).
        ended = ~np.isnat(end) & (end <= self.until64)
        end_reason = np.full(n, None, dtype=object)
        old = self.hh_profile[self.p_hh[person]] == _PROFILES.index("oudere")
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
        hbh = prod == _PRODUCT_INDEX["w_hbh"]
        provision[hbh & (rng.random(n) < 0.05)] = "algemeen"
        groep = prod == _PRODUCT_INDEX["w_groep"]
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

    def build_claims(self) -> None:
        rng = self.rng
        frame = pd.DataFrame({
            "start_date": self.a_start, "end_date": self.a_end, "volume": self.a_volume,
            "unit": self.a_unit, "frequency": self.a_freq, "tariff_cents": self.a_tariff,
            "budget_cents": self.a_budget,
        })
        rate = costs.daily_rates(frame)
        lo = np.maximum(self.a_start, self.hist64)
        hi = np.minimum(np.where(np.isnat(self.a_end), self.until64, self.a_end), self.until64)
        m_lo = lo.astype("datetime64[M]").astype(np.int64)
        m_hi = hi.astype("datetime64[M]").astype(np.int64)
        n_months = np.maximum(m_hi - m_lo + 1, 0)
        # One line per allocation per month; built in place, as g4 has over 10M lines.
        alloc = np.repeat(np.arange(len(lo), dtype=np.int32), n_months)
        month = m_lo[alloc] + _group_offsets(n_months)
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
        sign[_group_offsets(rep) == 1] = -1
        self.c_alloc = alloc[src]
        self.c_start = p_start[src]
        self.c_end = p_end[src]
        self.c_amount = amount[src] * sign
        self.c_volume = volume[src]

    def balance_referrers(self) -> None:
        """Tune youth referrers so that third parties account for 45-55 % of youth cost."""
        rng = self.rng
        cost_alloc = np.bincount(self.c_alloc, weights=self.c_amount, minlength=len(self.a_ep))
        cost_ep = np.bincount(self.a_ep, weights=cost_alloc, minlength=len(self.ep_u))
        ep_prod = np.zeros(len(self.ep_u), dtype=np.int64)
        ep_prod[self.a_ep] = self.a_prod
        ep_used = np.zeros(len(self.ep_u), dtype=bool)
        ep_used[self.a_ep] = True
        profile = np.array([_PRODUCTS[i].referrer for i in range(len(_PRODUCTS))],
                           dtype=object)[ep_prod]
        youth = ep_used & (np.array([p.law for p in _PRODUCTS], dtype=object)[ep_prod] == "jeugd")
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

    # ---- employees ----------------------------------------------------------------------------

    def build_employees(self) -> None:
        rng = self.rng
        # Bigger municipalities split each law's team by region.
        size = self.preset.allocations
        n_regions = 1 if size <= 20_000 else 2 if size <= 100_000 else 4 if size <= 300_000 else 8
        regions = ("Noord", "Zuid", "Oost", "West", "Centrum", "Stad", "Haven", "Buiten")
        regions = regions[:n_regions]
        law_team = {"jeugd": "Jeugd en Gezin", "wmo": "Wmo", "participatie": "Werk en Inkomen"}
        # Team t = law_order * n_regions + region; the last team holds the controllers.
        team_names = [law_team[lw] if n_regions == 1 else f"{law_team[lw]} {r}"
                      for lw in ("jeugd", "wmo", "participatie") for r in regions]
        team_names.append("Control en Bedrijfsvoering")

        # Every (household, law) pair has one responsible employee: its team follows the wijk.
        hh = self.p_hh[self.a_person]
        law_order = np.select([self.a_law == "jeugd", self.a_law == "wmo"], [0, 1], 2)
        region = self.hh_wijk[hh] % n_regions
        team = law_order * n_regions + region
        pair = pd.MultiIndex.from_arrays([hh, law_order])
        pair_codes, uniques = pd.factorize(pair)
        pair_team = np.zeros(len(uniques), dtype=np.int64)
        pair_team[pair_codes] = team
        pair_hh = np.array([u[0] for u in uniques], dtype=np.int64)
        pair_multi = self.hh_profile[pair_hh] == _PROFILES.index("multi")

        emp_team: list[int] = []
        emp_role: list[str] = []
        pair_emp = np.zeros(len(uniques), dtype=np.int64)
        for t in range(len(team_names) - 1):
            in_team = pair_team == t
            n_pairs = int(in_team.sum())
            n_km = max(2, int(round(n_pairs / 240)))
            n_pc = max(1, int(round(n_km / 10)))
            base = len(emp_team)
            emp_team += [t] * (1 + n_pc + n_km)
            emp_role += ["teamleider"] + ["procescoordinator"] * n_pc + ["klantmanager"] * n_km
            pc = base + 1 + rng.integers(0, n_pc, n_pairs)
            km = base + 1 + n_pc + rng.integers(0, n_km, n_pairs)
            pair_emp[in_team] = np.where(pair_multi[in_team], pc, km)
        control = len(team_names) - 1
        n_ctrl = 1 + n_regions
        emp_team += [control] * (1 + n_ctrl)
        emp_role += ["teamleider"] + ["controller"] * n_ctrl

        n_emp = len(emp_team)
        gender = rng.random(n_emp) < 0.7  # the social domain is mostly staffed by women
        first = np.where(gender, np.array(_FIRST_V, dtype=object)[rng.integers(0, len(_FIRST_V),
                                                                                n_emp)],
                         np.array(_FIRST_M, dtype=object)[rng.integers(0, len(_FIRST_M), n_emp)])
        last = np.array(_LAST, dtype=object)[rng.integers(0, len(_LAST), n_emp)]
        self.e_name = (first + " " + last).tolist()
        self.e_role = emp_role
        self.e_team = emp_team
        self.e_fte = np.array((0.67, 0.78, 0.89, 1.0))[
            rng.choice(4, size=n_emp, p=(0.15, 0.3, 0.3, 0.25))].tolist()
        self.team_names = team_names
        self.a_employee = pair_emp[pair_codes]

    # ---- interventions ------------------------------------------------------------------------

    def build_interventions(self, kept_hh: np.ndarray) -> None:
        """Non-allocation costs around multi-problem and some other households."""
        rng = self.rng
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
        profile = self.hh_profile[kept_hh]
        multi = kept_hh[profile == _PROFILES.index("multi")]
        other = kept_hh[np.isin(profile, (_PROFILES.index("inkomen"),
                                          _PROFILES.index("volwassene")))]
        rows_hh: list[np.ndarray] = []
        rows_item: list[np.ndarray] = []
        rows_qty: list[np.ndarray] = []
        rows_months: list[np.ndarray] = []
        for group, plan in ((multi, plan_multi), (other, plan_other)):
            for name, prob, (q_lo, q_hi), months in plan:
                if name not in items.index:  # the user may have edited the cost map
                    continue
                chosen = group[rng.random(len(group)) < prob]
                rows_hh.append(chosen)
                rows_item.append(np.full(len(chosen), name, dtype=object))
                rows_qty.append(rng.integers(q_lo, q_hi + 1, len(chosen)).astype("float64"))
                rows_months.append(np.full(len(chosen), months))
        # Rent arrears written off by the housing corporation: an amount, not a cost-map item.
        arrears = np.concatenate([multi[rng.random(len(multi)) < 0.2],
                                  other[rng.random(len(other)) < 0.03]])
        hh = np.concatenate(rows_hh + [arrears])
        item = np.concatenate(rows_item + [np.full(len(arrears), None, dtype=object)])
        qty = np.concatenate(rows_qty + [np.full(len(arrears), np.nan)])
        months = np.concatenate(rows_months + [np.zeros(len(arrears), dtype=np.int64)])
        n = len(hh)
        start = np.maximum(self.hh_anchor[hh] + rng.integers(0, 365, n), self.hist64)
        start = np.minimum(start, self.until64 - 31)
        start = start.astype("datetime64[M]").astype("datetime64[D]") + rng.integers(0, 28, n)
        end = np.where(months > 0,
                       (start.astype("datetime64[M]") + months).astype("datetime64[D]") - 1,
                       start)
        end = np.minimum(end, self.until64)
        own_amount = np.array([i is None for i in item], dtype=bool)
        payer = np.where(own_amount, "woningcorporatie",
                         items["payer"].reindex(item).to_numpy(dtype=object))
        description = np.where(own_amount, "Huurachterstand kwijtgescholden", item)
        amount = np.where(own_amount, np.round(rng.uniform(800, 4000, n)) * 100, np.nan)
        # The person concerned: the eldest child for school and youth justice, else the first
        # adult.
        person = self.hh_first_member[hh]
        child_item = np.isin(item, ("Onderwijs: extra ondersteuning leerling",
                                    "Justitie: jeugdreclassering toezicht"))
        has_child = self.hh_size[hh] > self.hh_adults[hh]
        person = np.where(child_item & has_child, person + self.hh_adults[hh], person)
        frame = pd.DataFrame({"hh": hh, "person": person, "payer": payer,
                              "description": description, "item": item, "qty": qty,
                              "amount": amount, "start": start, "end": end})
        frame = frame.drop_duplicates(["hh", "payer", "description", "start"])
        self.interventions = frame.sort_values(["hh", "start", "description"], kind="stable")

    # ---- budget, inhabitants ------------------------------------------------------------------

    def build_budget(self) -> None:
        rng = self.rng
        group_of: dict[tuple[str, str], int] = {}
        for gi, (lw, _name, cats) in enumerate(_BUDGET_GROUPS):
            for c in cats:
                group_of[(lw, c)] = gi
        a_group = np.array([group_of[(_PRODUCTS[p].law, _PRODUCTS[p].category)]
                            for p in range(len(_PRODUCTS))])[self.a_prod]
        year = self.c_start.astype("datetime64[Y]").astype(np.int64) + 1970
        frame = pd.DataFrame({"year": year, "group": a_group[self.c_alloc],
                              "pgb": self.a_pgb[self.c_alloc], "amount": self.c_amount})
        spend = frame.groupby(["year", "group", "pgb"], sort=True)["amount"].sum()
        first_full = int(str(self.hist64)[:4]) + (0 if str(self.hist64)[5:] == "01-01" else 1)
        last_year = self.until.year
        months_done = self.until.month if self.until.day >= 28 else self.until.month - 1
        rows = []
        for (y, g, is_pgb), value in spend.items():
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

    def build_inhabitants(self) -> None:
        total = self.preset.inhabitants
        years = range(int(str(self.hist64)[:4]), self.until.year + 1)
        rows = []
        for i, y in enumerate(years):
            young = 0.195 - 0.0015 * i  # an ageing population
            old = 0.20 + 0.003 * i
            n_young = int(round(total * young))
            n_old = int(round(total * old))
            rows += [(y, "0-17", n_young), (y, "18-64", total - n_young - n_old), (y, "65+", n_old)]
        self.inhabitant_rows = rows


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _max_id(conn: Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar() or 0)


def _write(conn: Connection, demo: _Demo, progress: ProgressFn | None) -> tuple[int, ...]:
    # Households and persons that have at least one allocation in the history.
    alloc_hh = demo.p_hh[demo.a_person]
    kept_hh = np.unique(alloc_hh)
    hh_id = np.zeros(len(demo.hh_profile), dtype=np.int64)
    hh_id[kept_hh] = np.arange(1, len(kept_hh) + 1)
    kept_p = np.flatnonzero(hh_id[demo.p_hh] > 0)
    p_id = np.zeros(len(demo.p_hh), dtype=np.int64)
    p_id[kept_p] = np.arange(1, len(kept_p) + 1)

    hh_ext = np.array([f"H{i:06d}" for i in range(len(kept_hh) + 1)], dtype=object)
    p_ext = np.array([f"P{i:07d}" for i in range(len(kept_p) + 1)], dtype=object)
    executemany(
        conn, "INSERT INTO household (id, external_id, wijk, postcode, composition) "
        "VALUES (?, ?, ?, ?, ?)",
        list(zip(hh_id[kept_hh].tolist(), hh_ext[1:].tolist(),
                 np.array([w[0] for w in _WIJKEN], dtype=object)[demo.hh_wijk[kept_hh]].tolist(),
                 demo.hh_postcode[kept_hh].tolist(),
                 np.array(_COMPOSITIONS, dtype=object)[demo.hh_comp[kept_hh]].tolist(),
                 strict=True)))

    # Test BSNs only (9999xxxxx, 11-proef); there are about 9,090 of them, so in the larger
    # presets only part of the persons gets one.
    bsns = demo_bsns()
    bsns = bsns[demo.rng.permutation(len(bsns))]
    n_bsn = min(len(bsns), len(kept_p))
    bsn = np.full(len(kept_p), None, dtype=object)
    bsn[demo.rng.permutation(len(kept_p))[:n_bsn]] = bsns[:n_bsn].astype(str).astype(object)
    executemany(
        conn, "INSERT INTO person (id, external_id, household_id, bsn, birth_date, gender, "
        "last_name, first_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        list(zip(p_id[kept_p].tolist(), p_ext[1:].tolist(), hh_id[demo.p_hh[kept_p]].tolist(),
                 bsn.tolist(), _iso(demo.p_birth[kept_p]), demo.p_gender[kept_p].tolist(),
                 demo.p_last[kept_p].tolist(), demo.p_first[kept_p].tolist(), strict=True)))

    # Teams and employees (ids after any rows the user already has).
    team_base = _max_id(conn, "team")
    emp_base = _max_id(conn, "employee")
    executemany(conn, "INSERT INTO team (id, name) VALUES (?, ?)",
                         [(team_base + i + 1, name) for i, name in enumerate(demo.team_names)])
    n_emp = len(demo.e_role)
    executemany(
        conn, "INSERT INTO employee (id, external_id, name, role, team_id, fte) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(emp_base + i + 1, f"M{emp_base + i + 1:04d}", demo.e_name[i], demo.e_role[i],
          team_base + demo.e_team[i] + 1, demo.e_fte[i]) for i in range(n_emp)])

    executemany(
        conn, "INSERT INTO tariff (law, product_code, valid_from, valid_to, cents, unit) "
        "VALUES (?, ?, ?, ?, ?, ?)", demo.tariff_rows)
    _report(progress, 0.5, "Toewijzingen opslaan")

    # Allocations.
    n_alloc = len(demo.a_prod)
    number = np.zeros(n_alloc, dtype=np.int64)
    for base, lw in ((3_000_001, "jeugd"), (5_000_001, "wmo"), (7_000_001, "participatie")):
        mask = demo.a_law == lw
        number[mask] = base + np.arange(int(mask.sum()))
    products = _PRODUCTS
    prod = demo.a_prod
    code = np.array([p.code for p in products], dtype=object)[prod]
    nan_vol = np.isnan(demo.a_volume)
    rows = zip(
        range(1, n_alloc + 1), number.astype(str).tolist(), p_id[demo.a_person].tolist(),
        demo.a_law.tolist(), np.array([p.category for p in products], dtype=object)[prod].tolist(),
        code.tolist(), np.array([p.description for p in products], dtype=object)[prod].tolist(),
        demo.ep_provider[demo.a_ep].tolist(), demo.ep_referrer[demo.a_ep].tolist(),
        np.where(demo.a_pgb, "pgb", "zin").tolist(), demo.a_provision.tolist(),
        _iso(demo.a_start), _iso(demo.a_end), _nullable(demo.a_volume, nan_vol),
        demo.a_unit.tolist(), demo.a_freq.tolist(),
        _nullable(np.nan_to_num(demo.a_tariff).astype(np.int64), np.isnan(demo.a_tariff)),
        _nullable(np.nan_to_num(demo.a_budget).astype(np.int64), np.isnan(demo.a_budget)),
        (emp_base + demo.a_employee + 1).tolist(), demo.a_change_reason.tolist(),
        demo.a_end_reason.tolist(), strict=True)
    columns = ("id", "toewijzingnummer", "person_id", "law", "category", "product_code",
               "description", "provider", "referrer", "delivery_form", "provision_kind",
               "start_date", "end_date", "volume", "unit", "frequency", "tariff_cents",
               "budget_cents", "employee_id", "change_reason", "end_reason")
    executemany(conn, f"INSERT INTO allocation ({', '.join(columns)}) "
                  f"VALUES ({', '.join('?' for _ in columns)})", list(rows))

    # Claims, in chunks to keep memory flat at the g4 preset.
    n_claims = len(demo.c_alloc)
    for lo in range(0, n_claims, CLAIM_CHUNK):
        hi = min(lo + CLAIM_CHUNK, n_claims)
        vol = demo.c_volume[lo:hi]
        chunk = zip(
            [f"D{i:08d}" for i in range(lo + 1, hi + 1)], (demo.c_alloc[lo:hi] + 1).tolist(),
            _iso(demo.c_start[lo:hi]), _iso(demo.c_end[lo:hi]), _nullable(vol, np.isnan(vol)),
            demo.c_amount[lo:hi].tolist(), strict=True)
        executemany(
            conn, "INSERT INTO claim (claim_key, allocation_id, period_start, period_end, volume, "
            "amount_cents, rejected) VALUES (?, ?, ?, ?, ?, ?, 0)", list(chunk))
        _report(progress, 0.55 + 0.4 * hi / max(n_claims, 1), "Declaraties opslaan")

    # Interventions refer to the cost map rows that open_database seeded.
    iv = demo.interventions
    iv = iv[hh_id[iv["hh"].to_numpy()] > 0]
    item_id = demo.cost_map.set_index("name")["id"]
    item_ids = iv["item"].map(item_id).to_numpy(dtype=object)
    starts = _iso(iv["start"].to_numpy(dtype="datetime64[D]"))
    ends = _iso(iv["end"].to_numpy(dtype="datetime64[D]"))
    hh_ext_iv = hh_ext[hh_id[iv["hh"].to_numpy()]]
    iv_rows = []
    for i, (h, person, payer, desc, qty, amount) in enumerate(zip(
            iv["hh"].tolist(), iv["person"].tolist(), iv["payer"].tolist(),
            iv["description"].tolist(), iv["qty"].tolist(), iv["amount"].tolist(), strict=True)):
        key = f"{hh_ext_iv[i]}|{payer}|{desc}|{starts[i] or ''}"
        iv_rows.append((key, int(hh_id[h]), int(p_id[person]), payer, desc,
                        None if item_ids[i] is None or pd.isna(item_ids[i]) else int(item_ids[i]),
                        None if np.isnan(qty) else qty,
                        None if np.isnan(amount) else int(amount), starts[i], ends[i]))
    executemany(
        conn, "INSERT INTO intervention (natural_key, household_id, person_id, payer, description, "
        "cost_map_item_id, quantity, amount_cents, period_start, period_end) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", iv_rows)

    executemany(
        conn, "INSERT INTO budget_line (year, name, law, categories, delivery_form, amount_cents, "
        "forecast_cents) VALUES (?, ?, ?, ?, ?, ?, ?)", demo.budget_rows)
    executemany(conn, "INSERT INTO inhabitants (year, age_band, count) VALUES (?, ?, ?)",
                         demo.inhabitant_rows)
    executemany(conn, "INSERT INTO price_index (year, law, percentage) VALUES (?, ?, ?)",
                         [r for r in demo.price_index_rows
                          if r[0] >= int(str(demo.hist64)[:4])])
    return len(kept_hh), len(kept_p), n_emp, n_alloc, n_claims


def generate_demo(engine: Engine, size: str = "small", seed: int = 1, until: date | None = None,
                  progress: ProgressFn | None = None) -> DemoSummary:
    """Fill an empty database with a synthetic municipality. Deterministic for a seed."""
    started = time.perf_counter()
    if size not in SIZES:
        raise SdeskError(f"Onbekende omvang '{size}'; kies uit {', '.join(SIZES)}.")
    until = until or DEMO_UNTIL
    with engine.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM allocation LIMIT 1").first():
            raise SdeskError("De database bevat al toewijzingen; maak de demo in een lege "
                             "database (kies een ander bestand met --db).")
        if conn.exec_driver_sql("SELECT 1 FROM household LIMIT 1").first():
            raise SdeskError("De database bevat al huishoudens; maak de demo in een lege "
                             "database (kies een ander bestand met --db).")
        cost_map = pd.DataFrame(
            conn.exec_driver_sql("SELECT id, name, payer FROM cost_map_item "
                                 "ORDER BY COALESCE(year, 0) DESC, id DESC").fetchall(),
            columns=["id", "name", "payer"]).drop_duplicates("name")

    _report(progress, 0.0, "Huishoudens en personen maken")
    demo = _Demo(SIZES[size], seed, until, cost_map)
    demo.build_index()
    demo.build_tariffs()
    demo.build_households()
    _report(progress, 0.1, "Toewijzingen maken")
    demo.build_allocations()
    _report(progress, 0.2, "Declaraties berekenen")
    demo.build_claims()
    demo.balance_referrers()
    demo.build_employees()
    demo.build_interventions(np.unique(demo.p_hh[demo.a_person]))
    demo.build_budget()
    demo.build_inhabitants()
    _report(progress, 0.4, "Opslaan")

    try:
        with engine.begin() as conn:
            # A large page cache keeps index maintenance in memory during the bulk insert.
            conn.exec_driver_sql("PRAGMA cache_size=-262144")
            try:
                counts = _write(conn, demo, progress)
            finally:
                conn.exec_driver_sql("PRAGMA cache_size=-2000")  # SQLite's default
    except DBAPIError as exc:  # e.g. a team or employee id the user already has
        raise SdeskError(f"De demo kon niet worden opgeslagen: {exc.orig}") from exc
    _report(progress, 1.0, "Werklijst afschaling voorbereiden")
    from sdesk.services.afschaling import prepare_default_inputs

    prepare_default_inputs(engine)
    _report(progress, 1.0, "Klaar")
    households, persons, employees, allocations, claims = counts
    return DemoSummary(households=households, persons=persons, employees=employees,
                       allocations=allocations, claims=claims,
                       seconds=round(time.perf_counter() - started, 2))
