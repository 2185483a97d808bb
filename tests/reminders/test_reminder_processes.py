"""Reminders with real server processes (``main.py server``) on one database, SQLite and
PostgreSQL: due reminders are sent exactly once while two processes claim them, reach
their person through either process's feed, and a restart loses nothing (what came due
while the servers were down goes out at start; what is too late expires unsent)."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from modules.reminders import rules as RR
from server.db import session_scope, utcnow
from server.reminders.models import Notice, Reminder
from tests.access.world import World, build_world
from tests.server.processes import ServerProcesses, app_settings

FAST = {"OFFICE_REMINDER_POLL_SECONDS": "0.1"}


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[World]:
    from server.app import create_app

    app: Any = create_app(app_settings(database_url, tmp_path / "app"))
    yield build_world(app)
    app.state.engine.dispose()


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[ServerProcesses]:
    group = ServerProcesses(database_url, tmp_path / "servers", FAST)
    yield group
    group.stop()


def _add(world: World, person: str, due: dt.datetime, count: int = 1,
         expires: dt.datetime | None = None) -> list[str]:
    ids = [f"test:{uuid.uuid4().hex}" for _ in range(count)]
    now = utcnow()
    with session_scope(world.app.state.sessions) as s:
        for i in ids:
            s.add(Reminder(id=i, kind="test", module="meetings", ref_id=f"ref-{i[-12:]}",
                           person_id=person, due_at=due, expires_at=expires, state=RR.PENDING,
                           data={"title_zh": "测试提醒", "title_en": "Test reminder"},
                           created_at=now, updated_at=now, claimed_by=""))
    return ids


def _settled(world: World, ids: list[str], servers: ServerProcesses) -> dict[str, str]:
    """Wait until none of ``ids`` is pending; their states."""
    deadline = time.monotonic() + 90
    while True:
        with session_scope(world.app.state.sessions) as s:
            states = dict(s.execute(select(Reminder.id, Reminder.state)
                                    .where(Reminder.id.in_(ids))).all())
        if RR.PENDING not in states.values():
            return states
        assert time.monotonic() < deadline, servers.logs()
        time.sleep(0.2)


def _deliveries(world: World, ids: list[str]) -> dict[str, int]:
    with session_scope(world.app.state.sessions) as s:
        return dict(s.execute(select(Notice.reminder_id, func.count())
                              .where(Notice.reminder_id.in_(ids))
                              .group_by(Notice.reminder_id)).all())


@pytest.mark.parametrize("layout", ["two servers", "one server, --workers 2"])
def test_two_processes_send_each_due_reminder_once(world: World, servers: ServerProcesses,
                                                   layout: str) -> None:
    login = world.new_id("rem")
    person = world.person([("own", ["staff"])], login=login)
    headers = world.sign_in(login)
    urls = servers.start(2) if layout == "two servers" else servers.start(1, workers=2)
    # due a moment from now, while both processes are polling
    ids = _add(world, person, utcnow() + dt.timedelta(seconds=2), count=300)
    states = _settled(world, ids, servers)
    assert set(states.values()) == {RR.SENT}
    counts = _deliveries(world, ids)
    assert len(counts) == 300 and set(counts.values()) == {1}
    with session_scope(world.app.state.sessions) as s:
        workers = set(s.scalars(select(Reminder.claimed_by).where(Reminder.id.in_(ids))))
    assert workers and all(":" in w for w in workers)  # host:pid of a server process
    for url in urls:  # the notices reach the person through either process
        changes = httpx.get(f"{url}/api/v1/sync/pull", headers=headers, timeout=30).json()["changes"]
        notices = [c for c in changes if c["entity"] == RR.NOTICE]
        assert len(notices) == 300 and {n["data"]["reminder_id"] for n in notices} == set(ids)


def test_a_restart_loses_nothing_and_drops_what_is_too_late(
        world: World, servers: ServerProcesses) -> None:
    person = world.person([("own", ["staff"])])
    servers.start(2)
    servers.stop()
    now = utcnow()
    while_down = _add(world, person, now - dt.timedelta(minutes=10))
    soon = _add(world, person, now + dt.timedelta(seconds=1))  # comes due while down
    too_old = _add(world, person, now - dt.timedelta(hours=30))
    over = _add(world, person, now - dt.timedelta(minutes=40), expires=now - dt.timedelta(minutes=5))
    time.sleep(1.5)
    servers.start(2)
    ids = [*while_down, *soon, *too_old, *over]
    states = _settled(world, ids, servers)
    assert [states[i] for i in ids] == [RR.SENT, RR.SENT, RR.EXPIRED, RR.EXPIRED]
    assert _deliveries(world, ids) == {while_down[0]: 1, soon[0]: 1}
