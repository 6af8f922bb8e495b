"""Privacy and reliability (DESIGN section 8): roles, audit chain, backups, damaged files."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.exchange.importer import import_sources
from sdesk.services.platform import audit
from sdesk.services.platform.actor import SYSTEM
from sdesk.services.platform.backup import make_backup
from sdesk.services.platform.db import check_database, open_database
from sdesk.services.platform.errors import DatabaseError
from sdesk.services.platform.recovery import restore
from tests.integration.exchange_data import dump, write_folder
from tests.integration.household import test_household_overview as hh

STAFF = {"medewerkers": [["medewerker_id", "naam", "rol", "team"],
                         ["CTRL", "Carla Controller", "controller", "Control"],
                         ["KM", "Kees Klant", "klantmanager", "Wmo"]]}
IDENTIFYING = ("Vos", "Anna", "Bram", "999900006")


@pytest.fixture
def people(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "h", hh.DATA)]).ok
    assert import_sources(engine, [write_folder(tmp_path / "s", STAFF)]).ok
    return engine


def _text_of_workbook(path: Path) -> str:
    wb = load_workbook(path)
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows()
                    for c in row if c.value is not None)


def test_controller_sees_no_names_or_bsn_in_cli_and_exports(
        people: Engine, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from sdesk.services.platform.actor import household_pseudonym

    people.dispose()
    # Issue 14: the controller names a household by its pseudonym, not by its source id.
    assert main(["household", "--db", str(db_path), household_pseudonym("H1"), "--at",
                 "2025-06-30", "--json", "--user", "CTRL"]) == 0
    out = capsys.readouterr().out
    assert not any(x in out for x in IDENTIFYING)
    assert json.loads(out)["members"][0]["person_id"].startswith("P-")
    # The klantmanager does see them.
    assert main(["household", "--db", str(db_path), "H1", "--at", "2025-06-30", "--json",
                 "--user", "KM"]) == 0
    assert "Vos, Anna" in capsys.readouterr().out
    # Issue 14: per-household and per-person exports are refused to the controller ...
    for report, extra in (("household", ["H1", "--at", "2025-06-30"]),
                          ("kpi", ["--from", "2025-01-01", "--to", "2025-06-30", "--persons",
                                   "--internal"])):
        target = tmp_path / f"{report}.xlsx"
        assert main(["export", "--db", str(db_path), report, *extra, "--out", str(target),
                     "--purpose", "controle", "--user", "CTRL"]) == 2
        assert ("Als controller mag u geen gegevens per persoon of huishouden exporteren"
                in capsys.readouterr().err), report
        assert not target.exists()
    # ... the aggregates are not, and show nobody.
    target = tmp_path / "kpi.xlsx"
    assert main(["export", "--db", str(db_path), "kpi", "--from", "2025-01-01", "--to",
                 "2025-06-30", "--internal", "--out", str(target), "--purpose", "controle",
                 "--user", "CTRL"]) == 0
    text = _text_of_workbook(target)
    assert not any(x in text for x in IDENTIFYING)


def test_views_changes_imports_exports_are_logged(people: Engine, db_path: Path,
                                                  tmp_path: Path) -> None:
    people.dispose()
    assert main(["export", "--db", str(db_path), "household", "H1", "--at", "2025-06-30",
                 "--out", str(tmp_path / "x.xlsx"), "--purpose", "casusoverleg",
                 "--user", "KM"]) == 0
    engine = open_database(db_path)
    events = audit.list_events(engine)
    engine.dispose()
    actions = [e.action for e in events]
    assert actions.count("import") == 2
    assert "view" in actions
    export = next(e for e in events if e.action == "export")
    assert (export.user, export.role, export.purpose) == ("Kees Klant", "klantmanager",
                                                         "casusoverleg")


def test_export_without_purpose_is_refused(people: Engine, db_path: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    people.dispose()
    target = tmp_path / "x.xlsx"
    assert main(["export", "--db", str(db_path), "household", "H1", "--out",
                 str(target)]) == 2
    assert "--purpose" in capsys.readouterr().err
    assert not target.exists()


def test_changed_or_deleted_audit_row_is_detected(people: Engine, db_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    audit.log(people, SYSTEM, audit.VIEW, "huishouden H1", 2)
    audit.log(people, SYSTEM, audit.EXPORT, "x.xlsx", 5, "raad")
    assert audit.verify(people).ok
    people.dispose()
    # sdesk itself cannot change the log ...
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="auditlog"):
        conn.execute("UPDATE audit_event SET user = 'iemand' WHERE id = 2")
    # ... but someone with a raw SQLite tool can; the chain shows it.
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET purpose = 'anders' WHERE action = 'export'")
    conn.commit()
    conn.close()
    assert main(["audit", "--db", str(db_path), "verify"]) == 1
    assert "is gewijzigd" in capsys.readouterr().err

    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute("UPDATE audit_event SET purpose = 'raad' WHERE action = 'export'")
    conn.execute("DELETE FROM audit_event WHERE action = 'view'")
    conn.commit()
    conn.close()
    engine = open_database(db_path)
    result = audit.verify(engine)
    engine.dispose()
    assert not result.ok and "verbroken" in result.message


def test_backup_and_restore(people: Engine, db_path: Path, tmp_path: Path) -> None:
    before = dump(db_path)
    copy = make_backup(db_path, tmp_path / "kopie.sqlite")
    more = {"huishoudens": [["huishouden_id"], ["H9"]]}
    assert import_sources(people, [write_folder(tmp_path / "more", more)]).ok
    # The import made an automatic backup first, next to the database.
    assert list((db_path.parent / "backups").glob("*voor-import*"))
    people.dispose()
    done = restore(db_path, copy)
    assert done.aside is not None and done.aside.exists()
    # The data is as it was; the audit log keeps the import and adds the restore.
    assert _data(dump(db_path)) == _data(before)
    engine = open_database(db_path)
    assert [e.action for e in audit.list_events(engine, limit=2)] == ["restore", "import"]
    assert audit.verify(engine).ok
    engine.dispose()


def _data(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith(('INSERT INTO "audit_event"',
                                                           'INSERT INTO "meta"'))]


def test_damaged_file_points_to_the_newest_backup(people: Engine, db_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    people.dispose()
    newest = make_backup(db_path)
    raw = bytearray(db_path.read_bytes())
    raw[4096:4096 + 2048] = b"\xff" * 2048  # overwrite part of a page
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.write_bytes(bytes(raw))
    # Opening reads the schema, not every page (#17): `sdesk check` reads them all and says
    # where the way back is; a command that meets the damaged page says the same.
    assert main(["check", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "beschadigd" in err and str(newest) in err and "sdesk restore" in err
    with pytest.raises(DatabaseError) as info:
        engine = open_database(db_path)
        try:
            check_database(engine, db_path)
        finally:
            engine.dispose()
    assert "beschadigd" in str(info.value) and str(newest) in str(info.value)
    assert main(["household", "--db", str(db_path), "H1"]) == 2
    err = capsys.readouterr().err
    assert "beschadigd" in err and "sdesk restore" in err and "Traceback" not in err
    assert main(["restore", "--db", str(db_path), str(newest)]) == 0
    engine = open_database(db_path)
    engine.dispose()
