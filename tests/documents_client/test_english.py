"""The 公文 screens in English: interface text follows the language, data stays as written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from modules.documents.views import dialogs
from modules.documents.views.page import DocumentsPage
from office_app import i18n, tasks
from office_app.bus import ChangeBus
from office_app.context import AppContext
from office_app.screenshot import settle
from office_app.settings import AppSettings
from sync.cache import LocalCache
from tests.documents_client import support
from tests.documents_client.test_step_dialogs import _at_register


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def english(qapp: QApplication) -> Iterator[QApplication]:
    i18n.install_language(qapp, "en")
    yield qapp
    tasks.wait_for_idle()
    settle(2)
    i18n.install_language(qapp, "zh_CN")
    ChangeBus.reset_instance()


def test_documents_page_in_english(english: QApplication, qtbot: Any, tmp_path: Path,
                                   demo_cache: LocalCache, engine: support.LocalEngine) -> None:
    ctx = AppContext(AppSettings.at_path(tmp_path / "s.ini"), support.ME, cache=demo_cache,
                     engine=engine, bus=ChangeBus())
    ctx.attach()
    try:
        page = DocumentsPage(ctx)
        qtbot.addWidget(page)
        page.resize(1280, 820)
        page.show()
        qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=5000)
        assert page.heading.text() == "Documents"
        assert page.tab_bar.tabText(0) == "To do 5" and page.tab_bar.tabText(2) == "Started by me 6"
        assert page.new_button.text() == "＋ New draft"
        assert page.batch_toggle.text() == "Batch approval"
        assert page.status_filter.itemText(0) == "All statuses"
        assert page.date_filter.itemText(1) == "Last 7 days"
        # data keeps its language: titles and 文号 as written
        row = page.model.rows()[0]
        assert _has_han(page.model.data(page.model.index(0, 0))) and _has_han(row["title"])
        # The PDF may be shown before the record (first pages are prepared ahead).
        with qtbot.waitSignals([page.pdf_shown, page.detail_shown], timeout=10000):
            page.show_document(row["id"])
        detail = page.detail
        assert [detail.tabs.tabText(i) for i in range(3)] == ["Text", "Processing form",
                                                             "Flow record"]
        assert detail.tabs.tabText(3).startswith("Attachments")
        assert detail.title.text() == row["title"]
        assert detail.more_button.text() == "More"
        header = detail.timeline_model.headerData
        from PySide6.QtCore import Qt
        assert [header(i, Qt.Orientation.Horizontal) for i in range(2)] == ["Step", "Handled by"]
        # labels and buttons speak English, except the data they carry and step names
        # (workflow.StepDef.name stays Chinese in this pass)
        doc = detail.doc
        data = {str(v) for v in (doc.get("title"), doc.get("doc_number"), doc.get("urgency"),
                                 doc.get("body_name"), doc.get("state_words")) if v}
        data |= {b["name"] for b in (doc.get("main_to") or []) + (doc.get("cc_to") or [])}
        data.add(detail.approve_button.text())  # the step's verb (workflow rules)
        form_labels = [w for w in detail.form.findChildren(QLabel)
                       if w.property("cell") == "label"]
        assert form_labels and not any(_has_han(w.text()) for w in form_labels)
        for widget in page.findChildren(QPushButton):
            text = widget.text()
            if text and widget.isVisibleTo(page) and not any(d in text for d in data):
                assert not _has_han(text), text
    finally:
        tasks.wait_for_idle()
        ctx.detach()


def test_register_dialog_in_english(english: QApplication) -> None:
    info = {"doc": _at_register(), "agency_code": "江府办", "year": 2026, "sealed": True,
            "seals": [{"id": "seal-1", "name": "江海市人民政府办公室"}]}
    dialog = dialogs.RegisterDialog(info)
    assert dialog.windowTitle() == "Register"
    assert dialog.ok.text() == "Register" and dialog.cancel.text() == "Cancel"
    assert "江府办〔2026〕N号" in dialog.preview.text()  # the number keeps its official form
    assert "assigned by the system" in dialog.preview.text()
    assert dialog.seal.itemText(0) == "江海市人民政府办公室"  # seal names are data
    assert dialog.seal.itemText(1).startswith("Seal on paper")
    dialog.code.setText("")
    dialog._accept()
    assert dialog.error.text() == "Please enter the agency code."
    dialog.deleteLater()
