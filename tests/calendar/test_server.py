"""The working-day calendar on the server and on the device: an administrator enters a
year, it reaches clients through the feed, and deadlines in it stop being provisional —
computed the same way by the server and by the client's cache."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from modules.calendar.rules import load_seed
from modules.calendar.service import CalendarService
from server.calendar import storage
from server.db import session_scope
from tests.access.world import World, push

NOTICE_2027 = [  # a plausible notice for a year the bundled table does not cover
    {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
    {"date": "2027-02-06", "kind": "makeup_workday", "name": "春节"},
    *({"date": f"2027-02-{d:02d}", "kind": "holiday", "name": "春节"} for d in range(8, 15)),
]


class _FeedCache:
    """The client's view of the feed: the latest record per (entity, id)."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], dict[str, Any]] = {}

    def pull(self, world: World, headers: dict[str, str]) -> None:
        cursor = ""
        while True:
            r = world.client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers)
            assert r.status_code == 200, r.text
            body = r.json()
            for ch in body["changes"]:
                key = (ch["entity"], ch["id"])
                if ch["op"] == "delete":
                    self.rows.pop(key, None)
                else:
                    self.rows[key] = ch["data"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return

    def list(self, entity: str) -> list[dict[str, Any]]:
        return [v for (e, _), v in sorted(self.rows.items()) if e == entity]


def _admin(world: World) -> Any:
    return world.actor("sys_admin", "higher")  # a post in the top-level body


def test_entered_year_reaches_every_device_and_ends_provisional_deadlines(world: World) -> None:
    staff = world.actor("staff")
    cache = _FeedCache()
    cache.pull(world, staff.headers)
    client = CalendarService(cache)
    before = client.add_working_days(date(2027, 2, 5), 1)
    assert before.provisional and before.missing_years == (2027,)
    assert before.day == date(2027, 2, 8)  # weekends only: Friday + 1 = Monday
    assert "2027年节假日安排尚未录入" in before.note()

    result = push(world, _admin(world), "calendar.set_year",
                  {"year": 2027, "days": NOTICE_2027, "source": "国办发明电〔2026〕1号"})
    assert result["status"] == "applied", result
    assert result["result"] == {"year": 2027, "version": 1}

    cache.pull(world, staff.headers)
    after = client.add_working_days(date(2027, 2, 5), 1)
    assert not after.provisional
    assert after.day == date(2027, 2, 6)  # the make-up Saturday
    assert client.add_working_days(date(2027, 2, 6), 1).day == date(2027, 2, 15)
    with session_scope(world.app.state.sessions) as s:
        server_table = storage.holiday_table(s)
    for start, n in ((date(2027, 2, 5), 1), (date(2027, 1, 29), 10), (date(2026, 12, 30), 3)):
        from modules.calendar.rules import add_working_days

        assert add_working_days(start, n, server_table) == client.add_working_days(start, n)
    years = client.entered_years()
    assert years[0]["year"] == 2027 and years[0]["source"] == "国办发明电〔2026〕1号"


def test_a_second_entry_replaces_the_year_with_the_next_version(world: World) -> None:
    admin = _admin(world)
    first = push(world, admin, "calendar.set_year",
                 {"year": 2031, "days": [{"date": "2031-01-01", "kind": "holiday", "name": "元旦"}]})
    second = push(world, admin, "calendar.set_year",
                  {"year": 2031, "days": [{"date": "2031-01-02", "kind": "holiday", "name": "元旦"}]})
    assert first["result"]["version"] == 1 and second["result"]["version"] == 2
    with session_scope(world.app.state.sessions) as s:
        table = storage.holiday_table(s)
    assert date(2031, 1, 2) in table.entries and date(2031, 1, 1) not in table.entries


def test_entering_a_bundled_year_overrides_it_for_that_year_only(world: World) -> None:
    seed = load_seed()
    assert date(2026, 10, 1) in seed.entries
    result = push(world, _admin(world), "calendar.set_year",
                  {"year": 2026, "days": [{"date": "2026-10-01", "kind": "holiday", "name": "国庆节"}]})
    assert result["status"] == "applied", result
    with session_scope(world.app.state.sessions) as s:
        table = storage.holiday_table(s)
    assert date(2026, 10, 2) not in table.entries  # the entry replaced the whole year
    assert date(2025, 10, 1) in table.entries  # other years untouched
    # put the bundled 2026 back for the other tests of this module
    days = [{"date": e.day.isoformat(), "kind": e.kind, "name": e.name}
            for e in seed.entries.values() if e.day.year == 2026]
    assert push(world, _admin(world), "calendar.set_year",
                {"year": 2026, "days": days})["status"] == "applied"


@pytest.mark.parametrize(("days", "words"), [
    ([{"date": "2028-01-01", "kind": "holiday"}], "2028-01-01"),  # outside the year 2029
    ([{"date": "2029-03-07", "kind": "makeup_workday"}], "本是工作日"),  # a Wednesday
    ([{"date": "2029-01-01", "kind": "holiday"}, {"date": "2029-01-01", "kind": "holiday"}],
     "重复"),
    ([{"date": "2029-02-30", "kind": "holiday"}], "2029-02-30"),
])
def test_bad_entries_are_refused_in_words_and_nothing_is_stored(
        world: World, days: list[dict[str, str]], words: str) -> None:
    result = push(world, _admin(world), "calendar.set_year", {"year": 2029, "days": days})
    assert result["status"] == "rejected"
    assert result["error"]["code"] == "calendar.bad_entry"
    assert words in result["error"]["message"]
    with session_scope(world.app.state.sessions) as s:
        assert 2029 not in storage.holiday_table(s).years


def test_schema_refusals_name_the_field(world: World) -> None:
    result = push(world, _admin(world), "calendar.set_year",
                  {"year": 1999, "days": [{"date": "2029-01-01", "kind": "vacation"}]})
    assert result["status"] == "rejected" and result["error"]["code"] == "request.invalid"
    assert "year" in result["error"]["message"] and "kind" in result["error"]["message"]
