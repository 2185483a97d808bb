"""Working-day calendar intents applied on the server (``modules.calendar.intents``)."""

from __future__ import annotations

from typing import Any

from modules.calendar import intents as I
from modules.calendar.intents import SetYearArgs
from server.access_facts import actor_facts
from server.calendar import storage
from server.directory.models import Body
from server.mutations import MutationContext, mutation


def _top_organs(ctx: MutationContext, organs: frozenset[str]) -> frozenset[str]:
    out = set()
    for organ in organs:
        body = ctx.session.get(Body, organ)
        if body is not None and body.parent_id is None and body.active:
            out.add(organ)
    return frozenset(out)


@mutation(I.SET_YEAR)
def set_year(ctx: MutationContext, args: SetYearArgs) -> dict[str, Any]:
    facts = actor_facts(ctx.session, ctx.principal)
    previous = storage.load_for_update(ctx.session, args.year)
    data = I.set_year(
        storage.record(previous) if previous is not None else None, args, facts,
        _top_organs(ctx, facts.role_organs("sys_admin")),
        actor_name=ctx.principal.name, now_iso=ctx.now.isoformat(),
    )
    row = storage.put_year(ctx.session, data, person_id=ctx.principal.person_id, now=ctx.now)
    return {"year": row.year, "version": row.version}
