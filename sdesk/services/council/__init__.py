"""The council's workbook: KPIs, trends and budget in one printable file.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.council.content import (
        CouncilRequest as CouncilRequest,
    )
    from sdesk.services.council.workbook import (
        write_council_workbook as write_council_workbook,
    )

_LAZY = {
    "CouncilRequest": "content",
    "write_council_workbook": "workbook",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
