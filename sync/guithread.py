"""The GUI-thread guard: the local cache, the API client and the blob store refuse to be
called from screen code on the GUI thread (docs/ARCHITECTURE.md, "Threading rules").

Their entry points (``LocalCache`` opening, ``read()`` and ``write()``, every
``ApiClient`` request and event stream, the ``BlobStore`` methods that touch its files)
call :func:`check`. A call is a *violation* when all of these hold:

* the guard is on (:func:`enable`, or ``OFFICE_GUI_THREAD_GUARD=raise|log`` in the
  environment; off by default, so production pays one flag test per call);
* Qt is loaded and a ``QCoreApplication`` exists (pure code and the server never import
  Qt; without an application there is no GUI thread and the guard is off);
* the calling thread is the application's thread;
* the call comes from screen code: some frame on the stack belongs to a module of this
  project, outside ``tests/``, that uses Qt. A test that seeds or reads the cache
  directly on the main thread is not a screen and is allowed; a click handler that reads
  it is not. Functions of Qt modules that are documented as blocking (meant to run
  inside background work, e.g. ``AppContext.pending_items``) are marked
  :func:`blocking`: they are not screen code themselves, their callers decide.

In ``raise`` mode a violation raises :class:`GuiThreadViolation` and is also recorded
(:func:`take_violations`), so a violation that some ``except Exception`` swallowed
still fails the test (tests/conftest.py switches the guard on and checks the record
after every test). In ``log`` mode it is logged once per call site.

This module imports no Qt: it looks Qt up in :data:`sys.modules` when it is asked.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType, ModuleType
from typing import Literal, TypeVar

log = logging.getLogger(__name__)

Mode = Literal["off", "raise", "log"]
ENV = "OFFICE_GUI_THREAD_GUARD"
_ROOT = Path(__file__).resolve().parent.parent
_OWN = str(_ROOT) + os.sep
_TESTS = str(_ROOT / "tests") + os.sep
_VENV = str(_ROOT / ".venv") + os.sep


class GuiThreadViolation(RuntimeError):
    """Disk, database or network work was asked for on the GUI thread by screen code."""


def _mode_from_env() -> Mode:
    value = os.environ.get(ENV, "").strip().lower()
    return value if value in ("raise", "log") else "off"  # type: ignore[return-value]


_mode: Mode = _mode_from_env()
_lock = threading.Lock()
_violations: list[str] = []
_logged: set[str] = set()
_gui_files: dict[str, bool] = {}
_blocking: set[object] = set()
F = TypeVar("F", bound=Callable[..., object])


def blocking(fn: F) -> F:
    """Mark a function of a Qt module as blocking work for background functions, so a
    test may call it directly; the guard judges by who called it."""
    _blocking.add(fn.__code__)
    return fn


def enable(mode: Mode = "raise") -> Mode:
    """Switch the guard to ``mode``; returns the previous mode (tests restore it)."""
    global _mode
    previous, _mode = _mode, mode
    return previous


def mode() -> Mode:
    return _mode


def take_violations() -> list[str]:
    """The violations recorded since the last call (and forget them)."""
    with _lock:
        taken = list(_violations)
        _violations.clear()
    return taken


def check(what: str) -> None:
    """Called by each guarded entry point; ``what`` names it (``"LocalCache.read"``)."""
    if _mode == "off":
        return
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is None:
        return
    app = qtcore.QCoreApplication.instance()
    if app is None or qtcore.QThread.currentThread() is not app.thread():
        return
    caller = _screen_caller(sys._getframe(1))
    if caller is None:
        return
    message = f"{what} called on the GUI thread from {caller}; use office_app.tasks"
    if _mode == "log":
        if caller not in _logged:
            _logged.add(caller)
            log.error("%s", message)
        return
    with _lock:
        _violations.append(message)
    raise GuiThreadViolation(message)


def _screen_caller(frame: FrameType | None) -> str | None:
    """``file:line function`` of the innermost frame that is screen code, or None."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if frame.f_code not in _blocking and _is_screen_file(filename, frame.f_globals):
            where = os.path.relpath(filename, _ROOT)
            return f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return None


def _is_screen_file(filename: str, module_globals: dict[str, object]) -> bool:
    known = _gui_files.get(filename)
    if known is None:
        known = (filename.startswith(_OWN) and not filename.startswith((_TESTS, _VENV))
                 and _uses_qt(module_globals))
        _gui_files[filename] = known
    return known


def _uses_qt(module_globals: dict[str, object]) -> bool:
    for value in list(module_globals.values()):
        name = value.__name__ if isinstance(value, ModuleType) else \
            getattr(value, "__module__", None)
        if isinstance(name, str) and name.startswith(("PySide6", "shiboken6")):
            return True
    return False
