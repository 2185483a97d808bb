"""Seal intents (新建印章、用印申请、审批、用印、印章状态、个人签名证书): the one place
each is defined — its argument schema, and its state change as a pure function of
(state, args, actor, clock). Who may do it is :mod:`modules.seals.policy`; the workflow
checks the effects run are :mod:`modules.seals.rules`.

Both halves call the same effect: the client's optimistic appliers
(``modules.seals.service``, on the cached records) and the server's handlers
(``server.seals.mutations`` → ``server.seals.storage``, on the rows), which add only
what the server alone can do (the directory tree for the policy, keys and certificates,
stamping, blobs, rows, to-dos, the register and the change feed).

Online only (``offline=False``, no applier): ``seals.create_seal`` (the seal's key and
certificate are made on the server; an uploaded picture is a blob named by its SHA-256),
``seals.stamp`` (the seal's key lives on the server), ``seals.enrol_person_key`` and
``seals.set_seal_state``. Their results come back in the push result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal

from pydantic import Field

from modules.common.access import ActorFacts
from modules.common.errors import ValidationFailed
from modules.common.intents import IntentArgs, define
from modules.seals import messages as _messages  # noqa: F401  (message codes)
from modules.seals import policy as P
from modules.seals import rules as R

SHA = r"^[0-9a-f]{64}$"
SEAL_ID = r"^[A-Za-z0-9_.-]+$"


class CreateSealArgs(IntentArgs):
    #: Chosen by the client so it finds the new seal in its cache; the server makes one
    #: when it is left out.
    seal_id: str | None = Field(default=None, min_length=4, max_length=40, pattern=SEAL_ID)
    name: str = Field(min_length=2, max_length=120)
    type: Literal["official", "department", "contract", "personal"]
    body_id: str = Field(min_length=1, max_length=40)
    custodians: list[str] = Field(min_length=1, max_length=50)
    approvers: list[str] = Field(default_factory=list, max_length=50)
    requesters: list[str] = Field(default_factory=list, max_length=2000)
    valid_from: dt.datetime
    valid_to: dt.datetime
    text_below: str = Field(default="", max_length=40)
    diameter_mm: float = 42.0
    #: An uploaded seal picture (PNG), uploaded first as a blob; left out = the picture
    #: is drawn from the body's name.
    image_sha256: str | None = Field(default=None, pattern=SHA)
    image_width_mm: float | None = None
    image_height_mm: float | None = None


class RequestUseArgs(IntentArgs):
    request_id: str = Field(min_length=4, max_length=60, pattern=r"^[A-Za-z0-9_.-]+$")
    seal_id: str = Field(min_length=1, max_length=40)
    pdf_sha256: str = Field(pattern=SHA)
    document_id: str = Field(default="", max_length=60)
    document_title: str = Field(default="", max_length=300)
    reason: str = Field(max_length=500)
    copies: int = Field(default=1)


class DecideArgs(IntentArgs):
    request_id: str = Field(min_length=1, max_length=60)
    note: str = Field(default="", max_length=500)
    #: Handwritten sign-off: ``ApprovalSignature.to_dict()`` and its strokes.
    signature: dict[str, Any] | None = None
    strokes: Any = None


class RequestIdArgs(IntentArgs):
    request_id: str = Field(min_length=1, max_length=60)


class Placement(IntentArgs):
    mode: Literal["auto", "box"] = "auto"
    page: int = Field(default=0, ge=0)
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0


class StampArgs(IntentArgs):
    request_id: str = Field(min_length=1, max_length=60)
    placement: Placement = Field(default_factory=Placement)
    riding_seal: bool = False
    qr_base_url: str = Field(default="", max_length=200)


class EnrolArgs(IntentArgs):
    public_key_pem: str = Field(min_length=50, max_length=4000)


class SealStateArgs(IntentArgs):
    seal_id: str = Field(min_length=1, max_length=40)
    action: Literal["suspend", "reactivate", "revoke"]


# --------------------------------------------------------------------------- definitions

CREATE_SEAL = define("seals.create_seal", CreateSealArgs, offline=False,
                     summary="Register a seal: its key, certificate and picture (administrators)")
REQUEST_USE = define("seals.request_use", RequestUseArgs, offline=True,
                     summary="Ask to use a seal on a PDF (用印申请)")
APPROVE_REQUEST = define("seals.approve_request", DecideArgs, offline=True,
                         summary="Approve a seal-use request (custodian, approver or leader)")
REFUSE_REQUEST = define("seals.refuse_request", DecideArgs, offline=True,
                        summary="Refuse a seal-use request")
CANCEL_REQUEST = define("seals.cancel_request", RequestIdArgs, offline=True,
                        summary="Cancel one's own seal-use request")
STAMP = define("seals.stamp", StampArgs, offline=False,
               summary="Stamp the approved PDF (online only: the seal's key is on the server)")
ENROL_PERSON_KEY = define("seals.enrol_person_key", EnrolArgs, offline=False,
                          summary="Get a personal signing certificate for a key made on this "
                                  "device")
SET_SEAL_STATE = define("seals.set_seal_state", SealStateArgs, offline=False,
                        summary="Suspend, reactivate or revoke a seal")


# --------------------------------------------------------------------------- effects
# Pure: (state, args, actor, clock) -> new state, a DomainError for every refusal. The
# caller has checked the policy where it needs the directory tree (the server).


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def create_seal(args: CreateSealArgs, *, seal_id: str, body_name: str) -> R.Seal:
    """The new seal (active), validated by the rules. ``seal_id``: the args' or the
    server's; ``body_name``: the owning body's name, drawn along the picture's arc."""
    return R.new_seal(
        seal_id=seal_id, name=args.name.strip(), type=R.SealType(args.type),
        body_id=args.body_id, body_name=body_name, custodians=set(args.custodians),
        requesters=set(args.requesters), approvers=set(args.approvers),
        valid_from=_aware(args.valid_from), valid_to=_aware(args.valid_to),
        text_below=args.text_below.strip(), diameter_mm=args.diameter_mm,
        key_id=f"seal-{seal_id}",
    )


def picture_size_mm(args: CreateSealArgs) -> tuple[float, float]:
    """Width and height of an uploaded picture (a side left out: the diameter)."""
    return (args.image_width_mm or args.diameter_mm, args.image_height_mm or args.diameter_mm)


def request_use(seal: R.Seal, args: RequestUseArgs, actor: ActorFacts,
                now: dt.datetime) -> R.UseRequest:
    """File the 用印申请 (pending) as ``actor``."""
    return R.new_request(
        seal, request_id=args.request_id, requester=actor.person_id, reason=args.reason,
        copies=args.copies, document_title=args.document_title, now=now,
    )


@dataclass(frozen=True)
class Decision:
    """A decided request and the handwritten sign-off kept with it (None: none given)."""

    request: R.UseRequest
    ink: dict[str, Any] | None


def _decide(seal: R.Seal, request: R.UseRequest, args: DecideArgs, actor: ActorFacts,
            now: dt.datetime, *, approve: bool) -> Decision:
    who = actor.person_id
    if P.leads_body(actor, seal.body_id):
        # the owning body's leaders decide as approvers (审批领导)
        seal = replace(seal, approvers=seal.approvers | {who})
    decided = (R.approve(seal, request, actor=who, now=now, note=args.note) if approve
               else R.refuse(seal, request, actor=who, now=now, reason=args.note))
    if args.signature is None:
        return Decision(decided, None)
    if args.strokes is None:
        raise ValidationFailed("seal.signature_strokes_required")
    return Decision(decided, {"strokes": args.strokes, "signature": dict(args.signature)})


#: The effect of ``seals.approve_request`` or ``seals.refuse_request``.
DecideEffect = Callable[[R.Seal, R.UseRequest, DecideArgs, ActorFacts, dt.datetime], Decision]


def approve_request(seal: R.Seal, request: R.UseRequest, args: DecideArgs,
                    actor: ActorFacts, now: dt.datetime) -> Decision:
    """批准 a pending request (a custodian, an approver or a leader of the seal's body)."""
    return _decide(seal, request, args, actor, now, approve=True)


def refuse_request(seal: R.Seal, request: R.UseRequest, args: DecideArgs,
                   actor: ActorFacts, now: dt.datetime) -> Decision:
    """拒绝 a pending request, with the reason in ``args.note``."""
    return _decide(seal, request, args, actor, now, approve=False)


def cancel_request(request: R.UseRequest, args: RequestIdArgs, actor: ActorFacts,
                   now: dt.datetime) -> R.UseRequest:
    """The requester withdraws the request."""
    return R.cancel(request, actor=actor.person_id, now=now)


STATE_CHANGES = {"suspend": R.suspend, "reactivate": R.reactivate, "revoke": R.revoke}


def set_seal_state(seal: R.Seal, args: SealStateArgs, actor: ActorFacts,
                   now: dt.datetime) -> R.Seal:
    """Suspend, reactivate or revoke (revoked is final). The policy
    (``check_change_state``) has allowed ``actor`` — an administrator too, who is on
    none of the seal's lists and so acts as an approver for the rules' own check."""
    who = actor.person_id
    listed = seal if who in seal.custodians | seal.approvers else replace(
        seal, approvers=seal.approvers | {who})
    return replace(seal, state=STATE_CHANGES[args.action](listed, actor=who).state)
