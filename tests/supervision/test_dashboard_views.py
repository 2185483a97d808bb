"""督办看数 on the 督办 page: the tab only for leaders and 督查室 staff, its figures from the
cache, the bar per unit, the red list opening the item, the table and its CSV; every
item model through qtmodeltester; screenshots at 1280 and 390 px."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.supervision import intents as I
from modules.supervision import rules as R
from modules.supervision.views import SupervisionPage
from modules.supervision.views_dashboard import load_dashboard
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
CLERK = {"person_id": "p-clerk", "name": "陈静",
         "posts": [{"body_id": "b-city", "organ_id": "b-city", "roles": ["registry_clerk"]}]}
SECRETARY = {"person_id": "p-sec", "name": "王秘书",
             "posts": [{"body_id": "b-szj", "organ_id": "b-szj", "roles": ["secretary"]}]}
LEADER = {"person_id": "p-lead", "name": "局长",
          "posts": [{"body_id": "b-szj", "organ_id": "b-szj", "roles": ["leader"]}]}
UNITS = {"b-city": "市政数局", "b-county": "县政数局"}


def _item(n: int, unit: str, assigned_days_ago: int, days: int, source: str) -> dict[str, Any]:
    when = dt.datetime.now(R.CHINA) - dt.timedelta(days=assigned_days_ago)
    args = I.REGISTER.parse({"item_id": f"sv-dash-{n}", "body_id": "b-szj", "title": f"督办事项{n}",
                             "leader_id": "p-lead", "lead_unit_id": unit, "deadline_days": days,
                             "source": source})
    return I.register(None, args, STAFF, "王秘书", SUPERVISOR, (unit, UNITS[unit]), [], "局长",
                      f"督字〔2026〕{n}号", when, seed())


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    items = [
        _item(1, "b-city", 1, 30, "instruction"),    # green
        _item(2, "b-city", 40, 5, "meeting"),        # long overdue: red
        _item(3, "b-county", 2, 40, "meeting"),      # green
    ]
    with c.write() as s:
        apply_server_changes(s, [((I.ITEM, r["id"]), r, n) for n, r in enumerate(items, 1)],
                             principal=SECRETARY)
    yield c
    c.close()


def _page(qtbot: QtBot, cache: LocalCache, tmp_path: Path, who: dict[str, Any]) -> SupervisionPage:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=LocalEngine(cache, who), bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    page = SupervisionPage(ctx)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    return page


def _dashboard(qtbot: QtBot, page: SupervisionPage) -> Any:
    qtbot.waitUntil(lambda: page.modes.dashboard is not None, timeout=10_000)
    board = page.modes.dashboard
    assert board is not None and not page.modes.tabBar().isHidden()
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        page.modes.show_dashboard()
    return board


def test_a_clerk_gets_no_dashboard(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, CLERK)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()  # the check ran in the background meanwhile
    qtbot.wait(50)
    assert page.modes.dashboard is None and page.modes.count() == 1
    assert page.modes.tabBar().isHidden()


def test_the_leader_sees_the_figures_the_bars_and_the_red_item(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path, qtmodeltester: Any) -> None:
    page = _page(qtbot, cache, tmp_path, LEADER)
    board = _dashboard(qtbot, page)
    assert board.figures["items"].number.text() == "3"
    assert board.figures["red"].number.text() == "1"
    assert board.figures["overdue"].number.text() == "1"
    assert board.chart.keys() == ["b-city", "b-county"]  # bottom to top: the first unit on top
    assert [a.id for a in board.alert_model.rows()] == ["sv-dash-2"]
    assert "已逾期" in board.alert_model.data(board.alert_model.index(0, 0))
    names = [board.table_model.data(board.table_model.index(r, 0))
             for r in range(board.table_model.rowCount())]
    assert names == ["县政数局", "市政数局", "合计"]
    qtmodeltester.check(board.alert_model)
    qtmodeltester.check(board.table_model)
    # a click on the red item opens it on the list, among all items
    board.alerts.clicked.emit(board.alert_model.index(0, 0))
    assert page.modes.currentIndex() == 0
    def opened() -> bool:
        row = page.current()
        return row is not None and row.id == "sv-dash-2"
    qtbot.waitUntil(opened, timeout=10_000)


def test_filters_by_unit_and_source(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY)
    board = _dashboard(qtbot, page)
    series = board.chart.chart_.series()[0]
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        series.clicked.emit(1, series.barSets()[0])  # the top bar: the county
    assert board.unit.currentData() == "b-county"
    assert board.figures["items"].number.text() == "1"
    assert board.figures["red"].number.text() == "0"
    assert board.unit.count() == 3  # all, and both units still offered
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.unit.setCurrentIndex(0)
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.source.setCurrentIndex(board.source.findData("meeting"))
    assert board.figures["items"].number.text() == "2"
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.period.setCurrentIndex(board.period.findData("year"))
    assert "本年" in board.as_of.text()


def test_the_csv_export_holds_the_table(qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY)
    board = _dashboard(qtbot, page)
    target = tmp_path / "stats.csv"
    board.export_to(target)
    qtbot.waitUntil(lambda: board.last_export == target, timeout=10_000)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "牵头单位"
    assert [r[0] for r in rows[2:]] == ["县政数局", "市政数局", "合计"]
    assert rows[-1][1] == "3"


def test_load_off_the_page_counts_the_same(cache: LocalCache, tmp_path: Path) -> None:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), SECRETARY, cache=cache,
                     engine=LocalEngine(cache, SECRETARY), bus=ChangeBus())  # type: ignore[arg-type]
    with ThreadPoolExecutor(1) as pool:  # blocking: never on the GUI thread
        data = pool.submit(load_dashboard, ctx, "month").result()
    assert data.stats.total.items == 3 and data.units == [("b-county", "县政数局"), ("b-city", "市政数局")]


def test_screenshots_at_both_widths(qtbot: QtBot, qapp: Any, cache: LocalCache,
                                   tmp_path: Path) -> None:
    settings = AppSettings.at_path(tmp_path / "look.ini")
    settings.theme = "light"
    setup_application(qapp, settings)  # the bundled fonts and the theme, as the app has them
    page = _page(qtbot, cache, tmp_path, LEADER)
    board = _dashboard(qtbot, page)
    out = Path(os.environ.get("OFFICE_SHOTS", str(tmp_path)))
    for width, compact in ((1280, False), (390, True)):
        page.set_compact(compact)
        page.resize(width, 1100 if compact else 800)
        page.show()
        qtbot.wait(50)
        path = out / f"supervision-dashboard-{width}.png"
        assert page.grab().save(str(path))
        assert path.stat().st_size > 0
    assert board.figure_grid.itemAtPosition(3, 0) is not None  # two a row at phone width
