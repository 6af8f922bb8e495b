"""The background helper: results, errors and progress arrive on the GUI thread."""

import threading

from pytestqt.qtbot import QtBot

from sdesk.ui.shell.workers import TaskState, run_in_background


def test_result_is_delivered_on_gui_thread(qtbot: QtBot) -> None:
    gui_thread = threading.get_ident()
    seen: dict[str, object] = {}

    def op(state: TaskState) -> int:
        seen["worker"] = threading.get_ident()
        state.progress(1.0, "klaar")
        return 42

    def on_success(value: int) -> None:
        seen["value"] = value
        seen["callback"] = threading.get_ident()

    def on_progress(fraction: float, message: str) -> None:
        seen["progress"] = (fraction, message, threading.get_ident())

    task = run_in_background(op, on_success=on_success, on_progress=on_progress)
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["worker"] != gui_thread
    assert seen["callback"] == gui_thread
    assert seen["progress"] == (1.0, "klaar", gui_thread)
    assert not task.running


def test_errors_go_to_on_error(qtbot: QtBot) -> None:
    errors: list[BaseException] = []

    def op(_state: TaskState) -> None:
        raise ValueError("kapot")

    task = run_in_background(op, on_error=errors.append)
    qtbot.waitUntil(lambda: not task.running, timeout=5000)
    assert len(errors) == 1 and str(errors[0]) == "kapot"


def test_cancel_is_seen_by_the_op(qtbot: QtBot) -> None:
    started = threading.Event()
    results: list[str] = []

    def op(state: TaskState) -> str:
        started.set()
        while not state.is_cancelled():
            threading.Event().wait(0.005)
        return "gestopt"

    task = run_in_background(op, on_success=results.append)
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: results == ["gestopt"], timeout=5000)
