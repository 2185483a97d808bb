"""Storage of recurring series (例会): a series is its occurrences, rows of
``meetings_meeting`` sharing ``series_id`` (indexed). Every function runs inside the
caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.meetings.models import Meeting


def exists(session: Session, series_id: str) -> bool:
    return session.scalars(select(Meeting.id).where(Meeting.series_id == series_id)
                           .limit(1)).first() is not None


def members(session: Session, series_id: str, *, lock: bool = False) -> list[dict[str, Any]]:
    """The series' ``meetings.meeting`` records by start (rows locked until commit when
    ``lock``: one writer of a series at a time)."""
    query = (select(Meeting).where(Meeting.series_id == series_id)
             .order_by(Meeting.starts_at, Meeting.id))
    return [dict(r.data) for r in session.scalars(query.with_for_update() if lock else query)]
