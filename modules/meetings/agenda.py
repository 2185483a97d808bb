"""The agenda (议题) of a meeting and the topics units propose for it (申报议题): pure
rules, argument models and effects — no Qt, no HTTP, no database.

An agenda item lives in the meeting record (``meeting["agenda"]``, in order): its title,
presenter (汇报人), an optional time slot inside the meeting, the people attending for
that item only (列席本议题) and its materials (blobs: ``{sha256, name, size}``). Rules:

- positions are 1, 2, 3 … in list order (:func:`renumber`);
- a slot lies within the meeting, ends after it starts, and overlaps no other slot
  (:func:`check_slot`); items with slots keep the order of their slots
  (:func:`check_order`), an item without a slot goes anywhere;
- a new item goes after the last item that starts no later (:func:`place`), or last.

Only the organisers change the agenda (``meetings.save_agenda_item``,
``meetings.remove_agenda_item``, ``meetings.order_agenda``, online). After publishing, a
change is a notified update like any other (:func:`notified`): the SEQUENCE rises and
the change is recorded with the field ``agenda`` (会议议题), so everyone is told again.

A topic (``meetings.topic`` record, id ``tp-…``) is proposed before the meeting starts
by a unit — an invited body's registry clerk or leader, or a person of the host body —
offline too (``meetings.propose_topic``). The organiser accepts it (it becomes an agenda
item, placed by :func:`place`) or declines it with a reason (``meetings.decide_topic``).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from modules.common import messages
from modules.common.access import ActorFacts
from modules.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from modules.common.intents import IntentArgs
from modules.common.text import MANY_LINES, ONE_LINE
from modules.meetings import meeting as M
from modules.meetings import policy
from modules.meetings.rules import parse_time

TOPIC = "meetings.topic"
ITEM_ID = r"^ai-[0-9a-z-]{4,36}$"
TOPIC_ID = r"^tp-[0-9a-z-]{4,36}$"
MEETING_ID = r"^mt-[0-9a-z-]{4,24}$"
MAX_ITEMS = 60
PersonId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z_.-]+$")]
OptionalPersonId = Annotated[str, Field(max_length=40, pattern=r"^[0-9A-Za-z_.-]*$")]

PROPOSED, ACCEPTED, DECLINED = "proposed", "accepted", "declined"
TOPIC_WORDS = {PROPOSED: ("待审核", "proposed"), ACCEPTED: ("已列入议题", "accepted"),
               DECLINED: ("未采纳", "declined")}

messages.register({
    "meetings.agenda_item_not_found": {
        "zh_CN": "该会议没有此议题（{item_id}）。",
        "en": "The meeting has no such agenda item ({item_id}).",
    },
    "meetings.bad_agenda_slot": {
        "zh_CN": "议题“{title}”的时间无效：{reason}",
        "en": "The time of agenda item '{title}' is not valid: {reason_en}",
    },
    "meetings.agenda_overlap": {
        "zh_CN": "议题“{title}”的时间与议题“{other}”（{start}–{end}）重叠。",
        "en": "Agenda item '{title}' overlaps '{other}' ({start}–{end}).",
    },
    "meetings.agenda_order": {
        "zh_CN": "议题顺序与时间安排不一致：“{title}”排在“{other}”之前，但开始得更晚。",
        "en": "The order does not follow the times: '{title}' comes before '{other}' but "
              "starts later.",
    },
    "meetings.agenda_bad_order": {
        "zh_CN": "新的议题顺序须列出该会议的每个议题各一次。",
        "en": "The new order must name each of the meeting's agenda items exactly once.",
    },
    "meetings.agenda_item_exists": {
        "zh_CN": "该会议已有议题（{item_id}）。",
        "en": "The meeting already has agenda item {item_id}.",
    },
    "meetings.agenda_full": {
        "zh_CN": "一次会议最多{max}个议题。",
        "en": "A meeting has at most {max} agenda items.",
    },
    "meetings.topic_not_found": {
        "zh_CN": "找不到该申报议题（{topic_id}）。",
        "en": "No such proposed topic ({topic_id}).",
    },
    "meetings.not_proposer": {
        "zh_CN": "只有参会单位的收发员或领导、或主办单位的人员可以为“{subject}”申报议题。",
        "en": "Only a registry clerk or leader of an invited body, or a person of the host "
              "body, may propose topics for '{subject}'.",
    },
    "meetings.topic_closed": {
        "zh_CN": "申报议题须在会议开始前提出。",
        "en": "Topics must be proposed before the meeting starts.",
    },
    "meetings.topic_decided": {
        "zh_CN": "该申报议题已由{name}处理（{state}）。",
        "en": "This topic was already dealt with by {name} ({state_en}).",
    },
})


# --------------------------------------------------------------------------- rules


def items(meeting: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The meeting's agenda, in order (copies)."""
    return [dict(i) for i in meeting.get("agenda") or ()]


def renumber(agenda: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items with ``order`` 1, 2, 3 … in list order."""
    return [{**dict(item), "order": n} for n, item in enumerate(agenda, start=1)]


def slot_of(item: Mapping[str, Any]) -> tuple[dt.datetime, dt.datetime] | None:
    if not item.get("start") or not item.get("end"):
        return None
    return parse_time(item["start"]), parse_time(item["end"])


def _hhmm(when: dt.datetime) -> str:
    from modules.meetings.rules import CHINA

    return when.astimezone(CHINA).strftime("%H:%M")


def _bad_slot(title: str, zh: str, en: str) -> ValidationFailed:
    return ValidationFailed("meetings.bad_agenda_slot", title=title, reason=zh, reason_en=en)


def check_slot(meeting: Mapping[str, Any], item: Mapping[str, Any],
               others: Iterable[Mapping[str, Any]]) -> None:
    """Raise in words unless the item's slot (if any) is a real interval within the
    meeting that overlaps none of ``others``' slots (half-open: back to back is fine)."""
    title = str(item.get("title") or "")
    if bool(item.get("start")) != bool(item.get("end")):
        raise _bad_slot(title, "须同时填写开始和结束时间", "give both a start and an end")
    slot = slot_of(item)
    if slot is None:
        return
    start, end = slot
    if end <= start:
        raise _bad_slot(title, "结束时间须晚于开始时间", "the end must be after the start")
    if start < parse_time(meeting["start"]) or end > parse_time(meeting["end"]):
        raise _bad_slot(title, "须在会议时间之内", "it must lie within the meeting")
    for other in others:
        if other.get("id") == item.get("id"):
            continue
        theirs = slot_of(other)
        if theirs is not None and theirs[0] < end and start < theirs[1]:
            raise ValidationFailed("meetings.agenda_overlap", title=title,
                                   other=str(other.get("title") or ""),
                                   start=_hhmm(theirs[0]), end=_hhmm(theirs[1]))


def check_order(agenda: Sequence[Mapping[str, Any]]) -> None:
    """Raise unless the items with slots appear in the order of their start times."""
    last: Mapping[str, Any] | None = None
    for item in agenda:
        slot = slot_of(item)
        if slot is None:
            continue
        if last is not None and slot[0] < parse_time(last["start"]):
            raise ValidationFailed("meetings.agenda_order", title=str(last.get("title") or ""),
                                   other=str(item.get("title") or ""))
        last = item


def check_agenda(meeting: Mapping[str, Any], agenda: Sequence[Mapping[str, Any]]) -> None:
    """Every slot valid and disjoint, the order following the slots, not too many items."""
    if len(agenda) > MAX_ITEMS:
        raise ValidationFailed("meetings.agenda_full", max=MAX_ITEMS)
    for n, item in enumerate(agenda):
        check_slot(meeting, item, agenda[:n])
    check_order(agenda)


def place(agenda: Sequence[Mapping[str, Any]], item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``agenda`` with ``item`` inserted: without a slot, last; with one, before the
    first item whose slot starts later, else right after the last item with a slot
    (or last when none has one)."""
    out = [dict(i) for i in agenda]
    slot = slot_of(item)
    if slot is None:
        return [*out, dict(item)]
    after = len(out)
    for n, other in enumerate(out):
        theirs = slot_of(other)
        if theirs is not None and theirs[0] > slot[0]:
            return [*out[:n], dict(item), *out[n:]]
        if theirs is not None:
            after = n + 1
    if after == len(out) or not any(slot_of(o) for o in out):
        return [*out, dict(item)]
    return [*out[:after], dict(item), *out[after:]]


def reordered(agenda: Sequence[Mapping[str, Any]], ids: Sequence[str]) -> list[dict[str, Any]]:
    """The items in the order of ``ids`` (each item exactly once), renumbered."""
    by_id = {str(i["id"]): dict(i) for i in agenda}
    if len(ids) != len(by_id) or set(ids) != set(by_id):
        raise ValidationFailed("meetings.agenda_bad_order")
    return renumber(by_id[i] for i in ids)


def moved(agenda: Sequence[Mapping[str, Any]], item_id: str, step: int) -> list[str]:
    """The ids after moving one item ``step`` places (−1 up, +1 down), clamped."""
    ids = [str(i["id"]) for i in agenda]
    if item_id not in ids:
        return ids
    n = ids.index(item_id)
    m = max(0, min(len(ids) - 1, n + step))
    ids.insert(m, ids.pop(n))
    return ids


def notified(previous: Mapping[str, Any], agenda: list[dict[str, Any]], actor: ActorFacts,
             actor_name: str, note: str, now: dt.datetime) -> dict[str, Any]:
    """The meeting with its new agenda. A published meeting raises its SEQUENCE and
    records the change (field ``agenda``), like any change after publishing."""
    from modules.meetings.intents import iso

    new = copy.deepcopy(dict(previous))
    new["agenda"] = renumber(agenda)
    new["updated_at"] = iso(now)
    if previous.get("state") == M.PUBLISHED and list(previous.get("agenda") or []) != new["agenda"]:
        new["sequence"] = int(previous.get("sequence") or 0) + 1
        new["changes"] = [*new.get("changes", []), {
            "sequence": new["sequence"], "at": iso(now), "by_id": actor.person_id,
            "by_name": actor_name, "note": note, "fields": ["agenda"],
            "words": M.change_words(["agenda"])}]
    return new


def carried(previous: Mapping[str, Any] | None, meeting: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The agenda of ``previous`` for its new version ``meeting`` (the meeting's own
    fields changed): slots move with the meeting's start; a slot that no longer fits
    inside the meeting is cleared (the item stays, without a time)."""
    from modules.meetings.intents import iso

    agenda = items(previous or {})
    if not agenda or previous is None:
        return agenda
    delta = parse_time(meeting["start"]) - parse_time(previous["start"])
    lo, hi = parse_time(meeting["start"]), parse_time(meeting["end"])
    out = []
    for item in agenda:
        slot = slot_of(item)
        if slot is not None:
            start, end = slot[0] + delta, slot[1] + delta
            fits = lo <= start and end <= hi
            item = {**item, "start": iso(start) if fits else None, "end": iso(end) if fits else None}
        out.append(item)
    return renumber(out)


def may_propose(actor: ActorFacts, meeting: Mapping[str, Any], body_id: str) -> bool:
    """An invited body's registry clerk or leader (for that body), or a person holding a
    post in the host body (for the host body)."""
    if body_id in {b["id"] for b in meeting.get("bodies") or ()}:
        return policy.may_nominate(actor, body_id)
    if body_id == meeting.get("host_body_id"):
        return any(body_id in (p.body_id, p.organ_id) for p in actor.posts)
    return False


def proposer_bodies(actor: ActorFacts, meeting: Mapping[str, Any]) -> list[dict[str, str]]:
    """``[{"id", "name"}]`` of the bodies the actor may propose topics for."""
    host = {"id": str(meeting.get("host_body_id") or ""),
            "name": str(meeting.get("host_body_name") or "")}
    return [b for b in [host, *(meeting.get("bodies") or ())]
            if b["id"] and may_propose(actor, meeting, b["id"])]


def open_for_topics(meeting: Mapping[str, Any], now: dt.datetime) -> bool:
    return meeting.get("state") == M.PUBLISHED and now < parse_time(meeting["start"])


# --------------------------------------------------------------------------- arguments


class Material(BaseModel):
    """A file attached to an item or topic (a blob the actor uploaded or can read)."""

    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    name: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    size: int = Field(default=0, ge=0, le=1 << 40)


class SaveAgendaItemArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    item_id: str = Field(pattern=ITEM_ID)
    title: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    presenter_id: OptionalPersonId = ""
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    attendees: list[PersonId] = Field(default_factory=list, max_length=50)
    materials: list[Material] = Field(default_factory=list, max_length=20)
    #: What changes, for everyone (once published; a sentence is made if empty).
    change_note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


class RemoveAgendaItemArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    item_id: str = Field(pattern=ITEM_ID)
    change_note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


class OrderAgendaArgs(IntentArgs):
    meeting_id: str = Field(pattern=MEETING_ID)
    item_ids: list[Annotated[str, Field(pattern=ITEM_ID)]] = Field(min_length=1,
                                                                   max_length=MAX_ITEMS)
    change_note: Annotated[str, Field(max_length=300), ONE_LINE] = ""


class ProposeTopicArgs(IntentArgs):
    topic_id: str = Field(pattern=TOPIC_ID)
    meeting_id: str = Field(pattern=MEETING_ID)
    #: The proposing unit: an invited body, or the host body.
    body_id: str = Field(min_length=1, max_length=40)
    title: Annotated[str, Field(min_length=1, max_length=200), ONE_LINE]
    presenter_id: OptionalPersonId = ""
    #: How long the unit asks for (minutes; 0: unsaid).
    minutes: int = Field(default=0, ge=0, le=600)
    note: Annotated[str, Field(max_length=1000), MANY_LINES] = ""
    materials: list[Material] = Field(default_factory=list, max_length=20)


class DecideTopicArgs(IntentArgs):
    topic_id: str = Field(pattern=TOPIC_ID)
    accept: bool
    #: Required when declining (the unit is told).
    reason: Annotated[str, Field(max_length=300), ONE_LINE] = ""
    #: The agenda item an accepted topic becomes, with an optional slot.
    item_id: str = Field(default="", pattern=r"^(ai-[0-9a-z-]{4,36})?$")
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


# --------------------------------------------------------------------------- effects


def _organiser(actor: ActorFacts, meeting: Mapping[str, Any]) -> None:
    from modules.meetings.intents import host_of

    host = host_of(meeting)
    policy.require(policy.may_organise(actor, host), "meetings.not_organiser", body=host.name)


def _found(meeting: Mapping[str, Any] | None, meeting_id: str) -> Mapping[str, Any]:
    if meeting is None:
        raise NotFound("meetings.meeting_not_found", meeting_id=meeting_id)
    return meeting


def _editable(actor: ActorFacts, meeting: Mapping[str, Any]) -> None:
    _organiser(actor, meeting)
    M.check_state(meeting, (M.DRAFT, M.PUBLISHED), ("修改议题", "given a new agenda"))


def _iso(when: dt.datetime | None) -> str | None:
    from modules.meetings.intents import iso

    return iso(parse_time(when)) if when is not None else None


def _person(person_id: str, names: Mapping[str, str]) -> str:
    if not person_id:
        return ""
    name = names.get(person_id)
    if not name:
        raise ValidationFailed("meetings.unknown_person", id=person_id)
    return name


def _materials(materials: Iterable[Material | Mapping[str, Any]]) -> list[dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for m in materials:
        data = m.model_dump() if isinstance(m, BaseModel) else dict(m)
        out.setdefault(str(data["sha256"]), {"sha256": str(data["sha256"]),
                                             "name": str(data["name"]).strip(),
                                             "size": int(data.get("size") or 0)})
    return list(out.values())


def save_agenda_item(meeting: Mapping[str, Any] | None, args: SaveAgendaItemArgs,
                     actor: ActorFacts, actor_name: str, names: Mapping[str, str],
                     now: dt.datetime) -> dict[str, Any]:
    """The meeting with the item added (placed by its slot) or changed (kept in place
    unless its new slot breaks the order, then placed again). ``names``: directory
    names of the presenter and the attendees. Materials: as given (the server checks
    the actor may read each blob and takes its size)."""
    found = _found(meeting, args.meeting_id)
    _editable(actor, found)
    attendees = [{"id": p, "name": _person(p, names)} for p in dict.fromkeys(args.attendees)]
    item = {
        "id": args.item_id, "title": args.title.strip(), "presenter_id": args.presenter_id,
        "presenter_name": _person(args.presenter_id, names), "start": _iso(args.start),
        "end": _iso(args.end), "attendees": attendees, "materials": _materials(args.materials),
    }
    agenda = items(found)
    old = next((i for i in agenda if i["id"] == args.item_id), None)
    if old is None:
        if len(agenda) >= MAX_ITEMS:
            raise ValidationFailed("meetings.agenda_full", max=MAX_ITEMS)
        item.update(topic_id="", body_id="", body_name="")
        check_slot(found, item, agenda)
        agenda = place(agenda, item)
        words = ("新增议题：", "added: ")
    else:
        item = {**old, **item}
        check_slot(found, item, agenda)
        agenda = [item if i["id"] == args.item_id else i for i in agenda]
        try:
            check_order(agenda)
        except ValidationFailed:
            agenda = place([i for i in agenda if i["id"] != args.item_id], item)
        words = ("修改议题：", "changed: ")
    check_agenda(found, agenda)
    note = args.change_note.strip() or f"{words[0]}{item['title']}"
    return notified(found, agenda, actor, actor_name, note[:300], now)


def remove_agenda_item(meeting: Mapping[str, Any] | None, args: RemoveAgendaItemArgs,
                       actor: ActorFacts, actor_name: str, now: dt.datetime) -> dict[str, Any]:
    found = _found(meeting, args.meeting_id)
    _editable(actor, found)
    agenda = items(found)
    gone = next((i for i in agenda if i["id"] == args.item_id), None)
    if gone is None:
        raise NotFound("meetings.agenda_item_not_found", item_id=args.item_id)
    note = args.change_note.strip() or f"删除议题：{gone['title']}"
    return notified(found, [i for i in agenda if i["id"] != args.item_id], actor, actor_name,
                    note[:300], now)


def order_agenda(meeting: Mapping[str, Any] | None, args: OrderAgendaArgs, actor: ActorFacts,
                 actor_name: str, now: dt.datetime) -> dict[str, Any]:
    found = _found(meeting, args.meeting_id)
    _editable(actor, found)
    agenda = reordered(items(found), args.item_ids)
    check_order(agenda)
    return notified(found, agenda, actor, actor_name,
                    args.change_note.strip() or "调整议题顺序", now)


def propose_topic(meeting: Mapping[str, Any] | None, previous: Mapping[str, Any] | None,
                  args: ProposeTopicArgs, actor: ActorFacts, actor_name: str,
                  names: Mapping[str, str], now: dt.datetime) -> dict[str, Any]:
    """The ``meetings.topic`` record (a proposer may revise their own while it is still
    undecided). ``names``: the directory's name of the presenter."""
    from modules.meetings.intents import iso

    found = _found(meeting, args.meeting_id)
    if not may_propose(actor, found, args.body_id):
        raise PermissionDenied("meetings.not_proposer", subject=str(found.get("subject") or ""))
    M.check_state(found, (M.PUBLISHED,), ("申报议题", "given topics"))
    if not open_for_topics(found, now):
        raise ValidationFailed("meetings.topic_closed")
    if previous is not None:
        if previous.get("meeting_id") != found["id"] or previous.get("by_id") != actor.person_id:
            raise ValidationFailed("meetings.topic_not_found", topic_id=args.topic_id)
        _undecided(previous)
    host = {"id": found.get("host_body_id"), "name": found.get("host_body_name")}
    body = next(b for b in [host, *(found.get("bodies") or ())] if b["id"] == args.body_id)
    return {
        "id": args.topic_id, "meeting_id": found["id"], "body_id": args.body_id,
        "body_name": str(body.get("name") or ""), "title": args.title.strip(),
        "presenter_id": args.presenter_id, "presenter_name": _person(args.presenter_id, names),
        "minutes": args.minutes, "note": args.note.strip(),
        "materials": _materials(args.materials), "state": PROPOSED,
        "state_words": TOPIC_WORDS[PROPOSED][0], "reason": "", "item_id": "",
        "by_id": actor.person_id, "by_name": actor_name, "decided_by_id": "",
        "decided_by_name": "", "decided_at": None,
        "created_at": (previous or {}).get("created_at") or iso(now), "updated_at": iso(now),
    }


def _undecided(topic: Mapping[str, Any]) -> None:
    state = str(topic.get("state") or PROPOSED)
    if state != PROPOSED:
        zh, en = TOPIC_WORDS.get(state, (state, state))
        raise Conflict("meetings.topic_decided", name=str(topic.get("decided_by_name") or ""),
                       state=zh, state_en=en)


def decide_topic(meeting: Mapping[str, Any] | None, topic: Mapping[str, Any] | None,
                 args: DecideTopicArgs, actor: ActorFacts, actor_name: str,
                 now: dt.datetime) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """(the meeting with its new agenda item, or None when declined; the topic
    decided). An accepted topic becomes an item with its title, presenter, unit and
    materials, placed by its slot (or last); the organiser orders the agenda after."""
    from modules.meetings.intents import iso

    if topic is None:
        raise NotFound("meetings.topic_not_found", topic_id=args.topic_id)
    found = _found(meeting, str(topic.get("meeting_id") or ""))
    _editable(actor, found)
    _undecided(topic)
    new_topic = copy.deepcopy(dict(topic))
    new_topic.update(decided_by_id=actor.person_id, decided_by_name=actor_name,
                     decided_at=iso(now), updated_at=iso(now))
    if not args.accept:
        if not args.reason.strip():
            raise ValidationFailed("meetings.reason_required", what="不予采纳的理由",
                                   what_en="a reason")
        new_topic.update(state=DECLINED, state_words=TOPIC_WORDS[DECLINED][0],
                         reason=args.reason.strip())
        return None, new_topic
    agenda = items(found)
    if len(agenda) >= MAX_ITEMS:
        raise ValidationFailed("meetings.agenda_full", max=MAX_ITEMS)
    item_id = args.item_id or "ai-" + str(topic["id"])[3:]
    if any(i["id"] == item_id for i in agenda):
        raise ValidationFailed("meetings.agenda_item_exists", item_id=item_id)
    item = {
        "id": item_id, "title": str(topic.get("title") or ""),
        "presenter_id": str(topic.get("presenter_id") or ""),
        "presenter_name": str(topic.get("presenter_name") or ""),
        "start": _iso(args.start), "end": _iso(args.end), "attendees": [],
        "materials": _materials(topic.get("materials") or ()), "topic_id": str(topic["id"]),
        "body_id": str(topic.get("body_id") or ""), "body_name": str(topic.get("body_name") or ""),
    }
    check_slot(found, item, agenda)
    agenda = place(agenda, item)
    check_agenda(found, agenda)
    new_topic.update(state=ACCEPTED, state_words=TOPIC_WORDS[ACCEPTED][0], item_id=item_id,
                     reason=args.reason.strip())
    note = f"新增议题：{item['title']}（{item['body_name']}申报）"
    return notified(found, agenda, actor, actor_name, note[:300], now), new_topic
