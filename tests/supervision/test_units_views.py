"""The 督办 page's per-unit parts over a local cache: each unit's 签收 line, a co-unit
signing for its own part, the lead unit splitting off a sub-task (its deadline capped at
the item's), a division reporting its sub-task finished, and the 督查通知单 PDF saved;
screenshots at desktop and phone width."""

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
from modules.supervision import subtasks as S
from modules.supervision.views import SupervisionPage
from modules.supervision.views_units import SplitDialog, SubtaskDialog
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache, outbox
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
CLERK = ActorFacts("p-clerk", (PostFacts("b-city", "b-city", frozenset({"registry_clerk"})),))
DIVISION = BodyFacts("b-city-div", "数据资源处", "b-city", ("b-city",))


def _who(person: str, name: str, body: str, organ: str, role: str) -> dict[str, Any]:
    return {"person_id": person, "name": name,
            "posts": [{"body_id": body, "organ_id": organ, "roles": [role]}]}


LEAD_CLERK = _who("p-clerk", "陈静", "b-city", "b-city", "registry_clerk")
CO_CLERK = _who("p-co", "刘洋", "b-county", "b-county", "registry_clerk")
DIV_HEAD = _who("p-div", "赵处长", "b-city-div", "b-city", "division_head")


def _item() -> dict[str, Any]:
    when = dt.datetime.now(R.CHINA) - dt.timedelta(days=1)
    table = seed()
    args = I.REGISTER.parse({"item_id": "sv-unit-1", "body_id": "b-szj", "title": "推进政务数据共享",
                             "leader_id": "p-lead", "lead_unit_id": "b-city",
                             "co_unit_ids": ["b-county"], "deadline_days": 20, "source": "decision",
                             "content": "按期报送落实情况", "ack_days": 2})
    item = I.register(None, args, STAFF, "王秘书", SUPERVISOR, ("b-city", "市政数局"),
                      [("b-county", "县政府")], "局长", "督字〔2026〕9号", when, table)
    item = I.acknowledge(item, I.AcknowledgeArgs(item_id=item["id"]), CLERK, "陈静", when)
    return S.split(item, S.SplitArgs(item_id=item["id"], subtask_id="st-unit-0001", title="梳理共享目录",
                                     unit_id=DIVISION.id, due=item["due"]),
                   CLERK, "陈静", DIVISION, when, table)


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    division = {"id": "b-city-div", "parent_id": "b-city", "name": "数据资源处", "short_name": "",
                "code": "", "tier": "city", "kind": "department", "region_id": "b-city",
                "sort_order": 0, "active": True}
    with c.write() as s:
        apply_server_changes(s, [((I.ITEM, "sv-unit-1"), _item(), 1),
                                 (("directory.body", "b-city-div"), division, 2)],
                             principal=LEAD_CLERK)
    yield c
    c.close()


def _page(qtbot: QtBot, cache: LocalCache, tmp_path: Path, who: dict[str, Any]) -> SupervisionPage:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=LocalEngine(cache, who), bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    page = SupervisionPage(ctx)
    qtbot.addWidget(page)
    page.scope.setCurrentIndex(1)  # all items
    qtbot.waitUntil(lambda: page.current() is not None, timeout=10_000)
    return page


def _visible(page: SupervisionPage) -> set[str]:
    return {a for a, b in page.step_buttons.items() if not b.isHidden()}


def _queued(cache: LocalCache, name: str) -> list[Any]:
    with cache.read() as s:
        return list(s.execute(outbox.select().where(outbox.c.name == name)))


def test_every_unit_has_its_line_and_a_co_unit_signs_for_its_part(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, CO_CLERK)
    text = page.units_info.text()
    assert "市政数局（牵头）：已签收（陈静" in text
    assert "县政府（协办）：待签收" in text
    assert "分解任务1项：待办理1项" in text and "梳理共享目录 — 数据资源处" in text
    assert "acknowledge" in _visible(page) and "split" not in _visible(page)
    page.step("acknowledge")
    qtbot.waitUntil(lambda: "县政府（协办）：已签收（刘洋" in page.units_info.text(), timeout=10_000)
    row = page.current()
    assert row is not None and row.item["state"] == R.ACKNOWLEDGED
    assert "acknowledge" not in _visible(page)
    assert _queued(cache, I.ACKNOWLEDGE.name)[0].args["item_id"] == "sv-unit-1"


def test_the_lead_unit_splits_with_a_deadline_no_later_than_the_items(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, LEAD_CLERK)
    assert {"split", "cancel_subtask", "notice"} <= _visible(page)
    assert "report_subtask" not in _visible(page)
    page.step("split")
    qtbot.waitUntil(lambda: isinstance(getattr(page, "dialog", None), SplitDialog), timeout=10_000)
    dialog = page.dialog
    assert isinstance(dialog, SplitDialog)
    units = [dialog.unit.itemData(i) for i in range(dialog.unit.count())]
    assert units == ["b-city-div", "b-county"]
    due = page.current().item["due"]  # type: ignore[union-attr]
    assert dialog.due.maximumDate().toString("yyyy-MM-dd") == due
    dialog.due.setDate(dialog.due.date().addDays(30))  # capped at the item's deadline
    assert dialog.due.date().toString("yyyy-MM-dd") == due
    dialog._accept()
    assert not dialog.result()  # no title yet
    dialog.title.setText("测算所需经费")
    dialog.unit.setCurrentIndex(1)
    dialog._accept()
    qtbot.waitUntil(lambda: len(_queued(cache, I.SPLIT.name)) == 1, timeout=10_000)
    args = _queued(cache, I.SPLIT.name)[0].args
    assert (args["unit_id"], args["due"], args["title"]) == ("b-county", due, "测算所需经费")
    assert args["subtask_id"].startswith("st-")


def test_a_division_reports_its_sub_task_finished(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, DIV_HEAD)
    assert "report_subtask" in _visible(page) and "split" not in _visible(page)
    page.step("report_subtask")
    dialog = page.dialog
    assert isinstance(dialog, SubtaskDialog) and dialog.subtask.count() == 1
    dialog.text.setPlainText("目录已梳理完毕")
    dialog.done_box.setChecked(True)
    dialog._accept()
    qtbot.waitUntil(lambda: "已完成1项" in page.units_info.text(), timeout=10_000)
    queued = _queued(cache, I.REPORT_SUBTASK.name)[0].args
    assert queued["finished"] is True and queued["subtask_id"] == "st-unit-0001"
    assert "report_subtask" not in _visible(page)


def test_the_notice_pdf_is_saved(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, LEAD_CLERK)
    row = page.current()
    assert row is not None
    target = tmp_path / "notice.pdf"
    page._unit_step("notice", row, str(target))
    qtbot.waitUntil(lambda: "notice.pdf" in page.status.text(), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(qtbot: QtBot, cache: LocalCache, tmp_path: Path, width: int) -> None:
    from PySide6.QtWidgets import QApplication

    from office_app.app import apply_ui_font, load_fonts

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    apply_ui_font(app, load_fonts())  # the app's own CJK face, as in the running client
    try:
        page = _page(qtbot, cache, tmp_path, LEAD_CLERK)
        page.set_compact(width < 600)
        page.resize(width, 820)
        page.show()
        qtbot.waitExposed(page)
        if width < 600:
            page.split.show_pane(1)
        qtbot.wait(50)
        assert page.width() <= max(width, 400)  # the buttons wrap at phone width
        shown = [b for b in page.step_buttons.values() if not b.isHidden()]
        assert all(b.geometry().right() <= page.width() for b in shown)
        out = tmp_path / f"supervision-units-{width}.png"
        assert page.grab().save(str(out))
    finally:
        app.setFont(before)
