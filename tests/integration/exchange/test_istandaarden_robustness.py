"""Damaged messages never crash the import: a refusal (or a clean import), never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import Engine

from sdesk.services.exchange.importer import ImportResult
from sdesk.services.exchange.istandaarden import import_messages
from sdesk.services.platform.db import open_database
from tests.integration.exchange.istandaarden_data import example_folder
from tests.integration.exchange_data import dump

ODD_VALUES = ["", " ", "-1", "+7", "²", "٣", "99999999999999999999", "2024-02-30", "2024-1-1",
              "abc", "0", "C", "D", "83", "\u00e9\u00e8", "12.5", "2024-01-01T00:00:00"]


def _mutations(root: etree._Element, rng: random.Random, count: int) -> list[bytes]:
    out = []
    for _ in range(count):
        tree = etree.fromstring(etree.tostring(root))
        all_leaves = [e for e in tree.iter() if isinstance(e.tag, str) and len(e) == 0]
        all_branches = [e for e in tree.iter() if isinstance(e.tag, str) and len(e) > 0
                        and e.getparent() is not None]
        kind = rng.choice(["value", "value", "drop", "duplicate", "swap"])
        if kind == "value" and all_leaves:
            rng.choice(all_leaves).text = rng.choice(ODD_VALUES)
        elif kind == "drop" and all_leaves + all_branches:
            victim = rng.choice(all_leaves + all_branches)
            victim.getparent().remove(victim)
        elif kind == "duplicate" and all_branches:
            victim = rng.choice(all_branches)
            victim.addnext(etree.fromstring(etree.tostring(victim)))
        elif kind == "swap" and all_branches:
            parent = rng.choice(all_branches)
            if len(parent) > 1:
                first = parent[0]
                parent.remove(first)
                parent.append(first)
        out.append(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))
    return out


@pytest.mark.parametrize("with_xsd", [True, False])
def test_damaged_messages_never_crash(engine: Engine, db_path: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch, with_xsd: bool) -> None:
    if not with_xsd:  # the careful reader alone, without the XSD's protection
        from sdesk.services.exchange.istandaarden import validate

        # No verdict from the schema (neither valid nor invalid): every document is read by
        # the careful reader, and only its own checks refuse anything.
        monkeypatch.setattr(validate.Validator, "check", lambda _self, _root, _mt: None)
    example = example_folder(tmp_path / "example")
    originals = {p.name: p.read_bytes() for p in sorted(example.iterdir())}
    rng = random.Random(20240601)
    before = dump(db_path)
    refused = 0
    for name, raw in originals.items():
        for i, mutated in enumerate(_mutations(etree.fromstring(raw), rng, 8)):
            folder = tmp_path / f"m-{name}-{i}"
            folder.mkdir()
            for other, content in originals.items():
                (folder / other).write_bytes(mutated if other == name else content)
            result = import_messages(engine, [folder])
            assert isinstance(result, ImportResult)
            if result.ok:
                # Some damage is harmless (a changed name): start again from an empty file.
                engine.dispose()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
                open_database(db_path).dispose()
                before = dump(db_path)
            else:
                refused += 1
                assert all(str(issue) for issue in result.issues)
                assert dump(db_path) == before
    assert refused > 5  # most damage is refused; some (a changed name) is harmless
