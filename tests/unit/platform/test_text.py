"""Dutch text of money, shares, dates and categories: one definition for every screen."""

from __future__ import annotations

from datetime import date

from sdesk.services.platform.text import (
    category_text,
    decimal,
    euro,
    euro_whole,
    euros,
    parse_euro_cents,
    period_text,
    share,
)


def test_money() -> None:
    assert euro(123456) == "€ 1.234,56"
    assert euro(-5) == "€ -0,05"
    assert euro(100_000, drop_zero_cents=True) == "€ 1.000"
    assert euro(100_050, drop_zero_cents=True) == "€ 1.000,50"
    assert euro(None) == ""
    assert euro_whole(10_000_049) == "€ 100.000"
    assert euros(12345) == 123.45 and euros(None) is None
    assert parse_euro_cents("1.234,56") == 123456 and parse_euro_cents("7.500") == 750000


def test_shares_numbers_and_periods() -> None:
    assert share(0.123) == "12,3 %" and share(None) == "–"
    assert decimal(1234.56) == "1.234,6" and decimal(-0.01) == "0,0"
    assert period_text(date(2025, 1, 1), date(2025, 12, 31)) == "2025"
    assert period_text(date(2025, 7, 1), date(2025, 9, 30)) == "3e kwartaal 2025"
    assert period_text(date(2025, 11, 1), date(2025, 11, 30)) == "november 2025"
    assert period_text(date(2025, 2, 1), date(2025, 3, 15)) == "01-02-2025 t/m 15-03-2025"


def test_categories() -> None:
    assert category_text("45", "Jeugdhulp ambulant") == "45 Jeugdhulp ambulant"
    assert category_text("schuldhulp", "Schuldhulpverlening") == "Schuldhulpverlening"
    assert category_text("bijzondere_bijstand", None) == "bijzondere bijstand"
    assert category_text("45", None) == "45"
