"""The 督办 page's lifecycle steps: 催办 names its unit and its 催办单 is saved; a 反馈
takes files (queued with it) and the item's attachments open from the device; 中止 asks
why; a done item offers 销号 and the report draft (the dialog's intent); screenshots at
1280 and 390 px."""

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
from sync.blobs import BlobStore
from sync.cache import LocalCache, outbox
from sync.local import apply_server_changes
from tests.documents_client.support import LocalEngine

SUPERVISOR = BodyFacts("b-szj", "省政数局", "b-szj", ("b-szj",))
STAFF = ActorFacts("p-sec", (PostFacts("b-szj", "b-szj", frozenset({"secretary"})),))
LEAD = ActorFacts("p-clerk", (PostFacts("b-city", "b-city", frozenset({"registry_clerk"})),))
CLERK = {"person_id": "p-clerk", "name": "陈静",
         "posts": [{"body_id": "b-city", "organ_id": "b-city", "roles": ["registry_clerk"]}]}
SECRETARY = {"person_id": "p-sec", "name": "王秘书",
             "posts": [{"body_id": "b-szj", "organ_id": "b-szj", "roles": ["secretary"]}]}
SHA = "c" * 64


def _items() -> list[dict[str, Any]]:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    table = seed()

    def register(item_id: str, title: str) -> dict[str, Any]:
        args = I.REGISTER.parse({"item_id": item_id, "body_id": "b-szj", "title": title,
                                 "leader_id": "p-lead", "lead_unit_id": "b-city",
                                 "co_unit_ids": ["b-county"], "deadline_days": 20,
                                 "content": "年底前完成"})
        return I.register(None, args, STAFF, "王秘书", SUPERVISOR, ("b-city", "市政数局"),
                          [("b-county", "县政府")], "局长", f"督字〔2026〕{item_id[-1]}号", now, table)

    done = register("sv-life-1", "老旧小区加装电梯")
    done = I.acknowledge(done, I.AcknowledgeArgs(item_id=done["id"]), LEAD, "陈静", now)
    done = I.report(done, I.ReportArgs(item_id=done["id"], text="完成两个小区", attachments=[
        I.Attachment(sha256=SHA, name="现场照片.jpg", size=12)]), LEAD, "陈静", now)
    done = I.urge(done, I.UrgeArgs(item_id=done["id"], note="请抓紧"), STAFF, "王秘书", now, table)
    done = I.request_completion(done, I.RequestCompletionArgs(item_id=done["id"], report="全部投用"),
                                LEAD, "陈静", now)
    done = I.verify(done, I.VerifyArgs(item_id=done["id"], accept=True), STAFF, "王秘书", now)
    working = register("sv-life-2", "推进数据共享")
    working = I.acknowledge(working, I.AcknowledgeArgs(item_id=working["id"]), LEAD, "陈静", now)
    return [working, done]


@pytest.fixture
def cache() -> Iterator[LocalCache]:
    c = LocalCache(None)
    rows: list[Any] = [((I.ITEM, r["id"]), r, n) for n, r in enumerate(_items(), 1)]
    with c.write() as s:
        apply_server_changes(s, rows, principal=SECRETARY)
    yield c
    c.close()


def _page(qtbot: QtBot, cache: LocalCache, tmp_path: Path, who: dict[str, Any],
          pick: str) -> SupervisionPage:
    engine = LocalEngine(cache, who)
    engine.blobs = BlobStore(cache, tmp_path / "blobs")  # type: ignore[attr-defined]
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), who, cache=cache,
                     engine=engine, bus=ChangeBus())  # type: ignore[arg-type]
    ctx.attach()
    page = SupervisionPage(ctx)
    qtbot.addWidget(page)
    page.scope.setCurrentIndex(1)  # all items
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        pass
    qtbot.waitUntil(lambda: len(page.model.rows()) == 2, timeout=10_000)
    page.open_ref(pick)
    number = f"督字〔2026〕{pick[-1]}号"
    qtbot.waitUntil(lambda: page.item_title.text().startswith(number), timeout=10_000)
    return page


def _visible(page: SupervisionPage) -> set[str]:
    return {a for a, b in page.step_buttons.items() if not b.isHidden()}


def _queued(cache: LocalCache, name: str) -> list[Any]:
    with cache.read() as s:
        return list(s.execute(outbox.select().where(outbox.c.name == name)))


def test_a_done_item_offers_strike_off_the_report_and_its_urge_slip(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY, "sv-life-1")
    assert {"strike_off", "draft_report", "urge_pdf", "attachments", "notice"} <= _visible(page)
    assert not _visible(page) & {"urge", "terminate", "cancel"}
    row = page.current()
    assert row is not None
    from modules.supervision import views_lifecycle as L

    target = tmp_path / "urge.pdf"
    L.lifecycle_step(page, "urge_pdf", row, str(target))
    qtbot.waitUntil(lambda: "urge.pdf" in page.status.text(), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    page.step("draft_report")
    dialog = page.dialog
    assert isinstance(dialog, L.ReportDialog)
    dialog.kind.setCurrentIndex(1)
    dialog.note.setPlainText("特此通报。")
    dialog.accept()
    qtbot.waitUntil(lambda: len(_queued(cache, I.DRAFT_REPORT.name)) == 1, timeout=10_000)
    args = _queued(cache, I.DRAFT_REPORT.name)[0].args
    assert args["kind"] == "bulletin" and args["note"] == "特此通报。"
    assert args["document_id"].startswith("d-") and args["item_id"] == "sv-life-1"
    strike = page.step("strike_off")
    assert strike is not None
    strike.accept()
    qtbot.waitUntil(lambda: len(_queued(cache, I.STRIKE_OFF.name)) == 1, timeout=10_000)


def test_the_attachments_open_from_the_device_once_fetched(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY, "sv-life-1")
    opened: list[Any] = []
    page.opener = opened.append
    page.step("attachments")
    from modules.supervision import views_lifecycle as L

    shown = page.dialog
    assert isinstance(shown, L.AttachmentsDialog)
    assert shown.list.count() == 1 and "现场照片.jpg" in shown.list.item(0).text()
    shown.open_.click()  # not on this device yet: its download is queued
    qtbot.waitUntil(lambda: "Downloading" in shown.state.text() or "正在下载" in shown.state.text(),
                    timeout=10_000)
    assert opened == []


def test_urge_names_the_unit_and_a_report_takes_files(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, SECRETARY, "sv-life-2")
    assert {"urge", "terminate", "cancel"} <= _visible(page)
    urge = page.step("urge")
    assert urge is not None
    unit = urge.unit  # type: ignore[attr-defined]
    assert [unit.itemText(i) for i in range(unit.count())] == ["市政数局", "县政府"]
    unit.setCurrentIndex(1)
    urge.accept()
    qtbot.waitUntil(lambda: len(_queued(cache, I.URGE.name)) == 1, timeout=10_000)
    assert _queued(cache, I.URGE.name)[0].args["unit_id"] == "b-county"
    stop = page.step("terminate")
    assert stop is not None
    stop._accept()  # a reason is needed
    assert stop.error.isVisible() or stop.error.text()
    stop.text.setPlainText("上级政策调整")
    stop._accept()
    qtbot.waitUntil(lambda: len(_queued(cache, I.TERMINATE.name)) == 1, timeout=10_000)
    assert _queued(cache, I.TERMINATE.name)[0].args == {"item_id": "sv-life-2",
                                                        "reason": "上级政策调整"}


def test_a_report_with_a_file_goes_out_with_it(
        qtbot: QtBot, cache: LocalCache, tmp_path: Path) -> None:
    page = _page(qtbot, cache, tmp_path, CLERK, "sv-life-2")
    report = page.step("report")
    assert report is not None
    photo = tmp_path / "进展.pdf"
    photo.write_bytes(b"%PDF-1.4 progress")
    report.attach.add([photo])  # type: ignore[attr-defined]
    report.text.setPlainText("完成一半")
    report._accept()
    qtbot.waitUntil(lambda: len(_queued(cache, I.REPORT.name)) == 1, timeout=10_000)
    sent = _queued(cache, I.REPORT.name)[0].args
    assert [a["name"] for a in sent["attachments"]] == ["进展.pdf"]
    qtbot.waitUntil(lambda: page.current() is not None
                    and bool(page.current().item["reports"]), timeout=10_000)  # type: ignore[union-attr]
    assert page.current().item["state"] == R.IN_PROGRESS  # type: ignore[union-attr]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(qtbot: QtBot, cache: LocalCache, tmp_path: Path, width: int) -> None:
    from PySide6.QtWidgets import QApplication

    from office_app.app import apply_ui_font, load_fonts

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    apply_ui_font(app, load_fonts())
    try:
        page = _page(qtbot, cache, tmp_path, SECRETARY, "sv-life-1")
        page.set_compact(width < 600)
        page.resize(width, 820)
        page.show()
        qtbot.waitExposed(page)
        if width < 600:
            page.split.show_pane(1)
        qtbot.wait(50)
        shown = [b for b in page.step_buttons.values() if not b.isHidden()]
        assert all(b.geometry().right() <= page.width() for b in shown)
        assert page.grab().save(str(tmp_path / f"supervision-lifecycle-{width}.png"))
    finally:
        app.setFont(before)


def test_a_closed_item_says_it_was_struck_off_or_why_it_was_stopped() -> None:
    from modules.supervision import views_lifecycle as L

    done = {"state": R.DONE, "struck_off": {"by_name": "王秘书", "at": "2026-12-01T02:00:00Z"}}
    assert L.closed_words(done, "zh_CN") == "已办结 · 已销号（王秘书，2026-12-01 10:00）"
    assert L.closed_words(done, "en") == "done · struck off (王秘书, 2026-12-01 10:00)"
    stopped = {"state": R.TERMINATED, "termination": {"reason": "上级政策调整"}}
    assert L.closed_words(stopped, "zh_CN") == "已中止：上级政策调整"
