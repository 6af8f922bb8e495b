"""The frame every screen lives in: the main window and its page protocol, background
tasks, shared widgets, tables and charts, the first-start and purpose dialogs, and the audit
log (the audit trail is platform, not a feature)."""
