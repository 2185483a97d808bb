"""Client entry: sign in, then the main window; sign out returns to the sign-in view.

``run_client(argv)`` is what ``python main.py`` calls. It builds the QApplication (fonts,
translators and theme before any widget), shows the login view, and on success builds
an :class:`AppContext` from the signed-in ``sync.session.ClientSession`` and opens the
main window. All blocking calls (sign-in, sign-out, engine stop) run in the background.
Once the workbench has painted with its data, the PDF fonts and the pinyin dictionaries
are warmed on the task runner (:mod:`office_app.warmup`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from modules.common.errors import DomainError
from office_app.app import create_application
from office_app.context import AppContext
from office_app.login import DemoAccounts, LoginView
from office_app.main_window import MainWindow
from office_app.navigation import load_feature_modules
from office_app.settings import AppSettings
from office_app.startprobe import painted_when
from office_app.tasks import run_in_background, wait_for_idle
from office_app.warmup import warm_up
from office_app.workbench import WorkbenchPage

log = logging.getLogger(__name__)

WARM_UP_DELAY_MS = 1_000  # without a workbench page: warm the PDF fonts this long after


class Shell(QObject):
    """Owns the visible top-level window: the login view or the main window.

    When the session wiped a revoked device (``ClientSession.on_device_revoked``, called
    on the wipe thread) the shell returns to the sign-in view with the reason.
    """

    #: (server URL, account) of a wipe after a revocation; queued to the GUI thread.
    device_revoked = Signal(str, str)

    def __init__(self, settings: AppSettings, session: Any,
                 demo_accounts: DemoAccounts | None = None,
                 server_url: str | None = None,
                 before_sign_in: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.session = session
        self.before_sign_in = before_sign_in
        self.demo_accounts = demo_accounts
        self.server_url = server_url
        self.login: LoginView | None = None
        self.window: MainWindow | None = None
        self.context: AppContext | None = None
        self.device_revoked.connect(self._device_wiped)
        if hasattr(session, "on_device_revoked"):
            session.on_device_revoked = self.device_revoked.emit

    def show_login(self) -> LoginView:
        """Show the sign-in view (building a fresh one)."""
        session = self.session
        self.login = LoginView(self.settings, self._sign_in, session.resume_offline,
                               self.demo_accounts, server_url=self.server_url)
        self.login.signed_in.connect(self._signed_in)
        self.login.resize(960, 720)
        self.login.show()
        painted_when(self.login, self.login.demo_loaded if self.demo_accounts else None, "signin")
        return self.login

    def _sign_in(self, server_url: str, account: str, password: str) -> dict[str, Any]:
        """Sign in online (blocking, on the task runner), once the server is up."""
        if self.before_sign_in is not None:
            self.before_sign_in()
        principal: dict[str, Any] = self.session.login(server_url, account, password)
        return principal

    def _signed_in(self, principal: dict[str, Any], offline: bool) -> None:
        self.context = AppContext.from_session(self.settings, self.session, principal,
                                               offline=offline)
        self.context.set_language(self.settings.language)
        self.context.attach()
        self.context.logout_requested.connect(self.sign_out)
        self.context.sign_out_requested.connect(self.sign_out)
        self.window = MainWindow(self.context)
        self.window.show()
        workbench = self.window.page_widget("workbench")
        if isinstance(workbench, WorkbenchPage):
            painted_when(self.window, workbench.loaded, "window")
            painted_when(self.window, workbench.loaded, "main",
                         lambda: workbench.model.rowCount() > 0)
            # PDF fonts and pinyin once the first screen is up (queued after its paint)
            workbench.loaded.connect(lambda: QTimer.singleShot(0, warm_up))
        else:
            QTimer.singleShot(WARM_UP_DELAY_MS, warm_up)
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None

    def sign_out(self, forget: bool = False) -> None:
        """Stop syncing, revoke the token (when reachable) and return to sign-in;
        ``forget``: also delete this device's data of the account (cache, queue, files,
        data key).

        The sign-in view is shown first (so the application never has no window) and
        stays busy until the session has been closed in the background.
        """
        session = self.session

        def work() -> None:
            try:
                if forget:
                    session.logout(forget_local_data=True)
                else:
                    session.logout()
            except DomainError as exc:  # offline: the token just expires
                log.info("sign-out could not reach the server: %s", exc.code)

        login = self._back_to_login()
        login.set_busy(True, QCoreApplication.translate("LoginView", "Signing out…"))
        run_in_background(work, lambda _r: login.set_busy(False),
                          lambda _e: login.set_busy(False), owner=login)

    def _back_to_login(self) -> LoginView:
        """Close the main window (if any) behind a fresh sign-in view."""
        if self.context is not None:
            self.context.detach()
        login = self.show_login()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.context = None
        return login

    def _device_wiped(self, _server_url: str, _account: str) -> None:
        """The server revoked this device and the session wiped it: back to sign-in,
        saying why (the session is already closed)."""
        if self.window is None and self.login is not None:
            login = self.login
        else:
            login = self._back_to_login()
        login.show_error(QCoreApplication.translate(
            "LoginView", "This device was removed from your account (by you or by the security "
            "administrator); its local data has been wiped. Sign in again to continue."))

    def shutdown(self) -> None:
        """Close the session at exit (blocking is fine: the GUI is gone)."""
        if self.context is not None:
            self.context.detach()
        wait_for_idle(5_000)
        close = getattr(self.session, "close", None)
        if callable(close):
            try:
                close()
            except Exception:
                log.exception("closing the session failed")
        self.settings.sync()


def run_client(argv: Sequence[str], *, demo_accounts: DemoAccounts | None = None,
               session: Any = None, server_url: str | None = None,
               before_sign_in: Callable[[], None] | None = None,
               on_ready: Callable[[], object] | None = None) -> int:
    """Run the desktop client until its last window closes; returns the exit code.

    ``demo_accounts(server_url)`` lists demo accounts for the login view (the embedded
    demo server); ``session`` defaults to a ``sync.session.ClientSession``;
    ``server_url`` (the embedded server's address or ``--server-url``) is the address
    the sign-in view offers, over the saved one. ``before_sign_in()`` runs (on the task
    runner) before every online sign-in — the embedded server's start is awaited there —
    and ``on_ready()`` once the sign-in view is shown (and every client module loaded).
    """
    app, settings = create_application(list(argv))
    # Feature services register cache projections: import them before any cache opens.
    load_feature_modules()
    if session is None:
        from sync.session import ClientSession

        session = ClientSession(lang=settings.language)
    shell = Shell(settings, session, demo_accounts, server_url, before_sign_in)
    shell.show_login()
    if on_ready is not None:
        on_ready()
    code = app.exec()
    shell.shutdown()
    return int(code)


__all__ = ["Shell", "run_client"]
