"""Sync benchmark: initial sync through the real protocol vs a raw SQLite bulk insert.

Usage::

    .venv/bin/python bench/bench_sync.py --records 20000 [--database-url URL] [--analyze] [--page 500]

What it measures (figures go to docs/PERFORMANCE.md):

1. A real server (create_app + uvicorn on 127.0.0.1, temp SQLite unless
   ``--database-url``) is seeded with N generated records visible to one user.
2. **Initial sync**: a fresh client cache pulls everything through /api/v1/sync/pull
   (HTTP, JSON, paging, base/data writes, rebase) — wall time.
3. **Baseline**: the same rows bulk-inserted straight into an empty SQLite ``records``
   table (one transaction, executemany) — wall time. The ratio is (2) / (3).
4. **No-change sync**: bytes on the wire (request + response, headers included) of a sync
   cycle when nothing changed.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _record(i: int) -> dict[str, Any]:
    """A directory-person-sized record (about 300 bytes of JSON)."""
    return {
        "id": f"p-{i:06d}",
        "name": f"测试人员{i:06d}",
        "pinyin": f"ceshirenyuan{i:06d}",
        "initials": "csry",
        "phone": f"0571-{i % 10000:04d}{i % 1000:03d}",
        "email": f"user{i}@example.gov.cn",
        "body_id": f"b-{i % 50:03d}",
        "title": "科员",
        "active": True,
        "sort_order": i,
    }


def seed(app: Any, n: int) -> None:
    from server.auth.service import create_account
    from server.changefeed import record_change
    from server.db import session_scope
    from server.directory.models import Body, Person, Post

    with session_scope(app.state.sessions) as s:
        s.add(Body(id="b-bench", name="基准测试局", short_name="基准", tier="province",
                   kind="body", region_id="b-bench"))
        s.flush()
        s.add(Person(id="p-bench", name="基准用户", pinyin="jizhunyonghu", initials="jzyh"))
        s.flush()
        s.add(Post(id="post-bench", person_id="p-bench", body_id="b-bench", title="科员",
                   roles=["staff"], is_primary=True))
        create_account(s, "p-bench", "bench", "Bench-Passw0rd")
    done = 0
    while done < n:
        with session_scope(app.state.sessions) as s:
            for i in range(done, min(n, done + 2000)):
                rec = _record(i)
                record_change(s, "bench.person", rec["id"], rec, {"all"})
            done = min(n, done + 2000)


class CountingTransport(httpx.HTTPTransport):
    """Counts bytes on the wire (request line + headers + body, both ways)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent = 0
        self.received = 0
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests += 1
        self.sent += len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n")
        self.sent += sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 2
        self.sent += len(request.content)
        response = super().handle_request(request)
        body = response.read()
        self.received += len("HTTP/1.1 200 OK\r\n")
        self.received += sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2
        self.received += len(body)
        return response


def bulk_insert_baseline(rows: list[tuple[str, str, str]], path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE records (entity TEXT, id TEXT, base TEXT, data TEXT, seq INT, "
                 "updated_at TEXT, stale INT, PRIMARY KEY (entity, id))")
    t0 = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO records VALUES ('bench.person', ?, ?, ?, ?, '2026-01-01', 0)",
            [(rid, base, data, seq) for rid, base, data, seq in
             ((r[0], r[1], r[2], i) for i, r in enumerate(rows))])
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--analyze", action="store_true",
                        help="PostgreSQL: run ANALYZE after seeding (planner statistics)")
    args = parser.parse_args(argv)

    from server.config import Settings
    from sync.api import ApiClient, MemoryTokenStore
    from sync.cache import LocalCache
    from sync.engine import SyncEngine
    from tests.sync.live import LiveServer

    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    settings = Settings(data_dir=tmp / "server", database_url=args.database_url,
                        secret_key="bench-secret-key-0123456789-0123456789",
                        log_json=False, log_level="WARNING")
    live = LiveServer(settings)
    live.start()
    try:
        t0 = time.perf_counter()
        seed(live.app, args.records)
        seed_s = time.perf_counter() - t0
        if args.analyze and args.database_url.startswith("postgres"):
            from sqlalchemy import text

            with live.app.state.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()

        transport = CountingTransport()
        api = ApiClient(live.url, token_store=MemoryTokenStore(), transport=transport,
                        timeout=120)
        user = api.login("bench", "Bench-Passw0rd")["user"]
        cache = LocalCache(tmp / "client.sqlite")
        engine = SyncEngine(cache, api, principal=user, listen=False, page_size=args.page)

        before = (transport.sent, transport.received, transport.requests)
        t0 = time.perf_counter()
        engine.run_cycle()
        sync_s = time.perf_counter() - t0
        assert engine.status().last_error is None, engine.status().last_error
        count = cache.count("bench.person")
        assert count == args.records, count
        initial_bytes = transport.received - before[1]

        before = (transport.sent, transport.received, transport.requests)
        engine.run_cycle()
        nochange = {
            "requests": transport.requests - before[2],
            "sent_bytes": transport.sent - before[0],
            "received_bytes": transport.received - before[1],
        }

        rows = []
        for i in range(args.records):
            text = json.dumps(_record(i), ensure_ascii=False)
            rows.append((f"p-{i:06d}", text, text))
        bulk_s = bulk_insert_baseline(rows, tmp / "baseline.sqlite")
        cache.close()
        api.close()
    finally:
        live.close()

    result = {
        "records": args.records,
        "page_size": args.page,
        "database": "postgresql" if args.database_url.startswith("postgres") else "sqlite",
        "analyzed": bool(args.analyze),
        "seed_seconds": round(seed_s, 2),
        "initial_sync_seconds": round(sync_s, 3),
        "initial_sync_records_per_second": round(args.records / sync_s),
        "initial_sync_received_bytes": initial_bytes,
        "bulk_insert_seconds": round(bulk_s, 3),
        "ratio_sync_to_bulk": round(sync_s / bulk_s, 1),
        "no_change_sync": nochange,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
