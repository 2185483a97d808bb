"""Minutes (会议纪要) and decisions (议定事项) on the server (``modules.meetings.minutes``).

- ``meetings.start_minutes``: one transaction composes the documents module's own
  ``documents.create_draft`` handler (a 纪要 draft prefilled from the server's replies
  and check-ins) with the link both ways: ``minutes_document_id`` on the meeting, and
  the document's ``source_id`` = the meeting with ``source_role = "mt"`` (its record's
  ``meeting_id``). Why one composed intent: see the docstring of the rules module.
- ``meetings.add_decision`` / ``edit_decision`` / ``remove_decision``: the organisers,
  on the meeting's locked row.
- ``meetings.send_decision``: the 督查室 staff of the host organ, once the minutes are
  issued; ``supervision.register`` composed with the link to the meeting, the decision
  and the minutes document (``server.supervision.sources``). Idempotent by decision.
"""

from __future__ import annotations

from typing import Any

from modules.common.errors import NotFound, ValidationFailed
from modules.documents.intents import CreateDraftArgs
from modules.meetings import intents as I
from modules.meetings import minutes as MIN
from modules.supervision import intents as SI
from modules.supervision import policy as supervision_policy
from modules.supervision import rules as SR
from modules.supervision import sources as SS
from server.access_facts import actor_facts
from server.meetings import storage
from server.mutations import MutationContext, mutation
from server.supervision import sources as supervision_sources

#: ``Document.source_role`` of a meeting's minutes (the column holds 4 characters).
MINUTES_ROLE = "mt"


def _locked(ctx: MutationContext, meeting_id: str) -> dict[str, Any]:
    """The meeting record, its row locked (one writer per meeting at a time)."""
    found = storage.meeting_record(ctx.session, meeting_id, lock=True)
    if found is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=meeting_id)
    return found


@mutation(I.START_MINUTES)
def start_minutes(ctx: MutationContext, args: MIN.StartMinutesArgs) -> dict[str, Any]:
    from server.documents import mutations as documents
    from server.documents import storage as document_storage
    from server.documents.models import Document

    session = ctx.session
    meeting = _locked(ctx, args.meeting_id)
    found = MIN.check_can_start(meeting, args, actor_facts(session, ctx.principal),
                                I.host_of(meeting), ctx.now)
    invited = storage.invited_now(session, dict(found))
    lists = MIN.attendance_lists(found, invited, storage.replies_of(session, args.meeting_id),
                                 storage.checkins_of(session, args.meeting_id))
    spec = MIN.minutes_spec(found, lists)
    documents.create_draft(ctx, CreateDraftArgs(document_id=args.document_id, spec=spec,
                                                body_id=str(found["host_body_id"])))
    doc = session.get(Document, args.document_id)
    assert doc is not None  # create_draft stored it or raised
    doc.source_id, doc.source_role = args.meeting_id, MINUTES_ROLE
    document_storage.publish(session, doc, ctx.now)
    storage.put_meeting(session, MIN.with_minutes(found, args.document_id, ctx.now), ctx.now)
    return {"meeting_id": args.meeting_id, "document_id": args.document_id}


def _save(ctx: MutationContext, args: MIN.DecisionArgs, *, new: bool) -> dict[str, Any]:
    meeting = _locked(ctx, args.meeting_id)
    host = I.host_of(meeting)
    units = storage.body_names(ctx.session, [args.lead_unit_id, *args.co_unit_ids])
    data = MIN.save_decision(meeting, args, actor_facts(ctx.session, ctx.principal),
                             ctx.principal.name, host, units, ctx.now, new=new)
    storage.put_meeting(ctx.session, data, ctx.now)
    return {"meeting_id": args.meeting_id, "decision_id": args.decision_id,
            "decisions": len(data.get("decisions") or ())}


@mutation(I.ADD_DECISION)
def add_decision(ctx: MutationContext, args: MIN.DecisionArgs) -> dict[str, Any]:
    return _save(ctx, args, new=True)


@mutation(I.EDIT_DECISION)
def edit_decision(ctx: MutationContext, args: MIN.DecisionArgs) -> dict[str, Any]:
    return _save(ctx, args, new=False)


@mutation(I.REMOVE_DECISION)
def remove_decision(ctx: MutationContext, args: MIN.RemoveDecisionArgs) -> dict[str, Any]:
    meeting = _locked(ctx, args.meeting_id)
    host = I.host_of(meeting)
    data = MIN.remove_decision(meeting, args, actor_facts(ctx.session, ctx.principal), host,
                               ctx.now)
    storage.put_meeting(ctx.session, data, ctx.now)
    return {"meeting_id": args.meeting_id, "decisions": len(data.get("decisions") or ())}


@mutation(I.SEND_DECISION)
def send_decision(ctx: MutationContext, args: MIN.SendDecisionArgs) -> dict[str, Any]:
    """The 督查室 of the host organ; the minutes issued; one item per decision."""
    from server.documents import storage as document_storage
    from server.documents.models import Document

    session = ctx.session
    meeting = _locked(ctx, args.meeting_id)
    host = I.host_of(meeting)
    zh, en = SR.ACTION_WORDS["register"]
    supervision_policy.require(
        supervision_policy.is_staff(actor_facts(session, ctx.principal), host.organ_id),
        "supervision.not_staff", body=host.name, action=zh, action_en=en)
    decision = MIN.find_decision(meeting, args.decision_id)
    item_id = MIN.item_id_for(args.decision_id)
    item = supervision_sources.existing_item(ctx, item_id)
    existing = item is not None
    if item is None:
        doc_id = str(meeting.get("minutes_document_id") or "")
        if not doc_id:
            raise ValidationFailed("meetings.no_minutes")
        doc = session.get(Document, doc_id)
        record = document_storage.document_data(session, doc) if doc is not None else None
        if not MIN.is_issued(record):
            raise ValidationFailed("meetings.minutes_not_issued")
        register = SI.RegisterArgs(
            item_id=item_id, body_id=host.id, title=MIN.supervision_title(meeting, decision),
            content=MIN.supervision_content(meeting, decision, record), source="meeting",
            source_ref=MIN.source_ref(meeting, record), grade=args.grade,  # type: ignore[arg-type]
            leader_id=args.leader_id, lead_unit_id=str(decision["lead_unit_id"]),
            co_unit_ids=[str(c["id"]) for c in decision.get("co_units") or ()],
            deadline_days=decision.get("deadline_days"), due=decision.get("due"),
            cycle=args.cycle)  # type: ignore[arg-type]
        item = supervision_sources.register_linked(
            ctx, register, SS.meeting_link(meeting, args.decision_id))
    sent = decision.get("supervision") or {}
    if not sent or sent.get("state") != item.get("state") or sent.get("number") != item.get("number"):
        storage.put_meeting(session, MIN.with_sent(meeting, args.decision_id, item,
                                                   str(sent.get("sent_by_name") or ctx.principal.name),
                                                   ctx.now), ctx.now)
    return {**supervision_sources.result(item, existing=existing), "decision_id": args.decision_id}
