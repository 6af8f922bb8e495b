"""Demo households and their members, and the employees responsible for them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.random import Generator

from sdesk.services.demo.common import SizePreset, Span, group_offsets

PROFILES = ("oudere", "jeugd", "inkomen", "volwassene", "multi")
_PROFILE_P = (0.33, 0.265, 0.22, 0.13, 0.055)
COMPOSITIONS = ("alleenstaand", "paar zonder kinderen", "eenoudergezin", "gezin met kinderen")
# Per profile: probabilities of the four compositions above.
_COMPOSITION_P = {
    "oudere": (0.68, 0.32, 0.0, 0.0),
    "jeugd": (0.0, 0.0, 0.35, 0.65),
    "inkomen": (0.55, 0.1, 0.25, 0.1),
    "volwassene": (0.75, 0.1, 0.15, 0.0),
    "multi": (0.0, 0.0, 0.5, 0.5),
}

# Allocations per generated household, measured; used to size the household draw.
_ALLOCATIONS_PER_HOUSEHOLD = 1.6

WIJKEN = (("Centrum", "7551"), ("Noord", "7552"), ("Oost", "7553"), ("Zuid", "7554"),
          ("West", "7555"), ("Havenkwartier", "7556"), ("Tuindorp", "7557"),
          ("De Esch", "7558"), ("Molenbroek", "7559"), ("Het Lint", "7560"),
          ("Veldhoek", "7561"), ("Kerkakkers", "7562"))
# Vulnerable neighbourhoods (Havenkwartier, Molenbroek, West) get more income and multi cases.
_WIJK_WEIGHT_DEFAULT = np.array([1.0] * len(WIJKEN))
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


class People:
    """Households (profile, composition, wijk, anchor date) and their members, adults first."""

    def __init__(self, rng: Generator, preset: SizePreset, span: Span) -> None:
        n = max(20, int(round(preset.allocations / _ALLOCATIONS_PER_HOUSEHOLD)))
        profile = rng.choice(len(PROFILES), size=n, p=_PROFILE_P)
        comp = np.empty(n, dtype=np.int64)
        for i, name in enumerate(PROFILES):
            mask = profile == i
            comp[mask] = rng.choice(4, size=int(mask.sum()), p=_COMPOSITION_P[name])
        # Anchor: the moment the household comes into view; the number of new cases grows
        # about 3 % a year, so draw from an exponentially rising density.
        days = int((span.until64 - span.window_lo).astype(np.int64))
        growth = 0.03 / 365.0
        u = rng.random(n)
        offset = np.log1p(u * np.expm1(growth * days)) / growth
        anchor = span.window_lo + offset.astype(np.int64)

        vulnerable = np.isin(profile, (PROFILES.index("inkomen"), PROFILES.index("multi")))
        weights_v = _WIJK_WEIGHT_VULNERABLE / _WIJK_WEIGHT_VULNERABLE.sum()
        weights_d = _WIJK_WEIGHT_DEFAULT / _WIJK_WEIGHT_DEFAULT.sum()
        wijk = np.where(vulnerable, rng.choice(len(WIJKEN), size=n, p=weights_v),
                        rng.choice(len(WIJKEN), size=n, p=weights_d))
        letters = rng.integers(0, len(_POSTCODE_LETTERS), size=(n, 2))
        prefix = np.array([w[1] for w in WIJKEN], dtype=object)[wijk]
        postcode = (prefix + _POSTCODE_LETTERS[letters[:, 0]].astype(object)
                    + _POSTCODE_LETTERS[letters[:, 1]].astype(object))

        adults = np.where(np.isin(comp, (1, 3)), 2, 1)
        is_multi = profile == PROFILES.index("multi")
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
        pos = group_offsets(size)
        is_kid = pos >= np.repeat(adults, size)
        m = len(member_hh)
        old = profile[member_hh] == PROFILES.index("oudere")
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


class Staff:
    """Teams and employees; every (household, law) pair gets one responsible employee."""

    def __init__(self, rng: Generator, preset: SizePreset, people: People,
                 allocation_person: np.ndarray, allocation_law: np.ndarray) -> None:
        # Bigger municipalities split each law's team by region.
        size = preset.allocations
        n_regions = 1 if size <= 20_000 else 2 if size <= 100_000 else 4 if size <= 300_000 else 8
        regions: tuple[str, ...] = ("Noord", "Zuid", "Oost", "West", "Centrum", "Stad", "Haven",
                                    "Buiten")
        regions = regions[:n_regions]
        law_team = {"jeugd": "Jeugd en Gezin", "wmo": "Wmo", "participatie": "Werk en Inkomen"}
        # Team t = law_order * n_regions + region; the last team holds the controllers.
        team_names = [law_team[lw] if n_regions == 1 else f"{law_team[lw]} {r}"
                      for lw in ("jeugd", "wmo", "participatie") for r in regions]
        team_names.append("Control en Bedrijfsvoering")

        # Every (household, law) pair has one responsible employee: its team follows the wijk.
        hh = people.p_hh[allocation_person]
        law_order = np.select([allocation_law == "jeugd", allocation_law == "wmo"], [0, 1], 2)
        region = people.hh_wijk[hh] % n_regions
        team = law_order * n_regions + region
        pair = pd.MultiIndex.from_arrays([hh, law_order])
        pair_codes, uniques = pd.factorize(pair)
        pair_team = np.zeros(len(uniques), dtype=np.int64)
        pair_team[pair_codes] = team
        pair_hh = np.array([u[0] for u in uniques], dtype=np.int64)
        pair_multi = people.hh_profile[pair_hh] == PROFILES.index("multi")

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
        self.allocation_employee = pair_emp[pair_codes]  # index into the employees
