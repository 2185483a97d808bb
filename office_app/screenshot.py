"""Render the main screens to PNG files offscreen (for review and documentation).

``render_screens(out_dir, context)`` draws the login view, the workbench, every module
page, the address book (list and a person's detail), settings, the 更多 page and the
status popup at 1440×900 and 390×844, by grabbing widgets. It takes an already-built
:class:`AppContext`, so it works with a real signed-in client (``python main.py
screenshot``) or a fake context in tests. Run with QT_QPA_PLATFORM=offscreen on a server.

With a real client, call ``office_app.navigation.load_feature_modules()`` before the
``ClientSession`` opens its cache (feature services register the cache's search tables).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from office_app import navigation, tasks, theme
from office_app.context import AppContext
from office_app.login import DemoAccounts, LoginView
from office_app.main_window import MORE, MainWindow
from office_app.settings import AppSettings

log = logging.getLogger(__name__)

SIZES: tuple[tuple[int, int], ...] = ((1440, 900), (390, 844))


def settle(rounds: int = 6) -> None:
    """Let background tasks finish and their results reach the widgets."""
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        tasks.wait_for_idle(10_000)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _save(widget: QWidget, path: Path) -> Path:
    settle()
    pixmap = widget.grab()
    if not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def render_screens(out_dir: Path | str, context: AppContext, *,
                   sizes: Iterable[tuple[int, int]] = SIZES,
                   demo_accounts: DemoAccounts | None = None,
                   dark: bool = False) -> list[Path]:
    """Write PNGs of the main screens into ``out_dir``; returns the files written.

    File names: ``<width>x<height>-<screen>.png``; with ``dark`` also a dark-theme set
    (``-dark`` suffix) at the first size. GUI thread; needs a QApplication.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("render_screens needs a QApplication")
    written: list[Path] = []
    sizes = list(sizes)
    for width, height in sizes:
        written += _render_at(out, context, width, height, demo_accounts, "")
    if dark:
        previous = context.settings.theme
        theme.apply_theme(app, "dark")  # type: ignore[arg-type]
        try:
            written += _render_at(out, context, *sizes[0], demo_accounts, "-dark")
        finally:
            theme.apply_theme(app, previous)  # type: ignore[arg-type]
    return written


def render_signed_in(out_dir: Path | str, server_url: str, account: str, password: str, *,
                     data_dir: Path, settings: AppSettings | None = None,
                     demo_accounts: DemoAccounts | None = None, dark: bool = False,
                     sizes: Iterable[tuple[int, int]] = SIZES) -> list[Path]:
    """Sign in to ``server_url`` as ``account`` with a fresh client under ``data_dir``,
    wait for the first sync, and render the screens (for ``main.py screenshot``).

    Needs a QApplication set up by ``office_app.app.create_application``. The caller
    waits while signing in and syncing (a batch tool, not a screen), but that work runs
    on the task runner (``tasks.call_and_wait``). Raises the sign-in's DomainError (e.g.
    AuthenticationFailed) on failure.
    """
    from sync.session import ClientSession

    navigation.load_modules()  # projections must exist before the cache opens
    settings = settings or AppSettings.at_path(Path(data_dir) / "settings.ini")
    settings.server_url = server_url
    settings.last_account = account
    session = ClientSession(Path(data_dir), lang=settings.language)
    try:
        principal = tasks.call_and_wait(lambda: session.login(server_url, account, password))
        context = AppContext.from_session(settings, session, principal)
        context.attach()
        wait_idle = getattr(session.engine, "wait_idle", None)
        if callable(wait_idle):
            tasks.call_and_wait(lambda: wait_idle(60))
        settle()
        return render_screens(out_dir, context, sizes=sizes, demo_accounts=demo_accounts,
                              dark=dark)
    finally:
        tasks.wait_for_idle()
        settle(2)
        session.close()


def _render_at(out: Path, context: AppContext, width: int, height: int,
               demo_accounts: DemoAccounts | None, suffix: str) -> list[Path]:
    prefix = f"{width}x{height}"
    written: list[Path] = []

    def no_sign_in(_url: str, _account: str, _password: str) -> dict[str, object]:
        raise RuntimeError("screenshots do not sign in")

    login = LoginView(context.settings, no_sign_in, None, demo_accounts)
    login.resize(width, height)
    login.set_compact(width < 900)
    login.show()
    written.append(_save(login, out / f"{prefix}-login{suffix}.png"))
    login.close()
    login.deleteLater()

    window = MainWindow(context)
    window.resize(width, height)
    window.show()
    settle()
    for spec in navigation.pages_for(context):
        window.navigate(spec.key)
        written.append(_save(window, out / f"{prefix}-{spec.key}{suffix}.png"))
        if spec.key == "directory":
            written += _directory_detail(window, out, prefix, suffix)
        written += _page_states(window, spec.key, out, prefix, suffix)
    if window.compact:
        window.navigate(MORE)
        written.append(_save(window, out / f"{prefix}-more{suffix}.png"))
    written.append(_status_popup(window, context, out / f"{prefix}-status-popup{suffix}.png"))
    window.close()
    window.deleteLater()
    settle(2)
    return written


def _page_states(window: MainWindow, key: str, out: Path, prefix: str, suffix: str) -> list[Path]:
    """The further screens a page offers through ``screenshot_states()``: (name, show)
    pairs, where ``show()`` puts the page in that state and returns the dialog it opened
    (sized to the window at phone width) or None to grab the window."""
    page = window.page_widget(key)
    states = getattr(page, "screenshot_states", None)
    if not callable(states):
        return []
    shots: list[Path] = []
    for name, show in states():
        window.navigate(key)
        settle()
        dialog = show()
        settle()
        target: QWidget = window
        if isinstance(dialog, QWidget):
            if window.compact:
                dialog.resize(window.size())
            dialog.show()
            target = dialog
        try:
            shots.append(_save(target, out / f"{prefix}-{key}-{name}{suffix}.png"))
        except Exception:
            log.exception("screenshot of %s/%s failed", key, name)
        if target is not window:
            target.close()
            target.deleteLater()
        if window.compact and _can_go_back(page):
            window.go_back()
    settle()
    return shots


def _can_go_back(page: QWidget | None) -> bool:
    can = getattr(page, "can_go_back", None)
    return bool(can()) if callable(can) else False


def _status_popup(window: MainWindow, context: AppContext, path: Path) -> Path:
    """The window with the status popup drawn where it opens (popups are separate
    windows, so the two grabs are composed)."""
    compact = window.compact
    window.navigate("workbench")
    owner = window.status_chip if compact else window.status_button
    popup = owner.popup()
    popup.set_status(context.bus.last_status)
    if getattr(context.bus.last_status, "pending", 0):
        popup.set_pending_items(tasks.call_and_wait(context.pending_items))
    if compact:
        popup.setFixedWidth(min(440, window.width() - 16))
    popup.ensurePolished()
    popup.adjustSize()
    settle()
    base = window.grab()
    shot = popup.grab()
    width, height = popup.width(), popup.height()
    if compact:
        x = (window.width() - width) // 2
        y = window.top_bar.height() + 6
    else:
        x = window.width() - width - 12
        y = window.height() - window.statusBar().height() - height - 6
    painter = QPainter(base)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for spread, alpha in ((6, 18), (3, 28)):
        painter.setBrush(QColor(0, 0, 0, alpha))
        painter.drawRoundedRect(QRectF(x - spread, y - spread + 2, width + 2 * spread,
                                       height + 2 * spread), 14, 14)
    painter.drawPixmap(QPoint(x, y), shot)
    painter.end()
    if not base.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path


def _directory_detail(window: MainWindow, out: Path, prefix: str, suffix: str) -> list[Path]:
    page = window.page_widget("directory")
    people = getattr(page, "people_model", None)
    if page is None or people is None or not people.rowCount():
        return []
    first = people.rows()[0]
    person_id = first.get("id")
    if not person_id:
        return []
    page.show_person(str(person_id))  # type: ignore[attr-defined]
    shots = [_save(window, out / f"{prefix}-directory-person{suffix}.png")]
    if window.compact:
        window.go_back()
        window.go_back()
    query = str(first.get("initials") or "")
    if not query:
        from modules.directory.pinyin import initials

        query = initials(str(first.get("name", "")))
    search = getattr(page, "search", None)
    if query and callable(search):
        search(query)
        shots.append(_save(window, out / f"{prefix}-directory-search{suffix}.png"))
        search("")
        settle()
    return shots
