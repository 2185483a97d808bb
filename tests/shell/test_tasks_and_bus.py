"""The task runner works off the GUI thread and the bus delivers on it."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import QObject

from modules.common.errors import NotFound
from office_app.bus import ChangeBus, touches
from office_app.context import AppContext
from office_app.tasks import run_in_background
from tests.shell.fakes import FakeChanges, FakeEngine, FakeStatus


def test_work_runs_off_the_gui_thread_and_result_comes_back_on_it(app, qtbot):
    gui = threading.get_ident()
    seen: dict[str, int] = {}

    def work() -> int:
        seen["worker"] = threading.get_ident()
        return 42

    results: list[int] = []

    def done(value: int) -> None:
        seen["callback"] = threading.get_ident()
        results.append(value)

    run_in_background(work, done)
    qtbot.waitUntil(lambda: results == [42])
    assert seen["worker"] != gui
    assert seen["callback"] == gui


def test_expected_error_goes_to_on_error_on_the_gui_thread(app, qtbot):
    gui = threading.get_ident()
    errors: list[tuple[BaseException, int]] = []

    def work() -> None:
        raise NotFound("request.not_found", path="/x")

    run_in_background(work, lambda _v: None, lambda e: errors.append((e, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(errors))
    exc, thread = errors[0]
    assert isinstance(exc, NotFound)
    assert thread == gui


def test_bug_is_logged_with_traceback_and_reported(app, qtbot, caplog):
    errors: list[BaseException] = []

    def work() -> None:
        raise ZeroDivisionError("boom")

    with caplog.at_level(logging.ERROR, logger="office_app.tasks"):
        run_in_background(work, None, errors.append)
        qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ZeroDivisionError)
    assert any(r.exc_info and r.exc_info[0] is ZeroDivisionError for r in caplog.records)


def test_cancelled_task_and_deleted_owner_get_no_callback(app, qtbot):
    delivered: list[str] = []
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return "late"

    task = run_in_background(slow, lambda v: delivered.append(f"cancelled:{v}"))
    task.cancel()
    owner = QObject()
    run_in_background(slow, lambda v: delivered.append(f"owned:{v}"), owner=owner)
    owner.deleteLater()
    qtbot.wait(10)
    probe: list[str] = []
    release.set()
    run_in_background(lambda: "probe", probe.append)
    qtbot.waitUntil(lambda: probe == ["probe"])
    qtbot.wait(20)
    assert delivered == []


def test_run_in_background_refuses_other_threads(app):
    errors: list[BaseException] = []

    def call() -> None:
        try:
            run_in_background(lambda: None)
        except RuntimeError as exc:
            errors.append(exc)

    worker = threading.Thread(target=call)
    worker.start()
    worker.join()
    assert errors and "GUI thread" in str(errors[0])


def test_bus_re_emits_on_gui_thread(app, qtbot):
    bus = ChangeBus()
    gui = threading.get_ident()
    got: list[tuple[object, int]] = []
    bus.changed.connect(lambda c: got.append((c, threading.get_ident())))
    changes = FakeChanges(frozenset({"workbench.todo"}))
    worker = threading.Thread(target=lambda: bus.post_changes(changes))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(got))
    assert got == [(changes, gui)]


def test_touches():
    assert touches(FakeChanges(frozenset({"a.b"})), "a.b", "c.d")
    assert not touches(FakeChanges(frozenset({"x.y"})), "a.b")
    assert touches(FakeChanges(frozenset(), full_reset=True), "a.b")


def test_context_bridges_engine_listeners_to_the_bus(app, qtbot, settings):
    engine = FakeEngine(FakeStatus(online=True, pending=3))
    bus = ChangeBus()
    ctx = AppContext(settings, {"person_id": "p-1", "name": "张伟"}, engine=engine, bus=bus)
    statuses: list[object] = []
    changes: list[object] = []
    bus.status_changed.connect(statuses.append)
    bus.changed.connect(changes.append)
    ctx.attach()
    qtbot.waitUntil(lambda: bool(statuses))
    assert statuses[0].pending == 3
    assert threading.get_ident() not in engine.threads  # status() ran off the GUI thread
    engine.emit_changes(FakeChanges(frozenset({"documents.document"})))
    qtbot.waitUntil(lambda: bool(changes))
    assert changes[0].entities == frozenset({"documents.document"})
    engine.emit_status(FakeStatus(online=False, pending=1))
    qtbot.waitUntil(lambda: len(statuses) == 2)
    assert bus.last_status.online is False


def test_submit_runs_through_the_engine_off_the_gui_thread(context, engine, qtbot):
    ids: list[str] = []
    context.submit("documents.approve", {"document_id": "d-1"}, ids.append)
    qtbot.waitUntil(lambda: bool(ids))
    assert ids == ["m-1"]
    assert engine.submitted == [("documents.approve", {"document_id": "d-1"})]
    assert threading.get_ident() not in engine.threads


def test_submit_without_engine_is_refused(app, settings):
    ctx = AppContext(settings, {}, bus=ChangeBus())
    with pytest.raises(RuntimeError):
        ctx.submit("x.y", {})


def test_a_requested_status_never_overrides_a_newer_engine_status(app, qtbot):
    bus = ChangeBus()
    got: list[object] = []
    bus.status_changed.connect(got.append)
    stamp = bus.status_stamp()
    newer = FakeStatus(online=True, pending=0)
    bus.post_status(newer)  # the engine reported while the request was in flight
    assert not bus.offer_status(FakeStatus(online=False, syncing=True), stamp)
    qtbot.waitUntil(lambda: bool(got))
    qtbot.wait(20)
    assert got == [newer] and bus.last_status is newer
    assert bus.offer_status(FakeStatus(online=False), bus.status_stamp())
