"""Two server processes on one database behave as one — the push channel included.

Starts ``python main.py server --workers 2`` as a real subprocess. Connections are spread
over the workers by the operating system, so the client that writes and the client that
listens are usually served by different processes; several rounds make that certain
enough, and every round must be delivered.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from modules.directory.demo import DEMO_PASSWORD, demo_accounts
from server.embedded import free_port
from tests.server.processes import listen_for_pokes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Any:
    port = free_port()
    env = {
        **os.environ,
        "OFFICE_DATA_DIR": str(tmp_path / "server"),
        "OFFICE_PUSH_POLL_SECONDS": "0.1",
        "OFFICE_LOG_LEVEL": "WARNING",
    }
    log_path = tmp_path / "server.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "main.py", "server", "--port", str(port), "--workers", "2",
         "--database-url", database_url, "--demo"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log_file,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            proc.wait(15)
            log_file.close()
            raise AssertionError(log_path.read_text(errors="replace")[-3000:])
        time.sleep(0.2)
    yield url
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(15)
    log_file.close()


def _login(url: str, account: str) -> dict[str, str]:
    r = httpx.post(f"{url}/api/v1/auth/login", json={"account": account, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_pokes_cross_worker_boundaries(two_workers: str) -> None:
    url = two_workers
    writer, listener = demo_accounts()[0], demo_accounts()[1]  # same body, same region
    writer_headers = _login(url, writer.login)
    listener_headers = _login(url, listener.login)
    pokes: queue.Queue[int] = queue.Queue()
    ready = threading.Event()
    done = threading.Event()

    thread = threading.Thread(target=listen_for_pokes, daemon=True,
                              args=(url, listener_headers, pokes, ready, done),
                              kwargs={"read_timeout": 30})
    thread.start()
    assert ready.wait(30)
    for round_no in range(6):
        with httpx.Client(base_url=url, headers=writer_headers) as client:  # new connection
            mutation = {"id": uuid.uuid4().hex, "name": "directory.update_contact",
                        "args": {"phone": f"1380000{round_no:04d}"}}
            result = client.post("/api/v1/sync/push", json={"mutations": [mutation]}).json()
        assert result["results"][0]["status"] == "applied", result
        seq = pokes.get(timeout=20)
        assert seq > 0
        while not pokes.empty():  # a poke for an earlier round may arrive late
            pokes.get_nowait()
    # The listener can pull what it was poked about, whichever worker answers.
    changes = httpx.get(f"{url}/api/v1/sync/pull", headers=listener_headers).json()["changes"]
    writer_record = [c for c in changes if c["id"] == writer.person_id]
    assert writer_record and writer_record[0]["data"]["phone"] == "13800000005"
    done.set()
