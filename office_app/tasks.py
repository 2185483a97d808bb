"""The one task runner: run blocking work off the GUI thread, deliver results on it.

``run_in_background(fn, on_done, on_error)`` queues ``fn()`` on a private QThreadPool.
When it returns, ``on_done(result)`` runs on the GUI thread; when it raises,
``on_error(exc)`` runs on the GUI thread. Expected failures (DomainError) are passed on
quietly; anything else is a bug: it is logged with its traceback and then passed to
``on_error`` so the screen can say "internal error" in words.

Callbacks are dropped when their owner (``owner=``, or the QObject a bound-method
callback belongs to) has been deleted meanwhile, or when the returned :class:`Task`
was cancelled — so a screen that closed or asked again never receives a stale answer.

Call ``run_in_background`` from the GUI thread only. ``fn`` must not touch widgets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThread,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)

from modules.common.errors import DomainError

log = logging.getLogger(__name__)

MAX_THREADS = 4
T = TypeVar("T")


class Task:
    """Handle of one queued job; ``cancel()`` stops its callbacks from being delivered."""

    __slots__ = ("_cancelled", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled


@dataclass
class _Entry:
    task: Task
    fn: Callable[[], Any]
    on_done: Callable[[Any], object] | None
    on_error: Callable[[BaseException], None] | None
    owner: QObject | None


class _Relay(QObject):
    """Lives on the GUI thread and keeps every job's callables until delivery.

    Only the GUI thread ever drops the last reference to a callback, its owner or the
    job function: releasing a Python wrapper of a widget on a worker thread would
    destroy the widget there.
    """

    delivered = Signal(int, bool, object)

    def __init__(self) -> None:
        super().__init__()
        self.pending: dict[int, _Entry] = {}
        self._next = 0
        self.delivered.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def add(self, entry: _Entry) -> int:
        self._next += 1
        self.pending[self._next] = entry
        return self._next

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, payload: object) -> None:
        entry = self.pending.pop(job_id, None)
        if entry is None or entry.task.cancelled:
            return
        if entry.owner is not None and not shiboken6.isValid(entry.owner):
            return
        if ok:
            if entry.on_done is not None:
                entry.on_done(payload)
        elif entry.on_error is not None:
            assert isinstance(payload, BaseException)  # the runner sends the exception
            entry.on_error(payload)


class _Job(QRunnable):
    """Runs on a pool thread. Holds a borrowed reference to the job function only."""

    def __init__(self, relay: _Relay, job_id: int, fn: Callable[[], Any], name: str,
                 quiet_errors: bool) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._relay = relay
        self._id = job_id
        self._fn: Callable[[], Any] | None = fn
        self._name = name
        self._quiet = quiet_errors

    def run(self) -> None:
        fn, self._fn = self._fn, None
        ok = True
        payload: object = None
        try:
            if fn is not None:
                payload = fn()
        except DomainError as exc:
            ok = False
            if not self._quiet:
                log.warning("background task %s failed: %s", self._name, exc.code)
            payload = exc.with_traceback(None)
        except Exception as exc:
            ok = False
            log.exception("background task %s raised a bug", self._name)
            payload = exc.with_traceback(None)
        finally:
            del fn
        self._relay.delivered.emit(self._id, ok, payload)


_relay: _Relay | None = None
_pool: QThreadPool | None = None


def _ensure() -> tuple[_Relay, QThreadPool]:
    global _relay, _pool
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("run_in_background needs a QApplication")
    if QThread.currentThread() is not app.thread():
        raise RuntimeError("run_in_background must be called from the GUI thread")
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _Relay()
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(MAX_THREADS)
    return _relay, _pool


def _owner_of(callback: Callable[..., Any] | None) -> QObject | None:
    target = getattr(callback, "__self__", None)
    return target if isinstance(target, QObject) else None


def run_in_background(fn: Callable[[], Any],
                      on_done: Callable[[Any], object] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      *, owner: QObject | None = None) -> Task:
    """Run ``fn()`` on the task pool; callbacks run later on the GUI thread.

    ``owner``: a QObject whose deletion cancels delivery (defaults to the object of a
    bound-method ``on_done``/``on_error``). Returns a :class:`Task` that can be cancelled.
    """
    relay, pool = _ensure()
    owner = owner or _owner_of(on_done) or _owner_of(on_error)
    task = Task(getattr(fn, "__qualname__", repr(fn)))
    job_id = relay.add(_Entry(task, fn, on_done, on_error, owner))
    pool.start(_Job(relay, job_id, fn, task.name, quiet_errors=on_error is not None))
    return task


def call_and_wait(fn: Callable[[], T], timeout_ms: int = 120_000) -> T:
    """Run ``fn()`` on the task pool and return its result (or raise its exception),
    turning the GUI event loop meanwhile. For batch tools that drive the screens (the
    screenshot command), never for a screen: the caller waits, though the loop runs."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def done(result: T) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    run_in_background(fn, done, failed)
    timer.start(timeout_ms)
    loop.exec()
    timer.stop()
    if "error" in outcome:
        raise outcome["error"]
    if "result" not in outcome:
        raise TimeoutError(f"{getattr(fn, '__qualname__', fn)!r} took over {timeout_ms} ms")
    return outcome["result"]  # type: ignore[no-any-return]


def wait_for_idle(timeout_ms: int = 10_000) -> bool:
    """Block until queued jobs finished (shutdown and tests); True if all finished.

    Results are delivered on the next turn of the GUI event loop, not inside this call.
    """
    if _pool is None:
        return True
    return _pool.waitForDone(timeout_ms)


def worker_thread_ident() -> int:
    """``threading.get_ident()`` of the calling thread (for tests and assertions)."""
    return threading.get_ident()
