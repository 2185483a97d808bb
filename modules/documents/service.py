"""Client-side document circulation (公文流转): optimistic appliers, queries, attachments.

Record: entity ``documents.document`` (one per document; see docs/DOCUMENTS_PROTOCOL.md
for the authoritative shape). The fields this module relies on::

    id, kind ("outgoing" 发文 | "incoming" 收文), doc_type, title, doc_number, urgency,
    body_id, body_name, spec (DocumentSpec JSON), recipients / cc ([{id, name}]),
    attachments ([{name, sha256, size, mime}]), pdf_sha256 (official PDF, if any),
    workflow (the state of modules.documents.workflow), reads ({person_id: {name, at}}),
    deliveries ([{body_id, body_name, delivered_at, received_at, received_by, done_at}]),
    created_at, updated_at

Intents (all carry ``id`` = the document id):

* ``documents.create_draft`` ``{id, kind, doc_type, title, urgency, spec, recipients, cc,
  attachments, body_id, body_name}`` and ``documents.save_draft`` (same fields, partial)
  — drafting works offline;
* the workflow operations ``documents.approve`` ``{step, opinion, next_assignees}``,
  ``documents.return`` ``{step, to_step, reason}``, ``documents.transfer`` ``{step, to,
  reason}``, ``documents.delegate`` ``{step, to}``, ``documents.add_signer`` ``{step,
  signer}``, ``documents.remove_signer`` ``{step, signer_id}``, ``documents.withdraw``,
  ``documents.urge`` ``{message, deadline}``, ``documents.void`` ``{reason}``;
* ``documents.mark_read`` — the signed-in user opened the document (timeline 已阅).

:func:`apply_intent` is the pure function behind every applier: it runs
``modules.documents.rules`` and ``modules.documents.workflow`` — the very functions the
server runs — on the cached record, so the screen changes at once, offline too.
Classified (涉密) content is refused before anything is queued.

Threading: :class:`DocumentService` methods block on the local database and files; call
them off the GUI thread (``office_app.tasks.run_in_background``). The module-level pure
functions are thread-safe.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select, tuple_

from modules.common import messages
from modules.common.errors import DomainError, NotFound, ValidationFailed
from modules.documents import rules, workflow
from modules.documents import search as doc_search
from sync.local import LocalTx, applier

log = logging.getLogger(__name__)

ENTITY = "documents.document"

#: Workflow operation -> intent name.
WORKFLOW_INTENTS: dict[str, str] = {op: f"documents.{op}" for op in workflow.OPERATIONS}
CREATE_DRAFT = "documents.create_draft"
SAVE_DRAFT = "documents.save_draft"
MARK_READ = "documents.mark_read"

#: Inbox tabs (key, Chinese label). 全部 = everything this user can see.
TABS: tuple[tuple[str, str], ...] = (
    ("todo", "待办"), ("done", "已办"), ("mine", "我发起"), ("circulate", "传阅"), ("all", "全部"),
)
TAB_LABELS = dict(TABS)

#: Draft fields a create/save intent may set.
DRAFT_FIELDS = ("doc_type", "title", "urgency", "spec", "recipients", "cc", "attachments",
                "body_id", "body_name")

messages.register({
    "document.not_found": {
        "zh_CN": "找不到该公文（可能已被删除，或您无权查看）。",
        "en": "The document was not found (it may have been deleted, or you may not see it).",
    },
    "document.not_a_draft": {
        "zh_CN": "公文已提交，不能再修改草稿；请先撤回或由办理人退回。",
        "en": "The document was already submitted; withdraw it or have it returned before editing.",
    },
    "document.not_owner": {
        "zh_CN": "只有拟稿人可以修改草稿。",
        "en": "Only the drafter can edit the draft.",
    },
    "document.already_exists": {
        "zh_CN": "编号为 {id} 的公文已存在。",
        "en": "A document with id {id} already exists.",
    },
    "document.attachment_missing": {
        "zh_CN": "附件“{name}”尚未下载到本机，请联网后再打开。",
        "en": "The attachment '{name}' is not on this computer yet; connect to download it.",
    },
    "document.attachment_corrupt": {
        "zh_CN": "附件“{name}”校验失败（内容与登记的哈希值不符），已重新排队下载。",
        "en": "The attachment '{name}' failed its hash check and was queued for download again.",
    },
    "document.no_blob_store": {
        "zh_CN": "本机未启用附件存储，无法添加附件。",
        "en": "Attachment storage is not available on this computer.",
    },
})


# --------------------------------------------------------------------------- pure helpers


def actor_of(principal: Mapping[str, Any]) -> workflow.Actor:
    """The workflow actor for the signed-in user (id, name, primary post title)."""
    posts = [p for p in principal.get("posts") or [] if isinstance(p, Mapping)]
    primary = next((p for p in posts if p.get("is_primary")), posts[0] if posts else {})
    return workflow.Actor(str(principal.get("person_id") or principal.get("id") or ""),
                          str(principal.get("name") or ""), str(primary.get("title") or ""))


def _iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")


def _people(value: Any, field_name: str) -> list[dict[str, str]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationFailed("document.invalid_spec", detail=f"{field_name}: 应为列表 / must be a list")
    out = []
    for item in value:
        if isinstance(item, str):
            out.append({"id": "", "name": item.strip()})
        elif isinstance(item, Mapping) and item.get("name"):
            out.append({"id": str(item.get("id") or ""), "name": str(item["name"]).strip()})
        else:
            raise ValidationFailed("document.invalid_spec", detail=f"{field_name}: 项目需要名称 / needs a name")
    return out


def _attachments(value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ValidationFailed("document.invalid_spec", detail="attachments: 应为列表 / must be a list")
    out = []
    for item in value:
        if not isinstance(item, Mapping) or not str(item.get("name") or "").strip():
            raise ValidationFailed("document.invalid_spec", detail="附件名称为空 / empty attachment name")
        name = str(item["name"]).strip()
        if name[-1] in "。，、；：,.;:！？!?":
            raise ValidationFailed("document.attachment_punctuation", value=name)
        sha = item.get("sha256") or None
        if sha is not None and (not isinstance(sha, str) or len(sha) != 64):
            raise ValidationFailed("request.invalid", detail=f"sha256 {sha!r}")
        out.append({"name": name, "sha256": sha, "size": int(item.get("size") or 0),
                    "mime": str(item.get("mime") or "")})
    return out


def _check_draft_fields(args: Mapping[str, Any]) -> dict[str, Any]:
    """Validate the draft fields present in ``args``; returns them normalised."""
    rules.refuse_classified(dict(args))
    out: dict[str, Any] = {}
    if "doc_type" in args:
        doc_type = rules.TYPE_ALIASES.get(str(args["doc_type"] or ""), str(args["doc_type"] or ""))
        if doc_type not in rules.DOC_TYPES:
            raise ValidationFailed("document.unknown_type", value=doc_type)
        out["doc_type"] = doc_type
    if "title" in args:
        out["title"] = str(args["title"] or "").strip()
    if "urgency" in args:
        urgency = str(args["urgency"] or "")
        if urgency and urgency not in rules.URGENCIES:
            raise ValidationFailed("document.bad_urgency", value=urgency)
        out["urgency"] = urgency
    if "spec" in args:
        spec = args["spec"] or {}
        if not isinstance(spec, Mapping):
            raise ValidationFailed("document.invalid_spec", detail="spec")
        # Shape check (drafts may be incomplete; the record's doc_type fills the spec's).
        rules.parse_spec({"doc_type": out.get("doc_type") or args.get("doc_type") or "通知",
                          **{k: v for k, v in spec.items() if v not in (None, "")}})
        out["spec"] = dict(spec)
    if "recipients" in args:
        out["recipients"] = _people(args["recipients"], "recipients")
    if "cc" in args:
        out["cc"] = _people(args["cc"], "cc")
    if "attachments" in args:
        out["attachments"] = _attachments(args["attachments"])
    for key in ("body_id", "body_name"):
        if key in args:
            out[key] = str(args[key] or "")
    return out


def _sync_spec(doc: dict[str, Any]) -> None:
    """Keep the spec's own copies of title/type/urgency/recipients in step with the record."""
    spec = dict(doc.get("spec") or {})
    spec["doc_type"] = doc.get("doc_type") or spec.get("doc_type") or "通知"
    spec["title"] = doc.get("title", "")
    spec["urgency"] = doc.get("urgency", "")
    if doc.get("recipients"):
        spec["recipients"] = "、".join(p["name"] for p in doc["recipients"])
    if doc.get("cc"):
        spec["cc"] = "、".join(p["name"] for p in doc["cc"])
    spec["attachments"] = [
        a if isinstance(a, Mapping) and "sha256" not in a else {"name": a["name"]}
        for a in doc.get("attachments") or []
    ] or spec.get("attachments", [])
    doc["spec"] = spec


def is_draft(doc: Mapping[str, Any]) -> bool:
    wf = doc.get("workflow") or {}
    return wf.get("status") == "active" and wf.get("current") == "draft"


def apply_intent(doc: dict[str, Any] | None, name: str, args: Mapping[str, Any],
                 actor: workflow.Actor, now: dt.datetime) -> dict[str, Any]:
    """Pure: the new record after intent ``name`` (same rules as the server).

    Raises DomainError (ClassifiedRefused, ValidationFailed, PermissionDenied, Conflict,
    NotFound) when the intent does not apply; never mutates ``doc``.
    """
    rules.refuse_classified(dict(args))
    if name == CREATE_DRAFT:
        if doc is not None:
            raise ValidationFailed("document.already_exists", id=str(args.get("id")))
        fields = _check_draft_fields(args)
        kind = str(args.get("kind") or "outgoing")
        if kind not in workflow.DEFINITIONS:
            raise ValidationFailed("document.workflow.unknown_step", step=kind)
        new: dict[str, Any] = {
            "id": str(args["id"]), "kind": kind, "doc_type": "通知", "title": "",
            "doc_number": "", "urgency": "", "body_id": "", "body_name": "", "spec": {},
            "recipients": [], "cc": [], "attachments": [], "pdf_sha256": None,
            "reads": {}, "deliveries": [], "created_at": _iso(now), "updated_at": _iso(now),
            "workflow": workflow.new_workflow(kind, actor, now, doc_id=str(args["id"])),
        }
        new.update(fields)
        _sync_spec(new)
        return new
    if doc is None:
        raise NotFound("document.not_found", id=str(args.get("id")))
    new = copy.deepcopy(doc)
    if name == SAVE_DRAFT:
        if new["workflow"]["owner"]["id"] != actor.id:
            raise ValidationFailed("document.not_owner")
        if not is_draft(new):
            raise ValidationFailed("document.not_a_draft")
        new.update(_check_draft_fields(args))
        _sync_spec(new)
        new["updated_at"] = _iso(now)
        return new
    if name == MARK_READ:
        reads = new.setdefault("reads", {})
        if actor.id not in reads:
            reads[actor.id] = {"name": actor.name, "at": _iso(now)}
        return new
    op = name.removeprefix("documents.")
    if op not in workflow.OPERATIONS or WORKFLOW_INTENTS.get(op) != name:
        raise ValidationFailed("request.invalid", detail=f"unknown intent {name!r}")
    params = {k: v for k, v in args.items() if k != "id"}
    if op == "approve" and is_draft(new):
        # Submitting a draft: the spec must be complete enough to circulate.
        spec = rules.parse_spec(new.get("spec") or {"doc_type": new.get("doc_type", "通知")})
        found = [p for p in rules.problems(spec, final=False)
                 if p.code not in ("document.field_required",) or p.params.get("field") in
                 ("title", "body", "doc_type")]
        if found:
            raise found[0]
    new["workflow"] = workflow.apply(new["workflow"], op, actor, now, **params)
    new["updated_at"] = _iso(now)
    return new


def _intent_applier(name: str) -> Any:
    def fn(tx: LocalTx, args: dict[str, Any]) -> None:
        doc_id = str(args.get("id") or "")
        if not doc_id:
            raise ValidationFailed("request.invalid", detail="id")
        new = apply_intent(tx.get(ENTITY, doc_id), name, args, actor_of(tx.principal), tx.now)
        tx.put(ENTITY, doc_id, new)

    fn.__name__ = fn.__qualname__ = f"apply_{name.replace('.', '_')}"
    return fn


for _name in (CREATE_DRAFT, SAVE_DRAFT, MARK_READ, *WORKFLOW_INTENTS.values()):
    applier(_name)(_intent_applier(_name))


# --------------------------------------------------------------------------- views of a record


def step_label(doc: Mapping[str, Any]) -> str:
    """"拟稿" / "核稿" … / "已办结" / "已作废" for display."""
    wf = doc.get("workflow") or {}
    if wf.get("status") == "voided":
        return "已作废"
    if wf.get("status") == "done":
        return "已办结"
    sd = workflow.current_step(wf) if wf.get("current") else None
    return "草稿" if is_draft(doc) else (sd.name if sd else "")


@dataclass(frozen=True)
class Allowed:
    """What the signed-in user may do on a document now (drives the action buttons)."""

    approve: bool = False
    approve_verb: str = "同意"
    return_targets: tuple[tuple[str, str], ...] = ()  # (step key, name)
    transfer: bool = False
    delegate: bool = False
    add_signer: bool = False
    remove_signer: tuple[tuple[str, str], ...] = ()  # (person id, name)
    withdraw: bool = False
    urge: bool = False
    void: bool = False
    edit: bool = False
    next_steps: tuple[tuple[str, str], ...] = ()  # later steps one may assign on approve

    def any(self) -> bool:
        return any((self.approve, self.transfer, self.withdraw, self.urge, self.void, self.edit))


def allowed_actions(doc: Mapping[str, Any], actor: workflow.Actor) -> Allowed:
    """Pure: which actions ``actor`` has on ``doc`` (mirrors the workflow's own checks)."""
    wf = doc.get("workflow") or {}
    if not wf:
        return Allowed()
    active = wf.get("status") == "active"
    mine = workflow.can_act(wf, actor) if active else False
    owner = wf.get("owner", {}).get("id") == actor.id
    sd = workflow.current_step(wf) if active else None
    steps = workflow.DEFINITIONS[wf["kind"]]
    idx = [s.key for s in steps].index(wf["current"]) if sd else -1
    targets = tuple((s.key, s.name) for s in steps[:idx] if s.key in wf.get("visited", [])) if mine else ()
    parallel = bool(sd and sd.mode == "all")
    undo = wf.get("undo") or {}
    can_withdraw = bool(
        undo and undo.get("actor_id") == actor.id and undo.get("version") == wf.get("version")
        and wf.get("status") != "done")
    involved = {wf.get("owner", {}).get("id")} | {e["actor"]["id"] for e in wf.get("history", [])}
    involved |= {p["id"] for ps in wf.get("assignments", {}).values() for p in ps}
    removable: tuple[tuple[str, str], ...] = ()
    if parallel and (mine or owner) and len(wf.get("pending", [])) > 1:
        removable = tuple((p["id"], p["name"]) for p in wf["pending"] if p["id"] != actor.id)
    return Allowed(
        approve=mine,
        approve_verb=(sd.verb if sd and sd.key != "draft" else "提交") if sd else "同意",
        return_targets=targets,
        transfer=mine,
        delegate=mine and any(p["id"] == actor.id for p in wf.get("pending", [])),
        add_signer=parallel and (mine or owner),
        remove_signer=removable,
        withdraw=can_withdraw,
        urge=active and actor.id in involved and not mine,
        void=active and owner,
        edit=owner and is_draft(doc),
        next_steps=tuple((s.key, s.name) for s in steps[idx + 1:]) if mine else (),
    )


def opinions(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every opinion (意见/批示) in order, for the 办文单 and the detail page."""
    return [dict(o) for o in (doc.get("workflow") or {}).get("opinions", [])]


def _parse(at: str | None) -> dt.datetime | None:
    if not at:
        return None
    try:
        value = dt.datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def timeline(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per-person rows: ``{step, step_name, person, delivered_at, opened_at, acted_at,
    action, seconds}`` in order (pending people last, ``acted_at`` None); durations in
    seconds from delivery to action (or to now for the caller to compute)."""
    wf = doc.get("workflow") or {}
    if not wf:
        return []
    steps = {s.key: s for s in workflow.DEFINITIONS[wf["kind"]]}
    reads = doc.get("reads") or {}
    history = wf.get("history", [])
    rows: list[dict[str, Any]] = []
    cur_step = history[0]["step"] if history else wf.get("current")
    entered = wf.get("created_at")
    prev_at = entered
    op_words = {"approve": None, "return": "退回", "transfer": "转办", "delegate": "委托",
                "add_signer": "加签", "remove_signer": "减签", "withdraw": "撤回",
                "urge": "催办", "void": "作废"}
    for ev in history:
        if ev["step"] != cur_step:
            cur_step, entered = ev["step"], prev_at
        sd = steps.get(ev["step"])
        word = op_words.get(ev["op"]) or (sd.verb if sd else ev["op"])
        person = ev.get("on_behalf_of") or ev["actor"]
        delivered = entered
        acted = ev["at"]
        secs = None
        a, b = _parse(delivered), _parse(acted)
        if a and b:
            secs = max(0, int((b - a).total_seconds()))
        rows.append({
            "step": ev["step"], "step_name": sd.name if sd else ev["step"],
            "person": dict(person), "by": dict(ev["actor"]), "delivered_at": delivered,
            "opened_at": (reads.get(person["id"]) or {}).get("at"), "acted_at": acted,
            "action": word, "text": ev.get("opinion") or ev.get("reason") or ev.get("message") or "",
            "seconds": secs,
        })
        prev_at = ev["at"]
    if wf.get("status") == "active" and wf.get("current"):
        if wf["current"] != cur_step:
            entered = prev_at
        sd = steps[wf["current"]]
        for p in wf.get("pending", []):
            rows.append({
                "step": sd.key, "step_name": sd.name, "person": dict(p), "by": dict(p),
                "delivered_at": entered, "opened_at": (reads.get(p["id"]) or {}).get("at"),
                "acted_at": None, "action": "待" + sd.verb, "text": "", "seconds": None,
            })
    return rows


def body_timeline(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Per receiving body: ``{body_name, delivered_at, received_at, received_by, done_at,
    seconds}`` (from the server's ``deliveries``; empty before 核发)."""
    out = []
    for d in doc.get("deliveries") or []:
        a, b = _parse(d.get("delivered_at")), _parse(d.get("done_at") or d.get("received_at"))
        out.append({**d, "seconds": int((b - a).total_seconds()) if a and b else None})
    return out


def format_duration(seconds: int | None) -> str:
    """"2天3小时" / "3小时5分" / "12分" / "—"."""
    if seconds is None:
        return "—"
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}天{hours}小时" if hours else f"{days}天"
    if hours:
        return f"{hours}小时{minutes}分" if minutes else f"{hours}小时"
    return f"{max(minutes, 1) if seconds else 0}分"


# --------------------------------------------------------------------------- service


class _Engine(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


@dataclass(frozen=True)
class BatchResult:
    """One item of a batch approval: ``ok`` and the message in words when not."""

    doc_id: str
    title: str
    ok: bool
    message: str = ""
    mutation_id: str = ""


class DocumentService:
    """Document queries and intents over one local cache (blocking; not the GUI thread).

    ``engine`` submits intents (``sync.engine.SyncEngine`` or anything with ``submit``);
    ``blobs`` is the ``sync.blobs.BlobStore`` (None: no attachments on this client).
    """

    def __init__(self, cache: Any, engine: _Engine | None, principal: Mapping[str, Any],
                 *, blobs: Any = None, lang: str = "zh_CN") -> None:
        self.cache = cache
        self.engine = engine
        self.principal = dict(principal)
        self.actor = actor_of(principal)
        self.blobs = blobs
        self.lang = lang

    # -- reading ------------------------------------------------------------------

    def get(self, doc_id: str) -> dict[str, Any] | None:
        return self.cache.get(ENTITY, doc_id)

    def counts(self) -> dict[str, int]:
        """``{tab: count}`` for the inbox tabs (and the workbench)."""
        t, p = doc_search.doc_index, doc_search.doc_party
        with self.cache.read() as s:
            rows = s.execute(select(p.c.rel, func.count()).where(p.c.person_id == self.actor.id)
                             .group_by(p.c.rel)).all()
            total = int(s.execute(select(func.count()).select_from(t)).scalar_one())
        out = {key: 0 for key, _ in TABS}
        out.update({rel: int(n) for rel, n in rows if rel in out})
        out["all"] = total
        return out

    def page(self, tab: str, *, after: tuple[str, str] | None = None, limit: int = 200,
             filters: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """One page of the inbox tab, newest first; ``after`` = (sort_at, id) of the last
        row already shown (keyset paging: constant cost at any depth)."""
        if tab not in TAB_LABELS:
            raise ValidationFailed("request.invalid", detail=f"tab {tab!r}")
        t, p = doc_search.doc_index, doc_search.doc_party
        cols = doc_search.row_columns()
        if tab == "all":
            stmt = select(*cols)
            key = (t.c.sort_at, t.c.id)
        else:
            stmt = (select(*cols).select_from(p.join(t, t.c.id == p.c.doc_id))
                    .where(p.c.person_id == self.actor.id, p.c.rel == tab))
            key = (p.c.sort_at, p.c.doc_id)
        stmt = doc_search.apply_filters(stmt, filters or {})
        if after is not None:
            stmt = stmt.where(tuple_(*key) < tuple_(*after))
        stmt = stmt.order_by(key[0].desc(), key[1].desc()).limit(limit)
        with self.cache.read() as s:
            return [dict(r._mapping) for r in s.execute(stmt)]

    def search(self, text: str, *, filters: Mapping[str, Any] | None = None,
               limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search (see :func:`modules.documents.search.search`)."""
        return doc_search.search(self.cache, text, filters=filters, limit=limit)

    def detail(self, doc_id: str) -> dict[str, Any]:
        """Everything the detail page shows: record, allowed actions, timelines, opinions."""
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound("document.not_found", id=doc_id)
        return {
            "doc": doc, "allowed": allowed_actions(doc, self.actor), "timeline": timeline(doc),
            "bodies": body_timeline(doc), "opinions": opinions(doc), "step": step_label(doc),
        }

    # -- intents ------------------------------------------------------------------

    def _submit(self, name: str, args: dict[str, Any]) -> str:
        if self.engine is None:
            raise RuntimeError("no sync engine")
        rules.refuse_classified(args)  # before anything reaches the outbox
        return self.engine.submit(name, args)

    def create_draft(self, doc_id: str, **fields: Any) -> str:
        fields.setdefault("kind", "outgoing")
        return self._submit(CREATE_DRAFT, {"id": doc_id, **fields})

    def save_draft(self, doc_id: str, **fields: Any) -> str:
        return self._submit(SAVE_DRAFT, {"id": doc_id, **fields})

    def act(self, doc_id: str, op: str, **args: Any) -> str:
        """Submit a workflow operation (approve, return, transfer …) on ``doc_id``."""
        name = WORKFLOW_INTENTS.get(op)
        if name is None:
            raise ValidationFailed("request.invalid", detail=f"operation {op!r}")
        return self._submit(name, {"id": doc_id, **args})

    def mark_read(self, doc_id: str) -> str | None:
        doc = self.get(doc_id)
        if doc is None or self.actor.id in (doc.get("reads") or {}):
            return None
        return self._submit(MARK_READ, {"id": doc_id})

    def batch_approve(self, doc_ids: Iterable[str], opinion: str = "") -> list[BatchResult]:
        """批量签批: one approve intent per document; a refusal never stops the others."""
        out = []
        for doc_id in doc_ids:
            doc = self.get(doc_id) or {}
            title = str(doc.get("title") or doc_id)
            try:
                step = (doc.get("workflow") or {}).get("current")
                mid = self.act(doc_id, "approve", step=step, opinion=opinion)
            except DomainError as exc:
                out.append(BatchResult(doc_id, title, False, exc.message(self.lang)))
            else:
                out.append(BatchResult(doc_id, title, True, "", mid))
        return out

    # -- attachments and PDFs --------------------------------------------------------

    def add_attachment(self, path: Path) -> dict[str, Any]:
        """Copy a file into the blob store and queue its upload; returns the attachment
        entry to put in the draft (``{name, sha256, size, mime}``)."""
        if self.blobs is None:
            raise ValidationFailed("document.no_blob_store")
        path = Path(path)
        sha = self.blobs.add_file(path)
        mime = "application/pdf" if path.suffix.lower() == ".pdf" else ""
        return {"name": path.stem, "sha256": sha, "size": path.stat().st_size, "mime": mime}

    def blob_bytes(self, sha256: str, name: str = "") -> bytes | None:
        """The verified bytes of a blob, or None after queueing its download."""
        if self.blobs is None:
            return None
        path = self.blobs.path(sha256)
        if path is None:
            self.blobs.request_download(sha256)
            sync_now = getattr(self.engine, "sync_now", None)
            if callable(sync_now):
                sync_now()
            return None
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            path.unlink(missing_ok=True)
            self.blobs.request_download(sha256)
            raise ValidationFailed("document.attachment_corrupt", name=name or sha256[:12])
        return data

    def pdf_for(self, doc: Mapping[str, Any]) -> tuple[bytes | None, str]:
        """The document's PDF: the official blob when there is one (download queued if not
        here yet: returns ``(None, "downloading")``), else rendered locally from the spec
        (drafts; ``"rendered"``). Classified specs raise before anything is drawn."""
        sha = doc.get("pdf_sha256")
        if sha:
            data = self.blob_bytes(str(sha), str(doc.get("title") or ""))
            return (data, "blob") if data is not None else (None, "downloading")
        from modules.documents.render import render_pdf

        spec = dict(doc.get("spec") or {})
        spec.setdefault("doc_type", doc.get("doc_type") or "通知")
        spec.setdefault("title", doc.get("title") or "")
        spec.setdefault("issuer_mark", doc.get("body_name") or "（发文机关）")
        if not spec.get("body"):
            spec["body"] = "（正文待起草）"
        if doc.get("doc_number"):
            spec.setdefault("doc_number", doc["doc_number"])
        return render_pdf(spec).pdf, "rendered"

    def index_attachments(self) -> int:
        """Extract text of local PDF attachments into the search index (see search.py)."""
        if self.blobs is None:
            return 0
        return doc_search.index_attachment_texts(self.cache, self.blobs)


def new_document_id() -> str:
    """A fresh client-made document id ("d-" + 16 hex digits)."""
    import uuid

    return "d-" + uuid.uuid4().hex[:16]


def paragraphs_to_spec_body(paragraphs: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    """``[(text, level)]`` -> the spec's ``body`` list (numbering added by the renderer
    only for headings typed without it: the editor stores the number with the text)."""
    return [{"text": t, "level": int(lv)} for t, lv in paragraphs if t.strip()]


__all__ = [
    "CREATE_DRAFT", "ENTITY", "MARK_READ", "SAVE_DRAFT", "TABS", "WORKFLOW_INTENTS",
    "Allowed", "BatchResult", "DocumentService", "actor_of", "allowed_actions",
    "apply_intent", "body_timeline", "format_duration", "is_draft", "new_document_id",
    "opinions", "step_label", "timeline",
]
