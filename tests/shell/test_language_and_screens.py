"""Language switch in 设置 and offscreen screenshots of the main screens."""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from modules.common.errors import AuthenticationFailed
from office_app import i18n
from office_app.login import error_text
from office_app.main_window import MainWindow
from office_app.screenshot import render_screens
from tests.shell.fakes import sample_status


def test_switching_language_in_settings_rebuilds_in_english(context, settings, qtbot):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.navigate("settings")
    page = window.page_widget("settings")
    assert window.side_buttons["workbench"].text() == "工作台"
    page.language_box.setCurrentIndex(page.language_box.findData("en"))
    qtbot.waitUntil(lambda: window.side_buttons["workbench"].text() == "Workbench")
    assert settings.language == "en"
    assert i18n.current_lang() == "en"
    assert window.current_key() == "settings"
    assert [b.text() for b in window.side_buttons.values()] == [
        "Workbench", "Documents", "Meetings", "Supervision", "Seals", "Directory", "Settings"]
    new_page = window.page_widget("settings")
    assert "Language" in [label.text() for label in new_page.findChildren(QLabel)]
    assert error_text(AuthenticationFailed("auth.invalid_credentials")) == \
        "Wrong account or password."
    new_page.language_box.setCurrentIndex(new_page.language_box.findData("zh_CN"))
    qtbot.waitUntil(lambda: window.side_buttons["workbench"].text() == "工作台")


def test_theme_switch_rebuilds_pages(context, settings, qtbot):
    from office_app import theme

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.navigate("settings")
    page = window.page_widget("settings")
    page.theme_box.setCurrentIndex(page.theme_box.findData("dark"))
    qtbot.waitUntil(lambda: theme.colors()["window"] == theme.DARK["window"])
    assert settings.theme == "dark"
    qtbot.waitUntil(lambda: window.page_widget("settings") is not page)


def test_render_screens_at_both_widths(context, engine, tmp_path, qtbot):
    engine.set_status(sample_status())
    context.attach()
    qtbot.waitUntil(lambda: context.bus.last_status is not None)
    files = render_screens(tmp_path, context,
                           demo_accounts=lambda _url: [{"login": "zhangwei", "name": "张伟"}])
    names = {f.name for f in files}
    for size in ("1440x900", "390x844"):
        for screen in ("login", "workbench", "documents", "meetings", "supervision", "seals",
                       "directory", "directory-person", "directory-search", "settings",
                       "status-popup"):
            assert f"{size}-{screen}.png" in names
    assert "390x844-more.png" in names
    for name, (width, height) in (("1440x900-workbench.png", (1440, 900)),
                                  ("390x844-workbench.png", (390, 844))):
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (
            round(width * image.devicePixelRatio()), round(height * image.devicePixelRatio()))
        colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
                   for y in range(0, image.height(), 7)}
        assert len(colours) > 20  # not a blank grab
