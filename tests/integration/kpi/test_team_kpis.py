"""Team KPIs on the data set of test_kpis (Mila, team Jeugd Noord, has every jeugd allocation
except D1, which is Bas's in Jeugd Zuid), plus two renewals and three reviews made here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.models import Review
from sdesk.services.exchange.importer import import_sources
from sdesk.services.kpi.teams import team_kpis
from sdesk.services.platform.db import session_factory
from tests.integration.exchange_data import write_folder
from tests.integration.kpi.test_kpis import ALLOCATION_HEADER, DATA, _a


@pytest.fixture
def team_engine(engine: Engine, tmp_path: Path) -> Engine:
    assert import_sources(engine, [write_folder(tmp_path / "kpi", DATA)]).ok
    extra = {
        "medewerkers": [["medewerker_id", "naam", "rol", "team", "fte"],
                        ["M1", "Mila", "klantmanager", "Jeugd Noord", "0,8"],
                        ["M2", "Bas", "klantmanager", "Jeugd Zuid", "1"]],
        # A1 (ends 05-31) is renewed by A2 the next day; F1 (ends 06-30) by F2.
        "toewijzingen": [ALLOCATION_HEADER,
                         _a("A2", "A", "2025-06-01", "2025-12-31", "45", "2", "04", "2"),
                         _a("F2", "F", "2025-07-01", "2025-12-31", "41", "4", "16", "2")],
    }
    assert import_sources(engine, [write_folder(tmp_path / "extra", extra)]).ok
    with engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT toewijzingnummer, id FROM allocation").all())
    with session_factory(engine).begin() as session:
        session.add_all([
            Review(allocation_id=ids["A1"], review_date=date(2025, 3, 1), decision="stop",
                   expected_annual_saving_cents=100_000),
            Review(allocation_id=ids["E1"], review_date=date(2025, 4, 1), decision="continue",
                   expected_annual_saving_cents=0),
            Review(allocation_id=ids["H1"], review_date=date(2024, 12, 1),
                   decision="scale_down", expected_annual_saving_cents=50_000),
        ])
    return engine


def test_team_and_employee_rows(team_engine: Engine) -> None:
    rows = {(r.team, r.employee): r for r in
            team_kpis(team_engine, date(2025, 1, 1), date(2025, 6, 30), "jeugd")}
    mila = rows[("Jeugd Noord", "Mila")]
    assert mila.caseload == 6  # A B C E F H
    assert mila.caseload_per_fte == pytest.approx(6 / 0.8)
    assert (mila.reviews, mila.decisions) == (2, {"stop": 1, "continue": 1})  # not H1's (2024)
    assert mila.expected_saving_cents == 100_000
    # Ended in P: A1 (reviewed), F1, H1 (reviewed in 2024), H2 -> F1 and H2 without decision.
    assert mila.ended_without_decision == 2
    # Renewed: A1 (reviewed) and F1 (not) -> half without review.
    assert (mila.renewed, mila.renewed_without_review) == (2, 1)
    assert mila.renewed_without_review_share == pytest.approx(0.5)
    bas = rows[("Jeugd Zuid", "Bas")]
    assert (bas.caseload, bas.reviews, bas.ended_without_decision, bas.renewed) == (1, 0, 1, 0)
    assert bas.renewed_without_review_share is None
    team = rows[("Jeugd Noord", None)]
    assert (team.caseload, team.fte) == (6, pytest.approx(0.8))


def test_a_review_is_credited_to_its_reviewer(team_engine: Engine) -> None:
    """Bas (Jeugd Zuid) reviews Mila's allocation B1: the team figures and the business case
    both credit Bas, the reviewer, not Mila, who is responsible for B1."""
    from sdesk.services.afschaling import business_case
    with team_engine.connect() as conn:
        b1 = conn.exec_driver_sql("SELECT id FROM allocation WHERE toewijzingnummer = 'B1'"
                                  ).scalar()
        bas = conn.exec_driver_sql("SELECT id FROM employee WHERE external_id = 'M2'").scalar()
    with session_factory(team_engine).begin() as session:
        session.add(Review(allocation_id=b1, review_date=date(2025, 5, 1), employee_id=bas,
                           decision="shorten", expected_annual_saving_cents=30_000))
    rows = {(r.team, r.employee): r for r in
            team_kpis(team_engine, date(2025, 1, 1), date(2025, 6, 30), "jeugd")}
    bas_row, mila = rows[("Jeugd Zuid", "Bas")], rows[("Jeugd Noord", "Mila")]
    assert (bas_row.reviews, bas_row.decisions, bas_row.expected_saving_cents) == (
        1, {"shorten": 1}, 30_000)
    assert (mila.reviews, mila.expected_saving_cents) == (2, 100_000)  # A1 and E1 only
    case = business_case(team_engine, date(2025, 6, 30), fte=1.0, cost_per_fte_cents=1,
                         since=date(2025, 5, 1))
    assert [(g.name, g.reviews) for g in case.by_employee] == [("Bas", 1)]
    assert [(g.name, g.reviews) for g in case.by_team] == [("Jeugd Zuid", 1)]
