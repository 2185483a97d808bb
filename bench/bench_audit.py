"""What the audit trail (issue 12) costs the server, apart from the machine's load.

Usage::

    .venv/bin/python bench/bench_audit.py [--entries 10000] [--database-url URL]

On a scratch database (SQLite in a temp folder, or a new database on the PostgreSQL
server of ``--database-url``) it writes ``--entries`` intent entries the way a push batch
does (``intent_row`` + one ``record_rows`` insert per 100, in the batch's transaction),
then chains them (``chain_pending``, signing checkpoints every 1,000) and verifies the
whole trail. Reports wall and CPU time (this process) per entry for each step.
Figures: docs/PERFORMANCE.md, "Audit trail cost (issue 12)".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    from sqlalchemy.orm import Session

    from server.audit.chain import Policy, chain_pending, load_key
    from server.audit.trail import acting_from, intent_row, record_rows
    from server.audit.verify import verify
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.migrate import upgrade

    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.database_url) as url:
        url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        key = load_key(Path(tmp) / "audit.key", create=True)
        n = args.entries

        def timed(step: str, work: object) -> None:
            wall, cpu = time.perf_counter(), time.process_time()
            work()  # type: ignore[operator]
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"{step:28} {wall:7.2f} s wall ({wall / n * 1e6:6.0f} µs per entry), "
                  f"{cpu:6.2f} s CPU ({cpu / n * 1e6:6.0f} µs per entry)")

        def write() -> None:
            with acting_from("device-1", "10.0.0.1"):
                for start in range(0, n, 100):
                    rows = [intent_row("directory.update_contact", {"phone": "138"},
                                       {"id": f"m{i}", "status": "applied"}, actor=None,
                                       person_id="p-1", login="user")
                            for i in range(start, min(n, start + 100))]
                    with session_scope(sessions) as session:
                        record_rows(session, rows)

        def chain() -> None:
            with Session(bind=engine) as session:
                chain_pending(session, key, Policy(every=1000, minutes=10**6))
                session.commit()

        def check() -> None:
            with Session(bind=engine) as session:
                report = verify(session, key.public)
            assert report.intact and report.entries == n, report.problems[:3]

        backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        print(f"database: {backend}; entries: {n}")
        timed("write (batches of 100)", write)
        timed("chain + checkpoints", chain)
        timed("verify", check)
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
