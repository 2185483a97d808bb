"""Who may do what with which body's seals (印章权限): one place, pure.

Used by the server's seal routes and intents (authoritative) and by the client to decide
what to offer. Every ``check_*`` raises a :class:`DomainError` (``PermissionDenied``
unless said otherwise); every ``may_*`` answers the same question as a bool. The seal's
own workflow rules (requester list, self-approval, states, validity, copies) stay in
:mod:`modules.seals.rules`; this module adds *where* the actor stands in the directory
(terms in :mod:`modules.common.access`).

The rules:

* **Administration** (create a seal, change its state as administrator): a
  ``security_admin`` (安全保密管理员) whose post's organ governs the seal's body — the seal's own organ or an organ above
  it (a city administrator manages the city's and its counties' seals, never a sibling
  city's or the province's).
* **People named on a seal** (custodians 保管人, approvers 审批领导, allowed requesters)
  must be members of the seal's organ.
* **用印申请**: a listed requester who is a member of the seal's organ. A referenced
  document must belong to the seal's organ, be an outgoing document waiting at 用印, and
  the request must name that document's current PDF. Without a document the PDF must
  be a file the requester may read (their own upload, or one visible to them).
* **Approve / refuse**: a listed custodian or approver who is a member of the seal's
  organ, or a ``leader`` holding a post in the seal's body itself (today's rule);
  never the requester (rules).
* **Stamp**: the requester or a listed custodian, still a member of the seal's organ.
* **Cancel**: the requester.
* **State change** (suspend / reactivate / revoke): a member custodian or approver, or
  an administrator as above.
* **Register** (用印登记, JSON and CSV): an entry is readable by its requester, the
  seal's member custodians and approvers, leaders of the seal's body, and
  administrators governing the seal's body.
* **Personal signing key** (``seals.enrol_person_key``): anyone signed in, for
  themselves; **verify**, the **trust root** and the public **check** page: anyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from modules.common.access import ActorFacts, BodyFacts
from modules.common.errors import NotFound, PermissionDenied, ValidationFailed
from modules.common.messages import register

register({
    "seal.admin_not_for_body": {
        "zh_CN": "您不是“{body}”或其上级机关的系统管理员，不能{action}。",
        "en": "You are not an administrator of {body} or of a body above it and cannot {action_en}.",
    },
    "seal.person_not_in_body": {
        "zh_CN": "{person}不在“{body}”任职，不能担任该印章的{duty}。",
        "en": "{person} holds no post in {body} and cannot be the seal's {duty_en}.",
    },
    "seal.requester_not_in_body": {
        "zh_CN": "您不在“{body}”任职，不能申请使用该机关的印章。",
        "en": "You hold no post in {body} and cannot request the use of its seal.",
    },
    "seal.document_other_body": {
        "zh_CN": "该公文不属于“{body}”，不能以该机关的印章用印。",
        "en": "The document does not belong to {body}; it cannot be stamped with its seal.",
    },
    "seal.document_not_at_seal_step": {
        "zh_CN": "该公文当前不在“用印”环节，不能申请用印。",
        "en": "The document is not at its seal step; a seal request cannot be filed.",
    },
    "seal.document_pdf_mismatch": {
        "zh_CN": "用印申请的文件与该公文当前的正式文本不一致。",
        "en": "The file named in the request is not the document's current PDF.",
    },
    "seal.not_member_decider": {
        "zh_CN": "您不在“{body}”任职，不能审批该机关印章的用印申请。",
        "en": "You hold no post in {body} and cannot decide requests for its seal.",
    },
    "seal.not_member_stamper": {
        "zh_CN": "您不在“{body}”任职，不能加盖该机关的印章。",
        "en": "You hold no post in {body} and cannot apply its seal.",
    },
    "seal.register_not_allowed": {
        "zh_CN": "您无权查看“{body}”的用印登记。",
        "en": "You may not read the seal register of {body}.",
    },
})


@dataclass(frozen=True)
class SealFacts:
    """What the policy needs of a seal: its owning body and the people named on it."""

    id: str
    name: str
    body: BodyFacts
    custodians: frozenset[str] = frozenset()
    approvers: frozenset[str] = frozenset()
    requesters: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DocumentFacts:
    """A document a use request names (from the documents module)."""

    id: str
    organ_id: str
    kind: str
    workflow_status: str
    current_step: str | None
    pdf_sha256: str


# --------------------------------------------------------------------------- administration


def may_administer(actor: ActorFacts, body: BodyFacts) -> bool:
    """A ``security_admin`` of the body's organ or of an organ above it."""
    return body.governed_by(actor.role_organs("security_admin"))


def check_administer(actor: ActorFacts, body: BodyFacts, action: str, action_en: str) -> None:
    if not may_administer(actor, body):
        raise PermissionDenied("seal.admin_not_for_body", body=body.name, action=action,
                               action_en=action_en)


_DUTIES = {"custodians": ("保管人", "custodian"), "approvers": ("审批领导", "approver"),
           "requesters": ("可申请人", "requester")}


def check_named_people(body: BodyFacts, named: dict[str, Iterable[ActorFacts]],
                       names: dict[str, str] | None = None) -> None:
    """Everyone named on a seal (``{"custodians": [...], "approvers": [...],
    "requesters": [...]}``) must be a member of the seal's organ (``ValidationFailed``)."""
    for duty, people in named.items():
        for person in people:
            if not person.member_of(body.organ_id):
                zh, en = _DUTIES.get(duty, (duty, duty))
                raise ValidationFailed(
                    "seal.person_not_in_body", person=(names or {}).get(person.person_id, person.person_id),
                    body=body.name, duty=zh, duty_en=en)


# --------------------------------------------------------------------------- use requests


def _member(actor: ActorFacts, seal: SealFacts) -> bool:
    return actor.member_of(seal.body.organ_id)


def check_request(actor: ActorFacts, seal: SealFacts, *, pdf_sha256: str,
                  document: DocumentFacts | None, pdf_readable: bool) -> None:
    """File a 用印申请 (the rules' requester list is checked by ``rules.new_request``).

    ``document``: the named document if it exists *and the requester may see it*
    (``None`` when no document is named). ``pdf_readable``: whether the requester may
    read ``pdf_sha256`` (only consulted without a document).
    """
    if not _member(actor, seal):
        raise PermissionDenied("seal.requester_not_in_body", body=seal.body.name)
    if document is not None:
        if document.organ_id != seal.body.organ_id:
            raise PermissionDenied("seal.document_other_body", body=seal.body.name)
        if document.pdf_sha256 != pdf_sha256:
            raise PermissionDenied("seal.document_pdf_mismatch")
        if (document.kind != "outgoing" or document.workflow_status != "active"
                or document.current_step != "seal"):
            raise ValidationFailed("seal.document_not_at_seal_step")
    elif not pdf_readable:
        raise NotFound("blob.not_found", sha256=pdf_sha256)


def leads_body(actor: ActorFacts, body_id: str) -> bool:
    """Holds a ``leader`` post (领导) in ``body_id`` itself."""
    return actor.has_role("leader", body_id=body_id)


def may_decide(actor: ActorFacts, seal: SealFacts) -> bool:
    """Approve or refuse a request for this seal (before the rules' state checks)."""
    listed = actor.person_id in seal.custodians or actor.person_id in seal.approvers
    return (listed and _member(actor, seal)) or leads_body(actor, seal.body.id)


def check_decide(actor: ActorFacts, seal: SealFacts) -> None:
    if not may_decide(actor, seal):
        if actor.person_id in seal.custodians | seal.approvers:
            raise PermissionDenied("seal.not_member_decider", body=seal.body.name)
        raise PermissionDenied("seal.approver_not_allowed", actor=actor.person_id, seal=seal.name)


def may_stamp(actor: ActorFacts, seal: SealFacts, requester: str) -> bool:
    return (actor.person_id == requester or actor.person_id in seal.custodians) and _member(actor, seal)


def check_stamp(actor: ActorFacts, seal: SealFacts, requester: str) -> None:
    if actor.person_id != requester and actor.person_id not in seal.custodians:
        raise PermissionDenied("seal.stamper_not_allowed", actor=actor.person_id)
    if not _member(actor, seal):
        raise PermissionDenied("seal.not_member_stamper", body=seal.body.name)


def may_cancel(actor: ActorFacts, requester: str) -> bool:
    return actor.person_id == requester


def check_cancel(actor: ActorFacts, requester: str) -> None:
    if not may_cancel(actor, requester):
        raise PermissionDenied("permission.denied", action="撤销用印申请")


# --------------------------------------------------------------------------- seal state


def may_change_state(actor: ActorFacts, seal: SealFacts) -> bool:
    listed = actor.person_id in seal.custodians or actor.person_id in seal.approvers
    return (listed and _member(actor, seal)) or may_administer(actor, seal.body)


def check_change_state(actor: ActorFacts, seal: SealFacts) -> None:
    if not may_change_state(actor, seal):
        if actor.role_organs("security_admin"):
            raise PermissionDenied("seal.admin_not_for_body", body=seal.body.name,
                                   action="变更印章状态", action_en="change the seal's state")
        raise PermissionDenied("seal.state_change_not_allowed", actor=actor.person_id, seal=seal.name)


# --------------------------------------------------------------------------- register


def may_read_entry(actor: ActorFacts, seal: SealFacts, requester: str) -> bool:
    """One register entry (用印登记) of ``seal`` filed by ``requester``."""
    if actor.person_id == requester:
        return True
    listed = actor.person_id in seal.custodians or actor.person_id in seal.approvers
    return ((listed and _member(actor, seal)) or leads_body(actor, seal.body.id)
            or may_administer(actor, seal.body))


def may_see_seal(actor: ActorFacts, seal: SealFacts) -> bool:
    """The seal's record: the people named on it, its body's leaders and custodians,
    administrators governing its body."""
    named = seal.custodians | seal.approvers | seal.requesters
    return (actor.person_id in named
            or leads_body(actor, seal.body.id)
            or actor.has_role("seal_custodian", body_id=seal.body.id)
            or may_administer(actor, seal.body))


def admin_keys(body: BodyFacts) -> set[str]:
    """Feed audience keys of the administrators governing ``body`` (one per organ)."""
    return {admin_key(o) for o in body.organs_above}


def admin_key(organ_id: str) -> str:
    return f"seals:admin:{organ_id}"
