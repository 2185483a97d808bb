"""Storage of the working-day calendar: entered years, published to everyone.

Every function runs inside the caller's transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.calendar.intents import ENTITY
from modules.calendar.rules import HolidayTable, load_seed, merged
from server.calendar.models import CalendarYear
from server.changefeed import record_change
from server.db import utcnow

#: Everyone computes deadlines with the calendar.
AUDIENCE = ("all",)

#: Called as ``listener(session, year, now)`` after a year is entered or corrected, in
#: the same transaction (features recompute the deadlines that year made provisional).
YearListener = Callable[[Session, int, datetime], None]
_year_listeners: list[YearListener] = []


def on_year_entered(listener: YearListener) -> YearListener:
    """Register ``listener`` (at import time; a decorator)."""
    if listener not in _year_listeners:
        _year_listeners.append(listener)
    return listener


def record(row: CalendarYear) -> dict[str, Any]:
    """The ``calendar.year`` feed record of a row."""
    return {
        "year": row.year, "days": list(row.days), "version": row.version, "source": row.source,
        "updated_by": row.updated_by_name, "updated_at": row.updated_at.isoformat(),
    }


def load_for_update(session: Session, year: int) -> CalendarYear | None:
    """The entered ``year``, locked until commit (two administrators entering the same
    year one after the other each get the next version)."""
    return session.scalars(
        select(CalendarYear).where(CalendarYear.year == year).with_for_update()
    ).first()


def put_year(session: Session, data: dict[str, Any], *, person_id: str,
             now: datetime | None = None) -> CalendarYear:
    """Store a validated ``calendar.year`` record (from ``modules.calendar.intents``) and
    publish it."""
    now = now or utcnow()
    row = session.get(CalendarYear, data["year"])
    if row is None:
        row = CalendarYear(year=data["year"])
        session.add(row)
    row.days = list(data["days"])
    row.version = int(data["version"])
    row.source = str(data.get("source") or "")
    row.updated_by = person_id
    row.updated_by_name = str(data.get("updated_by") or "")
    row.updated_at = now
    session.flush()
    record_change(session, ENTITY, str(row.year), record(row), AUDIENCE)
    for listener in _year_listeners:
        listener(session, row.year, now)
    return row


@functools.cache
def _seed() -> HolidayTable:
    return load_seed()


def holiday_table(session: Session) -> HolidayTable:
    """The calendar the server computes deadlines with: the bundled years with every
    entered year laid over them."""
    rows = session.scalars(select(CalendarYear)).all()
    return merged(_seed(), [record(r) for r in rows])
