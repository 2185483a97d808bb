"""The page kit: row models, list view, debounced search, page work, error text."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QStyledItemDelegate, QWidget

from modules.common.errors import DomainError, NotFound
from modules.common.messages import render
from office_app import kit
from office_app.kit import (
    ID_ROLE,
    ROW_ROLE,
    DebouncedSearch,
    PageWork,
    RowListModel,
    RowTableModel,
    error_text,
    list_view,
    page_title,
    search_box,
)


class NameModel(RowListModel[dict[str, Any]]):
    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row["name"]
        return super().value(row, role)


@dataclass
class Item:
    id: str
    title: str


class ItemModel(RowListModel[Item]):
    def value(self, row: Item, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return row.title
        return super().value(row, role)


class PairTable(RowTableModel[dict[str, Any]]):
    COLUMNS: ClassVar[tuple[str, ...]] = ("name", "title")

    def header(self, key: str) -> str:
        return {"name": "Name", "title": "Title"}[key]

    def cell(self, row: dict[str, Any], key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row.get(key, ""))
        return None


ROWS = [{"id": "p1", "name": "张伟", "title": "科员"}, {"id": "p2", "name": "李娜", "title": "处长"}]


def test_list_model_passes_modeltester_and_answers_its_roles(app, qtmodeltester):
    model = NameModel()
    qtmodeltester.check(model)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert first.data() == "张伟"
    assert first.data(ROW_ROLE) == ROWS[0]
    assert first.data(ID_ROLE) == "p1"
    assert first.data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.row_of("p2") == 1 and model.row_of("nobody") == -1
    assert model.row_at(5) is None
    assert model.rows() == ROWS and model.rows() is not model.rows()
    assert bytes(model.roleNames()[ROW_ROLE].data()) == b"row"
    # the guards: out-of-range rows, children of rows, indexes of other models
    assert model.rowCount(first) == 0
    assert model.data(QModelIndex()) is None
    assert model.data(NameModel().index(0, 0)) is None


def test_list_model_over_objects(app, qtmodeltester):
    model = ItemModel()
    model.set_rows([Item("t1", "审批"), Item("t2", "阅办")])
    qtmodeltester.check(model)
    assert model.index(1, 0).data() == "阅办"
    assert model.index(1, 0).data(ID_ROLE) == "t2"
    assert model.row_of("t1") == 0


def test_set_rows_keeps_its_own_list(app):
    model = NameModel()
    rows = list(ROWS)
    model.set_rows(rows)
    rows.clear()
    assert model.rowCount() == 2


def test_table_model_passes_modeltester_with_headers_and_cells(app, qtmodeltester):
    model = PairTable()
    qtmodeltester.check(model)
    model.set_rows(ROWS)
    qtmodeltester.check(model)
    assert (model.rowCount(), model.columnCount()) == (2, 2)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Title"
    assert model.headerData(2, Qt.Orientation.Horizontal) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.index(1, 1).data() == "处长"
    assert model.index(1, 1).data(ROW_ROLE) == ROWS[1]
    assert model.index(0, 0).data(ID_ROLE) == "p1"
    assert model.columnCount(model.index(0, 0)) == 0


def test_list_view_wires_model_delegate_and_pick(app, qtbot):
    model = NameModel()
    model.set_rows(ROWS)
    picked: list[str] = []
    view = list_view(model, QStyledItemDelegate, name="Names",
                     on_pick=lambda index: picked.append(index.data(ID_ROLE)), uniform=True)
    qtbot.addWidget(view)
    assert view.objectName() == "Names"
    assert view.model() is model
    assert isinstance(view.itemDelegate(), QStyledItemDelegate)
    assert view.hasMouseTracking() and view.uniformItemSizes()
    view.clicked.emit(model.index(1, 0))
    view.activated.emit(model.index(0, 0))
    assert picked == ["p2", "p1"]


def test_page_chrome(app, qtbot):
    title = page_title("通讯录")
    box = search_box("搜索", "搜索通讯录")
    qtbot.addWidget(title)
    qtbot.addWidget(box)
    assert title.objectName() == "PageTitle" and title.text() == "通讯录"
    assert box.placeholderText() == "搜索" and box.accessibleName() == "搜索通讯录"
    assert box.isClearButtonEnabled() and len(box.actions()) >= 1


def test_debounced_search_emits_once_after_typing_pauses(app, qtbot):
    box = QLineEdit()
    qtbot.addWidget(box)
    search = DebouncedSearch(box, 40)
    seen: list[str] = []
    search.query.connect(seen.append)
    for text in ("z", "zh", "zw "):
        box.setText(text)
    assert search.pending() and seen == []
    qtbot.waitUntil(lambda: seen == ["zw"], timeout=2000)
    qtbot.wait(80)
    assert seen == ["zw"]


def test_debounced_search_return_and_set_text_emit_at_once(app, qtbot):
    box = QLineEdit()
    qtbot.addWidget(box)
    search = DebouncedSearch(box, 10_000)
    seen: list[str] = []
    search.query.connect(seen.append)
    box.setText("张")
    box.returnPressed.emit()
    assert seen == ["张"] and not search.pending()
    search.set_text("李")
    assert seen == ["张", "李"] and not search.pending() and box.text() == "李"


def test_error_text_gives_domain_messages_and_internal_error_with_request_id(app):
    expected = NotFound("request.not_found", path="/x")
    assert error_text(expected, "en") == expected.message("en")
    assert error_text(expected, "zh_CN") == expected.message("zh_CN")
    bug = ZeroDivisionError("boom")
    assert error_text(bug, "en") == render("internal_error", "en", {"request_id": "-"})
    bug.request_id = "req-42"  # type: ignore[attr-defined]
    assert "req-42" in error_text(bug, "zh_CN")
    assert "boom" not in error_text(bug, "en")


def test_page_work_runs_off_the_gui_thread_and_reports_failures(app, qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    reported: list[str] = []
    work = PageWork(page, reported.append)
    gui = threading.get_ident()
    results: list[tuple[int, int]] = []
    work.run(lambda: threading.get_ident(), lambda ident: results.append((ident, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(results))
    assert results[0][0] != gui and results[0][1] == gui

    def refuse() -> None:
        raise DomainError("request.not_found", path="/y")

    work.run(refuse)
    qtbot.waitUntil(lambda: bool(reported))
    assert reported == [DomainError("request.not_found", path="/y").message(kit.i18n.current_lang())]

    own: list[BaseException] = []
    work.run(refuse, None, own.append)
    qtbot.waitUntil(lambda: bool(own))
    assert len(reported) == 1


def test_page_work_latest_cancels_the_previous_answer(app, qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    work = PageWork(page, lambda _t: None)
    gate = threading.Event()
    answers: list[str] = []
    work.run(lambda: gate.wait(5) and "old", answers.append, latest="search")
    work.run(lambda: "new", answers.append, latest="search")
    gate.set()
    qtbot.waitUntil(lambda: answers == ["new"])
    qtbot.wait(50)
    assert answers == ["new"]


def test_page_work_drops_answers_once_the_page_is_gone(app, qtbot):
    page = QWidget()
    work = PageWork(page, lambda _t: None)
    gate = threading.Event()
    answers: list[str] = []
    work.run(lambda: gate.wait(5) and "late", answers.append)
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page))
    gate.set()
    from office_app.tasks import wait_for_idle

    assert wait_for_idle()
    qtbot.wait(50)
    assert answers == []


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_a_flow_layout_wraps_its_buttons_onto_rows_that_fit_the_width(qtbot: Any) -> None:
    from PySide6.QtWidgets import QPushButton, QWidget

    from office_app.widgets import FlowLayout

    host = QWidget()
    qtbot.addWidget(host)
    flow = FlowLayout(host, align_right=True)
    buttons = [QPushButton(f"操作按钮{i}") for i in range(7)]
    for b in buttons:
        flow.addWidget(b)
    buttons[3].hide()
    wide = flow.sizeHint().width()
    host.resize(wide + 20, flow.heightForWidth(wide + 20))
    host.show()
    qtbot.waitExposed(host)
    one_row = {b.geometry().top() for b in buttons if not b.isHidden()}
    assert len(one_row) == 1
    narrow = wide // 3
    assert flow.heightForWidth(narrow) > flow.heightForWidth(wide + 20)
    host.resize(narrow, flow.heightForWidth(narrow))
    qtbot.waitUntil(lambda: len({b.geometry().top() for b in buttons if not b.isHidden()}) >= 3)
    for b in buttons:
        if not b.isHidden():
            assert b.geometry().right() <= narrow, "a button runs past the width"
    assert flow.minimumSize().width() <= max(b.sizeHint().width() for b in buttons)
