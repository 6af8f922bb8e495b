"""The background work of one page: the latest result of each kind wins.

Every page that computes off the GUI thread needs the same three things: start a task with
`workers.run_in_background`, drop a result that arrives after a newer request of the same kind
(the user changed a filter again), and show a busy indicator while anything runs. `LatestTasks`
does that once:

    self.tasks = LatestTasks(self, self.busy_bar, on_idle=self._on_idle)
    self.tasks.start(op, self._show, self._fail, kind="worklist")
    self.tasks.invalidate("what_if")  # inputs changed: a result under way is stale
    self.tasks.is_busy()
    self.tasks.shut_down()  # the page closes

A task with a `kind` makes every earlier task of that kind stale: their success, error and
progress callbacks are dropped, and they are asked to cancel (an op that polls
`TaskState.is_cancelled` stops early). A task without a kind (a save, an export) always
reports. The busy widgets show while any task runs and hide when the last one reports, if they
still exist then: a page can be deleted (a new user builds new pages) before its last task is
done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget
from shiboken6 import Shiboken

from sdesk.ui.shell.workers import Task, TaskState, run_in_background

R = TypeVar("R")


class LatestTasks:
    """Starts a page's background tasks and keeps, per kind, only the newest one's result."""

    def __init__(self, owner: QObject, *busy: QWidget,
                 on_idle: Callable[[], None] | None = None) -> None:
        self._owner = owner
        self._busy = busy
        self._on_idle = on_idle
        self._running: set[Task] = set()
        self._latest: dict[str, Task] = {}
        self._generation: dict[str, int] = {}
        self._closed = False  # shut down: the page is closing, nothing more is shown

    def start(self, op: Callable[[TaskState], R],
              on_success: Callable[[R], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None, *,
              kind: str | None = None,
              on_progress: Callable[[float, str], None] | None = None) -> Task:
        """Run `op(state)` in the background; callbacks run on the GUI thread, and only while
        this is the newest task of its `kind`. Without `on_error` an error goes to
        sys.excepthook (a message box)."""
        current = self._current(kind)

        def deliver(result: Any) -> None:
            if current() and not self._closed and on_success is not None:
                on_success(result)

        def fail(exc: BaseException) -> None:
            # A page that is closing shows no failure box (a task it cancelled, a database
            # closed under it): nobody would see the page it belongs to.
            if not current() or self._closed:
                return
            if on_error is None:
                raise exc
            on_error(exc)

        def progress(fraction: float, message: str) -> None:
            if current() and not self._closed and on_progress is not None:
                on_progress(fraction, message)

        task = run_in_background(op, on_success=deliver, on_error=fail,
                                 on_progress=progress if on_progress is not None else None,
                                 owner=self._owner)
        if kind is not None:
            self._latest[kind] = task
        self._running.add(task)
        task.done.connect(lambda: self._on_done(task))
        self._show_busy(True)
        return task

    def invalidate(self, kind: str) -> None:
        """Drop the result of the task of `kind` under way (and ask it to cancel)."""
        self._generation[kind] = self._generation.get(kind, 0) + 1
        previous = self._latest.pop(kind, None)
        if previous is not None and previous.running:
            previous.cancel()

    def is_busy(self) -> bool:
        return any(task.running for task in self._running)

    def is_running(self, kind: str) -> bool:
        task = self._latest.get(kind)
        return task is not None and task.running

    def shut_down(self) -> None:
        """Ask every task to cancel (the page closes); results, errors and progress still
        arriving are dropped."""
        self._closed = True
        for task in list(self._running):
            task.cancel()

    # -- internals --------------------------------------------------------------------------

    def _current(self, kind: str | None) -> Callable[[], bool]:
        if kind is None:
            return lambda: True
        self.invalidate(kind)
        generation = self._generation[kind]
        return lambda: self._generation.get(kind) == generation

    def _on_done(self, task: Task) -> None:
        self._running.discard(task)
        if self.is_busy() or not Shiboken.isValid(self._owner):
            return
        self._show_busy(False)
        if self._on_idle is not None:
            self._on_idle()

    def _show_busy(self, busy: bool) -> None:
        for widget in self._busy:
            if Shiboken.isValid(widget):
                widget.setVisible(busy)
