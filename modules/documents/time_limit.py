"""办理时限 of incoming documents (收文) in working days: "N个工作日内" set at 登记 becomes a
due date on the official calendar (``modules.calendar.rules.add_working_days``, the day
of 登记 not counted), and a list row says where the document stands against it —
"办理时限10月10日，剩3个工作日", "今天到期", "已逾期2个工作日" — marked provisional when
the calendar has no holiday data for a year it counts.

Only the due date is stored (the record's ``deadline``, the same field 批办 may set);
what is left or overdue is computed on read with the current calendar. Pure,
thread-safe, no I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from modules.calendar.rules import Deadline, HolidayTable, add_working_days, working_days_between
from modules.common import messages
from modules.common.errors import ValidationFailed

#: The longest 办理时限 one may give, in working days.
MAX_DAYS = 365

messages.register({
    "document.deadline_days_incoming_only": {
        "zh_CN": "只有收文可以在登记时设定办理时限。",
        "en": "Only an incoming document gets a handling time limit at registration.",
    },
})


def due_after(start: dt.date, days: int, table: HolidayTable) -> Deadline:
    """The due date ``days`` working days after ``start`` (``start`` not counted)."""
    return add_working_days(start, days, table)


def _md(day: dt.date, lang: str) -> str:
    return day.strftime("%b ") + str(day.day) if lang == "en" else f"{day.month}月{day.day}日"


@dataclass(frozen=True)
class Limit:
    """Where a document stands against its 办理时限 on a day."""

    due: dt.date
    days_left: int
    overdue_days: int
    provisional: bool
    zh: str
    en: str
    done: bool = False

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    def words(self, lang: str = "zh_CN") -> str:
        return self.en if messages.normalise_lang(lang) == "en" else self.zh

    def short(self, lang: str = "zh_CN") -> str:
        """For a list row: "逾期2个工作日", "今天到期", "剩3个工作日", "时限10月10日" (a
        finished document), with "（暂定）" when provisional."""
        en = messages.normalise_lang(lang) == "en"
        if self.overdue:
            text = (f"{self.overdue_days} working day{'s' if self.overdue_days != 1 else ''} overdue"
                    if en else f"逾期{self.overdue_days}个工作日")
        elif self.done:
            text = f"due {_md(self.due, 'en')}" if en else f"时限{_md(self.due, 'zh')}"
        elif self.days_left == 0:
            text = "due today" if en else "今天到期"
        else:
            text = (f"{self.days_left} working day{'s' if self.days_left != 1 else ''} left"
                    if en else f"剩{self.days_left}个工作日")
        if self.provisional:
            text += " (provisional)" if en else "（暂定）"
        return text


def limit_of(deadline: str | None, today: dt.date, table: HolidayTable, *,
             done: bool = False) -> Limit | None:
    """The document's standing, or None without a 办理时限 (or when it is not a date).
    A finished document shows its 办理时限 alone, never overdue."""
    if not deadline:
        return None
    try:
        due = dt.date.fromisoformat(str(deadline)[:10])
    except ValueError:
        return None
    try:
        left, missing = working_days_between(today, due, table)
    except ValidationFailed:  # decades away: count calendar days rather than fail a list
        left, missing = (due - today).days, ()
    provisional = bool(missing) or not table.covers(due.year)
    zh = f"办理时限{_md(due, 'zh')}"
    en = f"due {_md(due, 'en')}"
    late = 0
    if done:
        pass
    elif today > due:
        late = max(-left, 1)
        zh = f"已逾期{late}个工作日（{zh}）"
        en = f"{late} working day{'s' if late != 1 else ''} overdue ({en})"
    elif left == 0:
        zh, en = f"今天到期（{zh}）", f"due today ({en})"
    else:
        zh += f"，剩{left}个工作日"
        en += f", {left} working day{'s' if left != 1 else ''} left"
    if provisional:
        zh += "（暂定）"
        en += " (provisional)"
    return Limit(due, max(left, 0), late, provisional, zh, en, done)
