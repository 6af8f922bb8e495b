"""The directory service on the hand-made municipality from tests/conftest.py."""

from datetime import date
from decimal import Decimal

from sqlalchemy import Engine

from sdesk.services.household.directory import (
    database_counts,
    household_members,
    person_allocations,
    search_households,
)
from sdesk.services.platform.actor import SYSTEM, Actor, household_pseudonym, pseudonym

CONTROLLER = Actor(name="controller", role="controller")
TIM_RUN_RATE_CENTS = 3 * 3450 * 52  # 3 uur per week x EUR 34,50 x 52 weken


def _ids(rows: list) -> list[str]:
    return [r.external_id for r in rows]


def test_empty_search_lists_households_up_to_limit(sample_engine: Engine) -> None:
    assert _ids(search_households(sample_engine, SYSTEM, "")) == ["H001", "H002", "H003"]
    assert _ids(search_households(sample_engine, SYSTEM, "  ", limit=2)) == ["H001", "H002"]


def test_household_row_summarises_members_and_laws(sample_engine: Engine) -> None:
    (row,) = search_households(sample_engine, SYSTEM, "H001")
    assert row.member_count == 2
    assert row.names == "Jansen"
    assert row.laws == ("jeugd", "wmo", "participatie")
    assert row.postcode == "7551AB"


def test_search_matches_names_ids_bsn_and_postcode(sample_engine: Engine) -> None:
    assert _ids(search_households(sample_engine, SYSTEM, "jans")) == ["H001"]
    assert _ids(search_households(sample_engine, SYSTEM, "SANNE")) == ["H002"]
    assert _ids(search_households(sample_engine, SYSTEM, "P003")) == ["H002"]
    assert _ids(search_households(sample_engine, SYSTEM, "1234567")) == ["H001"]
    assert _ids(search_households(sample_engine, SYSTEM, "7552cd")) == ["H002"]
    assert _ids(search_households(sample_engine, SYSTEM, "7552 CD")) == ["H002"]
    assert _ids(search_households(sample_engine, SYSTEM, "h003")) == ["H003"]
    assert _ids(search_households(sample_engine, SYSTEM, "tim jansen")) == ["H001"]
    assert search_households(sample_engine, SYSTEM, "nobody") == []


def test_search_treats_like_wildcards_literally(sample_engine: Engine) -> None:
    assert search_households(sample_engine, SYSTEM, "%") == []
    assert search_households(sample_engine, SYSTEM, "_") == []


def test_members_show_identity_to_coordinator(sample_engine: Engine) -> None:
    (h1,) = search_households(sample_engine, SYSTEM, "H001")
    members = household_members(sample_engine, SYSTEM, h1.id)
    assert [m.name for m in members] == ["Jansen, Petra", "Jansen, Tim"]
    assert [m.bsn for m in members] == ["111222333", "123456782"]
    assert [m.person_number for m in members] == ["P001", "P002"]
    assert [m.allocation_count for m in members] == [2, 1]
    assert members[0].birth_date == date(1985, 3, 2)


def test_controller_sees_no_names_or_bsn(sample_engine: Engine) -> None:
    # Issue 14: no household id and PC4 only; found by the household's pseudonym.
    (h1,) = search_households(sample_engine, CONTROLLER, household_pseudonym("H001"))
    assert h1.names == ""
    assert (h1.external_id, h1.postcode) == (household_pseudonym("H001"), "7551")
    members = household_members(sample_engine, CONTROLLER, h1.id)
    assert [m.bsn for m in members] == [None, None]
    assert [(m.birth_date, m.birth_year) for m in members] == [(None, 1985), (None, 2012)]
    assert [m.name for m in members] == [pseudonym("P001"), pseudonym("P002")]
    assert all(m.person_number == m.name for m in members)
    assert not any("Jansen" in repr(m) or m.person_number == "P001" for m in members)


def test_controller_cannot_find_people_by_identity(sample_engine: Engine) -> None:
    assert search_households(sample_engine, CONTROLLER, "Jansen") == []
    assert search_households(sample_engine, CONTROLLER, "111222333") == []
    # Issue 14: nor by household id or full postcode (that would link pseudonym and id).
    assert search_households(sample_engine, CONTROLLER, "H001") == []
    assert search_households(sample_engine, CONTROLLER, "7551AB") == []
    assert _ids(search_households(sample_engine, CONTROLLER, "7551")) == [
        household_pseudonym("H001")]
    assert _ids(search_households(sample_engine, CONTROLLER, "centrum")) == [
        household_pseudonym("H001")]


def test_allocations_are_labelled_and_priced(sample_engine: Engine) -> None:
    (h1,) = search_households(sample_engine, SYSTEM, "H001")
    petra, tim = household_members(sample_engine, SYSTEM, h1.id)

    (jeugd,) = person_allocations(sample_engine, SYSTEM, tim.id)
    assert (jeugd.law, jeugd.category, jeugd.category_label) == (
        "jeugd", "45", "Jeugdhulp ambulant")
    assert jeugd.omvang == "3 × Uur per week"
    assert jeugd.tariff_eur == Decimal("34.50")
    assert jeugd.annual_run_rate_cents == TIM_RUN_RATE_CENTS == 538_200
    assert jeugd.annual_run_rate_eur == Decimal("5382.00")
    assert jeugd.provider == "Jeugdzorg Twente BV"

    wmo, participatie = person_allocations(sample_engine, SYSTEM, petra.id)
    assert (wmo.law, wmo.category_label, wmo.omvang) == ("wmo", "Begeleiding", "Budget")
    assert wmo.budget_eur == Decimal("12000")
    # A year-long budget runs at the budget itself per year.
    assert wmo.annual_run_rate_cents == 1_200_000
    assert participatie.category_label is not None  # the municipality's own list
    assert participatie.annual_run_rate_cents is None  # no tariff, no budget: unknown, not 0
    assert participatie.omvang == ""


def test_unknown_ids_give_empty_lists(sample_engine: Engine) -> None:
    assert household_members(sample_engine, SYSTEM, 9999) == []
    assert person_allocations(sample_engine, SYSTEM, 9999) == []


def test_database_counts(sample_engine: Engine) -> None:
    counts = database_counts(sample_engine)
    assert (counts.households, counts.persons, counts.allocations) == (3, 3, 3)


def test_omvang_texts() -> None:
    from sdesk.services.household.directory import omvang_text

    assert omvang_text(2.5, "16", "Dagdeel (4 uur)", "2", None) == "2,5 × Dagdeel (4 uur) per week"
    assert omvang_text(1905.57, "83", "Euro's", "4", None) == "€ 1.905,57 per maand"
    assert omvang_text(40, "04", "Uur", "6", None) == "40 × Uur in totaal"
    assert omvang_text(None, None, None, None, 100) == "Budget"
