"""Supervision intents applied on the server (``modules.supervision.intents``): the same
pure effects the client applied, on the server's locked current state, with the
server's calendar (``server.calendar.storage.holiday_table``) — authoritative for every
deadline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modules.common.intents import Intent
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


#: intent -> its effect, for the steps taken on an existing item. Effects of the first
#: group take (item, args, actor, name, now); of the second, the calendar too.
STEPS: tuple[tuple[Intent[Any], Callable[..., dict[str, Any]]], ...] = (
    (I.ACKNOWLEDGE, I.acknowledge),
    (I.REQUEST_COMPLETION, I.request_completion), (I.VERIFY, I.verify),
    (I.CANCEL, I.cancel))  # 反馈 (attachments), 催办 (interval), 中止, 销号: lifecycle_mutations
CALENDAR_STEPS: tuple[tuple[Intent[Any], Callable[..., dict[str, Any]]], ...] = (
    (I.REQUEST_EXTENSION, I.request_extension), (I.DECIDE_EXTENSION, I.decide_extension))


def _step_handler(effect: Callable[..., dict[str, Any]], *, calendar: bool
                  ) -> Callable[[MutationContext, Any], dict[str, Any]]:
    """A handler that locks the item, runs ``effect`` on it as the principal (with the
    server's calendar when ``calendar``), stores and publishes the result."""

    def handle(ctx: MutationContext, args: Any) -> dict[str, Any]:
        item = storage.item_record(ctx.session, args.item_id, lock=True)
        table = holiday_table(ctx.session)
        actor = actor_facts(ctx.session, ctx.principal)
        data = (effect(item, args, actor, ctx.principal.name, ctx.now, table) if calendar
                else effect(item, args, actor, ctx.principal.name, ctx.now))
        storage.put_item(ctx.session, data, ctx.now, table)
        return _result(data)

    handle.__name__ = handle.__qualname__ = effect.__name__
    return handle


#: intent name -> its server handler (the steps registered here; seeding calls them).
HANDLERS: dict[str, Callable[[MutationContext, Any], dict[str, Any]]] = {}
for _steps, _calendar in ((STEPS, False), (CALENDAR_STEPS, True)):
    for _intent, _effect in _steps:
        HANDLERS[_intent.name] = _step_handler(_effect, calendar=_calendar)
        mutation(_intent)(HANDLERS[_intent.name])

from server.supervision import lifecycle_mutations as _lifecycle  # noqa: E402  (反馈, 催办, 中止, 销号, 报告)
from server.supervision import sources as _sources  # noqa: E402,F401  (转督办 handlers)
from server.supervision import subtask_mutations as _subtask_mutations  # noqa: E402,F401  (分解 handlers)

HANDLERS.update(_lifecycle.HANDLERS)
