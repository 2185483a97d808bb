"""Pokes per device per second: every device whose keys meet a change vs targeted pokes.

Usage::

    .venv/bin/python bench/bench_pokes.py [--devices 1000] [--writes 20] [--seconds 10] [--database-url URL]

Builds a generated province (``generate_province``: bodies, cities, people with posts) in
a temp SQLite database (or a scratch database on the server of ``--database-url``), takes ``--devices`` people as connected
devices with their real audience keys (``scope_keys``), and runs the real push hub
(``PushHub``, polling every 0.3 s) against a write load of ``--writes`` changes per
second for ``--seconds``: half are work items addressed to a body and one person (as
documents and to-dos are), half are phone-number edits of random people published by
the directory's own ``publish_people`` (audience: the person's region, the public
skeleton for leaders and registries, the person).

Runs twice on the same workload: **before** (coalescing 0 s, directory keys urgent — the
hub as it was: every device whose keys meet a change is poked at once) and **after**
(the settings' defaults: 1 s coalescing, directory region keys quiet for 30 s). Prints
pokes per device per second (mean and the busiest device) and how many pokes were
delivered in all. No HTTP: the hub's listeners are read directly.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_push_latency import scratch_database  # noqa: E402


def _setup(url: str, devices: int) -> tuple[Any, list[tuple[str, frozenset[str]]], list[str], list[str]]:
    from sqlalchemy import select

    from modules.directory.demo import generate_province
    from modules.directory.importer import plan_from_rows
    from server.app import create_app
    from server.auth.principal import load_principal
    from server.config import Settings
    from server.db import session_scope
    from server.directory import storage
    from server.directory.models import Post
    from server.scopes import scope_keys

    tmp = Path(tempfile.mkdtemp(prefix="office-pokes-"))
    app = create_app(Settings(data_dir=tmp / "server", database_url=url,
                              secret_key="bench-secret-key-0123456789-abcdefghij"))
    province = generate_province(max(200, devices // 3), max(devices * 3, 1000), seed=11)
    with session_scope(app.state.sessions) as s:
        storage.apply_import(s, plan_from_rows(province.bodies, province.people, province.posts))
    with session_scope(app.state.sessions) as s:
        people = sorted(set(s.scalars(select(Post.person_id))))
        bodies = sorted(set(s.scalars(select(Post.body_id))))
    rng = random.Random(5)
    chosen = rng.sample(people, min(devices, len(people)))
    subs = []
    with session_scope(app.state.sessions) as s:
        for pid in chosen:
            subs.append((pid, scope_keys(s, load_principal(s, pid))))
    return app, subs, people, bodies


async def _run(app: Any, subs: list[tuple[str, frozenset[str]]], people: list[str],
               bodies: list[str], writes: float, seconds: float, before: bool) -> dict[str, float]:
    from server.changefeed import record_change
    from server.db import session_scope
    from server.directory import storage
    from server.directory.models import Person
    from server.sync import pokes
    from server.sync.hub import PushHub

    quiet_prefixes = pokes.QUIET_PREFIXES
    quiet_keys = pokes.QUIET_KEYS
    if before:  # the hub as it was: no quiet keys, no coalescing
        pokes.QUIET_PREFIXES = ()
        pokes.QUIET_KEYS = frozenset()
    hub = PushHub(app.state.sessions, 0.3, coalesce_seconds=0.0 if before else 1.0,
                  quiet_seconds=30.0)
    listeners = [hub.subscribe(pid, pid, keys) for pid, keys in subs]
    rng = random.Random(9)

    def write_one(n: int) -> None:
        with session_scope(app.state.sessions) as s:
            if n % 2:
                pid = rng.choice(people)
                person = s.get(Person, pid)
                assert person is not None
                person.phone = f"139{rng.randrange(10**8):08d}"
                s.flush()
                storage.publish_people(s, [pid])
            else:
                record_change(s, "bench.item", f"i{n}", {"n": n},
                              {f"body:{rng.choice(bodies)}", f"user:{rng.choice(people)}"})

    loop = asyncio.get_running_loop()
    await asyncio.sleep(0.5)
    start = time.monotonic()
    n = 0
    try:
        while time.monotonic() - start < seconds:
            await loop.run_in_executor(None, write_one, n)
            n += 1
            await asyncio.sleep(max(0.0, start + n / writes - time.monotonic()))
        await asyncio.sleep(1.0)  # the last tick and coalesced pokes
        took = time.monotonic() - start
        counts = [lst.pokes for lst in listeners]
        pending = sum(1 for lst in listeners if lst.due is not None)
    finally:
        await hub.close()
        pokes.QUIET_PREFIXES = quiet_prefixes
        pokes.QUIET_KEYS = quiet_keys
    return {
        "writes": float(n),
        "pending_at_end": float(pending),
        "pokes": float(sum(counts)),
        "per_device_per_s": sum(counts) / len(counts) / took,
        "busiest_per_s": max(counts) / took,
        "devices_poked_per_write": sum(counts) / max(n, 1),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--writes", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    with scratch_database(args.database_url) as scratch:
        url = scratch or f"sqlite:///{tempfile.mkdtemp(prefix='office-pokes-db-')}/o.db"
        return _bench(args, url)


def _bench(args: argparse.Namespace, url: str) -> dict[str, Any]:
    app, subs, people, bodies = _setup(url, args.devices)
    print(f"{len(subs)} devices, {len(people)} people, {len(bodies)} bodies; "
          f"{args.writes:g} writes/s for {args.seconds:g} s")
    out = {}
    for label, before in (("before", True), ("after", False)):
        f = asyncio.run(_run(app, subs, people, bodies, args.writes, args.seconds, before))
        out[label] = f
        print(f"{label:6s} {int(f['writes'])} writes, {int(f['pokes'])} pokes: "
              f"{f['per_device_per_s']:.3f} pokes/device/s (busiest {f['busiest_per_s']:.2f}), "
              f"{f['devices_poked_per_write']:.1f} devices poked per write; "
              f"{int(f['pending_at_end'])} quiet pokes still pending at the end")
    app.state.engine.dispose()
    return out


if __name__ == "__main__":
    main()
