"""Storage of meeting seat plans (座次): the row and its change-feed record, which reaches
the meeting's organisers and its 工作人员 (they lay out the cards); re-published by
``storage.refresh`` when those change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from modules.meetings import seating as S
from server.changefeed import record_change
from server.meetings.seating_models import Seating


def seating_record(session: Session, meeting_id: str) -> dict[str, Any] | None:
    """The stored plan (the caller holds the meeting's row lock: one writer at a time)."""
    row = session.get(Seating, meeting_id)
    return dict(row.data) if row is not None else None


def put_seating(session: Session, data: dict[str, Any], audience: Iterable[str],
                now: dt.datetime) -> None:
    """Store and publish the plan to ``audience`` (``storage.staff_audience`` of its
    meeting: the organisers and 工作人员)."""
    row = session.get(Seating, data["meeting_id"])
    if row is None:
        row = Seating(meeting_id=data["meeting_id"])
        session.add(row)
    row.version, row.data, row.updated_at = int(data["version"]), dict(data), now
    row.audience = sorted(set(audience))
    session.flush()
    record_change(session, S.SEATING, row.meeting_id, dict(data), row.audience)


def sync_seating(session: Session, meeting_id: str, audience: Iterable[str]) -> None:
    """Re-publish the meeting's plan when who receives it moved (工作人员 changed): the
    dropped keys get a tombstone."""
    row = session.get(Seating, meeting_id)
    keys = sorted(set(audience))
    if row is not None and list(row.audience or []) != keys:
        row.audience = keys
        record_change(session, S.SEATING, row.meeting_id, dict(row.data), keys)
