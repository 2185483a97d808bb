"""Storage of rooms and bookings: rows, locks and the change feed. Every function runs
inside the caller's transaction.

Exactly one of simultaneous bookings of a slot wins, on every database and with any
number of server processes: a booking first locks its room's row (``FOR UPDATE`` on
PostgreSQL; SQLite transactions are IMMEDIATE, one writer at a time), then looks for an
overlapping booking that holds the room, then inserts. On PostgreSQL the exclusion
constraint ``ex_meetings_booking_no_overlap`` (migration) refuses an overlap even if a
writer skipped the lock; its violation is answered with the same refusal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.common.errors import NotFound
from modules.meetings import intents as I
from modules.meetings import policy
from modules.meetings import rules as R
from server.changefeed import record_change
from server.meetings.models import Booking, Room

EXCLUSION = "ex_meetings_booking_no_overlap"


def room_audience(data: dict[str, Any]) -> list[str]:
    """Members of the room's organ, and administrators of every organ above it."""
    return [policy.key(str(data["organ_id"])),
            *(policy.admin_key(str(o)) for o in data.get("organs_above") or ())]


def booking_audience(data: dict[str, Any], room: dict[str, Any]) -> list[str]:
    return [*room_audience(room), f"user:{data['holder_id']}"]


def room_record(session: Session, room_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The ``meetings.room`` record (locked until commit when ``lock``)."""
    query = select(Room).where(Room.id == room_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    return dict(row.data) if row is not None else None


def require_room(session: Session, room_id: str, *, lock: bool = False) -> dict[str, Any]:
    found = room_record(session, room_id, lock=lock)
    if found is None:
        raise NotFound("meetings.room_not_found", room_id=room_id)
    return found


def put_room(session: Session, data: dict[str, Any], now: dt.datetime) -> None:
    row = session.get(Room, data["id"])
    if row is None:
        row = Room(id=data["id"])
        session.add(row)
    row.body_id, row.organ_id, row.name = data["body_id"], data["organ_id"], data["name"]
    row.data, row.updated_at = dict(data), now
    session.flush()
    record_change(session, I.ROOM, row.id, dict(data), room_audience(data))


def booking_record(session: Session, booking_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    query = select(Booking).where(Booking.id == booking_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    return dict(row.data) if row is not None else None


def blocking_overlaps(session: Session, room_id: str, start: dt.datetime,
                      end: dt.datetime) -> list[dict[str, Any]]:
    """Bookings of the room that hold it at some time in ``[start, end)``."""
    rows = session.scalars(select(Booking).where(
        Booking.room_id == room_id, Booking.state.in_(sorted(R.BLOCKING)),
        Booking.starts_at < end, Booking.ends_at > start,
    ).order_by(Booking.starts_at)).all()
    return [dict(r.data) for r in rows]


def put_booking(session: Session, data: dict[str, Any], room: dict[str, Any],
                now: dt.datetime) -> None:
    """Insert or update a booking row and publish it. An overlap the database refuses
    (PostgreSQL's exclusion constraint) is answered with the refusal that names the
    holder, and nothing of this booking is written."""
    row = session.get(Booking, data["id"])
    if row is None:
        row = Booking(id=data["id"], room_id=data["room_id"])
        session.add(row)
    row.starts_at, row.ends_at = R.parse_time(data["start"]), R.parse_time(data["end"])
    row.state, row.holder_id = data["state"], data["holder_id"]
    row.subject, row.people = data["subject"], int(data.get("people") or 0)
    row.data, row.updated_at = dict(data), now
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        if EXCLUSION not in str(exc.orig):
            raise
        holders = blocking_overlaps(session, data["room_id"], row.starts_at, row.ends_at)
        room_rule = R.Room.from_dict(room)
        slot = (R.Slot.from_dict(holders[0]) if holders else
                R.Slot("", room_rule.id, row.starts_at, row.ends_at, R.CONFIRMED))
        raise R.refuse_conflict(room_rule, slot) from None
    record_change(session, I.BOOKING, row.id, dict(data), booking_audience(data, room))
