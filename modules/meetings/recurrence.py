"""Recurring meetings (例会): the repeat rule and its occurrences — pure, no Qt, no HTTP,
no database. The client (the form's preview) and the server (which stores every
occurrence) expand a rule with the same function over the same holiday table.

Rules:

- **weekly**: every ``interval`` weeks (counted from the week of the first meeting,
  Monday to Sunday) on the given ``weekdays`` (0 = Monday … 6 = Sunday);
- **monthly**: every ``interval`` months, on a day of the month (``month_day`` 1–31; a
  month without that day uses its last day, so "the 31st" is the last day of every
  month) or on "the ``nth`` ``weekday``" (``nth`` 1–4, or -1 for the last: 第2个星期二).

The end is an ``until`` date (inclusive) or a ``count``; at most
:data:`MAX_OCCURRENCES` dates and :data:`MAX_SPAN_DAYS` days. ``count`` counts the
dates the rule gives, skipped ones included (as iCalendar's COUNT does with EXDATE), so
"12 times" with one 国庆 skip holds 11 meetings and the preview says which one went.

Holidays (``holidays``): a date that is not a working day by the official calendar
(``modules.calendar.rules.is_working_day``: weekends and holidays are not, 调休上班
make-up days are) is ``skip``-ped or ``move``-d to the next working day. A rule date on
a make-up Saturday or Sunday is kept (it is a working day); the rule never adds one by
itself. A moved date that lands on a day the series already meets is dropped (said so).
In a year the table lacks, only weekends count as days off and the occurrence is marked
``provisional`` (its holidays are not known yet).

Times: every occurrence starts at the first meeting's China time of day (Asia/Shanghai,
UTC+8 all year — no daylight saving since 1991, so the fixed offset is exact) and lasts
as long as it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from modules.calendar.rules import HolidayTable, is_working_day
from modules.common import messages
from modules.common.errors import ValidationFailed
from modules.meetings.rules import CHINA

WEEKLY, MONTHLY = "weekly", "monthly"
SKIP, MOVE = "skip", "move"
MAX_OCCURRENCES = 104
MAX_SPAN_DAYS = 731
MAX_INTERVAL = 12
WEEKDAY_WORDS = ("一", "二", "三", "四", "五", "六", "日")
WEEKDAY_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
HOLIDAY_EN = {"元旦": "New Year's Day", "春节": "Spring Festival", "清明节": "Qingming",
              "劳动节": "Labour Day", "端午节": "Dragon Boat Festival",
              "中秋节": "Mid-Autumn Festival", "国庆节": "National Day"}

messages.register({
    "meetings.bad_rule": {
        "zh_CN": "重复规则无效：{reason}",
        "en": "The repeat rule is not valid: {reason_en}",
    },
    "meetings.series_too_long": {
        "zh_CN": "例会最多{max}次、跨度不超过两年，请缩短结束日期或次数。",
        "en": "A series holds at most {max} meetings over at most two years; choose an "
              "earlier end or fewer times.",
    },
    "meetings.series_empty": {
        "zh_CN": "按此规则在结束日期前没有可开会的日期。",
        "en": "The rule gives no meeting date before its end.",
    },
})


class RuleArgs(BaseModel):
    """The repeat rule as intents carry it (``meetings.create_series``)."""

    model_config = ConfigDict(extra="forbid")

    frequency: Literal["weekly", "monthly"]
    interval: int = Field(default=1, ge=1, le=MAX_INTERVAL)
    #: weekly: 0 = Monday … 6 = Sunday (empty: the first meeting's weekday)
    weekdays: list[Literal[0, 1, 2, 3, 4, 5, 6]] = Field(default_factory=list, max_length=7)
    #: monthly by date: 1–31 (0: by ``nth`` ``weekday`` instead)
    month_day: int = Field(default=0, ge=0, le=31)
    #: monthly by weekday: 1–4, or -1 for the last one
    nth: int = Field(default=0, ge=-1, le=4)
    weekday: int = Field(default=0, ge=0, le=6)
    until: dt.date | None = None
    count: int = Field(default=0, ge=0, le=MAX_OCCURRENCES)
    holidays: Literal["skip", "move"] = "skip"


@dataclass(frozen=True)
class Rule:
    frequency: str
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int = 0
    nth: int = 0
    weekday: int = 0
    until: dt.date | None = None
    count: int = 0
    holidays: str = SKIP

    @classmethod
    def from_args(cls, args: RuleArgs | Mapping[str, Any]) -> Rule:
        a = args if isinstance(args, RuleArgs) else RuleArgs.model_validate(dict(args))
        return cls(a.frequency, a.interval, tuple(sorted(set(a.weekdays))), a.month_day, a.nth,
                   a.weekday, a.until, a.count, a.holidays)

    def to_dict(self) -> dict[str, Any]:
        return {"frequency": self.frequency, "interval": self.interval,
                "weekdays": list(self.weekdays), "month_day": self.month_day, "nth": self.nth,
                "weekday": self.weekday, "until": self.until.isoformat() if self.until else None,
                "count": self.count, "holidays": self.holidays}


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series. ``index`` counts from 0 over the kept occurrences;
    ``original`` is the rule's date, ``day`` the day it is held (they differ when moved)."""

    index: int
    original: dt.date
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    provisional: bool = False

    @property
    def moved(self) -> bool:
        return self.day != self.original


@dataclass(frozen=True)
class Skipped:
    """A rule date that holds no meeting: its day off (holiday name, or 周末), or the
    day it would have moved to already has one (``merged_into``)."""

    original: dt.date
    why: str
    why_en: str
    merged_into: dt.date | None = None


@dataclass(frozen=True)
class Expansion:
    occurrences: tuple[Occurrence, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    missing_years: tuple[int, ...] = field(default_factory=tuple)


def _bad(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed("meetings.bad_rule", reason=zh, reason_en=en)


def check_rule(rule: Rule, first: dt.date) -> None:
    """Raise in words unless the rule is complete: weekdays valid, a monthly day or
    weekday, exactly one end (until on or after the first day, or a count)."""
    if rule.frequency not in (WEEKLY, MONTHLY):
        raise _bad("重复方式只能是每周或每月", "repeat weekly or monthly")
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise _bad(f"间隔须为1到{MAX_INTERVAL}", f"the interval is 1 to {MAX_INTERVAL}")
    if any(not 0 <= d <= 6 for d in rule.weekdays):
        raise _bad("星期无效", "a weekday is not valid")
    if rule.frequency == MONTHLY and bool(rule.month_day) == bool(rule.nth):
        raise _bad("每月重复须选择“每月第几日”或“第几个星期几”之一",
                   "a monthly rule needs either a day of the month or an nth weekday")
    if bool(rule.until) == bool(rule.count):
        raise _bad("须选择结束日期或重复次数之一", "give either an end date or a number of times")
    if rule.until is not None and rule.until < first:
        raise _bad("结束日期早于第一次会议", "the end date is before the first meeting")
    if rule.count > MAX_OCCURRENCES:
        raise ValidationFailed("meetings.series_too_long", max=MAX_OCCURRENCES)


def _month_date(year: int, month: int, rule: Rule) -> dt.date | None:
    last = calendar.monthrange(year, month)[1]
    if rule.month_day:
        return dt.date(year, month, min(rule.month_day, last))
    if rule.nth == -1:
        day = dt.date(year, month, last)
        return day - dt.timedelta(days=(day.weekday() - rule.weekday) % 7)
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(rule.weekday - first.weekday()) % 7 + 7 * (rule.nth - 1))
    return day if day.month == month else None


def rule_dates(rule: Rule, first: dt.date) -> list[dt.date]:
    """The rule's dates from ``first`` on (before holidays), up to its end. Raises
    ``meetings.series_too_long`` past the caps."""
    try:
        return _rule_dates(rule, first)
    except (OverflowError, ValueError) as exc:  # a date past year 9999
        raise _bad("日期超出范围", "a date is out of range") from exc


def _rule_dates(rule: Rule, first: dt.date) -> list[dt.date]:
    check_rule(rule, first)
    limit = first + dt.timedelta(days=MAX_SPAN_DAYS)
    stop = rule.until or limit
    out: list[dt.date] = []

    def take(day: dt.date) -> bool:
        """False once the rule has ended."""
        if day > stop or (rule.count and len(out) >= rule.count):
            return False
        if day > limit or len(out) >= MAX_OCCURRENCES:
            raise ValidationFailed("meetings.series_too_long", max=MAX_OCCURRENCES)
        out.append(day)
        return True

    if rule.frequency == WEEKLY:
        days = rule.weekdays or (first.weekday(),)
        monday = first - dt.timedelta(days=first.weekday())
        while True:
            for d in days:
                day = monday + dt.timedelta(days=d)
                if day >= first and not take(day):
                    return out
            monday += dt.timedelta(weeks=rule.interval)
    year, month = first.year, first.month
    while True:
        found = _month_date(year, month, rule)
        if found is not None and found >= first and not take(found):
            return out
        month += rule.interval
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        if dt.date(year, month, 1) > stop:
            return out


def _day_off(day: dt.date, table: HolidayTable) -> tuple[str, str]:
    entry = table.entries.get(day) if table.covers(day.year) else None
    if entry is not None and entry.name:
        return entry.name, HOLIDAY_EN.get(entry.name, entry.name)
    if entry is not None:
        return "节假日", "holiday"
    return "周末", "weekend"


def expand(rule: Rule, start: dt.datetime, end: dt.datetime, table: HolidayTable) -> Expansion:
    """Every occurrence of a series whose first meeting is ``[start, end)``, with the
    holiday policy applied, and the rule dates that hold none."""
    local = start.astimezone(CHINA)
    length = end - start
    first = local.date()
    at = local.timetz()
    dates = rule_dates(rule, first)
    try:
        return _expand(rule, dates, at, length, table)
    except (OverflowError, ValueError) as exc:  # moved or ended past year 9999
        raise _bad("日期超出范围", "a date is out of range") from exc


def _expand(rule: Rule, dates: list[dt.date], at: dt.time, length: dt.timedelta,
            table: HolidayTable) -> Expansion:
    occurrences: list[Occurrence] = []
    skipped: list[Skipped] = []
    taken: set[dt.date] = set()
    missing: set[int] = set()
    planned = set(dates)
    for original in dates:
        day = original
        if not table.covers(day.year):
            missing.add(day.year)
        if not is_working_day(day, table):
            why, why_en = _day_off(day, table)
            if rule.holidays == SKIP:
                skipped.append(Skipped(original, why, why_en))
                continue
            while not is_working_day(day, table):
                day += dt.timedelta(days=1)
                if not table.covers(day.year):
                    missing.add(day.year)
            if day in taken or day in planned:
                skipped.append(Skipped(original, why, why_en, merged_into=day))
                continue
        if day in taken:
            continue
        taken.add(day)
        when = dt.datetime.combine(day, at)
        occurrences.append(Occurrence(len(occurrences), original, day, when, when + length,
                                      provisional=not table.covers(day.year)))
    if not occurrences:
        raise ValidationFailed("meetings.series_empty")
    return Expansion(tuple(occurrences), tuple(skipped), tuple(sorted(missing)))


def describe(rule: Rule, lang: str = "zh_CN") -> str:
    """The rule in words: ``每2周的周一、周三，至2026年12月31日（遇节假日顺延）``."""
    zh = messages.normalise_lang(lang) == "zh_CN"
    if rule.frequency == WEEKLY:
        days = rule.weekdays
        if zh:
            every = "每周" if rule.interval == 1 else f"每{rule.interval}周"
            text = every + ("的" + "、".join("周" + WEEKDAY_WORDS[d] for d in days) if days else "")
        else:
            every = "every week" if rule.interval == 1 else f"every {rule.interval} weeks"
            text = every + (" on " + ", ".join(WEEKDAY_EN[d] for d in days) if days else "")
    else:
        if zh:
            every = "每月" if rule.interval == 1 else f"每{rule.interval}个月"
            if rule.month_day:
                text = f"{every}{rule.month_day}日"
            else:
                nth = "最后一个" if rule.nth == -1 else f"第{rule.nth}个"
                text = f"{every}{nth}星期{WEEKDAY_WORDS[rule.weekday]}"
        else:
            every = "every month" if rule.interval == 1 else f"every {rule.interval} months"
            if rule.month_day:
                text = f"{every} on day {rule.month_day}"
            else:
                nth = "last" if rule.nth == -1 else {1: "1st", 2: "2nd", 3: "3rd"}.get(
                    rule.nth, f"{rule.nth}th")
                text = f"{every} on the {nth} {WEEKDAY_EN[rule.weekday]}"
    if zh:
        ends = (f"，至{rule.until.year}年{rule.until.month}月{rule.until.day}日" if rule.until
                else f"，共{rule.count}次")
        policy = "（遇节假日顺延）" if rule.holidays == MOVE else "（遇节假日跳过）"
        return text + ends + policy
    ends = f", until {rule.until.isoformat()}" if rule.until else f", {rule.count} times"
    policy = " (holidays: next working day)" if rule.holidays == MOVE else " (holidays skipped)"
    return text + ends + policy
