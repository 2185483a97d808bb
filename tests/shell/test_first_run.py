"""A newcomer's first run, the way run.sh starts it: ``main.py`` with no arguments →
the embedded server on SQLite in a fresh data directory with demo data → the client's
sign-in view → one demo account → the main window with synced data.

The offscreen test runs tests/shell/first_run_driver.py in a fresh process (a fresh
home, so nothing of this machine's settings, caches or keyring is used); the real-window
test (tests/shell/test_real_window.py) does the same as a user under Xvfb.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from office_app.launch import _port_free
from office_app.paths import ROOT

DRIVER = Path(__file__).resolve().parent / "first_run_driver.py"


@pytest.mark.slow
def test_main_py_signs_in_to_the_embedded_server_with_one_demo_account(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OFFICE_", "XDG_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"),
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    done = subprocess.run([sys.executable, str(DRIVER)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    assert lines, done.stdout + done.stderr
    seen = json.loads(lines[-1][len("RESULT "):])
    assert "failure" not in seen, (seen, done.stderr)
    # A window at once, not minutes of nothing: the sign-in view shows while the demo
    # server still migrates and seeds, and the first sign-in waits for it.
    assert seen.get("starting_window")
    assert seen["server_up_then"] is False, seen
    assert seen["server"].startswith("http://127.0.0.1:") and seen["server"] != "http://127.0.0.1:8000"
    assert seen["error"] == ""
    assert seen["principal"] == seen["account"]
    assert seen["people"] > 0
    assert seen["exit_code"] == 0
    # Nothing alarming on the terminal, also not when the demo server stops at exit.
    assert seen["errors"] == []
    assert "Traceback" not in done.stderr
    # The embedded server kept its database in the user's data directory.
    assert (home / ".local" / "share" / "office-collab" / "server" / "office.db").exists()


def test_a_quick_restart_keeps_the_embedded_port():
    """Connections of the previous run linger in TIME_WAIT; the port is still usable."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server side closes first, as uvicorn does at shutdown
    client.close()
    server.close()
    assert _port_free(port)
