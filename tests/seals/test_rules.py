from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from modules.common.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from modules.seals import rules as R

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)


def _seal(**kw) -> R.Seal:
    base = R.new_seal(
        seal_id="s1", name="某某局公章", type=R.SealType.OFFICIAL, body_id="b1",
        body_name="某某局", custodians={"keeper"}, requesters={"clerk", "clerk2"},
        approvers={"leader"}, valid_from=NOW - dt.timedelta(days=10),
        valid_to=NOW + dt.timedelta(days=10))
    return replace(base, **kw)


def _request(seal: R.Seal, copies: int = 2) -> R.UseRequest:
    return R.new_request(seal, request_id="r1", requester="clerk", reason="报送材料",
                         copies=copies, document_title="关于某事的报告", now=NOW)


def test_happy_path_counts_copies_and_ends_used():
    seal = _seal()
    req = R.approve(seal, _request(seal), actor="leader", now=NOW, note="同意")
    assert req.state == R.RequestState.APPROVED and req.remaining == 2
    req, e1 = R.record_stamp(seal, req, actor="clerk", now=NOW, entry_id="e1",
                             document_sha256="a" * 64, result_sha256="b" * 64)
    req, e2 = R.record_stamp(seal, req, actor="keeper", now=NOW, entry_id="e2",
                             document_sha256="a" * 64, result_sha256="c" * 64)
    assert req.state == R.RequestState.USED and (e1.copy_no, e2.copy_no) == (1, 2)
    assert e2.approver == "leader" and e2.stamped_by == "keeper"
    with pytest.raises(Conflict) as exc:
        R.check_can_stamp(seal, req, actor="clerk", now=NOW)
    assert exc.value.code == "seal.request_used_up"
    assert "2" in exc.value.message("zh_CN")


@pytest.mark.parametrize(
    ("state", "code"),
    [(R.SealState.SUSPENDED, "seal.not_active"), (R.SealState.REVOKED, "seal.not_active")],
)
def test_suspended_or_revoked_seal_refuses_stamping(state, code):
    seal = _seal()
    req = R.approve(seal, _request(seal), actor="leader", now=NOW)
    with pytest.raises(PermissionDenied) as exc:
        R.check_can_stamp(replace(seal, state=state), req, actor="clerk", now=NOW)
    assert exc.value.code == code
    assert R.SEAL_STATE_LABELS[state] in exc.value.message("zh_CN")


def test_expired_or_not_yet_valid_seal_refused():
    seal = _seal()
    req = R.approve(seal, _request(seal), actor="leader", now=NOW)
    for moment in (NOW + dt.timedelta(days=11), NOW - dt.timedelta(days=11)):
        with pytest.raises(PermissionDenied) as exc:
            R.check_can_stamp(seal, req, actor="clerk", now=moment)
        assert exc.value.code == "seal.outside_validity"


def test_no_or_unapproved_request_refused():
    seal = _seal()
    with pytest.raises(PermissionDenied) as exc:
        R.check_can_stamp(seal, None, actor="clerk", now=NOW)
    assert exc.value.code == "seal.no_approved_request"
    with pytest.raises(PermissionDenied) as exc:
        R.check_can_stamp(seal, _request(seal), actor="clerk", now=NOW)
    assert exc.value.code == "seal.request_not_approved"
    refused = R.refuse(seal, _request(seal), actor="keeper", now=NOW, reason="材料不全")
    with pytest.raises(PermissionDenied):
        R.check_can_stamp(seal, refused, actor="clerk", now=NOW)


def test_actor_checks():
    seal = _seal()
    with pytest.raises(PermissionDenied) as exc:
        R.new_request(seal, request_id="r", requester="stranger", reason="x", copies=1,
                      document_title="t", now=NOW)
    assert exc.value.code == "seal.requester_not_allowed"
    req = _request(seal)
    with pytest.raises(PermissionDenied):
        R.approve(seal, req, actor="clerk2", now=NOW)
    with pytest.raises(PermissionDenied) as exc:
        R.approve(replace(seal, approvers=frozenset({"clerk"})), req, actor="clerk", now=NOW)
    assert exc.value.code == "seal.self_approval"
    approved = R.approve(seal, req, actor="keeper", now=NOW)
    with pytest.raises(PermissionDenied) as exc:
        R.check_can_stamp(seal, approved, actor="clerk2", now=NOW)
    assert exc.value.code == "seal.stamper_not_allowed"
    with pytest.raises(Conflict):
        R.approve(seal, approved, actor="leader", now=NOW)


def test_bad_request_input():
    seal = _seal()
    for kw, code in (({"reason": " "}, "seal.reason_required"),
                     ({"copies": 0}, "seal.copies_invalid"),
                     ({"copies": True}, "seal.copies_invalid")):
        args = {"request_id": "r", "requester": "clerk", "reason": "x", "copies": 1,
                "document_title": "t", "now": NOW} | kw
        with pytest.raises(ValidationFailed) as exc:
            R.new_request(seal, **args)
        assert exc.value.code == code
    with pytest.raises(ValidationFailed):
        R.refuse(seal, _request(seal), actor="keeper", now=NOW, reason="")
    other = replace(seal, id="s2")
    with pytest.raises(ValidationFailed):
        R.approve(other, _request(seal), actor="keeper", now=NOW)


def test_state_changes():
    seal = _seal()
    with pytest.raises(PermissionDenied):
        R.suspend(seal, actor="clerk")
    s = R.suspend(seal, actor="keeper")
    assert R.reactivate(s, actor="leader").state == R.SealState.ACTIVE
    revoked = R.revoke(s, actor="keeper")
    with pytest.raises(Conflict):
        R.reactivate(revoked, actor="keeper")
    with pytest.raises(ValidationFailed):
        R.new_seal(seal_id="x", name="x", type=R.SealType.OFFICIAL, body_id="b",
                   body_name="b", custodians=set(), requesters=set(), valid_from=NOW,
                   valid_to=NOW + dt.timedelta(days=1))


def test_every_message_has_both_languages():
    import modules.seals.cli
    import modules.seals.crypto.approval_sig
    import modules.seals.pdf.stamp
    import modules.seals.pdf.verify  # noqa: F401  (each registers its codes)
    from modules.common.messages import CATALOG

    codes = [c for c in CATALOG if c.startswith("seal.")]
    assert len(codes) > 30
    for code in codes:
        err = DomainError(code, seal="印章", request="r1", state="暂停使用", copies=1)
        assert err.message("zh_CN") and err.message("en") != err.message("zh_CN")


def test_register_complete_detects_gaps():
    seal = _seal()
    req = R.approve(seal, _request(seal), actor="leader", now=NOW)
    req, e1 = R.record_stamp(seal, req, actor="clerk", now=NOW, entry_id="e1",
                             document_sha256="a" * 64, result_sha256="b" * 64)
    assert R.register_complete([e1], [req]) == []
    assert R.register_complete([], [req])
    assert e1.to_dict()["copy_no"] == 1 and req.to_dict()["used"] == 1
