"""Meeting intents (办会): names, argument schemas and their effects, defined once.

Rooms and bookings (会议室预订):

- ``meetings.save_room`` (online): add or edit a room of a body — managers only.
- ``meetings.book_room`` (offline): book a room for ``[start, end)``. On the device the
  booking shows at once as 待确认 (``requested``: it holds nothing yet); the server
  accepts it as ``confirmed``, or ``held`` when the room needs approval, or refuses it
  naming who holds the room and until when. The database decides between simultaneous
  bookings (server/meetings/storage.py): exactly one wins.
- ``meetings.decide_booking`` (offline): an approver confirms or rejects a held booking.
- ``meetings.cancel_booking`` (offline): the applicant or a manager frees the slot.

Each effect is a pure function of (state, args, actor, clock); the client's appliers
(``modules.meetings.service``) and the server's handlers (``server.meetings.mutations``)
both call it. Records are the feed shapes ``meetings.room`` and ``meetings.booking``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.common.intents import IntentArgs, define
from modules.common.text import ONE_LINE
from modules.meetings import policy
from modules.meetings import rules as R

ROOM = "meetings.room"
BOOKING = "meetings.booking"
ROOM_ID = r"^mr-[0-9a-z-]{4,36}$"
BOOKING_ID = r"^mb-[0-9a-z-]{4,36}$"
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
Equipment = Literal["projector", "screen", "video", "mic", "whiteboard", "recording", "table_cards"]


class SaveRoomArgs(IntentArgs):
    room_id: str = Field(pattern=ROOM_ID)
    body_id: str = Field(min_length=1, max_length=40)
    name: Annotated[str, Field(min_length=1, max_length=100), ONE_LINE]
    building: Annotated[str, Field(max_length=100), ONE_LINE] = ""
    floor: Annotated[str, Field(max_length=20), ONE_LINE] = ""
    capacity: int = Field(default=0, ge=0, le=5000)
    equipment: list[Equipment] = Field(default_factory=list, max_length=20)
    needs_approval: bool = False
    approvers: list[str] = Field(default_factory=list, max_length=20)
    open_from: str = Field(default="07:00", pattern=HHMM)
    open_to: str = Field(default="23:00", pattern=HHMM)
    days_ahead: int = Field(default=R.DEFAULT_DAYS_AHEAD, ge=1, le=366)
    release_after_minutes: int = Field(default=0, ge=0, le=240)
    closed_reason: Annotated[str, Field(max_length=200), ONE_LINE] = ""
    photo_sha256: str = Field(default="", pattern=r"^([0-9a-f]{64})?$")


class BookRoomArgs(IntentArgs):
    booking_id: str = Field(pattern=BOOKING_ID)
    room_id: str = Field(pattern=ROOM_ID)
    start: AwareDatetime
    end: AwareDatetime
    subject: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    people: int = Field(default=0, ge=0, le=5000)


class DecideBookingArgs(IntentArgs):
    booking_id: str = Field(pattern=BOOKING_ID)
    approve: bool
    note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


class CancelBookingArgs(IntentArgs):
    booking_id: str = Field(pattern=BOOKING_ID)
    reason: Annotated[str, Field(max_length=300), ONE_LINE] = ""


SAVE_ROOM = define("meetings.save_room", SaveRoomArgs, offline=False,
                   summary="Add or edit a meeting room (administrator or secretary of its body)")
BOOK_ROOM = define("meetings.book_room", BookRoomArgs, offline=True,
                   summary="Book a room for a half-open interval; exactly one of simultaneous "
                           "bookings wins")
DECIDE_BOOKING = define("meetings.decide_booking", DecideBookingArgs, offline=True,
                        summary="Confirm or reject a booking that awaits approval")
CANCEL_BOOKING = define("meetings.cancel_booking", CancelBookingArgs, offline=True,
                        summary="Cancel a booking (its applicant or a room manager)")


# --------------------------------------------------------------------------- helpers


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def body_of(room: Mapping[str, Any]) -> BodyFacts:
    """The room's owning body as the policies see it (the record carries its organs)."""
    organs = tuple(room.get("organs_above") or (room.get("organ_id") or room["body_id"],))
    return BodyFacts(id=str(room["body_id"]), name=str(room.get("body_name") or ""),
                     organ_id=str(organs[0]), organs_above=tuple(str(o) for o in organs))


def _state_words(state: str) -> str:
    return R.STATE_WORDS.get(state, (state, state))[0]


# --------------------------------------------------------------------------- effects


def save_room(previous: Mapping[str, Any] | None, args: SaveRoomArgs, actor: ActorFacts,
              body: BodyFacts, now: dt.datetime) -> dict[str, Any]:
    """The new ``meetings.room`` record. ``body`` is the facts of ``args.body_id``."""
    policy.require(policy.may_manage(actor, body), "meetings.not_room_manager", body=body.name)
    if previous is not None and previous.get("body_id") != args.body_id:
        policy.require(policy.may_manage(actor, body_of(previous)), "meetings.not_room_manager",
                       body=str(previous.get("body_name") or previous.get("body_id")))
    if dt.time.fromisoformat(args.open_from) >= dt.time.fromisoformat(args.open_to) \
            and args.open_to != "00:00":
        raise ValidationFailed("meetings.bad_interval", reason="开放时间须早于关闭时间",
                               reason_en="opening must come before closing")
    room = R.Room(
        id=args.room_id, body_id=args.body_id, name=args.name.strip(),
        building=args.building.strip(), floor=args.floor.strip(), capacity=args.capacity,
        equipment=frozenset(args.equipment), needs_approval=args.needs_approval,
        approvers=frozenset(args.approvers), open_from=dt.time.fromisoformat(args.open_from),
        open_to=dt.time.fromisoformat(args.open_to), days_ahead=args.days_ahead,
        release_after_minutes=args.release_after_minutes,
        closed_reason=args.closed_reason.strip(), photo_sha256=args.photo_sha256,
    )
    return {**room.to_dict(), "body_name": body.name, "organ_id": body.organ_id,
            "organs_above": list(body.organs_above), "updated_at": iso(now)}


def book_room(room: Mapping[str, Any] | None, existing: Mapping[str, Any] | None,
              bookings: Iterable[Mapping[str, Any]], args: BookRoomArgs, actor: ActorFacts,
              actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The new ``meetings.booking`` record as the server accepts it (``confirmed`` or
    ``held``). ``bookings``: the room's other bookings that may overlap. Raises the
    refusal naming the holder when one of them blocks the slot."""
    if room is None:
        raise NotFound("meetings.room_not_found", room_id=args.room_id)
    if existing is not None:
        raise ValidationFailed("meetings.booking_exists", booking_id=args.booking_id)
    facts = R.Room.from_dict(room)
    body = body_of(room)
    policy.require(policy.may_book(actor, body), "meetings.not_member", room=facts.name,
                   body=body.name)
    start, end = R.parse_time(args.start), R.parse_time(args.end)
    R.check_interval(facts, start, end, now, people=args.people)
    hit = R.first_conflict(facts, start, end, [R.Slot.from_dict(b) for b in bookings])
    if hit is not None:
        raise R.refuse_conflict(facts, hit)
    state = R.initial_state(facts)
    return {
        "id": args.booking_id, "room_id": facts.id, "room_name": facts.name,
        "body_id": facts.body_id, "start": iso(start), "end": iso(end),
        "subject": args.subject.strip(), "people": args.people, "state": state,
        "state_words": _state_words(state), "holder_id": actor.person_id,
        "holder_name": actor_name, "decided_by": "", "decided_by_name": "", "decided_at": None,
        "note": "", "created_at": iso(now), "updated_at": iso(now),
    }


def decide_booking(booking: Mapping[str, Any] | None, room: Mapping[str, Any],
                   args: DecideBookingArgs, actor: ActorFacts, actor_name: str,
                   now: dt.datetime) -> dict[str, Any]:
    """The booking after an approver's decision. Only a ``held`` booking is decided."""
    if booking is None:
        raise NotFound("meetings.booking_not_found", booking_id=args.booking_id)
    facts = R.Room.from_dict(room)
    policy.require(policy.may_decide(actor, body_of(room), facts.approvers),
                   "meetings.not_approver", room=facts.name)
    state = str(booking.get("state") or "")
    R.check_not_final(state, ("审批", "decided"))
    if state != R.HELD:
        raise Conflict("meetings.already_decided", name=str(booking.get("decided_by_name") or ""))
    new = copy.deepcopy(dict(booking))
    new["state"] = R.CONFIRMED if args.approve else R.REJECTED
    new.update(state_words=_state_words(new["state"]), decided_by=actor.person_id,
               decided_by_name=actor_name, decided_at=iso(now), note=args.note.strip(),
               updated_at=iso(now))
    return new


def cancel_booking(booking: Mapping[str, Any] | None, room: Mapping[str, Any],
                   args: CancelBookingArgs, actor: ActorFacts, now: dt.datetime) -> dict[str, Any]:
    """The booking cancelled: its slot is free again."""
    if booking is None:
        raise NotFound("meetings.booking_not_found", booking_id=args.booking_id)
    policy.require(policy.may_cancel(actor, body_of(room), str(booking.get("holder_id") or "")),
                   "meetings.not_applicant")
    R.check_not_final(str(booking.get("state") or ""), ("取消", "cancelled"))
    new = copy.deepcopy(dict(booking))
    new.update(state=R.CANCELLED, state_words=_state_words(R.CANCELLED),
               note=args.reason.strip(), updated_at=iso(now))
    return new
