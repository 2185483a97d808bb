"""Effects of the document intents (公文流转): the one definition of each state change.

Every function here is pure — ``(record, args, actor, clock) -> new record`` — on the
document record in the feed shape of ``documents.document`` (docs/DOCUMENTS_PROTOCOL.md
§1), or on the part of it the effect reads. Two callers use the very same functions:

- the client's optimistic appliers (:mod:`modules.documents.service`) on the cached
  record, so the screen changes at once, offline too;
- the server's mutations (:mod:`server.documents.mutations`), which build the part of the
  record an effect needs from their row, call it, and write back what changed (spec,
  workflow, deadline, archive, seal, status, read receipts). The server adds only what
  it alone can do: locking rows, allocating 发文字号/收文号, rendering PDFs, checking
  blobs, ink and signatures, deliveries, rows, to-dos, audit and the change feed.

Who may act is decided by the workflow (the step's people) and
:mod:`modules.documents.policy` (registry acts, drafting in an organ's name).

No Qt, no HTTP, no database; thread-safe. An effect raises a DomainError in words when
the intent does not apply and never mutates its arguments.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from modules.common.access import ActorFacts
from modules.common.china_time import CHINA as CHINA  # also named from here
from modules.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from modules.documents import messages as _shared_messages  # noqa: F401  (registers codes)
from modules.documents import policy, rules, workflow
from modules.documents.intents import RETENTIONS as RETENTIONS

Record = dict[str, Any]
Lookup = Callable[[str, str], Mapping[str, Any] | None]
#: Resolves a person the client named (``{id, …}``) to ``{id, name, post}``: the server
#: fills them in from its directory; the client takes them as given.
People = Callable[[Any], Mapping[str, str]]

BODY_ENTITY = "directory.body"


#: Steps done through their own intent, not ``act approve``: (intent, action word).
STEP_INTENTS: dict[str, tuple[str, str]] = {
    "register": ("documents.register", "登记"), "dispatch": ("documents.dispatch", "核发"),
}

#: Steps whose people the users choose; the others belong to the body's registry/seals.
CHOSEN_STEPS: dict[str, tuple[str, ...]] = {
    "outgoing": ("review", "countersign", "sign"),
    "incoming": ("propose", "instruct", "handle", "circulate"),
}

#: Steps whose draft text may still change (修改稿).
EDITABLE_STEPS = ("draft", "review", "countersign", "sign")

#: Steps up to which an incoming copy may go back to its sender (退回发文机关).
RETURNABLE_STEPS = ("receive", "register", "screen")

#: The workflow keyword arguments each ``act`` operation accepts.
OP_ARGS: dict[str, frozenset[str]] = {
    "approve": frozenset({"opinion", "next_assignees", "ink_sha256", "deadline", "signed"}),
    "return": frozenset({"to_step", "reason"}),
    "transfer": frozenset({"to", "reason"}),
    "delegate": frozenset({"to"}),
    "add_signer": frozenset({"signer", "target_step"}),
    "remove_signer": frozenset({"signer_id", "target_step"}),
    "withdraw": frozenset(),
    "urge": frozenset({"message", "deadline"}),
    "void": frozenset({"reason"}),
}

_ATTEMPTS = {"save": ("修改", "edit"), "open": ("查阅", "opening"), "sign_for": ("签收", "signing for")}

# --------------------------------------------------------------------------- time and words


def zulu(now: dt.datetime) -> str:
    """Feed time format: ``2026-11-22T10:42:00Z``."""
    return now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def china(now: dt.datetime) -> dt.datetime:
    """``now`` in China time, what the workflow records."""
    return now.astimezone(CHINA)


def _moment(at: str | dt.datetime | None) -> dt.datetime | None:
    if isinstance(at, dt.datetime):
        return at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    try:
        value = dt.datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def when_words(at: str | dt.datetime | None, now: dt.datetime) -> str:
    """"18:42" on the same (China) day as ``now``, else "3月5日18:42" (conflict wording)."""
    moment = _moment(at)
    if moment is None:
        return ""
    when, local = moment.astimezone(CHINA), now.astimezone(CHINA)
    if when.date() == local.date():
        return when.strftime("%H:%M")
    return f"{when.month}月{when.day}日{when:%H:%M}"


def step_name(key: str) -> str | None:
    """The step's Chinese name (拟稿, 签发, 签收 …), whichever flow it belongs to."""
    for steps in workflow.DEFINITIONS.values():
        for sd in steps:
            if sd.key == key:
                return sd.name
    return None


def state_words(doc: Mapping[str, Any]) -> str:
    """What the document waits for, in words (待签发, 已核发 …), as the server says it."""
    wf = doc.get("workflow") or {}
    if doc.get("status") == "recalled":
        return "已撤回"
    if doc.get("status") == "returned":
        return "已退回发文机关"
    if wf.get("status") == "voided":
        return "已作废"
    if wf.get("status") == "done":
        if doc.get("archive"):
            return "已归档"
        return "已核发" if doc.get("kind") == "outgoing" else "已办结"
    current = wf.get("current")
    if doc.get("kind", "outgoing") == "outgoing" and current == "draft":
        last = next((ev for ev in reversed(wf.get("history", [])) if ev["op"] != "urge"), None)
        return "待修改" if last is not None and last["op"] == "return" else "草稿"
    sd = workflow.current_step(wf) if current else None
    return "待" + sd.verb if sd else ""


# --------------------------------------------------------------------------- the record


def refresh(doc: Record, now: dt.datetime) -> None:
    """Derived fields of the record (what the server's feed writes beside the workflow)."""
    wf = doc["workflow"]
    spec = doc.get("spec") or {}
    doc["title"] = str(spec.get("title") or doc.get("title") or "")
    doc["doc_type"] = str(spec.get("doc_type") or doc.get("doc_type") or "")
    doc["urgency"] = str(spec.get("urgency") or "")
    sd = workflow.current_step(wf)
    doc["step"] = sd.key if sd else ""
    doc["step_name"] = sd.name if sd else ""
    if doc.get("status") not in ("recalled", "returned"):
        doc["status"] = wf["status"]
    doc["state_words"] = state_words(doc)
    known = {(o.get("step"), (o.get("person") or {}).get("id"), o.get("text")): o.get("id")
             for o in doc.get("opinions") or []}
    doc["opinions"] = [{
        "id": known.get((o["step"], o["person"]["id"], o["text"])) or f"op-local-{i + 1}",
        "step": o["step"], "step_name": o["step_name"], "kind": o["kind"], "text": o["text"],
        "person": o["person"], "at": o["at"], "written_by": o.get("written_by"),
        "ink_sha256": None,
    } for i, o in enumerate(wf.get("opinions", []))]
    doc["updated_at"] = zulu(now)


def new_record(doc_id: str, spec: dict[str, Any], actor: workflow.ActorLike, now: dt.datetime,
               body: tuple[str, str], *,
               assignments: Mapping[str, Any] | None = None) -> Record:
    """A new outgoing draft (拟稿) held by ``actor``; ``assignments`` = chosen people."""
    me = workflow.Actor.of(actor)
    return {
        "id": doc_id, "kind": "outgoing", "body_id": body[0], "body_name": body[1],
        "title": "", "doc_type": "", "urgency": "", "spec": spec, "attachments": [],
        "main_to": [], "cc_to": [], "doc_number": "", "receipt_number": "", "pdf_sha256": "",
        "revision": 1, "revisions": [{"no": 1, "by": me.to_dict(), "at": zulu(now), "note": ""}],
        "workflow": workflow.new_workflow("outgoing", me, china(now), assignments, doc_id=doc_id),
        "step": "", "step_name": "", "status": "active", "state_words": "", "opinions": [],
        "seal": {"state": "none", "request_id": "", "seal_id": "", "stamped_sha256": "", "at": None},
        "deliveries": [], "source": None, "return_reason": "", "deadline": None, "reads": [],
        "archive": None, "created_by": me.to_dict(), "created_at": zulu(now),
        "updated_at": zulu(now),
    }


def normal_spec(value: Any) -> dict[str, Any]:
    """A draft spec in the stored (normalised) form: classified refused first, shapes
    checked; drafts may still be incomplete."""
    if not isinstance(value, Mapping):
        raise ValidationFailed("document.invalid_spec", detail="spec")
    rules.refuse_classified(dict(value))
    return rules.parse_spec(value).to_dict()


def attachments_of(value: Any) -> list[dict[str, Any]]:
    """The record's attachment list from an intent's ``attachments`` (the client's form;
    the server stores its own rows after checking each blob)."""
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
        sha = item.get("sha256") or ""
        if sha and (not isinstance(sha, str) or len(sha) != 64):
            raise ValidationFailed("request.invalid", detail=f"sha256 {sha!r}")
        out.append({"name": name, "sha256": sha, "size": int(item.get("size") or 0),
                    "content_type": str(item.get("content_type") or "")})
    return out


def bodies_of(lookup: Lookup | None, ids: Any, field_name: str) -> list[dict[str, str]]:
    """``[body id]`` -> ``[{id, name}]`` with names from ``lookup`` (the address book)."""
    if ids in (None, ""):
        return []
    if not isinstance(ids, list):
        raise ValidationFailed("document.invalid_spec", detail=f"{field_name}: 应为列表 / must be a list")
    out = []
    for item in ids:
        bid = str(item.get("id") if isinstance(item, Mapping) else item)
        body = lookup(BODY_ENTITY, bid) if lookup is not None else None
        name = (body or {}).get("name") or (item.get("name") if isinstance(item, Mapping) else "") or bid
        out.append({"id": bid, "name": str(name)})
    return out


# --------------------------------------------------------------------------- checks


def kind_check(doc: Mapping[str, Any], kind: str) -> None:
    """Refuse an intent meant for the other kind of document (发文/收文)."""
    if doc.get("kind", "outgoing") != kind:
        words = {"outgoing": ("发文", "outgoing"), "incoming": ("收文", "incoming")}[kind]
        raise ValidationFailed("document.wrong_kind", kind=words[0], kind_en=words[1])


def _last(history: list[dict[str, Any]], op: str) -> dict[str, Any] | None:
    return next((e for e in reversed(history) if e.get("op") == op), None)


def closed_copy_check(doc: Mapping[str, Any], attempt: str, now: dt.datetime) -> None:
    """A recalled (撤回) or returned (退回发文机关) incoming copy: say who ended it and
    when. Opening a returned copy is still allowed."""
    status = doc.get("status")
    if status not in ("recalled", "returned") or (status == "returned" and attempt == "open"):
        return
    att, att_en = _ATTEMPTS.get(attempt) or workflow._ATTEMPT_WORDS.get(attempt, (attempt, attempt))
    history = (doc.get("workflow") or {}).get("history", [])
    if status == "recalled":
        ev = _last(history, "recall")
        sender = (doc.get("source") or {}).get("body_name") or "发文机关"
        raise Conflict("document.recalled", body=sender,
                       time=when_words(ev["at"] if ev else doc.get("updated_at"), now),
                       attempt=att, attempt_en=att_en)
    ev = _last(history, "return_to_sender")
    raise Conflict("document.returned_to_sender", name=ev["actor"]["name"] if ev else "",
                   time=when_words(ev["at"] if ev else doc.get("updated_at"), now),
                   attempt=att, attempt_en=att_en)


def refuse_step_intent(wf: Mapping[str, Any], step: str | None) -> None:
    """登记 and 核发 are done through their own intents, not ``act approve``."""
    current = wf.get("current")
    if current in STEP_INTENTS and (step is None or step == current):
        raise ValidationFailed("document.use_intent", step=step_name(current) or current,
                               step_en=current, action=STEP_INTENTS[current][1], action_en=current)


def authorise_step(wf: Mapping[str, Any], key: str, actor: workflow.ActorLike, now: dt.datetime,
                   step: str | None = None) -> None:
    """Before the register/dispatch intent does anything (a number is only taken by
    someone who may): the actor may approve the step, and the step is ``key``."""
    workflow.approve(dict(wf), actor, china(now), step=step or key)  # raises in words
    if wf.get("current") != key:
        raise ValidationFailed("document.use_intent", step=step_name(key) or key, step_en=key,
                               action=STEP_INTENTS[key][1], action_en=key)


def check_chosen(kind: str, mapping: Mapping[str, Any]) -> None:
    """Only the steps users choose people for may be assigned (not registry/seal steps)."""
    for step in mapping:
        if step not in CHOSEN_STEPS[kind]:
            name = step_name(step)
            if name is None:
                raise ValidationFailed("document.workflow.unknown_step", step=step)
            raise ValidationFailed("document.step_not_assignable", step=name, step_en=step)


def parse_deadline(value: Any) -> str | None:
    """办理时限 as an ISO date, or None; refused in words when it is not a date."""
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ValidationFailed("document.bad_date", value=str(value), label="办理时限",
                               label_en="Deadline", field="deadline") from None


def check_op(doc: Mapping[str, Any], op: str, step: str | None, now: dt.datetime, *,
             internal: bool = False) -> None:
    """What refuses a workflow operation before the workflow itself is asked: a closed
    copy, 登记/核发 by ``act``, submitting a draft too incomplete to circulate.
    ``internal``: the register/dispatch intents approving their own step."""
    if op not in workflow.OPERATIONS:
        raise ValidationFailed("request.invalid", detail=f"unknown workflow operation {op!r}")
    closed_copy_check(doc, op, now)
    wf = doc.get("workflow") or {}
    if op == "approve" and not internal:
        refuse_step_intent(wf, step)
    if op == "approve" and doc.get("kind", "outgoing") == "outgoing" and wf.get("current") == "draft":
        rules.validate_spec(doc.get("spec") or {}, final=False)


def people_map(value: Any, people: People | None = None) -> dict[str, list[Any]]:
    """``{step: [person]}`` (``next_assignees``, ``assignments``), shapes checked."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationFailed("request.invalid", detail="next_assignees / assignments: 应为对象")
    out: dict[str, list[Any]] = {}
    for step, found in value.items():
        if not isinstance(found, list):
            raise ValidationFailed("request.invalid", detail=f"{step}: 应为人员列表")
        out[str(step)] = [people(p) if people else p for p in found]
    return out


def op_params(op: str, step: str | None, args: Mapping[str, Any], *,
              people: People | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The workflow keyword arguments of ``op`` from an ``act`` intent's ``args``, and the
    extras beside the workflow (``ink_sha256``, ``signed``, the parsed ``deadline``).
    People (``to``, ``signer``, ``next_assignees``) go through ``people``."""
    if op not in OP_ARGS:
        raise ValidationFailed("request.invalid", detail=f"unknown workflow operation {op!r}")
    unknown = sorted(set(args) - OP_ARGS[op])
    if unknown:
        raise ValidationFailed("request.invalid", detail=f"args: {', '.join(unknown)}")

    def text(key: str) -> str:
        value = args.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ValidationFailed("request.invalid", detail=f"args.{key}: 应为文本")
        return value[:2000]

    def person(key: str) -> Any:
        return people(args.get(key)) if people else args.get(key)

    extra: dict[str, Any] = {}
    kw: dict[str, Any] = {}
    if op == "approve":
        kw = {"step": step, "opinion": text("opinion"),
              "next_assignees": people_map(args.get("next_assignees"), people)}
        extra = {"ink_sha256": args.get("ink_sha256"), "signed": args.get("signed"),
                 "deadline": parse_deadline(args.get("deadline"))}
    elif op == "return":
        kw = {"step": step, "to_step": text("to_step"), "reason": text("reason")}
    elif op == "transfer":
        kw = {"step": step, "to": person("to"), "reason": text("reason")}
    elif op == "delegate":
        kw = {"step": step, "to": person("to")}
    elif op == "add_signer":
        kw = {"step": text("target_step") or step, "signer": person("signer")}
    elif op == "remove_signer":
        kw = {"step": text("target_step") or step, "signer_id": text("signer_id")}
    elif op == "urge":
        kw = {"message": text("message"), "deadline": text("deadline")}
    elif op == "void":
        kw = {"reason": text("reason")}
    return kw, extra


# --------------------------------------------------------------------------- the rules after an approval


def signed_spec(spec: Mapping[str, Any], signer: str, now: dt.datetime) -> dict[str, Any]:
    """签发 done: 成文日期 = the signing day (China time); 上行文 names its signer."""
    out = copy.deepcopy(dict(spec))
    if not out.get("date"):
        out["date"] = china(now).date().isoformat()
    if rules.parse_spec(out).is_upward:
        signers = list(out.get("signers") or [])
        if signer not in signers:
            signers.append(signer)
        out["signers"] = signers
    return out


def mark_acted(reads: list[dict[str, Any]], person: Mapping[str, str], now: dt.datetime) -> None:
    """The person acted on the document: their read receipt says when (made if none)."""
    mine = next((r for r in reads if r.get("person_id") == person["id"]), None)
    if mine is None:
        mine = {"person_id": person["id"], "name": person["name"], "first_opened_at": zulu(now),
                "last_opened_at": zulu(now), "acted_at": None}
        reads.append(mine)
    mine["acted_at"] = zulu(now)


def archive_entry(actor: workflow.ActorLike, now: dt.datetime, retention: str = "永久",
                  archive_no: str = "") -> dict[str, Any]:
    return {"at": zulu(now), "by": workflow.Actor.of(actor).to_dict(), "retention": retention,
            "archive_no": archive_no}


def apply_op(doc: Mapping[str, Any], op: str, kw: Mapping[str, Any], actor: workflow.ActorLike,
             now: dt.datetime, *, deadline: str | None = None) -> Record:
    """One workflow operation on the record, and what follows from it: after an approval
    the read receipt (acted_at), 签发's 成文日期 and signer, 批办's 办理时限, an incoming
    copy archived on its 归档 step, the 用印 step waiting for its request; the record's
    status. ``kw``: the workflow's keyword arguments (:func:`op_params`); called after
    :func:`check_op` (as :func:`act` does)."""
    me = workflow.Actor.of(actor)
    kind = doc.get("kind", "outgoing")
    if op == "approve":
        check_chosen(kind, kw.get("next_assignees") or {})
    new = copy.deepcopy(dict(doc))
    wf = workflow.apply(doc["workflow"], op, me, china(now), **kw)
    new["workflow"] = wf
    if op == "approve":
        last = wf["history"][-1]
        principal = last.get("on_behalf_of") or me.to_dict()
        mark_acted(new.setdefault("reads", []), principal, now)
        if kind == "outgoing" and last["step"] == "sign" and wf.get("current") != "sign":
            new["spec"] = signed_spec(new.get("spec") or {}, principal["name"], now)
        if kind == "incoming" and last["step"] == "instruct" and deadline:
            new["deadline"] = deadline
        if kind == "incoming" and last["step"] == "archive" and wf["status"] == "done" \
                and not new.get("archive"):
            new["archive"] = archive_entry(me, now)
        seal = new.get("seal") or {}
        if kind == "outgoing" and wf.get("current") == "seal" \
                and seal.get("state") not in ("requested", "stamped"):
            new["seal"] = {**seal, "state": "waiting", "request_id": "", "seal_id": "",
                           "stamped_sha256": "", "at": None}
    if new.get("status") not in ("recalled", "returned"):
        new["status"] = wf["status"]
    return new


def close_copy(wf: Mapping[str, Any], op: str, actor: workflow.ActorLike, now: dt.datetime,
               reason: str) -> dict[str, Any]:
    """End an incoming copy's flow (``return_to_sender`` or ``recall``): one event with
    the reason, nobody pending, nothing to undo."""
    new = copy.deepcopy(dict(wf))
    new["version"] += 1
    new["history"].append({"seq": new["version"], "op": op, "step": new.get("current"),
                           "actor": workflow.Actor.of(actor).to_dict(),
                           "at": china(now).isoformat(timespec="seconds"), "reason": reason.strip()})
    new["status"], new["pending"], new["undo"] = "voided", [], None
    return new


def registered_spec(spec: Mapping[str, Any], number: str, print_date: str | None,
                    now: dt.datetime) -> rules.DocumentSpec:
    """登记 of an outgoing document: the 发文字号 (allocated by the server) and the 印发日期
    go into the text, which must now be complete (``validate_spec(final=True)``)."""
    out = copy.deepcopy(dict(spec))
    out["doc_number"] = number
    if print_date:
        out["print_date"] = print_date
    elif out.get("printer") and not out.get("print_date"):
        out["print_date"] = china(now).date().isoformat()
    return rules.validate_spec(out, final=True)


# --------------------------------------------------------------------------- intents


def create_draft(doc: Mapping[str, Any] | None, args: Mapping[str, Any], actor: workflow.ActorLike,
                 now: dt.datetime, *, lookup: Lookup | None = None,
                 facts: ActorFacts | None = None, organ: tuple[str, str] | None = None,
                 people: People | None = None) -> Record:
    """``documents.create_draft`` (拟稿). ``organ`` = (id, name) of the organ the draft is
    in and ``facts`` the actor's posts: checked by :func:`policy.check_draft` (the server,
    which resolves a body to its organ; the client's cache cannot). Attachments and
    recipients are taken as given when present in ``args`` (the server stores its own,
    checked)."""
    doc_id = str(args.get("document_id") or "")
    if doc is not None:
        raise Conflict("document.exists", id=doc_id)
    if facts is not None and organ is not None:
        policy.check_draft(facts, organ[0], organ[1])
    spec = normal_spec(args.get("spec") or {})
    assignments = people_map(args.get("assignments"), people)
    check_chosen("outgoing", assignments)
    body_id = str(args.get("body_id") or "")
    body = lookup(BODY_ENTITY, body_id) if (lookup and body_id) else None
    new = new_record(doc_id, spec, actor, now, (body_id, str((body or {}).get("name") or "")),
                     assignments=assignments)
    new["attachments"] = attachments_of(args.get("attachments"))
    new["main_to"] = bodies_of(lookup, args.get("main_to"), "main_to")
    new["cc_to"] = bodies_of(lookup, args.get("cc_to"), "cc_to")
    refresh(new, now)
    return new


def save_draft(doc: Mapping[str, Any], args: Mapping[str, Any], actor: workflow.ActorLike,
               now: dt.datetime, *, lookup: Lookup | None = None, **_: Any) -> Record:
    """``documents.save_draft`` (修改稿): a concurrent edit is a conflict naming who saved;
    only while the text may change and by the step's people; a new revision when the
    text changed. Reads ``revision`` and the last of ``revisions``."""
    closed_copy_check(doc, "save", now)
    kind_check(doc, "outgoing")
    me = workflow.Actor.of(actor)
    wf = doc.get("workflow") or {}
    base = args.get("base_revision")
    if base is not None and int(base) != int(doc.get("revision") or 1):
        last = (doc.get("revisions") or [{}])[-1]
        raise Conflict("document.revision_conflict", name=(last.get("by") or {}).get("name", ""),
                       time=when_words(last.get("at"), now), no=doc.get("revision"))
    if wf.get("status") != "active" or wf.get("current") not in EDITABLE_STEPS:
        if wf.get("status") == "voided":
            workflow.approve(dict(wf), me, china(now))  # raises the "already voided" conflict
        raise ValidationFailed("document.draft_locked")
    if not workflow.can_act(dict(wf), me):
        current = str(wf.get("current") or "")
        raise PermissionDenied("document.not_editable", step=step_name(current) or "", step_en=current)
    new = copy.deepcopy(dict(doc))
    spec = normal_spec(args.get("spec") or {})
    changed = spec != doc.get("spec")
    new["spec"] = spec
    if "attachments" in args:
        new["attachments"] = attachments_of(args.get("attachments"))
    for key in ("main_to", "cc_to"):
        if key in args:
            new[key] = bodies_of(lookup, args.get(key), key)
    if changed:
        new["revision"] = int(doc.get("revision") or 1) + 1
        new["revisions"] = [*(doc.get("revisions") or []), {
            "no": new["revision"], "by": me.to_dict(), "at": zulu(now),
            "note": str(args.get("note") or "")}]
    refresh(new, now)
    return new


def act(doc: Mapping[str, Any], args: Mapping[str, Any], actor: workflow.ActorLike,
        now: dt.datetime, *, people: People | None = None, internal: bool = False,
        **_: Any) -> Record:
    """``documents.act``: one workflow operation (approve, return, transfer, delegate,
    add_signer, remove_signer, withdraw, urge, void) with its consequences
    (:func:`apply_op`). ``internal``: the register/dispatch intents approving their step."""
    op, step = str(args.get("op") or ""), args.get("step")
    check_op(doc, op, step, now, internal=internal)
    kw, extra = op_params(op, step, args.get("args") or {}, people=people)
    new = apply_op(doc, op, kw, actor, now, deadline=extra.get("deadline"))
    refresh(new, now)
    return new


def sign_for(doc: Mapping[str, Any], args: Mapping[str, Any], actor: workflow.ActorLike,
             now: dt.datetime, **_: Any) -> Record:
    """``documents.sign_for`` (签收): approving an incoming copy's 签收 step."""
    closed_copy_check(doc, "sign_for", now)
    kind_check(doc, "incoming")
    return act(doc, {"op": "approve", "step": "receive", "args": {}}, actor, now)


def batch_item(doc: Mapping[str, Any], step: str | None, opinion: str,
               actor: workflow.ActorLike, now: dt.datetime) -> Record:
    """One item of ``documents.batch_approve`` (批量签批): an ``act approve``."""
    return act(doc, {"op": "approve", "step": step, "args": {"opinion": opinion}}, actor, now)


def mark_opened(doc: Mapping[str, Any], args: Mapping[str, Any], actor: workflow.ActorLike,
                now: dt.datetime, **_: Any) -> Record:
    """``documents.mark_opened`` (已阅回执): the person's read receipt, made on the first
    open. A receipt the server made when the person acted (``opens`` 0) gets its first
    open now."""
    closed_copy_check(doc, "open", now)
    me = workflow.Actor.of(actor)
    new = copy.deepcopy(dict(doc))
    reads = new.setdefault("reads", [])
    mine = next((r for r in reads if r.get("person_id") == me.id), None)
    if mine is None:
        reads.append({"person_id": me.id, "name": me.name, "first_opened_at": zulu(now),
                      "last_opened_at": zulu(now), "acted_at": None})
    else:
        if mine.get("opens") == 0:
            mine["first_opened_at"] = zulu(now)
        mine["last_opened_at"] = zulu(now)
    return new


def archive(doc: Mapping[str, Any], args: Mapping[str, Any], actor: workflow.ActorLike,
            now: dt.datetime, *, facts: ActorFacts | None = None, **_: Any) -> Record:
    """``documents.archive`` (归档 with 保管期限 and 档号): an outgoing document, once
    finished, by a registry clerk of its organ (:func:`policy.may_archive_outgoing`); an
    incoming one on its 归档 step. Archived twice is a conflict naming who did."""
    retention = str(args.get("retention") or "永久")
    if retention not in RETENTIONS:
        raise ValidationFailed("document.bad_retention")
    closed_copy_check(doc, "approve", now)
    outgoing = doc.get("kind", "outgoing") == "outgoing"
    if outgoing and facts is not None:  # who may, before what state: a refusal never tells more
        organ = str(doc.get("body_id") or "")
        policy.check_registry(policy.may_archive_outgoing(facts, organ),
                              str(doc.get("body_name") or organ), "归档", "archive")
    done = doc.get("archive")
    if done:
        raise Conflict("document.already_archived", name=done["by"]["name"],
                       time=when_words(done["at"], now))
    if outgoing:
        if (doc.get("workflow") or {}).get("status") != "done":
            raise ValidationFailed("document.not_finished")
        new = copy.deepcopy(dict(doc))
    else:
        new = act(doc, {"op": "approve", "step": "archive", "args": {}}, actor, now)
    new["archive"] = archive_entry(actor, now, retention, str(args.get("archive_no") or ""))
    refresh(new, now)
    return new


def return_to_sender(doc: Mapping[str, Any], args: Mapping[str, Any], actor: workflow.ActorLike,
                     now: dt.datetime, **_: Any) -> Record:
    """``documents.return_to_sender`` (退回发文机关, online only): an incoming copy up to
    初审, by the people of its current step, with a reason; the copy's flow ends."""
    closed_copy_check(doc, "return", now)
    kind_check(doc, "incoming")
    wf = doc["workflow"]
    reason = str(args.get("reason") or "")
    if not workflow.can_act(wf, actor):
        workflow.return_to(wf, actor, china(now), to_step="receive", reason=reason,
                           step=wf.get("current"))  # raises the right words
    if wf.get("current") not in RETURNABLE_STEPS:
        cur = str(wf.get("current") or "")
        raise ValidationFailed("document.return_too_late", step=step_name(cur) or cur, step_en=cur)
    new = copy.deepcopy(dict(doc))
    new["workflow"] = close_copy(wf, "return_to_sender", actor, now, reason)
    new["status"] = "returned"
    new["return_reason"] = reason.strip()
    return new


def recall_copy(doc: Mapping[str, Any], reason: str, actor: workflow.ActorLike,
                now: dt.datetime) -> Record:
    """One incoming copy of ``documents.recall`` (撤回分发, online only; who may:
    :func:`policy.may_recall`; which copies: the server's deliveries not signed for)."""
    new = copy.deepcopy(dict(doc))
    new["workflow"] = close_copy(doc["workflow"], "recall", actor, now, reason)
    new["status"] = "recalled"
    return new


Effect = Callable[..., Record]

#: The record effect of every intent the client applies optimistically (``offline``).
#: The online-only intents' pure parts: :func:`authorise_step` and
#: :func:`registered_spec` (register, dispatch), :func:`return_to_sender`,
#: :func:`recall_copy`; the 用印申请 is the seal module's.
OFFLINE_EFFECTS: dict[str, Effect] = {
    "documents.create_draft": create_draft,
    "documents.save_draft": save_draft,
    "documents.act": act,
    "documents.sign_for": sign_for,
    "documents.mark_opened": mark_opened,
    "documents.archive": archive,
}


def apply_intent(doc: Record | None, name: str, args: Mapping[str, Any], actor: workflow.ActorLike,
                 now: dt.datetime, *, lookup: Lookup | None = None,
                 facts: ActorFacts | None = None) -> Record:
    """The new record after intent ``name`` (one of :data:`OFFLINE_EFFECTS`).

    ``lookup(entity, id)`` reads other records (body names for 主送/抄送); ``facts`` are
    the actor's posts for the policy checks. Raises DomainError (ClassifiedRefused,
    ValidationFailed, PermissionDenied, Conflict, NotFound) when the intent does not
    apply; never mutates ``doc``.
    """
    rules.refuse_classified(dict(args))
    effect = OFFLINE_EFFECTS.get(name)
    if effect is None:
        raise ValidationFailed("request.invalid", detail=f"unknown intent {name!r}")
    if name == "documents.create_draft":
        return create_draft(doc, args, actor, now, lookup=lookup)
    if doc is None:
        raise NotFound("document.not_found", id=str(args.get("document_id") or ""))
    return effect(doc, args, actor, now, lookup=lookup, facts=facts)
