"""HTTP client for the sync protocol (docs/ARCHITECTURE.md, "Sync protocol").

Every method may block on the network: call from engine or background threads only
(requests and the event stream check that, see :mod:`sync.guithread`).
Failures surface as :mod:`modules.common.errors` subclasses:

* network failure, timeout, 5xx -> :class:`Offline` (retry later; a 5xx keeps the
  server's ``request_id`` on the error and in its message);
* 4xx -> the DomainError subclass matching the status, carrying the server's code,
  params, message, ``request_id`` and the real ``http_status`` (``401`` first triggers
  one token refresh and a retry);
* ``410`` -> :class:`ResyncRequired`.

A ``401 auth.device_revoked`` (this device was removed or revoked on the server) also
calls :attr:`ApiClient.on_device_revoked` once, with the credentials the device still
held kept in :attr:`ApiClient.revoked_credentials` for the wipe acknowledgement.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Protocol

import httpx

from modules.common import messages
from modules.common.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    NotFound,
    Offline,
    PermissionDenied,
    ResyncRequired,
    TooLarge,
    ValidationFailed,
)
from modules.common.shapes import mapping_at
from sync import guithread
from sync.encoded import LINES_MEDIA_TYPE, read_lines_page

log = logging.getLogger(__name__)

messages.register({
    "sync.bad_response": {
        "zh_CN": "服务器返回了无法识别的内容（{detail}）。",
        "en": "The server sent a response that could not be understood ({detail}).",
    },
    "sync.server_error": {
        "zh_CN": "服务器暂时出错（{status}，请求编号 {request_id}），稍后自动重试。",
        "en": "The server had a temporary error ({status}, request {request_id}); retrying later.",
    },
    "sync.not_signed_in": {
        "zh_CN": "尚未登录或登录已失效，请重新登录后同步。",
        "en": "Not signed in, or the sign-in has expired; sign in again to sync.",
    },
    "sync.no_offline_profile": {
        "zh_CN": "此电脑上没有账号“{account}”的离线资料，请连接服务器后登录一次。",
        "en": "No offline profile for '{account}' on this computer; sign in once while connected.",
    },
})

API_PREFIX = "/api/v1"
#: The error code of a request made with a revoked device's tokens.
DEVICE_REVOKED = "auth.device_revoked"
#: Largest blob chunk the server accepts (bytes).
CHUNK_BYTES = 4 * 1024 * 1024


class TokenStore(Protocol):
    """Where tokens live: access token in memory, refresh token wherever it is safe."""

    access_token: str | None

    def get_refresh(self) -> str | None: ...

    def set_refresh(self, token: str | None) -> None: ...


class MemoryTokenStore:
    """Both tokens in memory (tests, throw-away sessions)."""

    def __init__(self, refresh_token: str | None = None) -> None:
        self.access_token: str | None = None
        self._refresh = refresh_token

    def get_refresh(self) -> str | None:
        return self._refresh

    def set_refresh(self, token: str | None) -> None:
        self._refresh = token


_STATUS_CLASSES: dict[int, type[DomainError]] = {
    401: AuthenticationFailed,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    410: ResyncRequired,
    413: TooLarge,
    422: ValidationFailed,
}
_remote_classes: dict[type[DomainError], type[DomainError]] = {}


def _remote_message(self: DomainError, lang: str = "zh_CN") -> str:
    server_message = getattr(self, "server_message", None)
    server_lang = getattr(self, "server_lang", None)
    if server_message and (
        messages.normalise_lang(lang) == server_lang or self.code not in messages.CATALOG
    ):
        return str(server_message)
    return messages.render(self.code, lang, self.params)


def remote_error(status: int, payload: Any, lang: str) -> DomainError:
    """Build the DomainError for a 4xx answer, keeping the server's own sentence."""
    cls = _STATUS_CLASSES.get(status, DomainError)
    err_body = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(err_body, dict):
        err_body = {"code": "sync.bad_response", "params": {"detail": f"HTTP {status}"}}
    err = error_from_dict(err_body, cls, lang)
    err.http_status = status
    err.request_id = _request_id_of(payload)
    return err


def _request_id_of(payload: Any) -> str:
    request_id = payload.get("request_id") if isinstance(payload, dict) else None
    return request_id if isinstance(request_id, str) else ""


def error_from_dict(err_body: dict[str, Any], cls: type[DomainError], lang: str) -> DomainError:
    """A DomainError of class ``cls`` from a wire ``{"code", "message", "params"}``."""
    remote_cls = _remote_classes.get(cls)
    if remote_cls is None:
        remote_cls = type(cls.__name__, (cls,), {"message": _remote_message,
                                                 "__module__": __name__})
        _remote_classes[cls] = remote_cls
    params = mapping_at(err_body, "params")
    err = remote_cls.__new__(remote_cls)
    DomainError.__init__(err, str(err_body.get("code") or "sync.bad_response"), **params)
    err.server_message = err_body.get("message")  # type: ignore[attr-defined]
    err.server_lang = messages.normalise_lang(lang)  # type: ignore[attr-defined]
    return err


class ApiClient:
    """Thread-safe client for one server. ``transport`` is for tests (httpx transports)."""

    def __init__(
        self,
        base_url: str,
        *,
        lang: str = "zh_CN",
        token_store: TokenStore | None = None,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
        device: str | None = None,
        device_fields: Mapping[str, Any] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._lang = messages.normalise_lang(lang)
        self.tokens: TokenStore = token_store if token_store is not None else MemoryTokenStore()
        self.device = device
        #: Sent with the login (``device_id``, ``device_name``, ``platform``, ``app_version``).
        self.device_fields = dict(device_fields or {})
        self._transport = transport
        self._timeout = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        self._client = self._make_client(self._timeout)
        self._refresh_lock = threading.Lock()
        self._streams: set[httpx.Response] = set()
        self._streams_lock = threading.Lock()
        self.on_refresh_failed: Callable[[DomainError], None] | None = None
        #: Called once (on the thread of the call) when the server says this device is
        #: revoked; must return quickly (it may run on the sync worker).
        self.on_device_revoked: Callable[[DomainError], None] | None = None
        #: ``(access token, refresh token)`` held when the revocation was first seen.
        self.revoked_credentials: tuple[str | None, str | None] | None = None

    def _make_client(self, timeout: httpx.Timeout) -> httpx.Client:
        return httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=timeout,
            transport=self._transport,
            headers={"Accept-Language": _accept_language(self._lang)},
        )

    @property
    def lang(self) -> str:
        """Language of server messages: ``zh_CN`` or ``en`` (settable at any time)."""
        return self._lang

    @lang.setter
    def lang(self, value: str) -> None:
        self._lang = messages.normalise_lang(value)
        self._client.headers["Accept-Language"] = _accept_language(self._lang)

    def close(self) -> None:
        self.close_streams()
        self._client.close()

    # -- plumbing -----------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str]:
        token = self.tokens.access_token
        return {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, *, auth: bool = True, **kw: Any) -> httpx.Response:
        """Send once more after a refresh on 401; map failures to DomainErrors."""
        guithread.check(f"ApiClient {method} {path}")
        extra_headers = dict(kw.pop("headers", None) or {})
        for attempt in (0, 1):
            token_before = self.tokens.access_token
            headers = dict(extra_headers)
            if auth:
                headers.update(self._auth_headers())
            try:
                resp = self._client.request(method, path, headers=headers, **kw)
            except httpx.TransportError as exc:
                raise Offline("offline", detail=type(exc).__name__) from exc
            if resp.status_code == 401 and auth and attempt == 0 and not _revoked(resp):
                self._refresh_after_401(token_before)
                continue
            self._raise_for(resp)
            return resp
        raise AssertionError("unreachable")  # pragma: no cover

    def get_bytes(self, path: str) -> bytes:
        """An authorised GET of a file a route answers (e.g. a meeting's .ics). Blocking."""
        return self._send("GET", path).content

    def request_json(self, method: str, path: str, *, json: Any = None,
                     params: Mapping[str, Any] | None = None) -> Any:
        """An authorised JSON call to any route under the API root (e.g. a feature's
        read or admin routes): refresh on 401, errors mapped as for every call. Blocking."""
        query = dict(params) if params else None
        return self._json(self._send(method, path, json=json, params=query))

    def _raise_for(self, resp: httpx.Response) -> None:
        status = resp.status_code
        if status < 400:
            return
        try:
            payload = resp.json()
        except ValueError:
            payload = None
        if status >= 500:
            request_id = _request_id_of(payload) or resp.headers.get("x-request-id", "")
            err = Offline("sync.server_error", status=status, request_id=request_id or "-")
            err.request_id = request_id
            raise err
        refused = remote_error(status, payload, self.lang)
        if status == 401 and refused.code == DEVICE_REVOKED:
            self._device_revoked(refused)
        raise refused

    def _device_revoked(self, err: DomainError) -> None:
        with self._streams_lock:
            first = self.revoked_credentials is None
            if first:
                self.revoked_credentials = (self.tokens.access_token, self.tokens.get_refresh())
        if first and self.on_device_revoked is not None:
            try:
                self.on_device_revoked(err)
            except Exception:
                log.exception("the device-revoked handler failed")

    def _json(self, resp: httpx.Response) -> Any:
        try:
            return resp.json()
        except ValueError as exc:
            raise Offline("sync.bad_response", detail="invalid JSON") from exc

    def _object(self, resp: httpx.Response, what: str) -> dict[str, Any]:
        """The JSON object a route answers; anything else is a bad response."""
        body = self._json(resp)
        if not isinstance(body, dict):
            raise Offline("sync.bad_response", detail=what)
        return body

    def _refresh_after_401(self, token_before: str | None) -> None:
        with self._refresh_lock:
            if self.tokens.access_token != token_before and self.tokens.access_token:
                return  # another thread refreshed meanwhile
            self._refresh_locked()

    def _refresh_locked(self) -> dict[str, Any]:
        refresh = self.tokens.get_refresh()
        if not refresh:
            raise AuthenticationFailed("sync.not_signed_in")
        try:
            resp = self._client.post("/auth/refresh", json={"refresh_token": refresh})
        except httpx.TransportError as exc:
            raise Offline("offline", detail=type(exc).__name__) from exc
        try:
            self._raise_for(resp)
        except AuthenticationFailed as exc:
            self.tokens.access_token = None
            self.tokens.set_refresh(None)
            if self.on_refresh_failed is not None:
                self.on_refresh_failed(exc)
            raise
        return self._take_tokens(self._json(resp))

    def _take_tokens(self, body: dict[str, Any]) -> dict[str, Any]:
        self.tokens.access_token = body["access_token"]
        self.tokens.set_refresh(body["refresh_token"])
        return body

    # -- auth ---------------------------------------------------------------------

    def login(self, account: str, password: str) -> dict[str, Any]:
        """Sign in; stores both tokens; returns the login answer (with ``user``)."""
        payload: dict[str, Any] = {"account": account, "password": password}
        if self.device:
            payload["device"] = self.device
        payload.update(self.device_fields)
        resp = self._send("POST", "/auth/login", auth=False, json=payload)
        return self._take_tokens(self._json(resp))

    def refresh(self) -> dict[str, Any]:
        """Rotate the refresh token now (normally done automatically on a 401)."""
        with self._refresh_lock:
            return self._refresh_locked()

    def logout(self) -> None:
        """Revoke the refresh token on the server and forget both tokens locally.

        Local forgetting happens even when the server cannot be reached (Offline is then
        raised so the caller can say the server-side revocation did not happen)."""
        refresh = self.tokens.get_refresh()
        try:
            if refresh:
                self._send("POST", "/auth/logout", auth=False, json={"refresh_token": refresh})
        finally:
            self.tokens.access_token = None
            self.tokens.set_refresh(None)

    def device_wiped(self) -> None:
        """Tell the server this revoked device wiped its data (with the credentials it
        held when revoked; nothing to send without them). Raises like every call."""
        access, refresh = self.revoked_credentials or (None, None)
        if refresh:
            self._send("POST", "/auth/device-wiped", auth=False, json={"refresh_token": refresh})
        elif access:
            self._send("POST", "/auth/device-wiped", auth=False, json={},
                       headers={"Authorization": f"Bearer {access}"})

    def me(self) -> dict[str, Any]:
        return self._object(self._send("GET", "/me"), "me")

    # -- sync ---------------------------------------------------------------------

    def pull(self, cursor: str | None, limit: int = 500, *,
             lines: bool = False) -> dict[str, Any]:
        """One page of the change feed after ``cursor`` (None = from the beginning).

        ``lines``: ask for the page in lines; when the server answers so, the page has
        ``rows`` of ``(seq, entity, id, record JSON text or None)`` instead of
        ``changes`` (:func:`sync.encoded.read_lines_page`). A server that does not know
        the form answers ``changes`` as always."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        if lines:
            params["form"] = "lines"
        resp = self._send("GET", "/sync/pull", params=params)
        if lines and resp.headers.get("content-type", "").startswith(LINES_MEDIA_TYPE):
            try:
                return read_lines_page(resp.content)
            except ValueError as exc:
                raise Offline("sync.bad_response", detail="pull") from exc
        body = self._json(resp)
        if not isinstance(body, dict) or not isinstance(body.get("changes"), list):
            raise Offline("sync.bad_response", detail="pull")
        return body

    def push(self, mutations: list[dict[str, Any]]) -> list[object]:
        """Send intents ``[{"id", "name", "args"}]``; returns the per-intent results
        (``{"id", "status", "error"}`` objects, as the server sent them: not checked).

        The body is ASCII-escaped JSON, so text that is not valid Unicode (a lone
        surrogate pasted from somewhere) still reaches the server, which rejects that
        one intent in words instead of the client failing to send the batch for ever.
        """
        content = json.dumps({"mutations": mutations}, ensure_ascii=True).encode("ascii")
        body = self._json(self._send("POST", "/sync/push", content=content,
                                     headers={"Content-Type": "application/json"}))
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list):
            raise Offline("sync.bad_response", detail="push")
        return results

    def events(self, read_timeout: float = 45.0) -> Iterator[dict[str, Any]]:
        """Server-sent events from ``/sync/events`` until the stream ends.

        Yields ``{"event": "open"}`` once connected, then ``{"event", "data"}`` per event
        (``data`` parsed as JSON when possible). Keepalive comments are skipped. Ends
        (returns) when the server closes the stream or :meth:`close_streams` is called.
        """
        guithread.check("ApiClient.events")
        for attempt in (0, 1):
            token_before = self.tokens.access_token
            timeout = httpx.Timeout(self._timeout.connect or 5.0, read=read_timeout)
            try:
                req = self._client.build_request(
                    "GET", "/sync/events", headers={**self._auth_headers(),
                                                    "Accept": "text/event-stream"},
                    timeout=timeout)
                resp = self._client.send(req, stream=True)
            except httpx.TransportError as exc:
                raise Offline("offline", detail=type(exc).__name__) from exc
            if resp.status_code == 401 and attempt == 0 and not _revoked(resp):
                resp.close()
                self._refresh_after_401(token_before)
                continue
            if resp.status_code >= 400:
                resp.read()
                resp.close()
                self._raise_for(resp)
            with self._streams_lock:
                self._streams.add(resp)
            try:
                yield {"event": "open", "data": None}
                yield from _parse_sse(resp.iter_lines())
            except httpx.TransportError as exc:
                raise Offline("offline", detail=type(exc).__name__) from exc
            finally:
                with self._streams_lock:
                    self._streams.discard(resp)
                resp.close()
            return

    def close_streams(self) -> None:
        """Close open event streams and blob downloads (from any thread) so the threads
        reading them return at once (a download ends with ``Offline``; its part file
        stays for the next start)."""
        with self._streams_lock:
            streams = list(self._streams)
        for resp in streams:
            # Closing the response alone does not wake a thread blocked in the socket
            # read (it returns at the next keepalive); shutting the socket down does.
            stream = resp.extensions.get("network_stream")
            sock = stream.get_extra_info("socket") if stream is not None else None
            if isinstance(sock, socket.socket):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            try:
                resp.close()
            except Exception:  # closing from another thread may race; the stream is dead anyway
                log.debug("closing event stream", exc_info=True)

    # -- blobs --------------------------------------------------------------------

    def blob_status(self, sha256: str) -> dict[str, Any] | None:
        """``{sha256, size, received, complete}`` or None if the server has no such blob."""
        try:
            return self._object(self._send("GET", f"/blobs/{sha256}/status"), "blob status")
        except NotFound:
            return None

    def blob_put(self, sha256: str, offset: int, total: int, chunk: bytes) -> dict[str, Any]:
        """Send one chunk (≤ 4 MiB) starting at ``offset``; returns ``{received, complete}``."""
        resp = self._send(
            "PUT", f"/blobs/{sha256}", params={"offset": offset, "total": total},
            content=chunk, headers={"Content-Type": "application/octet-stream"})
        return self._object(resp, "blob put")

    def blob_get(self, sha256: str, start: int, write: Callable[[bytes], object]) -> int:
        """Stream the blob from byte ``start`` into ``write``; returns the bytes written.

        If the server ignores the range (answers 200), raises ValidationFailed rather
        than appending the whole file after a partial one.
        """
        guithread.check("ApiClient.blob_get")
        for attempt in (0, 1):
            token_before = self.tokens.access_token
            headers = self._auth_headers()
            if start:
                headers["Range"] = f"bytes={start}-"
            try:
                req = self._client.build_request("GET", f"/blobs/{sha256}", headers=headers)
                resp = self._client.send(req, stream=True)
            except httpx.TransportError as exc:
                raise Offline("offline", detail=type(exc).__name__) from exc
            with self._streams_lock:  # close_streams() ends a stalled download too
                self._streams.add(resp)
            try:
                if resp.status_code == 401 and attempt == 0 and not _revoked(resp):
                    self._refresh_after_401(token_before)
                    continue
                if resp.status_code >= 400:
                    resp.read()
                    self._raise_for(resp)
                if start and resp.status_code != 206:
                    raise RangeIgnored()
                written = 0
                try:
                    for chunk in resp.iter_bytes():  # as received: a drop keeps every byte so far
                        write(chunk)
                        written += len(chunk)
                except httpx.TransportError as exc:
                    raise Offline("offline", detail=type(exc).__name__) from exc
                return written
            finally:
                with self._streams_lock:
                    self._streams.discard(resp)
                resp.close()
        raise AssertionError("unreachable")  # pragma: no cover


def _revoked(resp: httpx.Response) -> bool:
    """Whether a 401 says the device is revoked (then refreshing is pointless). Reads
    the body of a streamed response (a small JSON error)."""
    try:
        payload = json.loads(resp.read())
    except (ValueError, httpx.HTTPError, httpx.StreamError):
        return False
    error = payload.get("error") if isinstance(payload, dict) else None
    return isinstance(error, dict) and error.get("code") == DEVICE_REVOKED


def _accept_language(lang: str) -> str:
    return "en" if lang == "en" else "zh-CN"


class RangeIgnored(Exception):
    """The server answered a range request with the whole body."""


def _parse_sse(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """Parse a text/event-stream (WHATWG rules: fields, comments, blank line dispatches)."""
    event_type = ""
    data_lines: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r")
        if line == "":
            if data_lines or event_type:
                text = "\n".join(data_lines)
                try:
                    data: Any = json.loads(text) if text else None
                except ValueError:
                    data = text
                yield {"event": event_type or "message", "data": data}
            event_type, data_lines = "", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "event":
            event_type = value
        elif field == "data":
            data_lines.append(value)
        # "id" and "retry" are not used by this protocol.
