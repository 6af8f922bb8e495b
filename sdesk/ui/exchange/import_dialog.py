"""Choose exchange-format sources and import them off the GUI thread, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sdesk.services.platform.actor import SYSTEM, Actor
from sdesk.ui.exchange.models import FileCount, FileCountTableModel, IssueTableModel
from sdesk.ui.shell.tables import fit_columns, make_table
from sdesk.ui.shell.workers import Task, TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.exchange import FileChanges, ImportResult

_LAST_DIR_KEY = "import/last_dir"
_ERROR_STYLE = "color: #a61b1b; font-weight: bold;"
_OK_STYLE = "color: #1d6b2f; font-weight: bold;"
_MAX_CHANGE_LINES = 12


class ImportDialog(QDialog):
    """States: choosing -> running (progress, Annuleren) -> result (issues or counts)."""

    import_finished = Signal(object)  # ImportResult, or the exception that stopped it
    data_changed = Signal()  # something was written: views should refresh

    def __init__(self, engine: Engine, parent: QWidget | None = None,
                 actor: Actor | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._actor = actor  # who imports, for the audit log
        self._sources: list[Path] = []
        self._task: Task | None = None
        self.issue_model = IssueTableModel(self)
        self.count_model = FileCountTableModel(self)
        self._build_ui()
        self._connect_signals()
        self._update_buttons()

    # -- construction ---------------------------------------------------------------------

    def _build_ui(self) -> None:
        self.setWindowTitle("Gegevens importeren")
        self.resize(820, 560)
        intro = QLabel(
            "Kies een map met CSV-bestanden, een Excel-werkmap (.xlsx) of losse CSV-bestanden "
            "in het uitwisselformaat van sdesk, of iJw/iWmo-berichten (.xml, een .zip of een map "
            "vol berichten). Een import is alles of niets: bevat één regel een fout, dan wordt "
            "niets opgeslagen en ziet u hieronder alle fouten.")
        intro.setWordWrap(True)

        self.folder_button = QPushButton("Map kiezen…")
        self.workbook_button = QPushButton("Excel-bestand kiezen…")
        self.csv_button = QPushButton("CSV-bestanden kiezen…")
        self.xml_button = QPushButton("iJw/iWmo-berichten kiezen…")
        self.clear_button = QPushButton("Lijst leegmaken")
        choose_row = QHBoxLayout()
        for button in (self.folder_button, self.workbook_button, self.csv_button,
                       self.xml_button):
            choose_row.addWidget(button)
        choose_row.addStretch(1)
        choose_row.addWidget(self.clear_button)

        self.source_list = QListWidget()
        self.source_list.setMaximumHeight(90)
        self.source_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.full_refresh_check = QCheckBox(
            "&Volledige verversing: deze bestanden zijn alles; meld rijen die wel in sdesk "
            "staan maar niet (meer) in de bestanden")
        self.full_refresh_check.setToolTip(
            "Alleen voor bestanden van het uitwisselformaat. Per bestand in de import worden "
            "toewijzingen, declaraties en andere rijen die sdesk heeft maar de bestanden niet, "
            "gemeld. sdesk verwijdert ze niet: beëindig ze in het bronsysteem (einddatum of "
            "reden wijziging 13) en importeer opnieuw.")

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()

        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning_label = QLabel()
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        # Which rows changed (and in which columns), and what a full refresh found missing.
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        self.changes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.changes_label.hide()

        self.issue_view = make_table(self.issue_model, sortable=False)
        self.issue_view.horizontalHeader().setSectionResizeMode(
            IssueTableModel.COL_REASON, QHeaderView.ResizeMode.Stretch)
        self.count_view = make_table(self.count_model, sortable=False)
        # Empty page while choosing or running, then the issue table or the counts table.
        self.result_stack = QStackedWidget()
        self.result_stack.addWidget(QWidget())
        self.result_stack.addWidget(self.issue_view)
        self.result_stack.addWidget(self.count_view)

        self.import_button = QPushButton("Importeren")
        self.import_button.setDefault(True)
        self.cancel_button = QPushButton("Annuleren")
        self.close_button = QPushButton("Sluiten")
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        for button in (self.import_button, self.cancel_button, self.close_button):
            button_row.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(choose_row)
        layout.addWidget(self.source_list)
        layout.addWidget(self.full_refresh_check)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.changes_label)
        layout.addWidget(self.result_stack, 1)
        layout.addLayout(button_row)

    def _connect_signals(self) -> None:
        self.folder_button.clicked.connect(self._on_folder_clicked)
        self.workbook_button.clicked.connect(self._on_workbook_clicked)
        self.csv_button.clicked.connect(self._on_csv_clicked)
        self.xml_button.clicked.connect(self._on_xml_clicked)
        self.clear_button.clicked.connect(lambda: self.set_sources([]))
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.close_button.clicked.connect(self.reject)

    # -- public -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None and self._task.running

    def set_sources(self, paths: list[Path]) -> None:
        self._sources = [Path(p) for p in paths]
        self.source_list.clear()
        for path in self._sources:
            kind = "map" if path.is_dir() else path.suffix.lower().lstrip(".") or "bestand"
            self.source_list.addItem(f"{path}  ({kind})")
        self._update_buttons()

    def start_import(self) -> None:
        if self.running or not self._sources:
            return
        engine, sources = self._engine, list(self._sources)
        actor = self._actor or SYSTEM
        full_refresh = self.full_refresh_check.isChecked()

        def op(state: TaskState) -> ImportResult:
            from sdesk.services.exchange import import_sources

            # Only asked for when ticked: an ordinary import reads as it always did.
            extra = {"full_refresh": True} if full_refresh else {}
            return import_sources(engine, sources, progress=state.progress,
                                  cancelled=state.is_cancelled, actor=actor, **extra)

        self._show_result(None)
        self.progress_bar.setValue(0)
        self.progress_label.setText("Import gestart…")
        self._task = run_in_background(op, on_success=self._on_import_done,
                                       on_error=self._on_import_failed,
                                       on_progress=self._on_progress, owner=self)
        self._update_buttons()

    def cancel_import(self) -> None:
        if self.running and self._task is not None:
            self._task.cancel()
            self.progress_label.setText("Bezig met annuleren…")
            self.cancel_button.setEnabled(False)

    # -- slots ------------------------------------------------------------------------------

    def _start_dir(self) -> str:
        return str(QSettings().value(_LAST_DIR_KEY, str(Path.home())))

    def _remember_dir(self, path: Path) -> None:
        QSettings().setValue(_LAST_DIR_KEY, str(path if path.is_dir() else path.parent))

    def _on_folder_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Map met CSV-bestanden kiezen",
                                                  self._start_dir())
        if folder:
            self._remember_dir(Path(folder))
            self.set_sources([Path(folder)])

    def _on_workbook_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Excel-werkmap kiezen", self._start_dir(),
                                              "Excel-werkmap (*.xlsx)")
        if name:
            self._remember_dir(Path(name))
            self.set_sources([Path(name)])

    def _on_csv_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "CSV-bestanden kiezen", self._start_dir(),
                                                "CSV-bestanden (*.csv)")
        if names:
            self._remember_dir(Path(names[0]))
            self.set_sources([Path(n) for n in names])

    def _on_xml_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "iJw/iWmo-berichten kiezen",
                                                self._start_dir(),
                                                "Berichten (*.xml *.zip)")
        if names:
            self._remember_dir(Path(names[0]))
            self.set_sources([Path(n) for n in names])

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(round(fraction * 1000))
        self.progress_label.setText(message)

    def _on_import_done(self, result: ImportResult) -> None:
        self._task = None
        self.progress_bar.setValue(1000 if result.ok else 0)
        self.progress_label.clear()
        self._show_result(result)
        self._update_buttons()
        if result.ok:
            self.data_changed.emit()
        self.import_finished.emit(result)

    def _on_import_failed(self, exc: BaseException) -> None:
        from sdesk.services.exchange import ImportCancelled
        from sdesk.services.platform.errors import SdeskError

        self._task = None
        self.progress_bar.setValue(0)
        self.progress_label.clear()
        self._show_result(None)
        if isinstance(exc, ImportCancelled):
            self._set_message("Import geannuleerd. Er is niets opgeslagen.", ok=False)
        elif isinstance(exc, SdeskError):
            self._set_message(f"Import mislukt: {exc}\nEr is niets opgeslagen.", ok=False)
        else:
            self._set_message(f"Import mislukt door een onverwachte fout: {exc!r}\n"
                              "Er is niets opgeslagen.", ok=False)
        self._update_buttons()
        self.import_finished.emit(exc)

    # -- presentation -----------------------------------------------------------------------

    def _set_message(self, text: str, *, ok: bool) -> None:
        self.result_label.setText(text)
        self.result_label.setStyleSheet(_OK_STYLE if ok else _ERROR_STYLE)

    def _show_result(self, result: ImportResult | None) -> None:
        if result is None:
            self.result_stack.setCurrentIndex(0)
        else:
            self.result_stack.setCurrentWidget(self.count_view if result.ok else self.issue_view)
        self.warning_label.setVisible(bool(result and result.warnings))
        self.changes_label.setVisible(bool(result and result.ok and result.changes))
        if result is None:
            self.result_label.clear()
            self.changes_label.clear()
            self.issue_model.set_rows([])
            self.count_model.set_rows([])
            return
        if result.warnings:
            shown = result.warnings[:5]
            more = len(result.warnings) - len(shown)
            lines = "\n".join(f"• {w}" for w in shown)
            self.warning_label.setText(
                f"Waarschuwingen:\n{lines}" + (f"\n… en nog {more}" if more else ""))
        if result.ok:
            total = sum(result.counts.values())
            changes = {c.name: c for c in result.changes}
            text = f"Import geslaagd: {total} rijen opgeslagen."
            if result.changes:
                text = (f"Import geslaagd: {total} rijen opgeslagen "
                        f"({sum(c.new for c in result.changes)} nieuw, "
                        f"{sum(c.changed for c in result.changes)} gewijzigd, "
                        f"{sum(c.unchanged for c in result.changes)} ongewijzigd).")
            if result.full_refresh:
                text += (f"\nVolledige verversing: {result.missing} rij(en) staan in sdesk "
                         "maar niet in de bestanden; ze zijn niet verwijderd."
                         if result.missing else
                         "\nVolledige verversing: sdesk heeft geen rijen die niet in de "
                         "bestanden staan.")
            self._set_message(text, ok=True)
            self.count_model.set_rows([_file_count(f, n, changes.get(f))
                                       for f, n in result.counts.items()])
            self.changes_label.setText(_changes_text(result.changes))
            self.changes_label.setVisible(bool(self.changes_label.text()))
            fit_columns(self.count_view)
        else:
            n = len(result.issues)
            self._set_message(
                f"Import geweigerd: {n} {'fout' if n == 1 else 'fouten'} gevonden. "
                "Er is niets opgeslagen. Herstel de bestanden en importeer opnieuw.", ok=False)
            self.issue_model.set_rows(result.issues)
            fit_columns(self.issue_view)

    def _update_buttons(self) -> None:
        running = self.running
        for button in (self.folder_button, self.workbook_button, self.csv_button,
                       self.xml_button, self.clear_button, self.full_refresh_check):
            button.setEnabled(not running)
        self.import_button.setEnabled(not running and bool(self._sources))
        self.cancel_button.setEnabled(running)
        self.close_button.setEnabled(not running)
        self.progress_bar.setVisible(running)
        self.progress_label.setVisible(running)

    # -- closing ----------------------------------------------------------------------------

    def reject(self) -> None:
        # Closing mid-import would orphan the transaction's outcome; ask to cancel first.
        if self.running:
            self.cancel_import()
            return
        super().reject()


def _file_count(name: str, rows: int, change: FileChanges | None) -> FileCount:
    if change is None:
        return FileCount(name, rows)
    return FileCount(name, rows, change.new, change.changed, change.unchanged, change.missing)


def _changes_text(changes: list[FileChanges]) -> str:
    """The changed rows (and columns) and the missing keys the import found, per file."""
    lines: list[str] = []
    for change in changes:
        for example in change.examples:
            lines.append(f"• {change.file} regel {example.line} ({example.key}) gewijzigd: "
                         f"{', '.join(example.columns)}")
        if change.changed > len(change.examples):
            lines.append(f"• {change.file}: en nog {change.changed - len(change.examples)} "
                         "gewijzigde rij(en)")
        if change.missing:
            more = change.missing - len(change.missing_examples)
            lines.append(f"• {change.file}: niet meer in de bestanden (niet verwijderd): "
                         f"{', '.join(change.missing_examples)}"
                         + (f" en nog {more}" if more else ""))
    if len(lines) > _MAX_CHANGE_LINES:  # the dialog stays readable; counts are in the table
        lines = [*lines[:_MAX_CHANGE_LINES], f"… en nog {len(lines) - _MAX_CHANGE_LINES} "
                                             "regel(s)"]
    return "\n".join(lines)
