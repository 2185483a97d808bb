"""Attachments and handwriting reach everyone who sees the document (and nobody else);
the seal request carries the rendered PDF and its seal square; the sender's screen is
updated through the feed when a recipient acts."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import pytest

from server.blobs.store import can_read
from server.changefeed import read_feed
from server.db import session_scope
from server.documents import feed as documents_feed
from server.scopes import scope_keys
from tests.documents_server.conftest import (
    CLERK,
    DRAFTER,
    JH,
    JH_CLERK,
    JUZHANG,
    SEALER,
    YS_STAFF,
    ZHC_HEAD,
    Office,
    actor,
)


def _upload(office: Office, person_id: str, data: bytes, content_type: str = "application/pdf") -> str:
    sha = hashlib.sha256(data).hexdigest()
    with session_scope(office.sessions) as s:
        office.app.state.blob_store.append(s, person_id, sha, 0, len(data), data, 1 << 20)
    return sha


def _readable(office: Office, person_id: str, sha: str) -> bool:
    from server.auth.principal import load_principal

    with session_scope(office.sessions) as s:
        return can_read(s, sha, person_id, scope_keys(s, load_principal(s, person_id)))


def test_attachments_and_ink_follow_the_document(office: Office) -> None:
    attachment = _upload(office, DRAFTER, b"%PDF-1.4 implementation plan " + uuid.uuid4().bytes)
    doc_id = f"d-{uuid.uuid4().hex[:12]}"
    office.ok(DRAFTER, "documents.create_draft", {
        "document_id": doc_id, "main_to": [JH],
        "spec": office.doc(office.draft())["spec"] | {"attachments": ["实施方案"]},
        "attachments": [{"name": "实施方案", "sha256": attachment}],
        "assignments": {"review": [actor(ZHC_HEAD)], "sign": [actor(JUZHANG)]},
    })
    data = office.doc(doc_id)
    assert data["attachments"][0]["sha256"] == attachment and data["attachments"][0]["size"] > 0
    assert _readable(office, ZHC_HEAD, attachment) and not _readable(office, YS_STAFF, attachment)
    # Someone else's blob cannot be smuggled into a draft.
    foreign = _upload(office, YS_STAFF, b"not yours " + uuid.uuid4().bytes)
    bad = office.send(DRAFTER, "documents.save_draft", {
        "document_id": doc_id, "spec": data["spec"],
        "attachments": [{"name": "实施方案", "sha256": foreign}]})
    assert bad["status"] == "rejected" and bad["error"]["code"] == "blob.not_found"

    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    ink = _upload(office, JUZHANG, b"\x89PNG ink " + uuid.uuid4().bytes, "image/png")
    office.act_ok(JUZHANG, doc_id, "approve", "sign", opinion="同意。", ink_sha256=ink)
    signed = next(o for o in office.doc(doc_id)["opinions"] if o["step"] == "sign")
    assert signed["ink_sha256"] == ink
    assert _readable(office, DRAFTER, ink) and not _readable(office, YS_STAFF, ink)

    office.act_ok(CLERK, doc_id, "approve", "recheck")
    office.ok(CLERK, "documents.register", {"document_id": doc_id})
    office.act_ok(SEALER, doc_id, "approve", "seal")  # a paper seal confirmed by the custodian
    office.ok(CLERK, "documents.dispatch", {"document_id": doc_id})
    pdf = office.doc(doc_id)["pdf_sha256"]
    # The recipient's registry can now read the PDF and the attachment, not the ink.
    assert _readable(office, JH_CLERK, pdf) and _readable(office, JH_CLERK, attachment)
    assert not _readable(office, JH_CLERK, ink)


def test_seal_request_gets_the_pdf_and_its_seal_square(office: Office, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def fake_create(session: Any, **kw: Any) -> str:
        calls.append(kw)
        return "sr-demo-1"

    doc_id = office.draft()
    office.to_register(doc_id)
    monkeypatch.setattr(documents_feed, "seal_request_function", lambda: None)
    unavailable = office.send(CLERK, "documents.register", {"document_id": doc_id, "seal_id": "seal-1"})
    assert unavailable["status"] == "rejected" and unavailable["error"]["code"] == "document.seal_unavailable"
    assert office.doc(doc_id)["doc_number"] == ""  # nothing half-written

    monkeypatch.setattr(documents_feed, "seal_request_function", lambda: fake_create)
    result = office.ok(CLERK, "documents.register", {"document_id": doc_id, "seal_id": "seal-1"})
    assert len(calls) == 1
    call = calls[0]
    assert call["document_id"] == doc_id and call["pdf_sha256"] == result["pdf_sha256"]
    assert call["seal_id"] == "seal-1" and call["requester_id"] == CLERK and call["copies"] == 1
    page, _x, _y, w, h = call["seal_anchor"]
    assert page >= 1 and w > 0 and h > 0
    seal = office.doc(doc_id)["seal"]
    assert seal["state"] == "requested" and seal["request_id"] == "sr-demo-1"


def test_stamped_hook_is_registered_with_the_seal_module() -> None:
    from server.seals import storage as seal_storage

    assert documents_feed.on_stamped in seal_storage._stamped_hooks


def test_sender_feed_moves_when_the_recipient_signs_for(office: Office) -> None:
    out_id = office.dispatched()
    from server.auth.principal import load_principal

    with session_scope(office.sessions) as s:
        keys = scope_keys(s, load_principal(s, CLERK))
        cursor = None
        while True:
            page = read_feed(s, keys, cursor, 1000)
            cursor = page.cursor
            if not page.has_more:
                break
    inc = next(d for d in office.doc(out_id)["deliveries"] if d["body_id"] == JH)["incoming_id"]
    office.ok(JH_CLERK, "documents.sign_for", {"document_id": inc})
    with session_scope(office.sessions) as s:
        page = read_feed(s, keys, cursor, 1000)
    changed = {(c["entity"], c["id"]): c["data"] for c in page.changes}
    delivery = next(d for d in changed[("documents.document", out_id)]["deliveries"] if d["body_id"] == JH)
    assert delivery["state"] == "signed"
    assert ("documents.document", inc) not in changed
