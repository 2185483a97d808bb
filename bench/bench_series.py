"""Benchmark: recurring meetings (例会) — expanding a rule, the form's preview from the
local cache, and creating / changing / cancelling a whole series on the server.

Measures:

* ``expand``: the pure rule (``modules.meetings.recurrence.expand``) for 104 dates (twice a
  week for a year, holidays moved) over the bundled calendar;
* ``preview``: the form's preview on the device (``series_service.preview``: the calendar
  service's table, the room's cached bookings over the year, one conflict check per
  occurrence) with 2 000 bookings of that room in the cache;
* ``server``: ``meetings.create_series`` of 52 weekly occurrences with a room (every one
  checked and booked, one transaction) and of 104, then ``meetings.update_series``
  "all" moving each booking to a new time, and ``meetings.cancel_series`` "all", through
  the real dispatcher (``server.mutations.apply_one``) on SQLite and, with ``--pg``,
  PostgreSQL.

Run:  .venv/bin/python bench/bench_series.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
Figures: docs/PERFORMANCE.md ("Recurring meetings").
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from modules.calendar.service import seed
from modules.meetings import intents as I
from modules.meetings import recurrence as RC
from modules.meetings import rules as R

MONDAY = dt.date.today() + dt.timedelta(days=7 - dt.date.today().weekday())


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), R.CHINA)


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{name:<44} p50 {statistics.median(samples) * 1000:>8.1f} ms   "
          f"p95 {p95 * 1000:>8.1f} ms   (n={len(samples)})")


def timed(fn: Any, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def room() -> dict[str, Any]:
    r = R.Room("mr-bench-series", "b-bench", "第一会议室", capacity=30, days_ahead=366)
    return {**r.to_dict(), "body_name": "基准局", "organ_id": "b-bench", "organs_above": ["b-bench"]}


def bookings(n: int) -> list[dict[str, Any]]:
    """``n`` bookings of the room over the coming year, one an hour from 16:00 (the
    series below meet earlier)."""
    out = []
    for i in range(n):
        s = at(MONDAY + dt.timedelta(days=i % 333), 16 + i // 333)
        out.append({"id": f"mb-bench-{i:05d}", "room_id": "mr-bench-series", "room_name": "第一会议室",
                    "body_id": "b-bench", "start": I.iso(s), "end": I.iso(s + dt.timedelta(hours=1)),
                    "subject": "基准", "people": 5, "state": R.CONFIRMED, "state_words": "已预订",
                    "holder_id": "p-other", "holder_name": "他人", "decided_by": "",
                    "decided_by_name": "", "decided_at": None, "note": "",
                    "created_at": I.iso(s), "updated_at": I.iso(s)})
    return out


TWICE_A_WEEK = {"frequency": "weekly", "weekdays": [0, 3], "count": 104, "holidays": "move"}


def pure() -> None:
    table = seed()
    rule = RC.Rule.from_args(TWICE_A_WEEK)
    e = RC.expand(rule, at(MONDAY, 9), at(MONDAY, 10), table)
    print(f"104 dates from {MONDAY}: {len(e.occurrences)} meetings, {len(e.skipped)} left out, "
          f"provisional years {e.missing_years}")
    report("expand 104 dates (pure)", timed(lambda: RC.expand(rule, at(MONDAY, 9), at(MONDAY, 10),
                                                              table), 30))


def client() -> None:
    from modules.meetings.series_service import preview
    from sync.cache import LocalCache
    from sync.local import apply_server_changes

    me = {"person_id": "p-bench", "name": "基准",
          "posts": [{"body_id": "b-bench", "roles": ["secretary"], "is_primary": True}]}
    with tempfile.TemporaryDirectory() as tmp:
        cache = LocalCache(Path(tmp) / "cache.db")
        rows: list[Any] = [((I.ROOM, "mr-bench-series"), room(), 1)]
        rows += [((I.BOOKING, b["id"]), b, 2 + n) for n, b in enumerate(bookings(2000))]
        with cache.write() as session:
            apply_server_changes(session, rows, principal=me)
        found = preview(cache, None, me, TWICE_A_WEEK, at(MONDAY, 17), at(MONDAY, 19),
                        room_id="mr-bench-series")
        print(f"preview: {found.occurrences} meetings, {found.conflicts} conflicts")
        report("preview 104 dates, 2 000 cached bookings", timed(lambda: preview(
            cache, None, me, TWICE_A_WEEK, at(MONDAY, 17), at(MONDAY, 19),
            room_id="mr-bench-series"), 10))
        cache.close()


def server(url: str, label: str) -> None:
    from server.app import create_app
    from server.config import Settings
    from server.db import session_scope
    from server.directory.models import Body, Person, Post
    from server.meetings.models import Booking, Room
    from server.mutations import apply_one

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(database_url=url, data_dir=Path(tmp), demo=False))
        sessions = app.state.sessions
        now = dt.datetime.now(dt.UTC)
        with session_scope(sessions) as s:
            s.add(Body(id="b-bench", parent_id=None, name="基准局", short_name="基准", tier="province",
                       kind="body", region_id="b-bench"))
            s.flush()
            s.add(Person(id="p-bench", name="基准", pinyin="jizhun", initials="jz"))
            s.flush()
            s.add(Post(id="post-bench", person_id="p-bench", body_id="b-bench", title="秘书",
                       roles=["secretary"], is_primary=True, sort_order=0))
            r = room()
            s.add(Room(id=r["id"], body_id="b-bench", organ_id="b-bench", name=r["name"], data=r,
                       updated_at=now))
            s.flush()
            s.add_all(Booking(id=b["id"], room_id=b["room_id"], starts_at=R.parse_time(b["start"]),
                              ends_at=R.parse_time(b["end"]), state=b["state"], holder_id="p-other",
                              subject="基准", people=5, checked_in=False, data=b, updated_at=now)
                      for b in bookings(2000))

        def push(name: str, args: dict[str, Any]) -> dict[str, Any]:
            item = {"id": f"m-{uuid.uuid4().hex}", "name": name, "args": args}
            result = apply_one(sessions, "p-bench", "p-bench", item, "zh_CN")
            assert result["status"] == "applied", result
            return result

        def create(rule: dict[str, Any], hour: int) -> dict[str, Any]:
            return push("meetings.create_series", {
                "series_id": f"ms-{uuid.uuid4().hex[:12]}", "subject": "局务会", "kind": "局务会议",
                "host_body_id": "b-bench", "start": at(MONDAY, hour).isoformat(),
                "end": (at(MONDAY, hour) + dt.timedelta(minutes=50)).isoformat(),
                "room_id": "mr-bench-series", "place": "", "invitees": ["p-bench"], "rule": rule})

        weekly = {"frequency": "weekly", "weekdays": [1], "count": 52, "holidays": "move"}
        made, moved, cancelled, big = [], [], [], []
        for hour in (7, 9, 11, 13, 15):
            t = time.perf_counter()
            first = create({**weekly, "weekdays": [1]}, hour)["result"]["meetings"][0]
            made.append(time.perf_counter() - t)
            with session_scope(sessions) as s:
                from server.meetings import storage
                m = storage.meeting_record(s, first)
            assert m is not None
            t = time.perf_counter()
            push("meetings.update_series", {
                "meeting_id": first, "scope": "all", "subject": "局务会", "kind": "局务会议",
                "host_body_id": "b-bench", "start": m["start"],
                "end": (R.parse_time(m["start"]) + dt.timedelta(minutes=55)).isoformat(),
                "booking_id": m["booking_id"], "invitees": ["p-bench"]})
            moved.append(time.perf_counter() - t)
            t = time.perf_counter()
            push("meetings.cancel_series", {"meeting_id": first, "scope": "all", "reason": "基准"})
            cancelled.append(time.perf_counter() - t)
        for hour in (8, 10, 12):
            t = time.perf_counter()
            create({**TWICE_A_WEEK}, hour)
            big.append(time.perf_counter() - t)
        report(f"create 52 weekly, room booked ({label})", made)
        report(f"create 104 twice a week ({label})", big)
        report(f"change all 52: new length, bookings moved ({label})", moved)
        report(f"cancel all 52, rooms freed ({label})", cancelled)
        app.state.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default="", help="a PostgreSQL URL whose database may be used")
    args = parser.parse_args()
    pure()
    client()
    with tempfile.TemporaryDirectory() as tmp:
        server(f"sqlite:///{Path(tmp) / 'bench.db'}", "SQLite")
    if args.pg:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"office_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            server(url, "PostgreSQL")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
