"""Devices on screen: 我的设备 on the settings page (list, this device marked, remove
with a confirmation, online through the task runner), the security administrator's
revoke in the directory's person detail, the sign-out question with "forget this
device's data" following the shared-computer setting, and the shell's return to the
sign-in view after a revoked device wiped itself."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from office_app import tasks
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.devices import DevicesService, PersonDevicesSection, SignOutDialog
from office_app.run import Shell
from office_app.settings_page import SettingsPage
from tests.shell.fakes import PRINCIPAL, FakeCache, FakeEngine


def _device(device_id: str, name: str, *, this: bool = False, state: str = "active") -> dict[str, Any]:
    return {"id": device_id, "name": name, "platform": "Windows 11", "state": state,
            "last_seen_at": "2026-12-01T08:00:00Z", "signed_in": state == "active",
            "this_device": this}


class FakeApi:
    """``ApiClient.request_json`` stand-in: the device routes, on the calling thread."""

    def __init__(self) -> None:
        self.devices = [_device("d-1", "办公室电脑", this=True), _device("d-2", "家里的笔记本"),
                        _device("d-3", "旧手机", state="wiped")]
        self.calls: list[tuple[str, str]] = []
        self.threads: set[int] = set()

    def request_json(self, method: str, path: str, *, json: Any = None,
                     params: Mapping[str, Any] | None = None) -> Any:
        self.calls.append((method, path))
        self.threads.add(threading.get_ident())
        if method == "GET":
            return {"devices": [dict(d) for d in self.devices]}
        device_id = path.split("/")[-2 if path.endswith("/revoke") else -1]
        for d in self.devices:
            if d["id"] == device_id:
                d["state"], d["signed_in"] = "revoked", False
        return {}


class EngineWithApi(FakeEngine):
    def __init__(self, api: FakeApi) -> None:
        super().__init__()
        self.api = api


def _accept(dialog: Any) -> None:
    buttons = dialog.findChild(QDialogButtonBox)
    ok = next(b for b in buttons.findChildren(QPushButton) if b.objectName() == "ConfirmButton")
    ok.click()


def test_my_devices_lists_and_removes_another_device(app, settings, qtbot):
    api = FakeApi()
    context = AppContext(settings, PRINCIPAL, cache=FakeCache(), engine=EngineWithApi(api),
                         bus=ChangeBus())
    page = SettingsPage(context)
    qtbot.addWidget(page)
    section = page.devices
    qtbot.waitUntil(lambda: len(section.list.rows) == 3)
    assert threading.get_ident() not in api.threads  # never on the GUI thread
    # This device and a wiped one have no button; the other computer has.
    assert set(section.list.buttons) == {"d-2"}
    names = [label.text() for label in section.findChildren(type(section.note))
             if label.objectName() == "DeviceName"]
    assert any("办公室电脑" in n and ("This device" in n or "本机" in n) for n in names)
    section.list.buttons["d-2"].click()
    assert section.dialog is not None and section.dialog.isVisible()
    _accept(section.dialog)
    qtbot.waitUntil(lambda: ("DELETE", "/me/devices/d-2") in api.calls)
    qtbot.waitUntil(lambda: section.list.buttons == {})  # reloaded: removed, no button
    tasks.wait_for_idle()


def test_without_a_connection_the_section_says_so(app, context, qtbot):
    page = SettingsPage(context)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.devices.error.isHidden())
    assert "联网" in page.devices.error.text() or "connect" in page.devices.error.text()


def test_sign_out_asks_and_follows_the_shared_computer_setting(app, settings, context, qtbot):
    page = SettingsPage(context)
    qtbot.addWidget(page)
    asked: list[bool] = []
    context.sign_out_requested.connect(asked.append)
    page.logout_button.click()
    dialog = page.sign_out_dialog
    assert isinstance(dialog, SignOutDialog) and not dialog.forget.isChecked()
    dialog.reject()
    assert asked == []
    page.shared_box.setChecked(True)
    assert settings.shared_computer is True
    page.logout_button.click()
    dialog = page.sign_out_dialog
    assert isinstance(dialog, SignOutDialog) and dialog.forget.isChecked()
    _accept(dialog)
    assert asked == [True]
    page.logout_button.click()
    assert page.sign_out_dialog is not None
    page.sign_out_dialog.forget.setChecked(False)
    _accept(page.sign_out_dialog)
    assert asked == [True, False]


def test_the_security_admin_revokes_in_the_person_detail(app, qtbot):
    api = FakeApi()
    section = PersonDevicesSection(DevicesService(api), "p-2", "李娜")
    qtbot.addWidget(section)
    section.load()
    qtbot.waitUntil(lambda: len(section.list.rows) == 3)
    assert ("GET", "/admin/people/p-2/devices") in api.calls
    section.list.buttons["d-2"].click()
    assert section.dialog is not None and "李娜" in section.dialog.findChildren(
        type(section.note))[0].text()
    _accept(section.dialog)
    qtbot.waitUntil(lambda: ("POST", "/admin/devices/d-2/revoke") in api.calls)
    tasks.wait_for_idle()


def test_directory_detail_has_devices_only_for_security_admins(app, settings, qtbot):
    from modules.directory.views import PersonDetail

    assert PersonDetail().devices is None
    detail = PersonDetail(devices=DevicesService(FakeApi()))
    qtbot.addWidget(detail)
    detail.show_person({"id": "p-2", "name": "李娜", "posts": []})
    assert detail.devices is not None and detail.devices.person_id == "p-2"
    qtbot.waitUntil(lambda: len(detail.devices.list.rows) == 3)
    tasks.wait_for_idle()


class RevokedSession:
    """A session whose device the server revoked: the wipe calls back on its thread."""

    def __init__(self) -> None:
        self.lang = "zh_CN"
        self.cache: FakeCache | None = None
        self.engine: FakeEngine | None = None
        self.on_device_revoked: Any = None

    def login(self, server_url: str, account: str, password: str) -> dict:
        self.cache, self.engine = FakeCache(), FakeEngine()
        return dict(PRINCIPAL)

    def resume_offline(self, server_url: str, account: str, password: str | None) -> dict:
        return self.login(server_url, account, password or "")

    def close(self) -> None:
        pass


def test_after_a_wipe_the_shell_returns_to_sign_in_with_the_reason(app, settings, qtbot):
    session = RevokedSession()
    shell = Shell(settings, session)
    login = shell.show_login()
    qtbot.addWidget(login)
    login.server.setText("http://127.0.0.1:8000")
    login.account.setText("zhangwei")
    login.password.setText("secret")
    login.submit()
    qtbot.waitUntil(lambda: shell.window is not None)
    qtbot.addWidget(shell.window)
    assert callable(session.on_device_revoked)
    wipe = threading.Thread(target=session.on_device_revoked,
                            args=("http://127.0.0.1:8000", "zhangwei"))
    wipe.start()
    wipe.join()
    qtbot.waitUntil(lambda: shell.window is None and shell.login is not None)
    qtbot.addWidget(shell.login)
    qtbot.waitUntil(lambda: shell.login.isVisible())
    assert shell.login.error.isVisible()
    text = shell.login.error.text()
    assert "wiped" in text or "清除" in text
    tasks.wait_for_idle()
