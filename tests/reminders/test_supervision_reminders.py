"""Supervision reminders: pure planning on a holiday table (feedback due tomorrow and
overdue, deadline in N working days, escalation to the supervising leader) and, on the
server (SQLite and PostgreSQL), reminders that follow the item's state and are sent by
the same dispatcher as meeting reminders."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from modules.calendar.rules import HOLIDAY, DayEntry, HolidayTable
from modules.reminders import rules as RR
from modules.supervision import reminders as SR
from modules.supervision import rules as R
from server.db import session_scope
from server.reminders.models import Reminder
from server.reminders.store import send_due
from tests.access.world import World, push
from tests.documents_server.conftest import Office

EMPTY = HolidayTable(years=frozenset())


def _item(**over: Any) -> dict[str, Any]:
    return {"id": "sv-1", "number": "督字〔2026〕3号", "title": "加装电梯", "state": R.IN_PROGRESS,
            "due": "2026-12-11", "assigned_on": "2026-11-30", "cycle": "weekly",
            "acknowledged_by": "p-handler", "leader_id": "p-leader", "lead_unit_name": "甲县",
            **over}


def test_plan_on_working_days() -> None:
    plan = {s.kind: s for s in SR.plan(_item(), EMPTY, RR.ReminderConfig())}
    # weekly feedback after 11-30 (Mon) is due 12-07 (Mon): reminded Fri 12-04 09:00
    soon = plan[SR.FEEDBACK_SOON]
    assert soon.due_at == dt.datetime(2026, 12, 4, 9, 0, tzinfo=RR.CHINA)
    assert soon.person_id == "p-handler" and "12月7日" in soon.body[0]
    assert plan[SR.FEEDBACK_LATE].due_at.date() == dt.date(2026, 12, 8)
    # deadline Fri 12-11, two working days before: Wed 12-09
    assert plan[SR.DEADLINE_NEAR].due_at.date() == dt.date(2026, 12, 9)
    # overdue the next working day (Mon 12-14): the handler, and the leader (escalation)
    assert plan[SR.OVERDUE].due_at.date() == dt.date(2026, 12, 14)
    assert plan[SR.ESCALATE].person_id == "p-leader"
    assert plan[SR.ESCALATE].due_at.date() == dt.date(2026, 12, 14)
    # after a feedback the next cycle's reminders replace these (other ids)
    later = {s.id for s in SR.plan(_item(last_report_on="2026-12-07"), EMPTY, RR.ReminderConfig())}
    assert soon.id not in later and plan[SR.ESCALATE].id in later
    # closed, or not yet acknowledged: none
    assert SR.plan(_item(state=R.DONE), EMPTY, RR.ReminderConfig()) == []
    assert SR.plan(_item(state=R.ASSIGNED), EMPTY, RR.ReminderConfig()) == []


def test_a_holiday_moves_the_reminder() -> None:
    holidays = HolidayTable.build([2026], [DayEntry(dt.date(2026, 12, 4), HOLIDAY, "测试")])
    plan = {s.kind: s for s in SR.plan(_item(), holidays, RR.ReminderConfig())}
    assert plan[SR.FEEDBACK_SOON].due_at.date() == dt.date(2026, 12, 3)


def _register(world: World) -> str:
    item_id = f"sv-{uuid.uuid4().hex[:12]}"
    result = push(world, world.actor("secretary"), "supervision.register", {
        "item_id": item_id, "body_id": world.body("own"), "title": "落实批示：老旧小区加装电梯",
        "source": "instruction", "source_ref": "d-0123456789ab",
        "leader_id": world.actor("leader").person_id, "lead_unit_id": world.body("lower"),
        "co_unit_ids": [], "deadline_days": 10, "cycle": "weekly"})
    assert result["status"] == "applied", result
    return item_id


def _pending(world: World, item_id: str) -> dict[str, Reminder]:
    with session_scope(world.app.state.sessions) as s:
        return {r.kind: r for r in s.scalars(select(Reminder).where(
            Reminder.ref_id == item_id, Reminder.state == RR.PENDING))}


def test_reminders_follow_the_item_and_escalate_to_the_leader(world: World) -> None:
    clerk, leader = world.actor("registry_clerk", "lower"), world.actor("leader")
    item_id = _register(world)
    assert _pending(world, item_id) == {}  # assigned: the 待签收 to-do is enough
    assert push(world, clerk, "supervision.acknowledge", {"item_id": item_id})["status"] == "applied"
    pending = _pending(world, item_id)
    assert {SR.FEEDBACK_SOON, SR.DEADLINE_NEAR, SR.OVERDUE, SR.ESCALATE} <= set(pending)
    assert pending[SR.FEEDBACK_SOON].person_id == clerk.person_id
    escalate = pending[SR.ESCALATE]
    assert escalate.person_id == leader.person_id
    send_due(world.app.state.sessions, escalate.due_at + dt.timedelta(minutes=1), "test")
    feed = Office(world.app).feed(leader.person_id)
    mine = [v for (e, _), v in feed.items() if e == RR.NOTICE and v and v["ref_id"] == item_id]
    assert [n["kind"] for n in mine] == [SR.ESCALATE]
    assert mine[0]["title_zh"].startswith("督办逾期（升级）")
    # completed and verified: nothing more is pending
    staff = world.actor("secretary")
    assert push(world, clerk, "supervision.request_completion",
                {"item_id": item_id, "report": "已完成"})["status"] == "applied"
    assert push(world, staff, "supervision.verify",
                {"item_id": item_id, "accept": True})["status"] == "applied"
    assert _pending(world, item_id) == {}
