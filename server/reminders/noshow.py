"""No-show release (无人签到释放): a confirmed booking that nobody checked into N minutes
after its start is released, so the room can be booked for the rest of the slot.

Off by default: the server setting ``noshow_release_minutes`` (0 = off) turns it on and
gives N; a room's own ``release_after_minutes`` (when set) takes its place for that room.
"Checked in" means a check-in (``meetings_checkin``) to a meeting held on the booking.
Run by every process's dispatcher; each booking row is locked (``SKIP LOCKED`` on
PostgreSQL) and its state re-checked, so it is released, and its holder told, once.
"""

from __future__ import annotations

import copy
import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from modules.meetings import intents as I
from modules.meetings import rules as R
from modules.reminders.rules import china_text
from server.meetings import storage
from server.meetings.models import Booking, Checkin, Meeting
from server.reminders.store import deliver

KIND = "booking_released"


def release_no_shows(session: Session, now: dt.datetime, minutes: int, worker: str) -> list[str]:
    """Release the bookings due for it now; their ids."""
    if minutes <= 0:
        return []
    checked = exists().where(Checkin.meeting_id == Meeting.id, Meeting.booking_id == Booking.id)
    rows = session.scalars(
        select(Booking).where(Booking.state == R.CONFIRMED, Booking.checked_in.is_(False),
                              Booking.starts_at <= now, Booking.ends_at > now, ~checked)
        .order_by(Booking.starts_at).limit(200)
        .with_for_update(skip_locked=True, of=Booking)
        .execution_options(populate_existing=True)).all()
    released: list[str] = []
    for row in rows:
        if row.state != R.CONFIRMED:
            continue
        room = storage.room_record(session, row.room_id)
        if room is None:
            continue
        wait = int(room.get("release_after_minutes") or 0) or minutes
        if now < row.starts_at + dt.timedelta(minutes=wait):
            continue
        data = copy.deepcopy(dict(row.data))
        data.update(state=R.RELEASED, state_words=R.STATE_WORDS[R.RELEASED][0],
                    note=f"开始{wait}分钟后无人签到，已自动释放", updated_at=I.iso(now))
        storage.put_booking(session, data, room, now)
        room_name, start = str(room.get("name") or ""), row.starts_at
        deliver(session, reminder_id=f"noshow:{row.id}", person_id=row.holder_id, kind=KIND,
                module="meetings", ref_id=row.id,
                data={"title_zh": f"会议室已释放：{room_name}",
                      "title_en": f"Room released: {room_name}",
                      "body_zh": f"{china_text(start, 'zh')}的预订开始{wait}分钟后无人签到，已自动释放",
                      "body_en": f"Nobody checked in {wait} minutes after the start "
                                 f"({china_text(start, 'en')}); the booking was released"},
                due_at=row.starts_at + dt.timedelta(minutes=wait), now=now, worker=worker)
        released.append(row.id)
    return released
