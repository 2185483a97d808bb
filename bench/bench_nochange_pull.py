"""No-change pulls per second: the cheap path, the database path, a bare endpoint.

Usage::

    .venv/bin/python bench/bench_nochange_pull.py [--seconds 5] [--concurrency 32] [--database-url URL]

Starts the real server (``main.py server --demo``, one process, temp SQLite unless
``--database-url``: a scratch database on that server, dropped afterwards) and, for comparison, a bare async FastAPI endpoint on the same
uvicorn. Signs one demo user in, pulls once to get a cursor, then fires no-change pulls
(``GET /sync/pull?cursor=…``) from ``--concurrency`` async clients for ``--seconds``:

1. **database path**: no push channel is open, so the hub's watcher is idle and every
   pull reads the feed (principal, scope and page in one transaction);
2. **cheap path**: one ``/sync/events`` stream is open (as on every real device), so the
   hub's view is fresh and "nothing new" is answered without SQL (token check only);
3. **bare**: ``GET /bare`` on a one-route async FastAPI app.

Prints requests/s, p50/p99 latency and the server's CPU time per request of each, and\nthe ratio to the bare endpoint (CPU per request is the figure least disturbed by other\nload on a shared machine). The
load generator runs on the same machine (one Python process), so the bare figure is
partly its ceiling. Figures: docs/PERFORMANCE.md, "Scale (issue 11)".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402


def _bare_app() -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/bare")
    async def bare() -> dict[str, Any]:
        return {"changes": [], "cursor": "x", "has_more": False}

    return app


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _measured(pid: int, run: Any) -> dict[str, float]:
    before = _cpu_seconds(pid)
    figures: dict[str, float] = asyncio.run(run)
    requests = figures["rps"] * figures["took"]
    figures["server_cpu_ms"] = (_cpu_seconds(pid) - before) * 1000 / max(requests, 1)
    return figures


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


async def _hammer(url: str, headers: dict[str, str], params: dict[str, str],
                  seconds: float, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one() -> None:
            nonlocal errors
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = await client.get(url, headers=headers, params=params)
                latencies.append(time.perf_counter() - t0)
                if r.status_code != 200 or r.json()["changes"]:
                    errors += 1

        start = time.monotonic()
        await asyncio.gather(*(one() for _ in range(concurrency)))
        took = time.monotonic() - start
    latencies.sort()
    return {
        "took": took,
        "rps": len(latencies) / took,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
        "errors": float(errors),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)

    from modules.directory.demo import DEMO_PASSWORD, demo_accounts
    from server.embedded import free_port

    tmp = Path(tempfile.mkdtemp(prefix="office-nochange-"))
    stack = contextlib.ExitStack()
    scratch = stack.enter_context(scratch_database(args.database_url))  # dropped at the end
    db = scratch or f"sqlite:///{tmp / 'office.db'}"
    port, bare_port = free_port(), free_port()
    env = {**os.environ, "OFFICE_DATA_DIR": str(tmp / "server"), "OFFICE_LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "main.py", "server", "--port", str(port), "--database-url", db, "--demo"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    bare = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "bench.bench_nochange_pull:_bare_app",
         "--port", str(bare_port), "--log-level", "warning"],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/api/v1"
    out: dict[str, Any] = {}
    try:
        _wait(f"{url}/health", server)
        _wait(f"http://127.0.0.1:{bare_port}/bare", bare)
        account = demo_accounts()[0].login
        r = httpx.post(f"{url}/auth/login", json={"account": account, "password": DEMO_PASSWORD})
        r.raise_for_status()
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        cursor = ""
        page: dict[str, Any] = {"has_more": True}
        while page["has_more"]:
            page = httpx.get(f"{url}/sync/pull", headers=headers,
                             params={"cursor": cursor} if cursor else {}, timeout=60).json()
            cursor = page["cursor"]
        params = {"cursor": cursor}
        out["database"] = _measured(server.pid, _hammer(
            f"{url}/sync/pull", headers, params, args.seconds, args.concurrency))

        stop = threading.Event()

        def listen() -> None:
            with contextlib.suppress(httpx.HTTPError), httpx.stream(
                "GET", f"{url}/sync/events", headers=headers, timeout=None
            ) as s:
                for _line in s.iter_lines():
                    if stop.is_set():
                        return

        threading.Thread(target=listen, daemon=True).start()
        time.sleep(1.5)  # the hub's watcher starts and ticks
        httpx.get(f"{url}/sync/pull", headers=headers, params=params)  # caches the scope
        out["cheap"] = _measured(server.pid, _hammer(
            f"{url}/sync/pull", headers, params, args.seconds, args.concurrency))
        stop.set()
        out["bare"] = _measured(bare.pid, _hammer(
            f"http://127.0.0.1:{bare_port}/bare", {}, {}, args.seconds, args.concurrency))
    finally:
        for proc in (server, bare):
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        stack.close()
    for name in ("database", "cheap", "bare"):
        f = out[name]
        ratio = f["rps"] / out["bare"]["rps"]
        print(f"{name:9s} {f['rps']:8.0f} req/s  p50 {f['p50_ms']:6.1f} ms  "
              f"p99 {f['p99_ms']:6.1f} ms  errors {int(f['errors'])}  ({ratio:.0%} of bare)  "
              f"server CPU {f['server_cpu_ms']:.2f} ms/request")
    return out


if __name__ == "__main__":
    main()
