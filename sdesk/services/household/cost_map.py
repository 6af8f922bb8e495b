"""The kostenkaart: the user-maintained price list for help that is not an allocation.

Changing it needs EDIT_COST_MAP (platform.permissions); everyone may read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from sdesk.services.platform import audit
from sdesk.services.platform.actor import Actor
from sdesk.services.platform.errors import NotFoundError, SdeskError
from sdesk.services.platform.permissions import EDIT_COST_MAP, require
from sdesk.services.platform.vocabulary import PAYERS


class CostMapError(SdeskError):
    pass


@dataclass(frozen=True)
class CostMapItem:
    id: int | None
    name: str
    unit: str
    price_cents: int | None
    payer: str
    year: int | None = None
    source: str | None = None

    @property
    def is_estimate(self) -> bool:
        """Defaults without a solid source are marked as such in their source text."""
        return (self.source or "").lower().startswith("schatting")


def list_items(engine: Engine) -> list[CostMapItem]:
    """Every cost-map item, by name and year."""
    with engine.connect() as conn:
        return [CostMapItem(*r) for r in conn.exec_driver_sql(
            "SELECT id, name, unit, price_cents, payer, year, source FROM cost_map_item "
            "ORDER BY name, year")]


def _validate(item: CostMapItem) -> None:
    problems = []
    if not item.name.strip():
        problems.append("de naam is leeg")
    if not item.unit.strip():
        problems.append("de eenheid is leeg")
    if item.price_cents is None:
        problems.append("er is geen prijs")
    elif item.price_cents < 0:
        problems.append("de prijs is negatief")
    if item.payer not in PAYERS:
        problems.append(f"onbekende financier '{item.payer}'")
    if item.year is not None and not 1990 <= item.year <= 2100:
        problems.append(f"jaar {item.year} is onwaarschijnlijk")
    if problems:
        raise CostMapError(f"Kostenkaart-item '{item.name}' niet opgeslagen: "
                           + "; ".join(problems) + ".")


def save_item(engine: Engine, actor: Actor, item: CostMapItem) -> int:
    """Insert (id None) or update an item; refuses an item without a price."""
    require(actor, EDIT_COST_MAP)
    _validate(item)
    with engine.begin() as conn:
        clash = conn.exec_driver_sql(
            "SELECT id FROM cost_map_item WHERE name = ? AND year IS ? AND id IS NOT ?",
            (item.name.strip(), item.year, item.id)).first()
        if clash:
            raise CostMapError(f"Er is al een item '{item.name}' voor jaar {item.year or '-'}.")
        values = (item.name.strip(), item.unit.strip(), item.price_cents, item.payer, item.year,
                  item.source)
        audit.record(conn, actor, audit.CHANGE, f"kostenkaart-item '{item.name.strip()}' "
                     + ("toegevoegd" if item.id is None else "gewijzigd"))
        if item.id is None:
            return int(conn.exec_driver_sql(
                "INSERT INTO cost_map_item (name, unit, price_cents, payer, year, source) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", values).scalar_one())
        updated = conn.exec_driver_sql(
            "UPDATE cost_map_item SET name = ?, unit = ?, price_cents = ?, payer = ?, year = ?, "
            "source = ? WHERE id = ?", (*values, item.id)).rowcount
        if not updated:
            raise NotFoundError(f"Kostenkaart-item {item.id} bestaat niet.")
        return item.id


def delete_item(engine: Engine, actor: Actor, item_id: int) -> None:
    """Delete a cost-map item; refused while an intervention uses it."""
    require(actor, EDIT_COST_MAP)
    with engine.begin() as conn:
        used = conn.exec_driver_sql("SELECT count(*) FROM intervention WHERE cost_map_item_id = ?",
                                    (item_id,)).scalar_one()
        if used:
            raise CostMapError(f"Dit item wordt gebruikt door {used} interventie(s) en kan niet "
                               "worden verwijderd.")
        conn.exec_driver_sql("DELETE FROM cost_map_item WHERE id = ?", (item_id,))
        audit.record(conn, actor, audit.CHANGE, f"kostenkaart-item {item_id} verwijderd")
