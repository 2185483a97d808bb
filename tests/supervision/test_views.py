"""The 督办 page over a local cache: items reddest first with the sentence explaining
their light, the steps each person may take (and only those), a step with words going
out as its intent; every item model through qtmodeltester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.supervision import intents as I
from modules.supervision import rules as R
from modules.supervision.views import SupervisionPage
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache, outbox
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
CLERK = {"person_id": "p-clerk", "name": "陈静",
         "posts": [{"body_id": "b-city", "organ_id": "b-city", "roles": ["registry_clerk"]}]}
SECRETARY = {"person_id": "p-sec", "name": "王秘书",
             "posts": [{"body_id": "b-szj", "organ_id": "b-szj", "roles": ["secretary"]}]}


def _item(item_id: str, assigned_days_ago: int, days: int, title: str) -> dict[str, Any]:
    when = dt.datetime.now(R.CHINA) - dt.timedelta(days=assigned_days_ago)
    args = I.REGISTER.parse({"item_id": item_id, "body_id": "b-szj", "title": title,
                             "leader_id": "p-lead", "lead_unit_id": "b-city",
                             "deadline_days": days, "content": "按期报送落实情况"})
    return I.register(None, args, STAFF, "王秘书", SUPERVISOR, ("b-city", "市政数局"), [],
                      "局长", f"督字〔2026〕{item_id[-1]}号", when, seed())


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    rows: list[Any] = [((I.ITEM, r["id"]), r, n) for n, r in enumerate([
        _item("sv-view-1", 1, 30, "推进数据共享"),   # plenty of time: green
        _item("sv-view-2", 40, 5, "整改审计问题"),   # long overdue: red
    ], 1)]
    with c.write() as s:
        apply_server_changes(s, rows, principal=CLERK)
    yield c
    c.close()


def _page(qtbot: QtBot, cache: LocalCache, tmp_path: Path, who: dict[str, Any]) -> SupervisionPage:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=LocalEngine(cache, who), bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    page = SupervisionPage(ctx)
    qtbot.addWidget(page)
    page.scope.setCurrentIndex(1)  # all items
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    return page


def test_items_come_reddest_first_with_the_reason_for_their_light(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path, qtmodeltester: Any) -> None:
    page = _page(qtbot, cache, tmp_path, CLERK)
    qtbot.waitUntil(lambda: len(page.model.rows()) == 2, timeout=10_000)
    rows = page.model.rows()
    assert [r.id for r in rows] == ["sv-view-2", "sv-view-1"]
    assert [r.light.colour for r in rows] == [R.RED, R.GREEN]
    assert "红灯" in page.light_words.text() and "已逾期" in page.light_words.text()
    assert "红灯 1" in page.summary.text() and "绿灯 1" in page.summary.text()
    qtmodeltester.check(page.model)


def test_the_lead_units_clerk_may_acknowledge_and_nothing_the_staff_do(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, CLERK)
    qtbot.waitUntil(lambda: len(page.model.rows()) == 2, timeout=10_000)
    visible = {a for a, b in page.step_buttons.items() if not b.isHidden()}
    assert "acknowledge" in visible
    assert not visible & {"verify", "urge", "cancel", "decide_extension"}
    page.step("acknowledge")
    qtbot.waitUntil(lambda: page.current() is not None
                    and page.current().item["state"] == R.ACKNOWLEDGED, timeout=10_000)


def test_the_staff_urge_with_a_note_and_the_intent_carries_it(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY)
    qtbot.waitUntil(lambda: len(page.model.rows()) == 2, timeout=10_000)
    visible = {a for a, b in page.step_buttons.items() if not b.isHidden()}
    assert {"urge", "cancel"} <= visible and "acknowledge" not in visible
    dialog = page.step("urge")
    assert dialog is not None
    dialog.text.setPlainText("请于明日前\n报送")
    dialog._accept()
    def queued() -> list[Any]:
        with cache.read() as s:
            return list(s.execute(outbox.select().where(outbox.c.name == "supervision.urge")))
    qtbot.waitUntil(lambda: len(queued()) == 1, timeout=10_000)
    assert queued()[0].args == {"item_id": "sv-view-2", "note": "请于明日前 报送", "unit_id": "b-city"}


def test_the_page_offers_the_first_items_detail_to_the_screenshot_command(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, CLERK)
    qtbot.waitUntil(lambda: len(page.model.rows()) == 2, timeout=10_000)
    states = dict(page.screenshot_states())
    assert "detail" in states
    assert ("dashboard" in states) == (page.modes.dashboard is not None)
    page.set_compact(True)
    assert states["detail"]() is None
    assert page.current() is not None and page.current().id == "sv-view-2"  # type: ignore[union-attr]
    assert page.can_go_back()  # at phone width the detail is a pane of its own
