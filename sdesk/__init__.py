"""sdesk: cost, step-down and control for the Dutch municipal social domain."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # The version is read from the package metadata when asked for: importlib.metadata costs
    # 40 ms, which every command would otherwise pay before it starts.
    if name != "__version__":
        raise AttributeError(f"module 'sdesk' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("sdesk")
    except PackageNotFoundError:  # a source tree or a frozen build without metadata
        found = "0.1.0"
    globals()["__version__"] = found
    return found
