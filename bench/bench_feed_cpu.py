"""CPU per ``read_feed_rows`` call (the pull route's page): 7 keys, a page of 500 and a
page of 5, on a seeded SQLite file and a fresh PostgreSQL database.

Usage::

    .venv/bin/python bench/bench_feed_cpu.py [--pg-admin-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

Seeds 14,000 feed rows, one key each, then times calls with ``time.process_time`` (this
process's CPU: on SQLite that includes executing; on PostgreSQL the server's is apart).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from server.app import create_app
from server.changefeed import Cursor, read_feed_rows, scope_fingerprint
from server.config import Settings
from server.db import session_scope

ROWS, KEYS = 14_000, [f"dir:k-{i}" for i in range(7)]

def run(url: str, label: str) -> None:
    tmp = Path(tempfile.mkdtemp())
    app = create_app(Settings(data_dir=tmp / "server", database_url=url,
        secret_key="test-secret-key-with-enough-length-0123456789", log_json=False))
    with app.state.engine.begin() as conn:
        base = int(conn.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar() or 0)
        conn.execute(text("INSERT INTO change_log (entity, entity_id, seq, data, deleted, changed_at)"
                          " VALUES ('bench.row', :id, :seq, :data, false, CURRENT_TIMESTAMP)"),
                     [{"id": f"r-{i}", "seq": base + i, "data": f'{{"id": "r-{i}", "name": "row {i}"}}'}
                      for i in range(1, ROWS + 1)])
        conn.execute(text("INSERT INTO change_audience (entity, entity_id, key, visible, seq)"
                          " VALUES ('bench.row', :id, :key, true, :seq)"),
                     [{"id": f"r-{i}", "key": KEYS[i % 7], "seq": base + i} for i in range(1, ROWS + 1)])
        conn.execute(text("UPDATE change_counter SET value = :top WHERE id = 1"), {"top": base + ROWS})
    keys = frozenset(KEYS)
    fp = scope_fingerprint(keys)
    for name, cur, lim in (("page 500", Cursor(base + 1000, fp).encode(), 500),
                           ("few rows", Cursor(base + ROWS - 5, fp).encode(), 500)):
        with session_scope(app.state.sessions) as s:
            for _ in range(30):
                page = read_feed_rows(s, keys, cur, lim)
            n = 300 if name == "few rows" else 60
            t0 = time.process_time()
            for _ in range(n):
                page = read_feed_rows(s, keys, cur, lim)
            dt = (time.process_time() - t0) / n
        print(f"{label:8} {name:9} rows={len(page.rows):4} {dt * 1e6:8.0f} us CPU/call")
    app.state.engine.dispose()

def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    run(f"sqlite:///{tempfile.mkdtemp()}/office.db", "sqlite")
    if args.no_pg:
        return
    admin = create_engine(args.pg_admin_url, isolation_level="AUTOCOMMIT")
    name = f"feedbench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        run(make_url(args.pg_admin_url).set(database=name).render_as_string(hide_password=False),
            "postgres")
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
