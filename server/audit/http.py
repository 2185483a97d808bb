"""The audit trail's hook for REST routes: one middleware records the administrative
writes (directory bodies, people, posts, accounts, import) and the downloads and exports
(blob downloads, archive packages) with their outcome.

Why a middleware: the outcome of a route (ok, refused with which code, failed) is only
known from its answer, and the list of audited routes stays in one place
(:data:`RULES`) instead of a call in every route. Intents (everything else a person
changes, seals and calendar included) are recorded by the push dispatcher
(server/mutations.py, server/push_batch.py), sign-ins by server/auth/routes.py.

The entry is written in a transaction of its own right after the answer's status is
known (:func:`server.audit.trail.record_detached`), on a worker thread. Actor: the
person the authentication resolved (``request.state.person_id``); a request refused
before that (no or a bad token) is recorded without an actor.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.audit.trail import entry_row, record_rows
from server.db import session_scope

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rule:
    method: str
    path: re.Pattern[str]
    action: str
    #: Named group of ``path`` holding the target id ("" = none).
    target: str = "id"
    #: The target is a body: its own entries belong to its audit scope.
    body_target: bool = False


def _rule(method: str, path: str, action: str, target: str = "id",
          body_target: bool = False) -> Rule:
    return Rule(method, re.compile(f"^/api/v1{path}$"), action, target, body_target)


_ID = r"(?P<id>[^/]+)"
RULES: tuple[Rule, ...] = (
    _rule("POST", "/directory/bodies", "directory.body_create", ""),
    _rule("PATCH", f"/directory/bodies/{_ID}", "directory.body_update", body_target=True),
    _rule("DELETE", f"/directory/bodies/{_ID}", "directory.body_retire", body_target=True),
    _rule("POST", "/directory/people", "directory.person_create", ""),
    _rule("PATCH", f"/directory/people/{_ID}", "directory.person_update"),
    _rule("DELETE", f"/directory/people/{_ID}", "directory.person_deactivate"),
    _rule("PUT", f"/directory/people/{_ID}/account", "directory.account_set"),
    _rule("POST", f"/directory/people/{_ID}/posts", "directory.post_add"),
    _rule("PATCH", f"/directory/posts/{_ID}", "directory.post_update"),
    _rule("DELETE", f"/directory/posts/{_ID}", "directory.post_remove"),
    _rule("POST", "/directory/import", "directory.import", ""),
    _rule("GET", f"/blobs/{_ID}", "blob.download"),
    _rule("GET", f"/documents/{_ID}/archive-package.zip", "archive.export"),
)

#: Largest error body read for its code.
_ERROR_BODY = 16 * 1024


def match(method: str, path: str) -> tuple[Rule, str] | None:
    """The rule for a request and its target id, or None when it is not audited."""
    for rule in RULES:
        if rule.method == method:
            found = rule.path.match(path)
            if found is not None:
                return rule, (found.group(rule.target) if rule.target else "")
    return None


def _continues_a_download(scope: Scope) -> bool:
    """A ``Range`` request that does not start at byte 0 (a resumed or partial read of a
    download already recorded)."""
    for name, value in scope.get("headers") or []:
        if name == b"range":
            return not value.decode("latin-1").replace(" ", "").startswith("bytes=0-")
    return False


def _query_flags(scope: Scope) -> dict[str, Any]:
    query = scope.get("query_string", b"").decode("latin-1")
    flags = {}
    for key in ("dry_run", "valid_rows"):
        if re.search(rf"(?:^|&){key}=(?:true|1)(?:&|$)", query, re.I):
            flags[key] = True
    return flags


class AuditRoutesMiddleware:
    """Record the requests of :data:`RULES` with their outcome (see module doc)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = match(scope.get("method", ""), scope.get("path", ""))
        if found is None or (found[0].method == "GET" and _continues_a_download(scope)):
            await self.app(scope, receive, send)
            return
        rule, target = found
        status = 0
        error_body = b""

        async def watch(message: Message) -> None:
            nonlocal status, error_body
            if message["type"] == "http.response.start":
                status = int(message["status"])
            elif (message["type"] == "http.response.body" and status >= 400
                  and len(error_body) < _ERROR_BODY):
                error_body += message.get("body", b"")[:_ERROR_BODY]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:
            await self._record(scope, rule, target, 500, b"")
            raise
        await self._record(scope, rule, target, status, error_body)

    async def _record(self, scope: Scope, rule: Rule, target: str, status: int,
                      body: bytes) -> None:
        app = scope.get("app")
        sessions = getattr(getattr(app, "state", None), "sessions", None)
        if sessions is None:
            return
        person_id = str((scope.get("state") or {}).get("person_id") or "")
        code = ""
        if status >= 400:
            code = _error_code(body) or f"http.{status}"
        result = "ok" if status < 400 else ("failed" if status >= 500 else "refused")
        detail = _query_flags(scope) if rule.action == "directory.import" else None
        row = entry_row(action=rule.action, result=result, target=target, code=code,
                        detail=detail, actor_id=person_id,
                        scope_body=target if rule.body_target else None)

        def write() -> None:
            with session_scope(sessions) as session:
                _name_actor(session, row)
                record_rows(session, [row])

        try:
            await run_in_threadpool(write)
        except Exception:  # never turn an answered request into an error
            log.exception("recording %s in the audit trail failed", rule.action)


def _error_code(body: bytes) -> str:
    try:
        value = json.loads(body)
    except ValueError:
        return ""
    error = value.get("error") if isinstance(value, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else ""


def _name_actor(session: Session, row: dict[str, Any]) -> None:
    """Fill the actor's name, login and (for the scope) primary body from the directory."""
    if not row["actor_id"]:
        return
    from server.auth.models import Account
    from server.directory.models import Person, Post

    person = session.get(Person, row["actor_id"])
    if person is not None:
        row["actor_name"] = person.name[:120]
    account = session.get(Account, row["actor_id"])
    if account is not None:
        row["actor_login"] = account.login[:80]
    if not row["scope_body"]:
        posts = session.execute(select(Post.body_id, Post.is_primary)
                                .where(Post.person_id == row["actor_id"])).all()
        primary = [b for b, is_primary in posts if is_primary] or [b for b, _ in posts]
        row["scope_body"] = primary[0][:40] if primary else ""
