"""Tables of the supervision feature (督查督办): items and their number counters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class Item(Base):
    __tablename__ = "supervision_item"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: The supervising body and its organ (whose 督查室 follows the item).
    body_id: Mapped[str] = mapped_column(String(40), nullable=False)
    organ_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    lead_unit_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    leader_id: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    number: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    state: Mapped[str] = mapped_column(String(24), nullable=False, index=True)
    #: The 办结时限 as stored (ISO date); lights are computed from the record on read.
    due: Mapped[str] = mapped_column(String(10), nullable=False)
    #: The whole ``supervision.item`` record (modules.supervision.intents).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class NumberCounter(Base):
    """The last 督字 number given per organ and year (locked to allocate without gaps)."""

    __tablename__ = "supervision_counter"

    organ_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
