"""Tables of the working-day calendar (工作日历): the years administrators entered.

The bundled table (2004–2026, ``resources/calendar/cn_holidays.json``) is code, shipped
to client and server alike; a row here replaces one year of it for everyone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base, UTCDateTime


class CalendarYear(Base):
    __tablename__ = "calendar_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: ``[{"date": "2027-01-01", "kind": "holiday"|"makeup_workday", "name": "元旦"}, …]``
    days: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False)
    #: One past the previous entry of this year (clients keep the newest they saw).
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    source: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    updated_by: Mapped[str] = mapped_column(String(40), nullable=False)
    updated_by_name: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
