"""ASGI middleware: request ids, access log, request body size limit, text guard."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from modules.common.messages import normalise_lang, render
from modules.common.text import find_unreadable, text_problem
from server.audit.trail import RequestContext, request_context
from server.logs import request_id_var

access_log = logging.getLogger("office.access")


class _HttpMiddleware:
    """Base of these middlewares: HTTP requests go to :meth:`http`, everything else
    (lifespan) straight to the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RequestContextMiddleware(_HttpMiddleware):
    """Give each request an id (``X-Request-ID`` in and out), set the audit trail's
    request context (the client's address: the TCP peer, or the first
    ``X-Forwarded-For`` hop when ``trust_proxy``) and log one line per request."""

    def __init__(self, app: ASGIApp, trust_proxy: bool = False) -> None:
        super().__init__(app)
        self.trust_proxy = trust_proxy

    def _address(self, scope: Scope, headers: dict[bytes, bytes]) -> str:
        if self.trust_proxy:
            forwarded = headers.get(b"x-forwarded-for", b"").decode("latin-1")
            first = forwarded.split(",")[0].strip()
            if first and first.isprintable():
                return first[:64]
        client = scope.get("client")
        return str(client[0])[:64] if client else ""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = incoming if incoming.isprintable() and incoming else os.urandom(8).hex()
        token = request_id_var.set(request_id)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        audit_token = request_context.set(
            RequestContext(address=self._address(scope, headers), state=state))
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "%s %s %s",
                    scope.get("method"),
                    scope.get("path"),
                    status,
                    extra={
                        "fields": {
                            "method": scope.get("method"),
                            "path": scope.get("path"),
                            "status": status,
                            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                        }
                    },
                )
            request_context.reset(audit_token)
            request_id_var.reset(token)


class BodyLimitMiddleware(_HttpMiddleware):
    """Refuse request bodies over ``limit`` bytes with 413 before a route reads them.

    The body is read here in full (declared length or chunked alike) and replayed to
    the app as one message, so an over-long chunked body is a 413 too and no route ever
    sees a partial body.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        super().__init__(app)
        self.limit = limit

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                too_big = False
            if too_big:
                await _send_error(send, 413, "request.too_large", _lang(headers),
                                  {"limit": self.limit})
                return
        if declared is None and b"transfer-encoding" not in headers:
            await self.app(scope, receive, send)  # no body announced (GET, SSE, ...)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await _send_error(send, 413, "request.too_large", _lang(headers),
                                  {"limit": self.limit})
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


#: Scope key of the request's headers as a dict (built once for these middlewares).
_HEADERS = "office.headers"


def _headers(scope: Scope) -> dict[bytes, bytes]:
    """An HTTP request's headers by (lower-case) name, built once per request."""
    found = scope.get(_HEADERS)
    if found is None:
        found = scope[_HEADERS] = dict(scope.get("headers") or [])
    return found


def _lang(headers: dict[bytes, bytes]) -> str:
    """The language the request asks for (only an error answer needs it)."""
    return normalise_lang(headers.get(b"accept-language", b"").decode("latin-1"))


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands out ``body`` once, then waits on the real channel."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


class TextGuardMiddleware(_HttpMiddleware):
    """Refuse text no database can store before anything else reads the request.

    Path, query parameters and JSON bodies are checked with
    :func:`modules.common.text.find_unreadable` (lone surrogates, NUL; path and query
    also refuse every other control character). A refusal is a 422
    ``request.invalid_text`` naming the field. Paths in ``per_item_paths`` (push) leave
    the ``args`` of each item to their route, which rejects one intent, not the batch.
    Runs inside :class:`BodyLimitMiddleware`, so the body is already whole.
    """

    def __init__(self, app: ASGIApp, per_item_paths: frozenset[str] = frozenset()) -> None:
        super().__init__(app)
        self.per_item_paths = per_item_paths

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        found = _url_problem(scope)
        if found:
            await _send_error(send, 422, "request.invalid_text", _lang(headers),
                              {"field": found[0], "problem": found[1]})
            return
        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if not (content_type == b"application/json" or content_type.endswith(b"+json")):
            await self.app(scope, receive, send)
            return
        message = await receive()
        body = message.get("body", b"")
        while message.get("more_body", False):  # only without BodyLimitMiddleware
            message = await receive()
            body += message.get("body", b"")
        try:
            value = json.loads(body) if body.strip() else None
        except UnicodeDecodeError:
            await _send_error(send, 400, "request.malformed_json", _lang(headers),
                              {"detail": "not UTF-8"})
            return
        except ValueError:
            value = None  # the route answers malformed JSON itself
        if scope.get("path") in self.per_item_paths:
            value = _without_item_args(value)
        found = find_unreadable(value) if value is not None else None
        if found:
            await _send_error(send, 422, "request.invalid_text", _lang(headers),
                              {"field": found[0], "problem": found[1]})
            return
        await self.app(scope, _replay(body, receive), send)


class FeedGZipMiddleware(GZipMiddleware):
    """Starlette's GZip, passed by for ``skip_paths``: routes that compress their own
    answers (the pull's pages) or stream events (never compressed), so their every
    response and every event message no longer goes through GZip's responder."""

    def __init__(self, app: ASGIApp, minimum_size: int = 500,
                 skip_paths: Iterable[str] = ()) -> None:
        super().__init__(app, minimum_size=minimum_size)
        self.skip_paths = frozenset(skip_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("path") in self.skip_paths:
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _url_problem(scope: Scope) -> tuple[str, str] | None:
    path = scope.get("path", "")
    problem = text_problem(path)
    if problem:
        return "path", problem
    query = scope.get("query_string", b"").decode("latin-1")
    for key, value in parse_qsl(query, keep_blank_values=True):
        problem = text_problem(key) or text_problem(value)
        if problem:
            return key if text_problem(key) is None else "query", problem
    return None


def _without_item_args(value: Any) -> Any:
    if not isinstance(value, dict) or not isinstance(value.get("mutations"), list):
        return value
    items = [{k: v for k, v in m.items() if k != "args"} if isinstance(m, dict) else m
             for m in value["mutations"]]
    return {**value, "mutations": items}


async def _send_error(send: Send, status: int, code: str, lang: str, params: dict[str, Any]) -> None:
    body: dict[str, Any] = {
        "error": {"code": code, "message": render(code, lang, params), "params": params},
        "request_id": request_id_var.get(),
    }
    raw = json.dumps(body, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(raw)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": raw})
