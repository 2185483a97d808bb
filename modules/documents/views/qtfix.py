"""Work around a reference-count bug of ``SignalInstance.emit`` in PySide6 6.12.0.

In that release ``emit()`` returns ``True`` without taking a reference to it, so every
signal emitted from Python lowers the reference count of ``True`` by one; after a few
thousand emits CPython 3.11 aborts ("bool_dealloc: deallocating True or False").
:func:`emit` emits and, only when the running PySide6 shows the bug (probed once at
import), gives the reference back. GUI thread (or wherever the signal may be emitted).
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal


class _Probe(QObject):
    fired = Signal()


def _emit_leaks() -> bool:
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.fired.emit()
    leaked = before - sys.getrefcount(True)
    if leaked > 0:  # give back what the probe itself took
        for _ in range(leaked):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return leaked >= 8


EMIT_LEAKS_TRUE = _emit_leaks()


def emit(signal: Any, *args: Any) -> None:
    """``signal.emit(*args)`` without the 6.12.0 reference leak."""
    result = signal.emit(*args)
    if EMIT_LEAKS_TRUE and result is True:
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
