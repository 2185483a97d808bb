"""Working-day calendar (工作日历): the one rule for "N working days after".

Pure rules, no Qt, no HTTP, no database session: the client (offline) and the server
compute every deadline with the same functions over the same table.

A day is a working day when it is a weekday that is not a public holiday, or a weekend
day that the State Council's holiday notice makes a working day (调休上班). The table
holds, per year, the holidays and make-up working days of that year's notice. A year the
table does not cover is never guessed and never crashes: it counts weekends only, and
every answer that touched such a year says so (``provisional``), naming the years, so
the interface can show "2027年节假日安排尚未录入" and the deadline is recomputed when the
year is entered.

Counting convention (the one offices use): the day of 交办 / 签收 itself is not counted;
"N working days after D" is the N-th working day after D, and the deadline is the end
of that day.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from modules.common import messages
from modules.common.errors import ValidationFailed

HOLIDAY = "holiday"
MAKEUP_WORKDAY = "makeup_workday"
KINDS = (HOLIDAY, MAKEUP_WORKDAY)

#: The bundled table, generated from the chinese-calendar data by
#: scripts/build_holiday_seed.py (2004–2026).
SEED_PATH = Path(__file__).resolve().parents[2] / "resources" / "calendar" / "cn_holidays.json"

#: Longest span a single computation walks, in calendar days (a guard against a
#: nonsensical N, not a business limit).
MAX_SPAN_DAYS = 366 * 20

messages.register(
    {
        "calendar.bad_count": {
            "zh_CN": "工作日数必须是 0 到 {max} 之间的整数，收到“{value}”。",
            "en": "The number of working days must be a whole number from 0 to {max}; got '{value}'.",
        },
        "calendar.bad_entry": {
            "zh_CN": "节假日表第 {line} 项无效：{reason}。",
            "en": "Holiday table entry {line} is invalid: {reason_en}.",
        },
        "calendar.year_missing": {
            "zh_CN": "{years}年节假日安排尚未录入，时限按双休日暂定。",
            "en": "The {years} holiday schedule has not been entered yet; the deadline counts weekends only for now.",
        },
    }
)


@dataclass(frozen=True)
class DayEntry:
    """One special day of a notice: a holiday on a weekday, or a make-up working day."""

    day: date
    kind: str
    name: str = ""


@dataclass(frozen=True)
class HolidayTable:
    """Holidays and make-up working days for the years it covers.

    ``years`` lists the years whose notice is in the table; only those are exact.
    ``version`` grows with every change (the client keeps the newest it has seen).
    """

    years: frozenset[int]
    entries: Mapping[date, DayEntry] = field(default_factory=dict)
    version: int = 0

    @classmethod
    def build(
        cls, years: Iterable[int], entries: Iterable[DayEntry], version: int = 0
    ) -> HolidayTable:
        """A table from entries; raises ``calendar.bad_entry`` for a day outside ``years``,
        an unknown kind, a day given twice, or a make-up working day on a weekday (a typing
        mistake: a weekday is a working day anyway). Holidays may fall on weekends (the
        notice names the whole break)."""
        covered = frozenset(int(y) for y in years)
        table: dict[date, DayEntry] = {}
        for line, entry in enumerate(entries, start=1):
            reason, reason_en = _entry_problem(entry, covered, table)
            if reason:
                raise ValidationFailed("calendar.bad_entry", line=line, reason=reason,
                                       reason_en=reason_en)
            table[entry.day] = entry
        return cls(years=covered, entries=table, version=version)

    def covers(self, year: int) -> bool:
        return year in self.years

    def to_json(self) -> dict[str, Any]:
        """The table as plain JSON data (the seed file and the sync payload)."""
        return {
            "version": self.version,
            "years": sorted(self.years),
            "days": [
                {"date": e.day.isoformat(), "kind": e.kind, "name": e.name}
                for e in sorted(self.entries.values(), key=lambda e: e.day)
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> HolidayTable:
        entries = entries_from_json(data.get("days", []))
        try:
            years = [int(y) for y in data.get("years", [])]
            version = int(data.get("version", 0))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed("calendar.bad_entry", line=0, reason=str(exc),
                                   reason_en=str(exc)) from exc
        return cls.build(years, entries, version)


    def with_year(self, year: int, entries: Iterable[DayEntry], version: int) -> HolidayTable:
        """This table with ``year`` replaced by an administrator's entry (validated as in
        :meth:`build`); the table's version becomes the larger of the two."""
        kept = [e for d, e in self.entries.items() if d.year != year]
        fresh = HolidayTable.build([year], entries)
        return HolidayTable(
            years=self.years | {year},
            entries={**{e.day: e for e in kept}, **fresh.entries},
            version=max(self.version, int(version)),
        )


def entries_from_json(days: Iterable[Mapping[str, Any]]) -> list[DayEntry]:
    """Day entries from their JSON form (``{"date", "kind", "name"}``); raises
    ``calendar.bad_entry`` for an unreadable one."""
    out = []
    for line, d in enumerate(days, start=1):
        try:
            out.append(DayEntry(date.fromisoformat(str(d["date"])), str(d["kind"]),
                                str(d.get("name", ""))))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed("calendar.bad_entry", line=line, reason=str(exc),
                                   reason_en=str(exc)) from exc
    return out


def merged(base: HolidayTable, notices: Iterable[Mapping[str, Any]]) -> HolidayTable:
    """``base`` (the bundled seed) with every entered year (``calendar.year`` records:
    ``{"year", "days", "version"}``) laid over it, oldest year first."""
    table = base
    for notice in sorted(notices, key=lambda n: int(n["year"])):
        table = table.with_year(int(notice["year"]), entries_from_json(notice.get("days") or []),
                                int(notice.get("version") or 0))
    return table


def _entry_problem(entry: DayEntry, years: frozenset[int],
                   seen: Mapping[date, DayEntry]) -> tuple[str, str]:
    """(Chinese, English) of what is wrong with ``entry``; ("", "") when nothing is."""
    day = entry.day.isoformat()
    if entry.kind not in KINDS:
        return f"类型“{entry.kind}”无法识别", f"kind {entry.kind!r}"
    if entry.day.year not in years:
        shown = "、".join(str(y) for y in sorted(years))
        return (f"{day}不在{shown}年内",
                f"{day} is outside the years {', '.join(str(y) for y in sorted(years))}")
    if entry.day in seen:
        return f"{day}重复出现", f"{day} twice"
    weekend = entry.day.weekday() >= 5
    if entry.kind == MAKEUP_WORKDAY and not weekend:
        return (f"{day}本是工作日，不能作为调休上班日",
                f"{day} is a weekday, it cannot be a make-up working day")
    return "", ""


def load_seed(path: Path = SEED_PATH) -> HolidayTable:
    """The bundled table (2004–2026 from the chinese-calendar data)."""
    return HolidayTable.from_json(json.loads(path.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Deadline:
    """The answer of a working-day computation.

    ``provisional`` is true when a year on the way has no data (``missing_years``):
    weekends alone were counted there.
    """

    day: date
    missing_years: tuple[int, ...] = ()

    @property
    def provisional(self) -> bool:
        return bool(self.missing_years)

    def note(self, lang: str = "zh_CN") -> str:
        """The sentence the interface shows beside a provisional deadline ('' if exact)."""
        if not self.missing_years:
            return ""
        sep = "、" if messages.normalise_lang(lang) == "zh_CN" else ", "
        return messages.render(
            "calendar.year_missing", lang, {"years": sep.join(str(y) for y in self.missing_years)}
        )


def is_working_day(day: date, table: HolidayTable) -> bool:
    """True on a working day; in a year the table lacks, on Monday to Friday."""
    entry = table.entries.get(day) if table.covers(day.year) else None
    if entry is not None:
        return entry.kind == MAKEUP_WORKDAY
    return day.weekday() < 5


def add_working_days(start: date, count: int, table: HolidayTable) -> Deadline:
    """The ``count``-th working day after ``start`` (``start`` itself not counted).

    ``count == 0`` answers ``start`` itself when it is a working day, else the next
    working day. Raises ``calendar.bad_count`` for a negative or absurd count.
    """
    limit = MAX_SPAN_DAYS // 2
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= limit:
        raise ValidationFailed("calendar.bad_count", value=count, max=limit)
    missing: set[int] = set()
    day = start
    if count == 0:
        while True:
            _note_year(day, table, missing)
            if is_working_day(day, table):
                return Deadline(day, tuple(sorted(missing)))
            day += timedelta(days=1)
    # the first day whose running count (from Jan 1 of its year) reaches the target,
    # year by year on the cached running counts (the same answer as walking day by day)
    year, left = start.year, count
    counts = _year_counts(table, year)
    before = counts[start.toordinal() - date(start.year, 1, 1).toordinal()]
    while before + left > counts[-1]:
        left -= counts[-1] - before
        year, before = year + 1, 0
        counts = _year_counts(table, year)
    found = date(year, 1, 1) + timedelta(days=bisect_left(counts, before + left))
    _note_years(start + timedelta(days=1), found, table, missing)
    return Deadline(found, tuple(sorted(missing)))


def working_days_between(start: date, end: date, table: HolidayTable) -> tuple[int, tuple[int, ...]]:
    """Working days in the half-open range (start, end] — how many working days are left
    from ``start`` until a deadline ``end`` (negative when ``end`` is before ``start``:
    the working days overdue). Returns ``(count, missing_years)``."""
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValidationFailed("calendar.bad_count", value=(end - start).days, max=MAX_SPAN_DAYS)
    missing: set[int] = set()
    if end == start:
        return 0, ()
    count = _through(end, table) - _through(start, table)
    for year in range(start.year, end.year):  # whole years between: their totals
        count += _year_counts(table, year)[-1]
    _note_years(start + timedelta(days=1), end, table, missing)
    return sign * count, tuple(sorted(missing))


def _year_counts(table: HolidayTable, year: int) -> list[int]:
    """Running working-day counts of ``year``: element i = working days from January 1
    to day i + 1 of the year, inclusive. Cached on the table (it is immutable; the cache
    is not a field, so equality and JSON ignore it; concurrent fills write the same list)."""
    cache: dict[int, list[int]] | None = table.__dict__.get("_year_counts")
    if cache is None:
        cache = {}
        object.__setattr__(table, "_year_counts", cache)
    found = cache.get(year)
    if found is None:
        found, n, day = [], 0, date(year, 1, 1)
        while day.year == year:
            n += is_working_day(day, table)
            found.append(n)
            day += timedelta(days=1)
        cache[year] = found
    return found


def _through(day: date, table: HolidayTable) -> int:
    """Working days from January 1 of ``day``'s year to ``day``, inclusive."""
    return _year_counts(table, day.year)[day.toordinal() - date(day.year, 1, 1).toordinal()]


def _note_years(first: date, last: date, table: HolidayTable, missing: set[int]) -> None:
    """Note every year from ``first`` to ``last`` (the days walked) the table lacks."""
    for year in range(first.year, last.year + 1):
        if not table.covers(year):
            missing.add(year)


def _note_year(day: date, table: HolidayTable, missing: set[int]) -> None:
    if not table.covers(day.year):
        missing.add(day.year)
