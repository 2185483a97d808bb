"""Storage of the electronic seals (电子印章) feature.

Tables:

* ``seals_seal`` — the seal registry (印章登记): type, owning body, custodians (保管人),
  approvers (审批领导), allowed requesters, validity, state, certificate, picture.
* ``seals_request`` — use requests (用印申请) and their decisions.
* ``seals_register`` — the usage register (用印登记簿): one row per stamp applied.
* ``seals_key`` — private keys of the seal authority and of every seal, encrypted with
  the master key (AES-256-GCM, see ``modules.seals.crypto.authority.KeyStore``); Base64 text.
* ``seals_meta`` — the authority's root certificate and other single values.
* ``seals_person_cert`` — personal signing certificates (个人签名证书) of enrolled people.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class SealRow(Base):
    __tablename__ = "seals_seal"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    type: Mapped[str] = mapped_column(String(20), nullable=False)
    body_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    body_name: Mapped[str] = mapped_column(String(120), nullable=False)
    custodians: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    approvers: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    requesters: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="active")
    text_below: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    diameter_mm: Mapped[float] = mapped_column(Float, nullable=False, default=42.0)
    key_id: Mapped[str] = mapped_column(String(80), nullable=False)
    cert_pem: Mapped[str] = mapped_column(Text, nullable=False)
    cert_serial: Mapped[str] = mapped_column(String(64), nullable=False)
    #: SHA-256 of the seal picture (PNG) in the blob store.
    image_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    #: "generated" (vector, drawn from the body's name) or "uploaded" (a PNG).
    image_source: Mapped[str] = mapped_column(String(16), nullable=False, default="generated")
    image_width_mm: Mapped[float] = mapped_column(Float, nullable=False, default=42.0)
    image_height_mm: Mapped[float] = mapped_column(Float, nullable=False, default=42.0)
    created_by: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class UseRequestRow(Base):
    __tablename__ = "seals_request"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    seal_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    requester: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    requester_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    copies: Mapped[int] = mapped_column(Integer, nullable=False)
    document_title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    #: documents-module document id, or "" for an uploaded PDF.
    document_id: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    decided_by: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    decided_by_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decision_note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    #: A handwritten sign-off with the decision: {"strokes", "signature"} (verified).
    decision_ink: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    used: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: GB/T 9704 seal square from the document renderer: [page (1-based), x, y, w, h].
    seal_anchor: Mapped[list[float] | None] = mapped_column(JSON, nullable=True)
    #: The PDF to stamp next: the original, then each stamped result in turn.
    current_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class RegisterRow(Base):
    __tablename__ = "seals_register"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    seal_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    seal_name: Mapped[str] = mapped_column(String(120), nullable=False)
    request_id: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    requester: Mapped[str] = mapped_column(String(40), nullable=False)
    requester_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    approver: Mapped[str] = mapped_column(String(40), nullable=False)
    approver_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    stamped_by: Mapped[str] = mapped_column(String(40), nullable=False)
    stamped_by_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    stamped_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    document_title: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    document_id: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    document_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    result_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    copy_no: Mapped[int] = mapped_column(Integer, nullable=False)
    result: Mapped[str] = mapped_column(String(16), nullable=False, default="stamped")
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)


class SealKeyRow(Base):
    __tablename__ = "seals_key"

    key_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    #: Base64 of the encrypted blob (never the plain key).
    blob: Mapped[str] = mapped_column(Text, nullable=False)


class SealMetaRow(Base):
    __tablename__ = "seals_meta"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)


class PersonCertRow(Base):
    __tablename__ = "seals_person_cert"

    person_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    cert_pem: Mapped[str] = mapped_column(Text, nullable=False)
    serial: Mapped[str] = mapped_column(String(64), nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
