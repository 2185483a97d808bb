"""Supervision reminders (督办提醒), pure: which reminders an item wants in its state.

While the lead unit works on an item (acknowledged / in progress / returned), the person
who acknowledged it is reminded at 09:00 China time:

- the working day before a feedback is due (``feedback_due``) and, if none came, the
  working day after it (overdue);
- ``supervision_notice_days`` working days before the 办结时限;

and the working day after the 办结时限 passes, the supervising leader is told (督办升级)
and the handler reminded that it is overdue. Each reminder's id names the date it is
about, so a feedback received or a deadline moved (extension, a year's holidays entered)
replaces them; a closed item wants none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from modules.calendar.rules import HolidayTable, is_working_day
from modules.reminders.rules import CHINA, ReminderConfig, Spec
from modules.supervision import rules as R

MODULE = "supervision"
FEEDBACK_SOON, FEEDBACK_LATE = "supervision_feedback_soon", "supervision_feedback_late"
DEADLINE_NEAR, OVERDUE, ESCALATE = ("supervision_deadline_near", "supervision_overdue",
                                    "supervision_escalate")
AT = dt.time(9, 0)


def working_day_before(day: dt.date, n: int, table: HolidayTable) -> dt.date:
    """The working day ``n`` working days before ``day`` (n >= 1)."""
    count = 0
    while count < n:
        day -= dt.timedelta(days=1)
        if is_working_day(day, table):
            count += 1
    return day


def working_day_after(day: dt.date, table: HolidayTable) -> dt.date:
    day += dt.timedelta(days=1)
    while not is_working_day(day, table):
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, AT, CHINA)


def _md(day: dt.date, lang: str) -> str:
    return f"{day.strftime('%b')} {day.day}" if lang == "en" else f"{day.month}月{day.day}日"


def plan(item: Mapping[str, Any], table: HolidayTable, config: ReminderConfig) -> list[Spec]:
    if item.get("state") not in R.WORKING:
        return []
    iid = str(item["id"])
    name = f"{item.get('number') or ''} {item.get('title') or ''}".strip()
    handler, leader = str(item.get("acknowledged_by") or ""), str(item.get("leader_id") or "")
    due = R.deadline(item, table).day
    out: list[Spec] = []

    def add(kind: str, key: str, person: str, when: dt.date, title: tuple[str, str],
            body: tuple[str, str], about: dt.date) -> None:
        if person:
            out.append(Spec(id=f"sv:{iid}:{key}:{about.isoformat()}:{person}", kind=kind,
                            module=MODULE, ref_id=iid, person_id=person, due_at=_at(when),
                            title=title, body=body, extra={"event_at": about.isoformat()}))

    feedback = R.feedback_due(item, table)
    if feedback is not None and feedback < due:
        add(FEEDBACK_SOON, "fb-soon", handler, working_day_before(feedback, 1, table),
            (f"督办反馈即将到期：{name}", f"Feedback due soon: {name}"),
            (f"请于{_md(feedback, 'zh')}前报送进展", f"Report progress by {_md(feedback, 'en')}"),
            feedback)
        add(FEEDBACK_LATE, "fb-late", handler, working_day_after(feedback, table),
            (f"督办反馈已逾期：{name}", f"Feedback overdue: {name}"),
            (f"应于{_md(feedback, 'zh')}报送进展，尚未收到", f"Progress was due {_md(feedback, 'en')}"),
            feedback)
    days = max(config.supervision_notice_days, 0)
    if days:
        add(DEADLINE_NEAR, "due-near", handler, working_day_before(due, days, table),
            (f"督办即将到期：{name}", f"Deadline approaching: {name}"),
            (f"距办结时限还剩{days}个工作日（{_md(due, 'zh')}）",
             f"{days} working day{'s' if days != 1 else ''} left (deadline {_md(due, 'en')})"),
            due)
    after = working_day_after(due, table)
    add(OVERDUE, "overdue", handler, after,
        (f"督办已逾期：{name}", f"Overdue: {name}"),
        (f"办结时限{_md(due, 'zh')}已过", f"The deadline {_md(due, 'en')} has passed"), due)
    who = str(item.get("lead_unit_name") or "")
    add(ESCALATE, "escalate", leader, after,
        (f"督办逾期（升级）：{name}", f"Overdue, escalated: {name}"),
        (f"{who}承办，办结时限{_md(due, 'zh')}已过，尚未办结".lstrip(),
         f"Deadline {_md(due, 'en')} passed without completion"), due)
    return out
