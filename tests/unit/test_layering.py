"""sdesk.models and sdesk.services stay Qt-free: importing them must not load PySide6; the
application starts without the heavy modules."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys

import sdesk.models
import sdesk.services

FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "sdesk.ui")


def _all_modules() -> list[str]:
    names = ["sdesk.models", "sdesk.services", "sdesk.cli"]
    for package in (sdesk.models, sdesk.services):
        names += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    return names


def test_core_imports_no_qt() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {_all_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.startswith({FORBIDDEN!r}))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"Qt loaded below the UI layer: {out.stdout}"


def test_the_check_itself_can_fail() -> None:
    """Guard against a test that cannot fail: importing PySide6 is detected."""
    code = ("import sys, PySide6.QtCore\n"
            f"print(','.join(m for m in sys.modules if m.startswith({FORBIDDEN!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert "PySide6" in out.stdout


HEAVY = ("sqlalchemy", "numpy", "pandas", "pyqtgraph", "openpyxl", "alembic")


def _loaded_heavy(statement: str) -> list[str]:
    code = (f"import sys\n{statement}\n"
            f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    return [m for m in out.stdout.strip().split(",") if m]


def test_the_window_shows_before_the_heavy_modules_load() -> None:
    """#17: the application module and the main window with all its pages import none of
    the database layer, numpy, pandas or the chart library (1.3 s -> 0.33 s at start); they
    load on the worker thread that opens the database, or with the first chart."""
    assert _loaded_heavy("import sdesk.app, sdesk.ui.shell.main_window") == []
    # Built and shown, every page constructed: still none of them.
    assert _loaded_heavy(
        "from pathlib import Path\nfrom PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\nfrom sdesk.ui.shell.main_window import MainWindow\n"
        "from sdesk.services.platform.actor import ANONYMOUS\n"
        "window = MainWindow(Path('niet-geopend.sqlite'), ANONYMOUS)\nwindow.show()\n"
        "app.processEvents()") == []
    # and the check sees a heavy module when one is loaded
    assert _loaded_heavy("import sdesk.ui.shell.charts") == ["numpy", "pyqtgraph"]


def test_the_decision_words_are_the_decision_codes() -> None:
    """The decision panel's labels (services.afschaling.vocabulary, free of the models) name
    exactly the decisions models.enums knows."""
    from sdesk.models.enums import Decision
    from sdesk.services.afschaling import DECISION_LABELS

    assert set(DECISION_LABELS) == {d.value for d in Decision}
