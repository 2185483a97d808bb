"""Table of personal calendar subscription links (modules.meetings.feed_tokens): only
the SHA-256 of each token is stored; the token itself stays in the link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class FeedToken(Base):
    __tablename__ = "meetings_feed_token"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    #: SHA-256 (hex) of the token; the feed route looks the link up by it.
    token_sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: When it was revoked or replaced by a newer link; None = live.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    #: When a calendar app last read the feed (None = never).
    last_read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
