"""Command-line glue: ``python main.py`` (client) and ``python main.py screenshot``.

Without ``--server-url`` the client starts the embedded demo server (SQLite in the
user's data directory, demo organisation seeded on first start) before any window
exists, on a stable local port so that the client's cache and keyring entry stay the
same from one run to the next.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
from pathlib import Path
from typing import Any

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


def _start_embedded(data_dir: str | None) -> Any:
    from server.embedded import free_port, start_embedded_server

    port = EMBEDDED_PORT if _port_free(EMBEDDED_PORT) else free_port()
    print("正在启动本地演示服务器（首次启动需生成演示数据）…", file=sys.stderr, flush=True)
    return start_embedded_server(Path(data_dir) if data_dir else None, port=port)


def client_command(args: argparse.Namespace) -> int:
    from office_app.run import run_client

    embedded = None
    server_url = args.server_url
    if not server_url:
        embedded = _start_embedded(args.data_dir)
        server_url = embedded.url
    try:
        return run_client(
            sys.argv[:1],
            demo_accounts=demo_accounts_for if embedded is not None else None,
            server_url=server_url,
        )
    finally:
        if embedded is not None:
            embedded.stop()


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
            account = demo_accounts_for(embedded.url)[0]["login"]
            written = render_signed_in(
                out_dir, embedded.url, account, DEMO_PASSWORD, data_dir=root / "client",
                demo_accounts=demo_accounts_for, dark=dark,
            )
        finally:
            embedded.stop()
    for path in written:
        print(path)
    return 0
