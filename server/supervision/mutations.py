"""Supervision intents applied on the server (``modules.supervision.intents``): the same
pure effects the client applied, on the server's locked current state, with the
server's calendar (``server.calendar.storage.holiday_table``) — authoritative for every
deadline."""

from __future__ import annotations

from typing import Any

from modules.supervision import intents as I
from modules.supervision import policy
from modules.supervision import rules as R
from server.access_facts import actor_facts, body_facts
from server.calendar.storage import holiday_table
from server.mutations import MutationContext, mutation
from server.supervision import storage


def _result(data: dict[str, Any]) -> dict[str, Any]:
    return {"item_id": data["id"], "state": data["state"], "number": data.get("number") or "",
            "due": data["due"]}


@mutation(I.REGISTER)
def register(ctx: MutationContext, args: I.RegisterArgs) -> dict[str, Any]:
    previous = storage.item_record(ctx.session, args.item_id, lock=True)
    body = body_facts(ctx.session, args.body_id)
    lead = body_facts(ctx.session, args.lead_unit_id)
    co = [body_facts(ctx.session, c) for c in dict.fromkeys(args.co_unit_ids) if c != lead.id]
    actor = actor_facts(ctx.session, ctx.principal)
    table = holiday_table(ctx.session)
    number = "" if args.draft or not policy.is_staff(actor, body.organ_id) else \
        storage.allocate_number(ctx.session, body.organ_id, R.china_day(ctx.now).year)
    data = I.register(previous, args, actor, ctx.principal.name, body, (lead.id, lead.name),
                      [(c.id, c.name) for c in co],
                      storage.person_name(ctx.session, args.leader_id), number, ctx.now, table)
    storage.put_item(ctx.session, data, ctx.now, table)
    return _result(data)


@mutation(I.ACKNOWLEDGE)
def acknowledge(ctx: MutationContext, args: I.AcknowledgeArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = I.acknowledge(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                         ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


@mutation(I.REPORT)
def report(ctx: MutationContext, args: I.ReportArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = I.report(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                    ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


@mutation(I.REQUEST_EXTENSION)
def request_extension(ctx: MutationContext, args: I.RequestExtensionArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    table = holiday_table(ctx.session)
    data = I.request_extension(item, args, actor_facts(ctx.session, ctx.principal),
                               ctx.principal.name, ctx.now, table)
    storage.put_item(ctx.session, data, ctx.now, table)
    return _result(data)


@mutation(I.DECIDE_EXTENSION)
def decide_extension(ctx: MutationContext, args: I.DecideExtensionArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    table = holiday_table(ctx.session)
    data = I.decide_extension(item, args, actor_facts(ctx.session, ctx.principal),
                              ctx.principal.name, ctx.now, table)
    storage.put_item(ctx.session, data, ctx.now, table)
    return _result(data)


@mutation(I.REQUEST_COMPLETION)
def request_completion(ctx: MutationContext, args: I.RequestCompletionArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = I.request_completion(item, args, actor_facts(ctx.session, ctx.principal),
                                ctx.principal.name, ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


@mutation(I.VERIFY)
def verify(ctx: MutationContext, args: I.VerifyArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = I.verify(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                    ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


@mutation(I.URGE)
def urge(ctx: MutationContext, args: I.UrgeArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = I.urge(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                  ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


@mutation(I.CANCEL)
def cancel(ctx: MutationContext, args: I.CancelArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = I.cancel(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                    ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)
