"""Pure rules of the minutes (会议纪要) and decisions (议定事项), and of the sources of
督办 items: who is 出席 / 列席 / 请假, the prefilled 纪要 spec (the documents module
accepts it), the agenda read defensively, decisions' checks, stable item ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.common.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from modules.documents import rules as doc_rules
from modules.meetings import meeting as M
from modules.meetings import minutes as MIN
from modules.supervision import sources as SS

CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=CST)
HOST = BodyFacts(id="b-c1", name="一号市人民政府", organ_id="b-c1", organs_above=("b-c1",))
SECRETARY = ActorFacts("p-sec", (PostFacts("b-c1", "b-c1", frozenset({"secretary"})),))
STAFF = ActorFacts("p-staff", (PostFacts("b-c1", "b-c1", frozenset({"staff"})),))
UNITS = {"b-c1": "一号市人民政府", "b-c2": "二号市人民政府", "b-k1": "一号县人民政府"}


def meeting(**extra: Any) -> dict[str, Any]:
    return {
        "id": "mt-0001", "subject": "全市政务数据工作专题会", "kind": "专题会", "state": M.PUBLISHED,
        "host_body_id": "b-c1", "host_body_name": "一号市人民政府", "host_organ_id": "b-c1",
        "host_organs_above": ["b-c1"], "chair_name": "张市长",
        "start": "2026-12-01T09:00:00+08:00", "end": "2026-12-01T11:30:00+08:00",
        "place": "市政府三楼第一会议室", "room_name": "",
        "invitees": [{"id": "p-a", "name": "甲"}, {"id": "p-b", "name": "乙"},
                     {"id": "p-c", "name": "丙"}, {"id": "p-d", "name": "丁"}],
        "observers": [{"id": "p-o", "name": "列席者"}], "bodies": [], "staff": [], **extra}


REPLIES = [
    {"meeting_id": "mt-0001", "person_id": "p-b", "answer": "decline", "reason": "出差"},
    {"meeting_id": "mt-0001", "person_id": "p-c", "answer": "substitute", "substitute_id": "p-s",
     "substitute_name": "代会者"},
    {"meeting_id": "mt-0001", "person_id": "p-a", "answer": "attend"},
    {"meeting_id": "mt-0001", "person_id": "p-o", "answer": "attend"},
]


def checkin(key: str, name: str, role: str = "") -> dict[str, Any]:
    return {"meeting_id": "mt-0001", "person_key": key, "person_id": key if role else "",
            "name": name, "role": role, "checked_at": "2026-12-01T01:05:00Z", "method": "hand"}


def lists(m: dict[str, Any], checkins: list[dict[str, Any]]) -> dict[str, list[str]]:
    invited = M.invitations(m, [], REPLIES)
    return MIN.attendance_lists(m, invited, REPLIES, checkins)


def test_check_ins_decide_who_was_there() -> None:
    got = lists(meeting(), [checkin("p-a", "甲", "invitee"), checkin("p-s", "代会者", "substitute"),
                            checkin("p-o", "列席者", "observer"), checkin("g-1", "来宾")])
    assert got == {"present": ["甲", "代会者（代丙）"], "attending": ["列席者", "来宾"],
                   "absent": ["乙"]}


def test_without_check_ins_the_replies_decide_and_no_reason_is_printed() -> None:
    got = lists(meeting(), [])
    assert got["present"] == ["甲"] and got["attending"] == ["列席者"]
    assert got["absent"] == ["乙"] and "出差" not in str(got)
    # someone checked in after saying they would not come counts as present
    later = lists(meeting(), [checkin("p-b", "乙", "invitee")])
    assert later["present"] == ["乙"] and later["absent"] == []


def test_the_spec_is_a_valid_minutes_draft_with_time_place_chair_and_agenda() -> None:
    m = meeting(agenda=[{"title": "第二项", "order": 2, "presenter_name": "王五"},
                        {"title": "第一项", "order": 1, "presenter": {"name": "李四"}},
                        "not an item", {"title": "  "}, {"presenter_name": "无题"}])
    spec = MIN.minutes_spec(m, lists(m, []))
    parsed = doc_rules.validate_spec(spec, final=False)
    assert parsed.doc_type == "纪要" and parsed.layout == "minutes"
    assert parsed.title == "全市政务数据工作专题会纪要"
    assert parsed.issuer_mark == "一号市人民政府专题会纪要"
    texts = [p.text for p in parsed.body]
    assert texts[:3] == ["时间：2026年12月1日 09:00—11:30", "地点：市政府三楼第一会议室", "主持：张市长"]
    assert texts[3] == "2026年12月1日，张市长主持召开全市政务数据工作专题会，研究了以下议题："
    assert texts[4:] == ["一、第一项（汇报：李四）", "二、第二项（汇报：王五）"]
    assert parsed.present == ["甲"] and parsed.absent == ["乙"] and parsed.attending == ["列席者"]


def test_decisions_already_recorded_go_into_the_body() -> None:
    m = meeting(agenda="garbage", decisions=[
        {"id": "dc-1", "what": "制定目录", "lead_unit_name": "市数据局",
         "co_units": [{"id": "b-c2", "name": "市财政局"}], "due": "2027-01-31"},
        {"id": "dc-2", "what": "建设平台", "lead_unit_name": "市发改委", "co_units": [],
         "deadline_days": 15}])
    texts = MIN.minutes_spec(m, {})["body"]
    assert "研究了以下议题" not in texts[3]
    assert texts[-3:] == ["会议议定事项如下：",
                          "（一）制定目录（牵头单位：市数据局；协办单位：市财政局；完成时限：2027年1月31日前）",
                          "（二）建设平台（牵头单位：市发改委；完成时限：15个工作日内）"]


@pytest.mark.parametrize(("n", "words"), [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"),
                                          (35, "三十五"), (99, "九十九")])
def test_numerals(n: int, words: str) -> None:
    assert MIN.numeral(n) == words


def args(**extra: Any) -> MIN.DecisionArgs:
    return MIN.DecisionArgs(**{"meeting_id": "mt-0001", "decision_id": "dc-0001", "what": " 制定目录 ",
                               "lead_unit_id": "b-c1", "co_unit_ids": ["b-c2", "b-c1", "b-c2"],
                               "deadline_days": 10, **extra})


def test_a_decision_needs_a_held_meeting_an_organiser_and_one_deadline() -> None:
    held = meeting()
    out = MIN.save_decision(held, args(), SECRETARY, "秘书", HOST, UNITS, NOW, new=True)
    (d,) = out["decisions"]
    assert d["what"] == "制定目录" and d["co_units"] == [{"id": "b-c2", "name": "二号市人民政府"}]
    assert d["lead_unit_name"] == "一号市人民政府" and d["supervision"] is None
    with pytest.raises(PermissionDenied):
        MIN.save_decision(held, args(), STAFF, "科员", HOST, UNITS, NOW, new=True)
    with pytest.raises(Conflict) as early:
        MIN.save_decision(held, args(), SECRETARY, "秘书", HOST, UNITS,
                          NOW - dt.timedelta(hours=2), new=True)
    assert early.value.code == "meetings.minutes_not_yet"
    for bad in ({"due": "2027-01-01"}, {"deadline_days": None}):
        with pytest.raises(ValidationFailed) as exc:
            MIN.save_decision(held, args(**bad), SECRETARY, "秘书", HOST, UNITS, NOW, new=True)
        assert exc.value.code == "meetings.decision_deadline"
    with pytest.raises(ValidationFailed):
        MIN.save_decision(held, args(co_unit_ids=["b-x"]), SECRETARY, "秘书", HOST, UNITS, NOW, new=True)
    with pytest.raises(Conflict):
        MIN.save_decision(out, args(), SECRETARY, "秘书", HOST, UNITS, NOW, new=True)
    with pytest.raises(NotFound):
        MIN.save_decision(held, args(), SECRETARY, "秘书", HOST, UNITS, NOW, new=False)
    edited = MIN.save_decision(out, args(what="改", deadline_days=None, due="2027-02-01"),
                               SECRETARY, "秘书", HOST, UNITS, NOW + dt.timedelta(hours=1), new=False)
    assert edited["decisions"][0]["what"] == "改" and edited["decisions"][0]["created_at"] == d["created_at"]


def test_a_sent_decision_is_fixed_and_shows_its_item() -> None:
    out = MIN.save_decision(meeting(state=M.CLOSED), args(), SECRETARY, "秘书", HOST, UNITS, NOW, new=True)
    item = {"id": MIN.item_id_for("dc-0001"), "number": "督字〔2026〕3号", "state": "assigned",
            "state_words": "已交办"}
    sent = MIN.with_sent(out, "dc-0001", item, "督查员", NOW)
    assert sent["decisions"][0]["supervision"]["number"] == "督字〔2026〕3号"
    with pytest.raises(Conflict) as exc:
        MIN.save_decision(sent, args(), SECRETARY, "秘书", HOST, UNITS, NOW, new=False)
    assert exc.value.code == "meetings.decision_sent"
    with pytest.raises(Conflict):
        MIN.remove_decision(sent, MIN.RemoveDecisionArgs(meeting_id="mt-0001", decision_id="dc-0001"),
                            SECRETARY, HOST, NOW)
    gone = MIN.remove_decision(out, MIN.RemoveDecisionArgs(meeting_id="mt-0001", decision_id="dc-0001"),
                               SECRETARY, HOST, NOW)
    assert gone["decisions"] == []


def test_item_ids_are_stable_and_valid() -> None:
    import re

    from modules.supervision.intents import ITEM_ID

    assert MIN.item_id_for("dc-1") == MIN.item_id_for("dc-1") != MIN.item_id_for("dc-2")
    assert SS.item_id_for_instruction("d-1", "op-1") != SS.item_id_for_instruction("d-1", "op-2")
    for item_id in (MIN.item_id_for("dc-" + "z" * 36), SS.item_id_for_instruction("d-1", "op-1")):
        assert re.fullmatch(ITEM_ID, item_id)


def test_minutes_are_issued_once_numbered_or_finished() -> None:
    assert not MIN.is_issued(None)
    assert not MIN.is_issued({"doc_number": "", "workflow": {"status": "active"}})
    assert MIN.is_issued({"doc_number": "〔2026〕7号", "workflow": {"status": "active"}})
    assert MIN.is_issued({"doc_number": "", "workflow": {"status": "done"}})


def test_instructions_and_source_targets() -> None:
    doc = {"id": "d-1", "title": "关于某事的请示", "receipt_number": "收〔2026〕9号", "opinions": [
        {"id": "op-1", "kind": "意见", "text": "拟请张市长阅示", "person": {"id": "p-1", "name": "甲"}},
        {"id": "op-2", "kind": "批示", "text": "同意，请市数据局办理。", "person": {"id": "p-2", "name": "张市长"}},
        {"id": "op-3", "kind": "批示", "text": "  ", "person": {"id": "p-2", "name": "张市长"}}]}
    assert SS.instruction_of(doc)["id"] == "op-2"
    with pytest.raises(ValidationFailed):
        SS.instruction_of(doc, "op-1")
    with pytest.raises(ValidationFailed):
        SS.instruction_of({"opinions": []})
    content = SS.instruction_content(doc, SS.instruction_of(doc))
    assert content.startswith("张市长批示：同意，请市数据局办理。") and "收〔2026〕9号" in content
    item = {"source_link": SS.document_link(doc, SS.instruction_of(doc))}
    assert SS.source_target(item) == ("documents.document", "d-1", "documents")
    assert SS.source_target({"source_link": SS.meeting_link(meeting(), "dc-1")}) == (
        "meetings.meeting", "mt-0001", "meetings")
    assert SS.source_target({}) is None and SS.source_target({"source_link": {"kind": "x", "id": "1"}}) is None
