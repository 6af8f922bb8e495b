"""Run slow work (database, pandas, import) off the GUI thread.

`op` is a plain function that receives a `TaskState`; it reports progress and polls for
cancellation through it and must never touch a widget. Its result or exception comes back on
the GUI thread through queued signals of a relay object that lives there.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import Shiboken

# Progress callbacks can come per row; more than ~20 updates a second only floods the queue.
_PROGRESS_INTERVAL_S = 0.05


class TaskState:
    """The worker side of a task: progress reporting and the cancel flag."""

    def __init__(self, relay: _Relay) -> None:
        self._relay = relay
        self._cancel = threading.Event()
        self._last_emit = 0.0

    def progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_emit < _PROGRESS_INTERVAL_S:
            return
        self._last_emit = now
        self._relay.emit_safely(self._relay.progressed, max(0.0, min(1.0, fraction)), message)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker are queued to its slots."""

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()  # emitted by the worker
    finished = Signal()  # re-emitted on the GUI thread, after the result was delivered

    def __init__(self, owner: QObject | None,
                 on_success: Callable[[Any], None] | None,
                 on_error: Callable[[BaseException], None] | None,
                 on_progress: Callable[[float, str], None] | None) -> None:
        super().__init__()
        self._owner = owner
        self._on_success = on_success
        self._on_error = on_error
        self._on_progress = on_progress
        self.progressed.connect(self._deliver_progress)
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_error)
        self.done.connect(self._deliver_done)

    def emit_safely(self, signal: Any, *args: Any) -> None:
        # RuntimeError: relay already deleted at shutdown, so nobody is listening.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)

    def _owner_alive(self) -> bool:
        # A page closed while its task ran: its widgets are gone, drop the result.
        return self._owner is None or Shiboken.isValid(self._owner)

    @Slot(float, str)
    def _deliver_progress(self, fraction: float, message: str) -> None:
        if self._on_progress is not None and self._owner_alive():
            self._on_progress(fraction, message)

    @Slot(object)
    def _deliver_success(self, result: object) -> None:
        if self._on_success is not None and self._owner_alive():
            self._on_success(result)

    @Slot()
    def _deliver_done(self) -> None:
        self.finished.emit()

    @Slot(object)
    def _deliver_error(self, exc: object) -> None:
        if not self._owner_alive():
            return
        if self._on_error is not None:
            self._on_error(exc)  # type: ignore[arg-type]
        else:
            raise exc  # type: ignore[misc]  # surfaces through sys.excepthook


class _Runnable(QRunnable):
    def __init__(self, op: Callable[[TaskState], Any], state: TaskState, relay: _Relay) -> None:
        super().__init__()
        self._op = op
        self._state = state
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op(self._state)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread as it is
            self._relay.emit_safely(self._relay.failed, exc)
        else:
            self._relay.emit_safely(self._relay.succeeded, result)
        finally:
            self._relay.emit_safely(self._relay.done)


_active: set[Task] = set()


class Task:
    """Handle on a background task, held by the GUI side."""

    def __init__(self, relay: _Relay, state: TaskState) -> None:
        self._relay = relay
        self.state = state
        self.running = True
        relay.finished.connect(self._on_done)

    def cancel(self) -> None:
        self.state.cancel()

    @property
    def done(self) -> Signal:
        """Emitted on the GUI thread after success or error has been delivered.

        Emitted from the event loop, never before `run_in_background` returns, so connecting
        right after starting the task cannot miss it.
        """
        return self._relay.finished

    def _on_done(self) -> None:
        self.running = False
        _active.discard(self)


def run_in_background(op: Callable[[TaskState], Any], *,
                      on_success: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_progress: Callable[[float, str], None] | None = None,
                      owner: QObject | None = None,
                      pool: QThreadPool | None = None) -> Task:
    """Start `op(state)` on the thread pool; callbacks run on the GUI thread.

    When `owner` is given and has been deleted by the time the task finishes, the callbacks
    are skipped. Call from the GUI thread only.
    """
    relay = _Relay(owner, on_success, on_error, on_progress)
    state = TaskState(relay)
    task = Task(relay, state)
    _active.add(task)  # keeps relay and callbacks alive until the result is delivered
    (pool or QThreadPool.globalInstance()).start(_Runnable(op, state, relay))
    return task


def cancel_all() -> None:
    for task in list(_active):
        task.cancel()


def wait_for_all(timeout_ms: int = 5000) -> bool:
    """Block until the global pool is idle (shutdown and tests)."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
