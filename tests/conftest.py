import os

# Before anything imports Qt: tests never need a display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from sqlalchemy import Engine  # noqa: E402


@pytest.fixture(autouse=True)
def sdesk_home(tmp_path_factory: pytest.TempPathFactory,
               monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SDESK_HOME, so the real user data/config dirs are never touched."""
    home = tmp_path_factory.mktemp("sdesk_home")
    monkeypatch.setenv("SDESK_HOME", str(home))
    # Qt's settings and platformdirs on Linux follow XDG; keep them out of the real home too.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "xdg-data"))
    return home


# The small hand-made municipality used by directory and UI tests. Known facts:
#   H001 (Centrum, 7551 AB): Petra Jansen (BSN 111222333) and her son Tim Jansen (123456782).
#     Tim: jeugd 45 "Jeugdhulp ambulant", 3 × Uur per week at EUR 34,50 -> 3*3450*52 cents/yr.
#     Petra: wmo 02 "Begeleiding" budget EUR 12.000 for 2025; participatie bijstand, no tariff.
#   H002 (Noord, 7552 CD): Sanne Bakker, no allocations.
#   H003 (Zuid): nobody registered yet.


def build_sample_database(path: Path) -> Engine:
    from sdesk.models import Allocation, Household, Person
    from sdesk.services.platform.db import open_database, session_factory

    engine = open_database(path)
    with session_factory(engine).begin() as session:
        h1 = Household(external_id="H001", wijk="Centrum", postcode="7551AB",
                       composition="eenoudergezin")
        h2 = Household(external_id="H002", wijk="Noord", postcode="7552 CD",
                       composition="alleenstaand")
        h3 = Household(external_id="H003", wijk="Zuid", postcode="7553EF")
        session.add_all([h1, h2, h3])
        session.flush()
        petra = Person(external_id="P001", household_id=h1.id, bsn="111222333",
                       birth_date=date(1985, 3, 2), gender="V", last_name="Jansen",
                       first_name="Petra")
        tim = Person(external_id="P002", household_id=h1.id, bsn="123456782",
                     birth_date=date(2012, 7, 9), gender="M", last_name="Jansen",
                     first_name="Tim")
        sanne = Person(external_id="P003", household_id=h2.id, bsn=None,
                       birth_date=date(1950, 1, 1), gender="V", last_name="Bakker",
                       first_name="Sanne")
        session.add_all([petra, tim, sanne])
        session.flush()
        session.add_all([
            Allocation(toewijzingnummer="J-1", person_id=tim.id, law="jeugd", category="45",
                       product_code="45A01", description="Ambulante begeleiding",
                       provider="Jeugdzorg Twente BV", start_date=date(2025, 1, 1),
                       volume=3, unit="04", frequency="2", tariff_cents=3450),
            Allocation(toewijzingnummer="W-1", person_id=petra.id, law="wmo", category="02",
                       product_code="02A05", description="Begeleiding individueel",
                       provider="Zorg Thuis", delivery_form="pgb",
                       start_date=date(2025, 1, 1), end_date=date(2025, 12, 31),
                       budget_cents=1_200_000),
            Allocation(toewijzingnummer="P-1", person_id=petra.id, law="participatie",
                       category="bijstand", description="Levensonderhoud",
                       start_date=date(2024, 6, 1)),
        ])
    return engine


@pytest.fixture
def sample_db_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sample.sqlite"
    build_sample_database(path).dispose()
    yield path


@pytest.fixture
def sample_engine(sample_db_path: Path) -> Iterator[Engine]:
    from sdesk.services.platform.db import open_database

    engine = open_database(sample_db_path)
    yield engine
    engine.dispose()
