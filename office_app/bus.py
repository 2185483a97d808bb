"""The one change broadcast (一处广播): every screen refreshes itself from it.

``ChangeBus.instance().changed`` carries a ``sync.engine.Changes`` after every local
submit and every pull that changed something; ``status_changed`` carries a
``SyncStatus``. Both signals are always emitted on the GUI thread: the sync engine calls
``post_changes`` / ``post_status`` from its own threads and the bus hops the value onto
the GUI thread through a queued connection. No screen calls another to refresh.
"""

from __future__ import annotations

import threading
from collections.abc import Container
from typing import TYPE_CHECKING, ClassVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

if TYPE_CHECKING:
    from sync.engine import Changes, SyncStatus


class ChangeBus(QObject):
    """Signals ``changed(Changes)`` and ``status_changed(SyncStatus)`` on the GUI thread."""

    changed = Signal(object)
    status_changed = Signal(object)
    #: A blob (PDF, attachment) finished downloading: its SHA-256.
    blob_ready = Signal(str)

    _changes_in = Signal(object)
    _status_in = Signal(object)
    _blob_in = Signal(str)

    _instance: ClassVar[ChangeBus | None] = None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last_status: SyncStatus | None = None
        self._stamp = 0
        self._stamp_lock = threading.Lock()
        self._changes_in.connect(self._emit_changes, Qt.ConnectionType.QueuedConnection)
        self._status_in.connect(self._emit_status, Qt.ConnectionType.QueuedConnection)
        self._blob_in.connect(self.blob_ready, Qt.ConnectionType.QueuedConnection)

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

    def post_changes(self, changes: Changes) -> None:
        """Thread-safe: queue ``changes`` for emission on the GUI thread."""
        self._changes_in.emit(changes)

    def post_status(self, status: SyncStatus) -> None:
        """Thread-safe: queue ``status`` for emission on the GUI thread."""
        with self._stamp_lock:
            self._stamp += 1
            stamp = self._stamp
        self._status_in.emit((stamp, status))

    def post_blob_ready(self, sha256: str) -> None:
        """Thread-safe: announce on the GUI thread that blob ``sha256`` is now local."""
        self._blob_in.emit(sha256)

    def status_stamp(self) -> int:
        """How many statuses were posted so far (take before asking for a status)."""
        with self._stamp_lock:
            return self._stamp

    def offer_status(self, status: SyncStatus, stamp: int) -> bool:
        """Post ``status`` read after ``stamp`` unless a newer one was posted since.

        A status fetched on request can arrive after the engine reported a newer one;
        this keeps the newest. Returns whether it was posted.
        """
        with self._stamp_lock:
            if self._stamp != stamp:
                return False
        self.post_status(status)
        return True

    @Slot(object)
    def _emit_changes(self, changes: Changes) -> None:
        self.changed.emit(changes)

    @Slot(object)
    def _emit_status(self, packet: tuple[int, SyncStatus]) -> None:
        _stamp, status = packet
        self.last_status = status
        self.status_changed.emit(status)


def touches(changes: Changes | None, *entities: str) -> bool:
    """True when ``changes`` concerns any of ``entities`` (or is a full reset).

    Accepts a ``Changes`` or anything with ``entities``/``full_reset`` attributes.
    """
    if changes is None or getattr(changes, "full_reset", False):
        return True
    moved: Container[str] = getattr(changes, "entities", frozenset())
    return any(e in moved for e in entities)
