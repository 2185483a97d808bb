"""The table of proposed topics (申报议题). The agenda itself lives in the meeting
record (``meetings_meeting.data["agenda"]``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Topic(Base):
    """A topic a unit proposed for a meeting's agenda, and the organiser's decision."""

    __tablename__ = "meetings_topic"
    __table_args__ = (Index("ix_meetings_topic_meeting", "meeting_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings_meeting.id"), nullable=False)
    body_id: Mapped[str] = mapped_column(String(40), nullable=False)
    by_id: Mapped[str] = mapped_column(String(40), nullable=False)
    #: proposed / accepted / declined
    state: Mapped[str] = mapped_column(String(10), nullable=False)
    #: The whole ``meetings.topic`` record (modules.meetings.agenda.propose_topic).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The feed audience last published.
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
