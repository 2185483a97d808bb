"""Start-up milestones for ``bench/bench_client_start.py``.

With ``OFFICE_START_PROBE=1`` in the environment the client prints one line per
milestone to standard error, once each: ``office-start-probe <event> <unix time>``.

* ``signin`` — the sign-in view has painted and can be used (with the demo accounts
  listed, when the server offers them);
* ``window`` — the main window has painted with the workbench's first read of the cache;
* ``main`` — the main window has painted with data: the workbench lists at least one
  to-do (on a first sign-in, after the initial sync brought them).

Without the variable nothing is hooked or printed. GUI thread only.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, SignalInstance
from PySide6.QtWidgets import QWidget

ENV = "OFFICE_START_PROBE"
PREFIX = "office-start-probe"
_done: set[str] = set()


def enabled() -> bool:
    """Whether the milestones are printed (the environment variable is set)."""
    return bool(os.environ.get(ENV))


def mark(event: str) -> None:
    """Print ``event`` with the current time (once per process and event)."""
    if not enabled() or event in _done:
        return
    _done.add(event)
    print(f"{PREFIX} {event} {time.time():.6f}", file=sys.stderr, flush=True)


def painted_when(widget: QWidget, ready: SignalInstance | None, event: str,
                 condition: Callable[[], bool] | None = None) -> None:
    """Mark ``event`` once ``widget`` has painted after ``ready`` fired (at once when
    ``ready`` is None) and ``condition()`` holds: the window is repainted
    synchronously, then marked."""
    if not enabled() or event in _done:
        return

    def paint() -> None:
        if event in _done or (condition is not None and not condition()):
            return
        widget.window().repaint()
        mark(event)

    if ready is None:
        QTimer.singleShot(0, paint)
    else:
        ready.connect(lambda *_: QTimer.singleShot(0, paint))


__all__ = ["ENV", "enabled", "mark", "painted_when"]
