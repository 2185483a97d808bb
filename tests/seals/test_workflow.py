"""A mixed run through the use-request workflow, stamping real PDFs."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import replace

import pytest

from modules.common.errors import DomainError, PermissionDenied
from modules.seals import rules as R
from modules.seals.operations import apply_batch, apply_seal
from modules.seals.pdf.stamp import Rect
from modules.seals.pdf.verify import verify_pdf

from .conftest import NOW, make_pdf

ANCHOR = Rect(2, 330, 268, 160, 50)


def test_mixed_run_register_complete(env):
    ids = (f"e{i}" for i in itertools.count(1))
    seal, signer = env.gov.seal, env.gov.signer
    doc = make_pdf()
    register: list[R.RegisterEntry] = []
    requests: list[R.UseRequest] = []

    # 1. stamping without any approved request is refused
    with pytest.raises(PermissionDenied) as exc:
        apply_seal(doc, seal=seal, request=None, signer=signer, actor="clerk", now=NOW,
                   entry_id="x", anchor=ANCHOR)
    assert exc.value.code == "seal.no_approved_request"

    # 2. a pending request is refused; approved → two copies stamped
    req = R.new_request(seal, request_id="r1", requester="clerk", reason="报送市政府",
                        copies=2, document_title="关于某事的请示", now=NOW)
    with pytest.raises(PermissionDenied):
        apply_seal(doc, seal=seal, request=req, signer=signer, actor="clerk", now=NOW,
                   entry_id="x", anchor=ANCHOR)
    req = R.approve(seal, req, actor="leader", now=NOW)
    res = apply_seal(doc, seal=seal, request=req, signer=signer, actor="clerk", now=NOW,
                     entry_id=next(ids), anchor=ANCHOR, location="某某市")
    register.append(res.entry)
    assert verify_pdf(res.pdf, env.roots).ok
    assert res.entry.document_sha256 == hashlib.sha256(doc).hexdigest()
    assert res.entry.result_sha256 == hashlib.sha256(res.pdf).hexdigest()

    # 3. the seal is suspended: refused, request unchanged; reactivated: allowed
    suspended = R.suspend(seal, actor="custodian")
    with pytest.raises(PermissionDenied) as exc:
        apply_seal(doc, seal=suspended, request=res.request, signer=signer, actor="clerk",
                   now=NOW, entry_id="x", anchor=ANCHOR)
    assert exc.value.code == "seal.not_active"
    active = R.reactivate(suspended, actor="custodian")
    res2 = apply_seal(doc, seal=active, request=res.request, signer=signer, actor="custodian",
                      now=NOW, entry_id=next(ids), anchor=ANCHOR)
    register.append(res2.entry)
    assert res2.request.state == R.RequestState.USED

    # 4. used up
    with pytest.raises(DomainError) as exc:
        apply_seal(doc, seal=seal, request=res2.request, signer=signer, actor="clerk",
                   now=NOW, entry_id="x", anchor=ANCHOR)
    assert exc.value.code == "seal.request_used_up"
    requests.append(res2.request)

    # 5. batch of three with one broken file: a result per item
    req3 = R.approve(seal, R.new_request(seal, request_id="r3", requester="clerk",
                                         reason="批量用印", copies=3,
                                         document_title="通知（三份）", now=NOW),
                     actor="custodian", now=NOW)
    docs = [("a", make_pdf(1)), ("broken", b"%PDF-1.4 nothing"), ("b", make_pdf(2))]
    req3, items = apply_batch(
        docs, seal=seal, request=req3, signer=signer, actor="clerk", now=NOW,
        new_entry_id=lambda: next(ids),
        placement=lambda key, pdf: {"box": (100, 100, 150, 150), "page": 0})
    assert [i.ok for i in items] == [True, False, True]
    assert items[1].error is not None and items[1].error.code == "seal.pdf_invalid"
    register += [i.result.entry for i in items if i.result]
    assert req3.used == 2 and req3.state == R.RequestState.APPROVED
    requests.append(req3)

    # 6. revoked and expired seals are refused
    with pytest.raises(PermissionDenied):
        apply_seal(doc, seal=R.revoke(seal, actor="leader"), request=req3, signer=signer,
                   actor="clerk", now=NOW, entry_id="x", anchor=ANCHOR)
    expired = replace(seal, valid_to=NOW - dt.timedelta(seconds=1))
    with pytest.raises(PermissionDenied) as exc:
        apply_seal(doc, seal=expired, request=req3, signer=signer, actor="clerk", now=NOW,
                   entry_id="x", anchor=ANCHOR)
    assert exc.value.code == "seal.outside_validity"

    # the register has exactly one entry per stamped copy, nothing for refusals
    assert R.register_complete(register, requests) == []
    assert [e.id for e in register] == ["e1", "e2", "e3", "e4"]
    assert {e.request_id for e in register} == {"r1", "r3"}
