"""用印 with the real e-seal module: 登记 files the request with the rendered PDF and its
seal square; the custodian's stamp moves the document on to 核发 with the stamped PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from modules.directory.demo import DEMO_PASSWORD
from server.seals.runtime import configure
from tests.documents_server.conftest import CLERK, JUZHANG, SEALER, SZJ, Office
from tests.seals.create import create_seal

ADMIN_LOGIN = "weijiamin"  # the province's security administrator (安全保密管理员): seals are theirs


def _seal(office: Office) -> dict[str, Any]:
    configure(office.app.state)  # intents sent without HTTP find the app's blob store
    client = TestClient(office.app)
    r = client.post("/api/v1/auth/login", json={"account": ADMIN_LOGIN, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    now = dt.datetime.now(dt.UTC)
    return create_seal(client, {"Authorization": f"Bearer {r.json()['access_token']}"},
                       {"name": "广东省政务服务数据管理局", "type": "official", "body_id": SZJ,
                        "custodians": [SEALER], "approvers": [JUZHANG], "requesters": [CLERK],
                        "valid_from": (now - dt.timedelta(days=1)).isoformat(),
                        "valid_to": (now + dt.timedelta(days=365)).isoformat()})


def test_register_requests_the_seal_and_the_stamp_moves_the_document_on(office: Office) -> None:
    seal = _seal(office)
    doc_id = office.draft()
    office.to_register(doc_id)
    result = office.ok(CLERK, "documents.register", {"document_id": doc_id, "seal_id": seal["id"]})
    data = office.doc(doc_id)
    assert data["seal"]["state"] == "requested" and data["state_words"] == "待用印"
    request_id = data["seal"]["request_id"]
    assert office.feed(SEALER)[("seals.request", request_id)]["document_id"] == doc_id
    office.ok(JUZHANG, "seals.approve_request", {"request_id": request_id})
    stamped = office.ok(SEALER, "seals.stamp", {"request_id": request_id})
    data = office.doc(doc_id)
    assert data["seal"]["state"] == "stamped"
    assert data["pdf_sha256"] == stamped["stamped_sha256"] != result["pdf_sha256"]
    assert data["step"] == "dispatch" and data["state_words"] == "待核发"
    office.ok(CLERK, "documents.dispatch", {"document_id": doc_id})
    copies = [d["incoming_id"] for d in office.doc(doc_id)["deliveries"]]
    assert len(copies) == 2
    assert all(office.doc(c)["pdf_sha256"] == stamped["stamped_sha256"] for c in copies)
