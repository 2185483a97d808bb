"""One ``POST /sync/push`` batch in as few transactions and round trips as results allow.

:func:`server.mutations.apply_one` applies one intent in a transaction of its own, loading
the principal and looking up its ``applied_mutation`` row each time (~17 statements and a
commit per intent). :func:`apply_batch` gives every intent the same answer with less:

* the principal is loaded once per batch (on first need) and reused — unless an intent of
  the batch wrote to the directory's person, post or body tables, in which case it is
  loaded again before the next intent (a changed post or role counts at once, as before);
* the ``applied_mutation`` rows of the whole batch are read in one query;
* the rows the intents read are kept for the batch (``server/batch_reads.py``): a person,
  post or body already read is not read again until the batch writes its table;
* the intents run in one transaction, each inside a savepoint: an intent that is rejected
  (or hits a bug) rolls back alone and the others stand; its rejection is remembered in
  the same transaction. The batch commits once, and only then are its results returned —
  a crash before the commit loses the whole batch *and* its answer, so the client sends
  it again and the ``applied_mutation`` rows keep anything from being applied twice.

Falls back to :func:`apply_one` (a transaction of its own, exactly as before) for an intent
whose handler asked to act after its transaction is rolled back (an ``after_rollback``
listener, e.g. the refused-stamp register row of ``server/seals/refusals.py``, which must
write in a transaction of its own once the intent's is gone), and for a clash with a
concurrent retry of the same intent that cannot be answered from the stored row.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import re
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, event, insert, inspect, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from modules.common.classified import refuse_classified_data
from modules.common.errors import DomainError, ValidationFailed
from modules.common.text import find_unreadable, shown
from server import batch_reads, changefeed
from server.audit.trail import intent_row, record_rows
from server.auth.deps import refuse_auditor
from server.auth.principal import Principal, load_principal
from server.db import session_scope, utcnow
from server.mutations import (
    AppliedMutation,
    BugDuringMutation,
    MutationContext,
    _args_hash,
    _registry,
    apply_one,
)

if TYPE_CHECKING:
    from server.blobs.store import BlobStore
    from server.config import Settings

log = logging.getLogger("server.mutations")

#: Writes that may change who the principal is: any write to posts; a person's or a
#: body's row inserted, deleted, or updated in a column :func:`load_principal` reads.
_PRINCIPAL_TABLES = ("directory_person", "directory_post", "directory_body")
_PRINCIPAL_COLUMNS = {"directory_person": ("active", "name"), "directory_body": ("name",)}
_SET = re.compile(r"\bSET\s+(.*?)\s+WHERE\b", re.S | re.I)
_COLUMN = re.compile(r"(?:^|,)\s*\"?([a-z_]+)\"?\s*=", re.I)


def _may_change_principal(statement: str) -> bool:
    head = statement.lstrip()[:7].upper()
    if not head.startswith(("UPDATE", "INSERT", "DELETE")):
        return False
    table = next((t for t in _PRINCIPAL_TABLES if t in statement), None)
    if table is None:
        return False
    columns = _PRINCIPAL_COLUMNS.get(table)
    if columns is None or not head.startswith("UPDATE"):
        return True
    found = _SET.search(statement)
    if found is None:
        return True
    return any(c.lower() in columns for c in _COLUMN.findall(found.group(1)))


class _Alone(Exception):
    """Stop the current transaction here; apply ``index`` on its own (apply_one)."""

    def __init__(self, index: int) -> None:
        self.index = index


class _Stop(Exception):
    """A bug in the intent at ``index``: commit the batch so far and answer 500."""

    def __init__(self, index: int, bug: BugDuringMutation) -> None:
        self.index = index
        self.bug = bug


def apply_batch(
    sessions: sessionmaker[Session],
    person_id: str,
    login: str,
    items: Sequence[dict[str, Any]],
    lang: str,
    *,
    settings: Settings | None = None,
    blob_store: BlobStore | None = None,
    principal: Principal | None = None,
) -> tuple[list[dict[str, Any]], BugDuringMutation | None]:
    """Apply ``items`` in order; returns their result entries (same as ``apply_one`` one
    by one) and the bug that stopped the batch, if any (the results then hold only the
    intents before it, all committed). ``principal``: the one the request's
    authentication has just loaded, if any (saves loading it again)."""
    member = _Member(person_id, login, lang, list(items), principal)
    if _Combiner.SLOTS > 0 and len(member.items) <= _Combiner.JOIN_MAX:
        return _combiner_for(sessions, settings, blob_store).submit(member)
    return _apply_alone(sessions, member, settings, blob_store)


def _apply_alone(sessions: sessionmaker[Session], member: _Member,
                 settings: Settings | None, blob_store: BlobStore | None,
                 ) -> tuple[list[dict[str, Any]], BugDuringMutation | None]:
    """:func:`apply_batch` for one caller's batch in transactions of its own."""
    person_id, login, lang = member.person_id, member.login, member.lang
    results: list[dict[str, Any]] = []
    runner = _Runner(sessions, person_id, login, lang, settings, blob_store)
    runner.principal = member.principal
    rest = list(member.items)
    while rest:
        try:
            done, stop = runner.run(rest)
        except Exception as exc:  # the transaction itself failed: none of it stands
            log.exception("push batch failed at commit")
            return results, BugDuringMutation(str(rest[0].get("id")), exc)
        results += done
        if stop is None:
            break
        if isinstance(stop, _Stop):
            return results, stop.bug
        item = rest[stop.index]
        try:
            results.append(apply_one(sessions, person_id, login, item, lang,
                                     settings=settings, blob_store=blob_store))
        except BugDuringMutation as bug:
            return results, bug
        except Exception as exc:  # an IntegrityError apply_one could not answer
            return results, BugDuringMutation(str(item.get("id")), exc)
        runner.principal = None  # its own transaction may have changed anything
        rest = rest[stop.index + 1:]
    return results, None


def _added(session: Session, before: list[Any]) -> list[Any]:
    """After-rollback listeners registered on ``session`` since ``before`` was taken."""
    return [fn for fn in session.dispatch.after_rollback.listeners if fn not in before]


@dataclass
class _Known:
    """What the batch knows of one mutation id: stored or decided in this transaction."""

    args_hash: str
    response: dict[str, Any]


class _Clash(Exception):
    """The batch's ``applied_mutation`` rows clashed with a concurrent retry's."""


class _Retry(Exception):
    """The fast pass cannot stand: roll it back whole and run the batch exactly."""


class _Runner:
    #: Try the fast pass first (see :meth:`run`); off: every batch runs the exact way
    #: (an A/B in bench/bench_push_batch.py --exact-only, and tests of that path).
    FAST = True

    def __init__(self, sessions: sessionmaker[Session], person_id: str, login: str, lang: str,
                 settings: Settings | None, blob_store: BlobStore | None) -> None:
        self.sessions = sessions
        self.person_id = person_id
        self.login = login
        self.lang = lang
        self.settings = settings
        self.blob_store = blob_store
        self.principal: Principal | None = None
        self._principal_touched = False
        self._reads: batch_reads.BatchReads | None = None
        self._audit: list[dict[str, Any]] = []
        self.fast = self.FAST
        self._fast = False
        self._feed_read = False
        self._writing_feed = False
        self._session: Session | None = None
        #: Tables with ORM updates of the fast pass not yet flushed (:meth:`_defer`), and
        #: whether a statement read one of them before they were (then: run exactly).
        self._deferred: set[str] = set()
        self._stale_read = False
        #: A statement of this transaction may have changed someone's principal.
        self._touched_ever = False

    def run(self, items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], _Alone | _Stop | None]:
        """Apply ``items`` in one transaction until one must be handled otherwise.

        Returns the committed results and why it stopped (None: all done). First the
        fast pass: no savepoints, the feed rows of all intents written in one go before
        the commit (``changefeed.buffer_changes``). If any intent of it raises (refused,
        conflict, bug, a handler acting after rollback), or something reads the feed's
        tables while changes are buffered, the whole pass is rolled back — nothing of it
        stands — and the batch is run again the exact way: each intent in a savepoint,
        its feed rows written as it publishes them. A batch that failed its fast pass
        stays on the exact one."""
        if self.fast:
            principal = self.principal
            try:
                return self._run(items, fast=True)
            except _Retry:
                self.fast = False
                self.principal = principal  # what the pass loaded may have been undone
                self._principal_touched = False
        return self._run(items, fast=False)

    def _run(self, items: list[dict[str, Any]],
             *, fast: bool) -> tuple[list[dict[str, Any]], _Alone | _Stop | None]:
        """One transaction (see :meth:`run`). The ``applied_mutation`` rows are written
        in one statement at the end; if a concurrent retry of one of them committed
        first, the transaction is rolled back and the first intent is handed to
        ``apply_one`` (which answers from the stored row)."""
        done: list[dict[str, Any]] = []
        stop: _Alone | _Stop | None = None
        try:
            # Nothing of a given-up pass stands: listeners its intents registered for a
            # rollback belong to transactions that will not happen.
            with self._transaction(fast=fast, drop_hooks_on=_Retry) as session:
                connection = session.connection()
                if fast:
                    changefeed.buffer_changes(session)
                with batch_reads.keep_reads(session, connection) as self._reads:
                    known = self._stored(session, [str(i["id"]) for i in items])
                    rows: list[dict[str, Any]] = []
                    self._audit = []
                    for index, item in enumerate(items):
                        try:
                            done.append(self._one(session, index, item, known, rows))
                        except (_Alone, _Stop) as why:
                            stop = why
                            break
                        if self._feed_read or self._stale_read:
                            raise _Retry()
                    if fast:
                        try:  # the updates left unflushed by the last intents
                            session.flush()
                        except Exception as exc:
                            raise _Retry() from exc
                        self._writing_feed = True
                        try:
                            changefeed.write_buffered(session)
                        except Exception as exc:  # e.g. a concurrent writer's new row
                            raise _Retry() from exc
                        finally:
                            self._writing_feed = False
                if rows:
                    try:
                        session.execute(insert(AppliedMutation), rows)
                    except IntegrityError as exc:
                        raise _Clash() from exc
                # The audit entries of every intent answered here, refused ones too
                # (written outside the savepoints, so a rollback does not take them).
                record_rows(session, self._audit)
        except _Clash:
            self.principal = None
            return [], _Alone(0)
        return done, stop

    @contextlib.contextmanager
    def _transaction(self, *, fast: bool, drop_hooks_on: type[BaseException]
                     ) -> Iterator[Session]:
        """One transaction of a pass, its statements and flushes watched (:meth:`_watch`,
        :meth:`_flushing`); on ``drop_hooks_on`` the after-rollback listeners its
        intents registered are dropped before the rollback."""
        self._fast = fast
        self._feed_read = False
        self._deferred = set()
        self._stale_read = False
        with session_scope(self.sessions) as session:
            connection = session.connection()
            self._session = session
            event.listen(connection, "before_cursor_execute", self._watch)
            event.listen(session, "before_flush", self._flushing)
            hooks_before = list(session.dispatch.after_rollback.listeners)
            try:
                yield session
            except drop_hooks_on:
                hooks = session.dispatch.after_rollback.listeners
                for fn in _added(session, hooks_before):
                    hooks.remove(fn)
                raise
            finally:
                self._reads = None
                self._session = None
                self._deferred = set()
                event.remove(connection, "before_cursor_execute", self._watch)
                event.remove(session, "before_flush", self._flushing)

    def run_group(self, members: list[_Member]) -> list[list[dict[str, Any]]] | None:
        """Apply several callers' batches in one transaction, one after the other, the
        fast way (no savepoints, the feed rows of all written in one go, one
        ``applied_mutation`` insert, one audit insert, one commit, one sequencing pass).

        Returns each member's results, all committed; or None when anything asked for
        handling of its own — an intent raised (refused, conflict, bug), read the feed
        while it was buffered, registered an action for after a rollback, clashed with a
        concurrent retry, or the commit failed. Then nothing of the group stands (or, if
        the commit did land, its ``applied_mutation`` rows answer), and each member is
        applied on its own by :func:`_apply_alone`. After a write that may change who
        someone is (a post, a person's or body's name), the members after it have their
        principals loaded again in the transaction."""
        answers: list[list[dict[str, Any]]] = []
        self._touched_ever = False
        try:
            with self._transaction(fast=True, drop_hooks_on=BaseException) as session:
                connection = session.connection()
                hooks_before = list(session.dispatch.after_rollback.listeners)
                changefeed.buffer_changes(session)
                with batch_reads.keep_reads(session, connection) as self._reads:
                    known = self._stored_many(session, members)
                    rows: list[dict[str, Any]] = []
                    self._audit = []
                    for member in members:
                        self._become(member)
                        own = known.setdefault(member.person_id, {})
                        # In the caller's context: its request id, device and address go
                        # into its audit entries and log lines.
                        answers.append(member.context.run(
                            self._member, session, member, own, rows))
                    session.flush()
                    self._writing_feed = True
                    try:
                        changefeed.write_buffered(session)
                    finally:
                        self._writing_feed = False
                if rows:
                    session.execute(insert(AppliedMutation), rows)
                record_rows(session, self._audit)
                if _added(session, hooks_before):
                    raise _Retry()  # such an intent is applied alone (see module doc)
        except Exception:
            log.debug("group of %d batches applied alone", len(members), exc_info=True)
            return None
        return answers

    def _member(self, session: Session, member: _Member, known: dict[str, _Known],
                rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        done: list[dict[str, Any]] = []
        for index, item in enumerate(member.items):
            done.append(self._one(session, index, item, known, rows))
            if self._feed_read or self._stale_read:
                raise _Retry()
        return done

    def _become(self, member: _Member) -> None:
        """Act for ``member`` from here on (its principal loaded again if a statement
        before may have changed it)."""
        self.person_id, self.login, self.lang = member.person_id, member.login, member.lang
        self.principal = None if self._touched_ever else member.principal
        self._principal_touched = False

    def _stored_many(self, session: Session,
                     members: list[_Member]) -> dict[str, dict[str, _Known]]:
        wanted: dict[str, set[str]] = {}
        for member in members:
            wanted.setdefault(member.person_id, set()).update(
                str(i["id"]) for i in member.items)
        rows = session.execute(select(
            AppliedMutation.person_id, AppliedMutation.mutation_id, AppliedMutation.args_hash,
            AppliedMutation.response,
        ).where(or_(*(and_(AppliedMutation.person_id == person_id,
                           AppliedMutation.mutation_id.in_(sorted(ids)))
                      for person_id, ids in sorted(wanted.items())))))
        known: dict[str, dict[str, _Known]] = {}
        for person_id, mid, digest, response in rows:
            known.setdefault(person_id, {})[mid] = _Known(digest, dict(response))
        return known

    def _flushing(self, *_args: Any) -> None:
        self._deferred.clear()  # this flush writes them, before any statement that follows

    def _watch(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not self._principal_touched and _may_change_principal(statement):
            self._principal_touched = self._touched_ever = True
        if self._deferred and any(t in statement for t in self._deferred):
            # Not through the session (which flushes first): it would miss the updates.
            self._stale_read = True
        if (self._fast and not self._writing_feed and not self._feed_read
                and ("change_log" in statement or "change_audience" in statement)
                and self._session is not None
                and changefeed.buffered_changes(self._session)):
            self._feed_read = True  # it would not see the buffered rows: run exactly

    def _stored(self, session: Session, ids: list[str]) -> dict[str, _Known]:
        rows = session.execute(select(
            AppliedMutation.mutation_id, AppliedMutation.args_hash, AppliedMutation.response
        ).where(AppliedMutation.person_id == self.person_id,
                AppliedMutation.mutation_id.in_(sorted(set(ids)))))
        return {mid: _Known(digest, dict(response)) for mid, digest, response in rows}

    def _answer(self, known: _Known, mutation_id: str, digest: str) -> dict[str, Any]:
        if known.args_hash != digest:
            err = ValidationFailed("sync.mutation_id_reused", id=mutation_id)
            return {"id": mutation_id, "status": "rejected", "error": err.to_dict(self.lang)}
        return dict(known.response)

    def _remember(self, name: str, digest: str, response: dict[str, Any],
                  known: dict[str, _Known], rows: list[dict[str, Any]],
                  args: Any = None) -> dict[str, Any]:
        self._audit.append(intent_row(name, args, response, actor=self.principal,
                                      person_id=self.person_id, login=self.login))
        rows.append({"person_id": self.person_id, "mutation_id": response["id"], "name": name,
                     "args_hash": digest, "status": response["status"],
                     "response": response, "applied_at": utcnow()})
        known[response["id"]] = _Known(digest, response)
        return response

    def _one(self, session: Session, index: int, item: dict[str, Any],
             known: dict[str, _Known], rows: list[dict[str, Any]]) -> dict[str, Any]:
        mutation_id = str(item["id"])
        name = str(item["name"])
        args = item.get("args") or {}
        digest = _args_hash(name, args)
        previous = known.get(mutation_id)
        if previous is not None:
            return self._answer(previous, mutation_id, digest)
        try:
            registered = _registry.get(name)
            if registered is None:
                raise ValidationFailed("sync.unknown_mutation", name=name)
            if not isinstance(args, dict):
                raise ValidationFailed("request.invalid", detail="args")
            unreadable = find_unreadable(args, "args")
            if unreadable:
                raise ValidationFailed("request.invalid_text", field=shown(unreadable[0]),
                                       problem=unreadable[1])
            refuse_classified_data(args)  # every text of every intent, before its rules
            parsed = registered.intent.parse(args, self.lang)
        except DomainError as error:  # refused before any rule ran: nothing to roll back
            return self._remember(name, digest, {
                "id": mutation_id, "status": error.outcome, "error": error.to_dict(self.lang)},
                known, rows, args)

        if self._fast:
            return self._fast_one(session, name, digest, mutation_id, args, parsed, registered,
                                  known, rows)
        hooks_before = list(session.dispatch.after_rollback.listeners)
        savepoint = session.begin_nested()
        try:
            result = self._handle(session, mutation_id, parsed, registered)
            savepoint.commit()
        except BaseException as exc:
            # (read again: the first listener replaces the dispatcher's empty collection)
            hooks = session.dispatch.after_rollback.listeners
            added = _added(session, hooks_before)
            for fn in added:  # they belong to apply_one's own transaction (see docstring)
                hooks.remove(fn)
            savepoint.rollback()
            if self._reads is not None:
                self._reads.rolled_back(session)
            if self._principal_touched:
                self.principal = None
            if not isinstance(exc, Exception):
                raise
            if added or not isinstance(exc, DomainError):
                if isinstance(exc, IntegrityError):  # e.g. a concurrent retry's own rows
                    raise _Alone(index) from exc
                if added:
                    raise _Alone(index) from exc
                log.exception("mutation %s (%s) failed", name, mutation_id)
                self._audit.append(intent_row(name, args, {
                    "id": mutation_id, "status": "failed", "error": {"code": "internal_error"}},
                    actor=self.principal, person_id=self.person_id, login=self.login))
                raise _Stop(index, BugDuringMutation(mutation_id, exc)) from exc
            return self._remember(name, digest, {
                "id": mutation_id, "status": exc.outcome, "error": exc.to_dict(self.lang)},
                known, rows, args)
        return self._remember(name, digest,
                              {"id": mutation_id, "status": "applied", "result": result or {}},
                              known, rows, args)

    def _handle(self, session: Session, mutation_id: str, parsed: Any,
                registered: Any) -> Any:
        """Run one intent's handler as the batch's principal (loaded again after a write
        that may change it); both passes call it inside their own error handling."""
        if self.principal is None or self._principal_touched:
            self._principal_touched = False
            self.principal = load_principal(session, self.person_id, self.login)
        ctx = MutationContext(
            session=session, principal=self.principal, now=utcnow(), lang=self.lang,
            mutation_id=mutation_id, settings=self.settings, blob_store=self.blob_store)
        refuse_auditor(self.principal)  # 三员分立: the auditor changes nothing
        return registered.handler(ctx, parsed)

    def _fast_one(self, session: Session, name: str, digest: str, mutation_id: str,
                  args: Any, parsed: Any, registered: Any, known: dict[str, _Known],
                  rows: list[dict[str, Any]]) -> dict[str, Any]:
        """One intent of the fast pass: no savepoint; if it raises anything, the pass is
        given up (:class:`_Retry`) and the batch runs again with savepoints."""
        try:
            result = self._handle(session, mutation_id, parsed, registered)
            if not self._defer(session):
                session.flush()  # as releasing the savepoint would: its errors are its own
        except Exception as exc:
            raise _Retry() from exc
        if self._stale_read:
            raise _Retry()
        return self._remember(name, digest,
                              {"id": mutation_id, "status": "applied", "result": result or {}},
                              known, rows, args)

    def _defer(self, session: Session) -> bool:
        """Leave this intent's changes unflushed, to go with the next intents' in one flush
        (the ORM sends several rows' updates of a table in one round trip, and one row
        updated by several intents once)? Only when they are updates of rows already
        loaded — nothing added or deleted — and none can change who the principal is (a
        post, or a person's or body's column :func:`load_principal` reads: those are
        flushed at once, so the next intent's principal is loaded again). Exactness of
        later reads: anything run through the session flushes them first (autoflush; a
        batch-reads memo flushes before it answers); a statement that reaches one of
        their tables otherwise (:meth:`_watch`) gives the fast pass up. An error of the
        later flush gives it up too, so the exact pass names the intent at fault."""
        if session.new or session.deleted:
            return False
        tables: set[str] = set()
        for obj in session.dirty:
            state = inspect(obj)
            mapper = state.mapper
            if len(mapper.tables) != 1:
                return False
            table = mapper.local_table
            name = str(getattr(table, "name", ""))
            if name in _PRINCIPAL_TABLES:
                columns = _PRINCIPAL_COLUMNS.get(name)
                if columns is None:
                    return False
                for column in columns:
                    prop = mapper.get_property_by_column(table.c[column])
                    if state.attrs[prop.key].history.has_changes():
                        return False
            tables.add(name)
        self._deferred |= tables
        return True


@dataclass
class _Member:
    """One caller's batch: who sends it and in which language it is answered."""

    person_id: str
    login: str
    lang: str
    items: list[dict[str, Any]]
    principal: Principal | None
    #: The caller's context variables (request id, device, address), captured on its
    #: thread: a group runs on another caller's.
    context: contextvars.Context = field(default_factory=contextvars.copy_context)


Answer = tuple[list[dict[str, Any]], BugDuringMutation | None]


class _Ticket:
    __slots__ = ("answer", "lead", "member", "ready")

    def __init__(self, member: _Member) -> None:
        self.member = member
        self.ready = threading.Event()
        self.answer: Answer | None = None
        self.lead = False


class _Combiner:
    """Group commit: concurrent callers' small batches applied in one transaction.

    At most :attr:`SLOTS` transactions of a process run at once through it; a caller
    arriving while all are busy queues, and the next slot to come free takes everything
    queued (up to :attr:`MAX_INTENTS` intents) as one group (:meth:`_Runner.run_group`).
    With one caller at a time nothing waits and nothing changes; under load the commit,
    the idempotency and audit inserts, the feed writes and the sequencing pass are
    shared by a group instead of paid by each intent — the cost that had held 200
    writers below 300 committed intents per second on two cores.

    Threading: any thread may call :meth:`submit`; it returns on the caller's thread
    once the caller's batch is committed (or answered from stored rows). A caller
    holds no database connection while it waits.
    """

    #: Transactions at once per process (0: no grouping, every batch alone — an A/B).
    SLOTS = 2
    #: Batches of more intents than this are applied alone (an offline queue's first push).
    JOIN_MAX = 20
    MAX_INTENTS = 64

    def __init__(self, sessions: sessionmaker[Session], settings: Settings | None,
                 blob_store: BlobStore | None) -> None:
        self.sessions = sessions
        self.settings = settings
        self.blob_store = blob_store
        self._lock = threading.Lock()
        self._queue: list[_Ticket] = []
        self._running = 0
        #: Groups of two or more batches applied together, and of them how many had to
        #: be applied alone after all (tests and benchmarks).
        self.groups = 0
        self.fallbacks = 0

    def submit(self, member: _Member) -> Answer:
        """Apply ``member``'s batch; same answer as :func:`_apply_alone`."""
        ticket = _Ticket(member)
        with self._lock:
            self._queue.append(ticket)
            lead = self._running < self.SLOTS
            if lead:  # then nothing was queued: the ticket is at the front
                self._running += 1
        if not lead:
            ticket.ready.wait()
            if not ticket.lead:
                return ticket.answer if ticket.answer is not None else self._alone(member)
        return self._lead(ticket)

    def _alone(self, member: _Member) -> Answer:
        return _apply_alone(self.sessions, member, self.settings, self.blob_store)

    def _lead(self, ticket: _Ticket) -> Answer:
        batch: list[_Ticket] = []
        try:
            with self._lock:
                count = 0
                while self._queue and (not batch or count + len(self._queue[0].member.items)
                                       <= self.MAX_INTENTS):
                    batch.append(self._queue.pop(0))
                    count += len(batch[-1].member.items)
            if len(batch) > 1:
                runner = _Runner(self.sessions, ticket.member.person_id, ticket.member.login,
                                 ticket.member.lang, self.settings, self.blob_store)
                answers = runner.run_group([t.member for t in batch])
                self.groups += 1
                if answers is None:
                    self.fallbacks += 1
                else:
                    for t, results in zip(batch, answers, strict=True):
                        t.answer = (results, None)
            if ticket.answer is None:
                ticket.answer = self._alone(ticket.member)
            return ticket.answer
        finally:
            with self._lock:
                following = self._queue[0] if self._queue else None
                if following is None:
                    self._running -= 1
                else:
                    following.lead = True
            for t in batch:
                if t is not ticket:
                    t.ready.set()  # answered, or (None) to be applied on its own thread
            if following is not None:
                following.ready.set()


_combiners_lock = threading.Lock()
_COMBINERS = "_push_combiners"


def combiners_of(sessions: sessionmaker[Session]) -> list[_Combiner]:
    """The group-commit combiners of ``sessions`` (benchmarks read their counts)."""
    return list(getattr(sessions, _COMBINERS, {}).values())


def _combiner_for(sessions: sessionmaker[Session], settings: Settings | None,
                  blob_store: BlobStore | None) -> _Combiner:
    # Kept on the sessionmaker: it lives as long as the app's sessions do (a weak map
    # keyed by them would be kept alive by the combiner's own reference).
    key = (id(settings), id(blob_store))
    with _combiners_lock:
        found: dict[tuple[int, int], _Combiner] | None = getattr(sessions, _COMBINERS, None)
        if found is None:
            found = {}
            setattr(sessions, _COMBINERS, found)
        combiner = found.get(key)
        if combiner is None or combiner.settings is not settings \
                or combiner.blob_store is not blob_store:
            combiner = found[key] = _Combiner(sessions, settings, blob_store)
        return combiner
