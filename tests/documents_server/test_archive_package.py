"""The server builds the archive package of an archived document and signs it with the
body's archive key, certified by its seal authority root: the package verifies against
that root taken from ``/api/v1/seals/trust-root.pem`` and against nothing inside it."""

from __future__ import annotations

import io
import json
import zipfile

from fastapi.testclient import TestClient
from sqlalchemy import select

from modules.directory.demo import DEMO_PASSWORD
from modules.documents.archive.sign import fingerprint
from modules.documents.archive.verify import verify_package
from modules.seals.crypto.authority import certs_from_pem_bundle
from server.auth.models import Account
from server.db import session_scope
from tests.documents_server.conftest import (
    CLERK,
    DRAFTER,
    JUZHANG,
    SEALER,
    YS_STAFF,
    ZHC_HEAD,
    Office,
)
from tests.documents_server.test_blobs_and_seal import _upload
from tests.documents_server.test_seal_integration import _seal


def _login(office: Office, client: TestClient, person_id: str) -> dict[str, str]:
    with session_scope(office.sessions) as session:
        login = session.scalar(select(Account.login).where(Account.person_id == person_id))
    r = client.post("/api/v1/auth/login", json={"account": login, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def _member(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return zf.read(name)


def test_archived_document_downloads_a_package_signed_by_the_body(office: Office) -> None:
    seal = _seal(office)
    doc_id = office.draft()
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review", opinion="拟同意。")
    pad = {"format": "office-collab/ink/1", "width": 480, "height": 200,
           "strokes": [[[40 + 8 * i, 100 + (i % 5) * 9, 0.6, 12 * i] for i in range(30)]]}
    ink = _upload(office, JUZHANG, json.dumps(pad).encode(), "application/json")
    office.act_ok(JUZHANG, doc_id, "approve", "sign", opinion="同意印发。", ink_sha256=ink)
    office.act_ok(CLERK, doc_id, "approve", "recheck")
    office.ok(CLERK, "documents.register", {"document_id": doc_id, "seal_id": seal["id"]})
    request_id = office.doc(doc_id)["seal"]["request_id"]
    office.ok(JUZHANG, "seals.approve_request", {"request_id": request_id})
    office.ok(SEALER, "seals.stamp", {"request_id": request_id})
    office.ok(CLERK, "documents.dispatch", {"document_id": doc_id})

    client = TestClient(office.app)
    clerk = _login(office, client, CLERK)
    early = client.get(f"/api/v1/documents/{doc_id}/archive-package.zip", headers=clerk)
    assert early.status_code >= 400 and "尚未归档" in early.text
    office.ok(CLERK, "documents.archive", {"document_id": doc_id, "retention": "30年",
                                           "archive_no": "Z001-WS·2026-D30-BGS-0001"})
    r = client.get(f"/api/v1/documents/{doc_id}/archive-package.zip", headers=clerk)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    package = r.content
    root = certs_from_pem_bundle(client.get("/api/v1/seals/trust-root.pem").content)

    report = verify_package(package, root)
    assert report.ok, report.messages()
    assert report.signature is not None
    assert report.signature.signer == "省政务服务数据管理局归档签名"
    assert report.signature.root_fingerprint == fingerprint(root[0])
    main = next(f for f in report.files if f.path == "document/正文.pdf")
    assert main.signatures == 1 and main.signatures_ok
    # without the server's root from outside, the package proves nothing
    assert verify_package(package).codes == ["archive.no_trust_root"]
    # built as of the archiving time with a deterministic signature: the same bytes again
    again = client.get(f"/api/v1/documents/{doc_id}/archive-package.zip", headers=clerk)
    assert again.content == package
    # the leader's handwriting is drawn on the 办文单 inside
    office.app.state.blob_store.path(ink).unlink()
    without = client.get(f"/api/v1/documents/{doc_id}/archive-package.zip", headers=clerk)
    form = "form/办文单.pdf"
    assert _member(without.content, form) != _member(package, form)

    outsider = client.get(f"/api/v1/documents/{doc_id}/archive-package.zip",
                          headers=_login(office, client, YS_STAFF))
    assert outsider.status_code == 404
