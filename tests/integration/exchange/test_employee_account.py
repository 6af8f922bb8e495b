"""medewerkers.csv carries the optional operating-system account sdesk recognises an employee
by (#14 item 5): one employee per account, at most 64 characters, kept on re-import."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from sdesk.services.exchange import export_exchange, import_sources
from sdesk.services.platform.users import actor_for_account
from tests.integration.exchange_data import write_folder

HEADER = ["medewerker_id", "naam", "rol", "team", "fte", "account"]


def test_the_account_maps_the_os_user_to_the_employee(engine: Engine, tmp_path: Path) -> None:
    staff = {"medewerkers": [HEADER, ["M1", "Sanne de Vries", "klantmanager", "Noord", "1",
                                      "GEMEENTE\\svries"],
                             ["M2", "Piet Post", "controller", "", "1", ""]]}
    assert import_sources(engine, [write_folder(tmp_path / "a", staff)]).ok
    actor = actor_for_account(engine, "gemeente\\SVRIES")
    assert actor is not None and (actor.name, actor.role) == ("Sanne de Vries", "klantmanager")
    assert actor_for_account(engine, "ppost") is None
    out = tmp_path / "uit"
    export_exchange(engine, out)
    lines = (out / "medewerkers.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split(";")[-1] == "account"
    assert lines[1].endswith(";GEMEENTE\\svries")


def test_one_account_for_two_employees_is_refused(engine: Engine, tmp_path: Path) -> None:
    staff = {"medewerkers": [HEADER, ["M1", "Sanne", "klantmanager", "", "", "svries"],
                             ["M2", "Saskia", "klantmanager", "", "", "SVries"],
                             ["M3", "Lange", "controller", "", "", "x" * 65]]}
    result = import_sources(engine, [write_folder(tmp_path / "b", staff)])
    assert not result.ok
    text = [str(i) for i in result.issues]
    assert any("medewerkers.csv:3: account: dubbele sleutel 'svries' (ook op regel 2)" in t
               for t in text), text
    assert any("medewerkers.csv:4: account: een account is hoogstens 64 tekens" in t
               for t in text), text
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM employee").scalar() == 0
