"""Households, persons, teams and employees."""

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sdesk.models.base import Base


class Household(Base):
    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True)
    wijk: Mapped[str | None] = mapped_column(String(80))
    postcode: Mapped[str | None] = mapped_column(String(7), index=True)
    composition: Mapped[str | None] = mapped_column(String(80))

    members: Mapped[list["Person"]] = relationship(back_populates="household")


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    bsn: Mapped[str | None] = mapped_column(String(9), index=True)
    birth_date: Mapped[date] = mapped_column(Date)
    gender: Mapped[str | None] = mapped_column(String(1))
    last_name: Mapped[str | None] = mapped_column(String(120))
    first_name: Mapped[str | None] = mapped_column(String(120))

    household: Mapped[Household] = relationship(back_populates="members")


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)


class Employee(Base):
    __tablename__ = "employee"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    fte: Mapped[float | None] = mapped_column(Float)
    # The operating-system account of the employee: sdesk starts as this employee without
    # asking "Wie bent u?" (migration 0009).
    account: Mapped[str | None] = mapped_column(String(64))
