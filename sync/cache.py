"""Local cache: the client's SQLite database (one file per server and account).

Layers kept in one file:

* ``records`` — every entity the server sent: ``base`` is the last server state (``NULL``
  when the server has none, e.g. a record created offline), ``data`` is what screens show
  (``base`` with the pending intents re-applied; ``NULL`` = hidden/deleted locally).
* ``outbox`` — the durable queue of intents (see :mod:`sync.local` and
  :mod:`sync.engine`).
* ``meta`` — cursor, last synced time, principal profile, schema version.
* ``blobs`` / ``blob_queue`` — the content-addressed file cache (:mod:`sync.blobs`).
* projection tables — search tables owned by feature modules, kept in step with ``data``
  in the same transaction (:func:`register_projection`).

Threading: a :class:`LocalCache` may be used from any thread. Writers are serialised by
an in-process lock (``write()`` is one transaction); readers use their own connection
(WAL lets them run beside the writer). Callers on the GUI thread must not use it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)

#: Bump when the layout of the internal tables changes; an older cache is rebuilt.
SCHEMA_VERSION = 1

Key = tuple[str, str]

metadata = MetaData()
#: Feature modules define their projection (search) tables on this MetaData.
projection_metadata = MetaData()

records = Table(
    "records",
    metadata,
    Column("entity", String, primary_key=True),
    Column("id", String, primary_key=True),
    Column("base", JSON(none_as_null=True), nullable=True),
    Column("data", JSON(none_as_null=True), nullable=True),
    Column("seq", Integer, nullable=True),
    Column("updated_at", String, nullable=False),
    # True while a full resync (410) has not yet re-confirmed this record's base.
    Column("stale", Boolean, nullable=False, default=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("order", Integer, primary_key=True, autoincrement=True),
    Column("mutation_id", String, nullable=False, unique=True),
    Column("name", String, nullable=False),
    Column("args", JSON, nullable=False),
    Column("touched", JSON, nullable=False),
    # pending | inflight | applied (until the next pull) | rejected
    Column("state", String, nullable=False, default="pending", index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", String, nullable=True),
    Column("error", JSON(none_as_null=True), nullable=True),
    Column("created_at", String, nullable=False),
)

meta_table = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", JSON(none_as_null=True), nullable=True),
)

blobs_table = Table(
    "blobs",
    metadata,
    Column("sha256", String, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("last_used", String, nullable=False),
    # Pinned blobs (waiting for upload) are never evicted.
    Column("pinned", Boolean, nullable=False, default=False),
)

blob_queue = Table(
    "blob_queue",
    metadata,
    Column("sha256", String, primary_key=True),
    Column("direction", String, primary_key=True),  # "up" | "down"
    Column("state", String, nullable=False, default="queued"),  # queued | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", JSON(none_as_null=True), nullable=True),
    Column("created_at", String, nullable=False),
)

#: Outbox states whose effect is part of the displayed state.
LIVE_STATES = ("pending", "inflight", "applied")


def _json_dumps(value: Any) -> str:
    # Chinese text stays readable (and a third of the size) in the cache file.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    return dt.astimezone(UTC).isoformat()


# ---------------------------------------------------------------------------
# Projections


@dataclass(frozen=True)
class Projection:
    """A module's search tables for one entity kind.

    ``apply(session, id, data)`` is called inside the writing transaction whenever the
    displayed state of ``(entity, id)`` changes; ``data`` is ``None`` when the record is
    no longer shown. It must only touch its own ``tables``.
    """

    entity: str
    tables: list[Table]
    apply: Callable[[Session, str, dict[str, Any] | None], None]


_projections: dict[str, list[Projection]] = {}
_projections_lock = threading.Lock()


def register_projection(projection: Projection) -> None:
    """Register a projection (module import time). Tables must be on ``projection_metadata``."""
    for table in projection.tables:
        if table.metadata is not projection_metadata:
            raise ValueError(f"projection table {table.name} must use sync.cache.projection_metadata")
    with _projections_lock:
        existing = _projections.setdefault(projection.entity, [])
        if projection not in existing:
            existing.append(projection)


def projections_for(entity: str) -> list[Projection]:
    with _projections_lock:
        return list(_projections.get(entity, ()))


def _projection_names() -> list[str]:
    with _projections_lock:
        return sorted(
            f"{p.entity}:{','.join(t.name for t in p.tables)}"
            for ps in _projections.values()
            for p in ps
        )


# ---------------------------------------------------------------------------
# The cache


class LocalCache:
    """The local database. ``path=None`` keeps it in memory (tests).

    Opening a file that is corrupt or was written by another schema version moves it
    aside (``*.broken``) and starts empty — the engine then pulls everything again.
    Pending intents of the old file are salvaged into the new outbox when readable.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = Path(path) if path is not None else None
        self._write_lock = threading.RLock()
        self.rebuilt = False  # True when the file had to be rebuilt on open
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = self._open()

    # -- opening -------------------------------------------------------------------

    def _make_engine(self) -> Engine:
        if self.path is None:
            engine = create_engine(
                "sqlite://",
                connect_args={"check_same_thread": False},
                poolclass=StaticPool,
                json_serializer=_json_dumps,
            )
        else:
            engine = create_engine(
                f"sqlite:///{self.path}",
                connect_args={"check_same_thread": False, "timeout": 30},
                json_serializer=_json_dumps,
            )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own
            # transaction handling would defer it past our reads).
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            if self.path is not None:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine

    def _open(self) -> Engine:
        salvaged: list[dict[str, Any]] = []
        engine = self._make_engine()
        try:
            self._check_schema(engine)
        except (DatabaseError, sqlite3.DatabaseError, _SchemaMismatch) as exc:
            log.warning("local cache %s unusable (%s); rebuilding from the server", self.path, exc)
            engine.dispose()
            salvaged = _salvage_outbox(self.path)
            self._move_aside()
            engine = self._make_engine()
            self.rebuilt = True
            self._check_schema(engine)
        if salvaged:
            with engine.begin() as conn:
                for row in salvaged:
                    conn.execute(insert(outbox).values(**row))
        return engine

    def _check_schema(self, engine: Engine) -> None:
        with engine.begin() as conn:
            tables = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "meta" in tables:
                row = conn.execute(
                    select(meta_table.c.value).where(meta_table.c.key == "schema_version")
                ).first()
                if row is None or row[0] != SCHEMA_VERSION:
                    raise _SchemaMismatch(f"schema {row[0] if row else None} != {SCHEMA_VERSION}")
                conn.exec_driver_sql("PRAGMA quick_check").fetchall()
            metadata.create_all(conn)
            if "meta" not in tables:
                conn.execute(insert(meta_table).values(key="schema_version", value=SCHEMA_VERSION))
        self._ensure_projections(engine)

    def _move_aside(self) -> None:
        assert self.path is not None
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                target = Path(str(p) + ".broken")
                with contextlib.suppress(OSError):
                    target.unlink()
                p.replace(target)

    def _ensure_projections(self, engine: Engine | None = None) -> None:
        """Create projection tables and backfill projections new to this cache."""
        engine = engine or self.engine
        with self._write_lock, Session(engine) as session, session.begin():
            projection_metadata.create_all(session.connection())
            known = set(_meta_get(session, "projections") or [])
            for ps in list(_projections.values()):
                for p in ps:
                    name = f"{p.entity}:{','.join(t.name for t in p.tables)}"
                    if name in known:
                        continue
                    rows = session.execute(
                        select(records.c.id, records.c.data).where(
                            records.c.entity == p.entity, records.c.data.is_not(None))
                    ).all()
                    for rid, data in rows:
                        p.apply(session, rid, data)
                    known.add(name)
            _meta_set(session, "projections", sorted(known))

    def ensure_projections(self) -> None:
        """Call after registering a projection while the cache is already open."""
        self._ensure_projections()

    def close(self) -> None:
        self.engine.dispose()

    # -- sessions ------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (a consistent snapshot)."""
        if self.path is None:
            # One shared connection: serialise with writers.
            with self._write_lock, Session(self.engine) as session, session.begin():
                yield session
        else:
            with Session(self.engine) as session, session.begin():
                yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; committed on success, rolled back on any exception."""
        with self._write_lock, Session(self.engine) as session, session.begin():
            yield session

    # -- records -------------------------------------------------------------------

    def get(self, entity: str, id: str) -> dict[str, Any] | None:
        """Displayed state of one record, or None if absent/hidden."""
        with self.read() as s:
            return s.execute(
                select(records.c.data).where(records.c.entity == entity, records.c.id == id)
            ).scalar()

    def list(self, entity: str) -> list[dict[str, Any]]:
        """Displayed state of every shown record of ``entity`` (ordered by id)."""
        with self.read() as s:
            rows = s.execute(
                select(records.c.data)
                .where(records.c.entity == entity, records.c.data.is_not(None))
                .order_by(records.c.id)
            ).scalars()
            return list(rows)

    def get_base(self, entity: str, id: str) -> dict[str, Any] | None:
        """Last server state of one record (None if the server has none)."""
        with self.read() as s:
            return s.execute(
                select(records.c.base).where(records.c.entity == entity, records.c.id == id)
            ).scalar()

    def count(self, entity: str | None = None) -> int:
        with self.read() as s:
            q = select(func.count()).select_from(records).where(records.c.data.is_not(None))
            if entity is not None:
                q = q.where(records.c.entity == entity)
            return int(s.execute(q).scalar_one())

    # -- meta ----------------------------------------------------------------------

    def meta_get(self, key: str, default: Any = None) -> Any:
        with self.read() as s:
            value = _meta_get(s, key)
            return default if value is None else value

    def meta_set(self, key: str, value: Any) -> None:
        with self.write() as s:
            _meta_set(s, key, value)


class _SchemaMismatch(Exception):
    pass


def _meta_get(session: Session, key: str) -> Any:
    return session.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()


def _meta_set(session: Session, key: str, value: Any) -> None:
    done = session.execute(
        update(meta_table).where(meta_table.c.key == key).values(value=value)
    ).rowcount
    if not done:
        session.execute(insert(meta_table).values(key=key, value=value))


meta_get = _meta_get
meta_set = _meta_set


def _salvage_outbox(path: Path | None) -> list[dict[str, Any]]:
    """Best effort: read still-pending intents out of an unusable cache file."""
    if path is None or not path.exists():
        return []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute(
                'SELECT mutation_id, name, args, created_at FROM outbox '
                "WHERE state IN ('pending', 'inflight') ORDER BY \"order\""
            ).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []
    out = []
    for mutation_id, name, args, created_at in rows:
        try:
            parsed = json.loads(args) if isinstance(args, str) else args
        except ValueError:
            continue
        out.append({
            "mutation_id": str(mutation_id), "name": str(name), "args": parsed,
            "touched": [], "state": "pending", "attempts": 0,
            "created_at": str(created_at or iso(utcnow())),
        })
    return out


# ---------------------------------------------------------------------------
# Helpers used by sync.local and sync.engine (inside a write transaction)


def load_record(session: Session, key: Key) -> tuple[dict | None, dict | None, bool]:
    """``(base, data, exists)`` of one record."""
    row = session.execute(
        select(records.c.base, records.c.data).where(
            records.c.entity == key[0], records.c.id == key[1])
    ).first()
    if row is None:
        return None, None, False
    return row[0], row[1], True


def store_displayed(session: Session, key: Key, data: dict[str, Any] | None) -> bool:
    """Set the displayed state of ``key``; run projections. Returns True if it changed."""
    base, old, exists = load_record(session, key)
    if exists and old == data:
        if base is None and data is None:  # nothing left on either layer
            session.execute(
                delete(records).where(records.c.entity == key[0], records.c.id == key[1]))
        return False
    if not exists and data is None:
        return False
    now = iso(utcnow())
    if not exists:
        session.execute(insert(records).values(
            entity=key[0], id=key[1], base=None, data=data, seq=None, updated_at=now, stale=False))
    elif base is None and data is None:
        session.execute(delete(records).where(records.c.entity == key[0], records.c.id == key[1]))
    else:
        session.execute(update(records).where(
            records.c.entity == key[0], records.c.id == key[1]).values(data=data, updated_at=now))
    run_projections(session, key, data)
    return True


def run_projections(session: Session, key: Key, data: dict[str, Any] | None) -> None:
    for p in projections_for(key[0]):
        p.apply(session, key[1], data)


__all__ = [
    "LIVE_STATES",
    "SCHEMA_VERSION",
    "LocalCache",
    "Projection",
    "blob_queue",
    "blobs_table",
    "meta_table",
    "metadata",
    "outbox",
    "projection_metadata",
    "records",
    "register_projection",
]
