"""Personal signatures over approval steps (审批签名): handwriting plus opinion, signed.

When a person approves a step (e.g. 签发、会签), the client captures the handwritten
signature as strokes (JSON: a list of strokes, each a list of ``[x, y, t]`` points or
any JSON value the pen widget produces), the written opinion (意见), the SHA-256 of the
document version being approved and the step id. :func:`sign_approval` signs the
canonical JSON of all of that with the person's key (any :class:`~.signer.Signer`);
:func:`verify_approval` re-derives the payload from what the approval record shows
now and checks the signature, the certificate's issuer (our seal authority) and that the
certificate names the same person.

So an approval signature moved to another step or document, strokes edited, or the
opinion changed, no longer verifies. Pure apart from the signer; thread-safe.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.x509.oid import NameOID

from modules.common.errors import ValidationFailed
from modules.common.messages import register
from modules.seals.crypto.authority import cert_from_bytes, cert_to_pem
from modules.seals.crypto.signer import Signer, verify_raw

register(
    {
        "seal.approval_bad_hash": {
            "zh_CN": "文件摘要格式不正确（需要 64 位十六进制 SHA-256）。",
            "en": "The document digest is malformed (64 hex digits of SHA-256 expected).",
        },
        "seal.approval_not_json": {
            "zh_CN": "手写笔迹数据不是有效的 JSON。",
            "en": "The handwriting strokes are not valid JSON.",
        },
        "seal.approval_signature_invalid": {
            "zh_CN": "审批签名与审批内容不符（笔迹、意见、文件或环节已被改动）。",
            "en": "The approval signature does not match the approval (strokes, opinion, document or step changed).",
        },
        "seal.approval_untrusted": {
            "zh_CN": "审批签名证书不是由受信任的印章机构签发的。",
            "en": "The approval signature's certificate was not issued by a trusted authority.",
        },
        "seal.approval_wrong_person": {
            "zh_CN": "审批签名证书不属于审批人 {person}。",
            "en": "The approval signature's certificate does not belong to {person}.",
        },
        "seal.approval_cert_expired": {
            "zh_CN": "签名时审批人证书不在有效期内。",
            "en": "The signer's certificate was not valid at the time of signing.",
        },
    }
)

FORMAT = "office-collab/approval-signature/1"


def canonical_json(value: Any) -> bytes:
    """Deterministic JSON (sorted keys, no spaces, UTF-8) for hashing and signing."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def _strokes_value(strokes: Any) -> Any:
    if isinstance(strokes, str | bytes):
        try:
            return json.loads(strokes)
        except ValueError as exc:
            raise ValidationFailed("seal.approval_not_json") from exc
    try:
        canonical_json(strokes)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed("seal.approval_not_json") from exc
    return strokes


def _check_hash(value: str) -> str:
    v = value.lower()
    if len(v) != 64 or any(c not in "0123456789abcdef" for c in v):
        raise ValidationFailed("seal.approval_bad_hash")
    return v


def approval_payload(*, strokes: Any, opinion: str, document_sha256: str, step: str,
                     person_id: str, signed_at: str) -> bytes:
    """The exact bytes that are signed."""
    return canonical_json(
        {
            "format": FORMAT,
            "person_id": person_id,
            "step": step,
            "document_sha256": _check_hash(document_sha256),
            "opinion": opinion,
            "strokes_sha256": hashlib.sha256(canonical_json(_strokes_value(strokes))).hexdigest(),
            "signed_at": signed_at,
        }
    )


@dataclass(frozen=True)
class ApprovalSignature:
    """Stored with the approval record (JSON via :meth:`to_dict`)."""

    person_id: str
    step: str
    document_sha256: str
    signed_at: str  # ISO 8601, the server's clock
    certificate_pem: str
    signature: str  # Base64 of the raw signature (ECDSA DER or RSA PKCS#1 v1.5)
    algorithm: str = "sha256"
    format: str = FORMAT

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApprovalSignature:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def sign_approval(signer: Signer, *, person_id: str, step: str, strokes: Any, opinion: str,
                  document_sha256: str, signed_at: dt.datetime) -> ApprovalSignature:
    """Sign an approval; ``signed_at`` must be timezone-aware (server clock)."""
    if signed_at.tzinfo is None:
        raise ValueError("signed_at must be timezone-aware")
    when = signed_at.astimezone(dt.UTC).isoformat(timespec="seconds")
    payload = approval_payload(strokes=strokes, opinion=opinion,
                               document_sha256=document_sha256, step=step,
                               person_id=person_id, signed_at=when)
    raw = signer.sign(payload, "sha256")
    return ApprovalSignature(
        person_id=person_id, step=step, document_sha256=document_sha256.lower(),
        signed_at=when, certificate_pem=cert_to_pem(signer.certificate).decode("ascii"),
        signature=base64.b64encode(raw).decode("ascii"),
    )


@dataclass
class ApprovalCheck:
    ok: bool
    problems: list[str] = field(default_factory=list)
    signer_name: str = ""


def _issued_by(cert: x509.Certificate, roots: list[x509.Certificate]) -> bool:
    for root in roots:
        if cert.issuer != root.subject:
            continue
        try:
            cert.verify_directly_issued_by(root)
            return True
        except (ValueError, TypeError, InvalidSignature):
            continue
    return False


def verify_approval(sig: ApprovalSignature, *, person_id: str, step: str, strokes: Any,
                    opinion: str, document_sha256: str,
                    trust_roots: list[x509.Certificate]) -> ApprovalCheck:
    """Check ``sig`` against what the approval record shows now (never raises for a bad
    signature; ``ValidationFailed`` only for malformed inputs)."""
    check = ApprovalCheck(ok=False)
    cert = cert_from_bytes(sig.certificate_pem.encode("ascii"))
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    check.signer_name = str(names[0].value) if names else ""
    try:
        raw = base64.b64decode(sig.signature, validate=True)
    except ValueError:
        raw = b""
    payload = approval_payload(strokes=strokes, opinion=opinion,
                               document_sha256=document_sha256, step=step,
                               person_id=person_id, signed_at=sig.signed_at)
    if not raw or not verify_raw(cert, raw, payload, sig.algorithm):
        check.problems.append("seal.approval_signature_invalid")
    if not _issued_by(cert, trust_roots):
        check.problems.append("seal.approval_untrusted")
    uid = cert.subject.get_attributes_for_oid(NameOID.USER_ID)
    if not uid or uid[0].value != person_id:
        check.problems.append("seal.approval_wrong_person")
    try:
        when = dt.datetime.fromisoformat(sig.signed_at)
    except ValueError:
        when = None
    if when is None or not (cert.not_valid_before_utc <= when <= cert.not_valid_after_utc):
        check.problems.append("seal.approval_cert_expired")
    check.ok = not check.problems
    return check
