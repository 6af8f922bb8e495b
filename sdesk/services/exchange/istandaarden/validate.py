"""Validation against the official iJw/iWmo 3.2 XSDs (lxml XMLSchema).

The XSDs are not shipped inside the package: they are read from the ``shared/istandaarden``
folder beside the repository (``<repo>/../shared/istandaarden/{jw,wmo}/*.xsd``), or from the
folder named by the environment variable ``SDESK_ISTANDAARDEN_XSD``. Each message XSD imports
``basisschema.xsd`` from its own folder; lxml resolves that relative to the XSD file.

When the folder (or the XSD of one message type, e.g. WMO325) is missing, validation is
skipped with a warning and only sdesk's own checks apply.
"""

from __future__ import annotations

import os
import re
import threading
from functools import lru_cache
from pathlib import Path

from lxml import etree

from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.istandaarden.detect import MessageType

ENV_VAR = "SDESK_ISTANDAARDEN_XSD"
_SUBFOLDER = {"ijw": "jw", "iwmo": "wmo"}
_lock = threading.Lock()


def xsd_dir() -> Path | None:
    """The folder holding jw/ and wmo/ with the XSDs, or None when it cannot be found."""
    candidates: list[Path] = []
    env = os.environ.get(ENV_VAR)
    if env:
        candidates.append(Path(env))
    # sdesk/services/exchange/istandaarden/validate.py -> parents[4] is the repository root.
    candidates.append(Path(__file__).resolve().parents[4].parent / "shared" / "istandaarden")
    for folder in candidates:
        if (folder / "jw").is_dir() or (folder / "wmo").is_dir():
            return folder
    return None


def xsd_path(mt: MessageType, root: Path | None = None) -> Path | None:
    root = root if root is not None else xsd_dir()
    if root is None:
        return None
    path = root / _SUBFOLDER[mt.standard] / f"{mt.code}.xsd"
    return path if path.is_file() else None


@lru_cache(maxsize=64)
def _schema(path: str) -> etree.XMLSchema:
    # Local, trusted files; the parser still never touches the network.
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(path, parser))


def schema_for(mt: MessageType) -> etree.XMLSchema | None:
    path = xsd_path(mt)
    return _schema(str(path)) if path is not None else None


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
    """Validates documents against their message's XSD; warns once per missing schema."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.root = xsd_dir()
        self._warned: set[str] = set()
        self._schemas: dict[str, etree.XMLSchema | None] = {}
        if self.root is None:
            report.warnings.append(
                "De map met de officiële iJw/iWmo-XSD's is niet gevonden (verwacht "
                "../shared/istandaarden naast de installatie, of zet "
                f"{ENV_VAR}); de berichten zijn niet tegen de XSD's gecontroleerd, "
                "alleen tegen de eigen regels van sdesk.")

    def check(self, root: etree._Element, mt: MessageType) -> list[tuple[int, str]] | None:
        """The schema errors (line, libxml2 message) of a document, [] when it is valid, None
        when there is no XSD to check against (with a warning, once per message type)."""
        if self.root is None:
            return None
        if mt.code not in self._schemas:
            path = xsd_path(mt, self.root)
            self._schemas[mt.code] = _schema(str(path)) if path is not None else None
        schema = self._schemas[mt.code]
        if schema is None:
            if mt.code not in self._warned:
                self._warned.add(mt.code)
                self.report.warnings.append(
                    f"Geen XSD voor {mt.code} gevonden in {self.root}; {mt.code}-berichten "
                    "zijn alleen tegen de eigen regels van sdesk gecontroleerd.")
            return None
        with _lock:  # an XMLSchema object keeps its error log: one validation at a time
            if schema.validate(root):
                return []
            return [(e.line, e.message) for e in schema.error_log]

    def report_errors(self, errors: list[tuple[int, str]], mt: MessageType, label: str) -> None:
        for line, message in errors:
            name, reason = translate(message)
            self.report.add(label, line or None, name,
                            f"voldoet niet aan het XSD-schema {mt.code}: {reason}")

    def validate(self, root: etree._Element, mt: MessageType, label: str) -> bool:
        """Check and report; True when the document is valid or there is no XSD for it."""
        errors = self.check(root, mt)
        if errors:
            self.report_errors(errors, mt, label)
            return False
        return True
