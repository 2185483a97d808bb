"""Writing to the audit trail: :func:`record` (inside the caller's transaction) and
:func:`record_detached` (a short transaction of its own, for refusals and failures whose
request transaction rolls back).

Who calls: the hooks of issue 12 (sign-in, tokens, intents, admin routes, downloads,
exports, device revocation). Entries are written *pending*; the chaining pass numbers
and hashes them after commit (:mod:`server.audit.chain`), so a writer never waits for
another writer's audit entry. Device and address come from :data:`request_context`,
which :class:`server.middleware.RequestContextMiddleware` sets per request.
"""

from __future__ import annotations

import contextvars
import importlib
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditEntry
from server.db import session_scope, utcnow
from server.logs import request_id_var

if TYPE_CHECKING:
    from server.auth.principal import Principal

RESULTS = ("ok", "refused", "failed")
#: ``Session.info`` key: this session wrote pending audit entries (chain them after commit).
PENDING = "audit_pending"
#: Longest ``detail`` JSON kept; a longer one is cut to its keys.
DETAIL_LIMIT = 2000


@dataclass(frozen=True)
class RequestContext:
    """Where a request comes from, as the audit trail records it. ``state``: the
    request's state (``scope["state"]``), read when an entry is written, so the device
    the authentication found (``request.state.device_id``) is recorded without being
    passed around."""

    device: str = ""
    address: str = ""
    state: dict[str, Any] | None = None

    def device_now(self) -> str:
        if self.device:
            return self.device
        found = self.state.get("device_id") if self.state is not None else None
        return found if isinstance(found, str) else ""


request_context: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "audit_request_context", default=RequestContext())  # noqa: B039 (frozen: immutable)


@contextmanager
def acting_from(device: str = "", address: str = "") -> Iterator[None]:
    """Set the request context for code outside the middleware (CLI, tests, threads)."""
    token = request_context.set(RequestContext(device[:120], address[:64]))
    try:
        yield
    finally:
        request_context.reset(token)


def set_device(device: str) -> None:
    """Name the device of the current request once it is known (e.g. from the login
    body or a token), keeping the address."""
    current = request_context.get()
    request_context.set(RequestContext(device[:120], current.address, current.state))


def primary_body(principal: Principal | None) -> str:
    """The actor's primary body (first post's body when none is marked primary)."""
    if principal is None or not principal.posts:
        return ""
    for post in principal.posts:
        if post.is_primary:
            return post.body_id
    return principal.posts[0].body_id


def _safe(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters and encodable as UTF-8: what a client sent
    reaches the trail verbatim, and a lone surrogate in it must not fail the commit."""
    return text[:limit].encode("utf-8", "replace").decode("utf-8")


def _detail_text(detail: Mapping[str, Any] | None) -> str:
    if not detail:
        return ""
    raw = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str,
                     separators=(",", ":"))
    if len(raw) > DETAIL_LIMIT:
        raw = json.dumps({"truncated": sorted(str(k) for k in detail)[:50]},
                         ensure_ascii=False, separators=(",", ":"))[:DETAIL_LIMIT]
    return _safe(raw, DETAIL_LIMIT)


def entry_row(
    *,
    action: str,
    result: str = "ok",
    actor: Principal | None = None,
    target: str = "",
    scope_body: str | None = None,
    code: str = "",
    detail: Mapping[str, Any] | None = None,
    actor_id: str = "",
    actor_login: str = "",
    actor_name: str = "",
    at: datetime | None = None,
    device: str | None = None,
) -> dict[str, Any]:
    """The column values of one pending entry (for bulk inserts such as a push batch).

    ``actor`` wins over the ``actor_*`` strings (which name someone not signed in, e.g.
    the account of a failed sign-in); ``device`` over the request's device."""
    if result not in RESULTS:
        raise ValueError(f"audit result {result!r} is not one of {RESULTS}")
    context = request_context.get()
    if actor is not None:
        actor_id, actor_login, actor_name = actor.person_id, actor.login, actor.name
    return {
        "at": at or utcnow(),
        "actor_id": _safe(actor_id, 40),
        "actor_name": _safe(actor_name, 120),
        "actor_login": _safe(actor_login, 80),
        "action": _safe(action, 80),
        "target": _safe(str(target or ""), 200),
        "scope_body": _safe(scope_body if scope_body is not None else primary_body(actor), 40),
        "result": result,
        "code": _safe(code, 80),
        "detail": _detail_text(detail),
        "device": _safe(device if device is not None else context.device_now(), 120),
        "address": context.address[:64],
        "request_id": (request_id_var.get() or "")[:64],
    }


#: ``_scope_of`` hints an entry may carry: argument name -> (module, model, body column)
#: of the record whose owning body is the entry's scope (the organ of a document, a seal,
#: a meeting).
SCOPE_OF: dict[str, tuple[str, str, str]] = {
    "document_id": ("server.documents.models", "Document", "body_id"),
    "seal_id": ("server.seals.models", "SealRow", "body_id"),
    "meeting_id": ("server.meetings.models", "Meeting", "host_organ_id"),
}
_HINT = "_scope_of"


def _resolve_scopes(session: Session, rows: list[dict[str, Any]]) -> None:
    """Replace the ``_scope_of`` hints by the owning bodies, one query per kind."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        hint = row.get(_HINT)
        if hint is not None and _safe(hint[1], 200) == hint[1]:
            # an id no row can have (too long, a lone surrogate) is not looked up
            wanted.setdefault(hint[0], set()).add(hint[1])
    found: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        module, name, column = SCOPE_OF[kind]
        model = getattr(importlib.import_module(module), name)
        key, body = model.__table__.c.id, model.__table__.c[column]
        for record_id, body_id in session.execute(select(key, body).where(key.in_(ids))):
            found[(kind, record_id)] = str(body_id or "")
    for row in rows:
        hint = row.pop(_HINT, None)
        if hint is not None and found.get(hint):
            row["scope_body"] = found[hint][:40]


def record_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert pending entries built by :func:`entry_row` in one statement (resolving
    their ``_scope_of`` hints in the same transaction)."""
    if not rows:
        return
    _resolve_scopes(session, rows)
    session.execute(insert(AuditEntry), rows)
    session.info[PENDING] = True


def record(
    session: Session,
    *,
    action: str,
    result: str = "ok",
    actor: Principal | None = None,
    target: str = "",
    scope_body: str | None = None,
    code: str = "",
    detail: Mapping[str, Any] | None = None,
    actor_id: str = "",
    actor_login: str = "",
    actor_name: str = "",
    device: str | None = None,
) -> None:
    """Add one entry to the trail in ``session``'s transaction: it stands or falls with
    the caller's change. ``scope_body`` defaults to the actor's primary body."""
    record_rows(session, [entry_row(
        action=action, result=result, actor=actor, target=target, scope_body=scope_body,
        code=code, detail=detail, actor_id=actor_id, actor_login=actor_login,
        actor_name=actor_name, device=device)])


def record_detached(
    where: Engine | sessionmaker[Session],
    *,
    action: str,
    result: str = "refused",
    actor: Principal | None = None,
    target: str = "",
    scope_body: str | None = None,
    code: str = "",
    detail: Mapping[str, Any] | None = None,
    actor_id: str = "",
    actor_login: str = "",
    actor_name: str = "",
    device: str | None = None,
) -> None:
    """Like :func:`record`, committed at once in a transaction of its own: for a refusal
    or failure whose request transaction is rolled back. Do not call it while holding
    a SQLite write transaction on the same database (it would wait for it)."""
    with session_scope(where) as session:
        record(session, action=action, result=result, actor=actor, target=target,
               scope_body=scope_body, code=code, detail=detail, actor_id=actor_id,
               actor_login=actor_login, actor_name=actor_name, device=device)


#: Argument names that identify what an intent acts on, most specific first.
_TARGET_KEYS = ("id", "document_id", "seal_id", "meeting_id", "item_id", "person_id",
                "post_id", "body_id", "booking_id", "series_id", "room_id", "device_id")


def intent_target(args: Any) -> str:
    """The id an intent acts on: the first of :data:`_TARGET_KEYS` in its arguments,
    else the first ``…_id`` argument with a text value."""
    if not isinstance(args, Mapping):
        return ""
    for key in _TARGET_KEYS:
        value = args.get(key)
        if isinstance(value, str) and value:
            return value
    for key, value in args.items():
        if isinstance(key, str) and key.endswith("_id") and isinstance(value, str) and value:
            return value
    return ""


def intent_row(
    name: str,
    args: Any,
    response: Mapping[str, Any],
    *,
    actor: Principal | None,
    person_id: str,
    login: str,
) -> dict[str, Any]:
    """The entry of one intent answered by the push dispatcher (``response``: its
    ``{"id", "status", "result" | "error"}``): ``intent.<name>``, ok / refused /
    failed with the error code. Scope: the ``body_id`` argument, else the owning body
    of the ``document_id`` / ``seal_id`` / ``meeting_id`` it names (:data:`SCOPE_OF`),
    else the actor's primary body."""
    status = str(response.get("status", ""))
    error = response.get("error")
    code = str(error.get("code", "")) if isinstance(error, Mapping) else ""
    result = "ok" if status == "applied" else ("failed" if status == "failed" else "refused")
    body = args.get("body_id") if isinstance(args, Mapping) else None
    row = entry_row(
        action=f"intent.{name}"[:80], result=result, actor=actor, actor_id=person_id,
        actor_login=login, target=intent_target(args),
        scope_body=body if isinstance(body, str) and body else None, code=code,
        detail={"mutation": str(response.get("id", ""))})
    if not (isinstance(body, str) and body) and isinstance(args, Mapping):
        for key in SCOPE_OF:  # the target's owning body, looked up when written
            value = args.get(key)
            if isinstance(value, str) and value:
                row[_HINT] = (key, value)
                break
    return row
