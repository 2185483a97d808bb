"""Supervision statistics (督办看数): pure figures per lead unit and overall over a period.

What counts (all dates are China days; deadlines are :func:`rules.deadline`, i.e. in
working days on the given calendar, an approved extension's date once granted):

- **In the period**: an item that was live during it — registered (``assigned_on``) on or
  before the period's last day and not closed before its first day. Drafts never count.
- **By state / by light**: the items in the period, by state and by today's light
  (:func:`rules.light`; closed items are ``grey``).
- **Due** (应办结): items whose deadline falls in the period and is not after ``today``.
  **On time** (按期办结): of those, items done with the completion request (the 办结申请
  that was accepted, else the closing day) on or before the deadline. The on-time rate
  is on time / due (None when nothing was due).
- **Overdue**: open items past their deadline today. **Due this week**: open items whose
  deadline falls in today's week (Monday to Sunday).
- **Extensions**: extension requests made in the period (decided or pending), and how many
  of the decided ones were approved.
- **By source / by grade**: the items in the period by ``source`` and ``grade``.

Thread-safe, no I/O. Used by the dashboard (``views_dashboard``) off the GUI thread.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from modules.calendar.rules import HolidayTable
from modules.supervision import rules as R

MONTH, QUARTER, YEAR = "month", "quarter", "year"
#: period kind -> (zh_CN, en)
PERIODS: dict[str, tuple[str, str]] = {
    MONTH: ("本月", "this month"),
    QUARTER: ("本季度", "this quarter"),
    YEAR: ("本年", "this year"),
}
LIGHTS = (R.RED, R.YELLOW, R.GREEN, R.GREY)


@dataclass(frozen=True)
class Period:
    """A closed range of days [first, last] with its kind."""

    kind: str
    first: dt.date
    last: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def period(kind: str, today: dt.date) -> Period:
    """The month, quarter or year that holds ``today``."""
    if kind == MONTH:
        first = today.replace(day=1)
    elif kind == QUARTER:
        first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    elif kind == YEAR:
        first = dt.date(today.year, 1, 1)
    else:
        raise ValueError(f"unknown period {kind!r}")
    months = {MONTH: 1, QUARTER: 3, YEAR: 12}[kind]
    year, month = divmod(first.month - 1 + months, 12)
    last = dt.date(first.year + year, month + 1, 1) - dt.timedelta(days=1)
    return Period(kind, first, last)


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of ``today``'s week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def _day(stamp: Any) -> dt.date | None:
    """A China day from an ISO date or timestamp ('Z' or offset; naive = UTC)."""
    if not stamp:
        return None
    text = str(stamp)
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return R.china_day(when if when.tzinfo else when.replace(tzinfo=dt.UTC))


def completed_on(item: Mapping[str, Any]) -> dt.date | None:
    """The day a done item counts as finished: its (last) 办结申请, else its closing."""
    if item.get("state") != R.DONE:
        return None
    completion = item.get("completion") or {}
    return _day(completion.get("at")) or _day(item.get("closed_at"))


def in_period(item: Mapping[str, Any], span: Period) -> bool:
    """Live during ``span``: registered by its end, not closed before its start."""
    if item.get("state") in (R.DRAFT, "") or not item.get("assigned_on"):
        return False
    if _day(item["assigned_on"]) > span.last:  # type: ignore[operator]
        return False
    closed = _day(item.get("closed_at")) if item.get("state") in R.FINAL else None
    return closed is None or closed >= span.first


@dataclass
class Figures:
    """The figures of one group (a lead unit, or everything)."""

    key: str = ""
    name: str = ""
    items: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_light: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    by_source: dict[str, int] = field(default_factory=dict)
    by_grade: dict[str, int] = field(default_factory=dict)
    due: int = 0
    on_time: int = 0
    done: int = 0
    overdue: int = 0
    due_this_week: int = 0
    extensions: int = 0
    extensions_approved: int = 0
    #: ids of the open items that are red or yellow, reddest and nearest first
    alerts: list[str] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率 as 0..1, None when nothing was due in the period."""
        return self.on_time / self.due if self.due else None

    def rate_words(self) -> str:
        rate = self.on_time_rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass(frozen=True)
class Fact:
    """What :func:`facts` found about one item (computed once, shared by every group)."""

    item: Mapping[str, Any]
    light: R.Light
    deadline: dt.date


@dataclass
class Stats:
    """The statistics of a period: ``total`` and one :class:`Figures` per lead unit
    (by name), with the period and the day they were computed for."""

    span: Period
    today: dt.date
    total: Figures
    units: list[Figures]
    lights: dict[str, R.Light] = field(default_factory=dict)


def facts(items: Iterable[Mapping[str, Any]], today: dt.date,
          table: HolidayTable, rules: Sequence[R.LightRule] = R.LIGHT_RULES) -> list[Fact]:
    """Each counted item (drafts left out) with its light and deadline on ``today``."""
    out: list[Fact] = []
    for item in items:
        if item.get("state") in (R.DRAFT, "") or not item.get("assigned_on"):
            continue
        out.append(Fact(item, R.light(item, today, table, rules), R.deadline(item, table).day))
    return out


def _add(fig: Figures, fact: Fact, span: Period, today: dt.date) -> None:
    item, state = fact.item, str(fact.item.get("state") or "")
    fig.items += 1
    fig.by_state[state] = fig.by_state.get(state, 0) + 1
    fig.by_light[fact.light.colour] = fig.by_light.get(fact.light.colour, 0) + 1
    source, grade = str(item.get("source") or "other"), str(item.get("grade") or "normal")
    fig.by_source[source] = fig.by_source.get(source, 0) + 1
    fig.by_grade[grade] = fig.by_grade.get(grade, 0) + 1
    finished = completed_on(item)
    if finished is not None and span.holds(finished):
        fig.done += 1
    if span.holds(fact.deadline) and fact.deadline <= today and state != R.CANCELLED:
        fig.due += 1
        if finished is not None and finished <= fact.deadline:
            fig.on_time += 1
    live = state not in R.FINAL
    if live and today > fact.deadline:
        fig.overdue += 1
    monday, sunday = week_of(today)
    if live and monday <= fact.deadline <= sunday:
        fig.due_this_week += 1
    requests = list(item.get("extensions") or ())
    if item.get("extension"):
        requests.append(item["extension"])
    for request in requests:
        asked = _day(request.get("requested_at"))
        if asked is not None and span.holds(asked):
            fig.extensions += 1
            if request.get("approved"):
                fig.extensions_approved += 1
    if live and fact.light.colour in (R.RED, R.YELLOW):
        fig.alerts.append(str(item["id"]))


def compute(items: Iterable[Mapping[str, Any]], today: dt.date, table: HolidayTable,
            kind: str = MONTH, *, unit_id: str = "", source: str = "",
            rules: Sequence[R.LightRule] = R.LIGHT_RULES) -> Stats:
    """The statistics of the period ``kind`` holding ``today``; ``unit_id`` / ``source``
    keep only that lead unit's / that source's items. Units are ordered by name."""
    span = period(kind, today)
    total = Figures("", "")
    units: dict[str, Figures] = {}
    lights: dict[str, R.Light] = {}
    kept = (i for i in items if in_period(i, span)
            and (not unit_id or i.get("lead_unit_id") == unit_id)
            and (not source or i.get("source") == source))
    found = facts(kept, today, table, rules)  # lights only for the items that count
    order = {R.RED: 0, R.YELLOW: 1}
    found.sort(key=lambda f: (order.get(f.light.colour, 2), f.light.days_left, str(f.item["id"])))
    for fact in found:
        key = str(fact.item.get("lead_unit_id") or "")
        unit = units.setdefault(key, Figures(key, str(fact.item.get("lead_unit_name") or key)))
        _add(unit, fact, span, today)
        _add(total, fact, span, today)
        lights[str(fact.item["id"])] = fact.light
    return Stats(span, today, total, sorted(units.values(), key=lambda f: (f.name, f.key)),
                 lights)


#: columns of the statistics table (key, zh_CN, en), in order
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("name", "牵头单位", "Lead unit"),
    ("items", "事项数", "Items"),
    ("red", "红灯", "Red"),
    ("yellow", "黄灯", "Yellow"),
    ("green", "绿灯", "Green"),
    ("due", "应办结", "Due"),
    ("on_time", "按期办结", "Done on time"),
    ("rate", "按期办结率", "On-time rate"),
    ("overdue", "逾期", "Overdue"),
    ("due_this_week", "本周到期", "Due this week"),
    ("extensions", "申请延期", "Extension requests"),
    ("done", "办结", "Done"),
)


def cell(fig: Figures, key: str) -> str | int:
    """One cell of the statistics table."""
    if key == "name":
        return fig.name
    if key == "rate":
        return fig.rate_words()
    if key in LIGHTS:
        return fig.by_light.get(key, 0)
    value = getattr(fig, key)
    return int(value)


def table_rows(stats: Stats, lang: str = "zh_CN") -> list[list[str | int]]:
    """The statistics table: a header, one row per unit, then the total row."""
    en = lang == "en"
    header: list[str | int] = [c[2] if en else c[1] for c in COLUMNS]
    total = Figures(stats.total.key, "Total" if en else "合计")
    total.__dict__.update({k: v for k, v in stats.total.__dict__.items() if k not in ("key", "name")})
    return [header, *([cell(f, c[0]) for c in COLUMNS] for f in (*stats.units, total))]


def to_csv(stats: Stats, lang: str = "zh_CN") -> str:
    """The statistics table as CSV text (UTF-8 with a BOM so spreadsheet programs read
    the Chinese right; the caller writes it as is). The first line names the period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    words = PERIODS[stats.span.kind][1 if lang == "en" else 0]
    writer.writerow([f"{words} {stats.span.first.isoformat()} – {stats.span.last.isoformat()}"])
    writer.writerows(table_rows(stats, lang))
    return "\ufeff" + out.getvalue()
