"""Tables of reminders (提醒): the reminders due at a time, and the notices sent.

``reminders_reminder`` holds every planned reminder until it is sent (or expires, or is
dropped because its occasion went away). A due reminder is claimed and delivered in one
transaction (server/reminders/store.py): on PostgreSQL ``FOR UPDATE SKIP LOCKED`` with
``state = 'pending'`` re-checked under the lock, on SQLite the single IMMEDIATE writer.
So however many server processes run, each due reminder is sent exactly once, and
nothing claimed is lost if a process dies (its transaction rolls back).

``reminders_notice`` holds one row per delivery (published to the person as
``reminders.notice``); a reminder re-armed because its meeting moved is delivered again
as a new notice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Reminder(Base):
    __tablename__ = "reminders_reminder"
    __table_args__ = (Index("ix_reminders_reminder_state_due", "state", "due_at"),)

    #: Stable per occasion (modules.reminders.rules.Spec.id).
    id: Mapped[str] = mapped_column(String(160), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    module: Mapped[str] = mapped_column(String(20), nullable=False)
    #: The meeting / item / booking it is about (planning replaces by it).
    ref_id: Mapped[str] = mapped_column(String(80), nullable=False, index=True)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: After this it is no longer sent (what it announces has happened).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: pending / sent / expired / dropped
    state: Mapped[str] = mapped_column(String(10), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: When and by which server process (host:pid) it was claimed and sent.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    claimed_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")


class Notice(Base):
    __tablename__ = "reminders_notice"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    reminder_id: Mapped[str] = mapped_column(String(160), nullable=False, index=True)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    sent_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
