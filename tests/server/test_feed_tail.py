"""Issue 11: pulls answered from the push hub's tail of recent rows (server/sync/tail.py).

The tail's page must be the page the database gives at the same horizon — for every key
set, cursor and limit, with rewrites, audience changes, tombstones and deletions — and
it must refuse what it does not hold. SQLite and PostgreSQL; the hub is ticked by hand.
"""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.changefeed import Change, Cursor, read_feed_rows, record_changes, scope_fingerprint
from server.db import session_scope
from server.sync import tail as tail_module
from server.sync.hub import PushHub
from server.sync.pokes import read_tick
from server.sync.tail import FeedTail, TailEntry
from tests.server.helpers import add_body, add_person, login
from tests.server.test_pokes import HOUR, counted, view_tick, write

__all__ = ["counted"]  # the fixture, used by name below

KEYS = [f"k{i}" for i in range(6)]


def _database_page(app: Any, keys: frozenset[str], after: int, limit: int
                   ) -> tuple[list[Any], str, bool]:
    with session_scope(app.state.sessions) as s:
        page = read_feed_rows(s, keys, Cursor(after, scope_fingerprint(keys)).encode(), limit)
    return page.rows, page.cursor, page.has_more


def test_tail_pages_equal_the_database_pages(app: Any) -> None:
    rng = random.Random(11)
    hub = PushHub(app.state.sessions, HOUR)
    view_tick(hub)  # the first look: the tail starts, empty, at the counter
    cursors = [hub.last_seq]
    checked = 0
    for _ in range(14):
        for _commit in range(rng.randint(1, 2)):  # sometimes two commits in one tick
            changes: list[Change] = []
            for eid in rng.sample(range(16), rng.randint(1, 7)):
                audience = set(rng.sample(KEYS, rng.randint(0, 3)))
                data = None if rng.random() < 0.15 else {"v": rng.random(), "名": "甲"}
                changes.append(("test.item", f"e{eid}", data, audience))
            with session_scope(app.state.sessions) as s:
                record_changes(s, changes)
        view_tick(hub)
        cursors.append(hub.last_seq)
        for size in (1, 2, 4):
            keys = frozenset(rng.sample(KEYS, size))
            for after in cursors:
                for limit in (1, 3, 500):
                    found = hub.tail.page(keys, after, limit)
                    assert found is not None
                    rows, last, has_more = found
                    db_rows, db_cursor, db_more = _database_page(app, keys, after, limit)
                    assert rows == db_rows, (keys, after, limit)
                    assert Cursor(last, scope_fingerprint(keys)).encode() == db_cursor
                    assert has_more == db_more
                    checked += 1
    assert checked > 300
    # Rewrites moved entities on: the tail holds each at its latest seq only.
    assert len(hub.tail) <= 16


def test_a_tick_too_large_to_hold_restarts_the_tail_after_it(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = PushHub(app.state.sessions, HOUR)
    view_tick(hub)
    first = write(app.state.sessions, "a", {"k0", "k1"})
    view_tick(hub)
    assert hub.tail.page(frozenset({"k0"}), first - 1, 10) is not None
    monkeypatch.setattr(tail_module, "MAX_TICK_ROWS", 3)
    with session_scope(app.state.sessions) as s:
        record_changes(s, [("test.item", f"i{n}", {"n": n}, {"k0"}) for n in range(5)])
    seq, _ = hub._read_counter()
    with session_scope(app.state.sessions) as s:
        tick = read_tick(s, hub.last_seq, seq)
    assert tick.rows is None and tick.keys == {"k0"}  # the keys are still read
    hub._advance(seq, 0, tick)
    assert hub.tail.start == seq and len(hub.tail) == 0
    assert hub.tail.page(frozenset({"k0"}), first, 10) is None  # before the tail: SQL
    assert hub.tail.page(frozenset({"k0"}), seq, 10) == ([], seq, False)


def test_a_tick_reads_people_from_its_rows(app: Any) -> None:
    hub = PushHub(app.state.sessions, HOUR)
    view_tick(hub)
    after = hub.last_seq
    write(app.state.sessions, "p9", {"user:p9", "dir:r1"}, entity="directory.person",
          data={"id": "p9", "posts": [{"body_id": "b7"}]})
    seq, _ = hub._read_counter()
    with session_scope(app.state.sessions) as s:
        tick = read_tick(s, after, seq)
    assert tick.rows is not None and tick.people == {"p9"}
    assert "body:b7" in tick.urgent and "dir:r1" in tick.quiet


def _entry(seq: int, eid: str, keys: dict[str, bool], data: str | None = '{"v":1}') -> TailEntry:
    return TailEntry(seq, "test.item", eid, data, keys)


def test_the_tail_is_bounded_and_refuses_cursors_it_does_not_cover() -> None:
    tail = FeedTail(max_entries=3, max_bytes=10_000)
    assert tail.page(frozenset({"k"}), 0, 10) is None  # nothing begun
    tail.begin(10)
    tail.extend(10, 14, [_entry(s, f"e{s}", {"k": True}) for s in (11, 12, 13, 14)])
    assert tail.start == 11 and len(tail) == 3  # the oldest went; complete after 11
    assert tail.page(frozenset({"k"}), 10, 10) is None
    rows, last, more = tail.page(frozenset({"k"}), 11, 10) or ([], 0, True)
    assert [r[0] for r in rows] == [12, 13, 14] and last == 14 and not more
    # A rewrite drops the entity's older entry.
    tail.extend(14, 15, [_entry(15, "e13", {"k": False})])
    rows, last, _ = tail.page(frozenset({"k"}), 11, 10) or ([], 0, True)
    assert rows == [(12, "test.item", "e12", '{"v":1}'), (14, "test.item", "e14", '{"v":1}'),
                    (15, "test.item", "e13", None)]  # a tombstone for k: a removal
    # A range that does not continue the tail restarts it.
    tail.extend(16, 18, [_entry(17, "x", {"k": True})])
    assert tail.start == 18 and len(tail) == 0
    # So does a tick too large to hold.
    tail.extend(18, 30, None)
    assert tail.start == 30 and tail.page(frozenset({"k"}), 29, 10) is None
    # Bytes are bounded too.
    small = FeedTail(max_entries=100, max_bytes=20)
    small.begin(0)
    small.extend(0, 3, [_entry(s, f"e{s}", {"k": True}, "x" * 9) for s in (1, 2, 3)])
    assert len(small) == 2 and small.start == 1
    tail.clear()
    assert tail.page(frozenset({"k"}), 30, 10) is None


@pytest.mark.parametrize("form", ["lines", "json"])
def test_a_pull_from_the_tail_answers_as_the_database_does(
    app: Any, counted: list[str], form: str
) -> None:
    add_body(app, "b1")
    add_person(app, "p1", "甲", "b1")
    hub: PushHub = app.state.push_hub
    hub._poll = HOUR  # the view counts as fresh (ticks by hand)
    with TestClient(app) as client:
        headers = login(client, "p1") | {"Accept-Encoding": "gzip"}
        view_tick(hub)
        cursor = client.get("/api/v1/sync/pull", headers=headers).json()["cursor"]
        view_tick(hub)
        for n in range(60):  # more than one page of 50, and over the gzip threshold
            write(app.state.sessions, f"m{n}", {"user:p1"},
                  data={"n": n, "标题": "关于做好年底工作的通知" * 3})
        write(app.state.sessions, "m3", {"user:other"})  # p1 loses it: a removal
        view_tick(hub)
        answers = []
        for from_tail in (True, False):
            if not from_tail:
                hub.tail.clear()
            counted.clear()
            response = client.get("/api/v1/sync/pull", headers=headers, params={
                "cursor": cursor, "limit": 50, "form": form})
            assert response.status_code == 200
            assert (counted == []) is from_tail
            if form == "lines":
                head, *lines = response.text.split("\n")
                page = json.loads(head)
                page.pop("server_time")
                answers.append((page, lines))
            else:
                page = response.json()
                page.pop("server_time")
                answers.append((page, []))
        assert answers[0] == answers[1]
        page = answers[0][0]
        assert page["has_more"] is True
        second = client.get("/api/v1/sync/pull", headers=headers, params={
            "cursor": page["cursor"], "limit": 50, "form": "json"}).json()
        assert [c["id"] for c in second["changes"]][-1] == "m3"
        assert second["changes"][-1]["op"] == "delete" and not second["has_more"]


def test_a_cursor_before_a_restarted_tail_still_gets_nothing_new_without_sql(
    app: Any, counted: list[str]
) -> None:
    """After the tail restarted (an import, its bounds), a cursor before it is no page
    from the tail; "nothing new" is still known from the hub's history of keys."""
    add_body(app, "b1")
    add_person(app, "p1", "甲", "b1")
    hub: PushHub = app.state.push_hub
    hub._poll = HOUR
    with TestClient(app) as client:
        headers = login(client, "p1")
        view_tick(hub)
        cursor = client.get("/api/v1/sync/pull", headers=headers).json()["cursor"]
        write(app.state.sessions, "x", {"user:someone-else"})
        view_tick(hub)
        hub.tail.clear()
        hub.tail.begin(hub.last_seq)  # the tail now starts after the cursor
        counted.clear()
        page = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers).json()
        assert page["changes"] == [] and counted == []
        assert Cursor.decode(page["cursor"]).seq == hub.last_seq
        write(app.state.sessions, "m", {"user:p1"})  # a change for p1, outside the tail
        view_tick(hub)
        hub.tail.clear()
        hub.tail.begin(hub.last_seq)
        page = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers).json()
        assert [c["id"] for c in page["changes"]] == ["m"] and counted != []  # SQL
