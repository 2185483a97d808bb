"""Pure room and booking rules: half-open intervals, open hours, refusals in words."""

from __future__ import annotations

import datetime as dt

import pytest

from modules.common.errors import Conflict, ValidationFailed
from modules.meetings import rules as R

CST = R.CHINA
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=CST)
ROOM = R.Room("mr-1", "b-1", "第一会议室", capacity=20, equipment=frozenset({"projector"}))


def at(h: int, m: int = 0, day: int = 3) -> dt.datetime:
    return dt.datetime(2026, 12, day, h, m, tzinfo=CST)


def slot(i: str, start: dt.datetime, end: dt.datetime, state: str = R.CONFIRMED,
         room: str = "mr-1") -> R.Slot:
    return R.Slot(i, room, start, end, state, holder="张伟")


def test_intervals_are_half_open() -> None:
    assert not R.overlaps(at(9), at(11), at(11), at(12))
    assert not R.overlaps(at(11), at(12), at(9), at(11))
    assert R.overlaps(at(9), at(11), at(10, 59), at(12))
    assert R.overlaps(at(9), at(12), at(10), at(11))


def test_back_to_back_is_free_and_an_overlap_names_the_holder_and_the_time() -> None:
    taken = [slot("a", at(9), at(11))]
    assert R.first_conflict(ROOM, at(11), at(12), taken) is None
    hit = R.first_conflict(ROOM, at(10), at(11, 30), taken)
    assert hit is not None
    error = R.refuse_conflict(ROOM, hit)
    assert isinstance(error, Conflict)
    text = error.message("zh_CN")
    assert "张伟" in text and "12月3日09:00" in text and "11:00" in text and "第一会议室" in text
    assert "Zhang" not in error.message("en") and "booked by 张伟" in error.message("en")


@pytest.mark.parametrize("state", [R.HELD, R.CONFIRMED])
def test_held_and_confirmed_block(state: str) -> None:
    assert R.first_conflict(ROOM, at(9), at(10), [slot("a", at(9), at(10), state)]) is not None


@pytest.mark.parametrize("state", [R.REQUESTED, R.REJECTED, R.CANCELLED, R.RELEASED])
def test_requests_and_finished_bookings_do_not_block(state: str) -> None:
    assert R.first_conflict(ROOM, at(9), at(10), [slot("a", at(9), at(10), state)]) is None


def test_other_rooms_and_the_booking_itself_do_not_block() -> None:
    assert R.first_conflict(ROOM, at(9), at(10), [slot("a", at(9), at(10), room="mr-2")]) is None
    assert R.first_conflict(ROOM, at(9), at(10), [slot("a", at(9), at(10))], ignore="a") is None


@pytest.mark.parametrize(("start", "end", "code"), [
    (at(10), at(9), "meetings.bad_interval"),
    (at(10), at(10, 10), "meetings.bad_interval"),
    (at(6, 30), at(8), "meetings.outside_hours"),
    (at(22), at(23, 30), "meetings.outside_hours"),
    (at(20), at(9, day=4), "meetings.bad_interval"),  # 13 hours
    (dt.datetime(2026, 11, 30, 9, tzinfo=CST), dt.datetime(2026, 11, 30, 10, tzinfo=CST),
     "meetings.bad_interval"),
    (at(9, day=1) + dt.timedelta(days=91), at(10, day=1) + dt.timedelta(days=91),
     "meetings.too_far_ahead"),
])
def test_times_a_room_cannot_be_booked_for(start: dt.datetime, end: dt.datetime, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        R.check_interval(ROOM, start, end, NOW)
    assert caught.value.code == code
    assert caught.value.message("zh_CN") and caught.value.message("en")


def test_open_hours_are_read_in_china_time() -> None:
    # 01:00 UTC is 09:00 in China: inside the room's hours.
    R.check_interval(ROOM, dt.datetime(2026, 12, 3, 1, tzinfo=dt.UTC),
                     dt.datetime(2026, 12, 3, 2, tzinfo=dt.UTC), NOW)
    R.check_interval(ROOM, at(7), at(8), NOW)  # the first and the last hour are inside
    R.check_interval(ROOM, at(22), at(23), NOW)


def test_closed_and_too_small_rooms_say_why() -> None:
    closed = R.Room("mr-2", "b-1", "小会议室", closed_reason="装修至12月10日")
    with pytest.raises(ValidationFailed) as caught:
        R.check_interval(closed, at(9), at(10), NOW)
    assert "装修至12月10日" in caught.value.message("zh_CN")
    with pytest.raises(ValidationFailed) as caught:
        R.check_interval(ROOM, at(9), at(10), NOW, people=30)
    assert caught.value.code == "meetings.over_capacity"


def test_free_rooms_prefer_full_equipment_then_the_closest_size() -> None:
    big = R.Room("mr-big", "b-1", "大会议室", capacity=100, equipment=frozenset({"projector", "video"}))
    small = R.Room("mr-small", "b-1", "小会议室", capacity=12, equipment=frozenset({"video"}))
    mid = R.Room("mr-mid", "b-1", "中会议室", capacity=30, equipment=frozenset({"projector", "video"}))
    taken = [slot("x", at(9), at(10), room="mr-mid")]
    found = R.free_rooms([big, small, mid, ROOM], taken, at(9), at(10), NOW, people=10,
                         equipment=["projector", "video"])
    # a tie on what is missing goes to the closer size (12 seats before 20)
    assert [f.room.id for f in found] == ["mr-big", "mr-small", "mr-1"]
    assert found[2].missing == frozenset({"video"}) and found[0].missing == frozenset()


def test_day_grid_lists_each_rooms_bookings_of_that_day_in_order() -> None:
    slots = [slot("b", at(14), at(15)), slot("a", at(9), at(10)),
             slot("c", at(9, day=4), at(10, day=4)), slot("d", at(8), at(9), R.CANCELLED),
             slot("e", at(16), at(17), R.REQUESTED)]
    grid = R.day_grid(slots, ["mr-1", "mr-2"], dt.date(2026, 12, 3))
    assert [s.id for s in grid["mr-1"]] == ["a", "b", "e"] and grid["mr-2"] == []


def test_room_records_round_trip() -> None:
    room = R.Room("mr-9", "b-1", "会议室", building="1号楼", floor="3", capacity=8,
                  equipment=frozenset({"mic"}), needs_approval=True, approvers=frozenset({"p-1"}),
                  open_from=dt.time(8), open_to=dt.time(18), release_after_minutes=15)
    assert R.Room.from_dict(room.to_dict()) == room
