"""The batch intake queue (收文录入, ``server/documents/intake_jobs.py``).

``documents_intake_job``  one row per uploaded file a registry asked the server to read:
                          its blob, the organ, the state (queued → running → done /
                          failed / refused), page progress, the lease of the process
                          reading it, the reading as JSON and, once registered, the
                          document it became.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class IntakeJob(Base):
    __tablename__ = "documents_intake_job"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: The organ whose registry the reading is for.
    body_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    created_by: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    size: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: queued | running | done | failed | refused
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    pages_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    pages_total: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: The process reading it (host:pid) and until when its claim holds.
    claimed_by: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: ``modules.documents.intake_service.result_to_json`` of the reading (page images as blobs).
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: ``{code, params}`` of a failure or refusal (worded in the reader's language on read).
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    document_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_documents_intake_job_claim", "status", "created_at"),)
