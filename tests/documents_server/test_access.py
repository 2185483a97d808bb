"""Who sees what: participants, the body's registry and leaders — nobody else; removed
participants get a tombstone; the read routes answer with the same visibility."""

from __future__ import annotations

from fastapi.testclient import TestClient

from modules.directory.demo import DEMO_PASSWORD
from tests.documents_server.conftest import (
    CLERK,
    CZT_CLERK,
    DRAFTER,
    FUJU_B,
    JH_CLERK,
    JUZHANG,
    SJZYC_HEAD,
    YS_CLERK,
    YS_STAFF,
    ZCFGC_HEAD,
    ZHC_HEAD,
    Office,
    actor,
)

DOC = "documents.document"


def test_feed_audience_and_tombstone_for_a_removed_participant(office: Office) -> None:
    doc_id = office.draft(countersign=(ZCFGC_HEAD, SJZYC_HEAD))
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    for person in (DRAFTER, ZHC_HEAD, ZCFGC_HEAD, SJZYC_HEAD, JUZHANG, CLERK, FUJU_B):
        assert office.feed(person).get((DOC, doc_id)) is not None, person
    for outsider in (YS_STAFF, YS_CLERK, JH_CLERK, CZT_CLERK, "p-demo-21"):  # 21: a colleague not involved
        assert (DOC, doc_id) not in office.feed(outsider), outsider

    office.act_ok(DRAFTER, doc_id, "remove_signer", "countersign", signer_id=SJZYC_HEAD)
    feed = office.feed(SJZYC_HEAD)
    assert (DOC, doc_id) in feed and feed[(DOC, doc_id)] is None  # tombstone
    assert office.feed(ZCFGC_HEAD)[(DOC, doc_id)] is not None


def test_outsiders_cannot_act_or_read(office: Office) -> None:
    doc_id = office.draft()
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    sneaky = office.act(YS_STAFF, doc_id, "approve", "review")
    assert sneaky["status"] == "rejected" and sneaky["error"]["code"] == "document.not_found"
    opened = office.send(YS_STAFF, "documents.mark_opened", {"document_id": doc_id})
    assert opened["error"]["code"] == "document.not_found"
    # A colleague who can see it (a leader of the body) but is not on the step: not their step.
    not_mine = office.act(FUJU_B, doc_id, "approve", "review")
    assert not_mine["status"] == "rejected" and not_mine["error"]["code"] == "document.workflow.not_your_step"


def _login(client: TestClient, login: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/login", json={"account": login, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_read_routes_audit_tracking_revisions_diff(office: Office) -> None:
    doc_id = office.draft()
    spec = office.doc(doc_id)["spec"]
    office.ok(DRAFTER, "documents.save_draft",
              {"document_id": doc_id, "spec": spec | {"title": "关于加快推进政务数据共享工作的通知"}})
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.ok(ZHC_HEAD, "documents.mark_opened", {"document_id": doc_id})
    client = TestClient(office.app)
    mine = _login(client, "zhengyue")  # DRAFTER
    audit = client.get(f"/api/v1/documents/{doc_id}/audit", headers=mine)
    assert audit.status_code == 200
    actions = [item["action"] for item in audit.json()["items"]]
    assert actions == ["create_draft", "save_draft", "approve", "opened"]
    assert audit.json()["items"][0]["person"]["name"] == "郑悦"
    assert audit.json()["items"][2]["source"].startswith("intent:documents.act#")

    tracking = client.get(f"/api/v1/documents/{doc_id}/tracking", headers=mine).json()
    waiting = [p for p in tracking["people"] if p["acted_at"] is None]
    assert [(p["person_id"], p["step"]) for p in waiting] == [(ZHC_HEAD, "review")]
    assert waiting[0]["opened_at"] is not None and waiting[0]["wait_seconds"] >= 0

    revs = client.get(f"/api/v1/documents/{doc_id}/revisions", headers=mine).json()["items"]
    assert [r["no"] for r in revs] == [1, 2]
    one = client.get(f"/api/v1/documents/{doc_id}/revisions/2", headers=mine).json()
    assert "标题：关于加快推进政务数据共享工作的通知" in one["text"]
    diff = client.get(f"/api/v1/documents/{doc_id}/diff", params={"from": 1, "to": 2}, headers=mine).json()
    assert diff["stats"] == {"inserted": 2, "deleted": 0}
    missing = client.get(f"/api/v1/documents/{doc_id}/revisions/9", headers=mine)
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "document.revision_not_found"

    outsider = _login(client, "gongyongchun")  # YS_STAFF
    for path in ("audit", "tracking", "revisions", "revisions/1"):
        r = client.get(f"/api/v1/documents/{doc_id}/{path}", headers=outsider)
        assert r.status_code == 404 and r.json()["error"]["code"] == "document.not_found"


def test_pushed_through_http_with_english_messages(office: Office) -> None:
    doc_id = office.draft()
    client = TestClient(office.app)
    headers = _login(client, "zengjiaying") | {"Accept-Language": "en"}  # ZHC_HEAD
    r = client.post("/api/v1/sync/push", headers=headers, json={"mutations": [
        {"id": "mutation-0001", "name": "documents.act",
         "args": {"document_id": doc_id, "op": "approve", "step": "review", "args": {}}},
        {"id": "mutation-0002", "name": "documents.act",
         "args": {"document_id": doc_id, "op": "transfer", "step": "draft", "args": {"to": actor(ZHC_HEAD)}}},
    ]})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["status"] for x in results] == ["rejected", "rejected"]
    assert results[0]["error"]["message"] == "The current step (draft) is not assigned to you."


def test_registry_steps_cannot_be_assigned_by_users(office: Office) -> None:
    doc_id = office.draft()
    grab = office.send(DRAFTER, "documents.create_draft", {
        "document_id": "d-aaaabbbbcccc", "spec": office.doc(doc_id)["spec"],
        "assignments": {"review": [actor(ZHC_HEAD)], "register": [actor(DRAFTER)]}})
    assert grab["status"] == "rejected" and grab["error"]["code"] == "document.step_not_assignable"
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    sneaky = office.act(ZHC_HEAD, doc_id, "approve", "review", next_assignees={"dispatch": [actor(ZHC_HEAD)]})
    assert sneaky["status"] == "rejected" and sneaky["error"]["code"] == "document.step_not_assignable"
    assert [p["id"] for p in office.doc(doc_id)["workflow"]["assignments"]["register"]] == [CLERK, "p-demo-08"]
