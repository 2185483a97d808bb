"""How long until one user's change shows in another user's client.

Usage::

    .venv/bin/python bench/bench_push_latency.py [--rounds 20] [--database-url URL]

Starts the real server (demo organisation) on 127.0.0.1, signs two demo users of the same
body in with real client sessions (cache, outbox, engine, push channel), and has user A
change their phone number ``--rounds`` times. For each round it measures the time from
A's ``engine.submit`` until B's engine reports the changed ``directory.person`` record to
its listeners (the moment B's screens would refresh). Prints p50, p95 and max; the
target is under 2 s. Figures and how to reproduce them: docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


@contextlib.contextmanager
def scratch_database(admin_url: str) -> Iterator[str]:
    """A new empty database on the server of ``admin_url`` (or "" for SQLite)."""
    if not admin_url:
        yield ""
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"bench_latency_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to use; a scratch database is created on it "
                        "and dropped afterwards (default: SQLite in a temp folder)")
    args = parser.parse_args()

    import modules.directory.service  # noqa: F401  (appliers and cache projections)
    from modules.directory.demo import DEMO_PASSWORD, demo_accounts
    from server.config import Settings
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
        writer, reader = demo_accounts()[0], demo_accounts()[1]
        a = ClientSession(root / "a")
        b = ClientSession(root / "b")
        try:
            a.login(server.url, writer.login, DEMO_PASSWORD)
            b.login(server.url, reader.login, DEMO_PASSWORD)
            assert a.engine is not None and b.engine is not None
            a.engine.wait_idle(120)
            b.engine.wait_idle(120)
            arrived = threading.Event()
            key = ("directory.person", writer.person_id)

            def on_changes(changes: object) -> None:
                if key in getattr(changes, "ids", ()):
                    arrived.set()

            b.engine.add_listener(on_changes=on_changes)
            time.sleep(1.0)  # let B's push channel connect
            samples: list[float] = []
            for i in range(args.rounds):
                arrived.clear()
                started = time.perf_counter()
                a.engine.submit("directory.update_contact", {"phone": f"1390000{i:04d}"})
                if not arrived.wait(30):
                    print(f"round {i}: not delivered within 30 s")
                    return 1
                samples.append(time.perf_counter() - started)
                time.sleep(0.3)
        finally:
            a.close()
            b.close()
            server.close()
    samples.sort()
    p95 = samples[max(0, round(0.95 * len(samples)) - 1)]
    backend = "PostgreSQL" if args.database_url.startswith("postgresql") else "SQLite"
    print(f"server database: {backend}; rounds: {len(samples)}")
    print(f"p50 {statistics.median(samples) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
          f"max {samples[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
