"""Sign-in view (登录): server address, account, password; remembers the account.

The view never blocks: sign-in runs through ``tasks.run_in_background``. Errors are shown
inline in words (账号或密码错误 / 无法连接服务器 …), never as a modal or a traceback.
When the server cannot be reached and this device has signed in before, "enter offline"
(离线进入) opens the cached session. When the server is the embedded demo, the demo
accounts are listed (from the ``demo_accounts`` callable) and fill the form on click.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import DomainError, Offline
from modules.common.messages import render
from office_app import i18n
from office_app.settings import AppSettings
from office_app.tasks import run_in_background
from office_app.widgets import TOUCH_TARGET, primary_button, text_label

log = logging.getLogger(__name__)

SignIn = Callable[[str, str, str], dict[str, Any]]
ResumeOffline = Callable[[str, str, str | None], dict[str, Any]]
DemoAccounts = Callable[[str], list[dict[str, Any]]]


def error_text(exc: BaseException) -> str:
    """A sentence for the user: the DomainError's message, or "internal error"."""
    lang = i18n.current_lang()
    if isinstance(exc, DomainError):
        return exc.message(lang)
    return render("internal_error", lang, {"request_id": getattr(exc, "request_id", "-")})


class LoginView(QWidget):
    """Emits ``signed_in(principal: dict, offline: bool)`` after a successful sign-in.

    ``sign_in(server_url, account, password)`` and ``resume_offline(server_url, account,
    password or None)`` block (network/disk) and run in the background;
    ``demo_accounts(server_url)`` returns ``[{login, name, title?, password?}]`` or [].
    """

    signed_in = Signal(object, bool)
    demo_loaded = Signal()
    failed = Signal(str)

    def __init__(self, settings: AppSettings, sign_in: SignIn,
                 resume_offline: ResumeOffline | None = None,
                 demo_accounts: DemoAccounts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.settings = settings
        self._sign_in = sign_in
        self._resume = resume_offline
        self._demo = demo_accounts
        self._busy = False
        self.setWindowTitle(self.tr("Office collaboration — sign in"))

        outer = QGridLayout(self)
        outer.setContentsMargins(16, 24, 16, 24)
        self.card = QFrame()
        self.card.setObjectName("LoginCard")
        self.card.setMaximumWidth(440)
        self.card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        outer.addWidget(self.card, 1, 1)
        outer.setRowStretch(0, 1)
        outer.setRowStretch(2, 2)
        outer.setColumnStretch(0, 1)
        outer.setColumnStretch(2, 1)

        layout = QVBoxLayout(self.card)
        layout.setContentsMargins(32, 28, 32, 28)
        layout.setSpacing(14)
        brand = text_label(self.tr("Office collaboration"))
        brand.setObjectName("LoginBrand")
        layout.addWidget(brand)
        layout.addWidget(text_label(self.tr("Documents, meetings, supervision and seals — "
                                            "also offline."), "muted", wrap=True))

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setVerticalSpacing(6)
        self.server = QLineEdit(settings.server_url)
        self.server.setPlaceholderText("https://oa.example.gov.cn")
        self.server.setAccessibleName(self.tr("Server address"))
        self.server.editingFinished.connect(self.load_demo_accounts)
        self.account = QLineEdit(settings.last_account)
        self.account.setPlaceholderText(self.tr("Account"))
        self.account.setAccessibleName(self.tr("Account"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password"))
        self.password.returnPressed.connect(self.submit)
        self.account.returnPressed.connect(self.password.setFocus)
        form.addRow(self.tr("Server address"), self.server)
        form.addRow(self.tr("Account"), self.account)
        form.addRow(self.tr("Password"), self.password)
        layout.addLayout(form)

        self.error = text_label("", "error", wrap=True)
        self.error.setVisible(False)
        self.error.setAccessibleName(self.tr("Sign-in problem"))
        layout.addWidget(self.error)

        self.sign_in_button = primary_button(self.tr("Sign in"))
        self.sign_in_button.setMinimumHeight(TOUCH_TARGET)
        self.sign_in_button.clicked.connect(self.submit)
        layout.addWidget(self.sign_in_button)
        self.offline_button = QPushButton(self.tr("Enter offline with the saved session"))
        self.offline_button.setMinimumHeight(TOUCH_TARGET)
        self.offline_button.clicked.connect(self.enter_offline)
        self.offline_button.setVisible(False)
        layout.addWidget(self.offline_button)

        self.demo_box = QFrame()
        demo_layout = QVBoxLayout(self.demo_box)
        demo_layout.setContentsMargins(0, 6, 0, 0)
        demo_layout.setSpacing(6)
        self.demo_title = text_label(self.tr("Demo server — try one of these accounts:"),
                                     "small", wrap=True)
        demo_layout.addWidget(self.demo_title)
        self.demo_grid = QGridLayout()
        self.demo_grid.setSpacing(6)
        demo_layout.addLayout(self.demo_grid)
        self.demo_box.setVisible(False)
        layout.addWidget(self.demo_box)
        self.demo_buttons: list[QPushButton] = []
        self._demo_passwords: dict[str, str] = {}

        (self.password if settings.last_account else self.account).setFocus()
        self.load_demo_accounts()

    # -- demo accounts --------------------------------------------------------------
    def load_demo_accounts(self) -> None:
        """Ask (in the background) which demo accounts the server offers."""
        if self._demo is None:
            return
        url = self.server.text().strip()
        demo = self._demo
        run_in_background(lambda: demo(url), self._demo_loaded, self._demo_failed)

    def _demo_failed(self, _exc: BaseException) -> None:
        self._show_demo([])

    def _demo_loaded(self, accounts: list[dict[str, Any]]) -> None:
        self._show_demo(list(accounts or []))

    def _show_demo(self, accounts: list[dict[str, Any]]) -> None:
        for button in self.demo_buttons:
            self.demo_grid.removeWidget(button)
            button.deleteLater()
        self.demo_buttons = []
        self._demo_passwords = {}
        for i, entry in enumerate(accounts):
            login = str(entry.get("login") or entry.get("account") or "")
            if not login:
                continue
            label = " · ".join(str(x) for x in (entry.get("name"), entry.get("title")) if x)
            button = QPushButton(f"{label}\n{login}" if label else login)
            button.setProperty("kind", "demo")
            button.setMinimumHeight(TOUCH_TARGET)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(login)
            button.clicked.connect(lambda _=False, a=login: self.choose_demo(a))
            if entry.get("password"):
                self._demo_passwords[login] = str(entry["password"])
            self.demo_grid.addWidget(button, i // 2, i % 2)
            self.demo_grid.setColumnStretch(i % 2, 1)
            self.demo_buttons.append(button)
        self.demo_box.setVisible(bool(self.demo_buttons))
        self.demo_loaded.emit()

    def choose_demo(self, login: str) -> None:
        """Fill the form with a demo account (and its password when the server says)."""
        self.account.setText(login)
        self.password.setText(self._demo_passwords.get(login, ""))
        self.password.setFocus()

    # -- sign-in --------------------------------------------------------------------
    def _fields(self) -> tuple[str, str, str] | None:
        url = self.server.text().strip().rstrip("/")
        account = self.account.text().strip()
        password = self.password.text()
        if not url.startswith(("http://", "https://")):
            self.show_error(self.tr("Enter the server address, starting with http:// or "
                                    "https://."))
            return None
        if not account:
            self.show_error(self.tr("Enter your account."))
            return None
        return url, account, password

    def submit(self) -> None:
        """Sign in online with the form's values."""
        if self._busy:
            return
        fields = self._fields()
        if fields is None:
            return
        url, account, password = fields
        if not password:
            self.show_error(self.tr("Enter your password."))
            return
        self._set_busy(True, self.tr("Signing in…"))
        sign_in = self._sign_in
        run_in_background(lambda: sign_in(url, account, password),
                          lambda principal: self._done(url, account, principal, False),
                          lambda exc: self._failed(exc, url, account))

    def enter_offline(self) -> None:
        """Open the cached session of this account without the server."""
        if self._busy or self._resume is None:
            return
        fields = self._fields()
        if fields is None:
            return
        url, account, password = fields
        self._set_busy(True, self.tr("Opening…"))
        resume = self._resume
        run_in_background(lambda: resume(url, account, password or None),
                          lambda principal: self._done(url, account, principal, True),
                          lambda exc: self._failed(exc, url, account, offline_try=True))

    def _done(self, url: str, account: str, principal: dict[str, Any], offline: bool) -> None:
        self._set_busy(False)
        self.error.setVisible(False)
        self.settings.server_url = url
        self.settings.last_account = account
        self.password.clear()
        self.signed_in.emit(principal, offline)

    def _failed(self, exc: BaseException, url: str, account: str,
                offline_try: bool = False) -> None:
        self._set_busy(False)
        text = error_text(exc)
        if isinstance(exc, Offline) and self._resume is not None and not offline_try:
            self.offline_button.setVisible(True)
            text = text + " " + self.tr("If you have signed in on this device before, you "
                                        "can enter offline.")
        self.show_error(text)

    def show_error(self, text: str) -> None:
        """Show ``text`` inline under the form (and announce it)."""
        self.error.setText(text)
        self.error.setVisible(True)
        self.failed.emit(text)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for widget in (self.server, self.account, self.password, self.offline_button):
            widget.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText(text if busy else self.tr("Sign in"))

    def set_compact(self, compact: bool) -> None:
        """Phone width: the card fills the width; wide: a centred 420–440 px card."""
        margin = 20 if compact else 32
        self.card.layout().setContentsMargins(margin, 24, margin, 24)
        self.card.setMinimumWidth(0 if compact else 420)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.set_compact(event.size().width() < 600)
