"""``documents.intake`` (收文录入) on the server: a registry clerk's file becomes the
organ's incoming document, signed for and waiting at 登记, with the original as its
source blob; then it runs the 收文 flow. Others are refused; classified is refused."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from modules.documents.intake_rules import spec_from_fields
from server.db import session_scope
from tests.documents_server.conftest import CLERK, DRAFTER, JH_CLERK, SZJ, Office

FIELDS = {"issuer": "江海市人民政府办公室", "doc_number": "江府办〔2026〕7号",
          "title": "关于做好防汛防台风工作的通知", "date": "2026年5月12日", "classification": "",
          "urgency": "加急", "addressees": "各区人民政府，市直各单位：", "attachments": "1.值班表\n2.联系人名单",
          "page_count": "1"}
TEXT = "关于做好防汛防台风工作的通知\n各区人民政府：\n请加强水库巡查，落实转移避险措施。"


def _blob(office: Office, person_id: str, data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    with session_scope(office.sessions) as s:
        office.app.state.blob_store.append(s, person_id, sha, 0, len(data), data, 1 << 20)
    return sha


def _args(sha: str, body_id: str = SZJ, **extra: Any) -> dict[str, Any]:
    return {"document_id": f"d-{uuid.uuid4().hex[:12]}", "body_id": body_id,
            "spec": spec_from_fields(FIELDS, TEXT),
            "source": {"name": "通知.pdf", "sha256": sha, "size": 10, "content_type": "application/pdf",
                       "kind": "pdf", "pages": 1}, **extra}


def test_a_clerks_intake_waits_at_register_and_runs_the_incoming_flow(office: Office) -> None:
    sha = _blob(office, CLERK, b"%PDF-1.4 paper notice")
    args = _args(sha)
    office.ok(CLERK, "documents.intake", args)
    doc = office.doc(args["document_id"], CLERK)
    assert doc["kind"] == "incoming" and doc["body_id"] == SZJ
    assert doc["step"] == "register" and doc["workflow"]["history"][0]["actor"]["id"] == CLERK
    assert doc["title"] == FIELDS["title"] and doc["doc_number"] == "江府办〔2026〕7号"
    assert doc["urgency"] == "加急" and doc["spec"]["date"] == "2026-05-12"
    assert doc["spec"]["recipients"] == "各区人民政府，市直各单位"
    assert [a["name"] for a in doc["spec"]["attachments"]] == ["1.值班表", "2.联系人名单"]
    assert any("转移避险" in p["text"] for p in doc["spec"]["body"])
    assert doc["attachments"][0]["sha256"] == sha and doc["attachments"][0]["role"] == "source"
    assert doc["pdf_sha256"] == sha
    assert doc["source"]["body_name"] == "江海市人民政府办公室" and doc["source"]["file"]["kind"] == "pdf"
    got = office.ok(CLERK, "documents.register", {"document_id": args["document_id"], "deadline_days": 5})
    assert got["receipt_number"].startswith("收文〔")
    doc = office.doc(args["document_id"], CLERK)
    assert doc["step"] == "screen" and doc["deadline"]


def test_intake_is_for_the_organs_registry_and_the_uploaders_blob(office: Office) -> None:
    sha = _blob(office, DRAFTER, b"drafter's scan")
    refused = office.send(DRAFTER, "documents.intake", _args(sha))
    assert refused["status"] == "rejected" and refused["error"]["code"] == "document.not_registry"
    other = office.send(JH_CLERK, "documents.intake", _args(_blob(office, JH_CLERK, b"jh scan")))
    assert other["status"] == "rejected" and other["error"]["code"] == "document.not_registry"
    stolen = office.send(CLERK, "documents.intake", _args(sha))
    assert stolen["status"] == "rejected" and stolen["error"]["code"] == "blob.not_found"


def test_a_classified_intake_is_refused_and_nothing_is_kept(office: Office) -> None:
    sha = _blob(office, CLERK, b"secret scan")
    args = _args(sha)
    args["spec"]["body"] = "机密★1年\n" + TEXT
    refused = office.send(CLERK, "documents.intake", args)
    assert refused["status"] == "rejected" and refused["error"]["code"] == "document.classified_refused"
    from server.documents.models import Document

    with session_scope(office.sessions) as s:
        assert s.get(Document, args["document_id"]) is None


def test_the_device_shows_what_the_server_stores(office: Office) -> None:
    """The client's optimistic record (the same effect, ``intake_rules.intake``) is the
    server's in everything the screens show."""
    import datetime as dt

    from modules.documents import intake_rules
    from server.auth.principal import load_principal
    from server.documents import storage as st

    data = b"%PDF-1.4 parity scan"
    sha = _blob(office, CLERK, data)
    args = _args(sha)
    args["source"]["size"] = len(data)
    office.ok(CLERK, "documents.intake", args)
    server = office.doc(args["document_id"], CLERK)
    with session_scope(office.sessions) as s:
        me = st.principal_actor(s, load_principal(s, CLERK), SZJ)
    local = intake_rules.intake(None, args, me, dt.datetime.now(dt.UTC), organ=(SZJ, server["body_name"]))
    for key in ("kind", "body_id", "title", "doc_type", "urgency", "doc_number", "spec", "step", "step_name",
                "status", "state_words", "source", "pdf_sha256", "revision"):
        assert local[key] == server[key], key
    assert {k: v for k, v in local["attachments"][0].items()} == server["attachments"][0]
    assert local["workflow"]["current"] == server["workflow"]["current"] == "register"
    assert [e["op"] for e in local["workflow"]["history"]] == [e["op"] for e in server["workflow"]["history"]]
