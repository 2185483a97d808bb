"""Per-process push hub: watches the change counter and pokes subscribed clients.

The database is the only shared state, so every server process runs its own hub and
several processes behave as one. The watcher runs only while someone is subscribed; its
database reads run in a worker thread, never on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from server.changefeed import current_seq, keys_changed_between
from server.db import session_scope

log = logging.getLogger(__name__)


class PushHub:
    def __init__(self, sessions: sessionmaker[Session], poll_seconds: float) -> None:
        self._sessions = sessions
        self._poll = poll_seconds
        self._subscribers: dict[asyncio.Queue[int | None], frozenset[str]] = {}
        self._task: asyncio.Task[None] | None = None
        self.last_seq = 0

    def subscribe(self, keys: frozenset[str]) -> asyncio.Queue[int | None]:
        queue: asyncio.Queue[int | None] = asyncio.Queue(maxsize=16)
        self._subscribers[queue] = keys
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._watch())
        return queue

    def unsubscribe(self, queue: asyncio.Queue[int | None]) -> None:
        self._subscribers.pop(queue, None)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)

    async def close(self) -> None:
        for queue in list(self._subscribers):
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(None)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    def _read_seq(self) -> int:
        with session_scope(self._sessions) as session:
            return current_seq(session)

    def _read_keys(self, after: int, upto: int) -> set[str]:
        with session_scope(self._sessions) as session:
            return keys_changed_between(session, after, upto)

    async def _watch(self) -> None:
        self.last_seq = await run_in_threadpool(self._read_seq)
        while self._subscribers:
            await asyncio.sleep(self._poll)
            try:
                seq = await run_in_threadpool(self._read_seq)
                if seq <= self.last_seq:
                    continue
                keys = await run_in_threadpool(self._read_keys, self.last_seq, seq)
                self.last_seq = seq
            except Exception:
                log.exception("push hub could not read the change feed; retrying")
                await asyncio.sleep(1.0)
                continue
            for queue, wanted in list(self._subscribers.items()):
                if wanted & keys:
                    if queue.full():
                        with contextlib.suppress(asyncio.QueueEmpty):
                            queue.get_nowait()  # a newer poke replaces the oldest
                    queue.put_nowait(seq)
