"""Seals on the server, end to end through the HTTP API, on SQLite and PostgreSQL:
seal creation, 用印申请 → approval → stamping → register, refusals, to-dos, the stamped
PDF verified by our verifier and by poppler's pdfsig, offline personal signatures
verified on sync (a forged one rejected), and the documents hand-off hooks."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import shutil
import subprocess
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient

from modules.common.errors import NotFound
from modules.seals.crypto import authority as A
from modules.seals.crypto.approval_sig import sign_approval
from modules.seals.pdf.verify import verify_pdf
from server.db import session_scope
from server.seals import hooks
from server.seals.models import SealKeyRow
from tests.seals.conftest import make_pdf
from tests.seals.create import create_seal, push_create_seal
from tests.server.helpers import add_body, add_person, login

NOW = dt.datetime.now(dt.UTC)


class World:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.client = TestClient(app)
        add_body(app, "b-gov", "某某市人民政府办公室", tier="city")
        add_person(app, "p-admin", "管理员", "b-gov", roles=("security_admin",))
        add_person(app, "p-keeper", "王保管", "b-gov", roles=("seal_custodian",))
        add_person(app, "p-lead", "李主任", "b-gov", roles=("leader",))
        add_person(app, "p-clerk", "张文书", "b-gov", roles=("staff",))
        add_person(app, "p-other", "赵路人", "b-gov", roles=("staff",))
        self.h = {p: login(self.client, p) for p in
                  ("p-admin", "p-keeper", "p-lead", "p-clerk", "p-other")}

    def create_seal(self, picture: bytes | None = None, **extra: Any) -> dict[str, Any]:
        body = {
            "name": "某某市人民政府办公室公章", "type": "official", "body_id": "b-gov",
            "custodians": ["p-keeper"], "approvers": ["p-lead"], "requesters": ["p-clerk"],
            "valid_from": (NOW - dt.timedelta(days=1)).isoformat(),
            "valid_to": (NOW + dt.timedelta(days=365)).isoformat(),
        } | extra
        return create_seal(self.client, self.h["p-admin"], body, picture=picture)

    def upload(self, who: str, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        r = self.client.put(f"/api/v1/blobs/{sha}", params={"offset": 0, "total": len(data)},
                            content=data, headers=self.h[who] | {
                                "Content-Type": "application/octet-stream"})
        assert r.status_code == 200, r.text
        return sha

    def push(self, who: str, name: str, args: dict[str, Any]) -> dict[str, Any]:
        r = self.client.post("/api/v1/sync/push", headers=self.h[who], json={
            "mutations": [{"id": str(uuid.uuid4()), "name": name, "args": args}]})
        assert r.status_code == 200, r.text
        return r.json()["results"][0]

    def feed(self, who: str) -> dict[tuple[str, str], Any]:
        out: dict[tuple[str, str], Any] = {}
        cursor = ""
        while True:
            r = self.client.get("/api/v1/sync/pull", params={"cursor": cursor, "limit": 1000},
                                headers=self.h[who])
            assert r.status_code == 200, r.text
            page = r.json()
            for c in page["changes"]:
                out[(c["entity"], c["id"])] = c["data"] if c["op"] == "upsert" else None
            cursor = page["cursor"]
            if not page["has_more"]:
                return out

    def request(self, seal_id: str, sha: str, *, who: str = "p-clerk", copies: int = 1,
                request_id: str | None = None) -> tuple[str, dict[str, Any]]:
        rid = request_id or f"sr-{uuid.uuid4().hex[:12]}"
        res = self.push(who, "seals.request_use", {
            "request_id": rid, "seal_id": seal_id, "pdf_sha256": sha,
            "document_title": "关于开展安全生产检查的通知", "reason": "对外发文", "copies": copies})
        return rid, res

    def download(self, who: str, sha: str) -> bytes:
        r = self.client.get(f"/api/v1/blobs/{sha}", headers=self.h[who])
        assert r.status_code == 200, r.text
        return r.content


def _box() -> dict[str, Any]:
    # the conftest PDF's 署名/date block on its last page
    return {"mode": "box", "page": 1, "x": 330, "y": 250, "w": 160, "h": 90}


@pytest.fixture
def world(app: Any) -> World:
    return World(app)


def test_request_approve_stamp_register_verifies(world: World, tmp_path: Any) -> None:
    seal = world.create_seal()
    assert seal["state"] == "active" and seal["image_source"] == "generated"
    pdf = make_pdf(2)
    sha = world.upload("p-clerk", pdf)
    rid, res = world.request(seal["id"], sha)
    assert res["status"] == "applied", res

    keeper = world.feed("p-keeper")
    assert keeper[("seals.request", rid)]["state"] == "pending"
    todo = next(d for (e, _), d in keeper.items() if e == "workbench.todo" and d)
    assert todo["ref_id"] == rid and todo["kind"] == "待审批" and not todo["done"]
    # the custodian may read the PDF to review it; an outsider may not
    assert world.download("p-keeper", sha) == pdf
    assert world.client.get(f"/api/v1/blobs/{sha}", headers=world.h["p-other"]).status_code == 404
    assert ("seals.request", rid) not in world.feed("p-other")

    # stamping before approval is refused in words
    early = world.push("p-clerk", "seals.stamp", {"request_id": rid, "placement": _box()})
    assert early["status"] == "rejected" and early["error"]["code"] == "seal.request_not_approved"

    assert world.push("p-lead", "seals.approve_request", {"request_id": rid, "note": "同意"})[
        "status"] == "applied"
    keeper = world.feed("p-keeper")
    assert all(d["done"] for (e, _), d in keeper.items() if e == "workbench.todo" and d)
    clerk = world.feed("p-clerk")
    assert any(d and d["kind"] == "待用印" and not d["done"]
               for (e, _), d in clerk.items() if e == "workbench.todo")

    calls: list[tuple[str, str]] = []
    hooks.register_stamped_hook(lambda s, req, out: calls.append((req.id, out)))
    done = world.push("p-clerk", "seals.stamp", {"request_id": rid, "placement": _box(),
                                                  "qr_base_url": "https://oa.example.gov.cn"})
    assert done["status"] == "applied", done
    out_sha = done["result"]["stamped_sha256"]
    assert calls[-1] == (rid, out_sha)

    stamped = world.download("p-clerk", out_sha)
    assert hashlib.sha256(stamped).hexdigest() == out_sha
    root = world.client.get("/api/v1/seals/trust-root.pem")
    assert root.status_code == 200 and b"BEGIN CERTIFICATE" in root.content
    report = verify_pdf(stamped, [A.cert_from_bytes(root.content)])
    assert report.ok and report.signatures[0].signer == "某某市人民政府办公室公章"
    # the verify endpoint says the same
    r = world.client.post("/api/v1/seals/verify", content=stamped, headers=world.h["p-other"])
    assert r.status_code == 200 and r.json()["ok"] is True
    tampered = bytearray(stamped)
    i = stamped.index(b"Budget line 1")
    tampered[i] = ord("X")
    r = world.client.post("/api/v1/seals/verify", content=bytes(tampered), headers=world.h["p-other"])
    assert r.json()["ok"] is False

    pdfsig = shutil.which("pdfsig") or "/usr/bin/pdfsig"
    path = tmp_path / "stamped.pdf"
    path.write_bytes(stamped)
    out = subprocess.run([pdfsig, str(path)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." in out.stdout, out.stdout

    # the register: the stamp and the early refused attempt, visible to the leader,
    # exportable, filtered
    lead = world.feed("p-lead")
    entries = [d for (e, _), d in lead.items() if e == "seals.register_entry" and d]
    assert sorted(e["result"] for e in entries) == ["refused", "stamped"]
    refused = next(e for e in entries if e["result"] == "refused")
    assert refused["refusal"]["code"] == "seal.request_not_approved"
    entry = next(e for e in entries if e["result"] == "stamped")
    assert (entry["requester"], entry["approver"], entry["stamped_by"]) == (
        "p-clerk", "p-lead", "p-clerk")
    assert entry["document_sha256"] == sha and entry["result_sha256"] == out_sha
    assert lead[("seals.request", rid)]["state"] == "used"
    csv_r = world.client.get("/api/v1/seals/register.csv", headers=world.h["p-lead"],
                             params={"seal_id": seal["id"]})
    assert csv_r.status_code == 200
    text = csv_r.content.decode("utf-8-sig")
    assert "用印时间" in text and out_sha in text and "李主任" in text
    none = world.client.get("/api/v1/seals/register", headers=world.h["p-lead"],
                            params={"q": "不存在的标题"})
    assert none.json()["entries"] == []
    assert world.client.get("/api/v1/seals/register", headers=world.h["p-other"]).json()[
        "entries"] == []
    check = world.client.get(f"/api/v1/seals/check/{entry['id']}")
    assert check.json()["result_sha256"] == out_sha

    # the single copy is used up
    again = world.push("p-clerk", "seals.stamp", {"request_id": rid, "placement": _box()})
    assert again["status"] == "conflict" and again["error"]["code"] == "seal.request_used_up"
    # seal keys are stored encrypted, never as PKCS#8 in the clear
    with session_scope(world.app.state.sessions) as s:
        blobs = [base64.b64decode(r.blob) for r in s.query(SealKeyRow).all()]
    assert blobs and all(b.startswith(b"OKS1") for b in blobs)


def test_refusals_are_rejected_with_clear_words(world: World) -> None:
    seal = world.create_seal()
    sha = world.upload("p-clerk", make_pdf(1))
    _, res = world.request(seal["id"], sha, who="p-other")
    assert res["status"] == "rejected" and res["error"]["code"] == "seal.requester_not_allowed"
    assert "赵路人" in res["error"]["message"] or "p-other" in res["error"]["message"]

    rid, _ = world.request(seal["id"], sha)
    own = world.push("p-clerk", "seals.approve_request", {"request_id": rid})
    assert own["error"]["code"] == "seal.approver_not_allowed"
    refused = world.push("p-keeper", "seals.refuse_request", {"request_id": rid, "note": ""})
    assert refused["error"]["code"] == "seal.refusal_reason_required"
    assert world.push("p-keeper", "seals.refuse_request",
                      {"request_id": rid, "note": "用途不明"})["status"] == "applied"
    st = world.push("p-clerk", "seals.stamp", {"request_id": rid, "placement": _box()})
    assert st["error"]["code"] == "seal.request_not_approved"

    # approved, then the seal is suspended: stamping is refused; revoked is final
    rid2, _ = world.request(seal["id"], sha)
    world.push("p-lead", "seals.approve_request", {"request_id": rid2})
    r = world.push("p-keeper", "seals.set_seal_state", {"seal_id": seal["id"], "action": "suspend"})
    assert r["status"] == "applied" and r["result"]["state"] == "suspended"
    st = world.push("p-clerk", "seals.stamp", {"request_id": rid2, "placement": _box()})
    assert st["status"] == "rejected" and st["error"]["code"] == "seal.not_active"
    assert "暂停" in st["error"]["message"]
    assert world.push("p-keeper", "seals.set_seal_state",
                      {"seal_id": seal["id"], "action": "revoke"})["status"] == "applied"
    back = world.push("p-keeper", "seals.set_seal_state",
                      {"seal_id": seal["id"], "action": "reactivate"})
    assert back["error"]["code"] == "seal.already_revoked"
    # only admins create seals; a PNG that is not one is refused
    some = {"name": "某章", "type": "official", "body_id": "b-gov", "custodians": ["p-keeper"],
            "valid_from": NOW.isoformat(), "valid_to": (NOW + dt.timedelta(days=9)).isoformat()}
    r = push_create_seal(world.client, world.h["p-clerk"], some)
    assert r["status"] == "rejected" and r["error"]["code"] == "seal.admin_required"
    r = push_create_seal(world.client, world.h["p-admin"], some, picture=b"not a png")
    assert r["status"] == "rejected" and r["error"]["code"] == "seal.image_not_png"
    # a picture the creator never uploaded (nor may read) cannot be named
    r = push_create_seal(world.client, world.h["p-admin"], some | {"image_sha256": "1" * 64})
    assert r["status"] == "rejected" and r["error"]["code"] == "blob.not_found"
    # a request for a PDF never uploaded
    _, res = world.request(seal["id"], "0" * 64)
    assert res["status"] in ("rejected", "conflict")


def test_uploaded_png_seal_and_auto_placement_for_documents(world: World) -> None:
    from modules.seals.pdf import image as I

    png = I.seal_png(I.OfficialSealLook("某某市财政局", "合同专用章", 40.0), dpi=150)
    seal = world.create_seal(name="某某市财政局合同专用章", type="contract", picture=png,
                             image_width_mm=40, image_height_mm=40)
    assert seal["image_source"] == "uploaded"
    assert world.download("p-clerk", seal["image_sha256"]) == png
    pdf = make_pdf(2)
    sha = world.upload("p-clerk", pdf)
    # a document nobody can see (here: none at all) cannot be named
    with pytest.raises(NotFound), session_scope(world.app.state.sessions) as s:
        hooks.create_request_for_document(
            s, document_id="d-7", pdf_sha256=sha, seal_id=seal["id"], requester_id="p-clerk",
            reason="合同签订", copies=1, document_title="采购合同")
    with session_scope(world.app.state.sessions) as s:
        rid = hooks.create_request_for_document(
            s, document_id="", pdf_sha256=sha, seal_id=seal["id"], requester_id="p-clerk",
            reason="合同签订", copies=1, document_title="采购合同",
            seal_anchor=(2, 340, 240, 120, 120))
    feed = world.feed("p-keeper")
    assert feed[("seals.request", rid)]["seal_anchor"] == [2, 340, 240, 120, 120]
    world.push("p-keeper", "seals.approve_request", {"request_id": rid})
    done = world.push("p-keeper", "seals.stamp", {"request_id": rid, "riding_seal": True})
    assert done["status"] == "applied", done
    out = world.download("p-keeper", done["result"]["stamped_sha256"])
    root = A.cert_from_bytes(world.client.get("/api/v1/seals/trust-root.pem").content)
    assert verify_pdf(out, [root]).ok
    # auto placement needs the renderer's anchor: an uploaded PDF has none
    rid2, _ = world.request(seal["id"], sha)
    world.push("p-keeper", "seals.approve_request", {"request_id": rid2})
    res = world.push("p-clerk", "seals.stamp", {"request_id": rid2})
    assert res["error"]["code"] == "seal.auto_placement_unavailable"


class _KeySigner:
    """A device-held key as a Signer (the client keeps it in the OS keyring)."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, cert_pem: str) -> None:
        self.key = key
        self.certificate = A.cert_from_bytes(cert_pem.encode())
        self.chain: list[Any] = []
        self.signature_size = 72

    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        from cryptography.hazmat.primitives import hashes

        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


def test_offline_signed_approval_verified_on_sync_and_forgery_rejected(world: World) -> None:
    seal = world.create_seal()
    sha = world.upload("p-clerk", make_pdf(1))
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    enrolled = world.push("p-lead", "seals.enrol_person_key", {"public_key_pem": pem})
    assert enrolled["status"] == "applied", enrolled
    cert_pem = enrolled["result"]["cert_pem"]
    assert world.feed("p-lead")[("seals.person_cert", "p-lead")]["cert_pem"] == cert_pem
    signer = _KeySigner(key, cert_pem)
    strokes = [[[10, 10, 0.5], [40, 30, 0.7], [80, 12, 0.6]]]

    rid, _ = world.request(seal["id"], sha)
    # signed "offline" on the leader's device; verified when the intent arrives
    sig = sign_approval(signer, person_id="p-lead", step=f"seals.request:{rid}",
                        strokes=strokes, opinion="同意用印", document_sha256=sha,
                        signed_at=dt.datetime.now(dt.UTC))
    ok = world.push("p-lead", "seals.approve_request", {
        "request_id": rid, "note": "同意用印", "signature": sig.to_dict(), "strokes": strokes})
    assert ok["status"] == "applied", ok
    with session_scope(world.app.state.sessions) as s:
        check = hooks.verify_approval_signature(
            s, "p-lead", {"step": f"seals.request:{rid}", "strokes": strokes,
                          "opinion": "同意用印", "document_sha256": sha}, sig.to_dict())
        assert check.ok and check.signer_name == "李主任"

    rid2, _ = world.request(seal["id"], sha)
    # the same signature replayed on another request
    replay = world.push("p-lead", "seals.approve_request", {
        "request_id": rid2, "note": "同意用印", "signature": sig.to_dict(), "strokes": strokes})
    assert replay["status"] == "rejected"
    assert replay["error"]["code"] == "seal.approval_signature_invalid"
    # a key the authority never certified, with a self-made certificate
    ks = A.KeyStore(A.MemoryStorage(), bytes(32))
    rogue = A.SealAuthority.create("伪造根证书", keystore=ks, now=NOW - dt.timedelta(days=1))
    fake = rogue.issue_person_certificate(
        person_id="p-lead", person_name="李主任", body_name="某某市人民政府办公室",
        key_id="fake", not_before=NOW - dt.timedelta(days=1), not_after=NOW + dt.timedelta(days=9))
    from modules.seals.crypto.signer import LocalKeySigner

    forged = sign_approval(LocalKeySigner(ks, "fake", fake.certificate), person_id="p-lead",
                           step=f"seals.request:{rid2}", strokes=strokes, opinion="同意",
                           document_sha256=sha, signed_at=dt.datetime.now(dt.UTC))
    res = world.push("p-lead", "seals.approve_request", {
        "request_id": rid2, "note": "同意", "signature": forged.to_dict(), "strokes": strokes})
    assert res["status"] == "rejected" and res["error"]["code"] == "seal.approval_untrusted"
    assert world.feed("p-lead")[("seals.request", rid2)]["state"] == "pending"
    # someone who never enrolled
    other = world.push("p-keeper", "seals.approve_request", {
        "request_id": rid2, "note": "同意", "signature": forged.to_dict(), "strokes": strokes})
    assert other["error"]["code"] == "seal.not_enrolled"


def test_owning_body_leader_decides_without_being_listed(world: World) -> None:
    seal = world.create_seal(approvers=[])
    add_person(world.app, "p-boss", "陈秘书长", "b-gov", roles=("leader",))
    add_body(world.app, "b-far", "某某县人民政府", tier="county")
    add_person(world.app, "p-far", "县领导", "b-far", roles=("leader",))
    boss, far = login(world.client, "p-boss"), login(world.client, "p-far")
    sha = world.upload("p-clerk", make_pdf(1))
    rid, _ = world.request(seal["id"], sha)
    # a leader of another body may not; the owning body's leader may, and sees it
    r = world.client.post("/api/v1/sync/push", headers=far, json={"mutations": [
        {"id": str(uuid.uuid4()), "name": "seals.approve_request", "args": {"request_id": rid}}]})
    assert r.json()["results"][0]["error"]["code"] == "seal.approver_not_allowed"
    r = world.client.post("/api/v1/sync/push", headers=boss, json={"mutations": [
        {"id": str(uuid.uuid4()), "name": "seals.approve_request", "args": {"request_id": rid}}]})
    assert r.json()["results"][0]["status"] == "applied"
    pulled = world.client.get("/api/v1/sync/pull", headers=boss).json()["changes"]
    assert any(c["entity"] == "seals.request" and c["id"] == rid for c in pulled)


def test_refused_stamp_attempts_are_in_the_register(world: World) -> None:
    """Every attempt is registered: a refused stamp leaves a ``refused`` entry with the
    rules' reason (written after the intent's rollback), once per intent, and nothing of
    the stamp itself."""
    seal = world.create_seal()
    sha = world.upload("p-clerk", make_pdf(2))
    rid, _ = world.request(seal["id"], sha)
    mid = str(uuid.uuid4())
    body = {"mutations": [{"id": mid, "name": "seals.stamp",
                           "args": {"request_id": rid, "placement": _box()}}]}
    first = world.client.post("/api/v1/sync/push", headers=world.h["p-clerk"], json=body)
    assert first.json()["results"][0]["error"]["code"] == "seal.request_not_approved"
    # the same intent again (a client retry): the first answer, no second entry
    again = world.client.post("/api/v1/sync/push", headers=world.h["p-clerk"], json=body)
    assert again.json() == first.json()

    world.push("p-lead", "seals.approve_request", {"request_id": rid})
    world.push("p-keeper", "seals.set_seal_state", {"seal_id": seal["id"], "action": "suspend"})
    st = world.push("p-clerk", "seals.stamp", {"request_id": rid, "placement": _box()})
    assert st["error"]["code"] == "seal.not_active"
    # an unknown request has no seal to file the attempt under: rejected, not registered
    unknown = world.push("p-clerk", "seals.stamp", {"request_id": "sr-missing"})
    assert unknown["status"] == "rejected"

    r = world.client.get("/api/v1/seals/register", params={"seal_id": seal["id"]},
                         headers=world.h["p-lead"])
    entries = r.json()["entries"]
    assert sorted((e["result"], e["refusal"]["code"]) for e in entries) == [
        ("refused", "seal.not_active"), ("refused", "seal.request_not_approved")]
    assert {e["stamped_by"] for e in entries} == {"p-clerk"}
    assert all(e["result_sha256"] == "" and e["document_sha256"] == sha for e in entries)
    # the public QR check knows only stamps
    assert world.client.get(f"/api/v1/seals/check/{entries[0]['id']}").status_code == 404
    # the refusals reach the register screens through the feed, and the CSV
    fed = [v for (kind, _), v in world.feed("p-keeper").items()
           if kind == "seals.register_entry" and v]
    assert sorted(e["refusal"]["code"] for e in fed) == [
        "seal.not_active", "seal.request_not_approved"]
    csv_text = world.client.get("/api/v1/seals/register.csv",
                                headers=world.h["p-lead"]).content.decode("utf-8-sig")
    assert csv_text.count("已拒绝") == 2 and "暂停" in csv_text
    # the request itself is untouched by the refused attempts
    req = world.feed("p-clerk")[("seals.request", rid)]
    assert req["used"] == 0 and req["state"] == "approved"
