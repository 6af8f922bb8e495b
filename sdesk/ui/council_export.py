""""Excel voor de raad…" from the dashboard and the budget page: ask where, write in the
background, record the export and its purpose in the audit log (DESIGN section 8)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QCheckBox, QFileDialog, QWidget

from sdesk.ui.workers import Task, TaskState, run_in_background

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.council import CouncilRequest
    from sdesk.services.platform.actor import Actor

_LAST_DIR_KEY = "export/last_dir"
INTERNAL_TEXT = "intern gebruik (geen afscherming <10)"
INTERNAL_TIP = ("Aan: aantallen onder de 10 personen worden getoond (alleen voor intern "
                "gebruik).\nUit: zulke aantallen staan als '<10' in de werkmap, zoals voor de "
                "raad nodig is.")


def internal_checkbox() -> QCheckBox:
    box = QCheckBox(INTERNAL_TEXT)
    box.setChecked(False)
    box.setToolTip(INTERNAL_TIP)
    return box


def user_text(actor: Actor) -> str:
    return actor.signature


def ask_council_path(parent: QWidget, suggested: str) -> Path | None:
    settings = QSettings()
    folder = str(settings.value(_LAST_DIR_KEY, "") or "") or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    chosen, _ = QFileDialog.getSaveFileName(parent, "Excel voor de raad",
                                            str(Path(folder) / suggested),
                                            "Excel-werkmappen (*.xlsx)")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    settings.setValue(_LAST_DIR_KEY, str(path.parent))
    return path


def suggested_name(start: date, end: date) -> str:
    return f"sociaal_domein_raad_{start:%Y-%m-%d}_{end:%Y-%m-%d}.xlsx"


def write_in_background(owner: QWidget, engine: Engine, actor: Actor, path: Path,
                        request: CouncilRequest, on_done: Callable[[Path], None],
                        on_fail: Callable[[BaseException], None]) -> Task:
    """Write the workbook (all three sheets, no person sheet) and log the export."""

    def op(_state: TaskState) -> Path:
        from sdesk.services.exports import export

        return export(engine, actor, "council", {"request": request}, path,
                      "werkmap voor de raad", internal=request.internal).path

    def fail(exc: BaseException) -> None:
        if isinstance(exc, OSError):
            from sdesk.services.platform.errors import SdeskError

            exc = SdeskError(f"Het bestand kan niet worden geschreven: {path} "
                             f"({exc.strerror or exc})")
        on_fail(exc)

    return run_in_background(op, on_success=on_done, on_error=fail, owner=owner)
