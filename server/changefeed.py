"""The change feed: what each client pulls, scoped by audience keys.

Storage
    ``change_counter``   one row; ``value`` is the last ``seq`` handed out,
                         ``purged_below`` the oldest cursor still honoured.
    ``change_log``       one row per entity (its latest state or tombstone) at its latest
                         ``seq``; rewriting an entity moves it to a new ``seq``.
    ``change_audience``  (entity, id, key, visible): who may see it. A key that loses
                         access stays with ``visible = false`` — a tombstone for it.

Ordering guarantee (see docs/ARCHITECTURE.md): ``seq`` comes from ``UPDATE
change_counter … RETURNING``, whose row lock is held until the writing transaction
ends, so transactions that record changes commit in ``seq`` order. Readers read the
counter first and only return rows with ``seq <= counter``; every such row is already
committed, so no reader can skip a change that commits later.

Who may call: ``record_change`` runs inside a server transaction, after the domain
change is flushed. Record changes late in the transaction — the counter lock serialises
writers from that point until commit.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Integer,
    String,
    and_,
    delete,
    event,
    exists,
    func,
    select,
    text,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Mapped, Session, mapped_column

from modules.common.errors import DomainError, ResyncRequired
from server.db import Base, UTCDateTime, utcnow


class ChangeCounter(Base):
    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    purged_below: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class ChangeLog(Base):
    __tablename__ = "change_log"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, nullable=False, unique=True, index=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    deleted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class ChangeAudience(Base):
    __tablename__ = "change_audience"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True, index=True)
    visible: Mapped[bool] = mapped_column(Boolean, nullable=False)
    #: When, and at which ``seq``, the key lost access (for purging old tombstones).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hidden_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


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
    if LOCAL_COMMITS in session.info:
        session.info[_PENDING_TOP] = max(int(result), int(session.info.get(_PENDING_TOP, 0)))
    return int(result)


def record_change(
    session: Session,
    entity: str,
    entity_id: str,
    data: dict[str, Any] | None,
    audience: Iterable[str],
) -> int:
    """Publish the current state of one entity (``data=None``: deleted) to ``audience``.

    Keys the entity had before but not in ``audience`` keep a tombstone. Returns the
    entity's new ``seq``. Must run inside the transaction that made the change.
    """
    return record_changes(session, [(entity, entity_id, data, audience)])[0]


Change = tuple[str, str, dict[str, Any] | None, Iterable[str]]
_BATCH_LOOKUP = 500


def record_changes(session: Session, changes: Sequence[Change]) -> list[int]:
    """Publish many entities at once, in order; same contract as ``record_change``.

    One counter update hands out all the ``seq`` values and existing rows are read in
    a few queries, so bulk writers (directory import, seeding) cost a fraction of one
    call per entity. An entity named twice is published twice, in order.
    """
    if not changes:
        return []
    if len({(e, i) for e, i, _, _ in changes}) != len(changes):
        return [seq for change in changes for seq in record_changes(session, [change])]
    top = _allocate_seq(session, len(changes))
    first = top - len(changes) + 1
    now = utcnow()

    wanted: dict[str, list[str]] = {}
    for entity, entity_id, _, _ in changes:
        wanted.setdefault(entity, []).append(entity_id)
    logs: dict[tuple[str, str], ChangeLog] = {}
    audiences: dict[tuple[str, str], dict[str, ChangeAudience]] = {}
    for entity, ids in wanted.items():
        for i in range(0, len(ids), _BATCH_LOOKUP):
            chunk = ids[i:i + _BATCH_LOOKUP]
            for found in session.scalars(
                select(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.entity_id.in_(chunk))
            ):
                logs[(found.entity, found.entity_id)] = found
            for aud in session.scalars(
                select(ChangeAudience).where(
                    ChangeAudience.entity == entity, ChangeAudience.entity_id.in_(chunk)
                )
            ):
                audiences.setdefault((aud.entity, aud.entity_id), {})[aud.key] = aud

    seqs = []
    for offset, (entity, entity_id, data, audience) in enumerate(changes):
        seq = first + offset
        seqs.append(seq)
        row = logs.get((entity, entity_id))
        if row is None:
            row = ChangeLog(entity=entity, entity_id=entity_id, seq=seq, changed_at=now)
            session.add(row)
        row.seq = seq
        row.data = data
        row.deleted = data is None
        row.changed_at = now
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
    session.flush()
    return seqs


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


def read_feed(session: Session, keys: frozenset[str], cursor: str | None, limit: int) -> FeedPage:
    """One page of changes after ``cursor`` visible to ``keys``.

    Raises ``ValidationFailed(sync.bad_cursor)`` for a malformed cursor and
    ``ResyncRequired`` (410) for one that is no longer honoured.
    """
    fingerprint = scope_fingerprint(keys)
    counter = session.get(ChangeCounter, 1)
    horizon = counter.value if counter else 0
    purged_below = counter.purged_below if counter else 0
    after = 0
    if cursor:
        parsed = Cursor.decode(cursor)
        if parsed.scope != fingerprint or parsed.seq < purged_below or parsed.seq > horizon:
            raise ResyncRequired()
        after = parsed.seq
    if not keys:
        return FeedPage([], Cursor(horizon, fingerprint).encode(), False)

    key_list = sorted(keys)
    audience_match = and_(
        ChangeAudience.entity == ChangeLog.entity,
        ChangeAudience.entity_id == ChangeLog.entity_id,
        ChangeAudience.key.in_(key_list),
    )
    visible_expr = exists().where(audience_match, ChangeAudience.visible.is_(True))
    rows = session.execute(
        select(
            ChangeLog.seq,
            ChangeLog.entity,
            ChangeLog.entity_id,
            ChangeLog.data,
            ChangeLog.deleted,
            visible_expr.label("visible"),
        )
        .where(ChangeLog.seq > after, ChangeLog.seq <= horizon, exists().where(audience_match))
        .order_by(ChangeLog.seq)
        .limit(limit + 1)
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
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
    last = int(rows[-1][0]) if has_more else horizon
    return FeedPage(changes, Cursor(last, fingerprint).encode(), has_more)


def current_seq(session: Session) -> int:
    return int(session.execute(text("SELECT value FROM change_counter WHERE id = 1")).scalar() or 0)


def read_counter(session: Session) -> tuple[int, int]:
    """``(value, purged_below)`` of the counter in one statement (the push hub's tick)."""
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
    top = session.info.pop(_PENDING_TOP, None)
    tracker = session.info.get(LOCAL_COMMITS)
    if top is not None and isinstance(tracker, LocalCommits):
        tracker.committed(int(top))


@event.listens_for(Session, "after_rollback")
def _forget_pending(session: Session) -> None:
    session.info.pop(_PENDING_TOP, None)


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
