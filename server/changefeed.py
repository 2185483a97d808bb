"""The change feed: what each client pulls, scoped by audience keys.

Storage
    ``change_counter``   one row; ``value`` is the last ``seq`` handed out,
                         ``purged_below`` the oldest cursor still honoured.
    ``change_log``       one row per entity (its latest state or tombstone) at its latest
                         ``seq``; rewriting an entity moves it to a new ``seq``. On
                         PostgreSQL a row is written with ``seq = NULL`` (pending) and
                         numbered after its transaction commits (see below).
    ``change_audience``  (entity, id, key, visible): who may see it. A key that loses
                         access stays with ``visible = false`` — a tombstone for it.

Ordering guarantee (see docs/ARCHITECTURE.md): readers read the counter first and only
return rows with ``seq <= counter``; every ``seq`` at or below the counter is committed,
so no reader can skip a change that commits later.

* SQLite (one writer at a time anyway): ``seq`` comes from ``UPDATE change_counter …
  RETURNING`` inside the writing transaction.
* PostgreSQL: writers do not touch the counter, so they commit in parallel. Their rows
  are pending (``seq IS NULL``, invisible to readers) until a *sequencing pass* — one
  statement that takes the counter row, numbers every committed pending row after the
  counter and raises it — commits. Passes are serialised by the counter row, so ``seq``
  order is the order in which passes commit, and a pass numbers only rows that are
  already committed. The committing session runs a pass right after its commit
  (:class:`Sequencer`, shared by the process's writers like a group commit), so a
  writer's change is in the feed when its request answers; the push hub's tick runs one
  too, for a process that died between its commit and its pass.

Who may call: ``record_change`` runs inside a server transaction, after the domain
change is flushed.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import functools
import hashlib
import logging
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Index,
    Integer,
    Select,
    String,
    Text,
    and_,
    bindparam,
    case,
    create_engine,
    delete,
    event,
    exists,
    func,
    select,
    text,
    true,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.orm import Mapped, Session, defer, mapped_column
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.sql.selectable import Subquery

from modules.common.errors import DomainError, ResyncRequired
from server.db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)


class ChangeCounter(Base):
    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    purged_below: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class ChangeLog(Base):
    __tablename__ = "change_log"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    #: ``None`` while pending (PostgreSQL: written, not yet numbered by a pass).
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True, unique=True, index=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    __table_args__ = (
        # The sequencing pass finds pending rows through this (empty when caught up).
        Index("ix_change_log_pending", "changed_at", postgresql_where=text("seq IS NULL"),
              sqlite_where=text("seq IS NULL")),
    )


class ChangeAudience(Base):
    __tablename__ = "change_audience"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    visible: Mapped[bool] = mapped_column(Boolean, nullable=False)
    #: When, and at which ``seq``, the key lost access (for purging old tombstones).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hidden_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    #: Always the entity's ``change_log.seq`` (``None`` while pending): a reader walks
    #: its keys' rows in ``seq`` order through ``ix_change_audience_key_seq``.
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    __table_args__ = (
        Index("ix_change_audience_key_seq", "key", "seq", "visible"),
    )


def ensure_counter(session: Session) -> None:
    """Create the counter row if missing (run at start-up, idempotent)."""
    if session.get(ChangeCounter, 1) is None:
        session.add(ChangeCounter(id=1, value=0, purged_below=0))
        session.flush()


def _allocate_seq(session: Session, count: int = 1) -> int:
    """Take ``count`` consecutive values; returns the last. Locks the counter row."""
    result = session.execute(
        update(ChangeCounter)
        .where(ChangeCounter.id == 1)
        .values(value=ChangeCounter.value + count)
        .returning(ChangeCounter.value)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if result is None:  # first write on a fresh database without start-up seeding
        ensure_counter(session)
        return _allocate_seq(session, count)
    session.info[_PENDING_TOP] = max(int(result), int(session.info.get(_PENDING_TOP, 0)))
    return int(result)


def record_change(
    session: Session,
    entity: str,
    entity_id: str,
    data: dict[str, Any] | None,
    audience: Iterable[str],
) -> None:
    """Publish the current state of one entity (``data=None``: deleted) to ``audience``.

    Keys the entity had before but not in ``audience`` keep a tombstone. Must run inside
    the transaction that made the change; the change reaches readers once it commits.
    """
    record_changes(session, [(entity, entity_id, data, audience)])


Change = tuple[str, str, dict[str, Any] | None, Iterable[str]]
_BATCH_LOOKUP = 500


def deferred_numbering(session: Session) -> bool:
    """Whether this session's feed rows are numbered after commit (PostgreSQL)."""
    return session.get_bind().dialect.name == "postgresql"


def record_changes(session: Session, changes: Sequence[Change]) -> None:
    """Publish many entities at once, in order; same contract as ``record_change``.

    Existing rows are read in a few queries (and on SQLite one counter update numbers
    them all), so bulk writers (directory import, seeding) cost a fraction of one call
    per entity. An entity named twice ends with its last state.
    """
    if not changes:
        return
    buffer = session.info.get(_BUFFER)
    if buffer is not None:  # a push batch's fast pass: written once, before its commit
        buffer.extend((e, i, copy.deepcopy(d), tuple(a)) for e, i, d, a in changes)
        return
    if len({(e, i) for e, i, _, _ in changes}) != len(changes):
        for change in changes:
            record_changes(session, [change])
        return
    deferred = deferred_numbering(session)
    if deferred:
        first: int | None = None
        session.info[UNNUMBERED] = True
    else:
        first = _allocate_seq(session, len(changes)) - len(changes) + 1
    now = utcnow()

    wanted: dict[str, list[str]] = {}
    for entity, entity_id, _, _ in changes:
        wanted.setdefault(entity, []).append(entity_id)
    logs: dict[tuple[str, str], ChangeLog] = {}
    audiences: dict[tuple[str, str], dict[str, ChangeAudience]] = {}
    for entity, ids in wanted.items():
        for i in range(0, len(ids), _BATCH_LOOKUP):
            chunk = ids[i:i + _BATCH_LOOKUP]
            # The log rows and their audience rows in one statement (an audience row
            # never outlives its log row: the purge drops only orphaned log rows). The
            # old data is not loaded: it is overwritten.
            for found, aud in session.execute(
                select(ChangeLog, ChangeAudience)
                .options(defer(ChangeLog.data))
                .outerjoin(ChangeAudience, and_(ChangeAudience.entity == ChangeLog.entity,
                                                ChangeAudience.entity_id == ChangeLog.entity_id))
                .where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(chunk))
            ):
                logs[(found.entity, found.entity_id)] = found
                if aud is not None:
                    audiences.setdefault((aud.entity, aud.entity_id), {})[aud.key] = aud

    # Pending rows are numbered in ``changed_at`` order: a microsecond apart, increasing
    # through the transaction, they keep the order in which they were published.
    stamp = max(now, session.info.get(_LAST_STAMP, now)) if deferred else now
    numbered: list[int | None] = []
    for offset, (entity, entity_id, data, _) in enumerate(changes):
        seq = None if first is None else first + offset
        numbered.append(seq)
        if deferred:
            stamp += _TICK
        row = logs.get((entity, entity_id))
        if row is None:
            row = ChangeLog(entity=entity, entity_id=entity_id, seq=seq, changed_at=stamp)
            session.add(row)
        row.seq = seq
        row.data = data
        row.deleted = data is None
        row.changed_at = stamp
    if deferred and logs:
        # The log rows first: a sequencing pass locks a log row before its audience rows,
        # so a writer taking them in the other order could deadlock with it.
        session.flush()
    for seq, (entity, entity_id, data, audience) in zip(numbered, changes, strict=True):
        keys = set(audience)
        existing = audiences.get((entity, entity_id), {})
        visible = data is not None
        for key in keys:
            current = existing.get(key)
            if current is None:
                session.add(
                    ChangeAudience(
                        entity=entity,
                        entity_id=entity_id,
                        key=key,
                        visible=visible,
                        hidden_at=None if visible else now,
                        hidden_seq=None if visible else seq,
                        seq=seq,
                    )
                )
            elif current.visible != visible:
                current.visible = visible
                current.hidden_at = None if visible else now
                current.hidden_seq = None if visible else seq
        for key, current in existing.items():
            if key not in keys and current.visible:
                current.visible = False
                current.hidden_at = now
                current.hidden_seq = seq
            # Written even when it looks unchanged: a pass may have numbered the row
            # since it was read, and it must follow the log row back to pending.
            current.seq = seq
            flag_modified(current, "seq")
    if deferred:
        session.info[_LAST_STAMP] = stamp
    session.flush()


#: ``session.info`` key: the changes published so far, not yet written (see
#: :func:`buffer_changes`).
_BUFFER = "feed_buffer"


def buffer_changes(session: Session) -> None:
    """From now on, keep what ``record_change(s)`` publishes in ``session`` in memory;
    :func:`write_buffered` writes it, in one go, before the transaction commits.

    For a push batch's fast pass (``server/push_batch.py``), which runs without
    savepoints and is rolled back as a whole if any intent fails: the feed rows of
    100 intents cost a few statements instead of four or five per intent. While
    changes are buffered the transaction's ``change_log`` / ``change_audience`` rows are
    not up to date, so the caller must not rely on reading them (the batch watches its
    statements and falls back to its exact pass if something reads them)."""
    session.info[_BUFFER] = []


def buffered_changes(session: Session) -> int:
    """How many published changes :func:`buffer_changes` holds (0 when not buffering)."""
    return len(session.info.get(_BUFFER) or ())


def write_buffered(session: Session) -> None:
    """Write what was buffered (an entity published several times ends with its last
    state, at the place of its last publication) and stop buffering."""
    changes = session.info.pop(_BUFFER, None)
    if not changes:
        return
    last: dict[tuple[str, str], int] = {}
    for index, (entity, entity_id, _, _) in enumerate(changes):
        last[(entity, entity_id)] = index
    record_changes(session, [changes[i] for i in sorted(last.values())])


@event.listens_for(Session, "before_commit")
def _write_before_commit(session: Session) -> None:
    # A safety net: whoever commits a buffering session commits its feed rows too.
    if session.info.get(_BUFFER) is not None and not session.in_nested_transaction():
        write_buffered(session)


_LAST_STAMP = "feed_last_stamp"
_TICK = timedelta(microseconds=1)

# --------------------------------------------------------------------------- numbering

#: ``session.info`` key: this transaction wrote pending (unnumbered) feed rows.
UNNUMBERED = "feed_unnumbered"
#: Pending rows numbered per pass at most (a bulk import is numbered in several passes).
PASS_ROWS = 5000

# One statement: take the counter row (only when something is pending), number the
# committed pending rows after it in (changed_at, entity, id) order, raise the counter,
# give their audience rows the same seq (stamping the tombstones those rows made), and
# wake other processes' hubs (the payload: the new counter value). Rows a writer
# is rewriting at this moment are skipped (SKIP LOCKED): that writer's own pass numbers
# them after its commit.
_PASS_SQL = text("""
WITH pending AS (
    SELECT entity, entity_id, changed_at FROM change_log
    WHERE seq IS NULL
    ORDER BY changed_at, entity, entity_id
    LIMIT :rows
    FOR UPDATE SKIP LOCKED
), total AS (
    SELECT count(*) AS n FROM pending
), ctr AS (
    UPDATE change_counter SET value = value + (SELECT n FROM total)
    WHERE id = 1 AND (SELECT n FROM total) > 0
    RETURNING value - (SELECT n FROM total) AS base, value AS top
), numbered AS (
    SELECT p.entity, p.entity_id,
           ctr.base + row_number() OVER (ORDER BY p.changed_at, p.entity, p.entity_id) AS seq
    FROM pending p CROSS JOIN ctr
), logged AS (
    UPDATE change_log l SET seq = numbered.seq FROM numbered
    WHERE l.entity = numbered.entity AND l.entity_id = numbered.entity_id
    RETURNING l.entity, l.entity_id, l.seq
), audience AS (
    UPDATE change_audience a SET seq = logged.seq,
        hidden_seq = CASE WHEN a.visible = false AND a.hidden_seq IS NULL
                          THEN logged.seq ELSE a.hidden_seq END
    FROM logged
    WHERE a.entity = logged.entity AND a.entity_id = logged.entity_id
    RETURNING (NOT a.visible AND a.hidden_seq = logged.seq) AS hid
)
SELECT (SELECT top FROM ctr) AS top, (SELECT n FROM total) AS n,
       (SELECT count(*) FROM audience WHERE hid) AS hidden,
       CASE WHEN (SELECT n FROM total) > 0
            THEN pg_notify(:channel, (SELECT top FROM ctr)::text) END AS notified
""")

#: The PostgreSQL NOTIFY channel a pass announces new ``seq`` values on.
NOTIFY_CHANNEL = "office_feed"


def number_pending(session: Session) -> tuple[int, int]:
    """Run sequencing passes in ``session``'s transaction until nothing committed is
    pending; returns ``(rows numbered, counter top or 0 when none were)``.

    PostgreSQL only. The caller commits; until then the counter row stays locked, so
    keep the transaction short (a pass is one statement). On an autocommit connection
    (the :class:`Sequencer`'s) each pass commits as it ends.
    """
    numbered, top = 0, 0
    while True:
        row = session.execute(_PASS_SQL, {"rows": PASS_ROWS, "channel": NOTIFY_CHANNEL}).one()
        count = int(row.n or 0)
        if count and row.top is None:  # a fresh database without start-up seeding
            session.execute(text(
                "INSERT INTO change_counter (id, value, purged_below) VALUES (1, 0, 0) "
                "ON CONFLICT (id) DO NOTHING"))
            continue
        if row.top is not None:
            top = int(row.top)
        numbered += count
        if count < PASS_ROWS:
            return numbered, top


class Sequencer:
    """Numbers a process's committed pending rows, many writers per pass.

    Threading: any thread may call :meth:`catch_up`; one pass runs at a time per
    process, on a connection from a pool of its own: writers wait for their pass while
    holding a connection of the engine's pool, so a pass taking one from that pool
    could wait for ever once the pool is full. A caller waits for a pass that *started* after its call, which
    therefore sees its commit; callers arriving during a pass share the next one.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = weakref.ref(engine)
        self._cond = threading.Condition()
        self._issued = 0
        self._done = 0
        self._running = False
        self._top = 0
        self._conn: Connection | None = None
        self._own: Engine | None = None
        #: Passes run (tests and benchmarks).
        self.passes = 0

    def catch_up(self) -> int:
        """Number everything committed before this call; returns the counter top seen
        by the pass that covered it (0 if nothing was pending). Raises what the database
        raised; the rows stay pending for the next pass."""
        with self._cond:
            self._issued += 1
            ticket = self._issued
            while self._done < ticket:
                if self._running:
                    self._cond.wait()
                    continue
                self._running = True
                covers = self._issued
                self._cond.release()
                try:
                    top = self._pass()
                finally:
                    self._cond.acquire()
                    self._running = False
                    self._cond.notify_all()
                self._done = max(self._done, covers)
                self._top = max(self._top, top)
            return self._top

    def _pass(self) -> int:
        self.passes += 1
        try:
            if self._conn is None or self._conn.closed or self._conn.invalidated:
                if self._own is None:
                    engine = self._engine()
                    if engine is None:
                        return 0
                    # The same driver settings (connect arguments) in a separate pool.
                    self._own = create_engine(engine.url, pool=engine.pool.recreate())
                # Each pass is one statement and commits by itself: no BEGIN and COMMIT
                # round trips, and the counter row is held for the statement only.
                self._conn = self._own.connect().execution_options(isolation_level="AUTOCOMMIT")
            with Session(bind=self._conn) as session:
                _, top = number_pending(session)
                session.commit()
            return top
        except BaseException:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.close()
                self._conn = None
            raise

    def close(self) -> None:
        """Close the pass's connection (the engine was disposed; its pool is gone)."""
        with self._cond:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.invalidate()
                    self._conn.close()
                self._conn = None
            if self._own is not None:
                self._own.dispose()
                self._own = None


_sequencers: weakref.WeakKeyDictionary[Engine, Sequencer] = weakref.WeakKeyDictionary()
_sequencers_lock = threading.Lock()


def sequencer_for(engine: Engine) -> Sequencer:
    """The process's :class:`Sequencer` of ``engine`` (created on first use)."""
    with _sequencers_lock:
        found = _sequencers.get(engine)
        if found is None:
            found = _sequencers[engine] = Sequencer(engine)
            event.listen(engine, "engine_disposed", lambda _engine: found.close())
        return found


# --------------------------------------------------------------------------- cursors


@dataclass(frozen=True)
class Cursor:
    seq: int
    scope: str

    def encode(self) -> str:
        raw = f"v1:{self.seq}:{self.scope}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @staticmethod
    def decode(token: str) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            version, seq, scope = base64.urlsafe_b64decode(padded).decode().split(":")
            if version != "v1" or int(seq) < 0 or not scope:
                raise ValueError
            return Cursor(int(seq), scope)
        except (ValueError, UnicodeDecodeError) as exc:
            raise DomainError("sync.bad_cursor") from exc


def scope_fingerprint(keys: Iterable[str]) -> str:
    """A short stable hash of a key set; a changed scope forces a resync."""
    digest = hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()
    return digest[:16]


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class FeedPage:
    changes: list[dict[str, Any]]
    cursor: str
    has_more: bool


#: One change of a page as :func:`read_feed_rows` gives it: ``(seq, entity, id, data)``,
#: ``data`` the stored JSON text of a live change, None for a removal.
FeedRow = tuple[int, str, str, "str | None"]


@dataclass(frozen=True)
class FeedRows:
    rows: list[FeedRow]
    cursor: str
    has_more: bool


def _fetch_all(
    conn: Connection, statement: Select[Any], *, raw: bool, params: dict[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Every row of ``statement`` as tuples. ``raw``: the driver's own (its ``fetchall``),
    no Row object and no result processing per row — a page is thousands of rows, and
    building Rows was most of a page's CPU on SQLite; columns come as the driver gives
    them (a boolean may be 0/1, a JSON column its text): only for callers that read them
    so."""
    result = conn.execute(statement, params)
    if not raw:
        return [tuple(row) for row in result.all()]
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _feed_page(key_count: int) -> Subquery:
    """The page's ``(seq, shown)`` for ``key_count`` keys bound as ``k0`` …, after ``after``
    up to ``horizon``, ``lim`` rows at most.

    The page is found from the reader's audience rows alone: one ordered range scan of
    ``ix_change_audience_key_seq`` per key, each stopping after ``lim`` rows, so a page
    costs about ``keys x limit`` index entries whatever the planner knows (no statistics
    needed) and whether the reader sees every row or one in a hundred."""
    lim = bindparam("lim", type_=Integer)
    window = and_(ChangeAudience.seq > bindparam("after", type_=BigInteger),
                  ChangeAudience.seq <= bindparam("horizon", type_=BigInteger))
    branches = []
    for i in range(key_count):
        ranged = (
            select(ChangeAudience.seq, ChangeAudience.visible)
            .where(ChangeAudience.key == bindparam(f"k{i}", type_=String), window)
            .order_by(ChangeAudience.seq)
            .limit(lim)
            .subquery()
        )
        branches.append(select(ranged.c.seq, ranged.c.visible))
    hits = union_all(*branches).subquery("hits")
    return (
        select(hits.c.seq, func.max(case((hits.c.visible, 1), else_=0)).label("shown"))
        .group_by(hits.c.seq)
        .order_by(hits.c.seq)
        .limit(lim)
        .subquery("page")
    )


def _feed_data(raw: bool) -> Any:
    return type_coerce(sql_cast(ChangeLog.data, Text), Text) if raw else ChangeLog.data


# Building the statement was most of a page's CPU (a subquery per key): it is built once
# per shape — key count, and whether ``data`` comes as text — with every value bound.
@functools.lru_cache(maxsize=256)
def _feed_statement(key_count: int, raw: bool) -> Select[Any]:
    """PostgreSQL: the page, then each page row's log row by its unique seq. LATERAL …
    LIMIT 1 keeps this a look-up per row: a plain join or ``seq IN (…)`` lets a planner
    without statistics scan the whole log instead."""
    page = _feed_page(key_count)
    row = (
        select(ChangeLog.entity, ChangeLog.entity_id, _feed_data(raw).label("data"),
               ChangeLog.deleted)
        .where(ChangeLog.seq == page.c.seq)
        .limit(1)
        .lateral("row")
    )
    return (
        select(page.c.seq, row.c.entity, row.c.entity_id, row.c.data, row.c.deleted,
               page.c.shown)
        .select_from(page)
        .join(row, true())
        .order_by(page.c.seq)
    )


@functools.lru_cache(maxsize=256)
def _feed_statement_sqlite(key_count: int, raw: bool) -> Select[Any]:
    """SQLite: the page (materialised: it groups and limits), then each of its rows' log
    row through ``ix_change_log_seq`` — one statement, its rows in page order (a
    statement for the page and one for its log rows by a JSON array of seqs cost a third
    more: two result sets, and a dict and a list per page to join them in Python).

    The ORDER BY sorts the joined rows in a temporary B-tree (a quarter of the
    statement's own time) and is kept: it makes SQLite do the whole join in the first
    step, with the interpreter lock released once, and hand out the rows after it. Left
    to the Python side, each row's step did its look-up and released the lock again —
    a first sync against a server in the client's process took ~0.15 s longer per
    100,000 records, the client's threads included (A/B, stop 25)."""
    page = _feed_page(key_count)
    return (
        select(page.c.seq, ChangeLog.entity, ChangeLog.entity_id, _feed_data(raw).label("data"),
               ChangeLog.deleted, page.c.shown)
        .select_from(page)
        .join(ChangeLog, ChangeLog.seq == page.c.seq)
        .order_by(page.c.seq)
    )


def read_feed(
    session: Session, keys: frozenset[str], cursor: str | None, limit: int, *, raw: bool = False
) -> FeedPage:
    """One page of changes after ``cursor`` visible to ``keys``.

    ``raw``: each live change's ``data`` is its stored JSON text (a ``str``), not decoded,
    for a caller that writes it out as it is.

    Raises ``ValidationFailed(sync.bad_cursor)`` for a malformed cursor and
    ``ResyncRequired`` (410) for one that is no longer honoured.
    """
    if raw:
        page = read_feed_rows(session, keys, cursor, limit)
        changes = [
            {"seq": seq, "entity": entity, "id": entity_id,
             "op": "delete" if data is None else "upsert", "data": data}
            for seq, entity, entity_id, data in page.rows
        ]
        return FeedPage(changes, page.cursor, page.has_more)
    return cast(FeedPage, _read_feed(session, keys, cursor, limit, raw=False))


def read_feed_rows(
    session: Session, keys: frozenset[str], cursor: str | None, limit: int
) -> FeedRows:
    """:func:`read_feed` with ``raw`` as plain tuples (:data:`FeedRow`), no dict per
    change: for the pull route, which writes each one out as it is."""
    return cast(FeedRows, _read_feed(session, keys, cursor, limit, raw=True))


#: The counter as a pull reads it: one prebuilt Core statement (``session.get`` cost a
#: database pull more CPU than its page — the ORM's load of one row).
_COUNTER_NOW = text("SELECT value, purged_below FROM change_counter WHERE id = 1")


def _counter_now(session: Session) -> tuple[int, int]:
    """``(value, purged_below)`` of the counter in this transaction. A counter object
    this session holds (changed by ORM, maybe not flushed: :func:`purge_tombstones`) is read as
    ``session.get`` read it; else one Core statement."""
    held = session.identity_map.get(session.identity_key(ChangeCounter, 1))
    if isinstance(held, ChangeCounter):
        return int(held.value), int(held.purged_below)
    row = session.connection().execute(_COUNTER_NOW).first()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


def _read_feed(
    session: Session, keys: frozenset[str], cursor: str | None, limit: int, *, raw: bool
) -> FeedPage | FeedRows:
    fingerprint = scope_fingerprint(keys)
    horizon, purged_below = _counter_now(session)
    after = 0
    if cursor:
        parsed = Cursor.decode(cursor)
        if parsed.scope != fingerprint or parsed.seq < purged_below or parsed.seq > horizon:
            raise ResyncRequired()
        after = parsed.seq
    if not keys:
        empty = Cursor(horizon, fingerprint).encode()
        return FeedRows([], empty, False) if raw else FeedPage([], empty, False)

    conn = session.connection()  # Core rows: a page is thousands of them
    params: dict[str, Any] = {f"k{i}": key for i, key in enumerate(sorted(keys))}
    params.update(after=after, horizon=horizon, lim=limit + 1)
    statement = (_feed_statement if conn.dialect.name == "postgresql"
                 else _feed_statement_sqlite)(len(keys), raw)
    rows = _fetch_all(conn, statement, raw=raw, params=params)
    has_more = len(rows) > limit
    rows = rows[:limit]
    last = int(rows[-1][0]) if has_more else horizon
    if raw:
        return FeedRows(
            [(int(seq), entity, entity_id, data if is_visible and not deleted else None)
             for seq, entity, entity_id, data, deleted, is_visible in rows],
            Cursor(last, fingerprint).encode(), has_more)
    changes = []
    for seq, entity, entity_id, data, deleted, is_visible in rows:
        live = bool(is_visible) and not deleted
        changes.append(
            {
                "seq": int(seq),
                "entity": entity,
                "id": entity_id,
                "op": "upsert" if live else "delete",
                "data": data if live else None,
            }
        )
    return FeedPage(changes, Cursor(last, fingerprint).encode(), has_more)


def current_seq(session: Session) -> int:
    return int(session.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar() or 0)


def read_counter(session: Session) -> tuple[int, int]:
    """``(value, purged_below)`` of the counter (the push hub's tick).

    On PostgreSQL it first numbers committed rows still pending — left by a process that
    died between its commit and its pass; a cheap index probe when there are none.
    """
    if deferred_numbering(session):
        number_pending(session)
    row = session.execute(
        text("SELECT value, purged_below FROM change_counter WHERE id = 1")
    ).first()
    return (int(row[0]), int(row[1])) if row is not None else (0, 0)


def entity_keys_changed_between(session: Session, after: int, upto: int) -> set[tuple[str, str]]:
    """``(entity, key)`` pairs of entities whose latest change lies in ``(after, upto]``."""
    rows = session.execute(
        select(ChangeLog.entity, ChangeAudience.key)
        .join(
            ChangeAudience,
            and_(
                ChangeAudience.entity == ChangeLog.entity,
                ChangeAudience.entity_id == ChangeLog.entity_id,
            ),
        )
        .where(ChangeLog.seq > after, ChangeLog.seq <= upto)
        .distinct()
    ).all()
    return {(str(e), str(k)) for e, k in rows}


def rows_changed_between(
    session: Session, entity: str, after: int, upto: int, *, with_data: bool
) -> list[tuple[str, dict[str, Any] | None]]:
    """``(entity id, data or None)`` of one entity's rows whose latest change is in range."""
    cols = (ChangeLog.entity_id, ChangeLog.data) if with_data else (ChangeLog.entity_id,)
    rows = session.execute(
        select(*cols).where(
            ChangeLog.entity == entity, ChangeLog.seq > after, ChangeLog.seq <= upto
        )
    ).all()
    return [(str(r[0]), r[1] if with_data else None) for r in rows]


# --------------------------------------------------------------------------- commits seen here

#: ``session.info`` key of a :class:`LocalCommits` shared by a process's sessions.
LOCAL_COMMITS = "feed_local_commits"
_PENDING_TOP = "feed_pending_top"


class LocalCommits:
    """The highest ``seq`` this process has committed (the cheap pull must not answer
    "nothing new" before the push hub has seen this process's own commits)."""

    def __init__(self) -> None:
        self.top = 0

    def committed(self, seq: int) -> None:
        if seq > self.top:
            self.top = seq


@event.listens_for(Session, "after_commit")
def _note_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released (SQLAlchemy reports it as a commit too)
    top = session.info.pop(_PENDING_TOP, None)
    if session.info.pop(UNNUMBERED, False):
        bind = session.get_bind()
        engine = bind.engine if isinstance(bind, Connection) else bind
        try:
            top = max(int(top or 0), sequencer_for(engine).catch_up())
        except Exception:  # the rows stay pending; the next pass (any process) numbers them
            log.warning("numbering the feed after a commit failed", exc_info=True)
    tracker = session.info.get(LOCAL_COMMITS)
    if top is not None and isinstance(tracker, LocalCommits):
        tracker.committed(int(top))


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING_TOP, None)
    # UNNUMBERED stays: this may be a savepoint's rollback, after which the batch's other
    # pending rows still commit (a pass with nothing to number is one index probe).


def keys_changed_between(session: Session, after: int, upto: int) -> set[str]:
    """Audience keys of entities whose latest change lies in ``(after, upto]``."""
    rows = session.execute(
        select(ChangeAudience.key)
        .join(
            ChangeLog,
            and_(
                ChangeAudience.entity == ChangeLog.entity,
                ChangeAudience.entity_id == ChangeLog.entity_id,
            ),
        )
        .where(ChangeLog.seq > after, ChangeLog.seq <= upto)
        .distinct()
    ).scalars()
    return set(rows)


def purge_tombstones(session: Session, older_than: timedelta) -> int:
    """Drop tombstones older than ``older_than``; cursors before them will get 410.

    Returns the number of audience rows removed. Takes the counter lock, so it is
    ordered with writers like any other change.
    """
    cutoff = utcnow() - older_than
    _allocate_seq(session)  # takes the counter lock: ordered with writers
    old = and_(ChangeAudience.visible.is_(False), ChangeAudience.hidden_at < cutoff)
    newest = session.execute(select(func.max(ChangeAudience.hidden_seq)).where(old)).scalar()
    if newest is None:
        return 0
    removed = cast("CursorResult[Any]", session.execute(delete(ChangeAudience).where(old))).rowcount
    orphan = ~exists().where(
        ChangeAudience.entity == ChangeLog.entity, ChangeAudience.entity_id == ChangeLog.entity_id
    )
    session.execute(delete(ChangeLog).where(orphan))
    counter = session.get(ChangeCounter, 1)
    assert counter is not None
    counter.purged_below = max(counter.purged_below, int(newest))
    return int(removed or 0)
