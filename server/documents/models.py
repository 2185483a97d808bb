"""Storage of document circulation (公文流转).

Tables
    ``documents_document``   one row per document (outgoing 发文 or incoming 收文 copy):
                             spec, workflow state, routing, numbers, PDF, seal, archive.
    ``documents_revision``   every saved draft (稿) with its full text, for diffs.
    ``documents_opinion``    opinions and instructions (意见/批示), optional ink payload.
    ``documents_delivery``   one row per recipient body of a dispatched document.
    ``documents_read``       per person and document: first/last opened, acted.
    ``documents_counter``    number counters (发文字号 / 收文号) per body, 代字, year.
    ``documents_number``     every number handed out (primary key = no duplicate).
    ``documents_audit``      every action: who, what, when, through which intent/hook.

Every write goes through :mod:`server.documents.storage`, which also publishes the feed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Document(Base):
    __tablename__ = "documents_document"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: "outgoing" (发文) or "incoming" (收文).
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    #: The 机关 the document belongs to (issuing body, or receiving body for a copy).
    body_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    doc_type: Mapped[str] = mapped_column(String(10), nullable=False, default="")
    urgency: Mapped[str] = mapped_column(String(8), nullable=False, default="")
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    main_to: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    cc_to: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    workflow: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: active | done | voided | recalled | returned
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="active")
    doc_number: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    receipt_number: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    seal: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: Incoming copies: the outgoing document they came from.
    source_id: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    source_role: Mapped[str] = mapped_column(String(4), nullable=False, default="")
    return_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deadline: Mapped[str | None] = mapped_column(String(10), nullable=True)
    archive: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: Ids of the workbench to-dos this document has open (so they can be finished).
    open_todos: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    created_by: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Revision(Base):
    __tablename__ = "documents_revision"

    document_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("documents_document.id"), primary_key=True
    )
    no: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    #: Readable full text (modules.documents.diff.spec_text), kept for diffs.
    text: Mapped[str] = mapped_column(Text, nullable=False)
    author_id: Mapped[str] = mapped_column(String(40), nullable=False)
    author_name: Mapped[str] = mapped_column(String(60), nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Opinion(Base):
    __tablename__ = "documents_opinion"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("documents_document.id"), nullable=False, index=True
    )
    step: Mapped[str] = mapped_column(String(20), nullable=False)
    #: 意见 or 批示
    kind: Mapped[str] = mapped_column(String(4), nullable=False)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False)
    person_name: Mapped[str] = mapped_column(String(60), nullable=False)
    post: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    written_by_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    #: Handwritten opinion/signature image (PNG blob), optional.
    ink_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    #: A handwritten approval signed on the device: ``{"payload", "signature"}``
    #: (checked with the e-seal module's verify_approval_signature before storing).
    signature: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class Delivery(Base):
    __tablename__ = "documents_delivery"

    outgoing_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("documents_document.id"), primary_key=True
    )
    body_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: "main" (主送) or "cc" (抄送)
    role: Mapped[str] = mapped_column(String(4), nullable=False)
    incoming_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    #: delivered | signed | registered | returned | recalled | done | archived
    state: Mapped[str] = mapped_column(String(12), nullable=False, default="delivered")
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    signed_by: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    screened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    return_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")


class ReadReceipt(Base):
    __tablename__ = "documents_read"

    document_id: Mapped[str] = mapped_column(
        String(40), ForeignKey("documents_document.id"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    last_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    opens: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class NumberCounter(Base):
    """Last number handed out per (body, kind, 代字, year); locked while numbering."""

    __tablename__ = "documents_counter"

    body_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: "out" (发文字号) or "in" (收文号)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class IssuedNumber(Base):
    """Each number given out, once: the primary key forbids a duplicate."""

    __tablename__ = "documents_number"

    body_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(4), primary_key=True)
    agency_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(String(40), nullable=False, unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class AuditEntry(Base):
    __tablename__ = "documents_audit"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False)
    person_name: Mapped[str] = mapped_column(String(60), nullable=False)
    #: What was done: "create_draft", "approve", "return", "register", "recall" …
    action: Mapped[str] = mapped_column(String(30), nullable=False)
    step: Mapped[str] = mapped_column(String(20), nullable=False, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: Where it came from: "intent:documents.act#<mutation id>", "hook:seals", "seed".
    source: Mapped[str] = mapped_column(String(140), nullable=False, default="")
    system: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

from server.documents.intake_models import IntakeJob  # noqa: E402,F401  (收文录入 batch queue)
