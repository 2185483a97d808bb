"""Local cache: the client's SQLite database (one file per server and account).

Layers kept in one file:

* ``records`` — every entity the server sent: ``base`` is the last server state (``NULL``
  when the server has none, e.g. a record created offline), ``data`` is what screens show
  (``base`` with the pending intents re-applied; ``NULL`` = hidden/deleted locally). A
  record no local intent changes is stored once: ``base_is_data`` set, ``base`` ``NULL``
  and the server state in ``data`` — read ``base`` through :data:`stored_base`.
* ``outbox`` — the durable queue of intents (see :mod:`sync.local` and
  :mod:`sync.engine`), mirrored into the outbox journal beside the file
  (:mod:`sync.outbox`) so that a damaged cache never loses it.
* ``meta`` — cursor, last synced time, principal profile, schema version.
* ``blobs`` / ``blob_queue`` — the content-addressed file cache (:mod:`sync.blobs`).
* projection tables — search tables owned by feature modules, kept in step with ``data``
  in the same transaction (:func:`register_projection`).

Threading: a :class:`LocalCache` may be used from any thread. Writers are serialised by
an in-process lock (``write()`` is one transaction); readers use their own connection
(WAL lets them run beside the writer). Callers on the GUI thread must not use it
(opening, ``read()`` and ``write()`` check that, see :mod:`sync.guithread`).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    case,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import UpdateBase
from sqlcipher3 import dbapi2 as sqlcipher

from modules.common import messages
from modules.common.errors import CacheDamaged, DomainError
from sync import guithread
from sync.encoded import Encoded
from sync.outbox import (
    JOURNALED_META,
    DamagedLine,
    JournalState,
    OutboxJournal,
    journal_row,
    read_journal,
)
from sync.vault import CacheKey

log = logging.getLogger(__name__)

#: Bump when the layout of the internal tables changes; an older cache is migrated in
#: place when :func:`_migrate` knows its version, rebuilt otherwise.
#: 2: ``records.base_is_data`` (a record equal to its server state is stored once).
SCHEMA_VERSION = 2
#: SQLite page cache of each connection to an encrypted cache, in KiB (plain: SQLite's
#: default 2 MiB, the OS file cache does the rest; SQLCipher pages must be decrypted).
ENCRYPTED_PAGE_CACHE_KIB = 32 * 1024

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
    # True: the server state is ``data`` (stored once), ``base`` is NULL (schema 2).
    Column("base_is_data", Boolean, nullable=False, default=False, server_default="0"),
)

#: The last server state of a row (``records.base`` as the layers mean it): ``data`` when
#: the row keeps one copy for both. Every reader of the server state goes through this.
stored_base: ColumnElement[Any] = type_coerce(
    case((records.c.base_is_data, records.c.data), else_=records.c.base),
    JSON(none_as_null=True)).label("base")

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

_MISSING = object()

#: Outbox states whose effect is part of the displayed state.
LIVE_STATES = ("pending", "inflight", "applied")


def _json_dumps(value: Any) -> str:
    # Chinese text stays readable (and a third of the size) in the cache file. A record
    # already encoded (sync.encoded) is stored by its text: one encoding per record.
    if type(value) is Encoded:
        return value.json
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

    A file cache has a twin, the outbox journal (``<stem>.outbox.jsonl``, see
    :mod:`sync.outbox`), so queued intents survive what the cache may not. Opening never
    raises for damage: a file that fails to open, fails ``PRAGMA quick_check``, holds
    invalid JSON, lost its content or was written by another schema version is moved
    aside (``<name>.broken-<UTC time>``, kept for support) and started empty — the engine
    then pulls everything again. Queued intents are salvaged row by row from the damaged
    file and from the journal; :attr:`recovery` says what happened, and every intent that
    could not be recovered is listed by name among the rejected items (with one notice
    item summing up), never dropped quietly.
    """

    def __init__(self, path: Path | None, *, lang: str | None = None,
                 key: CacheKey | None = None, legacy: bool = False) -> None:
        """``key``: the account's data key (:mod:`sync.vault`) — the file is SQLCipher and
        the journal encrypted; ``None`` keeps a plain file (in-memory caches, tests and
        the benchmarks' plain switch). ``legacy``: this is the first open under a key
        of a folder written before encryption — a plain file and plain journal lines are
        accepted once and migrated (never otherwise: they could be planted)."""
        guithread.check("LocalCache()")
        self.path = Path(path) if path is not None else None
        self.lang = lang
        self.key = key
        self._legacy = legacy
        self._write_lock = threading.RLock()
        self.rebuilt = False  # True when the file had to be rebuilt on open
        self.recovery: Recovery | None = None
        self.damaged = False  # set when damage shows while in use (see _damage_guard)
        self.journal: OutboxJournal | None = None
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.journal = OutboxJournal(journal_path(self.path), key=key)
            if key is not None and legacy and _is_plain_sqlite(self.path):
                try:
                    migrate_to_encrypted(self.path, key)
                except Exception as exc:  # a damaged plain file: salvaged below
                    log.warning("local cache %s not migrated to encrypted (%s); "
                                "it is rebuilt", self.path, exc)
        self.engine = self._open()
        if key is not None and legacy and self.path is not None:
            _drop_plain_leftovers(self.path)

    # -- opening -------------------------------------------------------------------

    def _make_engine(self) -> Engine:
        if self.path is None:
            engine = create_engine(
                "sqlite://",
                connect_args={"check_same_thread": False},
                poolclass=StaticPool,
                json_serializer=_json_dumps,
            )
        elif self.key is not None:
            path, key = str(self.path), self.key

            def connect() -> Any:
                conn = sqlcipher.connect(path, check_same_thread=False, timeout=30)
                conn.execute(key.pragma())  # must come first: nothing is read before it
                # Every page read from the file is decrypted and its HMAC checked: a
                # larger page cache keeps the hot pages decrypted (docs/PERFORMANCE.md,
                # "Encryption at rest").
                conn.execute(f"PRAGMA cache_size = -{ENCRYPTED_PAGE_CACHE_KIB}")
                # Sorts and temporary indexes stay in memory: no temporary file with
                # decrypted rows in the system's temp folder.
                conn.execute("PRAGMA temp_store = MEMORY")
                return conn

            # The file URL only picks the pool (as for a plain file); ``creator`` connects.
            engine = create_engine(f"sqlite:///{self.path}", module=sqlcipher, creator=connect,
                                   json_serializer=_json_dumps)
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

        @event.listens_for(engine, "after_execute")
        def _on_execute(conn: Any, clause: Any, *_args: Any) -> None:
            if isinstance(clause, UpdateBase) and getattr(clause, "table", None) is outbox:
                conn.info["outbox_dirty"] = True

        @event.listens_for(engine, "rollback")
        def _on_rollback(conn: Any) -> None:
            # Triggers created in a rolled-back transaction are gone with it.
            conn.info.pop(_TOUCHED_ARMED, None)

        return engine

    def _open(self) -> Engine:
        engine = self._make_engine()
        if self.path is None:
            self._check_schema(engine)
            return engine
        assert self.journal is not None
        journal = read_journal(self.journal.path, key=self.key,
                               accept_plain=self.key is None or self._legacy)
        damage: BaseException | None = None
        marker = damage_marker(self.path)
        try:
            if marker.exists():
                raise _Damaged("found damaged while in use: "
                               + marker.read_text(encoding="utf-8", errors="replace"))
            fresh = self._check_schema(engine)
            if fresh and (journal.rows or journal.meta):
                raise _Damaged("the cache file lost its content")
            rows, bad = _read_outbox_rows(engine)
            self._reconcile(engine, journal, rows, bad)
        except Exception as exc:
            if _is_busy(exc):
                engine.dispose()
                raise
            damage = exc
        if damage is not None:
            log.warning("local cache %s unusable (%s: %s); rebuilding from the server",
                        self.path, type(damage).__name__, damage)
            engine.dispose()
            salvaged, bad, readable = _salvage_outbox(
                self.path, journal.rows.keys(), key=self.key, accept_plain=self._legacy)
            broken = self._move_aside()
            engine = self._make_engine()
            self._check_schema(engine)
            self.rebuilt = True
            self._restore(engine, journal, salvaged, bad, readable, broken)
            with contextlib.suppress(OSError):
                marker.unlink()
        try:
            self._rewrite_journal(engine, journal)
        except OSError as exc:
            # Appends go on; the journal catches up on the next successful rewrite.
            log.warning("outbox journal %s not rewritten: %s", self.journal.path, exc)
        return engine

    def _check_schema(self, engine: Engine) -> bool:
        """Create or verify the tables; raises on any damage. True for a new file."""
        with engine.begin() as conn:
            tables = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "meta" in tables:
                row = conn.execute(
                    select(meta_table.c.value).where(meta_table.c.key == "schema_version")
                ).first()
                version = row[0] if row is not None else None
                if version != SCHEMA_VERSION and version not in _MIGRATIONS:
                    raise _SchemaMismatch(f"schema {version} != {SCHEMA_VERSION}")
                # Corruption comes back as rows here, not as an exception. An encrypted
                # file: every page's HMAC is checked (any changed byte fails it) — a
                # third of the CPU of quick_check, which would decrypt and walk every
                # page (docs/PERFORMANCE.md, "Encryption at rest").
                if self.key is not None:
                    verdict = [r[0] for r in conn.exec_driver_sql(
                        "PRAGMA cipher_integrity_check").fetchall()] or ["ok"]
                else:
                    verdict = [r[0] for r in conn.exec_driver_sql(
                        "PRAGMA quick_check").fetchall()]
                if verdict == ["ok"] and "outbox" in tables:
                    # The queue is small: check its indexes against its rows as well.
                    verdict = [r[0] for r in conn.exec_driver_sql(
                        "PRAGMA integrity_check(outbox)").fetchall()]
                if verdict != ["ok"]:
                    raise _Damaged("quick_check: " + "; ".join(map(str, verdict[:5])))
                invalid = conn.exec_driver_sql(
                    "SELECT (SELECT count(*) FROM records WHERE NOT json_valid(coalesce(base, 'null'))"
                    " OR NOT json_valid(coalesce(data, 'null')))"
                    " + (SELECT count(*) FROM meta WHERE NOT json_valid(coalesce(value, 'null')))"
                ).scalar()
                if invalid:
                    raise _Damaged(f"{invalid} rows hold invalid JSON")
                while version != SCHEMA_VERSION:  # a healthy older file: brought up to date
                    version = _MIGRATIONS[version](conn)
                    _meta_upsert(conn, "schema_version", version)
            metadata.create_all(conn)
            if "meta" not in tables:
                conn.execute(insert(meta_table).values(key="schema_version", value=SCHEMA_VERSION))
        self._ensure_projections(engine)
        return "meta" not in tables

    def _reconcile(self, engine: Engine, journal: JournalState,
                   rows: dict[str, dict[str, Any]], bad: list[DamagedLine]) -> None:
        """A healthy file: make its outbox agree with the journal (a damaged WAL or a
        crash between journal and commit can leave them apart) and restore meta."""
        final, lost = merge_queue(journal, rows, bad, cache_healthy=True)
        have = rows
        repaired = 0
        with self._write_lock, engine.begin() as conn:
            for mid in have.keys() - final.keys():
                conn.execute(delete(outbox).where(outbox.c.mutation_id == mid))
                repaired += 1
            for b in bad:  # rows that could not be read: replaced from the journal
                conn.execute(delete(outbox).where(outbox.c.order == b.line_no))
                repaired += 1
            used = set(conn.execute(select(outbox.c.order)).scalars())
            for mid, row in final.items():
                old = have.get(mid)
                if old is None:
                    values = _outbox_values(row, keep_order=row.get("order") not in used)
                    conn.execute(insert(outbox).values(**values))
                    repaired += 1
                elif (old["name"], old["args"]) != (row["name"], row["args"]):
                    conn.execute(update(outbox).where(outbox.c.mutation_id == mid)
                                 .values(name=row["name"], args=row["args"]))
                    repaired += 1
            missing = {k: v for k, v in journal.meta.items()
                       if conn.execute(select(meta_table.c.key)
                                       .where(meta_table.c.key == k)).first() is None}
            for key, value in missing.items():
                conn.execute(insert(meta_table).values(key=key, value=value))
            if lost:
                self._record_loss(conn, lost, recovered=len(final), broken=[])
        if repaired:
            log.warning("local cache %s: %d outbox rows repaired from the outbox journal",
                        self.path, repaired)
            self._rebase_all(engine)
        if repaired or lost:
            self.recovery = Recovery(recovered=len(final), lost=lost, broken_files=[],
                                     rebuilt=False)

    def _restore(self, engine: Engine, journal: JournalState,
                 salvaged: dict[str, dict[str, Any]], bad: list[DamagedLine],
                 readable: bool, broken: list[Path]) -> None:
        """A rebuilt file: queue again what the journal and the damaged file still hold."""
        final, lost = merge_queue(journal, salvaged, bad, cache_healthy=False)
        if not readable and not journal.existed:
            lost.append(DamagedLine(0, None, None, None))  # the queue itself was unreadable
        used: set[Any] = set()
        with self._write_lock, engine.begin() as conn:
            for row in final.values():
                keep = row.get("order") not in used
                used.add(row.get("order"))
                conn.execute(insert(outbox).values(**_outbox_values(row, keep_order=keep)))
            for key, value in journal.meta.items():
                _meta_upsert(conn, key, value)
            self._record_loss(conn, lost, recovered=len(final), broken=broken, notice=True)
        self.recovery = Recovery(recovered=len(final), lost=lost, broken_files=broken,
                                 rebuilt=True)

    def _record_loss(self, conn: Any, lost: list[DamagedLine], *, recovered: int,
                     broken: list[Path], notice: bool = False) -> None:
        """Show each lost intent by name among the rejected items, plus one notice."""
        now = iso(utcnow())
        names = []
        for item in lost:
            label = item.name or messages.render("sync.unknown_intent", self.lang)
            names.append(label)
            params: dict[str, object] = {"name": label, "id": item.mutation_id or "-",
                                         "created_at": item.created_at or "-"}
            conn.execute(insert(outbox).values(
                mutation_id=f"lost-{uuid.uuid4()}", name=item.name or "sync.unknown_intent",
                args={"lost_mutation_id": item.mutation_id}, touched=[], state="rejected",
                attempts=0, created_at=item.created_at or now,
                error={"status": "lost", "code": "sync.intent_lost", "params": params,
                       "message": messages.render("sync.intent_lost", self.lang, params),
                       "at": now}))
        if notice or lost:
            params = {"recovered": recovered, "lost": len(lost),
                      "names": "、".join(names) or "-",
                      "kept": str(broken[0]) if broken else "-"}
            code = "sync.cache_rebuilt" if notice else "sync.queue_damaged"
            conn.execute(insert(outbox).values(
                mutation_id=f"notice-{uuid.uuid4()}", name=code, args={}, touched=[],
                state="rejected", attempts=0, created_at=now,
                error={"status": "notice", "code": code, "params": params,
                       "message": messages.render(code, self.lang, params), "at": now}))

    def _rebase_all(self, engine: Engine) -> None:
        """Show the effect of intents put back into the queue (needs the principal)."""
        from sync.local import rebase  # sync.local imports this module

        with self._write_lock, Session(engine) as session, session.begin():
            principal = _meta_get(session, "principal")
            if principal:
                try:
                    rebase(session, set(), principal=principal)
                except Exception:
                    log.exception("rebase after outbox repair failed; the next pull retries")

    def _rewrite_journal(self, engine: Engine, journal: JournalState) -> None:
        """Start the journal afresh from the reconciled cache (keeps a damaged one aside)."""
        assert self.journal is not None
        if journal.existed and not journal.trusted:
            _keep_aside(self.journal.path)
        with engine.begin() as conn:
            rows = [journal_row(r) for r in conn.execute(
                select(outbox).order_by(outbox.c.order)).all()]
            meta = {r.key: r.value for r in conn.execute(
                select(meta_table).where(meta_table.c.key.in_(JOURNALED_META))).all()}
        self.journal.rewrite(rows, meta)

    def _move_aside(self) -> list[Path]:
        assert self.path is not None
        moved = []
        stamp = _stamp()
        for suffix in ("", "-wal", "-shm"):
            p = Path(str(self.path) + suffix)
            if p.exists():
                target = p.with_name(f"{p.name}.broken-{stamp}")
                p.replace(target)
                moved.append(target)
        _prune_broken(self.path)
        return moved

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
        guithread.check("LocalCache.ensure_projections")
        self._ensure_projections()

    def close(self) -> None:
        """Release the database. Waits for a read or write in flight on the shared
        connection of an in-memory cache (closing it under a running query would crash
        the SQLite library)."""
        with self._write_lock:
            self.engine.dispose()

    # -- sessions ------------------------------------------------------------------

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (a consistent snapshot). Raises :class:`CacheDamaged`
        when the file turns out damaged (the next open rebuilds it)."""
        guithread.check("LocalCache.read")
        with self._damage_guard():
            if self.path is None:
                # One shared connection: serialise with writers.
                with self._write_lock, Session(self.engine) as session, session.begin():
                    yield session
            else:
                with Session(self.engine) as session, session.begin():
                    yield session

    @contextlib.contextmanager
    def _damage_guard(self) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyDatabaseError as exc:
            if not _is_corruption(exc):
                raise
            log.error("local cache %s is damaged: %s", self.path, exc)
            self.damaged = True
            if self.path is not None:
                with contextlib.suppress(OSError):
                    damage_marker(self.path).write_text(str(exc.orig), encoding="utf-8")
            raise CacheDamaged("sync.cache_damaged") from exc

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; committed on success, rolled back on any exception.

        Changes to the outbox reach the outbox journal too: new intents are fsynced into
        it *before* the commit (an intent is durable before its effect is visible), state
        changes and removals right after it.
        """
        guithread.check("LocalCache.write")
        with self._damage_guard(), self._write_lock, Session(self.engine) as session:
            added: list[str] = []
            later: list[dict[str, Any]] = []
            try:
                with session.begin():
                    if self.journal is not None:
                        _arm_touched(session.connection())
                    yield session
                    if self.journal is not None:
                        added, later = self._journal_before_commit(session)
            except BaseException:
                if added and self.journal is not None:
                    try:
                        self.journal.append([{"t": "del", "id": m} for m in added])
                    except OSError:
                        self._journal_behind = True
                raise
            if later:
                self._journal_after_commit(later)

    #: True when the journal may disagree with the outbox beyond what the next write
    #: touches (an append that failed): that write compares every outbox row.
    _journal_behind = False

    def _journal_before_commit(self, session: Session) -> tuple[list[str], list[dict[str, Any]]]:
        """The journal records for this transaction's outbox changes: new rows (appended
        here, before the commit), changed states and removed rows (after it).

        Only the rows the transaction touched are compared with what the journal knows
        (temporary triggers list them, :func:`_arm_touched`), so a write costs the same
        with 10 or 10,000 intents queued. Every row is compared instead when the triggers
        are missing on this connection, when an earlier append failed, or when the count
        of outbox rows disagrees with the journal's once this transaction's changes are
        counted (a change the triggers did not see)."""
        journal = self.journal
        assert journal is not None
        later: list[dict[str, Any]] = []
        added: list[str] = []
        conn = session.connection()
        if conn.info.pop("outbox_dirty", False):
            touched = None if self._journal_behind else _take_touched(conn)
            current = _outbox_states(session, touched)
            if touched is None:
                gone = [m for m in journal.known if m not in current]
            else:
                gone = [m for m in touched if m not in current and m in journal.known]
                new = sum(1 for m in current if m not in journal.known)
                count = session.execute(select(func.count()).select_from(outbox)).scalar_one()
                if count != len(journal.known) + new - len(gone):
                    log.warning("outbox journal %s: %d rows expected, %d found; comparing all",
                                journal.path, len(journal.known) + new - len(gone), count)
                    current = _outbox_states(session, None)
                    gone = [m for m in journal.known if m not in current]
            self._journal_behind = False
            added = [m for m in current if m not in journal.known]
            changed = [m for m, v in current.items()
                       if m in journal.known and journal.known[m] != v]
            full: dict[str, Any] = {}
            wanted = added + changed
            for start in range(0, len(wanted), 500):
                for r in session.execute(select(outbox).where(
                        outbox.c.mutation_id.in_(wanted[start:start + 500]))):
                    full[r.mutation_id] = r
            try:
                journal.append([{"t": "put", "row": journal_row(full[m])} for m in added])
            except OSError as exc:
                raise DomainError("sync.queue_unwritable", detail=str(exc)) from exc
            later += [{"t": "put", "row": journal_row(full[m])} for m in changed]
            later += [{"t": "del", "id": m} for m in gone]
        meta = session.info.pop("journal_meta", None) or {}
        later += [{"t": "meta", "key": k, "value": v} for k, v in meta.items()
                  if journal.meta.get(k, _MISSING) != v]
        return added, later

    def _journal_after_commit(self, records_: list[dict[str, Any]]) -> None:
        journal = self.journal
        assert journal is not None
        try:
            journal.append(records_)
            if journal.wants_compaction():
                with self.read() as s:
                    rows = [journal_row(r) for r in s.execute(
                        select(outbox).order_by(outbox.c.order)).all()]
                    meta = {r.key: r.value for r in s.execute(
                        select(meta_table).where(meta_table.c.key.in_(JOURNALED_META))).all()}
                journal.rewrite(rows, meta)
        except OSError as exc:
            # Committed already; a journal behind on states only re-sends an intent.
            # The next write compares every row, so the journal catches up.
            self._journal_behind = True
            log.warning("outbox journal %s not updated: %s", journal.path, exc)

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
                select(stored_base).where(records.c.entity == entity, records.c.id == id)
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


#: ``Connection.info`` key: this connection's temporary triggers note the outbox rows
#: written (:func:`_arm_touched`).
_TOUCHED_ARMED = "outbox_touched_armed"
_TOUCHED_TRIGGERS = ("outbox_touched_i", "outbox_touched_u", "outbox_touched_d")
_TOUCHED_DDL = (
    "CREATE TEMP TABLE IF NOT EXISTS outbox_touched (mutation_id TEXT PRIMARY KEY)",
    "CREATE TEMP TRIGGER IF NOT EXISTS outbox_touched_i AFTER INSERT ON outbox BEGIN"
    " INSERT OR IGNORE INTO outbox_touched VALUES (new.mutation_id); END",
    "CREATE TEMP TRIGGER IF NOT EXISTS outbox_touched_u AFTER UPDATE ON outbox BEGIN"
    " INSERT OR IGNORE INTO outbox_touched VALUES (old.mutation_id);"
    " INSERT OR IGNORE INTO outbox_touched VALUES (new.mutation_id); END",
    "CREATE TEMP TRIGGER IF NOT EXISTS outbox_touched_d AFTER DELETE ON outbox BEGIN"
    " INSERT OR IGNORE INTO outbox_touched VALUES (old.mutation_id); END",
)


def _arm_touched(conn: Any) -> None:
    """Make sure temporary triggers of this connection note the id of every outbox row
    inserted, updated or deleted, in ``temp.outbox_touched`` (private to the connection,
    kept in memory for an encrypted cache). Called first thing in a write transaction, so
    triggers present at its commit saw all of it."""
    if conn.info.get(_TOUCHED_ARMED):
        return
    if conn.exec_driver_sql("SELECT 1 FROM main.sqlite_master"
                            " WHERE type = 'table' AND name = 'outbox'").first() is None:
        return
    for ddl in _TOUCHED_DDL:
        conn.exec_driver_sql(ddl)
    conn.exec_driver_sql("DELETE FROM temp.outbox_touched")
    conn.info[_TOUCHED_ARMED] = True


def _take_touched(conn: Any) -> list[str] | None:
    """The outbox ids written on this connection since the last call (the list is emptied
    in the same transaction); None when the triggers are not all in place (compare every
    row then)."""
    names = ", ".join(f"'{n}'" for n in _TOUCHED_TRIGGERS)
    armed = conn.exec_driver_sql("SELECT count(*) FROM temp.sqlite_master"
                                 f" WHERE type = 'trigger' AND name IN ({names})").scalar()
    if armed != len(_TOUCHED_TRIGGERS):
        conn.info.pop(_TOUCHED_ARMED, None)  # the next write transaction arms them again
        return None
    ids = list(conn.exec_driver_sql("SELECT mutation_id FROM temp.outbox_touched").scalars())
    conn.exec_driver_sql("DELETE FROM temp.outbox_touched")
    return ids


def _outbox_states(session: Session, ids: list[str] | None) -> dict[str, tuple[str, Any]]:
    """``{mutation_id: (journaled state, error)}`` of the given outbox rows (all: None),
    in queue order."""
    query = select(outbox.c.order, outbox.c.mutation_id, outbox.c.state, outbox.c.error)
    if ids is None:
        rows = list(session.execute(query.order_by(outbox.c.order)))
    else:
        rows = []
        for start in range(0, len(ids), 500):
            rows += session.execute(query.where(outbox.c.mutation_id.in_(ids[start:start + 500])))
        rows.sort(key=lambda r: r.order)
    return {r.mutation_id: ("pending" if r.state == "inflight" else r.state, r.error)
            for r in rows}


class _SchemaMismatch(Exception):
    pass


def _migrate_1_to_2(conn: Any) -> int:
    """Schema 1 wrote every server state twice (``base`` and ``data``). Its rows stay as
    they are (``base_is_data`` false: both copies are read as before); a row is stored
    once from its next pull on. Adding the column rewrites nothing."""
    conn.exec_driver_sql(
        "ALTER TABLE records ADD COLUMN base_is_data BOOLEAN NOT NULL DEFAULT 0")
    return 2


#: ``{version: step}``: each step brings a healthy file of that version one version on
#: (inside the opening transaction) and returns the version it reached.
_MIGRATIONS: dict[Any, Callable[[Any], int]] = {1: _migrate_1_to_2}


class _Damaged(Exception):
    pass


@dataclass(frozen=True)
class Recovery:
    """What opening had to repair: ``recovered`` intents queued again, ``lost`` the ones
    that could not be (also shown as rejected items), the damaged files kept aside."""

    recovered: int
    lost: list[DamagedLine]
    broken_files: list[Path]
    rebuilt: bool

    def lost_names(self) -> list[str]:
        return [d.name or "?" for d in self.lost]


messages.register({
    "sync.intent_lost": {
        "zh_CN": "本地缓存损坏，这项尚未上传的操作无法恢复，请重新办理：{name}（{created_at}）",
        "en": "The local cache was damaged and this change, not yet uploaded, could not be "
              "recovered; please make it again: {name} ({created_at})",
    },
    "sync.item_lost": {
        "zh_CN": "未能恢复",
        "en": "Not recovered",
    },
    "sync.item_notice": {
        "zh_CN": "本地缓存已修复",
        "en": "Local cache repaired",
    },
    "sync.cache_damaged": {
        "zh_CN": "本地缓存文件已损坏。请重新启动客户端，它会自动修复并保留待上传的操作。",
        "en": "The local cache file is damaged. Restart the client: it repairs the cache "
              "and keeps the changes waiting to upload.",
    },
    "sync.queue_unwritable": {
        "zh_CN": "无法保存到本机的待上传队列（磁盘已满或没有写入权限），此操作未保存：{detail}",
        "en": "The change could not be saved to this computer's upload queue (disk full or "
              "not writable); it was not saved: {detail}",
    },
    "sync.unknown_intent": {
        "zh_CN": "无法识别的操作",
        "en": "an unidentified change",
    },
    "sync.cache_rebuilt": {
        "zh_CN": "本地缓存已损坏，已重新建立，将从服务器重新同步。待上传的操作恢复了 {recovered} 项，"
                 "无法恢复 {lost} 项：{names}。损坏的文件已保留：{kept}",
        "en": "The local cache was damaged and has been rebuilt; it syncs again from the "
              "server. {recovered} queued changes were recovered, {lost} could not be: "
              "{names}. The damaged file is kept at {kept}",
    },
    "sync.queue_damaged": {
        "zh_CN": "待上传队列已损坏。恢复了 {recovered} 项，无法恢复 {lost} 项：{names}。",
        "en": "The queue of changes to upload was damaged. {recovered} were recovered, "
              "{lost} could not be: {names}.",
    },
})


def journal_path(cache_path: Path) -> Path:
    """Where the outbox journal of ``cache_path`` lives (same folder)."""
    return cache_path.with_name(cache_path.stem + ".outbox.jsonl")


def damage_marker(cache_path: Path) -> Path:
    """Left beside a cache found damaged while in use: the next open rebuilds it."""
    return cache_path.with_name(cache_path.name + ".damaged")


def _is_corruption(exc: SQLAlchemyDatabaseError) -> bool:
    orig = exc.orig
    name = str(getattr(orig, "sqlite_errorname", ""))
    return (name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"
            or "malformed" in str(orig) or "decode" in str(orig).lower())


def _is_busy(exc: BaseException) -> bool:
    """A locked file is not a damaged one: never move it aside."""
    orig = getattr(exc, "orig", exc)
    text = str(orig).lower()
    return (isinstance(orig, (sqlite3.OperationalError, sqlcipher.OperationalError))
            and ("locked" in text or "busy" in text))


_PLAIN_HEADER = b"SQLite format 3\x00"


def _is_plain_sqlite(path: Path) -> bool:
    """True when ``path`` is a plain (unencrypted) SQLite file."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == _PLAIN_HEADER
    except OSError:
        return False


def migrate_to_encrypted(path: Path, key: CacheKey) -> None:
    """Turn the plain SQLite file ``path`` (and its WAL) into a SQLCipher file under
    ``key``: ``sqlcipher_export`` into a copy beside it, then replace (atomic rename)."""
    tmp = path.with_name(path.name + ".encrypting")
    for p in (tmp, Path(str(tmp) + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    conn = sqlcipher.connect(str(path), isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        target = str(tmp).replace("'", "''")
        conn.execute(f"ATTACH DATABASE '{target}' AS encrypted KEY \"x'{key.raw.hex()}'\"")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    check = sqlcipher.connect(str(tmp))
    try:
        check.execute(key.pragma())
        check.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        check.close()
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()
    log.info("local cache %s migrated to an encrypted file", path)


def _drop_plain_leftovers(path: Path) -> None:
    """After the first open under a key: the damaged files kept aside for support
    (``*.broken-*``) were written before encryption, so they are plaintext — removed."""
    for p in [*path.parent.glob("*.broken-*"), path.with_name(path.name + ".encrypting")]:
        with contextlib.suppress(OSError):
            p.unlink()


def _stamp() -> str:
    return utcnow().strftime("%Y%m%dT%H%M%S%fZ")


def _keep_aside(path: Path) -> None:
    with contextlib.suppress(OSError):
        shutil.copyfile(path, path.with_name(f"{path.name}.broken-{_stamp()}"))
    _prune_broken(path)


def _prune_broken(path: Path, keep: int = 3) -> None:
    """Keep the damaged files of the last ``keep`` rebuilds only."""
    found = sorted(path.parent.glob(f"{path.name}*.broken-*"))
    stamps = sorted({p.name.rsplit(".broken-", 1)[1] for p in found}, reverse=True)
    for p in found:
        if p.name.rsplit(".broken-", 1)[1] not in stamps[:keep]:
            with contextlib.suppress(OSError):
                p.unlink()


_STATES = ("pending", "inflight", "applied", "rejected")
_OUTBOX_COLUMNS = 'mutation_id, name, args, touched, state, error, created_at'


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, str):
        return value
    raise ValueError("not text")


def _decode_row(order: int, raw: tuple[Any, ...]) -> dict[str, Any]:
    """One outbox row read as bytes; raises ValueError/UnicodeDecodeError when damaged."""
    mid, name, args, touched, state, error, created_at = raw
    row = {
        "order": int(order), "mutation_id": _text(mid), "name": _text(name),
        "args": json.loads(_text(args)), "touched": json.loads(_text(touched)),
        "state": _text(state), "error": None if error is None else json.loads(_text(error)),
        "created_at": _text(created_at),
    }
    datetime.fromisoformat(row["created_at"])
    if (row["state"] not in _STATES or "." not in row["name"] or not row["mutation_id"]
            or not isinstance(row["touched"], list)):
        raise ValueError("implausible outbox row")
    if not all(isinstance(k, list) and len(k) == 2 for k in row["touched"]):
        raise ValueError("implausible touched keys")
    return row


def _damaged_row(order: int, raw: tuple[Any, ...] | None) -> DamagedLine:
    def maybe(value: Any) -> str | None:
        try:
            text = _text(value)
        except (ValueError, UnicodeDecodeError):
            return None
        return text if text.isprintable() and 0 < len(text) <= 120 else None

    if raw is None:
        return DamagedLine(order, None, None, None)
    name = maybe(raw[1])
    return DamagedLine(order, maybe(raw[0]), name if name and "." in name else None,
                       maybe(raw[6]))


def _scan_outbox(conn: Any, *, probe: bool = False,
                 known_ids: Any = ()) -> tuple[dict[str, dict[str, Any]], list[DamagedLine]]:
    """Read the outbox row by row. ``probe``: a damaged file — find rows by seeking past
    unreadable pages and through the mutation id index instead of failing."""
    conn.text_factory = bytes
    try:
        orders = [r[0] for r in conn.execute('SELECT "order" FROM outbox ORDER BY "order"')]
    except Exception:
        if not probe:
            raise
        orders = _probe_orders(conn, known_ids)
    rows: dict[str, dict[str, Any]] = {}
    bad: list[DamagedLine] = []
    for order in orders:
        raw = None
        try:
            raw = conn.execute(f'SELECT {_OUTBOX_COLUMNS} FROM outbox WHERE "order" = ?',
                               (order,)).fetchone()
            if raw is None:
                continue
            row = _decode_row(order, raw)
        except Exception:
            if not probe:
                raise
            bad.append(_damaged_row(order, raw))
            continue
        if row["mutation_id"] in rows:
            bad.append(_damaged_row(order, raw))
        else:
            rows[row["mutation_id"]] = row
    return rows, bad


def _probe_orders(conn: Any, known_ids: Any, max_misses: int = 2000) -> list[int]:
    found: set[int] = set()
    last, misses = 0, 0
    while misses < max_misses:
        try:
            r = conn.execute('SELECT "order" FROM outbox WHERE "order" > ? ORDER BY "order" '
                             "LIMIT 1", (last,)).fetchone()
        except Exception:
            misses += 1
            last += 1
            continue
        if r is None:
            break
        found.add(int(r[0]))
        last = int(r[0])
    for mid in known_ids:
        with contextlib.suppress(Exception):
            r = conn.execute('SELECT "order" FROM outbox WHERE mutation_id = ?',
                             (mid,)).fetchone()
            if r is not None:
                found.add(int(r[0]))
    return sorted(found)


def _read_outbox_rows(engine: Engine) -> tuple[dict[str, dict[str, Any]], list[DamagedLine]]:
    """The outbox of a file that passed its checks; rows that fail to decode come back
    as damaged (they are replaced from the journal)."""
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        assert dbapi is not None
        factory = dbapi.text_factory
        try:
            return _scan_outbox(dbapi, probe=True)
        finally:
            dbapi.text_factory = factory
    finally:
        raw.close()


def _salvage_outbox(path: Path, known_ids: Any = (), *, key: CacheKey | None = None,
                    accept_plain: bool = True) -> tuple[
        dict[str, dict[str, Any]], list[DamagedLine], bool]:
    """Best effort, row by row: the intents still readable in a damaged cache file (and
    its WAL), read from a copy so the damaged files stay as they were for support. An
    encrypted file is read with ``key`` (a plain one only when ``accept_plain``).
    Returns ``(rows by mutation id, unreadable rows, whether the outbox was found)``."""
    if not path.exists() or path.stat().st_size == 0:
        return {}, [], False
    work = Path(tempfile.mkdtemp(prefix=".salvage-", dir=path.parent))
    try:
        copy = work / "cache.sqlite"
        shutil.copyfile(path, copy)
        wal = Path(str(path) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(str(copy) + "-wal"))
        plain = _is_plain_sqlite(copy)
        if plain and not accept_plain:
            return {}, [], False
        conn = sqlcipher.connect(str(copy), isolation_level=None)
        if key is not None and not plain:
            conn.execute(key.pragma())
        try:
            try:
                conn.execute("SELECT 1 FROM outbox LIMIT 0")
            except Exception:
                return {}, [], False
            rows, bad = _scan_outbox(conn, probe=True, known_ids=known_ids)
            return rows, bad, True
        finally:
            conn.close()
    except Exception as exc:
        log.warning("outbox salvage from %s failed: %s", path, exc)
        return {}, [], False
    finally:
        shutil.rmtree(work, ignore_errors=True)


def merge_queue(journal: JournalState, cache_rows: dict[str, dict[str, Any]],
                cache_bad: list[DamagedLine], *, cache_healthy: bool,
                ) -> tuple[dict[str, dict[str, Any]], list[DamagedLine]]:
    """What is queued, from the journal and the cache's outbox; and what is lost.

    The journal's checksummed copy wins for name and args; the cache's for the state
    (it is written first). A cache row the journal never saw is kept unless it repeats a
    journaled intent under another id (then that id is damaged). For a rebuilt cache, applied
    intents are left to the pull and inflight ones become pending. A damaged journal
    line or cache row counts as lost only when no other source holds that intent.
    """
    final: dict[str, dict[str, Any]] = {}
    for mid, jr in journal.rows.items():
        cr = cache_rows.get(mid)
        if cr is None:
            if jr.get("state") == "applied":
                continue
            final[mid] = {**jr, "touched": []}
        else:
            final[mid] = {**cr, "name": jr["name"], "args": jr["args"],
                          "created_at": jr["created_at"]}
    # A cache row the journal never saw is an intent written without the journal (an
    # older client) unless it is the damaged-id twin of a journaled one.
    journaled = {_content_key(r) for r in journal.rows.values()}
    for mid, cr in cache_rows.items():
        if mid not in final and mid not in journal.deleted and _content_key(cr) not in journaled:
            final[mid] = cr
    if not cache_healthy:
        final = {m: {**r, "touched": [],
                     "state": "pending" if r["state"] == "inflight" else r["state"]}
                 for m, r in final.items() if r["state"] != "applied"}
    lost: list[DamagedLine] = []
    seen: set[str] = set()

    def lose(item: DamagedLine) -> None:
        mid = item.mutation_id
        if mid is not None and (mid in final or mid in journal.deleted or mid in seen):
            return
        if mid is not None:
            seen.add(mid)
        lost.append(item)

    for item in journal.damaged:
        # A healthy file may still have lost its last transactions with a damaged WAL:
        # a damaged line naming an intent that is neither queued nor removed is a loss.
        if not cache_healthy or item.mutation_id is not None:
            lose(item)
    if not journal.trusted:
        for item in cache_bad:
            lose(item)
    return dict(sorted(final.items(), key=lambda kv: kv[1].get("order") or 0)), lost


def _content_key(row: dict[str, Any]) -> tuple[str, str, str]:
    return (str(row.get("name")), json.dumps(row.get("args"), sort_keys=True),
            str(row.get("created_at")))


def _outbox_values(row: dict[str, Any], *, keep_order: bool) -> dict[str, Any]:
    values = {
        "mutation_id": row["mutation_id"], "name": row["name"], "args": row["args"],
        "touched": row.get("touched") or [], "state": row["state"], "attempts": 0,
        "error": row.get("error"), "created_at": row["created_at"],
    }
    if keep_order and isinstance(row.get("order"), int):
        values["order"] = row["order"]
    return values


def _meta_get(session: Session, key: str) -> Any:
    return session.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()


def _meta_set(session: Session, key: str, value: Any) -> None:
    done = cast("CursorResult[Any]", session.execute(
        update(meta_table).where(meta_table.c.key == key).values(value=value)
    )).rowcount
    if not done:
        session.execute(insert(meta_table).values(key=key, value=value))
    if key in JOURNALED_META and isinstance(session, Session):
        session.info.setdefault("journal_meta", {})[key] = value


def _meta_upsert(conn: Any, key: str, value: Any) -> None:
    done = conn.execute(
        update(meta_table).where(meta_table.c.key == key).values(value=value)).rowcount
    if not done:
        conn.execute(insert(meta_table).values(key=key, value=value))


meta_get = _meta_get
meta_set = _meta_set


# ---------------------------------------------------------------------------
# Helpers used by sync.local and sync.engine (inside a write transaction)


def load_record(session: Session, key: Key
                ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, bool]:
    """``(base, data, exists)`` of one record."""
    row = session.execute(
        select(stored_base, records.c.data).where(
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
        where = (records.c.entity == key[0], records.c.id == key[1])
        if data is not None and data == base:  # back to the server state: one copy again
            session.execute(update(records).where(*where).values(
                base=None, base_is_data=True, data=data, updated_at=now))
        else:  # a copy of its own for the server state, when the row kept only one
            session.execute(update(records).where(*where).values(
                base=case((records.c.base_is_data, records.c.data), else_=records.c.base),
                base_is_data=False, data=data, updated_at=now))
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
    "Recovery",
    "blob_queue",
    "blobs_table",
    "meta_table",
    "metadata",
    "outbox",
    "projection_metadata",
    "records",
    "register_projection",
    "stored_base",
]
