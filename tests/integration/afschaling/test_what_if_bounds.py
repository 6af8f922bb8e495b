"""Bounded what-if input (issue 14): a volume of 10^23 became a saving of minus 92
quadrillion, inf an internal error. Out-of-range input is refused with a Dutch ReviewError,
in the what-if and in a decision, and a refused decision writes nothing.

R20 (wmo 02A02): 3 uur per week x EUR 78 from 2025-01-01, open-ended; AT = 2025-06-30
(see test_reviews.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from sdesk.services.afschaling.decisions import record_decision, what_if
from sdesk.services.afschaling.rules import ReviewError
from sdesk.services.exchange.importer import import_sources
from tests.integration.afschaling.test_reviews import AT, DATA, KM
from tests.integration.exchange_data import dump, write_folder

CAP = "het maximum van € 10.000.000 per regel (in te stellen met SDESK_MAX_CLAIM_EUR)"


@pytest.fixture
def db(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.delenv("SDESK_MAX_CLAIM_EUR", raising=False)
    result = import_sources(engine, [write_folder(tmp_path / "reviews", DATA)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


@pytest.mark.parametrize(("changes", "message"), [
    ({"new_volume": 1e23},
     "Het nieuwe volume (1e+23) is groter dan het maximum van 99.999.999; controleer de "
     "invoer."),
    ({"new_volume": float("inf")}, "Het nieuwe volume moet een gewoon getal zijn, geen inf."),
    ({"new_volume": float("nan")}, "Het nieuwe volume moet een gewoon getal zijn, geen nan."),
    ({"new_volume": 1e308},
     "Het nieuwe volume (1e+308) is groter dan het maximum van 99.999.999; controleer de "
     "invoer."),
    ({"new_volume": True}, "Het nieuwe volume moet een getal zijn (nu True)."),
    ({"new_volume": "2"}, "Het nieuwe volume moet een getal zijn (nu '2')."),
    # In range, but 99,999,999 uur x EUR 78 a week is no what-if either.
    ({"new_volume": 99_999_999},
     f"Volume × tarief is € 7.799.999.922,00 per periode, meer dan {CAP}; controleer het "
     "volume."),
    ({"new_end_date": date(9999, 12, 31)},
     "De nieuwe einddatum 9999-12-31 ligt buiten 1900-01-01..2100-12-31; controleer het "
     "jaartal."),
], ids=["1e23", "inf", "nan", "1e308", "bool", "text", "volume x tariff", "end 9999"])
def test_out_of_range_what_if_is_refused(db: Engine, changes: dict[str, object],
                                         message: str) -> None:
    with pytest.raises(ReviewError) as caught:
        what_if(db, KM, "R20", "wmo", AT, **changes)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_peildatum_outside_1900_2100_is_refused(db: Engine) -> None:
    with pytest.raises(ReviewError) as caught:
        what_if(db, KM, "R20", "wmo", date(1, 1, 1))
    assert str(caught.value) == ("De peildatum 0001-01-01 ligt buiten 1900-01-01..2100-12-31; "
                                 "controleer het jaartal.")


def test_largest_sensible_what_if_still_computes(db: Engine) -> None:
    # 128,205 uur a week x EUR 78 = EUR 9,999,990 a week, just under the cap: figures, not
    # an error; the saving is exact: (3 - 128205) x 7800 x 52 cents.
    w = what_if(db, KM, "R20", "wmo", AT, new_volume=128_205)
    assert w.annual_saving_cents == (3 - 128_205) * 7800 * 52


def test_refused_decision_writes_nothing(db: Engine, db_path: Path) -> None:
    before = dump(db_path)
    # A lighter product with an absurd volume passes the "lower volume" check (a product is
    # given) and reaches the bounds.
    with pytest.raises(ReviewError) as caught:
        record_decision(db, KM, "R20", "wmo", "scale_down", AT, [],
                        new_product_code="02A01", new_volume=1e23)
    assert str(caught.value) == ("Het nieuwe volume (1e+23) is groter dan het maximum van "
                                 "99.999.999; controleer de invoer.")
    with pytest.raises(ReviewError, match="ligt buiten 1900-01-01..2100-12-31"):
        record_decision(db, KM, "R20", "wmo", "continue", AT, [],
                        new_end_date=date(2500, 1, 1))
    assert dump(db_path) == before
