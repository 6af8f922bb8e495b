"""Opening the database: pragmas, migrations in step with the models, reference data."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from sdesk.models import Base
from sdesk.services.platform.db import current_revision, head_revision, open_database


def test_pragmas_and_revision(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert current_revision(engine) == head_revision()


def test_models_and_migrations_agree(engine: Engine) -> None:
    """A model change without an Alembic revision fails here."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_reference_data_seeded_once(engine: Engine, db_path: Path) -> None:
    with engine.connect() as conn:
        labels = dict(conn.exec_driver_sql(
            "SELECT codelist || ':' || code, label FROM codelist_entry").all())
        items = conn.exec_driver_sql("SELECT count(*) FROM cost_map_item").scalar()
    assert labels["JZ020:45"] == "Jeugdhulp ambulant"
    assert labels["WMO588:31"] == "Verhuizing naar een andere gemeente"  # not the jeugd 31
    assert labels["JZ588:31"] == "Levering is volgens plan beëindigd"
    assert labels["COD327:04"] == "Gecertificeerde instelling"
    assert labels["PW_CATEGORIE:bijstand"].startswith("Algemene bijstand")
    for codelist in ("JZ020", "WMO020", "COD327", "WJ756", "WMO757", "JZ588", "WMO588", "JZ002"):
        assert any(key.startswith(codelist + ":") for key in labels), codelist
    assert items and items > 0
    engine.dispose()
    again = open_database(db_path)
    with again.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM cost_map_item").scalar() == items
    again.dispose()
    # No migration ran on the second open, so no backup copy was made.
    assert [p.name for p in db_path.parent.iterdir() if "voor-migratie" in p.name] == []


def test_migrating_an_older_database_makes_a_backup_first(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from sdesk.services.platform.db import MIGRATIONS_DIR
    from sdesk.services.platform.sqlite import make_engine

    path = tmp_path / "old.sqlite"
    old = make_engine(path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with old.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.exec_driver_sql("INSERT INTO household (external_id) VALUES ('H-oud')")
    old.dispose()

    engine = open_database(path)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT external_id FROM household").scalar() == "H-oud"
    engine.dispose()
    backups = [p for p in tmp_path.iterdir() if "voor-migratie-0001" in p.name]
    assert len(backups) == 1
    backup = make_engine(backups[0])
    assert current_revision(backup) == "0001"
    backup.dispose()
