"""sdesk: cost, step-down and control for the Dutch municipal social domain."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sdesk")
except PackageNotFoundError:  # running from a source tree or a frozen build without metadata
    __version__ = "0.1.0"
