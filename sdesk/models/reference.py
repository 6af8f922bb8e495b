"""Reference tables: codelists, tariffs, inhabitants, the price index and the product ladders
the municipality confirms."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sdesk.models.base import Base


class CodelistEntry(Base):
    """One code of one codelist; the same code means different things per list (reden 31)."""

    __tablename__ = "codelist_entry"

    codelist: Mapped[str] = mapped_column(String(20), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    # Participatiewet categories are the municipality's own list, editable by users.
    user_maintained: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Tariff(Base):
    __tablename__ = "tariff"
    __table_args__ = (UniqueConstraint("law", "product_code", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law: Mapped[str] = mapped_column(String(12))
    product_code: Mapped[str] = mapped_column(String(40))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    cents: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(String(2))


class Inhabitants(Base):
    __tablename__ = "inhabitants"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    age_band: Mapped[str] = mapped_column(String(10), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class PriceIndex(Base):
    __tablename__ = "price_index"

    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    law: Mapped[str] = mapped_column(String(12), primary_key=True)
    percentage: Mapped[float] = mapped_column(Float)


class Meta(Base):
    """Small key/value facts about the database, e.g. `data_version`, bumped by every write
    that changes allocations or claims so in-memory caches know when to reload."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class ProductLadder(Base):
    """A product ladder a functioneel beheerder keeps for one law and category (#16): status
    "eigen" (the rungs below replace the default ladder of the category) or "uit" (no ladder,
    so no lighter product, in this category). No row: the default ladder counts."""

    __tablename__ = "product_ladder"
    __table_args__ = (
        UniqueConstraint("law", "category"),
        CheckConstraint("status IN ('eigen', 'uit')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    law: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(8))
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime)  # local time of the save


class ProductLadderRung(Base):
    """One rung of a kept ladder: position 0 is the heaviest product."""

    __tablename__ = "product_ladder_rung"
    __table_args__ = (UniqueConstraint("ladder_id", "product_code"),)

    ladder_id: Mapped[int] = mapped_column(
        ForeignKey("product_ladder.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_code: Mapped[str] = mapped_column(String(40))
