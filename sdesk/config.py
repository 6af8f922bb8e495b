"""Qt-free paths. SDESK_HOME redirects everything (tests, portable use)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "sdesk"


def data_dir() -> Path:
    home = os.environ.get("SDESK_HOME")
    return Path(home) / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))


def config_dir() -> Path:
    home = os.environ.get("SDESK_HOME")
    return Path(home) / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False))


def default_db_path() -> Path:
    return data_dir() / "sdesk.sqlite"
