"""A newcomer's first run, the way run.sh starts it: ``main.py`` with no arguments →
the embedded server on SQLite in a fresh data directory with demo data → the client's
sign-in view → one demo account → the main window with synced data.

The offscreen test drives the real ``client_command`` in this process; the real-window
test (tests/shell/test_real_window.py) does the same as a user under Xvfb.
"""

from __future__ import annotations

import argparse
import logging
import socket
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from modules.directory.service import PERSON
from office_app.launch import _port_free, client_command
from office_app.login import LoginView
from office_app.main_window import MainWindow
from tests.sync.fakes import MemoryKeyring


@pytest.fixture
def fresh_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user who never ran the client: empty config and data directories, a keyring."""
    home = tmp_path / "home"
    config, data = home / ".config", home / ".local" / "share"
    config.mkdir(parents=True)
    data.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.delenv("OFFICE_DATA_DIR", raising=False)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(config))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield home
    keyring.set_keyring(previous)


def _top_level(kind: type) -> object | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.isVisible()), None)


@pytest.mark.slow
def test_main_py_signs_in_to_the_embedded_server_with_one_demo_account(app, fresh_user, qtbot,
                                                                      caplog):
    seen: dict[str, object] = {}

    def drive() -> None:
        try:
            qtbot.waitUntil(lambda: _top_level(LoginView) is not None, timeout=30_000)
            login = _top_level(LoginView)
            assert isinstance(login, LoginView)
            seen["server"] = login.server.text()
            qtbot.waitUntil(lambda: login.demo_model.rowCount() > 0, timeout=30_000)
            first = login.demo_model.index(0)
            seen["account"] = first.data(login.demo_model.LoginRole)
            rect = login.demo_list.visualRect(first)
            QTest.mouseClick(login.demo_list.viewport(), Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, rect.center())
            errors: list[str] = []
            login.failed.connect(errors.append)
            QTest.mouseClick(login.sign_in_button, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, QPoint(10, 10))
            qtbot.waitUntil(lambda: _top_level(MainWindow) is not None or bool(errors),
                            timeout=60_000)
            seen["error"] = " ".join(errors)
            window = _top_level(MainWindow)
            if isinstance(window, MainWindow):
                seen["principal"] = window.context.principal.get("login")
                cache = window.context.cache
                qtbot.waitUntil(lambda: len(cache.list(PERSON)) > 0, timeout=60_000)
                seen["people"] = len(cache.list(PERSON))
        except Exception as exc:  # reported after the event loop has ended
            seen["failure"] = repr(exc)
        finally:
            for widget in QApplication.topLevelWidgets():
                widget.close()
            QApplication.quit()

    QTimer.singleShot(0, drive)
    code = client_command(argparse.Namespace(server_url=None, data_dir=None))
    assert "failure" not in seen, seen.get("failure")
    assert seen["server"].startswith("http://127.0.0.1:") and seen["server"] != "http://127.0.0.1:8000"
    assert seen["error"] == ""
    assert seen["principal"] == seen["account"]
    assert seen["people"] > 0
    assert code == 0
    # Nothing alarming on the terminal, also not when the demo server stops at exit.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    # The embedded server kept its database in the user's data directory.
    assert (fresh_user / ".local" / "share" / "office-collab" / "server" / "office.db").exists()


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
