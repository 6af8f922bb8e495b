"""What the main window asks of every page it shows.

The main window keeps one list of (navigation label, page) and drives the pages through this
protocol only: it hands each the database once it is open, marks them dirty when the data
changed underneath them (an import, a demo municipality), and shuts them down when it closes.
A page decides itself when to (re)load: usually at once when visible, else when it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine


class Page(Protocol):
    """A page of the main window (a QWidget that also has these three methods)."""

    def set_engine(self, engine: Engine | None) -> None:
        """The database to show (None: none yet); the page loads when it needs to."""

    def mark_dirty(self) -> None:
        """The data changed (an import, for instance): reload now when visible, else when
        shown."""

    def shut_down(self) -> None:
        """Stop timers and ask background work to cancel: the window closes or the page is
        replaced."""
