"""The demo municipality as iJw/iWmo 3.2 messages: valid against the XSDs, and importing them
into an empty database gives what the exchange format gives (for jeugd and wmo)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import Engine

from sdesk.services.demo.generator import generate_demo
from sdesk.services.exchange.export import export_exchange
from sdesk.services.exchange.importer import import_sources
from sdesk.services.exchange.istandaarden import export_istandaarden, import_messages
from sdesk.services.exchange.istandaarden.detect import BY_NAMESPACE
from sdesk.services.exchange.istandaarden.validate import schema_for
from sdesk.services.kpi.definitions import compute_kpis
from sdesk.services.platform.db import open_database

ALLOCATIONS = (
    "SELECT a.toewijzingnummer, a.category, a.product_code, a.start_date, a.end_date, a.volume, "
    "a.unit, a.frequency, a.budget_cents, a.referrer, a.end_reason, a.change_reason, p.bsn "
    "FROM allocation a JOIN person p ON p.id = a.person_id WHERE a.law = ? "
    "ORDER BY a.toewijzingnummer")
CLAIMS = (
    "SELECT a.toewijzingnummer, c.period_start, c.period_end, c.amount_cents, c.rejected "
    "FROM claim c JOIN allocation a ON a.id = c.allocation_id WHERE a.law = ? "
    "ORDER BY 1, 2, 3, 4")
# Figures that need what the messages do not carry: inhabitants, the price index and the
# households (every imported client has a household of their own until someone links them).
NOT_CARRIED = {"clients_per_1000", "households_multi_law", "constant_price_cost_cents",
               "base_year"}
PERIODS = [(date(2022, 1, 1), date(2022, 12, 31)), (date(2025, 1, 1), date(2025, 12, 31)),
           (date(2026, 1, 1), date(2026, 10, 31)), (date(2024, 3, 1), date(2024, 3, 31))]


@dataclass
class RoundTrip:
    folder: Path
    counts: dict[str, int]
    exchange: Engine  # the demo through the exchange format
    messages: Engine  # the demo through iJw/iWmo messages
    demo: Engine


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoundTrip]:
    base = tmp_path_factory.mktemp("roundtrip")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SDESK_HOME", str(base / "home"))
        demo = open_database(base / "demo.sqlite")
        generate_demo(demo, size="tiny", seed=1)
        export_exchange(demo, base / "csv")
        counts = export_istandaarden(demo, base / "xml", dagtekening=date(2026, 11, 2))
        exchange = open_database(base / "exchange.sqlite")
        assert import_sources(exchange, [base / "csv"]).ok
        messages = open_database(base / "messages.sqlite")
        result = import_messages(messages, [base / "xml"])
        assert result.ok, [str(i) for i in result.issues[:10]]
        try:
            yield RoundTrip(base / "xml", counts, exchange, messages, demo)
        finally:
            for engine in (demo, exchange, messages):
                engine.dispose()


def _rows(engine: Engine, sql: str, *params: object) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, params)]


def test_every_message_validates_against_its_xsd(roundtrip: RoundTrip) -> None:
    kinds: Counter[str] = Counter()
    for path in sorted(roundtrip.folder.glob("*.xml")):
        root = etree.parse(str(path)).getroot()
        mt = BY_NAMESPACE[root.tag[1:root.tag.index("}")]]
        schema = schema_for(mt)
        assert schema.validate(root), f"{path.name}: {schema.error_log}"
        kinds[mt.code] += 1
    for code in ("JW301", "JW305", "JW307", "JW315", "JW323",
                 "WMO301", "WMO305", "WMO307", "WMO315", "WMO323"):
        assert kinds[code] > 0, code
        assert kinds[code] == roundtrip.counts[code]


@pytest.mark.parametrize("law", ["jeugd", "wmo"])
def test_same_allocations(roundtrip: RoundTrip, law: str) -> None:
    expected = _rows(roundtrip.exchange, ALLOCATIONS, law)
    assert expected, "the demo has allocations of this law"
    assert _rows(roundtrip.messages, ALLOCATIONS, law) == expected
    # The referrer really came through the 315s, not from the default.
    assert {r[9] for r in expected} - {"01"}


@pytest.mark.parametrize("law", ["jeugd", "wmo"])
def test_same_claims(roundtrip: RoundTrip, law: str) -> None:
    expected = _rows(roundtrip.exchange, CLAIMS, law)
    assert any(r[3] < 0 for r in expected), "the demo has credit lines"
    assert _rows(roundtrip.messages, CLAIMS, law) == expected


@pytest.mark.parametrize("law", ["jeugd", "wmo"])
def test_same_figures(roundtrip: RoundTrip, law: str) -> None:
    for start, end in PERIODS:
        expected = compute_kpis(roundtrip.exchange, start, end, law)
        got = compute_kpis(roundtrip.messages, start, end, law)
        for name in expected.__dataclass_fields__:
            if name not in NOT_CARRIED:
                assert getattr(got, name) == getattr(expected, name), (law, start, name)
        assert got.realised_cost_cents > 0


def test_participatiewet_is_not_exported(roundtrip: RoundTrip) -> None:
    participatie = _rows(roundtrip.demo, "SELECT count(*) FROM allocation "
                                         "WHERE law = 'participatie'")[0][0]
    assert participatie and roundtrip.counts["overgeslagen_participatiewet"] == participatie
    assert _rows(roundtrip.messages, "SELECT DISTINCT law FROM allocation ORDER BY law") == [
        ("jeugd",), ("wmo",)]


def test_export_skips_what_a_message_cannot_carry(sample_engine: Engine, tmp_path: Path) -> None:
    # The sample database: J-1 and W-1 have no numeric toewijzingnummer, P-1 is Participatiewet.
    counts = export_istandaarden(sample_engine, tmp_path / "xml")
    assert counts == {"overgeslagen_participatiewet": 1, "overgeslagen_toewijzingnummer": 2}
    assert list((tmp_path / "xml").iterdir()) == []
