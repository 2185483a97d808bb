"""Push fan-out across server processes: the harness of the proof (issue 11).

Two separate groups of server processes (two ``main.py server --workers 2``, as two
machines would run them) on one database; devices (demo users with an ``/sync/events``
channel and a pull cursor, as the client has) connected to every one of the four worker
processes; a writer changes its phone number through one process after another. For each
round and device: the poke latency (push sent → poke received) and the pull latency
(push sent → the device's pull, after the poke's jitter hint, returns the new number).

Which worker process serves a connection is read from the kernel (``/proc``): the
connection's socket belongs to exactly one worker. Linux only.

Used by tests/server/test_fanout.py and bench/bench_fanout.py.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from tests.server.processes import ServerProcesses

#: Demo people who get the pokes of the writer's directory edits (same body).
WRITER = 0
LISTENERS = (1, 2, 3, 4, 5)


def worker_pids(supervisor: int) -> list[int]:
    """The uvicorn worker processes (children) of a ``main.py server`` process."""
    path = Path(f"/proc/{supervisor}/task/{supervisor}/children")
    found = []
    for pid in (int(p) for p in path.read_text().split()):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        if b"resource_tracker" not in cmdline:  # multiprocessing's helper, not a worker
            found.append(pid)
    return sorted(found)


def _socket_inodes(pid: int) -> set[str]:
    found = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in fd_dir.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            found.add(target[8:-1])
    return found


def serving_pid(server_port: int, client_port: int, pids: list[int]) -> int | None:
    """The process among ``pids`` holding the server end of the TCP connection from
    ``client_port`` to ``server_port`` on this machine."""
    inode = None
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as f:
            next(f)
            for line in f:
                cells = line.split()
                local, remote = cells[1], cells[2]
                if (int(local.rsplit(":", 1)[1], 16) == server_port
                        and int(remote.rsplit(":", 1)[1], 16) == client_port):
                    inode = cells[9]
                    break
        if inode:
            break
    if inode is None:
        return None
    for pid in pids:
        if inode in _socket_inodes(pid):
            return pid
    return None


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    cells = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(cells[11]) + int(cells[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Group:
    """One ``main.py server --workers 2``: its URL, supervisor and worker processes."""

    servers: ServerProcesses
    url: str
    supervisor: int
    workers: list[int]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@dataclass
class Round:
    number: int
    phone: str
    sent: float = 0.0
    #: seconds from sending the push to its answer (the commit is done by then)
    answered: float = 0.0
    writer_pid: int = 0
    #: device index -> (poke latency, pull latency) in seconds
    seen: dict[int, tuple[float, float]] = field(default_factory=dict)


@dataclass
class Device:
    index: int
    group: Group
    headers: dict[str, str]
    writer_id: str
    pid: int = 0
    cursor: str | None = None
    poke_at: float | None = None
    pokes: int = 0
    error: str = ""


class Fanout:
    """The four processes, the devices and the rounds."""

    def __init__(self, groups: list[Group], jitter: bool = True) -> None:
        self.groups = groups
        self.devices: list[Device] = []
        self.jitter = jitter
        self.current: Round | None = None
        self.rounds: list[Round] = []
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._threads: list[threading.Thread] = []

    @property
    def pids(self) -> list[int]:
        return [p for g in self.groups for p in g.workers]

    def all_pids(self) -> list[int]:
        return [p for g in self.groups for p in (g.supervisor, *g.workers)]

    # -- devices -----------------------------------------------------------------------

    def connect(self, per_worker: int = 2, max_tries: int = 40) -> None:
        """Open device channels until every worker process serves ``per_worker``."""
        accounts = demo_accounts()
        writer_id = accounts[WRITER].person_id
        for group in self.groups:
            tries = 0
            while min(sum(1 for d in self.devices if d.pid == w) for w in group.workers) < per_worker:
                tries += 1
                assert tries <= max_tries, "the kernel never spread connections to every worker"
                account = accounts[LISTENERS[len(self.devices) % len(LISTENERS)]]
                device = Device(len(self.devices), group, sign_in(group.url, account.login),
                                writer_id)
                self._initial_pull(device)
                ready = threading.Event()
                thread = threading.Thread(target=self._listen, args=(device, ready), daemon=True)
                thread.start()
                assert ready.wait(30), device.error or "no hello"
                self._threads.append(thread)
                self.devices.append(device)

    def _initial_pull(self, device: Device) -> None:
        with httpx.Client(base_url=device.group.url, headers=device.headers, timeout=60) as c:
            while True:
                params = {"cursor": device.cursor} if device.cursor else {}
                page = c.get("/api/v1/sync/pull", params=params).json()
                device.cursor = page["cursor"]
                if not page["has_more"]:
                    return

    def _listen(self, device: Device, ready: threading.Event) -> None:
        group = device.group
        try:
            with httpx.Client(base_url=group.url, headers=device.headers,
                              timeout=httpx.Timeout(30, read=120)) as client, \
                    client.stream("GET", "/api/v1/sync/events") as response:
                addr = response.extensions["network_stream"].get_extra_info("client_addr")
                device.pid = serving_pid(group.port, int(addr[1]), group.workers) or 0
                event = ""
                with httpx.Client(base_url=group.url, headers=device.headers,
                                  timeout=30) as puller:
                    for line in response.iter_lines():
                        if self._done.is_set():
                            return
                        if line.startswith("event:"):
                            event = line.split(":", 1)[1].strip()
                            if event == "hello":
                                ready.set()
                        elif line.startswith("data:") and event == "poke":
                            self._on_poke(device, json.loads(line.split(":", 1)[1]), puller)
        except Exception as exc:  # reported by the caller
            if not self._done.is_set():
                device.error = repr(exc)
                ready.set()

    def _on_poke(self, device: Device, poke: dict[str, Any], puller: httpx.Client) -> None:
        now = time.monotonic()
        device.pokes += 1
        device.poke_at = now
        current = self.current
        if self.jitter:
            time.sleep(min(float(poke.get("jitter", 0.0)), 1.0))
        phones: list[str] = []
        while True:
            page = puller.get("/api/v1/sync/pull", params={"cursor": device.cursor}).json()
            device.cursor = page["cursor"]
            phones += [c["data"]["phone"] for c in page["changes"]
                       if c["id"] == device.writer_id and c.get("data")]
            if not page["has_more"]:
                break
        done = time.monotonic()
        if current is not None and current.phone in phones:
            with self._lock:
                current.seen.setdefault(device.index, (now - current.sent, done - current.sent))

    # -- rounds ------------------------------------------------------------------------

    def run_rounds(self, rounds: int, gap: float = 1.6, timeout: float = 5.0,
                   max_rounds: int = 80) -> None:
        """At least ``rounds`` writes, alternating between the groups, until each of the
        four processes has served at least one; each waits for every device (or
        ``timeout``), then ``gap`` seconds so that coalescing never delays a poke."""
        writer = demo_accounts()[WRITER]
        heads = {g.url: sign_in(g.url, writer.login) for g in self.groups}
        number = 0
        while number < rounds or not self._writers_cover_all():
            assert number < max_rounds, "the writes never reached every process"
            group = self.groups[number % len(self.groups)]
            phone = f"139{random.randrange(10**8):08d}"
            current = Round(number, phone)
            self.current = current
            with httpx.Client(base_url=group.url, headers=heads[group.url], timeout=30) as c:
                current.sent = time.monotonic()
                body = {"mutations": [{"id": uuid.uuid4().hex, "name": "directory.update_contact",
                                       "args": {"phone": phone}}]}
                with c.stream("POST", "/api/v1/sync/push", json=body) as response:
                    addr = response.extensions["network_stream"].get_extra_info("client_addr")
                    response.read()
                current.answered = time.monotonic() - current.sent
                current.writer_pid = serving_pid(group.port, int(addr[1]), group.workers) or 0
                result = response.json()["results"][0]
                assert result["status"] == "applied", result
            deadline = current.sent + timeout
            while len(current.seen) < len(self.devices) and time.monotonic() < deadline:
                time.sleep(0.01)
            self.rounds.append(current)
            number += 1
            time.sleep(gap)
        self.current = None

    def _writers_cover_all(self) -> bool:
        return set(self.pids) <= {r.writer_pid for r in self.rounds}

    def close(self) -> None:
        self._done.set()

    # -- results -----------------------------------------------------------------------

    def cross_process(self) -> list[tuple[Round, Device, tuple[float, float] | None]]:
        """Every (round, device on another process than the writer's, latencies or None)."""
        out = []
        for r in self.rounds:
            for d in self.devices:
                if d.pid != r.writer_pid:
                    out.append((r, d, r.seen.get(d.index)))
        return out


def sign_in(url: str, login: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/auth/login", json={"account": login, "password": DEMO_PASSWORD},
                   timeout=60)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@contextmanager
def two_groups(database_url: str, data_dir: Path, env: dict[str, str]) -> Iterator[list[Group]]:
    """Two separate ``main.py server --workers 2`` on ``database_url`` (demo data)."""
    from server.db import make_engine
    from server.migrate import prepare_database
    from tests.server.processes import app_settings

    # Migrate and seed here first: a server start then has nothing slow left to do.
    engine = make_engine(database_url)
    prepare_database(engine, app_settings(database_url, data_dir / "seed", demo=True))
    engine.dispose()
    made: list[ServerProcesses] = []
    try:
        groups = []
        for name in ("a", "b"):
            servers = ServerProcesses(database_url, data_dir / name, {"OFFICE_DEMO": "1", **env})
            made.append(servers)
            (url,) = servers.start(1, workers=2)
            supervisor = servers.running[0].proc.pid
            deadline = time.monotonic() + 30
            while len(workers := worker_pids(supervisor)) < 2:
                assert time.monotonic() < deadline, "the workers did not start"
                time.sleep(0.1)
            groups.append(Group(servers, url, supervisor, workers))
        yield groups
    finally:
        for servers in made:
            servers.stop()
