"""What people do with the data: reviews, coordination cases and the audit log."""

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sdesk.models.base import Base


class Review(Base):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("allocation.id"), index=True)
    review_date: Mapped[date] = mapped_column(Date)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    rules: Mapped[str | None] = mapped_column(String(400))  # comma-separated rule ids
    decision: Mapped[str] = mapped_column(String(24))
    new_product_code: Mapped[str | None] = mapped_column(String(40))
    new_volume: Mapped[float | None] = mapped_column(Float)
    new_end_date: Mapped[date | None] = mapped_column(Date)
    expected_annual_saving_cents: Mapped[int | None] = mapped_column(Integer)
    # The allocation's annual run-rate when the decision was taken: the backoffice may change
    # the allocation in place afterwards. NULL for reviews recorded before sdesk kept it.
    annual_cost_before_cents: Mapped[int | None] = mapped_column(Integer)
    # The realised basis of the business case (#16), kept at decision time: what the
    # allocation really cost per day over the six complete months before the decision, and
    # the end date it had then (a later stop must not move the cap). NULL for reviews recorded
    # before sdesk kept them, and for imported ones: the business case then computes them.
    realised_daily_cost_cents: Mapped[float | None] = mapped_column(Float)
    planned_end_date: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)


class CoordinationCase(Base):
    __tablename__ = "coordination_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    intake_date: Mapped[date] = mapped_column(Date)
    evaluation_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open", server_default="open")
    attribution: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")
    notes: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at_utc: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[str | None] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    object: Mapped[str | None] = mapped_column(String(200))
    row_count: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str | None] = mapped_column(String(200))
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class CoordinationSnapshot(Base):
    """One line of the care package frozen at intake (T0) or evaluation (T1)."""

    __tablename__ = "coordination_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("coordination_case.id", ondelete="CASCADE"),
                                         index=True)
    moment: Mapped[str] = mapped_column(String(2))  # "t0" or "t1"
    kind: Mapped[str] = mapped_column(String(12))  # "allocation" or "intervention"
    reference: Mapped[str | None] = mapped_column(String(80))
    law: Mapped[str | None] = mapped_column(String(12))
    payer: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(String(200))
    annual_cost_cents: Mapped[int] = mapped_column(Integer)
