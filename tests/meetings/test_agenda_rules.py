"""The agenda's pure rules (modules.meetings.agenda): slots inside the meeting and never
overlapping, the order following the slots, placing and moving items, the notified
update after publishing, who may propose a topic, accepting and declining."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common import messages
from modules.common.access import ActorFacts, PostFacts
from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.meetings import agenda as A
from modules.meetings import meeting as M
from modules.meetings.rules import CHINA

NOW = dt.datetime(2030, 1, 1, 1, 0, tzinfo=dt.UTC)
START = dt.datetime(2030, 1, 2, 9, 0, tzinfo=CHINA)
ORGANISER = ActorFacts("p-sec", (PostFacts("b-city", "b-city", frozenset({"secretary"})),))
CLERK = ActorFacts("p-clerk", (PostFacts("b-county", "b-county", frozenset({"registry_clerk"})),))
STAFF = ActorFacts("p-staff", (PostFacts("b-county", "b-county", frozenset({"staff"})),))
HOST_STAFF = ActorFacts("p-hs", (PostFacts("b-city-dept", "b-city", frozenset({"staff"})),))
NAMES = {"p-1": "张三", "p-2": "李四", "p-3": "王五"}


def _meeting(state: str = M.PUBLISHED, agenda: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"id": "mt-0001", "subject": "专题会", "state": state, "sequence": 0, "changes": [],
            "host_body_id": "b-city", "host_body_name": "市政府", "host_organs_above": ["b-city"],
            "start": START.isoformat(), "end": (START + dt.timedelta(hours=3)).isoformat(),
            "bodies": [{"id": "b-county", "name": "县政府"}], "agenda": agenda or []}


def _at(hour: int, minute: int = 0) -> str:
    return START.replace(hour=hour, minute=minute).isoformat()


def _save(meeting: dict[str, Any], item_id: str, title: str, start: str | None = None,
          end: str | None = None, **extra: Any) -> dict[str, Any]:
    args = A.SaveAgendaItemArgs.model_validate({
        "meeting_id": meeting["id"], "item_id": item_id, "title": title, "start": start,
        "end": end, **extra})
    return A.save_agenda_item(meeting, args, ORGANISER, "秘书", NAMES, NOW)


def test_items_are_numbered_and_placed_by_their_slots() -> None:
    m = _save(_meeting(M.DRAFT), "ai-0002", "第二项", _at(10), _at(11))
    m = _save(m, "ai-0001", "第一项", _at(9), _at(10))  # back to back is fine
    m = _save(m, "ai-0009", "其他事项")  # no slot: last
    m = _save(m, "ai-0003", "第三项", _at(11), _at(11, 30))
    assert [i["id"] for i in m["agenda"]] == ["ai-0001", "ai-0002", "ai-0003", "ai-0009"]
    assert [i["order"] for i in m["agenda"]] == [1, 2, 3, 4]
    assert m["sequence"] == 0 and m["changes"] == []  # a draft changes freely


def test_a_slot_must_lie_within_the_meeting_and_not_overlap() -> None:
    m = _save(_meeting(), "ai-0001", "听取汇报", _at(9), _at(10))
    with pytest.raises(ValidationFailed) as outside:
        _save(m, "ai-0002", "研究部署", _at(11, 30), _at(12, 30))
    assert outside.value.code == "meetings.bad_agenda_slot"
    with pytest.raises(ValidationFailed) as overlap:
        _save(m, "ai-0002", "研究部署", _at(9, 30), _at(10, 30))
    assert overlap.value.code == "meetings.agenda_overlap"
    assert "听取汇报" in messages.render(overlap.value.code, "zh_CN", overlap.value.params)
    assert "overlaps" in messages.render(overlap.value.code, "en", overlap.value.params)
    with pytest.raises(ValidationFailed) as backwards:
        _save(m, "ai-0002", "研究部署", _at(11), _at(10, 30))
    assert backwards.value.code == "meetings.bad_agenda_slot"
    with pytest.raises(ValidationFailed):
        _save(m, "ai-0002", "只有开始", _at(11))


def test_after_publishing_a_change_is_a_notified_update() -> None:
    m = _save(_meeting(), "ai-0001", "听取汇报", presenter_id="p-1", attendees=["p-2", "p-2"])
    assert m["sequence"] == 1
    change = m["changes"][-1]
    assert change["fields"] == ["agenda"] and change["words"] == "会议议题"
    assert change["note"] == "新增议题：听取汇报"
    item = m["agenda"][0]
    assert item["presenter_name"] == "张三" and item["attendees"] == [{"id": "p-2", "name": "李四"}]
    same = _save(m, "ai-0001", "听取汇报", presenter_id="p-1", attendees=["p-2"])
    assert same["sequence"] == 1  # nothing changed: nobody is told again
    with pytest.raises(ValidationFailed) as unknown:
        _save(m, "ai-0001", "听取汇报", presenter_id="p-404")
    assert unknown.value.code == "meetings.unknown_person"


def test_reordering_follows_the_slots_and_moving_is_clamped() -> None:
    m = _save(_meeting(M.DRAFT), "ai-0001", "甲", _at(9), _at(10))
    m = _save(m, "ai-0002", "乙", _at(10), _at(11))
    m = _save(m, "ai-0003", "丙")
    agenda = m["agenda"]
    assert A.moved(agenda, "ai-0003", -1) == ["ai-0001", "ai-0003", "ai-0002"]
    assert A.moved(agenda, "ai-0001", -1) == ["ai-0001", "ai-0002", "ai-0003"]
    args = A.OrderAgendaArgs(meeting_id="mt-0001", item_ids=["ai-0001", "ai-0003", "ai-0002"])
    out = A.order_agenda(m, args, ORGANISER, "秘书", NOW)
    assert [i["id"] for i in out["agenda"]] == ["ai-0001", "ai-0003", "ai-0002"]
    with pytest.raises(ValidationFailed) as against:
        A.order_agenda(m, A.OrderAgendaArgs(meeting_id="mt-0001",
                                            item_ids=["ai-0002", "ai-0001", "ai-0003"]),
                       ORGANISER, "秘书", NOW)
    assert against.value.code == "meetings.agenda_order"
    with pytest.raises(ValidationFailed) as missing:
        A.order_agenda(m, A.OrderAgendaArgs(meeting_id="mt-0001", item_ids=["ai-0001"]),
                       ORGANISER, "秘书", NOW)
    assert missing.value.code == "meetings.agenda_bad_order"


def test_only_organisers_change_the_agenda_and_not_once_it_is_over() -> None:
    args = A.SaveAgendaItemArgs(meeting_id="mt-0001", item_id="ai-0001", title="甲")
    with pytest.raises(PermissionDenied):
        A.save_agenda_item(_meeting(), args, CLERK, "收发员", NAMES, NOW)
    with pytest.raises(Conflict):
        A.save_agenda_item(_meeting(M.CANCELLED), args, ORGANISER, "秘书", NAMES, NOW)
    gone = A.RemoveAgendaItemArgs(meeting_id="mt-0001", item_id="ai-0404")
    with pytest.raises(Exception) as missing:
        A.remove_agenda_item(_meeting(), gone, ORGANISER, "秘书", NOW)
    assert getattr(missing.value, "code", "") == "meetings.agenda_item_not_found"


def _propose(actor: ActorFacts, body_id: str = "b-county", meeting: dict[str, Any] | None = None,
             now: dt.datetime = NOW) -> dict[str, Any]:
    args = A.ProposeTopicArgs.model_validate({
        "topic_id": "tp-0001", "meeting_id": "mt-0001", "body_id": body_id,
        "title": "关于数据共享的议题", "presenter_id": "p-3", "minutes": 20,
        "materials": [{"sha256": "a" * 64, "name": "汇报材料.pdf", "size": 10}]})
    return A.propose_topic(meeting or _meeting(), None, args, actor, "申报人", NAMES, now)


def test_who_may_propose_a_topic_and_when() -> None:
    topic = _propose(CLERK)
    assert topic["state"] == A.PROPOSED and topic["body_name"] == "县政府"
    assert topic["presenter_name"] == "王五" and topic["materials"][0]["name"] == "汇报材料.pdf"
    assert _propose(HOST_STAFF, "b-city")["body_name"] == "市政府"
    with pytest.raises(PermissionDenied) as staff:
        _propose(STAFF)
    assert staff.value.code == "meetings.not_proposer"
    with pytest.raises(PermissionDenied):
        _propose(CLERK, "b-city")  # not a person of the host body
    with pytest.raises(ValidationFailed) as late:
        _propose(CLERK, now=START.astimezone(dt.UTC) + dt.timedelta(minutes=1))
    assert late.value.code == "meetings.topic_closed"
    with pytest.raises(Conflict):
        _propose(CLERK, meeting=_meeting(M.DRAFT))


def test_accepting_a_topic_makes_it_an_item_and_declining_needs_a_reason() -> None:
    topic = _propose(CLERK)
    m = _save(_meeting(), "ai-1001", "甲", _at(9), _at(10))
    accept = A.DecideTopicArgs.model_validate({"topic_id": "tp-0001", "accept": True,
                                               "start": _at(10), "end": _at(10, 20)})
    new_m, decided = A.decide_topic(m, topic, accept, ORGANISER, "秘书", NOW)
    assert new_m is not None and decided["state"] == A.ACCEPTED
    item = new_m["agenda"][-1]
    assert item["title"] == "关于数据共享的议题" and item["topic_id"] == "tp-0001"
    assert item["body_name"] == "县政府" and item["materials"][0]["sha256"] == "a" * 64
    assert decided["item_id"] == item["id"] and new_m["sequence"] == m["sequence"] + 1
    with pytest.raises(Conflict):
        A.decide_topic(new_m, decided, accept, ORGANISER, "秘书", NOW)
    with pytest.raises(ValidationFailed) as no_reason:
        A.decide_topic(m, topic, A.DecideTopicArgs(topic_id="tp-0001", accept=False),
                       ORGANISER, "秘书", NOW)
    assert no_reason.value.code == "meetings.reason_required"
    none, declined = A.decide_topic(m, topic, A.DecideTopicArgs(
        topic_id="tp-0001", accept=False, reason="不属于本次会议范围"), ORGANISER, "秘书", NOW)
    assert none is None and declined["state"] == A.DECLINED and declined["reason"]
    with pytest.raises(PermissionDenied):
        A.decide_topic(m, topic, accept, CLERK, "收发员", NOW)


def test_presenters_and_item_attendees_are_involved() -> None:
    m = _save(_meeting(), "ai-0001", "甲", presenter_id="p-1", attendees=["p-2"])
    assert {"p-1", "p-2"} <= M.involved(m, {})


def test_the_agenda_stays_when_the_meeting_is_edited_and_its_slots_follow_the_start() -> None:
    from modules.common.access import BodyFacts
    from modules.meetings import intents as I

    m = _save(_meeting(M.DRAFT), "ai-0001", "甲", _at(9), _at(10))
    m = _save(m, "ai-0002", "乙", _at(11), _at(12))
    host = BodyFacts("b-city", "市政府", "b-city", ("b-city",))
    later = START + dt.timedelta(days=1, hours=1)  # next day, 10:00–12:00

    def edit(meeting: dict[str, Any], start: dt.datetime, hours: int, note: str = "") -> dict[str, Any]:
        args = I.SAVE_MEETING.parse({
            "meeting_id": "mt-0001", "subject": "专题会", "kind": "专题会", "host_body_id": "b-city",
            "start": start.isoformat(), "end": (start + dt.timedelta(hours=hours)).isoformat(),
            "place": "会议室", "change_note": note})
        return I.save_meeting(meeting, args, ORGANISER, "秘书", host, {}, {}, None, NOW)

    draft = edit(m, later, 2)
    assert [i["title"] for i in draft["agenda"]] == ["甲", "乙"]
    assert draft["agenda"][0]["start"] == I.iso(later)  # 09:00 + 1 day 1 hour
    assert draft["agenda"][1]["start"] is None  # 12:00–13:00 no longer fits: kept, untimed
    published = {**m, "state": M.PUBLISHED}
    moved = edit(published, START + dt.timedelta(hours=1), 3, note="推迟一小时")
    assert moved["sequence"] == 1 and moved["agenda"][1]["start"] == I.iso(_parse(_at(12)))


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)
