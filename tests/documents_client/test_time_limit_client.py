"""办理时限 on the device: the list rows of the documents carry the words of their time
limit (red when overdue) from the ``doc_deadline`` projection and the device's calendar;
the 登记 dialog of an incoming document asks for "N个工作日内"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from modules.documents import time_limit_index
from modules.documents.service import DocumentService
from modules.documents.views import dialogs
from modules.documents.views.page import DocumentsPage
from office_app import tasks
from office_app.app import setup_application
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from sync.cache import LocalCache
from tests.documents_client import support


def _records() -> list[dict[str, Any]]:
    records = support.demo_records()
    records[0]["deadline"] = "2026-09-30"  # overdue on 10-09: 10-08 and 10-09 count
    records[1]["deadline"] = "2026-10-10"
    return records


def test_list_rows_say_how_the_documents_stand_against_their_time_limit(cache: LocalCache) -> None:
    records = _records()
    support.seed(cache, records)
    rows = DocumentService(cache, None, support.ME).page("all")
    by_id = {r["id"]: r for r in rows}
    assert "limit_zh" in by_id[records[0]["id"]] and "limit_zh" in by_id[records[1]["id"]]
    assert all("limit_zh" not in r for r in rows if r["id"] not in {records[0]["id"], records[1]["id"]})
    on = time_limit_index.with_limits(cache, rows, today=dt.date(2026, 10, 9))
    first = next(r for r in on if r["id"] == records[0]["id"])
    second = next(r for r in on if r["id"] == records[1]["id"])
    assert first["limit_zh"] == "逾期2个工作日" and first["limit_overdue"] is True
    assert second["limit_zh"] == "剩1个工作日" and second["limit_overdue"] is False
    assert second["limit_en"] == "1 working day left"


def test_a_changed_record_moves_its_time_limit(cache: LocalCache) -> None:
    records = _records()
    support.seed(cache, records)
    records[0]["deadline"] = None
    support.seed(cache, records[:1])
    rows = time_limit_index.with_limits(cache, [{"id": records[0]["id"]}], today=dt.date(2026, 10, 9))
    assert "limit_zh" not in rows[0]


def test_the_register_dialog_of_an_incoming_document_asks_for_working_days(qapp: QApplication) -> None:
    doc = {"id": "d-inc00000001", "kind": "incoming", "title": "关于报送防汛物资储备情况的通知",
           "doc_number": "省应急〔2026〕3号", "source": {"body_name": "省应急管理厅"}}
    dialog = dialogs.RegisterDialog({"doc": doc, "agency_code": "收文", "year": 2026})
    assert "deadline_days" not in dialog.args()
    dialog.limit_days.setText("5")
    assert dialog.args()["deadline_days"] == 5
    dialog.deleteLater()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_list_shows_the_time_limit_at_both_widths(qapp: QApplication, qtbot: Any, tmp_path: Path,
                                                      cache: LocalCache, width: int) -> None:
    settings = AppSettings.at_path(tmp_path / "settings.ini")
    settings.theme = "light"
    setup_application(qapp, settings)
    support.seed_directory(cache)
    records = _records()
    records[0]["deadline"] = "2026-01-05"  # long past: red
    support.seed(cache, records)
    ctx = AppContext(settings, support.ME, cache=cache, bus=ChangeBus(),
                     engine=support.LocalEngine(cache, support.ME))  # type: ignore[arg-type]
    ctx.attach()
    page = DocumentsPage(ctx)
    qtbot.addWidget(page)
    try:
        page.set_compact(width < 600)
        page.resize(width, 760)
        page.show()
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
        shown = [page.model.row_at(i) for i in range(page.model.rowCount())]
        assert any(str((r or {}).get("limit_zh") or "").startswith("逾期") for r in shown)
        settle(2)
        assert page.grab().save(str(tmp_path / f"documents-time-limit-{width}.png"))
    finally:
        tasks.wait_for_idle()
        ctx.detach()
        ChangeBus.reset_instance()
