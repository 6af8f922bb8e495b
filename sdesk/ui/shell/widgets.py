"""Small widget helpers shared by pages and dialogs: Dutch dates and money, titles, errors."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QDateEdit,
    QLabel,
    QMessageBox,
    QProgressBar,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from sdesk.services.platform.errors import SdeskError

if TYPE_CHECKING:
    from sdesk.services.platform.actor import Actor
    from sdesk.services.platform.permissions import Permission

DUTCH = QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands)
DATE_FORMAT = "dd-MM-yyyy"


def section_title(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def page_heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def set_date_quietly(edit: QDateEdit, value: date) -> None:
    """Set a date field without its dateChanged (the caller loads what it needs itself)."""
    edit.blockSignals(True)
    edit.setDate(to_qdate(value))
    edit.blockSignals(False)


def date_edit(value: date | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A date field in Dutch notation (dd-MM-yyyy) with a calendar; default today."""
    edit = QDateEdit(parent)
    edit.setLocale(DUTCH)
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    edit.setMinimumDate(QDate(1990, 1, 1))
    edit.setMaximumDate(QDate(2100, 12, 31))
    edit.setDate(to_qdate(value or date.today()))
    return edit


def euro_spin(euros: int, maximum: int = 100_000_000, step: int = 10_000,
              parent: QWidget | None = None) -> QSpinBox:
    """Whole euros, shown as "€ 100.000"."""
    spin = QSpinBox(parent)
    spin.setLocale(DUTCH)
    spin.setPrefix("€ ")
    spin.setGroupSeparatorShown(True)
    spin.setRange(0, maximum)
    spin.setSingleStep(step)
    spin.setValue(euros)
    spin.setAccelerated(True)
    return spin


def show_failure(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """A service's own Dutch message as it is; anything else as a short unexpected-error note."""
    # Imported here: the window shows before the database layer (SQLAlchemy) has loaded.
    from sdesk.services.platform.sqlite import explain

    explained = str(exc) if isinstance(exc, SdeskError) else explain(exc)
    if explained:
        QMessageBox.warning(parent, title, explained)
    else:
        QMessageBox.critical(parent, title,
                             f"Er is een onverwachte fout opgetreden:\n{type(exc).__name__}: "
                             f"{exc}")


def busy_indicator() -> QProgressBar:
    """A small endless bar next to a page heading while background work runs."""
    bar = QProgressBar()
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setFixedSize(90, 10)
    bar.hide()
    return bar


def status_line(style: str = "color: palette(dark);") -> QLabel:
    """A muted status text that never widens its page (long text is cut off)."""
    label = QLabel()
    label.setStyleSheet(style)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    return label


def allow(widget: QWidget, actor: Actor, permission: Permission, tooltip: str = "") -> bool:
    """Enable `widget` only when the actor's role may (platform.permissions); otherwise
    disable it with a tooltip that says why and who may. Returns whether it may."""
    from sdesk.services.platform.permissions import may, refusal

    allowed = may(actor, permission)
    if not allowed:  # code that enables it later checks `may` too
        widget.setEnabled(False)
    widget.setToolTip(tooltip if allowed else refusal(actor, permission))
    return allowed
