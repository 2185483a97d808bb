"""Document intents (公文流转, docs/DOCUMENTS_PROTOCOL.md §2): names and argument schemas.

One definition per intent, used by the client (``modules.documents.service`` checks and
applies it optimistically when ``offline``) and the server (``server.documents.mutations``
applies it authoritatively); the OpenAPI description of ``/sync/push`` publishes the
models. Classified documents are refused before anything else is parsed (a ``before``
validator), so nothing of them is stored.
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



# --------------------------------------------------------------------------- definitions

CREATE_DRAFT = define("documents.create_draft", CreateDraftArgs, offline=True)
SAVE_DRAFT = define("documents.save_draft", SaveDraftArgs, offline=True)
ACT = define("documents.act", ActArgs, offline=True)
BATCH_APPROVE = define("documents.batch_approve", BatchApproveArgs, offline=True)
SIGN_FOR = define("documents.sign_for", DocArgs, offline=True)
REGISTER = define("documents.register", RegisterArgs, offline=False)
REQUEST_SEAL = define("documents.request_seal", RequestSealArgs, offline=False)
DISPATCH = define("documents.dispatch", DispatchArgs, offline=False)
RETURN_TO_SENDER = define("documents.return_to_sender", ReasonArgs, offline=False)
RECALL = define("documents.recall", RecallArgs, offline=False)
MARK_OPENED = define("documents.mark_opened", DocArgs, offline=True)
ARCHIVE = define("documents.archive", ArchiveArgs, offline=True)
