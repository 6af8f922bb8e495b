"""Everything PySide6 / pyqtgraph. Talks to sdesk.services only."""
