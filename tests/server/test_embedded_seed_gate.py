"""The embedded server writes the demo's second phase in quiet moments (server/embedded.py):
after the first sign-in and the initial sync, between requests, and always in the end."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import server.embedded as embedded
from server.auth.models import ServerSecret
from server.db import make_engine, session_scope
from server.demo import REST_MARK


def _request(activity: embedded.Activity, path: str) -> None:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request"}

    async def send(_message: Any) -> None:
        return None

    asyncio.run(activity({"type": "http", "method": "POST", "path": path}, receive, send))


async def _nothing(_scope: Any, _receive: Any, _send: Any) -> None:
    return None


def test_requests_are_counted_but_not_the_push_stream() -> None:
    activity = embedded.Activity(_nothing)
    activity.last_end -= 10
    assert activity.quiet_for() >= 10
    _request(activity, "/api/v1/sync/events")
    assert activity.quiet_for() >= 10 and activity.sign_ins == 0
    _request(activity, "/api/v1/auth/login")
    assert activity.sign_ins == 1 and activity.in_flight == 0 and activity.quiet_for() < 1
    activity.in_flight = 1  # a request under way: never quiet
    assert activity.quiet_for() == 0


def _gate_in_thread(gate: Any, part: int) -> threading.Thread:
    thread = threading.Thread(target=gate, args=(part,), daemon=True)
    thread.start()
    return thread


def test_the_second_phase_writes_while_nobody_signs_in(monkeypatch: pytest.MonkeyPatch) -> None:
    """Before anyone signs in (a person choosing an account) the idle server writes."""
    monkeypatch.setattr(embedded, "READY_GRACE", 0.1)
    activity = embedded.Activity(_nothing)
    activity.last_end -= 10
    gate = embedded._seed_gate(activity, threading.Event())
    started = time.monotonic()
    gate(0)
    gate(1)
    assert time.monotonic() - started < 2


def test_after_a_sign_in_it_waits_for_the_initial_sync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "READY_GRACE", 0.0)
    monkeypatch.setattr(embedded, "SYNC_WAIT", 60.0)
    activity = embedded.Activity(_nothing)
    activity.last_end -= 10
    gate = embedded._seed_gate(activity, threading.Event())
    gate(0)
    activity.in_flight = 1  # a sign-in under way
    activity.sign_ins = 1
    thread = _gate_in_thread(gate, 1)
    thread.join(0.4)
    assert thread.is_alive()
    activity.in_flight = 0
    activity.last_end = time.monotonic()  # answered; the client opens its cache, then pulls
    thread.join(embedded.PART_QUIET + 0.3)
    assert thread.is_alive(), "a part slipped in between the sign-in and the initial sync"
    activity.last_end -= embedded.SYNC_QUIET  # the initial sync is over
    thread.join(5)
    assert not thread.is_alive()
    started = time.monotonic()  # that sign-in is waited for once; then the short quiet
    gate(2)
    assert time.monotonic() - started < 1


def test_the_second_phase_does_not_wait_for_ever(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "READY_GRACE", 0.0)
    monkeypatch.setattr(embedded, "PART_WAIT", 0.2)
    monkeypatch.setattr(embedded, "SYNC_WAIT", 0.2)
    activity = embedded.Activity(_nothing)
    activity.in_flight = 1  # a request that never ends
    activity.sign_ins = 1
    gate = embedded._seed_gate(activity, threading.Event())
    started = time.monotonic()
    gate(0)
    gate(1)
    assert time.monotonic() - started < 3


@pytest.mark.slow
def test_the_whole_demo_is_written_without_a_client(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    server = embedded.start_embedded_server(tmp_path / "server", demo_in_phases=True)
    try:
        assert server.seeding is not None
        server.seeding.join(300)
        assert not server.seeding.is_alive()
        with session_scope(make_engine(server.settings.resolved_database_url())) as session:
            assert session.scalars(select(ServerSecret.name).where(
                ServerSecret.name == REST_MARK)).all() == []
    finally:
        server.stop()


def test_the_demo_password_is_hashed_with_the_server_s_parameters() -> None:
    """The embedded server hashes the demo password with argon2's own hasher (beside the
    import of server.auth.passwords): the same parameters, so the first sign-in does not
    rehash it."""
    from server.auth import passwords

    hashed = embedded.PasswordHash().get()
    assert hashed is not None and not passwords.needs_rehash(hashed)
    assert passwords.verify_password(hashed, "Demo2026")
