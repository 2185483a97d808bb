"""At phone width everything tappable is at least 44 px high."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QWidget

from office_app.login import LoginView
from office_app.main_window import MORE, MainWindow
from office_app.screenshot import settle
from office_app.widgets import TOUCH_TARGET
from tests.shell.fakes import sample_status


def too_small(root: QWidget) -> list[str]:
    found = []
    for kind in (QAbstractButton, QLineEdit, QComboBox):
        for widget in root.findChildren(kind):
            inside_field = isinstance(widget.parent(), QLineEdit)  # clear/search icons
            if widget.isVisible() and not inside_field and widget.height() < TOUCH_TARGET:
                found.append(f"{type(widget).__name__}({widget.objectName()!r}, "
                             f"{getattr(widget, 'text', lambda: '')()!r}) = {widget.height()}")
    return found


def test_main_screens_at_phone_width(context, engine, qtbot):
    engine.set_status(sample_status())
    context.attach()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(390, 844)
    window.show()
    qtbot.waitUntil(lambda: window.compact)
    for key in ("workbench", "documents", "settings", MORE, "directory"):
        window.navigate(key)
        settle()
        assert too_small(window) == [], key
    directory = window.page_widget("directory")
    with qtbot.waitSignal(directory.person_shown, timeout=5000):
        directory.show_person("p-1")
    settle()
    assert too_small(window) == []
    qtbot.waitUntil(lambda: window.status_chip.status is not None)
    popup = window.status_chip.popup()
    popup.set_status(window.status_chip.status)
    popup.show()
    settle()
    assert too_small(popup) == []
    popup.close()


def test_login_at_phone_width(app, settings, qtbot):
    view = LoginView(settings, lambda *_a: {}, None, None)
    qtbot.addWidget(view)
    view.resize(390, 844)
    view.show()
    settle()
    assert too_small(view) == []
    view.resize(1200, 800)
    settle()
    assert view.sign_in_button.property("touch") is False  # desktop keeps desktop sizes
