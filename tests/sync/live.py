"""Run the real server (create_app + uvicorn) in a background thread on 127.0.0.1.

Used by the integration tests and by bench/bench_sync.py. ``stop(kill=True)`` drops open
connections without waiting for requests in flight, like a crashed process would;
``start()`` again serves the same database on the same port.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(self, settings: Any, port: int | None = None) -> None:
        self.settings = settings
        self.port = port or free_port()
        self.app: Any = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._old_apps: list[Any] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        from server.app import create_app

        if self.app is not None:
            # A killed server's worker threads may still hold connections: dispose of
            # its engine only at close().
            self._old_apps.append(self.app)
        self.app = create_app(self.settings)
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning",
            lifespan="on", loop="asyncio", http="h11", ws="none",
            timeout_graceful_shutdown=1, access_log=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("server thread died while starting")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)

    def stop(self, *, kill: bool = False, timeout: float = 30.0) -> None:
        if self._server is None or self._thread is None:
            return
        self._server.force_exit = kill
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise RuntimeError("server did not stop")
        self._server = None
        self._thread = None

    def close(self) -> None:
        self.stop()
        for app in [*self._old_apps, self.app]:
            if app is not None:
                # a killed server never ran its lifespan's shutdown: stop its dispatcher
                # before the database goes away under it
                app.state.reminders.stop()
                app.state.engine.dispose()
        self.app = None
        self._old_apps.clear()
