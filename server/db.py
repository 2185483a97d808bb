"""Database engine, sessions and the declarative base shared by every server model.

Threading: an ``Engine`` is shared; a ``Session`` belongs to one thread/request.
Routes get a session through the ``DbSession`` dependency, which commits when the
route returns normally and rolls back on any exception — nothing half-written.
"""

from __future__ import annotations

import select
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import JSON, DateTime, Engine, MetaData, String, create_engine, event, inspect
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import ColumnProperty, DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every server table (one metadata for Alembic)."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def dialect_insert(session: Session) -> Any:
    """The ``insert`` construct of the session's dialect (for ``on_conflict_do_nothing``
    and upserts, on PostgreSQL and SQLite alike)."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event issue BEGIN, not the driver.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # Take the write lock at BEGIN so two writers never deadlock upgrading
            # a shared lock (pysqlite's deferred BEGIN would).
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql"):
        # Server-side prepared statements would fix one generic plan for the feed query
        # after five runs; with skewed audience keys that plan can be 20x slower.
        kwargs.setdefault("connect_args", {"prepare_threshold": None})
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        check_connections_on_checkout(engine)
    return engine


#: A pooled connection unused for longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 10.0
_CHECKED_IN_AT = "office_checked_in_at"


def check_connections_on_checkout(engine: Engine, idle_seconds: float = IDLE_PING_SECONDS) -> None:
    """Hand out only live connections, without a round trip for each checkout.

    ``pool_pre_ping`` costs every request a ``SELECT 1``. Instead a connection is pinged
    only when it sat in the pool for over ``idle_seconds`` (a network path may have died
    silently), or when its socket is readable although no query is pending — the server
    sent something unasked, as it does when it terminates the backend (a restart, an
    administrator's ``pg_terminate_backend``) before closing the socket. A failed ping
    makes the pool discard the connection and open another. A connection that dies while
    in use fails that use once; SQLAlchemy then renews the pool's older connections.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_CHECKED_IN_AT, None)
        if since is None:
            return  # a new connection
        if time.monotonic() - since <= idle_seconds and not _unasked_input(dbapi_conn):
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:
            raise DisconnectionError("the pooled connection is gone") from exc


def _unasked_input(dbapi_conn: Any) -> bool:
    """Whether the idle connection's socket has something to read (or is closed)."""
    try:
        poller = select.poll()  # (select() fails on descriptors past 1,024)
        poller.register(dbapi_conn.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except (OSError, ValueError, AttributeError):
        return True  # closed or not a socket connection: let the ping decide


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    factory = sessionmaker(engine, expire_on_commit=False, autoflush=True)
    event.listen(factory, "before_flush", _check_text_before_flush)
    return factory


_text_columns: dict[type, list[tuple[str, int | None]]] = {}


def _columns_of(cls: type) -> list[tuple[str, int | None]]:
    """(attribute, max length or None) of every string and JSON column of ``cls``."""
    found = _text_columns.get(cls)
    if found is None:
        found = []
        attr: ColumnProperty[Any]
        for attr in inspect(cls).column_attrs:
            column_type: TypeEngine[Any] = attr.columns[0].type
            if isinstance(column_type, String):
                found.append((attr.key, column_type.length))
            elif isinstance(column_type, JSON):
                found.append((attr.key, None))
        _text_columns[cls] = found
    return found


def _check_text_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """The text rule at the last door: a value no database can hold, or longer than its
    column, is a 422 on SQLite and PostgreSQL alike — never a 500, never truncated."""
    from modules.common.errors import ValidationFailed
    from modules.common.text import find_unreadable

    new = session.new
    for obj in (*new, *session.dirty):
        state = inspect(obj)
        for key, limit in _columns_of(type(obj)):
            value = obj.__dict__.get(key)
            if value is None or (obj not in new and not state.attrs[key].history.has_changes()):
                continue  # unchanged values were checked when written
            if isinstance(value, str):
                if limit is not None and len(value) > limit:
                    raise ValidationFailed("request.too_long", field=key, limit=limit)
                found = find_unreadable(value)
            elif isinstance(value, dict | list):
                found = find_unreadable(value, key)
            else:
                continue
            if found:
                raise ValidationFailed("request.invalid_text", field=found[0] if found[0] != "body"
                                       else key, problem=found[1])


@contextmanager
def session_scope(factory: sessionmaker[Session] | Engine, *,
                  autocommit: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception. ``autocommit``:
    none on PostgreSQL, each statement on its own (:func:`read_scope`)."""
    if isinstance(factory, Engine):
        factory = make_sessionmaker(factory)
    session = factory()
    try:
        if autocommit and session.get_bind().dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def read_scope(factory: sessionmaker[Session]) -> AbstractContextManager[Session]:
    """A session for reads, without a transaction on PostgreSQL.

    Under READ COMMITTED every statement takes its own snapshot whether or not a
    transaction surrounds it, so a read-only unit of work loses nothing by running each
    statement on its own — and saves the BEGIN and COMMIT round trips. A write made in
    it commits at once, by itself: keep to reads and single-statement writes that may
    stand alone (a throttled last-seen time). Elsewhere it is :func:`session_scope`.
    """
    return session_scope(factory, autocommit=True)


def get_db(request: Request) -> Iterator[Session]:
    """FastAPI dependency: a session committed after the route returns normally."""
    with session_scope(request.app.state.sessions) as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
