"""An embedded server for the one-command demo: SQLite + demo data, in a thread.

``start_embedded_server(data_dir)`` migrates and seeds the database, then serves on a
free 127.0.0.1 port from a background thread and returns once the server accepts
requests. The GUI calls it through the task runner, never on the GUI thread.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn

from server.app import create_app
from server.config import Settings


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class EmbeddedServer:
    url: str
    server: uvicorn.Server
    thread: threading.Thread
    settings: Settings
    _stopped: bool = field(default=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the server to finish and wait for its thread (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        # The client's push-channel stream is usually still open when the demo server
        # stops with the app; uvicorn cancels it after the grace period and logs that as
        # an error with a traceback, which is expected here and alarming on a terminal.
        uvicorn_log = logging.getLogger("uvicorn.error")
        level = uvicorn_log.level
        uvicorn_log.setLevel(logging.CRITICAL)
        try:
            self.server.should_exit = True
            self.thread.join(timeout)
        finally:
            uvicorn_log.setLevel(level)


def start_embedded_server(
    data_dir: Path | None = None,
    *,
    port: int | None = None,
    demo: bool = True,
    ready_timeout: float = 30.0,
) -> EmbeddedServer:
    settings = Settings(demo=demo, log_json=False, log_level="WARNING")
    if data_dir is not None:
        settings = Settings(data_dir=data_dir, demo=demo, log_json=False, log_level="WARNING")
    app = create_app(settings)
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, log_level="warning",
        timeout_graceful_shutdown=1, lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="embedded-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_timeout
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("embedded server stopped during start-up")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1.0).status_code == 200:
                return EmbeddedServer(url, server, thread, settings)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.should_exit = True
    raise RuntimeError("embedded server did not start in time")
