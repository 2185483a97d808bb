"""Meetings and replies on the real server, SQLite and PostgreSQL: drafts seen only by
organisers, publishing, changes that raise SEQUENCE, replies, substitutes, a body's
nomination, to-dos on the workbench, audiences, and the client's optimistic reply level
with the server's record."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from modules.common.access import profile_facts
from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from server.db import session_scope
from server.meetings import storage
from tests.access.world import Actor, World, push
from tests.documents_server.conftest import Office

CST = R.CHINA


def _when(days: int = 3, hour: int = 9) -> tuple[str, str, str]:
    day = (dt.datetime.now(CST) + dt.timedelta(days=days)).date()
    start = dt.datetime.combine(day, dt.time(hour), CST)
    return (start.isoformat(), (start + dt.timedelta(hours=2)).isoformat(),
            (start - dt.timedelta(days=1)).isoformat())


def _feed(world: World, actor: Actor) -> dict[tuple[str, str], dict[str, Any] | None]:
    """Everything ``actor`` receives from an empty cursor (None: withdrawn)."""
    return Office(world.app).feed(actor.person_id)


def _seen(world: World, actor: Actor, entity: str, record_id: str) -> bool:
    return _feed(world, actor).get((entity, record_id)) is not None


def _meeting(world: World, *, invitees: list[str], bodies: list[str] | None = None,
             publish: bool = True, **extra: Any) -> str:
    start, end, reply_by = _when()
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    args = {"meeting_id": meeting_id, "subject": "全市政务数据工作专题会", "kind": "专题会",
            "host_body_id": world.body("own"), "start": start, "end": end,
            "place": "市政府三楼第一会议室", "invitees": invitees, "bodies": bodies or [],
            "reply_by": reply_by, **extra}
    saved = push(world, world.actor("secretary"), "meetings.save_meeting", args)
    assert saved["status"] == "applied", saved
    if publish:
        out = push(world, world.actor("secretary"), "meetings.publish_meeting",
                   {"meeting_id": meeting_id})
        assert out["status"] == "applied", out
    return meeting_id


def _todos(world: World, actor: Actor, meeting_id: str) -> list[dict[str, Any]]:
    return [v for (e, _), v in _feed(world, actor).items()
            if e == "workbench.todo" and v and v["ref_id"] == meeting_id and not v["done"]]


def test_a_draft_reaches_only_its_organisers_and_publishing_sends_it(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id], publish=False)
    assert _seen(world, world.actor("secretary"), M.MEETING, meeting_id)
    assert not _seen(world, world.actor("sys_admin"), M.MEETING, meeting_id)  # 三员分立
    assert not _seen(world, staff, M.MEETING, meeting_id)
    assert _todos(world, staff, meeting_id) == []
    push(world, world.actor("secretary"), "meetings.publish_meeting", {"meeting_id": meeting_id})
    assert _seen(world, staff, M.MEETING, meeting_id)
    todos = _todos(world, staff, meeting_id)
    assert len(todos) == 1 and todos[0]["module"] == "meetings" and todos[0]["kind"] == "会议"
    assert not _seen(world, world.actor("staff", "other"), M.MEETING, meeting_id)
    assert not _seen(world, world.actor("division_head"), M.MEETING, meeting_id)


def test_a_published_meeting_changes_only_with_a_note_that_raises_the_sequence(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    start, end, reply_by = _when(days=4, hour=14)
    args = {"meeting_id": meeting_id, "subject": "全市政务数据工作专题会", "kind": "专题会",
            "host_body_id": world.body("own"), "start": start, "end": end,
            "place": "市政府三楼第一会议室", "invitees": [staff.person_id], "reply_by": reply_by}
    silent = push(world, world.actor("secretary"), "meetings.save_meeting", args)
    assert silent["status"] == "rejected"
    assert silent["error"]["code"] == "meetings.change_note_required"
    changed = push(world, world.actor("secretary"), "meetings.save_meeting",
                   {**args, "change_note": "会议改期至周四下午"})
    assert changed["result"]["sequence"] == 1
    seen = _feed(world, staff)[(M.MEETING, meeting_id)]
    assert seen is not None and seen["changes"][-1]["note"] == "会议改期至周四下午"
    assert set(seen["changes"][-1]["fields"]) == {"start", "end", "reply_by"}
    assert _todos(world, staff, meeting_id)[0]["title"].startswith("【变更】")


def test_replies_substitutes_and_the_tally(world: World) -> None:
    staff, leader, head = world.actor("staff"), world.actor("leader"), world.actor("division_head")
    meeting_id = _meeting(world, invitees=[staff.person_id, leader.person_id])
    outsider = push(world, head, "meetings.reply", {"meeting_id": meeting_id, "answer": "attend"})
    assert outsider["status"] == "rejected" and outsider["error"]["code"] == "meetings.not_invited"
    no_reason = push(world, staff, "meetings.reply", {"meeting_id": meeting_id, "answer": "decline"})
    assert no_reason["error"]["code"] == "meetings.reason_required"
    assert push(world, staff, "meetings.reply", {"meeting_id": meeting_id, "answer": "decline",
                                                 "reason": "在外地出差"})["status"] == "applied"
    sent = push(world, leader, "meetings.reply", {"meeting_id": meeting_id, "answer": "substitute",
                                                  "substitute_id": head.person_id})
    assert sent["status"] == "applied", sent
    # the substitute now sees the meeting, has the to-do, and answers in turn
    assert _seen(world, head, M.MEETING, meeting_id)
    assert len(_todos(world, head, meeting_id)) == 1
    again = push(world, head, "meetings.reply", {"meeting_id": meeting_id, "answer": "substitute",
                                                 "substitute_id": staff.person_id})
    assert again["error"]["code"] == "meetings.bad_substitute"
    assert push(world, head, "meetings.reply",
                {"meeting_id": meeting_id, "answer": "attend"})["status"] == "applied"
    assert _todos(world, head, meeting_id) == [] and _todos(world, staff, meeting_id) == []
    # a 请假 reason reaches the organisers, not the other invitees
    reply_id = M.reply_id(meeting_id, staff.person_id)
    assert _seen(world, world.actor("secretary"), M.REPLY, reply_id)
    assert not _seen(world, leader, M.REPLY, reply_id)
    with session_scope(world.app.state.sessions) as s:
        meeting = storage.meeting_record(s, meeting_id)
        assert meeting is not None
        tally = M.tally(meeting, storage.nominations_of(s, meeting_id),
                        storage.replies_of(s, meeting_id), dt.datetime.now(dt.UTC))
    assert (tally.attending, tally.declined, tally.substitutes, tally.pending) == (1, 1, 1, 0)
    assert {r.name for r in tally.rows if r.answer == M.ATTEND} == {
        next(r.name for r in tally.rows if r.person_id == head.person_id)}


def test_an_invited_body_nominates_and_its_nominees_reply(world: World) -> None:
    clerk = world.actor("registry_clerk", "other")
    nominee_id = world.person([("other", ["staff"])], login="mtnominee1")
    nominee = Actor("staff", "other", nominee_id, "mtnominee1", world.sign_in("mtnominee1"))
    meeting_id = _meeting(world, invitees=[], bodies=[world.body("other")])
    assert _seen(world, clerk, M.MEETING, meeting_id)
    assert len(_todos(world, clerk, meeting_id)) == 1
    stranger = push(world, clerk, "meetings.nominate", {
        "meeting_id": meeting_id, "body_id": world.body("other"),
        "nominees": [world.actor("staff").person_id]})
    assert stranger["error"]["code"] == "meetings.nominee_not_member"
    wrong = push(world, world.actor("registry_clerk"), "meetings.nominate", {
        "meeting_id": meeting_id, "body_id": world.body("other"), "nominees": [nominee_id]})
    assert wrong["error"]["code"] == "meetings.not_nominator"
    ok = push(world, clerk, "meetings.nominate", {
        "meeting_id": meeting_id, "body_id": world.body("other"), "nominees": [nominee_id]})
    assert ok["status"] == "applied", ok
    assert _todos(world, clerk, meeting_id) == []
    assert _seen(world, nominee, M.MEETING, meeting_id)
    assert len(_todos(world, nominee, meeting_id)) == 1
    assert push(world, nominee, "meetings.reply",
                {"meeting_id": meeting_id, "answer": "attend"})["status"] == "applied"
    assert _seen(world, clerk, M.REPLY, M.reply_id(meeting_id, nominee_id))


def test_cancelling_withdraws_the_todos_and_frees_the_room(world: World) -> None:
    staff = world.actor("staff")
    room_id = f"mr-{uuid.uuid4().hex[:12]}"
    assert push(world, world.actor("sys_admin"), "meetings.save_room", {
        "room_id": room_id, "body_id": world.body("own"), "name": "取消测试会议室"})["status"] == "applied"
    start, end, _ = _when(days=5, hour=10)
    booking_id = f"mb-{uuid.uuid4().hex[:12]}"
    assert push(world, world.actor("secretary"), "meetings.book_room", {
        "booking_id": booking_id, "room_id": room_id, "start": start, "end": end,
        "subject": "专题会"})["status"] == "applied"
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    base = {"meeting_id": meeting_id, "subject": "专题会", "kind": "专题会",
            "host_body_id": world.body("own"), "invitees": [staff.person_id],
            "booking_id": booking_id}
    late = (dt.datetime.fromisoformat(end) + dt.timedelta(hours=1)).isoformat()
    outside = push(world, world.actor("secretary"), "meetings.save_meeting",
                   {**base, "start": start, "end": late})
    assert outside["error"]["code"] == "meetings.booking_mismatch"
    assert push(world, world.actor("secretary"), "meetings.save_meeting",
                {**base, "start": start, "end": end})["status"] == "applied"
    push(world, world.actor("secretary"), "meetings.publish_meeting", {"meeting_id": meeting_id})
    assert len(_todos(world, staff, meeting_id)) == 1
    cancelled = push(world, world.actor("secretary"), "meetings.cancel_meeting",
                     {"meeting_id": meeting_id, "reason": "领导另有安排"})
    assert cancelled["result"]["state"] == "cancelled" and cancelled["result"]["sequence"] == 1
    assert _todos(world, staff, meeting_id) == []
    assert not any(k[0] == "workbench.todo" and v and v["ref_id"] == meeting_id
                   for k, v in _feed(world, staff).items())
    with session_scope(world.app.state.sessions) as s:
        booking = storage.booking_record(s, booking_id)
    assert booking is not None and booking["state"] == "cancelled"
    refused = push(world, staff, "meetings.reply", {"meeting_id": meeting_id, "answer": "attend"})
    assert refused["status"] == "conflict" and refused["error"]["code"] == "meetings.meeting_state"


def test_client_optimistic_reply_matches_the_server(world: World) -> None:
    """The same pure effect on the device gives the server's record (timestamps aside),
    for a substitute too."""
    staff, head = world.actor("staff"), world.actor("division_head")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    me = world.client.get("/api/v1/me", headers=staff.headers).json()
    with session_scope(world.app.state.sessions) as s:
        meeting = storage.meeting_record(s, meeting_id)
        head_name = storage.person_names(s, [head.person_id])[head.person_id]
    args = I.REPLY_MEETING.parse({"meeting_id": meeting_id, "answer": "substitute",
                                  "reason": "同一时间另有会议", "substitute_id": head.person_id})
    local = I.reply(meeting, None, [], [], args, profile_facts(me), head_name,
                    dt.datetime.now(dt.UTC))
    result = push(world, staff, "meetings.reply", args.model_dump(mode="json"))
    assert result["status"] == "applied", result
    with session_scope(world.app.state.sessions) as s:
        server = storage.reply_record(s, meeting_id, staff.person_id)
    assert server is not None
    skip = {"created_at", "updated_at", "answered_at"}
    assert {k: v for k, v in local.items() if k not in skip} == \
        {k: v for k, v in server.items() if k not in skip}


def test_the_todos_of_a_meeting_that_has_ended_are_closed_by_the_sweep(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    assert len(_todos(world, staff, meeting_id)) == 1
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        before_end = row.ends_at - dt.timedelta(minutes=1)
        assert storage.close_ended_todos(s, before_end) == 0
    assert len(_todos(world, staff, meeting_id)) == 1
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        assert storage.close_ended_todos(s, row.ends_at + dt.timedelta(minutes=1)) >= 1
        assert row.open_todos == []
    assert _todos(world, staff, meeting_id) == []
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        storage.close_ended_todos(s, row.ends_at + dt.timedelta(minutes=2))
        assert row.open_todos == []
    assert _todos(world, staff, meeting_id) == []


def test_on_the_day_those_who_attend_get_a_todays_meeting_todo_done_once_it_is_held(
        world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])  # in three days
    assert push(world, staff, "meetings.reply", {"meeting_id": meeting_id,
                                                 "answer": "attend"})["status"] == "applied"
    assert _todos(world, staff, meeting_id) == []  # answered, and not today yet
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        morning = row.starts_at - dt.timedelta(hours=1)
        assert storage.open_todays_todos(s, morning) >= 1
    today = _todos(world, staff, meeting_id)
    assert len(today) == 1 and today[0]["title"].startswith("今日会议：")
    with session_scope(world.app.state.sessions) as s:
        row = storage.meeting_row(s, meeting_id)
        assert row is not None
        storage.close_ended_todos(s, row.ends_at + dt.timedelta(minutes=1))
    assert _todos(world, staff, meeting_id) == []
    kept = [v for (e, i), v in _feed(world, staff).items()
            if e == "workbench.todo" and v and ":t:" in i and v["ref_id"] == meeting_id]
    assert len(kept) == 1 and kept[0]["done"]  # in 已办, not withdrawn


def test_a_deployment_configures_its_meeting_types_and_every_device_receives_them(
        world: World) -> None:
    start, end, _ = _when(days=6)
    base = {"subject": "年度务虚会", "host_body_id": world.body("own"), "start": start,
            "end": end, "place": "三楼"}
    with session_scope(world.app.state.sessions) as s:
        assert storage.publish_kinds(s, ["务虚会", "专题会"])
        assert not storage.publish_kinds(s, ["务虚会", "专题会"])  # unchanged: nothing written
    try:
        refused = push(world, world.actor("secretary"), "meetings.save_meeting", {
            **base, "meeting_id": f"mt-{uuid.uuid4().hex[:12]}", "kind": "办公会"})
        assert refused["error"]["code"] == "meetings.unknown_kind"
        assert "务虚会" in refused["error"]["message"]
        assert push(world, world.actor("secretary"), "meetings.save_meeting", {
            **base, "meeting_id": f"mt-{uuid.uuid4().hex[:12]}", "kind": "务虚会"}
        )["status"] == "applied"
        published = _feed(world, world.actor("staff")).get((M.KINDS, "all"))
        assert published is not None and published["kinds"] == ["务虚会", "专题会"]
    finally:
        with session_scope(world.app.state.sessions) as s:
            assert storage.publish_kinds(s, [])  # back to the built-in list
    with session_scope(world.app.state.sessions) as s:
        assert storage.meeting_kinds(s) == M.MEETING_KINDS
