"""Sync benchmark: initial sync through the real protocol vs a raw SQLite bulk insert.

Usage::

    .venv/bin/python bench/bench_sync.py --records 100000 [--feed-rows 1000000]
        [--database-url URL] [--analyze] [--page N] [--rounds 3] [--server-process]

What it measures (figures go to docs/PERFORMANCE.md):

1. A real server (create_app + uvicorn on 127.0.0.1, temp SQLite unless
   ``--database-url``, whose database is created afresh) is seeded with N generated
   records visible to one user — among ``--feed-rows`` in all (a sparse reader). It
   serves the syncs on a thread of this process, or with ``--server-process`` as
   ``main.py server`` in a process of its own, as in use (the client then does not share
   its interpreter; the server process's CPU is counted in the sync's).
2. **Initial sync**: a fresh client cache pulls everything through /api/v1/sync/pull
   (HTTP, JSON, paging, base/data writes, rebase) — wall time.
3. **Baseline**: the same rows bulk-inserted straight into an empty SQLite ``records``
   table (one transaction, executemany; each record once, as the cache stores a record
   equal to its server state) — wall time. The ratio is (2) / (3). ``--rounds`` pairs
   (default 3) of (2) then (3), each sync into a new cache file; the medians and each
   pair's ratio are reported (this VM's speed drifts within minutes, so a sync and an
   insert measured far apart compare the drift, not the code). Beside it, for
   comparison only: the same insert writing each record twice (``base`` and ``data``, the
   cache's layout before schema 2, the baseline of the earlier figures) and the same
   insert into a SQLCipher file (what encryption costs a bulk insert).
   CPU seconds are reported beside wall time (this process holds the client — its
   main thread, counted apart — and the server; PostgreSQL's backends are counted
   apart too), with the load average. ``BENCH_PROFILE=file`` profiles the client.
   The client cache is the product's SQLCipher file (issue 12) unless ``--plain``
   (the benchmark's switch for measuring the cost of encryption).
4. **No-change sync**: bytes on the wire (request + response, headers included) of a sync
   cycle when nothing changed.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
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


def seed(app: Any, n: int, feed_rows: int = 0) -> None:
    """The bench user, then ``feed_rows`` (at least ``n``) feed rows of which ``n`` evenly
    spread ones are visible to them (``all``); the others belong to other regions.

    Rows go straight into the feed tables, numbered in order (the read path is what is
    measured; writing them through ``record_changes`` would take minutes at 10⁶ rows).
    """
    from sqlalchemy import insert, update

    from server.auth.service import create_account
    from server.changefeed import ChangeAudience, ChangeCounter, ChangeLog, current_seq
    from server.db import session_scope, utcnow
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
    total = max(n, feed_rows)
    with session_scope(app.state.sessions) as s:
        base = current_seq(s)
    now = utcnow()
    with_seq = "seq" in ChangeAudience.__table__.c  # older servers: not denormalised
    visible_at = {i * total // n for i in range(n)} if n else set()
    shown = 0
    chunk = 10_000
    for start in range(0, total, chunk):
        logs, audience = [], []
        for i in range(start, min(total, start + chunk)):
            seq = base + i + 1
            if i in visible_at:
                rec = _record(shown)
                shown += 1
                entity, rid, key = "bench.person", rec["id"], "all"
            else:
                rec = {"id": f"o-{i:07d}", "name": f"其他{i:07d}", "region": f"r-{i % 50}"}
                entity, rid, key = "bench.other", rec["id"], f"dir:r-{i % 50}"
            logs.append({"entity": entity, "entity_id": rid, "seq": seq, "data": rec,
                         "deleted": False, "changed_at": now})
            audience.append({"entity": entity, "entity_id": rid, "key": key, "visible": True,
                             **({"seq": seq} if with_seq else {})})
        with session_scope(app.state.sessions) as s:
            s.execute(insert(ChangeLog), logs)
            s.execute(insert(ChangeAudience), audience)
    with session_scope(app.state.sessions) as s:
        s.execute(update(ChangeCounter).where(ChangeCounter.id == 1).values(value=base + total))


def postgres_cpu(app: Any) -> dict[int, float]:
    """CPU seconds used so far by each of the server's PostgreSQL backends (same machine)."""
    from sqlalchemy import text

    with app.state.engine.connect() as conn:
        pids = conn.execute(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).scalars()
        used: dict[int, float] = {}
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[int(pid)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


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


def bulk_insert_baseline(rows: list[tuple[str, str]], path: Path, *, twice: bool = False,
                         key: bytes | None = None) -> tuple[float, float]:
    """``(wall, CPU)`` seconds of one ``executemany`` of ``rows`` (id, JSON text) into an
    empty table with the cache's ``records`` layout: each record once (``data``), or in
    ``base`` and ``data`` (``twice``); a SQLCipher file under ``key``."""
    conn: Any
    if key is not None:
        from sqlcipher3 import dbapi2 as sqlcipher

        conn = sqlcipher.connect(str(path))
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    else:
        conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE records (entity TEXT, id TEXT, base TEXT, data TEXT, seq INT, "
                 "updated_at TEXT, stale INT, base_is_data INT, PRIMARY KEY (entity, id))")
    t0, c0 = time.perf_counter(), time.process_time()
    with conn:
        conn.executemany(
            "INSERT INTO records VALUES ('bench.person', ?, ?, ?, ?, '2026-01-01', 0, ?)",
            [(rid, record if twice else None, record, i, 0 if twice else 1)
             for i, (rid, record) in enumerate(rows)])
    elapsed = time.perf_counter() - t0, time.process_time() - c0
    conn.close()
    return elapsed


class ServerProcess:
    """``main.py server`` (one process) on ``settings``' database and data directory: the
    server as it runs in use, not sharing the client's interpreter."""

    def __init__(self, settings: Any) -> None:
        import subprocess

        from tests.sync.live import free_port

        self.base = f"http://127.0.0.1:{free_port()}"
        env = {**os.environ, "OFFICE_SECRET_KEY": settings.secret_key,
               "OFFICE_LOG_LEVEL": "WARNING", "OFFICE_LOG_JSON": "false"}
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "server", "--port", self.base.rsplit(":", 1)[1],
             "--database-url", settings.resolved_database_url(),
             "--data-dir", str(settings.data_dir)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer")
            time.sleep(0.2)

    def cpu(self) -> float:
        """CPU seconds the server process has used so far."""
        import importlib

        psutil: Any = importlib.import_module("psutil")
        times = psutil.Process(self.proc.pid).cpu_times()
        return float(times.user + times.system)

    def close(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except Exception:
            self.proc.kill()
            self.proc.wait(5)


def fresh_database(url: str) -> None:
    """Drop and create the PostgreSQL database of ``url``: tables never analysed."""
    from sqlalchemy import create_engine, make_url, text

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=20000,
                        help="records visible to the bench user")
    parser.add_argument("--feed-rows", type=int, default=0,
                        help="feed rows in all (default: --records); the rest are others'")
    parser.add_argument("--page", type=int, default=0, help="page size (default: the client's)")
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL: the database is dropped and created again")
    parser.add_argument("--analyze", action="store_true",
                        help="PostgreSQL: run ANALYZE after seeding (planner statistics)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="initial syncs, each into a new cache and paired with a bulk "
                        "insert right after it; medians are reported")
    parser.add_argument("--plain", action="store_true",
                        help="a plain SQLite client cache (default: encrypted, as the product)")
    parser.add_argument("--server-process", action="store_true",
                        help="serve the syncs from `main.py server` in a process of its own, "
                        "as in use (default: the server on a thread of this process)")
    args = parser.parse_args(argv)
    postgres = args.database_url.startswith("postgres")

    from server.config import Settings
    from sync.api import ApiClient, MemoryTokenStore
    from sync.cache import LocalCache
    from sync.engine import SyncEngine
    from tests.sync.live import LiveServer

    if postgres:
        fresh_database(args.database_url)
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    settings = Settings(data_dir=tmp / "server", database_url=args.database_url,
                        secret_key="bench-secret-key-0123456789-0123456789",
                        log_json=False, log_level="WARNING")
    live = LiveServer(settings)
    live.start()
    served: ServerProcess | None = None
    try:
        from sqlalchemy import text

        t0 = time.perf_counter()
        if postgres and not args.analyze:  # keep them fresh while measuring
            with live.app.state.engine.begin() as conn:
                for table in ("change_log", "change_audience"):
                    conn.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        seed(live.app, args.records, args.feed_rows)
        seed_s = time.perf_counter() - t0
        if args.analyze and postgres:
            with live.app.state.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()

        if args.server_process:  # the seeded database, served by a process of its own
            live.stop()
            served = ServerProcess(settings)
        transport = CountingTransport()
        api = ApiClient(served.base if served else live.url, token_store=MemoryTokenStore(),
                        transport=transport, timeout=120)
        user = api.login("bench", "Bench-Passw0rd")["user"]
        import secrets

        from sync.vault import CacheKey

        rows = [(f"p-{i:06d}", json.dumps(_record(i), ensure_ascii=False))
                for i in range(args.records)]
        rounds: list[dict[str, float]] = []
        for round_no in range(max(1, args.rounds)):
            # Each round: an initial sync into a new cache file, then the bulk insert right
            # after it — a pair measured under the same machine speed (this VM's speed
            # drifts by half within minutes; a ratio of two far-apart runs measures that).
            key = None if args.plain else CacheKey(secrets.token_bytes(32), "keyring")
            cache = LocalCache(tmp / f"client-{round_no}.sqlite", key=key)
            engine = SyncEngine(cache, api, principal=user, listen=False,
                                **({"page_size": args.page} if args.page else {}))
            before = (transport.sent, transport.received, transport.requests)
            pg_before = postgres_cpu(live.app) if postgres else {}
            load_before = os.getloadavg()[0]
            server0 = served.cpu() if served else 0.0
            t0, c0, client0 = time.perf_counter(), time.process_time(), time.thread_time()
            if os.environ.get("BENCH_PROFILE") and round_no == 0:  # the client's side
                import cProfile

                # BENCH_PROFILE_CLOCK=cpu: the thread's CPU time instead of wall time
                # (waiting for the server's page then counts as nothing).
                profiler = (cProfile.Profile(time.thread_time)
                            if os.environ.get("BENCH_PROFILE_CLOCK") == "cpu"
                            else cProfile.Profile())
                profiler.runcall(engine.run_cycle)
                profiler.dump_stats(os.environ["BENCH_PROFILE"])
            else:
                engine.run_cycle()
            sync_s, sync_cpu = time.perf_counter() - t0, time.process_time() - c0
            client_cpu = time.thread_time() - client0
            if served:  # this process is the client alone; the server's CPU is its own
                sync_cpu += served.cpu() - server0
            pg_after = postgres_cpu(live.app) if postgres else {}
            pg_cpu = sum(v - pg_before.get(k, 0.0) for k, v in pg_after.items())
            load_after = os.getloadavg()[0]
            assert engine.status().last_error is None, engine.status().last_error
            count = cache.count("bench.person")
            assert count == args.records, count
            initial_bytes = transport.received - before[1]
            pages = transport.requests - before[2]
            bulk_s, bulk_cpu = bulk_insert_baseline(rows, tmp / f"baseline-{round_no}.sqlite")
            rounds.append({"sync_s": sync_s, "sync_cpu": sync_cpu, "client_cpu": client_cpu,
                           "pg_cpu": pg_cpu, "bulk_s": bulk_s, "bulk_cpu": bulk_cpu,
                           "load_before": load_before, "load_after": load_after})
            if round_no < args.rounds - 1:
                cache.close()

        before = (transport.sent, transport.received, transport.requests)
        engine.run_cycle()
        nochange = {
            "requests": transport.requests - before[2],
            "sent_bytes": transport.sent - before[0],
            "received_bytes": transport.received - before[1],
        }

        twice_s, twice_cpu = bulk_insert_baseline(rows, tmp / "baseline-twice.sqlite",
                                                  twice=True)
        cipher_s, cipher_cpu = bulk_insert_baseline(rows, tmp / "baseline-cipher.sqlite",
                                                    key=secrets.token_bytes(32))
        cache.close()
        api.close()
    finally:
        if served:
            served.close()
        live.close()

    def median(name: str) -> float:
        return statistics.median(r[name] for r in rounds)

    wall_ratios = [r["sync_s"] / r["bulk_s"] for r in rounds]
    cpu_ratios = [(r["sync_cpu"] + r["pg_cpu"]) / r["bulk_cpu"] for r in rounds]
    result = {
        "records": args.records,
        "feed_rows": max(args.records, args.feed_rows),
        "page_size": engine.page_size,
        "pages": pages,
        "database": "postgresql" if postgres else "sqlite",
        "client_cache": "plain" if args.plain else "sqlcipher",
        "analyzed": bool(args.analyze),
        "server": "own process" if args.server_process else "thread of the bench's process",
        "seed_seconds": round(seed_s, 2),
        "rounds": len(rounds),
        # Medians over the rounds (each round: a sync and the insert right after it).
        "initial_sync_seconds": round(median("sync_s"), 3),
        "initial_sync_cpu_seconds": round(median("sync_cpu"), 3),
        "initial_sync_client_cpu_seconds": round(median("client_cpu"), 3),
        "initial_sync_postgres_cpu_seconds": round(median("pg_cpu"), 3),
        "initial_sync_records_per_second": round(args.records / median("sync_s")),
        "initial_sync_received_bytes": initial_bytes,
        "bulk_insert_seconds": round(median("bulk_s"), 3),
        "bulk_insert_cpu_seconds": round(median("bulk_cpu"), 3),
        "ratio_sync_to_bulk": round(statistics.median(wall_ratios), 1),
        "ratio_cpu": round(statistics.median(cpu_ratios), 1),
        "ratio_cpu_per_round": [round(x, 2) for x in cpu_ratios],
        "ratio_wall_per_round": [round(x, 2) for x in wall_ratios],
        "bulk_insert_twice_seconds": round(twice_s, 3),
        "bulk_insert_twice_cpu_seconds": round(twice_cpu, 3),
        "bulk_insert_sqlcipher_seconds": round(cipher_s, 3),
        "bulk_insert_sqlcipher_cpu_seconds": round(cipher_cpu, 3),
        "load_average": [round(rounds[0]["load_before"], 1), round(rounds[-1]["load_after"], 1)],
        "no_change_sync": nochange,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main()
