"""督办 items made from their sources, on the server (``modules.supervision.sources``).

:func:`register_linked` is ``supervision.register`` exactly as its own handler does it
(number without gaps, deadline on the server's calendar, to-dos, feed), then the link to
the source stored on the item. ``meetings.send_decision`` (server.meetings.
minutes_mutations) and ``supervision.from_instruction`` (here) call it.
"""

from __future__ import annotations

from typing import Any

from modules.common.errors import NotFound
from modules.supervision import intents as I
from modules.supervision import policy
from modules.supervision import rules as R
from modules.supervision import sources as S
from server.access_facts import actor_facts, body_facts
from server.calendar.storage import holiday_table
from server.mutations import MutationContext, mutation
from server.supervision import storage


def existing_item(ctx: MutationContext, item_id: str) -> dict[str, Any] | None:
    """The item of that id once registered (locked), or None (absent, or a draft)."""
    found = storage.item_record(ctx.session, item_id, lock=True)
    return found if found is not None and found.get("state") != R.DRAFT else None


def register_linked(ctx: MutationContext, args: I.RegisterArgs,
                    link: dict[str, Any]) -> dict[str, Any]:
    """Register through the ``supervision.register`` handler, then keep ``link``
    (``source_link``) on the stored item; the item record."""
    from server.supervision import mutations as handlers

    handlers.register(ctx, args)
    data = storage.item_record(ctx.session, args.item_id, lock=True)
    assert data is not None  # just registered
    data["source_link"] = dict(link)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return data


def result(data: dict[str, Any], *, existing: bool) -> dict[str, Any]:
    return {"item_id": data["id"], "state": data["state"], "number": data.get("number") or "",
            "due": data["due"], "existing": existing}


@mutation(I.FROM_INSTRUCTION)
def from_instruction(ctx: MutationContext, args: S.FromInstructionArgs) -> dict[str, Any]:
    """The 督查室 of the document's organ only; the instruction must be on the document."""
    from server.documents import storage as documents
    from server.documents.models import Document

    doc = ctx.session.get(Document, args.document_id)
    if doc is None:
        raise NotFound("document.not_found", id=args.document_id)
    body = body_facts(ctx.session, doc.body_id)
    zh, en = R.ACTION_WORDS["register"]
    policy.require(policy.is_staff(actor_facts(ctx.session, ctx.principal), body.organ_id),
                   "supervision.not_staff", body=body.name, action=zh, action_en=en)
    record = documents.document_data(ctx.session, doc)
    opinion = S.instruction_of(record, args.opinion_id)
    item_id = S.item_id_for_instruction(doc.id, str(opinion.get("id") or ""))
    found = existing_item(ctx, item_id)
    if found is not None:
        return result(found, existing=True)
    leader = args.leader_id or str((opinion.get("person") or {}).get("id") or "")
    register = I.RegisterArgs(
        item_id=item_id, body_id=doc.body_id,
        title=(args.title.strip() or str(record.get("title") or "") or "领导批示事项")[:200],
        content=args.content.strip() or S.instruction_content(record, opinion),
        source="instruction", source_ref=S.instruction_ref(record), grade=args.grade,  # type: ignore[arg-type]
        leader_id=leader if storage.person_name(ctx.session, leader) else "",
        lead_unit_id=args.lead_unit_id, co_unit_ids=args.co_unit_ids,
        deadline_days=args.deadline_days, due=args.due, cycle=args.cycle)  # type: ignore[arg-type]
    data = register_linked(ctx, register, S.document_link(record, opinion))
    return result(data, existing=False)
