"""User-facing errors. Messages are Dutch because they reach the user as they are."""


class SdeskError(Exception):
    """Base for errors that the CLI and UI show as a message, never as a traceback."""


class DatabaseError(SdeskError):
    pass


class NotFoundError(SdeskError):
    pass
