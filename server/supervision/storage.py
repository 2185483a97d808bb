"""Storage of supervision items: rows, numbers, to-dos and the change feed. Every
function runs inside the caller's transaction.

The 督字 number is allocated like the documents' 发文字号: the (organ, year) counter row
is created if missing, then locked (``FOR UPDATE`` on PostgreSQL; SQLite transactions are
IMMEDIATE) until the registration commits, so numbers have no gap and no duplicate.

To-dos follow the item's state (:func:`sync_todos`): 待签收 for the lead unit's clerks and
leaders, 待反馈 for whoever acknowledged, 延期待批 for the supervising leader, 待审核 for
the staff who registered it; the workbench's 督办 count is these.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from modules.calendar.rules import HolidayTable
from modules.supervision import intents as I
from modules.supervision import policy, subtasks, units
from modules.supervision import rules as R
from server.calendar.storage import holiday_table, on_year_entered
from server.changefeed import record_change
from server.db import dialect_insert
from server.directory.models import Body, Person, Post
from server.supervision.models import Item, NumberCounter
from server.supervision.reminders import sync_reminders
from server.workbench.feed import finish_todo, put_todo
from server.workbench.models import Todo

MODULE = "supervision"


def audience(data: dict[str, Any]) -> list[str]:
    """The supervising organ's 督查室 staff, the lead and co-units, the supervising
    leader and the registrar — nobody else."""
    keys = [policy.staff_key(str(data["organ_id"]))]
    keys += [policy.unit_key(str(u)) for u in (data["lead_unit_id"], *(data.get("co_unit_ids") or ()))]
    keys += [policy.unit_key(str(s["unit_id"])) for s in data.get("subtasks") or () if s.get("unit_id")]
    keys += [f"user:{p}" for p in (data.get("leader_id"), data.get("registered_by")) if p]
    return list(dict.fromkeys(keys))


def item_record(session: Session, item_id: str, *, lock: bool = False) -> dict[str, Any] | None:
    """The ``supervision.item`` record (locked until commit when ``lock``)."""
    query = select(Item).where(Item.id == item_id)
    row = session.scalars(query.with_for_update() if lock else query).first()
    return dict(row.data) if row is not None else None


def all_records(session: Session) -> list[dict[str, Any]]:
    return [dict(r.data) for r in session.scalars(select(Item).order_by(Item.due, Item.id))]


def put_item(session: Session, data: dict[str, Any], now: dt.datetime,
             table: HolidayTable | None = None) -> None:
    """Insert or update the item's row, publish it and bring its to-dos level."""
    row = session.get(Item, data["id"])
    if row is None:
        row = Item(id=data["id"])
        session.add(row)
    row.body_id, row.organ_id = data["body_id"], data["organ_id"]
    row.lead_unit_id, row.leader_id = data["lead_unit_id"], str(data.get("leader_id") or "")
    row.number, row.state, row.due = str(data.get("number") or ""), data["state"], data["due"]
    row.data, row.updated_at = dict(data), now
    session.flush()
    record_change(session, I.ITEM, row.id, dict(data), audience(data))
    sync_todos(session, data, table)
    sync_reminders(session, data, table, now)


def allocate_number(session: Session, organ_id: str, year: int) -> str:
    """The next 督字〔year〕N号 of ``organ_id``, without gaps."""
    session.execute(dialect_insert(session)(NumberCounter).values(organ_id=organ_id, year=year, value=0)
                    .on_conflict_do_nothing())
    counter = session.execute(
        select(NumberCounter).filter_by(organ_id=organ_id, year=year).with_for_update()
        .execution_options(populate_existing=True)).scalar_one()
    counter.value += 1
    session.flush()
    return f"督字〔{year}〕{counter.value}号"


def body_name(session: Session, body_id: str) -> str:
    body = session.get(Body, body_id)
    return body.name if body is not None else body_id


def person_name(session: Session, person_id: str) -> str:
    person = session.get(Person, person_id) if person_id else None
    return person.name if person is not None else ""


def unit_handlers(session: Session, unit_id: str,
                  roles: frozenset[str] = policy.UNIT_ROLES) -> list[str]:
    """People holding a registry clerk or leader post (or one of ``roles``) in the unit itself."""
    posts = session.scalars(select(Post).where(Post.body_id == unit_id)).all()
    return sorted({p.person_id for p in posts if set(p.roles or ()) & roles})


def _todo_id(item_id: str, kind: str, person_id: str) -> str:
    return f"{item_id}:{kind}:{hashlib.sha1(person_id.encode()).hexdigest()[:10]}"


def _due_at(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(23, 59), R.CHINA) if day else None


def wanted_todos(data: dict[str, Any], session: Session,
                 table: HolidayTable | None) -> dict[str, dict[str, Any]]:
    """The to-dos an item in its state puts on people: id -> put_todo arguments."""
    state, title = data["state"], f"{data.get('number') or ''} {data['title']}".strip()
    due = R.deadline(data, table).day if table is not None else dt.date.fromisoformat(data["due"])
    urgency = "特急" if data.get("grade") == "urgent" else ""
    out: dict[str, dict[str, Any]] = {}

    def want(kind: str, person: str, words: str, when: dt.date | None, sender: str) -> None:
        if person:
            out[_todo_id(data["id"], kind, person)] = {
                "person_id": person, "title": title, "module": MODULE, "kind": words,
                "ref_id": data["id"], "from_name": sender, "urgency": urgency,
                "due_at": _due_at(when)}

    staff_name = str(data.get("body_name") or "")
    if state in R.OPEN:  # each co-unit's own 签收, and each open sub-task for its unit
        acks = units.acks_of(data)
        ack_by = units.ack_due(data, table) if table is not None else None
        for co in data.get("co_unit_ids") or ():
            if co not in acks:
                for person in unit_handlers(session, str(co)):
                    want(f"ack-{co}", person, "待签收", ack_by.day if ack_by else due, staff_name)
        for sub in subtasks.open_subtasks(data):
            for person in unit_handlers(session, str(sub["unit_id"]), policy.SUBTASK_ROLES):
                want(f"sub-{sub['id']}", person, "分解任务", dt.date.fromisoformat(str(sub["due"])),
                     str(data.get("lead_unit_name") or ""))
    if state == R.ASSIGNED:  # the lead unit's 签收, due ack_days working days after 交办
        lead_ack = units.ack_due(data, table) if table is not None else None
        for person in unit_handlers(session, data["lead_unit_id"]):
            want("ack", person, "待签收", lead_ack.day if lead_ack else due, staff_name)
    elif state in R.WORKING:
        feedback = R.feedback_due(data, table) if table is not None else None
        want("report", str(data.get("acknowledged_by") or ""), "督办", feedback or due, staff_name)
    elif state == R.EXTENSION_REQUESTED:
        ext = data.get("extension") or {}
        want("ext", str(data.get("leader_id") or ""), "延期待批", due,
             str(ext.get("requested_by_name") or ""))
    elif state == R.COMPLETION_REQUESTED:
        done = data.get("completion") or {}
        want("verify", str(data.get("registered_by") or ""), "待审核", due,
             str(done.get("by_name") or ""))
    return out


def sync_todos(session: Session, data: dict[str, Any], table: HolidayTable | None) -> None:
    """Open the to-dos the item's state wants and finish the others."""
    wanted = wanted_todos(data, session, table)
    open_ids = session.scalars(select(Todo.id).where(
        Todo.ref_id == data["id"], Todo.module == MODULE, Todo.done.is_(False))).all()
    for todo_id in open_ids:
        if todo_id not in wanted:
            finish_todo(session, todo_id)
    for todo_id, params in wanted.items():
        if todo_id not in open_ids:
            put_todo(session, todo_id=todo_id, **params)


@on_year_entered
def recompute_deadlines(session: Session, year: int, now: dt.datetime) -> None:
    """When ``year``'s holidays are entered, every open item whose deadline counted that
    year by weekends alone gets its deadline recomputed, with a line in its history
    saying what changed (and its people see the new record and to-dos)."""
    table = holiday_table(session)
    for row in session.scalars(select(Item).where(Item.state.not_in(sorted(R.FINAL)))).all():
        data = dict(row.data)
        if year not in (data.get("due_missing_years") or ()):
            continue
        found = R.deadline(data, table)
        old = str(data["due"])
        data.update(due=found.day.isoformat(), due_missing_years=list(found.missing_years),
                    updated_at=I.iso(now))
        note = (f"{year}年节假日安排已录入，办结时限由{old}调整为{data['due']}" if data["due"] != old
                else f"{year}年节假日安排已录入，办结时限{old}不变")
        data["history"] = [*(data.get("history") or ()), {
            "at": I.iso(now), "by": "", "by_name": "", "action": "recompute",
            "state": data["state"], "note": note}]
        put_item(session, data, now, table)
