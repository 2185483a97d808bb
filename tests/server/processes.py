"""Real server processes for tests: ``python main.py server`` started as subprocesses on
free ports, sharing one database (and data directory), stopped and restarted at will.

Used where the claim "several processes behave as one" must be shown with processes,
not threads: the 20-at-once booking (tests/meetings/test_booking_processes.py) and
reminders sent once (tests/reminders/test_reminder_processes.py). The processes share
``SECRET_KEY`` with :func:`app_settings`, so tokens of an in-process app built on the
same database (e.g. the access world's signed-in actors) are accepted by every process.

Processes start one after the other: each applies the (already applied) migrations at
start, and only the first finds anything to do.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from server.embedded import free_port

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "test-secret-key-with-enough-length-0123456789"


def app_settings(database_url: str, data_dir: Path, **extra: Any) -> Any:
    """Settings for an in-process app on the same database as the processes."""
    from server.config import Settings

    return Settings(data_dir=data_dir, database_url=database_url, secret_key=SECRET_KEY,
                    log_json=False, reminder_poll_seconds=0, **extra)


@dataclass
class ServerProcess:
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class ServerProcesses:
    """Start, stop and restart server processes on one database."""

    database_url: str
    data_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    running: list[ServerProcess] = field(default_factory=list)
    _started: int = 0

    def start(self, count: int = 1, workers: int = 1) -> list[str]:
        """Start ``count`` more servers (one after the other), each ``main.py server
        --workers <workers>`` (uvicorn worker processes behind one port); their URLs."""
        urls = []
        for _ in range(count):
            urls.append(self._start_one(workers).url)
        return urls

    def _start_one(self, workers: int = 1) -> ServerProcess:
        port = free_port()
        self._started += 1
        log_path = self.data_dir / f"server-{self._started}.log"
        env = {**os.environ, "OFFICE_DATA_DIR": str(self.data_dir),
               "OFFICE_SECRET_KEY": SECRET_KEY, "OFFICE_PUSH_POLL_SECONDS": "0.1",
               "OFFICE_LOG_LEVEL": "WARNING", "OFFICE_LOG_JSON": "false", **self.env}
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with log_path.open("wb") as log_file:
            proc = subprocess.Popen(
                [sys.executable, "main.py", "server", "--port", str(port),
                 "--database-url", self.database_url, "--workers", str(workers)],
                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file)
        server = ServerProcess(f"http://127.0.0.1:{port}", proc, log_path)
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{server.url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                self._end(server)
                raise AssertionError(f"server process did not start:\n{server.log()[-3000:]}")
            time.sleep(0.2)
        self.running.append(server)
        return server

    @staticmethod
    def _end(server: ServerProcess) -> None:
        if server.proc.poll() is None:
            server.proc.terminate()
            try:
                server.proc.wait(20)
            except subprocess.TimeoutExpired:
                server.proc.kill()
                server.proc.wait(20)

    def stop(self) -> None:
        """Stop every running process (gracefully: SIGTERM, then wait)."""
        for server in self.running:
            self._end(server)
        self.running.clear()

    def logs(self) -> str:
        return "\n".join(s.log()[-2000:] for s in self.running)


@contextmanager
def server_processes(database_url: str, data_dir: Path, count: int = 2,
                     env: Mapping[str, str] | None = None) -> Iterator[ServerProcesses]:
    """``count`` running server processes on ``database_url``; stopped on exit."""
    group = ServerProcesses(database_url, data_dir, dict(env or {}))
    try:
        group.start(count)
        yield group
    finally:
        group.stop()


def listen_for_pokes(url: str, headers: Mapping[str, str], pokes: queue.Queue[int],
                     ready: threading.Event, done: threading.Event, *,
                     read_timeout: float = 60.0) -> None:
    """Hold ``/sync/events`` open (run in a thread): ``ready`` is set at its hello, each
    poke's ``seq`` goes to ``pokes``; returns once ``done`` is set (at the next line)."""
    try:
        with httpx.stream("GET", f"{url}/api/v1/sync/events", headers=dict(headers),
                          timeout=httpx.Timeout(30, read=read_timeout)) as response:
            event = ""
            for line in response.iter_lines():
                if line.startswith("event:"):
                    event = line.split(":", 1)[1].strip()
                    if event == "hello":
                        ready.set()
                elif line.startswith("data:") and event == "poke":
                    pokes.put(json.loads(line.split(":", 1)[1])["seq"])
                if done.is_set():
                    return
    except httpx.HTTPError:
        if not done.is_set():
            raise
