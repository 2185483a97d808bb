"""Reminders (提醒), pure: what a planned reminder is, the configuration every feature
plans with, and the one rule for a reminder that comes due late.

A feature plans its reminders as :class:`Spec` values (``modules/meetings/reminders.py``,
``modules/supervision/reminders.py``); the server stores them, claims each due one once
and delivers it as a ``reminders.notice`` record to its person (server/reminders/).

Lateness rule (a server that was down, or busy): a reminder is still sent when it comes
due late, unless what it announces has already happened (``expires_at`` passed, e.g. the
meeting began or the 回执 deadline went by) or it is more than ``max_late`` (24 hours by
default) overdue — then it is marked ``expired`` and never sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from modules.common.china_time import CHINA as CHINA  # also named from here

NOTICE = "reminders.notice"

PENDING, SENT, EXPIRED, DROPPED = "pending", "sent", "expired", "dropped"
SEND, EXPIRE = "send", "expire"



@dataclass(frozen=True)
class ReminderConfig:
    """How far ahead reminders go out (the server settings ``meeting_reminder_minutes``,
    ``reply_reminder_minutes``, ``reminder_max_late_hours``, ``supervision_notice_days``)."""

    meeting_minutes: tuple[int, ...] = (1440, 30)
    reply_minutes: int = 240
    max_late: dt.timedelta = dt.timedelta(hours=24)
    supervision_notice_days: int = 2


@dataclass(frozen=True)
class Spec:
    """One reminder to one person. ``id`` is stable for the same occasion, so planning
    again updates the stored reminder instead of adding a second one."""

    id: str
    kind: str
    module: str
    ref_id: str
    person_id: str
    due_at: dt.datetime
    title: tuple[str, str]  # (zh_CN, en)
    body: tuple[str, str] = ("", "")
    expires_at: dt.datetime | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        """The words and links carried to the notice."""
        return {"title_zh": self.title[0], "title_en": self.title[1],
                "body_zh": self.body[0], "body_en": self.body[1], **dict(self.extra)}


def verdict(due_at: dt.datetime, expires_at: dt.datetime | None, now: dt.datetime,
            max_late: dt.timedelta) -> str:
    """``send`` or ``expire`` for a reminder that is due (``due_at <= now``)."""
    if expires_at is not None and now >= expires_at:
        return EXPIRE
    if now - due_at > max_late:
        return EXPIRE
    return SEND


def china_text(when: dt.datetime, lang: str) -> str:
    """'12月3日 09:30' / 'Dec 3 09:30' in China time."""
    local = when.astimezone(CHINA)
    if lang == "en":
        return f"{local.strftime('%b')} {local.day} {local.strftime('%H:%M')}"
    return f"{local.month}月{local.day}日 {local.strftime('%H:%M')}"


def notice_words(notice: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """(title, body) of a delivered notice in ``lang`` (zh_CN / en)."""
    suffix = "en" if lang == "en" else "zh"
    title = str(notice.get(f"title_{suffix}") or notice.get("title_zh") or "")
    body = str(notice.get(f"body_{suffix}") or notice.get("body_zh") or "")
    return title, body
