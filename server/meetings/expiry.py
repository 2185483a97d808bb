"""Held bookings that nobody approved in time (审批超时): when a booking's start comes
while it still awaits approval, it becomes ``expired`` and its slot is free again; the
applicant is told. Run by every server process's periodic dispatcher
(server/reminders/dispatcher.py): each row is locked (``SKIP LOCKED`` on PostgreSQL) and
its state checked again, so a booking expires, and its holder hears of it, once."""

from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.meetings import intents as I
from modules.meetings import rules as R
from modules.reminders.rules import china_text
from server.meetings import storage
from server.meetings.models import Booking
from server.reminders.store import deliver

KIND = "booking_expired"


def expire_holds(session: Session, now: dt.datetime, worker: str, limit: int = 200) -> list[str]:
    """Expire the held bookings whose start has come; their ids. In the caller's
    transaction."""
    rows = session.scalars(
        select(Booking).where(Booking.state == R.HELD, Booking.starts_at <= now)
        .order_by(Booking.starts_at).limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)).all()
    expired: list[str] = []
    for row in rows:
        data = copy.deepcopy(dict(row.data))
        if not R.hold_expired(data, now):
            continue
        room = storage.room_record(session, row.room_id) or {"id": row.room_id, "name": ""}
        data.update(state=R.EXPIRED, state_words=R.STATE_WORDS[R.EXPIRED][0],
                    note="开始前无人审批，预订已自动失效", updated_at=I.iso(now))
        storage.put_booking(session, data, room, now)
        name = str(room.get("name") or "")
        deliver(session, reminder_id=f"expired:{row.id}", person_id=row.holder_id, kind=KIND,
                module="meetings", ref_id=row.id,
                data={"title_zh": f"会议室预订未获审批：{name}",
                      "title_en": f"Room booking not approved in time: {name}",
                      "body_zh": f"{china_text(row.starts_at, 'zh')}的预订在开始前无人审批，已自动失效",
                      "body_en": f"Nobody approved the booking for {china_text(row.starts_at, 'en')} "
                                 "before it began; it has lapsed"},
                due_at=row.starts_at, now=now, worker=worker)
        expired.append(row.id)
    return expired
