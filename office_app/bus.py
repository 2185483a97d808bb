"""The one change broadcast (一处广播): every screen refreshes itself from it.

``ChangeBus.instance().changed`` carries a ``sync.engine.Changes`` after every local
submit and every pull that changed something; ``status_changed`` carries a
``SyncStatus``. Both signals are always emitted on the GUI thread: the sync engine calls
``post_changes`` / ``post_status`` from its own threads and the bus hops the value onto
the GUI thread through a queued connection. No screen calls another to refresh.
"""

from __future__ import annotations

from typing import Any, ClassVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot


class ChangeBus(QObject):
    """Signals ``changed(Changes)`` and ``status_changed(SyncStatus)`` on the GUI thread."""

    changed = Signal(object)
    status_changed = Signal(object)

    _changes_in = Signal(object)
    _status_in = Signal(object)

    _instance: ClassVar[ChangeBus | None] = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_status: Any = None
        self._changes_in.connect(self._emit_changes, Qt.ConnectionType.QueuedConnection)
        self._status_in.connect(self._emit_status, Qt.ConnectionType.QueuedConnection)

    @classmethod
    def instance(cls) -> ChangeBus:
        """The process-wide bus; created on first use (from the GUI thread)."""
        if cls._instance is None or not shiboken6.isValid(cls._instance):
            cls._instance = ChangeBus()
        return cls._instance

    @classmethod
    def reset_instance(cls) -> None:
        """Drop the singleton (tests; a logout that builds a fresh context)."""
        cls._instance = None

    def post_changes(self, changes: Any) -> None:
        """Thread-safe: queue ``changes`` for emission on the GUI thread."""
        self._changes_in.emit(changes)

    def post_status(self, status: Any) -> None:
        """Thread-safe: queue ``status`` for emission on the GUI thread."""
        self._status_in.emit(status)

    @Slot(object)
    def _emit_changes(self, changes: Any) -> None:
        self.changed.emit(changes)

    @Slot(object)
    def _emit_status(self, status: Any) -> None:
        self.last_status = status
        self.status_changed.emit(status)


def touches(changes: Any, *entities: str) -> bool:
    """True when ``changes`` concerns any of ``entities`` (or is a full reset).

    Accepts a ``Changes`` or anything with ``entities``/``full_reset`` attributes.
    """
    if changes is None or getattr(changes, "full_reset", False):
        return True
    moved = getattr(changes, "entities", frozenset())
    return any(e in moved for e in entities)
