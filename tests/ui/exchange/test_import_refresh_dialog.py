"""The import dialog shows what an import changed, offers the full refresh (reporting rows the
files no longer have, deleting nothing) and shows a bounded-input refusal with its line."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from sdesk.services.exchange.importer import ImportResult, import_sources
from sdesk.services.platform.db import open_database
from sdesk.ui.exchange.import_dialog import ImportDialog
from sdesk.ui.exchange.models import FileCountTableModel, IssueTableModel
from tests.integration.exchange_data import BASE, write_folder


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_database(tmp_path / "dialoog.sqlite")
    assert import_sources(eng, [write_folder(tmp_path / "base")]).ok
    yield eng
    eng.dispose()


@pytest.fixture
def dialog(qtbot: QtBot, engine: Engine) -> ImportDialog:
    dlg = ImportDialog(engine)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def _second(tmp_path: Path) -> Path:
    """BASE with toewijzing jeugd 1001 changed (einddatum, volume) and jeugd 1002 gone."""
    data = copy.deepcopy(BASE)
    header = data["toewijzingen"][0]
    data["toewijzingen"][1][header.index("einddatum")] = "2024-11-30"
    data["toewijzingen"][1][header.index("volume")] = "3"
    del data["toewijzingen"][4]
    return write_folder(tmp_path / "tweede", data)


def _run(dialog: ImportDialog, qtbot: QtBot, source: Path) -> ImportResult:
    dialog.set_sources([source])
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000) as blocker:
        dialog.start_import()
    result = blocker.args[0]
    assert isinstance(result, ImportResult), result
    return result


def _row(dialog: ImportDialog, name: str) -> dict[str, str]:
    model = dialog.count_model
    for r in range(model.rowCount()):
        if model.data(model.index(r, FileCountTableModel.COL_FILE)) == name:
            return {model.headerData(c, _horizontal()): model.data(model.index(r, c))
                    for c in range(model.columnCount())}
    raise AssertionError(f"{name} not in the counts table")


def _horizontal() -> object:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def test_reimport_shows_changed_rows_and_columns(dialog: ImportDialog, qtbot: QtBot,
                                                 tmp_path: Path) -> None:
    assert not dialog.full_refresh_check.isChecked()  # an ordinary import by default
    result = _run(dialog, qtbot, _second(tmp_path))
    assert result.ok and not result.full_refresh
    assert _row(dialog, "toewijzingen") == {
        "Bestand": "toewijzingen", "Rijen": "3", "Nieuw": "0", "Gewijzigd": "1",
        "Ongewijzigd": "2", "Niet meer in bestanden": ""}
    assert "toewijzingen.csv regel 2 (jeugd 1001) gewijzigd: einddatum, volume" in (
        dialog.changes_label.text())
    assert "Volledige verversing" not in dialog.result_label.text()


def test_full_refresh_reports_missing_rows_and_deletes_none(dialog: ImportDialog, qtbot: QtBot,
                                                            engine: Engine,
                                                            tmp_path: Path) -> None:
    dialog.full_refresh_check.setChecked(True)
    result = _run(dialog, qtbot, _second(tmp_path))
    assert result.ok and result.full_refresh
    assert _row(dialog, "toewijzingen")["Niet meer in bestanden"] == "1"
    assert "toewijzingen.csv: niet meer in de bestanden (niet verwijderd): jeugd 1002" in (
        dialog.changes_label.text())
    assert (f"Volledige verversing: {result.missing} rij(en) staan in sdesk maar niet in de "
            "bestanden; ze zijn niet verwijderd.") in dialog.result_label.text()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM allocation WHERE "
                                    "toewijzingnummer = '1002'").scalar_one() == 1


def test_checkbox_is_locked_while_importing(dialog: ImportDialog, qtbot: QtBot,
                                            tmp_path: Path) -> None:
    dialog.set_sources([_second(tmp_path)])
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000):
        dialog.start_import()
        assert not dialog.full_refresh_check.isEnabled()
    assert dialog.full_refresh_check.isEnabled()


def test_nul_byte_refusal_names_file_line_and_column(dialog: ImportDialog, qtbot: QtBot,
                                                     engine: Engine, tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    data["personen"][2][data["personen"][0].index("achternaam")] = "Jan\x00sen"
    result = _run(dialog, qtbot, write_folder(tmp_path / "nul", data))
    assert not result.ok
    model = dialog.issue_model
    assert model.rowCount() == 1
    assert [model.data(model.index(0, c)) for c in (IssueTableModel.COL_FILE,
                                                    IssueTableModel.COL_LINE,
                                                    IssueTableModel.COL_COLUMN)] == [
        "personen.csv", "3", "achternaam"]
    assert "NUL-teken" in model.data(model.index(0, IssueTableModel.COL_REASON))
    assert "niets opgeslagen" in dialog.result_label.text()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT last_name FROM person WHERE external_id = "
                                    "'P2'").scalar_one() == "Jansen"
