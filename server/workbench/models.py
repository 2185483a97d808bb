"""To-do items (待办) shown on each person's workbench, fed by every feature."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Todo(Base):
    __tablename__ = "workbench_todo"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    #: Feature that owns the item: documents, meetings, supervision, seals, directory.
    module: Mapped[str] = mapped_column(String(20), nullable=False)
    #: What is expected, in words shown to the user: 待签发, 待批办, 待阅, 会议, 督办 …
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    ref_id: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    from_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    urgency: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    done: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
