"""Validation against the official iJw/iWmo 3.2 XSDs (lxml XMLSchema).

The XSDs ship inside the package as data: ``sdesk/resources/istandaarden/{jw,wmo}/*.xsd``
(package data of the wheel, ``datas`` of the PyInstaller build), found with
``importlib.resources``. Each message XSD imports ``basisschema.xsd`` from its own folder; lxml
resolves that relative to the XSD's file path, so the folder must be a real folder on disk: the
package is installed unpacked (wheel, editable install, PyInstaller one-folder build).

WMO325.xsd was not available officially; the shipped one is reconstructed from JW325.xsd and
the published WMO325 structure (see the comment at the top of the file).

A missing schema folder or XSD means a broken installation: that is an internal error
(MissingSchemaError), never a reason to import messages unchecked.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from importlib import resources
from pathlib import Path

from lxml import etree

from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.istandaarden.detect import MessageType

_SUBFOLDER = {"ijw": "jw", "iwmo": "wmo"}
_lock = threading.Lock()


class MissingSchemaError(RuntimeError):
    """The XSDs that ship with sdesk are not there: the installation is incomplete."""


def xsd_dir() -> Path:
    """The folder inside the installed package holding jw/ and wmo/ with the XSDs."""
    folder = resources.files("sdesk") / "resources" / "istandaarden"
    # lxml resolves <xs:import schemaLocation="basisschema.xsd"> against the file's path, so a
    # real folder is needed; an unpacked installation gives a pathlib.Path here.
    path = Path(os.fspath(folder)) if isinstance(folder, os.PathLike) else None
    if path is None or not (path / "jw").is_dir() or not (path / "wmo").is_dir():
        raise MissingSchemaError(
            "Interne fout: de iJw/iWmo-XSD's ontbreken in deze installatie van sdesk "
            f"(verwacht in {folder}). Installeer sdesk opnieuw.")
    return path


def xsd_path(mt: MessageType, root: Path | None = None) -> Path:
    """The XSD file of a message type; MissingSchemaError when the installation lacks it."""
    root = root if root is not None else xsd_dir()
    path = root / _SUBFOLDER[mt.standard] / f"{mt.code}.xsd"
    if not path.is_file():
        raise MissingSchemaError(
            f"Interne fout: het XSD-schema van {mt.code} ontbreekt in deze installatie van "
            f"sdesk (verwacht: {path}). Installeer sdesk opnieuw.")
    return path


@lru_cache(maxsize=64)
def _schema(path: str) -> etree.XMLSchema:
    # Local, trusted files; the parser still never touches the network.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(path, parser))


def schema_for(mt: MessageType) -> etree.XMLSchema:
    """The compiled XSD of a message type."""
    return _schema(str(xsd_path(mt)))


# libxml2's messages, made readable in Dutch. Anything else is passed on as it is.
_ELEMENT = re.compile(r"^Element '(?:\{[^}]*\})?(?P<name>[^']+)': (?P<rest>.*)$", re.S)
_LOCAL = re.compile(r"\{[^}]*\}")
_TRANSLATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^This element is not expected\. Expected is (?:one of )?\( (?P<x>.*) \)\.$"),
     "element staat hier niet goed; verwacht: {x}"),
    (re.compile(r"^This element is not expected\.$"), "element wordt hier niet verwacht"),
    (re.compile(r"^Missing child element\(s\)\. Expected is (?:one of )?\( (?P<x>.*) \)\.$"),
     "verplicht element ontbreekt: {x}"),
    (re.compile(r"^'(?P<v>.*)' is not a valid value of the (?:local )?atomic type "
                r"'(?:\{[^}]*\})?(?P<t>[^']*)'\.$", re.S),
     "ongeldige waarde '{v}' (type {t})"),
    (re.compile(r"^\[facet 'enumeration'\] The value '(?P<v>.*)' is not an element of the "
                r"set \{.*\}\.$", re.S),
     "code '{v}' staat niet in de codelijst"),
    (re.compile(r"^\[facet 'pattern'\] The value '(?P<v>.*)' is not accepted by the pattern "
                r"'(?P<p>.*)'\.$", re.S),
     "waarde '{v}' voldoet niet aan het patroon '{p}'"),
    (re.compile(r"^\[facet 'maxLength'\] The value '(?P<v>.*)' has a length of '\d+'; this "
                r"exceeds the allowed maximum length of '(?P<m>\d+)'\.$", re.S),
     "waarde '{v}' is te lang (maximaal {m} tekens)"),
    (re.compile(r"^\[facet 'minLength'\] The value '(?P<v>.*)' has a length of '\d+'; this "
                r"underruns the allowed minimum length of '(?P<m>\d+)'\.$", re.S),
     "waarde '{v}' is te kort (minimaal {m} tekens)"),
    (re.compile(r"^\[facet '(?:max|min)Inclusive'\] The value '(?P<v>.*)' is (?:greater|less) "
                r"than the (?:maximum|minimum) value allowed \('(?P<m>.*)'\)\.$", re.S),
     "waarde '{v}' valt buiten het toegestane bereik (grens {m})"),
    (re.compile(r"^Character content other than whitespace is not allowed because the content "
                r"type is 'element-only'\.$"),
     "tekst is hier niet toegestaan (alleen elementen)"),
)


def translate(message: str) -> tuple[str | None, str]:
    """(element name, Dutch reason) for one libxml2 schema error message."""
    match = _ELEMENT.match(message.strip())
    if match is None:
        return None, message.strip()
    name, rest = match["name"], match["rest"].strip()
    for pattern, template in _TRANSLATIONS:
        found = pattern.match(rest)
        if found:
            values = {k: _LOCAL.sub("", v) for k, v in found.groupdict().items()}
            return name, template.format(**values)
    return name, _LOCAL.sub("", rest)


class Validator:
    """Validates documents against their message's XSD (one compiled schema per type)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.root = xsd_dir()  # fails at once on an installation without its XSDs
        self._schemas: dict[str, etree.XMLSchema] = {}

    def check(self, root: etree._Element, mt: MessageType) -> list[tuple[int, str]]:
        """The schema errors (line, libxml2 message) of a document, [] when it is valid."""
        schema = self._schemas.get(mt.code)
        if schema is None:
            schema = self._schemas[mt.code] = _schema(str(xsd_path(mt, self.root)))
        with _lock:  # an XMLSchema object keeps its error log: one validation at a time
            if schema.validate(root):
                return []
            return [(e.line, e.message) for e in schema.error_log]

    def report_errors(self, errors: list[tuple[int, str]], mt: MessageType, label: str) -> None:
        """Add each schema error to the report, in Dutch where known."""
        for line, message in errors:
            name, reason = translate(message)
            self.report.add(label, line or None, name,
                            f"voldoet niet aan het XSD-schema {mt.code}: {reason}")

    def validate(self, root: etree._Element, mt: MessageType, label: str) -> bool:
        """Check and report; True when the document is valid."""
        errors = self.check(root, mt)
        if errors:
            self.report_errors(errors, mt, label)
            return False
        return True
