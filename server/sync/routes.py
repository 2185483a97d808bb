"""Routes under /api/v1/sync: pull (change feed), push (intents), events (push channel)."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import gzip
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from json.encoder import encode_basestring_ascii
from typing import Any, TypeVar

import zstandard
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import Field

from modules.common.errors import TooLarge
from modules.common.messages import normalise_lang
from server.auth.deps import CurrentUser, bearer_token
from server.changefeed import FeedRows, read_feed_rows
from server.db import read_scope, utcnow
from server.push_batch import apply_batch
from server.schemas import StrictModel
from server.scopes import ScopeBasis, scope_basis, scope_keys
from server.sync.quick_pull import quick_pull, remember_token_secret

log = logging.getLogger(__name__)
router = APIRouter(prefix="/sync", tags=["sync"])

MAX_BATCH = 100


class MutationIn(StrictModel):
    id: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    name: str = Field(min_length=3, max_length=80, pattern=r"^[a-z_]+\.[a-z_]+$")
    args: dict[str, Any] = Field(default_factory=dict)


class PushBody(StrictModel):
    mutations: list[MutationIn]


#: Largest page a client may ask for. A page of directory-sized records (≈ 300 bytes of
#: JSON each) at this size is about 1.5 MB of JSON in the server's and the client's memory.
MAX_PAGE = 5000
#: Seconds a pull waits at most for the hub's next tick when the hub is just behind.
_TICK_WAIT_SECONDS = 0.2
#: A page from the hub's tail with at most this many rows is written out (and gzipped) on
#: the event loop: a hand-off to a thread costs more than that.
_ON_LOOP_ROWS = 50

#: The media type of a page asked for with ``form=lines`` (:func:`_page_lines`).
LINES_MEDIA_TYPE = "application/x-ndjson"

#: zstd's level for pages: a first sync's 100,000 directory records (29 MB of lines) in
#: 0.6 MB at ~0.6 ms CPU a page, where gzip's level 1 gives 2.3 MB at ~2 ms.
ZSTD_LEVEL = 1
_zstd = threading.local()  # a compressor is not to be shared by threads at once


def accepted_codings(header: str) -> set[str]:
    """The content codings an ``Accept-Encoding`` value accepts (lower case; one with
    ``q=0`` is refused, so it is left out)."""
    out: set[str] = set()
    for part in header.lower().split(","):
        coding, _, params = part.strip().partition(";")
        quality = params.strip()
        if quality.startswith("q="):
            try:
                if float(quality[2:]) <= 0:
                    continue
            except ValueError:
                continue
        if coding:
            out.add(coding.strip())
    return out


def _zstd_compress(body: bytes) -> bytes:
    compressor = getattr(_zstd, "compressor", None)
    if compressor is None:
        compressor = _zstd.compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
    return compressor.compress(body)

#: Threads of the pulls' and streams' database reads, at most this many at once per
#: process (below the engine's pool of 30 connections). Few: their work is mostly Python
#: holding the GIL, and more threads only wait for it longer and starve the event loop
#: (16 gave pull p99 0.4–6.8 s at 1,000 devices; see server.app.ROUTE_THREADS).
FEED_THREADS = 4
_feed_threads = ThreadPoolExecutor(max_workers=FEED_THREADS, thread_name_prefix="feed")

T = TypeVar("T")


async def _off_loop(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on a feed thread, in a copy of this context (request id, audit
    context) — as ``run_in_threadpool``, at about half its CPU per call: a plain
    executor hand-off instead of anyio's worker-thread machinery, on every database
    pull."""
    context = contextvars.copy_context()
    call = functools.partial(context.run, fn, *args)
    return await asyncio.get_running_loop().run_in_executor(_feed_threads, call)


@router.get("/pull", response_model=None, responses={
    200: {"content": {"application/json": {"schema": {"type": "object"}},
                      LINES_MEDIA_TYPE: {"schema": {"type": "string"}}},
          "description": "One page of the change feed: a JSON object, or with form=lines a "
                         "head line and one stored record text per line"}})
async def pull(
    request: Request,
    cursor: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=500, ge=1, le=MAX_PAGE),
    form: str = Query(default="json", pattern="^(json|lines)$"),
) -> dict[str, Any] | Response:
    """One page of the change feed after ``cursor``.

    ``form=lines``: the page as lines (:func:`_page_lines`) — each record's stored JSON
    text on a line of its own, so a client can store it without decoding it.

    "Nothing new" is answered without SQL when the push hub's view shows that no key of
    the person's (cached) scope changed after the cursor (:mod:`server.sync.quick_pull`);
    otherwise, and for every first pull, the feed is read from the database.
    """
    hub = request.app.state.push_hub
    known = hub.known()  # what has committed as the pull arrives: its answer covers it
    quick = quick_pull(request, cursor, limit)
    # The hub has yet to read a commit it knows of: its next tick is due within ~50 ms
    # and costs less than this pull's own transaction would. After it, commits made or
    # notified since the pull arrived need not be in the answer (they were not there
    # when it was asked; their pokes follow) — under load a tick rarely ends with
    # nothing new notified, and waiting for that sent a third of all pulls to SQL.
    if quick is None and cursor and hub.behind() and await hub.next_tick(_TICK_WAIT_SECONDS):
        quick = quick_pull(request, cursor, limit, known)
    if isinstance(quick, bytes):
        return Response(quick, media_type="application/json")
    if quick is not None:  # a page from the hub's tail: written out here unless large
        if len(quick.rows) <= _ON_LOOP_ROWS:
            return _page_response(request, quick, form)
        return await _off_loop(_page_response, request, quick, form)
    return await _off_loop(_pull_from_database, request, cursor, limit, form)


def _pull_from_database(request: Request, cursor: str | None, limit: int,
                        form: str = "json") -> Response:
    from server.auth import devices
    from server.auth.principal import load_principal
    from server.auth.service import access_claims

    token = bearer_token(request)
    hub = request.app.state.push_hub
    seen = hub.seen_seq()
    generation = hub.scope_generation()
    # One read session (no transaction on PostgreSQL: server.db.read_scope): the
    # principal, the scope and the page. The scope comes from
    # the hub when it holds it on the cheap pull's terms (PushHub.cached_scope).
    with read_scope(request.app.state.sessions) as session:
        claims = access_claims(session, request.app.state.settings, token)
        devices.verify(request.app.state, session, claims, touch=False)
        person_id, login = claims["sub"], str(claims.get("login", ""))
        remember_token_secret(request, session)
        keys = hub.cached_scope(person_id)
        basis = None
        if keys is None:
            principal = load_principal(session, person_id, login)
            keys, basis = scope_keys(session, principal), scope_basis(principal)
        page = read_feed_rows(session, keys, cursor or None, limit)
    request.state.person_id = person_id
    if basis is not None:
        hub.remember_scope(person_id, keys, seen, generation, basis=basis)
    return _page_response(request, page, form)


def _page_response(request: Request, page: FeedRows, form: str) -> Response:
    """``page`` written out in ``form``, compressed when the client accepts gzip."""
    if form == "lines":
        body, media_type = _page_lines(page), LINES_MEDIA_TYPE
    else:
        body, media_type = _page_json(page), "application/json"
    if len(body) > 1024:
        codings = accepted_codings(request.headers.get("accept-encoding", ""))
        # Compressed here (the GZip middleware passes it through): zstd where the client
        # takes it (the client's httpx does) — a quarter of gzip's bytes for a quarter
        # of its CPU on both sides; else gzip, level 6 for JSON and 1 for lines (a first
        # sync's pages: 6 cost ~0.34 s CPU per 100,000 records against ~0.13 s for
        # about 12 % more bytes; the middleware's 9 three times the CPU).
        if "zstd" in codings:
            return Response(_zstd_compress(body), media_type=media_type,
                            headers={"Content-Encoding": "zstd", "Vary": "Accept-Encoding"})
        if "gzip" in codings:
            level = 1 if form == "lines" else 6
            return Response(gzip.compress(body, level), media_type=media_type,
                            headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(body, media_type=media_type)


def _page_json(page: FeedRows) -> bytes:
    """The pull answer, with each record's stored JSON text written out as it is (no
    decoding and encoding again; the same document ``json.dumps`` of the decoded page
    would give, up to whitespace)."""
    dumps = json.dumps
    parts = [
        f'{{"seq":{seq},"entity":{dumps(entity)},"id":{dumps(entity_id)},'
        f'"op":"{"delete" if data is None else "upsert"}",'
        f'"data":{"null" if data is None else data}}}'
        for seq, entity, entity_id, data in page.rows
    ]
    server_time = utcnow().isoformat().replace("+00:00", "Z")
    return (
        f'{{"changes":[{",".join(parts)}],"cursor":{dumps(page.cursor)},'
        f'"has_more":{"true" if page.has_more else "false"},"server_time":"{server_time}"}}'
    ).encode()


def _page_lines(page: FeedRows) -> bytes:
    """The pull answer as lines: first a JSON object — ``rows``, one ``[seq, entity, id,
    live]`` per change in order, with ``cursor``, ``has_more`` and ``server_time`` as in
    the JSON form — then, for each row with ``live`` 1, that record's stored JSON text on
    a line of its own, as it is (JSON text holds no raw line break: one that does is
    encoded again). ``live`` 0 is a removal (no line)."""
    # The head's rows written as text (no list per row to build and encode again); a
    # string is written as json.dumps writes it.
    dumps, quoted = json.dumps, encode_basestring_ascii
    names: dict[str, str] = {}
    for _seq, entity, _id, _data in page.rows:
        if entity not in names:
            names[entity] = quoted(entity)
    rows = ",".join([f'[{seq},{names[entity]},{quoted(entity_id)},{0 if data is None else 1}]'
                     for seq, entity, entity_id, data in page.rows])
    lines = [data if "\n" not in data else dumps(json.loads(data))
             for _seq, _entity, _id, data in page.rows if data is not None]
    server_time = utcnow().isoformat().replace("+00:00", "Z")
    head = (f'{{"rows":[{rows}],"cursor":{dumps(page.cursor)},'
            f'"has_more":{"true" if page.has_more else "false"},"server_time":"{server_time}"}}')
    return "\n".join([head, *lines]).encode()


@router.post("/push", response_model=None)
def push(body: PushBody, user: CurrentUser, request: Request) -> dict[str, Any] | JSONResponse:
    if len(body.mutations) > MAX_BATCH:
        raise TooLarge("sync.batch_too_large", limit=MAX_BATCH)
    lang = normalise_lang(request.headers.get("accept-language"))
    # One transaction for the batch, a savepoint per intent (server/push_batch.py).
    results, bug = apply_batch(
        request.app.state.sessions, user.person_id, user.login,
        [item.model_dump() for item in body.mutations], lang,
        settings=request.app.state.settings, blob_store=request.app.state.blob_store,
        principal=user,
    )
    if bug is not None:
        # A bug: what was applied stays applied (and is remembered); the client
        # retries the rest later. Logged with the request id by apply_batch.
        log.error("push stopped at mutation %s", bug.mutation_id)
        request_id = getattr(request.state, "request_id", "")
        from modules.common.messages import render

        return JSONResponse(
            status_code=500,
            content={
                "results": results,
                "error": {
                    "code": "internal_error",
                    "message": render("internal_error", lang, {"request_id": request_id}),
                    "params": {"request_id": request_id},
                },
                "request_id": request_id,
            },
        )
    return {"results": results}


@router.get("/events")
async def events(request: Request) -> StreamingResponse:
    """Server-sent events: ``poke`` when something in the user's scope changed."""
    from server.auth import devices
    from server.auth.principal import load_principal
    from server.auth.service import access_claims

    token = bearer_token(request)
    hub = request.app.state.push_hub
    settings = request.app.state.settings
    gate = devices.gate_of(request.app.state)

    def resolve() -> tuple[str, str, frozenset[str], ScopeBasis, int, str | None]:
        seen = hub.seen_seq()
        with read_scope(request.app.state.sessions) as session:
            claims = access_claims(session, settings, token)
            devices.verify(request.app.state, session, claims, touch=False)
            person_id, login = claims["sub"], str(claims.get("login", ""))
            principal = load_principal(session, person_id, login)
            device = claims.get(devices.CLAIM)
            return (person_id, login, scope_keys(session, principal), scope_basis(principal),
                    seen, device if isinstance(device, str) else None)

    person_id, login, keys, basis, seen, device_id = await _off_loop(resolve)

    async def stream() -> AsyncIterator[bytes]:
        listener = hub.subscribe(person_id, login, keys, seen, basis)
        queue = listener.queue
        try:
            yield f"event: hello\ndata: {json.dumps({'seq': hub.last_seq})}\n\n".encode()
            while True:
                try:
                    poke = await asyncio.wait_for(
                        queue.get(), timeout=settings.push_keepalive_seconds
                    )
                except TimeoutError:
                    if await request.is_disconnected() or gate.is_revoked(device_id):
                        return  # a revoked device reconnects and is refused
                    yield b": keepalive\n\n"
                    continue
                if poke is None or gate.is_revoked(device_id):  # shutting down / revoked
                    return
                yield f"event: poke\ndata: {json.dumps(poke)}\n\n".encode()
        finally:
            hub.unsubscribe(listener)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
