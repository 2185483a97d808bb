"""``meetings.save_seating`` on the server: the pure effect of modules.meetings.seating
on the locked meeting and its stored plan."""

from __future__ import annotations

from typing import Any

from modules.meetings import intents as I
from modules.meetings import seating as S
from modules.meetings.seating import SaveSeatingArgs
from server.access_facts import actor_facts
from server.meetings import storage
from server.meetings.seating_storage import put_seating, seating_record
from server.mutations import MutationContext, mutation


@mutation(I.SAVE_SEATING)
def save_seating(ctx: MutationContext, args: SaveSeatingArgs) -> dict[str, Any]:
    meeting = storage.meeting_record(ctx.session, args.meeting_id, lock=True)
    people = [s.person_id for s in args.seats if s.person_id]
    data = S.save_seating(
        meeting, seating_record(ctx.session, args.meeting_id) if meeting else None, args,
        actor_facts(ctx.session, ctx.principal), ctx.principal.name,
        I.host_of(meeting) if meeting else None, storage.person_names(ctx.session, people),
        ctx.now)
    assert meeting is not None  # save_seating refused a missing meeting
    put_seating(ctx.session, data, storage.staff_audience(meeting), ctx.now)
    return {"meeting_id": data["meeting_id"], "version": data["version"],
            "seats": len(data["seats"])}
