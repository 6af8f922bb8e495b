"""The what-if panel (afschaling) keeps to the same volume bound as the service and the
import (issue 14, bounded input). Its spin box used to stop at 1,000,000 and clamp a larger
volume silently, so the what-if computed a change nobody made.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from pytestqt.qtbot import QtBot

from sdesk.services.platform.bounds import MAX_VOLUME
from sdesk.ui.afschaling.what_if_panel import WhatIfPanel

AT = date(2025, 6, 30)


def _candidate(volume: float) -> SimpleNamespace:
    """What `WhatIfPanel.fill` reads of a Candidate."""
    return SimpleNamespace(product_code="02A02", volume=volume, omvang=f"{volume:g} minuten",
                           end=None, proposal=SimpleNamespace(kind="review", product_code=None,
                                                              volume=None, end_date=None))


def _panel(qtbot: QtBot) -> WhatIfPanel:
    panel = WhatIfPanel()
    qtbot.addWidget(panel)
    return panel


def test_spin_box_allows_what_the_import_allows(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    assert panel.volume_spin.maximum() == MAX_VOLUME == 99_999_999


def test_a_large_volume_is_not_clamped_into_a_change(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    c = _candidate(5_000_000)  # minutes within validity: large, but within the bounds
    panel.fill(c, [], AT)  # type: ignore[arg-type]
    assert panel.volume_spin.value() == 5_000_000
    # Unchanged, so no new volume is asked for.
    assert panel.what_if_input(c).volume is None  # type: ignore[arg-type]


def test_a_volume_beyond_the_bound_is_shown_not_used(qtbot: QtBot) -> None:
    panel = _panel(qtbot)
    c = _candidate(2e8)  # stored before the bounds existed
    panel.fill(c, [], AT)  # type: ignore[arg-type]
    assert not panel.volume_spin.isEnabled()
    assert "controleer de toewijzing" in panel.volume_now.text()
    assert panel.what_if_input(c).volume is None  # type: ignore[arg-type]
