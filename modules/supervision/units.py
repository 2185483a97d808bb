"""Per-unit facts of a supervision item (督办事项): each unit's 签收 (the lead unit and
every co-unit sign separately, each due ``ack_days`` working days after 交办) and the
rows a screen shows for them — signed when and by whom, due by a date, or overdue.

An item stored before per-unit 签收 existed has no ``acks``; its lead unit's signature
is read from ``acknowledged_by`` / ``acknowledged_at``. Pure, thread-safe, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from modules.calendar.rules import Deadline, HolidayTable, add_working_days, working_days_between
from modules.common import messages
from modules.supervision import rules as R

#: 签收 is due this many working days after 交办 unless the item says otherwise.
DEFAULT_ACK_DAYS = 1


def unit_ids(item: Mapping[str, Any]) -> list[str]:
    """The lead unit first, then the co-units."""
    lead = str(item.get("lead_unit_id") or "")
    return list(dict.fromkeys([lead, *(str(c) for c in item.get("co_unit_ids") or ())]))


def unit_name(item: Mapping[str, Any], unit_id: str) -> str:
    """A unit's name as the item knows it (lead, co-unit or a sub-task's unit)."""
    if unit_id == item.get("lead_unit_id"):
        return str(item.get("lead_unit_name") or unit_id)
    names = dict(zip([str(c) for c in item.get("co_unit_ids") or ()],
                     [str(n) for n in item.get("co_unit_names") or ()], strict=False))
    if unit_id in names:
        return names[unit_id]
    for sub in item.get("subtasks") or ():
        if sub.get("unit_id") == unit_id:
            return str(sub.get("unit_name") or unit_id)
    return unit_id


def acks_of(item: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """unit id -> its 签收 (at, by, by_name, note), the lead's read from the older fields
    when the item has no ``acks`` entry for it."""
    found = {str(k): dict(v) for k, v in (item.get("acks") or {}).items()}
    lead = str(item.get("lead_unit_id") or "")
    if lead not in found and item.get("acknowledged_at"):
        found[lead] = {"at": item["acknowledged_at"], "by": item.get("acknowledged_by") or "",
                       "by_name": item.get("acknowledged_by_name") or "", "note": ""}
    return found


def ack_due(item: Mapping[str, Any], table: HolidayTable) -> Deadline | None:
    """When each unit's 签收 is due: ``ack_days`` working days after ``assigned_on``
    (None for a draft)."""
    assigned = item.get("assigned_on")
    if not assigned or item.get("state") == R.DRAFT:
        return None
    days = item.get("ack_days")
    n = days if isinstance(days, int) and not isinstance(days, bool) else DEFAULT_ACK_DAYS
    return add_working_days(dt.date.fromisoformat(str(assigned)), n, table)


@dataclass(frozen=True)
class UnitAck:
    """One unit's 签收 as a screen shows it."""

    unit_id: str
    unit_name: str
    lead: bool
    at: str
    by_name: str
    due: dt.date | None
    overdue_days: int
    zh: str
    en: str

    @property
    def signed(self) -> bool:
        return bool(self.at)

    @property
    def overdue(self) -> bool:
        return not self.at and self.overdue_days > 0

    def words(self, lang: str = "zh_CN") -> str:
        return self.en if messages.normalise_lang(lang) == "en" else self.zh


def _local(stamp: object) -> str:
    when = dt.datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.astimezone(R.CHINA).strftime("%Y-%m-%d %H:%M")


def ack_rows(item: Mapping[str, Any], today: dt.date, table: HolidayTable) -> list[UnitAck]:
    """Every unit's 签收, lead first: "已签收（张三，2026-09-28 10:00）", "应于9月29日前签收",
    "签收已超期2个工作日（应于9月29日前）" — a closed item's unsigned units say nothing
    is due."""
    due = ack_due(item, table)
    acks = acks_of(item)
    lead = str(item.get("lead_unit_id") or "")
    closed = item.get("state") in R.FINAL
    rows: list[UnitAck] = []
    for unit in unit_ids(item):
        name = unit_name(item, unit)
        role_zh, role_en = ("牵头", "lead") if unit == lead else ("协办", "co-unit")
        done = acks.get(unit)
        late = 0
        if done:
            at = _local(done.get("at"))
            who = str(done.get("by_name") or "")
            zh = f"{name}（{role_zh}）：已签收（{who}，{at}）"
            en = f"{name} ({role_en}): acknowledged by {who} at {at}"
            if due is not None and dt.date.fromisoformat(at[:10]) > due.day:
                zh = zh[:-1] + "，超期签收）"
                en += " (late)"
        elif closed or due is None:
            zh, en = f"{name}（{role_zh}）：未签收", f"{name} ({role_en}): not acknowledged"
        elif today > due.day:
            late = max(working_days_between(due.day, today, table)[0], 1)
            zh = (f"{name}（{role_zh}）：签收已超期{late}个工作日"
                  f"（应于{R._md(due.day, 'zh')}前签收）")
            en = (f"{name} ({role_en}): acknowledgement {late} working day"
                  f"{'s' if late != 1 else ''} overdue (due {R._md(due.day, 'en')})")
        else:
            zh = f"{name}（{role_zh}）：待签收，应于{R._md(due.day, 'zh')}前签收"
            en = f"{name} ({role_en}): to acknowledge by {R._md(due.day, 'en')}"
        rows.append(UnitAck(unit, name, unit == lead, str((done or {}).get("at") or ""),
                            str((done or {}).get("by_name") or ""),
                            due.day if due else None, late, zh, en))
    return rows
