"""Dutch display of KPI figures for the dashboard tiles: values, changes and periods.

Plain functions (no Qt), so tests can format a figure exactly as a tile shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdesk.services.platform.text import decimal, euro, group_thousands, share

if TYPE_CHECKING:
    from sdesk.services.kpi import Kpis

# The tiles, in reading order. "outflow_provisional" is shown inside the outflow tile.
TILE_KEYS = (
    "clients", "inflow", "outflow", "continuing", "households_multi_law", "clients_per_1000",
    "heavy_share",
    "realised_cost", "constant_price_cost", "cost_per_client", "top10_share",
    "third_party_share", "avg_duration_days", "dropout_rate",
)
MONEY_KEYS = ("realised_cost", "cost_per_client", "constant_price_cost")
SHARE_KEYS = ("top10_share", "third_party_share", "dropout_rate", "heavy_share")
# Figures that depend on claims: they are provisional while the claims are not all in.
CLAIM_KEYS = ("realised_cost", "constant_price_cost", "cost_per_client", "top10_share",
              "third_party_share")
NOT_APPLICABLE = "n.v.t."
# Figures with decimals that are neither money nor shares.
DECIMAL_KEYS = {"avg_duration_days": 1, "clients_per_1000": 1}


def raw_value(k: Kpis, key: str) -> Any:
    """The figure behind a tile, in the service's own units (cents, fractions, counts)."""
    return {
        "realised_cost": k.realised_cost_cents,
        "cost_per_client": k.cost_per_client_cents,
        "constant_price_cost": k.constant_price_cost_cents,
    }.get(key, getattr(k, key, None))


def value_text(k: Kpis, key: str) -> str:
    """A figure as a tile shows it: "€ 1.234,56", "12,3 %", "1.234", "588,7"; "n.v.t." for a
    figure that does not apply (a share without a whole, per 1.000 without inhabitants)."""
    value = raw_value(k, key)
    if value is None:
        return NOT_APPLICABLE
    if key in MONEY_KEYS:
        return euro(round(value))
    if key in SHARE_KEYS:
        return share(value)
    if key in DECIMAL_KEYS:
        return decimal(value, DECIMAL_KEYS[key])
    return group_thousands(int(value))


def change_text(key: str, current: Kpis, previous: Kpis) -> tuple[str, int]:
    """The change against the previous period: ("▲ 12,3 %", +1), ("▼ 2,0 %-punt", -1),
    ("= 0,0 %", 0), or ("–", 0) when there is nothing to compare with.

    Shares change in percentage points; everything else relatively.
    """
    now, before = raw_value(current, key), raw_value(previous, key)
    if now is None or before is None:
        return "–", 0
    if key in SHARE_KEYS:
        diff = (now - before) * 100
        unit = " %-punt"
    else:
        if before == 0:
            return ("nieuw", 1) if now else ("= 0,0 %", 0)
        diff = (now - before) / abs(before) * 100
        unit = " %"
    rounded = round(diff, 1)
    if rounded == 0:
        return f"= 0,0{unit}", 0
    arrow, direction = ("▲", 1) if rounded > 0 else ("▼", -1)
    return f"{arrow} {decimal(abs(rounded), 1)}{unit}", direction
