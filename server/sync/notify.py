"""PostgreSQL LISTEN/NOTIFY: other processes' commits wake the push hub at once.

Two halves:

* sending — a ``before_commit`` listener on every :class:`~sqlalchemy.orm.Session`: when
  the transaction advanced the feed counter (``session.info`` holds
  :data:`server.changefeed._PENDING_TOP`) and the database is PostgreSQL, it runs
  ``SELECT pg_notify('office_feed', '<seq>')``. PostgreSQL delivers it at commit (never
  on rollback). The payload is the counter's value the commit leaves (the transaction
  held the counter row, so every ``seq`` up to it has committed by then); the hub reads
  what changed from the feed, as when polling, and a pull arriving knows which ``seq``
  its answer must cover (:meth:`server.sync.hub.PushHub.known`). On PostgreSQL the
  feed's sequencing pass, which is what advances the counter there, notifies the same
  channel itself, with the same payload (:data:`server.changefeed.NOTIFY_CHANNEL`). A
  notification without a number (from an older server) only says "something
  committed".
* receiving — :class:`FeedListener`, one per process: a dedicated psycopg
  ``AsyncConnection`` in autocommit that runs ``LISTEN office_feed`` and sets an event
  on each notification; the hub's watcher awaits "notified or poll timeout"
  (:meth:`FeedListener.wait`). The connection is re-opened with backoff when it drops;
  while it is down :attr:`FeedListener.up` is false and the hub polls as it would without
  it. It cannot go through PgBouncer in transaction mode (LISTEN belongs to a session),
  hence its own URL (``OFFICE_NOTIFY_DATABASE_URL``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from server.changefeed import _PENDING_TOP

log = logging.getLogger(__name__)

CHANNEL = "office_feed"  # = server.changefeed.NOTIFY_CHANNEL
_NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :top)")
#: Seconds without a notification after which the listener checks its connection (which
#: must answer within a third of that).
HEALTH_SECONDS = 30.0


@event.listens_for(Session, "before_commit")
def _notify_feed(session: Session) -> None:
    """Queue one notification for the commit when this transaction advanced the feed."""
    if session.new or session.dirty or session.deleted:
        session.flush()  # what the flush writes may take seq values too
    if _PENDING_TOP not in session.info:
        return
    settings = session.info.get("settings")
    if settings is not None and not getattr(settings, "push_notify", True):
        return
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(_NOTIFY, {"top": str(int(session.info[_PENDING_TOP]))})


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL (``postgresql+psycopg://…``) as a libpq conninfo URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class FeedListener:
    """``LISTEN office_feed`` on a connection of its own; wakes whoever :meth:`wait`\\ s.

    Runs on the event loop that called :meth:`start` (the hub's). ``up`` is true while
    the LISTEN is in place: only then may a waiter rely on being woken.
    """

    def __init__(self, url: str, *, min_backoff: float = 0.5, max_backoff: float = 30.0,
                 health_seconds: float = HEALTH_SECONDS) -> None:
        self._conninfo = libpq_url(url)
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._health = health_seconds
        self._event = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._conn: Any = None
        self.up = False
        #: The highest counter value notified (see the module's docstring) and the count of
        #: notifications that carried none. Read from any thread (int reads are atomic).
        self.top = 0
        self.blind = 0
        #: Notifications received and connections opened (tests and benchmarks).
        self.received = 0
        self.connects = 0

    def start(self) -> None:
        """Start listening (idempotent); call from the event loop."""
        if self._task is None or self._task.done():
            self._event = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def wait(self, timeout: float) -> bool:
        """Until a notification arrived since the last wait, or ``timeout`` seconds;
        true when notified. Clears the notification: one wait consumes it."""
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return False
        self._event.clear()
        return True

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        await self._drop()

    async def _drop(self) -> None:
        self.up = False
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    def _note(self, payload: str) -> None:
        if payload.isdigit():
            self.top = max(self.top, int(payload))
        else:
            self.blind += 1

    async def _run(self) -> None:
        import psycopg

        try:
            await self._listen(psycopg)
        finally:
            # Also when the task is destroyed with its loop (an app used without its
            # lifespan, e.g. a TestClient outside ``with``): end the session here, at
            # once — close() may never run, and the object would be left open.
            conn = self._conn
            if conn is not None and not conn.closed:
                with contextlib.suppress(Exception):
                    conn.pgconn.finish()

    async def _listen(self, psycopg: Any) -> None:
        backoff = self._min_backoff
        while True:
            try:
                self._conn = await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, prepare_threshold=None)
                await self._conn.execute("LISTEN office_feed")  # CHANNEL
                self.up = True
                self.connects += 1
                backoff = self._min_backoff
                self._event.set()  # commits made while it was down: look once now
                while True:
                    async for note in self._conn.notifies(timeout=self._health):
                        self.received += 1
                        self._note(note.payload)
                        self._event.set()
                    # a silent drop shows here (a dead peer would hang, hence the limit)
                    await asyncio.wait_for(self._conn.execute("SELECT 1"), self._health / 3)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                was_up = self.up
                await self._drop()
                self._event.set()  # the waiter falls back to polling now, not at its timeout
                if was_up:
                    log.warning("push notifications lost (%s); reconnecting", exc)
                else:
                    log.warning("push notifications unavailable (%s); retrying in %.1f s",
                                exc, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff)
