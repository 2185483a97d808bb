"""分解 on the server: the sub-task intents (``modules.supervision.subtasks``) applied to
the locked item with the server's calendar (a sub-task's deadline is checked against
the parent's deadline as the server computes it). Imported by
``server.supervision.mutations`` so the handlers are registered."""

from __future__ import annotations

from typing import Any

from modules.supervision import intents as I
from modules.supervision import subtasks as S
from server.access_facts import actor_facts, body_facts
from server.calendar.storage import holiday_table
from server.mutations import MutationContext, mutation
from server.supervision import storage


def _result(data: dict[str, Any], subtask_id: str) -> dict[str, Any]:
    sub: dict[str, Any] = next(
        (s for s in data.get("subtasks") or () if s.get("id") == subtask_id), {})
    return {"item_id": data["id"], "state": data["state"], "number": data.get("number") or "",
            "due": data["due"], "subtask_id": subtask_id, "subtask_state": sub.get("state", "")}


@mutation(I.SPLIT)
def split(ctx: MutationContext, args: S.SplitArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    actor = actor_facts(ctx.session, ctx.principal)
    table = holiday_table(ctx.session)
    unit = body_facts(ctx.session, args.unit_id)
    data = S.split(item, args, actor, ctx.principal.name, unit, ctx.now, table)
    storage.put_item(ctx.session, data, ctx.now, table)
    return _result(data, args.subtask_id)


@mutation(I.REPORT_SUBTASK)
def report_subtask(ctx: MutationContext, args: S.ReportSubtaskArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    actor = actor_facts(ctx.session, ctx.principal)
    data = S.report_subtask(item, args, actor, ctx.principal.name, ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data, args.subtask_id)


@mutation(I.CANCEL_SUBTASK)
def cancel_subtask(ctx: MutationContext, args: S.CancelSubtaskArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    actor = actor_facts(ctx.session, ctx.principal)
    data = S.cancel_subtask(item, args, actor, ctx.principal.name, ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data, args.subtask_id)
