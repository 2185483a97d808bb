"""The meetings access matrix: every meetings intent × every role × a room owned by the
actor's own body, a sibling, a higher and a lower body (and one's own booking)."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

import pytest

from modules.meetings import rules as R
from server.access_facts import body_facts
from server.db import session_scope
from server.meetings import storage
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, ROLES, Actor, World, intent_outcome, push

MEETINGS = read_table(HERE / "table_meetings.csv")
DENY_CODES = {"meetings.not_member", "meetings.not_room_manager", "meetings.not_approver",
              "meetings.not_applicant"}
_hours = itertools.count(0)


def _slot() -> tuple[str, str]:
    """A fresh hour on some future day inside open hours (07:00–23:00 China time)."""
    n = next(_hours)
    day = dt.datetime.now(R.CHINA).date() + dt.timedelta(days=1 + n // 14)
    start = dt.datetime.combine(day, dt.time(8 + n % 14), R.CHINA)
    return start.isoformat(), (start + dt.timedelta(hours=1)).isoformat()


def _room(world: World, relation: str, *, needs_approval: bool = False) -> str:
    """A room of ``relation``'s body, stored directly (not through the intent under test)."""
    room_id = f"mr-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    with session_scope(world.app.state.sessions) as s:
        body = body_facts(s, world.body(relation))
        room = R.Room(room_id, body.id, f"会议室{room_id[-4:]}", needs_approval=needs_approval)
        storage.put_room(s, {**room.to_dict(), "body_name": body.name, "organ_id": body.organ_id,
                             "organs_above": list(body.organs_above),
                             "updated_at": now.isoformat()}, now)
    return room_id


def _booking(world: World, relation: str, *, held: bool = False) -> str:
    """A booking by a fresh member of ``relation``'s body; its id."""
    room_id = _room(world, relation, needs_approval=held)
    login = f"mx{uuid.uuid4().hex[:10]}"
    world.person([(relation, ["staff"])], login=login)  # never one of the actors under test
    holder = Actor("staff", relation, "", login, world.sign_in(login))
    start, end = _slot()
    booking_id = f"mb-{uuid.uuid4().hex[:12]}"
    result = push(world, holder, "meetings.book_room", {
        "booking_id": booking_id, "room_id": room_id, "start": start, "end": end,
        "subject": "矩阵测试"})
    assert result["status"] == "applied", result
    return booking_id


def _args(world: World, name: str, relation: str, actor_role: str) -> dict[str, Any]:
    if name == "meetings.save_room":
        return {"room_id": f"mr-{uuid.uuid4().hex[:12]}", "body_id": world.body(relation),
                "name": "新会议室"}
    if name == "meetings.book_room":
        start, end = _slot()
        return {"booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": _room(world, relation),
                "start": start, "end": end, "subject": "矩阵测试"}
    if name == "meetings.decide_booking":
        return {"booking_id": _booking(world, relation, held=True), "approve": True}
    if relation == "self":  # cancel one's own booking in one's own body
        room_id = _room(world, "own")
        start, end = _slot()
        booking_id = f"mb-{uuid.uuid4().hex[:12]}"
        made = push(world, world.actor(actor_role), "meetings.book_room", {
            "booking_id": booking_id, "room_id": room_id, "start": start, "end": end,
            "subject": "自己的会"})
        assert made["status"] == "applied", made
        return {"booking_id": booking_id}
    return {"booking_id": _booking(world, relation)}


@pytest.mark.parametrize("name", sorted(MEETINGS.names("intent")))
def test_meetings_intent_matrix(world: World, name: str) -> None:
    relations = (*RELATIONS, "self") if name == "meetings.cancel_booking" else RELATIONS
    bad = []
    for role, relation, expected in MEETINGS.cases("intent", name, ROLES, relations):
        result = push(world, world.actor(role), name, _args(world, name, relation, role))
        got = intent_outcome(result, DENY_CODES)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []
