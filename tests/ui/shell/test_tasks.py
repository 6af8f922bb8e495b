"""LatestTasks, the one "latest result wins" helper of the pages: per kind only the newest
task reports, the busy widgets show while anything runs, and a page deleted before its last
task reports is left alone."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtWidgets import QProgressBar, QWidget
from pytestqt.qtbot import QtBot

from sdesk.ui.shell.tasks import LatestTasks
from sdesk.ui.shell.workers import TaskState


def _gated(release: threading.Event, value: str) -> Callable[[TaskState], str]:
    def op(state: TaskState) -> str:
        release.wait(5)
        return value

    return op


def test_the_newest_task_of_a_kind_wins(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    bar = QProgressBar(page)
    bar.hide()
    idle: list[bool] = []
    tasks = LatestTasks(page, bar, on_idle=lambda: idle.append(True))
    shown: list[str] = []
    errors: list[str] = []
    slow, fast = threading.Event(), threading.Event()

    first = tasks.start(_gated(slow, "oud"), shown.append, lambda e: errors.append(str(e)),
                        kind="rows")
    tasks.start(_gated(fast, "nieuw"), shown.append, kind="rows")
    other = tasks.start(lambda _s: "ander", shown.append, kind="other")
    assert tasks.is_busy() and not bar.isHidden()
    assert first.state.is_cancelled()  # the stale task is asked to stop
    fast.set()
    qtbot.waitUntil(lambda: "nieuw" in shown and not other.running, timeout=5000)
    slow.set()
    qtbot.waitUntil(lambda: not tasks.is_busy(), timeout=5000)
    assert sorted(shown) == ["ander", "nieuw"]  # "oud" came last and was dropped
    assert errors == []
    assert bar.isHidden() and idle == [True]


def test_invalidate_drops_results_and_errors(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    tasks = LatestTasks(page)
    seen: list[object] = []
    release = threading.Event()

    def fails(_state: TaskState) -> None:
        release.wait(5)
        raise ValueError("te laat")

    tasks.start(fails, seen.append, seen.append, kind="what_if")
    tasks.invalidate("what_if")
    release.set()
    qtbot.waitUntil(lambda: not tasks.is_busy(), timeout=5000)
    assert seen == []


def test_tasks_without_a_kind_always_report(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    tasks = LatestTasks(page)
    seen: list[str] = []
    for n in range(3):
        tasks.start(lambda _s, n=n: f"opgeslagen {n}", seen.append)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert sorted(seen) == ["opgeslagen 0", "opgeslagen 1", "opgeslagen 2"]


def test_a_deleted_busy_widget_is_left_alone(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    bar = QProgressBar(page)
    tasks = LatestTasks(page, bar)
    release = threading.Event()
    task = tasks.start(_gated(release, "klaar"), kind="rows")
    bar.deleteLater()
    qtbot.waitUntil(lambda: _deleted(bar), timeout=5000)
    release.set()
    qtbot.waitUntil(lambda: not task.running, timeout=5000)  # no RuntimeError on hiding it
    assert not tasks.is_busy()


def _deleted(widget: QWidget) -> bool:
    from shiboken6 import Shiboken

    return not Shiboken.isValid(widget)


def test_after_shut_down_nothing_is_shown(qtbot: QtBot) -> None:
    """A page that is closing pops up no failure box: an error (or result) of a task that
    ends after `shut_down` is dropped, even while the page widget still exists."""
    page = QWidget()
    qtbot.addWidget(page)
    tasks = LatestTasks(page)
    seen: list[object] = []
    release = threading.Event()

    def fails(_state: TaskState) -> None:
        release.wait(5)
        raise ValueError("database gesloten")

    task = tasks.start(fails, seen.append, seen.append, kind="rows")
    other = tasks.start(_gated(release, "laat"), seen.append, seen.append)
    tasks.shut_down()
    assert task.state.is_cancelled() and other.state.is_cancelled()
    release.set()
    qtbot.waitUntil(lambda: not tasks.is_busy(), timeout=5000)
    qtbot.wait(50)  # queued deliveries
    assert seen == []
