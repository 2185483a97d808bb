"""The feed query on PostgreSQL: pages for a dense or a sparse reader, fresh and analysed.

Usage::

    .venv/bin/python bench/bench_feed_query.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_feed \\
        [--rows 1000000] [--every 100] [--page 500]

Drops and creates the database, fills the feed tables by SQL with ``--rows`` rows of
which every ``--every``-th is for the reader (``all``; the others for 50 other regions),
with autovacuum off them, then pages through the reader's feed with ``read_feed`` twice:
on the fresh, never-analysed tables and after ``ANALYZE``. Prints the time per page and
``EXPLAIN (ANALYZE, BUFFERS)`` of the second page's statement each time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: The bench user's audience keys (as ``server.scopes`` gives them to bench_sync's user).
KEYS = frozenset({"all", "body:b-bench", "body:b-bench:role:staff", "dir:b-bench",
                  "meetings:organ:b-bench", "supervision:unit:b-bench", "user:p-bench"})


def fill(app: Any, rows: int, every: int) -> None:
    from sqlalchemy import text

    with app.state.engine.begin() as conn:
        for table in ("change_log", "change_audience"):
            conn.execute(text(f"ALTER TABLE {table} SET (autovacuum_enabled = false)"))
        conn.execute(text("""
            INSERT INTO change_log (entity, entity_id, seq, data, deleted, changed_at)
            SELECT CASE WHEN i % :every = 0 THEN 'bench.person' ELSE 'bench.other' END,
                   'r-' || lpad(i::text, 7, '0'), i,
                   json_build_object('id', 'r-' || i, 'name', '测试人员' || i,
                       'pinyin', 'ceshirenyuan' || i, 'initials', 'csry',
                       'phone', '0571-' || (i % 10000), 'email', 'user' || i || '@example.gov.cn',
                       'body_id', 'b-' || (i % 50), 'title', '科员', 'active', true,
                       'sort_order', i),
                   false, now()
            FROM generate_series(1, :rows) AS i"""), {"rows": rows, "every": every})
        conn.execute(text("""
            INSERT INTO change_audience (entity, entity_id, key, visible, seq)
            SELECT entity, entity_id,
                   CASE WHEN entity = 'bench.person' THEN 'all' ELSE 'dir:r-' || (seq % 50) END,
                   true, seq
            FROM change_log"""))
        conn.execute(text("UPDATE change_counter SET value = :rows WHERE id = 1"), {"rows": rows})


def page_through(app: Any, page_size: int) -> dict[str, Any]:
    from sqlalchemy import event

    from server.changefeed import read_feed
    from server.db import session_scope

    engine = app.state.engine
    statements: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        statements.append((statement, params))

    cursor: str | None = None
    times: list[float] = []
    total = 0
    while True:
        if len(times) == 1:
            event.listen(engine, "before_cursor_execute", grab)
        with session_scope(app.state.sessions) as s:
            t0 = time.perf_counter()
            page = read_feed(s, KEYS, cursor, page_size, raw=True)
            times.append(time.perf_counter() - t0)
        if len(times) == 2:
            event.remove(engine, "before_cursor_execute", grab)
        total += len(page.changes)
        cursor = page.cursor
        if not page.has_more:
            break
    plan: list[str] = []
    feed = [(st, p) for st, p in statements if "change_audience" in st]
    if feed:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + feed[-1][0], feed[-1][1])
            plan = [str(r[0]) for r in cur.fetchall()]
        finally:
            raw.close()
    ordered = sorted(times)
    return {"rows": total, "pages": len(times), "seconds": round(sum(times), 3),
            "median_ms": round(ordered[len(ordered) // 2] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "plan": plan}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args(argv)

    from sqlalchemy import text

    from bench.bench_sync import fresh_database
    from server.app import create_app
    from server.config import Settings

    fresh_database(args.database_url)
    app = create_app(Settings(data_dir=Path(tempfile.mkdtemp(prefix="bench-feed-")),
                              database_url=args.database_url, log_json=False,
                              secret_key="bench-secret-key-0123456789-0123456789",
                              log_level="WARNING"))
    t0 = time.perf_counter()
    fill(app, args.rows, args.every)
    print(f"{args.rows} feed rows, one in {args.every} for the reader "
          f"({time.perf_counter() - t0:.1f} s)")
    for label in ("fresh tables", "after ANALYZE"):
        if label == "after ANALYZE":
            with app.state.engine.begin() as conn:
                conn.execute(text("ANALYZE change_log"))
                conn.execute(text("ANALYZE change_audience"))
        result = page_through(app, args.page)
        print(f"== {label}: {result['rows']} rows in {result['pages']} pages of {args.page}:"
              f" {result['seconds']} s, median {result['median_ms']} ms,"
              f" worst {result['max_ms']} ms per page")
        for line in result["plan"]:
            print("   ", line[:160])
    app.state.engine.dispose()


if __name__ == "__main__":
    main()
