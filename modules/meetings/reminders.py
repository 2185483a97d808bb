"""Meeting reminders (会议提醒), pure: which reminders a published meeting wants now.

- before the meeting (``ReminderConfig.meeting_minutes``, default one day and 30
  minutes) to everyone who will be there: the invited who have not declined or sent a
  substitute (their substitute is invited in turn), 工作人员, the chair, the contact and
  the organiser;
- before the 回执 deadline (``reply_minutes``) to each invited person who has not
  answered;
- at the 回执 deadline to the organiser, naming who has not answered.

Planned again whenever the meeting, a reply or a nomination is written (server/meetings/
storage.py ``refresh``): a reply withdraws that person's reply reminder, a cancelled or
closed meeting wants none, a moved meeting moves them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.reminders.rules import ReminderConfig, Spec, china_text

MODULE = "meetings"
BEFORE, REPLY_DUE, MISSING = "meeting_before", "meeting_reply_due", "meeting_replies_missing"


def _where(meeting: Mapping[str, Any]) -> tuple[str, str]:
    place = str(meeting.get("room_name") or meeting.get("place") or "")
    if place:
        return f"，地点：{place}", f", at {place}"
    if meeting.get("video_url"):
        return "（视频会议）", " (video conference)"
    return "", ""


def _lead(minutes: int) -> tuple[str, str]:
    if minutes % 1440 == 0:
        days = minutes // 1440
        return f"{days}天后", f"in {days} day{'s' if days != 1 else ''}"
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"{hours}小时后", f"in {hours} hour{'s' if hours != 1 else ''}"
    return f"{minutes}分钟后", f"in {minutes} minutes"


def plan(meeting: Mapping[str, Any], invited: Mapping[str, M.Invitation],
         replies: Iterable[Mapping[str, Any]], config: ReminderConfig) -> list[Spec]:
    """The reminders ``meeting`` wants (none unless it is published)."""
    if meeting.get("state") != M.PUBLISHED:
        return []
    mid, subject = str(meeting["id"]), str(meeting.get("subject") or "")
    start = R.parse_time(meeting["start"])
    answers = {str(r.get("person_id")): str(r.get("answer") or "") for r in replies
               if r.get("meeting_id", mid) == mid}
    away = {p for p, a in answers.items() if a in (M.DECLINE, M.SUBSTITUTE)}
    attendees = sorted(M.involved(meeting, invited) - away)
    where_zh, where_en = _where(meeting)
    extra = {"event_at": start.isoformat()}
    out: list[Spec] = []
    leads = sorted({m for m in config.meeting_minutes if m > 0}, reverse=True)
    for n, minutes in enumerate(leads):
        # A late one stops when the next is due: after a day down, only "in 30 minutes".
        expires = start - dt.timedelta(minutes=leads[n + 1]) if n + 1 < len(leads) else start
        lead_zh, lead_en = _lead(minutes)
        for person in attendees:
            out.append(Spec(
                id=f"mtg:{mid}:before{minutes}:{person}", kind=BEFORE, module=MODULE,
                ref_id=mid, person_id=person, due_at=start - dt.timedelta(minutes=minutes),
                expires_at=expires,
                title=(f"会议提醒：{subject}", f"Meeting reminder: {subject}"),
                body=(f"{lead_zh}开始（{china_text(start, 'zh')}）{where_zh}",
                      f"Starts {lead_en} ({china_text(start, 'en')}){where_en}"),
                extra=extra))
    reply_by = meeting.get("reply_by")
    if not reply_by:
        return out
    deadline = R.parse_time(reply_by)
    missing = [inv for person, inv in invited.items() if person not in answers]
    for inv in missing:
        out.append(Spec(
            id=f"mtg:{mid}:reply:{inv.person_id}", kind=REPLY_DUE, module=MODULE, ref_id=mid,
            person_id=inv.person_id,
            due_at=deadline - dt.timedelta(minutes=max(config.reply_minutes, 0)),
            expires_at=deadline,
            title=(f"请回执：{subject}", f"Please reply: {subject}"),
            body=(f"回执截止时间：{china_text(deadline, 'zh')}",
                  f"Replies close {china_text(deadline, 'en')}"),
            extra={"event_at": deadline.isoformat()}))
    organiser = str(meeting.get("organiser_id") or "")
    if missing and organiser:
        names = [inv.name for inv in missing]
        shown_zh = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
        shown_en = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
        out.append(Spec(
            id=f"mtg:{mid}:missing", kind=MISSING, module=MODULE, ref_id=mid,
            person_id=organiser, due_at=deadline, expires_at=start,
            title=(f"回执未齐：{subject}", f"Replies missing: {subject}"),
            body=(f"回执已截止，尚有{len(names)}人未回执：{shown_zh}",
                  f"Replies closed; {len(names)} not answered: {shown_en}"),
            extra={"event_at": start.isoformat(), "missing": len(names)}))
    return out
