"""Issue 11: pokes only to the devices a change concerns, coalesced; the cheap pull.

The hub is driven tick by tick (its watcher polls once an hour here), so nothing depends
on timing. SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from server.changefeed import current_seq, record_change
from server.db import make_engine, make_sessionmaker, session_scope
from server.sync.hub import Listener, PushHub
from tests.server.helpers import add_body, add_person, login

HOUR = 3600.0


def write(sessions: Any, entity_id: str, audience: set[str], entity: str = "test.item",
          data: dict[str, Any] | None = None) -> int:
    with session_scope(sessions) as s:
        record_change(s, entity, entity_id, data or {"v": entity_id}, audience)
    with session_scope(sessions) as s:
        return current_seq(s)


def drain(listener: Listener) -> list[dict[str, Any]]:
    out = []
    while not listener.queue.empty():
        poke = listener.queue.get_nowait()
        assert poke is not None
        out.append(dict(poke))
    return out


def quiet_due(listener: Listener) -> float | None:
    return listener.quiet_due


async def settle() -> None:
    for _ in range(3):
        await asyncio.sleep(0)


def make_hub(app: Any, **kw: Any) -> PushHub:
    kw.setdefault("coalesce_seconds", 0.0)
    return PushHub(app.state.sessions, HOUR, **kw)


async def started(hub: PushHub, *subs: tuple[str, frozenset[str]]) -> list[Listener]:
    listeners = [hub.subscribe(pid, pid, keys) for pid, keys in subs]
    for _ in range(50):  # the watcher reads the counter once, then sleeps an hour
        if hub._view_start is not None:
            break
        await asyncio.sleep(0.01)
    assert hub._view_start is not None
    return listeners


def test_a_change_pokes_only_devices_of_its_audience(app: Any) -> None:
    async def run() -> None:
        hub = make_hub(app)
        a, b, c = await started(
            hub,
            ("pa", frozenset({"user:pa", "body:x", "all"})),
            ("pb", frozenset({"user:pb", "body:y", "all"})),
            ("pc", frozenset({"user:pc", "body:x", "all"})),
        )
        seq = write(app.state.sessions, "i1", {"body:x"})
        await hub._tick()
        await settle()
        assert [p["seq"] for p in drain(a)] == [seq]
        assert [p["seq"] for p in drain(c)] == [seq]
        assert drain(b) == []
        write(app.state.sessions, "i2", {"user:pb"})
        await hub._tick()
        await settle()
        assert (len(drain(a)), len(drain(b)), len(drain(c))) == (0, 1, 0)
        await hub.close()

    asyncio.run(run())


def test_many_changes_in_one_window_make_one_poke_with_a_jitter_hint(app: Any) -> None:
    async def run() -> None:
        hub = make_hub(app, coalesce_seconds=HOUR, jitter_seconds=0.5)
        (a,) = await started(hub, ("pa", frozenset({"user:pa"})))
        first = write(app.state.sessions, "i0", {"user:pa"})
        await hub._tick()
        await settle()
        pokes = drain(a)
        assert [p["seq"] for p in pokes] == [first]
        assert 0.0 <= float(pokes[0]["jitter"]) <= 0.5
        last = first
        for n in range(1, 6):
            last = write(app.state.sessions, f"i{n}", {"user:pa"})
            await hub._tick()
            await settle()
        assert drain(a) == []  # held until the window ends: one poke for all five
        assert a.pending_seq == last and a.due is not None and a.timer is not None
        a.timer.cancel()
        hub._deliver(a)
        assert [p["seq"] for p in drain(a)] == [last]
        assert a.pokes == 2
        await hub.close()

    asyncio.run(run())


def test_directory_edit_pokes_the_person_and_colleagues_not_the_region(app: Any) -> None:
    resolved: list[str] = []

    def resolver(_session: Any, person_id: str, _login: str) -> frozenset[str]:
        resolved.append(person_id)
        return frozenset({f"user:{person_id}", "dir:r2", "body:b7"})

    async def run() -> None:
        hub = make_hub(app, resolver=resolver, quiet_seconds=HOUR)
        person, colleague, region = await started(
            hub,
            ("p1", frozenset({"user:p1", "dir:r1", "body:b1", "all"})),
            ("p2", frozenset({"user:p2", "dir:r1", "body:b1", "all"})),
            ("p3", frozenset({"user:p3", "dir:r1", "body:b2", "all"})),
        )
        data = {"id": "p1", "phone": "123", "posts": [{"id": "post-p1", "body_id": "b1"}]}
        seq = write(app.state.sessions, "p1", {"dir:r1", "all", "user:p1"},
                    entity="directory.person", data=data)
        await hub._tick()
        await settle()
        assert [p["seq"] for p in drain(person)] == [seq]  # their own record: their scope
        assert [p["seq"] for p in drain(colleague)] == [seq]  # same body
        assert drain(region) == []  # the rest of the region: one quiet poke later
        assert region.quiet_due is not None and region.pending_seq == seq
        # The person's scope may have changed: their keys are read again.
        assert resolved == ["p1"]
        assert person.keys == frozenset({"user:p1", "dir:r2", "body:b7"})
        # A quiet poke that is pending goes out with the next urgent one.
        write(app.state.sessions, "i9", {"body:b2"})
        await hub._tick()
        await settle()
        assert len(drain(region)) == 1 and quiet_due(region) is None
        await hub.close()

    asyncio.run(run())


def test_a_scope_change_pokes_even_when_the_new_keys_are_elsewhere(app: Any) -> None:
    """Moving a person to another region still pokes them (their pull then gets 410)."""

    async def run() -> None:
        hub = make_hub(app, resolver=lambda s, p, lg: frozenset({f"user:{p}", "dir:r9"}))
        (person,) = await started(hub, ("p1", frozenset({"user:p1", "dir:r1"})))
        data = {"id": "p1", "posts": [{"id": "post-p1", "body_id": "b-other"}]}
        seq = write(app.state.sessions, "p1", {"dir:r9", "user:p1"},
                    entity="directory.person", data=data)
        await hub._tick()
        await settle()
        assert [p["seq"] for p in drain(person)] == [seq]
        assert person.keys == frozenset({"user:p1", "dir:r9"})
        await hub.close()

    asyncio.run(run())


# --------------------------------------------------------------------------- cheap pull


def view_tick(hub: PushHub) -> None:
    """One tick of the hub's view, without pokes (what the watcher does each poll)."""
    seq, purged = hub._read_counter()
    tick = hub._read_tick(hub.last_seq, seq) if seq > hub.last_seq else None
    hub._advance(seq, purged, tick)


#: Threads of the server's background workers (server/reminders, server/documents
#: intake_jobs, server/audit/chain).
BACKGROUND = frozenset({"reminders", "intake", "audit-chain"})


@pytest.fixture
def counted(app: Any) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The server's own workers (reminders, intake, the audit chain) poll the database
        # on their schedule whatever the requests do; what a request costs is the rest.
        if threading.current_thread().name not in BACKGROUND:
            statements.append(statement)

    event.listen(app.state.engine, "before_cursor_execute", count)
    yield statements
    event.remove(app.state.engine, "before_cursor_execute", count)


def test_no_change_pull_is_answered_without_sql(app: Any, counted: list[str]) -> None:
    add_body(app, "b1")
    add_person(app, "p1", "甲", "b1")
    hub: PushHub = app.state.push_hub
    hub._poll = HOUR  # the view counts as fresh (no watcher runs here; ticks by hand)
    with TestClient(app) as client:
        headers = login(client, "p1")
        view_tick(hub)  # the watcher would do this while devices listen
        first = client.get("/api/v1/sync/pull", headers=headers)
        assert first.status_code == 200
        cursor = first.json()["cursor"]
        counted.clear()
        again = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers)
        assert again.status_code == 200, again.text
        assert again.json()["changes"] == [] and not again.json()["has_more"]
        assert counted == []
        # Authentication is still checked.
        bad = client.get("/api/v1/sync/pull", params={"cursor": cursor},
                         headers={"Authorization": "Bearer nope"})
        assert bad.status_code == 401
        # A change elsewhere keeps the cheap answer; the cursor moves on.
        other = write(app.state.sessions, "x", {"user:someone-else"})
        view_tick(hub)
        counted.clear()
        moved = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers)
        assert moved.json()["changes"] == [] and counted == []
        cursor = moved.json()["cursor"]
        from server.changefeed import Cursor

        assert Cursor.decode(cursor).seq == other


def test_cheap_pull_still_returns_changes_of_this_and_other_processes(
    app: Any, counted: list[str], database_url: str
) -> None:
    add_body(app, "b1")
    add_person(app, "p1", "甲", "b1")
    hub: PushHub = app.state.push_hub
    hub._poll = HOUR  # the view counts as fresh (no watcher runs here; ticks by hand)
    with TestClient(app) as client:
        headers = login(client, "p1")
        view_tick(hub)
        cursor = client.get("/api/v1/sync/pull", headers=headers).json()["cursor"]

        # Written by this process and not yet seen by the hub: the pull must ask SQL.
        mine = write(app.state.sessions, "m1", {"user:p1"})
        counted.clear()
        page = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers).json()
        assert [c["seq"] for c in page["changes"]] == [mine]
        assert counted != []
        cursor = page["cursor"]
        view_tick(hub)

        # Written by another process (its own engine). Until this hub's watcher sees it,
        # the cheap answer says nothing new *up to what the hub saw* — the cursor does not
        # pass the change, so nothing is skipped; once seen, the pull returns it.
        other_engine = make_engine(database_url)
        try:
            theirs = write(make_sessionmaker(other_engine), "o1", {"dir:b1"})
        finally:
            other_engine.dispose()
        early = client.get("/api/v1/sync/pull", params={"cursor": cursor}, headers=headers)
        from server.changefeed import Cursor

        assert Cursor.decode(early.json()["cursor"]).seq < theirs
        view_tick(hub)
        counted.clear()
        page = client.get("/api/v1/sync/pull", params={"cursor": early.json()["cursor"]},
                          headers=headers).json()
        assert [c["id"] for c in page["changes"]] == ["o1"]
        # Seen by the hub's tick, the page comes from its tail of recent rows.
        assert counted == [] and hub.memory_pages == 1
        # Without the tail (an import cleared it, say) the database answers the same.
        hub.tail.clear()
        again = client.get("/api/v1/sync/pull", params={"cursor": early.json()["cursor"]},
                           headers=headers).json()
        assert counted != [] and again["changes"] == page["changes"]
        assert again["cursor"] == page["cursor"]


def test_cheap_pull_asks_sql_when_the_view_is_behind_the_cursor_or_the_scope_moved(
    app: Any, counted: list[str]
) -> None:
    add_body(app, "b1")
    add_person(app, "p1", "甲", "b1")
    hub: PushHub = app.state.push_hub
    hub._poll = HOUR  # the view counts as fresh (no watcher runs here; ticks by hand)
    with TestClient(app) as client:
        headers = login(client, "p1")
        view_tick(hub)
        write(app.state.sessions, "x", {"user:nobody"})
        # The hub has not seen seq x yet; a cursor past its view must go to SQL.
        page = client.get("/api/v1/sync/pull", headers=headers).json()
        counted.clear()
        client.get("/api/v1/sync/pull", params={"cursor": page["cursor"]}, headers=headers)
        assert counted != []
        view_tick(hub)
        # The person's directory record changes: the cached scope is dropped.
        write(app.state.sessions, "p1", {"user:p1"}, entity="directory.person",
              data={"id": "p1", "posts": []})
        view_tick(hub)
        assert "p1" not in hub._scopes


def test_the_scope_cache_is_bounded_oldest_first(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from server.sync import hub as hub_module

    monkeypatch.setattr(hub_module, "MAX_SCOPES", 8)
    hub = make_hub(app)
    hub._advance(0, 0, None)  # a view exists
    for n in range(9):
        hub.remember_scope(f"p{n}", frozenset({f"user:p{n}"}), 0)
    assert list(hub._scopes) == [f"p{n}" for n in range(3, 9)]
