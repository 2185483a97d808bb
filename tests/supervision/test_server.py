"""Supervision on the real server, SQLite and PostgreSQL: the lifecycle with its numbers,
deadlines from the server's calendar and to-dos; wrong steps and late extensions refused
in words; a step on an item closed meanwhile names who closed it; the client's
optimistic record level with the server's."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select

from modules.calendar.rules import add_working_days
from modules.common.access import profile_facts
from modules.supervision import intents as I
from modules.supervision import rules as R
from server.calendar.storage import holiday_table
from server.db import session_scope
from server.supervision import storage
from server.workbench.models import Todo
from tests.access.world import World, push


def _register(world: World, **over: Any) -> dict[str, Any]:
    args = {"item_id": f"sv-{uuid.uuid4().hex[:12]}", "body_id": world.body("own"),
            "title": "落实市长批示：老旧小区加装电梯", "source": "instruction",
            "source_ref": "d-0123456789ab", "leader_id": world.actor("leader").person_id,
            "lead_unit_id": world.body("lower"), "co_unit_ids": [world.body("other")],
            "deadline_days": 5, "cycle": "weekly", **over}
    result = push(world, world.actor("secretary"), "supervision.register", args)
    assert result["status"] == "applied", result
    return {**args, **result["result"]}


def _record(world: World, item_id: str) -> dict[str, Any]:
    with session_scope(world.app.state.sessions) as s:
        found = storage.item_record(s, item_id)
    assert found is not None
    return found


def _todos(world: World, item_id: str) -> list[tuple[str, str, bool]]:
    with session_scope(world.app.state.sessions) as s:
        rows = s.scalars(select(Todo).where(Todo.ref_id == item_id)).all()
        return sorted((t.person_id, t.kind, t.done) for t in rows)


def test_the_whole_lifecycle_with_number_deadline_and_todos(world: World) -> None:
    clerk, co_clerk = world.actor("registry_clerk", "lower"), world.actor("registry_clerk", "other")
    leader, staff = world.actor("leader"), world.actor("secretary")
    made = _register(world)
    item_id = made["item_id"]
    with session_scope(world.app.state.sessions) as s:
        table = holiday_table(s)
    today = R.china_day(dt.datetime.now(dt.UTC))
    assert made["due"] == add_working_days(today, 5, table).day.isoformat()
    assert made["state"] == R.ASSIGNED and made["number"].startswith(f"督字〔{today.year}〕")
    assert (clerk.person_id, "待签收", False) in _todos(world, item_id)

    def step(actor: Any, name: str, **args: Any) -> dict[str, Any]:
        res = push(world, actor, name, {"item_id": item_id, **args})
        assert res["status"] == "applied", res
        return dict(res["result"])

    assert step(clerk, "supervision.acknowledge")["state"] == R.ACKNOWLEDGED
    assert (clerk.person_id, "待签收", True) in _todos(world, item_id)
    assert (clerk.person_id, "督办", False) in _todos(world, item_id)
    assert step(co_clerk, "supervision.report", text="协办部分已完成摸底")["state"] == R.IN_PROGRESS
    step(clerk, "supervision.report", text="已完成三个小区", progress=40)
    new_due = (dt.date.fromisoformat(made["due"]) + dt.timedelta(days=30)).isoformat()
    step(clerk, "supervision.request_extension", new_due=new_due, reason="施工审批需时")
    assert (leader.person_id, "延期待批", False) in _todos(world, item_id)
    refused = push(world, staff, "supervision.decide_extension", {"item_id": item_id, "approve": True})
    assert refused["error"]["code"] == "supervision.not_leader"
    assert step(leader, "supervision.decide_extension", approve=True)["due"] == new_due
    step(clerk, "supervision.request_completion", report="全部完成")
    assert (staff.person_id, "待审核", False) in _todos(world, item_id)
    no_reason = push(world, staff, "supervision.verify", {"item_id": item_id, "accept": False})
    assert no_reason["error"]["code"] == "supervision.reason_required"
    assert step(staff, "supervision.verify", accept=False, reason="缺少验收材料")["state"] == R.RETURNED
    step(clerk, "supervision.request_completion", report="补充验收材料")
    assert step(staff, "supervision.verify", accept=True)["state"] == R.DONE
    record = _record(world, item_id)
    assert record["progress"] == 100 and len(record["extensions"]) == 1
    assert [h["action"] for h in record["history"]][:3] == ["register", "acknowledge", "report"]
    assert all(done for _, _, done in _todos(world, item_id))
    late = push(world, clerk, "supervision.report", {"item_id": item_id, "text": "补充"})
    assert late["status"] == "conflict" and late["error"]["code"] == "supervision.closed_meanwhile"
    with session_scope(world.app.state.sessions) as s:
        name = storage.person_name(s, staff.person_id)
    assert name in late["error"]["message"] and "办结" in late["error"]["message"]


def test_numbers_follow_each_other_without_gaps(world: World) -> None:
    first, second = _register(world), _register(world)
    n1 = int(first["number"].split("〕")[1].rstrip("号"))
    n2 = int(second["number"].split("〕")[1].rstrip("号"))
    assert n2 == n1 + 1
    draft = _register(world, draft=True)
    assert draft["state"] == R.DRAFT and draft["number"] == ""
    again = _register(world, item_id=draft["item_id"])
    assert again["state"] == R.ASSIGNED and again["number"].endswith(f"{n2 + 1}号")


def test_a_wrong_step_is_refused_in_words(world: World) -> None:
    item_id = _register(world)["item_id"]
    clerk = world.actor("registry_clerk", "lower")
    res = push(world, clerk, "supervision.request_completion", {"item_id": item_id, "report": "完成"})
    assert res["status"] == "conflict" and res["error"]["message"] == "该督办事项已交办，不能申请办结。"


def test_an_extension_after_the_deadline_is_refused(world: World) -> None:
    item_id = _register(world)["item_id"]
    clerk = world.actor("registry_clerk", "lower")
    push(world, clerk, "supervision.acknowledge", {"item_id": item_id})
    with session_scope(world.app.state.sessions) as s:
        data = storage.item_record(s, item_id)
        assert data is not None
        data.update(deadline_days=None, due="2026-01-05")
        storage.put_item(s, data, dt.datetime.now(dt.UTC), holiday_table(s))
    res = push(world, clerk, "supervision.request_extension",
               {"item_id": item_id, "new_due": "2099-01-01", "reason": "来不及"})
    assert res["error"]["code"] == "supervision.extension_too_late"
    assert "2026-01-05" in res["error"]["message"]


def test_urging_twice_in_a_day_is_refused(world: World) -> None:
    item_id = _register(world)["item_id"]
    staff = world.actor("secretary")
    assert push(world, staff, "supervision.urge", {"item_id": item_id})["status"] == "applied"
    again = push(world, staff, "supervision.urge", {"item_id": item_id})
    assert again["error"]["code"] == "supervision.urged_recently"


def test_the_feed_reaches_the_units_and_staff_only(world: World) -> None:
    item_id = _register(world)["item_id"]

    def sees(actor: Any) -> bool:
        r = world.client.get("/api/v1/sync/pull", headers=actor.headers, params={"limit": 1000})
        assert r.status_code == 200, r.text
        body = r.json()
        while True:
            if any(c.get("entity") == I.ITEM and c.get("id") == item_id for c in body["changes"]):
                return True
            if not body.get("has_more"):
                return False
            r = world.client.get("/api/v1/sync/pull", headers=actor.headers,
                                 params={"limit": 1000, "cursor": body["cursor"]})
            body = r.json()

    assert sees(world.actor("registry_clerk", "lower")) and sees(world.actor("staff", "other"))
    assert sees(world.actor("secretary")) and sees(world.actor("leader"))
    assert not sees(world.actor("staff")) and not sees(world.actor("secretary", "higher"))


def test_client_optimistic_acknowledgement_matches_the_server(world: World) -> None:
    """The device's applier runs the same effect on its cached item: after the server
    answers, only the clocks differ."""
    item_id = _register(world)["item_id"]
    clerk = world.actor("registry_clerk", "lower")
    me = world.client.get("/api/v1/me", headers=clerk.headers).json()
    before = _record(world, item_id)
    args = I.ACKNOWLEDGE.parse({"item_id": item_id, "note": "已签收"})
    local = I.acknowledge(before, args, profile_facts(me), me["name"], dt.datetime.now(dt.UTC))
    assert push(world, clerk, "supervision.acknowledge", args.model_dump(mode="json"))["status"] == "applied"
    server = _record(world, item_id)

    def unclocked(data: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in data.items() if k not in {"updated_at", "acknowledged_at"}}
        out["acks"] = {u: {k: v for k, v in a.items() if k != "at"} for u, a in data["acks"].items()}
        out["history"] = [{k: v for k, v in h.items() if k != "at"} for h in data["history"]]
        return out

    assert unclocked(local) == unclocked(server)


def test_entering_next_year_recomputes_provisional_deadlines(world: World) -> None:
    """Runs last in the module: it enters next year's holidays into the world's calendar."""
    today = R.china_day(dt.datetime.now(dt.UTC))
    next_year = today.year + 1
    made = _register(world, deadline_days=60)
    before = _record(world, made["item_id"])
    assert before["due_missing_years"] == [next_year]
    days = [{"date": f"{next_year}-01-01", "kind": "holiday", "name": "元旦"},
            {"date": f"{next_year}-01-04", "kind": "holiday", "name": "元旦"},
            {"date": f"{next_year}-01-05", "kind": "holiday", "name": "元旦"}]
    entered = push(world, world.actor("sys_admin", "higher"), "calendar.set_year",
                   {"year": next_year, "days": days, "source": "国办发明电"})
    assert entered["status"] == "applied", entered
    after = _record(world, made["item_id"])
    with session_scope(world.app.state.sessions) as s:
        table = holiday_table(s)
    expected = add_working_days(dt.date.fromisoformat(before["assigned_on"]), 60, table)
    assert after["due"] == expected.day.isoformat() and after["due_missing_years"] == []
    assert after["due"] > before["due"]
    assert after["history"][-1]["action"] == "recompute"
    assert f"由{before['due']}调整为{after['due']}" in after["history"][-1]["note"]
