"""Issue 14, item 6 (first half): data minimisation for the controller (and for whoever works
without a known user) in every service that returns person-level data.

They see pseudonyms for persons, households and allocations, PC4 instead of the postcode,
birth years instead of birth dates, and no household ids, source allocation numbers or
free-text notes. Checked on the hand-made municipality of tests/conftest.py with its
identifying values listed below: none of them may appear in what the services return.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.services.afschaling import (
    business_case,
    review_history,
    what_if,
    worklist,
    worklist_json,
)
from sdesk.services.exports import export
from sdesk.services.household import (
    household_members,
    household_overview,
    overview_json,
    person_allocations,
    portfolio,
    search_households,
)
from sdesk.services.kpi import drilldown
from sdesk.services.platform.actor import (
    ANONYMOUS,
    SYSTEM,
    Actor,
    allocation_pseudonym,
    household_pseudonym,
    pseudonym,
)
from sdesk.services.platform.errors import NotFoundError
from tests.integration.platform.test_permissions import World, build_world

AT = date(2025, 6, 30)
CONTROLLER = Actor("Carla Controller", "controller")
# What identifies somebody in the sample (quoted where a bare value could be a pseudonym's
# prefix): names, BSN, source person / household / allocation numbers, the full postcode,
# birth dates and the free text of notes and interventions.
IDENTIFYING = ("Jansen", "Petra", "'Tim'", "111222333", "123456782", "'P001'", "'P002'",
               "'H001'", "7551AB", "7551 AB", "1985, 3, 2", "2012, 7, 9", "1985-03-02",
               "2012-07-09", "'J-1'", "'W-1'", "'P-1'", "Gesprek met", "Afgesproken met",
               "Buurtgesprek")
NOT_IDENTIFIED = [CONTROLLER, ANONYMOUS]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "min.sqlite", tmp_path / "uit")
    with w.engine.begin() as conn:
        # Free text that names somebody, on an intervention priced from the cost map.
        conn.exec_driver_sql(
            "INSERT INTO intervention (natural_key, household_id, person_id, payer, "
            "description, cost_map_item_id, quantity, period_start) VALUES ('k1', "
            "(SELECT id FROM household WHERE external_id = 'H001'), (SELECT id FROM person "
            "WHERE external_id = 'P001'), 'politie', 'Buurtgesprek over Petra Jansen', "
            "(SELECT id FROM cost_map_item WHERE name = 'Ongebruikt'), 2, '2025-05-01')")
    yield w
    w.engine.dispose()


def _leaks(value: Any) -> list[str]:
    text = repr(value) + json.dumps(value, default=str) if isinstance(value, dict) else repr(
        value)
    return [x for x in IDENTIFYING if x in text]


def _pk(engine: Engine, table: str, external_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql(f"SELECT id FROM {table} WHERE external_id = ?",
                                        (external_id,)).scalar_one())


def test_the_sample_is_identifying_for_a_klantmanager(world: World) -> None:
    """The check below can fail: the same services leak every value to a role with identity."""
    from sdesk.services.platform.users import actor_for

    kim = actor_for(world.engine, "KM")
    o = household_overview(world.engine, kim, "H001", AT)
    found = set(_leaks(o)) | set(_leaks(overview_json(o)))
    assert {"Jansen", "Petra", "111222333", "'H001'", "7551AB", "'J-1'", "Gesprek met",
            "Buurtgesprek"} <= found


@pytest.mark.parametrize("actor", NOT_IDENTIFIED, ids=["controller", "anoniem"])
def test_household_directory_and_overview(world: World, actor: Actor) -> None:
    engine = world.engine
    h1 = household_pseudonym("H001")
    (row,) = search_households(engine, actor, h1)
    assert (row.external_id, row.postcode, row.wijk, row.names) == (h1, "7551", "Centrum", "")
    members = household_members(engine, actor, row.id)
    assert [(m.person_number, m.name, m.bsn, m.birth_date, m.birth_year) for m in members] == [
        (pseudonym("P001"), pseudonym("P001"), None, None, 1985),
        (pseudonym("P002"), pseudonym("P002"), None, None, 2012)]
    allocations = person_allocations(engine, actor, _pk(engine, "person", "P002"))
    assert [a.toewijzingnummer for a in allocations] == [allocation_pseudonym("jeugd", "J-1")]
    o = household_overview(engine, actor, h1, AT)
    assert (o.household_id, o.postcode) == (h1, "7551")
    assert {a.toewijzingnummer for a in o.allocations} == {
        allocation_pseudonym("jeugd", "J-1"), allocation_pseudonym("wmo", "W-1"),
        allocation_pseudonym("participatie", "P-1")}
    assert [i.description for i in o.interventions] == ["Ongebruikt"]  # the cost-map item
    assert o.coordination is not None and o.coordination.notes is None
    data = overview_json(o)
    assert [m["birth_date"] for m in data["members"]] == [None, None]
    assert [m["birth_year"] for m in data["members"]] == [1985, 2012]
    for result in (row, members, allocations, o, data):
        assert _leaks(result) == []
    (case,) = portfolio(engine, actor, AT).rows
    assert case.household_id == h1 and case.summary.notes is None
    assert _leaks(case) == []


@pytest.mark.parametrize("actor", NOT_IDENTIFIED, ids=["controller", "anoniem"])
def test_source_ids_do_not_open_a_household(world: World, actor: Actor) -> None:
    """Looking a household up by its source id would link id and pseudonym: refused with
    the same words whether or not the id exists (no way to probe)."""
    messages = []
    for household in ("H001", "H404"):
        with pytest.raises(NotFoundError) as info:
            household_overview(world.engine, actor, household, AT)
        messages.append(str(info.value).replace(household, "X"))
    assert messages[0] == messages[1] and "pseudoniem (H-…)" in messages[0]
    assert search_households(world.engine, actor, "H001") == []
    assert search_households(world.engine, actor, "Jansen") == []
    assert search_households(world.engine, actor, "7551AB") == []


@pytest.mark.parametrize("actor", NOT_IDENTIFIED, ids=["controller", "anoniem"])
def test_worklist_what_if_and_history(world: World, actor: Actor) -> None:
    engine = world.engine
    wl = worklist(engine, actor, AT)
    assert len(wl) > 0
    for c in wl.rows:
        assert c.person.startswith("P-") and c.toewijzingnummer.startswith("T-")
        assert c.person_name is None and c.bsn is None
    assert _leaks(wl.rows) == [] and _leaks(worklist_json(wl)) == []
    assert _leaks(wl.frame.to_dict("list")) == []
    # What-if and history take the pseudonym back, and answer with it.
    number = allocation_pseudonym("wmo", "W-1")
    result = what_if(engine, actor, number, "wmo", AT)
    assert result.toewijzingnummer == number and _leaks(result) == []
    (review,) = review_history(engine, actor, number, "wmo")
    assert review.notes is None and review.decision == "continue"
    # The source number itself does not work for them (and does not say whether it exists).
    for source in ("W-1", "W-404"):
        with pytest.raises(NotFoundError, match="pseudoniem T-"):
            what_if(engine, actor, source, "wmo", AT)


def test_the_klantmanager_keeps_the_notes(world: World) -> None:
    from sdesk.services.platform.users import actor_for

    (review,) = review_history(world.engine, actor_for(world.engine, "KM"), "W-1", "wmo")
    assert review.notes == "Afgesproken met Petra"


def test_drilldown_and_business_case(world: World) -> None:
    engine = world.engine
    rows = drilldown(engine, CONTROLLER, date(2025, 1, 1), AT)
    assert rows and all(r.person.startswith("P-") and r.household.startswith("H-")
                        and r.toewijzingnummer.startswith("T-") for r in rows)
    assert _leaks(rows) == []
    # Sheets that leave the office are pseudonymous whoever makes them.
    from sdesk.services.platform.users import actor_for

    kim = actor_for(engine, "KM")
    assert _leaks(drilldown(engine, kim, date(2025, 1, 1), AT, pseudonymous=True)) == []
    assert "'J-1'" in _leaks(drilldown(engine, kim, date(2025, 1, 1), AT))
    case = business_case(engine, AT, 1.0, 100_000, since=date(2025, 1, 1), actor=CONTROLLER)
    assert [r.toewijzingnummer for r in case.reviews] == [allocation_pseudonym("wmo", "W-1")]
    assert business_case(engine, AT, 1.0, 100_000, since=date(2025, 1, 1)).reviews[
        0].toewijzingnummer == "W-1"


def test_the_controllers_business_case_workbook_names_no_allocation(world: World) -> None:
    engine = world.engine
    # Even a case computed for someone who sees identity leaves as pseudonyms.
    case = business_case(engine, AT, 1.0, 100_000, since=date(2025, 1, 1))
    out = world.folder / "bc.xlsx"
    export(engine, CONTROLLER, "business_case", {"case": case}, out, "raad")
    text = " ".join(str(c.value) for ws in load_workbook(out).worksheets
                    for row in ws.iter_rows() for c in row if c.value is not None)
    assert "W-1" not in text and allocation_pseudonym("wmo", "W-1") in text


def test_system_and_identity_roles_are_unchanged(world: World) -> None:
    (row,) = search_households(world.engine, SYSTEM, "H001")
    assert (row.external_id, row.postcode) == ("H001", "7551AB")
    members = household_members(world.engine, SYSTEM, row.id)
    assert members[0].birth_date == date(1985, 3, 2) and members[0].birth_year == 1985
