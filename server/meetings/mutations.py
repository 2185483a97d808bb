"""Meeting intents applied on the server (``modules.meetings.intents``): the same pure
effects the client applied, on the server's locked current state."""

from __future__ import annotations

from typing import Any

from modules.common.errors import Conflict, ValidationFailed
from modules.meetings import checkin as C
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import rules as R
from modules.meetings.intents import (
    BookRoomArgs,
    CancelBookingArgs,
    CancelMeetingArgs,
    CheckInArgs,
    CheckInByHandArgs,
    DecideBookingArgs,
    MeetingArgs,
    NominateArgs,
    ReplyArgs,
    SaveMeetingArgs,
    SaveRoomArgs,
)
from server.access_facts import actor_facts, body_facts, person_facts
from server.meetings import storage
from server.meetings.models import Meeting
from server.mutations import MutationContext, mutation


@mutation(I.SAVE_ROOM)
def save_room(ctx: MutationContext, args: SaveRoomArgs) -> dict[str, Any]:
    previous = storage.room_record(ctx.session, args.room_id, lock=True)
    data = I.save_room(previous, args, actor_facts(ctx.session, ctx.principal),
                       body_facts(ctx.session, args.body_id), ctx.now)
    storage.put_room(ctx.session, data, ctx.now)
    return {"room_id": data["id"]}


@mutation(I.BOOK_ROOM)
def book_room(ctx: MutationContext, args: BookRoomArgs) -> dict[str, Any]:
    """A refusal because the room is taken also names the rooms of that organ free then
    (a booking made offline learns only here that it lost the slot)."""
    room = storage.room_record(ctx.session, args.room_id, lock=True)  # one booker at a time
    try:
        data = I.book_room(
            room, storage.booking_record(ctx.session, args.booking_id),
            storage.blocking_overlaps(ctx.session, args.room_id, args.start, args.end) if room else [],
            args, actor_facts(ctx.session, ctx.principal), ctx.principal.name, ctx.now)
        assert room is not None  # book_room refused a missing room
        storage.put_booking(ctx.session, data, room, ctx.now)
    except Conflict as refusal:
        if room is None:
            raise
        raise R.with_alternatives(refusal, storage.free_rooms_then(
            ctx.session, room, args.start, args.end, ctx.now, args.people)) from None
    return {"booking_id": data["id"], "state": data["state"]}


@mutation(I.DECIDE_BOOKING)
def decide_booking(ctx: MutationContext, args: DecideBookingArgs) -> dict[str, Any]:
    booking = storage.booking_record(ctx.session, args.booking_id, lock=True)
    room = storage.require_room(ctx.session, booking["room_id"]) if booking else {}
    data = I.decide_booking(booking, room, args, actor_facts(ctx.session, ctx.principal),
                            ctx.principal.name, ctx.now)
    storage.put_booking(ctx.session, data, room, ctx.now)
    return {"booking_id": data["id"], "state": data["state"]}


@mutation(I.CANCEL_BOOKING)
def cancel_booking(ctx: MutationContext, args: CancelBookingArgs) -> dict[str, Any]:
    booking = storage.booking_record(ctx.session, args.booking_id, lock=True)
    room = storage.require_room(ctx.session, booking["room_id"]) if booking else {}
    data = I.cancel_booking(booking, room, args, actor_facts(ctx.session, ctx.principal), ctx.now)
    storage.put_booking(ctx.session, data, room, ctx.now)
    return {"booking_id": data["id"], "state": data["state"]}


# --------------------------------------------------------------------------- meetings (会议)


def _locked_meeting(ctx: MutationContext, meeting_id: str) -> tuple[Meeting | None, dict[str, Any] | None]:
    row = storage.meeting_row(ctx.session, meeting_id, lock=True)
    return row, (dict(row.data) if row is not None else None)


@mutation(I.SAVE_MEETING)
def save_meeting(ctx: MutationContext, args: SaveMeetingArgs) -> dict[str, Any]:
    _, previous = _locked_meeting(ctx, args.meeting_id)
    people = [*args.invitees, *args.observers, *args.staff, args.chair_id, args.contact_id]
    data = I.save_meeting(
        previous, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
        body_facts(ctx.session, args.host_body_id), storage.person_names(ctx.session, people),
        storage.body_names(ctx.session, args.bodies),
        storage.booking_record(ctx.session, args.booking_id) if args.booking_id else None, ctx.now,
        storage.meeting_kinds(ctx.session))
    changed = previous is not None and data.get("sequence") != previous.get("sequence")
    if data != previous:
        storage.put_meeting(ctx.session, data, ctx.now, renotify=changed)
    return {"meeting_id": data["id"], "state": data["state"], "sequence": data["sequence"]}


@mutation(I.PUBLISH_MEETING)
def publish_meeting(ctx: MutationContext, args: MeetingArgs) -> dict[str, Any]:
    _, meeting = _locked_meeting(ctx, args.meeting_id)
    booking_id = str((meeting or {}).get("booking_id") or "")
    data = I.publish_meeting(meeting, args, actor_facts(ctx.session, ctx.principal),
                             storage.booking_record(ctx.session, booking_id) if booking_id else None,
                             ctx.now)
    storage.put_meeting(ctx.session, data, ctx.now, renotify=True)
    return {"meeting_id": data["id"], "state": data["state"], "sequence": data["sequence"]}


@mutation(I.CANCEL_MEETING)
def cancel_meeting(ctx: MutationContext, args: CancelMeetingArgs) -> dict[str, Any]:
    """Cancelled with its reason; the room booking is freed when the organiser may
    cancel it (a booking someone else holds and the organiser does not manage stays)."""
    _, meeting = _locked_meeting(ctx, args.meeting_id)
    actor = actor_facts(ctx.session, ctx.principal)
    data = I.cancel_meeting(meeting, args, actor, ctx.principal.name, ctx.now)
    storage.put_meeting(ctx.session, data, ctx.now)
    booking_id = str(data.get("booking_id") or "")
    booking = storage.booking_record(ctx.session, booking_id, lock=True) if booking_id else None
    if booking is not None and booking.get("state") in R.BLOCKING:
        room = storage.require_room(ctx.session, str(booking["room_id"]))
        if policy.may_cancel(actor, I.body_of(room), str(booking.get("holder_id") or "")):
            freed = I.cancel_booking(booking, room, I.CancelBookingArgs(
                booking_id=booking_id, reason=f"会议取消：{args.reason.strip()}"[:300]), actor, ctx.now)
            storage.put_booking(ctx.session, freed, room, ctx.now)
    return {"meeting_id": data["id"], "state": data["state"], "sequence": data["sequence"]}


@mutation(I.CLOSE_MEETING)
def close_meeting(ctx: MutationContext, args: MeetingArgs) -> dict[str, Any]:
    _, meeting = _locked_meeting(ctx, args.meeting_id)
    data = I.close_meeting(meeting, args, actor_facts(ctx.session, ctx.principal), ctx.now)
    storage.put_meeting(ctx.session, data, ctx.now)
    return {"meeting_id": data["id"], "state": data["state"]}


@mutation(I.REPLY_MEETING)
def reply(ctx: MutationContext, args: ReplyArgs) -> dict[str, Any]:
    row, meeting = _locked_meeting(ctx, args.meeting_id)  # one writer per meeting at a time
    me = ctx.principal.person_id
    names = storage.person_names(ctx.session, [args.substitute_id])
    data = I.reply(meeting, storage.reply_record(ctx.session, args.meeting_id, me),
                   storage.nominations_of(ctx.session, args.meeting_id) if row else [],
                   storage.replies_of(ctx.session, args.meeting_id) if row else [], args,
                   actor_facts(ctx.session, ctx.principal), names.get(args.substitute_id, ""),
                   ctx.now)
    assert row is not None  # reply refused a missing meeting
    storage.put_reply(ctx.session, data, row, ctx.now)
    return {"reply_id": data["id"], "answer": data["answer"]}


@mutation(I.NOMINATE)
def nominate(ctx: MutationContext, args: NominateArgs) -> dict[str, Any]:
    row, meeting = _locked_meeting(ctx, args.meeting_id)
    names = storage.person_names(ctx.session, args.nominees)
    data = I.nominate(meeting, storage.nomination_record(ctx.session, args.meeting_id, args.body_id),
                      args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                      names, ctx.now, {p: person_facts(ctx.session, p) for p in names})
    assert row is not None
    storage.put_nomination(ctx.session, data, row, ctx.now)
    return {"nomination_id": data["id"], "nominees": len(data["nominees"])}


# --------------------------------------------------------------------------- check-in (签到)


def _checkin_facts(ctx: MutationContext, meeting_id: str) -> tuple[dict[str, Any] | None,
                                                                  dict[str, Any], str | None]:
    """The meeting (its row locked: one check-in writer per meeting at a time), who is
    invited, and its check-in key."""
    row, meeting = _locked_meeting(ctx, meeting_id)
    if row is None or meeting is None:
        return None, {}, None
    invited = storage.invited_now(ctx.session, meeting)
    secret = storage.checkin_secret(ctx.session, meeting_id)
    if secret is None and meeting.get("state") != M.DRAFT:  # published before check-in existed
        storage.sync_checkin(ctx.session, row, invited, ctx.now)
        secret = storage.checkin_secret(ctx.session, meeting_id)
    return meeting, invited, secret


def _stored(ctx: MutationContext, data: dict[str, Any], meeting: dict[str, Any]) -> dict[str, Any]:
    written = storage.put_checkin(ctx.session, data, meeting)
    return {"checkin_id": data["id"], "checked_at": data["checked_at"], "new": written,
            "late": data["late"]}


@mutation(I.CHECK_IN)
def check_in(ctx: MutationContext, args: CheckInArgs) -> dict[str, Any]:
    """Verified with the server's clock and the meeting's key; a scan already counted
    (replayed, re-synced, or from another device) changes nothing."""
    meeting, invited, secret = _checkin_facts(ctx, args.meeting_id)
    if meeting is not None and secret is None:  # a draft: its state is refused in words
        M.check_state(meeting, (M.PUBLISHED, M.CLOSED), ("签到", "checked in to"))
        raise ValidationFailed("meetings.checkin_forged")
    data = I.check_in(meeting, lambda i: storage.checkin_record(ctx.session, i), invited, secret,
                      args, actor_facts(ctx.session, ctx.principal), ctx.principal.name, ctx.now)
    assert meeting is not None
    return _stored(ctx, data, meeting)


@mutation(I.CHECK_IN_BY_HAND)
def check_in_by_hand(ctx: MutationContext, args: CheckInByHandArgs) -> dict[str, Any]:
    meeting, invited, secret = _checkin_facts(ctx, args.meeting_id)
    if meeting is not None and secret is None:
        M.check_state(meeting, (M.PUBLISHED, M.CLOSED), ("签到", "checked in to"))
    wanted = C.pass_person(args.code) if args.code else args.person_id  # its name; verified below
    data = I.check_in_by_hand(
        meeting, lambda i: storage.checkin_record(ctx.session, i), invited, secret, args,
        actor_facts(ctx.session, ctx.principal), ctx.principal.name,
        storage.person_names(ctx.session, [wanted] if wanted else []), ctx.now)
    assert meeting is not None
    return _stored(ctx, data, meeting)


from server.meetings import (  # noqa: E402  (after the handlers above: they register on import)
    agenda_mutations,  # noqa: F401  (registers the agenda intents)
    calendar_mutations,  # noqa: F401  (registers the calendar intents)
    chase_mutations,  # noqa: F401  (registers chase_replies)
    minutes_mutations,  # noqa: F401  (registers the minutes intents)
    seating_mutations,  # noqa: F401  (registers save_seating)
    series,  # noqa: F401  (registers the series intents)
)
