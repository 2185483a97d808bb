"""How fast the security auditor's reads of the audit trail answer on a long trail.

Usage::

    .venv/bin/python bench/bench_audit_read.py [--entries 300000] [--database-url URL]

On a scratch database (SQLite in a temp folder, or a new database on the PostgreSQL
server of ``--database-url``), migrated, it builds a tree of 1 province, 20 cities and
10 counties under each (221 organs) and writes ``--entries`` chained entries spread
evenly over them and over two months (inserted already numbered: reading does not
check hashes), then ANALYZEs. It times the queries behind ``GET /audit/entries``
(``server.audit.queries.search``, one page of 100) for a province auditor (every entry),
a city auditor (its subtree, about 5 %) and a county auditor (about 0.5 %), each
without a filter, with a category, with a text filter and on the third page (keyset),
plus the export's ``count``. Prints the median of 5 runs per query.
Figures: docs/PERFORMANCE.md, "Audit trail reads (issue 12)".
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402

ACTIONS = ("auth.login", "intent.documents.act", "intent.seals.stamp", "blob.download",
           "intent.meetings.reply", "directory.person_update", "device.revoke",
           "intent.supervision.report")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=300_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    from sqlalchemy import insert, text

    from modules.audit.filters import Filter
    from server.audit import queries
    from server.audit.models import AuditEntry
    from server.config import Settings
    from server.db import make_engine, make_sessionmaker, session_scope
    from server.directory.models import Body
    from server.migrate import prepare_database

    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.database_url) as url:
        url = url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(data_dir=Path(tmp), database_url=url,
                            secret_key="bench-secret-key-with-enough-length-0123", log_json=False)
        engine = make_engine(url)
        prepare_database(engine, settings)
        sessions = make_sessionmaker(engine)
        organs = ["bx-p"]
        with session_scope(sessions) as s:
            s.add(Body(id="bx-p", parent_id=None, name="省", tier="province", region_id="bx-p"))
            s.flush()
            for c in range(20):
                city = f"bx-c{c:02d}"
                s.add(Body(id=city, parent_id="bx-p", name=f"市{c}", tier="city", region_id=city))
                organs.append(city)
            s.flush()
            for c in range(20):
                for k in range(10):
                    county = f"bx-c{c:02d}-k{k}"
                    s.add(Body(id=county, parent_id=f"bx-c{c:02d}", name=f"县{c}-{k}",
                               tier="county", region_id=f"bx-c{c:02d}"))
                    organs.append(county)
        start = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
        span = 60 * 24 * 3600
        began = time.perf_counter()
        batch: list[dict[str, object]] = []
        for n in range(1, args.entries + 1):
            batch.append({
                "seq": n, "at": start + dt.timedelta(seconds=span * n // args.entries),
                "actor_id": f"p-{n % 5000}", "actor_name": f"人员{n % 5000}",
                "actor_login": f"user{n % 5000}", "action": ACTIONS[n % len(ACTIONS)],
                "target": f"t-{n}", "scope_body": organs[(n * 7919) % len(organs)],
                "result": "refused" if n % 50 == 0 else "ok", "code": "", "detail": "",
                "device": f"dev-{n % 900}", "address": f"10.0.{n % 250}.{n % 200}",
                "request_id": "", "prev_hash": "0" * 64, "hash": f"{n:064x}",
            })
            if len(batch) == 5000 or n == args.entries:
                with session_scope(sessions) as s:
                    s.execute(insert(AuditEntry), batch)
                batch = []
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        print(f"{args.entries} entries written in {time.perf_counter() - began:.1f} s "
              f"({engine.dialect.name})")

        scopes = {"province": queries.ReadScope(frozenset({"bx-p"}), True),
                  "city": queries.ReadScope(frozenset({"bx-c03"}), False),
                  "county": queries.ReadScope(frozenset({"bx-c03-k4"}), False)}
        cases = {"newest 100": Filter(), "category seals": Filter(categories=("seals",)),
                 "text 't-12'": Filter(text="t-12"),
                 "one day": Filter(date_from=dt.date(2026, 11, 5), date_to=dt.date(2026, 11, 5))}
        print(f"{'scope':9} {'query':16} {'rows':>5} {'median ms':>10}")
        for scope_name, scope in scopes.items():
            for case_name, f in cases.items():
                times, rows = [], 0
                for _ in range(5):
                    with session_scope(sessions) as s:
                        t0 = time.perf_counter()
                        page, _more = queries.search(s, scope, f, limit=100)
                        times.append(time.perf_counter() - t0)
                        rows = len(page)
                print(f"{scope_name:9} {case_name:16} {rows:5d} {statistics.median(times) * 1000:10.1f}")
            times = []
            for _ in range(5):
                with session_scope(sessions) as s:
                    t0 = time.perf_counter()
                    first, _ = queries.search(s, scope, Filter(), limit=100)
                    second, _ = queries.search(s, scope, Filter(), before=first[-1].seq, limit=100)
                    queries.search(s, scope, Filter(), before=second[-1].seq, limit=100)
                    times.append((time.perf_counter() - t0) / 3)
            print(f"{scope_name:9} {'pages 1-3 (avg)':16} {100:5d} {statistics.median(times) * 1000:10.1f}")
            times = []
            for _ in range(3):
                with session_scope(sessions) as s:
                    t0 = time.perf_counter()
                    total = queries.count(s, scope, Filter())
                    times.append(time.perf_counter() - t0)
            print(f"{scope_name:9} {'export count':16} {total:5d} {statistics.median(times) * 1000:10.1f}")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
