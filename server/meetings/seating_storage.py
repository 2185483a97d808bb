"""Storage of meeting seat plans (座次): the row and its change-feed record, which reaches
the meeting's organisers and its 工作人员 (they lay out the cards)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from modules.meetings import seating as S
from server.changefeed import record_change
from server.meetings.seating_models import Seating
from server.meetings.storage import staff_audience


def seating_record(session: Session, meeting_id: str) -> dict[str, Any] | None:
    """The stored plan (the caller holds the meeting's row lock: one writer at a time)."""
    row = session.get(Seating, meeting_id)
    return dict(row.data) if row is not None else None


def put_seating(session: Session, data: dict[str, Any], meeting: dict[str, Any],
                now: dt.datetime) -> None:
    row = session.get(Seating, data["meeting_id"])
    if row is None:
        row = Seating(meeting_id=data["meeting_id"])
        session.add(row)
    row.version, row.data, row.updated_at = int(data["version"]), dict(data), now
    row.audience = sorted(staff_audience(meeting))
    session.flush()
    record_change(session, S.SEATING, row.meeting_id, dict(data), row.audience)
