"""How long one client takes to push 1,000 queued intents (issue 11).

Usage::

    .venv/bin/python bench/bench_push_batch.py [--intents 1000] [--database-url URL]

Starts the real server (demo organisation) on 127.0.0.1 in this process, signs one demo
user in with a real client session (cache, outbox journal, engine), stops the engine's
worker, queues ``--intents`` ``directory.update_contact`` intents (each a new phone
number: legal to repeat any number of times) and then times one push of the whole queue
(``engine.run_cycle({"push"})``: batches of 100 over HTTP, results written back into the
outbox). Reports the total, per intent, the server's SQL statements per intent and its
database round trips per intent (statements + COMMIT/ROLLBACK), counted with SQLAlchemy
events on the server's engine, and the CPU time of this process (client + server; the
PostgreSQL server process is not included). Also the time to queue the intents
(``engine.submit``, the client's write path). ``--without-audit`` leaves out the
intents' audit entries (issue 12) for an A/B; ``--exact-only`` runs every batch
the exact way (no fast pass), ``--profile PREFIX`` writes cProfile stats of the
client's push (and of the queueing) and of the server's ``apply_batch`` calls. The CPU is split into the
client's thread, the server's ``apply_batch`` (its worker threads) and the rest. Figures: docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402


class Counter:
    """Statements and transaction ends seen by one SQLAlchemy engine."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.statements = 0
        self.ends = 0
        self.on = False

        def on_execute(*_args: Any) -> None:
            if self.on:
                self.statements += 1

        def on_end(*_args: Any) -> None:
            if self.on:
                self.ends += 1

        event.listen(engine, "before_cursor_execute", on_execute)
        event.listen(engine, "commit", on_end)
        event.listen(engine, "rollback", on_end)


def use_per_intent_push() -> None:
    """Replace the batch dispatcher by the loop /sync/push ran before issue 11."""
    import server.sync.routes as routes
    from server.mutations import BugDuringMutation, apply_one

    def per_intent(sessions: Any, person_id: str, login: str, items: list[dict[str, Any]],
                   lang: str, **kwargs: Any) -> tuple[list[dict[str, Any]], Any]:
        kwargs.pop("principal", None)
        results: list[dict[str, Any]] = []
        for item in items:
            try:
                results.append(apply_one(sessions, person_id, login, item, lang, **kwargs))
            except BugDuringMutation as bug:
                return results, bug
        return results, None

    routes.apply_batch = per_intent  # type: ignore[attr-defined,assignment]


def forget_batch_reads() -> None:
    """Run the batch without kept reads (server/batch_reads.py), as before: an A/B."""
    import contextlib

    import server.batch_reads as batch_reads

    @contextlib.contextmanager
    def nothing(_session: Any, _connection: Any) -> Any:
        yield None

    batch_reads.keep_reads = nothing  # type: ignore[assignment]


def without_audit() -> None:
    """Push without writing the intents' audit entries (issue 12), for an A/B of their
    cost on the same machine load; nothing is then left for the chaining thread."""
    import server.push_batch as push_batch

    push_batch.record_rows = lambda _session, _rows: None  # type: ignore[attr-defined,assignment]


class Split:
    """CPU of the server's ``apply_batch`` calls (each on its worker thread, measured
    with ``time.thread_time``), optionally profiled with cProfile."""

    def __init__(self, profile: bool) -> None:
        import cProfile
        import threading

        import server.sync.routes as routes

        self.cpu = 0.0
        self.on = False
        self.profiler = cProfile.Profile() if profile else None
        self._lock = threading.Lock()
        inner = routes.apply_batch  # type: ignore[attr-defined]

        def timed(*args: Any, **kwargs: Any) -> Any:
            if not self.on:
                return inner(*args, **kwargs)
            with self._lock:  # one profiler for all threads: one batch at a time
                t0 = time.thread_time()
                if self.profiler is not None:
                    self.profiler.enable()
                try:
                    return inner(*args, **kwargs)
                finally:
                    if self.profiler is not None:
                        self.profiler.disable()
                    self.cpu += time.thread_time() - t0

        routes.apply_batch = timed  # type: ignore[attr-defined]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intents", type=int, default=1000)
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to use; a scratch database is created on it "
                        "and dropped afterwards (default: SQLite in a temp folder)")
    parser.add_argument("--per-intent", action="store_true",
                        help="serve /sync/push the way it was before issue 11: each intent "
                        "in a transaction of its own (server.mutations.apply_one), for an "
                        "A/B comparison on the same machine load")
    parser.add_argument("--forget-reads", action="store_true",
                        help="batch without kept reads (server/batch_reads.py): every "
                        "intent reads its rows again, as before, for an A/B comparison")
    parser.add_argument("--without-audit", action="store_true",
                        help="do not write the intents' audit entries (issue 12), for an "
                        "A/B comparison on the same machine load")
    parser.add_argument("--exact-only", action="store_true",
                        help="no fast pass: every batch runs the exact way (a savepoint per "
                        "intent, feed rows written per intent), as before stop 19: an A/B")
    parser.add_argument("--profile", metavar="PREFIX", default="",
                        help="write cProfile stats of the client's push (PREFIX.client), of the "
                        "queueing (PREFIX.queue) and of the server's apply_batch calls "
                        "(PREFIX.server)")
    args = parser.parse_args()
    if args.without_audit:
        without_audit()
    if args.per_intent:
        use_per_intent_push()
    if args.forget_reads:
        forget_batch_reads()
    if args.exact_only:
        from server.push_batch import _Runner

        _Runner.FAST = False
    split = Split(bool(args.profile))

    import modules.directory.service  # noqa: F401  (appliers and cache projections)
    from modules.directory.demo import DEMO_PASSWORD, demo_accounts
    from server.config import Settings
    from sync.outbox import journal_row  # noqa: F401  (import cost outside the timing)
    from sync.session import ClientSession
    from tests.sync.fakes import install_memory_keyring
    from tests.sync.live import LiveServer

    install_memory_keyring()
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.database_url) as url:
        root = Path(tmp)
        settings = Settings(data_dir=root / "server", database_url=url,
                            demo=True, log_json=False, log_level="WARNING")
        server = LiveServer(settings)
        server.start()
        counter = Counter(server.app.state.engine)
        writer = demo_accounts()[0]
        client = ClientSession(root / "client")
        try:
            client.login(server.url, writer.login, DEMO_PASSWORD)
            engine = client.engine
            assert engine is not None
            engine.wait_idle(120)
            engine.stop()
            engine._stop.clear()  # worker gone; run_cycle below runs on this thread
            queue_profile = cProfile.Profile() if args.profile else None
            queue_cpu0 = time.thread_time()
            t0 = time.perf_counter()
            if queue_profile is not None:
                queue_profile.enable()
            for i in range(args.intents):
                engine.submit("directory.update_contact", {"phone": f"139{i:08d}"})
            if queue_profile is not None:
                queue_profile.disable()
                queue_profile.dump_stats(args.profile + ".queue")
            queued = time.perf_counter() - t0
            queue_cpu = time.thread_time() - queue_cpu0
            assert engine.status().pending == args.intents, engine.status()
            counter.on = split.on = True
            client_profile = cProfile.Profile() if args.profile else None
            cpu0 = os.times()
            thread0 = time.thread_time()
            t0 = time.perf_counter()
            if client_profile is not None:
                client_profile.enable()
            engine._push()  # the push alone (run_cycle would pull afterwards)
            if client_profile is not None:
                client_profile.disable()
            elapsed = time.perf_counter() - t0
            client_cpu = time.thread_time() - thread0
            cpu1 = os.times()
            counter.on = split.on = False
            if client_profile is not None and split.profiler is not None:
                client_profile.dump_stats(args.profile + ".client")
                split.profiler.dump_stats(args.profile + ".server")
            status = engine.status()
            if status.pending or status.rejected or status.last_error:
                print(f"push incomplete: {status}")
                return 1
        finally:
            client.close()
            server.close()
    n = args.intents
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    backend = "PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite"
    mode = "per intent (before)" if args.per_intent else "batch"
    if args.forget_reads:
        mode += ", reads not kept"
    if args.without_audit:
        mode += ", no audit entries"
    if args.exact_only:
        mode += ", exact pass only (savepoints, feed rows per intent)"
    print(f"server database: {backend}; intents: {n}; dispatcher: {mode}")
    print(f"queue (submit) {queued:.2f} s ({queued / n * 1000:.2f} ms per intent; "
          f"CPU of the submitting thread {queue_cpu:.2f} s)")
    print(f"push {elapsed:.2f} s ({elapsed / n * 1000:.2f} ms per intent); "
          f"CPU of this process {cpu:.2f} s")
    print(f"CPU split: client (engine._push thread) {client_cpu:.2f} s, server apply_batch "
          f"{split.cpu:.2f} s, rest (HTTP, auth, server's JSON, hub) "
          f"{cpu - client_cpu - split.cpu:.2f} s")
    print(f"server SQL statements per intent {counter.statements / n:.1f}; "
          f"round trips per intent {(counter.statements + counter.ends) / n:.1f} "
          f"(commits/rollbacks {counter.ends})")
    print(f"load average {os.getloadavg()[0]:.1f} (2 cores shared)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
