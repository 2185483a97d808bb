"""The GUI-thread guard (sync/guithread.py): screen code that reaches the local cache on
the GUI thread raises; tests, worker threads and Qt-free code pass."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sync import guithread
from sync.cache import LocalCache

ROOT = Path(guithread.__file__).resolve().parent.parent


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    yield c
    c.close()


def _screen_function(filename: Path, uses_qt: bool) -> Callable[[LocalCache], Any]:
    """A function compiled as if it lived in ``filename`` (a module that imports Qt when
    ``uses_qt``), reading the cache the way a click handler would."""
    from PySide6 import QtWidgets

    namespace: dict[str, Any] = {"__name__": "fake_screen"}
    if uses_qt:
        namespace["QtWidgets"] = QtWidgets
    code = compile("def on_click(cache):\n    return cache.count()\n", str(filename), "exec")
    exec(code, namespace)
    return namespace["on_click"]  # type: ignore[no-any-return]


def test_screen_code_on_the_gui_thread_raises_and_is_recorded(qapp: Any,
                                                               cache: LocalCache) -> None:
    on_click = _screen_function(ROOT / "office_app" / "fake_screen.py", uses_qt=True)
    with pytest.raises(guithread.GuiThreadViolation, match=r"LocalCache\.read .*fake_screen"):
        on_click(cache)
    found = guithread.take_violations()
    assert len(found) == 1 and "office_app/fake_screen.py:2 on_click" in found[0]


def test_tests_workers_and_qt_free_code_pass(qapp: Any, cache: LocalCache) -> None:
    assert cache.count() == 0  # a test on the main thread is not a screen
    pure = _screen_function(ROOT / "modules" / "fake_rules.py", uses_qt=False)
    assert pure(cache) == 0  # pure code called by a test
    screen = _screen_function(ROOT / "office_app" / "fake_screen.py", uses_qt=True)
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(screen(cache)))
    worker.start()
    worker.join()
    assert results == [0]  # off the GUI thread
    assert guithread.take_violations() == []


def test_log_mode_logs_once_per_call_site(qapp: Any, cache: LocalCache,
                                          caplog: pytest.LogCaptureFixture) -> None:
    on_click = _screen_function(ROOT / "office_app" / "fake_log_screen.py", uses_qt=True)
    previous = guithread.enable("log")
    try:
        on_click(cache)
        on_click(cache)
    finally:
        guithread.enable(previous)
    logged = [r for r in caplog.records if r.name == "sync.guithread"]
    assert len(logged) == 1 and "fake_log_screen.py:2" in logged[0].getMessage()
    assert guithread.take_violations() == []


def test_blocking_helpers_of_screen_modules_are_judged_by_their_caller(
        qapp: Any, cache: LocalCache) -> None:
    from PySide6 import QtWidgets

    namespace: dict[str, Any] = {"__name__": "fake_context", "QtWidgets": QtWidgets,
                                 "blocking": guithread.blocking}
    source = ("@blocking\ndef pending(cache):\n    return cache.count()\n"
              "def on_click(cache):\n    return pending(cache)\n")
    exec(compile(source, str(ROOT / "office_app" / "fake_context.py"), "exec"), namespace)
    assert namespace["pending"](cache) == 0  # a test calls the blocking helper itself
    with pytest.raises(guithread.GuiThreadViolation, match=r"fake_context\.py:5 on_click"):
        namespace["on_click"](cache)
    assert len(guithread.take_violations()) == 1
