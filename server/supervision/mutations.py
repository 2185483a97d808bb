"""Supervision intents applied on the server (``modules.supervision.intents``): the same
pure effects the client applied, on the server's locked current state, with the
server's calendar (``server.calendar.storage.holiday_table``) — authoritative for every
deadline."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from modules.calendar.rules import HolidayTable
from modules.common.access import ActorFacts
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


Effect = Callable[[Mapping[str, Any] | None, ActorFacts, HolidayTable], dict[str, Any]]


def _step(ctx: MutationContext, item_id: str, effect: Effect) -> dict[str, Any]:
    """Lock the item, run the pure effect on it as the principal, store and publish."""
    item = storage.item_record(ctx.session, item_id, lock=True)
    table = holiday_table(ctx.session)
    data = effect(item, actor_facts(ctx.session, ctx.principal), table)
    storage.put_item(ctx.session, data, ctx.now, table)
    return _result(data)


@mutation(I.ACKNOWLEDGE)
def acknowledge(ctx: MutationContext, args: I.AcknowledgeArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, _t: I.acknowledge(
        item, args, actor, ctx.principal.name, ctx.now))


@mutation(I.REPORT)
def report(ctx: MutationContext, args: I.ReportArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, _t: I.report(
        item, args, actor, ctx.principal.name, ctx.now))


@mutation(I.REQUEST_EXTENSION)
def request_extension(ctx: MutationContext, args: I.RequestExtensionArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, table: I.request_extension(
        item, args, actor, ctx.principal.name, ctx.now, table))


@mutation(I.DECIDE_EXTENSION)
def decide_extension(ctx: MutationContext, args: I.DecideExtensionArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, table: I.decide_extension(
        item, args, actor, ctx.principal.name, ctx.now, table))


@mutation(I.REQUEST_COMPLETION)
def request_completion(ctx: MutationContext, args: I.RequestCompletionArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, _t: I.request_completion(
        item, args, actor, ctx.principal.name, ctx.now))


@mutation(I.VERIFY)
def verify(ctx: MutationContext, args: I.VerifyArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, _t: I.verify(
        item, args, actor, ctx.principal.name, ctx.now))


@mutation(I.URGE)
def urge(ctx: MutationContext, args: I.UrgeArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, _t: I.urge(
        item, args, actor, ctx.principal.name, ctx.now))


@mutation(I.CANCEL)
def cancel(ctx: MutationContext, args: I.CancelArgs) -> dict[str, Any]:
    return _step(ctx, args.item_id, lambda item, actor, _t: I.cancel(
        item, args, actor, ctx.principal.name, ctx.now))
