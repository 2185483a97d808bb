"""Issue 11: the server behind PgBouncer in transaction mode (PostgreSQL).

A real ``pgbouncer`` (``pool_mode = transaction``, a small server pool so that consecutive
transactions of one client land on different PostgreSQL sessions) sits between the
server and PostgreSQL; ``main.py server --workers 2`` and an in-process app use only the
pooler's URL, except the push hub's LISTEN connection, which cannot be pooled per
transaction and goes to PostgreSQL itself (``OFFICE_NOTIFY_DATABASE_URL``). Sign-in,
push, pull, a conflict, the push channel and the reminder dispatcher must all work, and
no session-level state (advisory locks) may be left behind on pooled sessions.

PgBouncer must be installed (``scripts/bootstrap.sh dev`` installs it); without it the
test fails, it is never skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from modules.meetings import rules as R
from modules.reminders import rules as RR
from server.app import create_app
from server.db import session_scope, utcnow
from server.embedded import free_port
from server.reminders.models import Reminder
from tests.access.world import PASSWORD, World, build_world
from tests.server.processes import ServerProcesses, app_settings, listen_for_pokes

POOL_SIZE = 3  # PostgreSQL sessions per database and user in the pooler


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer"
                                         if os.access("/usr/sbin/pgbouncer", os.X_OK) else None)
    if found is None:
        pytest.fail("pgbouncer is not installed: run `bash scripts/bootstrap.sh dev` "
                    "(apt package pgbouncer); the PgBouncer tests must run")
    return found


@pytest.fixture
def pooler(pg_url: str) -> Iterator[str]:
    """A PgBouncer in transaction mode in front of the test's database; its URL."""
    binary = pgbouncer_binary()
    target = make_url(pg_url)
    port = free_port()
    work = Path(tempfile.mkdtemp(prefix="office-pgbouncer-"))
    work.chmod(0o755)  # read by the unprivileged user pgbouncer runs as
    (work / "users.txt").write_text(f'"{target.username}" ""\n')
    (work / "pgbouncer.ini").write_text(f"""
[databases]
* = host={target.host or '127.0.0.1'} port={target.port or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {work / 'users.txt'}
admin_users = {target.username}
pool_mode = transaction
default_pool_size = {POOL_SIZE}
max_client_conn = 200
server_reset_query =
ignore_startup_parameters = extra_float_digits
""")
    for name in ("users.txt", "pgbouncer.ini"):
        (work / name).chmod(0o644)
    command = [binary, str(work / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        user = "postgres"
        try:
            pwd.getpwnam(user)
        except KeyError:
            user = "nobody"
        command[1:1] = ["-u", user]
    log_path = work / "pgbouncer.log"
    with log_path.open("wb") as log_file:
        proc = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    url = target.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    deadline = time.monotonic() + 20
    while True:
        try:
            with psycopg.connect(f"host=127.0.0.1 port={port} user={target.username} "
                                 f"dbname={target.database}", connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            break
        except psycopg.OperationalError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait(10)
                pytest.fail(f"pgbouncer did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.1)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        shutil.rmtree(work, ignore_errors=True)


def pooler_stats(pooler_url: str, database: str) -> dict[str, int]:
    """PgBouncer's ``SHOW STATS`` row of ``database`` (its admin console)."""
    url = make_url(pooler_url)
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(url.port), "-U", str(url.username), "-At",
         "-F", "\t", "-c", "SHOW STATS", "pgbouncer"],
        capture_output=True, text=True, timeout=20, check=True).stdout
    lines = out.strip().splitlines()
    header = ["database", "total_xact_count", "total_query_count"]
    for line in lines:
        cells = line.split("\t")
        if cells[0] == database:
            return {name: int(cells[i]) for i, name in enumerate(header) if i > 0}
    raise AssertionError(f"no stats for {database}: {out}")


def _push(url: str, headers: dict[str, str], name: str, args: dict[str, Any]) -> dict[str, Any]:
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:  # new connection
        body = {"mutations": [{"id": uuid.uuid4().hex, "name": name, "args": args}]}
        response = client.post("/api/v1/sync/push", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["results"][0]
    return result


def _sign_in(url: str, login: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/auth/login", json={"account": login, "password": PASSWORD},
                   timeout=30)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_postgres_server_works_behind_pgbouncer_in_transaction_mode(
        pooler: str, pg_url: str, tmp_path: Path) -> None:
    database = str(make_url(pg_url).database)
    app: Any = create_app(app_settings(pooler, tmp_path / "app"))  # migrates through the pooler
    world: World = build_world(app)
    servers = ServerProcesses(pooler, tmp_path / "servers", {
        "OFFICE_NOTIFY_DATABASE_URL": pg_url, "OFFICE_REMINDER_POLL_SECONDS": "0.1",
        "OFFICE_PUSH_POLL_SECONDS": "5", "OFFICE_PUSH_NOTIFY_POLL_SECONDS": "5"})
    done = threading.Event()
    try:
        (url,) = servers.start(1, workers=2)
        admin, staff, leader = (world.actor(r) for r in ("sys_admin", "staff", "leader"))
        heads = {who.login: _sign_in(url, who.login) for who in (admin, staff, leader)}
        pokes: queue.Queue[int] = queue.Queue()
        ready = threading.Event()
        threading.Thread(target=listen_for_pokes, args=(url, heads[leader.login], pokes, ready, done),
                         daemon=True).start()
        assert ready.wait(30)

        room = f"mr-{uuid.uuid4().hex[:12]}"
        saved = _push(url, heads[admin.login], "meetings.save_room", {
            "room_id": room, "body_id": world.body("own"), "name": "第二会议室",
            "capacity": 20, "equipment": [], "needs_approval": False, "approvers": []})
        assert saved["status"] == "applied", saved
        day = (dt.datetime.now(R.CHINA) + dt.timedelta(days=3)).date()

        def at(h: int) -> str:
            return dt.datetime.combine(day, dt.time(h), R.CHINA).isoformat()

        first = _push(url, heads[leader.login], "meetings.book_room", {
            "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
            "start": at(9), "end": at(11), "subject": "专题会"})
        assert first["status"] == "applied", first
        late = _push(url, heads[staff.login], "meetings.book_room", {
            "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
            "start": at(10), "end": at(12), "subject": "碰头会"})
        assert late["status"] == "conflict", late
        assert late["error"]["code"].startswith("meetings.room_taken")

        # The push channel: the room was saved in the leader's body; polling is slow
        # here (5 s), so a poke within 2 s came through NOTIFY on the direct connection.
        time.sleep(1.5)  # past the per-connection coalescing of the pokes above
        while not pokes.empty():
            pokes.get_nowait()
        started = time.monotonic()
        _push(url, heads[staff.login], "directory.update_contact", {"phone": "13800001111"})
        assert pokes.get(timeout=2.0) > 0
        assert time.monotonic() - started < 2.0

        # Many pulls and pushes: the same statements run far more often than psycopg's
        # prepare threshold, over pooled sessions that change under every transaction.
        for i in range(12):
            r = httpx.get(f"{url}/api/v1/sync/pull", headers=heads[leader.login], timeout=30)
            assert r.status_code == 200, r.text
            result = _push(url, heads[staff.login], "directory.update_contact",
                           {"phone": f"1380000{i:04d}"})
            assert result["status"] == "applied", result
        changes = httpx.get(f"{url}/api/v1/sync/pull", headers=heads[leader.login],
                            timeout=30).json()["changes"]
        booked = [c for c in changes if c["data"] and c["data"].get("room_id") == room
                  and c["data"].get("subject") == "专题会"]
        assert booked, "the leader's booking is in the leader's pull"
        staff_record = [c for c in changes if c["id"] == staff.person_id]
        assert staff_record and staff_record[0]["data"]["phone"] == "13800000011"

        # The reminder dispatcher (SKIP LOCKED claims) through the pooler.
        now = utcnow()
        reminder_id = f"test:{uuid.uuid4().hex}"
        with session_scope(app.state.sessions) as s:
            s.add(Reminder(id=reminder_id, kind="test", module="meetings", ref_id="ref-pgb",
                           person_id=leader.person_id, due_at=now, expires_at=None,
                           state=RR.PENDING, data={"title_zh": "测试提醒", "title_en": "Test"},
                           created_at=now, updated_at=now, claimed_by=""))
        deadline = time.monotonic() + 30
        while True:
            with session_scope(app.state.sessions) as s:
                state = s.scalar(select(Reminder.state).where(Reminder.id == reminder_id))
            if state != RR.PENDING:
                break
            assert time.monotonic() < deadline, servers.logs()
            time.sleep(0.2)
        assert state == RR.SENT
        changes = httpx.get(f"{url}/api/v1/sync/pull", headers=heads[leader.login],
                            timeout=30).json()["changes"]
        assert any(c["entity"] == RR.NOTICE and c["data"]["reminder_id"] == reminder_id
                   for c in changes)
        assert "Traceback" not in servers.logs(), servers.logs()
    finally:
        done.set()
        servers.stop()

    # Everything but the LISTEN went through the pooler, and nothing session-level stayed.
    stats = pooler_stats(pooler, database)
    assert stats["total_xact_count"] > 100, stats
    with psycopg.connect(make_url(pg_url).set(drivername="postgresql")
                         .render_as_string(hide_password=False), autocommit=True) as conn:
        locks = conn.execute("SELECT count(*) FROM pg_locks l JOIN pg_database d "
                             "ON d.oid = l.database WHERE l.locktype = 'advisory' "
                             "AND d.datname = %s", (database,)).fetchone()
        assert locks == (0,)
    with session_scope(app.state.sessions) as s:  # the app's own pooled sessions still work
        assert s.execute(text("SELECT 1")).scalar_one() == 1
    app.state.engine.dispose()
