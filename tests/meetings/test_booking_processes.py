"""The "20 at once" booking against real server processes: two ``main.py server``
processes on one database (PostgreSQL, and SQLite), 20 clients booking the same slot at
the same moment, half through each process. Exactly one booking; 19 refusals that name
who holds the room and until when; back-to-back slots both accepted.
(The in-process version with threads is in test_booking_server.py.)"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from modules.meetings import rules as R
from server.db import session_scope
from tests.access.world import World, build_world, push
from tests.server.processes import ServerProcesses, app_settings, server_processes


@pytest.fixture
def world_and_servers(database_url: str, tmp_path: Path) -> Iterator[tuple[World, ServerProcesses]]:
    from server.app import create_app

    app: Any = create_app(app_settings(database_url, tmp_path / "app"))
    world = build_world(app)
    with server_processes(database_url, tmp_path / "servers", count=2) as servers:
        yield world, servers
    app.state.engine.dispose()


def at(day: dt.date, h: int, m: int = 0) -> str:
    return dt.datetime.combine(day, dt.time(h, m), R.CHINA).isoformat()


def _push(client: httpx.Client, headers: dict[str, str], name: str, args: dict[str, Any]
          ) -> dict[str, Any]:
    r = client.post("/api/v1/sync/push", headers=headers, json={
        "mutations": [{"id": f"m-{uuid.uuid4().hex}", "name": name, "args": args}]})
    assert r.status_code == 200, r.text
    return dict(r.json()["results"][0])


def test_twenty_clients_on_two_processes_book_one_slot(
        world_and_servers: tuple[World, ServerProcesses]) -> None:
    world, servers = world_and_servers
    urls = [s.url for s in servers.running]
    assert len(urls) == 2
    room = f"mr-{uuid.uuid4().hex[:12]}"
    assert push(world, world.actor("sys_admin"), "meetings.save_room", {
        "room_id": room, "body_id": world.body("own"), "name": "第一会议室", "capacity": 30,
        "equipment": [], "needs_approval": False, "approvers": []})["status"] == "applied"
    day = (dt.datetime.now(R.CHINA) + dt.timedelta(days=3)).date()
    people = []
    for _ in range(20):
        login = world.new_id("booker")
        person = world.person([("own", ["staff"])], login=login)
        people.append((person, world.sign_in(login)))
    barrier = threading.Barrier(len(people))
    results: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()

    def book(i: int, person: str, headers: dict[str, str]) -> None:
        with httpx.Client(base_url=urls[i % 2], timeout=60) as client:
            assert client.get("/api/v1/health").status_code == 200  # connection open
            barrier.wait()
            result = _push(client, headers, "meetings.book_room", {
                "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
                "start": at(day, 9), "end": at(day, 11), "subject": "专题会"})
        with lock:
            results[person] = result

    threads = [threading.Thread(target=book, args=(i, p, h)) for i, (p, h) in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 20, servers.logs()
    won = [p for p, r in results.items() if r["status"] == "applied"]
    lost = [r for r in results.values() if r["status"] == "conflict"]
    assert len(won) == 1 and len(lost) == 19, [r.get("error", {}).get("code") for r in results.values()]
    with session_scope(world.app.state.sessions) as s:
        holder = s.execute(text("select name from directory_person where id = :i"),
                           {"i": won[0]}).scalar_one()
        count = s.execute(text("select count(*) from meetings_booking where room_id = :r"),
                          {"r": room}).scalar_one()
    assert count == 1
    for refusal in lost:
        assert refusal["error"]["code"] == "meetings.room_taken"
        message = refusal["error"]["message"]
        assert holder in message and "11:00" in message, message

    # Back to back: 11:00–12:00 (through the other process) and 08:00–09:00 are free.
    other = next(h for p, h in people if p != won[0])
    with httpx.Client(base_url=urls[1], timeout=60) as client:
        after = _push(client, other, "meetings.book_room", {
            "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
            "start": at(day, 11), "end": at(day, 12), "subject": "接着开"})
    with httpx.Client(base_url=urls[0], timeout=60) as client:
        before = _push(client, other, "meetings.book_room", {
            "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
            "start": at(day, 8), "end": at(day, 9), "subject": "早会"})
    assert after["status"] == "applied" and after["result"]["state"] == "confirmed", after
    assert before["status"] == "applied" and before["result"]["state"] == "confirmed", before
