"""Meeting intents applied on the server (``modules.meetings.intents``): the same pure
effects the client applied, on the server's locked current state."""

from __future__ import annotations

from typing import Any

from modules.meetings import intents as I
from modules.meetings.intents import (
    BookRoomArgs,
    CancelBookingArgs,
    DecideBookingArgs,
    SaveRoomArgs,
)
from server.access_facts import actor_facts, body_facts
from server.meetings import storage
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
    room = storage.room_record(ctx.session, args.room_id, lock=True)  # one booker at a time
    data = I.book_room(
        room, storage.booking_record(ctx.session, args.booking_id),
        storage.blocking_overlaps(ctx.session, args.room_id, args.start, args.end) if room else [],
        args, actor_facts(ctx.session, ctx.principal), ctx.principal.name, ctx.now)
    assert room is not None  # book_room refused a missing room
    storage.put_booking(ctx.session, data, room, ctx.now)
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
