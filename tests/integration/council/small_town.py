"""A small town for the council workbook's small-cell protection, every figure worked out.

Period P = Q1 2025 (2025-01-01..2025-03-31); the budget year is 2025 with peildatum 2025-03-31,
so the budget's realisation covers exactly P. Every allocation is jeugd, runs from 2025-01-01
to 2025-12-31 (2 uur per week at EUR 50) and has a claim in each of January, February and
March:

  group  persons  category  referrer  per month  in P (each)  in P (group)
  A      12       45        01        EUR 100    EUR 300      EUR  3,600
  B      11       43        08        EUR 200    EUR 600      EUR  6,600
  C       3       41        02        EUR  50    EUR 150      EUR    450
                                                 total        EUR 10,650 (26 clients)

Group C has 3 clients: its cost (category 41, referrer 02, budget line "Jeugd dagbesteding")
is about fewer than 10 persons. Without protection it can be read back from the budget sheet
(the line's realisation is EUR 450), from the referrer table (02: EUR 450) and from the
total minus the other categories (10,650 - 3,600 - 6,600 = 450).
Third-party referrers are 02 and 08: their share is (450 + 6,600) / 10,650.
"""

from __future__ import annotations

TOTAL = 10_650.0
Group = tuple[int, str, str, int, str]  # persons, category, referrer, euros a month, form
GROUPS: dict[str, Group] = {
    "A": (12, "45", "01", 100, "zin"),
    "B": (11, "43", "08", 200, "zin"),
    "C": (3, "41", "02", 50, "zin"),
}
BUDGET = [["2025", "Jeugd ambulant", "50000", "jeugd", "45", "", ""],
          ["2025", "Jeugd verblijf", "80000", "jeugd", "43", "", ""],
          ["2025", "Jeugd dagbesteding", "5000", "jeugd", "41", "", ""],
          ["2025", "Eigen bijdrage", "-1000", "", "", "", "-1000"]]
MONTHS = ("2025-01", "2025-02", "2025-03")
LAST_DAY = {"2025-01": "31", "2025-02": "28", "2025-03": "31"}


def _persons(groups: dict[str, Group]) -> list[tuple[str, str, str, int, str]]:
    return [(f"{group}{n:02d}", category, referrer, euros, form)
            for group, (size, category, referrer, euros, form) in groups.items()
            for n in range(1, size + 1)]


def data(groups: dict[str, Group] | None = None,
         budget: list[list[str]] | None = None) -> dict[str, list[list[str]]]:
    """The exchange-format files of the small town (other groups or budget lines for a
    variant)."""
    persons = _persons(groups or GROUPS)
    return {
        "huishoudens": [["huishouden_id"]] + [[f"H{p}"] for p, *_ in persons],
        "personen": [["persoon_id", "huishouden_id", "geboortedatum"]]
        + [[p, f"H{p}", "2012-01-01"] for p, *_ in persons],
        "medewerkers": [["medewerker_id", "naam", "rol", "team"],
                        ["M1", "Mila", "klantmanager", "Jeugd"]],
        "toewijzingen": [["toewijzingnummer", "persoon_id", "wet", "productcategorie",
                          "ingangsdatum", "einddatum", "volume", "eenheid", "frequentie",
                          "tarief", "verwijzer", "leveringsvorm", "medewerker_id"]]
        + [[f"T{p}", p, "jeugd", category, "2025-01-01", "2025-12-31", "2", "04", "2", "50",
            referrer, form, "M1"] for p, category, referrer, _, form in persons],
        "declaraties": [["declaratie_id", "toewijzingnummer", "wet", "periode_begin",
                         "periode_eind", "bedrag"]]
        + [[f"D{p}-{m}", f"T{p}", "jeugd", f"{m}-01", f"{m}-{LAST_DAY[m]}", str(euros)]
           for p, _, _, euros, _ in persons for m in MONTHS],
        "begroting": [["jaar", "post", "bedrag", "wet", "productcategorieen", "leveringsvorm",
                       "prognose"], *(budget or BUDGET)],
        "inwoners": [["jaar", "leeftijdsgroep", "aantal"], ["2025", "0-17", "1000"]],
        "prijsindex": [["jaar", "wet", "percentage"], ["2025", "jeugd", "3"]],
    }
