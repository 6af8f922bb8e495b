"""Excel voor de raad from the dashboard and the budget page: ask why and where, then write the
workbook in the background through the export use case, which records the export and its
purpose in the audit log (DESIGN section 8). Unless the page's "intern gebruik" box is ticked,
figures about fewer than 10 persons read "<10" and the cells they could be derived from "x"
(services/council/suppression.py); the use case notes which in the logged purpose."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QCheckBox, QPushButton, QWidget

from sdesk.ui.shell.exporting import ExportFeedback, ask_purpose, ask_save_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from sdesk.services.council import CouncilRequest
    from sdesk.services.platform.actor import Actor
    from sdesk.ui.shell.tasks import LatestTasks

TITLE = "Excel voor de raad"
INTERNAL_TEXT = "intern gebruik (geen afscherming <10)"
INTERNAL_TIP = ("Aan: aantallen en bedragen over minder dan 10 personen worden getoond (alleen "
                "voor intern gebruik).\nUit: zulke cellen staan als '<10' in de werkmap, en "
                "cellen waaruit ze terug te rekenen zijn (een totaal min de rest, dezelfde "
                "post op een ander tabblad) als 'x', zoals voor de raad nodig is. Het tabblad "
                "Toelichting zegt welke regel is toegepast.")


def internal_checkbox() -> QCheckBox:
    box = QCheckBox(INTERNAL_TEXT)
    box.setChecked(False)
    box.setToolTip(INTERNAL_TIP)
    return box


def suggested_name(start: date, end: date) -> str:
    return f"sociaal_domein_raad_{start:%Y-%m-%d}_{end:%Y-%m-%d}.xlsx"


def export_council_workbook(parent: QWidget, tasks: LatestTasks, engine: Engine, actor: Actor,
                            request: CouncilRequest, button: QPushButton,
                            show_status: Callable[[str], None], written: SignalInstance,
                            failed: SignalInstance) -> bool:
    """Ask the purpose and the file, then write the workbook (all three sheets, no person
    sheet) in the background; `button`, `show_status`, `written` and `failed` show how it goes
    (see ExportFeedback). False when the user cancelled."""
    answer = ask_purpose(parent)
    if answer is None:
        return False
    path = ask_save_path(parent, TITLE, suggested_name(request.start, request.end))
    if path is None:
        return False
    feedback = ExportFeedback(parent, button, show_status, written, failed, TITLE,
                              busy_text="Werkmap voor de raad schrijven…")
    feedback.run(tasks, engine, actor, "council", {"request": request}, path, answer[0],
                 internal=request.internal)
    return True
