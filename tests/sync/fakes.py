"""An in-memory stand-in for the server side of the sync protocol (httpx.MockTransport).

Just enough of docs/ARCHITECTURE.md to test the client engine without a real server:
auth with expiring access tokens, a one-row-per-entity change feed with tombstones and a
resync switch, idempotent push through registered handlers, resumable blobs. Switches
simulate the network going away and responses getting lost.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from collections.abc import Callable
from typing import Any

import httpx
import keyring
from keyring.backend import KeyringBackend

from modules.common.errors import DomainError, ValidationFailed

Handler = Callable[["FakeServer", dict[str, Any]], dict[str, Any] | None]


class MemoryKeyring(KeyringBackend):
    """Keyring backend that keeps secrets in a dict (tests only)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.secrets:
            raise PasswordDeleteError("missing")
        del self.secrets[(service, username)]


def install_memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


class FakeServer:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.entities: dict[tuple[str, str], dict[str, Any]] = {}
        self.log: dict[tuple[str, str], tuple[int, dict[str, Any] | None]] = {}
        self.seq = itertools.count(1)
        self.last_seq = 0
        self.handlers: dict[str, Handler] = {}
        self.applied: dict[str, dict[str, Any]] = {}  # mutation id -> result
        self.apply_count: dict[str, int] = {}
        self.offline = False
        self.lang = "zh_CN"
        self.lose_next_push_response = False
        self.fail_next_push_500 = False
        self.resync_below = 0  # cursors below this get 410
        self.push_calls = 0
        self.pull_calls = 0
        self.max_page: int | None = None  # a larger pull limit is refused (422), as older servers do
        self.refresh_calls = 0
        self.users = {"zhangwei": "secret-1"}
        self.access: set[str] = set()
        self.refresh_tokens: dict[str, str] = {}
        self.revoked: set[str] = set()
        self.tokens = itertools.count(1)
        self.blobs: dict[str, bytearray] = {}
        self.blob_totals: dict[str, int] = {}
        self.complete: set[str] = set()
        self.fail_blob_get_after: int | None = None
        self.corrupt_downloads = False
        self.transport = httpx.MockTransport(self.handle)

    # -- server-side state helpers ------------------------------------------------

    def put(self, entity: str, id: str, data: dict[str, Any] | None) -> int:
        with self.lock:
            seq = next(self.seq)
            self.last_seq = seq
            key = (entity, id)
            if data is None:
                self.entities.pop(key, None)
            else:
                self.entities[key] = data
            self.log[key] = (seq, data)
            return seq

    def mutation(self, name: str) -> Callable[[Handler], Handler]:
        def reg(fn: Handler) -> Handler:
            self.handlers[name] = fn
            return fn
        return reg

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access.clear()

    # -- HTTP ---------------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer like the server, with error messages in the Accept-Language asked for."""
        resp = self._handle(request)
        if resp.status_code >= 400 and resp.headers.get("content-type") == "application/json":
            from modules.common.messages import normalise_lang, render

            body = json.loads(resp.content)
            err = body["error"]
            err["message"] = render(err["code"], normalise_lang(
                request.headers.get("Accept-Language")), err["params"])
            return httpx.Response(resp.status_code, json=body)
        return resp

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.offline:
            raise httpx.ConnectError("server unreachable", request=request)
        path = request.url.path.removeprefix("/api/v1")
        try:
            if path == "/auth/login":
                return self._login(json.loads(request.content))
            if path == "/auth/refresh":
                return self._refresh(json.loads(request.content))
            if path == "/auth/logout":
                token = json.loads(request.content)["refresh_token"]
                self.revoked.add(token)
                self.refresh_tokens.pop(token, None)
                return httpx.Response(204)
            auth = request.headers.get("Authorization", "")
            if auth.removeprefix("Bearer ") not in self.access:
                return _error(401, "auth.token_expired")
            if path == "/me":
                return httpx.Response(200, json={
                    "person": {"id": "p-1", "name": "张伟"}, "login": "zhangwei",
                    "posts": [{"post_id": "post-1", "body_id": "b-1", "title": "科员",
                               "roles": ["staff"]}]})
            if path == "/sync/pull":
                return self._pull(request)
            if path == "/sync/push":
                from modules.common.messages import normalise_lang

                self.lang = normalise_lang(request.headers.get("Accept-Language"))
                return self._push(json.loads(request.content))
            if path.startswith("/blobs/"):
                return self._blob(request, path)
        except DomainError as exc:
            return _error(exc.http_status, exc.code, **exc.params)
        return _error(404, "request.not_found", path=path)

    def _issue(self, login: str) -> httpx.Response:
        access = f"a{next(self.tokens)}"
        # long enough that finding it in a file's bytes cannot be a coincidence
        refresh = f"r{next(self.tokens)}-{hashlib.sha256(login.encode()).hexdigest()[:24]}"
        self.access.add(access)
        self.refresh_tokens[refresh] = login
        return httpx.Response(200, json={
            "access_token": access, "refresh_token": refresh, "token_type": "bearer",
            "expires_in": 900, "user": {"person_id": "p-1", "name": "张伟", "login": login}})

    def _login(self, body: dict[str, Any]) -> httpx.Response:
        if self.users.get(body.get("account")) != body.get("password"):
            return _error(401, "auth.invalid_credentials")
        return self._issue(body["account"])

    def _refresh(self, body: dict[str, Any]) -> httpx.Response:
        self.refresh_calls += 1
        token = body.get("refresh_token")
        login = self.refresh_tokens.pop(token, None)
        if login is None:
            return _error(401, "auth.token_invalid")
        return self._issue(login)

    def _pull(self, request: httpx.Request) -> httpx.Response:
        self.pull_calls += 1
        cursor = request.url.params.get("cursor") or ""
        limit = int(request.url.params.get("limit", "500"))
        if self.max_page is not None and limit > self.max_page:
            return _error(422, "request.invalid", detail="limit")
        if cursor and not cursor.isdigit():
            return _error(400, "sync.bad_cursor")
        after = int(cursor or 0)
        if cursor and after < self.resync_below:
            return _error(410, "sync.resync_required")
        with self.lock:
            rows = sorted((seq, key, data) for key, (seq, data) in self.log.items()
                          if seq > after)
        if not cursor:
            rows = [r for r in rows if r[2] is not None]  # snapshot: no tombstones needed
        page = rows[:limit]
        new_cursor = str(page[-1][0]) if page else (cursor or str(self.last_seq))
        return httpx.Response(200, json={
            "changes": [{"seq": seq, "entity": key[0], "id": key[1],
                         "op": "delete" if data is None else "upsert", "data": data}
                        for seq, key, data in page],
            "cursor": new_cursor, "has_more": len(rows) > limit,
            "server_time": "2026-11-22T10:00:00Z"})

    def _push(self, body: dict[str, Any]) -> httpx.Response:
        self.push_calls += 1
        muts = body.get("mutations") or []
        if len(muts) > 100:
            return _error(413, "sync.batch_too_large", limit=100)
        if self.fail_next_push_500:
            self.fail_next_push_500 = False
            return _error(500, "internal_error")
        results = []
        for m in muts:
            if not isinstance(m.get("args"), dict):
                return _error(422, "request.invalid", detail="args")
            results.append(self._apply(m))
        if self.lose_next_push_response:
            self.lose_next_push_response = False
            raise httpx.ReadTimeout("response lost")
        return httpx.Response(200, json={"results": results})

    def _apply(self, m: dict[str, Any]) -> dict[str, Any]:
        mid = m["id"]
        with self.lock:
            if mid in self.applied:
                return self.applied[mid]
            handler = self.handlers.get(m["name"])
            try:
                if handler is None:
                    raise ValidationFailed("sync.unknown_mutation", name=m["name"])
                result = {"id": mid, "status": "applied", "result": handler(self, m["args"])}
                self.apply_count[mid] = self.apply_count.get(mid, 0) + 1
            except DomainError as exc:
                result = {"id": mid, "status": exc.outcome, "error": exc.to_dict(self.lang)}
            self.applied[mid] = result
            return result

    def _blob(self, request: httpx.Request, path: str) -> httpx.Response:
        parts = path.split("/")
        sha = parts[2]
        if len(parts) == 4 and parts[3] == "status":
            if sha not in self.blobs:
                return _error(404, "blob.not_found")
            return httpx.Response(200, json={
                "sha256": sha, "size": self.blob_totals[sha], "received": len(self.blobs[sha]),
                "complete": sha in self.complete})
        if request.method == "PUT":
            offset = int(request.url.params["offset"])
            total = int(request.url.params["total"])
            have = self.blobs.setdefault(sha, bytearray())
            self.blob_totals[sha] = total
            if offset != len(have):
                return _error(409, "blob.bad_offset", have=len(have), offset=offset)
            have.extend(request.content)
            if len(have) >= total:
                if hashlib.sha256(bytes(have)).hexdigest() != sha:
                    del self.blobs[sha]
                    return _error(422, "blob.hash_mismatch")
                self.complete.add(sha)
            return httpx.Response(200, json={"received": len(have),
                                             "complete": sha in self.complete})
        if sha not in self.complete:
            return _error(404, "blob.not_found")
        data = bytes(self.blobs[sha])
        if self.corrupt_downloads:
            data = b"X" + data[1:]
        rng = request.headers.get("Range")
        start = int(rng.removeprefix("bytes=").rstrip("-")) if rng else 0
        body = data[start:]
        if self.fail_blob_get_after is not None:
            cut = self.fail_blob_get_after
            self.fail_blob_get_after = None
            return httpx.Response(206 if rng else 200, stream=_Broken(body[:cut]))
        return httpx.Response(206 if rng else 200, content=body)


class _Broken(httpx.SyncByteStream):
    """A body that delivers some bytes, then the connection drops."""

    def __init__(self, head: bytes) -> None:
        self.head = head

    def __iter__(self):  # type: ignore[override]
        yield self.head
        raise httpx.ReadError("connection dropped")


def _error(status: int, code: str, **params: Any) -> httpx.Response:
    from modules.common.messages import render

    return httpx.Response(status, json={
        "error": {"code": code, "message": render(code, "zh_CN", params), "params": params},
        "request_id": "test"})
