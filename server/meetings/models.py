"""Tables of the meetings feature (办会): rooms and their bookings, meetings, their
replies (回执) and the attendees invited bodies nominate.

On PostgreSQL the migration adds an exclusion constraint over (room, [start, end)) for
the bookings that hold their slot (``held``, ``confirmed``): two overlapping bookings of
one room can never both commit, whatever process wrote them. SQLite has one writer at a
time (every transaction begins IMMEDIATE, see server/db.py), so the check before the
insert in the same transaction is exact there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Room(Base):
    __tablename__ = "meetings_room"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    body_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    #: The organ owning the room (its members may book it).
    organ_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    #: The whole ``meetings.room`` record (modules.meetings.intents.save_room).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Booking(Base):
    __tablename__ = "meetings_booking"
    __table_args__ = (Index("ix_meetings_booking_room_time", "room_id", "starts_at", "ends_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    room_id: Mapped[str] = mapped_column(ForeignKey("meetings_room.id"), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: held / confirmed block the slot; rejected / cancelled / released do not.
    state: Mapped[str] = mapped_column(String(12), nullable=False)
    holder_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    people: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: Whether someone checked in (no-show release looks at it).
    checked_in: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    #: The whole ``meetings.booking`` record (modules.meetings.intents).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Meeting(Base):
    """A meeting (会议); its replies and nominations are rows of their own."""

    __tablename__ = "meetings_meeting"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    host_body_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    host_organ_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    #: draft / published / closed / cancelled (``held`` is derived from the time).
    state: Mapped[str] = mapped_column(String(12), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: The iCalendar SEQUENCE: raised by every update after publishing.
    sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    booking_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    #: The recurring series (例会) this meeting is an occurrence of ("" = none).
    series_id: Mapped[str] = mapped_column(String(40), nullable=False, default="",
                                           server_default="", index=True)
    #: Open to-do ids of this meeting (reply / nominate needed), to finish them later.
    open_todos: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    #: The whole ``meetings.meeting`` record (modules.meetings.intents.save_meeting).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The feed audience last published (re-published when who is invited changes).
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Reply(Base):
    """One person's 回执 to one meeting (the latest answer)."""

    __tablename__ = "meetings_reply"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: (indexed by the unique constraint, which leads with it)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings_meeting.id"), nullable=False)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    #: attend / decline / substitute
    answer: Mapped[str] = mapped_column(String(12), nullable=False)
    substitute_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The feed audience last published (re-published when who is invited changes).
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Nomination(Base):
    """The attendees an invited body named for one meeting."""

    __tablename__ = "meetings_nomination"
    __table_args__ = (UniqueConstraint("meeting_id", "body_id"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: (indexed by the unique constraint, which leads with it)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings_meeting.id"), nullable=False)
    body_id: Mapped[str] = mapped_column(String(40), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: The feed audience last published (re-published when who is invited changes).
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class CheckinKey(Base):
    """A published meeting's check-in secret (签到密钥): signs its rotating QR tokens and
    its people's personal codes. Published (``meetings.checkin_key``) only to the
    organisers and the meeting's 工作人员."""

    __tablename__ = "meetings_checkin_key"

    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings_meeting.id"), primary_key=True)
    #: 32 random bytes, hex
    secret: Mapped[str] = mapped_column(String(64), nullable=False)
    #: The feed audience last published.
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    #: People whose personal code (``meetings.checkin_pass``) has been published.
    passes: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Checkin(Base):
    """One person's check-in (签到) to one meeting: unique per (meeting, person), so a
    replayed or re-synced scan can never count twice."""

    __tablename__ = "meetings_checkin"
    __table_args__ = (UniqueConstraint("meeting_id", "person_key"),)

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: (indexed by the unique constraint, which leads with it)
    meeting_id: Mapped[str] = mapped_column(ForeignKey("meetings_meeting.id"), nullable=False)
    #: The person id, or ``guest-<hash of the name>`` for someone without an account.
    person_key: Mapped[str] = mapped_column(String(40), nullable=False)
    #: token / code / hand
    method: Mapped[str] = mapped_column(String(8), nullable=False)
    #: When it was scanned (the scanning device's time, checked by the server).
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: When the server received it (a queued offline scan arrives later).
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    device_id: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    #: Who submitted it (the person themself, or the organiser / staff member).
    by_id: Mapped[str] = mapped_column(String(40), nullable=False)
    #: The whole ``meetings.checkin`` record (modules.meetings.intents.check_in).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    audience: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)


from server.meetings.agenda_models import Topic  # noqa: E402,F401  (registers the table)
from server.meetings.calendar_models import FeedToken  # noqa: E402,F401  (registers the table)
from server.meetings.seating_models import Seating  # noqa: E402,F401  (registers the table)
