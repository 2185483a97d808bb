"""Login view: errors in words, offline entry, remembered account, demo accounts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from modules.common.errors import AuthenticationFailed, Offline
from office_app.login import LoginView
from tests.shell.fakes import PRINCIPAL


class Calls:
    def __init__(self, sign_in_error: BaseException | None = None,
                 resume_error: BaseException | None = None) -> None:
        self.sign_in_error = sign_in_error
        self.resume_error = resume_error
        self.sign_ins: list[tuple[str, str, str]] = []
        self.resumes: list[tuple[str, str, str | None]] = []

    def sign_in(self, url: str, account: str, password: str) -> dict:
        self.sign_ins.append((url, account, password))
        if self.sign_in_error is not None:
            raise self.sign_in_error
        return dict(PRINCIPAL)

    def resume(self, url: str, account: str, password: str | None) -> dict:
        self.resumes.append((url, account, password))
        if self.resume_error is not None:
            raise self.resume_error
        return dict(PRINCIPAL)


def _view(app, settings, qtbot, calls: Calls, demo=None) -> LoginView:
    view = LoginView(settings, calls.sign_in, calls.resume, demo)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    return view


def _fill(view: LoginView, account: str = "zhangwei", password: str = "pw") -> None:
    view.server.setText("http://127.0.0.1:8000")
    view.account.setText(account)
    view.password.setText(password)


def test_missing_fields_are_explained_inline(app, settings, qtbot):
    calls = Calls()
    view = _view(app, settings, qtbot, calls)
    _fill(view, account="")
    qtbot.mouseClick(view.sign_in_button, Qt.MouseButton.LeftButton)
    assert view.error.isVisible()
    assert view.error.text() == "请输入账号。"
    _fill(view, password="")
    view.submit()
    assert view.error.text() == "请输入密码。"
    view.server.setText("oa.example")
    view.submit()
    assert "http://" in view.error.text()
    assert calls.sign_ins == []


def test_wrong_password_shows_the_message_in_words(app, settings, qtbot):
    calls = Calls(sign_in_error=AuthenticationFailed("auth.invalid_credentials"))
    view = _view(app, settings, qtbot, calls)
    _fill(view)
    with qtbot.waitSignal(view.failed) as blocker:
        view.submit()
    assert blocker.args == ["账号或密码错误。"]
    assert view.error.text() == "账号或密码错误。"
    assert QApplication.activeModalWidget() is None
    assert not view.offline_button.isVisible()
    assert view.sign_in_button.isEnabled()


def test_bug_shows_internal_error_not_a_traceback(app, settings, qtbot):
    calls = Calls(sign_in_error=KeyError("boom"))
    view = _view(app, settings, qtbot, calls)
    _fill(view)
    with qtbot.waitSignal(view.failed):
        view.submit()
    assert "系统内部错误" in view.error.text()
    assert "Traceback" not in view.error.text() and "KeyError" not in view.error.text()


def test_unreachable_server_offers_offline_entry(app, settings, qtbot):
    calls = Calls(sign_in_error=Offline("offline"))
    view = _view(app, settings, qtbot, calls)
    _fill(view)
    with qtbot.waitSignal(view.failed):
        view.submit()
    assert "无法连接服务器" in view.error.text()
    assert view.offline_button.isVisible()
    with qtbot.waitSignal(view.signed_in) as blocker:
        qtbot.mouseClick(view.offline_button, Qt.MouseButton.LeftButton)
    principal, offline = blocker.args
    assert offline is True and principal["name"] == "张伟"
    assert calls.resumes == [("http://127.0.0.1:8000", "zhangwei", "pw")]


def test_offline_without_saved_session_says_so(app, settings, qtbot):
    calls = Calls(sign_in_error=Offline("offline"),
                  resume_error=AuthenticationFailed("auth.token_invalid"))
    view = _view(app, settings, qtbot, calls)
    _fill(view)
    with qtbot.waitSignal(view.failed):
        view.submit()
    with qtbot.waitSignal(view.failed):
        view.enter_offline()
    assert view.error.text() == "登录凭据无效，请重新登录。"


def test_success_remembers_account_and_server(app, settings, qtbot):
    calls = Calls()
    view = _view(app, settings, qtbot, calls)
    _fill(view, account="lina")
    with qtbot.waitSignal(view.signed_in) as blocker:
        view.password.returnPressed.emit()
    assert blocker.args[1] is False
    assert settings.last_account == "lina"
    assert settings.server_url == "http://127.0.0.1:8000"
    again = _view(app, settings, qtbot, Calls())
    assert again.account.text() == "lina"
    assert again.password.text() == ""


def test_demo_accounts_are_listed_and_fill_the_form(app, settings, qtbot, qtmodeltester):
    asked: list[str] = []

    def demo(url: str) -> list[dict]:
        asked.append(url)
        return [{"login": "zhangwei", "name": "张伟", "title": "处长", "password": "demo123"},
                {"login": "lina", "name": "李娜"}]

    view = LoginView(settings, Calls().sign_in, None, demo)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.demo_model.rowCount() == 2)
    qtmodeltester.check(view.demo_model)
    assert view.demo_box.isVisible()
    first = view.demo_model.index(0, 0)
    assert first.data() == "张伟  zhangwei"
    assert first.data(view.demo_model.DescriptionRole) == "处长"
    view.demo_list.clicked.emit(first)
    assert view.account.text() == "zhangwei"
    assert view.password.text() == "demo123"
    view.demo_list.clicked.emit(view.demo_model.index(1, 0))
    assert (view.account.text(), view.password.text()) == ("lina", "")
    assert asked and asked[0] == settings.server_url
    # Different passwords: none is shown in the heading.
    assert "demo123" not in view.demo_title.text()


def test_a_shared_demo_password_is_shown(app, settings, qtbot):
    accounts = [{"login": "zhangwei", "name": "张伟", "password": "Demo2026"},
                {"login": "lina", "name": "李娜", "password": "Demo2026"}]
    view = LoginView(settings, Calls().sign_in, None, lambda _url: accounts)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.demo_model.rowCount() == 2)
    assert view.demo_title.text() == "演示服务器 — 选择一个账号体验（密码 Demo2026）："


def test_demo_accounts_as_objects(app, settings, qtbot):
    from modules.directory.demo import demo_accounts

    accounts = demo_accounts()
    view = LoginView(settings, Calls().sign_in, None, lambda _url: accounts)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.demo_model.rowCount() == len(accounts))
    index = view.demo_model.index(0, 0)
    assert index.data(view.demo_model.LoginRole) == accounts[0].login
    assert index.data(view.demo_model.DescriptionRole) == accounts[0].description
    assert view.demo_list.height() < 300  # long lists scroll, the form stays put


def test_no_demo_list_for_a_real_server(app, settings, qtbot):
    view = LoginView(settings, Calls().sign_in, None, lambda _url: [])
    qtbot.addWidget(view)
    view.show()
    qtbot.waitSignal(view.demo_loaded, timeout=5000).wait()
    assert not view.demo_box.isVisible()


def test_the_server_of_this_run_is_offered_over_the_saved_address(app, settings, qtbot):
    settings.server_url = "https://oa.example.gov.cn"
    calls = Calls()
    view = LoginView(settings, calls.sign_in, calls.resume, server_url="http://127.0.0.1:18765/")
    qtbot.addWidget(view)
    assert view.server.text() == "http://127.0.0.1:18765"
    view.account.setText("zhangwei")
    view.password.setText("pw")
    with qtbot.waitSignal(view.signed_in):
        view.submit()
    assert calls.sign_ins == [("http://127.0.0.1:18765", "zhangwei", "pw")]
    saved = LoginView(settings, calls.sign_in)
    qtbot.addWidget(saved)
    assert saved.server.text() == "http://127.0.0.1:18765"  # the address that worked is kept


def test_without_a_keyring_the_sign_in_says_the_key_comes_from_the_password(
        app, settings, qtbot):
    import keyring
    from keyring.backends import fail

    from sync.vault import keyring_usable

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        calls = Calls()
        view = LoginView(settings, calls.sign_in, calls.resume, None,
                         keyring_usable=keyring_usable)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(view.keyring_notice.isVisible, timeout=5000)
        text = view.keyring_notice.text()
        assert "password" in text or "密码" in text
    finally:
        keyring.set_keyring(previous)


def test_with_a_keyring_no_notice_is_shown(app, settings, qtbot):
    import keyring

    from sync.vault import keyring_usable
    from tests.sync.fakes import install_memory_keyring

    previous = keyring.get_keyring()
    install_memory_keyring()
    checked: list[bool] = []

    def check() -> bool:
        checked.append(keyring_usable())
        return checked[-1]

    try:
        view = LoginView(settings, Calls().sign_in, None, None, keyring_usable=check)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: checked == [True], timeout=5000)
        qtbot.wait(50)
        assert not view.keyring_notice.isVisible()
    finally:
        keyring.set_keyring(previous)
