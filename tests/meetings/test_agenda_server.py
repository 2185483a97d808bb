"""The agenda (议题) and proposed topics (申报议题) on the real server, SQLite and
PostgreSQL: items with materials (blobs readable by whoever sees the meeting), the
notified update after publishing, presenters who see the meeting, a unit proposing a
topic, the organiser accepting it onto the agenda or declining it, ordering and removing."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

from modules.meetings import agenda as A
from modules.meetings import meeting as M
from modules.meetings import rules as R
from tests.access.world import Actor, World, push
from tests.documents_server.conftest import Office

CST = R.CHINA


def _start(days: int = 3) -> dt.datetime:
    day = (dt.datetime.now(CST) + dt.timedelta(days=days)).date()
    return dt.datetime.combine(day, dt.time(9), CST)


def _feed(world: World, actor: Actor) -> dict[tuple[str, str], dict[str, Any] | None]:
    return Office(world.app).feed(actor.person_id)


def _meeting(world: World, invitees: list[str], bodies: list[str] | None = None,
             publish: bool = True) -> str:
    start = _start()
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    saved = push(world, world.actor("secretary"), "meetings.save_meeting", {
        "meeting_id": meeting_id, "subject": "全市政务数据工作专题会", "kind": "专题会",
        "host_body_id": world.body("own"), "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=3)).isoformat(), "place": "第一会议室",
        "invitees": invitees, "bodies": bodies or []})
    assert saved["status"] == "applied", saved
    if publish:
        out = push(world, world.actor("secretary"), "meetings.publish_meeting",
                   {"meeting_id": meeting_id})
        assert out["status"] == "applied", out
    return meeting_id


def _upload(world: World, actor: Actor, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    r = world.client.put(f"/api/v1/blobs/{sha}", headers=actor.headers,
                         params={"offset": 0, "total": len(data)}, content=data)
    assert r.status_code == 200 and r.json()["complete"], r.text
    return sha


def _can_read(world: World, actor: Actor, sha: str) -> bool:
    r = world.client.get(f"/api/v1/blobs/{sha}", headers=actor.headers)
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


def _item(meeting_id: str, **extra: Any) -> dict[str, Any]:
    return {"meeting_id": meeting_id, "item_id": f"ai-{uuid.uuid4().hex[:12]}",
            "title": "听取市数据局工作汇报", **extra}


def test_items_with_materials_reach_everyone_who_sees_the_meeting(world: World) -> None:
    secretary, staff = world.actor("secretary"), world.actor("staff")
    presenter = world.actor("division_head")
    meeting_id = _meeting(world, [staff.person_id])
    sha = _upload(world, secretary, f"汇报材料 {uuid.uuid4()}".encode())
    start = _start()
    added = push(world, secretary, "meetings.save_agenda_item", _item(
        meeting_id, presenter_id=presenter.person_id,
        start=start.isoformat(), end=(start + dt.timedelta(minutes=40)).isoformat(),
        materials=[{"sha256": sha, "name": "汇报材料.pdf", "size": 1}]))
    assert added["status"] == "applied", added
    assert added["result"]["sequence"] == 1  # published: a notified update
    seen = _feed(world, staff)[(M.MEETING, meeting_id)]
    assert seen is not None and seen["changes"][-1]["fields"] == ["agenda"]
    item = seen["agenda"][0]
    assert item["presenter_name"] and item["order"] == 1
    assert item["materials"][0]["size"] == len(f"汇报材料 {uuid.uuid4()}".encode())  # server's size
    assert _can_read(world, staff, sha)
    assert _feed(world, presenter).get((M.MEETING, meeting_id)) is not None  # the presenter sees it
    assert not _can_read(world, world.actor("staff", "other"), sha)
    todo = [v for (e, _), v in _feed(world, staff).items()
            if e == "workbench.todo" and v and v["ref_id"] == meeting_id and not v["done"]]
    assert todo and todo[0]["title"].startswith("【变更】")


def test_a_material_one_cannot_read_is_refused_and_slots_are_checked(world: World) -> None:
    secretary = world.actor("secretary")
    meeting_id = _meeting(world, [world.actor("staff").person_id])
    foreign = _upload(world, world.actor("staff", "other"), f"别人的文件 {uuid.uuid4()}".encode())
    out = push(world, secretary, "meetings.save_agenda_item",
               _item(meeting_id, materials=[{"sha256": foreign, "name": "x.pdf"}]))
    assert out["status"] == "rejected" and out["error"]["code"] == "blob.not_found"
    late = _start() + dt.timedelta(hours=5)
    outside = push(world, secretary, "meetings.save_agenda_item", _item(
        meeting_id, start=late.isoformat(), end=(late + dt.timedelta(hours=1)).isoformat()))
    assert outside["status"] == "rejected"
    assert outside["error"]["code"] == "meetings.bad_agenda_slot"
    assert "会议时间" in outside["error"]["message"]
    denied = push(world, world.actor("staff"), "meetings.save_agenda_item", _item(meeting_id))
    assert denied["error"]["code"] == "meetings.not_organiser"


def test_ordering_and_removing_items(world: World) -> None:
    secretary = world.actor("secretary")
    meeting_id = _meeting(world, [world.actor("staff").person_id], publish=False)
    ids = []
    for title in ("甲", "乙", "丙"):
        args = _item(meeting_id, title=title)
        assert push(world, secretary, "meetings.save_agenda_item", args)["status"] == "applied"
        ids.append(args["item_id"])
    out = push(world, secretary, "meetings.order_agenda",
               {"meeting_id": meeting_id, "item_ids": [ids[2], ids[0], ids[1]]})
    assert out["status"] == "applied" and out["result"]["sequence"] == 0  # a draft
    assert push(world, secretary, "meetings.remove_agenda_item",
                {"meeting_id": meeting_id, "item_id": ids[0]})["status"] == "applied"
    seen = _feed(world, secretary)[(M.MEETING, meeting_id)]
    assert seen is not None
    assert [(i["title"], i["order"]) for i in seen["agenda"]] == [("丙", 1), ("乙", 2)]
    bad = push(world, secretary, "meetings.order_agenda",
               {"meeting_id": meeting_id, "item_ids": [ids[1]]})
    assert bad["error"]["code"] == "meetings.agenda_bad_order"


def test_a_unit_proposes_a_topic_and_the_organiser_accepts_or_declines(world: World) -> None:
    secretary, staff = world.actor("secretary"), world.actor("staff")
    clerk = world.actor("registry_clerk", "lower")
    meeting_id = _meeting(world, [staff.person_id], bodies=[world.body("lower")])
    sha = _upload(world, clerk, f"县里的材料 {uuid.uuid4()}".encode())
    topic_id = f"tp-{uuid.uuid4().hex[:12]}"
    proposal = {"topic_id": topic_id, "meeting_id": meeting_id, "body_id": world.body("lower"),
                "title": "关于县级数据回流的议题", "minutes": 15,
                "materials": [{"sha256": sha, "name": "回流方案.docx"}]}
    refused = push(world, world.actor("staff", "lower"), "meetings.propose_topic",
                   {**proposal, "topic_id": f"tp-{uuid.uuid4().hex[:12]}"})
    assert refused["error"]["code"] == "meetings.not_proposer"
    made = push(world, clerk, "meetings.propose_topic", proposal)
    assert made["status"] == "applied", made
    assert _feed(world, secretary).get((A.TOPIC, topic_id)) is not None
    assert _feed(world, staff).get((A.TOPIC, topic_id)) is None  # not the other invitees
    assert _can_read(world, secretary, sha)  # the organiser opens the unit's material
    # a person of the host body proposes for the host body
    own = push(world, staff, "meetings.propose_topic", {
        **proposal, "topic_id": f"tp-{uuid.uuid4().hex[:12]}", "body_id": world.body("own"),
        "materials": []})
    assert own["status"] == "applied", own
    no_reason = push(world, secretary, "meetings.decide_topic",
                     {"topic_id": own["result"]["topic_id"], "accept": False})
    assert no_reason["error"]["code"] == "meetings.reason_required"
    declined = push(world, secretary, "meetings.decide_topic",
                    {"topic_id": own["result"]["topic_id"], "accept": False, "reason": "下次再议"})
    assert declined["result"]["state"] == A.DECLINED
    by_clerk = push(world, clerk, "meetings.decide_topic", {"topic_id": topic_id, "accept": True})
    assert by_clerk["error"]["code"] == "meetings.not_organiser"
    accepted = push(world, secretary, "meetings.decide_topic", {"topic_id": topic_id, "accept": True})
    assert accepted["status"] == "applied", accepted
    seen = _feed(world, staff)[(M.MEETING, meeting_id)]
    assert seen is not None and seen["agenda"][-1]["topic_id"] == topic_id
    assert seen["agenda"][-1]["body_name"]
    assert _can_read(world, staff, sha)  # now on the agenda: every attendee reads it
    topic = _feed(world, clerk)[(A.TOPIC, topic_id)]
    assert topic is not None and topic["state"] == A.ACCEPTED
    again = push(world, secretary, "meetings.decide_topic", {"topic_id": topic_id, "accept": True})
    assert again["status"] == "conflict" or again["error"]["code"] == "meetings.topic_decided"
