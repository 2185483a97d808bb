"""Item models (pytest-qt's qtmodeltester), the page in both layouts, actions, editor.

Every Qt warning fails these tests (see conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from modules.documents import service
from modules.documents.views.editor import DraftEditor, HeadingEdit, number_for
from modules.documents.views.models import InboxModel, TimelineModel
from modules.documents.views.page import DocumentsPage
from office_app import navigation, tasks
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.engine import RejectedItem
from tests.documents_client import support


def _rows(n: int) -> list[dict[str, Any]]:
    return [{"id": f"d-{i:012x}", "title": f"关于第{i}项工作的通知", "sort_at": f"2026-11-{20 - i % 9:02d}",
             "step_name": "待核稿", "status": "active", "urgency": "特急" if i % 5 == 0 else "",
             "doc_number": "", "doc_type": "通知", "owner_name": "张伟", "pending_names": "李娜",
             "date": "2026-11-20"} for i in range(n)]


def test_inbox_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = InboxModel()
    model.reset_rows(_rows(InboxModel.PAGE), "todo")
    qtmodeltester.check(model, force_py=True)
    model.checkable = True
    assert model.setData(model.index(3, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtmodeltester.check(model, force_py=True)
    assert model.checked_ids() == [model.rows()[3]["id"]]


def test_inbox_model_pages_on_demand(qtbot: Any) -> None:
    model = InboxModel()
    rows = _rows(450)
    model.reset_rows(rows[:200], "all")
    assert model.canFetchMore()
    with qtbot.waitSignal(model.more_wanted) as blocker:
        model.fetchMore()
    assert blocker.args == ["all", (rows[199]["sort_at"], rows[199]["id"])]
    assert not model.canFetchMore()  # one request at a time
    model.append_rows(rows[200:400], "all")
    model.append_rows(rows[400:], "all")
    assert model.rowCount() == 450 and not model.canFetchMore()
    model.append_rows(rows[:10], "todo")  # a late page of another tab is ignored
    assert model.rowCount() == 450


def test_timeline_model_passes_the_model_tester(qtmodeltester: Any, demo_cache: LocalCache) -> None:
    svc = service.DocumentService(demo_cache, None, support.ME)
    done = next(r["id"] for r in svc.page("all") if r["status"] == "done")
    model = TimelineModel()
    model.set_rows(svc.detail(done)["timeline"])
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 7 and model.data(model.index(0, 0)) == "拟稿"


@pytest.fixture
def app(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    settings = AppSettings.at_path(tmp_path / "settings.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    yield qapp
    tasks.wait_for_idle()
    settle(2)
    ChangeBus.reset_instance()


@pytest.fixture
def context(app: QApplication, tmp_path: Path, demo_cache: LocalCache,
            engine: support.LocalEngine) -> Iterator[AppContext]:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s2.ini"), support.ME, cache=demo_cache,
                     engine=engine, bus=ChangeBus())
    ctx.attach()
    yield ctx
    tasks.wait_for_idle()
    settle(2)
    ctx.detach()


@pytest.fixture
def page(context: AppContext, qtbot: Any) -> DocumentsPage:
    p = DocumentsPage(context)
    qtbot.addWidget(p)
    p.resize(1280, 820)
    p.show()
    qtbot.waitUntil(lambda: p.model.rowCount() > 0, timeout=5000)
    return p


def test_page_registers_and_builds(context: AppContext) -> None:
    import modules.documents.views  # noqa: F401

    spec = navigation.page("documents")
    assert spec is not None and not spec.placeholder
    widget = spec.factory(context)
    assert isinstance(widget, DocumentsPage)
    widget.deleteLater()
    settle(2)


def test_tabs_show_counts_and_switch(page: DocumentsPage, qtbot: Any) -> None:
    assert page.tab_bar.tabText(0) == "待办 5" and page.tab_bar.tabText(2) == "我发起 6"
    assert page.model.rowCount() == 5
    with qtbot.waitSignal(page.rows_loaded):
        page.select_tab("all")
    assert page.model.rowCount() == 10
    with qtbot.waitSignal(page.rows_loaded):
        page.status_filter.setCurrentIndex(3)  # 已办结
    assert [r["step_name"] for r in page.model.rows()] == ["已核发"]
    with qtbot.waitSignal(page.rows_loaded):
        page.search_box.setText("防汛")
    assert page.model.rows() == [] and page.list_stack.currentWidget() is page.empty
    with qtbot.waitSignal(page.rows_loaded):
        page.status_filter.setCurrentIndex(0)
    assert page.model.rows()[0]["title"].startswith("关于做好2026年防汛")


def test_detail_shows_pdf_form_and_approves(page: DocumentsPage, qtbot: Any,
                                            demo_cache: LocalCache,
                                            engine: support.LocalEngine) -> None:
    import threading

    doc_id = page.model.rows()[0]["id"]
    with qtbot.waitSignal(page.pdf_shown, timeout=10000):
        page.show_document(doc_id)
    qtbot.waitUntil(lambda: page.detail.doc.get("id") == doc_id)
    assert page.detail.pdf_doc.pageCount() >= 1
    assert page.detail.approve_button.isVisible() and page.detail.approve_button.text() == "核稿"
    assert page.detail.timeline_model.rowCount() == 2
    # read receipt queued once
    assert demo_cache.get(service.ENTITY, doc_id)["reads"][0]["person_id"] == "p-1"
    with qtbot.waitSignal(page.action_done):
        page.run_action(doc_id, "approve", {"opinion": "同意。"})
    qtbot.waitUntil(lambda: page.detail.doc.get("state_words") == "待签发", timeout=5000)
    assert not page.detail.approve_button.isVisible()
    assert "同意。" in [o["text"] for o in page.detail.doc["opinions"]]
    qtbot.waitUntil(lambda: page.tab_bar.tabText(0) == "待办 4", timeout=5000)
    # every submit (read receipt, approval) ran off the GUI thread
    assert len(engine.threads) == 2 and threading.get_ident() not in engine.threads


def test_refused_action_is_shown_in_words(page: DocumentsPage, qtbot: Any) -> None:
    doc_id = page.model.rows()[0]["id"]
    page.show_document(doc_id)
    qtbot.waitUntil(lambda: page.detail.doc.get("id") == doc_id)
    with qtbot.waitSignal(page.action_done) as blocker:
        page.run_action(doc_id, "return", {"to_step": "draft", "reason": ""})
    assert blocker.args == ["请填写退回理由。"]
    assert page.detail.notice.text() == "请填写退回理由。"


def test_rejected_item_from_the_server_is_shown(page: DocumentsPage, qtbot: Any,
                                                context: AppContext,
                                                engine: support.LocalEngine) -> None:
    import datetime as dt

    doc_id = page.model.rows()[0]["id"]
    page.show_document(doc_id)
    qtbot.waitUntil(lambda: page.detail.doc.get("id") == doc_id)
    item = RejectedItem("m-1", service.ACT, {"document_id": doc_id, "op": "approve"}, "conflict",
                        "document.workflow.conflict", "该公文已由李娜于10:42核稿，您的签批未生效。",
                        dt.datetime.now(dt.UTC))
    engine.rejected = (item,)
    context.bus.status_changed.emit(engine.status())
    assert "该公文已由李娜于10:42核稿" in page.detail.notice.text()


def test_switching_layouts_and_back_navigation(page: DocumentsPage, qtbot: Any) -> None:
    page.set_compact(True)
    page.resize(390, 780)
    assert not page.can_go_back()
    page.show_document(page.model.rows()[0]["id"])
    qtbot.waitUntil(page.can_go_back)
    assert page.split.current_pane() == 1
    page.go_back()
    assert not page.can_go_back()
    assert page.search_box.minimumHeight() >= 44
    page.set_compact(False)
    page.resize(1280, 820)
    assert not page.can_go_back()
    settle(2)


def test_batch_approve_from_the_list(page: DocumentsPage, qtbot: Any) -> None:
    page.batch_toggle.setChecked(True)
    model = page.model
    assert model.checkable and not page.batch_button.isEnabled()
    reviews = [i for i, r in enumerate(model.rows()) if r["step"] == "review"]
    for i in reviews[:2]:
        model.setData(model.index(i, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert page.batch_button.text() == "签批所选（2）"
    with qtbot.waitSignal(page.action_done, timeout=5000) as blocker:
        page.batch_button.click()
    assert blocker.args[0].startswith("已签批 2 件")
    assert [r.ok for r in page.last_batch] == [True, True]
    box = page.findChild(QMessageBox, "BatchResult")
    assert box is not None and "已签批 2 件" in box.text()
    box.close()
    qtbot.waitUntil(lambda: page.tab_bar.tabText(0) == "待办 3", timeout=5000)


def test_editor_numbers_headings_without_markup(app: QApplication, qtbot: Any) -> None:
    edit = HeadingEdit()
    qtbot.addWidget(edit)
    edit.set_paragraphs(["一、总体要求", "正文一。", "（一）工作目标", "正文二。", "1.第一项",
                         "（1）细目", "二、保障措施", "（一）加强领导"])
    assert [p["text"] for p in edit.paragraphs()] == [
        "一、总体要求", "正文一。", "（一）工作目标", "正文二。", "1.第一项", "（1）细目",
        "二、保障措施", "（一）加强领导"]
    assert [p["level"] for p in edit.paragraphs()] == [1, 0, 2, 0, 3, 4, 1, 2]
    # Make the second body paragraph a level-1 heading: numbers after it follow.
    cursor = edit.textCursor()
    cursor.setPosition(edit.document().findBlockByNumber(3).position())
    edit.setTextCursor(cursor)
    edit.set_level(1)
    texts = [p["text"] for p in edit.paragraphs()]
    assert texts[3] == "二、正文二。" and texts[6] == "三、保障措施"
    assert number_for(1, 12) == "十二、" and number_for(2, 21) == "（二十一）"


def test_editor_payload_and_classified_refusal(app: QApplication, qtbot: Any) -> None:
    editor = DraftEditor()
    qtbot.addWidget(editor)
    editor.new_draft("江海市人民政府办公室")
    editor.title.setText("关于测试的通知")
    editor.body.set_paragraphs(["一、要求", "内容。"])
    editor.main_to.add({"id": "b-jh-yj", "name": "江海市应急管理局"})
    with qtbot.waitSignal(editor.save_requested) as blocker:
        editor.save_button.click()
    payload, submit = blocker.args
    assert submit is False and payload["main_to"] == ["b-jh-yj"]
    assert payload["spec"]["body"][0] == {"text": "一、要求", "level": 1}
    assert payload["spec"]["issuer_mark"] == "江海市人民政府办公室文件"
    editor.body.set_paragraphs(["绝密★10年", "内容。"])
    with qtbot.assertNotEmitted(editor.save_requested):
        editor.submit_button.click()
    assert "非涉密" in editor.error.text()


def test_new_draft_saved_offline_appears_in_mine(page: DocumentsPage, qtbot: Any,
                                                 demo_cache: LocalCache) -> None:
    page.new_draft()
    assert page.right.currentWidget() is page.editor
    page.editor.title.setText("关于离线起草测试的通知")
    page.editor.body.set_paragraphs(["离线也能起草。"])
    with qtbot.waitSignal(page.detail_shown, timeout=5000):
        page.editor.save_button.click()
    with qtbot.waitSignal(page.rows_loaded):
        page.select_tab("mine")
    qtbot.waitUntil(lambda: any(r["title"] == "关于离线起草测试的通知" for r in page.model.rows()),
                    timeout=5000)
    assert page.tab_bar.tabText(2) == "我发起 7"


def test_action_dialog_collects_the_args(app: QApplication, qtbot: Any, demo_cache: LocalCache) -> None:
    from modules.documents.views.detail import ActionDialog

    svc = service.DocumentService(demo_cache, None, support.ME)
    row = next(r for r in svc.page("todo") if r["step"] == "review")
    detail = svc.detail(row["id"])
    found: list[dict[str, Any]] = [{"id": "p-6", "name": "杨帆", "title": "副市长"}]

    def search(_text: str, callback: Any) -> None:
        callback(found)

    dialog = ActionDialog("return", detail["allowed"], detail["doc"], search)
    qtbot.addWidget(dialog)
    assert dialog.target.count() == 1 and dialog.target.currentData() == "draft"
    dialog._accept()
    assert dialog.error.text() == "请填写理由。"  # no reason: stays open
    dialog.text.setPlainText("请补充数据。")
    assert dialog.args() == {"to_step": "draft", "reason": "请补充数据。"}
    transfer = ActionDialog("transfer", detail["allowed"], detail["doc"], search)
    qtbot.addWidget(transfer)
    picker = transfer.pickers["person"]
    picker.box.setText("杨")
    qtbot.waitUntil(lambda: picker.results.count() == 1)
    picker.results.setCurrentRow(0)
    assert transfer.args() == {"to": {"id": "p-6", "name": "杨帆", "post": "副市长"}, "reason": ""}
    approve = ActionDialog("approve", detail["allowed"], detail["doc"], search)
    qtbot.addWidget(approve)
    approve.text.setPlainText("同意。")
    assert approve.args() == {"opinion": "同意。"}  # later steps are already assigned
    for d in (dialog, transfer, approve):
        d.close()
        d.deleteLater()
    settle(2)


def test_submit_from_the_editor_asks_who_reviews_and_signs(page: DocumentsPage, qtbot: Any,
                                                           demo_cache: LocalCache) -> None:
    from modules.documents.views.detail import ActionDialog

    page.new_draft()
    page.editor.title.setText("关于提交测试的通知")
    page.editor.body.set_paragraphs(["一、要求", "按时提交。"])
    page.editor.submit_button.click()
    qtbot.waitUntil(lambda: page.detail.findChild(ActionDialog, "ActionDialog_approve") is not None,
                    timeout=5000)
    dialog = page.detail.findChild(ActionDialog, "ActionDialog_approve")
    assert set(dialog.pickers) == {"review", "sign"}
    assert page.detail.doc["title"] == "关于提交测试的通知"
    dialog.pickers["review"].selected = support.actor("p-2")
    dialog.pickers["sign"].selected = support.actor("p-3")
    dialog.text.setPlainText("请审核。")
    with qtbot.waitSignal(page.action_done, timeout=5000) as blocker:
        dialog._accept()
    assert blocker.args == [""]
    qtbot.waitUntil(lambda: page.detail.doc.get("state_words") == "待核稿", timeout=5000)
    assert page.detail.doc["workflow"]["assignments"]["sign"][0]["id"] == "p-3"
