"""Document intents (公文流转, docs/DOCUMENTS_PROTOCOL.md §2): names, argument schemas, and
where each one's effect is defined — once, for the client and the server alike.

The effects are pure functions of (record, args, actor, clock) in the sibling module
:mod:`modules.documents.effects`; who may act is the workflow's step people plus
:mod:`modules.documents.policy`. The client's appliers (``modules.documents.service``,
``@applier``) run them optimistically on the cached record; the server's handlers
(``server.documents.mutations``, ``@mutation``) run them on the record built from their
row and add only what the server alone can do.

=========================  =======  =====================================================
intent                     offline  effect (``modules.documents.effects``)
=========================  =======  =====================================================
documents.create_draft     yes      ``create_draft`` (who: ``policy.check_draft``, server)
documents.save_draft       yes      ``save_draft``
documents.act              yes      ``act`` → ``check_op``, ``op_params``, ``apply_op``
                                    (签发: ``signed_spec``; acted_at: ``mark_acted``)
documents.batch_approve    yes      ``batch_item`` per item (an ``act approve``)
documents.sign_for         yes      ``sign_for``
documents.mark_opened      yes      ``mark_opened``
documents.archive          yes      ``archive`` (who: ``policy.may_archive_outgoing``)
documents.register         no       ``authorise_step``, ``registered_spec`` + the
                                    server's number and PDF
documents.dispatch         no       ``authorise_step`` + the server's deliveries
documents.request_seal     no       the seal module files the request
                                    (who: ``policy.may_request_seal``)
documents.return_to_sender no       ``return_to_sender``
documents.recall           no       ``recall_copy`` per copy (who: ``policy.may_recall``)
documents.intake           yes      ``intake_rules.intake`` (收文录入 of a paper or file
                                    document; who: ``policy.may_intake``)
=========================  =======  =====================================================

Classified documents are refused before anything else is parsed (a ``before``
validator), so nothing of them is stored; the OpenAPI description of ``/sync/push``
publishes the models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from modules.common.intents import IntentArgs, define
from modules.documents.rules import refuse_classified

DOC_ID = r"^d-[0-9a-z-]{4,36}$"
RETENTIONS = ("永久", "30年", "10年")


class _Refusing(IntentArgs):
    @model_validator(mode="before")
    @classmethod
    def _no_classified(cls, data: Any) -> Any:
        refuse_classified(data)  # raises ClassifiedRefused: rejected, nothing stored
        return data


class AttachmentIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=200)
    sha256: str
    size: int | None = None
    content_type: str = Field(default="", max_length=120)


class CreateDraftArgs(_Refusing):
    document_id: str = Field(pattern=DOC_ID)
    spec: dict[str, Any]
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=50)
    main_to: list[str] = Field(default_factory=list, max_length=500)
    cc_to: list[str] = Field(default_factory=list, max_length=500)
    assignments: dict[str, list[dict[str, Any]]] | None = None
    body_id: str | None = None


class SaveDraftArgs(_Refusing):
    document_id: str = Field(pattern=DOC_ID)
    spec: dict[str, Any]
    attachments: list[AttachmentIn] | None = Field(default=None, max_length=50)
    main_to: list[str] | None = Field(default=None, max_length=500)
    cc_to: list[str] | None = Field(default=None, max_length=500)
    note: str = Field(default="", max_length=300)
    base_revision: int | None = None


Op = Literal["approve", "return", "transfer", "delegate", "add_signer", "remove_signer",
             "withdraw", "urge", "void"]


class ActArgs(_Refusing):
    document_id: str = Field(pattern=DOC_ID)
    op: Op
    step: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)


class BatchItem(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    step: str | None = None


class BatchApproveArgs(IntentArgs):
    items: list[BatchItem] = Field(min_length=1)
    opinion: str = Field(default="", max_length=2000)


class RegisterArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    step: str | None = "register"
    agency_code: str | None = Field(default=None, max_length=20)
    year: int | None = Field(default=None, ge=1000, le=9999)
    print_date: str | None = None
    main_to: list[str] | None = None
    cc_to: list[str] | None = None
    seal_id: str | None = None
    #: 收文 only: 办理时限 "N个工作日内", the due date computed on the server's calendar
    #: (``modules.documents.time_limit``).
    deadline_days: int | None = Field(default=None, ge=1, le=365)


class RequestSealArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    seal_id: str = Field(min_length=1, max_length=60)
    reason: str = Field(default="", max_length=300)
    copies: int = Field(default=1, ge=1, le=1000)


class DispatchArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    step: str | None = "dispatch"


class DocArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)


class ReasonArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    reason: str = Field(min_length=1, max_length=1000)


class RecallArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    body_ids: list[str] | None = None
    reason: str = Field(default="", max_length=1000)


class ArchiveArgs(IntentArgs):
    document_id: str = Field(pattern=DOC_ID)
    retention: str = "永久"
    archive_no: str = Field(default="", max_length=60)


class IntakeSource(BaseModel):
    """The original file an intake read (kept as the document's source blob)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    size: int = Field(default=0, ge=0)
    content_type: str = Field(default="", max_length=120)
    kind: Literal["pdf", "image", "docx", "ofd"]
    pages: int = Field(default=0, ge=0, le=5000)
    #: The whole recognised text (indexed for full-text search as this file's text).
    text: str = Field(default="", max_length=100_000)


class IntakeArgs(_Refusing):
    """收文录入: an incoming document registered from a file the clerk confirmed.
    ``spec`` holds the confirmed 登记 fields and the recognised text as ``body``."""

    document_id: str = Field(pattern=DOC_ID)
    body_id: str = Field(min_length=1, max_length=40)
    spec: dict[str, Any]
    source: IntakeSource
    #: A scan or photo's pages as read (straightened) in one PDF: shown as the 正文.
    pdf: AttachmentIn | None = None
    job_id: str = Field(default="", max_length=40)


# --------------------------------------------------------------------------- definitions

CREATE_DRAFT = define("documents.create_draft", CreateDraftArgs, offline=True,
                      summary="Start an outgoing draft (拟稿) in one of one's organs")
SAVE_DRAFT = define("documents.save_draft", SaveDraftArgs, offline=True,
                    summary="Save a new revision of a draft (修改稿) while it is one's turn")
ACT = define("documents.act", ActArgs, offline=True,
             summary="A workflow step: approve, return, transfer, delegate, add or remove a "
                     "signer, withdraw, urge or void")
BATCH_APPROVE = define("documents.batch_approve", BatchApproveArgs, offline=True,
                       summary="Approve several pending steps at once, each on its own")
SIGN_FOR = define("documents.sign_for", DocArgs, offline=True,
                  summary="Sign for (签收) an incoming document for one's body")
REGISTER = define("documents.register", RegisterArgs, offline=False,
                  summary="Register (登记): allocate the 发文字号 or 收文号; outgoing, render the PDF")
REQUEST_SEAL = define("documents.request_seal", RequestSealArgs, offline=False,
                      summary="Hand the document's PDF to the e-seal module (用印)")
DISPATCH = define("documents.dispatch", DispatchArgs, offline=False,
                  summary="Dispatch (核发): an incoming copy to every 主送/抄送 body")
RETURN_TO_SENDER = define("documents.return_to_sender", ReasonArgs, offline=False,
                          summary="Return an incoming document to its sender (退文), with a reason")
RECALL = define("documents.recall", RecallArgs, offline=False,
                summary="Recall the copies not yet signed for")
MARK_OPENED = define("documents.mark_opened", DocArgs, offline=True,
                     summary="Read receipt: one opened the document")
ARCHIVE = define("documents.archive", ArchiveArgs, offline=True,
                 summary="Archive (归档) with a retention period")
INTAKE = define("documents.intake", IntakeArgs, offline=True,
                summary="Take in (收文录入) a paper or file document as an incoming document of "
                        "one's organ, signed for, waiting for 登记")
