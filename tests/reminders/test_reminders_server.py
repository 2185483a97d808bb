"""Reminders on the server, SQLite and PostgreSQL: a meeting's reminders follow it
(published, answered, cancelled), a due reminder is delivered once to its person's feed
even with two writers claiming at the same moment, late ones follow the lateness rule,
supervision reminders follow the item, and no-show release is off unless turned on."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

from sqlalchemy import func, select, text, update

from modules.reminders import rules as RR
from server.db import make_engine, make_sessionmaker, session_scope, utcnow
from server.meetings.models import Booking, Checkin
from server.reminders.models import Notice, Reminder
from server.reminders.noshow import release_no_shows
from server.reminders.store import send_due
from tests.access.world import World, push
from tests.documents_server.conftest import Office
from tests.meetings.test_meeting_server import _meeting


def _reminders(world: World, ref_id: str) -> dict[str, Reminder]:
    with session_scope(world.app.state.sessions) as s:
        return {r.id: r for r in s.scalars(select(Reminder).where(Reminder.ref_id == ref_id))}


def _pending(world: World, ref_id: str) -> dict[str, Reminder]:
    return {i: r for i, r in _reminders(world, ref_id).items() if r.state == RR.PENDING}


def _notices(world: World, person_id: str) -> list[dict[str, Any]]:
    feed = Office(world.app).feed(person_id)
    return [v for (e, _), v in feed.items() if e == RR.NOTICE and v]


def test_a_published_meeting_plans_its_reminders_and_replies_withdraw_them(world: World) -> None:
    staff, leader = world.actor("staff"), world.actor("leader")
    secretary = world.actor("secretary")
    meeting_id = _meeting(world, invitees=[staff.person_id, leader.person_id])
    pending = _pending(world, meeting_id)
    for person in (staff.person_id, leader.person_id, secretary.person_id):
        assert f"mtg:{meeting_id}:before1440:{person}" in pending
        assert f"mtg:{meeting_id}:before30:{person}" in pending
    assert f"mtg:{meeting_id}:reply:{staff.person_id}" in pending
    missing = pending[f"mtg:{meeting_id}:missing"]
    assert missing.person_id == secretary.person_id and "2人未回执" in missing.data["body_zh"]
    # a 请假 withdraws the reply reminder and the meeting reminders of that person
    assert push(world, staff, "meetings.reply", {"meeting_id": meeting_id, "answer": "decline",
                                                 "reason": "出差"})["status"] == "applied"
    pending = _pending(world, meeting_id)
    assert not [i for i in pending if i.endswith(staff.person_id)]
    assert f"mtg:{meeting_id}:before30:{leader.person_id}" in pending
    assert "1人未回执" in pending[f"mtg:{meeting_id}:missing"].data["body_zh"]
    assert push(world, leader, "meetings.reply", {"meeting_id": meeting_id,
                                                  "answer": "attend"})["status"] == "applied"
    assert f"mtg:{meeting_id}:missing" not in _pending(world, meeting_id)


def test_a_cancelled_meeting_drops_its_reminders(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    assert _pending(world, meeting_id)
    out = push(world, world.actor("secretary"), "meetings.cancel_meeting",
               {"meeting_id": meeting_id, "reason": "改期"})
    assert out["status"] == "applied", out
    rows = _reminders(world, meeting_id)
    assert rows and {r.state for r in rows.values()} == {RR.DROPPED}
    # nothing of it is sent when its times come
    start = max(r.due_at for r in rows.values())
    send_due(world.app.state.sessions, start + dt.timedelta(minutes=1), "test")
    assert not [n for n in _notices(world, staff.person_id) if n["ref_id"] == meeting_id]


def test_a_due_reminder_reaches_its_person_once_and_late_ones_follow_the_rule(world: World) -> None:
    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    rows = _pending(world, meeting_id)
    day_before = rows[f"mtg:{meeting_id}:before1440:{staff.person_id}"]
    half_hour = rows[f"mtg:{meeting_id}:before30:{staff.person_id}"]
    sessions = world.app.state.sessions
    # due: the one-day reminder is sent, once however often the dispatcher looks
    at = day_before.due_at + dt.timedelta(minutes=5)
    send_due(sessions, at, "a")
    send_due(sessions, at, "b")
    mine = [n for n in _notices(world, staff.person_id) if n["ref_id"] == meeting_id]
    assert [n["kind"] for n in mine] == ["meeting_before"]
    assert mine[0]["title_zh"].startswith("会议提醒：") and "1天后开始" in mine[0]["body_zh"]
    # a server down until 10 minutes before the start: the 30-minute one still goes out,
    # the reply reminder (its deadline passed) expires unsent
    send_due(sessions, half_hour.due_at + dt.timedelta(minutes=20), "a")
    after = _reminders(world, meeting_id)
    assert after[half_hour.id].state == RR.SENT
    assert after[f"mtg:{meeting_id}:reply:{staff.person_id}"].state == RR.EXPIRED
    with session_scope(sessions) as s:
        counts = dict(s.execute(select(Notice.reminder_id, func.count()).where(
            Notice.person_id == staff.person_id).group_by(Notice.reminder_id)).all())
    assert counts[day_before.id] == 1 and counts[half_hour.id] == 1


def test_the_lateness_rule() -> None:
    due = dt.datetime(2026, 12, 1, 1, 0, tzinfo=dt.UTC)
    day = dt.timedelta(hours=24)
    assert RR.verdict(due, None, due + dt.timedelta(hours=23), day) == RR.SEND
    assert RR.verdict(due, None, due + dt.timedelta(hours=25), day) == RR.EXPIRE
    assert RR.verdict(due, due + dt.timedelta(minutes=5), due + dt.timedelta(minutes=6), day) == RR.EXPIRE


def _add_due(world: World, person_id: str, count: int, due: dt.datetime) -> list[str]:
    ids = [f"test:{uuid.uuid4().hex}" for _ in range(count)]
    now = utcnow()
    with session_scope(world.app.state.sessions) as s:
        for i in ids:
            s.add(Reminder(id=i, kind="test", module="meetings", ref_id=f"ref-{i[-12:]}",
                           person_id=person_id, due_at=due, expires_at=None, state=RR.PENDING,
                           data={"title_zh": "测试提醒", "title_en": "Test"}, created_at=now,
                           updated_at=now, claimed_by=""))
    return ids


def test_two_writers_claiming_at_once_send_each_reminder_once(world: World) -> None:
    """Two engines (as two processes would have) claim the same due reminders at the same
    moment; the processes' version is tests/reminders/test_reminder_processes.py."""
    person = world.person([("own", ["staff"])])
    ids = _add_due(world, person, 150, utcnow() - dt.timedelta(seconds=1))
    url = world.app.state.engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(2)]
    barrier = threading.Barrier(2)
    done: list[tuple[int, int]] = []

    def claim(n: int) -> None:
        sessions = make_sessionmaker(engines[n])
        barrier.wait()
        done.append(send_due(sessions, utcnow(), f"writer-{n}", limit=20))

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for engine in engines:
        engine.dispose()
    assert sum(sent for sent, _ in done) >= 150
    with session_scope(world.app.state.sessions) as s:
        counts = dict(s.execute(select(Notice.reminder_id, func.count()).where(
            Notice.reminder_id.in_(ids)).group_by(Notice.reminder_id)).all())
        states = set(s.scalars(select(Reminder.state).where(Reminder.id.in_(ids))))
    assert states == {RR.SENT}
    assert len(counts) == 150 and set(counts.values()) == {1}
    assert len([n for n in _notices(world, person) if n["reminder_id"] in set(ids)]) == 150


def _booking_now(world: World, *, started_minutes_ago: int) -> tuple[str, str]:
    """A confirmed booking moved to have started ``started_minutes_ago``; (room, booking)."""
    room = f"mr-{uuid.uuid4().hex[:12]}"
    assert push(world, world.actor("sys_admin"), "meetings.save_room", {
        "room_id": room, "body_id": world.body("own"), "name": f"会议室{room[-4:]}",
        "capacity": 10, "equipment": [], "needs_approval": False,
        "approvers": []})["status"] == "applied"
    day = (dt.datetime.now(RR.CHINA) + dt.timedelta(days=2)).date()
    start = dt.datetime.combine(day, dt.time(9), RR.CHINA)
    booking = f"mb-{uuid.uuid4().hex[:12]}"
    out = push(world, world.actor("staff"), "meetings.book_room", {
        "booking_id": booking, "room_id": room, "start": start.isoformat(),
        "end": (start + dt.timedelta(hours=2)).isoformat(), "subject": "专题会"})
    assert out["status"] == "applied", out
    began = utcnow() - dt.timedelta(minutes=started_minutes_ago)
    with session_scope(world.app.state.sessions) as s:
        s.execute(update(Booking).where(Booking.id == booking).values(
            starts_at=began, ends_at=began + dt.timedelta(hours=2)))
    return room, booking


def _state(world: World, booking: str) -> str:
    with session_scope(world.app.state.sessions) as s:
        return str(s.execute(text("select state from meetings_booking where id = :i"),
                             {"i": booking}).scalar_one())


def test_no_show_release_is_off_by_default_and_releases_once_when_on(world: World) -> None:
    from server.config import Settings

    assert Settings().noshow_release_minutes == 0
    _, idle = _booking_now(world, started_minutes_ago=20)
    _, early = _booking_now(world, started_minutes_ago=5)
    _, attended = _booking_now(world, started_minutes_ago=20)
    meeting_id = f"mt-{uuid.uuid4().hex[:12]}"
    with session_scope(world.app.state.sessions) as s:
        s.execute(text("insert into meetings_meeting (id, host_body_id, host_organ_id, state, "
                       "starts_at, ends_at, sequence, booking_id, open_todos, data, audience, "
                       "updated_at) values (:i, 'b', 'o', 'published', :t, :t, 0, :b, '[]', "
                       "'{}', '[]', :t)"), {"i": meeting_id, "b": attended, "t": utcnow()})
        s.add(Checkin(id=f"{meeting_id}:p", meeting_id=meeting_id, person_key="p", method="hand",
                      checked_at=utcnow(), received_at=utcnow(), by_id="p", data={},
                      audience=[]))
    with session_scope(world.app.state.sessions) as s:  # off: nothing happens
        assert release_no_shows(s, utcnow(), 0, "test") == []
    assert _state(world, idle) == "confirmed"
    with session_scope(world.app.state.sessions) as s:
        released = release_no_shows(s, utcnow(), 15, "test")
    assert idle in released and early not in released and attended not in released
    assert (_state(world, idle), _state(world, early), _state(world, attended)) == (
        "released", "confirmed", "confirmed")
    with session_scope(world.app.state.sessions) as s:
        assert idle not in release_no_shows(s, utcnow(), 15, "test")  # once
    notices = [n for n in _notices(world, world.actor("staff").person_id) if n["ref_id"] == idle]
    assert len(notices) == 1 and notices[0]["kind"] == "booking_released"


def test_a_moved_meeting_moves_its_reminders_and_arms_a_sent_one_again(world: World) -> None:
    from tests.meetings.test_meeting_server import _when

    staff = world.actor("staff")
    meeting_id = _meeting(world, invitees=[staff.person_id])
    day_id = f"mtg:{meeting_id}:before1440:{staff.person_id}"
    first = _pending(world, meeting_id)[day_id]
    send_due(world.app.state.sessions, first.due_at + dt.timedelta(minutes=1), "test")
    assert _reminders(world, meeting_id)[day_id].state == RR.SENT
    start, end, reply_by = _when(days=5, hour=14)
    moved = push(world, world.actor("secretary"), "meetings.save_meeting", {
        "meeting_id": meeting_id, "subject": "全市政务数据工作专题会", "kind": "专题会",
        "host_body_id": world.body("own"), "start": start, "end": end,
        "place": "市政府三楼第一会议室", "invitees": [staff.person_id], "reply_by": reply_by,
        "change_note": "改期"})
    assert moved["status"] == "applied", moved
    again = _reminders(world, meeting_id)[day_id]
    assert again.state == RR.PENDING and again.due_at > first.due_at
    assert again.due_at == dt.datetime.fromisoformat(start) - dt.timedelta(days=1)
    send_due(world.app.state.sessions, again.due_at + dt.timedelta(minutes=1), "test")
    sent = [n for n in _notices(world, staff.person_id) if n["reminder_id"] == day_id]
    assert len(sent) == 2  # once for each time the meeting had


def test_the_dispatcher_releases_no_shows_only_when_the_setting_is_on(world: World) -> None:
    from server.config import Settings
    from server.reminders.dispatcher import Dispatcher

    _, idle = _booking_now(world, started_minutes_ago=30)
    off = Dispatcher(world.app.state.sessions, Settings(reminder_poll_seconds=0))
    off.run_once()
    assert _state(world, idle) == "confirmed"
    on = Dispatcher(world.app.state.sessions,
                    Settings(reminder_poll_seconds=0, noshow_release_minutes=15))
    assert on.run_once()[2] >= 1
    assert _state(world, idle) == "released"
