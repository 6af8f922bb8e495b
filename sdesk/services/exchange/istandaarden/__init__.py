"""The national iJw / iWmo 3.2 messages: import (301, 305, 307, 315, 323, 325) and export.

    import_messages(engine, sources, progress=None, cancelled=None, actor=SYSTEM) -> ImportResult
    export_istandaarden(engine, out_dir, progress=None) -> dict[str, int]
    is_istandaard_source(path) -> bool

Qt-free; messages to the user are Dutch. See apply.py for the import's choices and export.py
for what does not round-trip.
"""

from sdesk.services.exchange.istandaarden.apply import import_messages
from sdesk.services.exchange.istandaarden.detect import is_istandaard_source, source_kind
from sdesk.services.exchange.istandaarden.export import export_istandaarden

__all__ = ["export_istandaarden", "import_messages", "is_istandaard_source", "source_kind"]
