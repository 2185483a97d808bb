"""The table of meeting seat plans (座次): one row per meeting, the whole
``meetings.seating`` record (modules.meetings.seating) in ``data``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Seating(Base):
    __tablename__ = "meetings_seating"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings_meeting.id"), primary_key=True)
    #: Raised by every save; a save from an older version is a conflict.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The feed audience last published.
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
