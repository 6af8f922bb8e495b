"""Data in and out: exchange format v1 (import, export) and iJw/iWmo 3.2 messages.

The names below are this feature's public face: other features, the UI and the CLI import
them from here, never from the modules behind it. Modules load on first use, so importing
the package is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdesk.services.platform.face import lazy_face

if TYPE_CHECKING:
    from sdesk.services.exchange.export import (
        export_exchange as export_exchange,
    )
    from sdesk.services.exchange.format import (
        FILES as FILES,
    )
    from sdesk.services.exchange.importer import (
        FileChanges as FileChanges,
    )
    from sdesk.services.exchange.importer import (
        ImportCancelled as ImportCancelled,
    )
    from sdesk.services.exchange.importer import (
        ImportIssue as ImportIssue,
    )
    from sdesk.services.exchange.importer import (
        ImportResult as ImportResult,
    )
    from sdesk.services.exchange.importer import (
        import_sources as import_sources,
    )
    from sdesk.services.exchange.importing.report import (
        Report as Report,
    )
    from sdesk.services.exchange.istandaarden import (
        export_istandaarden as export_istandaarden,
    )
    from sdesk.services.exchange.istandaarden import (
        import_messages as import_messages,
    )
    from sdesk.services.exchange.istandaarden import (
        is_istandaard_source as is_istandaard_source,
    )
    from sdesk.services.exchange.istandaarden.detect import (
        BY_NAMESPACE as BY_NAMESPACE,
    )
    from sdesk.services.exchange.istandaarden.detect import (
        MESSAGE_TYPES as MESSAGE_TYPES,
    )
    from sdesk.services.exchange.istandaarden.detect import (
        message_type as message_type,
    )
    from sdesk.services.exchange.istandaarden.validate import (
        schema_for as schema_for,
    )

_LAZY = {
    "BY_NAMESPACE": "istandaarden.detect",
    "export_exchange": "export",
    "export_istandaarden": "istandaarden",
    "FILES": "format",
    "FileChanges": "importer",
    "import_messages": "istandaarden",
    "import_sources": "importer",
    "ImportCancelled": "importer",
    "ImportIssue": "importer",
    "ImportResult": "importer",
    "is_istandaard_source": "istandaarden",
    "message_type": "istandaarden.detect",
    "MESSAGE_TYPES": "istandaarden.detect",
    "Report": "importing.report",
    "schema_for": "istandaarden.validate",
}
__all__ = sorted(_LAZY)

__getattr__, __dir__ = lazy_face(__name__, _LAZY, globals())
