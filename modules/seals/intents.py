"""Seal intents (用印申请、审批、用印、印章状态、个人签名证书): names and argument schemas.

One definition per intent, used by the client (``modules.seals.service`` checks them and
applies the ``offline`` ones optimistically) and the server (``server.seals.mutations``).
``seals.stamp`` can only run online: the seal's key lives on the server.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from modules.common.intents import IntentArgs, define

SHA = r"^[0-9a-f]{64}$"


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
