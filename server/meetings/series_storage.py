"""Storage of recurring series (例会): a series is its occurrences, rows of
``meetings_meeting`` sharing ``series_id`` (indexed). Every function runs inside the
caller's transaction. Entering a year's holidays settles that year's provisional
occurrences (:func:`settle_provisional`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.calendar.rules import is_working_day
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from server.calendar.storage import holiday_table, on_year_entered
from server.meetings import storage
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


@on_year_entered
def settle_provisional(session: Session, year: int, now: dt.datetime) -> None:
    """When ``year``'s holidays are entered, the occurrences planned on weekends alone
    for that year are settled: no longer ``provisional``; one that now falls on a day
    off is marked ``day_off`` (the holiday's name) for its organisers to change or
    cancel — a published meeting is never moved silently."""
    table = holiday_table(session)
    lo = dt.datetime(year, 1, 1, tzinfo=R.CHINA)
    rows = session.scalars(select(Meeting).where(
        Meeting.series_id != "", Meeting.starts_at >= lo,
        Meeting.starts_at < lo.replace(year=year + 1),
        Meeting.state.in_([M.DRAFT, M.PUBLISHED]))).all()
    for row in rows:
        data = dict(row.data)
        if not data.get("provisional"):
            continue
        day = R.parse_time(data["start"]).astimezone(R.CHINA).date()
        data.update(provisional=False, updated_at=I.iso(now))
        if not is_working_day(day, table):
            entry = table.entries.get(day)
            data["day_off"] = entry.name if entry is not None and entry.name else "节假日"
        storage.put_meeting(session, data, now)
