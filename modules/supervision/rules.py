"""Supervision (督查督办) rules: items, their states and transitions, deadlines in working
days, feedback cycles and the traffic light (亮灯) — all pure, all data.

- An item (督办事项) comes from a source (决策部署 / 会议议定 / 领导批示 / 文件要求 /
  人大建议·政协提案 / 12345 热线 / 上级交办 / other, with the source record's id), has a supervising body and leader, a lead unit (牵头单位) and
  co-units (协办单位), a deadline as N working days from assignment (the day of 交办 not
  counted, ``modules.calendar.rules.add_working_days``) or a fixed date, and a feedback
  cycle (weekly / every N working days / monthly / none).
- States and the actions between them are the table :data:`TRANSITIONS`; an action not
  in it is refused in words naming the state (:func:`next_state`).
- The light is decided by the rows of :data:`LIGHT_RULES` (data a deployment may
  replace): red when overdue, yellow when ≤ 20% of the working days remain or a feedback
  is overdue. :func:`light` returns the colour with the sentence explaining it, in
  zh_CN and en; a deadline in a year without holiday data says it is provisional.

Thread-safe, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from modules.calendar.rules import (
    Deadline,
    HolidayTable,
    add_working_days,
    is_working_day,
    working_days_between,
)
from modules.common import messages
from modules.common.china_time import CHINA as CHINA  # also named from here
from modules.common.errors import Conflict

# --------------------------------------------------------------------------- vocabulary

#: source kind -> (zh_CN, en)
SOURCES: dict[str, tuple[str, str]] = {
    "decision": ("决策部署", "policy decision"),
    "meeting": ("会议议定", "meeting decision"),
    "instruction": ("领导批示", "leader's instruction"),
    "document": ("文件要求", "required by a document"),
    "proposal": ("人大建议/政协提案", "NPC suggestion / CPPCC proposal"),
    "hotline": ("12345 热线", "12345 hotline"),
    "higher": ("上级交办", "task from a higher body"),
    "other": ("其他", "other"),
}

GRADES: dict[str, tuple[str, str]] = {
    "normal": ("一般", "normal"),
    "important": ("重要", "important"),
    "urgent": ("特急", "urgent"),
}

DRAFT = "draft"
ASSIGNED = "assigned"
ACKNOWLEDGED = "acknowledged"
IN_PROGRESS = "in_progress"
EXTENSION_REQUESTED = "extension_requested"
COMPLETION_REQUESTED = "completion_requested"
RETURNED = "returned"
DONE = "done"
CANCELLED = "cancelled"
#: 中止: stopped with a reason (circumstances changed), not done and not revoked.
TERMINATED = "terminated"

STATE_WORDS: dict[str, tuple[str, str]] = {
    DRAFT: ("待立项", "draft"),
    ASSIGNED: ("已交办", "assigned"),
    ACKNOWLEDGED: ("已签收", "acknowledged"),
    IN_PROGRESS: ("办理中", "in progress"),
    EXTENSION_REQUESTED: ("申请延期", "extension requested"),
    COMPLETION_REQUESTED: ("申请办结", "completion requested"),
    RETURNED: ("退回重办", "returned"),
    DONE: ("已办结", "done"),
    CANCELLED: ("已撤销", "cancelled"),
    TERMINATED: ("已中止", "terminated"),
}

FINAL = frozenset({DONE, CANCELLED, TERMINATED})
#: The only steps on a closed item (销号, the outgoing report); they keep its state.
AFTER_CLOSE = frozenset({"strike_off", "draft_report"})
#: States in which the lead unit is working (it may report, ask for time or close).
WORKING = (ACKNOWLEDGED, IN_PROGRESS, RETURNED)
OPEN = (ASSIGNED, *WORKING, EXTENSION_REQUESTED, COMPLETION_REQUESTED)

#: action -> (zh_CN, en) as the refusals name it
ACTION_WORDS: dict[str, tuple[str, str]] = {
    "register": ("立项交办", "register it"),
    "acknowledge": ("签收", "acknowledge it"),
    "acknowledge_co": ("协办签收", "acknowledge its part"),
    "split": ("分解任务", "split it into sub-tasks"),
    "report_subtask": ("反馈分解任务", "report on a sub-task"),
    "cancel_subtask": ("撤回分解任务", "withdraw a sub-task"),
    "report": ("反馈", "report on it"),
    "request_extension": ("申请延期", "request an extension"),
    "decide_extension": ("审批延期", "decide the extension"),
    "request_completion": ("申请办结", "request completion"),
    "verify": ("审核办结", "verify its completion"),
    "urge": ("催办", "urge it"),
    "cancel": ("撤销", "cancel it"),
    "terminate": ("中止", "terminate it"),
    "strike_off": ("销号", "strike it off"),
    "draft_report": ("起草办理情况报告", "draft a report on it"),
}

#: (state, action) -> next state; ``None`` = the state does not change. The whole
#: lifecycle is this table: anything not here is refused.
TRANSITIONS: dict[tuple[str, str], str | None] = {
    ("", "register"): ASSIGNED,          # ("" = not yet stored); a draft registers as DRAFT
    (DRAFT, "register"): ASSIGNED,
    (ASSIGNED, "acknowledge"): ACKNOWLEDGED,   # the lead unit's 签收
    **{(s, "acknowledge_co"): None for s in OPEN},  # a co-unit's 签收, each on its own
    **{(s, "split"): None for s in (*WORKING, EXTENSION_REQUESTED)},
    **{(s, "report_subtask"): None for s in (*WORKING, EXTENSION_REQUESTED)},
    **{(s, "cancel_subtask"): None for s in (*WORKING, EXTENSION_REQUESTED)},
    **{(s, "report"): IN_PROGRESS for s in WORKING},
    (EXTENSION_REQUESTED, "report"): None,
    **{(s, "request_extension"): EXTENSION_REQUESTED for s in WORKING},
    (EXTENSION_REQUESTED, "decide_extension"): IN_PROGRESS,
    **{(s, "request_completion"): COMPLETION_REQUESTED for s in WORKING},
    (COMPLETION_REQUESTED, "verify"): None,  # DONE when accepted, RETURNED when returned
    **{(s, "urge"): None for s in OPEN},
    **{(s, "cancel"): CANCELLED for s in (DRAFT, *OPEN)},
    **{(s, "terminate"): TERMINATED for s in OPEN},  # 中止, with a reason
    # 销号 after 办结 (the state stays DONE; ``struck_off`` records it, once), and the
    # outgoing 报告 / 情况通报 started from a closed item.
    (DONE, "strike_off"): None,
    (DONE, "draft_report"): None,
    (TERMINATED, "draft_report"): None,
}

messages.register({
    "supervision.wrong_state": {
        "zh_CN": "该督办事项{state}，不能{action}。",
        "en": "This item is {state_en}; you cannot {action_en} now.",
    },
    "supervision.closed_meanwhile": {
        "zh_CN": "该督办事项已由{name}于{at}{closed}，不能{action}。",
        "en": "{name} already made this item {state_en} at {at}; you cannot {action_en} it.",
    },
})


def state_words(state: str, lang: str = "zh_CN") -> str:
    zh, en = STATE_WORDS.get(state, (state, state))
    return en if messages.normalise_lang(lang) == "en" else zh


def next_state(state: str, action: str, *, accept: bool = True,
               closed_by: str = "", closed_at: str = "") -> str:
    """The state after ``action`` from ``state``; ``Conflict`` in words when the table
    has no such step (a closed item names who closed it and when)."""
    key = (state, action)
    if key not in TRANSITIONS:
        words = ACTION_WORDS.get(action, (action, action))
        params: dict[str, Any] = {"state": STATE_WORDS.get(state, (state, state))[0],
                                  "state_en": state_words(state, "en"),
                                  "action": words[0], "action_en": words[1]}
        if state in FINAL and closed_by:
            raise Conflict("supervision.closed_meanwhile", name=closed_by, at=closed_at,
                           closed=params["state"].removeprefix("已"), **params)
        raise Conflict("supervision.wrong_state", **params)
    found = TRANSITIONS[key]
    if action == "verify":
        return DONE if accept else RETURNED
    return state if found is None else found


# --------------------------------------------------------------------------- deadlines


def china_day(when: dt.datetime) -> dt.date:
    return when.astimezone(CHINA).date()


def deadline(item: Mapping[str, Any], table: HolidayTable) -> Deadline:
    """The item's 办结时限: ``deadline_days`` working days after ``assigned_on`` (recomputed
    with ``table``, so a year entered later corrects a provisional deadline), else the
    fixed ``due`` date."""
    days = item.get("deadline_days")
    assigned = item.get("assigned_on")
    if isinstance(days, int) and not isinstance(days, bool) and assigned:
        return add_working_days(dt.date.fromisoformat(str(assigned)), days, table)
    due = dt.date.fromisoformat(str(item["due"]))
    missing = () if table.covers(due.year) else (due.year,)
    return Deadline(due, missing)


#: feedback cycle kinds -> (zh_CN, en)
CYCLES: dict[str, tuple[str, str]] = {
    "none": ("无需定期反馈", "no regular feedback"),
    "weekly": ("每周反馈", "weekly"),
    "working_days": ("每{n}个工作日反馈", "every {n} working days"),
    "monthly": ("每月反馈", "monthly"),
}


def _next_working(day: dt.date, table: HolidayTable) -> dt.date:
    while not is_working_day(day, table):
        day += dt.timedelta(days=1)
    return day


def _add_month(day: dt.date) -> dt.date:
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return dt.date(year, month, 28)


def feedback_due(item: Mapping[str, Any], table: HolidayTable) -> dt.date | None:
    """When the next feedback is due: one cycle after the last feedback (or after
    assignment), moved to the next working day; None without a cycle or once closed."""
    cycle = str(item.get("cycle") or "none")
    if cycle == "none" or item.get("state") in FINAL or item.get("state") == DRAFT:
        return None
    last = item.get("last_report_on") or item.get("assigned_on")
    if not last:
        return None
    start = dt.date.fromisoformat(str(last))
    if cycle == "weekly":
        return _next_working(start + dt.timedelta(days=7), table)
    if cycle == "monthly":
        return _next_working(_add_month(start), table)
    return add_working_days(start, int(item.get("cycle_days") or 5), table).day


# --------------------------------------------------------------------------- lights

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"
LIGHT_WORDS: dict[str, tuple[str, str]] = {
    GREEN: ("绿灯", "green"), YELLOW: ("黄灯", "yellow"), RED: ("红灯", "red"),
    GREY: ("已结束", "closed"),
}
_RANK = {GREY: 0, GREEN: 1, YELLOW: 2, RED: 3}


@dataclass(frozen=True)
class LightRule:
    """One row: when ``test`` holds with ``value``, the light is at least ``colour``.

    Tests: ``overdue`` (the deadline has passed), ``days_left_at_most`` (working days
    left ≤ value), ``share_left_at_most`` (working days left ≤ value × the whole span),
    ``feedback_overdue_at_least`` (the feedback is overdue by ≥ value working days;
    value 0 = any day past it)."""

    colour: str
    test: str
    value: float = 0


#: The default rules (a deployment may pass its own rows to :func:`light`).
LIGHT_RULES: tuple[LightRule, ...] = (
    LightRule(RED, "overdue"),
    LightRule(YELLOW, "share_left_at_most", 0.2),
    LightRule(YELLOW, "feedback_overdue_at_least", 0),
)


@dataclass(frozen=True)
class Light:
    """A light with its reasons: ``zh`` and ``en`` are the sentences explaining it."""

    colour: str
    overdue: bool
    days_left: int
    provisional: bool
    zh: str
    en: str

    def sentence(self, lang: str = "zh_CN") -> str:
        return self.en if messages.normalise_lang(lang) == "en" else self.zh

    def label(self, lang: str = "zh_CN") -> str:
        zh, en = LIGHT_WORDS[self.colour]
        return en if messages.normalise_lang(lang) == "en" else zh

    def words(self, lang: str = "zh_CN") -> str:
        """'黄灯：距办结时限还剩…' — the label and the sentence."""
        sep = ": " if messages.normalise_lang(lang) == "en" else "："
        return f"{self.label(lang)}{sep}{self.sentence(lang)}"

    def to_dict(self) -> dict[str, Any]:
        return {"colour": self.colour, "overdue": self.overdue, "days_left": self.days_left,
                "provisional": self.provisional, "zh": self.zh, "en": self.en}


def _md(day: dt.date, lang: str) -> str:
    return day.strftime("%b ") + str(day.day) if lang == "en" else f"{day.month}月{day.day}日"


def _holds(rule: LightRule, facts: Mapping[str, float]) -> bool:
    if rule.test == "overdue":
        return bool(facts["overdue"])
    if rule.test == "days_left_at_most":
        return not facts["overdue"] and facts["days_left"] <= rule.value
    if rule.test == "share_left_at_most":
        return not facts["overdue"] and facts["days_left"] <= rule.value * facts["span"]
    if rule.test == "feedback_overdue_at_least":
        return facts["feedback_late"] > 0 and facts["feedback_late"] - 1 >= rule.value
    raise ValueError(f"unknown light test {rule.test!r}")


def light(item: Mapping[str, Any], today: dt.date, table: HolidayTable,
          rules: Sequence[LightRule] = LIGHT_RULES) -> Light:
    """The item's light on ``today`` and the sentence saying why, e.g.
    "距办结时限还剩2个工作日（12月3日），上次反馈已超期1个工作日"."""
    state = str(item.get("state") or "")
    if state in FINAL or state == DRAFT:
        word = STATE_WORDS.get(state, (state, state))
        return Light(GREY, False, 0, False, word[0], word[1])
    due = deadline(item, table)
    left, missing_left = working_days_between(today, due.day, table)
    span, _ = working_days_between(dt.date.fromisoformat(str(item.get("assigned_on") or today)),
                                   due.day, table)
    overdue = today > due.day
    zh: list[str] = []
    en: list[str] = []
    if overdue:
        late = -left
        if late > 0:
            zh.append(f"已逾期{late}个工作日（办结时限{_md(due.day, 'zh')}）")
            en.append(f"overdue by {late} working day{'s' if late != 1 else ''} "
                      f"(deadline {_md(due.day, 'en')})")
        else:
            zh.append(f"已过办结时限（{_md(due.day, 'zh')}）")
            en.append(f"past the deadline ({_md(due.day, 'en')})")
    elif left == 0:
        zh.append(f"今天是办结时限（{_md(due.day, 'zh')}）")
        en.append(f"due today ({_md(due.day, 'en')})")
    else:
        zh.append(f"距办结时限还剩{left}个工作日（{_md(due.day, 'zh')}）")
        en.append(f"{left} working day{'s' if left != 1 else ''} left until the deadline "
                  f"({_md(due.day, 'en')})")
    feedback_late = 0
    fb = feedback_due(item, table) if state != COMPLETION_REQUESTED else None
    if fb is not None and today > fb:
        late_fb, _ = working_days_between(fb, today, table)
        feedback_late = max(late_fb, 1)
        first = "上次反馈" if item.get("last_report_on") else "首次反馈"
        zh.append(f"{first}已超期{feedback_late}个工作日")
        en.append(f"{'the next' if item.get('last_report_on') else 'the first'} feedback is "
                  f"{feedback_late} working day{'s' if feedback_late != 1 else ''} late")
    facts = {"overdue": float(overdue), "days_left": float(left), "span": float(max(span, 1)),
             "feedback_late": float(feedback_late)}
    colour = GREEN
    for rule in rules:
        if _holds(rule, facts) and _RANK[rule.colour] > _RANK[colour]:
            colour = rule.colour
    provisional = bool(due.missing_years or missing_left)
    years = sorted(set(due.missing_years) | set(missing_left))
    if provisional:
        zh.append(messages.render("calendar.year_missing", "zh_CN",
                                  {"years": "、".join(str(y) for y in years)}).rstrip("。"))
        en.append(messages.render("calendar.year_missing", "en",
                                  {"years": ", ".join(str(y) for y in years)}).rstrip("."))
    return Light(colour, overdue, left, provisional, "，".join(zh), "; ".join(en))
