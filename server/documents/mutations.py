"""Document intents (docs/DOCUMENTS_PROTOCOL.md §2): the server side of 公文流转.

Each handler loads the document with its row lock, re-runs the pure workflow rules of
:mod:`modules.documents.workflow` (the same ones the client applied optimistically) on
the server's current state, writes through :mod:`server.documents.storage` (feed, to-dos,
audit) and returns a small result. Expected failures are DomainErrors: a late action is a
conflict in words, e.g. "该公文已由张伟于10:42退回，您的签批未生效。".

Classified documents are refused before anything is parsed further (a ``before``
validator on the argument models), so nothing of them is stored.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.common.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from modules.documents import intents as I
from modules.documents import policy
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
from modules.documents.rules import format_doc_number, parse_spec, validate_spec
from server.access_facts import actor_facts
from server.blobs.store import can_read
from server.directory.models import Body
from server.documents import storage as st
from server.documents.models import Delivery, Document, ReadReceipt
from server.mutations import MutationContext, mutation
from server.scopes import scope_keys

BATCH_LIMIT = 50

st.messages.register({
    "document.signature_mismatch": {
        "zh_CN": "手写签批的签名与本次办理的环节或意见不一致，未予采用。",
        "en": "The signed handwriting does not match this step or opinion; it was not accepted.",
    },
    "document.step_not_assignable": {
        "zh_CN": "“{step}”环节由本机关收发员或印章管理员办理，不能指定办理人。",
        "en": "The {step_en} step belongs to the body's registry or seal custodians; it cannot be assigned.",
    },
    "document.return_too_late": {
        "zh_CN": "公文已进入“{step}”环节，不能再退回发文机关。",
        "en": "The document is already at {step_en}; it can no longer be returned to the sender.",
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


def _kind_guard(doc: Document, kind: str) -> None:
    if doc.kind != kind:
        words = {"outgoing": ("发文", "outgoing"), "incoming": ("收文", "incoming")}[kind]
        raise ValidationFailed("document.wrong_kind", kind=words[0], kind_en=words[1])


_ATTEMPTS = {"save": ("修改", "edit"), "open": ("查阅", "opening"), "sign_for": ("签收", "signing for")}


def _closed_copy_guard(session: Session, doc: Document, attempt: str, now: dt.datetime) -> None:
    """A recalled or returned incoming copy: say who ended it and when."""
    att, att_en = _ATTEMPTS.get(attempt) or wf_rules._ATTEMPT_WORDS.get(attempt, (attempt, attempt))
    if doc.status == "recalled":
        delivery = session.get(Delivery, (doc.source_id, doc.body_id)) if doc.source_id else None
        src = session.get(Document, doc.source_id) if doc.source_id else None
        sender = session.get(Body, src.body_id) if src else None
        at = delivery.recalled_at if delivery and delivery.recalled_at else doc.updated_at
        raise Conflict("document.recalled", body=sender.name if sender else "发文机关",
                       time=st.when_words(at, now), attempt=att, attempt_en=att_en)
    if doc.status == "returned":
        ev = next((e for e in reversed(doc.workflow["history"]) if e["op"] == "return_to_sender"), None)
        name = ev["actor"]["name"] if ev else ""
        at = dt.datetime.fromisoformat(ev["at"]) if ev else doc.updated_at
        raise Conflict("document.returned_to_sender", name=name, time=st.when_words(at, now),
                       attempt=att, attempt_en=att_en)


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
        raise st.NotFound("document.not_found", id=document_id)
    return doc


#: Steps whose people the users choose; the others belong to the body's registry/seals.
CHOSEN_STEPS = {"outgoing": ("review", "countersign", "sign"),
                "incoming": ("propose", "instruct", "handle", "circulate")}


def _check_chosen(doc_kind: str, mapping: dict[str, list[dict[str, str]]]) -> None:
    for step in mapping:
        if step not in CHOSEN_STEPS[doc_kind]:
            name = st.STEP_NAMES.get(step)
            if name is None:
                raise ValidationFailed("document.workflow.unknown_step", step=step)
            raise ValidationFailed("document.step_not_assignable", step=name, step_en=step)


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


def _parse_deadline(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationFailed("document.bad_date", value=str(value), label="办理时限",
                               label_en="Deadline", field="deadline") from None


def _check_ink(ctx: MutationContext, sha: Any) -> str | None:
    if not sha:
        return None
    from server.blobs.store import check_sha

    sha = check_sha(str(sha))
    keys = scope_keys(ctx.session, ctx.principal)
    if not can_read(ctx.session, sha, ctx.principal.person_id, keys):
        raise ValidationFailed("blob.not_found", sha256=sha)
    return sha


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


def _op_kwargs(ctx: MutationContext, doc: Document, op: str, step: str | None,
               args: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Workflow keyword arguments for ``op`` from the intent's ``args``, and extras the
    server handles itself (ink, deadline)."""
    session, organ = ctx.session, doc.body_id
    allowed: dict[str, set[str]] = {
        "approve": {"opinion", "next_assignees", "ink_sha256", "deadline", "signed"},
        "return": {"to_step", "reason"},
        "transfer": {"to", "reason"},
        "delegate": {"to"},
        "add_signer": {"signer", "target_step"},
        "remove_signer": {"signer_id", "target_step"},
        "withdraw": set(),
        "urge": {"message", "deadline"},
        "void": {"reason"},
    }
    unknown = sorted(set(args) - allowed[op])
    if unknown:
        raise ValidationFailed("request.invalid", detail=f"args: {', '.join(unknown)}")

    def text(key: str) -> str:
        value = args.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationFailed("request.invalid", detail=f"args.{key}: 应为文本")
        return value[:2000]

    extra: dict[str, Any] = {}
    kw: dict[str, Any] = {}
    if op == "approve":
        kw = {"step": step, "opinion": text("opinion"),
              "next_assignees": st.normalise_actor_map(session, args.get("next_assignees"), organ)}
        _check_chosen(doc.kind, kw["next_assignees"])
        extra["ink_sha256"] = _check_ink(ctx, args.get("ink_sha256"))
        extra["deadline"] = _parse_deadline(args.get("deadline"))
        extra["signed"] = _check_signed(ctx, doc, step, kw["opinion"], args.get("signed"))
    elif op == "return":
        kw = {"step": step, "to_step": text("to_step"), "reason": text("reason")}
    elif op == "transfer":
        kw = {"step": step, "to": st.normalise_actor(session, args.get("to"), organ),
              "reason": text("reason")}
    elif op == "delegate":
        kw = {"step": step, "to": st.normalise_actor(session, args.get("to"), organ)}
    elif op == "add_signer":
        kw = {"step": text("target_step") or step,
              "signer": st.normalise_actor(session, args.get("signer"), organ)}
    elif op == "remove_signer":
        kw = {"step": text("target_step") or step, "signer_id": text("signer_id")}
    elif op == "urge":
        kw = {"message": text("message"), "deadline": text("deadline")}
    elif op == "void":
        kw = {"reason": text("reason")}
    return kw, extra


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


def _after_sign(session: Session, doc: Document, signer: dict[str, str], now: dt.datetime) -> None:
    """签发 done: 成文日期 = the signing day (China time); 上行文 names its signer."""
    spec = copy.deepcopy(doc.spec)
    if not spec.get("date"):
        spec["date"] = st.china_now(now).date().isoformat()
    if parse_spec(spec).is_upward:
        signers = list(spec.get("signers") or [])
        if signer["name"] not in signers:
            signers.append(signer["name"])
        spec["signers"] = signers
    doc.spec = spec


def _mark_acted(session: Session, doc: Document, person: dict[str, str], now: dt.datetime) -> None:
    rr = session.get(ReadReceipt, (doc.id, person["id"]))
    if rr is None:
        rr = ReadReceipt(document_id=doc.id, person_id=person["id"], name=person["name"],
                         first_opened_at=now, last_opened_at=now, opens=0)
        session.add(rr)
    rr.acted_at = now


def run_op(ctx: MutationContext, doc: Document, op: str, step: str | None, args: dict[str, Any],
           *, source: str, internal: bool = False) -> Document:
    """Apply one workflow operation to a locked document and publish the result."""
    session, now = ctx.session, ctx.now
    now_c = st.china_now(now)
    _closed_copy_guard(session, doc, op, now)
    if op == "approve" and not internal:
        current = doc.workflow.get("current")
        if current in ("register", "dispatch") and (step is None or step == current):
            words = {"register": ("登记", "register"), "dispatch": ("核发", "dispatch")}[current]
            raise ValidationFailed("document.use_intent", step=st.STEP_NAMES[current],
                                   step_en=current, action=words[0], action_en=words[1])
    if op == "approve" and doc.kind == "outgoing" and doc.workflow.get("current") == "draft":
        validate_spec(doc.spec, final=False)
    _fill_defaults(session, doc)
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    kw, extra = _op_kwargs(ctx, doc, op, step, args)
    before_state = doc.workflow
    opinions_before = len(before_state.get("opinions", []))
    new = wf_rules.apply(before_state, op, me, now_c, **kw)
    doc.workflow = new
    if op == "approve":
        acted_step = new["history"][-1]["step"]
        principal = new["history"][-1].get("on_behalf_of") or me
        st.store_new_opinions(session, doc, opinions_before, now, extra.get("ink_sha256"), extra.get("signed"))
        _mark_acted(session, doc, principal, now)
        if doc.kind == "outgoing" and acted_step == "sign" and new.get("current") != "sign":
            _after_sign(session, doc, principal, now)
        if doc.kind == "incoming" and acted_step == "instruct" and extra.get("deadline"):
            doc.deadline = extra["deadline"]
        if doc.kind == "incoming" and acted_step == "archive" and new["status"] == "done" and not doc.archive:
            doc.archive = {"at": st.iso(now), "by": me, "retention": "永久", "archive_no": ""}
        if doc.kind == "outgoing" and new.get("current") == "seal" and (doc.seal or {}).get("state") not in (
            "requested", "stamped"
        ):
            doc.seal = {**(doc.seal or {}), "state": "waiting", "request_id": "", "seal_id": "",
                        "stamped_sha256": "", "at": None}
    if op == "withdraw":
        _drop_withdrawn_opinions(session, doc)
    if op == "urge" and extra.get("deadline"):
        doc.deadline = extra["deadline"]
    status = new["status"]
    doc.status = {"active": "active", "done": "done", "voided": "voided"}.get(status, status)
    st.audit(session, doc.id, me, op, step=new["history"][-1].get("step") or "",
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


@mutation(I.CREATE_DRAFT)
def create_draft(ctx: MutationContext, args: CreateDraftArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    if session.get(Document, args.document_id) is not None:
        raise Conflict("document.exists", id=args.document_id)
    organs = st.principal_organs(session, ctx.principal)
    if args.body_id:
        organ = st.organ_of(session, args.body_id)
        policy.check_draft(actor_facts(session, ctx.principal), organ.id, organ.name)
    elif organs:
        organ = st.organ_of(session, organs[0])
    else:
        raise PermissionDenied("permission.denied", action="拟稿")
    spec = parse_spec(args.spec).to_dict()
    me = st.principal_actor(session, ctx.principal, organ.id)
    assignments = st.normalise_actor_map(session, args.assignments, organ.id)
    _check_chosen("outgoing", assignments)
    state = wf_rules.new_workflow("outgoing", me, st.china_now(now), assignments, doc_id=args.document_id)
    doc = Document(
        id=args.document_id, kind="outgoing", body_id=organ.id, title=spec.get("title", ""),
        doc_type=spec.get("doc_type", ""), urgency=spec.get("urgency", ""), spec=spec,
        attachments=st.attachment_rows(session, args.attachments, ctx.principal.person_id),
        main_to=_organ_bodies(session, args.main_to), cc_to=_organ_bodies(session, args.cc_to),
        workflow=state, status="active", revision=1, seal={"state": "none"},
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
    doc = _load_for_action(ctx, args.document_id, "save")
    _kind_guard(doc, "outgoing")
    wf = doc.workflow
    current = wf.get("current")
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    if args.base_revision is not None and args.base_revision != doc.revision:
        from server.documents.models import Revision

        latest = session.get(Revision, (doc.id, doc.revision))
        raise Conflict("document.revision_conflict", name=latest.author_name if latest else "",
                       time=st.when_words(latest.at, now) if latest else "", no=doc.revision)
    editable = ("draft", "review", "countersign", "sign")
    if wf["status"] != "active" or current not in editable:
        if wf["status"] == "voided":
            wf_rules.approve(wf, me, st.china_now(now))  # raises the voided conflict
        raise ValidationFailed("document.draft_locked")
    if not wf_rules.can_act(wf, me):
        raise PermissionDenied("document.not_editable", step=st.STEP_NAMES.get(current or "", ""),
                               step_en=current or "")
    spec = parse_spec(args.spec).to_dict()
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
    changed = spec != doc.spec
    doc.spec = spec
    doc.title, doc.doc_type, doc.urgency = spec.get("title", ""), spec.get("doc_type", ""), spec.get("urgency", "")
    if changed:
        st.store_revision(session, doc, me, now, args.note)
    st.audit(session, doc.id, me, "save_draft", step=current or "",
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
    # change was published (which holds the feed lock), so no deadlock with single acts.
    for doc_id in sorted({item.document_id for item in args.items}):
        with contextlib.suppress(DomainError):  # a missing one is reported on its item
            st.load_for_update(ctx.session, doc_id)
    for item in args.items:
        try:
            with ctx.session.begin_nested():
                doc = _load_for_action(ctx, item.document_id, "approve")
                run_op(ctx, doc, "approve", item.step, {"opinion": args.opinion}, source=source)
                results.append({"document_id": item.document_id, "ok": True,
                                "version": doc.workflow.get("version", 0)})
        except DomainError as exc:
            results.append({"document_id": item.document_id, "ok": False, "status": exc.outcome,
                            "error": exc.to_dict(ctx.lang)})
    return {"results": results}


@mutation(I.SIGN_FOR)
def sign_for(ctx: MutationContext, args: DocArgs) -> dict[str, Any]:
    doc = _load_for_action(ctx, args.document_id, "sign_for")
    _kind_guard(doc, "incoming")
    run_op(ctx, doc, "approve", "receive", {}, source=_source(ctx, "documents.sign_for"))
    return _result(doc)


# --------------------------------------------------------------------------- registration


def _register_outgoing(ctx: MutationContext, doc: Document, args: RegisterArgs) -> dict[str, Any]:
    from modules.documents.render import render_pdf

    session, now = ctx.session, ctx.now
    _fill_defaults(session, doc)
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    # Authorise first (pure): the number is only taken by someone who may register.
    wf_rules.approve(doc.workflow, me, st.china_now(now), step=args.step or "register")
    if doc.workflow.get("current") != "register":
        raise ValidationFailed("document.use_intent", step=st.STEP_NAMES["register"], step_en="register",
                               action="登记", action_en="register")
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
    spec = copy.deepcopy(doc.spec)
    spec["doc_number"] = number
    if args.print_date:
        spec["print_date"] = args.print_date
    elif spec.get("printer") and not spec.get("print_date"):
        spec["print_date"] = st.china_now(now).date().isoformat()
    parsed = validate_spec(spec, final=True)
    spec = parsed.to_dict()
    rendered = render_pdf(parsed)
    store = st.blob_store_for(session, ctx)
    doc.pdf_sha256 = st.put_blob(session, store, rendered.pdf, owner_id=me["id"],
                                 content_type="application/pdf", entity_id=doc.id)
    doc.seal = {**(doc.seal or {}), "anchor": list(rendered.seal_anchor) if rendered.seal_anchor else None}
    doc.spec = spec
    doc.doc_number = number
    st.store_revision(session, doc, me, now, "登记：" + number)
    run_op(ctx, doc, "approve", args.step or "register", {}, source=_source(ctx, "documents.register"),
           internal=True)
    if doc.workflow.get("current") == "seal" and args.seal_id:
        _request_seal(ctx, doc, args.seal_id, "", 1)
    return _result(doc, doc_number=number, pdf_sha256=doc.pdf_sha256)


def _register_incoming(ctx: MutationContext, doc: Document, args: RegisterArgs) -> dict[str, Any]:
    session, now = ctx.session, ctx.now
    _fill_defaults(session, doc)
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    wf_rules.approve(doc.workflow, me, st.china_now(now), step=args.step or "register")
    if doc.workflow.get("current") != "register":
        raise ValidationFailed("document.use_intent", step=st.STEP_NAMES["register"], step_en="register",
                               action="登记", action_en="register")
    body = session.get(Body, doc.body_id)
    assert body is not None
    code = (args.agency_code or "收文").strip()
    year = args.year or st.china_now(now).year
    if not doc.receipt_number:
        seq = st.allocate_number(session, body_id=doc.body_id, kind="in", agency_code=code, year=year,
                                 document_id=doc.id, now=now)
        doc.receipt_number = f"{code}〔{year}〕{seq}号"
    run_op(ctx, doc, "approve", args.step or "register", {}, source=_source(ctx, "documents.register"),
           internal=True)
    return _result(doc, receipt_number=doc.receipt_number)


@mutation(I.REGISTER)
def register(ctx: MutationContext, args: RegisterArgs) -> dict[str, Any]:
    doc = _load_for_action(ctx, args.document_id, "approve")
    _closed_copy_guard(ctx.session, doc, "approve", ctx.now)
    if doc.kind == "outgoing":
        return _register_outgoing(ctx, doc, args)
    return _register_incoming(ctx, doc, args)


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
    _kind_guard(doc, "outgoing")
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
    _kind_guard(doc, "outgoing")
    _fill_defaults(session, doc)
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    wf_rules.approve(doc.workflow, me, st.china_now(now), step=args.step or "dispatch")
    if doc.workflow.get("current") != "dispatch":
        raise ValidationFailed("document.use_intent", step=st.STEP_NAMES["dispatch"], step_en="dispatch",
                               action="核发", action_en="dispatch")
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
    doc = _load_for_action(ctx, args.document_id, "return")
    _kind_guard(doc, "incoming")
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    wf = doc.workflow
    if not wf_rules.can_act(wf, me):
        wf_rules.return_to(wf, me, st.china_now(now), to_step="receive", reason=args.reason,
                           step=wf.get("current"))  # raises the right words
    if wf.get("current") not in ("receive", "register", "screen"):
        cur = wf.get("current") or ""
        raise ValidationFailed("document.return_too_late", step=st.STEP_NAMES.get(cur, cur), step_en=cur)
    new = copy.deepcopy(wf)
    new["version"] += 1
    new["history"].append({"seq": new["version"], "op": "return_to_sender", "step": new["current"],
                           "actor": me, "at": st.china_now(now).isoformat(timespec="seconds"),
                           "reason": args.reason.strip()})
    new["status"], new["pending"], new["undo"] = "voided", [], None
    doc.workflow = new
    doc.status = "returned"
    doc.return_reason = args.reason.strip()
    st.audit(session, doc.id, me, "return_to_sender", step=wf.get("current") or "",
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
    _kind_guard(doc, "outgoing")
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
        new = copy.deepcopy(inc.workflow)
        new["version"] += 1
        new["history"].append({"seq": new["version"], "op": "recall", "step": new.get("current"),
                               "actor": me, "at": st.china_now(now).isoformat(timespec="seconds"),
                               "reason": args.reason.strip()})
        new["status"], new["pending"], new["undo"] = "voided", [], None
        inc.workflow = new
        inc.status = "recalled"
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
    doc = _load_for_action(ctx, args.document_id, "open")
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    rr = session.get(ReadReceipt, (doc.id, me["id"]))
    first = rr is None or rr.opens == 0
    if rr is None:
        rr = ReadReceipt(document_id=doc.id, person_id=me["id"], name=me["name"],
                         first_opened_at=now, last_opened_at=now, opens=0)
        session.add(rr)
    if rr.opens == 0:
        rr.first_opened_at = now
    rr.opens += 1
    rr.last_opened_at = now
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
    if args.retention not in RETENTIONS:
        raise ValidationFailed("document.bad_retention")
    doc = _load_for_action(ctx, args.document_id, "approve")
    me = st.principal_actor(session, ctx.principal, doc.body_id)
    if doc.kind == "outgoing":  # who may, before what state: a refusal never tells more
        body = session.get(Body, doc.body_id)
        policy.check_registry(policy.may_archive_outgoing(actor_facts(session, ctx.principal), doc.body_id),
                              body.name if body else doc.body_id, "归档", "archive")
    if doc.archive:
        at = dt.datetime.fromisoformat(doc.archive["at"].replace("Z", "+00:00"))
        raise Conflict("document.already_archived", name=doc.archive["by"]["name"], time=st.when_words(at, now))
    entry = {"at": st.iso(now), "by": me, "retention": args.retention, "archive_no": args.archive_no}
    if doc.kind == "incoming":
        run_op(ctx, doc, "approve", "archive", {}, source=_source(ctx, "documents.archive"))
        doc.archive = entry
    else:
        if doc.workflow["status"] != "done":
            raise ValidationFailed("document.not_finished")
        doc.archive = entry
        st.audit(session, doc.id, me, "archive", detail={"retention": args.retention},
                 source=_source(ctx, "documents.archive"), now=now)
    st.publish(session, doc, now)
    return {"document_id": doc.id, "archive": doc.archive}
