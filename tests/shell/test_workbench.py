"""Workbench: counts, ordering, filters, refresh from the bus, model checks."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from office_app.workbench import ENTITY, TodoModel, WorkbenchPage, counts, open_todos
from tests.shell.fakes import FakeChanges, sample_records


def test_open_todos_order_and_counts():
    todos = open_todos(list(sample_records()[ENTITY].values()))
    assert [t.id for t in todos][:3] == ["t-1", "t-5", "t-2"]  # 特急, then 加急 by due date
    assert "t-6" not in {t.id for t in todos}  # done
    assert counts(todos) == {"todo": 4, "read": 1, "supervision": 1, "meetings": 1}


def test_todo_model_passes_modeltester(app, qtmodeltester):
    model = TodoModel()
    qtmodeltester.check(model)
    model.set_items(open_todos(list(sample_records()[ENTITY].values())))
    qtmodeltester.check(model)
    assert model.rowCount() == 5
    assert model.data(model.index(0, 0), TodoModel.UrgencyRole) == "特急"


def _page(context, qtbot) -> WorkbenchPage:
    page = WorkbenchPage(context)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    return page


def test_greeting_counts_and_list(context, cache, qtbot):
    page = _page(context, qtbot)
    assert "张伟" in page.greeting.text()
    assert "处长" in page.post_line.text()
    assert page.cards["todo"].number.text() == "4"
    assert page.cards["read"].number.text() == "1"
    assert page.model.rowCount() == 5
    assert threading.get_ident() not in cache.threads  # cache read off the GUI thread


def test_count_card_filters_the_list(context, qtbot):
    page = _page(context, qtbot)
    qtbot.mouseClick(page.cards["read"], Qt.MouseButton.LeftButton)
    assert page.current_filter() == "read"
    assert [t.kind for t in page.model.items()] == ["待阅"]
    qtbot.mouseClick(page.cards["read"], Qt.MouseButton.LeftButton)
    assert page.current_filter() is None
    assert page.model.rowCount() == 5


def test_refreshes_from_the_change_bus_only_for_its_entity(context, cache, engine, qtbot):
    context.attach()
    page = _page(context, qtbot)
    reads = len(cache.threads)
    cache.data[ENTITY]["t-1"] = {**cache.data[ENTITY]["t-1"], "done": True}
    engine.emit_changes(FakeChanges(frozenset({"documents.document"})))
    qtbot.wait(50)
    assert len(cache.threads) == reads  # unrelated change: no reload
    with qtbot.waitSignal(page.loaded, timeout=5000):
        engine.emit_changes(FakeChanges(frozenset({ENTITY})))
    assert page.model.rowCount() == 4
    assert page.cards["todo"].number.text() == "3"


def test_choosing_a_todo_asks_to_open_it(context, qtbot):
    page = _page(context, qtbot)
    with qtbot.waitSignal(page.open_requested) as blocker:
        page.view.clicked.emit(page.model.index(0, 0))
    assert blocker.args == ["documents", "d-1"]


def test_empty_cache_shows_empty_state(context, cache, qtbot):
    cache.data[ENTITY] = {}
    page = WorkbenchPage(context)
    qtbot.addWidget(page)
    qtbot.waitSignal(page.loaded, timeout=5000).wait()
    assert page._stack.currentWidget() is page.empty


def test_a_failing_cache_read_is_said_in_words(context, cache, qtbot, monkeypatch, caplog):
    def broken(_entity: str) -> list:
        raise OSError("disk gone")

    monkeypatch.setattr(cache, "list", broken)
    page = WorkbenchPage(context)
    qtbot.addWidget(page)
    qtbot.waitSignal(page.loaded, timeout=5000).wait()
    assert page._stack.currentWidget() is page.empty
    assert "系统内部错误" in page.empty.label.text()
    assert "disk gone" not in page.empty.label.text()
