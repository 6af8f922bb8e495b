"""Budget lines, the cost map and non-allocation interventions."""

from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sdesk.models.base import Base


class BudgetLine(Base):
    __tablename__ = "budget_line"
    __table_args__ = (UniqueConstraint("year", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    law: Mapped[str | None] = mapped_column(String(12))
    categories: Mapped[str | None] = mapped_column(String(200))  # comma-separated codes
    delivery_form: Mapped[str | None] = mapped_column(String(3))
    amount_cents: Mapped[int] = mapped_column(Integer)  # negative for income lines
    forecast_cents: Mapped[int | None] = mapped_column(Integer)  # manual forecast overrides
    explanation: Mapped[str | None] = mapped_column(Text)
    # A subtotal may overlap other lines; it is shown but not added to the report total.
    subtotal: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class CostMapItem(Base):
    __tablename__ = "cost_map_item"
    __table_args__ = (UniqueConstraint("name", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    price_cents: Mapped[int] = mapped_column(Integer)
    year: Mapped[int | None] = mapped_column(Integer)
    payer: Mapped[str] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(200))


class Intervention(Base):
    __tablename__ = "intervention"

    id: Mapped[int] = mapped_column(primary_key=True)
    # household|payer|description|period_start: re-importing the same row updates it.
    natural_key: Mapped[str] = mapped_column(String(400), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    payer: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(200))
    cost_map_item_id: Mapped[int | None] = mapped_column(ForeignKey("cost_map_item.id"))
    quantity: Mapped[float | None] = mapped_column(Float)
    amount_cents: Mapped[int | None] = mapped_column(Integer)
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
