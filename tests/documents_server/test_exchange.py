"""Exchange between bodies (公文交换): 核发 → 签收 → 登记 → 初审 → 拟办 → 批办 → 承办 →
传阅 → 办结 → 归档, read receipts and tracking for the sender, recall, return to sender."""

from __future__ import annotations

from tests.documents_server.conftest import (
    CLERK,
    CZT,
    CZT_CLERK,
    DRAFTER,
    JH,
    JH_CLERK,
    JH_MAYOR,
    JH_SECRETARY,
    JH_VICE,
    JUZHANG,
    Office,
    actor,
)


def _incoming(office: Office, out_id: str, body_id: str) -> str:
    delivery = next(d for d in office.doc(out_id)["deliveries"] if d["body_id"] == body_id)
    return delivery["incoming_id"]


def test_incoming_flow_end_to_end_with_tracking(office: Office) -> None:
    out_id = office.dispatched()
    inc = _incoming(office, out_id, JH)
    data = office.doc(inc, JH_CLERK)
    assert data["kind"] == "incoming" and data["state_words"] == "待签收"
    assert data["source"]["document_id"] == out_id and data["doc_number"] == office.doc(out_id)["doc_number"]
    assert data["pdf_sha256"] == office.doc(out_id)["pdf_sha256"]
    assert [(t.kind, t.from_name) for t in office.todos(JH_CLERK)] == [("待签收", "省政数局")]
    assert ("documents.document", inc) not in office.feed(CLERK)  # the copy is the recipient's own

    office.ok(JH_CLERK, "documents.mark_opened", {"document_id": inc})
    again = office.ok(JH_CLERK, "documents.mark_opened", {"document_id": inc})
    assert again["first"] is False
    delivery = next(d for d in office.doc(out_id, CLERK)["deliveries"] if d["body_id"] == JH)
    assert [o["person_id"] for o in delivery["opened"]] == [JH_CLERK]

    office.ok(JH_CLERK, "documents.sign_for", {"document_id": inc})
    delivery = next(d for d in office.doc(out_id, CLERK)["deliveries"] if d["body_id"] == JH)
    assert delivery["state"] == "signed" and delivery["signed_by"]["id"] == JH_CLERK
    assert delivery["sign_seconds"] is not None and delivery["sign_seconds"] >= 0

    reg = office.ok(JH_CLERK, "documents.register", {"document_id": inc})
    assert reg["receipt_number"].startswith("收文〔") and reg["receipt_number"].endswith("〕1号")
    office.act_ok(JH_CLERK, inc, "approve", "screen",
                  next_assignees={"propose": [actor(JH_SECRETARY)]})
    assert [t.kind for t in office.todos(JH_SECRETARY)] == ["待拟办"]
    missing = office.act(JH_SECRETARY, inc, "approve", "propose", opinion="拟请市长阅示。")
    assert missing["status"] == "rejected" and missing["error"]["code"] == "document.workflow.no_assignee"
    office.act_ok(JH_SECRETARY, inc, "approve", "propose", opinion="拟请市长阅示。",
                  next_assignees={"instruct": [actor(JH_MAYOR)]})
    office.act_ok(JH_MAYOR, inc, "approve", "instruct", opinion="请秘书长牵头落实。", deadline="2026-12-31",
                  next_assignees={"handle": [actor(JH_VICE)], "circulate": [actor(JH_MAYOR), actor(JH_SECRETARY)]})
    todo = office.todos(JH_VICE)
    assert [t.kind for t in todo] == ["待办理"] and todo[0].due_at is not None
    office.act_ok(JH_VICE, inc, "approve", "handle", opinion="已部署。")
    assert {t.kind for t in office.todos(JH_MAYOR)} == {"待阅"}
    office.act_ok(JH_SECRETARY, inc, "approve", "circulate", opinion="已阅。")
    office.act_ok(JH_MAYOR, inc, "approve", "circulate", opinion="阅。")
    office.act_ok(JH_CLERK, inc, "approve", "complete")
    archived = office.ok(JH_CLERK, "documents.archive", {"document_id": inc, "retention": "30年"})
    assert archived["archive"]["retention"] == "30年"
    data = office.doc(inc, JH_MAYOR)
    assert data["status"] == "done" and data["state_words"] == "已归档" and data["deadline"] == "2026-12-31"
    assert [o["kind"] for o in data["opinions"]] == ["意见", "批示", "意见", "意见", "意见"]
    delivery = next(d for d in office.doc(out_id, DRAFTER)["deliveries"] if d["body_id"] == JH)
    assert delivery["state"] == "archived" and delivery["done_seconds"] is not None
    assert office.todos(JH_CLERK) == [] and office.todos(JH_MAYOR) == []
    # The other body's copy is untouched.
    other = _incoming(office, out_id, CZT)
    assert office.doc(other, CZT_CLERK)["state_words"] == "待签收"


def test_recall_only_before_signing(office: Office) -> None:
    out_id = office.dispatched()
    jh, czt = _incoming(office, out_id, JH), _incoming(office, out_id, CZT)
    office.ok(CZT_CLERK, "documents.sign_for", {"document_id": czt})
    blocked = office.send(CLERK, "documents.recall", {"document_id": out_id, "reason": "有误"})
    assert blocked["status"] == "conflict" and blocked["error"]["code"] == "document.already_signed_for"
    assert "省财政厅已由龙薇欣于" in blocked["error"]["message"]
    assert office.doc(jh, JH_CLERK)["status"] == "active"  # nothing recalled
    outsider = office.send(JH_CLERK, "documents.recall", {"document_id": out_id, "reason": "x"})
    assert outsider["status"] == "rejected" and outsider["error"]["code"] == "document.not_found"

    result = office.ok(CLERK, "documents.recall", {"document_id": out_id, "body_ids": [JH], "reason": "文号有误"})
    assert result["recalled"] == [JH]
    assert office.feed(JH_CLERK)[("documents.document", jh)] is None  # tombstone
    assert office.todos(JH_CLERK) == []
    late = office.send(JH_CLERK, "documents.sign_for", {"document_id": jh})
    assert late["status"] == "conflict" and late["error"]["code"] == "document.recalled"
    assert late["error"]["message"].startswith("该公文已由省政务服务数据管理局于")
    states = {d["body_id"]: d["state"] for d in office.doc(out_id, CLERK)["deliveries"]}
    assert states == {JH: "recalled", CZT: "signed"}


def test_screening_returns_the_document_to_its_sender(office: Office) -> None:
    out_id = office.dispatched()
    inc = _incoming(office, out_id, JH)
    office.ok(JH_CLERK, "documents.sign_for", {"document_id": inc})
    office.ok(JH_CLERK, "documents.register", {"document_id": inc})
    office.ok(JH_CLERK, "documents.return_to_sender", {"document_id": inc, "reason": "不属于本机关职责范围。"})
    data = office.doc(inc, JH_CLERK)
    assert data["status"] == "returned" and data["return_reason"] == "不属于本机关职责范围。"
    delivery = next(d for d in office.doc(out_id, CLERK)["deliveries"] if d["body_id"] == JH)
    assert delivery["state"] == "returned" and delivery["return_reason"] == "不属于本机关职责范围。"
    late = office.act(JH_CLERK, inc, "approve", "screen")
    assert late["status"] == "conflict" and "退回发文机关" in late["error"]["message"]


def test_outgoing_archive_by_the_sending_registry(office: Office) -> None:
    out_id = office.dispatched()
    refused = office.send(DRAFTER, "documents.archive", {"document_id": out_id})
    assert refused["status"] == "rejected" and refused["error"]["code"] == "document.not_registry"
    office.ok(CLERK, "documents.archive", {"document_id": out_id, "archive_no": "A-2026-1"})
    again = office.send(CLERK, "documents.archive", {"document_id": out_id})
    assert again["status"] == "conflict" and again["error"]["code"] == "document.already_archived"
    assert office.doc(out_id, JUZHANG)["state_words"] == "已归档"
