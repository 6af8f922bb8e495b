"""Start the application on a database, as a user does, and time its screens (issue 17).

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_probe.py DB EMPLOYEE_ID SPAWN_TIME

Runs `sdesk --db DB --user EMPLOYEE_ID` in this process (the same `sdesk.cli.main` the
`sdesk` command runs) with a timer that watches the main window. SPAWN_TIME is the parent's
`time.time()` just before it started this process, so "first screen" counts the interpreter
and every import. Then it opens every page in turn, as a click on the navigation does, and
times the switch until the page's first figures are there. Prints one JSON object:

    {"window_shown": s, "first_screen": s, "pages": {title: {"first": s, "settled": s}},
     "peak_rss_mb": MiB}

"first screen": the window is shown, the database attached for the user and the first page
(Huishoudens) lists households. A page's "first": its figures are on screen (households
listed, the worklist shown, the KPI tiles filled, the budget report shown); for the other pages
"settled". "settled": the page's background work is done (the first moment it was idle, if it then
stays idle for QUIET_S).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

POLL_MS = 5
QUIET_S = 0.4  # a page that stays idle this long after its last task has settled
PAGE_TIMEOUT_S = 180.0
# What "first figures" means per page (attribute checks on the page object); other pages:
# settled.
FIRST_FIGURES: dict[str, Callable[[Any], bool]] = {
    "Huishoudens": lambda page: page.household_model.rowCount() > 0,
    "Afschaling": lambda page: getattr(page, "worklist", None) is not None,
    "Dashboard": lambda page: getattr(page, "comparison", None) is not None,
    "Begroting": lambda page: getattr(page, "report", None) is not None,
}


def _busy(page: Any) -> bool:
    tasks = getattr(page, "tasks", None)
    if tasks is not None and tasks.is_busy():
        return True
    panel = getattr(page, "overview_panel", None)  # the households page's overview
    return panel is not None and panel.tasks.is_busy()


class Probe:
    """Polls the main window from the event loop; a small state machine over the pages."""

    def __init__(self, spawn_time: float) -> None:
        self.spawn_time = spawn_time
        self.result: dict[str, Any] = {"pages": {}}
        self.window: Any = None
        self.page_index = -1  # -1: start-up
        self.switched = 0.0
        self.first: float | None = None
        self.idle_since: float | None = None
        self.attached: float | None = None

    def since_spawn(self) -> float:
        return time.time() - self.spawn_time

    def tick(self) -> None:
        from PySide6.QtWidgets import QApplication

        from sdesk.ui.shell.main_window import MainWindow

        now = time.perf_counter()
        if self.window is None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, MainWindow) and widget.isVisible():
                    self.window = widget
                    self.result["window_shown"] = self.since_spawn()
            return
        if self.page_index == -1:
            self._start_up(now)
        else:
            self._page(now)

    def _start_up(self, now: float) -> None:
        window = self.window
        if window.engine is None:
            return
        if self.attached is None:
            self.attached = now
        page = window.households_page
        if "first_screen" not in self.result and FIRST_FIGURES["Huishoudens"](page):
            self.result["first_screen"] = self.since_spawn()
            self.first = now - self.attached
        if self._settled(page, now, self.attached):
            self.result["pages"]["Huishoudens"] = {
                "first": self.first, "settled": self.idle_since - self.attached,
                "from": "database attached (it is the first screen)"}
            self._next_page()

    def _page(self, now: float) -> None:
        title, page = self.window.pages[self.page_index]
        check = FIRST_FIGURES.get(title)
        if self.first is None and check is not None and check(page):
            self.first = now - self.switched
        if self._settled(page, now, self.switched):
            settled = self.idle_since - self.switched
            self.result["pages"][title] = {
                "first": settled if check is None else self.first, "settled": settled}
            self._next_page()

    def _settled(self, page: Any, now: float, since: float) -> bool:
        """True once the page has been idle for QUIET_S; `idle_since` is the first tick it
        was seen idle (a result is delivered on the GUI thread, so that tick follows it)."""
        if _busy(page) or (page is self.window.households_page
                           and not FIRST_FIGURES["Huishoudens"](page)):
            self.idle_since = None
        elif self.idle_since is None:
            self.idle_since = now
        if now - since > PAGE_TIMEOUT_S:
            self.result.setdefault("timeouts", []).append(self.page_index)
            self.idle_since = now
            return True
        return self.idle_since is not None and now - self.idle_since >= QUIET_S

    def _next_page(self) -> None:
        self.page_index = max(self.page_index + 1, 1)  # 0, Huishoudens: timed at start-up
        self.first = None
        if self.page_index >= len(self.window.pages):
            self._finish()
            return
        self.switched = time.perf_counter()
        self.idle_since = None
        self.window.show_page(self.page_index)  # what a click on the navigation does

    def _finish(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.window.close()  # waits for the pages' background work
        app = QApplication.instance()
        if app is not None:
            app.exit(0)


def main(argv: list[str]) -> int:
    db, user, spawn_time = argv[0], argv[1], float(argv[2])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])  # run_gui takes this instance over
    probe = Probe(spawn_time)
    timer = QTimer()
    timer.setInterval(POLL_MS)
    timer.timeout.connect(probe.tick)
    timer.start()
    deadline = QTimer()  # never hang a benchmark run: report what there is
    deadline.setSingleShot(True)
    deadline.timeout.connect(lambda: (probe.result.setdefault("timeouts", []).append("all"),
                                      app.exit(1)))
    deadline.start(round(PAGE_TIMEOUT_S * 1000 * 4))

    from sdesk.cli import main as sdesk_main

    code = sdesk_main(["--db", db, "--user", user])
    timer.stop()
    probe.result["exit_code"] = code
    probe.result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(probe.result))
    return 0 if code == 0 and "timeouts" not in probe.result else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
