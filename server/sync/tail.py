"""The feed's recent tail, held by each process's push hub: pulls with changes, without SQL.

Under load almost every pull finds something (a phone number edited in a region reaches
the region's devices at their next pull), so the cheap "nothing new" answer
(:meth:`server.sync.hub.PushHub.quick_nothing_new`) alone leaves each such pull to the
database: the principal, the page, a transaction. But what those pulls read is what the
hub's last ticks already read — the few rows changed in the last seconds. The tick now
reads those rows whole (:func:`read_tail_rows`: each log row in its range with its data
as stored and its audience rows, in one statement, so one snapshot) and keeps them here;
a pull whose cursor lies inside the tail is answered from it, on the same terms as the
cheap pull (see :meth:`~server.sync.hub.PushHub.memory_page`).

The answer is the page the database would give at ``horizon = upto`` of the last tick:
for every ``seq`` in ``(cursor, upto]`` whose audience rows meet the reader's keys, the
log row at that ``seq`` — its data when one of those keys is visible and it is not
deleted, else a removal. The tail keeps, as the database does, an entity only at its
latest ``seq``: when a tick reads an entity again, its older entry is dropped.

Bounded: at most :data:`MAX_ENTRIES` entries and :data:`MAX_BYTES` of data; the oldest
go first and the tail then starts later (an older cursor is read from the database). A
tick with more rows than fit (an import) clears it and it starts again after that tick.

Thread-safety: every method takes the tail's lock; pulls read it from worker threads
while the hub's tick extends it on the event loop.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from server.changefeed import ChangeAudience, ChangeLog, FeedRow, _feed_data

#: Entries kept at most (an entry is one entity's latest change in the tail).
MAX_ENTRIES = 50_000
#: Bytes of stored JSON text kept at most.
MAX_BYTES = 64 * 1024 * 1024
#: Audience rows one tick reads whole at most; a larger tick clears the tail.
MAX_TICK_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class TailEntry:
    """One entity's change at ``seq``: ``data`` its stored JSON text (None: deleted),
    ``audience`` each key of its audience rows with whether it is visible."""

    seq: int
    entity: str
    entity_id: str
    data: str | None
    audience: dict[str, bool]


def read_tail_rows(session: Session, after: int, upto: int,
                   cap: int | None = None) -> list[TailEntry] | None:
    """Every log row with ``after < seq <= upto`` and its audience rows, in ``seq`` order,
    as :class:`TailEntry` (data as the pull reads it: the stored text); None when they
    are more than ``cap`` (default :data:`MAX_TICK_ROWS`) audience rows (the caller then
    reads only the keys).

    One statement, so the log rows and their audience rows come from one snapshot (an
    audience row always carries its log row's ``seq``: the join on it is exact)."""
    cap = MAX_TICK_ROWS if cap is None else cap
    statement = (
        select(ChangeLog.seq, ChangeLog.entity, ChangeLog.entity_id,
               _feed_data(True).label("data"), ChangeLog.deleted,
               ChangeAudience.key, ChangeAudience.visible)
        .join(ChangeAudience, and_(ChangeAudience.entity == ChangeLog.entity,
                                   ChangeAudience.entity_id == ChangeLog.entity_id,
                                   ChangeAudience.seq == ChangeLog.seq))
        .where(ChangeLog.seq > after, ChangeLog.seq <= upto)
        .order_by(ChangeLog.seq)
        .limit(cap + 1)
    )
    result = session.connection().execute(statement)
    try:
        rows = result.cursor.fetchall()  # the driver's tuples: a tick may hold thousands
    finally:
        result.close()
    if len(rows) > cap:
        return None
    entries: list[TailEntry] = []
    for seq, entity, entity_id, data, deleted, key, visible in rows:
        if not entries or entries[-1].seq != seq:
            entries.append(TailEntry(int(seq), str(entity), str(entity_id),
                                     None if deleted else data, {}))
        entries[-1].audience[str(key)] = bool(visible)
    return entries


class FeedTail:
    """The changes in ``(start, upto]``, complete: every entity whose latest change lies
    in that range is here at that change, and nothing else. ``start`` is None while the
    tail holds no complete range (before the hub's first read, after :meth:`clear`)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._lock = threading.Lock()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self.start: int | None = None
        self.upto = 0
        self._seqs: list[int] = []  # ascending; an entry dropped since may still be listed
        self._entries: dict[int, TailEntry] = {}
        self._latest: dict[tuple[str, str], int] = {}
        self._bytes = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def begin(self, at: int) -> None:
        """Start empty and complete at ``at`` (the counter the hub read first)."""
        with self._lock:
            self._reset(at)

    def clear(self) -> None:
        """Hold nothing: no pull is answered from here until :meth:`begin`."""
        with self._lock:
            self._reset(None)

    def _reset(self, at: int | None) -> None:
        self.start = at
        self.upto = at or 0
        self._seqs = []
        self._entries = {}
        self._latest = {}
        self._bytes = 0

    def extend(self, after: int, upto: int, entries: Iterable[TailEntry] | None) -> None:
        """What a tick read in ``(after, upto]``; ``entries`` None: too many to keep (the
        tail starts again, empty, at ``upto``). A range that does not continue the tail
        (``after`` is not its ``upto``) does the same."""
        with self._lock:
            if self.start is None or entries is None or after != self.upto or upto < after:
                self._reset(upto)
                return
            for entry in entries:
                key = (entry.entity, entry.entity_id)
                older = self._latest.get(key)
                if older is not None:
                    self._drop(older)
                self._latest[key] = entry.seq
                self._entries[entry.seq] = entry
                self._seqs.append(entry.seq)
                self._bytes += len(entry.data or "")
            self.upto = upto
            self._trim()

    def _drop(self, seq: int) -> None:
        entry = self._entries.pop(seq, None)
        if entry is not None:
            self._bytes -= len(entry.data or "")

    def _trim(self) -> None:
        """Drop the oldest entries beyond the bounds (lock held); the tail then starts at
        the last one dropped. Compacts the seq list when most of it is dropped entries."""
        drop = 0
        while (len(self._entries) > self._max_entries or self._bytes > self._max_bytes) \
                and drop < len(self._seqs):
            seq = self._seqs[drop]
            entry = self._entries.get(seq)
            if entry is not None:
                self._drop(seq)
                if self._latest.get((entry.entity, entry.entity_id)) == seq:
                    del self._latest[(entry.entity, entry.entity_id)]
            assert self.start is not None
            self.start = max(self.start, seq)
            drop += 1
        if drop:
            del self._seqs[:drop]
        if len(self._seqs) > 2 * len(self._entries) + 1024:
            self._seqs = [s for s in self._seqs if s in self._entries]

    def page(self, keys: frozenset[str], after: int, limit: int
             ) -> tuple[list[FeedRow], int, bool] | None:
        """``(rows, last seq, has_more)`` of the page after ``after`` for ``keys`` as the
        database gives it at ``horizon = upto`` (:func:`server.changefeed.read_feed_rows`);
        None when ``after`` is outside ``[start, upto]``."""
        with self._lock:
            if self.start is None or not (self.start <= after <= self.upto):
                return None
            rows: list[FeedRow] = []
            entries = self._entries
            at = bisect.bisect_right(self._seqs, after)
            for seq in self._seqs[at:]:
                entry = entries.get(seq)
                if entry is None:
                    continue
                shown: bool | None = None
                for key, visible in entry.audience.items():
                    if key in keys:
                        shown = shown or visible
                        if shown:
                            break
                if shown is None:
                    continue
                rows.append((seq, entry.entity, entry.entity_id,
                             entry.data if shown else None))
                if len(rows) > limit:
                    return rows[:limit], rows[limit - 1][0], True
            return rows, self.upto, False
