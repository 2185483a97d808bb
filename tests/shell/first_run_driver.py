"""Runs ``main.py`` with no arguments (as run.sh does) and drives its window like a
newcomer: see the sign-in view at once while the demo server prepares, click the first
demo account, click 登录 (which waits for the server), wait for
the main window and its synced address book, close. Prints one JSON line of what it saw.

Started by tests/shell/test_first_run.py in a fresh process (fresh home, offscreen).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


class ErrorLog(logging.Handler):
    """Collects ERROR records (anything alarming a user would see on the terminal)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


def wait_until(check: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(getattr(check, "__name__", "condition"))
        # QTest.qWait sleeps holding the GIL, which starves the embedded server's thread
        # (about a tenth of its speed); a Python sleep lets it run as in the real app.
        QApplication.processEvents()
        time.sleep(0.05)


def visible(kind: type) -> object | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.isVisible()), None)


def _server_up(login: object) -> bool:
    """Whether the embedded server already answered when the sign-in view appeared."""
    import httpx

    url = getattr(getattr(login, "server", None), "text", lambda: "")()
    try:
        return httpx.get(f"{url}/api/v1/health", timeout=0.5).status_code == 200
    except httpx.HTTPError:
        return False


def main() -> int:
    import main as entry
    from modules.directory.service import PERSON
    from office_app.login import LoginView
    from office_app.main_window import MainWindow

    errors = ErrorLog()
    logging.getLogger().addHandler(errors)
    seen: dict[str, object] = {}

    def drive() -> None:
        try:
            login = visible(LoginView)
            assert isinstance(login, LoginView)
            seen["server"] = login.server.text()
            wait_until(lambda: login.demo_model.rowCount() > 0, 60)
            first = login.demo_model.index(0)
            seen["account"] = first.data(login.demo_model.LoginRole)
            QTest.mouseClick(login.demo_list.viewport(), Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier,
                             login.demo_list.visualRect(first).center())
            failed: list[str] = []
            login.failed.connect(failed.append)
            QTest.mouseClick(login.sign_in_button, Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, QPoint(10, 10))
            # the first sign-in waits for the server to migrate and seed the demo
            wait_until(lambda: visible(MainWindow) is not None or bool(failed), 300)
            seen["error"] = " ".join(failed)
            window = visible(MainWindow)
            if isinstance(window, MainWindow):
                seen["principal"] = window.context.principal.get("login")
                cache = window.context.cache
                wait_until(lambda: len(cache.list(PERSON)) > 0, 90)
                seen["people"] = len(cache.list(PERSON))
        except Exception as exc:
            seen["failure"] = repr(exc)
        finally:
            for widget in QApplication.topLevelWidgets():
                widget.close()

    from office_app.app import configure_high_dpi

    configure_high_dpi()
    QApplication(sys.argv[:1])  # main.py's create_application adopts it
    # Poll without blocking: main.py runs its own event loop while the server starts.
    poll = QTimer()
    poll.setInterval(100)
    started = time.monotonic()

    def look() -> None:
        if visible(LoginView) is not None:
            seen["starting_window"] = True
            seen["first_window_s"] = round(time.monotonic() - started, 2)
            seen["server_up_then"] = _server_up(visible(LoginView))
            poll.stop()
            drive()

    poll.timeout.connect(look)
    poll.start()
    seen["exit_code"] = entry.main([])
    seen["errors"] = errors.messages
    print("RESULT " + json.dumps(seen, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
