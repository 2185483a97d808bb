"""Recurring series (例会) applied on the server: ``meetings.create_series``,
``meetings.update_series`` and ``meetings.cancel_series`` (modules.meetings.intents;
pure pieces in modules.meetings.series).

Each runs in the one transaction of its intent: a series is created whole or not at
all. With a room, the room's row is locked (one booker at a time, as for a single
booking), every occurrence is checked against the room's blocking bookings and its
rules, and every conflict is reported per occurrence; then each occurrence's booking is
written one by one through ``storage.put_booking``, so PostgreSQL's exclusion constraint
``ex_meetings_booking_no_overlap`` still refuses any overlap a concurrent writer made.
"""

from __future__ import annotations

from typing import Any

from modules.common import messages
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings import recurrence as RC
from modules.meetings import rules as R
from modules.meetings import series as S
from modules.meetings.intents import (
    BookRoomArgs,
    CancelMeetingArgs,
    CancelSeriesArgs,
    CreateSeriesArgs,
    MeetingArgs,
    PublishSeriesArgs,
    UpdateSeriesArgs,
)
from server.access_facts import actor_facts, body_facts
from server.calendar.storage import holiday_table
from server.meetings import series_storage, storage
from server.mutations import MutationContext, mutation

messages.register({
    "meetings.series_exists": {
        "zh_CN": "例会（{series_id}）已存在。",
        "en": "The series {series_id} already exists.",
    },
})


def _people(args: CreateSeriesArgs | UpdateSeriesArgs) -> list[str]:
    return [*args.invitees, *args.observers, *args.staff, args.chair_id, args.contact_id]


@mutation(I.CREATE_SERIES)
def create_series(ctx: MutationContext, args: CreateSeriesArgs) -> dict[str, Any]:
    s, now = ctx.session, ctx.now
    actor = actor_facts(s, ctx.principal)
    host = body_facts(s, args.host_body_id)
    policy.require(policy.may_organise(actor, host), "meetings.not_organiser", body=host.name)
    if series_storage.exists(s, args.series_id):
        raise ValidationFailed("meetings.series_exists", series_id=args.series_id)
    rule = RC.Rule.from_args(args.rule)
    expansion = S.plan(args, holiday_table(s))
    occurrences = expansion.occurrences
    room: dict[str, Any] | None = None
    problems: list[S.Problem] = []
    if args.room_id:
        room = storage.room_record(s, args.room_id, lock=True)  # one booker at a time
        if room is None:
            raise NotFound("meetings.room_not_found", room_id=args.room_id)
        facts = R.Room.from_dict(room)
        policy.require(policy.may_book(actor, I.body_of(room)), "meetings.not_member",
                       room=facts.name, body=I.body_of(room).name)
        held = S.SlotIndex(R.Slot.from_dict(b) for b in storage.blocking_overlaps(
            s, facts.id, occurrences[0].start, occurrences[-1].end))
        for occ in occurrences:
            found = S.problem(occ.index, occ.start, occ.end, facts, held, now, people=args.people)
            if found is not None:
                problems.append(found)
        if problems and (not args.skip_conflicts or len(problems) == len(occurrences)):
            raise S.refusal(problems, len(occurrences))
    left_out = {p.index for p in problems}
    names = storage.person_names(s, _people(args))
    body_names = storage.body_names(s, args.bodies)
    created = []
    for occ in occurrences:
        if occ.index in left_out:
            continue
        booking = None
        if room is not None:
            booking_id = S.booking_id(args.series_id, occ.index)
            # the room's row is locked and every occurrence was checked above; the
            # exclusion constraint (PostgreSQL) still refuses any overlap on insert
            booking = I.book_room(
                room, storage.booking_record(s, booking_id), [],
                BookRoomArgs(booking_id=booking_id, room_id=args.room_id, start=occ.start,
                             end=occ.end, subject=args.subject, people=args.people),
                actor, ctx.principal.name, now)
            try:
                storage.put_booking(s, booking, room, now)
            except Conflict as exc:  # the exclusion constraint: someone booked meanwhile
                raise S.refusal([S.Problem(occ.index, occ.day, occ.start, occ.end,
                                           str(room.get("name") or ""), code=exc.code,
                                           message=exc.message("zh_CN"),
                                           message_en=exc.message("en"))],
                                len(occurrences)) from None
        data = I.save_meeting(None, S.occurrence_args(args, occ, booking["id"] if booking else ""),
                              actor, ctx.principal.name, host, names, body_names, booking, now,
                              storage.meeting_kinds(ctx.session))
        data.update(S.series_fields(args.series_id, occ, rule))
        if args.publish:
            data = I.publish_meeting(data, MeetingArgs(meeting_id=data["id"]), actor, booking, now)
        storage.put_meeting(s, data, now, renotify=args.publish)
        created.append(data["id"])
    return {
        "series_id": args.series_id, "meetings": created,
        "left_out": [p.to_dict() for p in problems],
        "holidays": [{"date": k.original.isoformat(), "why": k.why,
                      "moved_to": k.merged_into.isoformat() if k.merged_into else None}
                     for k in expansion.skipped],
        "moved": [{"date": o.original.isoformat(), "to": o.day.isoformat()}
                  for o in occurrences if o.moved],
        "provisional_years": list(expansion.missing_years),
    }


def _chosen(ctx: MutationContext, meeting_id: str) -> dict[str, Any]:
    row = storage.meeting_row(ctx.session, meeting_id, lock=True)
    if row is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=meeting_id)
    data = dict(row.data)
    if not data.get("series_id"):
        raise ValidationFailed("meetings.not_in_series")
    return data


def _targets(ctx: MutationContext, chosen: dict[str, Any], scope: str) -> list[dict[str, Any]]:
    members = (series_storage.members(ctx.session, str(chosen["series_id"]), lock=True)
               if scope != S.THIS else [])
    return S.in_scope(chosen, members, scope, ctx.now)


@mutation(I.UPDATE_SERIES)
def update_series(ctx: MutationContext, args: UpdateSeriesArgs) -> dict[str, Any]:
    """Each occurrence reached is saved as ``meetings.save_meeting`` would save it (a
    published one needs the change note, raises its SEQUENCE and re-notifies). A room
    booking the organiser may move follows a new time (same booking, same room); when
    the room is taken then, the change is refused listing each such occurrence."""
    s, now = ctx.session, ctx.now
    chosen = _chosen(ctx, args.meeting_id)
    S.check_scope_change(args, chosen)
    actor = actor_facts(s, ctx.principal)
    host = body_facts(s, args.host_body_id)
    policy.require(policy.may_organise(actor, I.host_of(chosen)), "meetings.not_organiser",
                   body=str(chosen.get("host_body_name") or ""))
    targets = _targets(ctx, chosen, args.scope)
    problems: list[S.Problem] = []
    planned = []
    for target in targets:
        targs = S.target_args(args, chosen, target)
        booking = (storage.booking_record(s, targs.booking_id, lock=True)
                   if targs.booking_id else None)
        room: dict[str, Any] | None = None
        moved = False
        if booking is not None and targs.booking_id == target.get("booking_id") \
                and booking.get("state") in R.BLOCKING:
            start, end = R.parse_time(targs.start), R.parse_time(targs.end)
            b_start, b_end = R.parse_time(booking["start"]), R.parse_time(booking["end"])
            was_exact = (b_start, b_end) == (R.parse_time(target["start"]), R.parse_time(target["end"]))
            room = storage.require_room(s, str(booking["room_id"]), lock=True)
            if ((b_start > start or b_end < end) or (was_exact and (b_start, b_end) != (start, end))) \
                    and policy.may_cancel(actor, I.body_of(room), str(booking.get("holder_id") or "")):
                found = S.problem(
                    int(target.get("occurrence") or 0), start, end, R.Room.from_dict(room),
                    [R.Slot.from_dict(b) for b in storage.blocking_overlaps(
                        s, str(booking["room_id"]), start, end)],
                    now, people=int(booking.get("people") or 0), ignore=str(booking["id"]))
                if found is not None:
                    problems.append(found)
                    continue
                booking = {**booking, "start": I.iso(start), "end": I.iso(end),
                           "updated_at": I.iso(now)}
                moved = True
        planned.append((target, targs, booking, room, moved))
    if problems:
        raise S.refusal(problems, len(targets))
    names = storage.person_names(s, _people(args))
    body_names = storage.body_names(s, args.bodies)
    changed = []
    for target, targs, booking, room, moved in planned:
        if moved and booking is not None and room is not None:
            storage.put_booking(s, booking, room, now)
        data = I.save_meeting(target, targs, actor, ctx.principal.name, host, names, body_names,
                              booking, now, storage.meeting_kinds(s))
        if data != target:
            storage.put_meeting(s, data, now,
                                renotify=data.get("sequence") != target.get("sequence"))
            changed.append(data["id"])
    return {"series_id": chosen["series_id"], "scope": args.scope, "meetings": changed}


@mutation(I.CANCEL_SERIES)
def cancel_series(ctx: MutationContext, args: CancelSeriesArgs) -> dict[str, Any]:
    """Each occurrence reached is cancelled as ``meetings.cancel_meeting`` cancels one
    (published ones re-notified); the room bookings the organiser may cancel are freed."""
    s, now = ctx.session, ctx.now
    chosen = _chosen(ctx, args.meeting_id)
    actor = actor_facts(s, ctx.principal)
    cancelled = []
    for target in _targets(ctx, chosen, args.scope):
        data = I.cancel_meeting(target, CancelMeetingArgs(meeting_id=target["id"], reason=args.reason),
                                actor, ctx.principal.name, now)
        storage.put_meeting(s, data, now)
        cancelled.append(data["id"])
        booking_id = str(data.get("booking_id") or "")
        booking = storage.booking_record(s, booking_id, lock=True) if booking_id else None
        if booking is not None and booking.get("state") in R.BLOCKING:
            room = storage.require_room(s, str(booking["room_id"]))
            if policy.may_cancel(actor, I.body_of(room), str(booking.get("holder_id") or "")):
                freed = I.cancel_booking(booking, room, I.CancelBookingArgs(
                    booking_id=booking_id, reason=f"会议取消：{args.reason.strip()}"[:300]),
                    actor, now)
                storage.put_booking(s, freed, room, now)
    return {"series_id": chosen["series_id"], "scope": args.scope, "meetings": cancelled}


@mutation(I.PUBLISH_SERIES)
def publish_series(ctx: MutationContext, args: PublishSeriesArgs) -> dict[str, Any]:
    """The chosen draft occurrence published as ``meetings.publish_meeting`` publishes
    one, and with "following" / "all" every other draft the scope reaches (published
    ones are left as they are)."""
    s, now = ctx.session, ctx.now
    chosen = _chosen(ctx, args.meeting_id)
    actor = actor_facts(s, ctx.principal)
    published = []
    for target in _targets(ctx, chosen, args.scope):
        if target["id"] != chosen["id"] and target.get("state") != M.DRAFT:
            continue
        booking_id = str(target.get("booking_id") or "")
        data = I.publish_meeting(target, MeetingArgs(meeting_id=target["id"]), actor,
                                 storage.booking_record(s, booking_id) if booking_id else None, now)
        storage.put_meeting(s, data, now, renotify=True)
        published.append(data["id"])
    return {"series_id": chosen["series_id"], "scope": args.scope, "meetings": published}
