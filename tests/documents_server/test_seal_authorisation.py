"""Seal authorisation across bodies (issue 7 §1), on the demo organisation, SQLite and
PostgreSQL: a city administrator cannot make or suspend a province seal; a 用印申请 in
one body cannot name another body's document, nor a PDF its requester cannot read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from modules.directory.demo import DEMO_PASSWORD
from server.auth.models import Account
from server.db import session_scope
from server.directory.models import Post
from server.seals.runtime import configure
from tests.documents_server.conftest import CLERK, SZJ, Office
from tests.seals.create import push_create_seal

JH_SZJ = "b-jh-szj"  # 江海市政务服务数据管理局 (a city body)
PROVINCE = "b-gd"
COUNTY = "b-jh-lj"  # 临江县人民政府, under 江海市
NOW = dt.datetime.now(dt.UTC)


def holder(office: Office, body_id: str, role: str) -> str:
    """The first person holding ``role`` on a post in ``body_id``."""
    with session_scope(office.sessions) as s:
        for post in s.scalars(select(Post).where(Post.body_id == body_id).order_by(Post.sort_order, Post.id)):
            if role in (post.roles or ()):
                return post.person_id
    raise AssertionError(f"nobody holds {role} in {body_id}")


def city_admin(office: Office) -> str:
    """A security administrator whose security_admin posts are all inside 江海市 (none in the province)."""
    with session_scope(office.sessions) as s:
        posts = s.scalars(select(Post)).all()
        admins = {p.person_id for p in posts if "security_admin" in (p.roles or ())}
        for person in sorted(admins):
            bodies = {p.body_id for p in posts if p.person_id == person and "security_admin" in (p.roles or ())}
            if bodies and all(b.startswith("b-jh") for b in bodies):
                return person
    raise AssertionError("no city administrator in the demo")


def headers(office: Office, person_id: str) -> dict[str, str]:
    with session_scope(office.sessions) as s:
        account = s.scalars(select(Account).where(Account.person_id == person_id)).first()
        assert account is not None, person_id
        login = account.login
    r = TestClient(office.app).post("/api/v1/auth/login", json={"account": login, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def create_seal(office: Office, admin: str, body_id: str, custodian: str, *, approver: str = "",
                requester: str = "") -> dict[str, Any]:
    """``seals.create_seal`` pushed as ``admin``: the push result entry."""
    configure(office.app.state)  # intents sent without HTTP find the app's blob store
    return push_create_seal(TestClient(office.app), headers(office, admin), {
        "name": "测试印章", "type": "official", "body_id": body_id, "custodians": [custodian],
        "approvers": [approver] if approver else [], "requesters": [requester] if requester else [],
        "valid_from": (NOW - dt.timedelta(days=1)).isoformat(),
        "valid_to": (NOW + dt.timedelta(days=365)).isoformat()})


def test_city_admin_cannot_create_a_province_seal_or_suspend_one(office: Office) -> None:
    admin = city_admin(office)
    made = create_seal(office, admin, PROVINCE, admin)
    assert made["status"] == "rejected", made
    assert made["error"]["code"] == "seal.admin_not_for_body"
    assert "省人民政府" in made["error"]["message"]

    province_admin = holder(office, PROVINCE, "security_admin")
    seal = create_seal(office, province_admin, PROVINCE, holder(office, PROVINCE, "seal_custodian"))
    assert seal["status"] == "applied", seal
    seal_id = seal["result"]["id"]
    pushed = office.send(admin, "seals.set_seal_state", {"seal_id": seal_id, "action": "suspend"})
    assert pushed["status"] == "rejected" and pushed["error"]["code"] == "seal.admin_not_for_body"
    assert office.feed(province_admin)[("seals.seal", seal_id)]["state"] == "active"
    # the city administrator no longer even receives the province's seal
    assert office.feed(admin).get(("seals.seal", seal_id)) is None


def test_city_admin_manages_its_own_and_lower_bodies_with_their_own_people(office: Office) -> None:
    admin = city_admin(office)
    county_clerk = holder(office, COUNTY, "registry_clerk")
    made = create_seal(office, admin, COUNTY, county_clerk)
    assert made["status"] == "applied", made
    outsider = create_seal(office, admin, COUNTY, holder(office, JH_SZJ, "seal_custodian"))
    assert outsider["status"] == "rejected" and outsider["error"]["code"] == "seal.person_not_in_body"
    own = create_seal(office, admin, JH_SZJ, holder(office, JH_SZJ, "seal_custodian"))
    assert own["status"] == "applied", own


def _szj_document_at_seal(office: Office) -> dict[str, Any]:
    doc_id = office.draft()
    office.to_register(doc_id)
    office.ok(CLERK, "documents.register", {"document_id": doc_id})
    data = office.doc(doc_id)
    assert data["step"] == "seal" and data["pdf_sha256"]
    return data


def _city_seal(office: Office) -> tuple[str, str, str]:
    """A seal of 江海市政数局: (seal id, its requester, its custodian)."""
    clerk = holder(office, JH_SZJ, "registry_clerk")
    keeper = holder(office, JH_SZJ, "seal_custodian")
    seal = create_seal(office, city_admin(office), JH_SZJ, keeper, requester=clerk)
    assert seal["status"] == "applied", seal
    return seal["result"]["id"], clerk, keeper


def test_request_cannot_name_another_bodys_document(office: Office) -> None:
    doc = _szj_document_at_seal(office)
    seal_id, clerk, keeper = _city_seal(office)
    res = office.send(clerk, "seals.request_use", {
        "request_id": "sr-cross-body-1", "seal_id": seal_id, "pdf_sha256": doc["pdf_sha256"],
        "document_id": doc["id"], "document_title": doc["title"], "reason": "对外发文", "copies": 1})
    assert res["status"] == "rejected", res
    assert res["error"]["code"] in ("document.not_found", "seal.document_other_body")
    after = office.doc(doc["id"])
    assert after["pdf_sha256"] == doc["pdf_sha256"] and after["step"] == "seal"
    assert office.feed(keeper).get(("seals.request", "sr-cross-body-1")) is None


def test_request_cannot_name_a_pdf_its_requester_cannot_read(office: Office) -> None:
    doc = _szj_document_at_seal(office)
    seal_id, clerk, _ = _city_seal(office)
    res = office.send(clerk, "seals.request_use", {
        "request_id": "sr-foreign-pdf-1", "seal_id": seal_id, "pdf_sha256": doc["pdf_sha256"],
        "document_title": "某文件", "reason": "对外发文", "copies": 1})
    assert res["status"] == "rejected" and res["error"]["code"] == "blob.not_found", res
    r = TestClient(office.app).get(f"/api/v1/blobs/{doc['pdf_sha256']}", headers=headers(office, clerk))
    assert r.status_code == 404


def test_documents_own_seal_request_still_stamps_and_moves_on(office: Office) -> None:
    """The body's own document with its own seal: unchanged behaviour."""
    doc = _szj_document_at_seal(office)
    admin = holder(office, "b-gd-szj-aqc", "security_admin")
    sealer = holder(office, SZJ, "seal_custodian")
    seal = create_seal(office, admin, SZJ, sealer, requester=CLERK)
    assert seal["status"] == "applied", seal
    res = office.ok(CLERK, "documents.request_seal", {"document_id": doc["id"], "seal_id": seal["result"]["id"]})
    office.ok(sealer, "seals.approve_request", {"request_id": res["request_id"]})
    stamped = office.ok(sealer, "seals.stamp", {"request_id": res["request_id"]})
    after = office.doc(doc["id"])
    assert after["pdf_sha256"] == stamped["stamped_sha256"] and after["step"] == "dispatch"


def test_a_stamp_for_a_request_the_document_did_not_file_is_undone(office: Office) -> None:
    """Defence in depth for requests filed before the policy: the documents hook refuses a
    stamp whose request names the document without being its own (another body's seal)."""
    from types import SimpleNamespace

    import pytest

    from modules.common.errors import PermissionDenied
    from server.documents.feed import on_stamped

    doc = _szj_document_at_seal(office)
    seal_id, _, keeper = _city_seal(office)
    foreign = SimpleNamespace(id="sr-old-foreign", document_id=doc["id"], seal_id=seal_id,
                              pdf_sha256=doc["pdf_sha256"], decided_by=keeper)
    with pytest.raises(PermissionDenied), session_scope(office.sessions) as s:
        on_stamped(s, foreign, "cd" * 32)
    after = office.doc(doc["id"])
    assert after["pdf_sha256"] == doc["pdf_sha256"] and after["step"] == "seal"
