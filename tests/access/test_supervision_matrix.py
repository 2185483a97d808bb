"""The supervision access matrix: every supervision intent × every role × an item whose
supervising body (or lead unit) is the actor's own body, a sibling, a higher and a lower
body — plus an item the actor's body co-handles ("co") and one the actor supervises as
its leader ("self")."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from modules.common.access import ActorFacts, PostFacts
from modules.supervision import intents as I
from modules.supervision import rules as R
from server.access_facts import body_facts
from server.calendar.storage import holiday_table
from server.db import session_scope
from server.supervision import storage
from tests.access.table import HERE, read_table
from tests.access.world import RELATIONS, ROLES, World, intent_outcome, push
from tests.meetings.minutes_helpers import instruction_args

SUPERVISION = read_table(HERE / "table_supervision.csv")
DENY_CODES = {"supervision.not_staff", "supervision.not_unit", "supervision.not_leader",
              "supervision.not_subtask_unit"}
#: Intents whose relation is the lead unit's (the others: the supervising body's).
UNIT_INTENTS = {"supervision.acknowledge", "supervision.report",
                "supervision.request_extension", "supervision.request_completion",
                "supervision.split", "supervision.cancel_subtask"}
#: report_subtask: the relation is the sub-task's unit (the item is led by another body).
SUBTASK_INTENTS = {"supervision.report_subtask", "supervision.cancel_subtask"}
#: The state each intent acts on.
STATE = {"supervision.acknowledge": R.ASSIGNED, "supervision.urge": R.ASSIGNED,
         "supervision.cancel": R.ASSIGNED, "supervision.decide_extension": R.EXTENSION_REQUESTED,
         "supervision.verify": R.COMPLETION_REQUESTED, "supervision.terminate": R.ASSIGNED,
         "supervision.strike_off": R.DONE, "supervision.draft_report": R.DONE}


def _item(world: World, supervisor: str, lead: str, *, co: str = "", state: str = R.ASSIGNED,
          leader_id: str = "p-nobody", subtask_unit: str = "") -> str:
    """An item stored directly (not through the intent under test)."""
    item_id = f"sv-{uuid.uuid4().hex[:12]}"
    now = dt.datetime.now(dt.UTC)
    with session_scope(world.app.state.sessions) as s:
        body = body_facts(s, world.body(supervisor))
        unit = body_facts(s, world.body(lead))
        cos = [body_facts(s, world.body(co))] if co else []
        staff = ActorFacts("p-setup", (PostFacts(body.id, body.organ_id, frozenset({"secretary"})),))
        args = I.RegisterArgs(item_id=item_id, body_id=body.id, title="矩阵测试事项",
                              lead_unit_id=unit.id, co_unit_ids=[c.id for c in cos],
                              leader_id=leader_id, deadline_days=20)
        table = holiday_table(s)
        data = I.register(None, args, staff, "督查员", body, (unit.id, unit.name),
                          [(c.id, c.name) for c in cos], "", "督字〔2026〕0号", now, table)
        data["state"] = state
        if subtask_unit:  # stored directly: the case is about who reports, not who split
            data["subtasks"] = [{"id": "st-matrix", "title": "分项任务", "unit_id": world.body(subtask_unit),
                                 "unit_name": "承办单位", "due": data["due"], "state": "open",
                                 "progress": 0, "reports": []}]
        if state == R.EXTENSION_REQUESTED:
            data["extension"] = {"new_due": (dt.date.fromisoformat(data["due"])
                                             + dt.timedelta(days=60)).isoformat()}
        storage.put_item(s, data, now, table)
    return item_id


def _args(world: World, name: str, relation: str, role: str) -> dict[str, Any]:
    if name == "supervision.from_instruction":
        return instruction_args(world, relation)
    if name == "supervision.register":
        return {"item_id": f"sv-{uuid.uuid4().hex[:12]}", "body_id": world.body(relation),
                "title": "新督办事项", "lead_unit_id": world.body(relation), "deadline_days": 5}
    if name == "supervision.decide_extension":
        leader = world.actor(role).person_id if relation == "self" else "p-nobody"
        item_id = _item(world, "own" if relation == "self" else relation, "lower",
                        state=R.EXTENSION_REQUESTED, leader_id=leader)
        return {"item_id": item_id, "approve": True}
    if name == "supervision.report_subtask":
        item_id = _item(world, "higher", "other" if relation != "other" else "higher",
                        state=R.ACKNOWLEDGED, subtask_unit=relation)
        return {"item_id": item_id, "subtask_id": "st-matrix", "text": "分项进展"}
    if name in UNIT_INTENTS:
        if relation == "co":
            item_id = _item(world, "higher", "other", co="own", state=R.ACKNOWLEDGED)
        else:
            item_id = _item(world, "higher", relation, state=STATE.get(name, R.ACKNOWLEDGED),
                            subtask_unit="lower" if name in SUBTASK_INTENTS else "")
    else:
        item_id = _item(world, relation, "lower", state=STATE.get(name, R.ASSIGNED))
    extra: dict[str, dict[str, Any]] = {
        "supervision.report": {"text": "进展顺利"},
        "supervision.request_extension": {"new_due": "2099-01-01", "reason": "需要更多时间"},
        "supervision.request_completion": {"report": "已办结"},
        "supervision.verify": {"accept": True},
        "supervision.cancel": {"reason": "领导另有安排"},
        "supervision.terminate": {"reason": "情况发生变化"},
        "supervision.draft_report": {"document_id": f"d-{uuid.uuid4().hex[:12]}"},
        "supervision.cancel_subtask": {"subtask_id": "st-matrix", "reason": "并入其他任务"},
    }
    if name == "supervision.split":
        extra[name] = {"subtask_id": f"st-{uuid.uuid4().hex[:12]}", "title": "分项任务",
                       "unit_id": world.department(relation, "督办处"),
                       "due": R.china_day(dt.datetime.now(dt.UTC)).isoformat()}
    return {"item_id": item_id, **extra.get(name, {})}


@pytest.mark.parametrize("name", sorted(SUPERVISION.names("intent")))
def test_supervision_intent_matrix(world: World, name: str) -> None:
    relations: tuple[str, ...] = RELATIONS
    if name in ("supervision.report", "supervision.acknowledge"):
        relations = (*RELATIONS, "co")
    elif name == "supervision.decide_extension":
        relations = (*RELATIONS, "self")
    bad = []
    for role, relation, expected in SUPERVISION.cases("intent", name, ROLES, relations):
        result = push(world, world.actor(role), name, _args(world, name, relation, role))
        got = intent_outcome(result, DENY_CODES)
        if got != expected:
            bad.append(f"{role}/{relation}: expected {expected}, got {got}")
    assert bad == []
