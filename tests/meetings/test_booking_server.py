"""Room booking on the real server, SQLite and PostgreSQL: one winner among simultaneous
bookings, refusals that name the holder, approval holds, and the client's optimistic
result level with the server's."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from modules.meetings import intents as I
from modules.meetings import rules as R
from server.db import session_scope
from server.meetings.models import Booking
from server.mutations import apply_one
from tests.access.world import Actor, World, push

CST = R.CHINA
_days = iter(range(1, 80))


def _day() -> dt.date:
    """A fresh future day per test (rooms are shared within a module)."""
    return (dt.datetime.now(CST) + dt.timedelta(days=next(_days))).date()


def at(day: dt.date, h: int, m: int = 0) -> str:
    return dt.datetime.combine(day, dt.time(h, m), CST).isoformat()


def _room(world: World, *, needs_approval: bool = False, approvers: list[str] | None = None) -> str:
    room_id = f"mr-{uuid.uuid4().hex[:12]}"
    result = push(world, world.actor("sys_admin"), "meetings.save_room", {
        "room_id": room_id, "body_id": world.body("own"), "name": f"会议室{room_id[-4:]}",
        "capacity": 30, "equipment": ["projector"], "needs_approval": needs_approval,
        "approvers": approvers or []})
    assert result["status"] == "applied", result
    return room_id


def _book(world: World, actor: Actor, room_id: str, start: str, end: str,
          subject: str = "专题会") -> dict[str, Any]:
    return push(world, actor, "meetings.book_room", {
        "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room_id, "start": start,
        "end": end, "subject": subject})


def test_back_to_back_bookings_are_both_accepted(world: World) -> None:
    room, day = _room(world), _day()
    staff = world.actor("staff")
    assert _book(world, staff, room, at(day, 9), at(day, 11))["result"]["state"] == "confirmed"
    assert _book(world, staff, room, at(day, 11), at(day, 12))["result"]["state"] == "confirmed"


def test_an_overlap_is_refused_naming_the_holder_and_until_when(world: World) -> None:
    room, day = _room(world), _day()
    first = world.actor("leader")
    assert _book(world, first, room, at(day, 9), at(day, 11))["status"] == "applied"
    late = _book(world, world.actor("staff"), room, at(day, 10), at(day, 12))
    assert late["status"] == "conflict" and late["error"]["code"].startswith("meetings.room_taken")
    message = late["error"]["message"]
    with session_scope(world.app.state.sessions) as s:
        holder = s.execute(text("select name from directory_person where id = :i"),
                           {"i": first.person_id}).scalar_one()
    assert holder in message and "09:00" in message and "11:00" in message


def test_a_booking_awaiting_approval_holds_the_slot_until_rejected(world: World) -> None:
    room, day = _room(world, needs_approval=True), _day()
    staff, leader = world.actor("staff"), world.actor("leader")
    held = _book(world, staff, room, at(day, 14), at(day, 15))
    assert held["result"]["state"] == "held"
    second = _book(world, leader, room, at(day, 14, 30), at(day, 15, 30))
    assert second["status"] == "conflict" and "待审批" in second["error"]["message"]
    # staff cannot approve; the body's admin (a room manager) can
    refused = push(world, staff, "meetings.decide_booking",
                   {"booking_id": held["result"]["booking_id"], "approve": True})
    assert refused["status"] == "rejected" and refused["error"]["code"] == "meetings.not_approver"
    rejected = push(world, world.actor("sys_admin"), "meetings.decide_booking",
                    {"booking_id": held["result"]["booking_id"], "approve": False, "note": "改期"})
    assert rejected["result"]["state"] == "rejected"
    again = push(world, world.actor("sys_admin"), "meetings.decide_booking",
                 {"booking_id": held["result"]["booking_id"], "approve": True})
    assert again["status"] == "conflict" and again["error"]["code"] == "meetings.booking_final"
    assert _book(world, leader, room, at(day, 14, 30), at(day, 15, 30))["result"]["state"] == "held"


def test_cancelling_frees_the_slot(world: World) -> None:
    room, day = _room(world), _day()
    staff = world.actor("staff")
    booked = _book(world, staff, room, at(day, 9), at(day, 10))
    other = world.actor("secretary")
    assert _book(world, other, room, at(day, 9), at(day, 10))["status"] == "conflict"
    assert push(world, other, "meetings.cancel_booking",
                {"booking_id": booked["result"]["booking_id"]})["status"] == "applied"  # a manager
    assert _book(world, other, room, at(day, 9), at(day, 10))["status"] == "applied"


def test_people_of_other_bodies_cannot_book(world: World) -> None:
    room, day = _room(world), _day()
    outsider = world.actor("staff", "other")
    refused = _book(world, outsider, room, at(day, 9), at(day, 10))
    assert refused["status"] == "rejected" and refused["error"]["code"] == "meetings.not_member"


def test_twenty_people_booking_one_slot_at_once_leaves_one_booking(world: World) -> None:
    room, day = _room(world), _day()
    people = [world.person([("own", ["staff"])], login=None) for _ in range(20)]
    barrier = threading.Barrier(len(people))
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def book(person_id: str) -> None:
        item = {"id": f"m-{uuid.uuid4().hex}", "name": "meetings.book_room", "args": {
            "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
            "start": at(day, 9), "end": at(day, 11), "subject": f"{person_id}的会"}}
        barrier.wait()
        result = apply_one(world.app.state.sessions, person_id, person_id, item, "zh_CN")
        with lock:
            results.append(result)

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(results) == 20
    won = [r for r in results if r["status"] == "applied"]
    lost = [r for r in results if r["status"] == "conflict"]
    assert len(won) == 1 and len(lost) == 19, [r.get("error", {}).get("code") for r in results]
    assert all(r["error"]["code"].startswith("meetings.room_taken") and "11:00" in r["error"]["message"]
               for r in lost)
    with session_scope(world.app.state.sessions) as s:
        count = s.execute(text("select count(*) from meetings_booking where room_id = :r"),
                          {"r": room}).scalar_one()
    assert count == 1


def test_the_database_itself_keeps_one_writer_per_slot(world: World) -> None:
    """PostgreSQL: a writer that skipped the room lock still cannot store an overlap (the
    exclusion constraint). SQLite: a second writer cannot even begin while one is writing
    (every transaction is BEGIN IMMEDIATE), so check-then-insert is exact."""
    engine = world.app.state.engine
    if engine.dialect.name == "sqlite":
        with engine.connect() as first:
            first.begin()
            other = sqlite3.connect(engine.url.database, timeout=0.1, isolation_level=None)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        return
    room, day = _room(world), _day()
    start = dt.datetime.fromisoformat(at(day, 9))
    now = dt.datetime.now(dt.UTC)

    def row(i: str, s: dt.datetime, e: dt.datetime, state: str = "confirmed") -> Booking:
        return Booking(id=i, room_id=room, starts_at=s, ends_at=e, state=state, holder_id="p",
                       subject="x", people=0, checked_in=False, data={}, updated_at=now)

    with session_scope(world.app.state.sessions) as s:
        s.add(row("mb-direct-a", start, start + dt.timedelta(hours=2)))
        s.add(row("mb-direct-b", start + dt.timedelta(hours=2), start + dt.timedelta(hours=3)))
        s.add(row("mb-direct-c", start, start + dt.timedelta(hours=1), "cancelled"))
    with pytest.raises(IntegrityError, match="ex_meetings_booking_no_overlap"), \
            session_scope(world.app.state.sessions) as s:
        s.add(row("mb-direct-d", start + dt.timedelta(minutes=30), start + dt.timedelta(hours=1)))


def test_client_optimistic_booking_matches_the_server(world: World) -> None:
    """The same pure effect on the device shows the booking as 待确认 with the server's
    fields; after the server answers only the state differs."""
    from modules.common.access import profile_facts

    room_id, day = _room(world), _day()
    staff = world.actor("staff")
    me = world.client.get("/api/v1/me", headers=staff.headers).json()
    with session_scope(world.app.state.sessions) as s:
        from server.meetings import storage

        room = storage.room_record(s, room_id)
    args = I.BOOK_ROOM.parse({"booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room_id,
                              "start": at(day, 9), "end": at(day, 10), "subject": "例会"})
    now = dt.datetime.now(dt.UTC)
    local = I.book_room(room, None, [], args, profile_facts(me), me["name"], now)
    result = push(world, staff, "meetings.book_room", args.model_dump(mode="json"))
    assert result["status"] == "applied"
    with session_scope(world.app.state.sessions) as s:
        from server.meetings import storage

        server = storage.booking_record(s, args.booking_id)
    assert server is not None
    skip = {"created_at", "updated_at"}
    assert {k: v for k, v in local.items() if k not in skip} == \
        {k: v for k, v in server.items() if k not in skip}


def test_a_refusal_names_the_rooms_of_that_organ_free_then(world: World) -> None:
    room, day = _room(world), _day()
    other = f"mr-{uuid.uuid4().hex[:12]}"  # the smallest room: offered first
    assert push(world, world.actor("sys_admin"), "meetings.save_room", {
        "room_id": other, "body_id": world.body("own"), "name": f"会议室{other[-4:]}",
        "capacity": 2})["status"] == "applied"
    assert _book(world, world.actor("leader"), room, at(day, 14), at(day, 16))["status"] == "applied"
    late = _book(world, world.actor("staff"), room, at(day, 15), at(day, 17))
    assert late["status"] == "conflict", late
    assert late["error"]["code"] == "meetings.room_taken_free"
    free = late["error"]["params"]["free"]
    assert f"会议室{other[-4:]}" in free and f"会议室{room[-4:]}" not in free
    # once the other room is taken too at that time, it is no longer offered
    assert _book(world, world.actor("leader"), other, at(day, 15), at(day, 16))["status"] == "applied"
    again = _book(world, world.actor("staff"), room, at(day, 15), at(day, 17))
    assert f"会议室{other[-4:]}" not in again["error"]["params"].get("free", "")


def test_a_hold_nobody_approved_lapses_when_its_time_comes_and_frees_the_slot(world: World) -> None:
    from server.meetings import storage
    from server.meetings.expiry import expire_holds

    room, day = _room(world, needs_approval=True), _day()
    staff = world.actor("staff")
    held = _book(world, staff, room, at(day, 9), at(day, 10))
    booking_id = held["result"]["booking_id"]
    start = dt.datetime.fromisoformat(at(day, 9))
    # (other tests' holds on earlier days of this module's rooms may lapse alongside)
    with session_scope(world.app.state.sessions) as s:
        assert booking_id not in expire_holds(s, start - dt.timedelta(minutes=1), "test")
    with session_scope(world.app.state.sessions) as s:
        assert booking_id in expire_holds(s, start + dt.timedelta(minutes=1), "test")
    with session_scope(world.app.state.sessions) as s:
        assert booking_id not in expire_holds(s, start + dt.timedelta(minutes=2), "test")  # once
        booking = storage.booking_record(s, booking_id)
        notices = s.execute(text("select count(*) from reminders_notice where reminder_id = :r"),
                            {"r": f"expired:{booking_id}"}).scalar_one()
    assert booking is not None and booking["state"] == "expired" and notices == 1
    late = push(world, world.actor("sys_admin"), "meetings.decide_booking",
                {"booking_id": booking_id, "approve": True})
    assert late["status"] == "conflict" and late["error"]["code"] == "meetings.booking_final"
    again = _book(world, world.actor("leader"), room, at(day, 9), at(day, 10))
    assert again["result"]["state"] == "held"  # the slot is free again


def test_an_approver_cannot_approve_a_hold_whose_time_has_come() -> None:
    from modules.common.access import ActorFacts, PostFacts
    from modules.common.errors import Conflict
    from modules.meetings import intents as I

    start = dt.datetime(2026, 12, 3, 9, tzinfo=CST)
    booking = {"id": "mb-0001", "room_id": "mr-1", "state": "held", "start": start.isoformat(),
               "end": (start + dt.timedelta(hours=1)).isoformat()}
    room = {"id": "mr-1", "name": "一号会议室", "body_id": "b-1", "organ_id": "b-1",
            "needs_approval": True, "approvers": []}
    admin = ActorFacts("p-admin", (PostFacts("b-1", "b-1", frozenset({"sys_admin"})),))
    args = I.DecideBookingArgs(booking_id="mb-0001", approve=True)
    assert I.decide_booking(booking, room, args, admin, "管理员",
                            start - dt.timedelta(minutes=5))["state"] == "confirmed"
    try:
        I.decide_booking(booking, room, args, admin, "管理员", start)
    except Conflict as refusal:
        assert refusal.code == "meetings.booking_final" and "审批超时" in refusal.message()
    else:
        raise AssertionError("an expired hold was approved")


def _open_todos(world: World, actor: Actor, ref_id: str) -> list[dict[str, Any]]:
    from tests.documents_server.conftest import Office

    return [v for (e, _), v in Office(world.app).feed(actor.person_id).items()
            if e == "workbench.todo" and v and v["ref_id"] == ref_id]


def test_a_held_booking_puts_an_approval_todo_on_its_deciders(world: World) -> None:
    leader, staff = world.actor("leader"), world.actor("staff")
    named = _room(world, needs_approval=True, approvers=[leader.person_id])
    day = _day()
    held = _book(world, staff, named, at(day, 9), at(day, 10))
    booking_id = held["result"]["booking_id"]
    todos = _open_todos(world, leader, booking_id)
    assert len(todos) == 1 and not todos[0]["done"] and todos[0]["kind"] == "会议室审批"
    assert "请审批会议室预订" in todos[0]["title"]
    assert _open_todos(world, world.actor("secretary"), booking_id) == []  # named approver only
    assert push(world, leader, "meetings.decide_booking",
                {"booking_id": booking_id, "approve": True})["status"] == "applied"
    done = _open_todos(world, leader, booking_id)
    assert len(done) == 1 and done[0]["done"]  # kept in 已办


def test_without_named_approvers_the_organs_secretaries_get_it_and_one_decides(
        world: World) -> None:
    secretary, staff = world.actor("secretary"), world.actor("staff")
    other = world.person([("own", ["secretary"])])
    room, day = _room(world, needs_approval=True), _day()
    held = _book(world, staff, room, at(day, 14), at(day, 15))
    booking_id = held["result"]["booking_id"]
    assert len(_open_todos(world, secretary, booking_id)) == 1
    from tests.documents_server.conftest import Office

    assert any(e == "workbench.todo" and v and v["ref_id"] == booking_id
               for (e, _), v in Office(world.app).feed(other).items())
    assert push(world, secretary, "meetings.decide_booking",
                {"booking_id": booking_id, "approve": False, "note": "改期"})["status"] == "applied"
    assert [t["done"] for t in _open_todos(world, secretary, booking_id)] == [True]
    assert not any(e == "workbench.todo" and v and v["ref_id"] == booking_id
                   for (e, _), v in Office(world.app).feed(other).items())
