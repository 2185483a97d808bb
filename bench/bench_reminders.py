"""How fast due reminders go out, and that each goes out once, with two server processes.

Usage::

    .venv/bin/python bench/bench_reminders.py [--count 5000] [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]

Starts ``main.py server --workers 2`` (uvicorn worker processes, each with its reminder
dispatcher polling every 0.2 s) on a fresh SQLite file and, with ``--pg``, on a fresh
PostgreSQL database; inserts ``--count`` reminders for 50 people all due two seconds
later, and measures from that moment until the last is sent. Prints the time, the rate,
how the work split between the processes and the number of duplicate deliveries (must
be 0). Figures: docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(url: str, data_dir: Path, count: int) -> str:
    from sqlalchemy import func, select

    from server.db import make_engine, make_sessionmaker, session_scope, utcnow
    from server.migrate import upgrade
    from server.reminders.models import Notice, Reminder
    from tests.server.processes import ServerProcesses

    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    servers = ServerProcesses(url, data_dir, {"OFFICE_REMINDER_POLL_SECONDS": "0.2"})
    try:
        servers.start(1, workers=2)
        time.sleep(3)  # both workers up
        now = utcnow()
        due = now + dt.timedelta(seconds=2)
        with session_scope(sessions) as s:
            s.add_all(Reminder(id=f"bench:{i}", kind="bench", module="meetings", ref_id=f"r{i}",
                               person_id=f"p-bench-{i % 50}", due_at=due, expires_at=None,
                               state="pending", data={"title_zh": "提醒"}, created_at=now,
                               updated_at=now, claimed_by="") for i in range(count))
        while True:
            with session_scope(sessions) as s:
                left = s.scalar(select(func.count()).select_from(Reminder)
                                .where(Reminder.state == "pending"))
                if not left:
                    last = s.scalar(select(func.max(Notice.sent_at)))
                    split = s.execute(select(Reminder.claimed_by, func.count())
                                      .group_by(Reminder.claimed_by)).all()
                    notices = s.scalar(select(func.count()).select_from(Notice))
                    distinct = s.scalar(select(func.count(func.distinct(Notice.reminder_id))))
                    break
            time.sleep(0.1)
        assert last is not None
        took = (last - due).total_seconds()
        return (f"{count} reminders sent in {took:.2f} s after they came due "
                f"({count / max(took, 1e-6):.0f}/s); split {sorted(n for _, n in split)}; "
                f"duplicates {int(notices or 0) - int(distinct or 0)}")
    finally:
        servers.stop()
        engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--pg", default="", help="PostgreSQL server URL (a scratch database is made)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite:    ", run(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp) / "s", args.count))
        if args.pg:
            from sqlalchemy import create_engine, text
            from sqlalchemy.engine import make_url

            admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
            name = f"office_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
                print("PostgreSQL:", run(url, Path(tmp) / "p", args.count))
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
