"""Exports from a screen: ask why (the purpose goes into the audit log) and where, then write in
the background through the one export use case, `sdesk.services.exports.export`, which writes
the file and its audit row in one step. No screen writes an audit row itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QStandardPaths, SignalInstance
from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from sdesk.ui.shell.widgets import show_failure

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.exports import Exported, Writer
    from sdesk.services.platform.actor import Actor
    from sdesk.ui.shell.tasks import LatestTasks
    from sdesk.ui.shell.workers import Task, TaskState

LAST_DIR_KEY = "export/last_dir"
EXCEL_FILTER = "Excel-werkmappen (*.xlsx)"


def ask_purpose(parent: QWidget | None, offer_internal: bool = False
                ) -> tuple[str, bool] | None:
    """(purpose, internal) from the purpose dialog, or None when the user cancelled."""
    from sdesk.ui.shell import purpose_dialog  # looked up at call time: tests answer it

    return purpose_dialog.ask_purpose(parent, offer_internal)


def ask_save_path(parent: QWidget | None, title: str, suggested: str, suffix: str = "xlsx",
                  file_filter: str = EXCEL_FILTER) -> Path | None:
    """A file name in the folder of the last export (Documents the first time); the suffix is
    added when the user left it off. None when the user cancelled."""
    settings = QSettings()
    folder = str(settings.value(LAST_DIR_KEY, "") or "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / suggested),
                                            file_filter)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != f".{suffix}":
        path = path.with_name(f"{path.name}.{suffix}")
    settings.setValue(LAST_DIR_KEY, str(path.parent))
    return path


def ask_export(parent: QWidget | None, title: str, suggested: str, suffix: str = "xlsx",
               file_filter: str = EXCEL_FILTER) -> tuple[Path, str] | None:
    """The purpose, then the file: (path, purpose), or None when the user cancelled."""
    answer = ask_purpose(parent)
    if answer is None:
        return None
    path = ask_save_path(parent, title, suggested, suffix, file_filter)
    return None if path is None else (path, answer[0])


def export_in_background(tasks: LatestTasks, engine: Engine, actor: Actor, report: str,
                         params: Mapping[str, Any], path: Path, purpose: str,
                         on_done: Callable[[Exported], None],
                         on_fail: Callable[[BaseException], None], *, internal: bool = False,
                         writer: Writer | None = None) -> Task:
    """`export(...)` off the GUI thread; `on_fail` gets the service's Dutch SdeskError for a
    file that cannot be written."""

    def op(_state: TaskState) -> Exported:
        from sdesk.services.exports import export

        return export(engine, actor, report, params, path, purpose, internal=internal,
                      writer=writer)

    return tasks.start(op, on_done, on_fail)


@dataclass(frozen=True)
class ExportFeedback:
    """How a screen shows an export under way and how it ended: its button is disabled while
    the file is written, a status line tells, `written` (the path) or `failed` (the message)
    is emitted, and a failure is shown in a message box titled `title`."""

    parent: QWidget
    button: QPushButton
    show_status: Callable[[str], None]
    written: SignalInstance
    failed: SignalInstance
    title: str
    what: str = "Werkmap"
    busy_text: str = ""

    def run(self, tasks: LatestTasks, engine: Engine, actor: Actor, report: str,
            params: Mapping[str, Any], path: Path, purpose: str, *, internal: bool = False,
            writer: Writer | None = None) -> Task:
        """`export_in_background`, with this feedback."""
        self.button.setEnabled(False)
        self.show_status(self.busy_text or f"{self.what} schrijven…")
        return export_in_background(tasks, engine, actor, report, params, path, purpose,
                                    self.done, self.fail, internal=internal, writer=writer)

    def done(self, exported: Exported) -> None:
        self.button.setEnabled(True)
        self.show_status(f"{self.what} opgeslagen: {exported.path}")
        self.written.emit(str(exported.path))

    def fail(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.show_status(f"{self.what} niet opgeslagen.")
        show_failure(self.parent, self.title, exc)
        self.failed.emit(str(exc))
