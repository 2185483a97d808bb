"""Rows one push batch reads once (``server/push_batch.py``): kept objects and memos.

A batch is one transaction whose intents read the same rows again and again (the actor's
person, posts and bodies, their ancestors). While :func:`keep_reads` is active on a
session:

* every ORM object loaded or written stays referenced until the batch ends, so a later
  ``session.get`` of it is answered from the identity map without SQL (the session's own
  map is weak: an object no caller holds is dropped and read again);
* a locking read (``SELECT … FOR UPDATE``, ``session.get(..., with_for_update=True)``)
  always refreshes the objects it returns (``populate_existing``): a row an intent locks
  is read as last committed, never as an earlier intent of the batch saw it; a bulk
  ``update()`` / ``delete()`` run with ``synchronize_session=False`` expires the objects
  of its table, textual SQL that writes expires them all;
* :func:`memo` gives storage code a dict per table for results it may reuse (lists of
  rows by key, rows by id). A table's memo is emptied by any statement of the
  transaction that writes that table (ORM flushes and Core statements alike), pending
  ORM changes are flushed before a memo is read (as a query would autoflush; pending
  updates of other tables' rows only when they change a key), and
  :meth:`BatchReads.rolled_back` empties all memos and expires every object after a
  savepoint is rolled back (a Core update inside it may have changed objects the
  rollback does not know of); an object leaving the session (expunged, deleted) empties
  them too.

Rows another transaction commits while the batch runs are therefore not seen through
kept objects and memos (a query returning a kept object does not refresh it either):
like the principal, which the batch also loads once, the batch decides on what it first
read, except where it locks. Without :func:`keep_reads`, :func:`memo` is ``None`` and
callers read as they always did.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql.elements import TextClause

_KEY = "office.batch_reads"
#: Kept objects beyond this many are left to the weak identity map (bounded memory).
MAX_KEPT = 20_000
_WRITES = ("INSERT", "UPDATE", "DELETE")


class BatchReads:
    """The kept objects and per-table memos of one session (see the module docstring)."""

    def __init__(self) -> None:
        self.kept: dict[Any, object] = {}
        self.memos: dict[str, dict[Any, Any]] = {}

    def keep(self, instance: object) -> None:
        key = inspect(instance).key
        if key is not None and (len(self.kept) < MAX_KEPT or key in self.kept):
            self.kept[key] = instance

    def drop(self, instance: object) -> None:
        """An object left the session (expunged, deleted): memos may hold it."""
        self.memos.clear()
        key = inspect(instance).key
        if key is not None and self.kept.get(key) is instance:
            del self.kept[key]

    def written(self, statement: str) -> None:
        """A statement ran: forget the memos of the tables it writes."""
        if not self.memos or statement.lstrip()[:6].upper() not in _WRITES:
            return
        for table in [t for t in self.memos if t in statement]:
            del self.memos[table]

    def rolled_back(self, session: Session) -> None:
        """A savepoint was rolled back: nothing read or kept since is to be trusted."""
        self.memos.clear()
        session.expire_all()


def active(session: Session) -> BatchReads | None:
    """The session's batch reads, if :func:`keep_reads` is on."""
    reads = session.info.get(_KEY)
    return reads if isinstance(reads, BatchReads) else None


def memo(session: Session, table: str) -> dict[Any, Any] | None:
    """The memo of ``table`` (a table name as it appears in SQL) for this batch, or None
    when no batch keeps reads. Pending ORM changes are flushed first (the flush empties
    the memos of the tables it writes) — except when they are only updates of other
    tables' rows that keep their keys: those cannot change what this memo holds, and a
    query for what it lacks flushes them itself."""
    reads = active(session)
    if reads is None:
        return None
    if session.autoflush and (session.new or session.deleted
                              or any(_may_touch(obj, table) for obj in session.dirty)):
        session.flush()
    return reads.memos.setdefault(table, {})


def _may_touch(obj: object, table: str) -> bool:
    """Could flushing this changed object write rows of ``table``?"""
    state = inspect(obj)
    mapper = state.mapper
    if len(mapper.tables) != 1 or getattr(mapper.local_table, "name", None) == table:
        return True
    return any(state.attrs[mapper.get_property_by_column(c).key].history.has_changes()
               for c in mapper.primary_key)  # a new key may cascade to other tables


def _on_execute(state: ORMExecuteState) -> None:
    """Locking reads refresh what they return; a bulk write that leaves the session's
    objects as they were (``synchronize_session=False``, or textual SQL) expires the kept
    objects of its table (of every table, for text), as if no one had held them."""
    if state.is_select:
        if getattr(state.statement, "_for_update_arg", None) is not None:
            state.update_execution_options(populate_existing=True)
        return
    session = state.session
    if isinstance(state.statement, TextClause):
        if state.statement.text.lstrip()[:6].upper() in _WRITES:
            session.expire_all()
        return
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if state.execution_options.get("synchronize_session", "auto") is not False:
        return  # the ORM brings the objects it holds up to date itself
    table = getattr(getattr(state.statement, "table", None), "name", None)
    for instance in list(session.identity_map.values()):
        if getattr(inspect(instance).mapper.local_table, "name", None) == table:
            session.expire(instance)


@contextmanager
def keep_reads(session: Session, connection: Connection) -> Iterator[BatchReads]:
    """Keep the reads of ``session`` (whose transaction runs on ``connection``) until the
    block ends; see the module docstring."""
    reads = BatchReads()

    def kept(_session: Session, instance: object) -> None:
        reads.keep(instance)

    def dropped(_session: Session, instance: object) -> None:
        reads.drop(instance)

    def executed(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        reads.written(statement)

    session_events: list[tuple[str, Any]] = [
        ("loaded_as_persistent", kept), ("pending_to_persistent", kept),
        ("persistent_to_detached", dropped), ("persistent_to_deleted", dropped),
        ("do_orm_execute", _on_execute),
    ]
    session.info[_KEY] = reads
    for name, fn in session_events:
        event.listen(session, name, fn)
    event.listen(connection, "before_cursor_execute", executed)
    try:
        yield reads
    finally:
        event.remove(connection, "before_cursor_execute", executed)
        for name, fn in session_events:
            event.remove(session, name, fn)
        session.info.pop(_KEY, None)
        reads.kept.clear()
        reads.memos.clear()
