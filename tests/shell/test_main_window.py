"""Main window: breakpoint layout, navigation, phone tabs, 更多, back, registry."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from office_app import navigation
from office_app.main_window import MORE, MainWindow
from office_app.widgets import TOUCH_TARGET, WIDE_BREAKPOINT


def _window(context, qtbot, width: int = 1280, height: int = 800) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitUntil(lambda: window.width() == width)
    return window


def test_layout_switches_at_the_breakpoint(context, qtbot):
    window = _window(context, qtbot, 1280)
    assert not window.compact
    assert window.sidebar.isVisible() and not window.tab_bar.isVisible()
    assert window.statusBar().isVisible() and not window.top_bar.isVisible()
    with qtbot.waitSignal(window.layout_changed) as blocker:
        window.resize(WIDE_BREAKPOINT - 1, 800)
    assert blocker.args == [True]
    assert window.compact
    assert window.tab_bar.isVisible() and not window.sidebar.isVisible()
    assert window.top_bar.isVisible() and window.status_chip.isVisible()
    assert not window.statusBar().isVisible()
    window.resize(WIDE_BREAKPOINT, 800)
    qtbot.waitUntil(lambda: not window.compact)
    assert window.sidebar.isVisible()


def test_sidebar_navigation_shows_each_page(context, qtbot):
    window = _window(context, qtbot)
    assert window.current_key() == "workbench"
    for key in navigation.KEYS:
        qtbot.mouseClick(window.side_buttons[key], Qt.MouseButton.LeftButton)
        assert window.current_key() == key
        assert window.stack.currentWidget() is window.page_widget(key)
        assert window.side_buttons[key].isChecked()
    assert window.side_buttons["workbench"].text() == "工作台"


def test_placeholder_pages_are_clearly_marked(context, qtbot, monkeypatch):
    # Every feature has its page now; a key with none registered (a module not plugged
    # in) still gets a page that says so.
    navigation.ensure_defaults()
    monkeypatch.delitem(navigation._registry, "meetings")
    window = _window(context, qtbot)
    window.navigate("meetings")
    texts = [label.text() for label in window.page_widget("meetings").findChildren(QLabel)]
    assert "该模块正在建设中" in texts


def test_phone_tabs_more_and_back(context, qtbot):
    window = _window(context, qtbot, 390, 844)
    assert window.compact
    assert [b.text() for b in window.tab_buttons.values()] == [
        "工作台", "公文", "会议", "督办", "更多"]
    for button in window.tab_buttons.values():
        assert button.height() >= TOUCH_TARGET
    qtbot.mouseClick(window.tab_buttons["meetings"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "meetings"
    assert window.top_title.text() == "会议"
    assert not window.back_button.isVisible()
    qtbot.mouseClick(window.tab_buttons[MORE], Qt.MouseButton.LeftButton)
    assert window.current_key() == MORE
    assert [b.text() for b in window.more_page.buttons.values()] == ["印章", "通讯录", "设置"]
    for button in window.more_page.buttons.values():
        assert button.height() >= TOUCH_TARGET
    qtbot.mouseClick(window.more_page.buttons["settings"], Qt.MouseButton.LeftButton)
    assert window.current_key() == "settings"
    assert window.tab_buttons[MORE].isChecked()
    assert window.back_button.isVisible()
    assert window.back_button.width() >= TOUCH_TARGET
    qtbot.mouseClick(window.back_button, Qt.MouseButton.LeftButton)
    assert window.current_key() == MORE


def test_page_title_hidden_at_phone_width(context, qtbot):
    window = _window(context, qtbot, 1280)
    window.navigate("settings")
    title = window.page_widget("settings").findChild(QLabel, "PageTitle")
    assert title.isVisible()
    window.resize(390, 844)
    qtbot.waitUntil(lambda: window.compact)
    assert not title.isVisible()


def test_more_page_is_left_when_going_wide(context, qtbot):
    window = _window(context, qtbot, 390, 844)
    window.navigate(MORE)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: not window.compact)
    assert window.current_key() != MORE


class _ProbePage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []
        self.compact: list[bool] = []

    def open_ref(self, ref_id: str) -> None:
        self.opened.append(ref_id)

    def set_compact(self, compact: bool) -> None:
        self.compact.append(compact)


def test_modules_plug_in_pages_and_todos_open_them(context, qtbot, clean_registry):
    probe = _ProbePage()
    navigation.register_page("documents", "公文", "documents", lambda _ctx: probe)
    window = _window(context, qtbot)
    workbench = window.page_widget("workbench")
    qtbot.waitUntil(lambda: workbench.model.rowCount() > 0)
    workbench.view.clicked.emit(workbench.model.index(0, 0))
    assert window.current_key() == "documents"
    assert window.stack.currentWidget() is probe
    assert probe.opened == ["d-1"]
    assert probe.compact == [False]
    assert window.side_buttons["documents"].text() == "公文"


def test_geometry_is_remembered(context, qtbot, settings):
    window = _window(context, qtbot, 1000, 700)
    window.close()
    assert not settings.window_geometry.isEmpty()


def test_status_reaches_the_window_from_the_bus(context, engine, qtbot):
    from tests.shell.fakes import sample_status

    window = _window(context, qtbot)
    engine.set_status(sample_status())
    context.attach()
    qtbot.waitUntil(lambda: window.status_button.status is not None)
    assert "离线" in window.status_button.text()
    assert "2 项待上传" in window.status_button.text()
    assert "离线" in window.status_chip.text()


def test_a_feature_that_fails_to_import_gets_a_page_saying_so(context, qtbot, clean_registry,
                                                              caplog, monkeypatch):
    import importlib

    real_import = importlib.import_module

    def import_module(name: str, package: str | None = None):
        if name == "modules.meetings.service":
            raise ImportError("cannot import name 'search' from 'modules.meetings'")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", import_module)
    monkeypatch.setattr(navigation, "failed_features", {})
    navigation.unregister_page("meetings")
    loaded = navigation.load_feature_modules(("meetings",))
    assert loaded == []
    assert navigation.failed_features == {"meetings": "modules.meetings.service"}
    assert any("failed to import" in r.getMessage() for r in caplog.records)
    window = _window(context, qtbot)
    window.navigate("meetings")
    texts = [label.text() for label in window.page_widget("meetings").findChildren(QLabel)]
    assert "该模块加载失败" in texts


def test_keyboard_shortcuts_switch_pages(context, qtbot):
    window = _window(context, qtbot)
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "settings"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_key() == "workbench"
