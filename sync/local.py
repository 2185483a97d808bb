"""Optimistic local apply: the ``@applier`` registry, :class:`LocalTx`, submit and rebase.

An *applier* is the client half of a mutation: ``fn(tx, args)`` runs the module's pure
rules against the local cache and writes the records the intent changes, so the screen
shows the effect at once. The server applies the same intent authoritatively later.

Contract for appliers: deterministic given ``(state read through tx, args, tx.now,
tx.principal)``; raise a :class:`~modules.common.errors.DomainError` to refuse the
intent; read and write only through ``tx``. They are re-run (rebase) whenever the server
state below them changes, with ``tx.now`` = the time the intent was first submitted.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Select,
    String,
    and_,
    delete,
    func,
    insert,
    literal_column,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from modules.common.classified import refuse_classified_data
from modules.common.errors import DomainError, ValidationFailed
from modules.common.intents import Intent
from modules.common.intents import get as get_intent
from modules.common.text import find_unreadable, shown
from sync.cache import (
    LIVE_STATES,
    Key,
    iso,
    load_record,
    outbox,
    projections_for,
    records,
    run_projections,
    store_displayed,
    stored_base,
    utcnow,
)
from sync.encoded import Encoded, decoded, dumps, encoded, from_json

log = logging.getLogger(__name__)

Applier = Callable[["LocalTx", dict[str, Any]], None]
_appliers: dict[str, Applier] = {}


def applier(intent: Intent[Any] | str) -> Callable[[Applier], Applier]:
    """Register the optimistic apply of an intent (its definition from the feature's
    ``intents`` module, or a bare "module.verb" name for intents only tests define)."""
    if isinstance(intent, Intent) and not intent.offline:
        raise ValueError(f"intent {intent.name!r} is declared online-only; it has no applier")
    name = str(intent)

    def register(fn: Applier) -> Applier:
        existing = _appliers.get(name)
        if existing is not None and existing is not fn:
            qual = getattr(existing, "__qualname__", "?")
            if qual != getattr(fn, "__qualname__", "") or existing.__module__ != fn.__module__:
                raise ValueError(f"applier {name!r} registered twice")
        _appliers[name] = fn
        return fn

    return register


def get_applier(name: str) -> Applier | None:
    return _appliers.get(name)


def _clone(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else copy.deepcopy(data)


class LocalTx:
    """What an applier sees: reads and writes of displayed records inside one transaction.

    ``get`` returns copies (mutating them changes nothing until ``put``). Writes are kept
    in :attr:`writes` and :attr:`touched` records every key written, in order.
    """

    def __init__(
        self,
        session: Session,
        *,
        now: datetime,
        principal: dict[str, Any],
        layer: str = "data",
        overlay: dict[Key, dict[str, Any] | None] | None = None,
    ) -> None:
        self.session = session
        self.now = now
        self.principal = principal
        self._layer = layer  # "data" (submit) or "base" (rebase replay)
        self._overlay = overlay if overlay is not None else {}
        self.writes: dict[Key, dict[str, Any] | None] = {}
        self.touched: list[Key] = []

    def _read(self, key: Key) -> dict[str, Any] | None:
        if key in self.writes:
            return self.writes[key]
        if key in self._overlay:
            return self._overlay[key]
        base, data, _ = load_record(self.session, key)
        return data if self._layer == "data" else base

    def get(self, entity: str, id: str) -> dict[str, Any] | None:
        """The record as the intent sees it, or None."""
        return _clone(self._read((entity, id)))

    def list(self, entity: str) -> list[dict[str, Any]]:
        """Every visible record of ``entity`` as the intent sees it (ordered by id)."""
        col = records.c.data if self._layer == "data" else stored_base
        ids = set(self.session.execute(
            select(records.c.id).where(records.c.entity == entity, col.is_not(None))
        ).scalars())
        ids.update(i for (e, i) in (*self._overlay, *self.writes) if e == entity)
        out = []
        for rid in sorted(ids):
            value = self._read((entity, rid))
            if value is not None:
                out.append(_clone(value))
        return out  # type: ignore[return-value]

    def put(self, entity: str, id: str, data: dict[str, Any]) -> None:
        """Set the record (whole value; JSON-serialisable dict)."""
        if not isinstance(data, dict):
            raise TypeError("LocalTx.put needs a dict")
        self._write((entity, id), encoded(data))  # encoded once; stored by that text

    def delete(self, entity: str, id: str) -> None:
        """Hide the record locally (the server decides whether it is really deleted)."""
        self._write((entity, id), None)

    def _write(self, key: Key, data: dict[str, Any] | None) -> None:
        self.writes[key] = data
        if key not in self.touched:
            self.touched.append(key)


def submit_intent(
    session: Session,
    name: str,
    args: dict[str, Any],
    *,
    now: datetime,
    principal: dict[str, Any],
    mutation_id: str | None = None,
    lang: str | None = None,
) -> tuple[str, set[Key]]:
    """Optimistic apply + outbox row, inside the caller's write transaction.

    Returns ``(mutation_id, changed keys)``. A DomainError from the applier propagates
    and the caller's transaction rolls back: nothing is stored. A classification marking
    in any text of ``args`` raises ClassifiedRefused first, and text no database can store
    (a lone surrogate, NUL) raises ``request.invalid_text``; arguments that break the
    intent's schema (``modules.<feature>.intents``) raise ``request.invalid`` (words in
    ``lang``).
    """
    if not isinstance(name, str) or "." not in name:
        raise ValidationFailed("request.invalid", detail=f"mutation name {name!r}")
    try:
        args = json.loads(json.dumps(args))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("request.invalid", detail=str(exc)) from exc
    unreadable = find_unreadable(args, "args")
    if unreadable:  # no cache or server can store it: refuse in words, never queue it
        raise ValidationFailed("request.invalid_text", field=shown(unreadable[0]),
                               problem=unreadable[1])
    refuse_classified_data(args)  # the server refuses them too; never queue one
    definition = get_intent(name)
    if definition is not None:  # the server's own schema: refused here in the same words
        definition.parse(args, lang)
    mutation_id = mutation_id or str(uuid.uuid4())
    changed: set[Key] = set()
    touched: list[Key] = []
    fn = get_applier(name)
    if fn is not None:
        tx = LocalTx(session, now=now, principal=principal, layer="data")
        fn(tx, args)
        touched = tx.touched
        for key in tx.touched:
            if store_displayed(session, key, tx.writes[key]):
                changed.add(key)
    session.execute(insert(outbox).values(
        mutation_id=mutation_id,
        name=name,
        args=args,
        touched=[list(k) for k in touched],
        state="pending",
        attempts=0,
        created_at=iso(now),
    ))
    return mutation_id, changed


def rebase(session: Session, keys: set[Key], *, principal: dict[str, Any]) -> set[Key]:
    """Recompute displayed state = base + live intents for ``keys`` and every key the
    live intents touch. Returns the keys whose displayed state changed.

    Replays all live intents (pending, inflight, applied-awaiting-pull) in outbox order on
    top of ``base``. An intent whose applier now refuses it keeps its queue place (the
    server decides) but shows no effect.
    """
    rows = session.execute(
        select(outbox.c.order, outbox.c.name, outbox.c.args, outbox.c.touched,
               outbox.c.created_at)
        .where(outbox.c.state.in_(LIVE_STATES))
        .order_by(outbox.c.order)
    ).all()
    affected: set[Key] = set(keys)
    for row in rows:
        affected.update((e, i) for e, i in row.touched)
    overlay: dict[Key, dict[str, Any] | None] = {}
    for row in rows:
        fn = get_applier(row.name)
        new_touched: list[Key] = []
        if fn is not None:
            tx = LocalTx(session, now=datetime.fromisoformat(row.created_at),
                         principal=principal, layer="base", overlay=overlay)
            try:
                fn(tx, row.args)
            except DomainError as exc:
                log.info("intent %s no longer applies locally: %s", row.name, exc.code)
            except Exception:
                log.exception("applier %s failed during rebase", row.name)
            else:
                overlay.update(tx.writes)
                new_touched = tx.touched
        if [list(k) for k in new_touched] != row.touched:
            session.execute(update(outbox).where(outbox.c.order == row.order)
                            .values(touched=[list(k) for k in new_touched]))
    affected.update(overlay)
    changed: set[Key] = set()
    for key in sorted(affected):
        if key in overlay:
            value = overlay[key]
        else:
            value, _, _ = load_record(session, key)
        if store_displayed(session, key, value):
            changed.add(key)
    return changed


#: A row's displayed state as its stored JSON text (not decoded).
_DATA_TEXT = type_coerce(records.c.data, String)


def _load_many(session: Session, keys: list[Key]) -> dict[Key, str | None]:
    """``{key: displayed state}`` as stored JSON text (None: hidden) for the keys that
    exist, in a few queries (decoded only where a value is needed)."""
    by_entity: dict[str, list[str]] = {}
    for entity, rid in keys:
        by_entity.setdefault(entity, []).append(rid)
    found: dict[Key, str | None] = {}
    for entity, ids in by_entity.items():
        # The ids as one JSON array: a page of thousands is one statement with two
        # parameters (not thousands to render), looked up through the primary key.
        listed: Select[Any] = select(literal_column("value")).select_from(
            func.json_each(json.dumps(ids)).table_valued("value"))
        rows = session.execute(
            select(records.c.id, _DATA_TEXT)
            .where(records.c.entity == entity, records.c.id.in_(listed))
        ).all()
        for rid, data in rows:
            found[(entity, rid)] = data
    return found


_UPSERT = (
    "INSERT INTO records (entity, id, base, data, seq, updated_at, stale, base_is_data)"
    " VALUES (?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (entity, id) DO UPDATE SET"
    " base = excluded.base, data = excluded.data, seq = excluded.seq,"
    " updated_at = excluded.updated_at, stale = excluded.stale,"
    " base_is_data = excluded.base_is_data"
)

#: A server state as :func:`apply_server_changes` takes it: a record, the JSON text of one
#: (a pulled line, stored as it is and decoded only when a value is needed), or None.
ServerState = dict[str, Any] | str | None


def _json_text(value: ServerState) -> str | None:
    """What the ``records`` JSON columns store for ``value`` (SQL NULL for None; the
    same text as the cache's JSON serializer)."""
    if value is None or type(value) is str:
        return value
    return value.json if type(value) is Encoded else dumps(value)


def _value(value: ServerState) -> dict[str, Any] | None:
    """The record itself (a text decoded, keeping the text it was stored as)."""
    return decoded(value) if type(value) is str else value  # type: ignore[return-value]


def _differs(new: ServerState, new_text: str | None, old_text: str | None) -> bool:
    """Whether a displayed state changes from the stored ``old_text`` to ``new``: the
    same text is the same record; different texts (another spacing) compare by value."""
    if new_text == old_text:
        return False
    if new_text is None or old_text is None:
        return True
    return bool(_value(new) != json.loads(old_text))


#: A first sync's rows (:func:`apply_server_changes`): none stored yet, the server state
#: is what is shown, stored once.
_INSERT = (
    "INSERT INTO records (entity, id, base, data, seq, updated_at, stale, base_is_data)"
    " VALUES "
)
_INSERT_ROW = "(?, ?, NULL, ?, ?, ?, 0, 1)"
#: Rows per INSERT statement (five variables each; SQLite since 3.32 takes 32,766).
INSERT_ROWS = 1000


@functools.lru_cache(maxsize=8)
def _insert_rows(count: int) -> str:
    return _INSERT + ",".join([_INSERT_ROW] * count)


def _project(session: Session, shown: list[tuple[Key, ServerState]]) -> None:
    """Run the projections of each entity that has some for the records ``shown``."""
    projected = {entity for entity in {key[0] for key, _data in shown}
                 if projections_for(entity)}
    if not projected:  # a page of entities without projections: nothing per record
        return
    for key, data in shown:
        if key[0] in projected:
            run_projections(session, key, _value(data))


#: The types of a pulled page's states in lines (texts and tombstones).
_LINE_TYPES = frozenset({str, type(None)})


def _insert_many(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (:data:`_INSERT`'s columns), :data:`INSERT_ROWS` per statement.

    Not ``executemany``: the driver lets go of the interpreter lock around every step,
    one per row there, and with another thread busy in Python (the next page's decoding,
    the GUI, an in-process server) each release can cost a wait of up to the switch
    interval (5 ms) before the lock comes back — once per thousand rows here."""
    for start in range(0, len(rows), INSERT_ROWS):
        chunk = rows[start:start + INSERT_ROWS]
        conn.exec_driver_sql(_insert_rows(len(chunk)),
                             tuple([value for row in chunk for value in row]))


def _insert_new(session: Session, rows: list[tuple[Any, ...]]) -> bool:
    """Insert ``rows`` (:data:`_INSERT`) when none of their keys is stored: True; when one
    is, nothing is written (the savepoint is rolled back) and False — the caller takes
    the general path. A first sync's pages skip the look-up of every key this way: the
    primary key finds the rare record already stored (one that changed between pages)."""
    conn = session.connection()
    try:
        with conn.begin_nested():
            _insert_many(conn, rows)
    except IntegrityError:
        return False
    return True


#: A pulled page in lines as :func:`sync.encoded.read_lines_page` gives its rows:
#: ``(seq, entity, id, JSON text or None for a removal)``.
PulledRow = tuple[int, str, str, str | None]


def insert_first_page(session: Session, rows: list[PulledRow]) -> set[Key] | None:
    """A first sync's page of lines written in one pass: each live record inserted as
    its text and shown (``base_is_data``), projections run, its keys returned. ``None``
    when the page is not that case — an intent is live, a removed key is stored, or a
    key is stored or twice in the page (nothing written then: the caller takes
    :func:`apply_server_changes`, which handles all of them). Runs inside the caller's
    write transaction; the same result as :func:`apply_server_changes` for such a page,
    without looking its keys up first and without its per-record dict and lists."""
    if session.execute(select(outbox.c.touched)
                       .where(outbox.c.state.in_(LIVE_STATES)).limit(1)).first():
        return None
    now = iso(utcnow())
    inserted = [(entity, rid, text, seq, now)
                for seq, entity, rid, text in rows if text is not None]
    if len(inserted) < len(rows):
        gone = [(entity, rid) for _seq, entity, rid, text in rows if text is None]
        if _load_many(session, gone):
            return None
    if inserted and not _insert_new(session, inserted):
        return None
    entities = {entity for entity, _rid, _text, _seq, _now in inserted}
    if any(projections_for(entity) for entity in entities):
        _project(session, [((entity, rid), text) for entity, rid, text, _seq, _now in inserted])
    return {(entity, rid) for entity, rid, _text, _seq, _now in inserted}


def apply_server_changes(
    session: Session,
    changes: list[tuple[Key, ServerState, int | None]],
    *,
    principal: dict[str, Any],
    fresh: bool = False,
) -> set[Key]:
    """Write server states (``None`` = tombstone) into ``base`` in bulk, then rebase.

    Records no live intent touches get ``data = base`` directly — stored once
    (``base_is_data``); the others are rebuilt by :func:`rebase`. Projections run for
    every record whose displayed state changed. Returns the changed keys. Runs inside the
    caller's write transaction. ``fresh``: the states were just decoded from JSON and are
    given away (a pulled page): they are stored without being copied first. A state
    given as JSON text (``str``, a pulled line: the server's stored text of a JSON
    object) is stored as that text and decoded only for a projection or a comparison
    with a row already stored. (A first sync's page, whose keys are most likely not
    stored yet, goes to :func:`insert_first_page` first.)
    """
    adopt = from_json if fresh else encoded
    latest: dict[Key, tuple[ServerState, int | None]] = {
        key: (data, seq) for key, data, seq in changes}
    live_rows = session.execute(
        select(outbox.c.touched).where(outbox.c.state.in_(LIVE_STATES))).scalars().all()
    now = iso(utcnow())
    existing: dict[Key, str | None] | None = None
    if not live_rows and {type(base) for base, _seq in latest.values()} <= _LINE_TYPES:
        # A first sync's page: no row stored for these keys, no local edit, each state a
        # pulled line — every live one is inserted as it is and shown, nothing to remove.
        inserted = [(e, i, text, seq, now) for (e, i), (text, seq) in latest.items()
                    if text is not None]
        existing = _load_many(session, list(latest))
        fits = not existing
        if fits and inserted:
            _insert_many(session.connection(), inserted)
        if fits:
            added: list[tuple[Key, ServerState]] = [
                (key, text) for key, (text, _seq) in latest.items() if text is not None]
            _project(session, added)
            return {key for key, _text in added}
    intent_keys: set[Key] = {(e, i) for touched in live_rows for e, i in touched}
    if existing is None:
        existing = _load_many(session, list(latest))
    upserts: list[tuple[str, str, str | None, str | None, int | None, str, int]] = []
    deletes: list[Key] = []
    shown: list[tuple[Key, ServerState]] = []
    for key, (base, seq) in latest.items():
        stored = key in existing
        old_text = existing.get(key)
        if isinstance(base, dict):
            base = adopt(base)  # one encoding, kept with the record
        if key in intent_keys:  # shown as it is until the rebase below
            if base is None and old_text is None:
                if stored:
                    deletes.append(key)
            else:
                upserts.append((key[0], key[1], _json_text(base), old_text, seq, now, 0))
            continue
        text = _json_text(base)
        if text is None:
            if stored:
                deletes.append(key)
        else:  # the server state is what is shown: one copy for both layers
            upserts.append((key[0], key[1], None, text, seq, now, 1))
        if _differs(base, text, old_text):
            shown.append((key, base))
    if upserts:
        # Straight to the driver: a first sync writes thousands of rows per page, and the
        # JSON texts are made already (SQLAlchemy's per-row parameter handling was a
        # quarter of the page's CPU).
        session.connection().exec_driver_sql(_UPSERT, upserts)
    for entity, rid in deletes:
        session.execute(delete(records).where(and_(records.c.entity == entity,
                                                   records.c.id == rid)))
    _project(session, shown)
    changed = {key for key, _ in shown}
    if live_rows:
        changed |= rebase(session, set(latest) & intent_keys, principal=principal)
    return changed
