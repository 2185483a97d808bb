"""Benchmark: 500 check-ins at a venue without network, on one organiser device, then synced.

A real server (create_app + uvicorn on 127.0.0.1; temp SQLite, or PostgreSQL with
``--database-url``) holds one published meeting with 500 invitees. The organiser's
device (a real LocalCache + SyncEngine, signed in as the host organ's secretary) syncs
once while online, so it has the meeting and its check-in key. Then the server is
stopped — the venue has no network — and the door scanner reads 400 personal codes
(``OAPSN1:…``, as each attendee's phone shows them: 300 出席 and 100 列席, the most a
meeting names) through ``CheckIn.scan`` and 100 guests without an account are entered
by name (``CheckIn.by_hand``): each is
verified on the device with the meeting's key, applied to the cache and queued in the
outbox (SQLite transaction + fsynced outbox journal), with nothing reaching the server.

Measured:

* time per local check-in (p50 / p99 / max) and the 500 in total (the venue's five
  minutes are the budget);
* the outbox after the 500: queued intents, the cache file and the outbox journal sizes;
* reconnecting: the server is started again and one sync cycle pushes the outbox
  (batches of 100) and pulls — the time to push all 500;
* that the server holds exactly 500 check-ins for the meeting, also after the same 500
  intents are pushed again (a retry whose answers were lost) and after a second door
  device queues scans of 50 of the same people (replays counted once).

Run:  .venv/bin/python bench/bench_checkins.py [--people 500] [--database-url postgresql+psycopg://…]
Figures: docs/PERFORMANCE.md ("Check-in at a venue without network").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Bench-Passw0rd!"
#: People with an account who scan their personal code (300 出席 + 100 列席); the rest
#: of the check-ins are guests without an account, entered by name at the door.
INVITED = 400


def seed(app: Any, people: int) -> tuple[str, str]:
    """The organ, its secretary (account ``bench-sec``), ``people`` invitees and one
    published meeting starting in five minutes; (meeting id, check-in secret)."""
    from modules.common.access import ActorFacts, PostFacts
    from modules.meetings import intents as I
    from modules.meetings import meeting as M
    from server.access_facts import body_facts
    from server.auth.service import create_account
    from server.db import session_scope
    from server.directory.models import Body, Person, Post
    from server.meetings import storage

    with session_scope(app.state.sessions) as s:
        s.add(Body(id="b-bench", name="基准市人民政府", short_name="基准", tier="city",
                   kind="body", region_id="b-bench"))
        s.flush()
        s.add(Person(id="p-bench-sec", name="基准秘书", pinyin="jizhunmishu", initials="jzms"))
        s.flush()
        s.add(Post(id="post-bench-sec", person_id="p-bench-sec", body_id="b-bench",
                   title="秘书", roles=["secretary"], is_primary=True))
        create_account(s, "p-bench-sec", "bench-sec", PASSWORD)
        for i in range(people):
            s.add(Person(id=f"p-att-{i:04d}", name=f"参会人{i:04d}", pinyin=f"canhuiren{i}",
                         initials="chr"))
        s.flush()
        for i in range(people):
            s.add(Post(id=f"post-att-{i:04d}", person_id=f"p-att-{i:04d}", body_id="b-bench",
                       title="科员", roles=["staff"], is_primary=True))
    now = dt.datetime.now(dt.UTC)
    start = now + dt.timedelta(minutes=5)
    # SaveMeetingArgs takes at most 300 invitees and 100 列席: the rest are guests
    invited = [f"p-att-{i:04d}" for i in range(min(people, INVITED))]
    invitees, observers = invited[:300], invited[300:]
    with session_scope(app.state.sessions) as s:
        host = body_facts(s, "b-bench")
        actor = ActorFacts("p-bench-sec", (PostFacts("b-bench", "b-bench",
                                                     frozenset({"secretary"})),))
        args = I.SAVE_MEETING.parse({
            "meeting_id": "mt-bench-checkin", "subject": "全市大会（签到基准）", "kind": "其他",
            "host_body_id": "b-bench", "start": start.isoformat(),
            "end": (start + dt.timedelta(hours=3)).isoformat(), "place": "市民中心大礼堂",
            "invitees": invitees, "observers": observers})
        data = I.save_meeting(None, args, actor, "基准秘书", host,
                              storage.person_names(s, invited), {}, None, now)
        data.update(state=M.PUBLISHED, state_words=M.STATE_WORDS[M.PUBLISHED][0],
                    published_at=I.iso(now))
        storage.put_meeting(s, data, now)
        secret = storage.checkin_secret(s, "mt-bench-checkin")
    assert secret is not None
    return "mt-bench-checkin", secret


def server_count(app: Any, meeting_id: str) -> int:
    from sqlalchemy import func, select

    from server.db import session_scope
    from server.meetings.models import Checkin

    with session_scope(app.state.sessions) as s:
        return int(s.scalar(select(func.count()).select_from(Checkin)
                            .where(Checkin.meeting_id == meeting_id)) or 0)


def ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)

    from sqlalchemy import func, select

    from modules.meetings import checkin as C
    from modules.meetings.service import CheckIn
    from server.config import Settings
    from sync.api import ApiClient, MemoryTokenStore
    from sync.cache import LocalCache, outbox
    from sync.engine import SyncEngine
    from tests.sync.live import LiveServer

    tmp = Path(tempfile.mkdtemp(prefix="bench-checkins-"))
    settings = Settings(data_dir=tmp / "server", database_url=args.database_url,
                        secret_key="bench-secret-key-0123456789-0123456789",
                        log_json=False, log_level="WARNING")
    live = LiveServer(settings)
    live.start()
    try:
        meeting_id, secret = seed(live.app, args.people)
        codes = [C.issue_pass(secret, meeting_id, f"p-att-{i:04d}")
                 for i in range(min(args.people, INVITED))]
        guests = [f"来宾{i:03d}" for i in range(max(0, args.people - INVITED))]

        api = ApiClient(live.url, token_store=MemoryTokenStore(), timeout=120)
        user = api.login("bench-sec", PASSWORD)["user"]
        cache = LocalCache(tmp / "organiser.sqlite")
        engine = SyncEngine(cache, api, principal=user, listen=False)
        engine.run_cycle()
        assert engine.status().last_error is None, engine.status().last_error
        door = CheckIn(cache, engine, user)
        assert door.runs(meeting_id), "the organiser's device has no check-in key"

        live.stop()  # the venue has no network from here on
        samples = []
        t_all = time.perf_counter()
        for code in codes:
            t = time.perf_counter()
            door.scan(code, meeting_id=meeting_id, device_id="door-1")
            samples.append(time.perf_counter() - t)
        for name in guests:
            t = time.perf_counter()
            door.by_hand(meeting_id, name=name, device_id="door-1")
            samples.append(time.perf_counter() - t)
        offline_s = time.perf_counter() - t_all
        engine.run_cycle()  # a sync attempt while offline: fails, keeps everything
        offline_error = engine.status().last_error
        attendance = door.attendance(meeting_id)
        assert attendance is not None
        local_present = dict(attendance.counts)
        with cache.read() as s:
            queued = int(s.scalar(select(func.count()).select_from(outbox)
                                  .where(outbox.c.state == "pending")) or 0)
            sent = s.execute(select(outbox.c.mutation_id, outbox.c.name, outbox.c.args)).all()
        journal = cache.journal.path if cache.journal is not None else None
        sizes = {"cache_bytes": sum(p.stat().st_size for p in tmp.glob("organiser.sqlite*")),
                 "journal_bytes": journal.stat().st_size if journal is not None else 0}

        live.start()  # back online
        t = time.perf_counter()
        engine.run_cycle({"push"})
        push_s = time.perf_counter() - t
        status = engine.status()
        assert status.last_error is None, status.last_error
        after_push = server_count(live.app, meeting_id)

        # replays: the same 500 intents again (lost answers), then a second door device
        # that scanned 50 of the same people
        replay = [{"id": m, "name": n, "args": json.loads(a) if isinstance(a, str) else a}
                  for m, n, a in sent]
        t = time.perf_counter()
        for i in range(0, len(replay), 100):
            r = api.push(replay[i:i + 100]) if replay else None
            assert r is None or r
        replay_s = time.perf_counter() - t
        cache2 = LocalCache(tmp / "door2.sqlite")
        engine2 = SyncEngine(cache2, api, principal=user, listen=False)
        engine2.run_cycle()
        door2 = CheckIn(cache2, engine2, user)
        for code in codes[:50]:
            door2.scan(code, meeting_id=meeting_id, device_id="door-2")
        engine2.run_cycle()
        assert engine2.status().last_error is None, engine2.status().last_error
        final = server_count(live.app, meeting_id)
        cache2.close()
        cache.close()
        api.close()
    finally:
        live.close()

    samples.sort()
    result = {
        "database": "postgresql" if args.database_url.startswith("postgres") else "sqlite",
        "check_ins": args.people,
        "by_code": len(codes),
        "guests_by_name": len(guests),
        "local_ms_p50": ms(statistics.median(samples)),
        "local_ms_p99": ms(samples[min(len(samples) - 1, int(len(samples) * 0.99))]),
        "local_ms_max": ms(samples[-1]),
        "local_total_seconds": round(offline_s, 2),
        "offline_sync_error": offline_error,
        "local_attendance": local_present,
        "outbox_pending": queued,
        **sizes,
        "push_all_seconds": round(push_s, 2),
        "replayed_intents": len(replay),
        "replay_seconds": round(replay_s, 2),
        "server_check_ins_after_push": after_push,
        "server_check_ins_after_replays": final,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    assert queued == args.people and after_push == args.people and final == args.people
    return result


if __name__ == "__main__":
    main()
