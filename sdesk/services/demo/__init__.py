"""The demo municipality: a deterministic generator of households, allocations and claims.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.demo.common import (
        SIZES as SIZES,
    )
    from sdesk.services.demo.common import (
        history_start as history_start,
    )
    from sdesk.services.demo.generator import (
        DEMO_UNTIL as DEMO_UNTIL,
    )
    from sdesk.services.demo.generator import (
        DemoSummary as DemoSummary,
    )
    from sdesk.services.demo.generator import (
        generate_demo as generate_demo,
    )

_LAZY = {
    "DEMO_UNTIL": "generator",
    "DemoSummary": "generator",
    "generate_demo": "generator",
    "history_start": "common",
    "SIZES": "common",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
