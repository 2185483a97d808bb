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
import threading
from pathlib import Path
from typing import Any

from modules.common import messages

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


def _start_embedded(data_dir: str | None) -> Any:
    from server.embedded import free_port, start_embedded_server

    port = EMBEDDED_PORT if _port_free(EMBEDDED_PORT) else free_port()
    return start_embedded_server(Path(data_dir) if data_dir else None, port=port)


def _start_embedded_in_window(data_dir: str | None) -> tuple[Any, Any]:
    """Start the embedded server on a thread while a small window says so (the first
    start seeds the demo data, which takes a while); returns (server, that window).

    The window stays open until the caller's sign-in view is up, so the application
    is never without a window."""
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QLabel

    from office_app import i18n
    from office_app.app import create_application

    app, _settings = create_application(sys.argv[:1])
    text = messages.render("launch.starting_demo", i18n.current_lang())
    print(text, file=sys.stderr, flush=True)
    window = QLabel(text)
    window.setObjectName("StartingWindow")
    window.setAlignment(Qt.AlignmentFlag.AlignCenter)
    window.setWordWrap(True)
    window.setMargin(32)
    window.setWindowTitle("协同办公 — 启动")
    window.resize(520, 200)
    window.show()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["server"] = _start_embedded(data_dir)
        except BaseException as exc:  # re-raised on the calling thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="embedded-start", daemon=True)
    thread.start()
    while thread.is_alive():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        thread.join(0.05)
    if "error" in outcome:
        window.close()
        raise outcome["error"]
    return outcome["server"], window


def client_command(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from office_app.run import run_client

    embedded = starting = None
    server_url = args.server_url
    if not server_url:
        embedded, starting = _start_embedded_in_window(args.data_dir)
        server_url = embedded.url
        QTimer.singleShot(0, starting.close)  # once the sign-in view is shown
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
