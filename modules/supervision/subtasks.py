"""分解 (splitting a supervision item into sub-tasks): argument models, pure effects and
what a screen shows of them.

- ``supervision.split`` (online): the lead unit (牵头单位) gives part of the item to one
  of its divisions (内设机构 or a body under it) or to a co-unit, with its own deadline —
  not before today and **not after the item's own deadline** (checked against the
  deadline on the calendar of the side applying it).
- ``supervision.report_subtask`` (offline): the sub-task's unit reports on it (progress,
  text); ``finished`` marks it 已完成.
- ``supervision.cancel_subtask`` (online): the lead unit withdraws a sub-task (撤回),
  with a reason.

The rule chosen for the parent: **办结申请 is refused while a sub-task is open** (待办理
or 办理中) — a sub-task is either finished by its unit or withdrawn by the lead unit
first; the refusal names the open ones (:func:`require_all_closed`). The parent's
progress shows the sub-tasks (:func:`summary`).

Sub-tasks live in the item record (``subtasks``), so every step is one write of the
item, audited in its history like every other step. Pure, thread-safe, no I/O; the
``define`` lines are in ``modules.supervision.intents``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from modules.calendar.rules import HolidayTable, working_days_between
from modules.common import messages
from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.common.intents import IntentArgs
from modules.common.text import MANY_LINES, ONE_LINE
from modules.supervision import policy
from modules.supervision import rules as R

SUBTASK_ID = r"^st-[0-9a-z-]{4,36}$"
ITEM_ID = r"^sv-[0-9a-z-]{4,36}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
#: The most sub-tasks one item may have.
MAX_SUBTASKS = 30

OPEN, IN_PROGRESS, DONE, CANCELLED = "open", "in_progress", "done", "cancelled"
SUB_STATE_WORDS: dict[str, tuple[str, str]] = {
    OPEN: ("待办理", "to do"), IN_PROGRESS: ("办理中", "in progress"),
    DONE: ("已完成", "done"), CANCELLED: ("已撤回", "withdrawn"),
}
LIVE = (OPEN, IN_PROGRESS)

messages.register({
    "supervision.subtask_after_parent": {
        "zh_CN": "分解任务的时限（{due}）不能晚于督办事项的办结时限（{parent}）。",
        "en": "A sub-task's deadline ({due}) cannot be later than the item's deadline ({parent}).",
    },
    "supervision.subtask_in_past": {
        "zh_CN": "分解任务的时限（{due}）不能早于今天。",
        "en": "A sub-task's deadline ({due}) cannot be in the past.",
    },
    "supervision.subtask_bad_unit": {
        "zh_CN": "{unit}不是牵头单位的内设机构或下级单位，也不是协办单位，不能承担分解任务。",
        "en": "{unit} is neither a division or body under the lead unit nor a co-unit; "
              "it cannot take a sub-task.",
    },
    "supervision.subtask_exists": {
        "zh_CN": "该分解任务已存在。",
        "en": "This sub-task already exists.",
    },
    "supervision.subtask_too_many": {
        "zh_CN": "一个督办事项最多分解为{n}项任务。",
        "en": "An item can be split into at most {n} sub-tasks.",
    },
    "supervision.subtask_not_found": {
        "zh_CN": "分解任务不存在。",
        "en": "The sub-task does not exist.",
    },
    "supervision.subtask_closed": {
        "zh_CN": "分解任务“{title}”{state}，不能{action}。",
        "en": "The sub-task \"{title}\" is {state_en}; you cannot {action_en}.",
    },
    "supervision.not_subtask_unit": {
        "zh_CN": "只有{unit}的收发员、负责人或处室负责人可以反馈该分解任务。",
        "en": "Only a registry clerk, leader or division head of {unit} may report on this sub-task.",
    },
    "supervision.subtasks_open": {
        "zh_CN": "还有{n}项分解任务未完成（{titles}），须完成或撤回后才能申请办结。",
        "en": "{n} sub-task(s) are still open ({titles}); finish or withdraw them before "
              "requesting completion.",
    },
})


class SplitArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    subtask_id: str = Field(pattern=SUBTASK_ID)
    title: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    content: Annotated[str, Field(max_length=2000), MANY_LINES] = ""
    unit_id: str = Field(min_length=1, max_length=40)
    due: str = Field(pattern=DATE)


class ReportSubtaskArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    subtask_id: str = Field(pattern=SUBTASK_ID)
    text: Annotated[str, Field(min_length=1, max_length=4000), MANY_LINES]
    progress: int | None = Field(default=None, ge=0, le=100)
    finished: bool = False


class CancelSubtaskArgs(IntentArgs):
    item_id: str = Field(pattern=ITEM_ID)
    subtask_id: str = Field(pattern=SUBTASK_ID)
    reason: Annotated[str, Field(min_length=1, max_length=300), ONE_LINE]


# --------------------------------------------------------------------------- helpers


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _words(action: str) -> dict[str, str]:
    zh, en = R.ACTION_WORDS[action]
    return {"action": zh, "action_en": en}


def _step(item: dict[str, Any], action: str) -> str:
    from modules.supervision.intents import _step as step  # the item's own refusal words

    return step(item, action)


def _log(item: dict[str, Any], action: str, actor: ActorFacts, name: str, now: dt.datetime,
         state: str, note: str) -> None:
    from modules.supervision.intents import _log as log

    log(item, action, actor, name, now, state, note)


def _require(item: Mapping[str, Any] | None) -> dict[str, Any]:
    from modules.supervision.intents import _require as require

    return require(item)


def _need_lead(actor: ActorFacts, item: Mapping[str, Any], action: str) -> None:
    policy.require(policy.handles_for(actor, str(item.get("lead_unit_id") or "")),
                   "supervision.not_unit", unit=str(item.get("lead_unit_name") or ""),
                   **_words(action))


def _find(item: Mapping[str, Any], subtask_id: str) -> dict[str, Any]:
    for sub in item.get("subtasks") or ():
        if sub.get("id") == subtask_id:
            return dict(sub)
    raise NotFound("supervision.subtask_not_found")


def _replace(item: dict[str, Any], sub: dict[str, Any]) -> None:
    item["subtasks"] = [sub if s.get("id") == sub["id"] else s for s in item.get("subtasks") or ()]


def _live(sub: Mapping[str, Any], action: str) -> None:
    state = str(sub.get("state") or OPEN)
    if state not in LIVE:
        zh, en = SUB_STATE_WORDS.get(state, (state, state))
        raise Conflict("supervision.subtask_closed", title=str(sub.get("title") or ""),
                       state=zh, state_en=en, **_words(action))


def may_take(item: Mapping[str, Any], unit: BodyFacts) -> bool:
    """Whether ``unit`` may take a sub-task of ``item``: a co-unit, or a division of the
    lead unit or a body under it (not the lead unit itself)."""
    lead = str(item.get("lead_unit_id") or "")
    co = [str(c) for c in item.get("co_unit_ids") or ()]
    return unit.id != lead and (unit.id in co or unit.organ_id == lead or unit.governed_by([lead]))


# --------------------------------------------------------------------------- effects


def split(item: Mapping[str, Any] | None, args: SplitArgs, actor: ActorFacts,
          actor_name: str, unit: BodyFacts, now: dt.datetime,
          table: HolidayTable) -> dict[str, Any]:
    """A new sub-task for ``unit`` (the facts of ``args.unit_id``)."""
    new = _require(item)
    _need_lead(actor, new, "split")
    state = _step(new, "split")
    subs = list(new.get("subtasks") or ())
    if any(s.get("id") == args.subtask_id for s in subs):
        raise ValidationFailed("supervision.subtask_exists")
    if len(subs) >= MAX_SUBTASKS:
        raise ValidationFailed("supervision.subtask_too_many", n=MAX_SUBTASKS)
    if not may_take(new, unit):
        raise ValidationFailed("supervision.subtask_bad_unit", unit=unit.name)
    due = dt.date.fromisoformat(args.due)
    parent = R.deadline(new, table).day
    if due > parent:
        raise ValidationFailed("supervision.subtask_after_parent", due=due.isoformat(),
                               parent=parent.isoformat())
    if due < R.china_day(now):
        raise ValidationFailed("supervision.subtask_in_past", due=due.isoformat())
    subs.append({
        "id": args.subtask_id, "title": args.title.strip(), "content": args.content,
        "unit_id": unit.id, "unit_name": unit.name, "due": due.isoformat(), "state": OPEN,
        "progress": 0, "reports": [], "created_at": _iso(now), "created_by": actor.person_id,
        "created_by_name": actor_name, "closed_at": None, "closed_by_name": "", "reason": ""})
    new["subtasks"] = subs
    _log(new, "split", actor, actor_name, now, state,
         f"{args.title.strip()} → {unit.name}（{due.isoformat()}前）")
    return new


def report_subtask(item: Mapping[str, Any] | None, args: ReportSubtaskArgs,
                   actor: ActorFacts, actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The sub-task's unit reports; ``finished`` closes the sub-task (已完成, 100%)."""
    new = _require(item)
    sub = _find(new, args.subtask_id)
    unit = str(sub.get("unit_id") or "")
    policy.require(policy.handles_subtask(actor, unit), "supervision.not_subtask_unit",
                   unit=str(sub.get("unit_name") or unit))
    state = _step(new, "report_subtask")
    _live(sub, "report_subtask")
    sub["reports"] = [*(sub.get("reports") or ()), {
        "at": _iso(now), "by": actor.person_id, "by_name": actor_name, "text": args.text,
        "progress": args.progress}]
    if args.progress is not None:
        sub["progress"] = args.progress
    sub["state"] = DONE if args.finished else IN_PROGRESS
    if args.finished:
        sub.update(progress=100, closed_at=_iso(now), closed_by_name=actor_name)
    _replace(new, sub)
    word = "已完成" if args.finished else "进展"
    _log(new, "report_subtask", actor, actor_name, now, state, f"{sub['title']}：{word}")
    return new


def cancel_subtask(item: Mapping[str, Any] | None, args: CancelSubtaskArgs,
                   actor: ActorFacts, actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The lead unit withdraws an open sub-task, with a reason."""
    new = _require(item)
    _need_lead(actor, new, "cancel_subtask")
    state = _step(new, "cancel_subtask")
    sub = _find(new, args.subtask_id)
    _live(sub, "cancel_subtask")
    sub.update(state=CANCELLED, closed_at=_iso(now), closed_by_name=actor_name,
               reason=args.reason.strip())
    _replace(new, sub)
    _log(new, "cancel_subtask", actor, actor_name, now, state,
         f"{sub['title']}：{args.reason.strip()}")
    return new


# --------------------------------------------------------------------------- reading


def open_subtasks(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [dict(s) for s in item.get("subtasks") or () if s.get("state", OPEN) in LIVE]


def require_all_closed(item: Mapping[str, Any]) -> None:
    """The parent's rule: 办结申请 only when no sub-task is open (``Conflict`` naming them)."""
    found = open_subtasks(item)
    if found:
        titles = "、".join(str(s.get("title") or "") for s in found[:5])
        raise Conflict("supervision.subtasks_open", n=len(found),
                       titles=titles + ("等" if len(found) > 5 else ""))


@dataclass(frozen=True)
class SubtaskRow:
    """One sub-task as a screen shows it."""

    id: str
    title: str
    unit_id: str
    unit_name: str
    due: dt.date
    state: str
    progress: int
    overdue_days: int
    zh: str
    en: str

    def words(self, lang: str = "zh_CN") -> str:
        return self.en if messages.normalise_lang(lang) == "en" else self.zh

    @property
    def live(self) -> bool:
        return self.state in LIVE


def rows(item: Mapping[str, Any], today: dt.date, table: HolidayTable) -> list[SubtaskRow]:
    """Every sub-task: "排查摸底 — 住建局（12月3日前）：办理中 40%，已逾期1个工作日"."""
    out: list[SubtaskRow] = []
    for sub in item.get("subtasks") or ():
        due = dt.date.fromisoformat(str(sub["due"]))
        state = str(sub.get("state") or OPEN)
        progress = int(sub.get("progress") or 0)
        zh_state, en_state = SUB_STATE_WORDS.get(state, (state, state))
        late = 0
        if state in LIVE and today > due:
            late = max(working_days_between(due, today, table)[0], 1)
        zh = f"{sub.get('title')} — {sub.get('unit_name')}（{R._md(due, 'zh')}前）：{zh_state}"
        en = f"{sub.get('title')} — {sub.get('unit_name')} (by {R._md(due, 'en')}): {en_state}"
        if state == IN_PROGRESS:
            zh, en = f"{zh} {progress}%", f"{en} {progress}%"
        if late:
            zh += f"，已逾期{late}个工作日"
            en += f", {late} working day{'s' if late != 1 else ''} overdue"
        if state == CANCELLED and sub.get("reason"):
            zh += f"（{sub['reason']}）"
            en += f" ({sub['reason']})"
        out.append(SubtaskRow(str(sub["id"]), str(sub.get("title") or ""),
                              str(sub.get("unit_id") or ""), str(sub.get("unit_name") or ""),
                              due, state, progress, late, zh, en))
    return out


def summary(item: Mapping[str, Any]) -> tuple[str, str]:
    """The parent's progress over its sub-tasks: ("分解任务3项：已完成1项，办理中1项，待办理1项",
    "3 sub-tasks: 1 done, 1 in progress, 1 to do"); ("", "") without sub-tasks. Withdrawn
    ones are not counted."""
    subs = [s for s in item.get("subtasks") or () if s.get("state") != CANCELLED]
    if not subs:
        return "", ""
    counts = {k: sum(1 for s in subs if s.get("state", OPEN) == k) for k in (DONE, IN_PROGRESS, OPEN)}
    zh = "，".join(f"{SUB_STATE_WORDS[k][0]}{n}项" for k, n in counts.items() if n)
    en = ", ".join(f"{n} {SUB_STATE_WORDS[k][1]}" for k, n in counts.items() if n)
    return (f"分解任务{len(subs)}项：{zh}",
            f"{len(subs)} sub-task{'s' if len(subs) != 1 else ''}: {en}")
