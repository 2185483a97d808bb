"""The load generator's HTTP client (bench/rawhttp.py) reads answers as HTTP/1.1 frames
them: lengths, chunks, gzip, keep-alive, a stale connection sent again, a stream."""

from __future__ import annotations

import asyncio
import contextlib
import gzip

import pytest

from bench import rawhttp

ANSWERS = {
    b"/length": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    b"/chunked": (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\n\r\n"),
    b"/gzip": (b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
               + str(len(gzip.compress(b"packed" * 50))).encode() + b"\r\n\r\n"
               + gzip.compress(b"packed" * 50)),
    b"/close": b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
    b"/stream": (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"7\r\nevent: \r\n9\r\npoke\ndata\r\n6\r\n: {}\n\n\r\n0\r\n\r\n"),
}


async def _serve(connections: list[asyncio.StreamWriter], drop_after_first: bool) -> asyncio.Server:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        served = 0
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ")[1]
                if drop_after_first and served == 1:
                    break  # a keep-alive connection closed as a request arrives
                writer.write(ANSWERS[path])
                await writer.drain()
                served += 1
                if path == b"/close":
                    break
        except asyncio.IncompleteReadError:
            pass
        writer.close()
        with contextlib.suppress(ConnectionError):
            await writer.wait_closed()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


@pytest.mark.parametrize("drop", [False, True])
def test_answers_are_read_whole_and_connections_reused(drop: bool) -> None:
    async def run() -> None:
        connections: list[asyncio.StreamWriter] = []
        server = await _serve(connections, drop)
        port = server.sockets[0].getsockname()[1]
        client = rawhttp.Client(f"http://127.0.0.1:{port}")
        try:
            assert (await client.request("GET", "/length")).content == b"hello"
            assert (await client.request("GET", "/chunked")).content == b"abcdefg"
            assert (await client.request("GET", "/gzip")).content == b"packed" * 50
            answer = await client.request("GET", "/close")
            assert answer.status_code == 200 and answer.content == b"ok"
            async with client.stream_lines("/stream") as (head, lines):
                assert head.status_code == 200
                assert [line async for line in lines] == ["event: poke", "data: {}", ""]
        finally:
            await client.aclose()
            for writer in connections:  # a handler may not have seen its client go
                writer.close()
            server.close()
            await server.wait_closed()
        # Kept alive: one connection for the four requests and one for the stream; a
        # server that closes each connection as its second request arrives gets each
        # of those requests sent again on a new one, and every one is answered.
        assert len(connections) == (5 if drop else 2)

    asyncio.run(run())


def test_a_refused_connection_is_a_connect_error() -> None:
    async def run() -> None:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        client = rawhttp.Client(f"http://127.0.0.1:{port}")
        with pytest.raises(rawhttp.ConnectError):
            await client.request("GET", "/length")

    asyncio.run(run())
