"""The one export use case: a purpose is required, the file and its audit row arrive together
or not at all, and the acting user is the one recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.exports import Written, export, report_names
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.audit import list_events
from sdesk.services.platform.errors import SdeskError

KEES = Actor("Kees Klant", "klantmanager")


def _csv_writer(engine: Engine, actor: Actor, params: object, path: Path) -> Written:
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    return Written(1, "proefbestand")


def test_export_writes_the_file_and_one_audit_row(engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "map" / "proef.csv"
    done = export(engine, KEES, "proef", {}, out, "  werkoverleg ", writer=_csv_writer)
    assert out.read_text(encoding="utf-8") == "a;b\n1;2\n"
    assert (done.path, done.rows, done.purpose) == (out, 1, "werkoverleg")
    [event] = list_events(engine, action="export")
    assert (event.user, event.role, event.object, event.row_count, event.purpose) == (
        "Kees Klant", "klantmanager", "proefbestand -> proef.csv", 1, "werkoverleg")
    assert sorted(p.name for p in out.parent.iterdir()) == ["proef.csv"]  # no temporary left


def test_the_export_is_logged_before_its_file_appears(engine: Engine, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """When the file is put in place, another connection already sees the committed row."""
    import sdesk.services.exports as exports

    seen: list[int] = []
    real_replace = exports.os.replace

    def replace(source: Path, target: Path) -> None:
        if not str(target).endswith("proef.csv"):  # os is shared: the audit anchor uses it too
            real_replace(source, target)
            return
        with engine.connect() as other:
            seen.append(other.exec_driver_sql(
                "SELECT count(*) FROM audit_event WHERE action = 'export'").scalar() or 0)
        real_replace(source, target)

    monkeypatch.setattr(exports.os, "replace", replace)
    export(engine, KEES, "proef", {}, tmp_path / "proef.csv", "overleg", writer=_csv_writer)
    assert seen == [1]


def test_a_file_that_cannot_be_put_in_place_is_logged_as_failed(
        engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sdesk.services.exports as exports

    real_replace = exports.os.replace

    def refuse(source: Path, target: Path) -> None:
        if not str(target).endswith("proef.csv"):
            real_replace(source, target)
            return
        raise PermissionError(13, "Geen toegang")

    monkeypatch.setattr(exports.os, "replace", refuse)
    with pytest.raises(SdeskError, match="kan niet worden geschreven"):
        export(engine, KEES, "proef", {}, tmp_path / "uit" / "proef.csv", "overleg",
               writer=_csv_writer)
    assert [e.object for e in list_events(engine, action="export")] == [
        "mislukt, geen bestand: proefbestand -> proef.csv", "proefbestand -> proef.csv"]
    assert list((tmp_path / "uit").iterdir()) == []


def test_a_purpose_is_required(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(SdeskError, match="doel van de export"):
        export(engine, KEES, "proef", {}, tmp_path / "x.csv", "   ", writer=_csv_writer)
    assert not (tmp_path / "x.csv").exists()
    assert list_events(engine, action="export") == []


def test_a_failing_writer_leaves_no_file_and_no_row(engine: Engine, tmp_path: Path) -> None:
    def broken(engine: Engine, actor: Actor, params: object, path: Path) -> Written:
        path.write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    folder = tmp_path / "uit"
    with pytest.raises(SdeskError, match="kan niet worden geschreven"):
        export(engine, KEES, "proef", {}, folder / "x.csv", "raad", writer=broken)
    assert list(folder.iterdir()) == []
    assert list_events(engine, action="export") == []


def test_suppressing_reports_say_so_in_the_purpose(engine: Engine, tmp_path: Path) -> None:
    export(engine, KEES, "council", {}, tmp_path / "a.csv", "raad", writer=_csv_writer)
    export(engine, KEES, "council", {}, tmp_path / "b.csv", "raad", internal=True,
           writer=_csv_writer)
    purposes = sorted(e.purpose or "" for e in list_events(engine, action="export"))
    assert purposes == ["raad (aantallen onder 10 afgeschermd)",
                        "raad (intern gebruik, geen afscherming van kleine aantallen)"]


def test_unknown_report_is_refused(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(SdeskError, match="Onbekend rapport"):
        export(engine, KEES, "geheim", {}, tmp_path / "x.xlsx", "raad")
    assert set(report_names()) == {"audit", "business_case", "council", "drilldown",
                                   "household", "worklist"}


def test_audit_csv_export(engine: Engine, tmp_path: Path) -> None:
    from sdesk.services.platform import audit

    audit.log(engine, KEES, audit.VIEW, "huishouden H1")
    out = tmp_path / "audit.csv"
    # Issue 14: reading the audit log (also as a file) is for the roles that may read it.
    with pytest.raises(SdeskError, match="Als klantmanager mag u de auditlog niet inzien"):
        export(engine, KEES, "audit", {}, out, "controle")
    assert not out.exists()
    export(engine, Actor("Tara Teamleider", "teamleider"), "audit", {}, out, "controle")
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "nr;tijd_utc;gebruiker;rol;actie;object;regels;doel"
    assert len(lines) == 2 and lines[1].endswith(";view;huishouden H1;;")
