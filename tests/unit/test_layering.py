"""sdesk.models and sdesk.services stay Qt-free: importing them must not load PySide6."""

from __future__ import annotations

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
