"""Minutes (会议纪要) and decisions (议定事项) on the real server, SQLite and PostgreSQL:
the 纪要 draft prefilled from replies and check-ins and linked both ways, decisions
added / edited / removed by the organiser, sent to supervision once the minutes are
issued (one item however often sent), and a leader's 批示 on a document turned into a
督办 item (转督办)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select

from modules.meetings import meeting as M
from modules.meetings import minutes as MIN
from modules.supervision import sources as SS
from server.db import session_scope
from server.meetings import storage
from server.supervision.models import Item
from tests.access.world import World, push
from tests.documents_server.conftest import Office
from tests.meetings.minutes_helpers import (
    decision_args,
    document_with_instruction,
    held_meeting,
    issue,
)


def _feed(world: World, person_id: str) -> dict[tuple[str, str], dict[str, Any] | None]:
    return Office(world.app).feed(person_id)


def _meeting(world: World, meeting_id: str) -> dict[str, Any]:
    with session_scope(world.app.state.sessions) as s:
        found = storage.meeting_record(s, meeting_id)
    assert found is not None
    return found


def test_minutes_start_from_a_held_meeting_prefilled_and_linked_both_ways(world: World) -> None:
    secretary = world.actor("secretary")
    here, away, sent, observer, quiet = (world.person([("own", ["staff"])]) for _ in range(5))
    substitute = world.person([("own", ["staff"])])
    meeting_id = held_meeting(world, invitees=(here, away, sent, quiet), observers=(observer,),
                              agenda=[{"order": 2, "title": "公共数据目录", "presenter_name": "王五"},
                                      {"order": 1, "title": "数据共享平台建设"}])
    now = dt.datetime.now(dt.UTC).isoformat()
    for person, answer in ((away, {"answer": "decline", "reason": "在外地出差"}),
                           (sent, {"answer": "substitute", "substitute_id": substitute})):
        assert world.send(person, "meetings.reply", {"meeting_id": meeting_id, **answer})[
            "status"] == "applied"
    for person in (here, substitute, observer):
        out = push(world, secretary, "meetings.check_in_by_hand",
                   {"meeting_id": meeting_id, "person_id": person, "scanned_at": now})
        assert out["status"] == "applied", out
    guest = push(world, secretary, "meetings.check_in_by_hand",
                 {"meeting_id": meeting_id, "name": "省厅来宾", "scanned_at": now})
    assert guest["status"] == "applied"

    doc_id = f"d-{uuid.uuid4().hex[:12]}"
    outsider = push(world, world.actor("staff"), "meetings.start_minutes",
                    {"meeting_id": meeting_id, "document_id": doc_id})
    assert outsider["error"]["code"] == "meetings.not_organiser"
    started = push(world, secretary, "meetings.start_minutes",
                   {"meeting_id": meeting_id, "document_id": doc_id})
    assert started["status"] == "applied", started
    again = push(world, secretary, "meetings.start_minutes",
                 {"meeting_id": meeting_id, "document_id": f"d-{uuid.uuid4().hex[:12]}"})
    assert again["status"] == "conflict" and again["error"]["code"] == "meetings.minutes_exist"

    feed = _feed(world, secretary.person_id)
    meeting = feed[(M.MEETING, meeting_id)]
    doc = feed[("documents.document", doc_id)]
    assert meeting is not None and meeting["minutes_document_id"] == doc_id
    assert doc is not None and doc["meeting_id"] == meeting_id
    assert doc["doc_type"] == "纪要" and doc["spec"]["layout"] == "minutes"
    assert doc["title"] == "全市政务数据工作专题会纪要"
    assert doc["workflow"]["current"] == "draft" and doc["workflow"]["owner"]["id"] == secretary.person_id
    spec = doc["spec"]
    people = {p: storage_name(world, p) for p in (here, away, sent, observer, quiet, substitute)}
    assert spec["present"] == [people[here], f"{people[substitute]}（代{people[sent]}）"]
    assert spec["attending"] == [people[observer], "省厅来宾"]
    assert spec["absent"] == [people[away]]  # no reason; the silent one and the sender are not listed
    texts = [p["text"] for p in spec["body"]]
    assert texts[1] == "地点：市政府三楼第一会议室"
    assert "一、数据共享平台建设" in texts and "二、公共数据目录（汇报：王五）" in texts
    assert all("出差" not in t for t in texts)


def storage_name(world: World, person_id: str) -> str:
    with session_scope(world.app.state.sessions) as s:
        return storage.person_names(s, [person_id])[person_id]


def test_minutes_wait_for_the_meeting_to_be_held(world: World) -> None:
    meeting_id = held_meeting(world, invitees=(world.person([("own", ["staff"])]),), started=False)
    out = push(world, world.actor("secretary"), "meetings.start_minutes",
               {"meeting_id": meeting_id, "document_id": f"d-{uuid.uuid4().hex[:12]}"})
    assert out["status"] == "conflict" and out["error"]["code"] == "meetings.minutes_not_yet"
    added = push(world, world.actor("secretary"), "meetings.add_decision", decision_args(world, meeting_id))
    assert added["error"]["code"] == "meetings.minutes_not_yet"


def test_decisions_are_added_edited_and_removed_by_the_organiser(world: World) -> None:
    secretary = world.actor("secretary")
    meeting_id = held_meeting(world, invitees=(world.person([("own", ["staff"])]),))
    first = decision_args(world, meeting_id)
    assert push(world, secretary, "meetings.add_decision", first)["status"] == "applied"
    twice = push(world, secretary, "meetings.add_decision", first)
    assert twice["error"]["code"] == "meetings.decision_exists"
    both = push(world, secretary, "meetings.add_decision",
                decision_args(world, meeting_id, due="2030-01-31"))
    assert both["error"]["code"] == "meetings.decision_deadline"
    unknown = push(world, secretary, "meetings.add_decision",
                   decision_args(world, meeting_id, deadline_days=None, due="2030-01-31",
                             lead_unit_id="b-nowhere"))
    assert unknown["error"]["code"] == "meetings.unknown_body"
    not_mine = push(world, world.actor("staff"), "meetings.add_decision", decision_args(world, meeting_id))
    assert not_mine["error"]["code"] == "meetings.not_organiser"
    edited = push(world, secretary, "meetings.edit_decision",
                  {**first, "what": "制定公共数据目录。", "deadline_days": None, "due": "2030-01-31",
                   "co_unit_ids": []})
    assert edited["status"] == "applied", edited
    decisions = _meeting(world, meeting_id)["decisions"]
    assert len(decisions) == 1 and decisions[0]["what"] == "制定公共数据目录。"
    assert decisions[0]["due"] == "2030-01-31" and decisions[0]["deadline_days"] is None
    assert decisions[0]["co_units"] == [] and decisions[0]["lead_unit_name"]
    removed = push(world, secretary, "meetings.remove_decision",
                   {"meeting_id": meeting_id, "decision_id": first["decision_id"]})
    assert removed["status"] == "applied" and _meeting(world, meeting_id)["decisions"] == []
    gone = push(world, secretary, "meetings.remove_decision",
                {"meeting_id": meeting_id, "decision_id": first["decision_id"]})
    assert gone["error"]["code"] == "meetings.decision_not_found"


def _items(world: World, item_id: str) -> int:
    with session_scope(world.app.state.sessions) as s:
        return int(s.scalar(select(func.count()).select_from(Item).where(Item.id == item_id)) or 0)


def test_a_decision_of_issued_minutes_becomes_one_supervision_item(world: World) -> None:
    secretary = world.actor("secretary")
    meeting_id = held_meeting(world, invitees=(world.person([("own", ["staff"])]),))
    decision = decision_args(world, meeting_id)
    assert push(world, secretary, "meetings.add_decision", decision)["status"] == "applied"
    send = {"meeting_id": meeting_id, "decision_id": decision["decision_id"]}
    no_minutes = push(world, secretary, "meetings.send_decision", send)
    assert no_minutes["error"]["code"] == "meetings.no_minutes"
    doc_id = f"d-{uuid.uuid4().hex[:12]}"
    assert push(world, secretary, "meetings.start_minutes",
                {"meeting_id": meeting_id, "document_id": doc_id})["status"] == "applied"
    early = push(world, secretary, "meetings.send_decision", send)
    assert early["error"]["code"] == "meetings.minutes_not_issued"
    issue(world, doc_id)
    clerk = push(world, world.actor("registry_clerk"), "meetings.send_decision", send)
    assert clerk["error"]["code"] == "supervision.not_staff"
    out = push(world, secretary, "meetings.send_decision", send)
    assert out["status"] == "applied", out
    item_id = out["result"]["item_id"]
    assert item_id == MIN.item_id_for(decision["decision_id"])
    assert out["result"]["number"].startswith("督字〔") and out["result"]["existing"] is False
    again = push(world, world.actor("sys_admin"), "meetings.send_decision", send)
    assert again["status"] == "applied" and again["result"]["item_id"] == item_id
    assert again["result"]["existing"] is True and _items(world, item_id) == 1

    feed = _feed(world, secretary.person_id)
    item = feed[("supervision.item", item_id)]
    assert item is not None and item["source"] == "meeting"
    assert item["source_link"] == {"kind": "meeting", "id": meeting_id, "title": "全市政务数据工作专题会",
                                   "decision_id": decision["decision_id"], "document_id": doc_id}
    assert item["lead_unit_id"] == world.body("own") and item["co_unit_ids"] == [world.body("other")]
    assert item["deadline_days"] == 10 and "〔2026〕7号" in item["content"]
    assert SS.source_target(item) == ("meetings.meeting", meeting_id, "meetings")
    sent = _meeting(world, meeting_id)["decisions"][0]["supervision"]
    assert sent["item_id"] == item_id and sent["number"] == item["number"]
    assert sent["state"] == item["state"]
    fixed = push(world, secretary, "meetings.edit_decision", {**decision, "what": "改一下"})
    assert fixed["status"] == "conflict" and fixed["error"]["code"] == "meetings.decision_sent"
    kept = push(world, secretary, "meetings.remove_decision", send)
    assert kept["error"]["code"] == "meetings.decision_sent"


def test_a_leaders_instruction_becomes_a_linked_item_once(world: World) -> None:
    secretary, leader = world.actor("secretary"), world.actor("leader")
    doc_id = document_with_instruction(world, "own", leader.person_id)
    args = {"document_id": doc_id, "lead_unit_id": world.body("own"), "deadline_days": 5}
    denied = push(world, world.actor("staff"), "supervision.from_instruction", args)
    assert denied["error"]["code"] == "supervision.not_staff"
    other = push(world, world.actor("secretary", "other"), "supervision.from_instruction", args)
    assert other["error"]["code"] == "supervision.not_staff"
    out = push(world, secretary, "supervision.from_instruction", args)
    assert out["status"] == "applied", out
    again = push(world, secretary, "supervision.from_instruction", args)
    assert again["result"]["item_id"] == out["result"]["item_id"] and again["result"]["existing"]
    assert _items(world, out["result"]["item_id"]) == 1
    item = _feed(world, secretary.person_id)[("supervision.item", out["result"]["item_id"])]
    assert item is not None and item["source"] == "instruction"
    assert item["title"] == "关于加快公共数据开放的通知" and item["leader_id"] == leader.person_id
    assert item["content"].endswith("《关于加快公共数据开放的通知》")
    assert "请市数据局抓紧落实" in item["content"]
    assert item["source_link"]["kind"] == "document" and item["source_link"]["id"] == doc_id
    assert SS.source_target(item) == ("documents.document", doc_id, "documents")
    # the supervising leader (who wrote it) is told: the item reaches them
    assert _feed(world, leader.person_id).get(("supervision.item", item["id"])) is not None


def test_a_document_without_an_instruction_is_refused(world: World) -> None:
    secretary = world.actor("secretary")
    doc_id = f"d-{uuid.uuid4().hex[:12]}"
    assert push(world, secretary, "documents.create_draft", {
        "document_id": doc_id, "body_id": world.body("own"),
        "spec": {"doc_type": "通知", "title": "无批示", "issuer_mark": "测试", "body": ["正文"]}}
    )["status"] == "applied"
    out = push(world, secretary, "supervision.from_instruction",
               {"document_id": doc_id, "lead_unit_id": world.body("own"), "deadline_days": 5})
    assert out["error"]["code"] == "supervision.no_instruction"
    missing = push(world, secretary, "supervision.from_instruction",
                   {"document_id": "d-none-such", "lead_unit_id": world.body("own"),
                    "deadline_days": 5})
    assert missing["error"]["code"] == "document.not_found"
