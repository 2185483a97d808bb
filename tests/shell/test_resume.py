"""Reopening the client on a personal device: straight into the main window from the
encrypted cache, the engine refreshing in the background — and when not to.

A real ``ClientSession`` (SQLCipher cache, data key and refresh token in an in-memory
keyring) against an ``httpx.MockTransport`` standing in for the server.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import keyring
import pytest

from office_app.login import LoginView
from office_app.main_window import MainWindow
from office_app.run import Shell
from office_app.settings import AppSettings
from office_app.workbench import WorkbenchPage
from sync.cache import LocalCache
from sync.credentials import SERVICE, key_for, load_refresh_token, save_refresh_token
from sync.local import apply_server_changes
from sync.session import ClientSession
from sync.vault import keyring_user, open_key
from tests.shell.fakes import PRINCIPAL
from tests.sync.fakes import MemoryKeyring

URL = "http://oa.example.test"
ACCOUNT = "zhangwei"
TODO = {"id": "t-1", "title": "关于做好2026年冬季安全生产工作的通知", "module": "documents",
        "kind": "待签发", "ref_id": "d-1", "from_name": "李娜", "urgency": "特急",
        "due_at": None, "created_at": "2026-11-30T08:00:00+00:00", "done": False}


class Server:
    """The server as the resumed engine meets it: every call answers ``code`` (401)."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.paths: list[str] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            self.paths.append(request.url.path)
        body = {"error": {"code": self.code, "message": self.code, "params": {}}}
        return httpx.Response(401, content=json.dumps(body).encode(),
                              headers={"content-type": "application/json"})


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def _signed_in_before(data: Path, settings: AppSettings, *, password_key: bool = False) -> Path:
    """What an earlier online sign-in left: the encrypted cache with the profile and a
    to-do, the refresh token and data key in the keyring, the remembered account."""
    folder = ClientSession(data).folder(URL, ACCOUNT)
    if password_key:
        from keyring.backends import fail

        previous = keyring.get_keyring()
        keyring.set_keyring(fail.Keyring())
        try:
            opened = open_key(folder, URL, ACCOUNT, "secret", create=True)
        finally:
            keyring.set_keyring(previous)
    else:
        opened = open_key(folder, URL, ACCOUNT, None, create=True)
    cache = LocalCache(folder / "cache.sqlite", key=opened.key)
    with cache.write() as session:
        apply_server_changes(session, [(("workbench.todo", "t-1"), dict(TODO), 1)],
                             principal=PRINCIPAL)
    cache.meta_set("principal", PRINCIPAL)
    cache.meta_set("account", {"server_url": URL, "account": ACCOUNT})
    cache.close()
    save_refresh_token(URL, ACCOUNT, "refresh-1")
    settings.server_url = URL
    settings.last_account = ACCOUNT
    settings.stay_signed_in = True
    return folder


def _shell(data: Path, settings: AppSettings, server: Server, *,
           start_engine: bool = True) -> tuple[Shell, ClientSession]:
    session = ClientSession(data, transport=httpx.MockTransport(server),
                            start_engine=start_engine,
                            engine_options={"listen": False, "period_seconds": 3600})
    return Shell(settings, session, server_url=URL), session


def _close(shell: Shell, session: ClientSession, qtbot: Any) -> None:
    for widget in (shell.window, shell.login):
        if widget is not None:
            qtbot.addWidget(widget)
    if session.wipe_thread is not None:
        session.wipe_thread.join(30)
    session.close()


def test_a_device_that_stayed_signed_in_opens_into_the_main_window_with_cached_data(
        app, settings, qtbot, tmp_path, memory_keyring):
    _signed_in_before(tmp_path, settings)
    server = Server("auth.token_invalid")
    shell, session = _shell(tmp_path, settings, server, start_engine=False)
    try:
        shell.start()
        assert shell.login is None  # no sign-in view, not even for a moment
        qtbot.waitUntil(lambda: shell.window is not None)
        window = shell.window
        assert isinstance(window, MainWindow)
        qtbot.addWidget(window)
        workbench = window.page_widget("workbench")
        assert isinstance(workbench, WorkbenchPage)
        qtbot.waitUntil(lambda: workbench.model.rowCount() == 1)
        assert window.context.principal["name"] == "张伟"
        assert session.resumed and not session.offline_entry
        # after the first paint: the services, then the engine, attached to the window
        qtbot.waitUntil(lambda: window.context.engine is not None, timeout=20_000)
        assert window.context.engine is session.engine and window.context.attached
        assert shell.login is None
    finally:
        _close(shell, session, qtbot)


def test_after_signing_out_the_next_start_asks_for_the_password(
        app, settings, qtbot, tmp_path, memory_keyring):
    _signed_in_before(tmp_path, settings)
    shell, session = _shell(tmp_path, settings, Server("auth.token_invalid"),
                            start_engine=False)
    try:
        shell.start()
        qtbot.waitUntil(lambda: shell.window is not None)
        qtbot.addWidget(shell.window)
        shell.sign_out()
        qtbot.addWidget(shell.login)
        qtbot.waitUntil(lambda: shell.login.sign_in_button.isEnabled(), timeout=20_000)
        assert load_refresh_token(URL, ACCOUNT) is None
        assert not settings.stay_signed_in
    finally:
        _close(shell, session, qtbot)

    # even with a refresh token in the keyring again (a keyring that did not delete)
    save_refresh_token(URL, ACCOUNT, "refresh-2")
    again, session = _shell(tmp_path, settings, Server("auth.token_invalid"),
                            start_engine=False)
    try:
        again.start()
        assert isinstance(again.login, LoginView) and again.login.isVisible()
        assert again.login.account.text() == ACCOUNT
        qtbot.wait(200)
        assert again.window is None and session.cache is None
    finally:
        _close(again, session, qtbot)


def test_on_a_shared_computer_every_start_asks_for_the_password(
        app, settings, qtbot, tmp_path, memory_keyring):
    _signed_in_before(tmp_path, settings)
    settings.shared_computer = True
    shell, session = _shell(tmp_path, settings, Server("auth.token_invalid"),
                            start_engine=False)
    try:
        shell.start()
        assert isinstance(shell.login, LoginView) and shell.login.isVisible()
        qtbot.wait(200)
        assert shell.window is None and session.cache is None
    finally:
        _close(shell, session, qtbot)


def test_a_password_derived_data_key_is_never_opened_without_the_password(
        app, settings, qtbot, tmp_path, memory_keyring):
    _signed_in_before(tmp_path, settings, password_key=True)
    shell, session = _shell(tmp_path, settings, Server("auth.token_invalid"),
                            start_engine=False)
    try:
        shell.start()
        qtbot.waitUntil(lambda: shell.login is not None)
        qtbot.addWidget(shell.login)
        assert shell.window is None and session.cache is None
        assert not shell.login.error.isVisible()  # an ordinary sign-in, no alarm
        assert not settings.stay_signed_in
    finally:
        _close(shell, session, qtbot)


def test_a_dead_refresh_token_brings_back_the_sign_in_view_and_keeps_the_data(
        app, settings, qtbot, tmp_path, memory_keyring):
    folder = _signed_in_before(tmp_path, settings)
    server = Server("auth.token_invalid")
    shell, session = _shell(tmp_path, settings, server)
    try:
        shell.start()
        qtbot.waitUntil(lambda: shell.window is not None)
        qtbot.addWidget(shell.window)
        qtbot.waitUntil(lambda: shell.login is not None, timeout=20_000)
        login = shell.login
        qtbot.addWidget(login)
        assert "/api/v1/auth/refresh" in server.paths
        assert shell.window is None
        assert login.error.isVisible()
        assert "登录" in login.error.text() or "sign" in login.error.text().lower()
        qtbot.waitUntil(lambda: session.cache is None and session.engine is None,
                        timeout=20_000)
        assert load_refresh_token(URL, ACCOUNT) is None
        assert (folder / "cache.sqlite").exists()  # kept for the next sign-in
        assert (SERVICE, keyring_user(URL, ACCOUNT)) in memory_keyring.secrets
        assert not settings.stay_signed_in
    finally:
        _close(shell, session, qtbot)


def test_a_revoked_device_is_wiped_and_back_at_the_sign_in_view_saying_why(
        app, settings, qtbot, tmp_path, memory_keyring):
    folder = _signed_in_before(tmp_path, settings)
    server = Server("auth.device_revoked")
    shell, session = _shell(tmp_path, settings, server)
    try:
        shell.start()
        qtbot.waitUntil(lambda: shell.window is not None)
        qtbot.addWidget(shell.window)
        qtbot.waitUntil(lambda: shell.login is not None and shell.login.error.isVisible(),
                        timeout=20_000)
        qtbot.addWidget(shell.login)
        assert shell.window is None
        text = shell.login.error.text()
        assert "清除" in text or "wiped" in text
        assert session.wipe_thread is not None
        session.wipe_thread.join(30)
        assert not folder.exists()
        assert (SERVICE, key_for(URL, ACCOUNT)) not in memory_keyring.secrets
        assert (SERVICE, keyring_user(URL, ACCOUNT)) not in memory_keyring.secrets
        assert not settings.stay_signed_in
    finally:
        _close(shell, session, qtbot)
