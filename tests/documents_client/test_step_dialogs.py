"""Step commands of the detail page: who is offered 登记/核发/用印申请/退回发文机关/撤回分发/
归档, what their dialogs check, and what the page submits or writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from modules.documents import service, workflow
from modules.documents.views import dialogs
from modules.documents.views.page import DocumentsPage
from office_app import tasks
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from sync.cache import LocalCache
from tests.documents_client import support

FLOW = support.STANDARD_FLOW
CLERK = workflow.Actor.of(support.actor("p-5"))
SPEC = support._spec("通知", "关于开展安全检查的通知", ["请认真组织开展安全检查。"])


def _at_register() -> dict[str, Any]:
    return support.make_record("d-reg00000001", SPEC, "p-1", assignments=FLOW, main_to=["b-jh-yj"], steps=[
        ("approve", "p-1", ""), ("approve", "p-2", ""), ("approve", "p-3", "同意。"), ("approve", "p-5", "")])


def _dispatched() -> dict[str, Any]:
    doc = support.make_record("d-out00000001", SPEC, "p-1", assignments=FLOW, main_to=["b-jh-yj", "b-jh-sl"],
                              number="江府办〔2026〕9号", pdf_sha="a" * 64, steps=[
        ("approve", "p-1", ""), ("approve", "p-2", ""), ("approve", "p-3", ""), ("approve", "p-5", ""),
        ("approve", "p-5", ""), ("approve", "p-8", ""), ("approve", "p-5", "")])
    doc["deliveries"] = [
        {"body_id": "b-jh-yj", "body_name": "江海市应急管理局", "state": "delivered"},
        {"body_id": "b-jh-sl", "body_name": "江海市水利局", "state": "signed"}]
    return doc


# --------------------------------------------------------------------------- allowed


def test_register_and_dispatch_are_offered_to_the_pending_clerk_only() -> None:
    doc = _at_register()
    mine = service.allowed_actions(doc, CLERK, registry=True)
    assert mine.register and mine.step_intent == service.REGISTER and not mine.dispatch
    other = service.allowed_actions(doc, workflow.Actor.of(support.actor("p-4")))
    assert not other.register and not other.approve


def test_recall_and_archive_after_dispatch_need_the_registry_role() -> None:
    doc = _dispatched()
    assert doc["workflow"]["status"] == "done"
    clerk = service.allowed_actions(doc, CLERK, registry=True)
    assert clerk.recall == (("b-jh-yj", "江海市应急管理局"),)  # the signed one cannot be recalled
    assert clerk.archive
    stranger = service.allowed_actions(doc, workflow.Actor.of(support.actor("p-4")))
    assert not stranger.recall and not stranger.archive
    doc["archive"] = {"retention": "30年", "archive_no": ""}
    assert not service.allowed_actions(doc, CLERK, registry=True).archive


# --------------------------------------------------------------------------- dialogs


def test_register_dialog_shows_the_number_form_and_passes_the_seal(qapp: QApplication) -> None:
    info = {"doc": _at_register(), "agency_code": "江府办", "year": 2026, "sealed": True,
            "seals": [{"id": "seal-1", "name": "江海市人民政府办公室"}]}
    dialog = dialogs.RegisterDialog(info)
    assert "江府办〔2026〕N号" in dialog.preview.text()
    assert dialog.args() == {"agency_code": "江府办", "year": 2026, "seal_id": "seal-1"}
    dialog.code.setText("")
    dialog._accept()
    assert dialog.error.text() == "请填写机关代字。" and dialog.result() == 0
    dialog.seal.setCurrentIndex(dialog.seal.count() - 1)  # 线下用印
    dialog.code.setText("江府")
    assert "seal_id" not in dialog.args()
    dialog.deleteLater()


def test_archive_dialog_composes_and_checks_the_archive_number(qapp: QApplication) -> None:
    dialog = dialogs.ArchiveDialog(_dispatched())
    assert dialog.retention.currentText() == "30年"  # 通知, outgoing
    dialog.fonds.setText("Z001")
    dialog.org.setText("BGS")
    dialog.item.setValue(12)
    assert dialog.number.text() == "Z001-WS·2026-D30-BGS-0012"
    dialog.number.setText("Z001-WS·2026-Y-BGS-0012")  # 永久 code with 30年 chosen
    dialog._accept()
    assert dialog.error.isVisibleTo(dialog) and "30年" in dialog.error.text()
    dialog.retention.setCurrentText("永久")
    dialog._accept()
    assert dialog.result() == 1
    assert dialog.args() == {"retention": "永久", "archive_no": "Z001-WS·2026-Y-BGS-0012"}
    dialog.deleteLater()


def test_recall_and_seal_dialogs_refuse_empty_choices(qapp: QApplication) -> None:
    recall = dialogs.RecallDialog(_dispatched(), (("b-jh-yj", "江海市应急管理局"),))
    recall.reason.setPlainText("文号有误，撤回重发。")
    recall.boxes[0][1].setChecked(False)
    recall._accept()
    assert recall.error.text() == "请选择要撤回的机关。"
    recall.boxes[0][1].setChecked(True)
    assert recall.args() == {"reason": "文号有误，撤回重发。", "body_ids": ["b-jh-yj"]}
    seal = dialogs.SealRequestDialog(_dispatched(), [])
    seal._accept()
    assert seal.error.text() == "请选择要使用的印章。" and seal.result() == 0
    for d in (recall, seal):
        d.deleteLater()


# --------------------------------------------------------------------------- page


@pytest.fixture
def page(qapp: QApplication, tmp_path: Path, demo_cache: LocalCache, qtbot: Any) -> Iterator[DocumentsPage]:
    settings = AppSettings.at_path(tmp_path / "settings.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    clerk = {**support.ME, "person_id": "p-5", "name": "陈静",
             "posts": [{"post_id": "post-5", "body_id": "b-jh-gov", "title": "收发员",
                        "body_name": "江海市人民政府办公室", "roles": ["registry_clerk"], "is_primary": True}]}
    support.seed(demo_cache, [_at_register(), _dispatched()])
    engine = support.LocalEngine(demo_cache, clerk)
    ctx = AppContext(settings, clerk, cache=demo_cache, engine=engine, bus=ChangeBus())
    ctx.attach()
    p = DocumentsPage(ctx)
    qtbot.addWidget(p)
    p.resize(1280, 820)
    p.show()
    yield p
    tasks.wait_for_idle()
    settle(2)
    ctx.detach()
    ChangeBus.reset_instance()


def test_register_button_opens_the_dialog_and_queues_the_intent(page: DocumentsPage, qtbot: Any) -> None:
    page.show_document("d-reg00000001")
    qtbot.waitUntil(lambda: page.detail.doc.get("id") == "d-reg00000001", timeout=5000)
    assert page.detail.approve_button.isVisibleTo(page) and page.detail.approve_button.text() == "登记"
    page.detail.approve_button.click()
    qtbot.waitUntil(lambda: isinstance(page.dialog, dialogs.RegisterDialog), timeout=5000)
    page.dialog.code.setText("江府办")
    with qtbot.waitSignal(page.action_done, timeout=5000):
        page.dialog.ok.click()
    [row] = [r for r in page.service.engine.pending() if r["name"] == service.REGISTER]
    args = json.loads(row["args"]) if isinstance(row["args"], str) else row["args"]
    assert args == {"document_id": "d-reg00000001", "step": "register", "agency_code": "江府办",
                    "year": args["year"]}  # no seal: nothing to request in this office


def test_archive_of_the_dispatched_document_and_form_export(page: DocumentsPage, qtbot: Any,
                                                            tmp_path: Path) -> None:
    page.show_document("d-out00000001")
    qtbot.waitUntil(lambda: page.detail.doc.get("id") == "d-out00000001", timeout=5000)
    assert page.detail.archive_button.isVisibleTo(page)
    page.detail.archive_button.click()
    qtbot.waitUntil(lambda: isinstance(page.dialog, dialogs.ArchiveDialog), timeout=5000)
    with qtbot.waitSignal(page.action_done, timeout=5000):
        page.dialog.ok.click()
    qtbot.waitUntil(lambda: (page.service.get("d-out00000001") or {}).get("archive") is not None, timeout=5000)
    assert page.service.get("d-out00000001")["archive"]["retention"] == "30年"
    target = tmp_path / "办文单.pdf"
    with qtbot.waitSignal(page.action_done, timeout=20000) as blocker:
        page.export_form("d-out00000001", str(target))
    assert str(target) in blocker.args[0]
    assert target.read_bytes().startswith(b"%PDF") and not target.with_name("办文单.pdf.part").exists()


def test_diff_dialog_marks_changed_characters_and_says_when_offline(page: DocumentsPage, qtbot: Any) -> None:
    from modules.documents.diff import diff_texts

    doc = _at_register()
    revisions = [{"no": 1, "by": support.actor("p-1"), "note": ""},
                 {"no": 2, "by": support.actor("p-2"), "note": "核稿修改"}]
    asked: list[tuple[int, int]] = []

    def load(a: int, b: int, done: Any, _failed: Any) -> None:
        asked.append((a, b))
        done({"from": a, "to": b, **diff_texts("请认真组织开展安全检查。", "请立即组织开展安全大检查。")})

    dialog = dialogs.DiffDialog(doc, revisions, load)
    assert asked == [(1, 2)]
    assert dialog.stats.text() == "第1稿 → 第2稿：增加 3 字，删除 2 字"
    assert dialog.text.toPlainText().strip() == "请认真立即组织开展安全大检查。"
    dialog.deleteLater()
    # The page asks the server: without a connection the dialog says so in words.
    page.run_command("d-reg00000001", "diff")
    qtbot.waitUntil(lambda: isinstance(page.dialog, dialogs.DiffDialog), timeout=5000)
    assert page.dialog.stats.text() == "只有一稿，无可对比的修订。"
    page.dialog.reject()
    page.dialog = None
    record = _at_register()
    record["revision"] = 2
    record["revisions"] = [*record["revisions"], {"no": 2, "by": support.actor("p-2"), "at": "2026-11-20T05:00:00Z",
                                                  "note": ""}]
    support.seed(page.service.cache, [record])
    page.run_command("d-reg00000001", "diff")
    qtbot.waitUntil(lambda: isinstance(page.dialog, dialogs.DiffDialog) and page.dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: page.dialog.stats.text() != "正在比较…", timeout=5000)
    assert "网络" in page.dialog.stats.text() or "服务器" in page.dialog.stats.text()
