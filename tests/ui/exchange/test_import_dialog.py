"""The import dialog against the real importer: refusals in a table, successes as counts."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, func, select

from sdesk.models import Household
from sdesk.services.exchange.importer import ImportResult
from sdesk.services.platform.actor import SYSTEM
from sdesk.ui.exchange.import_dialog import ImportDialog
from sdesk.ui.exchange.models import IssueTableModel
from sdesk.ui.shell.main_window import MainWindow


@pytest.fixture
def dialog(qtbot: QtBot, sample_engine: Engine) -> Iterator[ImportDialog]:
    dlg = ImportDialog(sample_engine)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg


def _household_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Household)).scalar_one()


def _bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "fout"
    folder.mkdir()
    # huishouden_id is required; without it the whole import must be refused.
    (folder / "huishoudens.csv").write_text("wijk;postcode\nCentrum;7551AB\n", encoding="utf-8")
    return folder


def test_bad_folder_shows_every_issue_and_saves_nothing(dialog: ImportDialog, qtbot: QtBot,
                                                         sample_engine: Engine,
                                                         tmp_path: Path) -> None:
    before = _household_count(sample_engine)
    dialog.set_sources([_bad_folder(tmp_path)])
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000) as blocker:
        dialog.import_button.click()
    result = blocker.args[0]
    assert isinstance(result, ImportResult) and not result.ok
    assert dialog.result_stack.currentWidget() is dialog.issue_view
    model = dialog.issue_model
    assert model.rowCount() == len(result.issues) >= 1
    files = [model.data(model.index(r, IssueTableModel.COL_FILE))
             for r in range(model.rowCount())]
    columns = [model.data(model.index(r, IssueTableModel.COL_COLUMN))
               for r in range(model.rowCount())]
    assert any("huishoudens" in f for f in files)
    assert "huishouden_id" in columns
    assert "niets opgeslagen" in dialog.result_label.text()
    assert "geweigerd" in dialog.result_label.text()
    assert _household_count(sample_engine) == before
    assert dialog.import_button.isEnabled() and dialog.close_button.isEnabled()


def test_good_file_shows_counts_and_refreshes_window(qtbot: QtBot, sample_db_path: Path,
                                                     sample_engine: Engine,
                                                     tmp_path: Path) -> None:
    window = MainWindow(sample_db_path, SYSTEM)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.households_page.search_finished, timeout=10_000):
        window.attach_engine(sample_engine)
    csv = tmp_path / "huishoudens.csv"
    csv.write_text("huishouden_id;wijk;postcode\nH900;Oost;7554GH\nH901;Oost;7554GJ\n",
                   encoding="utf-8")
    window.open_import_dialog()
    dialog = window.import_dialog
    dialog.set_sources([csv])
    with qtbot.waitSignal(dialog.import_finished, timeout=20_000) as blocker:
        dialog.start_import()
    assert blocker.args[0].ok
    assert dialog.result_stack.currentWidget() is dialog.count_view
    assert dialog.count_model.row_at(0).rows == 2
    assert "geslaagd" in dialog.result_label.text()
    qtbot.waitUntil(lambda: "5 huishoudens" in window.counts_label.text(), timeout=5000)
    assert "geslaagd" in window.import_page.last_result_label.text()
    dialog.close()
    window.close()


def test_cancel_saves_nothing(dialog: ImportDialog, qtbot: QtBot, sample_engine: Engine,
                              tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from sdesk.services import exchange
    from sdesk.services.exchange import ImportCancelled
    release = threading.Event()

    def slow_import(engine, sources, progress=None, cancelled=None, actor=None):  # noqa: ANN001, ANN202
        # Stands in for a long import: it only stops when the dialog asks it to.
        while not cancelled():
            release.wait(0.01)
        raise ImportCancelled()

    # The face the dialog reads (it keeps a name once loaded, so patch it there).
    monkeypatch.setattr(exchange, "import_sources", slow_import)
    dialog.set_sources([tmp_path])
    dialog.start_import()
    assert dialog.cancel_button.isEnabled() and not dialog.close_button.isEnabled()
    with qtbot.waitSignal(dialog.import_finished, timeout=10_000):
        dialog.cancel_button.click()
    assert "geannuleerd" in dialog.result_label.text()
    assert "niets opgeslagen" in dialog.result_label.text()
    assert not dialog.running and dialog.close_button.isEnabled()


def test_xml_messages_import_through_the_dialog(qtbot, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    """iJw/iWmo messages go through the same dialog (and the same all-or-nothing import)."""
    from PySide6.QtWidgets import QFileDialog

    from sdesk.services.demo.generator import generate_demo
    from sdesk.services.exchange.istandaarden import export_istandaarden
    from sdesk.services.platform.db import open_database
    from sdesk.ui.exchange.import_dialog import ImportDialog

    source = open_database(tmp_path / "bron.sqlite")
    generate_demo(source, size="tiny", seed=1)
    export_istandaarden(source, tmp_path / "xml")
    source.dispose()
    files = sorted(str(p) for p in (tmp_path / "xml").rglob("*301_*.xml"))
    engine = open_database(tmp_path / "doel.sqlite")
    dialog = ImportDialog(engine)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (files, ""))
    dialog.xml_button.click()
    assert len(dialog._sources) == len(files) > 10
    with qtbot.waitSignal(dialog.import_finished, timeout=30_000) as done:
        dialog.start_import()
    assert done.args[0].ok
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM allocation").scalar() > 10
    engine.dispose()
