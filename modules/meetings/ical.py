"""Meetings as iCalendar (RFC 5545, methods of RFC 5546): pure, no Qt, no HTTP, no database.

Written with the ``icalendar`` library, which folds lines at 75 octets, escapes text and
ends lines with CRLF. One meeting is one VEVENT:

- ``UID`` ``<meeting id>@<domain>`` (:func:`uid`; the domain is the server's
  ``OFFICE_CALENDAR_DOMAIN``), stable for the meeting's whole life, so a calendar app
  replaces the event when it changes and removes it when it is cancelled;
- ``SEQUENCE`` the meeting's ``sequence`` (raised by every update after publishing, and
  by the cancellation), ``DTSTAMP`` when the file was written, ``LAST-MODIFIED``;
- ``DTSTART`` / ``DTEND`` in ``Asia/Shanghai`` with its ``VTIMEZONE``;
- ``SUMMARY``, ``LOCATION`` (the room, the outside place and the video link),
  ``DESCRIPTION`` (the notes, the contact person, the 回执 deadline), ``URL`` (video);
- ``ORGANIZER`` (who made it), an ``ATTENDEE`` per invited person (:func:`attendees`):
  ``PARTSTAT`` from their 回执 (ACCEPTED / DECLINED / NEEDS-ACTION); one who sends a
  substitute is ``DELEGATED`` with ``DELEGATED-TO``, the substitute carries
  ``DELEGATED-FROM`` (RFC 5545 §3.2.4/3.2.5). 列席 are OPT-PARTICIPANT, the chair CHAIR,
  工作人员 NON-PARTICIPANT. The caller passes only the replies the reader may see: an
  attendee whose reply is not among them carries no PARTSTAT (nothing is claimed);
- two ``VALARM`` (1 day and 30 minutes before).

:func:`meeting_ics` writes one meeting for a calendar app (``METHOD:REQUEST``, or
``CANCEL`` for a cancelled meeting); :func:`feed_ics` a person's subscription
(``METHOD:PUBLISH``, cancelled meetings kept as ``STATUS:CANCELLED``).

People are addressed ``mailto:<email>`` when the directory has their email, else
``mailto:<person id>@<domain>`` (:func:`address`); :func:`person_of` reads either back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from modules.common import messages
from modules.common.errors import ValidationFailed
from modules.meetings import meeting as M
from modules.meetings.rules import parse_time

if TYPE_CHECKING:  # the library loads when a calendar is first written or read
    import icalendar

TZID = "Asia/Shanghai"
ZONE = ZoneInfo(TZID)
PRODID = "-//office-collab//meetings//ZH"
DEFAULT_DOMAIN = "office-collab.invalid"
#: Reminders before the start.
ALARMS: tuple[tuple[dt.timedelta, str], ...] = (
    (dt.timedelta(days=1), "明天"), (dt.timedelta(minutes=30), "30分钟后"))
#: A person's subscription holds meetings that ended at most this long ago.
FEED_PAST = dt.timedelta(days=30)

ACCEPTED, DECLINED, DELEGATED, NEEDS_ACTION = "ACCEPTED", "DECLINED", "DELEGATED", "NEEDS-ACTION"
PARTSTAT_OF = {M.ATTEND: ACCEPTED, M.DECLINE: DECLINED, M.SUBSTITUTE: DELEGATED}
ROLE_OF = {M.INVITEE: "REQ-PARTICIPANT", M.NOMINEE: "REQ-PARTICIPANT",
           M.SUBSTITUTE_ROLE: "REQ-PARTICIPANT", M.OBSERVER: "OPT-PARTICIPANT"}

messages.register({
    "meetings.ical_bad_uid": {
        "zh_CN": "日历事件标识“{uid}”不是本系统的会议。",
        "en": "The calendar event '{uid}' is not a meeting of this system.",
    },
})


def uid(meeting_id: str, domain: str = DEFAULT_DOMAIN) -> str:
    return f"{meeting_id}@{domain}"


def meeting_id_of(event_uid: str, domain: str = DEFAULT_DOMAIN) -> str:
    """The meeting id inside one of our UIDs; a UID of another system is refused."""
    local, at, host = str(event_uid).strip().rpartition("@")
    if not at or host.lower() != domain.lower() or not local.startswith("mt-"):
        raise ValidationFailed("meetings.ical_bad_uid", uid=str(event_uid)[:120])
    return local


def address(person_id: str, domain: str = DEFAULT_DOMAIN,
            emails: Mapping[str, str] | None = None) -> str:
    """``mailto:`` of a person: their directory email, else their id at the domain."""
    email = (emails or {}).get(person_id, "").strip()
    return f"mailto:{email}" if email else f"mailto:{person_id}@{domain}"


def person_of(value: str, domain: str = DEFAULT_DOMAIN,
              emails: Mapping[str, str] | None = None) -> str:
    """The person id an address names ('' if none): ``mailto:<id>@<domain>`` or a
    directory email (case-insensitive)."""
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    for person_id, email in (emails or {}).items():
        if email and email.strip().lower() == text:
            return person_id
    local, at, host = text.rpartition("@")
    return local if at and host == domain.lower() and local else ""


def _text(value: Any) -> str:
    return str(value or "").strip()


@dataclass(frozen=True)
class Attendee:
    person_id: str
    name: str
    role: str  # RFC 5545 ROLE
    partstat: str  # '' when the reader may not see the reply
    delegated_to: str = ""  # person id
    delegated_from: str = ""  # person id


def attendees(meeting: Mapping[str, Any], nominations: Iterable[Mapping[str, Any]],
              replies: Iterable[Mapping[str, Any]], *, complete: bool = True,
              reader: str = "") -> list[Attendee]:
    """Every invited person (nominees and substitutes included) with their PARTSTAT from
    ``replies`` (those the reader may see), then the 工作人员 as NON-PARTICIPANT.
    ``complete``: the reader sees every reply, so one without a reply NEEDS-ACTION;
    otherwise that is said only of the ``reader`` themself."""
    reps = [r for r in replies if r.get("meeting_id") == meeting["id"]]
    invited = M.invitations(meeting, nominations, reps)
    by_person = {str(r.get("person_id")): r for r in reps}
    chair = _text(meeting.get("chair_id"))
    out = []
    for inv in invited.values():
        rep = by_person.get(inv.person_id)
        answer = str(rep.get("answer") or "") if rep else ""
        if rep is not None:
            partstat = PARTSTAT_OF.get(answer, NEEDS_ACTION)
        else:
            partstat = NEEDS_ACTION if complete or inv.person_id == reader else ""
        role = "CHAIR" if inv.person_id == chair else ROLE_OF.get(inv.role, "REQ-PARTICIPANT")
        to = str(rep.get("substitute_id") or "") if rep and answer == M.SUBSTITUTE else ""
        out.append(Attendee(inv.person_id, inv.name, role, partstat, delegated_to=to,
                            delegated_from=inv.on_behalf_of_id))
    for person in meeting.get("staff") or ():
        if person["id"] not in invited:
            out.append(Attendee(person["id"], person["name"], "NON-PARTICIPANT", ""))
    return out


def location(meeting: Mapping[str, Any]) -> str:
    """The room (and its booking's room name), the outside place, the video link."""
    parts = [_text(meeting.get("room_name")), _text(meeting.get("place")),
             _text(meeting.get("video_url"))]
    return "；".join(dict.fromkeys(p for p in parts if p))


def description(meeting: Mapping[str, Any]) -> str:
    lines = []
    if _text(meeting.get("notes")):
        lines.append(_text(meeting.get("notes")))
    if meeting.get("state") == M.CANCELLED and _text(meeting.get("cancel_reason")):
        lines.append(f"取消原因：{_text(meeting.get('cancel_reason'))}")
    if _text(meeting.get("host_body_name")):
        lines.append(f"主办单位：{_text(meeting.get('host_body_name'))}")
    contact = " ".join(p for p in (_text(meeting.get("contact_name")),
                                   _text(meeting.get("contact_phone"))) if p)
    if contact:
        lines.append(f"联系人：{contact}")
    if meeting.get("reply_by"):
        when = parse_time(meeting["reply_by"]).astimezone(ZONE)
        lines.append(f"回执截止：{when:%Y-%m-%d %H:%M}")
    return "\n".join(lines)


def _who(person_id: str, name: str, domain: str, emails: Mapping[str, str] | None
         ) -> icalendar.vCalAddress:
    import icalendar

    who = icalendar.vCalAddress(address(person_id, domain, emails))
    if name:
        who.params["CN"] = name
    return who


def event(meeting: Mapping[str, Any], nominations: Iterable[Mapping[str, Any]],
          replies: Iterable[Mapping[str, Any]], *, now: dt.datetime,
          domain: str = DEFAULT_DOMAIN, emails: Mapping[str, str] | None = None,
          complete: bool = True, reader: str = "") -> icalendar.Event:
    """The meeting's VEVENT (see the module docstring)."""
    import icalendar

    ev = icalendar.Event()
    ev.add("uid", uid(str(meeting["id"]), domain))
    ev.add("dtstamp", now.astimezone(dt.UTC))
    ev.add("sequence", int(meeting.get("sequence") or 0))
    ev.add("dtstart", parse_time(meeting["start"]).astimezone(ZONE))
    ev.add("dtend", parse_time(meeting["end"]).astimezone(ZONE))
    if meeting.get("updated_at"):
        ev.add("last-modified", parse_time(meeting["updated_at"]).astimezone(dt.UTC))
    if meeting.get("created_at"):
        ev.add("created", parse_time(meeting["created_at"]).astimezone(dt.UTC))
    ev.add("summary", _text(meeting.get("subject")))
    if location(meeting):
        ev.add("location", location(meeting))
    if description(meeting):
        ev.add("description", description(meeting))
    if _text(meeting.get("video_url")):
        ev.add("url", _text(meeting.get("video_url")))
    if _text(meeting.get("kind")):
        ev.add("categories", [_text(meeting.get("kind"))])
    cancelled = meeting.get("state") == M.CANCELLED
    ev.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    ev.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    organiser = _text(meeting.get("organiser_id"))
    if organiser:
        ev.add("organizer", _who(organiser, _text(meeting.get("organiser_name")), domain, emails))
    for person in attendees(meeting, nominations, replies, complete=complete, reader=reader):
        who = _who(person.person_id, person.name, domain, emails)
        who.params["CUTYPE"] = "INDIVIDUAL"
        who.params["ROLE"] = person.role
        if person.partstat:
            who.params["PARTSTAT"] = person.partstat
        if person.role != "NON-PARTICIPANT" and not cancelled:
            who.params["RSVP"] = "TRUE"
        if person.delegated_to:
            who.params["DELEGATED-TO"] = address(person.delegated_to, domain, emails)
        if person.delegated_from:
            who.params["DELEGATED-FROM"] = address(person.delegated_from, domain, emails)
        ev.add("attendee", who, encode=False)
    if not cancelled:
        for before, words in ALARMS:
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -before)
            alarm.add("description", f"{words}：{_text(meeting.get('subject'))}")
            ev.add_component(alarm)
    return ev


def _calendar(method: str, name: str = "") -> icalendar.Calendar:
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
        cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    return cal


def _finish(cal: icalendar.Calendar, starts: Iterable[dt.datetime]) -> bytes:
    first = min(starts, default=None)
    if first is not None:
        # The VTIMEZONE from a year before the earliest meeting (Shanghai has had no
        # daylight saving since 1991: the block stays short).
        cal.add_missing_timezones(first_date=dt.date(first.year - 1, 1, 1),
                                  last_date=dt.date(first.year + 2, 1, 1))
    return bytes(cal.to_ical())


def meeting_ics(meeting: Mapping[str, Any], nominations: Iterable[Mapping[str, Any]] = (),
                replies: Iterable[Mapping[str, Any]] = (), *, now: dt.datetime,
                domain: str = DEFAULT_DOMAIN, emails: Mapping[str, str] | None = None,
                complete: bool = True, reader: str = "") -> bytes:
    """One meeting for a calendar app: ``METHOD:REQUEST``, or ``CANCEL`` once cancelled."""
    method = "CANCEL" if meeting.get("state") == M.CANCELLED else "REQUEST"
    cal = _calendar(method)
    cal.add_component(event(meeting, list(nominations), list(replies), now=now, domain=domain,
                            emails=emails, complete=complete, reader=reader))
    return _finish(cal, [parse_time(meeting["start"])])


@dataclass(frozen=True)
class FeedEntry:
    """One meeting of a subscription, with what the reader may see of it."""

    meeting: Mapping[str, Any]
    nominations: tuple[Mapping[str, Any], ...] = ()
    replies: tuple[Mapping[str, Any], ...] = ()
    #: The reader sees every reply of it (an organiser).
    complete: bool = False


def in_feed(meeting: Mapping[str, Any], now: dt.datetime) -> bool:
    """Not a draft, and not ended more than :data:`FEED_PAST` ago."""
    return (meeting.get("state") != M.DRAFT
            and parse_time(meeting["end"]) >= now - FEED_PAST)


def feed_ics(entries: Iterable[FeedEntry], *, now: dt.datetime, name: str, reader: str = "",
             domain: str = DEFAULT_DOMAIN, emails: Mapping[str, str] | None = None) -> bytes:
    """A person's subscription (``METHOD:PUBLISH``): every entry :func:`in_feed`, by start."""
    chosen = sorted((e for e in entries if in_feed(e.meeting, now)),
                    key=lambda e: (parse_time(e.meeting["start"]), str(e.meeting["id"])))
    cal = _calendar("PUBLISH", name)
    for entry in chosen:
        cal.add_component(event(entry.meeting, entry.nominations, entry.replies, now=now,
                                domain=domain, emails=emails, complete=entry.complete,
                                reader=reader))
    return _finish(cal, [parse_time(e.meeting["start"]) for e in chosen])


def filename(meeting: Mapping[str, Any]) -> str:
    """A file name for the export: the date and the subject, no path characters."""
    day = parse_time(meeting["start"]).astimezone(ZONE).strftime("%Y%m%d")
    subject = "".join(c for c in _text(meeting.get("subject")) if c not in '\\/:*?"<>|\r\n\t')
    return f"{day}-{subject[:40] or meeting['id']}.ics"
