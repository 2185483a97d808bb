"""Client entry: sign in, then the main window; sign out returns to the sign-in view.

``run_client(argv)`` is what ``python main.py`` calls. It builds the QApplication (fonts,
translators and theme before any widget), shows the login view, and on success builds
an :class:`AppContext` from the signed-in ``sync.session.ClientSession`` and opens the
main window. All blocking calls (sign-in, sign-out, engine stop) run in the background.
Once the workbench has painted with its data, the PDF fonts and the pinyin dictionaries
are warmed on the task runner (:mod:`office_app.warmup`).

**Resumed start** (:meth:`Shell.start`): when the last account on this device stayed
signed in (``session/stay_signed_in``, cleared by signing out), the device is not a
shared computer (公用电脑) and the session can open the cache without a password
(``ClientSession.resume``: refresh token and data key in the keyring), the main window
opens straight from the cache — no sign-in view. The cache opens on the task runner;
the feature services, the network modules and the engine follow once the workbench has
painted with its data (``ClientSession.start_sync``). If the server then refuses the
sign-in (expired, signed out elsewhere) the sign-in view comes back saying so; a
revoked device is wiped and says so. Anything that stops the resume shows the sign-in
view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from modules.common.errors import DomainError
from office_app import navigation
from office_app.app import create_application
from office_app.settings import AppSettings
from office_app.startprobe import painted_when
from office_app.tasks import run_in_background, wait_for_idle
from office_app.warmup import warm_up

if TYPE_CHECKING:
    # Imported when first shown: a resumed start opens its cache meanwhile.
    from office_app.context import AppContext
    from office_app.login import DemoAccounts, LoginView
    from office_app.main_window import MainWindow

log = logging.getLogger(__name__)

WARM_UP_DELAY_MS = 1_000  # without a workbench page: warm the PDF fonts this long after


class Shell(QObject):
    """Owns the visible top-level window: the login view or the main window.

    When the session wiped a revoked device (``ClientSession.on_device_revoked``, called
    on the wipe thread) the shell returns to the sign-in view with the reason.
    """

    #: (server URL, account) of a wipe after a revocation; queued to the GUI thread.
    device_revoked = Signal(str, str)
    #: (server URL, account) whose sign-in the server ended; queued to the GUI thread.
    sign_in_ended = Signal(str, str)

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
        #: Called once: after the sign-in view shows, or after a resumed start painted.
        self.on_ready: Callable[[], object] | None = None
        self.device_revoked.connect(self._device_wiped)
        self.sign_in_ended.connect(self._sign_in_ended)
        if hasattr(session, "on_device_revoked"):
            session.on_device_revoked = self.device_revoked.emit
        if hasattr(session, "on_sign_in_ended"):
            session.on_sign_in_ended = lambda url, account, _err: self.sign_in_ended.emit(
                url, account)

    # -- start ----------------------------------------------------------------------
    def start(self) -> None:
        """Open straight into the last account when it stayed signed in on this
        device (:meth:`resume_target`), else show the sign-in view."""
        target = self.resume_target()
        if target is None:
            # The view shows first; the services (the intents' models, the cache's
            # projections) load on the task runner while the person types, and signing
            # in waits for them before any cache opens (:meth:`_sign_in`).
            navigation.defer_services()
            navigation.load_modules()
            self.show_login()
            run_in_background(_load_services, None, _services_failed, owner=self)
            self._ready()
        else:
            self.resume(*target)

    def resume_target(self) -> tuple[str, str] | None:
        """(server URL, account) to open without a password, or None: only the last
        account, only if it did not sign out, never on a shared computer (公用电脑), and
        only for the server of this run. Settings only; the keyring and the cache are
        checked by the session, in the background."""
        settings = self.settings
        if (settings.shared_computer or not settings.stay_signed_in
                or not settings.last_account or not hasattr(self.session, "resume")):
            return None
        url = settings.server_url
        if self.server_url and self.server_url.strip().rstrip("/") != url:
            return None
        return url, settings.last_account

    def resume(self, server_url: str, account: str) -> None:
        """Open the cache in the background, then the main window (see the module)."""
        session = self.session
        run_in_background(lambda: session.resume(server_url, account),
                          lambda principal: self._resumed(principal),
                          self._resume_failed, owner=self)
        # While the cache opens: the pages (services after the first paint), the window.
        navigation.defer_services()
        navigation.load_modules()
        QTimer.singleShot(0, _import_main_window)

    def _resumed(self, principal: dict[str, Any]) -> None:
        self._signed_in(principal, False, resumed=True)

    def _resume_failed(self, exc: BaseException) -> None:
        """The cache cannot be opened without a password (or at all): sign in."""
        if isinstance(exc, DomainError):
            log.info("no resumed start: %s", exc.code)
        else:
            log.error("the resumed start failed", exc_info=exc)
        self.settings.stay_signed_in = False
        navigation.load_feature_services()
        login = self.show_login()
        if not isinstance(exc, DomainError):
            from office_app.kit import error_text

            login.show_error(error_text(exc))
        self._ready()

    def _start_sync(self) -> None:
        """After a resumed start painted: feature services, then the engine (which
        refreshes the sign-in), all on the task runner; then attach the context."""
        session, context = self.session, self.context

        def work() -> Any:
            navigation.load_feature_services()
            if self.before_sign_in is not None:
                self.before_sign_in()  # the embedded server is up
            return session.start_sync()

        def done(engine: Any) -> None:
            if engine is not None and self.context is context and context is not None:
                context.set_engine(engine)

        def failed(exc: BaseException) -> None:
            log.error("the sync engine of the resumed session did not start", exc_info=exc)

        run_in_background(work, done, failed, owner=self)
        self._ready()

    def _ready(self) -> None:
        on_ready, self.on_ready = self.on_ready, None
        if on_ready is not None:
            on_ready()

    def show_login(self) -> LoginView:
        """Show the sign-in view (building a fresh one)."""
        from office_app.login import LoginView

        self.login = LoginView(self.settings, self._sign_in, self._resume_offline,
                               self.demo_accounts, server_url=self.server_url)
        self.login.signed_in.connect(self._signed_in)
        self.login.resize(960, 720)
        self.login.show()
        painted_when(self.login, self.login.demo_loaded if self.demo_accounts else None, "signin")
        return self.login

    def _sign_in(self, server_url: str, account: str, password: str) -> dict[str, Any]:
        """Sign in online (blocking, on the task runner), once the server is up.

        The password's argon2 work (``ClientSession.prepare_sign_in``: the data key
        where the password derives it, the offline verifier) begins before the wait for
        the (embedded) server, on a thread of its own; the session uses it only once
        the server accepted the password and drops it otherwise."""
        _load_services()  # first: its imports have the client's core to themselves
        ahead = self._prepare_sign_in(server_url, account, password)
        try:
            if self.before_sign_in is not None:
                self.before_sign_in()
        except BaseException:
            if ahead is not None:
                ahead.discard()
            raise
        if ahead is None:
            principal: dict[str, Any] = self.session.login(server_url, account, password)
        else:
            principal = self.session.login(server_url, account, password, ahead=ahead)
        return principal

    def _prepare_sign_in(self, server_url: str, account: str, password: str) -> Any:
        """The session's head start on a sign-in, or None (a session without one, or it
        could not begin: the sign-in then does the work itself)."""
        prepare = getattr(self.session, "prepare_sign_in", None)
        if not callable(prepare):
            return None
        try:
            return prepare(server_url, account, password)
        except Exception:
            log.debug("the sign-in's argon2 could not begin ahead", exc_info=True)
            return None

    def _resume_offline(self, server_url: str, account: str,
                        password: str | None) -> dict[str, Any]:
        """Open the cached profile without the server (task runner), services first."""
        _load_services()
        principal: dict[str, Any] = self.session.resume_offline(server_url, account, password)
        return principal

    def _signed_in(self, principal: dict[str, Any], offline: bool,
                   resumed: bool = False) -> None:
        from office_app.context import AppContext
        from office_app.main_window import MainWindow
        from office_app.workbench import WorkbenchPage

        if not resumed:
            self.settings.stay_signed_in = True  # until signing out
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
            if resumed:
                _once(workbench.loaded, lambda: QTimer.singleShot(0, self._start_sync))
        else:
            QTimer.singleShot(WARM_UP_DELAY_MS, warm_up)
            if resumed:
                QTimer.singleShot(0, self._start_sync)
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
        self.settings.stay_signed_in = False  # the next start asks for the password

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
        self.settings.stay_signed_in = False
        if self.window is None and self.login is not None:
            login = self.login
        else:
            login = self._back_to_login()
        login.show_error(QCoreApplication.translate(
            "LoginView", "This device was removed from your account (by you or by the security "
            "administrator); its local data has been wiped. Sign in again to continue."))

    def _sign_in_ended(self, _server_url: str, _account: str) -> None:
        """The server refused the sign-in (expired, signed out on another device, a
        new password): close the session in the background, back to sign-in, saying
        why. The local data stays for the next sign-in."""
        self.settings.stay_signed_in = False
        if self.window is None:
            return
        session = self.session
        login = self._back_to_login()
        login.show_error(QCoreApplication.translate(
            "LoginView", "Your sign-in on this device has ended (it expired, or you signed "
            "out on another device). Sign in again to continue; your local data is kept."))
        login.set_busy(True, QCoreApplication.translate("LoginView", "Signing out…"))
        close = getattr(session, "close", None)
        run_in_background(close if callable(close) else (lambda: None),
                          lambda _r: login.set_busy(False),
                          lambda _e: login.set_busy(False), owner=login)

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


def _preimport() -> None:
    """Import the local cache's modules (SQLAlchemy, SQLCipher) and the keyring on a
    thread of their own while the GUI thread sets Qt up: every start opens a cache
    soon after (imports only — no file of the account is touched here)."""
    import threading

    def work() -> None:
        try:
            import keyring.core  # noqa: F401

            import sync.cache  # noqa: F401
        except Exception:  # the real import, later, reports it
            log.debug("pre-import failed", exc_info=True)

    threading.Thread(target=work, name="preimport", daemon=True).start()


def _import_main_window() -> None:
    import office_app.main_window
    import office_app.workbench  # noqa: F401


def _once(signal: Any, slot: Callable[[], object]) -> None:
    """Connect ``slot`` to ``signal`` for its next emission only."""

    def fire(*_args: Any) -> None:
        signal.disconnect(fire)
        slot()

    signal.connect(fire)


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
    and ``on_ready()`` once the sign-in view is shown (and every client module loaded),
    or once a resumed start has painted the main window (:meth:`Shell.start`).
    """
    _preimport()
    app, settings = create_application(list(argv))
    if session is None:
        from sync.session import ClientSession

        session = ClientSession(lang=settings.language)
    shell = Shell(settings, session, demo_accounts, server_url, before_sign_in)
    shell.on_ready = on_ready
    shell.start()
    code = app.exec()
    shell.shutdown()
    return int(code)


__all__ = ["Shell", "run_client"]


def _load_services() -> None:
    """Import the feature services a deferred start left (any thread; idempotent: a
    second caller waits on the imports in progress)."""
    navigation.load_feature_services()


def _services_failed(exc: BaseException) -> None:
    log.error("the feature services did not load", exc_info=exc)
