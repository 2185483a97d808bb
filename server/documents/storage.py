"""Document storage: loading with row locks, audience, feed publishing, to-dos, numbers.

All functions run inside the caller's transaction (intents use ``MutationContext.session``,
routes ``DbSession``) and never commit; a failure raises and the caller rolls back, so
nothing is half-written. The feed shape is docs/DOCUMENTS_PROTOCOL.md §1.

Concurrency: :func:`load_for_update` takes the document's row lock (``SELECT … FOR
UPDATE`` on PostgreSQL; SQLite serialises writers with ``BEGIN IMMEDIATE``), so two
people acting on one step at once are applied one after the other and the second one
sees the first one's result (a conflict in words). :func:`allocate_number` locks the
counter row the same way, inside the registering transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid
import weakref
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from modules.common import messages
from modules.common.china_time import CHINA as CHINA  # also named from here
from modules.common.errors import NotFound, ValidationFailed
from modules.documents import messages as _shared_messages  # noqa: F401  (registers codes)
from server.auth.principal import Principal
from server.blobs.models import Blob
from server.blobs.store import BlobStore, add_ref
from server.changefeed import record_change
from server.config import get_settings
from server.db import dialect_insert
from server.directory.models import Body, Person, Post
from server.documents.models import (
    AuditEntry,
    Delivery,
    Document,
    IssuedNumber,
    NumberCounter,
    Opinion,
    ReadReceipt,
    Revision,
)
from server.scopes import scope_keys
from server.workbench.feed import finish_todo, put_todo
from server.workbench.models import Todo

ENTITY = "documents.document"

messages.register({
    "document.unknown_person": {
        "zh_CN": "找不到人员“{id}”。",
        "en": "No person '{id}'.",
    },
    "document.unknown_body": {
        "zh_CN": "找不到机关“{id}”。",
        "en": "No body '{id}'.",
    },
    "document.no_recipients": {
        "zh_CN": "请选择主送机关。",
        "en": "Choose the main recipients.",
    },
    "document.no_agency_code": {
        "zh_CN": "{body}未设置机关代字，无法编发文字号。",
        "en": "{body} has no agency code; the document number cannot be issued.",
    },
    "document.already_signed_for": {
        "zh_CN": "{body}已由{name}于{time}签收，无法撤回。",
        "en": "{body} already signed for it ({name}, {time}); it cannot be recalled.",
    },
    "document.seal_unavailable": {
        "zh_CN": "电子印章服务尚未启用，请线下用印后由印章管理员确认。",
        "en": "The e-seal service is not available; seal on paper and let the seal custodian confirm.",
    },
    "document.batch_too_large": {
        "zh_CN": "一次最多批量签批{limit}件。",
        "en": "At most {limit} documents can be approved at once.",
    },
    "document.nothing_to_recall": {
        "zh_CN": "没有可撤回的分发。",
        "en": "There is no delivery to recall.",
    },
})

#: To-do words per (kind, step).
TODO_KIND: dict[tuple[str, str], str] = {
    ("outgoing", "draft"): "待修改",
    ("outgoing", "review"): "待核稿",
    ("outgoing", "countersign"): "待会签",
    ("outgoing", "sign"): "待签发",
    ("outgoing", "recheck"): "待复核",
    ("outgoing", "register"): "待登记",
    ("outgoing", "seal"): "待用印",
    ("outgoing", "dispatch"): "待核发",
    ("incoming", "receive"): "待签收",
    ("incoming", "register"): "待登记",
    ("incoming", "screen"): "待初审",
    ("incoming", "propose"): "待拟办",
    ("incoming", "instruct"): "待批办",
    ("incoming", "handle"): "待办理",
    ("incoming", "circulate"): "待阅",
    ("incoming", "complete"): "待办结",
    ("incoming", "archive"): "待归档",
}
STEP_NAMES: dict[str, str] = {
    "draft": "拟稿", "review": "核稿", "countersign": "会签", "sign": "签发",
    "recheck": "复核", "register": "登记", "seal": "用印", "dispatch": "核发",
    "receive": "签收", "screen": "初审", "propose": "拟办", "instruct": "批办",
    "handle": "承办", "circulate": "传阅", "complete": "办结", "archive": "归档",
}


# --------------------------------------------------------------------------- time


def iso(value: dt.datetime | None) -> str | None:
    """UTC ISO text with ``Z`` (the feed's convention)."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def china_now(now: dt.datetime) -> dt.datetime:
    """``now`` in China time: what workflow.py records, so its messages read 10:42."""
    return now.astimezone(CHINA)


def when_words(value: dt.datetime, now: dt.datetime) -> str:
    """"10:42" on the same (China) day as ``now``, else "3月5日10:42"."""
    at, ref = value.astimezone(CHINA), now.astimezone(CHINA)
    if at.date() == ref.date():
        return at.strftime("%H:%M")
    return f"{at.month}月{at.day}日{at:%H:%M}"


# --------------------------------------------------------------------------- directory


def organ_of(session: Session, body_id: str) -> Body:
    """The 机关 (kind="body") a body or internal department belongs to."""
    body = session.get(Body, body_id)
    if body is None:
        raise ValidationFailed("document.unknown_body", id=body_id)
    seen = 0
    while body.kind == "department" and body.parent_id and seen < 20:
        parent = session.get(Body, body.parent_id)
        if parent is None:
            break
        body, seen = parent, seen + 1
    return body


def body_label(body: Body) -> str:
    return body.name


def role_holders(session: Session, organ_id: str, role: str) -> list[dict[str, str]]:
    """Actors holding ``role`` on a post of the organ itself (registry, leaders, seals)."""
    rows = session.execute(
        select(Person, Post)
        .join(Post, Post.person_id == Person.id)
        .where(Post.body_id == organ_id, Person.active.is_(True))
        .order_by(Post.sort_order, Person.id)
    ).all()
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for person, post in rows:
        if role in (post.roles or ()) and person.id not in seen:
            seen.add(person.id)
            out.append({"id": person.id, "name": person.name, "post": post.title})
    return out


def person_actor(session: Session, person_id: str, organ_id: str | None = None) -> dict[str, str]:
    """``{id, name, post}`` from the directory; the post in ``organ_id``'s tree first."""
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise ValidationFailed("document.unknown_person", id=person_id)
    posts = session.scalars(
        select(Post).where(Post.person_id == person_id)
        .order_by(Post.is_primary.desc(), Post.sort_order, Post.id)
    ).all()
    title = posts[0].title if posts else ""
    if organ_id:
        for post in posts:
            if post.body_id == organ_id or organ_of(session, post.body_id).id == organ_id:
                title = post.title
                break
    return {"id": person.id, "name": person.name, "post": title}


def normalise_actor(session: Session, value: Any, organ_id: str | None = None) -> dict[str, str]:
    """An actor the client sent, with name and post taken from the directory."""
    if not isinstance(value, Mapping) or not value.get("id"):
        raise ValidationFailed("document.workflow.bad_actor")
    return person_actor(session, str(value["id"]), organ_id)


def normalise_actor_map(session: Session, value: Any, organ_id: str | None) -> dict[str, list[dict[str, str]]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationFailed("request.invalid", detail="next_assignees / assignments: 应为对象")
    out: dict[str, list[dict[str, str]]] = {}
    for step, people in value.items():
        if not isinstance(people, list):
            raise ValidationFailed("request.invalid", detail=f"{step}: 应为人员列表")
        out[str(step)] = [normalise_actor(session, p, organ_id) for p in people]
    return out


def principal_actor(session: Session, principal: Principal, organ_id: str | None = None) -> dict[str, str]:
    return person_actor(session, principal.person_id, organ_id)


def principal_organs(session: Session, principal: Principal) -> list[str]:
    """The organs the principal holds posts in (primary post first)."""
    out: list[str] = []
    for post in principal.posts:
        organ = organ_of(session, post.body_id).id
        if organ not in out:
            out.append(organ)
    return out


def is_registry(principal: Principal, organ_id: str) -> bool:
    """``modules.documents.policy.is_registry`` for a server principal."""
    return principal.has_role("registry_clerk", organ_id)


# --------------------------------------------------------------------------- loading


def load(session: Session, document_id: str) -> Document:
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFound("document.not_found", id=document_id)
    return doc


def load_for_update(session: Session, document_id: str) -> Document:
    """The document with its row lock held until the transaction ends."""
    doc = session.execute(
        select(Document).where(Document.id == document_id)
        .with_for_update().execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if doc is None:
        raise NotFound("document.not_found", id=document_id)
    return doc


def participants(doc: Document) -> set[str]:
    """Person ids taking part in the flow (see the protocol's audience rules)."""
    wf = doc.workflow
    people = {wf["owner"]["id"]}
    if doc.kind == "outgoing":  # an incoming copy's handling is the recipient body's own
        people.add((doc.created_by or {}).get("id", ""))
    for group in wf.get("assignments", {}).values():
        people |= {p["id"] for p in group}
    people |= {p["id"] for p in wf.get("pending", [])}
    people |= {p["id"] for p in wf.get("acted", [])}
    people |= {d["id"] for d in wf.get("delegations", {}).values()}
    for ev in wf.get("history", []):
        if ev.get("op") == "recall":  # the sender's clerk, not a participant of the copy
            continue
        people.add(ev["actor"]["id"])
        if ev.get("on_behalf_of"):
            people.add(ev["on_behalf_of"]["id"])
    people.discard("")
    return people


def audience(doc: Document) -> set[str]:
    if doc.status == "recalled":
        return set()
    keys = {f"body:{doc.body_id}:role:registry_clerk", f"body:{doc.body_id}:role:leader"}
    return keys | {f"user:{p}" for p in participants(doc)}


def can_see(session: Session, principal: Principal, doc: Document) -> bool:
    return bool(audience(doc) & scope_keys(session, principal))


def load_visible(session: Session, principal: Principal, document_id: str, *, lock: bool = False) -> Document:
    """The document if the principal may see it, else ``document.not_found``."""
    doc = load_for_update(session, document_id) if lock else load(session, document_id)
    if not can_see(session, principal, doc):
        raise NotFound("document.not_found", id=document_id)
    return doc


# --------------------------------------------------------------------------- feed


def state_words(doc: Document) -> str:
    wf = doc.workflow
    if doc.status == "recalled":
        return "已撤回"
    if doc.status == "returned":
        return "已退回发文机关"
    if wf["status"] == "voided":
        return "已作废"
    if wf["status"] == "done":
        if doc.archive:
            return "已归档"
        return "已核发" if doc.kind == "outgoing" else "已办结"
    step = wf.get("current") or ""
    if doc.kind == "outgoing" and step == "draft":
        return "待修改" if _returned_to_draft(wf) else "草稿"
    return TODO_KIND.get((doc.kind, step), STEP_NAMES.get(step, step))


def _returned_to_draft(wf: Mapping[str, Any]) -> bool:
    history: list[dict[str, Any]] = wf.get("history", [])
    for ev in reversed(history):
        if ev["op"] == "urge":
            continue
        return bool(ev["op"] == "return")
    return False


def _body_ref(session: Session, body_id: str) -> dict[str, str]:
    body = session.get(Body, body_id)
    return {"id": body_id, "name": body.name if body else body_id}


def _seconds(start: dt.datetime | None, end: dt.datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return int((end - start).total_seconds())


def delivery_data(session: Session, d: Delivery,
                  opened: list[tuple[str, str, dt.datetime]] | None = None) -> dict[str, Any]:
    """One recipient body's delivery with its read receipts and durations."""
    if opened is None:
        opened = [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(ReadReceipt.person_id, ReadReceipt.name, ReadReceipt.first_opened_at)
            .where(ReadReceipt.document_id == d.incoming_id)
            .order_by(ReadReceipt.first_opened_at, ReadReceipt.person_id)
        ).all()]
    return {
        "body_id": d.body_id, "body_name": _body_ref(session, d.body_id)["name"],
        "role": d.role, "incoming_id": d.incoming_id, "state": d.state,
        "delivered_at": iso(d.delivered_at), "signed_at": iso(d.signed_at),
        "signed_by": d.signed_by, "registered_at": iso(d.registered_at),
        "screened_at": iso(d.screened_at), "done_at": iso(d.done_at),
        "recalled_at": iso(d.recalled_at), "return_reason": d.return_reason,
        "opened": [{"person_id": p, "name": n, "at": iso(a)} for p, n, a in opened],
        "sign_seconds": _seconds(d.delivered_at, d.signed_at),
        "done_seconds": _seconds(d.delivered_at, d.done_at),
    }


def deliveries_data(session: Session, outgoing_id: str) -> list[dict[str, Any]]:
    """Every delivery of an outgoing document (main recipients first), in two queries."""
    rows = session.scalars(
        select(Delivery).where(Delivery.outgoing_id == outgoing_id)
        .order_by(Delivery.role.desc(), Delivery.body_id)
    ).all()
    opened: dict[str, list[tuple[str, str, dt.datetime]]] = {d.incoming_id: [] for d in rows}
    if rows:
        for doc_id, person_id, name, at in session.execute(
            select(ReadReceipt.document_id, ReadReceipt.person_id, ReadReceipt.name,
                   ReadReceipt.first_opened_at)
            .join(Delivery, Delivery.incoming_id == ReadReceipt.document_id)
            .where(Delivery.outgoing_id == outgoing_id)
            .order_by(ReadReceipt.first_opened_at, ReadReceipt.person_id)
        ):
            opened[doc_id].append((person_id, name, at))
    return [delivery_data(session, d, opened[d.incoming_id]) for d in rows]


def document_data(session: Session, doc: Document) -> dict[str, Any]:
    wf = doc.workflow
    step = wf.get("current") or ""
    source = None
    if doc.kind == "incoming" and doc.source_id:
        src = session.get(Document, doc.source_id)
        delivery = session.get(Delivery, (doc.source_id, doc.body_id))
        source = {
            "document_id": doc.source_id,
            "body_id": src.body_id if src else "",
            "body_name": _body_ref(session, src.body_id)["name"] if src else "",
            "doc_number": src.doc_number if src else doc.doc_number,
            "dispatched_at": iso(delivery.delivered_at) if delivery else None,
            "role": doc.source_role,
        }
    elif doc.kind == "incoming" and doc.source_role == "in":  # 收文录入 (intake_mutations)
        from modules.documents.intake_rules import intake_source

        source = intake_source(doc.spec, next((a for a in doc.attachments if a.get("role") == "source"), {}))
    opinions = [
        {
            "id": o.id, "step": o.step, "step_name": STEP_NAMES.get(o.step, o.step),
            "kind": o.kind, "text": o.text,
            "person": {"id": o.person_id, "name": o.person_name, "post": o.post},
            "at": iso(o.at),
            "written_by": ({"id": o.written_by_id} if o.written_by_id else None),
            "ink_sha256": o.ink_sha256,
            "signature": o.signature,
        }
        for o in session.scalars(
            select(Opinion).where(Opinion.document_id == doc.id).order_by(Opinion.at, Opinion.id)
        )
    ]
    revisions = [
        {"no": r.no, "by": {"id": r.author_id, "name": r.author_name}, "at": iso(r.at), "note": r.note}
        for r in session.scalars(
            select(Revision).where(Revision.document_id == doc.id).order_by(Revision.no)
        )
    ]
    reads = [
        {"person_id": r.person_id, "name": r.name, "first_opened_at": iso(r.first_opened_at),
         "last_opened_at": iso(r.last_opened_at), "acted_at": iso(r.acted_at)}
        for r in session.scalars(
            select(ReadReceipt).where(ReadReceipt.document_id == doc.id)
            .order_by(ReadReceipt.first_opened_at, ReadReceipt.person_id)
        )
    ]
    deliveries = deliveries_data(session, doc.id) if doc.kind == "outgoing" else []
    return {
        "id": doc.id, "kind": doc.kind, "body_id": doc.body_id,
        "body_name": _body_ref(session, doc.body_id)["name"],
        "title": doc.title, "doc_type": doc.doc_type, "urgency": doc.urgency,
        "spec": doc.spec, "attachments": doc.attachments,
        "main_to": [_body_ref(session, b) for b in doc.main_to],
        "cc_to": [_body_ref(session, b) for b in doc.cc_to],
        "doc_number": doc.doc_number, "receipt_number": doc.receipt_number,
        "pdf_sha256": doc.pdf_sha256, "revision": doc.revision, "revisions": revisions,
        "workflow": wf, "step": step, "step_name": STEP_NAMES.get(step, "") if step else "",
        "status": doc.status, "state_words": state_words(doc), "opinions": opinions,
        "seal": doc.seal or {"state": "none"}, "deliveries": deliveries, "source": source,
        "return_reason": doc.return_reason, "deadline": doc.deadline, "reads": reads,
        "archive": doc.archive, "created_by": doc.created_by,
        # the meeting whose 会议纪要 this is (server.meetings.minutes_mutations)
        "meeting_id": (doc.source_id or "") if doc.kind == "outgoing" and doc.source_role == "mt" else "",
        "created_at": iso(doc.created_at), "updated_at": iso(doc.updated_at),
    }


#: Transaction-level advisory lock key that orders document publishers (PostgreSQL).
_PUBLISH_LOCK_ID = 0x0FF1CE_D0C5


def _feed_lock(session: Session) -> None:
    """Take the document publishers' lock before reading what gets published.

    Document publishers hold it until commit, so what this transaction reads next
    includes everything they wrote (READ COMMITTED reads per statement): a document
    republished by two transactions at once (a sender's document when two recipients
    sign for it) never ends up with the older picture. Other modules' writers do not
    take it. SQLite already serialises writers.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PUBLISH_LOCK_ID})


def publish(session: Session, doc: Document, now: dt.datetime, *, urged: bool = False,
            touch: bool = True) -> None:
    """Write the document's current state to the feed and bring its to-dos up to date.

    ``touch=False`` republishes without writing the document row (a sender's document
    after a recipient acted): the caller does not hold its row lock, and taking it here
    would invert the lock order of a recall (outgoing, then its copies).
    """
    if touch:
        doc.updated_at = now
    session.flush()
    _feed_lock(session)
    _sync_blob_refs(session, doc)
    if touch:
        sync_todos(session, doc, now, urged=urged)
    record_change(session, ENTITY, doc.id, document_data(session, doc), audience(doc))


def _sync_blob_refs(session: Session, doc: Document) -> None:
    shas = {a.get("sha256") for a in doc.attachments} | {doc.pdf_sha256}
    shas |= {o.ink_sha256 for o in session.scalars(select(Opinion).where(Opinion.document_id == doc.id))}
    seal = doc.seal or {}
    shas.add(seal.get("stamped_sha256"))
    for sha in sorted(s for s in shas if s):
        add_ref(session, sha, ENTITY, doc.id)


# --------------------------------------------------------------------------- to-dos


def _due(doc: Document) -> dt.datetime | None:
    if not doc.deadline:
        return None
    try:
        day = dt.date.fromisoformat(doc.deadline)
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(18, 0), CHINA).astimezone(dt.UTC)


def desired_todos(doc: Document, origin: str = "") -> dict[str, tuple[str, str, str, str]]:
    """todo id -> (person id, kind words, step, from name) for the current state."""
    wf = doc.workflow
    out: dict[str, tuple[str, str, str, str]] = {}
    if doc.status != "active" or wf["status"] != "active" or not wf.get("current"):
        return out
    step = wf["current"]
    if doc.kind == "outgoing" and step == "draft" and not _returned_to_draft(wf):
        return out
    kind = TODO_KIND.get((doc.kind, step), STEP_NAMES.get(step, step))
    last = next((ev for ev in reversed(wf["history"]) if ev["op"] != "urge"), None)
    sender = last["actor"]["name"] if last else ""
    if doc.kind == "incoming" and not last:
        sender = origin  # a fresh copy comes from the sending body
    for p in wf["pending"]:
        out[f"doc:{doc.id}:{step}:{p['id']}"] = (p["id"], kind, step, sender)
        delegate = wf.get("delegations", {}).get(p["id"])
        if delegate:
            out[f"doc:{doc.id}:{step}:{delegate['id']}"] = (delegate["id"], kind, step, p["name"])
    return out


def sync_todos(session: Session, doc: Document, now: dt.datetime, *, urged: bool = False) -> None:
    origin = ""
    if doc.kind == "incoming" and doc.source_id:
        src = session.get(Document, doc.source_id)
        body = session.get(Body, src.body_id) if src else None
        origin = (body.short_name or body.name)[:60] if body else ""
    wanted = desired_todos(doc, origin)
    known = list(doc.open_todos or [])
    open_rows = session.scalars(select(Todo).where(Todo.id.in_(known), Todo.done.is_(False))).all() if known else []
    have = {t.id: t for t in open_rows}
    wf = doc.workflow
    for todo_id, todo in have.items():
        if todo_id in wanted:
            continue
        step = todo_id.split(":")[2]
        did = any(
            ev.get("step") == step and ev["op"] in ("approve", "return", "transfer", "void")
            and (ev["actor"]["id"] == todo.person_id
                 or (ev.get("on_behalf_of") or {}).get("id") == todo.person_id)
            for ev in wf["history"]
        )
        finish_todo(session, todo_id, remove=not did)
    title = doc.title or "（无标题）"
    for todo_id, (person_id, kind, _step, sender) in wanted.items():
        if todo_id in have and not urged:
            continue
        put_todo(
            session, todo_id=todo_id, person_id=person_id,
            title=(("【催办】" if urged else "") + title)[:300], module="documents", kind=kind,
            ref_id=doc.id, from_name=sender, urgency=doc.urgency, due_at=_due(doc),
        )
    if sorted(wanted) != sorted(known):
        doc.open_todos = sorted(wanted)


# --------------------------------------------------------------------------- audit


def audit(session: Session, doc_id: str, actor: Mapping[str, Any], action: str, *,
          step: str = "", detail: Mapping[str, Any] | None = None, source: str = "",
          now: dt.datetime) -> None:
    session.add(AuditEntry(
        document_id=doc_id, at=now, person_id=str(actor.get("id", "")),
        person_name=str(actor.get("name", "")), action=action, step=step or "",
        detail=dict(detail or {}), source=source[:140],
        system=str(actor.get("id", "")).startswith("system"),
    ))


# --------------------------------------------------------------------------- opinions


def store_new_opinions(session: Session, doc: Document, before: int, now: dt.datetime,
                       ink_sha256: str | None = None, signature: dict[str, Any] | None = None) -> None:
    """Persist opinions the workflow added since index ``before`` (with ink and a verified
    device signature, if given)."""
    for i, entry in enumerate(doc.workflow.get("opinions", [])[before:]):
        person = entry["person"]
        session.add(Opinion(
            id=f"op-{uuid.uuid4().hex[:16]}", document_id=doc.id, step=entry["step"],
            kind=entry.get("kind", "意见"), person_id=person["id"], person_name=person["name"],
            post=person.get("post", ""),
            written_by_id=(entry.get("written_by") or {}).get("id"),
            text=entry["text"], ink_sha256=ink_sha256 if i == 0 else None,
            signature=signature if i == 0 else None,
            at=now,
        ))


def store_revision(session: Session, doc: Document, author: Mapping[str, str], now: dt.datetime,
                   note: str = "") -> int:
    from modules.documents.diff import spec_text

    no = doc.revision if session.get(Revision, (doc.id, doc.revision)) is None else doc.revision + 1
    session.add(Revision(
        document_id=doc.id, no=no, spec=doc.spec, text=spec_text(doc.spec),
        author_id=author["id"], author_name=author["name"], note=note[:300], at=now,
    ))
    doc.revision = no
    return no


# --------------------------------------------------------------------------- numbers


def allocate_number(session: Session, *, body_id: str, kind: str, agency_code: str, year: int,
                    document_id: str, now: dt.datetime) -> int:
    """Next number for (body, kind, 代字, year), no gap and no duplicate.

    Creates the counter row if missing (``INSERT … ON CONFLICT DO NOTHING``), then locks
    it with ``SELECT … FOR UPDATE`` until the registering transaction ends: a second
    clerk waits and then reads the first one's value. A rolled-back registration rolls
    its number back too, so no gap appears. ``documents_number``'s primary key is the
    last line of defence against a duplicate.
    """
    key = {"body_id": body_id, "kind": kind, "agency_code": agency_code, "year": year}
    session.execute(dialect_insert(session)(NumberCounter).values(**key, value=0).on_conflict_do_nothing())
    counter = session.execute(
        select(NumberCounter).filter_by(**key).with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    counter.value += 1
    seq = counter.value
    session.add(IssuedNumber(**key, seq=seq, document_id=document_id, issued_at=now))
    session.flush()
    return seq


# --------------------------------------------------------------------------- blobs

_stores: weakref.WeakKeyDictionary[Engine, BlobStore] = weakref.WeakKeyDictionary()


def configure(app_state: Any) -> None:
    """Remember an app's blob store for its engine (intents have no request)."""
    _stores[app_state.engine] = app_state.blob_store


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def register_blob_store(session: Session, store: BlobStore) -> None:
    """Use ``store`` for documents written through ``session``'s engine (seeding)."""
    _stores[_engine(session)] = store


def blob_store_for(session: Session, ctx: Any = None) -> BlobStore:
    store = getattr(ctx, "blob_store", None)
    if isinstance(store, BlobStore):
        return store
    engine = _engine(session)
    store = _stores.get(engine)
    if store is None:
        store = BlobStore(get_settings().resolved_blob_dir())
        _stores[engine] = store
    return store


def put_blob(session: Session, store: BlobStore, data: bytes, *, owner_id: str,
             content_type: str, entity_id: str) -> str:
    """Store server-made bytes (a rendered PDF) as a complete blob referenced by the
    document; returns the SHA-256. The file is written before the row; an orphan file
    after a rollback is harmless (content-addressed)."""
    sha = hashlib.sha256(data).hexdigest()
    path = store.path(sha)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{sha}.{uuid.uuid4().hex[:8]}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    if session.get(Blob, sha) is None:
        session.add(Blob(sha256=sha, size=len(data), complete=True, uploader_id=owner_id,
                         content_type=content_type, created_at=dt.datetime.now(dt.UTC)))
        session.flush()
    add_ref(session, sha, ENTITY, entity_id)
    return sha


def attachment_rows(session: Session, items: Iterable[Any], person_id: str) -> list[dict[str, Any]]:
    """Validate attachment references: each blob must exist, be complete, and be readable
    by the person (their own upload or visible to them)."""
    from server.blobs.store import can_read, check_sha

    out = []
    for item in items:
        sha = check_sha(str(item.sha256))
        blob = session.get(Blob, sha)
        keys = frozenset({f"user:{person_id}"})
        if blob is None or not blob.complete or not (
            blob.uploader_id == person_id or can_read(session, sha, person_id, keys)
        ):
            raise ValidationFailed("blob.not_found", sha256=sha)
        out.append({
            "name": item.name.strip(), "sha256": sha, "size": blob.size,
            "content_type": item.content_type or blob.content_type or "application/octet-stream",
        })
    return out
