"""Which iJw/iWmo 3.2 message a document is, and where the documents of an import come from.

A message is recognised by the namespace of its root element (e.g.
``http://www.istandaarden.nl/ijw/3_2/jw301/schema``) together with the BerichtCode in its
header (436 for JW301). Sources are .xml files, folders of them (searched recursively) and .zip
archives of them; everything is read into memory one document at a time, never unpacked to disk.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sdesk.services.exchange.importing.limits import (
    MAX_ZIP_ENV,
    MAX_ZIP_MEMBERS,
    max_archive_bytes,
    too_large,
    zip_problem,
)
from sdesk.services.exchange.importing.report import Report

# One message file larger than this is refused (a 323 of a big provider is a few MB).
MAX_DOCUMENT_BYTES = 256 * 2**20
# A zip is checked on its central directory before it is opened: members, and unpacked size
# at most max_archive_bytes() (2 GB, SDESK_MAX_ZIP_MB), see importing/limits.py.
RELEASE = "3_2"


@dataclass(frozen=True)
class MessageType:
    standard: str  # "ijw" or "iwmo"
    number: str  # "301"
    berichtcode: str  # Vektis BerichtCode, e.g. "436"
    title: str  # Dutch name, for messages
    supported: bool  # read into the database (the rest is skipped with a warning)

    @property
    def law(self) -> str:
        """The law the message belongs to: 'jeugd' for iJw, 'wmo' for iWmo."""
        return "jeugd" if self.standard == "ijw" else "wmo"

    @property
    def prefix(self) -> str:
        """Namespace prefix of the message, e.g. "jw301"."""
        return ("jw" if self.standard == "ijw" else "wmo") + self.number

    @property
    def code(self) -> str:
        """Name as people write it: "JW301", "WMO323"."""
        return self.prefix.upper()

    @property
    def namespace(self) -> str:
        """The message's XML namespace in the supported release."""
        return f"http://www.istandaarden.nl/{self.standard}/{RELEASE}/{self.prefix}/schema"

    @property
    def basis_namespace(self) -> str:
        """The namespace of the basisschema the message's types come from."""
        return f"http://www.istandaarden.nl/{self.standard}/{RELEASE}/basisschema/schema"


_TITLES = {
    "301": "toewijzing", "302": "retour toewijzing", "305": "start zorg",
    "306": "retour start zorg", "307": "stop zorg", "308": "retour stop zorg",
    "315": "verzoek om toewijzing", "316": "retour verzoek om toewijzing",
    "317": "verzoek om wijziging", "318": "retour verzoek om wijziging",
    "319": "antwoordbericht", "320": "retour antwoordbericht", "323": "declaratie",
    "325": "declaratie-antwoord",
}
# BerichtCode per message (domain brief 1.2, from the XSD patterns).
_CODES = {
    "ijw": {"301": "436", "302": "437", "305": "438", "306": "439", "307": "440",
            "308": "441", "315": "446", "316": "447", "317": "486", "318": "487",
            "319": "488", "320": "489", "323": "490", "325": "491"},
    "iwmo": {"301": "414", "302": "415", "305": "418", "306": "419", "307": "420",
             "308": "421", "315": "444", "316": "445", "317": "480", "318": "481",
             "319": "482", "320": "483", "323": "484", "325": "485"},
}
SUPPORTED = frozenset({"301", "305", "307", "315", "323", "325"})

MESSAGE_TYPES: tuple[MessageType, ...] = tuple(
    MessageType(standard, number, code, _TITLES[number], number in SUPPORTED)
    for standard, codes in _CODES.items() for number, code in codes.items())
BY_NAMESPACE = {mt.namespace: mt for mt in MESSAGE_TYPES}
BY_CODE = {(mt.standard, mt.number): mt for mt in MESSAGE_TYPES}
BY_BERICHTCODE = {mt.berichtcode: mt for mt in MESSAGE_TYPES}

_NAMESPACE = re.compile(
    r"^https?://www\.istandaarden\.nl/(?P<standard>ijw|iwmo)/(?P<release>[0-9_]+)/"
    r"(?P<prefix>jw|wmo)(?P<number>\d{3})/schema$")


def message_type(standard: str, number: str) -> MessageType:
    """The message type of a standard ('ijw', 'iwmo') and number ('301')."""
    return BY_CODE[(standard, number)]


def identify(namespace: str | None) -> MessageType | str:
    """The message type of a root namespace, or a Dutch reason why it is none we know."""
    if not namespace:
        return ("geen iJw/iWmo-bericht: het hoofdelement heeft geen namespace "
                "(verwacht bijvoorbeeld http://www.istandaarden.nl/ijw/3_2/jw301/schema)")
    found = BY_NAMESPACE.get(namespace)
    if found is not None:
        return found
    match = _NAMESPACE.match(namespace)
    if match is None:
        return f"geen iJw/iWmo-bericht: onbekende namespace '{namespace}'"
    release = match["release"].replace("_", ".")
    if match["release"] != RELEASE:
        return (f"release {release} wordt niet ondersteund; sdesk leest iJw/iWmo-berichten "
                "van release 3.2")
    return f"onbekend berichttype {match['prefix'].upper()}{match['number']} (namespace " \
           f"'{namespace}')"


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------

SourceKind = Literal["istandaard", "exchange", "mixed"]
_EXCHANGE_SUFFIXES = (".csv", ".xlsx")


def _is_hidden(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in parts if p)


def _walk(folder: Path) -> list[tuple[str, str]]:
    """(relative path, full path) of every visible file below folder, sorted."""
    out: list[tuple[str, str]] = []
    for directory, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__MACOSX"]
        base = os.path.relpath(directory, folder)
        for name in files:
            if not name.startswith("."):
                relative = name if base == "." else os.path.join(base, name)
                out.append((relative, os.path.join(directory, name)))
    out.sort()
    return out


def source_kind(path: Path) -> SourceKind:
    """"istandaard" for .xml/.zip files and folders holding only XML messages, "mixed" for a
    folder with both XML and exchange-format files, "exchange" otherwise."""
    path = Path(path)
    if path.is_dir():
        has_xml = any(r.lower().endswith(".xml") for r, _ in _walk(path))
        has_exchange = any(p.is_file() and p.suffix.lower() in _EXCHANGE_SUFFIXES
                           for p in path.iterdir())
        if has_xml and has_exchange:
            return "mixed"
        return "istandaard" if has_xml else "exchange"
    return "istandaard" if path.suffix.lower() in (".xml", ".zip") else "exchange"


def is_istandaard_source(path: Path) -> bool:
    """True for an .xml or .zip file, or a folder of .xml files (the importer's dispatch)."""
    return source_kind(Path(path)) == "istandaard"


@dataclass(frozen=True)
class Document:
    """One message to read: its label for reports and how to get its bytes."""

    label: str
    read: Callable[[], bytes]


class DocumentTooLargeError(Exception):
    pass


def _file_reader(path: str) -> Callable[[], bytes]:
    def read() -> bytes:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            chunks: list[bytes] = []
            size = 0
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_DOCUMENT_BYTES:
                    raise DocumentTooLargeError()
                chunks.append(chunk)
        finally:
            os.close(fd)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return read


def _zip_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        # Read at most the limit, whatever the header claims (a forged size cannot blow up).
        with archive.open(info) as fh:
            data = fh.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise DocumentTooLargeError()
        return data
    return read


def _zip_documents(path: Path, report: Report, keep_open: list[zipfile.ZipFile]
                   ) -> list[Document]:
    cap = max_archive_bytes()
    problem = zip_problem(path, cap, MAX_ZIP_ENV, MAX_ZIP_MEMBERS)
    if problem is not None:
        report.add(path.name, None, None, problem)
        return []
    try:
        archive = zipfile.ZipFile(path)
    except Exception:  # BadZipFile, OSError, or worse for a damaged file: report, never raise
        report.add(path.name, None, None, "geen geldig zip-bestand")
        return []
    keep_open.append(archive)
    infos = [i for i in archive.infolist() if not i.is_dir() and not _is_hidden(i.filename)]
    unpacked = sum(i.file_size for i in infos)
    if unpacked > cap:  # zip_problem said so already, unless the file changed meanwhile
        report.add(path.name, None, None,
                   too_large(unpacked, cap, MAX_ZIP_ENV, "zip-bestand is uitgepakt"))
        return []
    docs: list[Document] = []
    for info in sorted(infos, key=lambda i: i.filename):
        label = f"{path.name}:{info.filename}"
        if info.flag_bits & 0x1:
            report.add(label, None, None, "versleuteld bestand in zip; pak het eerst uit")
            continue
        if not info.filename.lower().endswith(".xml"):
            report.warnings.append(f"{label}: geen .xml-bestand, overgeslagen")
            continue
        docs.append(Document(label, _zip_reader(archive, info)))
    return docs


def discover(sources: Iterable[Path], report: Report, keep_open: list[zipfile.ZipFile]
             ) -> list[Document]:
    """Every XML document of the sources, in a stable order. Zip archives stay open (in
    keep_open) until the caller closes them."""
    docs: list[Document] = []
    for source in (Path(s) for s in sources):
        if not source.exists():
            report.add(str(source), None, None, "bestand of map bestaat niet")
        elif source.is_dir():
            files = _walk(source)
            xml = [(r, f) for r, f in files if r.lower().endswith(".xml")]
            for relative, _full in files:
                if not relative.lower().endswith(".xml"):
                    report.warnings.append(f"{relative}: geen .xml-bestand, overgeslagen")
            if not xml:
                report.add(str(source), None, None, "map bevat geen iJw/iWmo-berichten (.xml)")
            docs.extend(Document(relative, _file_reader(full)) for relative, full in xml)
        elif source.suffix.lower() == ".zip":
            found = _zip_documents(source, report, keep_open)
            if not found and report.ok:
                report.add(source.name, None, None, "zip-bestand bevat geen .xml-berichten")
            docs.extend(found)
        elif source.suffix.lower() == ".xml":
            docs.append(Document(source.name, _file_reader(str(source))))
        else:
            report.add(source.name, None, None,
                       "onbekend bestandstype (verwacht .xml, .zip of een map met .xml-berichten)")
    return docs
