"""签批 with a handwritten, device-signed approval: verified through the e-seal module's
personal certificates before it is stored with the opinion; a forged one is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from modules.documents.diff import spec_text
from modules.seals.crypto import authority as A
from modules.seals.crypto.approval_sig import sign_approval
from tests.documents_server.conftest import DRAFTER, JUZHANG, ZHC_HEAD, Office


class _DeviceKey:
    def __init__(self, key: ec.EllipticCurvePrivateKey, cert_pem: str) -> None:
        self.key = key
        self.certificate = A.cert_from_bytes(cert_pem.encode())
        self.chain: list[Any] = []
        self.signature_size = 72

    def sign(self, data: bytes, digest_algorithm: str) -> bytes:
        return self.key.sign(data, ec.ECDSA(hashes.SHA256()))


def test_signed_handwriting_is_verified_and_kept(office: Office) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    cert = office.ok(JUZHANG, "seals.enrol_person_key", {"public_key_pem": pem})["cert_pem"]
    doc_id = office.draft()
    office.act_ok(DRAFTER, doc_id, "approve", "draft")
    office.act_ok(ZHC_HEAD, doc_id, "approve", "review")
    digest = hashlib.sha256(spec_text(office.doc(doc_id)["spec"]).encode("utf-8")).hexdigest()
    strokes = [[[10, 10, 0.5], [40, 30, 0.7], [80, 12, 0.6]]]
    sig = sign_approval(_DeviceKey(key, cert), person_id=JUZHANG, step="sign", strokes=strokes,
                        opinion="同意印发。", document_sha256=digest, signed_at=dt.datetime.now(dt.UTC))
    payload = {"step": "sign", "strokes": strokes, "opinion": "同意印发。", "document_sha256": digest}

    other = office.act(JUZHANG, doc_id, "approve", "sign", opinion="同意。",
                       signed={"payload": payload, "signature": sig.to_dict()})
    assert other["status"] == "rejected" and other["error"]["code"] == "document.signature_mismatch"
    altered = dict(payload, strokes=[[[1, 1, 0.5]]])
    forged = office.act(JUZHANG, doc_id, "approve", "sign", opinion="同意印发。",
                        signed={"payload": altered, "signature": sig.to_dict()})
    assert forged["status"] == "rejected" and forged["error"]["code"] == "seal.approval_signature_invalid"
    assert office.doc(doc_id)["step"] == "sign"

    office.act_ok(JUZHANG, doc_id, "approve", "sign", opinion="同意印发。",
                  signed={"payload": payload, "signature": sig.to_dict()})
    opinion = next(o for o in office.doc(doc_id)["opinions"] if o["step"] == "sign")
    assert opinion["signature"]["payload"]["strokes"] == strokes
    assert opinion["signature"]["signature"] == sig.to_dict()
