"""Status widget and popup: pending and rejected items, dismiss, relative times."""

from __future__ import annotations

import threading
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from office_app.status import SyncStatusButton, chip_text, format_last_synced, state_of
from tests.shell.fakes import NOW, FakeStatus, sample_status


def test_last_synced_texts(app):
    assert format_last_synced(None) == "尚未同步"
    assert format_last_synced(NOW - timedelta(seconds=20), NOW) == "刚刚同步"
    assert format_last_synced(NOW - timedelta(minutes=3), NOW) == "3 分钟前同步"
    assert format_last_synced(NOW - timedelta(hours=2), NOW) == "2 小时前同步"
    assert format_last_synced(NOW - timedelta(days=3), NOW).startswith("同步于 ")


def test_state_and_chip(app):
    assert state_of(FakeStatus(online=True)) == "ok"
    assert state_of(FakeStatus(online=False)) == "offline"
    assert state_of(FakeStatus(online=True, pending=2)) == "pending"
    assert state_of(sample_status()) == "rejected"
    assert chip_text(sample_status()) == "离线 · 2 项待上传 · 2 项未接受"
    assert chip_text(FakeStatus(online=True)) == "在线"


def test_status_button_shows_pending_and_rejected(app, qtbot):
    button = SyncStatusButton()
    qtbot.addWidget(button)
    button.set_status(sample_status())
    text = button.text()
    assert "离线" in text and "2 项待上传" in text and "2 项未被接受" in text
    assert button.property("state") == "rejected"


def test_popup_lists_rejected_items_with_reasons_and_dismisses(context, engine, qtbot):
    engine.set_status(sample_status())
    context.attach()
    button = SyncStatusButton(on_dismiss=context.dismiss_rejected,
                              on_sync_now=context.sync_now,
                              pending_source=context.pending_items)
    qtbot.addWidget(button)
    context.bus.status_changed.connect(button.set_status)
    qtbot.waitUntil(lambda: button.status is not None)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    popup = button.popup()
    assert popup.isVisible()
    assert QApplication.activeModalWidget() is None
    assert set(popup.row_widgets) == {"m-7", "m-8"}
    texts = " ".join(label.text() for label in popup.findChildren(QLabel))
    assert "该公文已由王建国于 11月22日 09:40 签发" in texts
    assert "冲突" in texts and "被拒绝" in texts
    assert "2 项操作已保存在本机" in popup.pending_line.text()
    qtbot.waitUntil(lambda: len(popup.pending_labels) == 2)
    assert popup.pending_labels[0].text().startswith("• 公文")
    dismiss = next(b for b in popup.row_widgets["m-7"].findChildren(QPushButton)
                   if b.text() == "知道了")
    qtbot.mouseClick(dismiss, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.dismissed == ["m-7"])
    qtbot.waitUntil(lambda: len(button.status.rejected) == 1)
    assert set(popup.row_widgets) == {"m-8"}
    assert threading.get_ident() not in engine.threads
    qtbot.mouseClick(popup.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: engine.synced == 1)
    popup.close()


def test_popup_when_everything_is_uploaded(app, qtbot):
    button = SyncStatusButton(compact=True)
    qtbot.addWidget(button)
    button.set_status(FakeStatus(online=True, last_synced_at=NOW))
    popup = button.popup()
    popup.set_status(button.status)
    assert popup.pending_line.text() == "所有操作均已上传。"
    assert popup.row_widgets == {}
    assert button.minimumHeight() >= 44


def test_pending_items_are_read_from_the_real_outbox(app, settings, qtbot):
    """The context lists what the real engine's outbox holds, oldest first."""
    from office_app.bus import ChangeBus
    from office_app.context import AppContext
    from sync.cache import LocalCache
    from sync.engine import SyncEngine

    cache = LocalCache(None)
    try:
        engine = SyncEngine(cache, None, principal={"person_id": "p-1", "name": "张伟"})
        engine.submit("documents.approve", {"document_id": "d-1"})
        engine.submit("directory.update_contact", {"phone": "13800000000"})
        context = AppContext(settings, {"person_id": "p-1"}, cache=cache, engine=engine,
                             bus=ChangeBus())
        items = context.pending_items()
        assert [i["name"] for i in items] == ["documents.approve", "directory.update_contact"]
        assert items[0]["mutation_id"] and items[0]["created_at"]
    finally:
        cache.close()
