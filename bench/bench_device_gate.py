"""What the revoked-device check costs a request (server/auth/devices.py).

Usage::

    .venv/bin/python bench/bench_device_gate.py [--revoked 10000] [--database-url URL]

Builds a scratch database (temp SQLite unless ``--database-url``: a scratch database on
that server, dropped afterwards) with ``--revoked`` revoked devices (one an hour back
from now) among as many active ones, then times:

1. ``DeviceGate.check_cached`` (the SQL-free pull's check) and ``DeviceGate.check`` with
   a fresh view (every other authenticated request), per call;
2. ``DeviceGate.touch_due`` (the last-seen throttle), per call;
3. ``DeviceGate.refresh`` — the first, full read of the revoked set, and the
   incremental read every process makes at most every 5 s.

Figures: docs/PERFORMANCE.md, "Device revocation check (issue 12)".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402


def _per_call(fn: Any, n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def run(database_url: str, revoked: int) -> None:
    from sqlalchemy import insert, text

    from server.auth.devices import DeviceGate
    from server.auth.models import Device
    from server.db import make_engine, make_sessionmaker, session_scope, utcnow
    from server.directory.models import Person
    from server.migrate import upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    now = utcnow()
    with session_scope(sessions) as s:
        s.add(Person(id="p-bench", name="压测", pinyin="yace", initials="yc"))
        s.flush()
        rows = [{"id": uuid.uuid4().hex, "person_id": "p-bench", "client_id": f"c{i}",
                 "name": "电脑", "platform": "Linux", "app_version": "0.1.0",
                 "first_seen_at": now, "last_seen_at": now, "last_address": "",
                 # revoked one per hour over the past (the newest: now)
                 "revoked_at": now - timedelta(hours=i // 2) if i % 2 else None}
                for i in range(2 * revoked)]
        for i in range(0, len(rows), 5000):
            s.execute(insert(Device), rows[i:i + 5000])
    if engine.dialect.name == "postgresql":  # as autovacuum would: plan with statistics
        with engine.connect() as conn:
            conn.execute(text("ANALYZE auth_device"))
            conn.commit()
    gate = DeviceGate()
    with session_scope(sessions) as s:
        start = time.perf_counter()
        gate.refresh(s)
        full = time.perf_counter() - start
    with session_scope(sessions) as s:
        start = time.perf_counter()
        for _ in range(20):
            gate.refresh(s)
        incremental = (time.perf_counter() - start) / 20
    claims = {"sub": "p-bench", "dev": rows[0]["id"]}
    n = 200_000
    cached = _per_call(lambda: gate.check_cached(claims), n)
    with session_scope(sessions) as s:
        checked = _per_call(lambda: gate.check(s, claims), n)
    touch = _per_call(lambda: gate.touch_due(rows[0]["id"]), n)
    print(f"database: {engine.dialect.name}, revoked devices: {revoked}")
    print(f"check_cached per call: {cached * 1e6:.2f} µs")
    print(f"check (fresh view) per call: {checked * 1e6:.2f} µs")
    print(f"touch_due per call: {touch * 1e6:.2f} µs")
    print(f"refresh, first (full) read: {full * 1e3:.1f} ms")
    print(f"refresh, incremental read: {incremental * 1e3:.2f} ms")
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--revoked", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.database_url:
        with scratch_database(args.database_url) as url:
            run(url, args.revoked)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.revoked)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
