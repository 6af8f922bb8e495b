"""Dutch display formats. Money arrives in cents; euros exist only here, at the edge."""

from __future__ import annotations

from datetime import date

LAW_NAMES = {"jeugd": "Jeugdwet", "wmo": "Wmo", "participatie": "Participatiewet"}
LAW_SHORT = {"jeugd": "Jeugd", "wmo": "Wmo", "participatie": "Participatie"}


def group_thousands(number: int) -> str:
    """30000 -> "30.000" (Dutch thousands separator)."""
    return f"{number:,}".replace(",", ".")


def euro(cents: int | None) -> str:
    """123456 -> "€ 1.234,56"; None -> ""."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"€ {sign}{group_thousands(whole)},{rest:02d}"


def short_date(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def law_name(law: str) -> str:
    return LAW_NAMES.get(law, law)
