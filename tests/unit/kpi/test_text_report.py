"""#15 item 6 in `sdesk kpi`'s text: rounded once, from the unrounded figure, and "n.v.t." for a
figure that does not apply."""

from __future__ import annotations

from datetime import date

from sdesk.services.kpi.results import KpiComparison, Kpis, kpis_json
from sdesk.services.kpi.text_report import figure_text, kpis_text


def _kpis(start: date, end: date, **figures: object) -> Kpis:
    base: dict[str, object] = dict(
        law="wmo", team=None, clients=12, inflow=3, outflow=2, outflow_provisional=0,
        continuing=9, realised_cost_cents=1_234_567, cost_per_client_cents=1_234_567 / 12,
        top10_share=0.08454, cost_by_referrer_cents={"01": 1_234_567}, third_party_share=None,
        cost_by_category_cents={"02": 1_234_567}, clients_by_category={"02": 12},
        avg_duration_days=100.25, dropout_rate=0.25, clients_per_1000=None, heavy_share=0.5,
        households_multi_law=1, constant_price_cost_cents=1_200_000, base_year=2024)
    base.update(figures)
    return Kpis(start=start, end=end, **base)  # type: ignore[arg-type]


def test_a_share_is_rounded_once() -> None:
    # Rounded to four digits first (0.0845) and then to one decimal, 8.454 % became 8.4 %.
    assert figure_text("top10_share", 0.08454) == "8.5 %"
    assert kpis_json(_kpis(date(2025, 1, 1), date(2025, 12, 31)))["top10_share"] == 0.0845
    assert figure_text("realised_cost", 1_234_567) == "12345.67"
    assert figure_text("avg_duration_days", 100.26) == "100.3"


def test_text_output_says_nvt_and_shows_the_comparison() -> None:
    c = KpiComparison(_kpis(date(2025, 1, 1), date(2025, 12, 31)),
                      _kpis(date(2024, 1, 1), date(2024, 12, 31), top10_share=0.1),
                      _kpis(date(2024, 1, 1), date(2024, 12, 31), top10_share=0.1),
                      complete_through=date(2025, 11, 30))
    lines = kpis_text(c)
    text = "\n".join(lines)
    assert f"{'top10_share':<22} 8.5 %" in lines
    assert f"{'third_party_share':<22} n.v.t." in lines  # not 0.0, not None
    assert f"{'clients_per_1000':<22} n.v.t." in lines
    assert f"{'complete_through':<22} 2025-11-30" in lines
    assert f"{'provisional':<22} ja" in lines
    assert "None" not in text
    previous = next(line for line in lines if line.startswith("from ") and "2024" in line)
    assert previous.split() == ["from", "2024-01-01", "2024-01-01"]
    assert any(line.split()[:3] == ["top10_share", "10.0", "%"] for line in lines)
