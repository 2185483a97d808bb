"""Chasing the 回执 (催办回执): the organiser reminds those who have not replied and the
nominators of bodies yet to name attendees, once per person per interval; on the real
server (SQLite and PostgreSQL) and in the pure rules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from modules.common.access import ActorFacts, PostFacts
from modules.common.errors import PermissionDenied, ValidationFailed
from modules.meetings import chase as CH
from modules.meetings import meeting as M
from modules.meetings import rules as R
from server.db import session_scope
from server.reminders.models import Notice
from tests.access.world import World, push

CST = R.CHINA


def _published(world: World, invitees: list[str], bodies: list[str] | None = None) -> str:
    start = (dt.datetime.now(CST) + dt.timedelta(days=4)).replace(hour=9, minute=0, second=0,
                                                                   microsecond=0)
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    saved = push(world, world.actor("secretary"), "meetings.save_meeting", {
        "meeting_id": meeting_id, "subject": "催办测试专题会", "kind": "专题会",
        "host_body_id": world.body("own"), "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(), "place": "三楼会议室",
        "invitees": invitees, "bodies": bodies or []})
    assert saved["status"] == "applied", saved
    assert push(world, world.actor("secretary"), "meetings.publish_meeting",
                {"meeting_id": meeting_id})["status"] == "applied"
    return meeting_id


def _notices(world: World, meeting_id: str) -> dict[str, int]:
    with session_scope(world.app.state.sessions) as s:
        rows = s.scalars(select(Notice).where(Notice.reminder_id.like(f"chase:{meeting_id}:%")))
        out: dict[str, int] = {}
        for n in rows:
            out[n.person_id] = out.get(n.person_id, 0) + 1
        return out


def test_chasing_reminds_those_who_have_not_replied_once_per_interval(world: World) -> None:
    a, b = world.person([("own", ["staff"])]), world.person([("own", ["staff"])])
    meeting_id = _published(world, [a, b])
    assert push(world, world.actor("secretary"), "meetings.chase_replies",
                {"meeting_id": meeting_id})["status"] == "applied"
    first = _notices(world, meeting_id)
    assert first == {a: 1, b: 1}
    again = push(world, world.actor("secretary"), "meetings.chase_replies",
                 {"meeting_id": meeting_id, "note": "请今天下班前回执"})
    assert again["status"] == "applied", again
    assert again["result"]["chased"] == 0 and again["result"]["recently"] == 2
    assert "刚催过" in again["result"]["words"]
    assert _notices(world, meeting_id) == first  # nobody reminded twice within the interval


def test_the_bodies_yet_to_nominate_are_chased_through_their_nominators(world: World) -> None:
    clerk = world.person([("lower", ["registry_clerk"])])
    meeting_id = _published(world, [], bodies=[world.body("lower")])
    out = push(world, world.actor("secretary"), "meetings.chase_replies", {"meeting_id": meeting_id})
    assert out["status"] == "applied", out
    assert _notices(world, meeting_id).get(clerk) == 1


def test_nobody_left_to_chase_and_a_stranger_are_refused(world: World) -> None:
    a = world.person([("own", ["staff"])])
    meeting_id = _published(world, [a])
    refused = push(world, world.actor("staff"), "meetings.chase_replies", {"meeting_id": meeting_id})
    assert refused["status"] == "rejected" and refused["error"]["code"] == "meetings.not_organiser"
    assert _notices(world, meeting_id) == {}


def _meeting(**extra: Any) -> dict[str, Any]:
    start = dt.datetime(2026, 12, 8, 9, tzinfo=CST)
    return {"id": "mt-0001", "subject": "专题会", "state": M.PUBLISHED, "host_body_id": "b-1",
            "host_body_name": "市政府办公室", "host_organs_above": ["b-1"],
            "start": start.isoformat(), "end": (start + dt.timedelta(hours=2)).isoformat(),
            "invitees": [{"id": "p-a", "name": "张伟"}, {"id": "p-b", "name": "李娜"}],
            "bodies": [{"id": "b-2", "name": "市财政局"}], **extra}


ORGANISER = ActorFacts("p-sec", (PostFacts("b-1", "b-1", frozenset({"secretary"})),))
NOW = dt.datetime(2026, 12, 1, 10, tzinfo=CST)


def test_the_plan_skips_the_recently_chased_and_the_answered() -> None:
    meeting = _meeting()
    replies = [{"meeting_id": "mt-0001", "person_id": "p-b", "answer": "attend"}]
    tally = M.tally(meeting, [], replies, NOW)
    plan = CH.plan(meeting, tally, {"b-2": ["p-clerk"]},
                   {"p-a": NOW - dt.timedelta(minutes=30)}, ORGANISER, NOW)
    assert plan.now == ("p-clerk",) and [p for p, _ in plan.recently] == ["p-a"]
    later = CH.plan(meeting, tally, {"b-2": ["p-clerk"]},
                    {"p-a": NOW - dt.timedelta(minutes=30)}, ORGANISER,
                    NOW + dt.timedelta(hours=2))
    assert later.now == ("p-a", "p-clerk") and later.recently == ()
    assert later.words("en") == "Reminded 2"


def test_the_plan_refuses_what_cannot_be_chased() -> None:
    everyone = [{"meeting_id": "mt-0001", "person_id": p, "answer": "attend"} for p in ("p-a", "p-b")]
    noms = [{"meeting_id": "mt-0001", "body_id": "b-2", "nominees": [{"id": "p-c", "name": "王强"}]}]
    meeting = _meeting()
    done = M.tally(meeting, noms, [*everyone, {"meeting_id": "mt-0001", "person_id": "p-c",
                                               "answer": "decline"}], NOW)
    with pytest.raises(ValidationFailed, match=r"meetings\.nobody_to_chase"):
        CH.plan(meeting, done, {}, {}, ORGANISER, NOW)
    stranger = ActorFacts("p-x", (PostFacts("b-9", "b-9", frozenset({"staff"})),))
    with pytest.raises(PermissionDenied):
        CH.plan(meeting, M.tally(meeting, [], [], NOW), {}, {}, stranger, NOW)
    over = NOW + dt.timedelta(days=8)
    with pytest.raises(ValidationFailed, match=r"meetings\.bad_meeting_time"):
        CH.plan(meeting, M.tally(meeting, [], [], over), {}, {}, ORGANISER, over)
