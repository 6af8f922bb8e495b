"""Size caps for import files, checked before a file is read, so a hostile file (a zip bomb,
a 2 GB CSV, a workbook whose sheet unpacks to gigabytes) is refused in a moment without
filling memory.

- One CSV file, and the unpacked content of one .xlsx, at most 512 MB (SDESK_MAX_IMPORT_MB):
  two and a half times the declaraties.csv of the largest demo municipality (3.5 million
  claim lines, about 200 MB). An import needs about ten times its files' size in memory
  (the medium demo: 70 MB of CSV, 750 MB at its peak), so 512 MB is about what a laptop
  with 8 GB can still take; a larger set is split (per year) or the cap raised.
- One .zip of iJw/iWmo messages at most 2 GB unpacked (SDESK_MAX_ZIP_MB); its messages are
  read one at a time (each at most 256 MB), but everything they hold is kept until written.
- A zip's central directory is checked before it is opened: at most 250,000 members (an .xlsx
  at most 10,000) and 64 MB of directory, and the unpacked sizes it declares are added up.
  Python's zipfile never unpacks a member beyond its declared size, so a forged size cannot
  get past the check.
"""

from __future__ import annotations

import os
import struct
import zipfile
from pathlib import Path

from sdesk.services.platform.errors import SdeskError
from sdesk.services.platform.text import group_thousands

MAX_IMPORT_ENV = "SDESK_MAX_IMPORT_MB"
DEFAULT_MAX_IMPORT_MB = 512
MAX_ZIP_ENV = "SDESK_MAX_ZIP_MB"
DEFAULT_MAX_ZIP_MB = 2048
MAX_ZIP_MEMBERS = 250_000
MAX_XLSX_MEMBERS = 10_000
MAX_CENTRAL_DIRECTORY = 64 * 2**20
MB = 2**20

_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"


def _megabytes(env: str, default: int) -> int:
    text = os.environ.get(env, "").strip()
    if not text:
        return default * MB
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise SdeskError(f"{env}='{text}' is geen geldig maximum; geef een geheel aantal MB "
                         f"groter dan 0 (standaard {default}).")
    return value * MB


def max_file_bytes() -> int:
    """The cap on one CSV file and on the unpacked content of one .xlsx."""
    return _megabytes(MAX_IMPORT_ENV, DEFAULT_MAX_IMPORT_MB)


def max_archive_bytes() -> int:
    """The cap on the unpacked content of one .zip of iJw/iWmo messages."""
    return _megabytes(MAX_ZIP_ENV, DEFAULT_MAX_ZIP_MB)


def size_text(size: int) -> str:
    """A byte count in MB: "1.024 MB", below 10 MB with one decimal ("1,5 MB")."""
    if size < 10 * MB:
        return f"{size / MB:.1f} MB".replace(".", ",")
    return f"{group_thousands(size // MB)} MB"


def too_large(size: int, cap: int, env: str, what: str = "bestand is") -> str:
    """The refusal of a file above its cap, saying what to do."""
    return (f"{what} {size_text(size)}, groter dan het maximum van {size_text(cap)}; "
            f"splits het op (of stel {env} hoger in)")


def _central_directory(path: Path) -> tuple[int, int] | None:
    """(members, directory bytes) from the end-of-central-directory record, read without
    parsing the directory itself; None when there is none (zipfile then reports the file)."""
    with path.open("rb") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        tail = min(size, 65_536 + 22)
        fh.seek(size - tail)
        data = fh.read(tail)
        pos = data.rfind(_EOCD)
        if pos < 0 or pos + 22 > len(data):
            return None
        members, directory = struct.unpack("<HI", data[pos + 10:pos + 16])
        locator = pos - 20
        if (members == 0xFFFF or directory == 0xFFFFFFFF) and locator >= 0 \
                and data[locator:locator + 4] == _EOCD64_LOCATOR:
            (offset,) = struct.unpack("<Q", data[locator + 8:locator + 16])
            fh.seek(offset)
            record = fh.read(56)
            if len(record) == 56 and record[:4] == _EOCD64:
                members, directory = struct.unpack("<QQ", record[32:48])
    return members, directory


def zip_problem(path: Path, max_bytes: int, env: str, max_members: int,
                kind: str = "zip-bestand") -> str | None:
    """Why the zip (or .xlsx) at `path` must not be opened, from its central directory alone;
    None when it is within the caps. A file that is no zip at all is left to zipfile."""
    try:
        found = _central_directory(path)
    except OSError as exc:
        return f"bestand kan niet worden gelezen: {exc.strerror or exc}"
    if found is None:
        return None
    members, directory = found
    if members > max_members or directory > MAX_CENTRAL_DIRECTORY:
        return (f"{kind} met {group_thousands(members)} onderdelen "
                f"({size_text(directory)} inhoudsopgave) wordt niet geopend: het maximum is "
                f"{group_thousands(max_members)} onderdelen; splits het op")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:  # a damaged directory: the reader that opens it reports it in its words
        return None
    if unpacked > max_bytes:
        return too_large(unpacked, max_bytes, env, f"{kind} is uitgepakt")
    return None
