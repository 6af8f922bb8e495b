"""Computed working sets kept between sessions: a cache, safe to empty at any time."""

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from sdesk.models.base import Base


class StoredFrame(Base):
    """One computed table (e.g. the worklist's inputs for one data version and peildatum),
    kept in the database file so it is encrypted with it and goes where the data goes."""

    __tablename__ = "stored_frame"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
