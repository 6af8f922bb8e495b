"""Wie bent u?: the employee list at start (staff only, never client data).

Shown before any page has the database, so nothing of a client is on screen behind it.
Choosing a name applies that employee's role; Esc or "Afsluiten" closes sdesk (the caller
decides that: `exec()` returns Rejected).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from sdesk.services.platform.users import EmployeeRow


def employee_label(user: EmployeeRow) -> str:
    """"Kim Klant – Klantmanager (Wmo)": how an employee is listed."""
    return (f"{user.name} – {user.role_label.capitalize()}"
            + (f" ({user.team})" if user.team else ""))


class IdentityDialog(QDialog):
    def __init__(self, users: list[EmployeeRow], account: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Wie bent u?")
        self.setMinimumSize(460, 420)
        self._users = users
        intro = QLabel("Kies uzelf. Uw rol bepaalt wat sdesk laat zien (namen en BSN, of "
                       "pseudoniemen) en wat u mag vastleggen; elke inzage komt op uw naam in "
                       "de auditlog.")
        intro.setWordWrap(True)
        self.account_note = QLabel(
            f"Uw computeraccount '{account}' is niet aan een medewerker gekoppeld. De "
            "beheerder kan dat doen in de kolom 'account' van medewerkers.csv; dan slaat "
            "sdesk deze vraag over." if account else "")
        self.account_note.setWordWrap(True)
        self.account_note.setStyleSheet("color: palette(dark);")
        self.account_note.setVisible(bool(account))
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Zoek op naam, rol of team")
        self.filter_edit.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Medewerkers")
        for user in users:
            item = QListWidgetItem(employee_label(user))
            item.setData(Qt.ItemDataRole.UserRole, user.external_id)
            self.list.addItem(item)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton("Doorgaan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = buttons.addButton("sdesk afsluiten",
                                             QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setDefault(True)
        self.ok_button.setEnabled(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.account_note)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

        self.filter_edit.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(
            lambda current, _previous: self.ok_button.setEnabled(current is not None
                                                                 and not current.isHidden()))
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.filter_edit.setFocus()

    @property
    def chosen(self) -> EmployeeRow | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        wanted = item.data(Qt.ItemDataRole.UserRole)
        return next((u for u in self._users if u.external_id == wanted), None)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hide = not all(w in item.text().lower() for w in words)
            item.setHidden(hide)
            if not hide and first_visible is None:
                first_visible = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first_visible)  # Enter picks the only match
        self.ok_button.setEnabled(self.chosen is not None)
