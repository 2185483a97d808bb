"""The client shell: sign in → main window → sign out → sign in again."""

from __future__ import annotations

import threading

from office_app.main_window import MainWindow
from office_app.run import Shell
from tests.shell.fakes import PRINCIPAL, FakeCache, FakeEngine


class FakeSession:
    """``sync.session.ClientSession`` stand-in."""

    def __init__(self) -> None:
        self.lang = "zh_CN"
        self.cache: FakeCache | None = None
        self.engine: FakeEngine | None = None
        self.logins: list[tuple[str, str]] = []
        self.logout_threads: list[int] = []
        self.closed = False

    def login(self, server_url: str, account: str, password: str) -> dict:
        self.logins.append((server_url, account))
        self.cache, self.engine = FakeCache(), FakeEngine()
        return dict(PRINCIPAL)

    def resume_offline(self, server_url: str, account: str, password: str | None) -> dict:
        self.cache, self.engine = FakeCache(), FakeEngine()
        return dict(PRINCIPAL)

    def logout(self) -> None:
        self.logout_threads.append(threading.get_ident())

    def close(self) -> None:
        self.closed = True


def test_sign_in_opens_the_main_window_and_sign_out_returns(app, settings, qtbot):
    session = FakeSession()
    shell = Shell(settings, session)
    login = shell.show_login()
    qtbot.addWidget(login)
    login.server.setText("http://127.0.0.1:8000")
    login.account.setText("zhangwei")
    login.password.setText("secret")
    login.submit()
    qtbot.waitUntil(lambda: shell.window is not None)
    window = shell.window
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert session.logins == [("http://127.0.0.1:8000", "zhangwei")]
    assert session.engine.on_changes and session.engine.on_status  # bridged to the bus
    assert window.context.principal["name"] == "张伟"
    window.context.logout_requested.emit()
    assert shell.login is not None and shell.login.isVisible()  # never without a window
    qtbot.addWidget(shell.login)
    assert not shell.login.sign_in_button.isEnabled()  # busy until the session is closed
    qtbot.waitUntil(lambda: shell.login.sign_in_button.isEnabled())
    assert session.logout_threads and threading.get_ident() not in session.logout_threads
    assert shell.window is None
    assert shell.login.account.text() == "zhangwei"
    shell.shutdown()
    assert session.closed
