"""The default worklist holds what a klantmanager can decide on (#16 item 1): Participatiewet
income support and court-ordered youth measures (47 jeugdreclassering, 48 jeugdbescherming)
are on a separate list, and the scope is said on screen, in the CLI and in the JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.cli import main
from sdesk.services.afschaling import RuleParameters, worklist, worklist_json
from sdesk.services.exchange import import_sources
from sdesk.services.platform.actor import Actor
from tests.integration.exchange_data import BASE, write_folder

AT = date(2025, 6, 30)
KM = Actor("Kim", "klantmanager")
# Every allocation below ends within eight weeks of AT: ending_soon fires on all of them.
HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
          "einddatum", "productcode", "volume", "eenheid", "frequentie", "tarief", "budget"]
ALLOCATIONS = [
    ["BEG", "P3", "wmo", "02", "2025-01-01", "2025-07-31", "02A01", "2", "04", "2", "70,00", ""],
    ["OTS", "P1", "jeugd", "48", "2025-01-01", "2025-07-31", "48A01", "", "", "", "",
     "6000,00"],
    ["JR", "P1", "jeugd", "47", "2025-01-01", "2025-07-31", "47A01", "", "", "", "", "3000,00"],
    ["BIJ", "P2", "participatie", "bijstand", "2025-01-01", "2025-07-31", "", "1300", "83",
     "4", "", ""],
    ["AMB", "P1", "jeugd", "45", "2025-01-01", "2025-07-31", "45A48", "2", "04", "2", "78,00",
     ""],
]


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Engine:
    data = {"huishoudens": BASE["huishoudens"], "personen": BASE["personen"],
            "medewerkers": BASE["medewerkers"], "toewijzingen": [HEADER, *ALLOCATIONS]}
    result = import_sources(engine, [write_folder(tmp_path / "scope", data)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


def test_income_support_and_court_measures_are_off_the_default_list(db: Engine) -> None:
    default = worklist(db, KM, AT, RuleParameters())
    assert sorted(c.toewijzingnummer for c in default.rows) == ["AMB", "BEG"]
    separate = worklist(db, KM, AT, RuleParameters(), scope="apart")
    assert sorted(c.toewijzingnummer for c in separate.rows) == ["BIJ", "JR", "OTS"]
    data = worklist_json(default)
    assert data["scope"] == {"name": "standaard", "text": default.filters.scope_text}
    assert "jeugdbescherming (48)" in data["scope"]["text"]


def test_the_cli_shows_the_scope_and_the_separate_list(db: Engine, db_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    db.dispose()
    assert main(["review", "--db", str(db_path), "--at", AT.isoformat(), "--apart",
                 "--json", "--user", "M1", "--all-teams"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["name"] == "apart"
    assert sorted(c["toewijzingnummer"] for c in data["candidates"]) == ["BIJ", "JR", "OTS"]
    assert main(["review", "--db", str(db_path), "--at", AT.isoformat(), "--user", "M1",
                 "--all-teams"]) == 0
    assert "Lijst: toewijzingen waarover de klantmanager beslist" in capsys.readouterr().out


def test_an_unknown_scope_is_refused(db: Engine) -> None:
    from sdesk.services.afschaling import ReviewError

    with pytest.raises(ReviewError, match="Onbekende lijst 'alles'; kies uit standaard, apart"):
        worklist(db, KM, AT, scope="alles")
