"""How long closing a signed-in client takes (sign-out and quitting both do this).

Usage::

    .venv/bin/python bench/bench_client_close.py [--rounds 10]

Starts the real server (demo organisation, SQLite) on 127.0.0.1 with the production
keepalive interval, signs a demo user in with a real client session (cache, outbox,
engine, push channel), waits until the push channel is open and quiet, then times
``ClientSession.close()`` — the worker, the scheduler and the push listener stopping and
the cache closing. Repeats ``--rounds`` times with a fresh session and prints p50 and max;
the target is under 0.5 s. Figures: docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    import modules.directory.service  # noqa: F401  (appliers and cache projections)
    from modules.directory.demo import DEMO_PASSWORD, demo_accounts
    from server.config import Settings
    from sync.session import ClientSession
    from tests.sync.fakes import install_memory_keyring
    from tests.sync.live import LiveServer

    install_memory_keyring()
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(data_dir=root / "server", database_url="", demo=True,
                            log_json=False, log_level="WARNING")
        server = LiveServer(settings)
        server.start()
        who = demo_accounts()[0]
        try:
            for i in range(args.rounds):
                session = ClientSession(root / f"client-{i}")
                session.login(server.url, who.login, DEMO_PASSWORD)
                assert session.engine is not None
                session.engine.wait_idle(120)
                deadline = time.monotonic() + 30
                while not session.engine.status().online and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(0.5)  # the stream is open and silent: the listener sits in a read
                started = time.perf_counter()
                session.close()
                samples.append(time.perf_counter() - started)
        finally:
            server.close()
    samples.sort()
    print(f"keepalive every {settings.push_keepalive_seconds:.0f} s; rounds: {len(samples)}")
    print(f"close p50 {statistics.median(samples) * 1000:.0f} ms, "
          f"max {samples[-1] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
