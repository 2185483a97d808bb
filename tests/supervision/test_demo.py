"""Demo supervision items: one per light, to-dos on the lead units' clerks, and the items
reach the bureau's 督查室 and the units, nobody else."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from modules.supervision import rules as R
from server.calendar.storage import holiday_table
from server.db import session_scope
from server.directory.seed import seed_demo
from server.supervision import storage
from server.supervision.demo import JH_SZJ, SECRETARY, seed_demo_supervision
from server.workbench.models import Todo
from tests.documents_server.conftest import JH_MAYOR, Office


def test_demo_items_show_each_light_and_reach_only_their_audience(app: Any) -> None:
    with session_scope(app.state.sessions) as s:
        seed_demo(s)
    with session_scope(app.state.sessions) as s:
        assert seed_demo_supervision(s) == {"seeded": True, "items": 3}
    with session_scope(app.state.sessions) as s:
        assert seed_demo_supervision(s) == {"seeded": False}
        table = holiday_table(s)
        items = storage.all_records(s)
        clerk = storage.unit_handlers(s, JH_SZJ)
        todos = s.scalars(select(Todo).where(Todo.module == "supervision", Todo.done.is_(False))).all()
    today = R.china_day(dt.datetime.now(dt.UTC))
    lights = {i["id"]: R.light(i, today, table) for i in items}
    assert {i: light.colour for i, light in lights.items()} == {
        "sv-demo-green": R.GREEN, "sv-demo-yellow": R.YELLOW, "sv-demo-red": R.RED}
    assert lights["sv-demo-red"].zh.startswith("已逾期5个工作日")
    assert all(i["number"].startswith("督字〔") for i in items)
    split = {i["id"]: [sub["unit_id"] for sub in i.get("subtasks") or ()] for i in items}
    assert split["sv-demo-yellow"] == ["b-jh-szj-bgs"]  # 分解 to a division of the lead unit
    assert {(t.ref_id, t.kind) for t in todos if t.person_id in clerk} >= {
        ("sv-demo-green", "待签收"), ("sv-demo-yellow", "督办")}
    office = Office(app)
    staff = {k for k, v in office.feed(SECRETARY).items() if k[0] == "supervision.item" and v}
    assert len(staff) == 3
    city = {k for k, v in office.feed(JH_MAYOR).items() if k[0] == "supervision.item" and v}
    assert city == set()
