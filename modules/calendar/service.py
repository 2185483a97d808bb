"""Client side of the working-day calendar (工作日历): the table from the local cache.

Deadlines are computed on the device exactly as on the server: the bundled years
(``resources/calendar/cn_holidays.json``) with every year an administrator entered
(``calendar.year`` records from the change feed) laid over them — offline too.

Threading: :class:`CalendarService` reads the local cache; call it off the GUI thread
(``office_app.tasks``). :func:`seed` is thread-safe.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any, Protocol

from modules.calendar import intents as I
from modules.calendar.rules import Deadline, HolidayTable, add_working_days, load_seed, merged


class _Cache(Protocol):
    def list(self, entity: str) -> list[dict[str, Any]]: ...


class _Submitter(Protocol):
    def submit(self, name: str, args: dict[str, Any]) -> str: ...


@functools.cache
def seed() -> HolidayTable:
    """The bundled table (read once per process)."""
    return load_seed()


class CalendarService:
    """The holiday table and "N working days after" for the signed-in device."""

    def __init__(self, cache: _Cache) -> None:
        self.cache = cache

    def table(self) -> HolidayTable:
        """Bundled years plus every entered year in the cache."""
        return merged(seed(), self.cache.list(I.ENTITY))

    def add_working_days(self, start: date, count: int) -> Deadline:
        """The ``count``-th working day after ``start`` (see ``modules.calendar.rules``)."""
        return add_working_days(start, count, self.table())

    def entered_years(self) -> list[dict[str, Any]]:
        """The years administrators entered, newest first (year, version, source, by, at)."""
        rows = self.cache.list(I.ENTITY)
        return sorted(({k: r.get(k) for k in ("year", "version", "source", "updated_by",
                                              "updated_at")} for r in rows),
                      key=lambda r: -int(r["year"] or 0))

    @staticmethod
    def set_year(engine: _Submitter, year: int, days: list[dict[str, str]], source: str = "") -> str:
        """Queue ``calendar.set_year`` (online only: the answer comes with the next push).
        Bad arguments raise ``request.invalid`` before anything is queued."""
        args = {"year": year, "days": days, "source": source}
        I.SET_YEAR.parse(args)
        return engine.submit(I.SET_YEAR.name, args)
