"""A bulk claim load rebuilds the claim indexes, and a cancel in the middle undoes all of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from sdesk.models import Base
from sdesk.services.exchange.importer import ImportCancelled, import_sources
from tests.integration.exchange_data import BASE, dump, write_csv, write_folder

N_CLAIMS = 12_000  # above the bulk threshold (10,000)


def _bulk_folder(tmp_path: Path) -> Path:
    folder = write_folder(tmp_path / "bulk", {k: BASE[k] for k in
                                              ("huishoudens", "personen", "medewerkers",
                                               "tarieven", "toewijzingen")})
    header = ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind",
              "bedrag"]
    rows = [header] + [[f"B{i}", "2001", "wmo", "2024-03-01", "2024-03-31", "1,00"]
                       for i in range(N_CLAIMS)]
    write_csv(folder, "declaraties", rows)
    return folder


def _claim_indexes(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return {r[1] for r in conn.exec_driver_sql("PRAGMA index_list('claim')")}


def test_bulk_load_keeps_schema_intact(engine: Engine, tmp_path: Path) -> None:
    before = _claim_indexes(engine)
    result = import_sources(engine, [_bulk_folder(tmp_path)])
    assert result.ok, result.issues
    assert result.counts["declaraties"] == N_CLAIMS
    assert _claim_indexes(engine) == before
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        total = conn.exec_driver_sql("SELECT sum(amount_cents) FROM claim").scalar()
    assert total == N_CLAIMS * 100


def test_cancel_during_bulk_claims_restores_everything(engine: Engine, db_path: Path,
                                                       tmp_path: Path) -> None:
    folder = _bulk_folder(tmp_path)
    before_dump, before_indexes = dump(db_path), _claim_indexes(engine)
    seen: list[str] = []

    def progress(_fraction: float, message: str) -> None:
        seen.append(message)

    def cancel() -> bool:
        # Cancel once the claims are written (indexes dropped, not yet rebuilt).
        return seen.count("Opslaan: declaraties.csv") >= 2

    with pytest.raises(ImportCancelled):
        import_sources(engine, [folder], progress=progress, cancelled=cancel)
    assert dump(db_path) == before_dump
    assert _claim_indexes(engine) == before_indexes
