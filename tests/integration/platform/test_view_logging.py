"""Issue 14, item 3: every view of person data is written to the audit log -- by the service
the screen calls, once per query, with the number of rows shown and the source ids of what
was seen (so the privacy officer can answer "who saw this person's data?").

Before: the household search, member list, allocation list, review history and portfolio
were not logged at all (only the overview, the worklist and the drill-down were).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from sdesk.services.afschaling import review_history
from sdesk.services.household import (
    household_members,
    household_overview,
    person_allocations,
    portfolio,
    search_households,
)
from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor, household_pseudonym
from sdesk.services.platform.users import actor_for
from tests.integration.platform.test_permissions import World, build_world

AT = date(2025, 6, 30)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "log.sqlite", tmp_path / "uit")
    yield w
    w.engine.dispose()


def _views(world: World) -> list[tuple[str | None, str | None, str | None, int | None]]:
    """The view events, oldest first: (user, role, object, rows)."""
    return [(e.user, e.role, e.object, e.row_count)
            for e in reversed(audit.list_events(world.engine, action=audit.VIEW))]


def test_each_list_a_screen_shows_is_one_view_with_its_row_count(world: World) -> None:
    kim = actor_for(world.engine, "KM")
    engine = world.engine
    rows = search_households(engine, kim, "jansen")
    members = household_members(engine, kim, rows[0].id)
    with engine.connect() as conn:
        tim = conn.exec_driver_sql("SELECT id FROM person WHERE external_id = 'P002'").scalar()
    allocations = person_allocations(engine, kim, int(tim))
    history = review_history(engine, kim, "W-1", "wmo")
    cases = portfolio(engine, kim, AT)
    assert (len(rows), len(members), len(allocations), len(history), len(cases.rows)) == (
        1, 2, 1, 1, 1)
    assert _views(world) == [
        ("Kim Klant", "klantmanager", "huishoudens gezocht op 'jansen' (team: Wmo)", 1),
        ("Kim Klant", "klantmanager", "leden huishouden H001", 2),
        ("Kim Klant", "klantmanager", "toewijzingen persoon P002", 1),
        ("Kim Klant", "klantmanager", "toewijzing W-1 (wmo) geopend met beoordelingen", 1),
        ("Kim Klant", "klantmanager", f"trajecten op {AT} (coördinator: alle, team: alle)", 1),
    ]


def test_a_controllers_view_is_logged_under_the_source_ids(world: World) -> None:
    """The controller sees pseudonyms; the log (which the controller may not read) keeps the
    source id, so an inzageverzoek can be answered."""
    carla = Actor("Carla Controller", "controller")
    o = household_overview(world.engine, carla, household_pseudonym("H001"), AT)
    assert o.household_id == household_pseudonym("H001")
    [(user, role, obj, rows)] = _views(world)
    assert (user, role, rows) == ("Carla Controller", "controller", 2)
    assert obj == f"kostenoverzicht huishouden H001 op {AT}"


def test_an_empty_result_is_a_view_too(world: World) -> None:
    kim = actor_for(world.engine, "KM")
    assert search_households(world.engine, kim, "niemand") == []
    assert household_members(world.engine, kim, 9999) == []
    assert _views(world) == [
        ("Kim Klant", "klantmanager", "huishoudens gezocht op 'niemand' (team: Wmo)", 0),
        ("Kim Klant", "klantmanager", "leden huishouden 9999", 0)]


def test_views_keep_the_chain_whole(world: World) -> None:
    kim = actor_for(world.engine, "KM")
    for _ in range(3):
        search_households(world.engine, kim, "")
    assert audit.verify(world.engine).ok
