"""Meetings (会议) and their replies (回执): pure rules, no Qt, no HTTP, no database.

The client (optimistically, offline too) and the server (authoritatively) decide with
these functions; the effects that build records are in ``modules.meetings.intents``.

States: ``draft`` (only the organisers see it) → ``published`` (会议通知 sent; every later
change is an explicit update that raises ``sequence``, the iCalendar SEQUENCE, and
records what changed) → ``held`` (a published meeting whose start has passed; derived,
see :func:`phase`) → ``closed`` (the organiser closed it: replies stop); or
``cancelled`` (with a reason) from draft or published.

Who is invited (:func:`invitations`): the people named as invitees (出席) and 列席; the
people an invited body nominated (:data:`NOMINATION` records); and the substitute (代会)
named in a still-invited person's reply. 工作人员 see the meeting but do not reply.

Replies (:data:`REPLY` records, one per meeting and person): ``attend``; ``decline``
with a reason (请假); ``substitute`` naming someone from the directory, who then is an
invitee and answers in turn (a substitute cannot pass the meeting on again). A reply may
be changed until the meeting closes; one after the 回执 deadline is marked ``late``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from modules.common import messages
from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.meetings import policy
from modules.meetings.rules import CHINA, parse_time

MEETING = "meetings.meeting"
REPLY = "meetings.reply"
NOMINATION = "meetings.nomination"

DRAFT, PUBLISHED, HELD, CLOSED, CANCELLED = "draft", "published", "held", "closed", "cancelled"
FINAL = frozenset({CLOSED, CANCELLED})
STATE_WORDS = {
    DRAFT: ("草稿", "draft"), PUBLISHED: ("已发布", "published"), HELD: ("已召开", "held"),
    CLOSED: ("已结束", "closed"), CANCELLED: ("已取消", "cancelled"),
}

ATTEND, DECLINE, SUBSTITUTE, PENDING = "attend", "decline", "substitute", "pending"
ANSWER_WORDS = {
    ATTEND: ("参加", "attending"), DECLINE: ("请假", "excused"),
    SUBSTITUTE: ("代会", "sends a substitute"), PENDING: ("未回执", "not answered"),
}

#: Roles of an invited person.
INVITEE, OBSERVER, NOMINEE, SUBSTITUTE_ROLE = "invitee", "observer", "nominee", "substitute"
ROLE_WORDS = {INVITEE: ("出席", "attendee"), OBSERVER: ("列席", "observer"),
              NOMINEE: ("单位报名", "nominated"), SUBSTITUTE_ROLE: ("代会", "substitute")}

#: The deployment's list of meeting types, published to every device (record ``all``).
KINDS = "meetings.kinds"

#: Meeting types offered by default (a deployment may configure its own list: the
#: server setting ``meeting_kinds``, published as the :data:`KINDS` record).
MEETING_KINDS: tuple[str, ...] = (
    "办公会", "专题会", "常务会议", "党组会议", "局务会议", "座谈会", "视频会议", "协调会",
    "培训会", "其他",
)

#: Fields whose change after publishing is an update everyone is told about.
NOTIFIED_FIELDS: tuple[str, ...] = (
    "subject", "kind", "chair_id", "host_body_id", "start", "end", "booking_id", "place",
    "video_url", "invitees", "bodies", "observers", "staff", "reply_by", "contact_id",
    "contact_phone", "notes",
)
FIELD_WORDS = {
    "subject": "会议名称", "kind": "会议类型", "chair_id": "主持人", "host_body_id": "主办单位",
    "start": "开始时间", "end": "结束时间", "booking_id": "会议室", "place": "地点",
    "video_url": "视频会议链接", "invitees": "参会人员", "bodies": "参会单位",
    "observers": "列席人员", "staff": "工作人员", "reply_by": "回执截止时间",
    "contact_id": "联系人", "contact_phone": "联系电话", "notes": "其他事项",
    "agenda": "会议议题",
}

MAX_DAYS = 7

messages.register({
    "meetings.meeting_not_found": {
        "zh_CN": "找不到该会议（{meeting_id}）。",
        "en": "No such meeting ({meeting_id}).",
    },
    "meetings.unknown_kind": {
        "zh_CN": "会议类型“{kind}”不在可选列表中（可选：{kinds}）。",
        "en": "The meeting type '{kind}' is not in the list ({kinds}).",
    },
    "meetings.unknown_person": {
        "zh_CN": "通讯录中找不到人员（{id}）。",
        "en": "No person {id} in the directory.",
    },
    "meetings.unknown_body": {
        "zh_CN": "通讯录中找不到单位（{id}）。",
        "en": "No body {id} in the directory.",
    },
    "meetings.bad_meeting_time": {
        "zh_CN": "会议时间无效：{reason}",
        "en": "The meeting time is not valid: {reason_en}",
    },
    "meetings.booking_unusable": {
        "zh_CN": "所选会议室预订（{room}）已{state}，不能用于本次会议。",
        "en": "The room booking ({room}) is {state_en}; it cannot hold this meeting.",
    },
    "meetings.booking_mismatch": {
        "zh_CN": "所选会议室预订的时间为{start}至{end}，未覆盖会议时间。",
        "en": "The room booking runs from {start} to {end}, which does not cover the meeting.",
    },
    "meetings.not_ready": {
        "zh_CN": "会议尚不能发布：{reason}",
        "en": "The meeting cannot be published yet: {reason_en}",
    },
    "meetings.meeting_state": {
        "zh_CN": "该会议{state}，不能{attempt}。",
        "en": "The meeting is {state_en}; it cannot be {attempt_en}.",
    },
    "meetings.change_note_required": {
        "zh_CN": "会议已发布，修改须写明变更说明（将通知所有参会人员）。",
        "en": "The meeting is published: say what changes (everyone is told again).",
    },
    "meetings.reason_required": {
        "zh_CN": "请填写{what}。",
        "en": "Please give {what_en}.",
    },
    "meetings.not_organiser": {
        "zh_CN": "只有{body}的办公室秘书可以组织该会议。",
        "en": "Only a secretary of {body} may organise this meeting.",
    },
    "meetings.not_invited": {
        "zh_CN": "您未被邀请参加“{subject}”，不能回执。",
        "en": "You are not invited to '{subject}'; you cannot reply.",
    },
    "meetings.bad_substitute": {
        "zh_CN": "不能指定该代会人员：{reason}",
        "en": "That substitute cannot be named: {reason_en}",
    },
    "meetings.body_not_invited": {
        "zh_CN": "{body}不是“{subject}”的参会单位。",
        "en": "{body} is not invited to '{subject}'.",
    },
    "meetings.not_nominator": {
        "zh_CN": "只有{body}的收发员或领导可以确定其参会人员。",
        "en": "Only a registry clerk or leader of {body} may name its attendees.",
    },
    "meetings.nominee_not_member": {
        "zh_CN": "{name}不是{body}的人员。",
        "en": "{name} is not one of the people of {body}.",
    },
})


# --------------------------------------------------------------------------- states


def phase(meeting: Mapping[str, Any], now: dt.datetime) -> str:
    """The state as shown: a published meeting whose start has passed is ``held``."""
    state = str(meeting.get("state") or DRAFT)
    if state == PUBLISHED and now >= parse_time(meeting["start"]):
        return HELD
    return state


def check_state(meeting: Mapping[str, Any], allowed: Iterable[str], attempt: tuple[str, str]) -> None:
    """Raise ``meetings.meeting_state`` unless the stored state is one of ``allowed``."""
    state = str(meeting.get("state") or DRAFT)
    if state not in set(allowed):
        zh, en = STATE_WORDS.get(state, (state, state))
        raise Conflict("meetings.meeting_state", state=zh, state_en=en, attempt=attempt[0],
                       attempt_en=attempt[1])


def kinds_of(record: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The configured meeting types from the :data:`KINDS` record (the defaults when
    there is none or it is empty)."""
    kinds = tuple(str(k) for k in (record or {}).get("kinds") or () if str(k).strip())
    return kinds or MEETING_KINDS


def check_kind(kind: str, kinds: Sequence[str] = MEETING_KINDS) -> None:
    if kind not in kinds:
        raise ValidationFailed("meetings.unknown_kind", kind=kind, kinds="、".join(kinds))


def _bad_time(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed("meetings.bad_meeting_time", reason=zh, reason_en=en)


def check_times(start: dt.datetime, end: dt.datetime, reply_by: dt.datetime | None) -> None:
    """Raise in words unless the end follows the start (at most :data:`MAX_DAYS` days
    later) and the 回执 deadline, if any, is not after the start."""
    if end <= start:
        raise _bad_time("结束时间须晚于开始时间", "the end must be after the start")
    if end - start > dt.timedelta(days=MAX_DAYS):
        raise _bad_time(f"会期最长{MAX_DAYS}天", f"at most {MAX_DAYS} days")
    if reply_by is not None and reply_by > start:
        raise _bad_time("回执截止时间须早于会议开始", "the reply deadline must come before the start")


def check_booking(booking: Mapping[str, Any], start: dt.datetime, end: dt.datetime) -> None:
    """Raise unless the room booking holds its room (``held`` or ``confirmed``) over the
    whole meeting."""
    from modules.meetings import rules as R

    state = str(booking.get("state") or "")
    if state not in R.BLOCKING:
        zh, en = R.STATE_WORDS.get(state, (state, state))
        raise ValidationFailed("meetings.booking_unusable", room=str(booking.get("room_name") or ""),
                               state=zh, state_en=en)
    b_start, b_end = parse_time(booking["start"]), parse_time(booking["end"])
    if b_start > start or b_end < end:
        raise ValidationFailed("meetings.booking_mismatch", start=R.words(b_start),
                               end=R.words(b_end, with_date=False))


def check_ready(meeting: Mapping[str, Any], now: dt.datetime) -> None:
    """Raise ``meetings.not_ready`` unless a draft can be published: it is in the future,
    has a place (a room, an outside place or a video link) and someone to invite."""
    if parse_time(meeting["start"]) <= now:
        raise ValidationFailed("meetings.not_ready", reason="会议开始时间已过",
                               reason_en="its start has passed")
    if not (meeting.get("booking_id") or meeting.get("place") or meeting.get("video_url")):
        raise ValidationFailed("meetings.not_ready", reason="未指定会议室、地点或视频会议链接",
                               reason_en="it has no room, place or video link")
    if not (meeting.get("invitees") or meeting.get("bodies") or meeting.get("observers")):
        raise ValidationFailed("meetings.not_ready", reason="未指定参会人员或参会单位",
                               reason_en="nobody is invited")


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """The :data:`NOTIFIED_FIELDS` that differ between two versions of a meeting."""
    return [f for f in NOTIFIED_FIELDS if old.get(f) != new.get(f)]


def change_words(fields: Iterable[str]) -> str:
    """``会议时间、地点`` for a list of changed fields."""
    return "、".join(FIELD_WORDS.get(f, f) for f in fields)


# --------------------------------------------------------------------------- who is invited


@dataclass(frozen=True)
class Invitation:
    """One person expected to reply."""

    person_id: str
    name: str
    role: str  # INVITEE, OBSERVER, NOMINEE or SUBSTITUTE_ROLE
    via_body_id: str = ""  # the body that nominated them
    on_behalf_of_id: str = ""  # whom a substitute stands in for
    on_behalf_of_name: str = ""


def reply_id(meeting_id: str, person_id: str) -> str:
    return f"{meeting_id}:{person_id}"


def nomination_id(meeting_id: str, body_id: str) -> str:
    return f"{meeting_id}:{body_id}"


def invitations(meeting: Mapping[str, Any], nominations: Iterable[Mapping[str, Any]],
                replies: Iterable[Mapping[str, Any]]) -> dict[str, Invitation]:
    """Everyone expected to reply, by person id, in order: invitees, 列席, nominees of
    invited bodies, then the substitutes named by any of those."""
    out: dict[str, Invitation] = {}
    for person in meeting.get("invitees") or ():
        out.setdefault(person["id"], Invitation(person["id"], person["name"], INVITEE))
    for person in meeting.get("observers") or ():
        out.setdefault(person["id"], Invitation(person["id"], person["name"], OBSERVER))
    bodies = {b["id"] for b in meeting.get("bodies") or ()}
    for nom in sorted(nominations, key=lambda n: str(n.get("body_id"))):
        if nom.get("meeting_id") != meeting["id"] or nom.get("body_id") not in bodies:
            continue
        for person in nom.get("nominees") or ():
            out.setdefault(person["id"], Invitation(person["id"], person["name"], NOMINEE,
                                                    via_body_id=str(nom["body_id"])))
    base = dict(out)
    for rep in sorted(replies, key=lambda r: str(r.get("id"))):
        who = base.get(str(rep.get("person_id") or ""))
        if rep.get("meeting_id") != meeting["id"] or who is None or rep.get("answer") != SUBSTITUTE:
            continue
        sub = str(rep.get("substitute_id") or "")
        if sub and sub not in out:
            out[sub] = Invitation(sub, str(rep.get("substitute_name") or ""), SUBSTITUTE_ROLE,
                                  on_behalf_of_id=who.person_id, on_behalf_of_name=who.name)
    return out


def involved(meeting: Mapping[str, Any], invited: Iterable[str]) -> set[str]:
    """Every person the meeting reaches in person: the invited, 工作人员, the chair, the
    contact person, the organiser who made it, and each agenda item's presenter and
    attendees (列席本议题; they see the meeting but are not asked to reply)."""
    people = set(invited) | {p["id"] for p in meeting.get("staff") or ()}
    for item in meeting.get("agenda") or ():
        people |= {str(item.get("presenter_id") or "")}
        people |= {p["id"] for p in item.get("attendees") or ()}
    people |= {str(meeting.get(k) or "") for k in ("chair_id", "contact_id", "organiser_id")}
    return people - {""}


def check_reply(meeting: Mapping[str, Any], invited: Mapping[str, Invitation], person_id: str,
                answer: str, reason: str, substitute_id: str) -> Invitation:
    """The replier's invitation, or the refusal in words: the meeting must be published
    (not closed or cancelled), the replier invited, a 请假 must give a reason, and a
    substitute must be someone else not already invited (and not a substitute's own)."""
    check_state(meeting, (PUBLISHED,), ("回执", "answered"))
    me = invited.get(person_id)
    if me is None or not policy.may_reply_as(person_id, invited):
        raise PermissionDenied("meetings.not_invited", subject=str(meeting.get("subject") or ""))
    if answer == DECLINE and not reason.strip():
        raise ValidationFailed("meetings.reason_required", what="请假事由", what_en="a reason")
    if answer == SUBSTITUTE:
        if me.role == SUBSTITUTE_ROLE:
            raise ValidationFailed("meetings.bad_substitute", reason="代会人员不能再委托他人",
                                   reason_en="a substitute cannot pass it on")
        if not substitute_id or substitute_id == person_id:
            raise ValidationFailed("meetings.bad_substitute", reason="请选择另一位人员",
                                   reason_en="choose someone else")
        other = invited.get(substitute_id)
        if other is not None and other.on_behalf_of_id != person_id:
            raise ValidationFailed("meetings.bad_substitute", reason=f"{other.name}已在参会名单中",
                                   reason_en=f"{other.name} is invited already")
    return me


def is_late(meeting: Mapping[str, Any], now: dt.datetime) -> bool:
    """Whether the 回执 deadline has passed."""
    reply_by = meeting.get("reply_by")
    return bool(reply_by) and now > parse_time(reply_by)


# --------------------------------------------------------------------------- tally


@dataclass(frozen=True)
class TallyRow:
    person_id: str
    name: str
    role: str
    answer: str  # ATTEND, DECLINE, SUBSTITUTE or PENDING
    reason: str = ""
    substitute_name: str = ""
    on_behalf_of_name: str = ""
    via_body_id: str = ""
    late: bool = False


@dataclass(frozen=True)
class Tally:
    """The organiser's live count of the 回执."""

    rows: tuple[TallyRow, ...] = ()
    attending: int = 0
    declined: int = 0
    substitutes: int = 0
    pending: int = 0
    #: Invited bodies that have not named their attendees yet (body ids).
    bodies_pending: tuple[str, ...] = ()
    deadline_passed: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def not_answered(self) -> tuple[TallyRow, ...]:
        return tuple(r for r in self.rows if r.answer == PENDING)


def tally(meeting: Mapping[str, Any], nominations: Iterable[Mapping[str, Any]],
          replies: Iterable[Mapping[str, Any]], now: dt.datetime) -> Tally:
    """Who attends, who is excused, who sent a substitute (the substitute is a row of
    their own), who has not answered, which invited bodies have not nominated, and
    whether the 回执 deadline has passed."""
    noms = [n for n in nominations if n.get("meeting_id") == meeting["id"]]
    reps = [r for r in replies if r.get("meeting_id") == meeting["id"]]
    invited = invitations(meeting, noms, reps)
    by_person = {str(r.get("person_id")): r for r in reps}
    rows = []
    for inv in invited.values():
        rep = by_person.get(inv.person_id) or {}
        rows.append(TallyRow(
            inv.person_id, inv.name, inv.role, str(rep.get("answer") or PENDING),
            reason=str(rep.get("reason") or ""), substitute_name=str(rep.get("substitute_name") or ""),
            on_behalf_of_name=inv.on_behalf_of_name, via_body_id=inv.via_body_id,
            late=bool(rep.get("late"))))
    counts = {a: sum(1 for r in rows if r.answer == a) for a in (ATTEND, DECLINE, SUBSTITUTE, PENDING)}
    named = {n.get("body_id") for n in noms if n.get("nominees")}
    return Tally(
        rows=tuple(rows), attending=counts[ATTEND], declined=counts[DECLINE],
        substitutes=counts[SUBSTITUTE], pending=counts[PENDING],
        bodies_pending=tuple(b["id"] for b in meeting.get("bodies") or () if b["id"] not in named),
        deadline_passed=is_late(meeting, now), counts=counts)


# --------------------------------------------------------------------------- lists


def bucket(meeting: Mapping[str, Any], now: dt.datetime) -> str:
    """``today`` (on the China-time day of ``now``, not over), ``upcoming`` or ``past``
    (over, or closed). A cancelled meeting stays where its time puts it (shown 已取消)."""
    start, end = parse_time(meeting["start"]), parse_time(meeting["end"])
    if end <= now or meeting.get("state") == CLOSED:
        return "past"
    today = now.astimezone(CHINA).date()
    if start.astimezone(CHINA).date() <= today:
        return "today"
    return "upcoming"
