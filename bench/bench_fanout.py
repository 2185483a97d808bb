"""Push fan-out across server processes: poke and pull latency, with and without NOTIFY.

Usage::

    .venv/bin/python bench/bench_fanout.py [--rounds 20] [--per-worker 3] [--idle 20]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

For each mode — ``notify`` (PostgreSQL LISTEN/NOTIFY wakes every hub; the safety-net poll
every 2 s) and ``polling`` (``OFFICE_PUSH_NOTIFY=false``; every hub polls every 0.3 s, as
before) — on a scratch database: two separate ``main.py server --workers 2`` (four worker
processes, demo organisation), ``--per-worker`` devices or more on each worker process
(demo users with an open ``/sync/events`` and a pull cursor; each pulls after its poke's
jitter hint, as the client does), then

* idle: ``--idle`` seconds with the devices connected and nothing written — CPU seconds
  of the six server processes (two supervisors, four workers) and of the PostgreSQL
  backends of the database;
* rounds: one user changes their phone number ``--rounds`` times (or more, until each of
  the four processes has taken a write), alternating between the groups, 1.6 s apart
  (past the 1 s coalescing); for every device on another process than the write's:
  poke latency (push sent → poke received) and pull latency (push sent → the pull that
  returns the new number); the push's own answer time is shown beside them.

Prints p50/p95/max per mode, CPU time and the load average (the machine is shared).
Figures: docs/PERFORMANCE.md, "Scale (issue 11) — fan-out across server processes".
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * len(ordered)) - 1)]


def postgres_pids(url: str) -> list[int]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    engine = create_engine(url)
    with engine.connect() as conn:
        pids = conn.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d "
                                 "AND pid <> pg_backend_pid()"), {"d": name}).scalars().all()
    engine.dispose()
    return [int(p) for p in pids]


def cpu_of(pids: list[int]) -> float:
    from tests.server.fanout import cpu_seconds

    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):  # a backend that ended
            total += cpu_seconds(pid)
    return total


def run_mode(mode: str, admin_url: str, rounds: int, per_worker: int, idle: float) -> dict[str, Any]:
    from tests.server.fanout import Fanout, two_groups

    env = {"OFFICE_PUSH_NOTIFY": "true" if mode == "notify" else "false",
           "OFFICE_REMINDER_POLL_SECONDS": "0", "OFFICE_LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryDirectory() as tmp, scratch_database(admin_url) as url, \
            two_groups(url, Path(tmp), env) as groups:
        fanout = Fanout(groups)
        try:
            fanout.connect(per_worker=per_worker)
            errors = [d.error for d in fanout.devices if d.error]
            assert not errors, errors
            time.sleep(2.0)  # settle after the initial pulls
            servers = fanout.all_pids()
            backends = postgres_pids(url)
            load0 = os.getloadavg()
            s0, p0, w0 = cpu_of(servers), cpu_of(backends), time.monotonic()
            time.sleep(idle)
            s1, p1, w1 = cpu_of(servers), cpu_of(backends), time.monotonic()
            me0 = time.process_time()
            r0 = time.monotonic()
            fanout.run_rounds(rounds)
            r1 = time.monotonic()
            s2, p2 = cpu_of(servers), cpu_of(backends)  # backends open since the idle phase
            me1 = time.process_time()
            load1 = os.getloadavg()
        finally:
            fanout.close()
        pairs = fanout.cross_process()
        seen = [s for _, _, s in pairs if s is not None]
        return {
            "mode": mode,
            "devices": len(fanout.devices),
            "per_process": {pid: sum(1 for d in fanout.devices if d.pid == pid)
                            for pid in fanout.pids},
            "rounds": len(fanout.rounds),
            "writers": len({r.writer_pid for r in fanout.rounds}),
            "pairs": len(pairs),
            "missing": len(pairs) - len(seen),
            "push": [r.answered for r in fanout.rounds],
            "poke": [s[0] for s in seen],
            "pull": [s[1] for s in seen],
            "idle_seconds": w1 - w0,
            "idle_server_cpu": s1 - s0,
            "idle_pg_cpu": p1 - p0,
            "round_seconds": r1 - r0,
            "round_server_cpu": s2 - s1,
            "round_pg_cpu": p2 - p1,
            "bench_cpu": me1 - me0,
            "load": (load0, load1),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--per-worker", type=int, default=3)
    parser.add_argument("--idle", type=float, default=20.0)
    parser.add_argument("--modes", default="notify,polling")
    parser.add_argument("--database-url",
                        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server; a scratch database is created on it")
    args = parser.parse_args()
    results = [run_mode(m, args.database_url, args.rounds, args.per_worker, args.idle)
               for m in args.modes.split(",")]
    print("| mode | devices (per process) | rounds | device×round pairs on other processes "
          "| push answered p50 / p95 | poke p50 / p95 / max | pull p50 / p95 / max | missing |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        push, poke, pull = r["push"], r["poke"], r["pull"]
        per = "/".join(str(n) for n in r["per_process"].values())
        print(f"| {r['mode']} | {r['devices']} ({per}) | {r['rounds']} (through {r['writers']} "
              f"processes) | {r['pairs']} | {statistics.median(push) * 1000:.0f} / "
              f"{pct(push, 0.95) * 1000:.0f} ms | {statistics.median(poke) * 1000:.0f} / "
              f"{pct(poke, 0.95) * 1000:.0f} / {max(poke) * 1000:.0f} ms | "
              f"{statistics.median(pull) * 1000:.0f} / {pct(pull, 0.95) * 1000:.0f} / "
              f"{max(pull) * 1000:.0f} ms | {r['missing']} |")
    print()
    print("| mode | idle: server CPU / PostgreSQL CPU per minute | rounds: server CPU / "
          "PostgreSQL CPU per round | bench CPU | load average (1 min) before → after |")
    print("|---|---|---|---|---|")
    for r in results:
        per_min = 60.0 / r["idle_seconds"]
        rounds = max(r["rounds"], 1)
        print(f"| {r['mode']} | {r['idle_server_cpu'] * per_min:.2f} s / "
              f"{r['idle_pg_cpu'] * per_min:.2f} s | "
              f"{r['round_server_cpu'] / rounds * 1000:.0f} ms / "
              f"{r['round_pg_cpu'] / rounds * 1000:.0f} ms | {r['bench_cpu']:.1f} s | "
              f"{r['load'][0][0]:.2f} → {r['load'][1][0]:.2f} |")
    return 0 if all(r["missing"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
