"""Product ladders a functioneel beheerder keeps (#16 point 3), on hand-made data.

Peildatum AT = 2025-06-30. Tariffs (cents per unit):

  wmo 02A02 7800 uur   02A01 7000 uur   02A06 6500 uur (no allocation uses it)
      02A03 6000 uur, only in 2024 (no tariff on AT)   02A05 5200 dagdeel
      02A08 4000 without a unit                         01A01 3450 uur (category 01)
  jeugd 48A01 125000 stuks (OTS), 48A03 100000 stuks (Voogdij), 45A48 8000 uur

Allocations (all ending 2025-07-31, except HH): BEG wmo 02 02A02 3 uur per week, BR wmo 02
02A01, GRP wmo 02 02A05 (dagdeel), HH wmo 01 01A01, OTS jeugd 48 48A01.

The worklist's default ladder on AT: wmo 01 (01A01 3450) and wmo 02 (02A02 7800 > 02A01 7000
> 02A05 5200); jeugd 48 is a measure, never a ladder. BEG's lighter product by default is
02A01: 3 x (7800 - 7000) x 52 = 124,800 a year; on the own ladder 02A02 > 02A06 > 02A01 it is
02A06: 3 x (7800 - 6500) x 52 = 202,800.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from sdesk.services.afschaling import (
    LadderStep,
    RuleParameters,
    confirmed_ladder,
    ladder_overview,
    ladder_products,
    reset_ladder,
    save_ladder,
    switch_off_ladder,
    worklist,
)
from sdesk.services.afschaling.ladder import lighter_step
from sdesk.services.afschaling.ladders import worklist_default_ladder
from sdesk.services.afschaling.rules import ReviewError
from sdesk.services.exchange import import_sources
from sdesk.services.platform import audit
from sdesk.services.platform.actor import ANONYMOUS, Actor
from sdesk.services.platform.db import (
    MIGRATIONS_DIR,
    current_revision,
    head_revision,
    open_database,
)
from sdesk.services.platform.permissions import PermissionDenied
from sdesk.services.platform.sqlite import make_engine
from sdesk.services.platform.users import actor_for
from tests.integration.exchange_data import BASE, dump, write_folder

AT = date(2025, 6, 30)
HEADER = ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
          "einddatum", "productcode", "omschrijving", "volume", "eenheid", "frequentie",
          "tarief", "budget"]
ALLOCATIONS = [
    ["BEG", "P3", "wmo", "02", "2025-01-01", "2025-07-31", "02A02", "Begeleiding specialistisch",
     "3", "04", "2", "78,00", ""],
    ["BR", "P2", "wmo", "02", "2025-01-01", "2025-07-31", "02A01", "Begeleiding regulier", "1",
     "04", "2", "70,00", ""],
    ["GRP", "P2", "wmo", "02", "2025-01-01", "2025-07-31", "02A05", "Begeleiding groep", "2",
     "16", "2", "52,00", ""],
    ["HH", "P1", "wmo", "01", "2024-01-01", "2025-12-31", "01A01", "Hulp bij het huishouden",
     "2", "04", "2", "34,50", ""],
    ["OTS", "P1", "jeugd", "48", "2025-01-01", "2025-07-31", "48A01", "OTS", "1", "82", "4",
     "1250,00", ""],
]
TARIFFS = [["wet", "productcode", "geldig_vanaf", "tarief", "geldig_tot", "eenheid"],
           ["wmo", "02A02", "2024-01-01", "78,00", "", "04"],
           ["wmo", "02A01", "2024-01-01", "70,00", "", "04"],
           ["wmo", "02A06", "2024-01-01", "65,00", "", "04"],
           ["wmo", "02A03", "2024-01-01", "60,00", "2024-12-31", "04"],
           ["wmo", "02A05", "2024-01-01", "52,00", "", "16"],
           ["wmo", "02A08", "2024-01-01", "40,00", "", ""],
           ["wmo", "01A01", "2024-01-01", "34,50", "", "04"],
           ["jeugd", "48A01", "2024-01-01", "1250,00", "", "82"],
           ["jeugd", "48A03", "2024-01-01", "1000,00", "", "82"],
           ["jeugd", "45A48", "2024-01-01", "80,00", "", "04"]]
STAFF = [*BASE["medewerkers"],
         ["M2", "Pim Coördinator", "procescoordinator", "Procesregie", "1,0"],
         ["M3", "Carla Controller", "controller", "Control", "1,0"]]
# No claims in this data: the claim rules are off, and the lighter product is certain, so it
# leads whenever it fires.
CERTAIN = RuleParameters(high_cost_top_n=0, high_cost_threshold_cents=10**12,
                         no_claims_months=12, utilisation_min_pct=0.0,
                         default_chances_pct={"lighter_product": 100.0, "ending_soon": 10.0})
DEFAULT_02 = (LadderStep("02A02", 7800, "04", "Begeleiding specialistisch"),
              LadderStep("02A01", 7000, "04", "Begeleiding regulier"),
              LadderStep("02A05", 5200, "16", "Begeleiding groep"))
DEFAULT_01 = (LadderStep("01A01", 3450, "04", "Hulp bij het huishouden"),)


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Engine:
    data = {"huishoudens": BASE["huishoudens"], "personen": BASE["personen"],
            "medewerkers": STAFF, "tarieven": TARIFFS, "toewijzingen": [HEADER, *ALLOCATIONS]}
    result = import_sources(engine, [write_folder(tmp_path / "ladders", data)])
    assert result.ok, [str(i) for i in result.issues]
    return engine


@pytest.fixture
def pc(db: Engine) -> Actor:
    return actor_for(db, "M2")


def _file(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def test_the_default_ladder_as_the_worklist_builds_it(db: Engine) -> None:
    default = worklist_default_ladder(db, AT)
    assert default == {("wmo", "01"): DEFAULT_01, ("wmo", "02"): DEFAULT_02}
    assert confirmed_ladder(db, AT, default) == default  # nothing kept yet


def test_a_saved_ladder_replaces_the_default_in_its_order(db: Engine, pc: Actor) -> None:
    default = worklist_default_ladder(db, AT)
    save_ladder(db, pc, "wmo", "02", ["02A01", "02A03", "02A02"])
    ladder = confirmed_ladder(db, AT, default)
    # The user's order, tariffs of AT; 02A03 has no tariff on AT and is left out that day.
    assert ladder == {("wmo", "01"): DEFAULT_01,
                      ("wmo", "02"): (LadderStep("02A01", 7000, "04", "Begeleiding regulier"),
                                      LadderStep("02A02", 7800, "04",
                                                 "Begeleiding specialistisch"))}
    # In 2024 it had one: the same stored ladder then holds three rungs.
    in_2024 = confirmed_ladder(db, date(2024, 6, 30), default)[("wmo", "02")]
    assert [(s.product_code, s.tariff_cents) for s in in_2024] == [
        ("02A01", 7000), ("02A03", 6000), ("02A02", 7800)]
    # Saved again in another order (the stored rungs are replaced, not added to).
    save_ladder(db, pc, "wmo", "02", ["02A02", "02A06", "02A01"])
    assert [s.product_code for s in confirmed_ladder(db, AT, default)[("wmo", "02")]] == [
        "02A02", "02A06", "02A01"]
    with db.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM product_ladder_rung").scalar() == 3


def test_units_may_differ_and_each_unit_is_its_own_ladder(db: Engine, pc: Actor) -> None:
    """Decided: a ladder may hold two units (the default of Begeleiding does); a dagdeel
    rung is never the lighter product of an hour product, wherever it stands."""
    save_ladder(db, pc, "wmo", "02", ["02A02", "02A01", "02A05"])
    steps = confirmed_ladder(db, AT, worklist_default_ladder(db, AT))[("wmo", "02")]
    assert [(s.product_code, s.unit) for s in steps] == [("02A02", "04"), ("02A01", "04"),
                                                         ("02A05", "16")]
    assert lighter_step(steps, "02A01", "04", 7000) is None  # 02A05 is per dagdeel
    assert lighter_step(steps, "02A02", "04", 7800) == steps[1]


def test_switched_off_removes_the_category_and_reset_restores_the_default(
        db: Engine, pc: Actor) -> None:
    default = worklist_default_ladder(db, AT)
    switch_off_ladder(db, pc, "wmo", "02")
    assert confirmed_ladder(db, AT, default) == {("wmo", "01"): DEFAULT_01}
    with db.connect() as conn:
        assert conn.exec_driver_sql("SELECT law, category, status FROM product_ladder").all(
            ) == [("wmo", "02", "uit")]
    # An own ladder after "uit" updates the same row.
    save_ladder(db, pc, "wmo", "02", ["02A02", "02A01"])
    assert [s.product_code for s in confirmed_ladder(db, AT, default)[("wmo", "02")]] == [
        "02A02", "02A01"]
    assert reset_ladder(db, pc, "wmo", "02") is True
    assert confirmed_ladder(db, AT, default) == default
    with db.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM product_ladder").scalar() == 0
        assert conn.exec_driver_sql("SELECT count(*) FROM product_ladder_rung").scalar() == 0
    # Nothing kept: nothing to reset, nothing written.
    before = dump(_file(db))
    assert reset_ladder(db, pc, "wmo", "02") is False
    assert dump(_file(db)) == before


def test_a_measure_written_past_the_service_still_gets_no_ladder(db: Engine, pc: Actor) -> None:
    with db.begin() as conn:
        conn.exec_driver_sql("INSERT INTO product_ladder (law, category, status, changed_at) "
                             "VALUES ('jeugd', '48', 'eigen', '2025-06-01 10:00:00')")
        conn.exec_driver_sql("INSERT INTO product_ladder_rung VALUES (1, 0, '48A01'), "
                             "(1, 1, '48A03')")
    default = worklist_default_ladder(db, AT)
    assert ("jeugd", "48") not in confirmed_ladder(db, AT, default)
    assert ("jeugd", "48") not in {(r.law, r.category) for r in ladder_overview(db, AT)}


def test_overview_and_products_for_the_screen(db: Engine, pc: Actor) -> None:
    save_ladder(db, pc, "wmo", "02", ["02A02", "02A03", "02A01"])
    rows = ladder_overview(db, AT)
    assert [(r.law, r.category, r.category_label, r.source, r.source_label) for r in rows] == [
        ("wmo", "01", "Hulp bij het huishouden", "standaard", "Standaard"),
        ("wmo", "02", "Begeleiding", "eigen", "Eigen ladder")]
    assert [(g.product_code, g.label, g.tariff_cents, g.unit, g.unit_label)
            for g in rows[1].rungs] == [
        ("02A02", "Begeleiding specialistisch", 7800, "04", "Uur"),
        ("02A03", None, None, None, None),  # kept, but no tariff on AT
        ("02A01", "Begeleiding regulier", 7000, "04", "Uur")]
    assert rows[1].changed_by == "Pim Coördinator"
    assert isinstance(rows[1].changed_at, datetime)
    assert (rows[0].changed_by, rows[0].changed_at) == (None, None)
    products = {p.product_code: p for p in ladder_products(db, AT, "wmo", "02")}
    assert sorted(products) == ["01A01", "02A01", "02A02", "02A03", "02A05", "02A06", "02A08"]
    assert (products["02A06"].tariff_cents, products["02A06"].categories,
            products["02A06"].problem) == (6500, (), None)
    assert (products["02A03"].tariff_cents, products["02A03"].unit) == (None, "04")
    assert products["01A01"].categories == ("01",)
    assert products["01A01"].problem == (
        "Product 01A01 wordt bij de Wmo gebruikt in categorie 01 (Hulp bij het huishouden): "
        "een ladder blijft binnen één categorie. Kies een product van deze categorie.")
    assert products["02A08"].problem is not None and "geen eenheid" in products[
        "02A08"].problem
    switch_off_ladder(db, pc, "wmo", "02")
    off = ladder_overview(db, AT)[1]
    assert (off.source, off.source_label, off.rungs) == ("uit", "Uitgezet", ())


NO_UNIT = ("Product 02A08 heeft in de tarieventabel geen eenheid; een trede vraagt een tarief "
           "per eenheid (uur, dagdeel, etmaal). Vul de eenheid aan in de tarieven.")
MEASURE = ("Jeugdwet categorie 48 (Jeugdbescherming) is een wettelijke maatregel: die heeft "
           "geen productladder. Een lichtere maatregel is een besluit van de rechter, geen "
           "lichter product.")
PARTICIPATION = ("De Participatiewet heeft geen productladders: bijstand is inkomen, geen "
                 "lichtere of zwaardere vorm van hulp.")
REFUSALS: dict[str, tuple[Callable[[Engine, Actor], object], str]] = {
    "unknown law": (lambda e, a: save_ladder(e, a, "wlz", "02", ["02A02", "02A01"]),
                    "Onbekende wet 'wlz'; kies uit jeugd, wmo, participatie."),
    "measure": (lambda e, a: save_ladder(e, a, "jeugd", "48", ["48A01", "48A03"]), MEASURE),
    "measure off": (lambda e, a: switch_off_ladder(e, a, "jeugd", "48"), MEASURE),
    "participatie": (lambda e, a: save_ladder(e, a, "participatie", "bijstand",
                                              ["BIJST-A", "BIJST-G"]), PARTICIPATION),
    "participatie reset": (lambda e, a: reset_ladder(e, a, "participatie", "bijstand"),
                           PARTICIPATION),
    "unknown category": (lambda e, a: save_ladder(e, a, "wmo", "99", ["02A02", "02A01"]),
                         "Categorie '99' bestaat niet bij de Wmo; kies een categorie uit de "
                         "codelijst WMO020."),
    "twice": (lambda e, a: save_ladder(e, a, "wmo", "02", ["02A02", "02A01", "02A02"]),
              "Product 02A02 staat twee keer op de ladder; een product is één trede. "
              "Verwijder een van de twee."),
    "one rung": (lambda e, a: save_ladder(e, a, "wmo", "02", ["02A02"]),
                 "Een eigen ladder heeft minstens 2 treden (nu 1): een lichter product is een "
                 "andere trede van dezelfde hulp. Voeg een product toe, of zet de ladder uit."),
    "empty code": (lambda e, a: save_ladder(e, a, "wmo", "02", ["02A02", " "]),
                   "Een trede zonder productcode kan niet: vul de productcode in of verwijder "
                   "de trede."),
    "no tariff of the law": (lambda e, a: save_ladder(e, a, "wmo", "02", ["02A02", "45A48"]),
                             "Geen tarief bij de Wmo voor 45A48: alleen een product uit de "
                             "tarieventabel kan een trede zijn. Importeer eerst het tarief, of "
                             "kies een ander product."),
    "no unit": (lambda e, a: save_ladder(e, a, "wmo", "02", ["02A02", "02A08"]), NO_UNIT),
    "other category": (lambda e, a: save_ladder(e, a, "wmo", "02", ["02A02", "01A01"]),
                       "Product 01A01 wordt bij de Wmo gebruikt in categorie 01 (Hulp bij het "
                       "huishouden): een ladder blijft binnen één categorie. Kies een product "
                       "van deze categorie."),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_every_refusal_in_dutch_and_nothing_written(db: Engine, pc: Actor, case: str) -> None:
    save_ladder(db, pc, "wmo", "01", ["01A01", "02A06"])  # something kept stays as it was
    call, message = REFUSALS[case]
    before = dump(_file(db))
    with pytest.raises(ReviewError) as refused:
        call(db, pc)
    assert str(refused.value) == message
    assert dump(_file(db)) == before


@pytest.mark.parametrize("who", ["klantmanager", "controller", "anoniem"])
def test_roles_without_functional_management_are_refused(db: Engine, who: str) -> None:
    actor = {"klantmanager": lambda: actor_for(db, "M1"), "controller": lambda: actor_for(
        db, "M3"), "anoniem": lambda: ANONYMOUS}[who]()
    before = dump(_file(db))
    for call in (lambda: save_ladder(db, actor, "wmo", "02", ["02A02", "02A01"]),
                 lambda: switch_off_ladder(db, actor, "wmo", "02"),
                 lambda: reset_ladder(db, actor, "wmo", "02"),
                 # refused before anything is read: even a wrong law gets the refusal
                 lambda: save_ladder(db, actor, "wlz", "02", [])):
        with pytest.raises(PermissionDenied) as refused:
            call()
        if who == "anoniem":
            assert str(refused.value).startswith(
                "Geef --user MEDEWERKER-ID op om de productladders te beheren")
        else:
            assert str(refused.value) == (f"Als {who} mag u de productladders niet beheren. "
                                          "Dat mag een procescoördinator of teamleider.")
    assert dump(_file(db)) == before


def test_the_teamleider_may_and_every_change_is_in_the_audit_log(db: Engine, pc: Actor) -> None:
    teamleider = Actor("Tara Teamleider", "teamleider")  # no employee row: changed_by empty
    save_ladder(db, pc, "wmo", "02", ["02A02", "02A06", "02A01"])
    switch_off_ladder(db, teamleider, "wmo", "01")
    reset_ladder(db, pc, "wmo", "01")
    events = [(e.user, e.role, e.action, e.object, e.row_count)
              for e in audit.list_events(db, action="change")]
    assert events == [
        ("Pim Coördinator", "procescoordinator", "change",
         "productladder Wmo categorie 01 terug naar de standaard", 0),
        ("Tara Teamleider", "teamleider", "change", "productladder Wmo categorie 01 uitgezet",
         0),
        ("Pim Coördinator", "procescoordinator", "change",
         "productladder Wmo categorie 02 bevestigd: 02A02 > 02A06 > 02A01", 3)]
    assert audit.verify(db).ok


def test_the_worklist_follows_the_saved_ladder(db: Engine, pc: Actor) -> None:
    """End to end: `worklist` without a ladder in the parameters uses the confirmed one
    (candidates.worklist: params.ladder, else confirmed_ladder of the default)."""
    km = actor_for(db, "M1")

    def beg() -> object:
        rows = worklist(db, km, AT, CERTAIN, team="*").rows
        return next(c for c in rows if c.toewijzingnummer == "BEG")

    first = beg()
    assert first.proposal.product_code == "02A01"  # type: ignore[attr-defined]
    assert first.expected_saving_cents == 3 * 800 * 52  # type: ignore[attr-defined]
    save_ladder(db, pc, "wmo", "02", ["02A02", "02A06", "02A01"])
    own = beg()
    assert own.proposal.product_code == "02A06"  # type: ignore[attr-defined]
    assert own.expected_saving_cents == 3 * 1300 * 52  # type: ignore[attr-defined]
    switch_off_ladder(db, pc, "wmo", "02")
    assert "lighter_product" not in beg().rules  # type: ignore[attr-defined]
    # A ladder passed in the parameters still wins over the stored one.
    passed = dataclasses.replace(CERTAIN, ladder={("wmo", "02"): DEFAULT_02})
    rows = worklist(db, km, AT, passed, team="*").rows
    assert next(c for c in rows if c.toewijzingnummer == "BEG"
                ).proposal.product_code == "02A01"  # type: ignore[attr-defined]


# -- migration 0014 ---------------------------------------------------------------------------

def _database_at_0013(path: Path) -> None:
    engine = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0013")
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H-oud')")
    engine.dispose()


def _tables(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_0014_creates_the_tables_on_a_0013_database(tmp_path: Path) -> None:
    path = tmp_path / "oud.sqlite"
    _database_at_0013(path)
    raw = make_engine(path)
    assert not {"product_ladder", "product_ladder_rung"} & _tables(raw)
    raw.dispose()
    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    assert {"product_ladder", "product_ladder_rung"} <= _tables(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT external_id FROM household").scalar() == "H-oud"
    engine.dispose()


def test_0014_finishes_a_half_applied_run(tmp_path: Path) -> None:
    """Killed after its first CREATE TABLE (by an sdesk that committed each step): the next
    open creates the other table and keeps what the first holds."""
    path = tmp_path / "half.sqlite"
    _database_at_0013(path)
    raw = make_engine(path)
    with raw.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE product_ladder (id INTEGER NOT NULL, law VARCHAR(12) NOT NULL, "
            "category VARCHAR(40) NOT NULL, status VARCHAR(8) NOT NULL, changed_by INTEGER, "
            "changed_at DATETIME NOT NULL, CONSTRAINT pk_product_ladder PRIMARY KEY (id), "
            "CONSTRAINT uq_product_ladder_law UNIQUE (law, category))")
        conn.exec_driver_sql("INSERT INTO product_ladder (law, category, status, changed_at) "
                             "VALUES ('wmo', '02', 'uit', '2025-06-01 10:00:00')")
    raw.dispose()
    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    assert {"product_ladder", "product_ladder_rung"} <= _tables(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT law, category, status FROM product_ladder").all(
            ) == [("wmo", "02", "uit")]
    engine.dispose()
