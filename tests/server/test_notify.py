"""Issue 11: PostgreSQL LISTEN/NOTIFY wakes every process's push hub at once.

The hubs here poll once an hour, so a poke that arrives within a second was woken by a
notification. Another process is played by a second app on the same database (its
sessions carry their own hub's commit tracker, as a real process's do).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from server.app import create_app
from server.changefeed import read_counter, record_change
from server.db import session_scope
from server.embedded import free_port
from server.sync.hub import Listener, PushHub
from server.sync.notify import CHANNEL, FeedListener, libpq_url
from tests.server.processes import app_settings

HOUR = 3600.0


@pytest.fixture
def settings(pg_url: str, tmp_path: Path) -> Any:
    return app_settings(pg_url, tmp_path / "server")


def write(app: Any, *ids: str, audience: frozenset[str] = frozenset({"body:x"})) -> int:
    """One transaction recording ``ids``; the feed's counter after it committed."""
    with session_scope(app.state.sessions) as s:
        for entity_id in ids:
            record_change(s, "test.item", entity_id, {"v": entity_id}, set(audience))
    with session_scope(app.state.sessions) as s:
        return read_counter(s)[0]


async def until(predicate: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def next_poke(listener: Listener, timeout: float) -> dict[str, Any]:
    poke = await asyncio.wait_for(listener.queue.get(), timeout)
    assert poke is not None
    return dict(poke)


def test_postgres_a_commit_in_another_process_wakes_the_hub_at_once(settings: Any, pg_url: str) -> None:
    here, there = create_app(settings), create_app(settings, migrate=False)

    async def run() -> None:
        notify = FeedListener(pg_url)
        hub = PushHub(here.state.sessions, HOUR, coalesce_seconds=0.0, jitter_seconds=0.0,
                      notify=notify, notify_poll_seconds=HOUR)
        listener = hub.subscribe("pa", "pa", frozenset({"body:x"}))
        await until(lambda: notify.up and hub._view_start is not None)
        await asyncio.sleep(0.2)  # the first wake-up (on connecting) is consumed
        received = notify.received
        started = time.monotonic()
        seq = await asyncio.to_thread(write, there, "i1", "i2", "i3")
        poke = await next_poke(listener, 1.0)
        assert time.monotonic() - started < 1.0
        assert poke["seq"] >= seq
        await asyncio.sleep(0.2)
        assert notify.received == received + 1  # three rows, one transaction: one wake-up
        assert notify.top == seq and notify.blind == 0  # it carries the counter's value
        # With a hub that only polls (no listener), the same commit is not seen for an hour.
        polling = PushHub(here.state.sessions, HOUR, coalesce_seconds=0.0)
        other = polling.subscribe("pb", "pb", frozenset({"body:x"}))
        await until(lambda: polling._view_start is not None)
        await asyncio.to_thread(write, there, "i4")
        await next_poke(listener, 1.0)
        assert other.queue.empty()
        await polling.close()
        await hub.close()
        assert not notify.up

    try:
        asyncio.run(run())
    finally:
        here.state.engine.dispose()
        there.state.engine.dispose()


def test_postgres_only_commits_that_advance_the_feed_notify(settings: Any, pg_url: str) -> None:
    app = create_app(settings)
    with psycopg.connect(libpq_url(pg_url), autocommit=True) as conn:
        conn.execute("LISTEN office_feed")

        def heard() -> int:
            return sum(1 for _ in conn.notifies(timeout=0.3))

        assert heard() == 0
        write(app, "i1")
        assert heard() == 1
        try:
            with session_scope(app.state.sessions) as s:
                record_change(s, "test.item", "i2", {"v": 2}, {"body:x"})
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
        with session_scope(app.state.sessions) as s:  # reads only
            s.execute(text("SELECT 1"))
        assert heard() == 0
        seq = write(app, "i4")
        notes = list(conn.notifies(timeout=0.3))
        assert [(n.channel, n.payload) for n in notes] == [(CHANNEL, str(seq))]
    app.state.engine.dispose()


def test_postgres_the_listener_reconnects_and_the_hub_polls_meanwhile(settings: Any, pg_url: str) -> None:
    app = create_app(settings)

    async def run() -> None:
        notify = FeedListener(pg_url, min_backoff=0.2)
        hub = PushHub(app.state.sessions, 0.1, coalesce_seconds=0.0, jitter_seconds=0.0,
                      notify=notify, notify_poll_seconds=HOUR)
        listener = hub.subscribe("pa", "pa", frozenset({"body:x"}))
        await until(lambda: notify.up and hub._view_start is not None)
        with session_scope(app.state.sessions) as s:
            killed = s.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query = 'LISTEN office_feed'"
            )).scalar_one()
        assert killed == 1
        await until(lambda: notify.connects == 2, timeout=15)
        assert notify.up
        seq = await asyncio.to_thread(write, app, "i1")
        while (await next_poke(listener, 1.0))["seq"] < seq:
            pass
        await hub.close()

    asyncio.run(run())

    async def unreachable() -> None:
        # No PostgreSQL behind the listener's URL: never up, the hub polls as before.
        notify = FeedListener(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x",
                              min_backoff=0.1)
        hub = PushHub(app.state.sessions, 0.05, coalesce_seconds=0.0, jitter_seconds=0.0,
                      notify=notify, notify_poll_seconds=HOUR)
        listener = hub.subscribe("pa", "pa", frozenset({"body:x"}))
        await until(lambda: hub._view_start is not None)
        seq = await asyncio.to_thread(write, app, "i2")
        assert (await next_poke(listener, 2.0))["seq"] >= seq
        assert not notify.up and notify.connects == 0
        await hub.close()

    asyncio.run(unreachable())
    app.state.engine.dispose()


def test_postgres_the_cheap_pull_waits_for_a_notified_commit(settings: Any) -> None:
    """A device poked by one process may pull through another: while that one has heard
    of a commit it has not read yet, "nothing new" is not answered from its view."""
    from server.changefeed import scope_fingerprint

    app = create_app(settings)

    async def run() -> None:
        notify = FeedListener(settings.database_url)
        hub = PushHub(app.state.sessions, HOUR, notify=notify, notify_poll_seconds=HOUR)
        keys = frozenset({"body:x"})
        hub.subscribe("pa", "pa", keys)
        await until(lambda: hub._view_start is not None and notify.up)
        await hub._tick()
        seen = hub.seen_seq()
        hub.remember_scope("pa", keys, seen)
        fingerprint = scope_fingerprint(keys)
        assert hub.quick_nothing_new("pa", seen, fingerprint) == seen
        notify._note(str(seen + 1))  # as if a commit's notification arrived before a tick
        assert hub.behind()
        assert hub.quick_nothing_new("pa", seen, fingerprint) is None
        notify._note(str(seen))  # an older one changes nothing
        assert notify.top == seen + 1
        seq = write(app, "n1")  # (the commit it stands for; its own notification follows)
        await hub._tick()
        assert hub.seen_seq() == seq and not hub.behind()
        assert hub.quick_nothing_new("pa", seq, fingerprint) == seq
        # A notification without a number: covered only by a tick that began after it.
        notify._note("")
        assert hub.behind() and hub.quick_nothing_new("pa", seq, fingerprint) is None
        await hub._tick()
        assert hub.quick_nothing_new("pa", seq, fingerprint) == seq
        # A number higher than the counter a later tick reads (a database reset): the
        # hub does not stay behind for ever.
        notify._note(str(seq + 1000))
        assert hub.behind()
        await hub._tick()
        assert notify.top == seq and not hub.behind()
        assert hub.quick_nothing_new("pa", seq, fingerprint) == seq
        await hub.close()

    asyncio.run(run())
    app.state.engine.dispose()


def test_postgres_a_pull_behind_the_hub_waits_for_its_next_tick(settings: Any) -> None:
    """While the hub has heard of a commit it has not read, it is "behind": a pull waits
    for the next tick (then answers from the hub's tail) instead of asking SQL."""
    from server.changefeed import scope_fingerprint

    app = create_app(settings)

    async def run() -> None:
        notify = FeedListener(settings.database_url)
        hub = PushHub(app.state.sessions, HOUR, notify=notify, notify_poll_seconds=HOUR)
        keys = frozenset({"body:x"})
        hub.subscribe("pa", "pa", keys)
        await until(lambda: hub._view_start is not None and notify.up)
        await hub._tick()
        seen = hub.seen_seq()
        hub.remember_scope("pa", keys, seen)
        assert not hub.behind()
        seq = write(app, "w1")  # a commit of this process, not yet read by the hub
        assert hub.behind()
        arrived = hub.known()  # a pull arrives now: its answer must hold w1
        assert hub.memory_page("pa", seen, scope_fingerprint(keys), 10) is None
        assert hub.memory_page("pa", seen, scope_fingerprint(keys), 10, arrived) is None
        started = time.monotonic()
        assert await hub.next_tick(5.0)  # the notification wakes the watcher's tick
        assert time.monotonic() - started < 2.0
        assert not hub.behind()
        page = hub.memory_page("pa", seen, scope_fingerprint(keys), 10)
        assert page is not None and [r[2] for r in page[0]] == ["w1"] and page[1] == seq
        assert hub._tick_waiters == []
        # Another commit before the waiting pull is answered: the hub is behind again,
        # but the pull needs only what had committed when it arrived (w1, read).
        write(app, "w2")
        assert hub.memory_page("pa", seen, scope_fingerprint(keys), 10) is None
        page = hub.memory_page("pa", seen, scope_fingerprint(keys), 10, arrived)
        assert page is not None and [r[2] for r in page[0]] == ["w1"] and page[1] == seq
        # A pull that arrived after w2 is not answered before w2 is read.
        assert hub.memory_page("pa", seen, scope_fingerprint(keys), 10, hub.known()) is None
        assert await hub.next_tick(5.0)
        page = hub.memory_page("pa", seen, scope_fingerprint(keys), 10, hub.known())
        assert page is not None and [r[2] for r in page[0]] == ["w1", "w2"]
        await hub.close()

    asyncio.run(run())
    app.state.engine.dispose()


def test_a_polling_hub_is_never_behind(app: Any) -> None:
    """Without notifications the next tick may be a poll away: a pull does not wait."""
    hub = PushHub(app.state.sessions, HOUR)
    hub._advance(5, 0, None)
    hub.local.committed(9)  # a commit of this process the hub has not read
    assert hub.local.top > hub.last_seq and not hub.behind()

    async def run() -> None:  # no watcher runs: nothing to wait for
        started = time.monotonic()
        assert not await hub.next_tick(5.0)
        assert time.monotonic() - started < 1.0

    asyncio.run(run())
