"""The main window: navigation chrome around the registered pages.

Wide (≥ 900 px): a left sidebar with every page, pages beside it, the sync status in the
status bar. Phone width: a top bar (back button, title, status chip), the page, and a
bottom tab bar of five tabs — 工作台 公文 会议 督办 更多 — where 更多 (more) lists
印章 / 通讯录 / 设置. Pages are built lazily from the navigation registry and rebuilt
after a language or theme switch. GUI thread only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from office_app import icons, navigation
from office_app.context import AppContext
from office_app.navigation import PHONE_TABS, title_for
from office_app.notices import DesktopNotifier
from office_app.status import SyncStatusButton
from office_app.widgets import TOUCH_TARGET, WIDE_BREAKPOINT, icon_button, text_label

if TYPE_CHECKING:
    from sync.engine import SyncStatus

log = logging.getLogger(__name__)

MORE = "more"
SIDEBAR_WIDTH = 208


class MorePage(QWidget):
    """Phone-width 更多 page: large rows for the pages that have no tab."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None, keys: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Page")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 16, 12, 16)
        layout.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        for key in keys if keys is not None else navigation.more_keys():
            spec = navigation.page(key)
            button = QPushButton(title_for(key, spec.title if spec else key))
            button.setProperty("row", True)
            button.setIcon(icons.icon(_icon_name(spec, key)))
            button.setIconSize(QSize(22, 22))
            button.setMinimumHeight(56)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, k=key: self.chosen.emit(k))
            self.buttons[key] = button
            layout.addWidget(button)
        layout.addStretch(1)


def _icon_name(spec: navigation.PageSpec | None, key: str) -> str:
    if spec is not None and isinstance(spec.icon, str):
        return spec.icon
    return key


class MainWindow(QMainWindow):
    """Main window. ``navigate(key)`` shows a page; ``compact`` tells the layout mode."""

    page_changed = Signal(str)
    layout_changed = Signal(bool)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._compact = False
        self._current = ""
        self._from_more = False
        self._pages: dict[str, QWidget] = {}
        self._rebuild_pending = False
        navigation.ensure_defaults()
        self.setMinimumSize(360, 560)
        self._build_chrome()
        context.bus.status_changed.connect(self._status_changed)
        if context.bus.last_status is not None:
            self._status_changed(context.bus.last_status)
        geometry = context.settings.window_geometry
        if geometry is not None and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 820)
        self._apply_layout(self.width() < WIDE_BREAKPOINT, force=True)
        self.navigate("workbench")
        # Reminders as desktop notifications (system tray, where there is one).
        self.notifier = DesktopNotifier(context, self)
        self.notifier.open_requested.connect(self._open_from_notice)

    # -- chrome ---------------------------------------------------------------------
    def _build_chrome(self) -> None:
        self.setWindowTitle(self.tr("Office collaboration"))
        central = QWidget()
        central.setObjectName("Central")
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        self.sidebar = self._build_sidebar()
        root.addWidget(self.sidebar)

        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.top_bar = self._build_top_bar()
        column.addWidget(self.top_bar)
        self.stack = QStackedWidget()
        self.stack.setObjectName("Pages")
        column.addWidget(self.stack, 1)
        self.tab_bar = self._build_tab_bar()
        column.addWidget(self.tab_bar)
        root.addLayout(column, 1)
        self.setCentralWidget(central)

        self.status_button = SyncStatusButton(
            compact=False, on_dismiss=self.context.dismiss_rejected,
            on_sync_now=self._sync_now_action(),
            pending_source=self.context.pending_items)
        self.statusBar().addPermanentWidget(self.status_button)
        self.statusBar().setSizeGripEnabled(False)
        self.more_keys = navigation.more_keys(self.context)
        self.more_page = MorePage(keys=self.more_keys)
        self.more_page.chosen.connect(self._more_chosen)
        self.stack.addWidget(self.more_page)

    def _build_sidebar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("Sidebar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar.setFixedWidth(SIDEBAR_WIDTH)
        layout = QVBoxLayout(bar)
        layout.setContentsMargins(12, 16, 12, 12)
        layout.setSpacing(4)
        brand = QHBoxLayout()
        logo = text_label()
        from office_app import theme

        logo.setPixmap(icons.pixmap("app", 28, theme.colors()["accent"],
                                    self.devicePixelRatioF()))
        brand.addWidget(logo)
        title = text_label(self.tr("Office collaboration"), wrap=True)
        title.setObjectName("SidebarBrand")
        brand.addWidget(title, 1)
        layout.addLayout(brand)
        layout.addSpacing(14)
        self.side_group = QButtonGroup(bar)
        self.side_group.setExclusive(True)
        self.side_buttons: dict[str, QToolButton] = {}
        for spec in navigation.pages_for(self.context):
            button = QToolButton()
            button.setProperty("nav", "side")
            button.setCheckable(True)
            button.setText(spec.display_title())
            button.setIcon(icons.nav_icon(_icon_name(spec, spec.key)))
            button.setIconSize(QSize(20, 20))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(40)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setObjectName(f"nav-{spec.key}")
            button.clicked.connect(lambda _=False, k=spec.key: self.navigate(k))
            self.side_group.addButton(button)
            self.side_buttons[spec.key] = button
            number = len(self.side_buttons)
            if number <= 9:
                shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
                shortcut.activated.connect(lambda k=spec.key: self.navigate(k))
                button.setToolTip(f"{spec.display_title()}  (Ctrl+{number})")
            layout.addWidget(button)
        layout.addStretch(1)
        who = text_label(self.context.display_name, None)
        who.setObjectName("SidebarUser")
        layout.addWidget(who)
        post = self.context.primary_post()
        if post.get("title"):
            layout.addWidget(text_label(str(post["title"]), "small", wrap=True))
        return bar

    def _build_top_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("TopBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        bar.setFixedHeight(56)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(4, 0, 8, 0)
        layout.setSpacing(4)
        self._top_spacer = QWidget()
        self._top_spacer.setFixedWidth(12)
        layout.addWidget(self._top_spacer)
        self.back_button = icon_button("back", self.tr("Back"), 24)
        self.back_button.setFixedSize(TOUCH_TARGET, TOUCH_TARGET)
        self.back_button.clicked.connect(self.go_back)
        layout.addWidget(self.back_button)
        self.top_title = text_label("")
        self.top_title.setObjectName("TopBarTitle")
        layout.addWidget(self.top_title, 1)
        self.status_chip = SyncStatusButton(
            compact=True, on_dismiss=self.context.dismiss_rejected,
            on_sync_now=self._sync_now_action(),
            pending_source=self.context.pending_items)
        layout.addWidget(self.status_chip)
        return bar

    def _build_tab_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("TabBar")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(0)
        self.tab_group = QButtonGroup(bar)
        self.tab_group.setExclusive(True)
        self.tab_buttons: dict[str, QToolButton] = {}
        for key in (*PHONE_TABS, MORE):
            spec = navigation.page(key)
            button = QToolButton()
            button.setProperty("nav", "tab")
            button.setCheckable(True)
            button.setText(title_for(key, spec.title if spec else key))
            button.setIcon(icons.nav_icon(_icon_name(spec, key)))
            button.setIconSize(QSize(24, 24))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumHeight(56)
            button.setObjectName(f"tab-{key}")
            button.clicked.connect(lambda _=False, k=key: self._tab_clicked(k))
            self.tab_group.addButton(button)
            self.tab_buttons[key] = button
            layout.addWidget(button, 1)
        return bar

    # -- layout ---------------------------------------------------------------------
    @property
    def compact(self) -> bool:
        """True at phone width (< 900 px)."""
        return self._compact

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_layout(event.size().width() < WIDE_BREAKPOINT)

    def _apply_layout(self, compact: bool, force: bool = False) -> None:
        if compact == self._compact and not force:
            return
        self._compact = compact
        self.sidebar.setVisible(not compact)
        self.top_bar.setVisible(compact)
        self.tab_bar.setVisible(compact)
        self.statusBar().setVisible(not compact)
        for page in self._pages.values():
            _set_compact(page, compact)
        if not compact and self._current == MORE:
            self.navigate("settings")
        self._sync_chrome()
        self.layout_changed.emit(compact)

    # -- navigation -----------------------------------------------------------------
    def _sync_now_action(self) -> Any:
        """"Sync now" for the status chrome: also while a resumed start's engine is
        still being made (it has a session then)."""
        context = self.context
        return context.sync_now if context.engine or context.session else None

    def page_widget(self, key: str) -> QWidget | None:
        """The page for ``key``, built on first use (None if nothing is registered)."""
        if key == MORE:
            return self.more_page
        page = self._pages.get(key)
        if page is not None:
            return page
        spec = navigation.page(key)
        if spec is None or not spec.shown_to(self.context):
            return None
        page = spec.factory(self.context)
        page.setObjectName(page.objectName() or "Page")
        self._pages[key] = page
        self.stack.addWidget(page)
        _set_compact(page, self._compact)
        changed = getattr(page, "navigation_changed", None)
        if changed is not None:
            changed.connect(self._sync_chrome)
        requested = getattr(page, "open_requested", None)
        if requested is not None:
            requested.connect(self.open_ref)
        return page

    def current_key(self) -> str:
        return self._current

    def navigate(self, key: str) -> bool:
        """Show page ``key``; False when no such page is registered."""
        page = self.page_widget(key)
        if page is None:
            return False
        if key == MORE:
            self._from_more = False
        self._current = key
        self.stack.setCurrentWidget(page)
        self._sync_chrome()
        self.page_changed.emit(key)
        return True

    def _tab_clicked(self, key: str) -> None:
        self._from_more = False
        self.navigate(key)

    def _more_chosen(self, key: str) -> None:
        self.navigate(key)
        self._from_more = True
        self._sync_chrome()

    def can_go_back(self) -> bool:
        page = self._pages.get(self._current)
        if page is not None and _call(page, "can_go_back", default=False):
            return True
        return self._compact and self._from_more and self._current in self.more_keys

    def go_back(self) -> None:
        """Back at phone width: detail → list inside a page, then 更多 sub-page → 更多."""
        page = self._pages.get(self._current)
        if page is not None and _call(page, "can_go_back", default=False):
            _call(page, "go_back")
            self._sync_chrome()
            return
        if self._compact and self._from_more and self._current in self.more_keys:
            self.navigate(MORE)

    def open_ref(self, module: str, ref_id: str) -> None:
        """Show record ``ref_id`` of ``module`` (from a workbench to-do)."""
        if not self.navigate(module):
            return
        page = self._pages.get(module)
        if page is not None and ref_id:
            _call(page, "open_ref", ref_id)
        self._sync_chrome()

    def _open_from_notice(self, module: str, ref_id: str) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.open_ref(module, ref_id)

    def _sync_chrome(self) -> None:
        key = self._current
        button = self.side_buttons.get(key)
        if button is not None:
            button.setChecked(True)
        tab_key = key if key in self.tab_buttons else MORE
        if key:
            self.tab_buttons[tab_key].setChecked(True)
        spec = navigation.page(key)
        self.top_title.setText(title_for(key, spec.title if spec else key))
        back = self.can_go_back()
        self.back_button.setVisible(back)
        self._top_spacer.setVisible(not back)

    # -- status ---------------------------------------------------------------------
    def _status_changed(self, status: SyncStatus | None) -> None:
        self.status_button.set_status(status)
        self.status_chip.set_status(status)

    # -- rebuild after language/theme switch ----------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and not self._rebuild_pending:
            self._rebuild_pending = True
            QTimer.singleShot(0, self, self.rebuild_pages)
        super().changeEvent(event)

    def rebuild_pages(self) -> None:
        """Rebuild chrome and pages in the current language/theme; keeps the page shown."""
        self._rebuild_pending = False
        current = self._current or "workbench"
        from_more = self._from_more
        old_central = self.takeCentralWidget()
        self.statusBar().removeWidget(self.status_button)
        self.status_button.deleteLater()
        self._pages.clear()
        if old_central is not None:
            old_central.deleteLater()
        self._build_chrome()
        status = self.context.bus.last_status
        if status is not None:
            self._status_changed(status)
        self._apply_layout(self._compact, force=True)
        self.navigate(current)
        self._from_more = from_more
        self._sync_chrome()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.context.settings.window_geometry = self.saveGeometry()
        self.notifier.close()
        super().closeEvent(event)


def _set_compact(page: QWidget, compact: bool) -> None:
    """Tell a page about the layout; at phone width its own title (a QLabel named
    "PageTitle") is hidden because the top bar shows the title."""
    _call(page, "set_compact", compact)
    for label in page.findChildren(QLabel, "PageTitle"):
        label.setVisible(not compact)


def _call(obj: object, name: str, *args: Any, default: Any = None) -> Any:
    method = getattr(obj, name, None)
    if callable(method):
        return method(*args)
    return default
