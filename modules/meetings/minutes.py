"""Minutes (会议纪要) of a meeting and what they decide (议定事项): pure rules.

**The minutes document.** From a held (or closed) meeting its organiser starts the
会议纪要 as an official document of the documents module, in its 纪要 type and layout:
:func:`minutes_spec` prefills it — title ``<subject>纪要``, time, place and chair, the
agenda items (``meeting["agenda"]`` when present, read defensively), and the 出席 / 列席 /
请假 lists of :func:`attendance_lists` (from the replies and check-ins). The document
then goes through the ordinary documents workflow (核稿, 签发, 登记, 核发 …). The meeting
records ``minutes_document_id``; the document names its meeting (``meeting_id`` on the
document record; server: ``Document.source_id`` with ``source_role = "mt"``).

``meetings.start_minutes`` is **one online intent composed on the server** (not the
client sending ``documents.create_draft`` and then a link intent): the server derives
the attendance from the authoritative replies and check-ins (an organiser's cache may
lag), and the draft and the meeting's link to it are written in one transaction, so
there is never an orphan draft nor a meeting pointing at a document that failed. The
handler (``server.meetings.minutes_mutations``) reuses the documents module's own
``documents.create_draft`` handler for the draft — same policy (a post in the host
organ), same normalised spec, revision, audit and feed.

**Decisions** (议定事项) are structured items stored with the meeting's minutes, in the
meeting record (``meeting["decisions"]``): what, lead unit (牵头单位), co-units (协办单位)
and a deadline — a date, or N working days (counted by supervision from the day it is
registered). The organiser adds, edits and removes them while the meeting is held or
closed; a decision already sent to supervision is fixed.

**Sending to supervision** (``meetings.send_decision``): once the minutes document is
issued (it has its number, or its flow is finished), the 督查室 staff of the host organ
send a decision to supervision: it becomes a 督办 item (``supervision.register`` on the
server with source ``meeting``, the meeting as its source and a link to the decision
and the minutes document). The item's id is derived from the decision's
(:func:`item_id_for`), so sending twice never makes two items; the decision keeps the
item's number and state as they were when sent (the screen shows the live state when
the device has the item).
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field

from modules.common import messages
from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import Conflict, NotFound, ValidationFailed
from modules.common.intents import IntentArgs
from modules.common.text import MANY_LINES
from modules.meetings import checkin as C
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings.rules import CHINA, parse_time

MEETING_ID = r"^mt-[0-9a-z-]{4,24}$"
DOC_ID = r"^d-[0-9a-z-]{4,36}$"
DECISION_ID = r"^dc-[0-9a-z-]{4,36}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
MAX_DECISIONS = 100
#: Layout and type of the minutes document (modules.documents.rules).
DOC_TYPE, LAYOUT = "纪要", "minutes"

messages.register({
    "meetings.minutes_not_yet": {
        "zh_CN": "会议尚未召开（{state}），不能起草会议纪要或登记议定事项。",
        "en": "The meeting has not been held yet ({state_en}); no minutes or decisions yet.",
    },
    "meetings.minutes_exist": {
        "zh_CN": "该会议已有会议纪要（{document_id}）。",
        "en": "This meeting already has its minutes ({document_id}).",
    },
    "meetings.decision_not_found": {
        "zh_CN": "找不到该议定事项（{decision_id}）。",
        "en": "No such decision ({decision_id}).",
    },
    "meetings.decision_exists": {
        "zh_CN": "该议定事项已登记（{decision_id}）。",
        "en": "This decision is already recorded ({decision_id}).",
    },
    "meetings.decision_sent": {
        "zh_CN": "该议定事项已转督办（{number}），不能再修改或删除。",
        "en": "This decision was sent to supervision ({number}); it can no longer change.",
    },
    "meetings.decision_deadline": {
        "zh_CN": "议定事项的完成时限须为一个日期或工作日天数（二者选一）。",
        "en": "Give the decision's deadline as a date or a number of working days (one of them).",
    },
    "meetings.too_many_decisions": {
        "zh_CN": "一次会议最多登记{n}项议定事项。",
        "en": "A meeting records at most {n} decisions.",
    },
    "meetings.minutes_not_issued": {
        "zh_CN": "会议纪要尚未印发（须完成登记编号），议定事项暂不能转督办。",
        "en": "The minutes are not issued yet (they need their number); decisions cannot go "
              "to supervision yet.",
    },
    "meetings.no_minutes": {
        "zh_CN": "该会议尚未起草会议纪要。",
        "en": "This meeting has no minutes yet.",
    },
})


# --------------------------------------------------------------------------- intents' args


class StartMinutesArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    #: The new draft's id (made by the client, like documents.create_draft's).
    document_id: str = Field(pattern=DOC_ID)


UnitId = Annotated[str, Field(min_length=1, max_length=40)]


class DecisionArgs(IntentArgs):
    """Add (``meetings.add_decision``) or replace (``meetings.edit_decision``) a decision."""

    meeting_id: str = Field(pattern=MEETING_ID)
    decision_id: str = Field(pattern=DECISION_ID)
    what: Annotated[str, Field(min_length=1, max_length=2000), MANY_LINES]
    lead_unit_id: UnitId
    co_unit_ids: list[UnitId] = Field(default_factory=list, max_length=20)
    #: Exactly one of: a date, or N working days.
    due: str | None = Field(default=None, pattern=DATE)
    deadline_days: int | None = Field(default=None, ge=1, le=365)


class RemoveDecisionArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    decision_id: str = Field(pattern=DECISION_ID)


class SendDecisionArgs(IntentArgs):
    """Send one decision to supervision (the 督查室 of the meeting's host organ)."""

    meeting_id: str = Field(pattern=MEETING_ID)
    decision_id: str = Field(pattern=DECISION_ID)
    grade: str = Field(default="normal", pattern=r"^(normal|important|urgent)$")
    leader_id: str = Field(default="", max_length=40)
    cycle: str = Field(default="none", pattern=r"^(none|weekly|working_days|monthly)$")


# --------------------------------------------------------------------------- attendance


def _role_of(inv: M.Invitation | None, checkin: Mapping[str, Any] | None) -> str:
    if inv is not None:
        return inv.role
    return str((checkin or {}).get("role") or "")


def attendance_lists(meeting: Mapping[str, Any], invited: Mapping[str, M.Invitation],
                     replies: Iterable[Mapping[str, Any]],
                     checkins: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The 出席 / 列席 / 请假 name lists of the minutes (``present``, ``attending``,
    ``absent`` as the 纪要 spec calls them).

    - Present: whoever checked in. When the meeting used no check-in at all, whoever
      replied that they attend (a substitute shown as ``张三（代李四）``).
    - 列席: the meeting's 列席 people present, and people checked in who were not
      invited (guests, by hand).
    - 请假: invitees who declined (the reason stays out: the minutes are a document many
      read, the reason was for the organiser). Someone who sent a substitute is not
      listed (the substitute stands for them); someone absent without a word is not
      listed either — the organiser completes the draft.
    """
    mine_checkins = [c for c in checkins if c.get("meeting_id") == meeting["id"]]
    used_checkin = bool(mine_checkins)
    rows = C.attendance(meeting, invited, replies, mine_checkins).rows
    answers = {str(r.get("person_id")): r for r in replies if r.get("meeting_id") == meeting["id"]}
    by_key = {str(c.get("person_key") or c.get("person_id")): c for c in mine_checkins}
    present: list[str] = []
    attending: list[str] = []
    absent: list[str] = []

    def label(key: str, name: str) -> str:
        inv = invited.get(key)
        if inv is not None and inv.role == M.SUBSTITUTE_ROLE and inv.on_behalf_of_name:
            return f"{name}（代{inv.on_behalf_of_name}）"
        return name

    for row in rows:
        inv = invited.get(row.person_key)
        role = _role_of(inv, by_key.get(row.person_key))
        here = row.status in (C.PRESENT, C.LATE) if used_checkin else (
            str((answers.get(row.person_key) or {}).get("answer") or "") == M.ATTEND)
        if here:
            target = attending if role in (M.OBSERVER, "") else present
            target.append(label(row.person_key, row.name))
        elif str((answers.get(row.person_key) or {}).get("answer") or "") == M.DECLINE:
            absent.append(row.name)
    return {"present": present, "attending": attending, "absent": absent}


# --------------------------------------------------------------------------- the document


def _when_words(meeting: Mapping[str, Any]) -> str:
    start = parse_time(meeting["start"]).astimezone(CHINA)
    end = parse_time(meeting["end"]).astimezone(CHINA)
    day = f"{start.year}年{start.month}月{start.day}日"
    if start.date() == end.date():
        return f"{day} {start:%H:%M}—{end:%H:%M}"
    return f"{day} {start:%H:%M}—{end.year}年{end.month}月{end.day}日 {end:%H:%M}"


def place_words(meeting: Mapping[str, Any]) -> str:
    """The room, the outside place, or 视频会议."""
    return str(meeting.get("room_name") or meeting.get("place")
               or ("视频会议" if meeting.get("video_url") else ""))


_NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (up to 99)."""
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")


def agenda_lines(meeting: Mapping[str, Any]) -> list[str]:
    """``一、<title>（汇报：<presenter>）`` per agenda item, in order. ``meeting["agenda"]``
    is read defensively: a list of mappings with a title (``title`` / ``subject``), an
    optional order and presenter (``presenter_name`` / ``presenter``); anything else is
    skipped."""
    raw = meeting.get("agenda")
    if not isinstance(raw, list):
        return []
    items = [a for a in raw if isinstance(a, Mapping)
             and str(a.get("title") or a.get("subject") or "").strip()]

    def order(a: Mapping[str, Any]) -> tuple[int, int]:
        value = a.get("order")
        return (int(value) if isinstance(value, int) and not isinstance(value, bool) else 10**6,
                items.index(a))

    out = []
    for i, item in enumerate(sorted(items, key=order), start=1):
        title = str(item.get("title") or item.get("subject") or "").strip()
        presenter = item.get("presenter_name") or item.get("presenter") or ""
        if isinstance(presenter, Mapping):
            presenter = presenter.get("name") or ""
        who = f"（汇报：{str(presenter).strip()}）" if str(presenter).strip() else ""
        out.append(f"{numeral(min(i, 99))}、{title}{who}")
    return out


def deadline_words(decision: Mapping[str, Any]) -> str:
    if decision.get("due"):
        day = dt.date.fromisoformat(str(decision["due"]))
        return f"{day.year}年{day.month}月{day.day}日前"
    if decision.get("deadline_days"):
        return f"{decision['deadline_days']}个工作日内"
    return ""


def decision_line(n: int, decision: Mapping[str, Any]) -> str:
    """``（一）<what>（牵头单位：…；协办单位：…；完成时限：…）``"""
    parts = [f"牵头单位：{decision.get('lead_unit_name') or ''}"]
    co = "、".join(str(c.get("name") or "") for c in decision.get("co_units") or ())
    if co:
        parts.append(f"协办单位：{co}")
    if deadline_words(decision):
        parts.append(f"完成时限：{deadline_words(decision)}")
    what = " ".join(str(decision.get("what") or "").split())
    return f"（{numeral(min(n, 99))}）{what}（{'；'.join(parts)}）"


def minutes_spec(meeting: Mapping[str, Any], lists: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The prefilled 纪要 spec (the documents module's spec shape) of a meeting."""
    subject = str(meeting.get("subject") or "")
    kind = str(meeting.get("kind") or "会议")
    host = str(meeting.get("host_body_name") or "")
    body = [f"时间：{_when_words(meeting)}"]
    if place_words(meeting):
        body.append(f"地点：{place_words(meeting)}")
    if meeting.get("chair_name"):
        body.append(f"主持：{meeting['chair_name']}")
    agenda = agenda_lines(meeting)
    chair = str(meeting.get("chair_name") or "")
    intro = f"{_when_words(meeting).split(' ')[0]}，{chair + '主持' if chair else ''}召开{subject}"
    body.append(intro + ("，研究了以下议题：" if agenda else "。"))
    body.extend(agenda)
    decisions = list(meeting.get("decisions") or ())
    if decisions:
        body.append("会议议定事项如下：")
        body.extend(decision_line(i, d) for i, d in enumerate(decisions, start=1))
    return {
        "doc_type": DOC_TYPE, "layout": LAYOUT, "title": f"{subject}纪要"[:200],
        "issuer_mark": f"{host}{kind}纪要"[:60], "body": body,
        "present": list(lists.get("present") or ()), "attending": list(lists.get("attending") or ()),
        "absent": list(lists.get("absent") or ()), "signature": host,
    }


# --------------------------------------------------------------------------- checks


def require_organiser(actor: ActorFacts, host: BodyFacts) -> None:
    policy.require(policy.may_organise(actor, host), "meetings.not_organiser", body=host.name)


def check_held(meeting: Mapping[str, Any], now: dt.datetime) -> None:
    """Raise unless the meeting has been held (published and started) or is closed."""
    shown = M.phase(meeting, now)
    if shown not in (M.HELD, M.CLOSED):
        zh, en = M.STATE_WORDS.get(shown, (shown, shown))
        raise Conflict("meetings.minutes_not_yet", state=zh, state_en=en)


def check_can_start(meeting: Mapping[str, Any] | None, args: StartMinutesArgs, actor: ActorFacts,
                    host: BodyFacts, now: dt.datetime) -> Mapping[str, Any]:
    """The meeting, or the refusal: organisers only, held or closed, no minutes yet."""
    if meeting is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=args.meeting_id)
    require_organiser(actor, host)
    check_held(meeting, now)
    if meeting.get("minutes_document_id"):
        raise Conflict("meetings.minutes_exist", document_id=str(meeting["minutes_document_id"]))
    return meeting


def with_minutes(meeting: Mapping[str, Any], document_id: str, now: dt.datetime) -> dict[str, Any]:
    """The meeting record linked to its minutes document."""
    new = copy.deepcopy(dict(meeting))
    new["minutes_document_id"] = document_id
    new["minutes_started_at"] = _iso(now)
    new["updated_at"] = _iso(now)
    return new


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def find_decision(meeting: Mapping[str, Any], decision_id: str) -> dict[str, Any]:
    found = next((d for d in meeting.get("decisions") or () if d.get("id") == decision_id), None)
    if found is None:
        raise NotFound("meetings.decision_not_found", decision_id=decision_id)
    return dict(found)


def _check_not_sent(decision: Mapping[str, Any]) -> None:
    sent = decision.get("supervision")
    if sent:
        raise Conflict("meetings.decision_sent", number=str(sent.get("number") or sent.get("item_id")))


# --------------------------------------------------------------------------- effects


def save_decision(meeting: Mapping[str, Any] | None, args: DecisionArgs, actor: ActorFacts,
                  actor_name: str, host: BodyFacts, unit_names: Mapping[str, str],
                  now: dt.datetime, *, new: bool) -> dict[str, Any]:
    """The meeting with the decision added (``new``) or replaced. ``unit_names``:
    directory names of the lead and co-units (unknown ids are refused)."""
    if meeting is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=args.meeting_id)
    require_organiser(actor, host)
    check_held(meeting, now)
    if (args.due is None) == (args.deadline_days is None):
        raise ValidationFailed("meetings.decision_deadline")
    decisions = [dict(d) for d in meeting.get("decisions") or ()]
    index = next((i for i, d in enumerate(decisions) if d.get("id") == args.decision_id), None)
    if new and index is not None:
        raise Conflict("meetings.decision_exists", decision_id=args.decision_id)
    if not new and index is None:
        raise NotFound("meetings.decision_not_found", decision_id=args.decision_id)
    if new and len(decisions) >= MAX_DECISIONS:
        raise ValidationFailed("meetings.too_many_decisions", n=MAX_DECISIONS)
    before = decisions[index] if index is not None else {}
    if before:
        _check_not_sent(before)
    for unit in (args.lead_unit_id, *args.co_unit_ids):
        if not unit_names.get(unit):
            raise ValidationFailed("meetings.unknown_body", id=unit)
    co = [{"id": u, "name": unit_names[u]} for u in dict.fromkeys(args.co_unit_ids)
          if u != args.lead_unit_id]
    decision = {
        "id": args.decision_id, "what": args.what.strip(),
        "lead_unit_id": args.lead_unit_id, "lead_unit_name": unit_names[args.lead_unit_id],
        "co_units": co, "due": args.due, "deadline_days": args.deadline_days,
        "created_by": before.get("created_by") or actor.person_id,
        "created_by_name": before.get("created_by_name") or actor_name,
        "created_at": before.get("created_at") or _iso(now), "updated_at": _iso(now),
        "supervision": None,
    }
    if index is None:
        decisions.append(decision)
    else:
        decisions[index] = decision
    out = copy.deepcopy(dict(meeting))
    out.update(decisions=decisions, updated_at=_iso(now))
    return out


def remove_decision(meeting: Mapping[str, Any] | None, args: RemoveDecisionArgs,
                    actor: ActorFacts, host: BodyFacts, now: dt.datetime) -> dict[str, Any]:
    """The meeting without the decision (one sent to supervision stays)."""
    if meeting is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=args.meeting_id)
    require_organiser(actor, host)
    check_held(meeting, now)
    _check_not_sent(find_decision(meeting, args.decision_id))
    out = copy.deepcopy(dict(meeting))
    out["decisions"] = [d for d in out.get("decisions") or () if d.get("id") != args.decision_id]
    out["updated_at"] = _iso(now)
    return out


def item_id_for(decision_id: str) -> str:
    """The supervision item id of a decision: the same every time (idempotent sending)."""
    return "sv-m-" + hashlib.sha256(decision_id.encode()).hexdigest()[:24]


def is_issued(document: Mapping[str, Any] | None) -> bool:
    """Whether the minutes document is issued: registered with its number, or its flow
    finished (the documents record's ``doc_number`` / ``workflow.status``)."""
    if not document:
        return False
    wf = document.get("workflow") or {}
    return bool(document.get("doc_number")) or wf.get("status") == "done"


def supervision_title(meeting: Mapping[str, Any], decision: Mapping[str, Any]) -> str:
    """The item's title: the decision's first line (at most 200 characters)."""
    first = next((ln.strip() for ln in str(decision.get("what") or "").splitlines() if ln.strip()), "")
    return (first or str(meeting.get("subject") or ""))[:200]


def supervision_content(meeting: Mapping[str, Any], decision: Mapping[str, Any],
                        document: Mapping[str, Any] | None) -> str:
    number = str((document or {}).get("doc_number") or "")
    source = f"{meeting.get('subject') or ''}纪要" + (f"（{number}）" if number else "")
    return f"{decision.get('what') or ''}\n\n来源：{source}议定事项"[:4000]


def source_ref(meeting: Mapping[str, Any], document: Mapping[str, Any] | None) -> str:
    number = str((document or {}).get("doc_number") or "")
    return (f"{meeting.get('subject') or ''}纪要" + (f" {number}" if number else ""))[:80]


def with_sent(meeting: Mapping[str, Any], decision_id: str, item: Mapping[str, Any],
              actor_name: str, now: dt.datetime) -> dict[str, Any]:
    """The meeting with the decision marked as sent (the item's number and state)."""
    out = copy.deepcopy(dict(meeting))
    for d in out.get("decisions") or ():
        if d.get("id") == decision_id:
            d["supervision"] = {
                "item_id": item["id"], "number": str(item.get("number") or ""),
                "state": str(item.get("state") or ""),
                "state_words": str(item.get("state_words") or ""),
                "sent_at": _iso(now), "sent_by_name": actor_name}
    out["updated_at"] = _iso(now)
    return out

