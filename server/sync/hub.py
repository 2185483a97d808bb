"""Per-process push hub: watches the change feed and pokes the devices it concerns.

The database is the only shared state, so every server process runs its own hub and
several processes behave as one: another process's commits reach this hub through its
watcher, which reads the change counter when woken by a PostgreSQL notification
(:mod:`server.sync.notify`, when a listener is given and up) or every ``poll_seconds``
(SQLite, or while the listener is down; ``notify_poll_seconds`` as a safety net while it
is up). The watcher runs only while someone is subscribed; its database reads run in a
worker thread, never on the event loop.

Per open ``/sync/events`` connection the hub keeps the person's audience keys (the keys
the pull filters the feed with), computed at connect, refreshed when the person's
directory record changes (posts, roles: their scope) and every
``push_scope_refresh_seconds``. A tick pokes only connections whose keys meet the keys of
what changed (see :mod:`server.sync.pokes` for urgent and quiet keys), at most once per
``push_coalesce_seconds`` per connection; each poke carries a ``jitter`` hint (seconds the
client waits before pulling, ≤ ``push_jitter_seconds``).

The hub's view (newest ``seq`` seen, the keys that changed in recent ticks and the rows
they changed, :mod:`server.sync.tail`) also lets the pull answer without SQL: "nothing
new for you" (:meth:`PushHub.quick_nothing_new`) or the page itself
(:meth:`PushHub.memory_page`).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from server.changefeed import (
    LOCAL_COMMITS,
    FeedRow,
    LocalCommits,
    read_counter,
    scope_fingerprint,
)
from server.db import read_scope
from server.scopes import ScopeBasis
from server.sync.notify import FeedListener
from server.sync.pokes import TickChanges, read_tick
from server.sync.tail import FeedTail

log = logging.getLogger(__name__)
_T = TypeVar("_T")

#: Ticks of history kept for the cheap pull (older cursors are answered by SQL).
HISTORY_TICKS = 4000
#: People whose scope a process caches for the cheap pull, at most (oldest dropped first).
MAX_SCOPES = 100_000
#: Connections whose keys are re-read per tick at most (periodic refresh only).
REFRESH_PER_TICK = 50
#: Seconds between the starts of two ticks at least when woken by notifications (a burst
#: of commits is read in one tick).
NOTIFIED_TICK_GAP = 0.05

Poke = dict[str, float | int]
ScopeResolver = Callable[[Session, str, str], frozenset[str]]


@dataclass(eq=False)
class Listener:
    """One open ``/sync/events`` connection."""

    person_id: str
    login: str
    keys: frozenset[str]
    queue: asyncio.Queue[Poke | None] = field(default_factory=lambda: asyncio.Queue(maxsize=16))
    keys_at: float = field(default_factory=time.monotonic)
    refresh: bool = False
    last_poke: float = float("-inf")
    pending_seq: int = 0
    due: float | None = None
    quiet_due: float | None = None
    timer: asyncio.TimerHandle | None = None
    #: Pokes delivered (tests and benchmarks).
    pokes: int = 0


@dataclass(frozen=True)
class _Scope:
    keys: frozenset[str]
    fingerprint: str
    at: float
    #: What the keys were computed from (None: not known — any change of the person
    #: drops them).
    basis: ScopeBasis | None = None


def _default_resolver(session: Session, person_id: str, login: str) -> frozenset[str]:
    from server.auth.principal import load_principal
    from server.scopes import scope_keys

    return scope_keys(session, load_principal(session, person_id, login))


class PushHub:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        poll_seconds: float,
        *,
        coalesce_seconds: float = 1.0,
        jitter_seconds: float = 0.5,
        quiet_seconds: float = 30.0,
        scope_refresh_seconds: float = 300.0,
        resolver: ScopeResolver = _default_resolver,
        notify: FeedListener | None = None,
        notify_poll_seconds: float = 2.0,
    ) -> None:
        self._sessions = sessions
        self._poll = poll_seconds
        self._notify = notify
        self._notify_poll = max(notify_poll_seconds, poll_seconds)
        self._blind_read = 0  # notifications without a seq received before the last tick began
        self.coalesce_seconds = coalesce_seconds
        self.jitter_seconds = jitter_seconds
        self.quiet_seconds = quiet_seconds
        self.scope_refresh_seconds = scope_refresh_seconds
        self._resolve = resolver
        self._listeners: set[Listener] = set()
        self._task: asyncio.Task[None] | None = None
        self._reader: ThreadPoolExecutor | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # The view shared with pulls running in worker threads (guarded by _lock).
        self._lock = threading.Lock()
        self.last_seq = 0
        self.purged_below = 0
        self._view_start: int | None = None  # history covers (view_start, last_seq]
        self._view_at = float("-inf")  # monotonic time of the last successful tick
        self._history: deque[tuple[int, frozenset[str]]] = deque()  # (upto, keys)
        self._scopes: dict[str, _Scope] = {}
        self._invalidated: dict[str, int] = {}  # person -> upto of the tick that saw it
        self._everyone_invalidated = -1  # upto of the last tick that saw a body change
        self._forgotten = 0  # local scope invalidations so far (see forget_scopes)
        self.tail = FeedTail()  # the rows of recent ticks (extended under _lock)
        self._tick_waiters: list[asyncio.Future[None]] = []  # see next_tick (event loop)
        #: Pulls answered from the tail with changes (tests and benchmarks).
        self.memory_pages = 0
        self.local = LocalCommits()
        kw_info = sessions.kw.setdefault("info", {})
        kw_info[LOCAL_COMMITS] = self.local
        kw_info[HUB] = self
        self.ticks = 0

    # -- subscribers ----------------------------------------------------------------

    def subscribe(
        self, person_id: str, login: str, keys: frozenset[str], seen_seq: int | None = None,
        basis: ScopeBasis | None = None,
    ) -> Listener:
        """Register a connection whose ``keys`` (computed from ``basis`` when given) were
        read after the hub had seen ``seen_seq`` (a scope change the hub saw later marks
        them for a refresh)."""
        listener = Listener(person_id, login, keys)
        if seen_seq is not None:
            self.remember_scope(person_id, keys, seen_seq, basis=basis)
            with self._lock:
                if self._invalidated.get(person_id, -1) > seen_seq:
                    listener.refresh = True
        self._listeners.add(listener)
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._task = self._loop.create_task(self._watch())
        return listener

    def unsubscribe(self, listener: Listener) -> None:
        self._listeners.discard(listener)
        if listener.timer is not None:
            listener.timer.cancel()
            listener.timer = None

    @property
    def subscriber_count(self) -> int:
        return len(self._listeners)

    @property
    def listeners(self) -> frozenset[Listener]:
        return frozenset(self._listeners)

    async def _off_loop(self, fn: Callable[..., _T], *args: Any) -> _T:
        """``fn(*args)`` on the hub's own thread: its reads never queue behind the
        routes' threads (pushes, database pulls) — a tick held up there sends the pulls
        that wait for it to the database, whose load holds the next tick up longer."""
        if self._reader is None:
            self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-hub")
        return await asyncio.get_running_loop().run_in_executor(self._reader, fn, *args)

    async def close(self) -> None:
        for listener in list(self._listeners):
            if listener.timer is not None:
                listener.timer.cancel()
            with contextlib.suppress(asyncio.QueueFull):
                listener.queue.put_nowait(None)
        # The watcher runs while anyone listens: with no listener left it ends even when
        # the cancellation below is lost (asyncio.wait_for in Python 3.11 can swallow one
        # that arrives as the notification it waits for does).
        self._listeners.clear()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self._notify is not None:
            await self._notify.close()
        if self._reader is not None:
            self._reader.shutdown(wait=False)
            self._reader = None

    # -- the cheap pull's view --------------------------------------------------------

    def seen_seq(self) -> int:
        with self._lock:
            return self.last_seq

    def scope_generation(self) -> int:
        """Read before a scope is read from the database, passed to :meth:`remember_scope`."""
        with self._lock:
            return self._forgotten

    def remember_scope(self, person_id: str, keys: frozenset[str], seen_seq: int,
                       generation: int | None = None, *,
                       basis: ScopeBasis | None = None) -> None:
        """Cache a person's keys read after the hub had seen ``seen_seq`` (and, when
        given, after :meth:`scope_generation` said ``generation``); ignored when a change
        of the person seen or committed here since may not be in them. ``basis``: what
        they were computed from (:func:`server.scopes.scope_basis`), so that a change of
        the person that keeps it (a new phone number) keeps them; without it, the basis
        of equal keys cached before is kept (the same keys come from either basis)."""
        with self._lock:
            if self._view_start is None or seen_seq < self._view_start:
                return
            if self._invalidated.get(person_id, -1) > seen_seq:
                return
            if self._everyone_invalidated > seen_seq:
                return
            if generation is not None and generation != self._forgotten:
                return  # a directory commit of this process may not be in them
            old = self._scopes.pop(person_id, None)  # re-insert: the dict stays oldest-first
            if basis is None and old is not None and old.keys == keys:
                basis = old.basis
            self._scopes[person_id] = _Scope(keys, scope_fingerprint(keys), time.monotonic(),
                                             basis)
            if len(self._scopes) > MAX_SCOPES:
                self._trim_scopes()

    def _trim_scopes(self) -> None:
        """Drop the oldest cached scopes down to 3/4 of the bound (lock held); a person
        dropped is simply answered by the database path next time."""
        extra = len(self._scopes) - MAX_SCOPES * 3 // 4
        for person_id in list(itertools.islice(self._scopes, max(extra, 0))):
            del self._scopes[person_id]

    def cached_scope(self, person_id: str) -> frozenset[str] | None:
        """The person's audience keys as cached here, for a pull that reads the feed
        from the database; None when they must be read again.

        Trusted on the same terms as the cheap pull trusts them: the hub's view is fresh
        (so the person's directory changes and body changes committed anywhere are being
        seen, tick by tick), the keys are at most ``scope_refresh_seconds`` old, and no
        change of the person (posts, roles, deactivation) or of a body has been seen —
        by the hub, or committed by this process (:func:`_note_directory_commit`) —
        since they were read.
        """
        now = time.monotonic()
        with self._lock:
            if self._view_start is None or now - self._view_at > max(3 * self._poll_now(), 1.0):
                return None
            scope = self._scopes.get(person_id)
            if scope is None or now - scope.at > self.scope_refresh_seconds:
                return None
            return scope.keys

    def forget_scopes(self, people: frozenset[str], everyone: bool) -> None:
        """This process committed directory changes: drop the cached keys of ``people``
        (of everyone when a body changed) at once, before the hub's next tick."""
        with self._lock:
            self._forgotten += 1
            if everyone:
                self._scopes.clear()
            for person_id in people:
                self._scopes.pop(person_id, None)

    def known(self) -> tuple[int, int, int]:
        """What this process knows has been committed, now: the newest seq of its own
        commits and of those notified (a notification carries its commit's counter top,
        :mod:`server.sync.notify`), and the count of notifications that carried none.
        Taken when a pull arrives, it is what the answer must cover
        (:meth:`memory_page`'s ``known``)."""
        if self._notify is None:
            return self.local.top, 0, 0
        return self.local.top, self._notify.top, self._notify.blind

    def _trusted_scope(self, person_id: str, cursor_seq: int, fingerprint: str,
                       known: tuple[int, int, int] | None = None) -> _Scope | None:
        """The person's cached scope when the hub's view may answer a pull after
        ``cursor_seq`` without SQL, else None (lock held).

        Only when the view is fresh (a tick succeeded within three polls), it covers the
        cursor, the cursor is still honoured, this process's own commits and every commit
        notified (when listening) have been seen — so far, or up to ``known`` (see
        :meth:`known`: what was known when the pull arrived; a database pull sees no
        more than what had committed when it began either) — and the person's scope is
        cached, fresh, unchanged and matches the cursor."""
        now = time.monotonic()
        if self._view_start is None or now - self._view_at > max(3 * self._poll_now(), 1.0):
            return None
        if not (self._view_start <= cursor_seq <= self.last_seq):
            return None
        local_top, notified_top, blind = known if known is not None else self.known()
        if cursor_seq < self.purged_below or max(local_top, notified_top) > self.last_seq:
            return None  # a commit known here that this view has not read yet
        if self._notify is not None and self._blind_read < blind:
            return None  # a commit notified without its seq, perhaps not read yet
        scope = self._scopes.get(person_id)
        if scope is None or scope.fingerprint != fingerprint:
            return None
        if now - scope.at > self.scope_refresh_seconds:
            return None
        return scope

    def behind(self) -> bool:
        """Whether the view is fresh but has not yet read a commit it knows of (one of
        this process's, or one notified): the next tick, due within
        ``NOTIFIED_TICK_GAP``, reads it — worth waiting for rather than asking SQL. Only
        while notifications are up (a polling hub's next tick may be a poll away)."""
        now = time.monotonic()
        if self._notify is None or not self._notify.up:
            return False
        with self._lock:
            if self._view_start is None or now - self._view_at > max(3 * self._poll_now(), 1.0):
                return False
            return (max(self.local.top, self._notify.top) > self.last_seq
                    or self._notify.blind != self._blind_read)

    async def next_tick(self, timeout: float) -> bool:
        """Wait (on the event loop) until the watcher's next tick has read the feed, at
        most ``timeout`` seconds; False when it did not (or no watcher runs)."""
        if self._task is None or self._task.done():
            return False
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tick_waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), timeout)
            return True
        except TimeoutError:
            return False
        finally:
            with contextlib.suppress(ValueError):
                self._tick_waiters.remove(waiter)

    def _wake_tick_waiters(self) -> None:
        waiters, self._tick_waiters = self._tick_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def quick_nothing_new(self, person_id: str, cursor_seq: int, fingerprint: str) -> int | None:
        """The ``seq`` to answer "nothing new up to here" with, or None (ask the database):
        on :meth:`_trusted_scope`'s terms, when no key of the scope changed after the
        cursor."""
        with self._lock:
            scope = self._trusted_scope(person_id, cursor_seq, fingerprint)
            return None if scope is None else self._nothing_new(scope, cursor_seq)

    def _nothing_new(self, scope: _Scope, cursor_seq: int) -> int | None:
        """``last_seq`` when no tick of the history after ``cursor_seq`` changed a key of
        ``scope``, else None (lock held)."""
        for upto, keys in reversed(self._history):
            if upto <= cursor_seq:
                break
            if not scope.keys.isdisjoint(keys):
                return None
        return self.last_seq

    def memory_page(self, person_id: str, cursor_seq: int, fingerprint: str, limit: int,
                    known: tuple[int, int, int] | None = None
                    ) -> tuple[list[FeedRow], int, bool] | None:
        """``(rows, last seq, has_more)``: the page after ``cursor_seq`` as the database
        would give it at the newest ``seq`` this hub has seen — from the tail of recent
        ticks (:class:`server.sync.tail.FeedTail`) when it covers the cursor, else
        "nothing new" when the history shows it (:meth:`quick_nothing_new`); None to ask
        the database. On :meth:`_trusted_scope`'s terms (``known``: see there)."""
        with self._lock:
            scope = self._trusted_scope(person_id, cursor_seq, fingerprint, known)
            if scope is None:
                return None
            found = (self.tail.page(scope.keys, cursor_seq, limit)
                     if self.tail.upto == self.last_seq else None)
            if found is None:  # the tail restarted after the cursor (an import, its bound)
                seq = self._nothing_new(scope, cursor_seq)
                return None if seq is None else ([], seq, False)
            if found[0]:
                self.memory_pages += 1
            return found

    def _advance(self, counter: int, purged: int, tick: TickChanges | None) -> set[str]:
        """Take in a tick; returns the people of ``tick.people`` whose cached scope was
        kept (their change left its basis as it was)."""
        kept: set[str] = set()
        with self._lock:
            if self._view_start is None:
                self._view_start = counter
                self.tail.begin(counter)
            elif tick is not None:
                self.tail.extend(tick.after, tick.upto, tick.rows)
                self._history.append((tick.upto, tick.keys))
                for person_id in tick.people:
                    scope = self._scopes.get(person_id)
                    basis = tick.bases.get(person_id)
                    if scope is not None and basis is not None and scope.basis == basis:
                        kept.add(person_id)
                        continue
                    self._scopes.pop(person_id, None)
                    self._invalidated[person_id] = tick.upto
                if tick.bodies:  # a moved or re-typed body may change anyone's keys
                    self._scopes.clear()
                    self._everyone_invalidated = tick.upto
                while len(self._history) > HISTORY_TICKS:
                    upto, _ = self._history.popleft()
                    self._view_start = upto
                if len(self._invalidated) > 4 * HISTORY_TICKS:
                    start = self._view_start
                    self._invalidated = {p: s for p, s in self._invalidated.items() if s > start}
            self.last_seq = max(self.last_seq, counter)
            self.purged_below = purged
            self._view_at = time.monotonic()
        return kept

    def _forget_view(self) -> None:
        with self._lock:
            self._view_start = None
            self.tail.clear()
            self._history.clear()
            self._scopes.clear()
            self._invalidated.clear()
            self._everyone_invalidated = -1

    # -- the watcher ------------------------------------------------------------------

    def _read_counter(self) -> tuple[int, int]:
        with read_scope(self._sessions) as session:
            return read_counter(session)

    def _read_tick(self, after: int, upto: int) -> TickChanges:
        with read_scope(self._sessions) as session:
            return read_tick(session, after, upto)

    def _resolve_many(self, who: list[tuple[str, str]]) -> dict[str, frozenset[str] | None]:
        out: dict[str, frozenset[str] | None] = {}
        for person_id, login in who:
            try:
                with read_scope(self._sessions) as session:
                    out[person_id] = self._resolve(session, person_id, login)
            except Exception:  # deactivated: keep the old keys; their pull gets 401
                out[person_id] = None
        return out

    def _poll_now(self) -> float:
        """Seconds between two looks at the counter when nothing wakes the watcher."""
        return self._notify_poll if self._notify is not None and self._notify.up else self._poll

    async def _pause(self, since: float) -> None:
        """Until the next tick is due: notified (but ``NOTIFIED_TICK_GAP`` after the tick
        that started at ``since``) or the poll interval passed."""
        if self._notify is None:
            await asyncio.sleep(self._poll)
            return
        if not self._notify.up:  # polling; the listener coming up wakes it too
            await self._notify.wait(self._poll)
            return
        if await self._notify.wait(self._notify_poll):
            await asyncio.sleep(max(0.0, since + NOTIFIED_TICK_GAP - time.monotonic()))

    async def _watch(self) -> None:
        self._forget_view()
        if self._notify is not None:
            self._notify.start()
        try:
            while self._listeners:
                try:
                    seq, purged = await self._off_loop(self._read_counter)
                    self._advance(seq, purged, None)
                    break
                except Exception:
                    log.exception("push hub could not read the change counter; retrying")
                    await asyncio.sleep(1.0)
            since = time.monotonic()
            while self._listeners:
                await self._pause(since)
                since = time.monotonic()
                try:
                    await self._tick()
                except Exception:
                    log.exception("push hub could not read the change feed; retrying")
                    await asyncio.sleep(1.0)
        finally:
            self._forget_view()

    async def _tick(self) -> None:
        blind = self._notify.blind if self._notify is not None else 0
        notified = self._notify.top if self._notify is not None else 0
        seq, purged = await self._off_loop(self._read_counter)
        if self._notify is not None and seq < notified:
            # A counter read after a notification is at least its value, unless the
            # database went back (restored, recreated): forget the higher number, or
            # the hub would count itself behind for ever.
            log.warning("change counter %d is below the notified %d; the database was reset?",
                        seq, notified)
            self._notify.top = seq
        tick: TickChanges | None = None
        if seq > self.last_seq:
            tick = await self._off_loop(self._read_tick, self.last_seq, seq)
        kept = self._advance(seq, purged, tick)
        self._blind_read = blind
        self.ticks += 1
        self._wake_tick_waiters()
        if tick is not None:
            self._offer(tick, kept)
        await self._refresh_keys(tick)

    def _offer(self, tick: TickChanges, kept: set[str] | frozenset[str] = frozenset()) -> None:
        now = time.monotonic()
        for listener in list(self._listeners):
            if not listener.keys.isdisjoint(tick.urgent):
                self._schedule(listener, tick.upto, max(now, listener.last_poke + self.coalesce_seconds))
            elif not listener.keys.isdisjoint(tick.quiet):
                if listener.quiet_due is None:
                    spread = self.quiet_seconds * (0.5 + 0.5 * random.random())
                    listener.quiet_due = max(now + spread, listener.last_poke + self.coalesce_seconds)
                self._schedule(listener, tick.upto, listener.quiet_due)
            if listener.person_id in tick.people and listener.person_id not in kept:
                listener.refresh = True

    def _schedule(self, listener: Listener, seq: int, due: float) -> None:
        listener.pending_seq = max(listener.pending_seq, seq)
        if listener.due is not None and listener.due <= due:
            return
        listener.due = due
        if listener.timer is not None:
            listener.timer.cancel()
        loop = self._loop or asyncio.get_running_loop()
        delay = max(0.0, due - time.monotonic())
        listener.timer = loop.call_later(delay, self._deliver, listener)

    def _deliver(self, listener: Listener) -> None:
        listener.timer = None
        listener.due = None
        listener.quiet_due = None
        if listener not in self._listeners:
            return
        poke: Poke = {
            "seq": listener.pending_seq,
            "jitter": round(random.uniform(0.0, self.jitter_seconds), 3),
        }
        if listener.queue.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                listener.queue.get_nowait()  # a newer poke replaces the oldest
        listener.queue.put_nowait(poke)
        listener.last_poke = time.monotonic()
        listener.pokes += 1

    async def _refresh_keys(self, tick: TickChanges | None) -> None:
        now = time.monotonic()
        flagged = [lst for lst in self._listeners if lst.refresh]
        stale = sorted(
            (lst for lst in self._listeners
             if not lst.refresh and now - lst.keys_at > self.scope_refresh_seconds),
            key=lambda lst: lst.keys_at,
        )[:REFRESH_PER_TICK]
        todo = flagged + stale
        if not todo:
            return
        seen = self.seen_seq()
        who = sorted({(lst.person_id, lst.login) for lst in todo})
        resolved = await self._off_loop(self._resolve_many, who)
        for lst in todo:
            keys = resolved.get(lst.person_id)
            lst.refresh = False
            lst.keys_at = time.monotonic()
            if keys is not None:
                lst.keys = keys
        for person_id, keys in resolved.items():
            if keys is not None:
                self.remember_scope(person_id, keys, seen)


# -- directory commits of this process --------------------------------------------------

#: ``session.info`` key of the process's hub (set by :class:`PushHub` on its sessions).
HUB = "office_push_hub"
_DIRECTORY_DIRTY = "office_directory_dirty"


def _directory_tables() -> dict[str, str]:
    """Table name -> what a write to it invalidates ("person", "post" or "body")."""
    from server.directory.models import Body, Person, Post

    return {Person.__tablename__: "person", Post.__tablename__: "post", Body.__tablename__: "body"}


def _dirty(session: Session) -> tuple[set[str], list[bool]]:
    found = session.info.get(_DIRECTORY_DIRTY)
    if found is None:
        found = session.info[_DIRECTORY_DIRTY] = (set(), [False])
    return found


@event.listens_for(Session, "after_flush")
def _note_directory_flush(session: Session, _context: object) -> None:
    """Note the people and bodies this flush wrote (for :func:`_note_directory_commit`)."""
    if session.info.get(HUB) is None:
        return
    from server.directory.models import Body, Person, Post

    people: set[str] | None = None
    for obj in itertools.chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Person):
            if obj in session.dirty and not inspect(obj).attrs.active.history.has_changes():
                continue  # a name, a phone number: not what the keys depend on (ScopeBasis)
            people = people if people is not None else _dirty(session)[0]
            people.add(obj.id)
        elif isinstance(obj, Post):
            people = people if people is not None else _dirty(session)[0]
            people.add(obj.person_id)
            old = inspect(obj).attrs.person_id.history.deleted
            people.update(p for p in old if p)
        elif isinstance(obj, Body):
            _dirty(session)[1][0] = True


@event.listens_for(Session, "do_orm_execute")
def _note_directory_statement(state: ORMExecuteState) -> None:
    """A bulk ``update`` / ``delete`` / ``insert`` on a directory table: everyone's keys."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.session.info.get(HUB) is None:
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _directory_tables():
        _dirty(state.session)[1][0] = True


@event.listens_for(Session, "after_commit")
def _note_directory_commit(session: Session) -> None:
    """Drop the cached keys of the people (everyone, for a body) this commit changed."""
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    found = session.info.pop(_DIRECTORY_DIRTY, None)
    hub = session.info.get(HUB)
    if found is None or not isinstance(hub, PushHub):
        return
    people, everyone = found
    if people or everyone[0]:
        hub.forget_scopes(frozenset(people), everyone[0])
