"""Seal rules (印章规则): the seal model, the use-request workflow (用印申请) and the
usage register (用印登记).

Pure: plain frozen dataclasses in, new dataclasses out, :class:`DomainError` for every
refusal. No clock (callers pass ``now``), no storage, no I/O — the client applies these
optimistically and the server authoritatively.

Workflow::

    new_request (pending, 待审批) ──approve──▶ approved (已批准) ──record_stamp × copies──▶ used (已用完)
               └─refuse──▶ refused (已拒绝)          └─cancel──▶ cancelled (已撤销)

Who may do what:

* request — a person in ``seal.requesters`` (empty set = nobody; seals are never open);
* approve / refuse — a custodian (保管人) or an approver (审批领导) of the seal, never the
  requester themself;
* stamp — the requester or a custodian, with an approved request that has copies left,
  on an active seal inside its validity period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from modules.common.errors import Conflict, PermissionDenied, ValidationFailed
from modules.common.messages import register

register(
    {
        "seal.not_active": {
            "zh_CN": "印章“{seal}”当前状态为{state}，不能用印。",
            "en": "Seal '{seal}' is {state_en}; it cannot be used.",
        },
        "seal.outside_validity": {
            "zh_CN": "印章“{seal}”不在有效期内（{valid_from} 至 {valid_to}）。",
            "en": "Seal '{seal}' is outside its validity period ({valid_from} to {valid_to}).",
        },
        "seal.requester_not_allowed": {
            "zh_CN": "{actor} 不在印章“{seal}”的可申请人名单中。",
            "en": "{actor} may not request the use of seal '{seal}'.",
        },
        "seal.approver_not_allowed": {
            "zh_CN": "{actor} 不是印章“{seal}”的保管人或审批领导，不能审批用印申请。",
            "en": "{actor} is neither custodian nor approver of seal '{seal}' and cannot decide this request.",
        },
        "seal.self_approval": {
            "zh_CN": "不能审批自己提出的用印申请。",
            "en": "You cannot decide your own seal use request.",
        },
        "seal.stamper_not_allowed": {
            "zh_CN": "{actor} 不是该用印申请的申请人或印章保管人，不能加盖印章。",
            "en": "{actor} is neither the requester nor a custodian and cannot apply the seal.",
        },
        "seal.no_approved_request": {
            "zh_CN": "没有已批准的用印申请，不能加盖印章“{seal}”。",
            "en": "Seal '{seal}' cannot be applied without an approved use request.",
        },
        "seal.request_not_approved": {
            "zh_CN": "用印申请 {request} 当前状态为{state}，未获批准，不能用印。",
            "en": "Seal use request {request} is {state_en}, not approved; the seal cannot be applied.",
        },
        "seal.request_not_pending": {
            "zh_CN": "用印申请 {request} 已处理（{state}），不能再次审批。",
            "en": "Seal use request {request} was already decided ({state_en}).",
        },
        "seal.request_used_up": {
            "zh_CN": "用印申请 {request} 批准的 {copies} 份已全部用完。",
            "en": "All {copies} copies approved by seal use request {request} have been stamped.",
        },
        "seal.request_wrong_seal": {
            "zh_CN": "用印申请 {request} 针对的不是印章“{seal}”。",
            "en": "Seal use request {request} is not for seal '{seal}'.",
        },
        "seal.reason_required": {
            "zh_CN": "请填写用印事由。",
            "en": "Please give the reason for using the seal.",
        },
        "seal.refusal_reason_required": {
            "zh_CN": "拒绝用印申请时请说明理由。",
            "en": "Please give a reason for refusing the request.",
        },
        "seal.copies_invalid": {
            "zh_CN": "用印份数须在 1 到 {limit} 之间（收到 {copies}）。",
            "en": "The number of copies must be between 1 and {limit} (got {copies}).",
        },
        "seal.bad_validity": {
            "zh_CN": "印章有效期无效：截止时间须晚于开始时间。",
            "en": "The seal's validity is not valid: the end must be after the start.",
        },
        "seal.custodian_required": {
            "zh_CN": "印章须至少指定一名保管人。",
            "en": "A seal needs at least one custodian.",
        },
        "seal.already_revoked": {
            "zh_CN": "印章“{seal}”已注销，不能再变更状态。",
            "en": "Seal '{seal}' is revoked; its state can no longer change.",
        },
        "seal.state_change_not_allowed": {
            "zh_CN": "{actor} 不是印章“{seal}”的保管人或审批领导，不能变更印章状态。",
            "en": "{actor} may not change the state of seal '{seal}'.",
        },
    }
)

MAX_COPIES = 500


class SealType(StrEnum):
    """Kinds of seal."""

    OFFICIAL = "official"  # 单位公章
    DEPARTMENT = "department"  # 部门章
    CONTRACT = "contract"  # 合同章
    PERSONAL = "personal"  # 个人名章


SEAL_TYPE_LABELS = {
    SealType.OFFICIAL: "单位公章",
    SealType.DEPARTMENT: "部门章",
    SealType.CONTRACT: "合同章",
    SealType.PERSONAL: "个人名章",
}


class SealState(StrEnum):
    ACTIVE = "active"  # 启用
    SUSPENDED = "suspended"  # 暂停
    REVOKED = "revoked"  # 注销


SEAL_STATE_LABELS = {
    SealState.ACTIVE: "启用",
    SealState.SUSPENDED: "暂停使用",
    SealState.REVOKED: "已注销",
}


class RequestState(StrEnum):
    PENDING = "pending"  # 待审批
    APPROVED = "approved"  # 已批准
    REFUSED = "refused"  # 已拒绝
    USED = "used"  # 已用完
    CANCELLED = "cancelled"  # 已撤销


REQUEST_STATE_LABELS = {
    RequestState.PENDING: "待审批",
    RequestState.APPROVED: "已批准",
    RequestState.REFUSED: "已拒绝",
    RequestState.USED: "已用完",
    RequestState.CANCELLED: "已撤销",
}


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


@dataclass(frozen=True)
class Seal:
    """One seal (印章). ``valid_to`` is exclusive; datetimes are timezone-aware."""

    id: str
    name: str  # e.g. "某某市人民政府办公室公章" — also the certificate's CN
    type: SealType
    body_id: str
    body_name: str  # owning body (所属单位), drawn along the arc
    custodians: frozenset[str]
    requesters: frozenset[str]
    valid_from: dt.datetime
    valid_to: dt.datetime
    approvers: frozenset[str] = frozenset()
    state: SealState = SealState.ACTIVE
    text_below: str = ""  # e.g. "合同专用章"
    diameter_mm: float = 42.0
    key_id: str = ""  # key-store id of the seal's private key
    cert_serial: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "type": self.type.value,
            "body_id": self.body_id, "body_name": self.body_name,
            "custodians": sorted(self.custodians), "requesters": sorted(self.requesters),
            "approvers": sorted(self.approvers),
            "valid_from": _iso(self.valid_from), "valid_to": _iso(self.valid_to),
            "state": self.state.value, "text_below": self.text_below,
            "diameter_mm": self.diameter_mm, "key_id": self.key_id,
            "cert_serial": self.cert_serial,
        }


def new_seal(
    *,
    seal_id: str,
    name: str,
    type: SealType,
    body_id: str,
    body_name: str,
    custodians: frozenset[str] | set[str],
    requesters: frozenset[str] | set[str],
    valid_from: dt.datetime,
    valid_to: dt.datetime,
    approvers: frozenset[str] | set[str] = frozenset(),
    text_below: str = "",
    diameter_mm: float = 42.0,
    key_id: str = "",
) -> Seal:
    """Validate and build a seal in state active."""
    if valid_to <= valid_from:
        raise ValidationFailed("seal.bad_validity")
    if not custodians:
        raise ValidationFailed("seal.custodian_required")
    return Seal(
        id=seal_id, name=name, type=SealType(type), body_id=body_id, body_name=body_name,
        custodians=frozenset(custodians), requesters=frozenset(requesters),
        approvers=frozenset(approvers), valid_from=valid_from, valid_to=valid_to,
        text_below=text_below, diameter_mm=diameter_mm, key_id=key_id,
    )


@dataclass(frozen=True)
class UseRequest:
    """A seal use request (用印申请)."""

    id: str
    seal_id: str
    requester: str
    reason: str  # 用印事由
    copies: int  # 用印份数
    document_title: str
    created_at: dt.datetime
    state: RequestState = RequestState.PENDING
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    decision_note: str = ""
    used: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.copies - self.used) if self.state == RequestState.APPROVED else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "seal_id": self.seal_id, "requester": self.requester,
            "reason": self.reason, "copies": self.copies,
            "document_title": self.document_title, "created_at": _iso(self.created_at),
            "state": self.state.value, "decided_by": self.decided_by,
            "decided_at": _iso(self.decided_at) if self.decided_at else None,
            "decision_note": self.decision_note, "used": self.used,
        }


@dataclass(frozen=True)
class RegisterEntry:
    """One line of the usage register (用印登记簿): one stamp on one document."""

    id: str
    seal_id: str
    seal_name: str
    request_id: str
    requester: str
    approver: str
    stamped_by: str
    stamped_at: dt.datetime
    reason: str
    document_title: str
    document_sha256: str  # the PDF before stamping
    result_sha256: str  # the stamped PDF
    copy_no: int  # 1-based, of the request's copies
    signature_field: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "seal_id": self.seal_id, "seal_name": self.seal_name,
            "request_id": self.request_id, "requester": self.requester,
            "approver": self.approver, "stamped_by": self.stamped_by,
            "stamped_at": _iso(self.stamped_at), "reason": self.reason,
            "document_title": self.document_title,
            "document_sha256": self.document_sha256, "result_sha256": self.result_sha256,
            "copy_no": self.copy_no, "signature_field": self.signature_field,
            "extra": dict(self.extra),
        }


# --------------------------------------------------------------------------- checks


def check_seal_usable(seal: Seal, now: dt.datetime) -> None:
    """Refuse a seal that is suspended, revoked or outside its validity at ``now``."""
    if seal.state != SealState.ACTIVE:
        raise PermissionDenied(
            "seal.not_active", seal=seal.name, state=SEAL_STATE_LABELS[seal.state],
            state_en=seal.state.value,
        )
    if not (seal.valid_from <= now < seal.valid_to):
        raise PermissionDenied(
            "seal.outside_validity", seal=seal.name,
            valid_from=seal.valid_from.date().isoformat(),
            valid_to=seal.valid_to.date().isoformat(),
        )


def _may_decide(seal: Seal, actor: str) -> bool:
    return actor in seal.custodians or actor in seal.approvers


def new_request(
    seal: Seal,
    *,
    request_id: str,
    requester: str,
    reason: str,
    copies: int,
    document_title: str,
    now: dt.datetime,
) -> UseRequest:
    """File a use request (用印申请). The seal must be usable now."""
    if requester not in seal.requesters:
        raise PermissionDenied("seal.requester_not_allowed", actor=requester, seal=seal.name)
    if not reason.strip():
        raise ValidationFailed("seal.reason_required")
    if not isinstance(copies, int) or isinstance(copies, bool) or not 1 <= copies <= MAX_COPIES:
        raise ValidationFailed("seal.copies_invalid", copies=copies, limit=MAX_COPIES)
    check_seal_usable(seal, now)
    return UseRequest(
        id=request_id, seal_id=seal.id, requester=requester, reason=reason.strip(),
        copies=copies, document_title=document_title.strip(), created_at=now,
    )


def _check_same_seal(seal: Seal, request: UseRequest) -> None:
    if request.seal_id != seal.id:
        raise ValidationFailed("seal.request_wrong_seal", request=request.id, seal=seal.name)


def _decide_guard(seal: Seal, request: UseRequest, actor: str) -> None:
    _check_same_seal(seal, request)
    if not _may_decide(seal, actor):
        raise PermissionDenied("seal.approver_not_allowed", actor=actor, seal=seal.name)
    if actor == request.requester:
        raise PermissionDenied("seal.self_approval")
    if request.state != RequestState.PENDING:
        raise Conflict(
            "seal.request_not_pending", request=request.id,
            state=REQUEST_STATE_LABELS[request.state], state_en=request.state.value,
            by=request.decided_by,
        )


def approve(seal: Seal, request: UseRequest, *, actor: str, now: dt.datetime,
            note: str = "") -> UseRequest:
    """Approve a pending request (custodian or approver, not the requester)."""
    _decide_guard(seal, request, actor)
    check_seal_usable(seal, now)
    return replace(request, state=RequestState.APPROVED, decided_by=actor, decided_at=now,
                   decision_note=note.strip())


def refuse(seal: Seal, request: UseRequest, *, actor: str, now: dt.datetime,
           reason: str) -> UseRequest:
    """Refuse a pending request, with a reason."""
    _decide_guard(seal, request, actor)
    if not reason.strip():
        raise ValidationFailed("seal.refusal_reason_required")
    return replace(request, state=RequestState.REFUSED, decided_by=actor, decided_at=now,
                   decision_note=reason.strip())


def cancel(request: UseRequest, *, actor: str, now: dt.datetime) -> UseRequest:
    """The requester withdraws a pending or approved (partly unused) request."""
    if actor != request.requester:
        raise PermissionDenied("permission.denied", action="撤销用印申请")
    if request.state not in (RequestState.PENDING, RequestState.APPROVED):
        raise Conflict(
            "seal.request_not_pending", request=request.id,
            state=REQUEST_STATE_LABELS[request.state], state_en=request.state.value,
        )
    return replace(request, state=RequestState.CANCELLED, decided_at=now)


def check_can_stamp(seal: Seal, request: UseRequest | None, *, actor: str,
                    now: dt.datetime) -> None:
    """Every check before a stamp; raises the first reason that forbids it."""
    check_seal_usable(seal, now)
    if request is None:
        raise PermissionDenied("seal.no_approved_request", seal=seal.name)
    _check_same_seal(seal, request)
    if request.state == RequestState.USED or (
        request.state == RequestState.APPROVED and request.used >= request.copies
    ):
        raise Conflict("seal.request_used_up", request=request.id, copies=request.copies)
    if request.state != RequestState.APPROVED:
        raise PermissionDenied(
            "seal.request_not_approved", request=request.id,
            state=REQUEST_STATE_LABELS[request.state], state_en=request.state.value,
        )
    if actor != request.requester and actor not in seal.custodians:
        raise PermissionDenied("seal.stamper_not_allowed", actor=actor)


def record_stamp(
    seal: Seal,
    request: UseRequest,
    *,
    actor: str,
    now: dt.datetime,
    entry_id: str,
    document_sha256: str,
    result_sha256: str,
    signature_field: str = "",
    extra: dict[str, Any] | None = None,
) -> tuple[UseRequest, RegisterEntry]:
    """After a successful stamp: count the copy and produce the register entry."""
    check_can_stamp(seal, request, actor=actor, now=now)
    used = request.used + 1
    updated = replace(
        request, used=used,
        state=RequestState.USED if used >= request.copies else RequestState.APPROVED,
    )
    entry = RegisterEntry(
        id=entry_id, seal_id=seal.id, seal_name=seal.name, request_id=request.id,
        requester=request.requester, approver=request.decided_by, stamped_by=actor,
        stamped_at=now, reason=request.reason, document_title=request.document_title,
        document_sha256=document_sha256, result_sha256=result_sha256, copy_no=used,
        signature_field=signature_field, extra=dict(extra or {}),
    )
    return updated, entry


def _state_guard(seal: Seal, actor: str) -> None:
    if not _may_decide(seal, actor):
        raise PermissionDenied("seal.state_change_not_allowed", actor=actor, seal=seal.name)
    if seal.state == SealState.REVOKED:
        raise Conflict("seal.already_revoked", seal=seal.name)


def suspend(seal: Seal, *, actor: str) -> Seal:
    """暂停使用 — temporarily refuse every stamp."""
    _state_guard(seal, actor)
    return replace(seal, state=SealState.SUSPENDED)


def reactivate(seal: Seal, *, actor: str) -> Seal:
    """恢复启用 a suspended seal."""
    _state_guard(seal, actor)
    return replace(seal, state=SealState.ACTIVE)


def revoke(seal: Seal, *, actor: str) -> Seal:
    """注销 — final; the seal can never be used again."""
    _state_guard(seal, actor)
    return replace(seal, state=SealState.REVOKED)


def register_complete(entries: list[RegisterEntry], requests: list[UseRequest]) -> list[str]:
    """Consistency check of a register against requests; returns problems (empty = ok).

    Every used copy of every request has exactly one entry (copy numbers 1..used), and
    every entry belongs to a known request.
    """
    problems: list[str] = []
    by_request: dict[str, list[int]] = {}
    known = {r.id: r for r in requests}
    for e in entries:
        if e.request_id not in known:
            problems.append(f"entry {e.id}: unknown request {e.request_id}")
        by_request.setdefault(e.request_id, []).append(e.copy_no)
    for r in requests:
        copies = sorted(by_request.get(r.id, []))
        if copies != list(range(1, r.used + 1)):
            problems.append(f"request {r.id}: used {r.used}, register copies {copies}")
    return problems
