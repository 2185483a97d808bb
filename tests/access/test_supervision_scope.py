"""The supervision scope matrix: every role of every body of the matrix world pulls the feed
and sees exactly its items — the supervising body's 督查室 staff (secretary, sys_admin), the
supervising leader named on the item, every post of the lead unit and of each co-unit
(each for its part), a sub-task's unit; a higher 督查室 sees what it assigned down its
tree and nothing its lower bodies assigned themselves; everyone else nothing. There are
no supervision routes besides the feed (checked too, so a new one must join this test).

Items (registered through the intent, by each organ's secretary):

- ``city``: supervised by C1 (own), led by K1 (lower), co-unit C2 (other), leader = C1's
  leader, a sub-task for a division of K1;
- ``province``: supervised by P (higher), led by K1 (lower), leader = P's leader.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from modules.supervision import intents as I
from modules.supervision import rules as R
from tests.access.world import RELATIONS, ROLES, Actor, World, push

STAFF = {"secretary", "sys_admin"}
EVERY = set(ROLES)
#: item -> relation -> the roles there that see it
EXPECTED: dict[str, dict[str, set[str]]] = {
    "city": {"own": STAFF | {"leader"}, "lower": EVERY, "other": EVERY, "higher": set()},
    "province": {"higher": STAFF | {"leader"}, "lower": EVERY, "own": set(), "other": set()},
}


def _register(world: World, relation: str, co: list[str], lead: str = "lower") -> str:
    item_id = f"sv-{uuid.uuid4().hex[:12]}"
    args = {"item_id": item_id, "body_id": world.body(relation), "title": f"范围矩阵{relation}",
            "leader_id": world.actor("leader", relation).person_id,
            "lead_unit_id": world.body(lead), "co_unit_ids": co, "deadline_days": 10}
    res = push(world, world.actor("secretary", relation), "supervision.register", args)
    assert res["status"] == "applied", res
    return item_id


def _seen(world: World, actor: Actor) -> set[str]:
    """The supervision item ids the actor's pull feed brings, all pages."""
    found: set[str] = set()
    params: dict[str, Any] = {"limit": 1000}
    while True:
        r = world.client.get("/api/v1/sync/pull", headers=actor.headers, params=params)
        assert r.status_code == 200, r.text
        body = r.json()
        found |= {c["id"] for c in body["changes"] if c.get("entity") == I.ITEM}
        if not body.get("has_more"):
            return found
        params = {"limit": 1000, "cursor": body["cursor"]}


def test_each_role_of_each_body_sees_exactly_its_items(world: World) -> None:
    items = {"city": _register(world, "own", [world.body("other")]),
             "province": _register(world, "higher", [])}
    clerk = world.actor("registry_clerk", "lower")
    assert push(world, clerk, "supervision.acknowledge", {"item_id": items["city"]})["status"] == "applied"
    division = world.department("lower", "督办处")
    split = push(world, clerk, "supervision.split", {
        "item_id": items["city"], "subtask_id": f"st-{uuid.uuid4().hex[:12]}", "title": "分项",
        "unit_id": division, "due": R.china_day(dt.datetime.now(dt.UTC)).isoformat()})
    assert split["status"] == "applied", split
    bad = []
    for relation in RELATIONS:
        for role in ROLES:
            seen = _seen(world, world.actor(role, relation)) & set(items.values())
            expected = {items[k] for k, rows in EXPECTED.items() if role in rows[relation]}
            if seen != expected:
                names = {v: k for k, v in items.items()}
                bad.append(f"{role}/{relation}: sees {sorted(names[i] for i in seen)}, "
                           f"expected {sorted(names[i] for i in expected)}")
    assert bad == []


def test_a_subtask_unit_sees_its_item_and_only_it(world: World) -> None:
    """A body under the lead unit (its own organ), given a sub-task: its clerk sees that
    item (the sub-task's unit key), not another item the lead unit handles."""
    item_id = _register(world, "own", [])
    other_item = _register(world, "own", [])
    clerk = world.actor("registry_clerk", "lower")
    assert push(world, clerk, "supervision.acknowledge", {"item_id": item_id})["status"] == "applied"
    town = world.organ("lower", "township")
    login = world.new_id("subclerk")
    world.person([(town, ["registry_clerk"])], login=login)
    town_clerk = Actor("registry_clerk", town, "", login, world.sign_in(login))
    assert _seen(world, town_clerk) & {item_id, other_item} == set()
    split = push(world, clerk, "supervision.split", {
        "item_id": item_id, "subtask_id": f"st-{uuid.uuid4().hex[:12]}", "title": "分项",
        "unit_id": town, "due": R.china_day(dt.datetime.now(dt.UTC)).isoformat()})
    assert split["status"] == "applied", split
    assert _seen(world, town_clerk) & {item_id, other_item} == {item_id}


def test_supervision_has_no_routes_besides_the_feed(world: World) -> None:
    paths = [getattr(r, "path", "") for r in world.app.routes]
    assert [p for p in paths if "supervision" in p] == []
