"""Outgoing documents (发文): drafting, every workflow operation, registration, seal."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import func, select

from server.blobs.models import Blob, BlobRef
from server.db import session_scope
from server.documents.models import AuditEntry, Document, Opinion, Revision
from tests.documents_server.conftest import (
    CLERK,
    CZT,
    DRAFTER,
    FUJU_A,
    FUJU_B,
    JH,
    JUZHANG,
    SEALER,
    SJZYC_HEAD,
    ZCFGC_HEAD,
    ZHC_HEAD,
    Office,
    actor,
)


def test_full_outgoing_flow_with_countersign_number_pdf_and_seal(office: Office) -> None:
    doc_id = office.draft(countersign=(ZCFGC_HEAD, SJZYC_HEAD))
    data = office.doc(doc_id, DRAFTER)
    assert data["state_words"] == "草稿" and data["revision"] == 1
    assert data["workflow"]["assignments"]["register"][0]["id"] == CLERK  # server default
    assert data["workflow"]["assignments"]["seal"][0]["id"] == SEALER

    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    assert [t.kind for t in office.todos(ZHC_HEAD)] == ["待核稿"]
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review", opinion="拟同意。")
    assert office.todos(ZHC_HEAD) == []
    assert [t.kind for t in office.todos(ZHC_HEAD, open_only=False)] == ["待核稿"]  # kept in 已办
    office.act_ok(ZCFGC_HEAD, doc_id, "approve", "countersign", opinion="无意见。")
    assert office.doc(doc_id)["step"] == "countersign"  # still waiting for the other signer
    office.act_ok(SJZYC_HEAD, doc_id, "approve", "countersign", opinion="同意。")
    assert [t.kind for t in office.todos(JUZHANG)] == ["待签发"]
    office.act_ok(JUZHANG, doc_id, "approve", "sign", opinion="同意印发。")
    data = office.doc(doc_id)
    assert data["spec"]["date"]  # 成文日期 fixed at 签发
    assert [o["kind"] for o in data["opinions"]] == ["意见", "意见", "意见", "批示"]
    assert data["state_words"] == "待复核"

    office.act_ok(CLERK, doc_id, "approve", "recheck")
    # 登记 is not a plain approval: it fixes the number and renders the PDF.
    wrong = office.act(CLERK, doc_id, "approve", "register")
    assert wrong["status"] == "rejected" and wrong["error"]["code"] == "document.use_intent"
    result = office.ok(CLERK, "documents.register", {"document_id": doc_id})
    assert result["doc_number"].startswith("粤政数〔") and result["doc_number"].endswith("〕1号")
    data = office.doc(doc_id)
    assert data["doc_number"] == result["doc_number"] == data["spec"]["doc_number"]
    assert data["state_words"] == "待用印" and data["seal"]["state"] == "waiting"
    assert [t.kind for t in office.todos(SEALER)] == ["待用印"]
    with session_scope(office.sessions) as s:
        blob = s.get(Blob, data["pdf_sha256"])
        assert blob is not None and blob.complete and blob.content_type == "application/pdf"
        assert s.get(BlobRef, (data["pdf_sha256"], "documents.document", doc_id)) is not None

    # The e-seal module reports the stamp: the stamped PDF replaces the original.
    from server.documents.feed import on_stamped

    stamped = "ab" * 32
    with session_scope(office.sessions) as s:
        # the document's own request (as documents.request_seal records it); a request it
        # did not file would undo the stamp (tests/documents_server/test_seal_authorisation.py)
        row = s.get(Document, doc_id)
        assert row is not None
        row.seal = {**(row.seal or {}), "request_id": "sr-1"}
    with session_scope(office.sessions) as s:
        on_stamped(s, SimpleNamespace(document_id=doc_id, id="sr-1", decided_by=SEALER), stamped)
    data = office.doc(doc_id)
    assert data["pdf_sha256"] == stamped and data["seal"]["state"] == "stamped"
    assert data["step"] == "dispatch" and data["state_words"] == "待核发"
    assert office.todos(SEALER) == []

    result = office.ok(CLERK, "documents.dispatch", {"document_id": doc_id})
    assert set(result["incoming"]) == {JH, CZT}
    data = office.doc(doc_id)
    assert data["status"] == "done" and data["state_words"] == "已核发"
    assert {d["body_id"]: d["state"] for d in data["deliveries"]} == {JH: "delivered", CZT: "delivered"}
    with session_scope(office.sessions) as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.document_id == doc_id)
                                 .order_by(AuditEntry.id)))
    assert actions[0] == "create_draft" and "approve" in actions and "stamped" in actions
    assert all(a.startswith("intent:") or a == "hook:seals" for a in _sources(office, doc_id))


def _sources(office: Office, doc_id: str) -> list[str]:
    with session_scope(office.sessions) as s:
        return list(s.scalars(select(AuditEntry.source).where(AuditEntry.document_id == doc_id)))


def test_unsealed_document_skips_the_seal_step(office: Office) -> None:
    doc_id = office.draft(sealed=False)
    office.to_register(doc_id)
    office.ok(CLERK, "documents.register", {"document_id": doc_id})
    assert office.doc(doc_id)["step"] == "dispatch"


def test_return_withdraw_transfer_delegate_and_void(office: Office) -> None:
    doc_id = office.draft()
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    # 核稿 returns to the drafter with a reason: the drafter gets 待修改.
    bad = office.act(ZHC_HEAD, doc_id, "return", "review", to_step="draft")
    assert bad["status"] == "rejected" and bad["error"]["code"] == "document.workflow.reason_required"
    office.act_ok(ZHC_HEAD, doc_id, "return", "review", to_step="draft", reason="请补充依据。")
    assert office.doc(doc_id)["state_words"] == "待修改"
    assert [t.kind for t in office.todos(DRAFTER)] == ["待修改"]
    assert office.todos(ZHC_HEAD) == []
    # The drafter resubmits, then withdraws (撤回) before anyone acted.
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(DRAFTER, doc_id, "withdraw")
    assert office.doc(doc_id)["step"] == "draft"
    assert office.todos(ZHC_HEAD) == []  # the reviewer's to-do went away again
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    # 转办: the reviewer hands the review to another division head.
    office.act_ok(ZHC_HEAD, doc_id, "transfer", "review", to=actor(ZCFGC_HEAD), reason="请法规处核稿")
    assert [t.kind for t in office.todos(ZCFGC_HEAD)] == ["待核稿"]
    late = office.act(ZHC_HEAD, doc_id, "approve", "review")
    assert late["status"] in ("rejected", "conflict")
    office.act_ok(ZCFGC_HEAD, doc_id, "approve", "review")
    # 委托: the 局长 lets a deputy sign on his behalf.
    office.act_ok(JUZHANG, doc_id, "delegate", "sign", to=actor(FUJU_A))
    assert [t.kind for t in office.todos(FUJU_A)] == ["待签发"]
    office.act_ok(FUJU_A, doc_id, "approve", "sign", opinion="同意。")
    data = office.doc(doc_id)
    signed = next(o for o in data["opinions"] if o["step"] == "sign")
    assert signed["person"]["id"] == JUZHANG and signed["written_by"]["id"] == FUJU_A
    # 作废 is the drafter's right only.
    refused = office.act(ZHC_HEAD, doc_id, "void", reason="不需要了")
    assert refused["status"] == "rejected" and refused["error"]["code"] == "permission.denied"
    office.act_ok(DRAFTER, doc_id, "void", reason="情况已变化，不再发文。")
    data = office.doc(doc_id)
    assert data["status"] == "voided" and data["state_words"] == "已作废"
    assert office.todos(CLERK) == []
    late = office.act(CLERK, doc_id, "approve", "recheck")
    assert late["status"] == "conflict" and "作废" in late["error"]["message"]


def test_add_and_remove_countersigners_urge(office: Office) -> None:
    doc_id = office.draft(countersign=(ZCFGC_HEAD,))
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    office.act_ok(DRAFTER, doc_id, "add_signer", "countersign", signer=actor(SJZYC_HEAD))
    assert [t.kind for t in office.todos(SJZYC_HEAD)] == ["待会签"]
    office.act_ok(DRAFTER, doc_id, "urge", message="请今天会签")
    urged = office.todos(ZCFGC_HEAD)
    assert urged and urged[0].title.startswith("【催办】")
    office.act_ok(DRAFTER, doc_id, "remove_signer", "countersign", signer_id=SJZYC_HEAD)
    assert office.todos(SJZYC_HEAD) == []
    office.act_ok(ZCFGC_HEAD, doc_id, "approve", "countersign")
    assert office.doc(doc_id)["step"] == "sign"


def test_batch_approve_reports_each_item(office: Office) -> None:
    first, second, third = office.draft(), office.draft(), office.draft()
    for doc_id in (first, second):
        office.act_ok(DRAFTER, doc_id, "approve", "draft")
        office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    result = office.ok(JUZHANG, "documents.batch_approve", {
        "items": [{"document_id": first, "step": "sign"}, {"document_id": second, "step": "sign"},
                  {"document_id": third, "step": "sign"}],
        "opinion": "同意。",
    })["results"]
    assert [r["ok"] for r in result] == [True, True, False]
    assert result[2]["error"]["code"] == "document.workflow.not_your_step"
    assert office.doc(first)["step"] == "recheck" and office.doc(second)["step"] == "recheck"
    assert office.doc(third)["step"] == "draft"  # the failed item changed nothing


def test_revisions_diff_and_locked_after_signing(office: Office) -> None:
    doc_id = office.draft()
    changed = office.doc(doc_id)["spec"] | {"title": "关于加快推进政务数据共享工作的通知"}
    office.ok(DRAFTER, "documents.save_draft", {"document_id": doc_id, "spec": changed, "base_revision": 1,
                                               "note": "改标题"})
    stale = office.send(DRAFTER, "documents.save_draft", {"document_id": doc_id, "spec": changed | {"note": "x"},
                                                          "base_revision": 1})
    assert stale["status"] == "conflict" and stale["error"]["code"] == "document.revision_conflict"
    assert "第2稿" in stale["error"]["message"]
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    # The reviewer edits the draft (修改稿) — the drafter no longer can.
    not_mine = office.send(DRAFTER, "documents.save_draft", {"document_id": doc_id, "spec": changed})
    assert not_mine["status"] == "rejected"
    body = changed["body"] + ["二、加强统筹"]
    office.ok(ZHC_HEAD, "documents.save_draft", {"document_id": doc_id, "spec": changed | {"body": body}})
    data = office.doc(doc_id)
    assert data["revision"] == 3 and [r["by"]["id"] for r in data["revisions"]] == [DRAFTER, DRAFTER, ZHC_HEAD]
    with session_scope(office.sessions) as s:
        texts = {r.no: r.text for r in s.scalars(select(Revision).where(Revision.document_id == doc_id))}
    from modules.documents.diff import diff_texts

    d = diff_texts(texts[1], texts[3])
    assert d["stats"]["inserted"] > 0
    assert any(line["op"] == "insert" and line["new"] == "二、加强统筹" for line in d["lines"])
    title = next(line for line in d["lines"] if line["op"] == "replace")
    assert {"op": "insert", "text": "加快"} in title["segments"]
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    office.act_ok(JUZHANG, doc_id, "approve", "sign")
    locked = office.send(CLERK, "documents.save_draft", {"document_id": doc_id, "spec": changed})
    assert locked["status"] == "rejected" and locked["error"]["code"] == "document.draft_locked"


def test_classified_documents_are_refused_and_nothing_is_stored(office: Office) -> None:
    for bad in ({"classification": "秘密"}, {"密级": "机密★10年"}, {"title": "绝密★ 关于某事的通知"}):
        response = office.send(DRAFTER, "documents.create_draft", {
            "document_id": "d-0123456789ab", "spec": {"doc_type": "通知", "title": "通知",
                                                      "issuer_mark": "某局", "body": ["正文"]} | bad,
        })
        assert response["status"] == "rejected"
        assert response["error"]["code"] == "document.classified_refused"
    with session_scope(office.sessions) as s:
        assert s.scalar(select(func.count()).select_from(Document)) == 0
        assert s.scalar(select(func.count()).select_from(Revision)) == 0
        from server.changefeed import ChangeLog

        assert s.scalar(select(func.count()).select_from(ChangeLog)
                        .where(ChangeLog.entity == "documents.document")) == 0
    # Also when a later draft adds a 密级: refused, the stored draft unchanged.
    doc_id = office.draft()
    bad = office.send(DRAFTER, "documents.save_draft",
                      {"document_id": doc_id, "spec": office.doc(doc_id)["spec"] | {"classification": "秘密"}})
    assert bad["error"]["code"] == "document.classified_refused"
    assert office.doc(doc_id)["revision"] == 1 and not office.doc(doc_id)["spec"]["classification"]


def test_retried_intent_is_applied_once(office: Office) -> None:
    doc_id = office.draft()
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    args = {"document_id": doc_id, "op": "approve", "step": "review", "args": {"opinion": "同意。"}}
    first = office.send(ZHC_HEAD, "documents.act", args, mutation_id="m-retry-1")
    again = office.send(ZHC_HEAD, "documents.act", args, mutation_id="m-retry-1")
    assert first == again and first["status"] == "applied"
    with session_scope(office.sessions) as s:
        assert s.scalar(select(func.count()).select_from(Opinion).where(Opinion.document_id == doc_id)) == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry)
                        .where(AuditEntry.document_id == doc_id, AuditEntry.action == "approve")) == 2
    retry_create = office.send(DRAFTER, "documents.create_draft",
                               {"document_id": doc_id, "spec": office.doc(doc_id)["spec"]})
    assert retry_create["status"] == "conflict" and retry_create["error"]["code"] == "document.exists"


def test_deputies_on_one_any_step_only_one_applies(office: Office) -> None:
    doc_id = office.draft(sign=(FUJU_A, FUJU_B))
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    office.act_ok(FUJU_A, doc_id, "approve", "sign", opinion="同意。")
    late = office.act(FUJU_B, doc_id, "approve", "sign", opinion="同意。")
    assert late["status"] == "conflict"
    assert late["error"]["message"].startswith("该公文已由沈刚源于") and "签发，您的签批未生效" in late["error"]["message"]
