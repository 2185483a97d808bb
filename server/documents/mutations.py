"""Document intents (docs/DOCUMENTS_PROTOCOL.md §2): the server side of 公文流转.

Each handler loads the document with its row lock, builds from the row the part of the
record (the feed shape of ``documents.document``) the intent's effect reads, runs that
effect — the very function of :mod:`modules.documents.effects` the client applied
optimistically — on the server's current state, and writes back what changed. It adds
only what the server alone does: row locks, 发文字号/收文号, PDFs, blob/ink/signature
checks, deliveries, read-receipt rows, to-dos, audit and the change feed
(:mod:`server.documents.storage`), and returns a small result. Expected failures are DomainErrors: a late action is a
conflict in words, e.g. "该公文已由张伟于10:42退回，您的签批未生效。".

Classified documents are refused before anything is parsed further (a ``before``
validator on the argument models), so nothing of them is stored.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common import messages
from modules.common.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from modules.documents import effects, policy, time_limit
from modules.documents import intents as I
from modules.documents import workflow as wf_rules
from modules.documents.intents import (
    RETENTIONS,
    ActArgs,
    ArchiveArgs,
    BatchApproveArgs,
    CreateDraftArgs,
    DispatchArgs,
    DocArgs,
    ReasonArgs,
    RecallArgs,
    RegisterArgs,
    RequestSealArgs,
    SaveDraftArgs,
)
from modules.documents.rules import format_doc_number
from server.access_facts import actor_facts
from server.blobs.store import can_read
from server.calendar.storage import holiday_table
from server.directory.models import Body
from server.documents import storage as st
from server.documents.models import Delivery, Document, ReadReceipt
from server.mutations import MutationContext, mutation
from server.scopes import scope_keys

BATCH_LIMIT = 50

messages.register({
    "document.signature_mismatch": {
        "zh_CN": "手写签批的签名与本次办理的环节或意见不一致，未予采用。",
        "en": "The signed handwriting does not match this step or opinion; it was not accepted.",
    },
})


# --------------------------------------------------------------------------- helpers


def _source(ctx: MutationContext, name: str) -> str:
    return f"intent:{name}#{ctx.mutation_id}"


def _organ_bodies(session: Session, ids: list[str]) -> list[str]:
    out: list[str] = []
    for body_id in ids:
        body = session.get(Body, body_id)
        if body is None or not body.active:
            raise ValidationFailed("document.unknown_body", id=body_id)
        if body_id not in out:
            out.append(body_id)
    return out


def _kind_check(doc: Document, kind: str) -> None:
    effects.kind_check({"kind": doc.kind}, kind)


def _record(session: Session, doc: Document, *, reads: bool = False,
            revisions: bool = False) -> dict[str, Any]:
    """The part of the feed record (``storage.document_data``) the effects read, from the
    row: what :mod:`modules.documents.effects` runs on, on this side too."""
    from server.documents.models import Revision

    source = None
    if doc.kind == "incoming" and doc.source_id:
        src = session.get(Document, doc.source_id)
        sender = session.get(Body, src.body_id) if src else None
        source = {"document_id": doc.source_id, "body_name": sender.name if sender else ""}
    body = session.get(Body, doc.body_id)
    record: dict[str, Any] = {
        "id": doc.id, "kind": doc.kind, "body_id": doc.body_id,
        "body_name": body.name if body else doc.body_id, "status": doc.status, "spec": doc.spec,
        "workflow": doc.workflow, "deadline": doc.deadline, "archive": doc.archive,
        "seal": doc.seal or {"state": "none"}, "return_reason": doc.return_reason,
        "revision": doc.revision, "source": source, "updated_at": st.iso(doc.updated_at),
    }
    if reads:
        record["reads"] = [
            {"person_id": r.person_id, "name": r.name, "first_opened_at": st.iso(r.first_opened_at),
             "last_opened_at": st.iso(r.last_opened_at), "acted_at": st.iso(r.acted_at), "opens": r.opens}
            for r in session.scalars(select(ReadReceipt).where(ReadReceipt.document_id == doc.id))
        ]
    if revisions:
        latest = session.get(Revision, (doc.id, doc.revision))
        record["revisions"] = [] if latest is None else [
            {"no": latest.no, "by": {"id": latest.author_id, "name": latest.author_name},
             "at": st.iso(latest.at), "note": latest.note}]
    return record


#: Row columns an effect may change (the record's keys of the same names).
WRITTEN = ("spec", "workflow", "deadline", "archive", "seal", "status", "return_reason")


def _at(value: Any, now: dt.datetime) -> dt.datetime | None:
    """A record's time back into a column (``now`` exactly when the effect stamped it)."""
    if value is None:
        return None
    if value == effects.zulu(now):
        return now
    return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _write_back(session: Session, doc: Document, before: dict[str, Any], after: dict[str, Any],
                now: dt.datetime) -> None:
    """Store what an effect changed: the row's columns and the read-receipt rows."""
    for key in WRITTEN:
        if key in after and after[key] != before.get(key):
            setattr(doc, key, after[key])
    if "reads" not in after:
        return
    old = {r["person_id"]: r for r in before.get("reads") or []}
    for entry in after["reads"]:
        prev = old.get(entry["person_id"])
        if prev == entry:
            continue
        row = session.get(ReadReceipt, (doc.id, entry["person_id"]))
        if row is None:
            row = ReadReceipt(document_id=doc.id, person_id=entry["person_id"], name=entry["name"],
                              first_opened_at=now, last_opened_at=now, opens=0)
            session.add(row)
        for field in ("first_opened_at", "last_opened_at", "acted_at"):
            if prev is None or entry.get(field) != prev.get(field):
                setattr(row, field, _at(entry.get(field), now))
    session.flush()


def _closed_copy_guard(session: Session, doc: Document, attempt: str, now: dt.datetime) -> None:
    """A recalled or returned incoming copy: say who ended it and when
    (:func:`effects.closed_copy_check`)."""
    if doc.status in ("recalled", "returned"):
        effects.closed_copy_check(_record(session, doc), attempt, now)


def _people(session: Session, organ_id: str) -> effects.People:
    """People a client named, with names and posts from the directory."""
    return lambda value: st.normalise_actor(session, value, organ_id)


def _load_for_action(ctx: MutationContext, document_id: str, attempt: str) -> Document:
    """The locked document; recalled copies answer in words to their former registry."""
    session = ctx.session
    doc = st.load_for_update(session, document_id)
    if doc.status == "recalled" or (doc.status == "returned" and attempt != "open"):
        keys = scope_keys(session, ctx.principal)
        was = f"user:{ctx.principal.person_id}" in {f"user:{p}" for p in st.participants(doc)}
        if was or f"body:{doc.body_id}:role:registry_clerk" in keys or st.can_see(session, ctx.principal, doc):
            _closed_copy_guard(session, doc, attempt, ctx.now)
    if not st.can_see(session, ctx.principal, doc):
        raise NotFound("document.not_found", id=document_id)
    return doc


def _load_record(ctx: MutationContext, document_id: str, attempt: str, *, reads: bool = False,
                 revisions: bool = False) -> tuple[Document, dict[str, str], dict[str, Any]]:
    """The locked document, the acting person and the record its effect runs on."""
    doc = _load_for_action(ctx, document_id, attempt)
    me = st.principal_actor(ctx.session, ctx.principal, doc.body_id)
    return doc, me, _record(ctx.session, doc, reads=reads, revisions=revisions)


def _fill_defaults(session: Session, doc: Document) -> None:
    """Assignees of the registry and seal steps (protocol §2): the body's current registry
    clerks / seal custodians, refreshed for every step that is not under way."""
    wf = copy.deepcopy(doc.workflow)
    assigned = wf["assignments"]
    current = wf.get("current") if wf.get("status") == "active" else None
    clerks = st.role_holders(session, doc.body_id, "registry_clerk")

    def refresh(key: str, people: list[dict[str, str]]) -> None:
        if key != current and (people or not assigned.get(key)):
            assigned[key] = people

    if doc.kind == "outgoing":
        for key in ("recheck", "register", "dispatch"):
            refresh(key, clerks)
        if current != "seal":
            if doc.spec.get("sealed"):
                refresh("seal", st.role_holders(session, doc.body_id, "seal_custodian"))
            else:
                assigned.pop("seal", None)
    else:
        for key in ("receive", "register", "screen", "complete", "archive"):
            refresh(key, clerks)
        if not assigned.get("propose"):
            assigned["propose"] = clerks
    if not assigned.get("seal", True):
        assigned.pop("seal", None)
    if wf != doc.workflow:
        doc.workflow = wf


def _check_ink(ctx: MutationContext, sha: Any) -> str | None:
    if not sha:
        return None
    from server.blobs.store import check_sha

    checked: str = check_sha(str(sha))
    keys = scope_keys(ctx.session, ctx.principal)
    if not can_read(ctx.session, checked, ctx.principal.person_id, keys):
        raise ValidationFailed("blob.not_found", sha256=checked)
    return checked


def signed_digests(doc: Document) -> set[str]:
    """What a signed approval may name as ``document_sha256``: the PDF once rendered,
    or the SHA-256 of the current draft's full text (``diff.spec_text``, UTF-8)."""
    import hashlib

    from modules.documents.diff import spec_text

    out = {hashlib.sha256(spec_text(doc.spec).encode("utf-8")).hexdigest()}
    if doc.pdf_sha256:
        out.add(doc.pdf_sha256)
    return out


def _check_signed(ctx: MutationContext, doc: Document, step: str | None, opinion: str,
                  signed: Any) -> dict[str, Any] | None:
    """A handwritten approval signed on the device (签批 with a personal key): the payload
    must describe this approval, and the e-seal module must find the signature valid."""
    if not signed:
        return None
    if not isinstance(signed, dict) or not isinstance(signed.get("payload"), dict) \
            or not isinstance(signed.get("signature"), dict):
        raise ValidationFailed("request.invalid", detail="args.signed: 应为 {payload, signature}")
    payload = signed["payload"]
    seen = step or doc.workflow.get("current") or ""
    if str(payload.get("step", "")) != seen or str(payload.get("opinion", "")).strip() != opinion.strip():
        raise ValidationFailed("document.signature_mismatch")
    if str(payload.get("document_sha256", "")) not in signed_digests(doc):
        raise ValidationFailed("document.signature_mismatch")
    from server.documents import feed

    verify = feed.approval_verifier()
    if verify is None:
        raise ValidationFailed("document.seal_unavailable")
    verify(ctx.session, ctx.principal.person_id, payload, signed["signature"])
    return {"payload": payload, "signature": signed["signature"], "verified_at": st.iso(ctx.now)}


def _event_time(ev: dict[str, Any]) -> dt.datetime:
    at = dt.datetime.fromisoformat(ev["at"])
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def refresh_delivery(session: Session, incoming: Document) -> Document | None:
    """Bring the sender's delivery row in line with the incoming copy; returns the
    outgoing document to republish (or None)."""
    if incoming.kind != "incoming" or not incoming.source_id:
        return None
    d = session.get(Delivery, (incoming.source_id, incoming.body_id))
    if d is None or d.state == "recalled":
        return None
    wf = incoming.workflow
    withdrawn = {ev.get("withdrawn_seq") for ev in wf["history"] if ev["op"] == "withdraw"}

    def last_approve(step: str) -> dict[str, Any] | None:
        found = None
        for ev in wf["history"]:
            if ev["op"] == "approve" and ev["step"] == step and ev["seq"] not in withdrawn:
                found = ev
        return found

    visited = set(wf.get("visited", []))
    done = wf["status"] == "done"
    signed = last_approve("receive") if ("register" in visited or done) else None
    d.signed_at = _event_time(signed) if signed else None
    d.signed_by = (signed.get("on_behalf_of") or signed["actor"]) if signed else None
    reg = last_approve("register") if ("screen" in visited or done) else None
    d.registered_at = _event_time(reg) if reg else None
    scr = last_approve("screen") if ("propose" in visited or done) else None
    d.screened_at = _event_time(scr) if scr else None
    fin = last_approve("complete") if ("archive" in visited or done) else None
    d.done_at = _event_time(fin) if fin else None
    if incoming.status == "returned":
        d.state, d.return_reason = "returned", incoming.return_reason
    elif done:
        d.state = "archived"
    elif d.done_at:
        d.state = "done"
    elif d.registered_at:
        d.state = "registered"
    elif d.signed_at:
        d.state = "signed"
    else:
        d.state = "delivered"
    session.flush()
    return session.get(Document, incoming.source_id)


Effect = Callable[[dict[str, Any], dict[str, str]], dict[str, Any]]


def run_op(ctx: MutationContext, doc: Document, op: str, step: str | None, args: dict[str, Any],
           *, source: str, internal: bool = False, effect: Effect | None = None) -> Document:
    """Apply one workflow operation to a locked document and publish the result.

    The state change is ``effect(record, actor)`` on the record built from the row —
    :func:`effects.act` unless the intent has its own (签收, 归档, 批量签批) — and is
    written back; around it the server checks the ink and a device signature, stores
    the opinion rows, audits and publishes."""
    session, now = ctx.session, ctx.now
    record = _record(session, doc, reads=True)
    effects.check_op(record, op, step, now, internal=internal)
    _fill_defaults(session, doc)
    record["workflow"] = doc.workflow
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    kw, extra = effects.op_params(op, step, args)  # the arguments' shape, before the checks below
    ink = _check_ink(ctx, extra.get("ink_sha256"))
    signed = _check_signed(ctx, doc, step, kw.get("opinion", ""), extra.get("signed"))
    opinions_before = len(doc.workflow.get("opinions", []))
    if effect is None:
        new = effects.act(record, {"op": op, "step": step, "args": args}, me, now,
                          people=_people(session, doc.body_id), internal=internal)
    else:
        new = effect(record, me)
    _write_back(session, doc, record, new, now)
    if op == "approve":
        st.store_new_opinions(session, doc, opinions_before, now, ink, signed)
    if op == "withdraw":
        _drop_withdrawn_opinions(session, doc)
    st.audit(session, doc.id, me, op, step=doc.workflow["history"][-1].get("step") or "",
             detail={k: v for k, v in args.items() if k in ("opinion", "reason", "to_step", "message")},
             source=source, now=now)
    st.publish(session, doc, now, urged=(op == "urge"))
    outgoing = refresh_delivery(session, doc)
    if outgoing is not None:
        st.publish(session, outgoing, now, touch=False)
    return doc


def _drop_withdrawn_opinions(session: Session, doc: Document) -> None:
    """A withdrawn approval takes its opinion back from the record too."""
    from collections import Counter

    from server.documents.models import Opinion

    keep = Counter((o["step"], o["person"]["id"], o["text"]) for o in doc.workflow.get("opinions", []))
    for row in session.scalars(
        select(Opinion).where(Opinion.document_id == doc.id).order_by(Opinion.at, Opinion.id)
    ):
        key = (row.step, row.person_id, row.text)
        if keep[key] > 0:
            keep[key] -= 1
        else:
            session.delete(row)
    session.flush()


def _result(doc: Document, **extra: Any) -> dict[str, Any]:
    return {"document_id": doc.id, "version": doc.workflow.get("version", 0), **extra}


# --------------------------------------------------------------------------- drafts

#: What the server stores itself, after checking each blob and body (not the effect's).
_STORED_HERE = {"attachments", "main_to", "cc_to"}


@mutation(I.CREATE_DRAFT)
def create_draft(ctx: MutationContext, args: CreateDraftArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    existing = session.get(Document, args.document_id)
    organs = st.principal_organs(session, ctx.principal)
    facts = None
    if args.body_id:
        organ = st.organ_of(session, args.body_id)
        facts = actor_facts(session, ctx.principal)
    elif organs:
        organ = st.organ_of(session, organs[0])
    else:
        raise PermissionDenied("permission.denied", action="拟稿")
    me = st.principal_actor(session, ctx.principal, organ.id)
    new = effects.create_draft(
        None if existing is None else {"id": existing.id}, args.model_dump(exclude=_STORED_HERE), me, now,
        facts=facts, organ=(organ.id, organ.name), people=_people(session, organ.id))
    doc = Document(
        id=args.document_id, kind="outgoing", body_id=organ.id, title=new["title"],
        doc_type=new["doc_type"], urgency=new["urgency"], spec=new["spec"],
        attachments=st.attachment_rows(session, args.attachments, ctx.principal.person_id),
        main_to=_organ_bodies(session, args.main_to), cc_to=_organ_bodies(session, args.cc_to),
        workflow=new["workflow"], status="active", revision=1, seal={"state": "none"},
        created_by=me, created_at=now, updated_at=now,
    )
    session.add(doc)
    session.flush()
    _fill_defaults(session, doc)
    st.store_revision(session, doc, me, now, "初稿")
    st.audit(session, doc.id, me, "create_draft", step="draft", source=_source(ctx, "documents.create_draft"), now=now)
    st.publish(session, doc, now)
    return {"document_id": doc.id, "revision": doc.revision}


@mutation(I.SAVE_DRAFT)
def save_draft(ctx: MutationContext, args: SaveDraftArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    doc, me, record = _load_record(ctx, args.document_id, "save", revisions=True)
    new = effects.save_draft(record, args.model_dump(exclude=_STORED_HERE), me, now)
    if args.attachments is not None:
        known = {a["sha256"]: a for a in doc.attachments}
        rows = []
        for item in args.attachments:
            if item.sha256 in known:
                rows.append({**known[item.sha256], "name": item.name.strip()})
            else:
                rows.extend(st.attachment_rows(session, [item], ctx.principal.person_id))
        doc.attachments = rows
    if args.main_to is not None:
        doc.main_to = _organ_bodies(session, args.main_to)
    if args.cc_to is not None:
        doc.cc_to = _organ_bodies(session, args.cc_to)
    _write_back(session, doc, record, new, now)
    spec = doc.spec
    doc.title, doc.doc_type, doc.urgency = spec.get("title", ""), spec.get("doc_type", ""), spec.get("urgency", "")
    if new["revision"] != record["revision"]:
        st.store_revision(session, doc, me, now, args.note)
    st.audit(session, doc.id, me, "save_draft", step=doc.workflow.get("current") or "",
             detail={"revision": doc.revision, "note": args.note},
             source=_source(ctx, "documents.save_draft"), now=now)
    _fill_defaults(session, doc)
    st.publish(session, doc, now)
    return {"document_id": doc.id, "revision": doc.revision}


# --------------------------------------------------------------------------- acting


@mutation(I.ACT)
def act(ctx: MutationContext, args: ActArgs) -> dict[str, Any]:
    doc = _load_for_action(ctx, args.document_id, args.op)
    run_op(ctx, doc, args.op, args.step, dict(args.args), source=_source(ctx, "documents.act"))
    return _result(doc)


@mutation(I.BATCH_APPROVE)
def batch_approve(ctx: MutationContext, args: BatchApproveArgs) -> dict[str, Any]:
    if len(args.items) > BATCH_LIMIT:
        from modules.common.errors import TooLarge

        raise TooLarge("document.batch_too_large", limit=BATCH_LIMIT)
    results: list[dict[str, Any]] = []
    source = _source(ctx, "documents.batch_approve")
    # Lock every document up front, in id order: nothing is locked after the first
    # change was published (which holds the publishers' lock), so no deadlock with single acts.
    for doc_id in sorted({item.document_id for item in args.items}):
        with contextlib.suppress(DomainError):  # a missing one is reported on its item
            st.load_for_update(ctx.session, doc_id)
    for item in args.items:
        def effect(record: dict[str, Any], me: dict[str, str], step: str | None = item.step) -> dict[str, Any]:
            return effects.batch_item(record, step, args.opinion, me, ctx.now)

        try:
            with ctx.session.begin_nested():
                doc = _load_for_action(ctx, item.document_id, "approve")
                run_op(ctx, doc, "approve", item.step, {"opinion": args.opinion}, source=source,
                       effect=effect)
                results.append({"document_id": item.document_id, "ok": True,
                                "version": doc.workflow.get("version", 0)})
        except DomainError as exc:
            results.append({"document_id": item.document_id, "ok": False, "status": exc.outcome,
                            "error": exc.to_dict(ctx.lang)})
    return {"results": results}


@mutation(I.SIGN_FOR)
def sign_for(ctx: MutationContext, args: DocArgs) -> dict[str, Any]:
    doc = _load_for_action(ctx, args.document_id, "sign_for")
    _kind_check(doc, "incoming")  # before the workflow's own refusals, as the effect does
    run_op(ctx, doc, "approve", "receive", {}, source=_source(ctx, "documents.sign_for"),
           effect=lambda record, me: effects.sign_for(record, args.model_dump(), me, ctx.now))
    return _result(doc)


# --------------------------------------------------------------------------- registration


def _number_outgoing(ctx: MutationContext, doc: Document, args: RegisterArgs,
                     me: dict[str, str]) -> dict[str, Any]:
    """发文字号 (kept when registered before), the final text, its PDF and seal anchor."""
    from modules.documents.render import render_pdf

    session, now = ctx.session, ctx.now
    if args.main_to is not None:
        doc.main_to = _organ_bodies(session, args.main_to)
    if args.cc_to is not None:
        doc.cc_to = _organ_bodies(session, args.cc_to)
    if not doc.main_to:
        raise ValidationFailed("document.no_recipients")
    body = session.get(Body, doc.body_id)
    assert body is not None
    code = (args.agency_code or body.code or "").strip()
    if not code:
        raise ValidationFailed("document.no_agency_code", body=body.name)
    year = args.year or st.china_now(now).year
    if doc.doc_number:
        number = doc.doc_number  # registered before (returned to 登记 later): keep its number
    else:
        seq = st.allocate_number(session, body_id=doc.body_id, kind="out", agency_code=code, year=year,
                                 document_id=doc.id, now=now)
        number = format_doc_number(code, year, seq)
    parsed = effects.registered_spec(doc.spec, number, args.print_date, now)
    rendered = render_pdf(parsed)
    store = st.blob_store_for(session, ctx)
    doc.pdf_sha256 = st.put_blob(session, store, rendered.pdf, owner_id=me["id"],
                                 content_type="application/pdf", entity_id=doc.id)
    doc.seal = {**(doc.seal or {}), "anchor": list(rendered.seal_anchor) if rendered.seal_anchor else None}
    doc.spec = parsed.to_dict()
    doc.doc_number = number
    st.store_revision(session, doc, me, now, "登记：" + number)
    return {"doc_number": number, "pdf_sha256": doc.pdf_sha256}


def _number_incoming(ctx: MutationContext, doc: Document, args: RegisterArgs) -> dict[str, Any]:
    """收文号 (kept when registered before)."""
    code = (args.agency_code or "收文").strip()
    year = args.year or st.china_now(ctx.now).year
    if not doc.receipt_number:
        seq = st.allocate_number(ctx.session, body_id=doc.body_id, kind="in", agency_code=code, year=year,
                                 document_id=doc.id, now=ctx.now)
        doc.receipt_number = f"{code}〔{year}〕{seq}号"
    return {"receipt_number": doc.receipt_number}


@mutation(I.REGISTER)
def register(ctx: MutationContext, args: RegisterArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    doc = _load_for_action(ctx, args.document_id, "approve")
    _closed_copy_guard(session, doc, "approve", now)
    _fill_defaults(session, doc)
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    # Authorise first (pure): the number is only taken by someone who may register.
    effects.authorise_step(doc.workflow, "register", me, now, args.step)
    outgoing = doc.kind == "outgoing"
    if args.deadline_days is not None and outgoing:
        raise ValidationFailed("document.deadline_days_incoming_only")
    numbers = _number_outgoing(ctx, doc, args, me) if outgoing else _number_incoming(ctx, doc, args)
    if args.deadline_days is not None:  # 办理时限: N working days after 登记, server calendar
        due = time_limit.due_after(st.china_now(now).date(), args.deadline_days, holiday_table(session))
        doc.deadline = due.day.isoformat()
    run_op(ctx, doc, "approve", args.step or "register", {}, source=_source(ctx, "documents.register"),
           internal=True)
    if outgoing and doc.workflow.get("current") == "seal" and args.seal_id:
        _request_seal(ctx, doc, args.seal_id, "", 1)
    return _result(doc, **numbers)


# --------------------------------------------------------------------------- seal


def _request_seal(ctx: MutationContext, doc: Document, seal_id: str, reason: str, copies: int) -> None:
    from server.documents import feed

    create = feed.seal_request_function()
    if create is None:
        raise ValidationFailed("document.seal_unavailable")
    request_id = create(
        ctx.session, document_id=doc.id, pdf_sha256=doc.pdf_sha256, seal_id=seal_id,
        requester_id=ctx.principal.person_id, reason=reason or f"{doc.doc_number} {doc.title}",
        copies=copies, document_title=doc.title, seal_anchor=(doc.seal or {}).get("anchor"),
        now=ctx.now,
    )
    doc.seal = {**(doc.seal or {}), "state": "requested", "request_id": str(request_id),
                "seal_id": seal_id, "stamped_sha256": "", "at": st.iso(ctx.now)}
    me = st.principal_actor(ctx.session, ctx.principal, doc.body_id)
    st.audit(ctx.session, doc.id, me, "request_seal", step="seal",
             detail={"seal_id": seal_id, "request_id": str(request_id), "copies": copies},
             source=_source(ctx, "documents.request_seal"), now=ctx.now)
    st.publish(ctx.session, doc, ctx.now)


@mutation(I.REQUEST_SEAL)
def request_seal(ctx: MutationContext, args: RequestSealArgs) -> dict[str, Any]:
    doc = _load_for_action(ctx, args.document_id, "approve")
    _kind_check(doc, "outgoing")
    me = st.principal_actor(ctx.session, ctx.principal, doc.body_id)
    if doc.workflow.get("current") != "seal":
        wf_rules.approve(doc.workflow, me, st.china_now(ctx.now), step="seal")  # raises in words
        raise ValidationFailed("document.use_intent", step="用印", step_en="seal", action="用印申请",
                               action_en="seal request")
    body = ctx.session.get(Body, doc.body_id)
    policy.check_registry(
        policy.may_request_seal(actor_facts(ctx.session, ctx.principal), doc.body_id,
                                on_seal_step=wf_rules.can_act(doc.workflow, me)),
        body.name if body else doc.body_id, "申请用印", "request the seal")
    _request_seal(ctx, doc, args.seal_id, args.reason, args.copies)
    return _result(doc, request_id=doc.seal.get("request_id", ""))


# --------------------------------------------------------------------------- exchange


def _new_incoming(ctx: MutationContext, out: Document, body_id: str, role: str,
                  sender: dict[str, str]) -> Document:
    session, now = ctx.session, ctx.now
    clerks = st.role_holders(session, body_id, "registry_clerk")
    owner = clerks[0] if clerks else (st.role_holders(session, body_id, "leader") or [sender])[0]
    inc_id = f"d-{uuid.uuid4().hex[:12]}"
    assignments = {"receive": clerks or [owner]}
    state = wf_rules.new_workflow("incoming", owner, st.china_now(now), assignments, doc_id=inc_id)
    inc = Document(
        id=inc_id, kind="incoming", body_id=body_id, title=out.title, doc_type=out.doc_type,
        urgency=out.urgency, spec=copy.deepcopy(out.spec), attachments=list(out.attachments),
        main_to=list(out.main_to), cc_to=list(out.cc_to), workflow=state, status="active",
        doc_number=out.doc_number, pdf_sha256=out.pdf_sha256, revision=0,
        seal={"state": "none"}, source_id=out.id, source_role=role, created_by=sender,
        created_at=now, updated_at=now,
    )
    session.add(inc)
    session.flush()
    _fill_defaults(session, inc)
    session.add(Delivery(outgoing_id=out.id, body_id=body_id, role=role, incoming_id=inc_id,
                         state="delivered", delivered_at=now))
    st.audit(session, inc.id, sender, "delivered", step="receive",
             detail={"from": out.body_id, "outgoing_id": out.id, "role": role},
             source=_source(ctx, "documents.dispatch"), now=now)
    st.publish(session, inc, now)
    return inc


@mutation(I.DISPATCH)
def dispatch(ctx: MutationContext, args: DispatchArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    doc = _load_for_action(ctx, args.document_id, "approve")
    _kind_check(doc, "outgoing")
    _fill_defaults(session, doc)
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    effects.authorise_step(doc.workflow, "dispatch", me, now, args.step)
    if not doc.main_to:
        raise ValidationFailed("document.no_recipients")
    run_op(ctx, doc, "approve", args.step or "dispatch", {}, source=_source(ctx, "documents.dispatch"),
           internal=True)
    created: dict[str, str] = {}
    targets = [(b, "main") for b in doc.main_to] + [(b, "cc") for b in doc.cc_to if b not in doc.main_to]
    for body_id, role in targets:
        if body_id == doc.body_id or body_id in created:
            continue
        created[body_id] = _new_incoming(ctx, doc, body_id, role, me).id
    st.publish(session, doc, now)
    return _result(doc, incoming=created)


@mutation(I.RETURN_TO_SENDER)
def return_to_sender(ctx: MutationContext, args: ReasonArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    doc, me, record = _load_record(ctx, args.document_id, "return")
    step = doc.workflow.get("current") or ""
    _write_back(session, doc, record, effects.return_to_sender(record, args.model_dump(), me, now), now)
    st.audit(session, doc.id, me, "return_to_sender", step=step,
             detail={"reason": args.reason}, source=_source(ctx, "documents.return_to_sender"), now=now)
    st.publish(session, doc, now)
    outgoing = refresh_delivery(session, doc)
    if outgoing is not None:
        st.audit(session, outgoing.id, me, "returned_by_recipient", detail={"body_id": doc.body_id,
                 "reason": args.reason}, source=_source(ctx, "documents.return_to_sender"), now=now)
        st.publish(session, outgoing, now, touch=False)
    return _result(doc)


@mutation(I.RECALL)
def recall(ctx: MutationContext, args: RecallArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    doc = _load_for_action(ctx, args.document_id, "withdraw")
    _kind_check(doc, "outgoing")
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    body = session.get(Body, doc.body_id)
    policy.check_registry(
        policy.may_recall(actor_facts(session, ctx.principal), doc.body_id, owner_id=doc.workflow["owner"]["id"]),
        body.name if body else doc.body_id, "撤回分发", "recall a dispatch")
    rows = session.scalars(select(Delivery).where(Delivery.outgoing_id == doc.id)).all()
    wanted = set(args.body_ids) if args.body_ids else {d.body_id for d in rows if d.state != "recalled"}
    chosen = []
    for d in rows:
        if d.body_id not in wanted or d.state == "recalled":
            continue
        inc = st.load_for_update(session, d.incoming_id)
        session.refresh(d)
        refresh_delivery(session, inc)
        if d.state != "delivered":
            body = session.get(Body, d.body_id)
            who = (d.signed_by or {}).get("name", "")
            raise Conflict("document.already_signed_for", body=body.name if body else d.body_id, name=who,
                           time=st.when_words(d.signed_at or now, now))
        chosen.append((d, inc))
    if not chosen:
        raise ValidationFailed("document.nothing_to_recall")
    for d, inc in chosen:
        d.state, d.recalled_at = "recalled", now
        record = _record(session, inc)
        _write_back(session, inc, record, effects.recall_copy(record, args.reason, me, now), now)
        st.audit(session, inc.id, me, "recall", detail={"reason": args.reason},
                 source=_source(ctx, "documents.recall"), now=now)
        st.publish(session, inc, now)
    st.audit(session, doc.id, me, "recall", detail={"bodies": [d.body_id for d, _ in chosen], "reason": args.reason},
             source=_source(ctx, "documents.recall"), now=now)
    st.publish(session, doc, now)
    return _result(doc, recalled=[d.body_id for d, _ in chosen])


@mutation(I.MARK_OPENED)
def mark_opened(ctx: MutationContext, args: DocArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    doc, me, record = _load_record(ctx, args.document_id, "open", reads=True)
    mine = next((r for r in record["reads"] if r["person_id"] == me["id"]), None)
    first = mine is None or mine["opens"] == 0
    _write_back(session, doc, record, effects.mark_opened(record, args.model_dump(), me, now), now)
    rr = session.get(ReadReceipt, (doc.id, me["id"]))
    assert rr is not None
    rr.opens += 1  # how often: the server's count, not the record's
    session.flush()
    if first:
        st.audit(session, doc.id, me, "opened", source=_source(ctx, "documents.mark_opened"), now=now)
        st.publish(session, doc, now)
        if doc.kind == "incoming" and doc.source_id:
            src = session.get(Document, doc.source_id)
            if src is not None:
                st.publish(session, src, now, touch=False)
    return {"document_id": doc.id, "first": first}


@mutation(I.ARCHIVE)
def archive(ctx: MutationContext, args: ArchiveArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    if args.retention not in RETENTIONS:  # refused before the document is even looked up
        raise ValidationFailed("document.bad_retention")
    doc = _load_for_action(ctx, args.document_id, "approve")
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    facts = actor_facts(session, ctx.principal)

    def effect(record: dict[str, Any], who: dict[str, str]) -> dict[str, Any]:
        return effects.archive(record, args.model_dump(), who, now, facts=facts)

    if doc.kind == "incoming":  # on its 归档 step: a workflow operation
        run_op(ctx, doc, "approve", "archive", {}, source=_source(ctx, "documents.archive"), effect=effect)
    else:
        record = _record(session, doc)
        _write_back(session, doc, record, effect(record, me), now)
        st.audit(session, doc.id, me, "archive", detail={"retention": args.retention},
                 source=_source(ctx, "documents.archive"), now=now)
    st.publish(session, doc, now)
    return {"document_id": doc.id, "archive": doc.archive}

from server.documents import intake_mutations as _intake_mutations  # noqa: E402,F401  (documents.intake)
