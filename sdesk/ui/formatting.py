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


def euro_whole(cents: int | float | None) -> str:
    """10000000 -> "€ 100.000" (axis ticks and thresholds; rounded to whole euros)."""
    if cents is None:
        return ""
    euros = round(cents / 100)
    sign = "-" if euros < 0 else ""
    return f"€ {sign}{group_thousands(abs(euros))}"


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


def percent(fraction: float) -> str:
    return f"{round(fraction * 100)} %"


# The service layer's labels, imported when first used: importing the services at start-up
# would load SQLAlchemy before the window shows.

def payer_name(payer: str) -> str:
    from sdesk.services.household.workbook import payer_label

    return payer_label(payer)


def status_name(status: str) -> str:
    from sdesk.services.household.coordination import STATUS_LABELS

    return STATUS_LABELS.get(status, status)


def bucket_name(bucket: str) -> str:
    from sdesk.services.household.coordination import BUCKET_LABELS

    return BUCKET_LABELS.get(bucket, bucket)


def flag_name(flag: str) -> str:
    from sdesk.services.household.overview import FLAG_LABELS

    return FLAG_LABELS.get(flag, flag)
