"""Per-unit 签收 and 分解 on the real server, SQLite and PostgreSQL: each unit signs on its
own (with its own to-do and its own line in the history); a sub-task goes to a division
of the lead unit with a deadline no later than the item's (refused in words otherwise);
the division reports on it; the item cannot be reported done while a sub-task is open."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from modules.supervision import rules as R
from modules.supervision import subtasks as S
from modules.supervision import units
from server.calendar.storage import holiday_table
from server.db import session_scope
from server.supervision import storage
from server.workbench.models import Todo
from tests.access.world import Actor, World, push


def _register(world: World, **over: Any) -> dict[str, Any]:
    args = {"item_id": f"sv-{uuid.uuid4().hex[:12]}", "body_id": world.body("own"),
            "title": "老旧小区加装电梯", "source": "proposal",
            "lead_unit_id": world.body("lower"), "co_unit_ids": [world.body("other")],
            "deadline_days": 10, "ack_days": 2, **over}
    result = push(world, world.actor("secretary"), "supervision.register", args)
    assert result["status"] == "applied", result
    return {**args, **result["result"]}


def _record(world: World, item_id: str) -> dict[str, Any]:
    with session_scope(world.app.state.sessions) as s:
        found = storage.item_record(s, item_id)
    assert found is not None
    return found


def _open_todos(world: World, item_id: str) -> set[tuple[str, str]]:
    with session_scope(world.app.state.sessions) as s:
        rows = s.scalars(select(Todo).where(Todo.ref_id == item_id, Todo.done.is_(False))).all()
        return {(t.person_id, t.kind) for t in rows}


def _division_head(world: World, unit: str) -> Actor:
    login = world.new_id("divhead")
    person = world.person([(unit, ["division_head"])], login=login)
    return Actor("division_head", unit, person, login, world.sign_in(login))


def test_each_unit_acknowledges_on_its_own(world: World) -> None:
    clerk, co_clerk = world.actor("registry_clerk", "lower"), world.actor("registry_clerk", "other")
    made = _register(world)
    item_id = made["item_id"]
    assert made["source"] == "proposal"
    assert _record(world, item_id)["source_words"] == "人大建议/政协提案"
    todos = _open_todos(world, item_id)
    assert (clerk.person_id, "待签收") in todos and (co_clerk.person_id, "待签收") in todos
    with session_scope(world.app.state.sessions) as s:  # each due 2 working days after 交办
        table = holiday_table(s)
        dues = {t.due_at for t in s.scalars(select(Todo).where(Todo.ref_id == item_id, Todo.kind == "待签收"))}
    ack_by = units.ack_due(_record(world, item_id), table)
    assert ack_by is not None and {d.astimezone(R.CHINA).date() for d in dues if d} == {ack_by.day}

    co = push(world, co_clerk, "supervision.acknowledge", {"item_id": item_id, "note": "协办收到"})
    assert co["status"] == "applied" and co["result"]["state"] == R.ASSIGNED  # not the lead's
    assert (co_clerk.person_id, "待签收") not in _open_todos(world, item_id)
    again = push(world, co_clerk, "supervision.acknowledge", {"item_id": item_id})
    assert again["status"] == "conflict"
    assert again["error"]["code"] == "supervision.already_acknowledged"
    assert made["co_unit_ids"] and "签收" in again["error"]["message"]

    lead = push(world, clerk, "supervision.acknowledge", {"item_id": item_id})
    assert lead["result"]["state"] == R.ACKNOWLEDGED
    record = _record(world, item_id)
    assert set(record["acks"]) == {world.body("lower"), world.body("other")}
    assert [h["action"] for h in record["history"]] == ["register", "acknowledge_co", "acknowledge"]
    with session_scope(world.app.state.sessions) as s:
        table = holiday_table(s)
    shown = units.ack_rows(record, R.china_day(dt.datetime.now(dt.UTC)), table)
    assert [r.signed for r in shown] == [True, True] and shown[0].lead
    assert "已签收" in shown[1].words() and "协办" in shown[1].words()


def test_split_report_and_the_parent_rule(world: World) -> None:
    made = _register(world)
    item_id, due = made["item_id"], made["due"]
    clerk = world.actor("registry_clerk", "lower")
    assert push(world, clerk, "supervision.acknowledge", {"item_id": item_id})["status"] == "applied"
    division = world.department("lower", "改造科")
    head = _division_head(world, division)

    def split(**over: Any) -> dict[str, Any]:
        args = {"item_id": item_id, "subtask_id": f"st-{uuid.uuid4().hex[:12]}",
                "title": "摸底排查", "unit_id": division, "due": due, **over}
        return push(world, clerk, "supervision.split", args)

    late_day = (dt.date.fromisoformat(due) + dt.timedelta(days=1)).isoformat()
    late = split(due=late_day)
    assert late["status"] == "rejected" and late["error"]["code"] == "supervision.subtask_after_parent"
    assert late["error"]["message"] == f"分解任务的时限（{late_day}）不能晚于督办事项的办结时限（{due}）。"
    stranger = split(unit_id=world.body("higher"))
    assert stranger["error"]["code"] == "supervision.subtask_bad_unit"
    by_staff = push(world, world.actor("secretary"), "supervision.split",
                    {"item_id": item_id, "subtask_id": "st-staff0001", "title": "x",
                     "unit_id": division, "due": due})
    assert by_staff["error"]["code"] == "supervision.not_unit"

    first, second = split(), split(title="资金测算", unit_id=world.body("other"))
    assert first["status"] == "applied" and second["status"] == "applied", (first, second)
    sub_id, co_sub = first["result"]["subtask_id"], second["result"]["subtask_id"]
    assert (head.person_id, "分解任务") in _open_todos(world, item_id)

    blocked = push(world, clerk, "supervision.request_completion", {"item_id": item_id, "report": "完成"})
    assert blocked["status"] == "conflict" and blocked["error"]["code"] == "supervision.subtasks_open"
    assert "摸底排查" in blocked["error"]["message"] and "资金测算" in blocked["error"]["message"]

    other_head = _division_head(world, world.department("lower", "别的科"))
    denied = push(world, other_head, "supervision.report_subtask",
                  {"item_id": item_id, "subtask_id": sub_id, "text": "x"})
    assert denied["error"]["code"] == "supervision.not_subtask_unit"
    half = push(world, head, "supervision.report_subtask",
                {"item_id": item_id, "subtask_id": sub_id, "text": "已排查12个小区", "progress": 50})
    assert half["result"]["subtask_state"] == S.IN_PROGRESS
    done = push(world, head, "supervision.report_subtask",
                {"item_id": item_id, "subtask_id": sub_id, "text": "排查完毕", "finished": True})
    assert done["result"]["subtask_state"] == S.DONE
    assert (head.person_id, "分解任务") not in _open_todos(world, item_id)
    twice = push(world, head, "supervision.report_subtask",
                 {"item_id": item_id, "subtask_id": sub_id, "text": "再报"})
    assert twice["status"] == "conflict" and twice["error"]["code"] == "supervision.subtask_closed"

    withdrawn = push(world, clerk, "supervision.cancel_subtask",
                     {"item_id": item_id, "subtask_id": co_sub, "reason": "并入摸底排查"})
    assert withdrawn["result"]["subtask_state"] == S.CANCELLED
    record = _record(world, item_id)
    assert S.summary(record)[0] == "分解任务1项：已完成1项"
    actions = [h["action"] for h in record["history"]]
    assert actions.count("split") == 2 and actions.count("report_subtask") == 2
    assert actions[-1] == "cancel_subtask"
    ok = push(world, clerk, "supervision.request_completion", {"item_id": item_id, "report": "完成"})
    assert ok["status"] == "applied" and ok["result"]["state"] == R.COMPLETION_REQUESTED


def test_a_division_sees_the_item_it_has_a_subtask_of(world: World) -> None:
    made = _register(world)
    item_id = made["item_id"]
    clerk = world.actor("registry_clerk", "lower")
    push(world, clerk, "supervision.acknowledge", {"item_id": item_id})
    division = world.department("lower", "督办科")
    head = _division_head(world, division)
    assert push(world, clerk, "supervision.split", {
        "item_id": item_id, "subtask_id": "st-seen00001", "title": "分项", "unit_id": division,
        "due": made["due"]})["status"] == "applied"
    seen: set[str] = set()
    params: dict[str, Any] = {"limit": 1000}
    while True:
        body = world.client.get("/api/v1/sync/pull", headers=head.headers, params=params).json()
        seen |= {c["id"] for c in body["changes"] if c["entity"] == "supervision.item"}
        if not body.get("has_more"):
            break
        params["cursor"] = body["cursor"]
    assert item_id in seen
