"""反馈 with attachments, 催办 with its interval, 中止, 销号 and the outgoing report on the
server (``modules.supervision.intents`` / ``modules.supervision.lifecycle``), each on the
item's locked row with the server's calendar. Imported by
``server.supervision.mutations`` (which adds :data:`HANDLERS` to its own).

- 反馈: every attachment must be a complete blob the actor may read (their own upload,
  queued before the intent by the device's sync), with the server's size; the item then
  names the blob (a reference), so whoever sees the item may fetch it.
- 催办: the minimum interval per item and unit is ``OFFICE_SUPERVISION_URGE_HOURS``.
- 报告 / 情况通报: the documents module's own ``documents.create_draft`` handler composed
  in the same transaction, linked both ways; asking again returns the same draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from modules.common.errors import ValidationFailed
from modules.common.intents import Intent
from modules.documents.intents import CreateDraftArgs
from modules.supervision import intents as I
from modules.supervision import lifecycle as L
from server.access_facts import actor_facts
from server.blobs.models import Blob
from server.blobs.store import add_ref, can_read, check_sha
from server.calendar.storage import holiday_table
from server.mutations import MutationContext, mutation
from server.scopes import scope_keys
from server.supervision import storage

#: ``Document.source_role`` of a report drafted from a supervision item (≤ 4 characters).
REPORT_ROLE = "sv"


def _result(data: dict[str, Any]) -> dict[str, Any]:
    return {"item_id": data["id"], "state": data["state"], "number": data.get("number") or "",
            "due": data["due"]}


def _checked(ctx: MutationContext, args: I.ReportArgs) -> I.ReportArgs:
    """The attachments as stored: each a complete blob the actor may read, its real size."""
    if not args.attachments:
        return args
    keys = scope_keys(ctx.session, ctx.principal)
    out = []
    for att in args.attachments:
        sha = check_sha(att.sha256)
        blob = ctx.session.get(Blob, sha)
        if blob is None or not can_read(ctx.session, sha, ctx.principal.person_id, keys):
            raise ValidationFailed("blob.not_found", sha256=sha)
        out.append(I.Attachment(sha256=sha, name=att.name.strip(), size=int(blob.size)))
    return args.model_copy(update={"attachments": out})


def report(ctx: MutationContext, args: I.ReportArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    actor = actor_facts(ctx.session, ctx.principal)
    checked = _checked(ctx, args)
    data = I.report(item, checked, actor, ctx.principal.name, ctx.now)
    table = holiday_table(ctx.session)
    storage.put_item(ctx.session, data, ctx.now, table)
    for att in checked.attachments:
        add_ref(ctx.session, att.sha256, I.ITEM, data["id"])
    return _result(data)


def urge_interval(ctx: MutationContext) -> dt.timedelta:
    hours = ctx.settings.supervision_urge_hours if ctx.settings is not None else 24.0
    return dt.timedelta(hours=hours)


def urge(ctx: MutationContext, args: I.UrgeArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    actor = actor_facts(ctx.session, ctx.principal)
    table = holiday_table(ctx.session)
    data = I.urge(item, args, actor, ctx.principal.name, ctx.now, table, urge_interval(ctx))
    storage.put_item(ctx.session, data, ctx.now, table)
    return {**_result(data), "urge": len(data.get("urges") or ())}


def terminate(ctx: MutationContext, args: L.TerminateArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = L.terminate(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                       ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


def strike_off(ctx: MutationContext, args: L.StrikeOffArgs) -> dict[str, Any]:
    item = storage.item_record(ctx.session, args.item_id, lock=True)
    data = L.strike_off(item, args, actor_facts(ctx.session, ctx.principal), ctx.principal.name,
                        ctx.now)
    storage.put_item(ctx.session, data, ctx.now, holiday_table(ctx.session))
    return _result(data)


def draft_report(ctx: MutationContext, args: L.DraftReportArgs) -> dict[str, Any]:
    """The 报告 / 情况通报 draft of a closed item (the existing one when asked again)."""
    from server.documents import mutations as documents
    from server.documents import storage as document_storage
    from server.documents.models import Document

    session = ctx.session
    item = storage.item_record(session, args.item_id, lock=True)
    actor = actor_facts(session, ctx.principal)
    found = L.check_draft_report(item, actor)
    existing = str(found.get("report_document_id") or "")
    if existing:
        return {**_result(found), "document_id": existing, "existing": True}
    spec = L.report_spec(found, args.kind, args.note)
    documents.create_draft(ctx, CreateDraftArgs(document_id=args.document_id, spec=spec,
                                                body_id=str(found["body_id"])))
    doc = session.get(Document, args.document_id)
    assert doc is not None  # create_draft stored it or raised
    doc.source_id, doc.source_role = found["id"], REPORT_ROLE
    document_storage.publish(session, doc, ctx.now)
    data = L.with_report(found, args, actor, ctx.principal.name, ctx.now)
    storage.put_item(session, data, ctx.now, holiday_table(session))
    return {**_result(data), "document_id": args.document_id, "existing": False}


#: intent name -> handler (the demo seeds through these too).
HANDLERS: dict[str, Callable[[MutationContext, Any], dict[str, Any]]] = {
    I.REPORT.name: report, I.URGE.name: urge, I.TERMINATE.name: terminate,
    I.STRIKE_OFF.name: strike_off, I.DRAFT_REPORT.name: draft_report}
_INTENTS: tuple[Intent[Any], ...] = (I.REPORT, I.URGE, I.TERMINATE, I.STRIKE_OFF, I.DRAFT_REPORT)
for _intent in _INTENTS:
    mutation(_intent)(HANDLERS[_intent.name])
