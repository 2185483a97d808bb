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
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, insert
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
    """Where a request comes from, as the audit trail records it."""

    device: str = ""
    address: str = ""


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
    request_context.set(RequestContext(device[:120], current.address))


def primary_body(principal: Principal | None) -> str:
    """The actor's primary body (first post's body when none is marked primary)."""
    if principal is None or not principal.posts:
        return ""
    for post in principal.posts:
        if post.is_primary:
            return post.body_id
    return principal.posts[0].body_id


def _detail_text(detail: Mapping[str, Any] | None) -> str:
    if not detail:
        return ""
    raw = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str,
                     separators=(",", ":"))
    if len(raw) > DETAIL_LIMIT:
        raw = json.dumps({"truncated": sorted(str(k) for k in detail)[:50]},
                         ensure_ascii=False, separators=(",", ":"))[:DETAIL_LIMIT]
    return raw


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
) -> dict[str, Any]:
    """The column values of one pending entry (for bulk inserts such as a push batch).

    ``actor`` wins over the ``actor_*`` strings (which name someone not signed in, e.g.
    the account of a failed sign-in)."""
    if result not in RESULTS:
        raise ValueError(f"audit result {result!r} is not one of {RESULTS}")
    context = request_context.get()
    if actor is not None:
        actor_id, actor_login, actor_name = actor.person_id, actor.login, actor.name
    return {
        "at": at or utcnow(),
        "actor_id": actor_id[:40],
        "actor_name": actor_name[:120],
        "actor_login": actor_login[:80],
        "action": action[:80],
        "target": str(target or "")[:200],
        "scope_body": (scope_body if scope_body is not None else primary_body(actor))[:40],
        "result": result,
        "code": code[:80],
        "detail": _detail_text(detail),
        "device": context.device[:120],
        "address": context.address[:64],
        "request_id": (request_id_var.get() or "")[:64],
    }


def record_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert pending entries built by :func:`entry_row` in one statement."""
    if not rows:
        return
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
) -> None:
    """Add one entry to the trail in ``session``'s transaction: it stands or falls with
    the caller's change. ``scope_body`` defaults to the actor's primary body."""
    record_rows(session, [entry_row(
        action=action, result=result, actor=actor, target=target, scope_body=scope_body,
        code=code, detail=detail, actor_id=actor_id, actor_login=actor_login,
        actor_name=actor_name)])


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
) -> None:
    """Like :func:`record`, committed at once in a transaction of its own: for a refusal
    or failure whose request transaction is rolled back. Do not call it while holding
    a SQLite write transaction on the same database (it would wait for it)."""
    with session_scope(where) as session:
        record(session, action=action, result=result, actor=actor, target=target,
               scope_body=scope_body, code=code, detail=detail, actor_id=actor_id,
               actor_login=actor_login, actor_name=actor_name)
