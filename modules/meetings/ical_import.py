"""A 回执 from a calendar app (iCalendar ``METHOD:REPLY``, RFC 5546 §3.2.3): pure.

A person who got a meeting's ``.ics`` answers in their calendar app; the app writes a
REPLY naming the event (``UID``, ``SEQUENCE``) and the one attendee who answers, with
their ``PARTSTAT``. The organiser imports it (``meetings.import_calendar_reply``,
online): the meeting is found by its UID, the attendee by their address
(:func:`modules.meetings.ical.person_of`), and the answer is recorded through the
ordinary reply rules (``modules.meetings.meeting.check_reply``) as that person's reply —
``ACCEPTED`` attend, ``DECLINED`` 请假 (the COMMENT, if any, is the reason),
``DELEGATED`` with ``DELEGATED-TO`` a substitute. The reply record says who imported it
(``recorded_by_id``/``recorded_by_name``, ``via: "calendar"``). Refused in words: a file
that is not a REPLY, a UID that is not one of our meetings, a reply to an earlier
version (its SEQUENCE is lower than the meeting's), an address nobody invited has, an
answer that is no 回执 (TENTATIVE, NEEDS-ACTION).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.common.intents import IntentArgs
from modules.common.text import MANY_LINES
from modules.meetings import ical, policy
from modules.meetings import meeting as M

#: Largest REPLY accepted (characters; a REPLY is a few hundred).
MAX_CHARS = 100_000
#: The reason recorded for a DECLINED without a COMMENT (a 请假 needs one).
DEFAULT_REASON = "通过日历应用回复不参加"

messages.register({
    "meetings.ical_unreadable": {
        "zh_CN": "无法读取该日历文件：{detail}",
        "en": "The calendar file cannot be read: {detail}",
    },
    "meetings.ical_not_reply": {
        "zh_CN": "该日历文件不是回复（METHOD 为“{method}”，应为 REPLY）。",
        "en": "The calendar file is not a reply (its METHOD is '{method}', not REPLY).",
    },
    "meetings.ical_unknown_meeting": {
        "zh_CN": "日历回复所指的会议（{uid}）在本系统中不存在。",
        "en": "The meeting this calendar reply answers ({uid}) does not exist here.",
    },
    "meetings.ical_one_attendee": {
        "zh_CN": "日历回复须恰好含一位回复人（ATTENDEE），该文件含{count}位。",
        "en": "A calendar reply must name exactly one attendee; this one names {count}.",
    },
    "meetings.ical_unknown_attendee": {
        "zh_CN": "回复人 {address} 不是“{subject}”的参会人员。",
        "en": "{address} is not invited to '{subject}'.",
    },
    "meetings.ical_partstat": {
        "zh_CN": "日历回复的答复“{partstat}”不能作为回执（应为接受、拒绝或委托他人）。",
        "en": "The answer '{partstat}' is no reply (accept, decline or delegate).",
    },
    "meetings.ical_stale": {
        "zh_CN": "该回复针对会议的旧版本（第{got}版），会议已更新至第{current}版，请对方按新通知重新回复。",
        "en": "This reply answers an earlier version ({got}) of the meeting, now at version "
              "{current}; ask for a reply to the new notice.",
    },
})


class ImportCalendarReplyArgs(IntentArgs):
    #: The REPLY file's text (line ends as LF: carriage returns are not text).
    ics: Annotated[str, Field(min_length=1, max_length=MAX_CHARS), MANY_LINES]


@dataclass(frozen=True)
class CalendarReply:
    uid: str
    sequence: int
    attendee: str  # the address, ``mailto:…``
    partstat: str
    delegated_to: str = ""
    comment: str = ""


def _unreadable(detail: str) -> ValidationFailed:
    return ValidationFailed("meetings.ical_unreadable", detail=detail[:200])


def _first(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return str(value or "").strip()


def parse_reply(text: str) -> CalendarReply:
    """The one answer a REPLY carries, or the refusal in words."""
    import icalendar  # loads on first use, not with the intents at start-up

    try:
        cal = icalendar.Calendar.from_ical(text.replace("\r\n", "\n"))
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise _unreadable(str(exc) or type(exc).__name__) from None
    if not isinstance(cal, icalendar.Calendar):
        raise _unreadable("VCALENDAR")
    method = str(cal.get("METHOD") or "").strip().upper()
    if method != "REPLY":
        raise ValidationFailed("meetings.ical_not_reply", method=method or "—")
    events = cal.walk("VEVENT")
    if len(events) != 1:
        raise _unreadable(f"VEVENT × {len(events)}")
    ev = events[0]
    event_uid = str(ev.get("UID") or "").strip()
    if not event_uid:
        raise _unreadable("UID")
    found = ev.get("ATTENDEE")
    people = list(found) if isinstance(found, list) else ([found] if found is not None else [])
    if len(people) != 1:
        raise ValidationFailed("meetings.ical_one_attendee", count=len(people))
    who = people[0]
    params = getattr(who, "params", {})
    try:
        sequence = int(ev.get("SEQUENCE") or 0)
    except (TypeError, ValueError):
        raise _unreadable("SEQUENCE") from None
    return CalendarReply(
        uid=event_uid, sequence=sequence, attendee=str(who).strip(),
        partstat=str(params.get("PARTSTAT") or "NEEDS-ACTION").strip().upper(),
        delegated_to=_first(params.get("DELEGATED-TO")), comment=_first(ev.get("COMMENT")))


def meeting_id(reply: CalendarReply, domain: str) -> str:
    """The meeting the reply answers (a UID of another system is refused)."""
    return ical.meeting_id_of(reply.uid, domain)


@dataclass(frozen=True)
class Answer:
    person_id: str
    answer: str
    reason: str = ""
    substitute_id: str = ""


def answer_of(meeting: Mapping[str, Any], invited: Mapping[str, M.Invitation],
              reply: CalendarReply, domain: str, emails: Mapping[str, str]) -> Answer:
    """Who answers and what, by the reply rules' words; refusals in words."""
    if reply.sequence < int(meeting.get("sequence") or 0):
        raise Conflict("meetings.ical_stale", got=reply.sequence,
                       current=int(meeting.get("sequence") or 0))
    person = ical.person_of(reply.attendee, domain, emails)
    if not person or person not in invited:
        raise ValidationFailed("meetings.ical_unknown_attendee", address=reply.attendee[:120],
                               subject=str(meeting.get("subject") or ""))
    if reply.partstat == ical.ACCEPTED:
        return Answer(person, M.ATTEND)
    if reply.partstat == ical.DECLINED:
        return Answer(person, M.DECLINE, reason=(reply.comment or DEFAULT_REASON)[:300])
    if reply.partstat == ical.DELEGATED and reply.delegated_to:
        substitute = ical.person_of(reply.delegated_to, domain, emails)
        if not substitute:
            raise ValidationFailed("meetings.unknown_person", id=reply.delegated_to[:120])
        return Answer(person, M.SUBSTITUTE, substitute_id=substitute)
    raise ValidationFailed("meetings.ical_partstat", partstat=reply.partstat[:40])


def import_reply(meeting: Mapping[str, Any] | None, reply: CalendarReply,
                 previous_of: Any, nominations: Iterable[Mapping[str, Any]],
                 replies: Iterable[Mapping[str, Any]], actor: ActorFacts, actor_name: str,
                 domain: str, emails: Mapping[str, str], names: Mapping[str, str],
                 now: dt.datetime) -> dict[str, Any]:
    """The attendee's ``meetings.reply`` record from a calendar REPLY the organiser
    imports. ``previous_of(person_id)``: that person's stored reply; ``emails``: directory
    emails of the people the meeting involves; ``names``: directory names (of the
    substitute)."""
    from modules.meetings import intents as I  # the intents module defines this intent

    if meeting is None:
        raise NotFound("meetings.ical_unknown_meeting", uid=reply.uid[:120])
    host = I.host_of(meeting)
    policy.require(policy.may_organise(actor, host), "meetings.not_organiser", body=host.name)
    noms, reps = list(nominations), list(replies)
    invited = M.invitations(meeting, noms, reps)
    said = answer_of(meeting, invited, reply, domain, emails)
    args = I.ReplyArgs(meeting_id=str(meeting["id"]), answer=said.answer,  # type: ignore[arg-type]  # one of the three answers
                       reason=said.reason, substitute_id=said.substitute_id)
    record = I.reply(meeting, previous_of(said.person_id), noms, reps, args,
                     ActorFacts(said.person_id, ()), names.get(said.substitute_id, ""), now)
    record.update(via="calendar", recorded_by_id=actor.person_id, recorded_by_name=actor_name)
    return record
