"""An installed sdesk validates iJw/iWmo messages with the XSDs that ship inside its wheel.

The wheel is built from a copy of this source tree and installed into a folder of its own; a
separate Python process imports sdesk from there (its dependencies still come from the venv)
and validates a valid and an invalid JW325 and WMO325 through the public validator API. Nothing
outside the installed package (no XSD folder beside the repository) may be needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from tests.integration.exchange.istandaarden_data import LINE_RN4, Line, antwoord

ROOT = Path(__file__).resolve().parents[3]  # the repository: pyproject.toml, sdesk/

CHECK = """
import json, sys
from pathlib import Path

from lxml import etree

import sdesk
from sdesk.services.exchange.importing.report import Report
from sdesk.services.exchange.istandaarden.detect import message_type
from sdesk.services.exchange.istandaarden.validate import Validator, xsd_dir

site = Path(sys.argv[1]).resolve()
package = Path(sdesk.__file__).resolve()
assert package.is_relative_to(site), f"sdesk comes from {package}, not from {site}"
assert xsd_dir().resolve().is_relative_to(site), xsd_dir()
results = {}
for name in sys.argv[2:]:
    standard = "ijw" if name.startswith("JW") else "iwmo"
    mt = message_type(standard, "325")
    root = etree.parse(name).getroot()
    report = Report()
    valid = Validator(report).validate(root, mt, name)
    results[name] = {"valid": valid, "issues": [str(i) for i in report.issues],
                     "warnings": list(report.warnings)}
print(json.dumps({"sdesk": str(package), "xsd_dir": str(xsd_dir()), "results": results}))
"""


def _setuptools_builds_in_venv() -> bool:
    """True when the venv's own setuptools can build sdesk (PEP 639 licence strings in
    pyproject.toml need setuptools 77); otherwise pip builds with an isolated backend."""
    try:
        return int(version("setuptools").split(".")[0]) >= 77
    except (PackageNotFoundError, ValueError):
        return False


def _build_wheel(tmp_path: Path) -> Path:
    # Build from a copy: setuptools writes build/ and sdesk.egg-info beside pyproject.toml, and
    # a stale build/lib of the source tree could end up in the wheel.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "sdesk", source / "sdesk",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist)]
    if _setuptools_builds_in_venv():
        command.append("--no-build-isolation")
    built = subprocess.run([*command, str(source)], capture_output=True, text=True,
                           timeout=600, cwd=tmp_path)
    assert built.returncode == 0, built.stdout + built.stderr
    wheels = list(dist.glob("sdesk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_installed_wheel_validates_with_its_own_schemas(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site),
         str(wheel)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    shipped = site / "sdesk" / "resources" / "istandaarden"
    assert (shipped / "jw" / "JW325.xsd").is_file() and (shipped / "wmo" / "WMO325.xsd").is_file()

    wmo_line = Line("W1", "5001", "01", "01A01", "2024-01-01", "2024-01-31", 12, "04", 3450,
                    41_400)
    messages = {
        "JW325-valid.xml": antwoord([LINE_RN4], law="jw"),
        "WMO325-valid.xml": antwoord([wmo_line], law="wmo", number="W2024001"),
        # An element the XSD does not know, and a Bsn that is no number at all.
        "JW325-invalid.xml": antwoord([LINE_RN4], law="jw").replace(
            "</jw325:Bsn>", "</jw325:Bsn><jw325:Hobby/>"),
        "WMO325-invalid.xml": antwoord([wmo_line], law="wmo", number="W2024001").replace(
            "<wmo325:Bsn>999900006<", "<wmo325:Bsn>geen-bsn<"),
    }
    for name, text in messages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("PYTHONHOME", None)
    checked = subprocess.run([sys.executable, "-c", CHECK, str(site), *messages],
                             capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    output = json.loads(checked.stdout.strip().splitlines()[-1])
    assert Path(output["sdesk"]).is_relative_to(site.resolve())
    assert not Path(output["sdesk"]).is_relative_to(ROOT)
    results = output["results"]
    for name in ("JW325-valid.xml", "WMO325-valid.xml"):
        assert results[name] == {"valid": True, "issues": [], "warnings": []}, name
    assert results["JW325-invalid.xml"]["valid"] is False
    assert any("voldoet niet aan het XSD-schema JW325" in i and "Hobby" in i
               for i in results["JW325-invalid.xml"]["issues"])
    assert results["WMO325-invalid.xml"]["valid"] is False
    assert any("voldoet niet aan het XSD-schema WMO325" in i and "geen-bsn" in i
               for i in results["WMO325-invalid.xml"]["issues"])
