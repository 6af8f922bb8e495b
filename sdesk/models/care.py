"""Allocations (toewijzingen) and the claims (declaratieregels) against them. Money in cents."""

from datetime import date

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sdesk.models.base import Base


class Allocation(Base):
    __tablename__ = "allocation"
    __table_args__ = (
        UniqueConstraint("law", "toewijzingnummer"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("volume IS NULL OR budget_cents IS NULL", name="omvang_xor_budget"),
        CheckConstraint("volume IS NULL OR volume >= 0", name="volume_not_negative"),
        CheckConstraint("tariff_cents IS NULL OR tariff_cents >= 0", name="tariff_not_negative"),
        Index("ix_allocation_law_dates", "law", "start_date", "end_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    toewijzingnummer: Mapped[str] = mapped_column(String(40))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    law: Mapped[str] = mapped_column(String(12))
    category: Mapped[str] = mapped_column(String(40))
    product_code: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(String(200))
    provider: Mapped[str | None] = mapped_column(String(120))
    referrer: Mapped[str | None] = mapped_column(String(2))  # COD327
    delivery_form: Mapped[str] = mapped_column(String(3), default="zin", server_default="zin")
    provision_kind: Mapped[str] = mapped_column(String(16), default="maatwerk",
                                                server_default="maatwerk")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    volume: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(2))  # WJ756
    frequency: Mapped[str | None] = mapped_column(String(1))  # WMO757
    tariff_cents: Mapped[int | None] = mapped_column(Integer)
    budget_cents: Mapped[int | None] = mapped_column(Integer)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    change_reason: Mapped[str | None] = mapped_column(String(40))  # JZ002
    end_reason: Mapped[str | None] = mapped_column(String(40))  # JZ588 / WMO588


class Claim(Base):
    __tablename__ = "claim"
    __table_args__ = (
        CheckConstraint("period_end >= period_start", name="period_order"),
        Index("ix_claim_allocation_period", "allocation_id", "period_start"),
        # Covering: sums of claims over a date window read the index only (worklist, KPIs).
        Index("ix_claim_period", "period_start", "allocation_id", "amount_cents", "rejected",
              "first_seen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # declaratie_id from the source, or a key derived from the line's content when absent.
    claim_key: Mapped[str] = mapped_column(String(80), unique=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    volume: Mapped[float | None] = mapped_column(Float)
    amount_cents: Mapped[int] = mapped_column(Integer)  # credit lines are negative
    rejected: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # When sdesk first saw the line (the import day, or the date of the iJw/iWmo message that
    # brought it); NULL for lines from before sdesk kept it. The declaration lag is measured
    # from it (platform/completeness).
    first_seen: Mapped[date | None] = mapped_column(Date)


class RealisationMonth(Base):
    """Summary: realisation per law, month, team, category and referrer.

    Derived data, rebuilt when the data version moves on (services/summaries.py), so trend
    charts over five years need not read millions of claim lines.
    """

    __tablename__ = "realisation_month"
    __table_args__ = (Index("ix_realisation_month_law_month", "law", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law: Mapped[str] = mapped_column(String(12))
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM of the claim period's start
    team_id: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(40))
    referrer: Mapped[str | None] = mapped_column(String(2))
    delivery_form: Mapped[str | None] = mapped_column(String(3))  # budget lines select on it
    amount_cents: Mapped[int] = mapped_column(Integer)


class ClaimArrival(Base):
    """Summary: claims per law, care month and the month sdesk first saw them (the
    declaration lag, platform.completeness). Derived, rebuilt with realisation_month."""

    __tablename__ = "claim_arrival"
    __table_args__ = (Index("ix_claim_arrival_law_month", "law", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law: Mapped[str] = mapped_column(String(12))
    month: Mapped[int] = mapped_column(Integer)  # YYYYMM of the claim period's start
    seen: Mapped[int] = mapped_column(Integer)  # YYYYMM of first_seen
    amount_cents: Mapped[int] = mapped_column(Integer)
