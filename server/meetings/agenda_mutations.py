"""Agenda intents applied on the server (``modules.meetings.agenda``): the same pure
effects, on the meeting's locked row; the server adds blob checks and references and
re-notifies everyone when a published meeting's agenda changes."""

from __future__ import annotations

from typing import Any

from modules.meetings import agenda as A
from modules.meetings import intents as I
from server.access_facts import actor_facts
from server.meetings import agenda_storage as AS
from server.meetings import storage
from server.mutations import MutationContext, mutation
from server.scopes import scope_keys


def _meeting(ctx: MutationContext, meeting_id: str) -> dict[str, Any] | None:
    row = storage.meeting_row(ctx.session, meeting_id, lock=True)  # one writer per meeting
    return dict(row.data) if row is not None else None


def _store(ctx: MutationContext, previous: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    if data != previous:
        AS.refer_agenda(ctx.session, data)
        storage.put_meeting(ctx.session, data, ctx.now,
                            renotify=data.get("sequence") != previous.get("sequence"))
    return {"meeting_id": data["id"], "items": len(data.get("agenda") or ()),
            "sequence": int(data.get("sequence") or 0)}


@mutation(I.SAVE_AGENDA_ITEM)
def save_agenda_item(ctx: MutationContext, args: A.SaveAgendaItemArgs) -> dict[str, Any]:
    previous = _meeting(ctx, args.meeting_id)
    names = storage.person_names(ctx.session, [args.presenter_id, *args.attendees])
    data = A.save_agenda_item(previous, args, actor_facts(ctx.session, ctx.principal),
                              ctx.principal.name, names, ctx.now)
    assert previous is not None  # refused a missing meeting
    kept = {m["sha256"]: m for i in previous.get("agenda") or () for m in i.get("materials") or ()}
    fresh = [m for m in args.materials if m.sha256 not in kept]
    checked = {m["sha256"]: m for m in AS.checked_materials(
        ctx.session, fresh, ctx.principal.person_id, scope_keys(ctx.session, ctx.principal))}
    for item in data["agenda"]:
        if item["id"] == args.item_id:
            item["materials"] = [checked.get(m["sha256"]) or {**m, "size": kept[m["sha256"]]["size"]}
                                 for m in item["materials"]]
    return _store(ctx, previous, data)


@mutation(I.REMOVE_AGENDA_ITEM)
def remove_agenda_item(ctx: MutationContext, args: A.RemoveAgendaItemArgs) -> dict[str, Any]:
    previous = _meeting(ctx, args.meeting_id)
    data = A.remove_agenda_item(previous, args, actor_facts(ctx.session, ctx.principal),
                                ctx.principal.name, ctx.now)
    assert previous is not None
    return _store(ctx, previous, data)


@mutation(I.ORDER_AGENDA)
def order_agenda(ctx: MutationContext, args: A.OrderAgendaArgs) -> dict[str, Any]:
    previous = _meeting(ctx, args.meeting_id)
    data = A.order_agenda(previous, args, actor_facts(ctx.session, ctx.principal),
                          ctx.principal.name, ctx.now)
    assert previous is not None
    return _store(ctx, previous, data)


@mutation(I.PROPOSE_TOPIC)
def propose_topic(ctx: MutationContext, args: A.ProposeTopicArgs) -> dict[str, Any]:
    meeting = _meeting(ctx, args.meeting_id)
    data = A.propose_topic(meeting, AS.topic_record(ctx.session, args.topic_id, lock=True), args,
                           actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                           storage.person_names(ctx.session, [args.presenter_id]), ctx.now)
    assert meeting is not None
    data["materials"] = AS.checked_materials(ctx.session, args.materials, ctx.principal.person_id,
                                             scope_keys(ctx.session, ctx.principal))
    AS.put_topic(ctx.session, data, meeting, ctx.now)
    return {"topic_id": data["id"], "state": data["state"]}


@mutation(I.DECIDE_TOPIC)
def decide_topic(ctx: MutationContext, args: A.DecideTopicArgs) -> dict[str, Any]:
    found = AS.topic_record(ctx.session, args.topic_id)  # lock order: meeting, then topic
    meeting = _meeting(ctx, str(found["meeting_id"])) if found else None
    topic = AS.topic_record(ctx.session, args.topic_id, lock=True)
    new_meeting, new_topic = A.decide_topic(meeting, topic, args,
                                            actor_facts(ctx.session, ctx.principal),
                                            ctx.principal.name, ctx.now)
    assert meeting is not None
    if new_meeting is not None:
        _store(ctx, meeting, new_meeting)
    AS.put_topic(ctx.session, new_topic, new_meeting or meeting, ctx.now)
    return {"topic_id": new_topic["id"], "state": new_topic["state"],
            "item_id": new_topic.get("item_id") or ""}
