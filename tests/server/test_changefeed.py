"""The change feed: scope, tombstones, cursors, and no missed change under concurrency."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest

from modules.common.errors import DomainError
from server.changefeed import (
    ResyncRequired,
    current_seq,
    purge_tombstones,
    read_feed,
    record_change,
)
from server.db import session_scope


def pull_all(app: Any, keys: frozenset[str], cursor: str | None = None,
             limit: int = 500) -> tuple[list[dict[str, Any]], str]:
    changes: list[dict[str, Any]] = []
    while True:
        with session_scope(app.state.sessions) as s:
            page = read_feed(s, keys, cursor, limit)
        changes += page.changes
        cursor = page.cursor
        if not page.has_more:
            return changes, cursor


def write(app: Any, entity_id: str, data: dict[str, Any] | None, audience: set[str]) -> int:
    """Publish one change; returns the feed's counter once it has been committed."""
    with session_scope(app.state.sessions) as s:
        record_change(s, "test.item", entity_id, data, audience)
    with session_scope(app.state.sessions) as s:
        return current_seq(s)


def test_scope_decides_what_a_reader_sees(app: Any) -> None:
    write(app, "a", {"v": 1}, {"user:alice"})
    write(app, "b", {"v": 1}, {"user:bob"})
    write(app, "c", {"v": 1}, {"body:x"})
    alice, _ = pull_all(app, frozenset({"user:alice", "body:x"}))
    assert sorted(c["id"] for c in alice) == ["a", "c"]
    bob, _ = pull_all(app, frozenset({"user:bob"}))
    assert [c["id"] for c in bob] == ["b"]


def test_one_row_per_entity_and_incremental_pull(app: Any) -> None:
    keys = frozenset({"all"})
    write(app, "a", {"v": 1}, {"all"})
    first, cursor = pull_all(app, keys)
    assert [(c["id"], c["data"]) for c in first] == [("a", {"v": 1})]
    write(app, "a", {"v": 2}, {"all"})
    write(app, "a", {"v": 3}, {"all"})
    later, cursor2 = pull_all(app, keys, cursor)
    assert [(c["id"], c["data"]) for c in later] == [("a", {"v": 3})]
    nothing, _ = pull_all(app, keys, cursor2)
    assert nothing == []
    # A full pull is a snapshot: one row for the entity, at its latest state.
    snapshot, _ = pull_all(app, keys)
    assert [(c["id"], c["data"]) for c in snapshot] == [("a", {"v": 3})]


def test_lost_access_arrives_as_tombstone_only_for_who_lost_it(app: Any) -> None:
    write(app, "doc", {"title": "t"}, {"user:alice", "user:bob"})
    _, alice_cursor = pull_all(app, frozenset({"user:alice"}))
    _, bob_cursor = pull_all(app, frozenset({"user:bob"}))
    write(app, "doc", {"title": "t2"}, {"user:alice"})
    alice, _ = pull_all(app, frozenset({"user:alice"}), alice_cursor)
    bob, _ = pull_all(app, frozenset({"user:bob"}), bob_cursor)
    assert alice == [{"seq": alice[0]["seq"], "entity": "test.item", "id": "doc",
                      "op": "upsert", "data": {"title": "t2"}}]
    assert [(c["id"], c["op"], c["data"]) for c in bob] == [("doc", "delete", None)]
    # A newcomer holding both keys sees the live record, not the tombstone.
    both, _ = pull_all(app, frozenset({"user:alice", "user:bob"}))
    assert [c["op"] for c in both] == ["upsert"]


def test_deletion_is_a_tombstone(app: Any) -> None:
    write(app, "x", {"v": 1}, {"all"})
    _, cursor = pull_all(app, frozenset({"all"}))
    write(app, "x", None, {"all"})
    changes, _ = pull_all(app, frozenset({"all"}), cursor)
    assert [(c["id"], c["op"]) for c in changes] == [("x", "delete")]


def test_paging_returns_everything_once(app: Any) -> None:
    for i in range(25):
        write(app, f"e{i:02d}", {"i": i}, {"all"})
    changes, _ = pull_all(app, frozenset({"all"}), limit=7)
    assert [c["id"] for c in changes] == [f"e{i:02d}" for i in range(25)]


def test_bad_and_stale_cursors(app: Any) -> None:
    write(app, "a", {"v": 1}, {"user:alice"})
    _, cursor = pull_all(app, frozenset({"user:alice"}))
    with session_scope(app.state.sessions) as s, pytest.raises(DomainError) as bad:
        read_feed(s, frozenset({"user:alice"}), "not-a-cursor", 10)
    assert bad.value.code == "sync.bad_cursor" and bad.value.http_status == 400
    # The same cursor under a different scope (the user gained or lost a key) → resync.
    with session_scope(app.state.sessions) as s, pytest.raises(ResyncRequired):
        read_feed(s, frozenset({"user:alice", "body:new"}), cursor, 10)


def test_purged_tombstones_force_resync_of_old_cursors(app: Any) -> None:
    from datetime import timedelta

    write(app, "a", {"v": 1}, {"all"})
    _, old_cursor = pull_all(app, frozenset({"all"}))
    write(app, "a", None, {"all"})
    _, new_cursor = pull_all(app, frozenset({"all"}), old_cursor)
    with session_scope(app.state.sessions) as s:
        assert purge_tombstones(s, timedelta(seconds=-1)) == 1
    with session_scope(app.state.sessions) as s, pytest.raises(ResyncRequired):
        read_feed(s, frozenset({"all"}), old_cursor, 10)
    with session_scope(app.state.sessions) as s:
        assert read_feed(s, frozenset({"all"}), new_cursor, 10).changes == []


def test_concurrent_writers_never_hide_a_change_from_a_reader(app: Any) -> None:
    """Writers that commit out of order must not let a polling reader skip a change.

    Each writer records its change and then dawdles before committing, the window in
    which a plain sequence would let a later seq become visible first.
    """
    writers, per_writer = 6, 15
    expected: dict[str, int] = {}
    lock = threading.Lock()
    stop = threading.Event()
    seen: dict[str, int] = {}
    errors: list[BaseException] = []

    def writer(w: int) -> None:
        rng = random.Random(w)
        try:
            for i in range(per_writer):
                entity_id = f"w{w}-{i % 5}"
                with session_scope(app.state.sessions) as s:
                    record_change(s, "test.item", entity_id, {"v": i}, {"all"})
                    time.sleep(rng.uniform(0, 0.01))
                with lock:
                    expected[entity_id] = i
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        cursor: str | None = None
        try:
            while not stop.is_set():
                changes, cursor = pull_all(app, frozenset({"all"}), cursor, limit=13)
                for change in changes:
                    seen[change["id"]] = change["data"]["v"]
            changes, cursor = pull_all(app, frozenset({"all"}), cursor)
            for change in changes:
                seen[change["id"]] = change["data"]["v"]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    read_thread = threading.Thread(target=reader)
    read_thread.start()
    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    read_thread.join()
    assert not errors, errors
    assert len(expected) == writers * 5
    assert seen == expected


def test_batch_publishing_matches_one_by_one(app: Any) -> None:
    from server.changefeed import record_changes

    write(app, "old", {"v": 0}, {"user:a", "user:b"})
    _, cursor_b = pull_all(app, frozenset({"user:b"}))
    with session_scope(app.state.sessions) as s:
        before = current_seq(s)
        record_changes(s, [
            ("test.item", "new1", {"v": 1}, {"user:a"}),
            ("test.item", "old", {"v": 2}, {"user:a"}),  # b loses access
            ("test.item", "new2", None, {"user:a"}),
        ])
    a, _ = pull_all(app, frozenset({"user:a"}))
    assert [c["seq"] for c in a] == [before + 1, before + 2, before + 3]
    assert [(c["id"], c["op"], c["data"]) for c in a] == [
        ("new1", "upsert", {"v": 1}), ("old", "upsert", {"v": 2}), ("new2", "delete", None)]
    b, _ = pull_all(app, frozenset({"user:b"}), cursor_b)
    assert [(c["id"], c["op"]) for c in b] == [("old", "delete")]
