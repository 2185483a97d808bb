"""Sign-in view (登录): server address, account, password; remembers the account.

The view never blocks: sign-in runs in the background (:class:`office_app.kit.PageWork`). Errors are shown
inline in words (账号或密码错误 / 无法连接服务器 …), never as a modal or a traceback.
When the server cannot be reached and this device has signed in before, "enter offline"
(离线进入) opens the cached session. When the server is the embedded demo, the demo
accounts are listed (from the ``demo_accounts`` callable) and fill the form on click.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from modules.common.errors import Offline
from office_app import theme
from office_app.kit import FIRST_FREE_ROLE, ID_ROLE, PageWork, RowListModel, error_text, list_view
from office_app.settings import AppSettings
from office_app.widgets import primary_button, scaled_font, scrolled_body, set_touch, text_label

log = logging.getLogger(__name__)

SignIn = Callable[[str, str, str], dict[str, Any]]
ResumeOffline = Callable[[str, str, str | None], dict[str, Any]]
DemoAccounts = Callable[[str], list[dict[str, Any]]]


def _field(entry: Any, *names: str) -> str:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value:
            return str(value)
    return ""


class DemoAccountsModel(RowListModel[dict[str, str]]):
    """Demo sign-ins: dicts or objects with login, name, title/description, password.

    Each row is ``{id: login, name, description, password}``."""

    LoginRole = ID_ROLE
    DescriptionRole = FIRST_FREE_ROLE

    def set_accounts(self, accounts: list[Any]) -> None:
        rows = []
        for entry in accounts or []:
            login = _field(entry, "login", "account")
            if login:
                rows.append({"id": login, "name": _field(entry, "name"),
                             "description": _field(entry, "title", "description"),
                             "password": _field(entry, "password")})
        self.set_rows(rows)

    def password_of(self, login: str) -> str:
        row = self.row_at(self.row_of(login))
        return row["password"] if row else ""

    def value(self, row: dict[str, str], role: int) -> Any:
        login, name, description = row["id"], row["name"], row["description"]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{name}  {login}" if name else login
        if role == Qt.ItemDataRole.ToolTipRole:
            return description or login
        if role == self.DescriptionRole:
            return description
        return super().value(row, role)


class DemoAccountDelegate(QStyledItemDelegate):
    """"江海峰  jianghaifeng" over the account's posts, elided; touch-sized rows."""

    ROW_HEIGHT = 50

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(160, option.rect.width()), self.ROW_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        c = theme.colors()
        painter.save()
        rect = option.rect.adjusted(2, 1, -2, -1)
        if option.state & (QStyle.StateFlag.State_MouseOver | QStyle.StateFlag.State_Selected):
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(c["hover"]))
            painter.drawRoundedRect(rect, 6, 6)
        x, width = rect.left() + 10, rect.width() - 20
        name_font = scaled_font(option.font, 1.0, bold=True)
        small = scaled_font(option.font, 0.86)
        fm, sfm = QFontMetrics(name_font), QFontMetrics(small)
        painter.setFont(name_font)
        painter.setPen(QColor(c["text"]))
        painter.drawText(QRect(x, rect.top() + 5, width, fm.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         fm.elidedText(str(index.data() or ""), Qt.TextElideMode.ElideRight,
                                       width))
        painter.setFont(small)
        painter.setPen(QColor(c["muted"]))
        text = str(index.data(DemoAccountsModel.DescriptionRole) or "")
        painter.drawText(QRect(x, rect.bottom() - 5 - sfm.height(), width, sfm.height()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         sfm.elidedText(text, Qt.TextElideMode.ElideRight, width))
        painter.restore()


class LoginView(QWidget):
    """Emits ``signed_in(principal: dict, offline: bool)`` after a successful sign-in.

    ``sign_in(server_url, account, password)`` and ``resume_offline(server_url, account,
    password or None)`` block (network/disk) and run in the background;
    ``demo_accounts(server_url)`` returns ``[{login, name, title?, password?}]`` (or
    objects with those attributes, e.g. ``modules.directory.demo.DemoAccount``; a
    ``description`` stands in for ``title``), or [] when the server is not a demo.
    ``server_url`` is the server of this run (the embedded demo server or
    ``--server-url``): when given it is shown instead of the saved address.
    ``keyring_usable()`` (default :func:`sync.vault.keyring_usable`, run in the
    background) says whether the OS keyring can keep the local data key; when it
    cannot, a notice says the key is derived from the password instead.
    """

    signed_in = Signal(object, bool)
    demo_loaded = Signal()
    failed = Signal(str)

    def __init__(self, settings: AppSettings, sign_in: SignIn,
                 resume_offline: ResumeOffline | None = None,
                 demo_accounts: DemoAccounts | None = None,
                 parent: QWidget | None = None, *, server_url: str | None = None,
                 keyring_usable: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.settings = settings
        self._sign_in = sign_in
        self._resume = resume_offline
        self._demo = demo_accounts
        self._busy = False
        self.setWindowTitle(self.tr("Office collaboration — sign in"))

        self.work = PageWork(self, self.show_error)
        host = scrolled_body(self, "LoginView")
        outer = QGridLayout(host)
        self._grid = outer
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
        self._card_layout = layout
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
        self.server = QLineEdit((server_url or "").strip().rstrip("/") or settings.server_url)
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

        self.keyring_notice = text_label(
            self.tr("This computer has no usable system keyring: the key that encrypts "
                    "your local data will be derived from your password, so opening "
                    "offline will need it too."), "small", wrap=True)
        self.keyring_notice.setObjectName("KeyringNotice")
        self.keyring_notice.setAccessibleName(self.tr("Local data encryption"))
        self.keyring_notice.setVisible(False)
        layout.addWidget(self.keyring_notice)

        self.error = text_label("", "error", wrap=True)
        self.error.setVisible(False)
        self.error.setAccessibleName(self.tr("Sign-in problem"))
        layout.addWidget(self.error)

        self.sign_in_button = primary_button(self.tr("Sign in"))
        self.sign_in_button.clicked.connect(self.submit)
        layout.addWidget(self.sign_in_button)
        self.offline_button = QPushButton(self.tr("Enter offline with the saved session"))
        self.offline_button.clicked.connect(self.enter_offline)
        self.offline_button.setVisible(False)
        layout.addWidget(self.offline_button)

        self.demo_box = QFrame()
        demo_layout = QVBoxLayout(self.demo_box)
        demo_layout.setContentsMargins(0, 6, 0, 0)
        demo_layout.setSpacing(6)
        self.demo_title = text_label(self.tr("Demo server — choose an account to try:"),
                                     "small", wrap=True)
        demo_layout.addWidget(self.demo_title)
        self.demo_model = DemoAccountsModel(self)
        self.demo_list = list_view(self.demo_model, DemoAccountDelegate, name="DemoAccounts",
                                   on_pick=self._demo_clicked, uniform=True, per_pixel=True)
        self.demo_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.demo_list.setAccessibleName(self.tr("Demo accounts"))
        demo_layout.addWidget(self.demo_list)
        self.demo_box.setVisible(False)
        layout.addWidget(self.demo_box)

        (self.password if settings.last_account else self.account).setFocus()
        self.load_demo_accounts()
        if keyring_usable is None:
            from sync.vault import keyring_usable as check
        else:
            check = keyring_usable
        self.work.run(check, self._keyring_checked, lambda _exc: self._keyring_checked(False),
                      latest="keyring")

    def _keyring_checked(self, usable: bool) -> None:
        self.keyring_notice.setVisible(not usable)

    # -- demo accounts --------------------------------------------------------------
    def load_demo_accounts(self) -> None:
        """Ask (in the background) which demo accounts the server offers."""
        if self._demo is None:
            return
        url = self.server.text().strip()
        demo = self._demo
        self.work.run(lambda: demo(url), self._demo_loaded, self._demo_failed, latest="demo")

    def _demo_failed(self, _exc: BaseException) -> None:
        self._show_demo([])

    def _demo_loaded(self, accounts: list[dict[str, Any]]) -> None:
        self._show_demo(list(accounts or []))

    def _show_demo(self, accounts: list[Any]) -> None:
        self.demo_model.set_accounts(accounts)
        rows = self.demo_model.rowCount()
        passwords = {row["password"] for row in self.demo_model.rows()}
        shared = next(iter(passwords)) if len(passwords) == 1 else ""
        self.demo_title.setText(
            self.tr("Demo server — choose an account to try (password %1):").replace("%1", shared)
            if shared else self.tr("Demo server — choose an account to try:"))
        # Whole rows when few; four and a half when more, so the list looks scrollable.
        shown = rows if rows <= 4 else 4.5
        frame = 2 * self.demo_list.frameWidth() + 4
        self.demo_list.setFixedHeight(int(shown * DemoAccountDelegate.ROW_HEIGHT) + frame)
        self.demo_box.setVisible(rows > 0)
        self.demo_loaded.emit()

    def _demo_clicked(self, index: QModelIndex) -> None:
        login = index.data(DemoAccountsModel.LoginRole)
        if login:
            self.choose_demo(str(login))

    def choose_demo(self, login: str) -> None:
        """Fill the form with a demo account (and its password when one is given)."""
        self.account.setText(login)
        self.password.setText(self.demo_model.password_of(login))
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
        self.work.run(lambda: sign_in(url, account, password),
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
        self.work.run(lambda: resume(url, account, password or None),
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

    def set_busy(self, busy: bool, text: str = "") -> None:
        """Disable the form while something runs; ``text`` replaces the button label."""
        self._set_busy(busy, text)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        for widget in (self.server, self.account, self.password, self.offline_button):
            widget.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText(text if busy else self.tr("Sign in"))

    def set_compact(self, compact: bool) -> None:
        """Phone width: the card fills the width; wide: a centred 420–440 px card."""
        margin = 20 if compact else 32
        self._card_layout.setContentsMargins(margin, 24, margin, 24)
        self.card.setMinimumWidth(0 if compact else 420)
        set_touch(compact, self.server, self.account, self.password, self.sign_in_button,
                  self.offline_button)
        self._grid.setContentsMargins(*((10, 12, 10, 12) if compact else (16, 24, 16, 24)))
        for column in (0, 2):
            self._grid.setColumnStretch(column, 0 if compact else 1)
        self.card.setSizePolicy(
            QSizePolicy.Policy.Expanding if compact else QSizePolicy.Policy.Preferred,
            QSizePolicy.Policy.Maximum)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.set_compact(event.size().width() < 600)
