"""Recurring series (例会): the pure pieces of ``meetings.create_series``,
``meetings.update_series`` and ``meetings.cancel_series`` (defined in
``modules.meetings.intents``; applied by ``server/meetings/series.py``).

A series is stored as its occurrences: each is an ordinary ``meetings.meeting`` record
(id ``mt-<series>-<nnn>``, its room booking ``mb-<series>-<nnn>``) that also carries
``series_id``, ``occurrence`` (0, 1, …), ``original_date`` (the rule's date; differs from
the day held when a holiday moved it), ``provisional`` (its year's holidays are not
entered yet), ``series_rule`` and ``series_words``. Editing or cancelling one occurrence
never touches the others unless the scope says so ("following": it and every later one
not yet started; "all": every one not yet started, and it).

A room conflict is reported per occurrence (:class:`Problem`: the date, the room, who
holds it, from when until when); :func:`refusal` is the one refusal that lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from modules.calendar.rules import HolidayTable
from modules.common import messages
from modules.common.errors import Conflict, DomainError, ValidationFailed
from modules.meetings import meeting as M
from modules.meetings import recurrence as RC
from modules.meetings import rules as R
from modules.meetings.intents import (
    CreateSeriesArgs,
    SaveMeetingArgs,
    UpdateSeriesArgs,
    iso,
)

THIS, FOLLOWING, ALL = "this", "following", "all"
SCOPE_WORDS = {THIS: ("仅本次", "this one"), FOLLOWING: ("本次及以后", "this and the following"),
               ALL: ("全部", "all")}

messages.register({
    "meetings.series_conflicts": {
        "zh_CN": "例会共{total}次，其中{count}次无法预订会议室：{dates}。请改时间或会议室，"
                 "或选择跳过这些日期。",
        "en": "{count} of the {total} meetings of the series cannot have the room: {dates_en}. "
              "Change the time or room, or choose to leave those dates out.",
    },
    "meetings.not_in_series": {
        "zh_CN": "该会议不是例会中的一次。",
        "en": "This meeting is not part of a series.",
    },
    "meetings.series_date_change": {
        "zh_CN": "修改“本次及以后”或“全部”时不能改日期（各次保持原日期，只改时间）；"
                 "请只改本次，或取消以后各次后重新建立例会。",
        "en": "Changing this and the following, or all, keeps each meeting's date (only the "
              "time changes); change this one alone, or cancel the following and create a "
              "new series.",
    },
    "meetings.series_room_change": {
        "zh_CN": "更换会议室只能针对本次会议。",
        "en": "The room can be changed for this meeting only.",
    },
})


def occurrence_id(series_id: str, index: int) -> str:
    return f"mt-{series_id.removeprefix('ms-')}-{index:03d}"


def booking_id(series_id: str, index: int) -> str:
    return f"mb-{series_id.removeprefix('ms-')}-{index:03d}"


def plan(args: CreateSeriesArgs, table: HolidayTable) -> RC.Expansion:
    """The occurrences of a new series (its first meeting's times checked first)."""
    start, end = R.parse_time(args.start), R.parse_time(args.end)
    reply_by = R.parse_time(args.reply_by) if args.reply_by else None
    M.check_times(start, end, reply_by)
    return RC.expand(RC.Rule.from_args(args.rule), start, end, table)


def series_fields(series_id: str, occ: RC.Occurrence, rule: RC.Rule) -> dict[str, Any]:
    return {"series_id": series_id, "occurrence": occ.index,
            "original_date": occ.original.isoformat(), "provisional": occ.provisional,
            "series_rule": rule.to_dict(), "series_words": RC.describe(rule)}


def occurrence_args(args: CreateSeriesArgs, occ: RC.Occurrence, booking: str) -> SaveMeetingArgs:
    """The ``save_meeting`` arguments of one occurrence (its 回执 deadline as long
    before its start as the first meeting's)."""
    first = R.parse_time(args.start)
    reply_by = (occ.start - (first - R.parse_time(args.reply_by))) if args.reply_by else None
    fields = args.model_dump(exclude={"series_id", "rule", "room_id", "people",
                                      "skip_conflicts", "publish", "start", "end", "reply_by"})
    return SaveMeetingArgs(**fields, meeting_id=occurrence_id(args.series_id, occ.index),
                           start=occ.start, end=occ.end, booking_id=booking, reply_by=reply_by)


# --------------------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class Problem:
    """Why one occurrence cannot have its room: a booking holding it (``holder``, from
    ``held_from`` until ``held_until``) or a rule of the room (``message``)."""

    index: int
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    room: str
    holder: str = ""
    held_from: dt.datetime | None = None
    held_until: dt.datetime | None = None
    #: the booking holding the room then
    booking_id: str = ""
    code: str = "meetings.room_taken"
    message: str = ""
    message_en: str = ""

    def reason(self, lang: str = "zh_CN") -> str:
        """Why, without the date: ``第一会议室10:00–12:00已被张三预订``."""
        zh = messages.normalise_lang(lang) == "zh_CN"
        if self.held_from is not None and self.held_until is not None:
            span = f"{R.words(self.held_from, with_date=False)}–{R.words(self.held_until, with_date=False)}"
            if zh:
                return f"{self.room}{span}已被{self.holder or '他人'}预订"
            return f"{self.room} booked by {self.holder or 'someone'} {span}"
        return self.message if zh else self.message_en

    def words(self, lang: str = "zh_CN") -> str:
        zh = messages.normalise_lang(lang) == "zh_CN"
        day = f"{self.day.month}月{self.day.day}日" if zh else self.day.isoformat()
        return f"{day}（{self.reason(lang)}）" if zh else f"{day} ({self.reason(lang)})"

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "date": self.day.isoformat(), "start": iso(self.start),
                "end": iso(self.end), "room": self.room, "holder": self.holder,
                "held_from": iso(self.held_from) if self.held_from else None,
                "held_until": iso(self.held_until) if self.held_until else None,
                "booking_id": self.booking_id,
                "code": self.code, "words": self.words(), "words_en": self.words("en")}


class SlotIndex:
    """Bookings by the China-time days they touch, so checking a year of occurrences
    looks at each occurrence's own days only (not every booking of the room)."""

    def __init__(self, slots: Iterable[R.Slot]) -> None:
        self._days: dict[dt.date, list[R.Slot]] = {}
        for slot in slots:
            if not slot.blocking:
                continue
            day, last = slot.start.astimezone(R.CHINA).date(), slot.end.astimezone(R.CHINA).date()
            while day <= last:
                self._days.setdefault(day, []).append(slot)
                day += dt.timedelta(days=1)

    def near(self, start: dt.datetime, end: dt.datetime) -> list[R.Slot]:
        day, last = start.astimezone(R.CHINA).date(), end.astimezone(R.CHINA).date()
        out: dict[str, R.Slot] = {}
        while day <= last:
            out.update((s.id, s) for s in self._days.get(day, ()))
            day += dt.timedelta(days=1)
        return list(out.values())


def problem(index: int, start: dt.datetime, end: dt.datetime, room: R.Room,
            bookings: Iterable[R.Slot] | SlotIndex, now: dt.datetime, *, people: int = 0,
            ignore: str = "") -> Problem | None:
    """Why ``room`` cannot be booked for ``[start, end)`` (None: it can): a rule of the
    room (closed, open hours, how far ahead, size), or the earliest booking holding it."""
    day = start.astimezone(R.CHINA).date()
    try:
        R.check_interval(room, start, end, now, people=people)
    except DomainError as exc:
        return Problem(index, day, start, end, room.name, code=exc.code,
                       message=exc.message("zh_CN"), message_en=exc.message("en"))
    near = bookings.near(start, end) if isinstance(bookings, SlotIndex) else bookings
    hit = R.first_conflict(room, start, end, near, ignore=ignore)
    if hit is None:
        return None
    return Problem(index, day, start, end, room.name, holder=hit.holder, held_from=hit.start,
                   held_until=hit.end, booking_id=hit.id)


def refusal(problems: Sequence[Problem], total: int) -> Conflict:
    """The refusal listing every occurrence that cannot have its room."""
    shown = problems[:20]
    more_zh = f"等{len(problems)}次" if len(problems) > len(shown) else ""
    more_en = f" and {len(problems) - len(shown)} more" if len(problems) > len(shown) else ""
    return Conflict("meetings.series_conflicts", count=len(problems), total=total,
                    dates="、".join(p.words() for p in shown) + more_zh,
                    dates_en="; ".join(p.words("en") for p in shown) + more_en,
                    conflicts=[p.to_dict() for p in problems])


# --------------------------------------------------------------------------- scopes


def in_scope(chosen: Mapping[str, Any], members: Iterable[Mapping[str, Any]], scope: str,
             now: dt.datetime) -> list[dict[str, Any]]:
    """The occurrences a change or cancellation reaches, by start: the chosen one, and
    for "following" every later one, for "all" every other one, that is still a draft or
    published and has not started."""
    if not chosen.get("series_id"):
        raise ValidationFailed("meetings.not_in_series")
    out = {str(chosen["id"]): dict(chosen)}
    if scope != THIS:
        begin = R.parse_time(chosen["start"])
        for m in members:
            if m.get("series_id") != chosen["series_id"] or m.get("state") not in (M.DRAFT, M.PUBLISHED):
                continue
            start = R.parse_time(m["start"])
            if start <= now or (scope == FOLLOWING and start < begin):
                continue
            out.setdefault(str(m["id"]), dict(m))
    return sorted(out.values(), key=lambda m: (str(m["start"]), str(m["id"])))


def _local(when: dt.datetime) -> dt.datetime:
    return when.astimezone(R.CHINA)


def target_args(args: UpdateSeriesArgs, chosen: Mapping[str, Any],
                target: Mapping[str, Any]) -> SaveMeetingArgs:
    """The ``save_meeting`` arguments for one occurrence a series change reaches: the
    chosen one's new fields; for another occurrence its own day with the new time of
    day and length, its own room booking, its 回执 deadline as far before its start."""
    fields = args.model_dump(exclude={"scope"})
    if target["id"] == chosen["id"]:
        return SaveMeetingArgs(**fields)
    new_start, new_end = _local(R.parse_time(args.start)), _local(R.parse_time(args.end))
    day = _local(R.parse_time(target["start"])).date()
    try:
        start = dt.datetime.combine(day, new_start.timetz())
        end = start + (new_end - new_start)
        reply_by = (start - (new_start - R.parse_time(args.reply_by))) if args.reply_by else None
    except OverflowError as exc:  # past year 9999
        raise ValidationFailed("meetings.bad_meeting_time", reason="日期超出范围",
                               reason_en="a date is out of range") from exc
    fields.update(meeting_id=target["id"], start=start, end=end, reply_by=reply_by,
                  booking_id=str(target.get("booking_id") or ""))
    return SaveMeetingArgs(**fields)


def check_scope_change(args: UpdateSeriesArgs, chosen: Mapping[str, Any]) -> None:
    """Raise unless a "following" / "all" change keeps the chosen occurrence's date and
    room (those change for one occurrence at a time)."""
    if args.scope == THIS:
        return
    old_day = _local(R.parse_time(chosen["start"])).date()
    if _local(R.parse_time(args.start)).date() != old_day:
        raise ValidationFailed("meetings.series_date_change")
    if args.booking_id != str(chosen.get("booking_id") or ""):
        raise ValidationFailed("meetings.series_room_change")
