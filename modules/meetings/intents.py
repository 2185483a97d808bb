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

Meetings and replies (会议, 回执): see the section "meetings" below (save_meeting,
publish_meeting, cancel_meeting, close_meeting online; reply and nominate offline).

Each effect is a pure function of (state, args, actor, clock); the client's appliers
(``modules.meetings.service``) and the server's handlers (``server.meetings.mutations``)
both call it. Records are the feed shapes ``meetings.room``, ``meetings.booking``,
``meetings.meeting``, ``meetings.reply`` and ``meetings.nomination``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from modules.common.intents import IntentArgs, define
from modules.common.text import MANY_LINES, ONE_LINE
from modules.meetings import agenda as A
from modules.meetings import checkin as C
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import rules as R
from modules.meetings import seating as S
from modules.meetings.chase import ChaseArgs
from modules.meetings.recurrence import RuleArgs

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
    """The booking after an approver's decision. Only a ``held`` booking whose start has
    not come is decided."""
    if booking is None:
        raise NotFound("meetings.booking_not_found", booking_id=args.booking_id)
    facts = R.Room.from_dict(room)
    policy.require(policy.may_decide(actor, body_of(room), facts.approvers),
                   "meetings.not_approver", room=facts.name)
    state = str(booking.get("state") or "")
    R.check_not_final(R.EXPIRED if R.hold_expired(booking, now) else state, ("审批", "decided"))
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


# =========================================================================== meetings (会议)
#
# - ``meetings.save_meeting`` (online): create or edit a meeting — its organisers only. A
#   draft changes freely; a published meeting changes only with a ``change_note``: the
#   SEQUENCE rises, the change is recorded (what, by whom, which fields) and everyone is
#   told again. Names are the directory's (the server looks them up).
# - ``meetings.publish_meeting`` (online): draft → published, the 会议通知 goes out.
# - ``meetings.cancel_meeting`` (online): cancelled with a reason, everyone told.
# - ``meetings.close_meeting`` (online): a held meeting is closed; replies stop.
# - ``meetings.reply`` (offline): an invited person's 回执 — attend, decline (请假, with
#   a reason) or send a substitute (代会) chosen from the directory.
# - ``meetings.nominate`` (offline): an invited body's registry clerk or leader names
#   its attendees (the server also checks they are people of that body).
#
# Records: ``meetings.meeting``, ``meetings.reply`` (id ``<meeting>:<person>``) and
# ``meetings.nomination`` (id ``<meeting>:<body>``); rules in modules.meetings.meeting.

MEETING, REPLY, NOMINATION = M.MEETING, M.REPLY, M.NOMINATION
MEETING_ID = r"^mt-[0-9a-z-]{4,24}$"
PersonId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z_.-]+$")]
OptionalPersonId = Annotated[str, Field(max_length=40, pattern=r"^[0-9A-Za-z_.-]*$")]


class SaveMeetingArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    subject: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    kind: Annotated[str, Field(min_length=1, max_length=20), ONE_LINE]
    host_body_id: str = Field(min_length=1, max_length=40)
    chair_id: OptionalPersonId = ""
    start: AwareDatetime
    end: AwareDatetime
    booking_id: str = Field(default="", pattern=r"^(mb-[0-9a-z-]{4,36})?$")
    place: Annotated[str, Field(max_length=200), ONE_LINE] = ""
    video_url: str = Field(default="", max_length=500, pattern=r"^(https?://\S+)?$")
    invitees: list[PersonId] = Field(default_factory=list, max_length=300)
    bodies: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=100)
    observers: list[PersonId] = Field(default_factory=list, max_length=100)
    staff: list[PersonId] = Field(default_factory=list, max_length=50)
    reply_by: AwareDatetime | None = None
    contact_id: OptionalPersonId = ""
    contact_phone: Annotated[str, Field(max_length=40), ONE_LINE] = ""
    notes: Annotated[str, Field(max_length=2000), MANY_LINES] = ""
    #: Required once the meeting is published: what changes, in words for everyone.
    change_note: Annotated[str, Field(max_length=300), ONE_LINE] = ""
    #: Check-in (签到) opens this long before the start and closes this long after the
    #: end (operational: changing it re-notifies nobody).
    checkin_before_minutes: int = Field(default=C.DEFAULT_BEFORE, ge=0, le=240)
    checkin_after_minutes: int = Field(default=C.DEFAULT_AFTER, ge=0, le=240)


class MeetingArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)


class CancelMeetingArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    reason: Annotated[str, Field(min_length=1, max_length=300), ONE_LINE]


class ReplyArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    answer: Literal["attend", "decline", "substitute"]
    reason: Annotated[str, Field(max_length=300), ONE_LINE] = ""
    substitute_id: OptionalPersonId = ""


class NominateArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    body_id: str = Field(min_length=1, max_length=40)
    nominees: list[PersonId] = Field(min_length=1, max_length=50)
    note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


SAVE_MEETING = define("meetings.save_meeting", SaveMeetingArgs, offline=False,
                      summary="Create or edit a meeting; a published one changes only with a "
                              "change note that re-notifies everyone")
PUBLISH_MEETING = define("meetings.publish_meeting", MeetingArgs, offline=False,
                         summary="Publish a draft meeting (会议通知 to everyone invited)")
CANCEL_MEETING = define("meetings.cancel_meeting", CancelMeetingArgs, offline=False,
                        summary="Cancel a meeting with a reason")
CLOSE_MEETING = define("meetings.close_meeting", MeetingArgs, offline=False,
                       summary="Close a meeting that has been held; replies stop")
REPLY_MEETING = define("meetings.reply", ReplyArgs, offline=True,
                       summary="Reply to a meeting (回执): attend, decline with a reason, or "
                               "send a substitute")
NOMINATE = define("meetings.nominate", NominateArgs, offline=True,
                  summary="Name an invited body's attendees (its registry clerk or leader)")
# Chasing the 回执 (rules and Args in modules.meetings.chase): online, the server sends.
CHASE_REPLIES = define("meetings.chase_replies", ChaseArgs, offline=False,
                       summary="Remind everyone who has not replied to a meeting, and the "
                               "bodies yet to name attendees (once per person per interval)")

# The agenda (议题) and proposed topics (申报议题): rules, Args and effects in
# modules.meetings.agenda. Agenda changes are online (organisers only; after publishing a
# notified update); a unit proposes a topic offline; the organiser accepts or declines it.
SAVE_AGENDA_ITEM = define("meetings.save_agenda_item", A.SaveAgendaItemArgs, offline=False,
                          summary="Add or change an agenda item (议题) of a meeting: title, "
                                  "presenter, time slot, item attendees, materials")
REMOVE_AGENDA_ITEM = define("meetings.remove_agenda_item", A.RemoveAgendaItemArgs,
                            offline=False, summary="Remove an agenda item from a meeting")
ORDER_AGENDA = define("meetings.order_agenda", A.OrderAgendaArgs, offline=False,
                      summary="Put a meeting's agenda items in a new order")
PROPOSE_TOPIC = define("meetings.propose_topic", A.ProposeTopicArgs, offline=True,
                       summary="Propose a topic for a meeting's agenda (申报议题): an invited "
                               "body's clerk or leader, or a person of the host body")
DECIDE_TOPIC = define("meetings.decide_topic", A.DecideTopicArgs, offline=False,
                      summary="Accept a proposed topic onto the agenda, or decline it with "
                              "a reason (organisers)")
TOPIC = A.TOPIC


def host_of(meeting: Mapping[str, Any]) -> BodyFacts:
    """The meeting's host body as the policies see it (the record carries its organs)."""
    organs = tuple(str(o) for o in meeting.get("host_organs_above") or (meeting["host_body_id"],))
    return BodyFacts(id=str(meeting["host_body_id"]), name=str(meeting.get("host_body_name") or ""),
                     organ_id=organs[0], organs_above=organs)


def _people(ids: Iterable[str], names: Mapping[str, str], code: str = "meetings.unknown_person"
            ) -> list[dict[str, str]]:
    """``[{"id", "name"}]`` for ids (duplicates dropped, order kept); unknown ids refused."""
    out: list[dict[str, str]] = []
    for i in dict.fromkeys(ids):
        name = names.get(i)
        if not name:
            raise ValidationFailed(code, id=i)
        out.append({"id": i, "name": name})
    return out


def _meeting_words(meeting: dict[str, Any]) -> dict[str, Any]:
    meeting["state_words"] = M.STATE_WORDS[meeting["state"]][0]
    return meeting


def _require_organiser(actor: ActorFacts, host: BodyFacts) -> None:
    policy.require(policy.may_organise(actor, host), "meetings.not_organiser", body=host.name)


def _found(meeting: Mapping[str, Any] | None, meeting_id: str) -> Mapping[str, Any]:
    if meeting is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=meeting_id)
    return meeting


def save_meeting(previous: Mapping[str, Any] | None, args: SaveMeetingArgs, actor: ActorFacts,
                 actor_name: str, host: BodyFacts, names: Mapping[str, str],
                 body_names: Mapping[str, str], booking: Mapping[str, Any] | None,
                 now: dt.datetime, kinds: Sequence[str] = M.MEETING_KINDS) -> dict[str, Any]:
    """The new ``meetings.meeting`` record. ``host``: facts of ``args.host_body_id``;
    ``names`` / ``body_names``: directory names of the people and bodies named;
    ``booking``: the ``meetings.booking`` record of ``args.booking_id``; ``kinds``: the
    deployment's meeting types."""
    _require_organiser(actor, host)
    if previous is not None:
        _require_organiser(actor, host_of(previous))
        M.check_state(previous, (M.DRAFT, M.PUBLISHED), ("修改", "changed"))
    M.check_kind(args.kind, kinds)
    start, end = R.parse_time(args.start), R.parse_time(args.end)
    reply_by = R.parse_time(args.reply_by) if args.reply_by else None
    M.check_times(start, end, reply_by)
    room_id = room_name = ""
    if args.booking_id:
        if booking is None:
            raise NotFound("meetings.booking_not_found", booking_id=args.booking_id)
        M.check_booking(booking, start, end)
        room_id, room_name = str(booking["room_id"]), str(booking.get("room_name") or "")
    bodies = []
    for body_id in dict.fromkeys(args.bodies):
        if not body_names.get(body_id):
            raise ValidationFailed("meetings.unknown_body", id=body_id)
        bodies.append({"id": body_id, "name": body_names[body_id]})
    single = _people([p for p in (args.chair_id, args.contact_id) if p], names)
    one = {p["id"]: p["name"] for p in single}
    fields: dict[str, Any] = {
        "subject": args.subject.strip(), "kind": args.kind, "host_body_id": host.id,
        "host_body_name": host.name, "host_organ_id": host.organ_id,
        "host_organs_above": list(host.organs_above), "chair_id": args.chair_id,
        "chair_name": one.get(args.chair_id, ""), "start": iso(start), "end": iso(end),
        "booking_id": args.booking_id, "room_id": room_id, "room_name": room_name,
        "place": args.place.strip(), "video_url": args.video_url,
        "invitees": _people(args.invitees, names), "bodies": bodies,
        "observers": _people(args.observers, names), "staff": _people(args.staff, names),
        "reply_by": iso(reply_by) if reply_by else None, "contact_id": args.contact_id,
        "contact_name": one.get(args.contact_id, ""), "contact_phone": args.contact_phone.strip(),
        "notes": args.notes.strip(),
        "checkin_before_minutes": args.checkin_before_minutes,
        "checkin_after_minutes": args.checkin_after_minutes,
    }
    if previous is None or previous.get("state") == M.DRAFT:
        return _meeting_words({
            **{k: v for k, v in (previous or {}).items() if k in SERIES_KEYS},
            **fields, "id": args.meeting_id, "state": M.DRAFT, "sequence": 0, "changes": [],
            "cancel_reason": "",
            "organiser_id": (previous or {}).get("organiser_id") or actor.person_id,
            "organiser_name": (previous or {}).get("organiser_name") or actor_name,
            "published_at": None,
            "created_at": (previous or {}).get("created_at") or iso(now), "updated_at": iso(now),
            # the agenda (议题) stays, its slots moving with the meeting
            **({"agenda": A.carried(previous, fields)} if (previous or {}).get("agenda") else {}),
        })
    changed = M.changed_fields(previous, fields)
    if not changed:
        same = copy.deepcopy(dict(previous))
        window = {k: fields[k] for k in ("checkin_before_minutes", "checkin_after_minutes")}
        if any(same.get(k) != v for k, v in window.items()):
            same.update(window, updated_at=iso(now))
        return same
    if not args.change_note.strip():
        raise ValidationFailed("meetings.change_note_required")
    new = {**copy.deepcopy(dict(previous)), **fields}
    if previous.get("agenda"):
        new["agenda"] = A.carried(previous, new)
    new["sequence"] = int(previous.get("sequence") or 0) + 1
    new["changes"] = [*new.get("changes", []), {
        "sequence": new["sequence"], "at": iso(now), "by_id": actor.person_id,
        "by_name": actor_name, "note": args.change_note.strip(), "fields": changed,
        "words": M.change_words(changed)}]
    new["updated_at"] = iso(now)
    return _meeting_words(new)


def publish_meeting(meeting: Mapping[str, Any] | None, args: MeetingArgs, actor: ActorFacts,
                    booking: Mapping[str, Any] | None, now: dt.datetime) -> dict[str, Any]:
    """The draft published (its room booking, if any, must still hold the room)."""
    found = _found(meeting, args.meeting_id)
    _require_organiser(actor, host_of(found))
    M.check_state(found, (M.DRAFT,), ("发布", "published"))
    M.check_ready(found, now)
    if found.get("booking_id"):
        if booking is None:
            raise NotFound("meetings.booking_not_found", booking_id=str(found["booking_id"]))
        M.check_booking(booking, R.parse_time(found["start"]), R.parse_time(found["end"]))
    new = copy.deepcopy(dict(found))
    new.update(state=M.PUBLISHED, sequence=0, published_at=iso(now), updated_at=iso(now))
    return _meeting_words(new)


def cancel_meeting(meeting: Mapping[str, Any] | None, args: CancelMeetingArgs, actor: ActorFacts,
                   actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The meeting cancelled with its reason; a published one raises its SEQUENCE."""
    found = _found(meeting, args.meeting_id)
    _require_organiser(actor, host_of(found))
    M.check_state(found, (M.DRAFT, M.PUBLISHED), ("取消", "cancelled"))
    reason = args.reason.strip()
    if not reason:
        raise ValidationFailed("meetings.reason_required", what="取消原因", what_en="a reason")
    new = copy.deepcopy(dict(found))
    if found.get("state") == M.PUBLISHED:
        new["sequence"] = int(found.get("sequence") or 0) + 1
        new["changes"] = [*new.get("changes", []), {
            "sequence": new["sequence"], "at": iso(now), "by_id": actor.person_id,
            "by_name": actor_name, "note": reason, "fields": ["state"], "words": "取消会议"}]
    new.update(state=M.CANCELLED, cancel_reason=reason, updated_at=iso(now))
    return _meeting_words(new)


def close_meeting(meeting: Mapping[str, Any] | None, args: MeetingArgs, actor: ActorFacts,
                  now: dt.datetime) -> dict[str, Any]:
    """A held meeting closed (only once it has started)."""
    found = _found(meeting, args.meeting_id)
    _require_organiser(actor, host_of(found))
    M.check_state(found, (M.PUBLISHED,), ("结束", "closed"))
    if now < R.parse_time(found["start"]):
        raise ValidationFailed("meetings.bad_meeting_time", reason="会议尚未开始",
                               reason_en="it has not started yet")
    new = copy.deepcopy(dict(found))
    new.update(state=M.CLOSED, updated_at=iso(now))
    return _meeting_words(new)


def reply(meeting: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
          nominations: Iterable[Mapping[str, Any]], replies: Iterable[Mapping[str, Any]],
          args: ReplyArgs, actor: ActorFacts, substitute_name: str,
          now: dt.datetime) -> dict[str, Any]:
    """The replier's ``meetings.reply`` record (it replaces an earlier one).
    ``substitute_name``: the directory's name of ``args.substitute_id``."""
    found = _found(meeting, args.meeting_id)
    invited = M.invitations(found, nominations, replies)
    me = M.check_reply(found, invited, actor.person_id, args.answer, args.reason,
                       args.substitute_id)
    substitute = args.answer == M.SUBSTITUTE
    if substitute and not substitute_name:
        raise ValidationFailed("meetings.unknown_person", id=args.substitute_id)
    return {
        "id": M.reply_id(found["id"], actor.person_id), "meeting_id": found["id"],
        "person_id": actor.person_id, "person_name": me.name, "role": me.role,
        "role_words": M.ROLE_WORDS[me.role][0], "answer": args.answer,
        "answer_words": M.ANSWER_WORDS[args.answer][0], "reason": args.reason.strip(),
        "substitute_id": args.substitute_id if substitute else "",
        "substitute_name": substitute_name if substitute else "",
        "on_behalf_of_id": me.on_behalf_of_id, "on_behalf_of_name": me.on_behalf_of_name,
        "via_body_id": me.via_body_id, "sequence": int(found.get("sequence") or 0),
        "late": M.is_late(found, now), "answered_at": iso(now),
        "created_at": (previous or {}).get("created_at") or iso(now), "updated_at": iso(now),
    }


def nominate(meeting: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
             args: NominateArgs, actor: ActorFacts, actor_name: str, names: Mapping[str, str],
             now: dt.datetime, members: Mapping[str, ActorFacts] | None = None) -> dict[str, Any]:
    """The body's ``meetings.nomination`` record: its attendees (replacing earlier ones).

    ``members``: person id -> that nominee's posts; a nominee whose posts are known and
    lie outside the body is refused. The server knows everyone's; the client passes
    those its directory cache holds (the server checks the rest)."""
    found = _found(meeting, args.meeting_id)
    body = next((b for b in found.get("bodies") or () if b["id"] == args.body_id), None)
    if body is None:
        raise ValidationFailed("meetings.body_not_invited", body=args.body_id,
                               subject=str(found.get("subject") or ""))
    policy.require(policy.may_nominate(actor, args.body_id), "meetings.not_nominator",
                   body=body["name"])
    M.check_state(found, (M.PUBLISHED,), ("确定参会人员", "nominated for"))
    nominees = _people(args.nominees, names)
    for person in nominees:
        posts = (members or {}).get(person["id"])
        if posts is not None and not any(
                p.body_id == args.body_id or p.organ_id == args.body_id for p in posts.posts):
            raise ValidationFailed("meetings.nominee_not_member", name=person["name"],
                                   body=body["name"])
    return {
        "id": M.nomination_id(found["id"], args.body_id), "meeting_id": found["id"],
        "body_id": args.body_id, "body_name": body["name"],
        "nominees": nominees, "note": args.note.strip(),
        "by_id": actor.person_id, "by_name": actor_name, "at": iso(now),
        "created_at": (previous or {}).get("created_at") or iso(now), "updated_at": iso(now),
    }


# =========================================================================== check-in (签到)
#
# - ``meetings.check_in`` (offline): an invited person scanned the organiser's rotating
#   QR code (``OACHK1:…``, modules.meetings.checkin). Their device checks the meeting and
#   the time; the server also verifies the signature.
# - ``meetings.check_in_by_hand`` (offline): an organiser or 工作人员 checks someone in at
#   their device — from the person's own code (``OAPSN1:…``, verified on the device with
#   the meeting's key, offline too), a person from the directory, or by name for someone
#   without an account.
#
# Record ``meetings.checkin`` (id ``<meeting>:<person or guest key>``): one per
# (meeting, person); the earliest scan wins, so replays and re-syncs change nothing.

CHECKIN, CHECKIN_KEY, CHECKIN_PASS = C.CHECKIN, C.KEY, C.PASS
DeviceId = Annotated[str, Field(max_length=64, pattern=r"^[0-9A-Za-z_.:-]*$")]


class CheckInArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    token: str = Field(min_length=1, max_length=120, pattern=r"^[0-9A-Za-z:;=_.-]+$")
    scanned_at: AwareDatetime
    device_id: DeviceId = ""


class CheckInByHandArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    #: exactly one of: the person's code, a directory person, a name (no account)
    code: str = Field(default="", max_length=120, pattern=r"^[0-9A-Za-z:;=_.-]*$")
    person_id: OptionalPersonId = ""
    name: Annotated[str, Field(max_length=60), ONE_LINE] = ""
    note: Annotated[str, Field(max_length=200), ONE_LINE] = ""
    scanned_at: AwareDatetime
    device_id: DeviceId = ""


CHECK_IN = define("meetings.check_in", CheckInArgs, offline=True,
                  summary="Check in to a meeting by scanning its rotating signed QR code")
CHECK_IN_BY_HAND = define("meetings.check_in_by_hand", CheckInByHandArgs, offline=True,
                          summary="Check someone in (organisers and staff): their personal code, "
                                  "a person from the directory, or a name without an account")


def may_run_checkin(actor: ActorFacts, meeting: Mapping[str, Any]) -> bool:
    """Organisers of the meeting and its 工作人员 run the check-in."""
    return (policy.may_organise(actor, host_of(meeting))
            or actor.person_id in {p["id"] for p in meeting.get("staff") or ()})


def _checkin_record(meeting: Mapping[str, Any], person_key: str, person_id: str, name: str,
                    role: str, method: str, scanned_at: dt.datetime, device_id: str,
                    actor: ActorFacts, actor_name: str, note: str,
                    now: dt.datetime) -> dict[str, Any]:
    return {
        "id": C.checkin_id(str(meeting["id"]), person_key), "meeting_id": meeting["id"],
        "person_key": person_key, "person_id": person_id, "name": name, "role": role,
        "method": method, "method_words": C.METHOD_WORDS[method][0],
        "checked_at": iso(scanned_at), "received_at": iso(now), "device_id": device_id,
        "offline": now - scanned_at > C.LATE_SYNC,
        "late": scanned_at > R.parse_time(meeting["start"]),
        "by_id": actor.person_id, "by_name": actor_name, "note": note,
    }


def check_in(meeting: Mapping[str, Any] | None, previous_of: Callable[[str], Mapping[str, Any] | None],
             invited: Mapping[str, M.Invitation], secret: str | None, args: CheckInArgs,
             actor: ActorFacts, actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The actor's ``meetings.checkin`` (the stored one if it is earlier). ``secret``:
    the meeting's check-in key (None on an attendee's device: the server verifies);
    ``previous_of(id)``: the stored check-in of that id."""
    found = _found(meeting, args.meeting_id)
    me = invited.get(actor.person_id)
    if me is None:
        raise PermissionDenied("meetings.not_invited", subject=str(found.get("subject") or ""))
    scanned_at = R.parse_time(args.scanned_at)
    C.verify_token(secret, found, args.token, scanned_at)
    C.check_time(found, scanned_at, now)
    new = _checkin_record(found, me.person_id, me.person_id, me.name, me.role, C.TOKEN,
                          scanned_at, args.device_id, actor, actor_name, "", now)
    return C.earliest(previous_of(new["id"]), new)


def check_in_by_hand(meeting: Mapping[str, Any] | None,
                     previous_of: Callable[[str], Mapping[str, Any] | None],
                     invited: Mapping[str, M.Invitation], secret: str | None,
                     args: CheckInByHandArgs, actor: ActorFacts, actor_name: str,
                     names: Mapping[str, str], now: dt.datetime) -> dict[str, Any]:
    """The ``meetings.checkin`` an organiser or staff member makes for someone.
    ``names``: directory names (of ``args.person_id``, or of the code's person)."""
    found = _found(meeting, args.meeting_id)
    C.require_staff(may_run_checkin(actor, found))
    given = [bool(args.code), bool(args.person_id), bool(args.name.strip())]
    if sum(given) != 1:
        raise ValidationFailed("meetings.checkin_who")
    scanned_at = R.parse_time(args.scanned_at)
    method = C.CODE if args.code else C.HAND
    if args.name.strip():
        name = args.name.strip()
        key, person_id, role = C.guest_key(name), "", ""
    else:
        person_id = C.verify_pass(secret, found, args.code) if args.code else args.person_id
        inv = invited.get(person_id)
        name = inv.name if inv is not None else names.get(person_id, "")
        if not name:
            raise ValidationFailed("meetings.unknown_person", id=person_id)
        key, role = person_id, inv.role if inv is not None else ""
    C.check_time(found, scanned_at, now)
    new = _checkin_record(found, key, person_id, name, role, method, scanned_at, args.device_id,
                          actor, actor_name, args.note.strip(), now)
    return C.earliest(previous_of(new["id"]), new)


# =========================================================================== seating (座次)
#
# - ``meetings.save_seating`` (online): the organiser's seat plan of a meeting — its
#   layout, who sits where, the explicit rank order and the guest side. The rules, the
#   argument model and the effect are in modules.meetings.seating; record
#   ``meetings.seating`` (id: the meeting's id) reaches the organisers and 工作人员.

SEATING = S.SEATING
SAVE_SEATING = define("meetings.save_seating", S.SaveSeatingArgs, offline=False,
                      summary="Save a meeting's seat plan (座次): layout, who sits where, the "
                              "rank order (organisers only)")


# =========================================================================== series (例会)
#
# - ``meetings.create_series`` (online): a recurring meeting (modules.meetings.recurrence):
#   every occurrence is stored as its own meeting (``series_id``, ``occurrence``,
#   ``original_date``) and, with a room, books it occurrence by occurrence in one
#   transaction. Conflicts are reported per occurrence (the date, who holds the room,
#   until when): the whole series is refused with the list, unless ``skip_conflicts``
#   says to create it without those occurrences.
# - ``meetings.update_series`` (online): change "this one / this and the following /
#   all" (``scope``) from one occurrence; each changed occurrence keeps its id, a
#   published one raises its SEQUENCE and re-notifies (change note required).
# - ``meetings.cancel_series`` (online): cancel with the same scopes; rooms freed.
#
# Effects: modules.meetings.series; server: server/meetings/series.py.

SERIES_ID = r"^ms-[0-9a-z]{8,16}$"
#: Keys an occurrence carries from its series (kept through every edit).
SERIES_KEYS = ("series_id", "occurrence", "original_date", "provisional", "series_rule",
               "series_words")
Scope = Literal["this", "following", "all"]


class CreateSeriesArgs(IntentArgs):
    series_id: str = Field(pattern=SERIES_ID)
    subject: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    kind: Annotated[str, Field(min_length=1, max_length=20), ONE_LINE]
    host_body_id: str = Field(min_length=1, max_length=40)
    chair_id: OptionalPersonId = ""
    #: The first meeting (its China time of day and length hold for every occurrence).
    start: AwareDatetime
    end: AwareDatetime
    rule: RuleArgs
    #: Book this room for every occurrence ("" = no room: a place or a video link).
    room_id: str = Field(default="", pattern=r"^(mr-[0-9a-z-]{4,36})?$")
    people: int = Field(default=0, ge=0, le=5000)
    place: Annotated[str, Field(max_length=200), ONE_LINE] = ""
    video_url: str = Field(default="", max_length=500, pattern=r"^(https?://\S+)?$")
    invitees: list[PersonId] = Field(default_factory=list, max_length=300)
    bodies: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list, max_length=100)
    observers: list[PersonId] = Field(default_factory=list, max_length=100)
    staff: list[PersonId] = Field(default_factory=list, max_length=50)
    #: The first meeting's 回执 deadline; every occurrence's is as long before its start.
    reply_by: AwareDatetime | None = None
    contact_id: OptionalPersonId = ""
    contact_phone: Annotated[str, Field(max_length=40), ONE_LINE] = ""
    notes: Annotated[str, Field(max_length=2000), MANY_LINES] = ""
    checkin_before_minutes: int = Field(default=C.DEFAULT_BEFORE, ge=0, le=240)
    checkin_after_minutes: int = Field(default=C.DEFAULT_AFTER, ge=0, le=240)
    #: Create the series without the occurrences whose room is taken (they are listed).
    skip_conflicts: bool = False
    #: Publish every occurrence at once (the 会议通知 goes out for each).
    publish: bool = False


class UpdateSeriesArgs(SaveMeetingArgs):
    """The chosen occurrence's new fields (as ``meetings.save_meeting``) and how far the
    change reaches. For "following" and "all" the date stays (each occurrence keeps its
    day; the new time of day and length apply to each) and the room stays."""

    scope: Scope


class CancelSeriesArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    scope: Scope
    reason: Annotated[str, Field(min_length=1, max_length=300), ONE_LINE]


CREATE_SERIES = define("meetings.create_series", CreateSeriesArgs, offline=False,
                       summary="Create a recurring meeting (例会): every occurrence stored and its "
                               "room booked one by one; conflicts reported per occurrence")
UPDATE_SERIES = define("meetings.update_series", UpdateSeriesArgs, offline=False,
                       summary="Change one occurrence of a series, it and the following ones, "
                               "or all; published ones are re-notified")
CANCEL_SERIES = define("meetings.cancel_series", CancelSeriesArgs, offline=False,
                       summary="Cancel one occurrence of a series, it and the following ones, "
                               "or all, with a reason")


class PublishSeriesArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    scope: Scope


PUBLISH_SERIES = define("meetings.publish_series", PublishSeriesArgs, offline=False,
                        summary="Publish one draft occurrence of a series, it and the following "
                                "drafts, or all drafts (会议通知 for each)")


# =========================================================================== minutes (会议纪要)
#
# Args, effects and rules in modules.meetings.minutes (see its docstring); server
# handlers in server.meetings.minutes_mutations. All online: the server composes the
# minutes draft from its own replies and check-ins, and registers 督办 items.

from modules.meetings import minutes as MIN  # noqa: E402

START_MINUTES = define("meetings.start_minutes", MIN.StartMinutesArgs, offline=False,
                       summary="Start the 会议纪要 of a held meeting as a 纪要 draft in the "
                               "documents workflow, prefilled with attendance and agenda")
ADD_DECISION = define("meetings.add_decision", MIN.DecisionArgs, offline=False,
                      summary="Record a decision (议定事项) of a held meeting: what, lead unit, "
                              "co-units, deadline")
EDIT_DECISION = define("meetings.edit_decision", MIN.DecisionArgs, offline=False,
                       summary="Change a decision not yet sent to supervision")
REMOVE_DECISION = define("meetings.remove_decision", MIN.RemoveDecisionArgs, offline=False,
                         summary="Remove a decision not yet sent to supervision")
SEND_DECISION = define("meetings.send_decision", MIN.SendDecisionArgs, offline=False,
                       summary="Send a decision of issued minutes to supervision as a 督办 "
                               "item (once: sending again returns the same item)")


# =========================================================================== calendars (iCalendar)
#
# - ``meetings.create_feed_token`` / ``meetings.revoke_feed_token`` (online): a person's
#   secret subscription link (modules.meetings.feed_tokens; the server gets only the
#   token's hash).
# - ``meetings.import_calendar_reply`` (online): the organiser imports an attendee's
#   iCalendar REPLY; recorded as that person's 回执 by the reply rules
#   (modules.meetings.ical_import).

from modules.meetings.feed_tokens import CreateFeedTokenArgs, RevokeFeedTokenArgs  # noqa: E402
from modules.meetings.ical_import import ImportCalendarReplyArgs  # noqa: E402

CREATE_FEED_TOKEN = define("meetings.create_feed_token", CreateFeedTokenArgs, offline=False,
                           summary="Make one's calendar subscription link (only the token's "
                                   "SHA-256 is sent; an earlier link stops working)")
REVOKE_FEED_TOKEN = define("meetings.revoke_feed_token", RevokeFeedTokenArgs, offline=False,
                           summary="Revoke one's calendar subscription link (the feed answers 404)")
IMPORT_CALENDAR_REPLY = define("meetings.import_calendar_reply", ImportCalendarReplyArgs,
                               offline=False,
                               summary="Record an attendee's 回执 from their calendar app's "
                                       "iCalendar REPLY (the meeting's organisers)")
