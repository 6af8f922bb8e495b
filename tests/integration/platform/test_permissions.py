"""Issue 14, item 5: one permission table, enforced in the services, tested per role.

Every role (and the unknown user of the command line) against every guarded service, on the
hand-made municipality of tests/conftest.py plus one employee per role, a budget line, a
cost-map item, a coordination case and a review. What each role may do is written out below
by hand (EXPECTED), not read from the table it checks. A refusal says in Dutch why and who
may, and leaves every table as it was (the audit log included) and no file behind.

Also here: who the acting user is -- --user, the operating-system account mapped by
employee.account (migration 0009, idempotent), else an unknown user on the command line who
sees no names or BSN and may not change or export anything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.afschaling import (
    business_case,
    record_decision,
    reset_ladder,
    switch_off_ladder,
)
from sdesk.services.budget import set_explanation, set_manual_forecast
from sdesk.services.exports import Written, export
from sdesk.services.household import (
    CostMapItem,
    delete_item,
    evaluate_case,
    save_item,
    start_case,
    update_case,
)
from sdesk.services.platform import audit
from sdesk.services.platform.actor import ANONYMOUS, SYSTEM, Actor
from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.permissions import PermissionDenied
from sdesk.services.platform.users import actor_for
from tests.conftest import build_sample_database

AT = date(2025, 6, 30)
# One employee per role (ids are what --user takes).
STAFF = (("KM", "Kim Klant", "klantmanager", "Wmo"),
         ("PC", "Pim Coördinator", "procescoordinator", "Procesregie"),
         ("TL", "Tara Teamleider", "teamleider", "Wmo"),
         ("CO", "Carla Controller", "controller", "Control"))
ROLES = ("klantmanager", "procescoordinator", "teamleider", "controller", "anoniem")
ROLE_ACTOR = {"klantmanager": "KM", "procescoordinator": "PC", "teamleider": "TL",
              "controller": "CO"}


@dataclass
class World:
    engine: Engine
    folder: Path
    case_id: int
    item_id: int


def _stub_writer(_engine: Engine, _actor: Actor, _params: object, path: Path) -> Written:
    path.write_text("proef\n", encoding="utf-8")
    return Written(1, "proef")


def _export(report: str, params: Callable[[World], dict[str, Any]],
            stub: bool = False) -> Callable[[World, Actor], object]:
    def call(w: World, actor: Actor) -> object:
        return export(w.engine, actor, report, params(w), w.folder / f"{report}.xlsx", "test",
                      writer=_stub_writer if stub else None)
    return call


# service -> how to call it as `actor`.
SERVICES: dict[str, Callable[[World, Actor], object]] = {
    "besluit vastleggen": lambda w, a: record_decision(
        w.engine, a, "J-1", "jeugd", "continue", AT, []),
    "prognose wijzigen": lambda w, a: set_manual_forecast(w.engine, a, 2025, "Jeugd", 123_400),
    "toelichting wijzigen": lambda w, a: set_explanation(w.engine, a, 2025, "Jeugd", "Meer."),
    "kostenkaart opslaan": lambda w, a: save_item(
        w.engine, a, CostMapItem(None, "Proefitem", "per uur", 1_000, "gemeente", 2025)),
    "kostenkaart verwijderen": lambda w, a: delete_item(w.engine, a, w.item_id),
    "traject starten": lambda w, a: start_case(w.engine, a, "H002", AT),
    "traject evalueren": lambda w, a: evaluate_case(w.engine, a, w.case_id, date(2025, 12, 31)),
    "traject wijzigen": lambda w, a: update_case(w.engine, a, w.case_id, attribution=0.5),
    "productladder uitzetten": lambda w, a: switch_off_ladder(w.engine, a, "wmo", "02"),
    "productladder terugzetten": lambda w, a: reset_ladder(w.engine, a, "wmo", "02"),
    "auditlog lezen": lambda w, a: audit.list_events(w.engine, a),
    "auditlog controleren": lambda w, a: audit.check_chain(w.engine, a),
    "export huishouden": _export("household", lambda w: {"household_id": "H001", "at": AT}),
    "export werklijst": _export("worklist", lambda w: {"at": AT}),
    "export uitsplitsing": _export("drilldown", lambda w: {"rows": [], "title": "Proef"}),
    "export raad met personen": _export("council", lambda w: {"include_persons": True},
                                        stub=True),
    "export raad": _export("council", lambda w: {}, stub=True),
    "export business case": _export(
        "business_case", lambda w: {"case": business_case(w.engine, AT, 1.0, 100_000)}),
    "export auditlog": _export("audit", lambda w: {}),
}

_ALL = frozenset(SERVICES)
_PERSON_EXPORTS = {"export huishouden", "export werklijst", "export uitsplitsing",
                   "export raad met personen"}
# By hand: what each role may do (DESIGN 8 and issue 14).
EXPECTED: dict[str, frozenset[str]] = {
    "klantmanager": frozenset({"besluit vastleggen", "auditlog controleren", "export raad",
                               "export business case", *_PERSON_EXPORTS}),
    "procescoordinator": _ALL,
    "teamleider": _ALL,
    "controller": frozenset({"auditlog controleren", "export raad", "export business case"}),
    "anoniem": frozenset({"auditlog controleren"}),
}
# By hand: the refusal of a role (after "Als <rol> mag u ") per service.
REFUSED = {
    "besluit vastleggen": "geen afschalingsbesluiten vastleggen.",
    "prognose wijzigen": "geen prognoses of toelichtingen van de begroting wijzigen.",
    "toelichting wijzigen": "geen prognoses of toelichtingen van de begroting wijzigen.",
    "kostenkaart opslaan": "de kostenkaart niet wijzigen.",
    "kostenkaart verwijderen": "de kostenkaart niet wijzigen.",
    "traject starten": "geen trajecten procescoördinatie starten, evalueren of wijzigen.",
    "traject evalueren": "geen trajecten procescoördinatie starten, evalueren of wijzigen.",
    "traject wijzigen": "geen trajecten procescoördinatie starten, evalueren of wijzigen.",
    "productladder uitzetten": "de productladders niet beheren.",
    "productladder terugzetten": "de productladders niet beheren.",
    "auditlog lezen": "de auditlog niet inzien.",
    "export auditlog": "de auditlog niet inzien.",
    **{s: "geen gegevens per persoon of huishouden exporteren." for s in _PERSON_EXPORTS},
}
# By hand: what an unknown user is told (after "Geef --user MEDEWERKER-ID op om ").
ANONYMOUS_REFUSED = {
    "besluit vastleggen": "afschalingsbesluiten vast te leggen",
    "prognose wijzigen": "prognoses en toelichtingen van de begroting te wijzigen",
    "toelichting wijzigen": "prognoses en toelichtingen van de begroting te wijzigen",
    "kostenkaart opslaan": "de kostenkaart te wijzigen",
    "kostenkaart verwijderen": "de kostenkaart te wijzigen",
    "traject starten": "trajecten procescoördinatie te starten",
    "traject evalueren": "trajecten procescoördinatie te starten",
    "traject wijzigen": "trajecten procescoördinatie te starten",
    "productladder uitzetten": "de productladders te beheren",
    "productladder terugzetten": "de productladders te beheren",
    "auditlog lezen": "de auditlog in te zien",
    **{s: "te exporteren" for s in SERVICES if s.startswith("export")},
}


def build_world(path: Path, folder: Path) -> World:
    engine = build_sample_database(path)
    with engine.begin() as conn:
        for name in sorted({s[3] for s in STAFF}):
            conn.exec_driver_sql("INSERT INTO team (name) VALUES (?)", (name,))
        for ext, name, role, team in STAFF:
            conn.exec_driver_sql(
                "INSERT INTO employee (external_id, name, role, team_id) "
                "VALUES (?, ?, ?, (SELECT id FROM team WHERE name = ?))", (ext, name, role, team))
        conn.exec_driver_sql("UPDATE allocation SET employee_id = (SELECT id FROM employee "
                             "WHERE external_id = 'KM')")
        conn.exec_driver_sql("INSERT INTO budget_line (year, name, law, amount_cents) "
                             "VALUES (2025, 'Jeugd', 'jeugd', 1000000)")
    case_id = start_case(engine, SYSTEM, "H001", date(2025, 3, 1), notes="Gesprek met Petra")
    item_id = save_item(engine, SYSTEM, CostMapItem(None, "Ongebruikt", "per uur", 500,
                                                    "gemeente", 2025))
    record_decision(engine, SYSTEM, "W-1", "wmo", "continue", date(2025, 5, 1), [],
                    notes="Afgesproken met Petra")
    folder.mkdir()
    return World(engine, folder, case_id, item_id)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(tmp_path / "rollen.sqlite", tmp_path / "uit")
    yield w
    w.engine.dispose()


def _actor(w: World, role: str) -> Actor:
    return ANONYMOUS if role == "anoniem" else actor_for(w.engine, ROLE_ACTOR[role])


def _dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {t: [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"')]
                for t in tables}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_against_every_service(world: World, role: str, service: str) -> None:
    actor = _actor(world, role)
    before = _dump(world.engine)
    if service in EXPECTED[role]:
        SERVICES[service](world, actor)  # allowed: it simply works
        return
    with pytest.raises(PermissionDenied) as refused:
        SERVICES[service](world, actor)
    message = str(refused.value)
    if role == "anoniem":
        assert message.startswith("Geef --user MEDEWERKER-ID op om "
                                  + ANONYMOUS_REFUSED[service])
        assert "zonder bekende gebruiker mag dat niet" in message
    else:
        label = {"procescoordinator": "procescoördinator"}.get(role, role)
        assert message.startswith(f"Als {label} mag u {REFUSED[service]}")
        assert "Dat mag een " in message  # and who may
    # Nothing written: every table (the audit log too) as it was, no file left behind.
    assert _dump(world.engine) == before
    assert list(world.folder.iterdir()) == []


def test_the_controller_message_reads_as_in_the_issue(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        record_decision(world.engine, _actor(world, "controller"), "J-1", "jeugd", "continue",
                        AT, [])
    assert str(refused.value) == ("Als controller mag u geen afschalingsbesluiten vastleggen. "
                                  "Dat mag een klantmanager, procescoördinator of teamleider.")


def test_klantmanager_sees_own_team_unless_choosing_all(world: World) -> None:
    from sdesk.services.afschaling import worklist
    from sdesk.services.household import search_households
    from sdesk.services.platform.permissions import ALL_TEAMS

    # Kim (team Wmo) is responsible for every allocation of H001; Bas of team Jeugd for none.
    with world.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO team (name) VALUES ('Jeugd')")
        conn.exec_driver_sql("INSERT INTO employee (external_id, name, role, team_id) VALUES "
                             "('KJ', 'Bas Jeugd', 'klantmanager', "
                             "(SELECT id FROM team WHERE name = 'Jeugd'))")
    kim, bas = actor_for(world.engine, "KM"), actor_for(world.engine, "KJ")
    assert (kim.team, bas.team) == ("Wmo", "Jeugd")
    assert [h.external_id for h in search_households(world.engine, kim, "")] == ["H001"]
    assert search_households(world.engine, bas, "") == []
    assert [h.external_id for h in search_households(world.engine, bas, "", team=ALL_TEAMS)
            ] == ["H001", "H002", "H003"]
    # The teamleider (same team) is not limited by default.
    tara = actor_for(world.engine, "TL")
    assert len(search_households(world.engine, tara, "")) == 3
    # The worklist: the filter says which team it showed.
    assert worklist(world.engine, bas, AT).filters.team == "Jeugd"
    assert worklist(world.engine, bas, AT, team=ALL_TEAMS).filters.team is None


# -- who is acting ----------------------------------------------------------------------------


def test_cli_without_user_sees_no_names_and_changes_nothing(
        world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 14: without --user the command line acted as a procescoördinator."""
    db = str(world.engine.url.database)
    world.engine.dispose()
    # A household by its source id: not for an unknown user, and said how to get it.
    assert main(["household", "--db", db, "H001", "--at", "2025-06-30", "--json"]) == 2
    err = capsys.readouterr().err
    assert "Geef --user MEDEWERKER-ID op om een huishouden op zijn nummer te bekijken" in err
    # The worklist: pseudonyms and allocation pseudonyms, no names, BSN or source numbers.
    assert main(["review", "--db", db, "--at", "2025-06-30", "--json", "--all-teams"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert data["candidates"], "the sample has candidates"
    for leaked in ("Jansen", "Petra", "111222333", "123456782", "P001", "P002", '"J-1"',
                   '"W-1"'):
        assert leaked not in out
    assert all(c["person"].startswith("P-") and c["toewijzingnummer"].startswith("T-")
               for c in data["candidates"])
    # No exports, no audit log.
    target = tmp_path / "x.xlsx"
    assert main(["export", "--db", db, "household", "H001", "--out", str(target),
                 "--purpose", "test"]) == 2
    assert "Geef --user MEDEWERKER-ID op om te exporteren" in capsys.readouterr().err
    assert not target.exists()
    assert main(["audit", "--db", db, "list"]) == 2
    assert "Geef --user MEDEWERKER-ID op om de auditlog in te zien" in capsys.readouterr().err
    # Checking the chain shows no content: allowed, and logged as the unknown user.
    assert main(["audit", "--db", db, "verify"]) == 0
    capsys.readouterr()
    assert main(["audit", "--db", db, "list", "--json", "--limit", "3", "--user", "PC"]) == 0
    events = json.loads(capsys.readouterr().out)
    assert [(e["user"], e["role"], e["action"]) for e in events][:1] == [
        ("onbekend", "anoniem", "verify")]
    views = [e for e in audit.list_events(world.engine, action="view")
             if "werklijst" in (e.object or "")]
    assert views and views[0].user == "onbekend"


def test_cli_import_without_user_runs_as_systeem(world: World, tmp_path: Path) -> None:
    db = str(world.engine.url.database)
    world.engine.dispose()
    folder = tmp_path / "nieuw"
    folder.mkdir()
    (folder / "huishoudens.csv").write_text("huishouden_id;wijk\nH9;Oost\n", encoding="utf-8")
    assert main(["import", "--db", db, str(folder)]) == 0
    from sdesk.services.platform.db import open_database

    engine = open_database(db)
    event = audit.list_events(engine, action="import", limit=1)[0]
    engine.dispose()
    assert (event.user, event.role) == ("systeem", "procescoordinator")


def test_os_account_maps_to_an_employee(world: World, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    from sdesk.services.platform.users import actor_for_account

    with world.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE employee SET account = 'kim.klant' WHERE external_id = 'KM'")
        # Two employees with one account: ambiguous, so nobody (the user picks).
        conn.exec_driver_sql("UPDATE employee SET account = 'gedeeld' "
                             "WHERE external_id IN ('PC', 'TL')")
    kim = actor_for_account(world.engine, "KIM.KLANT")
    assert kim is not None and (kim.name, kim.role, kim.team) == ("Kim Klant", "klantmanager",
                                                                 "Wmo")
    assert actor_for_account(world.engine, "gedeeld") is None
    assert actor_for_account(world.engine, "iemand") is None
    assert actor_for_account(world.engine, "") is None
    db = str(world.engine.url.database)
    world.engine.dispose()
    import getpass

    monkeypatch.setattr(getpass, "getuser", lambda: "kim.klant")
    assert main(["household", "--db", db, "H001", "--at", "2025-06-30", "--json"]) == 0
    assert "Jansen, Petra" in capsys.readouterr().out  # acting as Kim, who sees names


def test_unknown_user_id_is_refused_in_dutch(world: World,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = str(world.engine.url.database)
    world.engine.dispose()
    assert main(["review", "--db", db, "--user", "NIEMAND"]) == 2
    assert "Medewerker 'NIEMAND' bestaat niet" in capsys.readouterr().err


def test_account_migration_is_idempotent(tmp_path: Path) -> None:
    """0009 after a run that stopped once the column was added: it completes, no error."""
    from alembic import command
    from alembic.config import Config

    from sdesk.services.platform.db import (
        MIGRATIONS_DIR,
        current_revision,
        head_revision,
        open_database,
    )
    from sdesk.services.platform.sqlite import make_engine

    path = tmp_path / "half.sqlite"
    old = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with old.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.exec_driver_sql("INSERT INTO employee (external_id, name, role) "
                             "VALUES ('M1', 'Mila', 'klantmanager')")
        # Half-applied: the column is there, the revision still says 0008.
        conn.exec_driver_sql("ALTER TABLE employee ADD COLUMN account VARCHAR(64)")
    old.dispose()
    engine = open_database(path)
    try:
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            columns = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(employee)")]
            assert columns.count("account") == 1
            assert conn.exec_driver_sql("SELECT name FROM employee").scalar() == "Mila"
    finally:
        engine.dispose()
    # And on a file without the column it adds it.
    fresh = tmp_path / "vers.sqlite"
    engine = open_database(fresh)
    with engine.connect() as conn:
        assert "account" in [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(employee)")]
    engine.dispose()


def test_refusals_are_sdesk_errors(world: World) -> None:
    """The CLI and the screens show SdeskError as a message, never a traceback."""
    assert issubclass(PermissionDenied, SdeskError)
