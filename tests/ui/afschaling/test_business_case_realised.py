"""The business case screen shows what was carried out next to what was expected (#16): the
executed and not executed decisions, the replacement care netted and the re-entries."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from sdesk.services.afschaling.results import BusinessCase, OutcomeCount, ReviewResult
from sdesk.ui.afschaling.business_case_panel import BusinessCasePanel


def _review(nr: str, decision: str, executed: bool | None, realised: int,
            replacement: int = 0, reentry_31d: bool = False,
            reentry_12m: bool = False) -> ReviewResult:
    return ReviewResult(
        review_id=1, review_date=date(2025, 3, 31), toewijzingnummer=nr, law="wmo",
        decision=decision, decision_label=decision, employee="Sanne", team="Noord",
        annual_cost_before_cents=1_456_000, expected_annual_saving_cents=1_456_000,
        days_since=275, baseline_cents=2_750_000, paid_after_cents=0,
        realised_saving_cents=realised, realised_saving_per_year_cents=realised,
        executed=executed, window_days=275, replacement_cost_cents=replacement,
        reentry_31d=reentry_31d, reentry_12m=reentry_12m)


def test_executed_and_replacement_on_screen(qtbot: QtBot) -> None:
    reviews = (_review("A1", "stop", False, 0),
               _review("A3", "stop", True, 1_445_000, 1_305_000, reentry_31d=True),
               _review("A5", "stop", True, 2_750_000, reentry_12m=True),
               _review("A6", "continue", None, 0))
    case = BusinessCase(at=date(2025, 12, 31), since=date(2025, 1, 1), fte=1.0,
                        cost_per_fte_cents=8_000_000, team=None, employee=None,
                        reviews=reviews, outcomes=(OutcomeCount("stop", "Beëindigen", 3, 0.75),),
                        by_team=(), by_employee=())
    panel = BusinessCasePanel()
    qtbot.addWidget(panel)
    panel.show_case(case)
    assert panel.labels["executed"].text() == "2 uitgevoerd, 1 niet"
    assert panel.labels["realised"].text() == "€ 41.950,00"
    assert panel.labels["expected"].text() == "€ 58.240,00"
    assert panel.labels["replacement"].text() == "€ 13.050,00"
    assert panel.labels["reentry"].text() == "1 / 1"
    assert "31 dagen" in panel.labels["executed"].toolTip()
