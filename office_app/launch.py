"""Command-line glue: ``python main.py`` (client) and ``python main.py screenshot``.

Without ``--server-url`` the client starts the embedded demo server (SQLite in the
user's data directory, demo organisation seeded on first start) in a child process, on a
stable local port so that the client's cache and keyring entry stay the same from one
run to the next. The sign-in view shows at once; signing in waits for the server.
"""

from __future__ import annotations

import argparse
import logging
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from modules.common import messages
from office_app.paths import ROOT

log = logging.getLogger(__name__)

EMBEDDED_PORT = 18765


def _port_free(port: int) -> bool:
    """Whether the embedded server can listen on ``port``. Like uvicorn, SO_REUSEADDR:
    the previous run's connections linger in TIME_WAIT for a minute, and without it a
    quick restart would move to another port (another cache, another saved sign-in)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def demo_accounts_for(_server_url: str) -> list[dict[str, Any]]:
    """The demo sign-ins shown on the login screen of the embedded demo server."""
    from modules.directory.demo import DEMO_PASSWORD, demo_accounts

    return [
        {"login": a.login, "name": a.name, "title": a.description, "password": DEMO_PASSWORD}
        for a in demo_accounts()
    ]


messages.register({
    "launch.starting_demo": {
        "zh_CN": "正在启动本地演示服务器（首次启动需生成演示数据，约需一分钟）…",
        "en": "Starting the local demo server (the first start creates the demo data and "
              "takes about a minute)…",
    },
})


def _trace(event: str) -> None:
    """A milestone for the bench's timeline (``OFFICE_START_PROBE`` set), see
    ``server.embedded.trace``."""
    import os

    if os.environ.get("OFFICE_START_PROBE"):
        import time

        sys.stderr.write(f"office-start-trace {time.time():.6f} client {event}\n")
        sys.stderr.flush()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class EmbeddedStart:
    """The embedded demo server, starting in a child process of its own.

    The port (and so the address) is chosen at once, so the sign-in view can show while
    the server migrates and, on the first start, seeds the demo organisation; a sign-in
    calls :meth:`wait` first (on the task runner, never the GUI thread). The child
    (``python -m server.embedded``) runs on the machine's other core beside the client,
    says when it accepts requests, and stops when its standard input closes — when
    :meth:`stop` closes it, or when this process ends in any way."""

    def __init__(self, data_dir: str | None) -> None:
        self.port = EMBEDDED_PORT if _port_free(EMBEDDED_PORT) else _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._data_dir = str(Path(data_dir).resolve()) if data_dir else None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self._started = False

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "server.embedded", "--port", str(self.port)]
        if self._data_dir:
            command += ["--data-dir", self._data_dir]
        return command

    def start(self) -> EmbeddedStart:
        """Start the server's process (returns at once; again: nothing)."""
        if self._started:
            return self
        self._started = True
        _trace("embedded server process started")
        try:
            self._process = subprocess.Popen(
                self.command(), cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                text=True, encoding="utf-8", bufsize=1)
        except OSError as exc:
            log.exception("the embedded demo server did not start")
            self._error = exc
            self._ready.set()
            return self
        self._reader = threading.Thread(target=self._read, name="embedded-start", daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        """Wait for the child's ``ready`` (or ``error``) line; then keep its pipe drained."""
        assert self._process is not None and self._process.stdout is not None
        try:
            for line in self._process.stdout:
                word, _, rest = line.strip().partition(" ")
                if word == "ready":
                    _trace("embedded server ready")
                    self._ready.set()
                elif word == "error" and not self._ready.is_set():
                    self._error = RuntimeError(rest)
        finally:
            self._process.stdout.close()
            if not self._ready.is_set():
                code = self._process.wait()
                if self._error is None:
                    self._error = RuntimeError(f"the embedded demo server stopped (exit {code})")
                self._ready.set()

    def wait(self, timeout: float = 600.0) -> None:
        """Block until the server accepts requests; raises what stopped it."""
        if not self._ready.wait(timeout):
            raise TimeoutError("the embedded demo server did not start in time")
        if self._error is not None:
            raise self._error

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server: close its input, wait for it to finish (a demo seed part
        under way is completed or rolled back; the next start carries on), else end it."""
        process = self._process
        if process is None or process.stdin is None or process.stdin.closed:
            return
        try:
            process.stdin.close()
            process.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        if self._reader is not None:
            self._reader.join(timeout)


def client_command(args: argparse.Namespace) -> int:
    from office_app.run import run_client

    embedded: EmbeddedStart | None = None
    server_url = args.server_url
    if not server_url:
        # at once: the server's imports and seed run beside the client's own start
        embedded = EmbeddedStart(args.data_dir).start()
        server_url = embedded.url
        print(messages.render("launch.starting_demo", _terminal_lang()), file=sys.stderr,
              flush=True)
    try:
        return run_client(
            sys.argv[:1],
            demo_accounts=demo_accounts_for if embedded is not None else None,
            server_url=server_url,
            before_sign_in=embedded.wait if embedded is not None else None,
        )
    finally:
        if embedded is not None:
            embedded.stop()


def _terminal_lang() -> str:
    from office_app import i18n

    return i18n.current_lang()


def screenshot_command(out: str, *, dark: bool = True) -> int:
    """Render every main screen at 1440×900 and 390×844 from a live demo session."""
    from modules.directory.demo import DEMO_PASSWORD
    from office_app.app import create_application
    from office_app.screenshot import render_signed_in
    from server.embedded import start_embedded_server

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="office-shots-") as tmp:
        root = Path(tmp)
        embedded = start_embedded_server(root / "server")
        try:
            create_application([sys.argv[0], "-platform", "offscreen"])
            # the secretary organises meetings, so her screens show every action
            accounts = demo_accounts_for(embedded.url)
            account = next((a["login"] for a in accounts if str(a["title"]).endswith("（秘书）")),
                           accounts[0]["login"])
            written = render_signed_in(
                out_dir, embedded.url, account, DEMO_PASSWORD, data_dir=root / "client",
                demo_accounts=demo_accounts_for, dark=dark,
            )
        finally:
            embedded.stop()
    for path in written:
        print(path)
    return 0
