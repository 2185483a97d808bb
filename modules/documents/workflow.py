"""Workflow state machine for outgoing (发文) and incoming (收文) documents.

Pure module: no Qt, no HTTP, no database. State is a plain JSON-able ``dict`` so the
client (optimistic apply) and the server (authoritative apply) run the very same code.
Every operation is a function ``op(state, actor, now, **args) -> new_state`` that never
mutates its input and raises a :class:`~modules.common.errors.DomainError`:

* :class:`PermissionDenied` — the actor has nothing to do on this step;
* :class:`Conflict` — the actor could act on the state they saw, but someone acted first
  (the message names who and when, e.g. "该公文已由张伟于10:42退回，您的签批未生效。");
* :class:`ValidationFailed` — bad arguments (no reason for a return, unknown step …).

Acting operations take ``step`` = the step key the actor saw on screen; pass it from the
client so a late action is reported as a conflict instead of a permission error.

Steps
-----
发文 (outgoing): 拟稿 draft → 核稿 review → 会签 countersign (optional, parallel: every
signer) → 签发 sign → 复核 recheck → 登记 register → 用印 seal → 核发 dispatch.

收文 (incoming): 签收 receive → 登记 register → 初审 screen → 拟办 propose → 批办 instruct
→ 承办 handle (parallel) → 传阅 circulate (optional, parallel) → 办结 complete → 归档 archive.
催办 (urge) is an operation available on any open step.

Mode "any": one of the assignees completes the step. Mode "all": every assignee must.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from modules.common import messages
from modules.common.errors import Conflict, DomainError, PermissionDenied, ValidationFailed

State = dict[str, Any]


@dataclass(frozen=True)
class StepDef:
    """One step of a workflow definition."""

    key: str
    name: str  # Chinese name shown to users
    verb: str  # what "approve" means on this step, in Chinese (签发, 核稿 …)
    verb_en: str
    mode: str = "any"  # "any" or "all"
    optional: bool = False
    opinion_kind: str = "意见"  # 意见 or 批示 (leaders' instructions)


OUTGOING: tuple[StepDef, ...] = (
    StepDef("draft", "拟稿", "提交", "submitted"),
    StepDef("review", "核稿", "核稿", "reviewed"),
    StepDef("countersign", "会签", "会签", "countersigned", mode="all", optional=True),
    StepDef("sign", "签发", "签发", "signed", opinion_kind="批示"),
    StepDef("recheck", "复核", "复核", "rechecked"),
    StepDef("register", "登记", "登记", "registered"),
    StepDef("seal", "用印", "用印", "sealed", optional=True),  # skipped for unsealed documents
    StepDef("dispatch", "核发", "核发", "dispatched"),
)

INCOMING: tuple[StepDef, ...] = (
    StepDef("receive", "签收", "签收", "received"),
    StepDef("register", "登记", "登记", "registered"),
    StepDef("screen", "初审", "初审", "screened"),
    StepDef("propose", "拟办", "拟办", "proposed handling for"),
    StepDef("instruct", "批办", "批办", "gave instructions on", opinion_kind="批示"),
    StepDef("handle", "承办", "办理", "handled", mode="all"),
    StepDef("circulate", "传阅", "阅", "read", mode="all", optional=True),
    StepDef("complete", "办结", "办结", "completed"),
    StepDef("archive", "归档", "归档", "archived"),
)

DEFINITIONS: dict[str, tuple[StepDef, ...]] = {"outgoing": OUTGOING, "incoming": INCOMING}

#: Words for non-approve operations, for conflict messages: op -> (zh, en).
_OP_WORDS: dict[str, tuple[str, str]] = {
    "return": ("退回", "returned"),
    "transfer": ("转办", "transferred"),
    "delegate": ("委托他人办理", "delegated"),
    "withdraw": ("撤回", "withdrew"),
    "void": ("作废", "voided"),
    "add_signer": ("加签", "added a signer to"),
    "remove_signer": ("减签", "removed a signer from"),
    "return_to_sender": ("退回发文机关", "returned to the sender"),
    "recall": ("撤回", "recalled"),
}
#: What the caller was trying to do, for "您的…未生效".
_ATTEMPT_WORDS: dict[str, tuple[str, str]] = {
    "approve": ("签批", "action"),
    "return": ("退回", "return"),
    "transfer": ("转办", "transfer"),
    "delegate": ("委托", "delegation"),
    "withdraw": ("撤回", "withdrawal"),
    "void": ("作废", "voiding"),
    "add_signer": ("加签", "added signer"),
    "remove_signer": ("减签", "removed signer"),
    "urge": ("催办", "reminder"),
}

messages.register({
    "document.workflow.conflict": {
        "zh_CN": "该公文已由{name}于{time}{action}，您的{attempt}未生效。",
        "en": "{name} already {action_en} this document at {time}; your {attempt_en} did not take effect.",
    },
    "document.workflow.not_your_step": {
        "zh_CN": "当前环节“{step}”不由您办理，无法执行该操作。",
        "en": "The current step ({step_en}) is not assigned to you.",
    },
    "document.workflow.closed": {
        "zh_CN": "该公文流程已{status}，不能再办理。",
        "en": "This document's workflow is {status_en}; nothing more can be done.",
    },
    "document.workflow.reason_required": {
        "zh_CN": "请填写{action}理由。",
        "en": "Please give a reason for the {action_en}.",
    },
    "document.workflow.bad_return_target": {
        "zh_CN": "只能退回到已经办理过的前序环节（“{step}”不可退回）。",
        "en": "You can only return the document to an earlier step that was done ({step} is not).",
    },
    "document.workflow.no_assignee": {
        "zh_CN": "请为下一环节“{step}”指定办理人。",
        "en": "Choose who handles the next step ({step}).",
    },
    "document.workflow.unknown_step": {
        "zh_CN": "流程中没有“{step}”环节。",
        "en": "There is no step '{step}' in this workflow.",
    },
    "document.workflow.not_parallel": {
        "zh_CN": "“{step}”环节不能加签或减签（仅会签、承办、传阅等多人环节可以）。",
        "en": "Signers can only be added or removed on multi-person steps (not on {step}).",
    },
    "document.workflow.already_acted": {
        "zh_CN": "{name}已于{time}办理，不能减签。",
        "en": "{name} already acted at {time} and cannot be removed.",
    },
    "document.workflow.last_signer": {
        "zh_CN": "不能减去该环节的最后一位办理人。",
        "en": "The last person on a step cannot be removed.",
    },
    "document.workflow.already_assigned": {
        "zh_CN": "{name}已在该环节的办理人中。",
        "en": "{name} is already on this step.",
    },
    "document.workflow.nothing_to_withdraw": {
        "zh_CN": "您没有可以撤回的办理。",
        "en": "You have nothing to withdraw.",
    },
    "document.workflow.self_target": {
        "zh_CN": "不能转办或委托给自己。",
        "en": "You cannot transfer or delegate to yourself.",
    },
    "document.workflow.bad_actor": {
        "zh_CN": "办理人信息不完整（需要编号和姓名）。",
        "en": "A person needs an id and a name.",
    },
})


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Actor:
    """A person acting in a post (职务), e.g. Actor("p-1", "张伟", "办公室主任")."""

    id: str
    name: str
    post: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "post": self.post}

    @classmethod
    def of(cls, value: Actor | Mapping[str, Any]) -> Actor:
        if isinstance(value, Actor):
            return value
        if not isinstance(value, Mapping) or not value.get("id") or not value.get("name"):
            raise ValidationFailed("document.workflow.bad_actor")
        return cls(str(value["id"]), str(value["name"]), str(value.get("post") or ""))


ActorLike = Actor | Mapping[str, Any]


def _iso(now: dt.datetime) -> str:
    return now.isoformat(timespec="seconds")


def _steps(state: State) -> tuple[StepDef, ...]:
    return DEFINITIONS[state["kind"]]


def _step_def(state: State, key: str) -> StepDef:
    for s in _steps(state):
        if s.key == key:
            return s
    raise ValidationFailed("document.workflow.unknown_step", step=key)


def _index(state: State, key: str) -> int:
    return [s.key for s in _steps(state)].index(key)


#: Times in messages are shown in China Standard Time (no daylight saving), whatever
#: zone the server's clock uses; naive times are shown as they are.
DISPLAY_TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def _when(at_iso: str, now: dt.datetime) -> str:
    """"10:42" on the same day as ``now``, else "3月5日10:42" (China time)."""
    at = dt.datetime.fromisoformat(at_iso)
    if at.tzinfo is not None:
        at = at.astimezone(DISPLAY_TZ)
    if now.tzinfo is not None:
        now = now.astimezone(DISPLAY_TZ)
    if at.date() == now.date():
        return at.strftime("%H:%M")
    return f"{at.month}月{at.day}日{at:%H:%M}"


def _last_event(state: State) -> dict[str, Any] | None:
    ev: dict[str, Any]
    for ev in reversed(state["history"]):
        if ev["op"] != "urge":
            return ev
    return None


def _conflict(state: State, attempt: str, now: dt.datetime) -> Conflict:
    ev = _last_event(state)
    assert ev is not None
    if ev["op"] == "approve":
        sd = _step_def(state, ev["step"])
        action, action_en = sd.verb, sd.verb_en
    else:
        action, action_en = _OP_WORDS.get(ev["op"], (ev["op"], ev["op"]))
    att, att_en = _ATTEMPT_WORDS.get(attempt, (attempt, attempt))
    return Conflict(
        "document.workflow.conflict",
        name=ev["actor"]["name"], time=_when(ev["at"], now), action=action,
        action_en=action_en, attempt=att, attempt_en=att_en, at=ev["at"],
        by=ev["actor"]["id"],
    )


def _ensure_open(state: State, attempt: str, now: dt.datetime) -> None:
    if state["status"] == "active":
        return
    if state["status"] == "voided":
        raise _conflict(state, attempt, now)
    raise ValidationFailed("document.workflow.closed", status="办结", status_en="finished")


def _pending_ids(state: State) -> list[str]:
    return [p["id"] for p in state["pending"]]


def _principal(state: State, actor: Actor) -> dict[str, str] | None:
    """The pending person ``actor`` may act as (themselves, or whom they stand in for)."""
    pending: list[dict[str, str]] = state["pending"]
    for p in pending:
        if p["id"] == actor.id:
            return p
    for principal_id, delegate in state["delegations"].items():
        if delegate["id"] == actor.id:
            for p in pending:
                if p["id"] == principal_id:
                    return p
    return None


def _was_assigned(state: State, step: str, actor: Actor) -> bool:
    if any(p["id"] == actor.id for p in state["assignments"].get(step, [])):
        return True
    return any(
        ev.get("step") == step and (
            ev["actor"]["id"] == actor.id
            or (ev.get("to") or {}).get("id") == actor.id
        )
        for ev in state["history"]
    )


def _authorise(state: State, actor: Actor, step: str | None, attempt: str,
               now: dt.datetime) -> dict[str, str]:
    """Return the principal ``actor`` acts for on the current step, or raise."""
    _ensure_open(state, attempt, now)
    principal = _principal(state, actor)
    if principal is not None and (step is None or step == state["current"]):
        return principal
    seen = step or state["current"]
    if _was_assigned(state, seen, actor) and _last_event(state) is not None:
        last = _last_event(state)
        assert last is not None
        if last["actor"]["id"] != actor.id:
            raise _conflict(state, attempt, now)
    sd = _step_def(state, state["current"])
    raise PermissionDenied("document.workflow.not_your_step", step=sd.name, step_en=sd.key)


def _record(state: State, op: str, actor: Actor, now: dt.datetime,
            principal: Mapping[str, str] | None = None, **extra: Any) -> None:
    state["version"] += 1
    event: dict[str, Any] = {
        "seq": state["version"], "op": op, "step": state["current"],
        "actor": actor.to_dict(), "at": _iso(now),
    }
    if principal is not None and principal["id"] != actor.id:
        event["on_behalf_of"] = dict(principal)
    event.update({k: v for k, v in extra.items() if v not in (None, "")})
    state["history"].append(event)


def _snapshot(state: State) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in state.items() if k not in ("history", "undo", "urges")}


def _set_undo(state: State, actor: Actor, before: Mapping[str, Any]) -> None:
    state["undo"] = {"actor_id": actor.id, "version": state["version"], "before": dict(before)}


def _enter(state: State, key: str, pending: list[dict[str, str]] | None = None) -> None:
    """Make ``key`` the current step with ``pending`` (default: its assignments)."""
    state["current"] = key
    people = pending if pending is not None else state["assignments"].get(key, [])
    state["pending"] = [dict(p) for p in people]
    state["acted"] = []
    state["delegations"] = {}
    if key not in state["visited"]:
        state["visited"].append(key)


def _advance(state: State) -> None:
    steps = _steps(state)
    i = _index(state, state["current"]) + 1
    while i < len(steps):
        sd = steps[i]
        people = state["assignments"].get(sd.key, [])
        if people:
            _enter(state, sd.key)
            return
        if not sd.optional:
            raise ValidationFailed("document.workflow.no_assignee", step=sd.name)
        i += 1
    state["current"] = None
    state["pending"] = []
    state["acted"] = []
    state["delegations"] = {}
    state["status"] = "done"


def _actors(values: Iterable[ActorLike]) -> list[dict[str, str]]:
    return [Actor.of(v).to_dict() for v in values]


# --------------------------------------------------------------------------- creation


def new_workflow(kind: str, owner: ActorLike, now: dt.datetime,
                 assignments: Mapping[str, Iterable[ActorLike]] | None = None,
                 doc_id: str = "") -> State:
    """Start a workflow. Outgoing: the drafter (owner) holds 拟稿. Incoming: the people
    assigned to 签收 (default: the owner) hold the first step."""
    if kind not in DEFINITIONS:
        raise ValidationFailed("document.workflow.unknown_step", step=kind)
    own = Actor.of(owner)
    assigned: dict[str, list[dict[str, str]]] = {}
    for key, people in (assignments or {}).items():
        if key not in {s.key for s in DEFINITIONS[kind]}:
            raise ValidationFailed("document.workflow.unknown_step", step=key)
        assigned[key] = _actors(people)
    first = DEFINITIONS[kind][0].key
    if kind == "outgoing" or not assigned.get(first):
        assigned[first] = [own.to_dict()]
    state: State = {
        "kind": kind, "doc_id": doc_id, "owner": own.to_dict(), "status": "active",
        "current": None, "pending": [], "acted": [], "delegations": {}, "visited": [],
        "assignments": assigned, "opinions": [], "history": [], "urges": [],
        "version": 0, "undo": None, "created_at": _iso(now),
    }
    _enter(state, first)
    return state


# --------------------------------------------------------------------------- operations


def approve(state: State, actor: ActorLike, now: dt.datetime, *, step: str | None = None,
            opinion: str = "",
            next_assignees: Mapping[str, Iterable[ActorLike]] | None = None) -> State:
    """Complete the actor's part of the current step (同意/签发/办理 …).

    ``next_assignees`` sets who handles later steps (e.g. the 核稿 person picks the
    countersigners and the signing leader). On an "all" step the step completes when the
    last assignee approves; on an "any" step the first approval completes it.
    """
    me = Actor.of(actor)
    principal = _authorise(state, me, step, "approve", now)
    new = copy.deepcopy(state)
    before = _snapshot(new)
    sd = _step_def(new, new["current"])
    for key, people in (next_assignees or {}).items():
        if _index(new, key) <= _index(new, sd.key):
            raise ValidationFailed("document.workflow.unknown_step", step=key)
        new["assignments"][key] = _actors(people)
    if opinion.strip():
        op_entry = {
            "step": sd.key, "step_name": sd.name, "kind": sd.opinion_kind,
            "text": opinion.strip(), "person": dict(principal), "at": _iso(now),
        }
        if principal["id"] != me.id:
            op_entry["written_by"] = me.to_dict()
        new["opinions"].append(op_entry)
    _record(new, "approve", me, now, principal, opinion=opinion.strip())
    new["acted"].append({"id": principal["id"], "name": principal["name"], "at": _iso(now)})
    new["pending"] = [p for p in new["pending"] if p["id"] != principal["id"]]
    if sd.mode == "any" or not new["pending"]:
        _advance(new)
    _set_undo(new, me, before)
    return new


def return_to(state: State, actor: ActorLike, now: dt.datetime, *, to_step: str,
              reason: str, step: str | None = None) -> State:
    """退回: send the document back to an earlier step that was done, with a reason.

    The people who completed that step last time get it back.
    """
    me = Actor.of(actor)
    principal = _authorise(state, me, step, "return", now)
    if not reason.strip():
        raise ValidationFailed("document.workflow.reason_required", action="退回", action_en="return")
    target = _step_def(state, to_step)
    if (to_step not in state["visited"]
            or _index(state, to_step) >= _index(state, state["current"])):
        raise ValidationFailed("document.workflow.bad_return_target", step=target.name)
    new = copy.deepcopy(state)
    before = _snapshot(new)
    _record(new, "return", me, now, principal, reason=reason.strip(), to_step=to_step)
    last_doer: dict[str, str] | None = None
    for ev in new["history"]:
        if ev["op"] == "approve" and ev["step"] == to_step:
            last_doer = dict(ev.get("on_behalf_of") or ev["actor"])
    # "any" step: back to whoever completed it; "all" step: everyone now assigned to it
    # (the list reflects transfers and added/removed signers).
    if target.mode == "any" and last_doer is not None:
        pending = [last_doer]
    else:
        pending = new["assignments"].get(to_step, []) or ([last_doer] if last_doer else [])
    _enter(new, to_step, pending)
    _set_undo(new, me, before)
    return new


def transfer(state: State, actor: ActorLike, now: dt.datetime, *, to: ActorLike,
             reason: str = "", step: str | None = None) -> State:
    """转办: hand the actor's part of the current step to someone else for good."""
    me = Actor.of(actor)
    principal = _authorise(state, me, step, "transfer", now)
    target = Actor.of(to)
    if target.id == principal["id"] or target.id == me.id:
        raise ValidationFailed("document.workflow.self_target")
    if target.id in _pending_ids(state):
        raise ValidationFailed("document.workflow.already_assigned", name=target.name)
    new = copy.deepcopy(state)
    before = _snapshot(new)
    _record(new, "transfer", me, now, principal, reason=reason.strip(), to=target.to_dict())
    new["pending"] = [target.to_dict() if p["id"] == principal["id"] else p for p in new["pending"]]
    key = new["current"]
    new["assignments"][key] = [
        target.to_dict() if p["id"] == principal["id"] else p
        for p in new["assignments"].get(key, [])
    ]
    new["delegations"].pop(principal["id"], None)
    _set_undo(new, me, before)
    return new


def delegate(state: State, actor: ActorLike, now: dt.datetime, *, to: ActorLike,
             step: str | None = None) -> State:
    """委托: let ``to`` act on the actor's behalf on the current step (recorded as
    "李四（代张伟）"). The actor keeps the step and may still act personally."""
    me = Actor.of(actor)
    _ensure_open(state, "delegate", now)
    principal = _principal(state, me)
    if principal is None or principal["id"] != me.id:
        _authorise(state, me, step, "delegate", now)  # raises the right error
        raise PermissionDenied("document.workflow.not_your_step",
                               step=_step_def(state, state["current"]).name,
                               step_en=state["current"])
    if step is not None and step != state["current"]:
        raise _conflict(state, "delegate", now)
    target = Actor.of(to)
    if target.id == me.id:
        raise ValidationFailed("document.workflow.self_target")
    new = copy.deepcopy(state)
    before = _snapshot(new)
    _record(new, "delegate", me, now, to=target.to_dict())
    new["delegations"][me.id] = target.to_dict()
    _set_undo(new, me, before)
    return new


def _signer_change_allowed(state: State, me: Actor, step: str | None, attempt: str,
                           now: dt.datetime) -> StepDef:
    _ensure_open(state, attempt, now)
    key = step or state["current"]
    sd = _step_def(state, key)
    if sd.mode != "all":
        raise ValidationFailed("document.workflow.not_parallel", step=sd.name)
    if me.id != state["owner"]["id"] and _principal(state, me) is None:
        if step == state["current"] or step is None:
            _authorise(state, me, step, attempt, now)
        raise PermissionDenied("document.workflow.not_your_step", step=sd.name, step_en=sd.key)
    return sd


def add_signer(state: State, actor: ActorLike, now: dt.datetime, *, signer: ActorLike,
               step: str | None = None) -> State:
    """加签: add a person to a multi-person step (会签/承办/传阅), current or later.

    Allowed to the drafter (owner) and to anyone pending on the current step.
    """
    me = Actor.of(actor)
    sd = _signer_change_allowed(state, me, step, "add_signer", now)
    person = Actor.of(signer)
    if any(p["id"] == person.id for p in state["assignments"].get(sd.key, [])) or (
        sd.key == state["current"] and person.id in _pending_ids(state)
    ):
        raise ValidationFailed("document.workflow.already_assigned", name=person.name)
    new = copy.deepcopy(state)
    before = _snapshot(new)
    _record(new, "add_signer", me, now, to=person.to_dict(), target_step=sd.key)
    new["assignments"].setdefault(sd.key, []).append(person.to_dict())
    if sd.key == new["current"]:
        new["pending"].append(person.to_dict())
    _set_undo(new, me, before)
    return new


def remove_signer(state: State, actor: ActorLike, now: dt.datetime, *, signer_id: str,
                  step: str | None = None) -> State:
    """减签: remove a person who has not acted yet from a multi-person step."""
    me = Actor.of(actor)
    sd = _signer_change_allowed(state, me, step, "remove_signer", now)
    if sd.key == state["current"]:
        done = next((a for a in state["acted"] if a["id"] == signer_id), None)
        if done is not None:
            raise ValidationFailed("document.workflow.already_acted", name=done["name"],
                                   time=_when(done["at"], now))
        if signer_id not in _pending_ids(state):
            raise ValidationFailed("document.workflow.unknown_step", step=signer_id)
        if len(state["pending"]) == 1:
            raise ValidationFailed("document.workflow.last_signer")
    elif not any(p["id"] == signer_id for p in state["assignments"].get(sd.key, [])):
        raise ValidationFailed("document.workflow.unknown_step", step=signer_id)
    new = copy.deepcopy(state)
    before = _snapshot(new)
    removed = next(p for p in (new["pending"] + new["assignments"].get(sd.key, []))
                   if p["id"] == signer_id)
    _record(new, "remove_signer", me, now, to=dict(removed), target_step=sd.key)
    new["assignments"][sd.key] = [p for p in new["assignments"].get(sd.key, [])
                                  if p["id"] != signer_id]
    if sd.key == new["current"]:
        new["pending"] = [p for p in new["pending"] if p["id"] != signer_id]
        new["delegations"].pop(signer_id, None)
    _set_undo(new, me, before)
    return new


def withdraw(state: State, actor: ActorLike, now: dt.datetime) -> State:
    """撤回: undo the actor's last action while nobody has acted after it.

    Once the next person acted, raise Conflict naming them. Reminders (催办) do not count
    as acting. A finished (核发/归档) workflow cannot be withdrawn.
    """
    me = Actor.of(actor)
    undo = state.get("undo")
    mine = [ev for ev in state["history"] if ev["actor"]["id"] == me.id and ev["op"] != "urge"]
    if state["status"] == "done":
        raise ValidationFailed("document.workflow.closed", status="办结", status_en="finished")
    if not mine:
        raise ValidationFailed("document.workflow.nothing_to_withdraw")
    if mine[-1]["op"] == "withdraw":
        raise ValidationFailed("document.workflow.nothing_to_withdraw")
    if not undo or undo["actor_id"] != me.id or undo["version"] != state["version"]:
        raise _conflict(state, "withdraw", now)
    new = copy.deepcopy(state)
    for key, value in copy.deepcopy(undo["before"]).items():
        new[key] = value
    new["version"] = state["version"]
    _record(new, "withdraw", me, now, withdrawn_seq=mine[-1]["seq"])
    new["undo"] = None
    return new


def urge(state: State, actor: ActorLike, now: dt.datetime, *, message: str = "",
         deadline: str = "") -> State:
    """催办: remind the people pending on the current step. Does not change the flow and
    does not block a withdrawal. Anyone who took part in the workflow may urge."""
    me = Actor.of(actor)
    if state["status"] != "active":
        raise ValidationFailed("document.workflow.closed",
                               status="作废" if state["status"] == "voided" else "办结",
                               status_en=state["status"])
    involved = {state["owner"]["id"]} | {ev["actor"]["id"] for ev in state["history"]}
    involved |= {p["id"] for people in state["assignments"].values() for p in people}
    if me.id not in involved:
        sd = _step_def(state, state["current"])
        raise PermissionDenied("document.workflow.not_your_step", step=sd.name, step_en=sd.key)
    new = copy.deepcopy(state)
    entry = {
        "step": new["current"], "by": me.to_dict(), "at": _iso(now),
        "to": [dict(p) for p in new["pending"]], "message": message.strip(),
        "deadline": deadline,
    }
    new["urges"].append(entry)
    new["history"].append({"seq": new["version"], "op": "urge", "step": new["current"],
                           "actor": me.to_dict(), "at": _iso(now),
                           **({"message": message.strip()} if message.strip() else {})})
    return new


def void(state: State, actor: ActorLike, now: dt.datetime, *, reason: str) -> State:
    """作废: stop the workflow for good. Only the drafter (owner) may void, and only
    before the document is finished (核发/归档)."""
    me = Actor.of(actor)
    _ensure_open(state, "void", now)
    if me.id != state["owner"]["id"]:
        raise PermissionDenied("permission.denied", action="作废公文")
    if not reason.strip():
        raise ValidationFailed("document.workflow.reason_required", action="作废", action_en="voiding")
    new = copy.deepcopy(state)
    _record(new, "void", me, now, reason=reason.strip())
    new["status"] = "voided"
    new["pending"] = []
    new["undo"] = None
    return new


# --------------------------------------------------------------------------- queries & batch

OPERATIONS: dict[str, Callable[..., State]] = {
    "approve": approve,
    "return": return_to,
    "transfer": transfer,
    "delegate": delegate,
    "add_signer": add_signer,
    "remove_signer": remove_signer,
    "withdraw": withdraw,
    "urge": urge,
    "void": void,
}


def apply(state: State, op: str, actor: ActorLike, now: dt.datetime, **args: Any) -> State:
    """Dispatch by operation name (the names a sync intent carries)."""
    fn = OPERATIONS.get(op)
    if fn is None:
        raise ValidationFailed("request.invalid", detail=f"unknown workflow operation {op!r}")
    return fn(state, actor, now, **args)


def batch_approve(states: Mapping[str, State], actor: ActorLike, now: dt.datetime,
                  opinion: str = "") -> dict[str, dict[str, Any]]:
    """批量签批: approve each document; per item ``{"ok": True, "state"}`` or
    ``{"ok": False, "error": DomainError}``. One failure never stops the others."""
    out: dict[str, dict[str, Any]] = {}
    for doc_id, st in states.items():
        try:
            out[doc_id] = {"ok": True, "state": approve(st, actor, now, opinion=opinion)}
        except DomainError as exc:
            out[doc_id] = {"ok": False, "error": exc}
    return out


def can_act(state: State, actor: ActorLike) -> bool:
    """True when ``actor`` (or someone they stand in for) is pending on the open step."""
    return state["status"] == "active" and _principal(state, Actor.of(actor)) is not None


def current_step(state: State) -> StepDef | None:
    """Definition of the current step, or None when the workflow is finished/voided."""
    return _step_def(state, state["current"]) if state["current"] else None
