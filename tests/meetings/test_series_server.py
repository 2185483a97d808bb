"""Recurring meetings (例会) on the real server, SQLite and PostgreSQL: every occurrence
stored and its room booked one by one; a conflicting occurrence reported per occurrence
(the whole series refused, or created without it when the organiser says so); changing
and cancelling "this one / this and the following / all"; published occurrences
re-notified with a raised SEQUENCE; the exclusion constraint still holding."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

from sqlalchemy import func, select

from modules.meetings import meeting as M
from modules.meetings import recurrence as RC
from modules.meetings import rules as R
from modules.meetings import series as S
from server.calendar.storage import holiday_table
from server.db import session_scope
from server.meetings import series_storage, storage
from server.meetings.models import Booking, Meeting
from server.mutations import apply_one
from tests.access.world import World, push
from tests.documents_server.conftest import Office

CST = R.CHINA


def _first(hour: int = 9) -> dt.datetime:
    """The first Tuesday at least two days ahead (every test has rooms of its own)."""
    day = dt.datetime.now(CST).date() + dt.timedelta(days=2)
    day += dt.timedelta(days=(1 - day.weekday()) % 7)
    return dt.datetime.combine(day, dt.time(hour), CST)


def _room(world: World) -> str:
    room_id = f"mr-{uuid.uuid4().hex[:12]}"
    made = push(world, world.actor("sys_admin"), "meetings.save_room", {
        "room_id": room_id, "body_id": world.body("own"), "name": f"例会室{room_id[-4:]}",
        "capacity": 30, "days_ahead": 366})
    assert made["status"] == "applied", made
    return room_id


def _plan(world: World, first: dt.datetime, rule: dict[str, Any]) -> RC.Expansion:
    """The occurrences as the server's calendar gives them (holidays of any year)."""
    with session_scope(world.app.state.sessions) as s:
        table = holiday_table(s)
    return RC.expand(RC.Rule.from_args(rule), first, first + dt.timedelta(hours=1), table)


def _series_args(world: World, first: dt.datetime, rule: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"series_id": f"ms-{uuid.uuid4().hex[:12]}", "subject": "局务会（例会）",
            "kind": "局务会议", "host_body_id": world.body("own"), "start": first.isoformat(),
            "end": (first + dt.timedelta(hours=1)).isoformat(), "rule": rule,
            "invitees": [world.actor("staff").person_id],
            "reply_by": (first - dt.timedelta(days=1)).isoformat(), **extra}


def _members(world: World, series_id: str) -> list[dict[str, Any]]:
    with session_scope(world.app.state.sessions) as s:
        return series_storage.members(s, series_id)


def _booking(world: World, booking_id: str) -> dict[str, Any] | None:
    with session_scope(world.app.state.sessions) as s:
        return storage.booking_record(s, booking_id)


WEEKLY6 = {"frequency": "weekly", "weekdays": [1], "count": 6, "holidays": "skip"}


def test_a_series_stores_every_occurrence_and_books_each(world: World) -> None:
    room_id, first = _room(world), _first()
    plan = _plan(world, first, WEEKLY6)
    args = _series_args(world, first, WEEKLY6, room_id=room_id)
    made = push(world, world.actor("secretary"), "meetings.create_series", args)
    assert made["status"] == "applied", made
    members = _members(world, args["series_id"])
    assert [m["id"] for m in members] == made["result"]["meetings"]
    assert len(members) == len(plan.occurrences) >= 4
    for occ, m in zip(plan.occurrences, members, strict=True):
        assert m["series_id"] == args["series_id"] and m["occurrence"] == occ.index
        assert m["original_date"] == occ.original.isoformat()
        assert R.parse_time(m["start"]) == occ.start and m["state"] == M.DRAFT
        assert m["provisional"] == occ.provisional
        assert R.parse_time(m["reply_by"]) == occ.start - dt.timedelta(days=1)
        booking = _booking(world, m["booking_id"])
        assert booking is not None and booking["state"] == R.CONFIRMED
        assert R.parse_time(booking["start"]) == occ.start
    assert "每周的周二" in members[0]["series_words"]
    again = push(world, world.actor("secretary"), "meetings.create_series", args)
    assert again["status"] == "rejected" and again["error"]["code"] == "meetings.series_exists"


def test_one_conflicting_occurrence_is_reported_per_occurrence(world: World) -> None:
    room_id, first = _room(world), _first(14)
    plan = _plan(world, first, WEEKLY6)
    taken = plan.occurrences[2]
    holder = world.actor("division_head")
    booked = push(world, holder, "meetings.book_room", {
        "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room_id,
        "start": (taken.start + dt.timedelta(minutes=30)).isoformat(),
        "end": (taken.start + dt.timedelta(hours=2)).isoformat(), "subject": "处务会"})
    assert booked["status"] == "applied", booked
    args = _series_args(world, first, WEEKLY6, room_id=room_id)
    refused = push(world, world.actor("secretary"), "meetings.create_series", args)
    assert refused["status"] == "conflict", refused
    error = refused["error"]
    assert error["code"] == "meetings.series_conflicts"
    assert error["params"]["count"] == 1 and error["params"]["total"] == len(plan.occurrences)
    [conflict] = error["params"]["conflicts"]
    assert conflict["index"] == 2 and conflict["date"] == taken.day.isoformat()
    assert conflict["booking_id"] == booked["result"]["booking_id"]
    assert R.parse_time(conflict["held_until"]) == taken.start + dt.timedelta(hours=2)
    with session_scope(world.app.state.sessions) as s:
        holder_name = storage.person_names(s, [holder.person_id])[holder.person_id]
    assert conflict["holder"] == holder_name
    assert f"{taken.day.month}月{taken.day.day}日" in error["message"]
    assert holder_name in error["message"] and "16:00" in error["message"]
    assert _members(world, args["series_id"]) == []  # nothing of the series was written
    with session_scope(world.app.state.sessions) as s:
        assert s.scalar(select(func.count()).select_from(Booking)
                        .where(Booking.room_id == room_id)) == 1
    # the organiser says: create it without that date
    made = push(world, world.actor("secretary"), "meetings.create_series",
                {**args, "skip_conflicts": True})
    assert made["status"] == "applied", made
    assert [p["date"] for p in made["result"]["left_out"]] == [taken.day.isoformat()]
    members = _members(world, args["series_id"])
    assert len(members) == len(plan.occurrences) - 1
    assert taken.day.isoformat() not in {m["original_date"] for m in members}
    assert 2 not in {m["occurrence"] for m in members}


def test_every_occurrence_conflicting_refuses_even_with_skip(world: World) -> None:
    room_id, first = _room(world), _first(10)
    rule = {"frequency": "weekly", "weekdays": [1], "count": 2}
    args = _series_args(world, first, rule, room_id=room_id)
    assert push(world, world.actor("secretary"), "meetings.create_series", args)["status"] == "applied"
    again = push(world, world.actor("secretary"), "meetings.create_series",
                 {**args, "series_id": f"ms-{uuid.uuid4().hex[:12]}", "skip_conflicts": True})
    assert again["status"] == "conflict" and again["error"]["params"]["count"] == 2


def _published_series(world: World, room: bool = True) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    first = _first(9)
    args = _series_args(world, first, WEEKLY6, publish=True,
                        **({"room_id": _room(world)} if room else {"place": "三楼会议室"}))
    made = push(world, world.actor("secretary"), "meetings.create_series", args)
    assert made["status"] == "applied", made
    members = _members(world, args["series_id"])
    assert all(m["state"] == M.PUBLISHED and m["sequence"] == 0 for m in members)
    return args, members


def _edit(world: World, args: dict[str, Any], target: dict[str, Any], scope: str,
          **changes: Any) -> dict[str, Any]:
    fields = {k: target[k] for k in ("subject", "kind", "host_body_id", "start", "end", "place",
                                     "reply_by")}
    fields.update(meeting_id=target["id"], booking_id=target.get("booking_id") or "",
                  invitees=args["invitees"], scope=scope)
    fields.update(changes)
    return push(world, world.actor("secretary"), "meetings.update_series", fields)


def test_change_this_one_only(world: World) -> None:
    args, members = _published_series(world, room=False)
    third = members[2]
    silent = _edit(world, args, third, "this", place="五楼会议室")
    assert silent["error"]["code"] == "meetings.change_note_required"
    done = _edit(world, args, third, "this", place="五楼会议室", change_note="本次改在五楼")
    assert done["status"] == "applied" and done["result"]["meetings"] == [third["id"]]
    after = {m["id"]: m for m in _members(world, args["series_id"])}
    assert after[third["id"]]["place"] == "五楼会议室" and after[third["id"]]["sequence"] == 1
    assert after[third["id"]]["series_id"] == args["series_id"]  # it keeps its identity
    assert after[third["id"]]["changes"][-1]["fields"] == ["place"]
    assert {m["place"] for i, m in after.items() if i != third["id"]} == {"三楼会议室"}
    assert all(m["sequence"] == 0 for i, m in after.items() if i != third["id"])


def test_change_this_and_following_moves_each_booking(world: World) -> None:
    args, members = _published_series(world)
    third = members[2]
    start, end = R.parse_time(third["start"]), R.parse_time(third["end"])
    new_start = (start + dt.timedelta(hours=5)).isoformat()
    new_end = (end + dt.timedelta(hours=5, minutes=30)).isoformat()
    done = _edit(world, args, third, "following", start=new_start, end=new_end,
                 reply_by=(R.parse_time(new_start) - dt.timedelta(days=1)).isoformat(),
                 change_note="自本次起改为下午两点")
    assert done["status"] == "applied", done
    assert done["result"]["meetings"] == [m["id"] for m in members[2:]]
    after = _members(world, args["series_id"])
    for before, now in zip(members, after, strict=True):
        moved = before["occurrence"] >= 2
        assert now["id"] == before["id"] and now["booking_id"] == before["booking_id"]
        assert now["sequence"] == (1 if moved else 0)
        local = R.parse_time(now["start"]).astimezone(CST)
        assert (local.hour, local.date()) == ((14 if moved else 9),
                                               R.parse_time(before["start"]).astimezone(CST).date())
        booking = _booking(world, now["booking_id"])
        assert booking is not None and booking["start"] == now["start"]
        assert booking["end"] == now["end"] and booking["state"] == R.CONFIRMED
    assert R.parse_time(after[3]["end"]) - R.parse_time(after[3]["start"]) == dt.timedelta(hours=1, minutes=30)
    other_day = _edit(world, args, third, "following",
                      start=(start + dt.timedelta(days=1)).isoformat(),
                      end=(end + dt.timedelta(days=1)).isoformat(), change_note="改期")
    assert other_day["error"]["code"] == "meetings.series_date_change"


def test_change_all_is_refused_per_occurrence_when_a_room_is_taken(world: World) -> None:
    args, members = _published_series(world)
    room_id = args["room_id"]
    fourth = members[3]
    clash_at = R.parse_time(fourth["start"]) + dt.timedelta(hours=2)
    taken = push(world, world.actor("division_head"), "meetings.book_room", {
        "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room_id,
        "start": clash_at.isoformat(), "end": (clash_at + dt.timedelta(hours=1)).isoformat(),
        "subject": "处务会"})
    assert taken["status"] == "applied", taken
    first = members[0]
    later = {"start": (R.parse_time(first["start"]) + dt.timedelta(hours=2)).isoformat(),
             "end": (R.parse_time(first["end"]) + dt.timedelta(hours=2)).isoformat(),
             "change_note": "改为上午十一点"}
    refused = _edit(world, args, first, "all", **later)
    assert refused["status"] == "conflict", refused
    assert [c["index"] for c in refused["error"]["params"]["conflicts"]] == [3]
    assert all(m["sequence"] == 0 for m in _members(world, args["series_id"]))  # nothing moved
    room = _edit(world, args, first, "all", **{**later, "booking_id": ""})
    assert room["error"]["code"] == "meetings.series_room_change"


def test_cancel_this_following_and_all(world: World) -> None:
    args, members = _published_series(world)
    staff = world.actor("staff")
    secretary = world.actor("secretary")
    one = push(world, secretary, "meetings.cancel_series",
               {"meeting_id": members[1]["id"], "scope": "this", "reason": "与全市大会冲突"})
    assert one["status"] == "applied" and one["result"]["meetings"] == [members[1]["id"]]
    states = [m["state"] for m in _members(world, args["series_id"])]
    assert states[1] == M.CANCELLED and states.count(M.CANCELLED) == 1
    booking = _booking(world, members[1]["booking_id"])
    assert booking is not None and booking["state"] == R.CANCELLED
    following = push(world, secretary, "meetings.cancel_series",
                     {"meeting_id": members[3]["id"], "scope": "following", "reason": "例会调整"})
    assert following["result"]["meetings"] == [m["id"] for m in members[3:]]
    after = _members(world, args["series_id"])
    assert [m["state"] for m in after[:3]] == [M.PUBLISHED, M.CANCELLED, M.PUBLISHED]
    assert all(m["state"] == M.CANCELLED and m["sequence"] == 1 for m in after[3:])
    rest = push(world, secretary, "meetings.cancel_series",
                {"meeting_id": members[2]["id"], "scope": "all", "reason": "例会取消"})
    assert rest["result"]["meetings"] == [members[0]["id"], members[2]["id"]]
    assert {m["state"] for m in _members(world, args["series_id"])} == {M.CANCELLED}
    refused = push(world, staff, "meetings.cancel_series",
                   {"meeting_id": members[0]["id"], "scope": "all", "reason": "x"})
    assert refused["status"] == "rejected"
    single = push(world, secretary, "meetings.save_meeting", {
        "meeting_id": f"mt-{uuid.uuid4().hex[:12]}", "subject": "单次会", "kind": "专题会",
        "host_body_id": world.body("own"), "start": _first().isoformat(),
        "end": (_first() + dt.timedelta(hours=1)).isoformat()})
    assert single["status"] == "applied"
    lone = push(world, secretary, "meetings.cancel_series",
                {"meeting_id": single["result"]["meeting_id"], "scope": "all", "reason": "x"})
    assert lone["error"]["code"] == "meetings.not_in_series"


def test_publish_this_following_and_all_drafts(world: World) -> None:
    first = _first(7)
    args = _series_args(world, first, WEEKLY6, place="二楼")
    assert push(world, world.actor("secretary"), "meetings.create_series", args)["status"] == "applied"
    members = _members(world, args["series_id"])
    secretary = world.actor("secretary")
    one = push(world, secretary, "meetings.publish_series",
               {"meeting_id": members[0]["id"], "scope": "this"})
    assert one["status"] == "applied" and one["result"]["meetings"] == [members[0]["id"]]
    following = push(world, secretary, "meetings.publish_series",
                     {"meeting_id": members[3]["id"], "scope": "following"})
    assert following["result"]["meetings"] == [m["id"] for m in members[3:]]
    states = [m["state"] for m in _members(world, args["series_id"])]
    assert states == [M.PUBLISHED, M.DRAFT, M.DRAFT] + [M.PUBLISHED] * (len(members) - 3)
    rest = push(world, secretary, "meetings.publish_series",
                {"meeting_id": members[1]["id"], "scope": "all"})
    assert rest["result"]["meetings"] == [members[1]["id"], members[2]["id"]]
    assert {m["state"] for m in _members(world, args["series_id"])} == {M.PUBLISHED}
    staff = world.actor("staff")
    feed = Office(world.app).feed(staff.person_id)
    assert all(feed.get((M.MEETING, m["id"])) is not None for m in members)
    again = push(world, secretary, "meetings.publish_series",
                 {"meeting_id": members[1]["id"], "scope": "this"})
    assert again["status"] == "conflict" and again["error"]["code"] == "meetings.meeting_state"


def test_editing_a_draft_occurrence_with_save_meeting_keeps_it_in_the_series(world: World) -> None:
    first = _first(8)
    args = _series_args(world, first, {"frequency": "weekly", "weekdays": [1], "count": 2},
                        place="一楼")
    assert push(world, world.actor("secretary"), "meetings.create_series", args)["status"] == "applied"
    target = _members(world, args["series_id"])[0]
    saved = push(world, world.actor("secretary"), "meetings.save_meeting", {
        "meeting_id": target["id"], "subject": "局务会（改）", "kind": target["kind"],
        "host_body_id": target["host_body_id"], "start": target["start"],
        "end": target["end"], "place": "二楼"})
    assert saved["status"] == "applied", saved
    after = _members(world, args["series_id"])[0]
    assert after["series_id"] == args["series_id"] and after["occurrence"] == 0
    assert S.occurrence_id(args["series_id"], 0) == after["id"]


def test_a_bad_rule_is_refused_in_words(world: World) -> None:
    first = _first()
    no_end = push(world, world.actor("secretary"), "meetings.create_series",
                  _series_args(world, first, {"frequency": "weekly", "weekdays": [1]}))
    assert no_end["status"] == "rejected" and no_end["error"]["code"] == "meetings.bad_rule"
    too_long = push(world, world.actor("secretary"), "meetings.create_series", _series_args(
        world, first, {"frequency": "weekly", "weekdays": [0, 1, 2, 3, 4],
                       "until": (first + dt.timedelta(days=400)).date().isoformat()}))
    assert too_long["error"]["code"] == "meetings.series_too_long"


def test_series_and_single_bookings_at_once_leave_one_holder_per_slot(world: World) -> None:
    """Three organisers create the same series while three people book its second
    date, all at once (PostgreSQL: the room's row lock and the exclusion constraint;
    SQLite: one writer at a time): every slot ends with one holder, every loser gets a
    conflict in words, and a losing series leaves nothing behind."""
    room_id, first = _room(world), _first(16)
    rule = {"frequency": "weekly", "weekdays": [1], "count": 3}
    plan = _plan(world, first, rule)
    second = plan.occurrences[1]
    organisers = [world.person([("own", ["secretary"])]) for _ in range(3)]
    bookers = [world.person([("own", ["staff"])]) for _ in range(3)]
    barrier = threading.Barrier(len(organisers) + len(bookers))
    results: list[tuple[str, dict[str, Any]]] = []
    lock = threading.Lock()

    def run(person_id: str, name: str, args: dict[str, Any]) -> None:
        item = {"id": f"m-{uuid.uuid4().hex}", "name": name, "args": args}
        barrier.wait()
        result = apply_one(world.app.state.sessions, person_id, person_id, item, "zh_CN")
        with lock:
            results.append((name, result))

    jobs = [(p, "meetings.create_series", _series_args(world, first, rule, room_id=room_id))
            for p in organisers]
    jobs += [(p, "meetings.book_room", {
        "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room_id,
        "start": second.start.isoformat(), "end": second.end.isoformat(), "subject": "处务会"})
        for p in bookers]
    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 6
    won = [(n, r) for n, r in results if r["status"] == "applied"]
    lost = [r for _, r in results if r["status"] == "conflict"]
    assert len(won) == 1 and len(lost) == 5, [r.get("error", {}).get("code") for _, r in results]
    assert all(r["error"]["code"] == "meetings.series_conflicts"
               or r["error"]["code"].startswith("meetings.room_taken") for r in lost)
    with session_scope(world.app.state.sessions) as s:
        rows = s.scalars(select(Booking).where(Booking.room_id == room_id)).all()
        series_made = s.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.series_id.in_([a["series_id"] for _, _, a in jobs[:3]])))
    slots = [(b.starts_at, b.ends_at) for b in rows]
    assert len(slots) == len(set(slots))
    if won[0][0] == "meetings.create_series":
        assert len(rows) == 3 and series_made == 3
        assert all(r["error"]["code"].startswith("meetings.room_taken") or
                   r["error"]["params"]["count"] == 3 for r in lost)
    else:
        assert len(rows) == 1 and series_made == 0
        assert all(r["error"]["code"].startswith("meetings.room_taken")
                   or [c["index"] for c in r["error"]["params"]["conflicts"]] == [1] for r in lost)


def test_entering_the_year_settles_provisional_occurrences(world: World) -> None:
    """Runs last in the module: it enters a year into the world's calendar. A series in
    a year without holiday data is provisional; once the year is entered, the
    occurrence that falls on a holiday says so (it is not moved silently)."""
    with session_scope(world.app.state.sessions) as s:
        year = max(holiday_table(s).years) + 1
    day = dt.date(year, 3, 1)
    day += dt.timedelta(days=(0 - day.weekday()) % 7)  # the first Monday of March
    first = dt.datetime.combine(day, dt.time(9), CST)
    args = _series_args(world, first, {"frequency": "weekly", "count": 3}, place="一楼",
                        publish=True)
    made = push(world, world.actor("secretary"), "meetings.create_series", args)
    assert made["status"] == "applied" and made["result"]["provisional_years"] == [year]
    before = _members(world, args["series_id"])
    assert [m["provisional"] for m in before] == [True, True, True]
    holiday = (day + dt.timedelta(weeks=1)).isoformat()
    entered = push(world, world.actor("sys_admin", "higher"), "calendar.set_year", {
        "year": year, "days": [{"date": holiday, "kind": "holiday", "name": "测试假日"}],
        "source": "国办发明电"})
    assert entered["status"] == "applied", entered
    after = _members(world, args["series_id"])
    assert [m["provisional"] for m in after] == [False, False, False]
    assert [m.get("day_off") for m in after] == [None, "测试假日", None]
    assert [m["sequence"] for m in after] == [0, 0, 0]  # nobody re-notified, nothing moved
    assert after[1]["start"] == before[1]["start"]
