"""Load: N simulated devices against two server processes on PostgreSQL.

Usage::

    .venv/bin/python bench/bench_load.py --devices 300 --seconds 60
    .venv/bin/python bench/bench_load.py --sweep 100,300,1000 --seconds 60

For each run: drops and recreates the database ``--database`` (default ``bench_load``) on
the PostgreSQL server of ``--admin-url``, starts the real server (``main.py server
--workers 2``, which migrates it) in a process group of its own, imports a generated
province through the directory's own import (``storage.apply_import``: bodies, people,
posts, one account per person who has a device; 1–2 devices per person), then runs the
devices in ``--clients`` processes (asyncio, one HTTP client per device with connections
of its own, as each real device has: ``bench/rawhttp.py``, a small HTTP/1.1 client — httpx
cost the generator ~1.7 ms of CPU per request, taken from the server on this machine). Every device behaves as ``sync/engine.py``:

* signs in once (``/auth/login``; a 401 later refreshes the token), pulls everything;
* keeps ``/sync/events`` open (read timeout 45 s); on (re)connect it pushes and pulls; on
  a ``poke`` it pulls after the poke's ``jitter`` (≤ 1 s, one delayed pull at a time);
  reconnects with the engine's backoff;
* pulls periodically, every ``--pull-every`` seconds (±20 %), and retries failures with
  the engine's backoff; one sync cycle at a time per device (push, then pull);
* now and then (exponential, mean ``--push-every`` s per device) submits an intent:
  ``directory.update_contact`` (a new mobile number of one's own) or, with probability
  ``--draft-share``, ``documents.create_draft`` in one's organ. Every push must be
  ``applied``; anything else counts as an error.

Measured over ``--seconds`` after the devices are set up (then ``--drain`` seconds in
which late deliveries still count): latency of each pull and push request; the
push-to-other-device latency (from the pusher's push answer — the commit is done by then —
to another device's pull answer holding the change), for the devices the change is
addressed to directly (same person, colleagues of the body, the organ's registry and
leaders: they are poked at once) and for every device that pulled it (region-wide
directory changes are quiet: those devices get it with the periodic pull); errors by
kind; pokes per device per second; CPU of the server processes, of PostgreSQL (the
backends of this database, and all postgres processes), of the bench's own device
processes and of the whole machine; the load average. Ctrl-C or an error stops the
server's process group; the database is left for inspection until the next run.
Figures: docs/PERFORMANCE.md, "Scale (issue 11) — load".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import importlib
import json
import math
import multiprocessing as mp
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import rawhttp  # noqa: E402
from sync.encoded import LINES_MEDIA_TYPE, read_lines_page  # noqa: E402

PASSWORD = "Bench-load-2026"
API = "/api/v1"
#: The engine's ceiling on a poke's jitter hint (sync/engine.py MAX_POKE_JITTER).
MAX_POKE_JITTER = 1.0
BACKOFF_MIN, BACKOFF_MAX = 1.0, 300.0
SSE_READ_TIMEOUT = 45.0


class BenchError(Exception):
    """The bench cannot go on (said in words, no traceback)."""


def _psutil() -> Any:
    try:
        return importlib.import_module("psutil")
    except ImportError:
        raise BenchError("psutil is needed for the CPU figures: .venv/bin/pip install psutil") from None


# ----------------------------------------------------------------------------- province


@dataclass
class Province:
    """What the parent knows of the people with devices (to classify deliveries)."""

    logins: list[str]  # per device
    refresh_tokens: list[str]  # per device, issued as at an earlier sign-in
    device_person: list[str]  # per device
    keys: dict[str, frozenset[str]]  # person -> approximate audience keys
    contact_audience: dict[str, frozenset[str]]  # person -> urgent keys of a phone change
    draft_audience: dict[str, frozenset[str]]  # person -> audience of a draft they start
    people: int
    bodies: int
    regions: int


def build_province(url: str, data_dir: Path, devices: int, n_bodies: int, n_people: int,
                   seed: int, issue_tokens: bool) -> Province:
    """Import a generated province into ``url``; choose the people who get devices.

    People are taken body by body (a body's staff all use the client), a quarter of
    them with two devices, until there are ``devices`` devices.
    """
    from dataclasses import replace

    from sqlalchemy import text

    from modules.directory.demo import generate_province
    from modules.directory.importer import plan_from_rows
    from server.app import create_app
    from server.auth import devices as device_rows
    from server.auth import service
    from server.auth.models import Account
    from server.config import Settings
    from server.db import session_scope
    from server.directory import storage

    rng = random.Random(seed)
    prov = generate_province(n_bodies, max(n_people, devices * 2), seed=seed)
    body_by_id = {b.id: b for b in prov.bodies}
    posts_by: dict[str, list[Any]] = defaultdict(list)
    for post in prov.posts:
        posts_by[post.person_id].append(post)
    staff: dict[str, list[str]] = defaultdict(list)
    for post in prov.posts:
        if post.is_primary:
            staff[post.body_id].append(post.person_id)
    order = list(staff)
    rng.shuffle(order)
    device_person: list[str] = []
    chosen: list[str] = []
    for body_id in order:
        for pid in staff[body_id]:
            if len(device_person) >= devices:
                break
            chosen.append(pid)
            device_person.append(pid)
            if rng.random() < 0.25 and len(device_person) < devices:
                device_person.append(pid)
        if len(device_person) >= devices:
            break
    if len(device_person) < devices:
        raise BenchError(f"the province has too few people for {devices} devices")
    login_of = {pid: f"load{n}" for n, pid in enumerate(chosen)}
    people = [replace(p, login=login_of.get(p.id)) for p in prov.people]

    # Bodies get their regions computed by the plan.
    plan = plan_from_rows(prov.bodies, people, prov.posts)
    if plan.errors:
        raise BenchError(f"generated province has import errors: {plan.errors[:3]}")
    region = {b.id: b.region_id for b in plan.bodies}
    settings = Settings(data_dir=data_dir, database_url=url)
    app = create_app(settings, migrate=False)
    tokens: list[str] = []
    try:
        started = time.perf_counter()
        with session_scope(app.state.sessions) as s:
            counts = storage.apply_import(s, plan, default_password=PASSWORD)
        with app.state.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        print(f"  imported {counts['bodies']} bodies, {counts['people']} people, "
              f"{counts['accounts']} accounts in {time.perf_counter() - started:.1f} s",
              flush=True)
        if issue_tokens:
            # The state of devices that signed in before: a refresh token each (kept in
            # the keyring by the real client), exchanged for an access token at start.
            with session_scope(app.state.sessions) as s:
                for i, pid in enumerate(device_person):
                    account = s.get(Account, pid)
                    assert account is not None
                    # A device row each, as a real client's sign-in registers it: its
                    # tokens carry the device, whose revocation every request checks.
                    device = device_rows.register(s, pid, device_rows.DeviceInfo(
                        f"bench-{i}", f"bench-{i}", "bench", ""), "127.0.0.1")
                    tokens.append(service._issue(s, settings, account, os.urandom(16).hex(),
                                                 f"bench-{i}", device_id=device.id).refresh_token)
    finally:
        app.state.engine.dispose()

    def organ_of(body_id: str) -> str:
        body = body_by_id[body_id]
        while body.kind == "department" and body.parent_id:
            body = body_by_id[body.parent_id]
        return body.id

    keys: dict[str, frozenset[str]] = {}
    contact: dict[str, frozenset[str]] = {}
    draft: dict[str, frozenset[str]] = {}
    for pid in chosen:
        posts = sorted(posts_by[pid], key=lambda p: (not p.is_primary, p.sort_order))
        k = {f"user:{pid}", "all"}
        for post in posts:
            k.add(f"body:{post.body_id}")
            k.update(f"body:{post.body_id}:role:{r}" for r in post.roles)
            k.add(f"dir:{region[post.body_id]}")
        keys[pid] = frozenset(k)
        contact[pid] = frozenset({f"user:{pid}"} | {f"body:{p.body_id}" for p in posts})
        organ = organ_of(posts[0].body_id)
        draft[pid] = frozenset({f"user:{pid}", f"body:{organ}:role:registry_clerk",
                                f"body:{organ}:role:leader"})
    return Province(
        logins=[login_of[p] for p in device_person], refresh_tokens=tokens,
        device_person=device_person, keys=keys,
        contact_audience=contact, draft_audience=draft, people=len(prov.people),
        bodies=len(prov.bodies), regions=len(set(region.values())),
    )


# ----------------------------------------------------------------------------- devices


def backoff_delay(failures: int) -> float:
    """The engine's backoff: exponential from 1 s, capped at 300 s, jittered to 50–100 %."""
    ceiling = min(BACKOFF_MAX, BACKOFF_MIN * 2.0 ** max(0, failures - 1))
    return ceiling / 2 + random.random() * ceiling / 2


@dataclass
class Recorder:
    """What one device process measured (shipped to the parent at the end)."""

    start: float = 0.0
    end: float = 0.0
    drain_end: float = 0.0
    pull: list[float] = field(default_factory=list)
    push: list[float] = field(default_factory=list)
    login: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    setup_errors: Counter[str] = field(default_factory=Counter)
    pokes: int = 0
    reconnects: int = 0
    last_pull: dict[int, float] = field(default_factory=dict)
    #: (device, kind, sent) of every push attempt, answered or not (the server may have
    #: applied one whose answer was lost: it supersedes an earlier phone number)
    attempts: list[tuple[str, int, str, float]] = field(default_factory=list)
    #: (error, seconds the device's connection pool had been idle when it was sent)
    idle_at_error: list[tuple[str, float]] = field(default_factory=list)
    #: (marker, device, kind, sent, answered)
    pushes: list[tuple[str, int, str, float, float]] = field(default_factory=list)
    #: (marker, device, time, trigger)
    deliveries: list[tuple[str, int, float, str]] = field(default_factory=list)

    def in_window(self, t: float) -> bool:
        return self.start <= t < self.end

    def error(self, what: str, t: float) -> None:
        if self.in_window(t) or (self.end <= t < self.drain_end):
            self.errors[what] += 1
        elif t < self.start:
            self.setup_errors[what] += 1


class RequestFailed(Exception):
    """One request failed (already counted); the cycle retries with backoff."""


class Device:
    """One simulated client: the engine's worker, push channel, periodic pull, pushes."""

    def __init__(self, index: int, login: str, base: str, rec: Recorder, proc: int,
                 opts: dict[str, Any]) -> None:
        self.index = index
        self.login = login
        self.rec = rec
        self.proc = proc
        self.opts = opts
        self.client = rawhttp.Client(base + API, timeout=20.0, connect_timeout=5.0,
                                     headers={"Accept-Language": "zh-CN"})
        self.access = ""
        self.refresh = ""
        self.cursor: str | None = None
        self.want: set[str] = set()
        self.reasons: set[str] = set()
        self.wake = asyncio.Event()
        self.outbox: list[dict[str, Any]] = []
        self.failures = 0
        self.poke_timer: asyncio.TimerHandle | None = None
        self.retry_timer: asyncio.TimerHandle | None = None
        self.stream_open = False
        self.last_stream_byte = 0.0
        self.seq = 0
        self.last_done = time.time()  # end of the last request (not the stream)
        self.tasks: list[asyncio.Task[None]] = []

    # -- requests ------------------------------------------------------------------

    async def _send(self, what: str, method: str, path: str, **kw: Any) -> rawhttp.Response:
        """One request with the engine's single refresh on 401; failures counted."""
        extra = kw.pop("headers", None) or {}
        for attempt in (0, 1):
            headers = {**extra, "Authorization": f"Bearer {self.access}"}
            t = time.time()
            try:
                resp = await self.client.request(method, path, headers=headers, **kw)
            except rawhttp.TransportError as exc:
                self.rec.error(f"{what} {type(exc).__name__}", t)
                self.rec.idle_at_error.append((f"{what} {type(exc).__name__}", t - self.last_done))
                self.last_done = time.time()
                raise RequestFailed from exc
            self.last_done = time.time()
            if resp.status_code == 401 and attempt == 0:
                await self._refresh()
                continue
            if resp.status_code >= 400:
                self.rec.error(f"{what} HTTP {resp.status_code}", t)
                raise RequestFailed(resp.status_code)
            return resp
        raise AssertionError("unreachable")

    async def sign_in(self, refresh_token: str) -> None:
        t0 = time.perf_counter()
        if refresh_token:
            self.refresh = refresh_token
            for _ in range(5):
                try:
                    await self._refresh()
                    break
                except RequestFailed:
                    await asyncio.sleep(1.0)
            else:
                raise BenchError(f"token refresh of {self.login} kept failing")
            self.rec.login.append(time.perf_counter() - t0)
            return
        try:
            resp = await self.client.request("POST", "/auth/login", json_body={
                "account": self.login, "password": PASSWORD, "device": f"bench-{self.index}"},
                timeout=120.0)
        except rawhttp.TransportError as exc:
            raise BenchError(f"login of {self.login} failed: {type(exc).__name__}") from exc
        if resp.status_code != 200:
            raise BenchError(f"login of {self.login}: HTTP {resp.status_code} {resp.text[:200]}")
        self.rec.login.append(time.perf_counter() - t0)
        body = resp.json()
        self.access, self.refresh = body["access_token"], body["refresh_token"]

    async def _refresh(self) -> None:
        t = time.time()
        try:
            resp = await self.client.request("POST", "/auth/refresh",
                                             json_body={"refresh_token": self.refresh})
        except rawhttp.TransportError as exc:
            self.rec.error(f"refresh {type(exc).__name__}", t)
            raise RequestFailed from exc
        if resp.status_code != 200:
            self.rec.error(f"refresh HTTP {resp.status_code}", t)
            raise RequestFailed(resp.status_code)
        body = resp.json()
        self.access, self.refresh = body["access_token"], body["refresh_token"]

    # -- the sync worker ---------------------------------------------------------------

    def request(self, *what: str, reason: str = "") -> None:
        self.want.update(what)
        if reason:
            self.reasons.add(reason)
        self.wake.set()

    async def worker(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            want, self.want = self.want, set()
            reasons, self.reasons = self.reasons, set()
            try:
                applied = await self.push_all() if "push" in want else 0
                if "pull" in want or applied:
                    trigger = "poke" if "poke" in reasons else ("push" if applied else "periodic")
                    await self.pull_all(trigger)
            except RequestFailed:
                self.failures += 1
                if self.retry_timer is not None:
                    self.retry_timer.cancel()
                self.retry_timer = asyncio.get_running_loop().call_later(
                    backoff_delay(self.failures), self.request, "push", "pull")
            else:
                self.failures = 0

    async def pull_all(self, trigger: str = "setup") -> None:
        while True:
            params: dict[str, Any] = {"limit": 500, "form": self.opts["form"]}
            if self.cursor:
                params["cursor"] = self.cursor
            t, t0 = time.time(), time.perf_counter()
            try:
                resp = await self._send("pull", "GET", "/sync/pull", params=params)
            except RequestFailed as exc:
                if exc.args and exc.args[0] in (400, 410) and self.cursor:
                    self.cursor = None  # resync from scratch, as the engine does
                raise
            if resp.headers.get("content-type", "").startswith(LINES_MEDIA_TYPE):
                page = read_lines_page(resp.content)  # as the engine reads it
                changes = [{"entity": entity, "id": rid, "text": text}
                           for _, entity, rid, text in page["rows"]]
            else:
                page = resp.json()
                changes = page["changes"]
            took = time.perf_counter() - t0
            now = time.time()
            if self.rec.in_window(t):
                self.rec.pull.append(took)
            if self.rec.start <= now < self.rec.drain_end:
                self._note_deliveries(changes, now, trigger)
            self.cursor = page.get("cursor")
            if now < self.rec.drain_end:  # its deliveries were noted
                self.rec.last_pull[self.index] = t  # when it was sent
            if not page.get("has_more"):
                return

    def _note_deliveries(self, changes: list[dict[str, Any]], now: float, trigger: str) -> None:
        for ch in changes:
            entity = ch.get("entity")
            if entity == "directory.person":
                text = ch.get("text")
                if text is not None:  # a page in lines: decode only what may be ours
                    data = json.loads(text) if '"15' in text else {}
                else:
                    data = ch.get("data") or {}
                phone = str(data.get("phone") or "")
                if phone.startswith("15"):  # the bench's own numbers
                    self.rec.deliveries.append((phone, self.index, now, trigger))
            elif entity == "documents.document" and str(ch.get("id", "")).startswith("d-load-"):
                self.rec.deliveries.append((str(ch["id"]), self.index, now, trigger))

    async def push_all(self) -> int:
        applied = 0
        while self.outbox and time.time() < self.rec.drain_end:
            batch = self.outbox[:100]
            t, t0 = time.time(), time.perf_counter()
            self.rec.attempts.extend((m["_marker"], self.index, m["name"], t) for m in batch)
            wire = [{"id": m["id"], "name": m["name"], "args": m["args"]} for m in batch]
            content = json.dumps({"mutations": wire}, ensure_ascii=True).encode("ascii")
            resp = await self._send("push", "POST", "/sync/push", content=content,
                                    headers={"Content-Type": "application/json"})
            answered = time.time()
            took = time.perf_counter() - t0
            if self.rec.in_window(t):
                self.rec.push.append(took)
            results = {r.get("id"): r for r in resp.json().get("results", [])}
            for m in batch:
                r = results.get(m["id"]) or {}
                if r.get("status") == "applied":
                    applied += 1
                    self.rec.pushes.append((m["_marker"], self.index, m["name"], t, answered))
                else:
                    code = (r.get("error") or {}).get("code", "no result")
                    self.rec.error(f"push {r.get('status', 'unanswered')} {code}", t)
            del self.outbox[:len(batch)]
        return applied

    # -- triggers ------------------------------------------------------------------

    async def periodic(self, every: float) -> None:
        await asyncio.sleep(random.uniform(0, every))
        while True:
            self.request("push", "pull", reason="periodic")
            await asyncio.sleep(every * random.uniform(0.8, 1.2))

    async def pusher(self, mean_every: float, draft_share: float, until: float) -> None:
        while True:
            await asyncio.sleep(random.expovariate(1.0 / mean_every))
            if time.time() >= until:
                return
            self.seq += 1
            n = self.index % 10**5 * 10**4 + self.seq % 10**4  # unique per (device, intent)
            if random.random() < draft_share:
                doc_id = f"d-load-{self.proc}-{self.index}-{self.seq}"
                self.outbox.append({
                    "id": f"m{os.urandom(8).hex()}", "name": "documents.create_draft",
                    "args": {"document_id": doc_id,
                             "spec": {"doc_type": "通知", "title": f"关于第{self.seq}次演练的通知"}},
                    "_marker": doc_id})
            else:
                phone = f"15{n % 10**9:09d}"
                self.outbox.append({
                    "id": f"m{os.urandom(8).hex()}", "name": "directory.update_contact",
                    "args": {"phone": phone}, "_marker": phone})
            self.request("push")

    async def listen(self) -> None:
        failures = 0
        while True:
            delay = 1.0
            t = time.time()
            try:
                async with self.client.stream_lines(
                    "/sync/events", read_timeout=SSE_READ_TIMEOUT, connect_timeout=5.0,
                    headers={"Authorization": f"Bearer {self.access}",
                             "Accept": "text/event-stream"},
                ) as (resp, stream_lines):
                    if resp.status_code == 401:
                        await self._refresh()
                        continue
                    if resp.status_code >= 400:
                        self.rec.error(f"events HTTP {resp.status_code}", t)
                        raise RequestFailed(resp.status_code)
                    failures = 0
                    self.stream_open = True
                    self.last_stream_byte = time.time()
                    self.request("push", "pull", reason="open")
                    event = ""
                    async for line in stream_lines:
                        self.last_stream_byte = time.time()
                        if line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("data:") and event == "poke":
                            self._poked(line[5:].strip())
                        elif line == "":
                            event = ""
                # The server closed the stream (shutdown): reconnect after 1 s.
                self.rec.error("events closed by server", time.time())
            except rawhttp.TransportError as exc:
                self.rec.error(f"events {type(exc).__name__}", time.time())
                if not self.stream_open:
                    self.rec.idle_at_error.append((f"events {type(exc).__name__}",
                                                   t - self.last_done))
                failures += 1
                delay = backoff_delay(failures)
            except RequestFailed:
                failures += 1
                delay = backoff_delay(failures)
            finally:
                self.stream_open = False
            if self.rec.in_window(time.time()):
                self.rec.reconnects += 1
            await asyncio.sleep(delay)

    def _poked(self, data: str) -> None:
        if self.rec.in_window(time.time()):
            self.rec.pokes += 1
        try:
            jitter = float(json.loads(data).get("jitter", 0))
        except (ValueError, AttributeError, TypeError):
            jitter = 0.0
        delay = min(max(jitter, 0.0), MAX_POKE_JITTER)
        if delay <= 0:
            self.request("pull", reason="poke")
            return
        if self.poke_timer is not None and self.poke_timer.when() > asyncio.get_running_loop().time():
            return  # one delayed pull at a time
        self.poke_timer = asyncio.get_running_loop().call_later(
            delay, lambda: self.request("pull", reason="poke"))

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for timer in (self.poke_timer, self.retry_timer):
            if timer is not None:
                timer.cancel()
        await self.client.aclose()


async def _probe_lag(rec: Recorder, lags: list[float]) -> None:
    """How late this process's event loop runs a 0.1 s timer (the generator's own lag)."""
    loop = asyncio.get_running_loop()
    while True:
        t = loop.time()
        await asyncio.sleep(0.1)
        if rec.in_window(time.time()):
            lags.append(loop.time() - t - 0.1)


async def _run_devices(proc: int, base: str, devices: list[tuple[int, str, str]],
                       opts: dict[str, Any],
                       ready: Any, go: Any, start_at: Any, results: Any) -> None:
    rec = Recorder(start=float("inf"), end=float("inf"), drain_end=float("inf"))
    sim = [Device(i, login, base, rec, proc, opts) for i, login, _ in devices]
    refresh_of = {i: token for i, _, token in devices}
    logins = asyncio.Semaphore(opts["login_concurrency"])
    syncs = asyncio.Semaphore(8)

    async def setup(d: Device) -> None:
        async with logins:
            await d.sign_in(refresh_of[d.index])
        async with syncs:
            for _ in range(5):
                try:
                    await d.pull_all()
                    break
                except RequestFailed:
                    await asyncio.sleep(1.0)
            else:
                raise BenchError(f"initial pull of {d.login} kept failing")

    cpu0 = time.process_time()
    await asyncio.gather(*(setup(d) for d in sim))
    for d in sim:
        d.tasks.append(asyncio.create_task(d.worker()))
        d.tasks.append(asyncio.create_task(d.listen()))
    # Wait until every stream is open, then tell the parent.
    deadline = time.monotonic() + 120
    while not all(d.stream_open for d in sim) and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    open_streams = sum(d.stream_open for d in sim)
    ready.put(("ready", proc, open_streams, len(sim)))
    while not go.is_set():
        await asyncio.sleep(0.05)
    rec.start = start_at.value
    rec.end = rec.start + opts["seconds"]
    rec.drain_end = rec.end + opts["drain"]
    await asyncio.sleep(max(0.0, rec.start - time.time()))
    # The figures gathered (deliveries, attempts: ~10^5 tuples a run) would make the
    # collector walk an ever larger heap, pausing this loop for 100 ms and more — time a
    # device's request would be charged with. Nothing here makes reference cycles.
    gc.collect()
    gc.freeze()
    gc.disable()
    cpu_start = time.process_time()
    lags: list[float] = []
    probe = asyncio.create_task(_probe_lag(rec, lags))
    for d in sim:
        d.tasks.append(asyncio.create_task(d.periodic(opts["pull_every"])))
        d.tasks.append(asyncio.create_task(
            d.pusher(opts["push_every"], opts["draft_share"], rec.end)))
    await asyncio.sleep(max(0.0, rec.end - time.time()))
    cpu_window = time.process_time() - cpu_start
    streams_at_end = sum(d.stream_open for d in sim)
    silent = sum(1 for d in sim if d.stream_open and time.time() - d.last_stream_byte > 35.0)
    await asyncio.sleep(max(0.0, rec.drain_end - time.time()))
    probe.cancel()
    out = {
        "proc": proc, "devices": len(sim), "pull": rec.pull, "push": rec.push,
        "login": rec.login, "errors": dict(rec.errors), "setup_errors": dict(rec.setup_errors),
        "pokes": rec.pokes, "reconnects": rec.reconnects, "last_pull": rec.last_pull,
        "attempts": rec.attempts, "idle_at_error": rec.idle_at_error, "pushes": rec.pushes,
        "deliveries": rec.deliveries, "cpu_window": cpu_window,
        "cpu_total": time.process_time() - cpu0, "open_at_start": open_streams,
        "open_at_end": streams_at_end, "silent_streams": silent,
        "pending_outbox": sum(len(d.outbox) for d in sim), "window_end": rec.end,
        "loop_lag": quantiles(lags),
    }
    # Figures first: a starved process may take long to close 250 clients.
    results.put(("result", proc, out))
    for d in sim:
        await d.close()


def device_process(proc: int, base: str, devices: list[tuple[int, str, str]],
                   opts: dict[str, Any],
                   ready: Any, go: Any, start_at: Any, results: Any) -> None:
    """Entry point of one device process: runs its devices, puts its figures on ``results``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    random.seed(opts["seed"] * 1000 + proc)
    try:
        with contextlib.suppress(ImportError):
            uvloop = importlib.import_module("uvloop")
            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
        asyncio.run(_run_devices(proc, base, devices, opts, ready, go, start_at, results))
    except BaseException as exc:  # reported in words by the parent
        results.put(("failed", proc, f"{type(exc).__name__}: {exc}"))
        ready.put(("failed", proc, f"{type(exc).__name__}: {exc}", 0))


# ----------------------------------------------------------------------------- server


@contextlib.contextmanager
def fresh_database(admin_url: str, name: str) -> Iterator[str]:
    """Drop and create database ``name``; yields its URL (left in place afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    if not name.replace("_", "").isalnum():
        raise BenchError(f"database name {name!r}: letters, digits and _ only")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        raise BenchError(f"cannot recreate database {name} on {admin_url}: {exc}") from exc
    finally:
        admin.dispose()
    yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``main.py server --workers N`` in its own process group; stopped as a group."""

    def __init__(self, url: str, data_dir: Path, workers: int, env: dict[str, str],
                 extra: list[str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / "server.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, "main.py", "server", "--port", str(self.port), "--workers",
             str(workers), "--database-url", url, "--data-dir", str(data_dir), *extra],
            cwd=ROOT, env={**os.environ, "OFFICE_LOG_LEVEL": "WARNING", **env},
            stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"the server exited with {self.proc.returncode}; "
                                 f"its log: {self.log_path}\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base}{API}/health", timeout=2).status_code == 200:
                    return
            time.sleep(0.3)
        raise BenchError(f"the server did not answer in {timeout:.0f} s; log: {self.log_path}")

    def log_tail(self, lines: int = 15) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def pids(self) -> list[int]:
        psutil = _psutil()
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(self.proc.pid)
            return [root.pid] + [c.pid for c in root.children(recursive=True)]
        return []

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        # Workers are in the same group; make sure none is left.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self._log.close()


class CpuMonitor:
    """Samples CPU of groups of processes every second (pids come and go)."""

    def __init__(self, server: Server, admin_url: str, database: str) -> None:
        self.psutil = _psutil()
        self.server = server
        self.admin_url = admin_url
        self.database = database
        self.base: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.group: dict[int, str] = {}
        self.load_max = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._procs: dict[int, Any] = {}
        self.t0 = 0.0

    def _db_pids(self, conn: Any) -> set[int]:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s",
                            (self.database,)).fetchall()
        return {int(r[0]) for r in rows}

    def _sample(self, conn: Any) -> None:
        psutil = self.psutil
        groups: dict[int, str] = {pid: "server" for pid in self.server.pids()}
        db_pids = self._db_pids(conn)
        for p in psutil.process_iter(["name"]):
            if p.info["name"] in ("postgres", "postmaster") and p.pid not in groups:
                groups[p.pid] = "pg_db" if p.pid in db_pids else "pg_other"
        for pid, grp in groups.items():
            proc = self._procs.get(pid)
            try:
                if proc is None:
                    proc = self._procs[pid] = psutil.Process(pid)
                t = proc.cpu_times()
                cpu = t.user + t.system
                if pid not in self.base:
                    # A process born during the window counts from zero.
                    self.base[pid] = 0.0 if proc.create_time() >= self.t0 else cpu
                self.last[pid] = cpu
                if grp == "pg_db" or pid not in self.group:
                    self.group[pid] = grp
            except psutil.Error:
                self._procs.pop(pid, None)
        self.load_max = max(self.load_max, os.getloadavg()[0])

    def _run(self) -> None:
        import psycopg
        from sqlalchemy.engine import make_url

        u = make_url(self.admin_url)
        with psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432,
                             user=u.username or "postgres", password=u.password,
                             dbname=u.database or "postgres", autocommit=True) as conn:
            self.pg_pid = conn.info.backend_pid
            while not self._stop.is_set():
                self._sample(conn)
                self._stop.wait(1.0)
            self._sample(conn)

    def start(self) -> None:
        self.t0 = time.time()
        self.machine0 = self.psutil.cpu_times()
        self.load0 = os.getloadavg()
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join(10)
        m1 = self.psutil.cpu_times()
        busy = sum(getattr(m1, f) - getattr(self.machine0, f) for f in m1._fields
                   if f not in ("idle", "iowait", "steal", "guest", "guest_nice"))
        out: dict[str, float] = defaultdict(float)
        for pid, grp in self.group.items():
            if pid == getattr(self, "pg_pid", None):
                grp = "pg_other"  # the monitor's own backend
            out[grp] += self.last.get(pid, 0.0) - self.base.get(pid, 0.0)
        out["machine_busy"] = busy
        out["elapsed"] = time.time() - self.t0
        out["cores"] = float(self.psutil.cpu_count() or 1)
        out["load_start"] = self.load0[0]
        out["load_end"] = os.getloadavg()[0]
        out["load_max"] = self.load_max
        return dict(out)


# ----------------------------------------------------------------------------- one run


def quantiles(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max in ms (nearest rank), and the count."""
    if not samples:
        return {"n": 0, "p50": math.nan, "p95": math.nan, "p99": math.nan, "max": math.nan}
    s = sorted(samples)

    def rank(q: float) -> float:
        return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))] * 1000

    return {"n": len(s), "p50": rank(0.5), "p95": rank(0.95), "p99": rank(0.99), "max": s[-1] * 1000}


def run_once(args: argparse.Namespace, devices: int) -> dict[str, Any]:
    """One run at ``devices`` devices: fresh database, fresh server, figures."""
    print(f"== {devices} devices, {args.seconds:g} s (load average "
          f"{os.getloadavg()[0]:.2f}) ==", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="office-load-"))
    ctx = mp.get_context("spawn")
    procs: list[Any] = []
    server: Server | None = None
    with fresh_database(args.admin_url, args.database) as url:
        try:
            extra = ["--keep-alive", str(args.keep_alive)] if args.keep_alive else []
            server = Server(url, tmp / "server", args.workers,
                            {"OFFICE_LOG_LEVEL": args.server_log_level}, extra)
            server.wait_ready()
            province = build_province(url, tmp / "import", devices, args.bodies, args.people,
                                      args.seed, args.sign_in == "token")
            print(f"  province: {province.bodies} bodies, {province.people} people, "
                  f"{province.regions} regions; {len(set(province.device_person))} people "
                  f"with devices", flush=True)
            # One sign-in before the crowd: the first one creates the token key, and two
            # first sign-ins at once on a fresh database race to create it (an HTTP 500).
            first = httpx.post(f"{server.base}{API}/auth/login", timeout=60,
                               json={"account": province.logins[0], "password": PASSWORD})
            if first.status_code != 200:
                raise BenchError(f"first sign-in: HTTP {first.status_code} {first.text[:300]}")
            opts = {"seconds": args.seconds, "drain": args.drain, "pull_every": args.pull_every,
                    "push_every": args.push_every, "draft_share": args.draft_share,
                    "seed": args.seed, "login_concurrency": args.login_concurrency,
                    "form": args.form}
            ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
            start_at = ctx.Value("d", 0.0)
            n_clients = max(1, min(args.clients, devices, 10))
            share: list[list[tuple[int, str, str]]] = [[] for _ in range(n_clients)]
            for i, login in enumerate(province.logins):
                token = province.refresh_tokens[i] if province.refresh_tokens else ""
                share[i % n_clients].append((i, login, token))
            setup_t0 = time.perf_counter()
            for proc_no, devs in enumerate(share):
                p = ctx.Process(target=device_process, daemon=True,
                                args=(proc_no, server.base, devs, opts, ready, go, start_at,
                                      results))
                p.start()
                procs.append(p)
            open_streams = 0
            for _ in share:
                try:
                    msg = ready.get(timeout=args.setup_timeout)
                except queue.Empty:
                    raise BenchError(f"device processes not ready within {args.setup_timeout:g} s; "
                                     f"server log: {server.log_path}") from None
                if msg[0] == "failed":
                    raise BenchError(f"device process {msg[1]} failed during setup: {msg[2]}")
                open_streams += msg[2]
            setup_s = time.perf_counter() - setup_t0
            print(f"  set up in {setup_s:.1f} s (sign-in, first pull, streams: "
                  f"{open_streams}/{devices} open)", flush=True)
            time.sleep(args.settle)
            monitor = CpuMonitor(server, args.admin_url, args.database)
            start_at.value = time.time() + 0.5
            monitor.start()
            go.set()
            time.sleep(max(0.0, start_at.value + args.seconds - time.time()))
            cpu = monitor.stop()
            outs: list[dict[str, Any]] = []
            for _ in share:
                try:
                    kind, proc_no, payload = results.get(timeout=args.drain + 300)
                except queue.Empty:
                    raise BenchError("a device process did not report") from None
                if kind != "result":
                    raise BenchError(f"device process {proc_no} failed: {payload}")
                outs.append(payload)
            if server.proc.poll() is not None:
                raise BenchError(f"the server died during the run; log: {server.log_path}\n"
                                 f"{server.log_tail()}")
        finally:
            for p in procs:
                if p.is_alive():
                    p.terminate()
            for p in procs:
                p.join(10)
            if server is not None:
                server.stop()
    figures = summarise(args, devices, province, outs, cpu)
    figures["setup_s"] = setup_s
    figures["server_log"] = str(server.log_path) if server is not None else ""
    print_run(figures)
    return figures


def summarise(args: argparse.Namespace, devices: int, province: Province,
              outs: list[dict[str, Any]], cpu: dict[str, float]) -> dict[str, Any]:
    pull = [x for o in outs for x in o["pull"]]
    push = [x for o in outs for x in o["push"]]
    errors: Counter[str] = Counter()
    setup_errors: Counter[str] = Counter()
    for o in outs:
        errors.update(o["errors"])
        setup_errors.update(o["setup_errors"])
    pushes = [p for o in outs for p in o["pushes"]]
    first: dict[tuple[str, int], tuple[float, str]] = {}
    for o in outs:
        for marker, dev, t, trigger in o["deliveries"]:
            if (marker, dev) not in first or t < first[(marker, dev)][0]:
                first[(marker, dev)] = (t, trigger)
    person = province.device_person
    devices_of: dict[str, list[int]] = defaultdict(list)
    for i, pid in enumerate(person):
        devices_of[pid].append(i)
    by_key: dict[str, set[int]] = defaultdict(set)
    for i, pid in enumerate(person):
        for k in province.keys[pid]:
            by_key[k].add(i)
    # Another phone number of the same person (from either device) sent later, or shortly
    # before and so perhaps committed later, may have replaced this one before a pull.
    contact_sent: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for marker, dev, kind, sent in (a for o in outs for a in o["attempts"]):
        if kind == "directory.update_contact":
            contact_sent[person[dev]].append((marker, sent))
    direct: list[float] = []
    anyone: list[float] = []
    missed = 0
    late = 0
    expected = 0
    missed_detail: list[tuple[str, str, int, float, int, float]] = []
    last_pull = {d: t for o in outs for d, t in o["last_pull"].items()}
    window_end = min((o["window_end"] for o in outs), default=0.0)
    by_trigger: Counter[str] = Counter()
    for marker, dev, kind, sent, answered in pushes:
        pid = person[dev]
        audience = (province.contact_audience[pid] if kind == "directory.update_contact"
                    else province.draft_audience[pid])
        targets: set[int] = set()
        for k in audience:
            targets |= by_key.get(k, set())
        targets.discard(dev)
        superseded = kind == "directory.update_contact" and any(
            other != marker and other_sent > sent - 30.0 for other, other_sent in contact_sent[pid])
        for other in targets:
            hit = first.get((marker, other))
            if hit is None:
                # Missed: a pull of the device sent after the answer succeeded and did not
                # bring it; else the device simply had no such pull by the end ("late").
                if not superseded and last_pull.get(other, 0.0) <= answered:
                    late += 1
                elif not superseded:
                    missed += 1
                    expected += 1
                    if len(missed_detail) < 20:
                        missed_detail.append((kind, marker, dev, round(window_end - answered, 1),
                                              other,
                                              round(window_end - last_pull.get(other, 0.0), 1)))
                continue
            expected += 1
            direct.append(max(0.0, hit[0] - answered))
            by_trigger[hit[1]] += 1
    answered_of = {p[0]: (p[1], p[4]) for p in pushes}
    for (marker, dev), (t, _trigger) in first.items():
        src = answered_of.get(marker)
        if src is not None and src[0] != dev:
            anyone.append(max(0.0, t - src[1]))
    window = args.seconds
    return {
        "devices": devices, "seconds": window, "clients": len(outs),
        "people_with_devices": len(devices_of), "regions": province.regions,
        "pull": quantiles(pull), "push": quantiles(push),
        "to_other_direct": quantiles(direct), "to_other_any": quantiles(anyone),
        "direct_expected": expected, "direct_missed": missed, "direct_late": late,
        "missed_detail": missed_detail,
        "idle_at_error": idle_buckets([v for o in outs for _k, v in o["idle_at_error"]]),
        "direct_by_trigger": dict(by_trigger),
        "pushes": len(pushes), "pulls_per_s": len(pull) / window,
        "login": quantiles([x for o in outs for x in o["login"]]),
        "errors": dict(errors), "setup_errors": dict(setup_errors),
        "pokes_per_device_s": sum(o["pokes"] for o in outs) / devices / window,
        "reconnects": sum(o["reconnects"] for o in outs),
        "open_at_end": sum(o["open_at_end"] for o in outs),
        "silent_streams": sum(o["silent_streams"] for o in outs),
        "pending_outbox": sum(o["pending_outbox"] for o in outs),
        "bench_cpu": sum(o["cpu_window"] for o in outs),
        "bench_lag_p99_ms": max(o["loop_lag"]["p99"] for o in outs),
        "bench_lag_max_ms": max(o["loop_lag"]["max"] for o in outs),
        "cpu": cpu,
    }


def idle_buckets(idle: list[float]) -> dict[str, int]:
    """How long the failing request's device had been idle: counts per bucket."""
    edges = [(0.5, "<0.5 s"), (1, "0.5-1 s"), (2, "1-2 s"), (3, "2-3 s"), (4, "3-4 s"),
             (5, "4-5 s"), (6, "5-6 s"), (float("inf"), ">6 s")]
    out: Counter[str] = Counter()
    for v in idle:
        out[next(label for edge, label in edges if v < edge)] += 1
    return dict(out)


def _q(q: dict[str, float]) -> str:
    if not q["n"]:
        return "—"
    return f"{q['p50']:.0f} / {q['p95']:.0f} / {q['p99']:.0f} / {q['max']:.0f}"


def print_run(f: dict[str, Any]) -> None:
    cpu = f["cpu"]
    s = cpu["elapsed"]
    print(f"  pulls {f['pull']['n']} ({f['pulls_per_s']:.0f}/s), pushes {f['pushes']} "
          f"({f['pushes'] / s:.1f}/s); ms p50 / p95 / p99 / max:")
    print(f"    pull                 {_q(f['pull'])}")
    print(f"    push                 {_q(f['push'])}")
    print(f"    push → other device, addressed (poked at once): {_q(f['to_other_direct'])} "
          f"(n {f['to_other_direct']['n']}, missed {f['direct_missed']} of "
          f"{f['direct_expected']}, not pulled again by the end {f['direct_late']}, by trigger "
          f"{f['direct_by_trigger']})")
    print(f"    push → any other device that pulled it: {_q(f['to_other_any'])} "
          f"(n {f['to_other_any']['n']})")
    if f["missed_detail"]:
        print("    missed (intent, marker, pushing device, answered s before the window's end, "
              f"device, its last pull sent s before the end): {f['missed_detail']}")
    print(f"  errors: {f['errors'] or 'none'}; during set-up: {f['setup_errors'] or 'none'}")
    if f["idle_at_error"]:
        print(f"    idle seconds of the device's connections when a request failed: "
              f"{f['idle_at_error']}")
    print(f"  pokes per device per second {f['pokes_per_device_s']:.3f}; streams open at end "
          f"{f['open_at_end']}/{f['devices']}, silent > 35 s {f['silent_streams']}, "
          f"reconnects {f['reconnects']}; intents left unsent {f['pending_outbox']}")
    print(f"  CPU over {s:g} s (s, % of one core): server {cpu.get('server', 0):.1f} "
          f"({cpu.get('server', 0) / s:.0%}), PostgreSQL this db {cpu.get('pg_db', 0):.1f} "
          f"({cpu.get('pg_db', 0) / s:.0%}), other postgres {cpu.get('pg_other', 0):.1f}, "
          f"bench devices {f['bench_cpu']:.1f} ({f['bench_cpu'] / s:.0%}), machine busy "
          f"{cpu['machine_busy']:.1f} of {cpu['cores'] * s:.0f}; load average {cpu['load_start']:.2f} → "
          f"{cpu['load_end']:.2f} (max {cpu['load_max']:.2f})")
    requests = f["pull"]["n"] + f["push"]["n"]
    if requests:
        print(f"  server CPU per request (pulls and pushes; streams, pokes and the hubs' ticks "
              f"included): {cpu.get('server', 0) / requests * 1000:.1f} ms")
    print(f"  device processes' event-loop lag: p99 {f['bench_lag_p99_ms']:.0f} ms, max "
          f"{f['bench_lag_max_ms']:.0f} ms (seconds here: the generator itself was starved)")
    print(f"  login p50 {f['login']['p50']:.0f} ms; set-up {f['setup_s']:.0f} s; "
          f"server log {f['server_log']}", flush=True)


def markdown(rows: list[dict[str, Any]]) -> str:
    head = ("| devices | pull p50 / p95 / p99 / max (ms) | push p50 / p95 / p99 / max | "
            "push → addressed device p50 / p95 / p99 / max | errors | pokes / device / s | "
            "server CPU (per request) | PostgreSQL CPU (this db) | bench CPU (loop lag p99) | machine busy | load avg |\n"
            "|---:|---|---|---|---|---:|---:|---:|---:|---:|---|\n")
    lines = []
    for f in rows:
        cpu = f["cpu"]
        s = cpu["elapsed"]
        errs = ", ".join(f"{k}: {v}" for k, v in sorted(f["errors"].items())) or "0"
        lines.append(
            f"| {f['devices']:,} | {_q(f['pull'])} | {_q(f['push'])} | "
            f"{_q(f['to_other_direct'])} (missed {f['direct_missed']}) | {errs} | "
            f"{f['pokes_per_device_s']:.3f} | {cpu.get('server', 0) / s:.0%} "
            f"({cpu.get('server', 0) / max(1, f['pull']['n'] + f['push']['n']) * 1000:.1f} ms) | "
            f"{cpu.get('pg_db', 0) / s:.0%} | {f['bench_cpu'] / s:.0%} ({f['bench_lag_p99_ms']:.0f} ms) | "
            f"{cpu['machine_busy'] / s:.0%} of {cpu['cores']:.0%} | {cpu['load_start']:.1f}–{cpu['load_max']:.1f} |")
    return head + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--sweep", default="", help="comma-separated device counts, e.g. 100,300,1000")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured window per run")
    parser.add_argument("--drain", type=float, default=8.0,
                        help="seconds after the window in which deliveries still count")
    parser.add_argument("--settle", type=float, default=5.0,
                        help="seconds between set-up and the window")
    parser.add_argument("--clients", type=int, default=4, help="device processes (≤ 10)")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--form", choices=("lines", "json"), default="lines",
                        help="the pull pages' form (lines: as sync/engine.py asks)")
    parser.add_argument("--server-log-level", default="WARNING",
                        help="the server's log level (INFO: an access-log line per request "
                        "with its duration, in the run's server.log)")
    parser.add_argument("--keep-alive", type=float, default=0.0,
                        help="the server's --keep-alive (default: the server's own); 5 was "
                        "the server's value before it became 30 s")
    parser.add_argument("--pull-every", type=float, default=5.0)
    parser.add_argument("--push-every", type=float, default=60.0,
                        help="mean seconds between one device's intents")
    parser.add_argument("--draft-share", type=float, default=0.2)
    parser.add_argument("--bodies", type=int, default=2000)
    parser.add_argument("--people", type=int, default=6000)
    parser.add_argument("--login-concurrency", type=int, default=2, help="per device process")
    parser.add_argument("--sign-in", choices=("token", "password"), default="token",
                        help="token: devices that signed in before (a refresh token each, "
                        "exchanged at start); password: /auth/login (argon2) per device")
    parser.add_argument("--setup-timeout", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="bench_load")
    parser.add_argument("--json", default="", help="write every run's figures to this file")
    args = parser.parse_args(argv)
    counts = [int(x) for x in args.sweep.split(",") if x.strip()] if args.sweep else [args.devices]

    def on_term(_sig: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    _psutil()
    rows: list[dict[str, Any]] = []
    try:
        for n in counts:
            rows.append(run_once(args, n))
    except BenchError as exc:
        print(f"bench_load: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench_load: interrupted; server stopped", file=sys.stderr)
        return 130
    finally:
        if args.json and rows:
            Path(args.json).write_text(json.dumps(rows, indent=1, default=str))
    print()
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
