"""Dutch text for money, shares, numbers, dates and laws: the one definition for screens,
JSON, workbooks, PDFs and messages. Money arrives in cents; euros exist only at the edges.

Import-light on purpose (stdlib only): the UI formats with it before SQLAlchemy is loaded.
"""

from __future__ import annotations

from datetime import date
from typing import overload

from sdesk.services.platform.periods import month_end

# Number formats of workbook cells: the same euros, dates and shares in every workbook.
EXCEL_EURO = '"€" #,##0.00'
EXCEL_EURO_WHOLE = '"€" #,##0'
EXCEL_DATE = "dd-mm-yyyy"
EXCEL_DATETIME = "dd-mm-yyyy hh:mm"
EXCEL_PERCENT = "0%"

LAW_NAMES = {"jeugd": "Jeugdwet", "wmo": "Wmo", "participatie": "Participatiewet"}
LAW_SHORT = {"jeugd": "Jeugd", "wmo": "Wmo", "participatie": "Participatie"}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
MONTHS_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                "dec")


def law_name(law: str | None) -> str:
    """"jeugd" -> "Jeugdwet"; an unknown key is shown as it is."""
    return LAW_NAMES.get(law or "", law or "")


def law_text(law: str | None) -> str:
    """A law filter as text: None means every law."""
    return "alle wetten" if law is None else law_name(law)


def category_text(code: str, label: str | None) -> str:
    """A product category as shown: national codes with their label ("45 Jeugdhulp
    ambulant"), the municipality's own codes (words already) as their label, an own code
    without one readable ("bijzondere_bijstand" -> "bijzondere bijstand")."""
    if not label:
        return code.replace("_", " ")
    return f"{code} {label}" if code.isdigit() else label


def group_thousands(number: int) -> str:
    """30000 -> "30.000" (Dutch thousands separator)."""
    return f"{number:,}".replace(",", ".")


def euro(cents: int | float | None, *, drop_zero_cents: bool = False) -> str:
    """123456 -> "€ 1.234,56"; -5 -> "€ -0,05"; None -> "".

    With `drop_zero_cents`, whole amounts lose their ",00" ("€ 1.000"), as in rule texts.
    """
    if cents is None:
        return ""
    cents = int(round(cents))
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    text = f"€ {sign}{group_thousands(whole)}"
    return text if drop_zero_cents and not rest else f"{text},{rest:02d}"


def euro_whole(cents: int | float | None) -> str:
    """10000000 -> "€ 100.000" (axis ticks and thresholds; rounded to whole euros)."""
    if cents is None:
        return ""
    euros = round(cents / 100)
    sign = "-" if euros < 0 else ""
    return f"€ {sign}{group_thousands(abs(euros))}"


@overload
def euros(cents: int | float) -> float: ...
@overload
def euros(cents: None) -> None: ...
def euros(cents: int | float | None) -> float | None:
    """Cents as a number of euros rounded to cents, for JSON and workbook cells."""
    return None if cents is None else round(float(cents) / 100, 2)


def parse_euro_cents(text: str) -> int | None:
    """"1.234,56", "1234.56", "€ 1234" -> cents; "" -> None; anything else: ValueError.

    A comma is the decimal separator; dots before it group thousands. Without a comma, a dot
    followed by exactly three digits groups thousands ("7.500"), otherwise it is a decimal
    point ("7500.5").
    """
    cleaned = text.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
    if not cleaned:
        return None
    if "," in cleaned:
        whole, _, fraction = cleaned.rpartition(",")
        whole = whole.replace(".", "")
    elif cleaned.count(".") == 1 and len(cleaned.split(".")[1]) != 3:
        whole, _, fraction = cleaned.partition(".")
    else:
        whole, fraction = cleaned.replace(".", ""), ""
    sign = -1 if whole.startswith("-") else 1
    whole = whole.lstrip("-")
    if not whole.isdigit() and not (whole == "" and fraction.isdigit()):
        raise ValueError(text)
    if fraction and (not fraction.isdigit() or len(fraction) > 2):
        raise ValueError(text)
    return sign * (int(whole or "0") * 100 + int(fraction.ljust(2, "0") or "0"))


def cents_to_input(cents: int | None) -> str:
    """Cents as the user types them back: 750000 -> "7500,00"."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole},{rest:02d}"


def decimal(value: float, digits: int = 1) -> str:
    """1234.56 -> "1.234,6" (Dutch separators); never "-0,0"."""
    text = f"{value:,.{digits}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return text[1:] if text.startswith("-") and not text.strip("-0,.") else text


def percent(fraction: float) -> str:
    """0.25 -> "25 %" (whole percents)."""
    return f"{round(fraction * 100)} %"


def share(fraction: float | None, digits: int = 1) -> str:
    """0.123 -> "12,3 %"; None -> "–"."""
    return "–" if fraction is None else f"{decimal(fraction * 100, digits)} %"


def short_date(value: date | None) -> str:
    """date(2025, 3, 1) -> "01-03-2025"; None -> ""."""
    return value.strftime("%d-%m-%Y") if value else ""



def period_text(start: date, end: date) -> str:
    """"2025" for a calendar year, "3e kwartaal 2025", "november 2025", else "01-02-2025 t/m
    15-03-2025"."""
    if start.month == 1 and start.day == 1 and end == date(start.year, 12, 31):
        return str(start.year)
    if (start.day == 1 and end.year == start.year and start.month % 3 == 1
            and end == month_end(start.year, start.month + 2)):
        return f"{(start.month - 1) // 3 + 1}e kwartaal {start.year}"
    if start.day == 1 and end == month_end(start.year, start.month):
        return f"{MONTHS[start.month - 1]} {start.year}"
    return f"{start:%d-%m-%Y} t/m {end:%d-%m-%Y}"
