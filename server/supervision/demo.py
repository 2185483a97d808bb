"""Demo supervision items (embedded server with demo data): three items the provincial
data bureau's 督查室 follows, one in each light — made through the real intent handlers
(with their clocks set back) so they obey the same rules as the app's."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.calendar.rules import working_days_between
from modules.common.intents import Intent
from modules.supervision import intents as I
from modules.supervision import rules as R
from server.auth.principal import load_principal
from server.calendar.storage import holiday_table
from server.db import utcnow
from server.directory.models import Body
from server.mutations import MutationContext
from server.supervision import mutations as m
from server.supervision import storage, subtask_mutations
from server.supervision.models import Item

SZJ = "b-gd-szj"        # 广东省政务服务数据管理局 (supervises)
JH_SZJ = "b-jh-szj"     # 江海市政务服务数据管理局 (lead unit)
LJ = "b-jh-lj"          # 临江县人民政府 (lead unit, co-unit)
SECRETARY, JUZHANG = "p-demo-04", "p-demo-01"


def _run(session: Session, person_id: str, intent: Intent[Any], handler: Any,
         args: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    ctx = MutationContext(session=session, principal=load_principal(session, person_id), now=now,
                          lang="zh_CN", mutation_id=f"seed-{uuid.uuid4().hex[:12]}")
    return dict(handler(ctx, intent.parse(args)) or {})


def _working_days_ago(session: Session, today: dt.date, n: int) -> dt.date:
    """The day from which ``today`` is the ``n``-th working day."""
    table = holiday_table(session)
    day = today
    while working_days_between(day, today, table)[0] < n:
        day -= dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), R.CHINA).astimezone(dt.UTC)


#: (item id, title, source, lead unit, co-units, working days ago, deadline days, cycle)
ITEMS: tuple[tuple[str, str, str, str, tuple[str, ...], int, int, str], ...] = (
    ("sv-demo-green", "推进政务服务事项“一网通办”清单梳理", "meeting", JH_SZJ, (LJ,), 0, 20,
     "weekly"),
    ("sv-demo-yellow", "落实局长批示：12345热线工单按期办结率提升", "instruction", JH_SZJ, (), 10,
     12, "none"),
    ("sv-demo-red", "上级交办：基层数据共享接口整改", "higher", LJ, (), 10, 5, "weekly"),
)


def seed_demo_supervision(session: Session, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Three items (green, yellow, red today); ``{"seeded": False}`` when items exist
    already or the demo directory is missing."""
    if session.scalars(select(Item.id).limit(1)).first() is not None:
        return {"seeded": False}
    if session.get(Body, SZJ) is None or session.get(Body, JH_SZJ) is None:
        return {"seeded": False, "reason": "demo directory missing"}
    now = now or utcnow()
    today = R.china_day(now)
    for item_id, title, source, lead, co, ago, days, cycle in ITEMS:
        start = _working_days_ago(session, today, ago)
        _run(session, SECRETARY, I.REGISTER, m.register, {
            "item_id": item_id, "body_id": SZJ, "title": title, "source": source,
            "content": f"请{storage.body_name(session, lead)}按要求抓好落实，按时反馈办理情况。",
            "leader_id": JUZHANG, "lead_unit_id": lead, "co_unit_ids": list(co),
            "deadline_days": days, "cycle": cycle,
            "grade": "urgent" if source == "higher" else "normal"}, min(_at(start), now))
        clerks = storage.unit_handlers(session, lead)
        if ago and clerks:
            _run(session, clerks[0], I.ACKNOWLEDGE, m.HANDLERS[I.ACKNOWLEDGE.name], {"item_id": item_id},
                 min(_at(start, 15), now))
            _run(session, clerks[0], I.REPORT, m.HANDLERS[I.REPORT.name],
                 {"item_id": item_id, "text": "已制定工作方案，正在推进。", "progress": 30},
                 min(_at(start, 16), now))
            division = session.scalars(select(Body.id).where(
                Body.parent_id == lead, Body.kind == "department").order_by(Body.id)).first()
            if division is not None:  # 分解: part of it for one of the lead unit's divisions
                due = str((storage.item_record(session, item_id) or {}).get("due") or "")
                _run(session, clerks[0], I.SPLIT, subtask_mutations.split, {
                    "item_id": item_id, "subtask_id": f"st-{item_id[3:]}", "title": "梳理数据需求清单",
                    "unit_id": division, "due": due}, min(_at(start, 17), now))
    return {"seeded": True, "items": len(ITEMS)}
