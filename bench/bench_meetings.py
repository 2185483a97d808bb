"""Benchmark: room availability for 500 rooms over a month, and booking on the server.

Builds one organ with 500 rooms and a month of bookings (four per room per working day,
about 44 000), then measures:

* ``free rooms``: the pure rule (``modules.meetings.rules.free_rooms``) for a 2-hour slot
  over all rooms and bookings, as the booking dialog runs it on every change of time;
* ``day grid``: one day's bookings per room (``rules.day_grid``), the rooms page;
* ``client read``: the device reading the rooms and bookings from its local cache
  (``MeetingService.free_rooms``, JSON records decoded) — what one refresh of the page costs;
* ``server booking``: ``meetings.book_room`` intents through the real dispatcher
  (``server.mutations.apply_one``: room lock, overlap query, insert, change feed) on SQLite
  and, when ``--pg`` names a server, on PostgreSQL, one after another, into the full month.

Run:  .venv/bin/python bench/bench_meetings.py [--pg postgresql+psycopg://postgres@127.0.0.1:5432/test]
Figures: docs/PERFORMANCE.md ("Meeting rooms").
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

from modules.meetings import intents as I
from modules.meetings import rules as R

ROOMS = 500
DAYS = 30
PER_DAY = 4
START = dt.datetime.combine(dt.date.today() + dt.timedelta(days=1), dt.time(0), R.CHINA)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def month() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rooms, bookings = [], []
    for i in range(ROOMS):
        room = R.Room(f"mr-bench-{i:04d}", "b-bench", f"会议室{i:03d}", floor=f"{i % 20}楼",
                      capacity=10 + i % 60, equipment=frozenset(["projector"] if i % 2 else ["video"]))
        rooms.append({**room.to_dict(), "body_name": "基准局", "organ_id": "b-bench",
                      "organs_above": ["b-bench"]})
    for d in range(DAYS):
        day = START + dt.timedelta(days=d)
        if day.weekday() >= 5:
            continue
        for i in range(ROOMS):
            for k in range(PER_DAY):
                s = day + dt.timedelta(hours=8 + 3 * k + (i % 2))
                bookings.append({
                    "id": f"mb-bench-{d:02d}-{i:04d}-{k}", "room_id": f"mr-bench-{i:04d}",
                    "room_name": f"会议室{i:03d}", "body_id": "b-bench", "start": I.iso(s),
                    "end": I.iso(s + dt.timedelta(hours=2)), "subject": "基准会议", "people": 8,
                    "state": R.CONFIRMED, "state_words": "已预订", "holder_id": f"p-bench-{i % 50}",
                    "holder_name": "基准", "decided_by": "", "decided_by_name": "",
                    "decided_at": None, "note": "", "created_at": I.iso(s), "updated_at": I.iso(s)})
    return rooms, bookings


def timed(fn: Any, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def report(name: str, samples: list[float]) -> None:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    print(f"{name:<34} p50 {ms(statistics.median(samples)):>8} ms   p95 {ms(p95):>8} ms"
          f"   (n={len(samples)})")


def pure(rooms: list[dict[str, Any]], bookings: list[dict[str, Any]]) -> None:
    room_rules = [R.Room.from_dict(r) for r in rooms]
    slots = [R.Slot.from_dict(b) for b in bookings]
    now = dt.datetime.now(dt.UTC)
    wed = START + dt.timedelta(days=(2 - START.weekday()) % 7 + 7)
    s, e = wed + dt.timedelta(hours=20), wed + dt.timedelta(hours=21, minutes=30)
    day = [x for x in slots if R.overlaps(x.start, x.end, wed, wed + dt.timedelta(days=1))]
    free = R.free_rooms(room_rules, day, s, e, now, people=12, equipment=["video"])
    print(f"{len(rooms)} rooms, {len(bookings)} bookings ({len(day)} on {wed.date()}); "
          f"free 20:00–21:30: {len(free)} rooms")
    report("free rooms (pure, one day)", timed(lambda: R.free_rooms(
        room_rules, day, s, e, now, people=12, equipment=["video"]), 30))
    report("free rooms (pure, whole month)", timed(lambda: R.free_rooms(
        room_rules, slots, s, e, now, people=12, equipment=["video"]), 10))
    report("day grid (pure, one day)", timed(lambda: R.day_grid(day, [r.id for r in room_rules],
                                                                 wed.date()), 30))
    report("records -> slots (decode)", timed(lambda: [R.Slot.from_dict(b) for b in bookings], 5))


def client(rooms: list[dict[str, Any]], bookings: list[dict[str, Any]]) -> None:
    from modules.meetings.service import MeetingService
    from sync.cache import LocalCache
    from sync.local import apply_server_changes

    me = {"person_id": "p-bench-7", "name": "基准",
          "posts": [{"body_id": "b-bench", "roles": ["staff"], "is_primary": True}]}
    with tempfile.TemporaryDirectory() as tmp:
        cache = LocalCache(Path(tmp) / "cache.db")
        rows: list[Any] = [((I.ROOM, r["id"]), r, n) for n, r in enumerate(rooms, 1)]
        rows += [((I.BOOKING, b["id"]), b, len(rooms) + n) for n, b in enumerate(bookings, 1)]
        t = time.perf_counter()
        for i in range(0, len(rows), 5000):
            with cache.write() as session:
                apply_server_changes(session, rows[i:i + 5000], principal=me)
        print(f"client: {len(rows)} records written to the cache in {time.perf_counter() - t:.1f} s")
        svc = MeetingService(cache, None, me)  # type: ignore[arg-type]
        wed = START + dt.timedelta(days=(2 - START.weekday()) % 7 + 7)
        s, e = wed + dt.timedelta(hours=20), wed + dt.timedelta(hours=21, minutes=30)
        report("client: one day's bookings", timed(lambda: svc.day_bookings(wed.date()), 10))
        report("client: free rooms (cache)", timed(lambda: svc.free_rooms(s, e, people=12), 10))
        report("client: my bookings", timed(svc.my_bookings, 10))
        report("client: rooms", timed(svc.rooms, 10))
        cache.close()


def server(url: str, rooms: list[dict[str, Any]], bookings: list[dict[str, Any]], label: str) -> None:
    from server.app import create_app
    from server.config import Settings
    from server.db import session_scope
    from server.directory.models import Body, Person, Post
    from server.meetings.models import Booking, Room
    from server.mutations import apply_one

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=url, data_dir=Path(tmp), demo=False)
        app = create_app(settings)
        sessions = app.state.sessions
        now = dt.datetime.now(dt.UTC)
        with session_scope(sessions) as s:
            s.add(Body(id="b-bench", parent_id=None, name="基准局", short_name="基准", tier="province",
                       kind="body", region_id="b-bench"))
            s.flush()
            s.add(Person(id="p-bench", name="基准", pinyin="jizhun", initials="jz"))
            s.flush()
            s.add(Post(id="post-bench", person_id="p-bench", body_id="b-bench", title="科员",
                       roles=["staff"], is_primary=True, sort_order=0))
            s.add_all(Room(id=r["id"], body_id="b-bench", organ_id="b-bench", name=r["name"], data=r,
                           updated_at=now) for r in rooms)
            s.flush()
            s.add_all(Booking(id=b["id"], room_id=b["room_id"], starts_at=R.parse_time(b["start"]),
                              ends_at=R.parse_time(b["end"]), state=b["state"], holder_id="p-bench",
                              subject=b["subject"], people=8, checked_in=False, data=b,
                              updated_at=now) for b in bookings)
        samples = []
        wed = START + dt.timedelta(days=(2 - START.weekday()) % 7 + 7)
        for i in range(200):
            room = rooms[i]["id"]
            start = wed + dt.timedelta(hours=7)  # 07:00–08:00 is free in every room
            item = {"id": f"m-{uuid.uuid4().hex}", "name": "meetings.book_room", "args": {
                "booking_id": f"mb-{uuid.uuid4().hex[:12]}", "room_id": room,
                "start": start.isoformat(), "end": (start + dt.timedelta(hours=1)).isoformat(),
                "subject": "基准"}}
            t = time.perf_counter()
            result = apply_one(sessions, "p-bench", "p-bench", item, "zh_CN")
            samples.append(time.perf_counter() - t)
            assert result["status"] == "applied", result
        report(f"server booking ({label})", samples)
        app.state.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", default="", help="a PostgreSQL URL whose database may be used")
    args = parser.parse_args()
    rooms, bookings = month()
    pure(rooms, bookings)
    client(rooms, bookings)
    with tempfile.TemporaryDirectory() as tmp:
        server(f"sqlite:///{Path(tmp) / 'bench.db'}", rooms, bookings, "SQLite")
    if args.pg:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"office_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(args.pg).set(database=name).render_as_string(hide_password=False)
            server(url, rooms, bookings, "PostgreSQL")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
