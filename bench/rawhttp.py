"""A small HTTP/1.1 client on asyncio streams, for load generators (bench/bench_load.py).

Simulated devices stand for phones and PCs that each have a processor of their own; on
this 2-core machine every cycle the generator spends is taken from the server it
measures. httpx (httpcore, anyio, its models) costs ~1.7 ms of CPU per request here;
this client does what a device's requests need and no more: keep-alive connections
(one per concurrent request, reused), ``Content-Length`` and chunked bodies, gzip, a
streamed body read line by line (server-sent events), connect and read timeouts.

Errors are raised as :class:`TransportError` subclasses named as httpx names them
(``ConnectTimeout``, ``ConnectError``, ``ReadTimeout``, ``ReadError``,
``RemoteProtocolError``, ``WriteError``), so the bench's error counts keep their kinds.
A request sent on a reused keep-alive connection that the server had already closed —
no byte of an answer came back — is sent once more on a new connection, as browsers and
httpcore do; any other failure is raised.

Only for plain ``http://`` on 127.0.0.1-style hosts; not thread-safe (one event loop).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit


class TransportError(Exception):
    """The request did not get a complete answer."""


class ConnectTimeout(TransportError):
    pass


class ConnectError(TransportError):
    pass


class ReadTimeout(TransportError):
    pass


class ReadError(TransportError):
    pass


class WriteError(TransportError):
    pass


class RemoteProtocolError(TransportError):
    pass


class Response:
    """A complete answer: status, headers (names in lower case), body (decoded gzip)."""

    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


class _Conn:
    __slots__ = ("reader", "reused", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.reused = False

    def usable(self) -> bool:
        return not (self.writer.is_closing() or self.reader.at_eof())

    def close(self) -> None:
        self.writer.close()


class _Stale(Exception):
    """A reused connection was closed before any byte of the answer (send again)."""


class Client:
    """Requests to one ``base`` URL (``http://host:port/prefix``) with default headers."""

    def __init__(self, base: str, *, headers: dict[str, str] | None = None,
                 timeout: float = 20.0, connect_timeout: float = 5.0) -> None:
        url = urlsplit(base)
        if url.scheme != "http":
            raise ValueError("rawhttp speaks plain http only")
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or 80
        self.prefix = url.path.rstrip("/")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self._head = (f"Host: {self.host}:{self.port}\r\nAccept-Encoding: gzip\r\n"
                      "User-Agent: bench-device\r\n"
                      + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items()))
        self._idle: list[_Conn] = []
        self._busy: set[_Conn] = set()

    async def _connect(self, timeout: float | None = None) -> _Conn:
        try:
            async with asyncio.timeout(timeout or self.connect_timeout):
                reader, writer = await asyncio.open_connection(self.host, self.port)
        except TimeoutError as exc:
            raise ConnectTimeout("connect timed out") from exc
        except OSError as exc:
            raise ConnectError(str(exc)) from exc
        return _Conn(reader, writer)

    async def _take(self) -> _Conn:
        while self._idle:
            conn = self._idle.pop()
            if conn.usable():
                conn.reused = True
                return conn
            conn.close()
        return await self._connect()

    def _encode(self, method: str, path: str, params: dict[str, Any] | None,
                headers: dict[str, str] | None, body: bytes | None) -> bytes:
        target = self.prefix + path
        if params:
            target += "?" + urlencode(params)
        head = f"{method} {target} HTTP/1.1\r\n{self._head}"
        if headers:
            head += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        if body is not None:
            head += f"Content-Length: {len(body)}\r\n"
        data = (head + "\r\n").encode("latin-1")
        return data + body if body else data

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      headers: dict[str, str] | None = None, json_body: Any = None,
                      content: bytes | None = None, timeout: float | None = None) -> Response:
        """Send one request and read its whole answer (``timeout``: seconds for it all)."""
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False).encode()
            headers = {**(headers or {}), "Content-Type": "application/json"}
        data = self._encode(method, path, params, headers, content)
        for attempt in (0, 1):
            conn = await self._take()
            self._busy.add(conn)
            try:
                async with asyncio.timeout(timeout or self.timeout):
                    conn.writer.write(data)
                    resp, keep = await self._read_answer(conn)
            except _Stale:
                conn.close()
                if attempt == 0:
                    continue
                raise RemoteProtocolError("server closed the connection") from None
            except TimeoutError as exc:
                conn.close()
                raise ReadTimeout("read timed out") from exc
            except BaseException:
                conn.close()
                raise
            finally:
                self._busy.discard(conn)
            if keep:
                self._idle.append(conn)
            else:
                conn.close()
            return resp
        raise AssertionError("unreachable")

    async def _read_head(self, conn: _Conn) -> tuple[int, dict[str, str]]:
        try:
            raw = await conn.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if conn.reused and not exc.partial:
                raise _Stale() from exc
            raise RemoteProtocolError("server disconnected without an answer") from exc
        except (ConnectionError, OSError) as exc:
            if conn.reused:
                raise _Stale() from exc
            raise ReadError(str(exc)) from exc
        except asyncio.LimitOverrunError as exc:
            raise RemoteProtocolError("answer head too long") from exc
        lines = raw.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError) as exc:
            raise RemoteProtocolError(f"bad status line {lines[0]!r}") from exc
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        return status, headers

    async def _read_answer(self, conn: _Conn) -> tuple[Response, bool]:
        status, headers = await self._read_head(conn)
        try:
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = b"".join([chunk async for chunk in self._chunks(conn)])
                keep = True
            elif "content-length" in headers:
                body = await conn.reader.readexactly(int(headers["content-length"]))
                keep = True
            elif status in (204, 304) or 100 <= status < 200:
                body, keep = b"", True
            else:
                body, keep = await conn.reader.read(), False
        except asyncio.IncompleteReadError as exc:
            raise RemoteProtocolError("answer body cut short") from exc
        except (ConnectionError, OSError) as exc:
            raise ReadError(str(exc)) from exc
        if headers.get("connection", "").lower() == "close":
            keep = False
        return Response(status, headers, _decoded(body, headers)), keep

    @staticmethod
    async def _chunks(conn: _Conn) -> AsyncIterator[bytes]:
        reader = conn.reader
        while True:
            size_line = await reader.readuntil(b"\r\n")
            try:
                size = int(size_line.split(b";", 1)[0].strip(), 16)
            except ValueError as exc:
                raise RemoteProtocolError("bad chunk size") from exc
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers
                return
            chunk = await reader.readexactly(size + 2)
            yield chunk[:-2]

    @asynccontextmanager
    async def stream_lines(self, path: str, *, headers: dict[str, str] | None = None,
                           read_timeout: float = 45.0,
                           connect_timeout: float | None = None,
                           ) -> AsyncIterator[tuple[Response, AsyncIterator[str]]]:
        """A GET whose body is read as it comes, line by line (each wait for more at most
        ``read_timeout`` s). Yields the answer's head (``content`` empty) and the lines;
        the connection is closed afterwards (a stream is not reused)."""
        conn = await self._connect(connect_timeout)
        self._busy.add(conn)
        try:
            try:
                async with asyncio.timeout(self.timeout):
                    conn.writer.write(self._encode("GET", path, None, headers, None))
                    status, head = await self._read_head(conn)
            except TimeoutError as exc:
                raise ReadTimeout("read timed out") from exc
            except _Stale as exc:
                raise RemoteProtocolError("server closed the connection") from exc
            chunked = head.get("transfer-encoding", "").lower() == "chunked"

            async def lines() -> AsyncIterator[str]:
                pending = b""
                chunks = self._chunks(conn) if chunked else None
                while True:
                    try:
                        async with asyncio.timeout(read_timeout):
                            if chunks is not None:
                                data = await anext(chunks, b"")
                            else:
                                data = await conn.reader.read(65536)
                    except TimeoutError as exc:
                        raise ReadTimeout("stream read timed out") from exc
                    except asyncio.IncompleteReadError as exc:
                        raise RemoteProtocolError("stream cut short") from exc
                    except (ConnectionError, OSError) as exc:
                        raise ReadError(str(exc)) from exc
                    if not data:
                        if pending:
                            yield pending.decode("utf-8", "replace")
                        return
                    pending += data
                    *complete, pending = pending.split(b"\n")
                    for line in complete:
                        yield line.rstrip(b"\r").decode("utf-8", "replace")

            yield Response(status, head, b""), lines()
        finally:
            self._busy.discard(conn)
            conn.close()

    async def aclose(self) -> None:
        conns = [*self._idle, *self._busy]
        self._idle.clear()
        self._busy.clear()
        for conn in conns:
            conn.close()
        for conn in conns:
            with contextlib.suppress(Exception):
                await conn.writer.wait_closed()


def _decoded(body: bytes, headers: dict[str, str]) -> bytes:
    encoding = headers.get("content-encoding", "").lower()
    if not encoding or encoding == "identity" or not body:
        return body
    if encoding == "gzip":
        try:
            return zlib.decompress(body, 31)
        except zlib.error as exc:
            raise RemoteProtocolError("bad gzip body") from exc
    raise RemoteProtocolError(f"unknown content-encoding {encoding}")
