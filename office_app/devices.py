"""Devices on screen: "My devices" (我的设备) on the settings page, a person's devices
with revoke for the security administrator (安全保密管理员) in the directory, and the
sign-out confirmation with "forget this device's data".

Everything here is online (the server keeps the list): reads and changes run on the
task runner (:class:`office_app.kit.PageWork`) through the session's ``ApiClient``;
without a connection the section says so. Removing or revoking asks first (a dialog
kept as ``self.dialog``, opened with ``open()``). GUI thread only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modules.common import messages
from modules.common.china_time import china_stamp
from modules.common.errors import Offline
from office_app.kit import PageWork
from office_app.widgets import error_label, set_touch, text_label

messages.register({
    "devices.needs_online": {
        "zh_CN": "设备列表保存在服务器上，需要联网才能查看和管理。",
        "en": "The list of devices is kept on the server: connect to see or manage it.",
    },
})

SECURITY_ADMIN = "security_admin"



class Api(Protocol):
    def request_json(self, method: str, path: str, *, json: Any = None,
                     params: Mapping[str, Any] | None = None) -> Any: ...


class DevicesService:
    """Online device calls; every method blocks (task runner only)."""

    def __init__(self, api: Api | None) -> None:
        self.api = api

    @classmethod
    def of(cls, context: Any) -> DevicesService:
        """The service for an :class:`office_app.context.AppContext`."""
        engine = getattr(context, "engine", None)
        api = getattr(engine, "api", None) or getattr(getattr(context, "session", None), "api", None)
        return cls(api)

    def _api(self) -> Api:
        if self.api is None:
            raise Offline("devices.needs_online")
        return self.api

    def mine(self) -> list[dict[str, Any]]:
        return list(self._api().request_json("GET", "/me/devices")["devices"])

    def remove(self, device_id: str) -> None:
        self._api().request_json("DELETE", f"/me/devices/{device_id}")

    def of_person(self, person_id: str) -> list[dict[str, Any]]:
        return list(self._api().request_json("GET", f"/admin/people/{person_id}/devices")["devices"])

    def revoke(self, device_id: str) -> None:
        self._api().request_json("POST", f"/admin/devices/{device_id}/revoke")


def holds_security_role(principal: Mapping[str, Any]) -> bool:
    """Whether the signed-in person holds ``security_admin`` on any post (the section
    shows only then; the server decides anyway)."""
    roles = set(principal.get("roles") or ())
    for post in principal.get("posts") or ():
        if isinstance(post, Mapping):
            roles.update(post.get("roles") or ())
    return SECURITY_ADMIN in roles


def seen_text(value: str | None, now: datetime | None = None) -> str:
    """"Last seen" in words: just now, N minutes/hours ago, or the local date and time."""
    if not value:
        return ""
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    now = now or datetime.now(UTC)
    seconds = (now - at).total_seconds()
    if seconds < 90:
        return QCoreApplication.translate("Devices", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("Devices", "%n minute(s) ago", None, int(seconds // 60))
    if seconds < 86400:
        return QCoreApplication.translate("Devices", "%n hour(s) ago", None, int(seconds // 3600))
    return china_stamp(at, "%Y-%m-%d %H:%M")


def state_text(row: Mapping[str, Any]) -> str:
    """The device's state in words: signed in / signed out / revoked (waiting) / wiped."""
    state = row.get("state")
    if state == "wiped":
        return QCoreApplication.translate("Devices", "Removed · data wiped")
    if state == "revoked":
        return QCoreApplication.translate("Devices", "Removed · wiped at its next connection")
    return QCoreApplication.translate("Devices", "Signed in") if row.get("signed_in") else QCoreApplication.translate("Devices", "Signed out")


class DeviceList(QWidget):
    """Rows of devices, each with an action button (remove / revoke) unless it is this
    device or already removed. ``action_requested(row)`` when one is pressed."""

    action_requested = Signal(dict)

    def __init__(self, action_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action_text = action_text
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        self.rows: list[dict[str, Any]] = []
        self.buttons: dict[str, QPushButton] = {}
        self._compact = False

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows, self.buttons = list(rows), {}
        if not rows:
            self._layout.addWidget(text_label(QCoreApplication.translate("Devices", "No devices."), "small"))
        for row in rows:
            self._layout.addWidget(self._row(row))

    def _row(self, row: dict[str, Any]) -> QWidget:
        frame = QFrame()
        frame.setObjectName("DeviceRow")
        line = QHBoxLayout(frame)
        line.setContentsMargins(0, 4, 0, 4)
        text = QVBoxLayout()
        name = row.get("name") or QCoreApplication.translate("Devices", "Unnamed device")
        if row.get("this_device"):
            name = name + " · " + QCoreApplication.translate("Devices", "This device")
        title = text_label(name, wrap=True)
        title.setObjectName("DeviceName")
        text.addWidget(title)
        details = " · ".join(p for p in (
            row.get("platform") or "",
            QCoreApplication.translate("Devices", "last seen %1").replace("%1", seen_text(row.get("last_seen_at"))),
            state_text(row)) if p)
        text.addWidget(text_label(details, "small", wrap=True))
        line.addLayout(text, 1)
        if not row.get("this_device") and row.get("state") == "active":
            button = QPushButton(self.action_text)
            button.setAccessibleName(f"{self.action_text} {name}")
            button.clicked.connect(lambda _=False, r=row: self.action_requested.emit(r))
            set_touch(self._compact, button)
            line.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            self.buttons[str(row.get("id"))] = button
        return frame

    def set_compact(self, compact: bool) -> None:
        self._compact = compact
        set_touch(compact, *self.buttons.values())


def confirm_dialog(parent: QWidget, title: str, text: str, action: str) -> QDialog:
    """A small question with ``action`` / Cancel (not opened yet)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    layout = QVBoxLayout(dialog)
    layout.addWidget(text_label(text, wrap=True))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
    ok.setObjectName("ConfirmButton")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    return dialog


class _DevicesBox(QGroupBox):
    """Shared: a device list loaded online, with a confirmed action per row."""

    def __init__(self, title: str, action_text: str, service: DevicesService,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.service = service
        self.work = PageWork(self, self.show_error)
        layout = QVBoxLayout(self)
        self.note = text_label("", "small", wrap=True)
        layout.addWidget(self.note)
        self.list = DeviceList(action_text)
        self.list.action_requested.connect(self._ask)
        layout.addWidget(self.list)
        self.error = error_label()
        layout.addWidget(self.error)
        self.refresh_button = QPushButton(QCoreApplication.translate("Devices", "Refresh"))
        self.refresh_button.clicked.connect(self.load)
        row = QHBoxLayout()
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.dialog: QDialog | None = None

    def fetch(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def act(self, row: dict[str, Any]) -> None:
        raise NotImplementedError

    def question(self, row: dict[str, Any]) -> tuple[str, str, str]:
        raise NotImplementedError

    def load(self) -> None:
        self.error.hide()
        self.refresh_button.setEnabled(False)
        self.work.run(self.fetch, self._loaded, self._failed, latest="load")

    def _loaded(self, rows: list[dict[str, Any]]) -> None:
        self.refresh_button.setEnabled(True)
        self.list.set_rows(rows)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.show_error(self.work.words(exc))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _ask(self, row: dict[str, Any]) -> None:
        title, text, action = self.question(row)
        self.dialog = confirm_dialog(self, title, text, action)
        self.dialog.accepted.connect(lambda: self._do(row))
        self.dialog.open()

    def _do(self, row: dict[str, Any]) -> None:
        button = self.list.buttons.get(str(row.get("id")))
        if button is not None:
            button.setEnabled(False)
        self.work.run(lambda: self.act(row), lambda _r: self.load(), self._failed)

    def set_compact(self, compact: bool) -> None:
        self.list.set_compact(compact)
        set_touch(compact, self.refresh_button)


class MyDevicesSection(_DevicesBox):
    """我的设备: the computers and phones signed in as me; remove the others."""

    def __init__(self, service: DevicesService, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("Devices", "My devices"), QCoreApplication.translate("Devices", "Remove"), service, parent)
        self.setObjectName("MyDevices")
        self.note.setText(QCoreApplication.translate(
            "Devices",
            "Computers and phones that signed in as you. Removing one signs it out at once "
            "and wipes its local data the next time it connects."))

    def fetch(self) -> list[dict[str, Any]]:
        return self.service.mine()

    def act(self, row: dict[str, Any]) -> None:
        self.service.remove(str(row["id"]))

    def question(self, row: dict[str, Any]) -> tuple[str, str, str]:
        name = row.get("name") or QCoreApplication.translate("Devices", "Unnamed device")
        return (QCoreApplication.translate("Devices", "Remove device"),
                QCoreApplication.translate("Devices", "Remove “%1”? It is signed out at once, and its local data is wiped "
                    "the next time it connects.").replace("%1", name),
                QCoreApplication.translate("Devices", "Remove"))


class PersonDevicesSection(_DevicesBox):
    """A person's devices for the security administrator (安全保密管理员), with revoke."""

    def __init__(self, service: DevicesService, person_id: str, person_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("Devices", "Devices"), QCoreApplication.translate("Devices", "Revoke"), service, parent)
        self.setObjectName("PersonDevices")
        self.person_id, self.person_name = person_id, person_name
        self.note.setText(QCoreApplication.translate("Devices", "Revoke a lost or stolen device: it is signed out at once and "
                              "wipes its local data the next time it connects."))

    def fetch(self) -> list[dict[str, Any]]:
        return self.service.of_person(self.person_id)

    def act(self, row: dict[str, Any]) -> None:
        self.service.revoke(str(row["id"]))

    def question(self, row: dict[str, Any]) -> tuple[str, str, str]:
        name = row.get("name") or QCoreApplication.translate("Devices", "Unnamed device")
        return (QCoreApplication.translate("Devices", "Revoke device"),
                QCoreApplication.translate("Devices", "Revoke “%1” of %2? It is signed out at once, and its local data is "
                    "wiped the next time it connects. This is recorded in the audit trail.")
                .replace("%1", name).replace("%2", self.person_name),
                QCoreApplication.translate("Devices", "Revoke"))


class SignOutDialog(QDialog):
    """Sign out, optionally forgetting this device's data (清除本机数据): the cache,
    queued changes, files and keys of the account. The box starts ticked on a shared
    computer (setting ``session/shared_computer``)."""

    def __init__(self, shared_computer: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignOutDialog")
        self.setWindowTitle(QCoreApplication.translate("Devices", "Sign out"))
        layout = QVBoxLayout(self)
        layout.addWidget(text_label(QCoreApplication.translate("Devices", "Sign out of this computer?"), wrap=True))
        self.forget = QCheckBox(QCoreApplication.translate("Devices", "Forget this device's data"))
        self.forget.setChecked(shared_computer)
        layout.addWidget(self.forget)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        layout.addWidget(self.warning)
        self.forget.toggled.connect(self._explain)
        self._explain(shared_computer)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.addButton(QCoreApplication.translate("Devices", "Sign out"), QDialogButtonBox.ButtonRole.AcceptRole)
        ok.setObjectName("ConfirmButton")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _explain(self, forget: bool) -> None:
        self.warning.setText(QCoreApplication.translate("Devices", "The local copy, files and changes not yet sent are deleted from this computer.")
            if forget else QCoreApplication.translate("Devices", "The local copy stays for your next sign-in on this computer."))


def ask_sign_out(parent: QWidget, shared_computer: bool,
                 confirmed: Callable[[bool], None]) -> SignOutDialog:
    """Open the sign-out question; ``confirmed(forget)`` when the person signs out."""
    dialog = SignOutDialog(shared_computer, parent)
    dialog.accepted.connect(lambda: confirmed(dialog.forget.isChecked()))
    dialog.open()
    return dialog
