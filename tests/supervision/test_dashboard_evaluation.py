"""督办看数, the 考评 half: the drill-down from a unit's bar, a month's bar and a source's
slice (a click opens the item), the ranking, the Excel and PDF exports from the
dashboard, the 通报 draft dialog starting a 通报 document, the phone width without
horizontal overflow, qtmodeltester on the new models, and the screenshots
(``OFFICE_SHOTS=docs/screenshots`` saves supervision-dashboard-1440.png and -390.png)."""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from openpyxl import load_workbook
from pytestqt.qtbot import QtBot

from modules.calendar.service import seed
from modules.common.access import ActorFacts, BodyFacts, PostFacts
from modules.supervision import intents as I
from modules.supervision import rules as R
from modules.supervision.views_dashboard import SupervisionDashboard
from office_app.app import setup_application
from office_app.settings import AppSettings
from sync.cache import LocalCache
from sync.local import apply_server_changes
from tests.supervision.test_dashboard_views import LEADER, SECRETARY, _dashboard, _page

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
UNITS = {"b-city": "市政数局", "b-county": "县政数局", "b-fin": "市财政局", "b-edu": "市教育局"}
SOURCES = ["instruction", "meeting", "higher", "hotline", "document"]


def _clerk(unit: str) -> ActorFacts:
    return ActorFacts(f"p-{unit}", (PostFacts(unit, unit, frozenset({"registry_clerk"})),))


def _items() -> list[dict[str, Any]]:
    now = dt.datetime.now(R.CHINA)
    table = seed()
    out = []
    for n in range(28):
        unit = list(UNITS)[n % 4]
        when = now - dt.timedelta(days=3 + 11 * n)
        args = I.REGISTER.parse({
            "item_id": f"sv-eval-{n}", "body_id": "b-szj", "title": f"督办事项{n}",
            "leader_id": "p-lead", "lead_unit_id": unit, "deadline_days": [5, 10, 20, 40][n % 4],
            "source": SOURCES[n % 5], "cycle": "weekly" if n % 3 == 0 else "none"})
        item = I.register(None, args, STAFF, "王秘书", SUPERVISOR, (unit, UNITS[unit]), [],
                          "局长", f"督字〔2026〕{n + 1}号", when, table)
        if n % 4 != 3:
            item = I.acknowledge(item, I.ACKNOWLEDGE.parse({"item_id": item["id"]}),
                                 _clerk(unit), "陈", when + dt.timedelta(hours=2 + 30 * (n % 2)))
            if n % 3 == 0:
                item = I.report(item, I.REPORT.parse({"item_id": item["id"], "text": "推进中"}),
                                _clerk(unit), "陈", when + dt.timedelta(days=6))
            if n % 2 == 0 and n > 4:
                due = R.deadline(item, table).day
                asked = dt.datetime.combine(due + dt.timedelta(days=(n % 5) - 2), dt.time(10),
                                            R.CHINA)
                item = I.request_completion(item, I.REQUEST_COMPLETION.parse(
                    {"item_id": item["id"], "report": "已完成"}), _clerk(unit), "陈", asked)
                item = I.verify(item, I.VERIFY.parse({"item_id": item["id"], "accept": True}),
                                STAFF, "王秘书", asked + dt.timedelta(hours=3))
        out.append(item)
    return out


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    with c.write() as s:
        apply_server_changes(s, [((I.ITEM, r["id"]), r, n) for n, r in enumerate(_items(), 1)],
                             principal=SECRETARY)
    yield c
    c.close()


def _year(qtbot: QtBot, board: SupervisionDashboard) -> None:
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.period.setCurrentIndex(board.period.findData("year"))


def test_a_bar_segment_lists_its_items_and_one_opens(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path, qtmodeltester: Any) -> None:
    page = _page(qtbot, cache, tmp_path, LEADER)
    board = _dashboard(qtbot, page)
    _year(qtbot, board)
    assert board.drill_box.isHidden()
    keys = board.chart.keys()
    series = board.chart.chart_.series()[0]
    red = series.barSets()[0]  # the red segments
    index = next(i for i, key in enumerate(keys)
                 if (f := board.data.stats.unit(key)) and f.by_light[R.RED])
    unit = keys[index]
    with qtbot.waitSignal(board.loaded, timeout=10_000):  # the click also keeps the unit
        series.clicked.emit(index, red)
    assert not board.drill_box.isHidden()
    rows = board.drill_model.rows()
    expected = board.data.stats.unit(unit).by_light[R.RED]
    assert rows and len(rows) == expected
    assert all(r.item["lead_unit_id"] == unit for r in rows)
    assert UNITS[unit] in board.drill_title.text()
    qtmodeltester.check(board.drill_model)
    first = rows[0].id
    board.drill_list.clicked.emit(board.drill_model.index(0, 0))
    assert page.modes.currentIndex() == 0

    def opened() -> bool:
        row = page.current()
        return row is not None and row.id == first

    qtbot.waitUntil(opened, timeout=10_000)


def test_a_month_bar_and_a_source_slice_list_their_items(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path, qtmodeltester: Any) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY)
    board = _dashboard(qtbot, page)
    _year(qtbot, board)
    stats = board.data.stats
    months = board.trend.months()
    assert months == [m.label() for m in stats.trend] and len(months) == 12
    busiest = max(range(12), key=lambda i: len(stats.trend[i].due))
    board.trend.pick("due", busiest)
    assert sorted(r.id for r in board.drill_model.rows()) == sorted(stats.trend[busiest].due)
    assert months[busiest] in board.drill_title.text()
    empty = next(i for i in range(12) if not stats.trend[i].closed)  # a month with none
    board.trend.pick("closed", empty)
    assert board.drill_model.rowCount() == 0
    assert board.drill_list.isHidden() and not board.drill_empty.isHidden()
    slices = board.sources.slices()
    assert len(slices) == len(board.sources.keys()) == len(stats.total.by_source)
    slices[0].clicked.emit()
    assert not board.drill_list.isHidden() and board.drill_empty.isHidden()
    key = board.sources.keys()[0]
    assert len(board.drill_model.rows()) == stats.total.by_source[key]
    assert all(r.item["source"] == key for r in board.drill_model.rows())
    qtmodeltester.check(board.drill_model)
    ranking = board.ranking_model
    qtmodeltester.check(ranking)
    places = [r.place for r in ranking.rows()]
    assert places == sorted(places) and places[0] == 1
    assert {r.id for r in ranking.rows()} == set(UNITS)
    assert ranking.data(ranking.index(0, 1)) == ranking.rows()[0].figures.name


def test_excel_and_pdf_from_the_dashboard(qtbot: QtBot, cache: LocalCache,
                                          tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY)
    board = _dashboard(qtbot, page)
    _year(qtbot, board)
    book_path = tmp_path / "stats.xlsx"
    board.export_excel_to(book_path)
    qtbot.waitUntil(lambda: board.last_excel == book_path, timeout=10_000)
    book = load_workbook(book_path)
    assert book.sheetnames == ["分单位统计", "考评排名", "月度趋势", "逾期事项"]
    total = [list(r) for r in book["分单位统计"].iter_rows(values_only=True)][-1]
    assert total[0] == "合计" and total[1] == board.data.stats.total.items
    pdf_path = tmp_path / "dash.pdf"
    board.print_pdf_to(pdf_path)
    qtbot.waitUntil(lambda: board.last_pdf == pdf_path, timeout=20_000)
    with pdfplumber.open(io.BytesIO(pdf_path.read_bytes())) as pdf:
        text = "".join(p.extract_text() or "" for p in pdf.pages).replace(" ", "")
    assert "省政数局督办看数" in text and "考评排名" in text and "市财政局" in text


def test_the_bulletin_dialog_starts_a_bulletin_document(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY)
    board = _dashboard(qtbot, page)
    dialog = board.show_bulletin()
    assert dialog is not None
    text = dialog.text.toPlainText()
    assert text.splitlines()[0].startswith("关于") and "督办事项办理情况的通报" in text
    assert "按期办结率" in text
    dialog.text.setPlainText(text.replace("各有关单位：", "各有关单位：\n（已审阅）", 1))
    with qtbot.waitSignal(board.bulletin_started, timeout=10_000) as started:
        dialog.draft_button.click()
    engine = page.context.engine
    sent = [p for p in engine.pending() if p["name"] == "documents.create_draft"]  # type: ignore[union-attr]
    assert len(sent) == 1
    import json
    args = sent[0]["args"] if isinstance(sent[0]["args"], dict) else json.loads(sent[0]["args"])
    assert args["document_id"] == started.args[0]
    assert args["spec"]["doc_type"] == "通报"
    assert args["spec"]["body"][0]["text"] == "（已审阅）"


def test_phone_width_has_no_sideways_scroll_and_the_screenshots(
        qtbot: QtBot, qapp: Any, cache: LocalCache, tmp_path: Path) -> None:
    settings = AppSettings.at_path(tmp_path / "look.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    page = _page(qtbot, cache, tmp_path, LEADER)
    board = _dashboard(qtbot, page)
    _year(qtbot, board)
    trend = board.data.stats.trend
    board.trend.pick("overdue", max(range(12), key=lambda i: (len(trend[i].overdue), i)))
    out = Path(os.environ.get("OFFICE_SHOTS", str(tmp_path)))
    body = board.findChild(type(board.drill_box), "DashboardBody")
    assert body is not None
    for width, compact in ((1440, False), (390, True)):
        page.set_compact(compact)
        page.resize(width, 900)
        page.show()
        qtbot.wait(50)
        scroll = body.parentWidget().parentWidget()  # the viewport, then the scroll area
        assert body.minimumSizeHint().width() <= scroll.width(), width
        assert not scroll.horizontalScrollBar().isVisible()
        body.resize(body.width(), body.sizeHint().height())
        qtbot.wait(20)
        path = out / f"supervision-dashboard-{width}.png"
        assert body.grab().save(str(path))
        assert path.stat().st_size > 0
    # the phone shows the last six months
    assert board.trend.months() == [m.label() for m in board.data.stats.trend][-6:]
    assert board.action_row.itemAtPosition(1, 1) is not None  # buttons two a row

