"""Committed intents per second from many concurrent writers (issue 11, write throughput).

Usage::

    .venv/bin/python bench/bench_write_throughput.py --database-url URL \\
        [--writers 200] [--processes 4] [--seconds 20] [--pool 20] [--no-feed]

On PostgreSQL writers publish pending feed rows and a sequencing pass numbers them after
the commit (``server.changefeed.Sequencer``, shared by a process's writers); until that
design every writing transaction took the one ``change_counter`` row and held it until
commit. This bench measures what a design allows: ``--writers``
threads, spread over ``--processes`` processes, each push one intent at a time through
the real dispatcher (``server.push_batch.apply_batch``: principal, idempotency row,
savepoint, commit) for ``--seconds``. The intent is a bench-only one that publishes one
new entity to the change feed (``record_change``: a ``change_log`` row and its audience
row, then the pass) — nothing else, so no other row is contended. ``--no-feed`` runs an
intent that writes only its ``applied_mutation`` row (no feed) for comparison.

Each process has a connection pool of ``--pool`` connections (PostgreSQL here allows
100 connections in all, so 200 writers share ``processes × pool`` connections, as a
server's request threads share its pool). Reports committed intents per second, the
latency of one intent (p50/p95) and CPU (this machine's, from /proc/stat). A scratch
database is created on the server of URL and dropped afterwards. Figures:
docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402

from modules.common.intents import define  # noqa: E402
from server.changefeed import record_change  # noqa: E402
from server.mutations import MutationContext, mutation  # noqa: E402


class WriteArgs(BaseModel):
    n: int


@mutation(define("benchwrite.feed", WriteArgs, offline=False))
def _feed(ctx: MutationContext, args: WriteArgs) -> dict[str, Any]:
    entity_id = f"{ctx.mutation_id}"
    record_change(ctx.session, "benchwrite.item", entity_id, {"n": args.n},
                  {f"user:{ctx.principal.person_id}"})
    return {"id": entity_id}


@mutation(define("benchwrite.plain", WriteArgs, offline=False))
def _plain(ctx: MutationContext, args: WriteArgs) -> dict[str, Any]:
    return {"n": args.n}


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def worker(url: str, people: list[tuple[str, str]], threads: int, pool: int, seconds: float,
           start: Any, intent: str, out: Any, exact_only: bool = False,
           ready: Any = None, slots: int | None = None) -> None:
    from server.db import make_engine, make_sessionmaker
    from server.push_batch import _Combiner, _Runner, apply_batch, combiners_of

    if exact_only:
        _Runner.FAST = False
    if slots is not None:
        _Combiner.SLOTS = slots

    from sqlalchemy import event

    from server.changefeed import sequencer_for

    engine = make_engine(url, pool_size=pool, max_overflow=0, pool_timeout=120)
    sessions = make_sessionmaker(engine)
    counted = {"statements": 0, "ends": 0}
    lock = threading.Lock()

    def on_execute(*_args: Any) -> None:
        with lock:
            counted["statements"] += 1

    def on_end(*_args: Any) -> None:
        with lock:
            counted["ends"] += 1

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_end)
    event.listen(engine, "rollback", on_end)
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads

    def run(index: int) -> None:
        person_id, login = people[index % len(people)]
        while not start.value or time.time() < start.value:
            time.sleep(0.005)
        deadline = start.value + seconds
        n = 0
        while time.time() < deadline:
            n += 1
            item = {"id": uuid.uuid4().hex, "name": intent, "args": {"n": n}}
            t0 = time.perf_counter()
            results, bug = apply_batch(sessions, person_id, login, [item], "zh_CN")
            if bug is None and results and results[0]["status"] == "applied":
                latencies[index].append(time.perf_counter() - t0)
            else:
                errors[index] += 1
                if sum(errors) == 1:  # say what the first one was
                    print(f"first error: {bug!r} {results!r}"[:400], flush=True)

    pool_threads = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool_threads:
        t.start()
    if ready is not None:
        ready.put(True)  # imported, threads waiting: the main process sets the start
    for t in pool_threads:
        t.join()
    passes = sequencer_for(engine).passes
    combiners = combiners_of(sessions)
    groups = sum(c.groups for c in combiners)
    fallbacks = sum(c.fallbacks for c in combiners)
    engine.dispose()
    out.put(([x for lat in latencies for x in lat], sum(errors),
             (counted["statements"], counted["ends"], passes, groups, fallbacks)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True,
                        help="PostgreSQL server; a scratch database is made on it")
    parser.add_argument("--writers", type=int, default=200)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--pool", type=int, default=20, help="connections per process")
    parser.add_argument("--no-feed", action="store_true",
                        help="an intent that does not touch the change counter")
    parser.add_argument("--exact-only", action="store_true",
                        help="no fast pass (a savepoint per intent, feed rows written as "
                        "published), as before stop 19: an A/B")
    parser.add_argument("--slots", type=int, default=None,
                        help="group commit: transactions at once per process (default "
                        "server.push_batch._Combiner.SLOTS; 0: every batch alone, as before "
                        "stop 23)")
    args = parser.parse_args()

    from sqlalchemy import select

    from bench.bench_push_latency import scratch_database
    from server.changefeed import ensure_counter
    from server.db import make_engine, session_scope
    from server.directory.models import Person, Post
    from server.migrate import upgrade

    intent = "benchwrite.plain" if args.no_feed else "benchwrite.feed"
    with scratch_database(args.database_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        from server.directory.seed import seed_demo  # the demo organisation: people

        with session_scope(engine) as s:
            ensure_counter(s)
            seed_demo(s)
        with session_scope(engine) as s:
            # A security auditor (安全审计员) may change nothing (三员分立): their intents
            # are refused, as they should be, and a refusal is not a committed write.
            auditors = {post.person_id for post in s.scalars(select(Post))
                        if "audit_admin" in (post.roles or [])}
            people = [(p.id, p.id) for p in s.scalars(
                select(Person).where(Person.active.is_(True)).order_by(Person.id))
                if p.id not in auditors]
        engine.dispose()
        per = [args.writers // args.processes + (1 if i < args.writers % args.processes else 0)
               for i in range(args.processes)]
        ctx = mp.get_context("spawn")
        out = ctx.Queue()
        start = ctx.Value("d", 0.0)
        ready = ctx.Queue()
        procs = [ctx.Process(target=worker, args=(url, people[i::args.processes] or people,
                                                  n, min(args.pool, n), args.seconds,
                                                  start, intent, out, args.exact_only, ready,
                                                  args.slots))
                 for i, n in enumerate(per) if n]
        for p in procs:
            p.start()
        for _ in procs:  # every process imported and its threads waiting (a loaded
            ready.get(timeout=600)  # machine takes a while to start four Pythons)
        start_at = start.value = time.time() + 1.0
        while time.time() < start_at:
            time.sleep(0.01)
        busy0, total0 = cpu_ticks()
        time.sleep(args.seconds)
        busy1, total1 = cpu_ticks()
        latencies: list[float] = []
        errors = 0
        statements = ends = passes = groups = fallbacks = 0
        for _ in procs:
            lat, err, (st, en, pa, gr, fb) = out.get()
            groups += gr
            fallbacks += fb
            latencies += lat
            errors += err
            statements += st
            ends += en
            passes += pa
        for p in procs:
            p.join()
    latencies.sort()
    done = len(latencies)
    p95 = latencies[max(0, round(0.95 * done) - 1)] if done else 0.0
    cpu = 100.0 * (busy1 - busy0) / max(1, total1 - total0)
    print(f"intent: {intent}; writers {args.writers} in {args.processes} processes, "
          f"{sum(min(args.pool, n) for n in per if n)} connections; {args.seconds:.0f} s")
    print(f"committed {done} intents: {done / args.seconds:.0f} per second; errors {errors}")
    if done:
        print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {p95 * 1000:.0f} ms")
    if done:
        print(f"writers' SQL statements per intent {statements / done:.1f}, commits/rollbacks "
              f"{ends / done:.2f}; sequencing passes {passes} ({passes / done:.2f} per intent, "
              "one statement each on a connection of their own)")
        print(f"group commit: {groups} groups of two or more writers' intents "
              f"({done / max(1, ends):.1f} intents per transaction), {fallbacks} applied "
              "alone after all")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    print(f"machine CPU busy {cpu:.0f}% of 2 cores (all processes, PostgreSQL included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
