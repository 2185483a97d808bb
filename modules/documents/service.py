"""Client-side document circulation (公文流转): optimistic appliers, queries, attachments.

Follows docs/DOCUMENTS_PROTOCOL.md: the feed entity ``documents.document`` and the
intents ``documents.create_draft``, ``documents.save_draft``, ``documents.act`` (every
workflow operation: approve, return, transfer, delegate, add_signer, remove_signer,
withdraw, urge, void), ``documents.batch_approve``, ``documents.mark_opened``,
``documents.sign_for`` and ``documents.archive`` have client appliers here;
``documents.register``, ``documents.dispatch``, ``documents.request_seal``,
``documents.return_to_sender`` and ``documents.recall`` need the server (number
allocation, rendering, routing) and are queued without an optimistic effect.

Each applier is thin: it runs its intent's effect from :mod:`modules.documents.effects`
(:func:`~modules.documents.effects.apply_intent`) — the very functions the server's
mutations run — on the cached record, so the screen changes at once, offline too. The
intents' argument schemas are :mod:`modules.documents.intents` (imported here, so
``sync.local.submit_intent`` checks every intent's arguments before it is queued).
Classified (涉密) content is refused (``rules.refuse_classified``) before anything is
queued.

Threading: :class:`DocumentService` methods block on the local database and files; call
them off the GUI thread (``office_app.tasks.run_in_background``). The module-level pure
functions are thread-safe.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session

from modules.common import messages
from modules.common.access import ActorFacts, PostFacts
from modules.common.errors import DomainError, NotFound, Offline, ValidationFailed
from modules.documents import effects, policy, rules, time_limit_index, workflow
from modules.documents import intents as I
from modules.documents import search as doc_search
from sync.blobs import register_prefetch
from sync.cache import records
from sync.local import LocalTx, applier

log = logging.getLogger(__name__)

ENTITY = "documents.document"
BODY_ENTITY = "directory.body"

CREATE_DRAFT = I.CREATE_DRAFT.name
SAVE_DRAFT = I.SAVE_DRAFT.name
ACT = I.ACT.name
BATCH_APPROVE = I.BATCH_APPROVE.name
MARK_OPENED = I.MARK_OPENED.name
SIGN_FOR = I.SIGN_FOR.name
ARCHIVE = I.ARCHIVE.name
REGISTER = I.REGISTER.name
DISPATCH = I.DISPATCH.name
RETURN_TO_SENDER = I.RETURN_TO_SENDER.name
RECALL = I.RECALL.name
REQUEST_SEAL = I.REQUEST_SEAL.name
SEAL_ENTITY = "seals.seal"
RETENTIONS = I.RETENTIONS

#: Steps that are done through their own intent, not ``act approve``.
STEP_INTENTS = effects.STEP_INTENTS

#: Inbox tabs (key, Chinese label). 全部 = everything this user can see.
TABS: tuple[tuple[str, str], ...] = (
    ("todo", "待办"), ("done", "已办"), ("mine", "我发起"), ("circulate", "传阅"), ("all", "全部"),
)
TAB_LABELS = dict(TABS)

messages.register({
    "document.client.attachment_corrupt": {
        "zh_CN": "附件“{name}”校验失败（内容与登记的哈希值不符），已重新排队下载。",
        "en": "The attachment '{name}' failed its hash check and was queued for download again.",
    },
    "document.client.no_seal": {
        "zh_CN": "请选择要使用的印章。",
        "en": "Choose the seal to use.",
    },
    "document.client.reason_required": {
        "zh_CN": "请填写理由。",
        "en": "Please give a reason.",
    },
    "document.client.no_blob_store": {
        "zh_CN": "本机未启用附件存储，无法添加附件。",
        "en": "Attachment storage is not available on this computer.",
    },
})


# --------------------------------------------------------------------------- pure helpers

#: The effects (``modules.documents.effects``) under the names this module always had.
CHINA = effects.CHINA
zulu = effects.zulu
state_words = effects.state_words
_refresh = effects.refresh
_new_record = effects.new_record
apply_intent = effects.apply_intent


def actor_of(principal: Mapping[str, Any]) -> workflow.Actor:
    """The workflow actor for the signed-in user (id, name, primary post title)."""
    posts = [p for p in principal.get("posts") or [] if isinstance(p, Mapping)]
    primary = next((p for p in posts if p.get("is_primary")), posts[0] if posts else {})
    return workflow.Actor(str(principal.get("person_id") or principal.get("id") or ""),
                          str(principal.get("name") or ""), str(primary.get("title") or ""))


def facts_of(principal: Mapping[str, Any]) -> ActorFacts:
    """The signed-in user's posts for :mod:`modules.documents.policy` (a post's organ
    is its body when the profile does not say: only registry posts in the organ
    itself matter to the client's decisions)."""
    posts = [p for p in principal.get("posts") or [] if isinstance(p, Mapping)]
    return ActorFacts(actor_of(principal).id, tuple(
        PostFacts(str(p.get("body_id") or ""), str(p.get("organ_id") or p.get("body_id") or ""),
                  frozenset(p.get("roles") or ())) for p in posts))


def is_draft(doc: Mapping[str, Any]) -> bool:
    wf = doc.get("workflow") or {}
    return wf.get("status") == "active" and wf.get("current") == "draft"


# --------------------------------------------------------------------------- appliers
# Thin: each runs its intent's effect (modules.documents.effects) on the cached record.


def _applier_for(name: str) -> Any:
    def fn(tx: LocalTx, args: dict[str, Any]) -> None:
        doc_id = str(args.get("document_id") or "")
        if not doc_id:
            raise ValidationFailed("request.invalid", detail="document_id")
        new = effects.apply_intent(tx.get(ENTITY, doc_id), name, args, actor_of(tx.principal), tx.now,
                                   lookup=tx.get, facts=facts_of(tx.principal))
        tx.put(ENTITY, doc_id, new)

    fn.__name__ = fn.__qualname__ = f"apply_{name.replace('.', '_')}"
    return fn


for _intent in (I.CREATE_DRAFT, I.SAVE_DRAFT, I.ACT, I.SIGN_FOR, I.MARK_OPENED, I.ARCHIVE):
    applier(_intent)(_applier_for(_intent.name))


@applier(I.BATCH_APPROVE)
def apply_batch_approve(tx: LocalTx, args: dict[str, Any]) -> None:
    """Batch approve: each item on its own; an item the rules refuse shows no effect
    (the server's per-item result says why)."""
    actor = actor_of(tx.principal)
    for item in args.get("items") or []:
        doc_id = str(item.get("document_id") or "")
        doc = tx.get(ENTITY, doc_id)
        if doc is None:
            continue
        try:
            new = effects.batch_item(doc, item.get("step"), str(args.get("opinion") or ""), actor, tx.now)
        except DomainError:
            continue
        tx.put(ENTITY, doc_id, new)


# --------------------------------------------------------------------------- views of a record


def step_label(doc: Mapping[str, Any]) -> str:
    """"草稿" / "待核稿" … / "已核发" / "已作废" for display."""
    return str(doc.get("state_words") or state_words(doc))


@dataclass(frozen=True)
class Allowed:
    """What the signed-in user may do on a document now (drives the action buttons)."""

    approve: bool = False
    approve_verb: str = "同意"
    step: str = ""  # the step key the user sees (sent with every act)
    step_intent: str = ""  # register/dispatch/sign_for: approve goes through this intent
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
    register: bool = False  # 登记 (confirm 发文字号 / 收文号, choose the seal)
    dispatch: bool = False  # 核发 (confirm 主送/抄送)
    request_seal: bool = False  # 用印申请 (the flow waits at 用印 without a request)
    return_to_sender: bool = False  # 退回发文机关 (incoming, up to 初审)
    recall: tuple[tuple[str, str], ...] = ()  # 撤回分发: (body id, name) not yet signed for
    archive: bool = False  # 归档 (档号, 保管期限)

    def any(self) -> bool:
        return any((self.approve, self.transfer, self.withdraw, self.urge, self.void, self.edit,
                    self.request_seal, self.return_to_sender, bool(self.recall), self.archive))


def allowed_actions(doc: Mapping[str, Any], actor: workflow.Actor, *,
                    registry: bool = False, facts: ActorFacts | None = None) -> Allowed:
    """Pure: which actions ``actor`` has on ``doc`` (the workflow's own checks and
    :mod:`modules.documents.policy`, as on the server). ``facts``: the actor's posts; or
    ``registry`` = the actor is a registry clerk (收发员) of the document's body, who may
    also file the 用印申请, recall a dispatch and archive an outgoing one."""
    wf = doc.get("workflow") or {}
    if not wf or doc.get("status") in ("recalled", "returned"):
        return Allowed()
    organ = str(doc.get("body_id") or "")
    who = facts or ActorFacts(actor.id, (PostFacts(organ, organ, frozenset({policy.REGISTRY})),)
                              if registry else ())
    outgoing = doc.get("kind", "outgoing") == "outgoing"
    finished = wf.get("status") == "done"
    recallable: tuple[tuple[str, str], ...] = ()
    if outgoing and finished and policy.may_recall(who, organ, owner_id=str(wf.get("owner", {}).get("id"))):
        recallable = tuple((str(d.get("body_id")), str(d.get("body_name") or d.get("body_id")))
                           for d in doc.get("deliveries") or [] if d.get("state") == "delivered")
    if finished:
        return Allowed(recall=recallable,
                       archive=outgoing and policy.may_archive_outgoing(who, organ) and not doc.get("archive"))
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
    key = sd.key if sd else ""
    step_intent = STEP_INTENTS.get(key, ("", ""))[0]
    if key == "receive" and doc.get("kind") == "incoming":
        step_intent = SIGN_FOR
    editable = key in ("draft", "review", "countersign", "sign") and mine
    seal_state = (doc.get("seal") or {}).get("state", "none")
    return Allowed(
        register=mine and key == "register",
        dispatch=mine and key == "dispatch",
        request_seal=key == "seal" and outgoing and policy.may_request_seal(who, organ, on_seal_step=mine)
        and seal_state not in ("requested", "stamped") and bool(doc.get("pdf_sha256")),
        return_to_sender=mine and not outgoing and key in ("receive", "register", "screen"),
        archive=mine and not outgoing and key == "archive",
        approve=mine,
        approve_verb=("提交" if key == "draft" else sd.verb) if sd else "同意",
        step=key,
        step_intent=step_intent,
        return_targets=targets,
        transfer=mine,
        delegate=mine and any(p["id"] == actor.id for p in wf.get("pending", [])),
        add_signer=parallel and (mine or owner),
        remove_signer=removable,
        withdraw=can_withdraw,
        urge=active and actor.id in involved and not mine,
        void=active and owner,
        edit=bool(editable),
        next_steps=tuple((s.key, s.name) for s in steps[idx + 1:]) if mine else (),
    )


def opinions(doc: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every opinion (意见/批示) in order, for the 办文单 and the detail page."""
    found = doc.get("opinions")
    if found is None:
        found = (doc.get("workflow") or {}).get("opinions", [])
    return [dict(o) for o in found]


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
    reads = {r.get("person_id"): {"at": r.get("first_opened_at")}
             for r in doc.get("reads") or [] if isinstance(r, Mapping)}
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
    """Per receiving body (the server's ``deliveries``; empty before 核发): each delivery
    plus ``seconds`` = delivered → 办结 (or → 签收 while not done)."""
    out = []
    for d in doc.get("deliveries") or []:
        secs = d.get("done_seconds") if d.get("done_seconds") is not None else d.get("sign_seconds")
        out.append({**d, "seconds": secs})
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
        found: dict[str, Any] | None = self.cache.get(ENTITY, doc_id)
        return found

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
            rows = [dict(r._mapping) for r in s.execute(stmt)]
        return time_limit_index.with_limits(self.cache, rows)  # 办理时限 words per row

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
            "doc": doc, "allowed": self.allowed(doc), "timeline": timeline(doc),
            "bodies": body_timeline(doc), "opinions": opinions(doc), "step": step_label(doc),
        }

    def facts(self) -> ActorFacts:
        """The signed-in user's posts for :mod:`modules.documents.policy` (:func:`facts_of`)."""
        return facts_of(self.principal)

    def is_registry(self, body_id: str) -> bool:
        """Whether the signed-in user is a registry clerk (收发员) of ``body_id``."""
        return policy.is_registry(self.facts(), body_id)

    def allowed(self, doc: Mapping[str, Any]) -> Allowed:
        """:func:`allowed_actions` for the signed-in user (registry role included)."""
        return allowed_actions(doc, self.actor, facts=self.facts())

    def register_info(self, doc_id: str) -> dict[str, Any]:
        """What the 登记 dialog shows: ``{doc, agency_code, year, preview, seals,
        sealed}``. ``preview`` is the number form (the server allocates the serial);
        ``seals`` = the body's active seals this user may request (``[{id, name}]``)."""
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound("document.not_found", id=doc_id)
        body = self.cache.get(BODY_ENTITY, str(doc.get("body_id") or "")) or {}
        year = dt.datetime.now(CHINA).year
        outgoing = doc.get("kind", "outgoing") == "outgoing"
        code = str(body.get("code") or "") if outgoing else "收文"
        return {"doc": doc, "agency_code": code, "year": year,
                "preview": f"{code}〔{year}〕N号" if code else "",
                "seals": self.seals_for(doc) if outgoing else [],
                "sealed": bool((doc.get("spec") or {}).get("sealed", True)) and outgoing}

    def seals_for(self, doc: Mapping[str, Any]) -> list[dict[str, str]]:
        """Active seals of the document's body that this user may request (用印申请)."""
        body_id = doc.get("body_id")
        out = []
        for seal in self.cache.list(SEAL_ENTITY):
            if seal.get("body_id") != body_id or seal.get("state", "active") != "active":
                continue
            people = set(seal.get("requesters") or ()) | set(seal.get("custodians") or ())
            if people and self.actor.id not in people:
                continue
            out.append({"id": str(seal["id"]), "name": str(seal.get("name") or seal["id"])})
        return sorted(out, key=lambda x: x["name"])

    def register(self, doc_id: str, *, seal_id: str = "", agency_code: str = "",
                 year: int | None = None, deadline_days: int | None = None) -> str:
        """登记 (``documents.register``): the server allocates the 发文字号 / 收文号 and,
        for an outgoing document, renders the PDF and files the 用印申请 for ``seal_id``;
        an incoming one may get its 办理时限 as ``deadline_days`` working days."""
        args: dict[str, Any] = {"document_id": doc_id, "step": "register"}
        if deadline_days:
            args["deadline_days"] = int(deadline_days)
        if seal_id:
            args["seal_id"] = seal_id
        if agency_code.strip():
            args["agency_code"] = agency_code.strip()
        if year is not None:
            args["year"] = int(year)
        return self._submit(REGISTER, args)

    def request_seal(self, doc_id: str, seal_id: str, *, reason: str = "", copies: int = 1) -> str:
        """用印申请 (``documents.request_seal``) for the registered PDF."""
        if not seal_id:
            raise ValidationFailed("document.client.no_seal")
        return self._submit(REQUEST_SEAL, {"document_id": doc_id, "seal_id": seal_id,
                                           "reason": reason.strip(), "copies": int(copies)})

    def dispatch(self, doc_id: str) -> str:
        """核发 (``documents.dispatch``): one incoming copy per 主送/抄送 body."""
        doc = self.get(doc_id) or {}
        if not doc.get("main_to"):
            raise ValidationFailed("document.no_recipients")
        return self._submit(DISPATCH, {"document_id": doc_id, "step": "dispatch"})

    def return_to_sender(self, doc_id: str, reason: str) -> str:
        """退回发文机关 (incoming, up to 初审); ``reason`` is required."""
        if not reason.strip():
            raise ValidationFailed("document.client.reason_required")
        return self._submit(RETURN_TO_SENDER, {"document_id": doc_id, "reason": reason.strip()})

    def recall(self, doc_id: str, reason: str, body_ids: list[str] | None = None) -> str:
        """撤回分发: the copies not yet signed for (``body_ids``; default all of them)."""
        if not reason.strip():
            raise ValidationFailed("document.client.reason_required")
        args: dict[str, Any] = {"document_id": doc_id, "reason": reason.strip()}
        if body_ids:
            args["body_ids"] = list(body_ids)
        return self._submit(RECALL, args)

    def archive(self, doc_id: str, retention: str, archive_no: str = "") -> str:
        """归档 with 保管期限 and an optional 档号, checked here first
        (``modules.documents.archive.numbers.validate_archive_no``: form and retention code)."""
        from modules.documents.archive.numbers import validate_archive_no

        if retention not in RETENTIONS:
            raise ValidationFailed("document.bad_retention")
        args: dict[str, Any] = {"document_id": doc_id, "retention": retention}
        if archive_no.strip():
            validate_archive_no(archive_no, retention)
            args["archive_no"] = archive_no.strip()
        return self._submit(ARCHIVE, args)

    # -- server reads -------------------------------------------------------------------

    def _get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        api = getattr(self.engine, "api", None)
        if api is None:
            raise Offline("offline", detail="no server connection")
        return api.request_json("GET", path, params=params)

    def revisions(self, doc_id: str) -> list[dict[str, Any]]:
        """``[{no, by, at, note}]`` of the document's drafts (from the cached record)."""
        doc = self.get(doc_id) or {}
        return [dict(r) for r in doc.get("revisions") or []]

    def diff(self, doc_id: str, from_no: int, to_no: int) -> dict[str, Any]:
        """The server's ``GET /api/v1/documents/{id}/diff`` (needs the network; ``Offline``).
        ``ApiClient`` paths are relative to ``/api/v1``."""
        return dict(self._get_json(f"/documents/{doc_id}/diff",
                                   {"from": int(from_no), "to": int(to_no)}))

    def export_form(self, doc_id: str, path: Path) -> Path:
        """Write the 办文单 PDF (``modules.documents.form.render_form``) to ``path``
        atomically (a ``.part`` file renamed into place)."""
        from modules.documents.form import render_form

        doc = self.get(doc_id)
        if doc is None:
            raise NotFound("document.not_found", id=doc_id)
        data = render_form(doc)
        path = Path(path)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return path

    # -- intents ------------------------------------------------------------------

    def _submit(self, name: str, args: dict[str, Any]) -> str:
        if self.engine is None:
            raise RuntimeError("no sync engine")
        rules.refuse_classified(args)  # before anything reaches the outbox
        return self.engine.submit(name, args)

    def create_draft(self, doc_id: str, spec: Mapping[str, Any], *,
                     attachments: list[dict[str, Any]] | None = None,
                     main_to: list[str] | None = None, cc_to: list[str] | None = None,
                     body_id: str = "", assignments: Mapping[str, Any] | None = None) -> str:
        """New outgoing draft (拟稿), offline too. ``main_to``/``cc_to`` are body ids."""
        args: dict[str, Any] = {"document_id": doc_id, "spec": dict(spec)}
        if attachments:
            args["attachments"] = attachments
        if main_to:
            args["main_to"] = list(main_to)
        if cc_to:
            args["cc_to"] = list(cc_to)
        if body_id:
            args["body_id"] = body_id
        if assignments:
            args["assignments"] = {k: list(v) for k, v in assignments.items()}
        return self._submit(CREATE_DRAFT, args)

    def save_draft(self, doc_id: str, spec: Mapping[str, Any], *,
                   attachments: list[dict[str, Any]] | None = None,
                   main_to: list[str] | None = None, cc_to: list[str] | None = None,
                   note: str = "", base_revision: int | None = None) -> str:
        """New revision of a draft (修改稿); ``base_revision`` detects a concurrent edit."""
        args: dict[str, Any] = {"document_id": doc_id, "spec": dict(spec)}
        if attachments is not None:
            args["attachments"] = attachments
        if main_to is not None:
            args["main_to"] = list(main_to)
        if cc_to is not None:
            args["cc_to"] = list(cc_to)
        if note:
            args["note"] = note
        if base_revision is not None:
            args["base_revision"] = int(base_revision)
        return self._submit(SAVE_DRAFT, args)

    def act(self, doc_id: str, op: str, step: str | None = None, **args: Any) -> str:
        """Submit a workflow operation (approve, return, transfer …) on ``doc_id``.

        ``step`` is the step the user saw (default: the cached current step). Approving
        register/dispatch/receive goes through their own intents automatically.
        """
        if op not in workflow.OPERATIONS:
            raise ValidationFailed("request.invalid", detail=f"operation {op!r}")
        doc = self.get(doc_id)
        if doc is None:
            raise NotFound("document.not_found", id=doc_id)
        seen = step if step is not None else (doc.get("workflow") or {}).get("current")
        if op == "approve":
            allowed = allowed_actions(doc, self.actor)
            if allowed.step_intent == SIGN_FOR:
                return self._submit(SIGN_FOR, {"document_id": doc_id})
            if allowed.step_intent:
                return self._submit(allowed.step_intent, {"document_id": doc_id, "step": seen})
        return self._submit(ACT, {"document_id": doc_id, "op": op, "step": seen, "args": args})

    def mark_opened(self, doc_id: str) -> str | None:
        """Read receipt, once per document and person (later opens are not queued)."""
        doc = self.get(doc_id)
        if doc is None or any(r.get("person_id") == self.actor.id for r in doc.get("reads") or []):
            return None
        return self._submit(MARK_OPENED, {"document_id": doc_id})

    def batch_approve(self, doc_ids: Iterable[str], opinion: str = "") -> list[BatchResult]:
        """批量签批: one ``act approve`` per document, so every item gets its own result —
        refused here at once (in words) or later by the server (in the rejected list)."""
        out = []
        for doc_id in doc_ids:
            doc = self.get(doc_id) or {}
            title = str(doc.get("title") or doc_id)
            try:
                mid = self.act(doc_id, "approve", opinion=opinion)
            except DomainError as exc:
                out.append(BatchResult(doc_id, title, False, exc.message(self.lang)))
            else:
                out.append(BatchResult(doc_id, title, True, "", mid))
        return out

    def rejected_for(self, doc_id: str) -> list[Any]:
        """The engine's rejected items about ``doc_id`` (each has the server's message)."""
        status = getattr(self.engine, "status", None)
        if not callable(status):
            return []
        items = []
        for item in status().rejected:
            args = item.args or {}
            ids = {args.get("document_id")} | {i.get("document_id") for i in args.get("items") or []}
            if doc_id in ids:
                items.append(item)
        return items

    # -- attachments and PDFs --------------------------------------------------------

    def add_attachment(self, path: Path) -> dict[str, Any]:
        """Copy a file into the blob store and queue its upload; returns the attachment
        entry to put in the draft (``{name, sha256, size, content_type}``)."""
        if self.blobs is None:
            raise ValidationFailed("document.client.no_blob_store")
        path = Path(path)
        sha = self.blobs.add_file(path)
        mime = "application/pdf" if path.suffix.lower() == ".pdf" else "application/octet-stream"
        return {"name": path.stem, "sha256": sha, "size": path.stat().st_size,
                "content_type": mime}

    def blob_bytes(self, sha256: str, name: str = "", *, fetch: bool = True) -> bytes | None:
        """The verified bytes of a blob, or None after queueing its download.

        ``fetch=False``: work ahead of time — a missing blob is not queued (the sync
        engine prefetches) and reading it is not a use (it stays first for eviction)."""
        if self.blobs is None:
            return None
        here = self.blobs.has(sha256)
        data: bytes | None = self.blobs.read_bytes(sha256, touch=fetch) if here else None
        if data is None:
            if not fetch:
                return None
            self.blobs.request_download(sha256)
            sync_now = getattr(self.engine, "sync_now", None)
            if callable(sync_now):
                sync_now()
            if here:  # it was here but failed its check (read_bytes removed it)
                raise ValidationFailed("document.client.attachment_corrupt",
                                       name=name or sha256[:12])
            return None
        return data

    def pdf_for(self, doc: Mapping[str, Any], *, fetch: bool = True
                ) -> tuple[bytes | None, str]:
        """The document's PDF: the official blob when there is one (download queued if not
        here yet: returns ``(None, "downloading")``), else rendered locally from the spec
        (drafts; ``"rendered"``). Classified specs raise before anything is drawn.
        ``fetch=False``: preparing ahead of time (see :meth:`blob_bytes`)."""
        sha = doc.get("pdf_sha256")
        if sha:
            data = self.blob_bytes(str(sha), str(doc.get("title") or ""), fetch=fetch)
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


# --------------------------------------------------------------------------- prefetch

#: How many documents of the to-do list the sync engine fetches the PDF of ahead of time
#: (the blob cache's size bound applies on top).
PREFETCH_TODO_LIMIT = 100


def todo_pdf_blobs(session: Session, principal: Mapping[str, Any],
                   limit: int = PREFETCH_TODO_LIMIT) -> list[str]:
    """The official PDFs (``pdf_sha256``: the current, stamped one once sealed) of the
    documents on the signed-in person's 待办 list, most urgent first (特急, 加急, then
    the rest), newest first within each; drafts (rendered locally) have none.
    Registered as a :func:`sync.blobs.register_prefetch` source."""
    person = actor_of(principal).id
    if not person:
        return []
    t, p = doc_search.doc_index, doc_search.doc_party
    rank = case((t.c.urgency == "特急", 0), (t.c.urgency == "加急", 1), else_=2)
    sha = func.json_extract(records.c.data, "$.pdf_sha256")
    rows = session.execute(
        select(sha)
        .select_from(p.join(t, t.c.id == p.c.doc_id)
                     .join(records, (records.c.entity == ENTITY) & (records.c.id == p.c.doc_id)))
        .where(p.c.person_id == person, p.c.rel == "todo")
        .order_by(rank, p.c.sort_at.desc(), p.c.doc_id.desc())
        .limit(limit)).scalars()
    return [str(v) for v in rows if v]


register_prefetch(todo_pdf_blobs)


def new_document_id() -> str:
    """A fresh client-made document id ("d-" + 12 lower-case hex digits)."""
    import uuid

    return "d-" + uuid.uuid4().hex[:12]


def paragraphs_to_spec_body(paragraphs: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    """``[(text, level)]`` -> the spec's ``body`` list (numbering added by the renderer
    only for headings typed without it: the editor stores the number with the text)."""
    return [{"text": t, "level": int(lv)} for t, lv in paragraphs if t.strip()]


__all__ = [
    "ACT", "BATCH_APPROVE", "CREATE_DRAFT", "ENTITY", "MARK_OPENED", "SAVE_DRAFT", "TABS",
    "Allowed", "BatchResult", "DocumentService", "actor_of", "allowed_actions",
    "apply_intent", "body_timeline", "format_duration", "is_draft", "new_document_id",
    "opinions", "state_words", "step_label", "timeline",
]

# 收文录入: the documents.intake applier registers with the others.
from modules.documents import intake_service as _intake_service  # noqa: E402,F401
