"""The house rules a reviewer cannot keep in their head, read off the source with `ast`:

- no import circles inside sdesk, between modules or between service features;
- the platform layer imports no feature; a feature, the UI and the CLI import a feature only
  through its public face (`sdesk.services.<feature>`), never a module behind it;
- no `_private` name is imported or used across modules;
- no UI or CLI module writes an audit row (exports and views go through the services);
- no class is longer than about 450 lines and no UI module longer than about 600.

Each rule is checked by a function that takes the parsed sources, so the tests below can also
show that every check fails on a small hand-made violation.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "sdesk"
MAX_CLASS_LINES = 450
MAX_UI_MODULE_LINES = 600


@dataclass(frozen=True)
class Module:
    name: str  # dotted
    path: Path
    tree: ast.Module
    is_package: bool

    @property
    def lines(self) -> int:
        return len(self.path.read_text(encoding="utf-8").splitlines())


def load_sources(root: Path = PACKAGE, prefix: str = "sdesk") -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        parts = path.relative_to(root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join((prefix, *parts[:-1])) if is_package else ".".join((prefix, *parts))
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8")),
                               is_package)
    return modules


def _runtime_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement except those under `if TYPE_CHECKING:` (not run)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for body in node.body for n in ast.walk(body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skip:
            yield node


def _absolute(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[:len(base) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _lazy_names(module: Module) -> dict[str, str]:
    """A public face's `_LAZY` mapping: name -> module behind the face."""
    for node in module.tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_LAZY"
                                                 for t in node.targets)
                and isinstance(node.value, ast.Dict)):
            return {ast.literal_eval(k): f"{module.name}.{ast.literal_eval(v)}"
                    for k, v in zip(node.value.keys, node.value.values, strict=True)
                    if k is not None}
    return {}


def import_edges(modules: Mapping[str, Module]) -> dict[str, set[str]]:
    """module -> the sdesk modules it imports at run time. A name taken from a lazy public
    face counts as an import of the module behind it (that is what loads)."""
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for module in modules.values():
        for node in _runtime_imports(module.tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                source = _absolute(module, node)
                targets = []
                lazy = _lazy_names(modules[source]) if source in modules else {}
                for alias in node.names:
                    if f"{source}.{alias.name}" in modules:
                        targets.append(f"{source}.{alias.name}")
                    elif alias.name in lazy:
                        targets.append(lazy[alias.name])
                    else:
                        targets.append(source)
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != module.name:
                    edges[module.name].add(target)
    return edges


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def feature_of(name: str) -> str | None:
    """"sdesk.services.kpi.trends" -> "kpi"; platform and loose service modules -> their
    own name; outside the services -> None."""
    parts = name.split(".")
    if parts[:2] != ["sdesk", "services"] or len(parts) < 3:
        return None
    return parts[2]


def feature_edges(edges: Mapping[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for source, targets in edges.items():
        a = feature_of(source)
        if a is None:
            continue
        for target in targets:
            b = feature_of(target)
            if b is not None and b != a:
                out.setdefault(a, set()).add(b)
    return out


def face_violations(modules: Mapping[str, Module]) -> list[str]:
    """Imports of a module behind another feature's face, and platform importing a feature."""
    features = {feature_of(n) for n in modules if modules[n].is_package} - {None, "platform"}
    bad = []
    for module in modules.values():
        own = feature_of(module.name)
        for node in _runtime_imports(module.tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [_absolute(module, node)])
            for target in names:
                feature = feature_of(target)
                if feature not in features or feature == own:
                    continue
                if own == "platform":
                    bad.append(f"{module.name}: platform imports the feature {target}")
                elif target != f"sdesk.services.{feature}":
                    bad.append(f"{module.name}: imports {target}, behind the face of "
                               f"sdesk.services.{feature}")
    return bad


def private_violations(modules: Mapping[str, Module]) -> list[str]:
    """`from x import _name`, and `module._name` on an sdesk module imported by name."""
    bad = []
    for module in modules.values():
        module_aliases: set[str] = set()
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(module, node)
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        bad.append(f"{module.name}: imports {alias.name} from {source}")
                    if f"{source}.{alias.name}" in modules:
                        module_aliases.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("sdesk") and alias.asname:
                        module_aliases.add(alias.asname)
        for node in ast.walk(module.tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in module_aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                bad.append(f"{module.name}: uses {node.value.id}.{node.attr}")
    return bad


AUDIT_WRITE = re.compile(r"\baudit\.(record|log)\(|\bfrom sdesk\.services\.platform\.audit "
                         r"import [^\n]*\b(record|log)\b")


def audit_writers(modules: Mapping[str, Module]) -> list[str]:
    """UI and CLI modules that write audit rows themselves."""
    front = [m for n, m in modules.items()
             if n.startswith("sdesk.ui") or n in ("sdesk.cli", "sdesk.app")]
    return [m.name for m in front if AUDIT_WRITE.search(m.path.read_text(encoding="utf-8"))]


def size_violations(modules: Mapping[str, Module]) -> list[str]:
    bad = []
    for module in modules.values():
        if module.name.startswith("sdesk.ui") and module.lines > MAX_UI_MODULE_LINES:
            bad.append(f"{module.name}: {module.lines} lines")
        for node in ast.walk(module.tree):
            if isinstance(node, ast.ClassDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_CLASS_LINES:
                    bad.append(f"{module.name}.{node.name}: class of {length} lines")
    return bad


# -- the rules hold for sdesk ---------------------------------------------------------------

SOURCES = load_sources()


def test_no_import_circles() -> None:
    assert cycles(import_edges(SOURCES)) == []


def test_no_circles_between_features() -> None:
    assert cycles(feature_edges(import_edges(SOURCES))) == []


def test_features_are_used_through_their_public_face() -> None:
    assert face_violations(SOURCES) == []


def test_no_private_name_crosses_a_module() -> None:
    assert private_violations(SOURCES) == []


def test_no_ui_or_cli_module_writes_an_audit_row() -> None:
    assert audit_writers(SOURCES) == []


def test_classes_and_ui_modules_stay_small() -> None:
    assert size_violations(SOURCES) == []


def test_no_public_name_is_also_a_module_of_its_feature() -> None:
    """`from sdesk.services.kpi import drilldown` must give the function, never a module of
    that name that happens to be loaded already."""
    clashes = []
    for module in SOURCES.values():
        if module.is_package:
            for name in _lazy_names(module):
                if f"{module.name}.{name}" in SOURCES:
                    clashes.append(f"{module.name}.{name}")
    assert clashes == []


def test_services_are_cut_by_feature() -> None:
    """Feature packages and only a handful of loose modules."""
    loose = sorted(p.name for p in (PACKAGE / "services").glob("*.py") if p.name != "__init__.py")
    assert loose == ["exports.py"]
    features = sorted(p.name for p in (PACKAGE / "services").iterdir()
                      if (p / "__init__.py").exists())
    assert {"platform", "kpi", "budget", "afschaling", "household", "exchange",
            "demo"} <= set(features)


# -- and every check can fail ----------------------------------------------------------------

def _fake(tmp_path: Path, files: dict[str, str]) -> dict[str, Module]:
    for relative, text in files.items():
        path = tmp_path / "sdesk" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_sources(tmp_path / "sdesk", "sdesk")


def test_the_checks_catch_violations(tmp_path: Path) -> None:
    fake = _fake(tmp_path, {
        "__init__.py": "",
        "cli.py": "from sdesk.services.platform import audit\naudit.log(1, 2, 'export')\n",
        "services/__init__.py": "",
        "services/platform/__init__.py": "",
        "services/platform/db.py": "from sdesk.services.kpi import compute\n",
        "services/kpi/__init__.py": "_LAZY = {'compute': 'definitions'}\n",
        "services/kpi/definitions.py": ("from sdesk.services.budget.report import _secret\n"
                                        "def compute(): pass\n"),
        "services/budget/__init__.py": "",
        "services/budget/report.py": ("import sdesk.services.kpi.definitions as k\n"
                                      "x = k._hidden\n_secret = 1\n"
                                      "class Big:\n" + "    a = 1\n" * 460),
        "ui/__init__.py": "",
        "ui/page.py": "\n" * 601,
    })
    edges = import_edges(fake)
    assert ["sdesk.services.budget.report", "sdesk.services.kpi.definitions"] in cycles(edges)
    assert ["budget", "kpi", "platform"] not in cycles(feature_edges(edges))
    assert ["budget", "kpi"] in cycles(feature_edges(edges))
    faces = face_violations(fake)
    assert any("platform imports the feature" in v for v in faces)
    assert any("behind the face of sdesk.services.budget" in v for v in faces)
    private = private_violations(fake)
    assert any("imports _secret" in v for v in private)
    assert any("uses k._hidden" in v for v in private)
    assert audit_writers(fake) == ["sdesk.cli"]
    sizes = size_violations(fake)
    assert any("Big: class of 461 lines" in v for v in sizes)
    assert any(v.startswith("sdesk.ui.page:") for v in sizes)
