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
- **Average delay** (平均逾期): over the late items among those due (done after the
  deadline, or still open past it), the working days from the deadline to the completion
  (or to today), at least 1 each.
- **签收 timeliness** (签收及时率): every unit's 签收 (the lead unit's and each co-unit's,
  :mod:`units`) whose due day (``ack_days`` working days after 交办) falls in the period
  and is not after today, or that was signed already; on time when signed on or before
  that day. Counted for the signing unit (a co-unit gets a row even when it leads none).
- **反馈 timeliness** (反馈及时率): the lead unit's feedback cycles (:func:`rules.feedback_due`
  walked from 交办 over its reports) whose due day falls in the period, is not after today
  and not after the item closed; on time when a report came on or before that day. A late
  report restarts the cycle from its day; a whole cycle without any report counts once
  and the next one starts from its due day.
- **Score and ranking** (考评): ``score`` = 100 × the weighted mean of the on-time rate
  (weight 0.6), the 签收 timeliness (0.2) and the 反馈 timeliness (0.2), over the rates the
  unit has (a unit with nothing due in any of them has no score and ranks last). Ties:
  fewer overdue items, then the name. :func:`ranking` numbers the units 1, 2, … (equal
  scores and overdue counts share a place).
- **Trend** (月度趋势): for each of the 12 months ending with today's, the items whose
  deadline falls in it (due, cancelled ones left out), those done in it (closed), and of
  the due ones those late (done after the deadline or still open past it: overdue).

Deadlines, lights, 签收 due days and feedback steps are computed once per distinct set of
dates in one :func:`compute` (items registered the same day with the same time limit
share them), which is what keeps 100 000 items in seconds.

Thread-safe, no I/O. Used by the dashboard (``views_dashboard``) off the GUI thread.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from modules.calendar.rules import Deadline, HolidayTable, working_days_between
from modules.supervision import rules as R
from modules.supervision import units as U

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
    return _day_of(str(stamp))


@functools.lru_cache(maxsize=1 << 16)
def _day_of(text: str) -> dt.date:
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
    #: late items among the due ones and their working days late, summed
    late: int = 0
    delay_days: int = 0
    #: 签收 counted / on time (for the signing unit)
    acks: int = 0
    acks_on_time: int = 0
    #: feedback cycles counted / on time
    feedbacks: int = 0
    feedbacks_on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """按期办结率 as 0..1, None when nothing was due in the period."""
        return self.on_time / self.due if self.due else None

    @property
    def ack_rate(self) -> float | None:
        """签收及时率 as 0..1, None when no 签收 was due."""
        return self.acks_on_time / self.acks if self.acks else None

    @property
    def feedback_rate(self) -> float | None:
        """反馈及时率 as 0..1, None when no feedback was due."""
        return self.feedbacks_on_time / self.feedbacks if self.feedbacks else None

    @property
    def average_delay(self) -> float | None:
        """平均逾期 in working days over the late items, None without any."""
        return self.delay_days / self.late if self.late else None

    @property
    def score(self) -> float | None:
        """The 考评 score 0..100 (see the module doc), None without any rate."""
        parts = [(w, r) for w, r in ((0.6, self.on_time_rate), (0.2, self.ack_rate),
                                      (0.2, self.feedback_rate)) if r is not None]
        if not parts:
            return None
        return 100 * sum(w * r for w, r in parts) / sum(w for w, _ in parts)

    def rate_words(self) -> str:
        return percent(self.on_time_rate)


def percent(rate: float | None) -> str:
    """A rate as "87.5%", "—" for None."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def days_words(value: float | None) -> str:
    """An average in working days as "2.5", "—" for None."""
    return "—" if value is None else f"{value:.1f}"


def score_words(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@dataclass(frozen=True)
class Fact:
    """What :func:`facts` found about one item (computed once, shared by every group)."""

    item: Mapping[str, Any]
    light: R.Light
    deadline: dt.date


@dataclass
class Month:
    """One month of the trend: its first day, the counts and the item ids behind them."""

    first: dt.date
    due: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)

    def label(self) -> str:
        return f"{self.first.year}-{self.first.month:02d}"


TREND_KINDS = ("due", "closed", "overdue")
#: trend series -> (zh_CN, en)
TREND_WORDS: dict[str, tuple[str, str]] = {
    "due": ("应办结", "due"), "closed": ("办结", "closed"), "overdue": ("逾期", "overdue"),
}


@dataclass
class Stats:
    """The statistics of a period: ``total`` and one :class:`Figures` per lead unit
    (by name), with the period and the day they were computed for; ``facts`` are the
    items of the period (reddest first), ``trend`` the last 12 months (oldest first)."""

    span: Period
    today: dt.date
    total: Figures
    units: list[Figures]
    lights: dict[str, R.Light] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    trend: list[Month] = field(default_factory=list)
    #: every item of the trend by id (the drill-down of a month lists these)
    items: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    def unit(self, key: str) -> Figures | None:
        return next((u for u in self.units if u.key == key), None)


class Memo:
    """Per-computation caches of everything dated: deadlines, lights, 签收 due days,
    feedback steps and working-day counts, keyed by the fields each one reads."""

    def __init__(self, today: dt.date, table: HolidayTable,
                 rules: Sequence[R.LightRule] = R.LIGHT_RULES) -> None:
        self.today, self.table, self.rules = today, table, tuple(rules)
        self._deadlines: dict[tuple[Any, ...], Deadline] = {}
        self._lights: dict[tuple[Any, ...], R.Light] = {}
        self._acks: dict[tuple[Any, ...], dt.date | None] = {}
        self._steps: dict[tuple[Any, ...], dt.date | None] = {}
        self._between: dict[tuple[dt.date, dt.date], int] = {}
        self.week = week_of(today)
        self.silent: dict[tuple[Any, ...], tuple[int, int]] = {}

    def deadline(self, item: Mapping[str, Any]) -> dt.date:
        days = item.get("deadline_days")
        key = (days if isinstance(days, int) and not isinstance(days, bool) else None,
               item.get("assigned_on"), item.get("due"))
        found = self._deadlines.get(key)
        if found is None:
            found = self._deadlines[key] = R.deadline(item, self.table)
        return found.day

    def light(self, item: Mapping[str, Any]) -> R.Light:
        """``rules.light`` on ``today``, shared by the items it cannot tell apart: the
        same deadline fields and 交办 day, the same state where the light reads it (closed
        or draft: grey; 申请办结: no feedback check) and the same overdue feedback day —
        a feedback not yet due leaves the light alone, so it is left out of the key.
        Keep in step with ``rules.light`` (tests/supervision/test_stats_evaluation.py
        compares the two on varied items)."""
        state = str(item.get("state") or "")
        days = item.get("deadline_days")
        assigned = item.get("assigned_on")
        late: dt.date | None = None
        if state not in R.FINAL and state not in (R.DRAFT, R.COMPLETION_REQUESTED):
            cycle = str(item.get("cycle") or "none")
            last = _day(item.get("last_report_on") or assigned)
            if cycle != "none" and last is not None:
                fb = self.step(cycle, item.get("cycle_days"), last)
                late = fb if fb is not None and self.today > fb else None
        if state not in R.FINAL and state not in (R.DRAFT, R.COMPLETION_REQUESTED):
            state = "open"
        key = (state, assigned, days if isinstance(days, int) and not isinstance(days, bool)
               else None, item.get("due"), late,
               bool(item.get("last_report_on")) if late else False)
        found = self._lights.get(key)
        if found is None:
            found = self._lights[key] = R.light(item, self.today, self.table, self.rules)
        return found

    def ack_due(self, item: Mapping[str, Any]) -> dt.date | None:
        key = (item.get("assigned_on"), item.get("ack_days"), item.get("state") == R.DRAFT)
        if key not in self._acks:
            due = U.ack_due(item, self.table)
            self._acks[key] = due.day if due else None
        return self._acks[key]

    def step(self, cycle: str, cycle_days: Any, last: dt.date) -> dt.date | None:
        """The feedback due one cycle after ``last`` (``rules.feedback_due``'s rule)."""
        key = (cycle, cycle_days, last)
        if key not in self._steps:
            self._steps[key] = R.feedback_due(
                {"cycle": cycle, "cycle_days": cycle_days, "state": R.IN_PROGRESS,
                 "assigned_on": last.isoformat()}, self.table)
        return self._steps[key]

    def late_days(self, deadline: dt.date, day: dt.date) -> int:
        """Working days ``day`` is after ``deadline``, at least 1."""
        key = (deadline, day)
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = max(working_days_between(deadline, day, self.table)[0], 1)
        return found


def facts(items: Iterable[Mapping[str, Any]], today: dt.date,
          table: HolidayTable, rules: Sequence[R.LightRule] = R.LIGHT_RULES,
          memo: Memo | None = None) -> list[Fact]:
    """Each counted item (drafts left out) with its light and deadline on ``today``."""
    memo = memo or Memo(today, table, rules)
    out: list[Fact] = []
    for item in items:
        if item.get("state") in (R.DRAFT, "") or not item.get("assigned_on"):
            continue
        out.append(Fact(item, memo.light(item), memo.deadline(item)))
    return out


def _closed_day(item: Mapping[str, Any]) -> dt.date | None:
    return _day(item.get("closed_at")) if item.get("state") in R.FINAL else None


def _ack_figures(item: Mapping[str, Any], span: Period,
                 memo: Memo) -> list[tuple[str, bool]]:
    """Each unit's 签收 of ``item`` that counts in ``span``: (unit id, on time)."""
    due = memo.ack_due(item)
    if due is None or not span.holds(due):
        return []
    lead = str(item.get("lead_unit_id") or "")
    signed = item.get("acks") or {}
    if lead not in signed and item.get("acknowledged_at"):
        signed = U.acks_of(item)  # stored before per-unit 签收: the lead's older fields
    co = item.get("co_unit_ids")
    out: list[tuple[str, bool]] = []
    closed = item.get("state") in R.FINAL
    for unit in (U.unit_ids(item) if co else (lead,)):
        done = signed.get(unit)
        day = _day(done.get("at")) if done else None
        if day is None and (due > memo.today or closed):
            continue  # not yet due, or closed before anyone had to sign
        out.append((unit, day is not None and day <= due))
    return out


def _feedback_cycles(item: Mapping[str, Any], span: Period, memo: Memo) -> tuple[int, int]:
    """(cycles due in the period, of them met on time) for the lead unit's feedback."""
    cycle = str(item.get("cycle") or "none")
    assigned = _day(item.get("assigned_on"))
    if cycle == "none" or assigned is None:
        return 0, 0
    lead = str(item.get("lead_unit_id") or "")
    reports = sorted(d for d in (_day(r.get("at")) for r in item.get("reports") or ()
                                 if str(r.get("unit_id") or lead) == lead) if d is not None)
    end = min(memo.today, _closed_day(item) or memo.today, span.last)
    if not reports:  # every cycle missed: the same for every item with these dates
        key = (cycle, item.get("cycle_days"), assigned, end, span.first)
        found = memo.silent.get(key)
        if found is None:
            found = memo.silent[key] = _walk(cycle, item.get("cycle_days"), assigned, end,
                                             [], span, memo)
        return found
    return _walk(cycle, item.get("cycle_days"), assigned, end, reports, span, memo)


def _walk(cycle: str, cycle_days: Any, assigned: dt.date, end: dt.date,
          reports: list[dt.date], span: Period, memo: Memo) -> tuple[int, int]:
    last, i, counted, met = assigned, 0, 0, 0
    for _ in range(1000):
        due = memo.step(cycle, cycle_days, last)
        if due is None or due > end:
            break
        while i < len(reports) and reports[i] <= last:
            i += 1
        report = reports[i] if i < len(reports) else None
        on_time = report is not None and report <= due
        if span.holds(due):
            counted += 1
            met += on_time
        if on_time:
            last = report  # type: ignore[assignment]
            continue
        following = memo.step(cycle, cycle_days, due)
        if report is not None and report <= end and following is not None and report <= following:
            last = report  # a late report restarts the cycle from its day
        else:
            last = due  # a whole cycle without a report: the next starts from its due day
    return counted, met


def _add(fig: Figures, fact: Fact, span: Period, today: dt.date,
         memo: Memo | None = None, finished: Any = False) -> None:
    item, state = fact.item, str(fact.item.get("state") or "")
    fig.items += 1
    fig.by_state[state] = fig.by_state.get(state, 0) + 1
    fig.by_light[fact.light.colour] = fig.by_light.get(fact.light.colour, 0) + 1
    source, grade = str(item.get("source") or "other"), str(item.get("grade") or "normal")
    fig.by_source[source] = fig.by_source.get(source, 0) + 1
    fig.by_grade[grade] = fig.by_grade.get(grade, 0) + 1
    if finished is False:  # not passed in: compute it
        finished = completed_on(item)
    if finished is not None and span.holds(finished):
        fig.done += 1
    if span.holds(fact.deadline) and fact.deadline <= today and state != R.CANCELLED:
        fig.due += 1
        if finished is not None and finished <= fact.deadline:
            fig.on_time += 1
        elif memo is not None and (finished is not None or state not in R.FINAL):
            fig.late += 1
            fig.delay_days += memo.late_days(fact.deadline, finished or today)
    live = state not in R.FINAL
    if live and today > fact.deadline:
        fig.overdue += 1
    monday, sunday = memo.week if memo is not None else week_of(today)
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


_COUNTS = ("items", "due", "on_time", "done", "overdue", "due_this_week", "extensions",
           "extensions_approved", "late", "delay_days", "acks", "acks_on_time", "feedbacks",
           "feedbacks_on_time")


def _merge(total: Figures, unit: Figures) -> None:
    """Add a unit's counts to the total (every item is in exactly one lead unit's figures,
    every 签收 in its signer's)."""
    for name in _COUNTS:
        setattr(total, name, getattr(total, name) + getattr(unit, name))
    for mine, theirs in ((total.by_state, unit.by_state), (total.by_light, unit.by_light),
                         (total.by_source, unit.by_source), (total.by_grade, unit.by_grade)):
        for key, n in theirs.items():
            mine[key] = mine.get(key, 0) + n


def months_back(today: dt.date, count: int = 12) -> list[dt.date]:
    """The first days of the ``count`` months ending with ``today``'s, oldest first."""
    year, month = today.year, today.month
    out: list[dt.date] = []
    for _ in range(count):
        out.append(dt.date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out[::-1]


def compute(items: Iterable[Mapping[str, Any]], today: dt.date, table: HolidayTable,
            kind: str = MONTH, *, unit_id: str = "", source: str = "",
            rules: Sequence[R.LightRule] = R.LIGHT_RULES) -> Stats:
    """The statistics of the period ``kind`` holding ``today``; ``unit_id`` / ``source``
    keep only that lead unit's / that source's items. Units are ordered by name; the
    trend covers the 12 months ending with today's whatever the period."""
    span = period(kind, today)
    memo = Memo(today, table, rules)
    total = Figures("", "")
    units: dict[str, Figures] = {}
    lights: dict[str, R.Light] = {}
    months = {(m.year, m.month): Month(m) for m in months_back(today)}
    trend_items: dict[str, Mapping[str, Any]] = {}
    found: list[Fact] = []
    finished_of: dict[int, dt.date | None] = {}
    for item in items:
        if item.get("state") in (R.DRAFT, "") or not item.get("assigned_on"):
            continue
        if (unit_id and item.get("lead_unit_id") != unit_id) or \
                (source and item.get("source") != source):
            continue
        due = memo.deadline(item)
        finished = completed_on(item)
        _trend(months, trend_items, item, memo, due, finished)
        if in_period(item, span):  # lights only for the items that count
            found.append(Fact(item, memo.light(item), due))
            finished_of[id(item)] = finished
    order = {R.RED: 0, R.YELLOW: 1}
    found.sort(key=lambda f: (order.get(f.light.colour, 2), f.light.days_left, str(f.item["id"])))

    def unit_of(key: str, item: Mapping[str, Any]) -> Figures:
        fig = units.get(key)
        if fig is None:
            fig = units[key] = Figures(key, U.unit_name(item, key) or key)
        return fig

    for fact in found:
        item = fact.item
        key = str(item.get("lead_unit_id") or "")
        unit = unit_of(key, item)
        _add(unit, fact, span, today, memo, finished_of[id(item)])
        lights[str(item["id"])] = fact.light
        if fact.light.colour in (R.RED, R.YELLOW) and item.get("state") not in R.FINAL:
            total.alerts.append(str(item["id"]))

        for signer, on_time in _ack_figures(item, span, memo):
            if unit_id and signer != unit_id:
                continue
            fig = unit if signer == key else unit_of(signer, item)
            fig.acks += 1
            fig.acks_on_time += on_time
        cycles, met = _feedback_cycles(item, span, memo)
        unit.feedbacks += cycles
        unit.feedbacks_on_time += met
    for unit in units.values():
        _merge(total, unit)
    return Stats(span, today, total, sorted(units.values(), key=lambda f: (f.name, f.key)),
                 lights, found, list(months.values()), trend_items)


def _trend(months: dict[tuple[int, int], Month], seen: dict[str, Mapping[str, Any]],
           item: Mapping[str, Any], memo: Memo, due: dt.date,
           finished: dt.date | None) -> None:
    state = str(item.get("state") or "")
    ident = str(item["id"])
    if finished is not None and (finished.year, finished.month) in months:
        months[(finished.year, finished.month)].closed.append(ident)
        seen[ident] = item
    if state == R.CANCELLED:
        return
    month = months.get((due.year, due.month))
    if month is None or due > memo.today:
        return
    month.due.append(ident)
    seen[ident] = item
    if (finished is not None and finished > due) or (state not in R.FINAL and memo.today > due):
        month.overdue.append(ident)


def ranking(stats: Stats) -> list[tuple[int, Figures]]:
    """The units by 考评 score (best first) with their place; units without a score last
    (they share the last place), ties broken by fewer overdue items then the name."""
    def key(f: Figures) -> tuple[int, float, int, str]:
        score = f.score
        return (score is None, -(score or 0.0), f.overdue, f.name)

    ordered = sorted(stats.units, key=key)
    out: list[tuple[int, Figures]] = []
    for n, fig in enumerate(ordered):
        same = out and key(out[-1][1])[:3] == key(fig)[:3]
        out.append((out[-1][0] if same else n + 1, fig))
    return out


def drill(stats: Stats, what: str, key: str, sub: str = "") -> list[Mapping[str, Any]]:
    """The items behind one bar or slice: ``("unit", unit id, light)`` — the lead unit's
    items of that light (any light when ``sub`` is empty); ``("source", source)``;
    ``("month", "2026-10", "due" | "closed" | "overdue")``; ``("light", colour)``."""
    if what == "month":
        month = next((m for m in stats.trend if m.label() == key), None)
        if month is None:
            return []
        ids = getattr(month, sub or "due")
        return [stats.items[i] for i in ids if i in stats.items]
    out: list[Mapping[str, Any]] = []
    for fact in stats.facts:
        item = fact.item
        if what == "unit" and (item.get("lead_unit_id") != key
                               or (sub and fact.light.colour != sub)):
            continue
        if what == "source" and str(item.get("source") or "other") != key:
            continue
        if what == "light" and fact.light.colour != key:
            continue
        out.append(item)
    return out


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
    ("delay", "平均逾期（工作日）", "Average delay (working days)"),
    ("ack_rate", "签收及时率", "Acknowledged on time"),
    ("feedback_rate", "反馈及时率", "Feedback on time"),
    ("score", "考评得分", "Score"),
)


def cell(fig: Figures, key: str) -> str | int:
    """One cell of the statistics table."""
    if key == "name":
        return fig.name
    if key == "rate":
        return fig.rate_words()
    if key == "delay":
        return days_words(fig.average_delay)
    if key == "ack_rate":
        return percent(fig.ack_rate)
    if key == "feedback_rate":
        return percent(fig.feedback_rate)
    if key == "score":
        return score_words(fig.score)
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
