"""Closing the client ends a blob download stuck on a link that stopped sending."""

from __future__ import annotations

import socket
import threading
import time

from modules.common.errors import Offline
from sync.api import ApiClient, MemoryTokenStore


def test_close_streams_ends_a_stalled_blob_download() -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    release = threading.Event()

    def stall() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     b"Content-Length: 100000\r\n\r\n" + b"x" * 1000)
        release.wait(30)  # sends nothing more: the client sits in a socket read
        conn.close()

    thread = threading.Thread(target=stall, daemon=True)
    thread.start()
    api = ApiClient(f"http://127.0.0.1:{port}", token_store=MemoryTokenStore(), timeout=30)
    received: list[bytes] = []
    outcome: list[BaseException] = []

    def download() -> None:
        try:
            api.blob_get("ab" * 32, 0, received.append)
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=download)
    reader.start()
    deadline = time.monotonic() + 10
    while not received and time.monotonic() < deadline:
        time.sleep(0.02)
    assert received, "the first bytes never arrived"
    started = time.monotonic()
    api.close_streams()
    reader.join(5)
    try:
        assert not reader.is_alive(), "the download was still reading after close_streams()"
        assert time.monotonic() - started < 2
        assert len(outcome) == 1 and isinstance(outcome[0], Offline)
    finally:
        release.set()
        api.close()
        server.close()
