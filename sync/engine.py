"""The client sync engine: outbox push, change-feed pull, push channel, status.

Threads (none of them is the GUI thread):

* **sync worker** — the only thread that pushes, pulls and moves blobs, so these never
  interleave. Work is requested with :meth:`SyncEngine.sync_now`, :meth:`request_pull`
  and :meth:`request_push` (non-blocking; requests coalesce). When it has nothing else
  to do after a pull it prefetches blobs (:meth:`SyncEngine.prefetch_now`), yielding to
  any request that comes in meanwhile.
* **scheduler** (APScheduler ``BackgroundScheduler``) — the periodic sync (60 s) and the
  retry timer (exponential backoff with jitter, 1 s … 5 min).
* **push-channel listener** — keeps ``/sync/events`` open; each ``poke`` requests a pull;
  reconnects with backoff.

:meth:`SyncEngine.submit` runs on the caller's thread (never the GUI thread: it writes
the database). Listeners registered with :meth:`add_listener` are called from engine
threads and from the submitting thread; they must be quick and must not call back into
the engine synchronously (the Qt shell re-emits them as signals).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import delete, func, or_, select, update

from modules.common import messages
from modules.common.errors import AuthenticationFailed, DomainError, Offline, ResyncRequired
from sync.api import ApiClient
from sync.blobs import prefetch_wanted
from sync.cache import (
    Key,
    LocalCache,
    iso,
    meta_get,
    meta_set,
    outbox,
    records,
    utcnow,
)
from sync.local import apply_server_changes, insert_first_page, rebase, submit_intent

if TYPE_CHECKING:
    from sync.blobs import BlobStore

log = logging.getLogger(__name__)

PUSH_BATCH = 100
BACKOFF_MIN = 1.0
BACKOFF_MAX = 300.0
#: Statuses of a refused push that say nothing about the intents: keep them, retry later.
RETRY_STATUSES = frozenset({401, 409, 410, 429})
#: Changes asked for per pull. A first sync is mostly pages: large ones cut the requests
#: (and the server's per-request work) tenfold; a page of 5,000 directory-sized records is
#: about 1.5 MB of JSON. An incremental pull gets only what changed, whatever the size.
PAGE_SIZE = 5000
#: The largest page servers before ``PAGE_SIZE`` accept.
OLD_MAX_PAGE = 1000

#: Longest wait before the pull a poke asks for (the server's jitter hint is capped).
MAX_POKE_JITTER = 1.0


@dataclass(frozen=True)
class RejectedItem:
    """An intent the server refused; its optimistic effect has been undone."""

    mutation_id: str
    name: str
    args: dict[str, Any]
    status: str  # "rejected" | "conflict"
    code: str
    message: str
    at: datetime
    #: The server's request id when the whole request was refused ("" otherwise).
    request_id: str = ""


@dataclass(frozen=True)
class SyncStatus:
    online: bool
    syncing: bool
    pending: int
    rejected: tuple[RejectedItem, ...]
    last_synced_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Changes:
    """What moved in the displayed state. ``full_reset``: a full resync replaced it."""

    entities: frozenset[str]
    ids: frozenset[tuple[str, str]]
    full_reset: bool = False

    @classmethod
    def of(cls, keys: set[Key], full_reset: bool = False) -> Changes:
        return cls(frozenset(map(itemgetter(0), keys)), frozenset(keys), full_reset)


def backoff_delay(failures: int, *, base: float = BACKOFF_MIN, cap: float = BACKOFF_MAX,
                  rng: random.Random | None = None) -> float:
    """Seconds to wait after ``failures`` consecutive failures (≥ 1): exponential, capped,
    with jitter in the upper half so clients do not retry in lockstep."""
    ceiling = min(cap, base * (2.0 ** max(0, failures - 1)))
    r = rng.random() if rng is not None else random.random()
    return ceiling / 2 + r * ceiling / 2


_paused = 0
_resume = True
_paused_lock = threading.Lock()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a pulled page is decoded and written: its
    thousands of new objects would otherwise set off full collections over every object
    of the process, several per page (about a third of a first sync's CPU). Reference
    counting frees the page as usual; collection resumes at the end."""
    global _paused, _resume
    with _paused_lock:
        _paused += 1
        if _paused == 1:
            _resume = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _paused_lock:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()


class _NextPage:
    """The pull page after ``cursor``, fetched on a thread of its own while the engine's
    thread stores the page before it: the server reads and sends page N + 1 while the
    client writes page N. A daemon thread — a close does not wait for its request; a
    page nobody takes is dropped."""

    def __init__(self, fetch: Callable[[str], dict[str, Any]], cursor: str) -> None:
        self.cursor = cursor
        self._done = threading.Event()
        self._page: dict[str, Any] | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._run, args=(fetch,), name="sync-next-page",
                         daemon=True).start()

    def _run(self, fetch: Callable[[str], dict[str, Any]]) -> None:
        try:
            with _collector_paused():
                self._page = fetch(self.cursor)
        except BaseException as exc:  # handed to the engine's thread by result()
            self._error = exc
        finally:
            self._done.set()

    def result(self) -> dict[str, Any]:
        """The page, or what fetching it raised (waits for the request; it has the API
        client's timeout)."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        assert self._page is not None
        return self._page


class SyncEngine:
    """Keeps one local cache in step with one server for one signed-in user."""

    def __init__(
        self,
        cache: LocalCache,
        api: ApiClient,
        *,
        principal: dict[str, Any],
        blobs: BlobStore | None = None,
        period_seconds: float = 60.0,
        listen: bool = True,
        page_size: int = PAGE_SIZE,
        backoff_base: float = BACKOFF_MIN,
        backoff_cap: float = BACKOFF_MAX,
    ) -> None:
        self.cache = cache
        self.api = api
        self.principal = dict(principal)
        self.blobs = blobs
        self.period_seconds = period_seconds
        self.listen = listen
        self.page_size = page_size
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap

        self._cond = threading.Condition()
        self._want: set[str] = set()
        self._busy = False
        self._stop = threading.Event()
        self._cycle_lock = threading.Lock()
        self._worker: threading.Thread | None = None
        self._listener: threading.Thread | None = None
        self._poke_timer: threading.Timer | None = None
        self._scheduler: BackgroundScheduler | None = None
        self._failures = 0
        self._online = False
        self._syncing = False
        self._last_error: str | None = None
        self._change_listeners: list[Callable[[Changes], None]] = []
        self._status_listeners: list[Callable[[SyncStatus], None]] = []
        self._listeners_lock = threading.Lock()
        self._status: SyncStatus | None = None
        self._status_lock = threading.Lock()
        #: A prefetch pass is owed (a pull finished, or the last pass yielded) / running.
        self._prefetch_due = False
        self._prefetching = False
        self._resume_inflight()
        if blobs is not None:
            blobs.on_queued = lambda: self._request("blobs")

    # -- lifecycle ------------------------------------------------------------------

    def _resume_inflight(self) -> None:
        """After a crash, inflight intents go back to pending (the server is idempotent)."""
        with self.cache.write() as s:
            s.execute(update(outbox).where(outbox.c.state == "inflight").values(state="pending"))

    def start(self) -> None:
        """Start the worker, the scheduler and the push-channel listener; sync at once."""
        if self._worker is not None:
            return
        self._stop.clear()
        self._worker = threading.Thread(target=self._work, name="sync-worker", daemon=True)
        self._worker.start()
        self._scheduler = BackgroundScheduler(timezone=UTC)
        self._scheduler.add_job(self.sync_now, "interval", seconds=self.period_seconds,
                                id="periodic", coalesce=True, max_instances=1)
        self._scheduler.start()
        if self.listen:
            self._listener = threading.Thread(target=self._listen, name="sync-events",
                                              daemon=True)
            self._listener.start()
        self.sync_now()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop all threads. Queued intents stay in the outbox for the next start."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        self.api.close_streams()
        with self._cond:
            timer, self._poke_timer = self._poke_timer, None
        if timer is not None:
            timer.cancel()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        for t in (self._worker, self._listener):
            if t is not None:
                t.join(timeout)
        self._worker = self._listener = None

    # -- requests -------------------------------------------------------------------

    def sync_now(self) -> None:
        """Ask for a push and a pull (non-blocking)."""
        self._request("push", "pull")

    def request_pull(self) -> None:
        self._request("pull")

    def request_push(self) -> None:
        self._request("push")

    def _request(self, *what: str) -> None:
        with self._cond:
            self._want.update(what)
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 30.0, *, prefetch: bool = False) -> bool:
        """Block until no sync work is requested or running (tests, shutdown); with
        ``prefetch`` (a started engine) also until no prefetch pass is owed or running."""
        deadline = datetime.now(UTC) + timedelta(seconds=timeout)
        with self._cond:
            while self._want or self._busy or (prefetch and self._worker is not None and (
                    self._prefetch_due or self._prefetching)):
                left = (deadline - datetime.now(UTC)).total_seconds()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def catch_up(self, timeout: float = 30.0) -> bool:
        """Push and pull now and wait for it (off the GUI thread). True when the cycle
        reached the server without error — call before a sensitive act (e.g. stamping a
        seal) so it is decided on current state. Works whether or not the engine is
        started."""
        if self._worker is None:
            self.run_cycle()
        else:
            self.sync_now()
            if not self.wait_idle(timeout):
                return False
        return self._online and self._last_error is None

    def _work(self) -> None:
        while not self._stop.is_set():
            with self._cond:
                while not self._want and not self._prefetch_due and not self._stop.is_set():
                    self._cond.wait()
                if self._stop.is_set():
                    return
                if not self._want:  # nothing else asked for: the low-priority prefetch
                    self._prefetch_due = False
                    self._prefetching = True
                    want: set[str] = set()
                else:
                    want, self._want = self._want, set()
                    self._busy = True
            try:
                if want:
                    self.run_cycle(want)
                else:
                    self.prefetch_now()
            finally:
                with self._cond:
                    self._busy = self._prefetching = False
                    self._cond.notify_all()

    # -- submit ---------------------------------------------------------------------

    def submit(self, name: str, args: dict[str, Any]) -> str:
        """Apply an intent optimistically and queue it; returns its mutation id.

        Raises the applier's DomainError (nothing stored) when the rules refuse it.
        Blocks on the local database: never call from the GUI thread.
        """
        with self.cache.write() as s:
            mutation_id, changed = submit_intent(
                s, name, args, now=utcnow(), principal=self.principal)
        if changed:
            self._emit_changes(Changes.of(changed))
        self._emit_status()
        self.request_push()
        return mutation_id

    def dismiss_rejected(self, mutation_id: str) -> None:
        """Remove a rejected intent from the rejected list (the user has seen it)."""
        with self.cache.write() as s:
            s.execute(delete(outbox).where(outbox.c.mutation_id == mutation_id,
                                           outbox.c.state == "rejected"))
        self._emit_status()

    # -- one cycle ------------------------------------------------------------------

    def run_cycle(self, want: set[str] | None = None) -> None:
        """Upload blobs, push, pull, download blobs — on the calling thread.

        Normally run by the worker; tests and tools may call it directly when the engine
        is not started. Errors end up in the status (never raised).
        """
        want = {"push", "pull"} if want is None else want
        with self._cycle_lock:
            self._syncing = True
            self._emit_status()
            try:
                if self.blobs is not None:
                    self.blobs.process_uploads(self.api, self._stop)
                applied = self._push() if "push" in want else 0
                if "pull" in want or applied:
                    self._pull()
                    self._prefetch_due = self.blobs is not None
                if self.blobs is not None:
                    self.blobs.process_downloads(self.api, self._stop)
            except Offline as exc:
                self._online = False
                self._fail(exc.message(self.api.lang))
            except AuthenticationFailed as exc:
                self._online = True
                self._last_error = exc.message(self.api.lang)
                self._failures = 0
            except DomainError as exc:
                self._online = True
                self._fail(exc.message(self.api.lang))
            except Exception:
                log.exception("sync cycle failed")
                self._fail(messages.render("internal_error", self.api.lang, {"request_id": "-"}))
            else:
                self._online = True
                self._last_error = None
                self._failures = 0
            finally:
                self._syncing = False
                self._emit_status()

    # -- prefetch -------------------------------------------------------------------

    def _other_work_wanted(self) -> bool:
        """Whether a prefetch should step aside: stopping, or anything was requested of
        the running worker."""
        return self._stop.is_set() or (self._worker is not None and bool(self._want))

    def prefetch_now(self) -> bool:
        """One prefetch pass on the calling thread (the worker calls it when idle after a
        pull; tests and tools may call it when the engine is not started): the blobs the
        registered sources want (:func:`sync.blobs.prefetch_wanted`) within the blob
        cache's bound. It steps aside as soon as other work is requested and is owed
        again then. Returns True when the pass went through the whole list. Errors are
        logged (Offline also sets the status and the retry timer), never raised."""
        if self.blobs is None:
            return True
        done = False
        try:
            with self._cycle_lock:
                wanted = prefetch_wanted(self.cache, self.principal)
                done = self.blobs.prefetch(self.api, wanted, self._stop,
                                           self._other_work_wanted)
        except Offline as exc:
            self._online = False
            self._fail(exc.message(self.api.lang))
            self._emit_status()
            return False
        except DomainError as exc:
            log.info("prefetch stopped: %s", exc.code)
            return False
        except Exception:
            log.exception("prefetch failed")
            return False
        if not done and not self._stop.is_set():
            with self._cond:
                self._prefetch_due = True
                self._cond.notify_all()
        return done

    def _fail(self, message: str) -> None:
        self._last_error = message
        self._failures += 1
        delay = backoff_delay(self._failures, base=self.backoff_base, cap=self.backoff_cap)
        log.info("sync failed (%s); retrying in %.1f s", message, delay)
        if self._scheduler is not None and not self._stop.is_set():
            self._scheduler.add_job(
                self.sync_now, "date", run_date=datetime.now(UTC) + timedelta(seconds=delay),
                id="retry", replace_existing=True)

    # -- push -----------------------------------------------------------------------

    def _push(self) -> int:
        """Replay the outbox in order; returns how many intents the server applied."""
        applied = 0
        while not self._stop.is_set():
            with self.cache.write() as s:
                rows = s.execute(
                    select(outbox.c.order, outbox.c.mutation_id, outbox.c.name, outbox.c.args)
                    .where(outbox.c.state == "pending").order_by(outbox.c.order)
                    .limit(PUSH_BATCH)
                ).all()
                if not rows:
                    break
            applied += self._send(rows)
        return applied

    def _send(self, rows: Sequence[Any]) -> int:
        """Push one batch; returns the applied count."""
        ids = [r.mutation_id for r in rows]
        with self.cache.write() as s:
            s.execute(update(outbox).where(outbox.c.mutation_id.in_(ids)).values(
                state="inflight", attempts=outbox.c.attempts + 1,
                next_attempt_at=iso(utcnow())))
        batch = [{"id": r.mutation_id, "name": r.name, "args": r.args} for r in rows]
        try:
            results = self.api.push(batch)
        except (Offline, AuthenticationFailed):
            self._back_to_pending(ids)
            raise
        except DomainError as exc:
            self._back_to_pending(ids)
            if exc.http_status in RETRY_STATUSES:
                raise  # the request was fine, the moment was not: retry with backoff
            # The whole request was refused (4xx). Find the culprit one by one so a single
            # bad intent cannot block the queue; a lone refused intent is rejected.
            if len(rows) > 1:
                return sum(self._send([r]) for r in rows)
            self._finish(rows, [{"id": ids[0], "status": exc.outcome,
                                 "error": {**exc.to_dict(self.api.lang),
                                           "request_id": exc.request_id}}])
            return 0
        self._online = True
        return self._finish(rows, results)

    def _back_to_pending(self, ids: list[str]) -> None:
        with self.cache.write() as s:
            s.execute(update(outbox).where(outbox.c.mutation_id.in_(ids),
                                           outbox.c.state == "inflight").values(state="pending"))

    def _finish(self, rows: Sequence[Any], results: Sequence[object]) -> int:
        # The results are the server's JSON, not yet trusted: anything not an object is
        # treated as no answer.
        by_id = {r.get("id"): r for r in results if isinstance(r, dict)}
        applied = 0
        undo: set[Key] = set()
        unanswered: list[str] = []
        now = iso(utcnow())
        changed: set[Key] = set()
        done: list[str] = []
        with self.cache.write() as s:
            for row in rows:
                res = by_id.get(row.mutation_id) or {}
                status = res.get("status")
                where = outbox.c.mutation_id == row.mutation_id
                if status == "applied":
                    done.append(row.mutation_id)
                    applied += 1
                elif status in ("rejected", "conflict"):
                    raw_err = res.get("error")
                    err: dict[str, Any] = raw_err if isinstance(raw_err, dict) else {}
                    touched = s.execute(select(outbox.c.touched).where(where)).scalar_one()
                    undo.update((e, i) for e, i in touched)
                    s.execute(update(outbox).where(where).values(
                        state="rejected", touched=[],
                        error={"status": status, "code": err.get("code", ""),
                               "message": err.get("message") or messages.render(
                                   str(err.get("code", "")), self.api.lang, err.get("params")),
                               "params": err.get("params") or {}, "at": now,
                               "request_id": str(err.get("request_id") or "")}))
                else:
                    unanswered.append(row.mutation_id)
            for i in range(0, len(done), 500):  # the applied ones in one statement
                s.execute(update(outbox).where(outbox.c.mutation_id.in_(done[i:i + 500]))
                          .values(state="applied", error=None))
            if unanswered:
                s.execute(update(outbox).where(outbox.c.mutation_id.in_(unanswered))
                          .values(state="pending"))
            if undo:
                changed = rebase(s, undo, principal=self.principal)
        if changed:
            self._emit_changes(Changes.of(changed))
        self._emit_status()
        if unanswered:
            # The server answered without a result for some intents: try again later.
            raise Offline("sync.bad_response", detail="push results")
        return applied

    # -- pull -----------------------------------------------------------------------

    def _pull(self) -> None:
        """Page through the feed; write base, tombstones, cursor; rebase; notify."""
        first = True
        resyncs = 0
        # A pull from no cursor fills an empty cache (a first sync): its pages' records
        # are most likely not stored yet (insert_first_page).
        from_scratch: bool | None = None
        upcoming: _NextPage | None = None
        while not self._stop.is_set():
            cursor = self.cache.meta_get("cursor")
            if from_scratch is None:
                from_scratch = not cursor and not self.cache.meta_get("resync")
            try:
                if upcoming is not None and upcoming.cursor == cursor:
                    page = upcoming.result()
                else:
                    with _collector_paused():
                        page = self.api.pull(cursor, self.page_size, lines=True)
                upcoming = None
            except DomainError as exc:
                upcoming = None
                if exc.code == "request.invalid" and self.page_size > OLD_MAX_PAGE:
                    self.page_size = OLD_MAX_PAGE  # a server from before larger pages
                    continue
                if not isinstance(exc, ResyncRequired) and exc.code != "sync.bad_cursor":
                    raise
                if resyncs or not cursor:
                    raise
                resyncs += 1
                from_scratch = False
                self._begin_resync()
                continue
            has_more = bool(page.get("has_more"))
            if has_more and isinstance(page.get("cursor"), str):
                upcoming = _NextPage(self._fetch_page, page["cursor"])
            full_reset = False
            with _collector_paused(), self.cache.write() as s:
                settled: set[Key] = set()
                if first:
                    # Intents the server applied are now part of what we are pulling.
                    for touched in s.execute(select(outbox.c.touched)
                                             .where(outbox.c.state == "applied")).scalars():
                        settled.update((e, i) for e, i in touched)
                    s.execute(delete(outbox).where(outbox.c.state == "applied"))
                rows = page.get("rows")
                # A first sync's page of lines: inserted as it came, when nothing stored
                # or queued stands in the way; else the general way.
                first_page = (insert_first_page(s, rows)
                              if rows is not None and from_scratch else None)
                if first_page is not None:
                    changed = first_page
                else:
                    if rows is not None:  # in lines: each record as its JSON text, so stored
                        states = [((entity, rid), text, seq) for seq, entity, rid, text in rows]
                    else:
                        states = [((str(ch["entity"]), str(ch["id"])),
                                   ch.get("data") if ch.get("op") != "delete" else None,
                                   ch.get("seq"))
                                  for ch in page["changes"]]
                    changed = apply_server_changes(s, states, principal=self.principal,
                                                   fresh=True)
                meta_set(s, "cursor", page.get("cursor"))
                if not has_more:
                    if meta_get(s, "resync"):
                        stale = s.execute(select(records.c.entity, records.c.id)
                                          .where(records.c.stale.is_(True))).all()
                        changed |= apply_server_changes(
                            s, [((e, i), None, None) for e, i in stale],
                            principal=self.principal)
                        meta_set(s, "resync", False)
                        full_reset = True
                    meta_set(s, "last_synced_at", iso(utcnow()))
                if settled:
                    changed |= rebase(s, settled, principal=self.principal)
            first = False
            if changed or full_reset:
                self._emit_changes(Changes.of(changed, full_reset))
            if not has_more:
                break

    def _fetch_page(self, cursor: str) -> dict[str, Any]:
        return self.api.pull(cursor, self.page_size, lines=True)

    def _begin_resync(self) -> None:
        """Forget the cursor; mark every server record stale until the new full pull
        confirms it (records not confirmed are removed at its end). Keeps the outbox."""
        log.info("full resync requested by the server")
        with self.cache.write() as s:
            meta_set(s, "cursor", None)
            meta_set(s, "resync", True)
            s.execute(update(records).where(or_(records.c.base.is_not(None),
                                                records.c.base_is_data)).values(stale=True))

    # -- push channel ---------------------------------------------------------------

    def _listen(self) -> None:
        failures = 0
        while not self._stop.is_set():
            delay = 1.0
            try:
                for ev in self.api.events():
                    if self._stop.is_set():
                        return
                    if ev["event"] == "open":
                        failures = 0
                        if not self._online:
                            self._online = True
                            self._emit_status()
                        # Back in touch: send what queued up and catch up on anything
                        # missed while away, without waiting for the retry timer.
                        self.sync_now()
                    elif ev["event"] == "poke":
                        self._pull_after_poke(ev.get("data"))
            except AuthenticationFailed:
                delay = self.backoff_cap
            except DomainError:
                failures += 1
                delay = backoff_delay(failures, base=self.backoff_base, cap=self.backoff_cap)
            except Exception:
                if self._stop.is_set():
                    return
                failures += 1
                log.exception("push channel failed")
                delay = backoff_delay(failures, base=self.backoff_base, cap=self.backoff_cap)
            self._stop.wait(delay)

    def _pull_after_poke(self, data: Any) -> None:
        """Pull after the poke's ``jitter`` hint (≤ 1 s) so a crowd poked at once does
        not pull at once; one delayed pull at a time (it fetches everything)."""
        jitter = data.get("jitter", 0) if isinstance(data, dict) else 0
        try:
            delay = min(max(float(jitter), 0.0), MAX_POKE_JITTER)
        except (TypeError, ValueError):
            delay = 0.0
        if delay <= 0:
            self.request_pull()
            return
        with self._cond:
            if self._poke_timer is not None and self._poke_timer.is_alive():
                return
            timer = threading.Timer(delay, self.request_pull)
            timer.daemon = True
            self._poke_timer = timer
        timer.start()

    # -- status and listeners -------------------------------------------------------

    def status(self) -> SyncStatus:
        """The latest status snapshot (no database access: safe on the GUI thread)."""
        with self._listeners_lock:
            if self._status is not None:
                return self._status
        return self._refresh_status()

    def pending_items(self, limit: int = 50) -> list[dict[str, Any]]:
        """Intents waiting to upload, oldest first: ``[{mutation_id, name, created_at}]``.

        Blocking (reads the cache): call off the GUI thread.
        """
        with self.cache.read() as s:
            rows = s.execute(
                select(outbox.c.mutation_id, outbox.c.name, outbox.c.created_at)
                .where(outbox.c.state.in_(("pending", "inflight")))
                .order_by(outbox.c.order)
                .limit(limit)
            ).all()
        return [
            {"mutation_id": r.mutation_id, "name": r.name, "created_at": r.created_at}
            for r in rows
        ]

    def _refresh_status(self) -> SyncStatus:
        # Serialised: the last refresh starts after the last commit, so it wins.
        with self._status_lock:
            status = self._read_status()
            with self._listeners_lock:
                self._status = status
            return status

    def _read_status(self) -> SyncStatus:
        with self.cache.read() as s:
            pending = s.execute(select(func.count()).select_from(outbox).where(
                outbox.c.state.in_(("pending", "inflight")))).scalar_one()
            rows = s.execute(select(outbox.c.mutation_id, outbox.c.name, outbox.c.args,
                                    outbox.c.error)
                             .where(outbox.c.state == "rejected")
                             .order_by(outbox.c.order)).all()
            last = meta_get(s, "last_synced_at")
        rejected = tuple(
            RejectedItem(
                mutation_id=r.mutation_id, name=r.name, args=r.args,
                status=(r.error or {}).get("status", "rejected"),
                code=(r.error or {}).get("code", ""),
                message=(r.error or {}).get("message", ""),
                at=datetime.fromisoformat((r.error or {}).get("at") or iso(utcnow())),
                request_id=str((r.error or {}).get("request_id") or ""),
            ) for r in rows)
        return SyncStatus(
            online=self._online,
            syncing=self._syncing,
            pending=int(pending),
            rejected=rejected,
            last_synced_at=datetime.fromisoformat(last) if last else None,
            last_error=self._last_error,
        )

    def add_listener(
        self,
        on_changes: Callable[[Changes], None] | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> Callable[[], None]:
        """Register callbacks (called from engine threads); returns a remover."""
        with self._listeners_lock:
            if on_changes:
                self._change_listeners.append(on_changes)
            if on_status:
                self._status_listeners.append(on_status)

        def remove() -> None:
            with self._listeners_lock:
                if on_changes in self._change_listeners:
                    self._change_listeners.remove(on_changes)
                if on_status in self._status_listeners:
                    self._status_listeners.remove(on_status)

        return remove

    def _emit_changes(self, changes: Changes) -> None:
        with self._listeners_lock:
            listeners = list(self._change_listeners)
        for fn in listeners:
            try:
                fn(changes)
            except Exception:
                log.exception("change listener failed")

    def _emit_status(self) -> None:
        status = self._refresh_status()
        with self._listeners_lock:
            listeners = list(self._status_listeners)
        for fn in listeners:
            try:
                fn(status)
            except Exception:
                log.exception("status listener failed")
