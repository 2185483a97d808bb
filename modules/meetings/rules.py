"""Meeting rooms and their bookings (会议室预订): pure rules, no Qt, no HTTP, no database.

The client (optimistically, offline too) and the server (authoritatively) decide with
these functions.

Times are aware datetimes; a booking holds its room over the **half-open** interval
``[start, end)``: 09:00–11:00 and 11:00–12:00 do not conflict. Open hours are read in
China time (UTC+8), the rooms' local time.

Booking states: ``requested`` (made on a device, the server has not answered — shown as
待确认; it holds nothing on the server), ``held`` (the room needs approval: the slot is
held for the applicant until an approver decides), ``confirmed``, and the final
``rejected``, ``cancelled``, ``released`` (nobody checked in), ``expired`` (still held
when its time came: nobody approved it, see :func:`hold_expired`). Only ``held`` and
``confirmed`` block a slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from modules.common import messages
from modules.common.china_time import CHINA as CHINA  # also named from here
from modules.common.errors import Conflict, ValidationFailed

REQUESTED, HELD, CONFIRMED = "requested", "held", "confirmed"
REJECTED, CANCELLED, RELEASED = "rejected", "cancelled", "released"
EXPIRED = "expired"
BLOCKING = frozenset({HELD, CONFIRMED})
FINAL = frozenset({REJECTED, CANCELLED, RELEASED, EXPIRED})
STATE_WORDS = {
    REQUESTED: ("待确认", "waiting for the server"), HELD: ("待审批", "awaiting approval"),
    CONFIRMED: ("已预订", "booked"), REJECTED: ("未批准", "rejected"),
    CANCELLED: ("已取消", "cancelled"), RELEASED: ("已释放", "released"),
    EXPIRED: ("审批超时", "approval expired"),
}

#: Equipment a room can list (key, Chinese label).
EQUIPMENT: tuple[tuple[str, str], ...] = (
    ("projector", "投影"), ("screen", "大屏"), ("video", "视频会议"), ("mic", "话筒"),
    ("whiteboard", "白板"), ("recording", "录音录像"), ("table_cards", "桌签"),
)
EQUIPMENT_KEYS = frozenset(k for k, _ in EQUIPMENT)

MIN_MINUTES = 15
MAX_HOURS = 12
#: How far ahead a room can be booked, by default (a room may say otherwise).
DEFAULT_DAYS_AHEAD = 90

messages.register({
    "meetings.room_taken": {
        "zh_CN": "{room}在{start}至{end}已被{holder}预订（{state}），请另选时间或会议室。",
        "en": "{room} is booked by {holder} from {start} to {end} ({state_en}); choose another "
              "time or room.",
    },
    "meetings.room_taken_free": {
        "zh_CN": "{room}在{start}至{end}已被{holder}预订（{state}）。该时段可预订的会议室：{free}。",
        "en": "{room} is booked by {holder} from {start} to {end} ({state_en}). Rooms free at "
              "that time: {free}.",
    },
    "meetings.room_closed": {
        "zh_CN": "{room}暂停使用：{reason}",
        "en": "{room} is closed: {reason}",
    },
    "meetings.outside_hours": {
        "zh_CN": "{room}的开放时间为{open_from}至{open_to}，所选时间不在其内。",
        "en": "{room} is open from {open_from} to {open_to}; the chosen time is outside that.",
    },
    "meetings.bad_interval": {
        "zh_CN": "会议时间无效：{reason}",
        "en": "The meeting time is not valid: {reason_en}",
    },
    "meetings.too_far_ahead": {
        "zh_CN": "{room}最多可提前{days}天预订。",
        "en": "{room} can be booked at most {days} days ahead.",
    },
    "meetings.over_capacity": {
        "zh_CN": "{room}可容纳{capacity}人，少于预计的{people}人。",
        "en": "{room} seats {capacity}, fewer than the {people} expected.",
    },
    "meetings.room_not_found": {
        "zh_CN": "找不到该会议室（{room_id}）。",
        "en": "No such meeting room ({room_id}).",
    },
    "meetings.booking_not_found": {
        "zh_CN": "找不到该预订（{booking_id}）。",
        "en": "No such booking ({booking_id}).",
    },
    "meetings.booking_exists": {
        "zh_CN": "该预订（{booking_id}）已存在。",
        "en": "The booking {booking_id} already exists.",
    },
    "meetings.already_decided": {
        "zh_CN": "该预订已由{name}审批。",
        "en": "{name} has already decided this booking.",
    },
    "meetings.booking_final": {
        "zh_CN": "该预订已{state}，不能再{attempt}。",
        "en": "The booking is already {state_en}; it can no longer be {attempt_en}.",
    },
})


@dataclass(frozen=True)
class Room:
    """A bookable room of a body (its organ owns it)."""

    id: str
    body_id: str
    name: str
    building: str = ""
    floor: str = ""
    capacity: int = 0
    equipment: frozenset[str] = frozenset()
    needs_approval: bool = False
    #: People who approve bookings when ``needs_approval`` (empty: the room's managers).
    approvers: frozenset[str] = frozenset()
    open_from: dt.time = dt.time(7, 0)
    open_to: dt.time = dt.time(23, 0)
    days_ahead: int = DEFAULT_DAYS_AHEAD
    #: Minutes after the start with no check-in before the booking may be released;
    #: 0 = never (off by default).
    release_after_minutes: int = 0
    closed_reason: str = ""
    photo_sha256: str = ""

    @property
    def available(self) -> bool:
        return not self.closed_reason

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Room:
        return cls(
            id=str(d["id"]), body_id=str(d["body_id"]), name=str(d["name"]),
            building=str(d.get("building") or ""), floor=str(d.get("floor") or ""),
            capacity=int(d.get("capacity") or 0),
            equipment=frozenset(d.get("equipment") or ()),
            needs_approval=bool(d.get("needs_approval")),
            approvers=frozenset(d.get("approvers") or ()),
            open_from=dt.time.fromisoformat(str(d.get("open_from") or "07:00")),
            open_to=dt.time.fromisoformat(str(d.get("open_to") or "23:00")),
            days_ahead=int(d.get("days_ahead") or DEFAULT_DAYS_AHEAD),
            release_after_minutes=int(d.get("release_after_minutes") or 0),
            closed_reason=str(d.get("closed_reason") or ""),
            photo_sha256=str(d.get("photo_sha256") or ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "body_id": self.body_id, "name": self.name,
            "building": self.building, "floor": self.floor, "capacity": self.capacity,
            "equipment": sorted(self.equipment), "needs_approval": self.needs_approval,
            "approvers": sorted(self.approvers),
            "open_from": self.open_from.strftime("%H:%M"), "open_to": self.open_to.strftime("%H:%M"),
            "days_ahead": self.days_ahead, "release_after_minutes": self.release_after_minutes,
            "closed_reason": self.closed_reason, "photo_sha256": self.photo_sha256,
        }


@dataclass(frozen=True)
class Slot:
    """A booking as the conflict rules see it."""

    id: str
    room_id: str
    start: dt.datetime
    end: dt.datetime
    state: str
    holder: str = ""  # the applicant's name, for refusals
    subject: str = ""

    @property
    def blocking(self) -> bool:
        return self.state in BLOCKING

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Slot:
        return cls(id=str(d["id"]), room_id=str(d["room_id"]), start=parse_time(d["start"]),
                   end=parse_time(d["end"]), state=str(d.get("state") or ""),
                   holder=str(d.get("holder_name") or ""), subject=str(d.get("subject") or ""))


@dataclass(frozen=True)
class FreeRoom:
    room: Room
    #: Equipment asked for that the room lacks (empty: it has everything).
    missing: frozenset[str] = field(default_factory=frozenset)


def parse_time(value: Any) -> dt.datetime:
    """An aware datetime from an ISO string or datetime (naive = UTC)."""
    when = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(
        str(value).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def overlaps(a_start: dt.datetime, a_end: dt.datetime, b_start: dt.datetime,
             b_end: dt.datetime) -> bool:
    """Whether half-open intervals [a_start, a_end) and [b_start, b_end) share time."""
    return a_start < b_end and b_start < a_end


def words(when: dt.datetime, *, with_date: bool = True) -> str:
    """China-time words for a time: ``12月3日09:00`` (or ``09:00``)."""
    local = when.astimezone(CHINA)
    return f"{local.month}月{local.day}日{local:%H:%M}" if with_date else f"{local:%H:%M}"


def check_interval(room: Room, start: dt.datetime, end: dt.datetime, now: dt.datetime, *,
                   people: int = 0) -> None:
    """Raise in words unless ``[start, end)`` is a time the room can be booked for:
    open, within its open hours (same China day), 15 min to 12 h, not in the past, not
    further ahead than the room allows, and (when ``people`` is given) big enough."""
    if not room.available:
        raise ValidationFailed("meetings.room_closed", room=room.name, reason=room.closed_reason)
    if end <= start:
        raise ValidationFailed("meetings.bad_interval", reason="结束时间须晚于开始时间",
                               reason_en="the end must be after the start")
    if end - start < dt.timedelta(minutes=MIN_MINUTES):
        raise ValidationFailed("meetings.bad_interval", reason=f"至少{MIN_MINUTES}分钟",
                               reason_en=f"at least {MIN_MINUTES} minutes")
    if end - start > dt.timedelta(hours=MAX_HOURS):
        raise ValidationFailed("meetings.bad_interval", reason=f"最长{MAX_HOURS}小时",
                               reason_en=f"at most {MAX_HOURS} hours")
    if end <= now:
        raise ValidationFailed("meetings.bad_interval", reason="该时间已过去",
                               reason_en="that time is past")
    if start - now > dt.timedelta(days=room.days_ahead):
        raise ValidationFailed("meetings.too_far_ahead", room=room.name, days=room.days_ahead)
    ls, le = start.astimezone(CHINA), end.astimezone(CHINA)
    midnight = dt.datetime.combine(ls.date(), dt.time(0), CHINA)
    opens = dt.datetime.combine(ls.date(), room.open_from, CHINA)
    closes = (midnight + dt.timedelta(days=1) if room.open_to == dt.time(0)
              else dt.datetime.combine(ls.date(), room.open_to, CHINA))
    if ls < opens or le > closes:
        raise ValidationFailed("meetings.outside_hours", room=room.name,
                               open_from=room.open_from.strftime("%H:%M"),
                               open_to=room.open_to.strftime("%H:%M"))
    if people and room.capacity and people > room.capacity:
        raise ValidationFailed("meetings.over_capacity", room=room.name, capacity=room.capacity,
                               people=people)


def first_conflict(room: Room, start: dt.datetime, end: dt.datetime, slots: Iterable[Slot], *,
                   ignore: str = "") -> Slot | None:
    """The earliest blocking booking of ``room`` that overlaps ``[start, end)``."""
    hits = [s for s in slots if s.room_id == room.id and s.blocking and s.id != ignore
            and overlaps(start, end, s.start, s.end)]
    return min(hits, key=lambda s: s.start) if hits else None


def refuse_conflict(room: Room, slot: Slot) -> Conflict:
    """The refusal that names who holds the room and until when."""
    zh, en = STATE_WORDS.get(slot.state, (slot.state, slot.state))
    return Conflict("meetings.room_taken", room=room.name, holder=slot.holder or "他人",
                    start=words(slot.start), end=words(slot.end, with_date=False),
                    state=zh, state_en=en)


def with_alternatives(refusal: Conflict, free: Sequence[FreeRoom], limit: int = 5) -> Conflict:
    """``meetings.room_taken`` naming, besides the holder, up to ``limit`` rooms free at
    that time (the refusal itself when none is)."""
    if refusal.code != "meetings.room_taken" or not free:
        return refusal
    return Conflict("meetings.room_taken_free", **refusal.params,
                    free="、".join(f.room.name for f in free[:limit]))


def free_rooms(rooms: Iterable[Room], slots: Sequence[Slot], start: dt.datetime,
               end: dt.datetime, now: dt.datetime, *, people: int = 0,
               equipment: Iterable[str] = ()) -> list[FreeRoom]:
    """Rooms that can be booked for ``[start, end)``: open then, big enough, with no
    blocking booking overlapping. Rooms with all the ``equipment`` asked for come first,
    then by how well the capacity fits, then by name. Linear in rooms + slots."""
    wanted = frozenset(equipment)
    taken = {s.room_id for s in slots if s.blocking and overlaps(start, end, s.start, s.end)}
    out = []
    for room in rooms:
        if room.id in taken:
            continue
        try:
            check_interval(room, start, end, now, people=people)
        except ValidationFailed:
            continue
        out.append(FreeRoom(room, wanted - room.equipment))
    return sorted(out, key=lambda f: (len(f.missing), f.room.capacity or 10**6, f.room.name))


def hold_expired(booking: Mapping[str, Any], now: dt.datetime) -> bool:
    """A booking still awaiting approval when its start has come: the slot is released
    (an approver can no longer approve it)."""
    return booking.get("state") == HELD and parse_time(str(booking["start"])) <= now


def initial_state(room: Room) -> str:
    """The state a booking takes when the server accepts it."""
    return HELD if room.needs_approval else CONFIRMED


def check_not_final(state: str, attempt: tuple[str, str]) -> None:
    """Raise ``meetings.booking_final`` for a booking that is already over."""
    if state in FINAL:
        zh, en = STATE_WORDS[state]
        raise Conflict("meetings.booking_final", state=zh, state_en=en, attempt=attempt[0],
                       attempt_en=attempt[1])


def day_grid(slots: Iterable[Slot], room_ids: Iterable[str], day: dt.date) -> dict[str, list[Slot]]:
    """Blocking and requested bookings per room for one China-time day, by start time
    (the occupancy grid's rows)."""
    lo = dt.datetime.combine(day, dt.time(0), CHINA)
    hi = lo + dt.timedelta(days=1)
    grid: dict[str, list[Slot]] = {r: [] for r in room_ids}
    for s in slots:
        if s.room_id in grid and (s.blocking or s.state == REQUESTED) and overlaps(s.start, s.end, lo, hi):
            grid[s.room_id].append(s)
    for row in grid.values():
        row.sort(key=lambda s: s.start)
    return grid
