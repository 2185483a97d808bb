from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from modules.common.errors import ValidationFailed
from modules.seals.crypto.approval_sig import ApprovalSignature, sign_approval, verify_approval

from .conftest import NOW

STROKES = [[[10, 10, 0], [20, 25, 16], [31, 40, 33]], [[50, 12, 400], [52, 60, 420]]]
DOC = hashlib.sha256(b"document v3").hexdigest()


@pytest.fixture(scope="module")
def signed(env) -> ApprovalSignature:
    return sign_approval(env.person, person_id="p-1", step="sign-off", strokes=STROKES,
                         opinion="同意。", document_sha256=DOC, signed_at=NOW)


def _check(env, sig, **kw):
    args = {"person_id": "p-1", "step": "sign-off", "strokes": STROKES, "opinion": "同意。",
            "document_sha256": DOC, "trust_roots": env.roots} | kw
    return verify_approval(sig, **args)


def test_roundtrip_through_json(env, signed):
    back = ApprovalSignature.from_dict(json.loads(json.dumps(signed.to_dict())))
    check = _check(env, back, strokes=json.dumps(STROKES))
    assert check.ok and check.signer_name == "张三"


@pytest.mark.parametrize(
    "change",
    [
        {"step": "countersign"},  # moved to another step
        {"document_sha256": hashlib.sha256(b"other").hexdigest()},  # moved to another doc
        {"opinion": "不同意。"},  # opinion edited
        {"strokes": [[[10, 10, 0], [20, 26, 16], [31, 40, 33]], [[50, 12, 400], [52, 60, 420]]]},
    ],
)
def test_moved_or_edited_is_detected(env, signed, change):
    check = _check(env, signed, **change)
    assert not check.ok and "seal.approval_signature_invalid" in check.problems


def test_wrong_person_untrusted_and_bad_signature(env, signed):
    check = _check(env, signed, person_id="p-2")
    assert "seal.approval_wrong_person" in check.problems
    assert "seal.approval_untrusted" in _check(env, signed, trust_roots=[]).problems
    forged = ApprovalSignature(**(signed.to_dict() | {"signature": "AAAA"}))
    assert not _check(env, forged).ok
    later = ApprovalSignature(**(signed.to_dict() | {
        "signed_at": (NOW + dt.timedelta(days=3650)).isoformat()}))
    assert "seal.approval_cert_expired" in _check(env, later).problems


def test_malformed_input(env):
    with pytest.raises(ValidationFailed):
        sign_approval(env.person, person_id="p-1", step="s", strokes="{not json",
                      opinion="", document_sha256=DOC, signed_at=NOW)
    with pytest.raises(ValidationFailed):
        sign_approval(env.person, person_id="p-1", step="s", strokes=[], opinion="",
                      document_sha256="xyz", signed_at=NOW)
