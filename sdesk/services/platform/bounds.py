"""The ranges a number or date may have anywhere in sdesk: imports and what-ifs check against
these, so an absurd value is refused with a message instead of turning into an overflow, an
internal error or a saving of minus 92 quadrillion.

- Dates lie in 1900-01-01 .. 2100-12-31 (years likewise): older is a typing error, later
  cannot be planned.
- A volume (omvang, geleverd volume, aantal) is at most 99,999,999: the national maximum of
  LDT_Volume in iJw/iWmo 3.2.
- An amount per claim line (and a tariff, a budget of one allocation, a price) is at most
  EUR 10 million; set SDESK_MAX_CLAIM_EUR (whole euros) for another limit.
- A budget line of the municipality (begroting, prognose) is at most EUR 10 billion, more
  than the whole budget of the largest Dutch municipality.
- Any number at all is at most 10^15 in size: above that a float no longer holds cents.
"""

from __future__ import annotations

import math
import os
import unicodedata
from datetime import date

from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.text import group_thousands

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
DATE_RANGE_TEXT = "1900-01-01..2100-12-31"
MIN_YEAR, MAX_YEAR = MIN_DATE.year, MAX_DATE.year
MAX_VOLUME = 99_999_999
MAX_CLAIM_ENV = "SDESK_MAX_CLAIM_EUR"
DEFAULT_MAX_CLAIM_EUR = 10_000_000
MAX_BUDGET_CENTS = 10_000_000_000 * 100
MAX_NUMBER = 1e15


def max_claim_cents() -> int:
    """The largest amount of one claim line (and tariff, allocation budget, price) in cents:
    EUR 10 million, or SDESK_MAX_CLAIM_EUR whole euros."""
    text = os.environ.get(MAX_CLAIM_ENV, "").strip()
    if not text:
        return DEFAULT_MAX_CLAIM_EUR * 100
    try:
        euros = int(text)
    except ValueError:
        euros = 0
    if not 0 < euros <= MAX_NUMBER / 100:
        raise SdeskError(f"{MAX_CLAIM_ENV}='{text}' is geen geldig maximum; geef een geheel "
                         f"aantal euro's groter dan 0 (standaard {DEFAULT_MAX_CLAIM_EUR}).")
    return euros * 100


def euros_text(cents: int | float) -> str:
    """10000000 -> "€ 100.000" (whole euros, for limits in messages)."""
    return f"€ {group_thousands(int(cents // 100))}"


def claim_limit_text() -> str:
    """The claim-line limit as a message fragment that says how to change it."""
    return (f"het maximum van {euros_text(max_claim_cents())} per regel (in te stellen met "
            f"{MAX_CLAIM_ENV})")


def date_in_range(value: date) -> bool:
    """Whether a date lies in 1900-01-01 .. 2100-12-31."""
    return MIN_DATE <= value <= MAX_DATE


def volume_problem(value: object, what: str = "Het volume") -> str | None:
    """Why `value` cannot be a volume (a real number above 0, at most MAX_VOLUME), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{what} moet een getal zijn (nu {value!r})."
    if not math.isfinite(value):
        return f"{what} moet een gewoon getal zijn, geen {value}."
    if value <= 0:
        return f"{what} moet groter dan 0 zijn (nu {value})."
    if value > MAX_VOLUME:
        return (f"{what} ({value:g}) is groter dan het maximum van "
                f"{group_thousands(MAX_VOLUME)}; controleer de invoer.")
    return None


def date_problem(value: date, what: str) -> str | None:
    """Why `value` cannot be `what` (a date outside 1900-01-01 .. 2100-12-31), or None."""
    if date_in_range(value):
        return None
    return f"{what} {value.isoformat()} ligt buiten {DATE_RANGE_TEXT}; controleer het jaartal."


def clean_code(text: str) -> str:
    """A key or code as typed or pasted, in its plain form: NFKC (full-width digits and
    letters, a no-break space become ASCII ones), invisible format characters (zero-width
    space, BOM, direction marks, soft hyphen) removed, surrounding whitespace stripped."""
    if text.isascii():
        return text.strip()
    normal = unicodedata.normalize("NFKC", text)
    return "".join(c for c in normal if unicodedata.category(c) != "Cf").strip()


def strip_invisible(text: str) -> str:
    """Free text with surrounding whitespace and invisible format characters removed."""
    if text.isascii():
        return text.strip()
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or unicodedata.category(text[start]) == "Cf"):
        start += 1
    while end > start and (text[end - 1].isspace()
                           or unicodedata.category(text[end - 1]) == "Cf"):
        end -= 1
    return text[start:end]
