"""The intensity norm: when an allocation counts as heavy support. One definition for the
heavy_share KPI and the afschaling rule high_intensity.

The weekly volume is the volume per week: per dag x 7, per week x 1, per maand x 12/52, and for
frequentie 6 (in totaal) the total over the duration in weeks. Group support in dagdelen (WJ756
16) is heavy at `dagdelen` or more per week; individual support in hours (04; minutes 01 / 60)
at `hours` or more, except hulp bij het huishouden (Wmo 01), which has its own ceiling.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

HEAVY_DAGDELEN = 5.0
HEAVY_HOURS = 4.0
GROUP_UNIT = "16"  # WJ756 dagdeel
HOUR_UNIT = "04"
MINUTE_UNIT = "01"
HOUSEHOLD_HELP = ("wmo", "01")


def weekly_volume(frame: pd.DataFrame) -> np.ndarray:
    """Volume per week in the allocation's own unit (NaN for an unknown frequency)."""
    volume = frame["volume"].to_numpy(dtype="float64")
    freq = frame["frequency"].astype(object).to_numpy()
    days = ((frame["end_date"] - frame["start_date"]).dt.days + 1).to_numpy(dtype="float64")
    factor = np.select([freq == "1", freq == "2", freq == "4", freq == "6"],
                       [7.0, 1.0, 12.0 / 52.0, 7.0 / days], default=np.nan)
    return np.asarray(volume * factor, dtype="float64")


def weekly_units(frame: pd.DataFrame) -> np.ndarray:
    """The weekly volume in dagdelen or hours (minutes become hours)."""
    weekly = weekly_volume(frame)
    unit = frame["unit"].to_numpy(dtype=object)
    return np.asarray(np.where(unit == MINUTE_UNIT, weekly / 60.0, weekly), dtype="float64")


def is_household_help(law: np.ndarray, category: np.ndarray) -> np.ndarray:
    """Rows that are household help (Wmo hulp bij het huishouden)."""
    return np.asarray((law == HOUSEHOLD_HELP[0]) & (category == HOUSEHOLD_HELP[1]))


def heavy_parts(law: np.ndarray, category: np.ndarray, unit: np.ndarray, units: np.ndarray,
                dagdelen: float = HEAVY_DAGDELEN, hours: float = HEAVY_HOURS
                ) -> tuple[np.ndarray, np.ndarray]:
    """(group, individual): heavy group support in dagdelen, heavy individual support in hours
    outside hulp bij het huishouden. `units` is `weekly_units`."""
    in_hours = (unit == HOUR_UNIT) | (unit == MINUTE_UNIT)
    group = (unit == GROUP_UNIT) & (units >= dagdelen)
    individual = in_hours & ~is_household_help(law, category) & (units >= hours)
    return np.asarray(group), np.asarray(individual)


def heavy_mask(frame: pd.DataFrame, dagdelen: float = HEAVY_DAGDELEN,
               hours: float = HEAVY_HOURS) -> np.ndarray:
    """True where the allocation is heavy support by the norm."""
    group, individual = heavy_parts(
        frame["law"].to_numpy(dtype=object), frame["category"].to_numpy(dtype=object),
        frame["unit"].to_numpy(dtype=object), weekly_units(frame), dagdelen, hours)
    heavy: np.ndarray = group | individual
    return heavy
